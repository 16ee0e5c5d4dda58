package difftest

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// jsonb values, expressions, predicates and aggregates for the
// generator.
//
// Values are objects, arrays and scalars nested up to three levels,
// with keys out of a small set (so that ->, ? and @> find them), keys
// written out of order and sometimes twice (jsonb keeps the last), JSON
// escapes, and numbers that jsonb prints as written or normalizes (1e2 is
// 100). No number has trailing fractional zeros: 1.50 and 1.5 are equal
// jsonb values printed differently, and which of them DISTINCT or GROUP
// BY keeps is left open. Functions that fail on the wrong shape
// (jsonb_array_length of an object, - on a scalar) are guarded by
// jsonb_typeof.

// jsonKeys are the object keys.
var jsonKeys = []string{"a", "b", "c", "k", "aa", "x y", ""}

// jsonNumbers and jsonStrings are the scalars, as JSON text.
var (
	jsonNumbers = []string{"0", "1", "-1", "2", "7", "-20", "1.5", "-0.25", "1e2", "2.5e-1", "12345678901234567890", "3.14159", "1000"}
	jsonStrings = []string{`"a"`, `"b"`, `"ab"`, `""`, `"x y"`, `"é"`, `"q\"uote"`, `"tab\t"`, `"\u00e9"`, `"A"`, `"1"`, `"null"`}
)

// jsonText draws a JSON value nesting at most depth levels.
func jsonText(r *rand.Rand, depth int) string {
	x := r.IntN(10)
	if depth <= 0 {
		x = 5 + r.IntN(5)
	}
	switch {
	case x < 3:
		n := r.IntN(5)
		var parts []string
		perm := r.Perm(len(jsonKeys))
		for i := range n {
			k := jsonKeys[perm[i]]
			parts = append(parts, fmt.Sprintf("%q: %s", k, jsonText(r, depth-1)))
			if r.IntN(10) == 0 {
				// a repeated key: jsonb keeps the last value
				parts = append(parts, fmt.Sprintf("%q: %s", k, jsonText(r, 0)))
			}
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case x < 5:
		n := r.IntN(5)
		var parts []string
		for range n {
			parts = append(parts, jsonText(r, depth-1))
		}
		return "[" + strings.Join(parts, ",") + "]"
	case x < 7:
		return jsonNumbers[r.IntN(len(jsonNumbers))]
	case x < 9:
		return jsonStrings[r.IntN(len(jsonStrings))]
	}
	return []string{"true", "false", "null"}[r.IntN(3)]
}

// jsonbValue is a jsonb column value: mostly objects, then arrays, then
// scalars ('null' among them).
func jsonbValue(r *rand.Rand) string {
	switch r.IntN(10) {
	case 0, 1, 2, 3, 4:
		return quote(jsonObject(r))
	case 5, 6, 7:
		return quote(jsonText(r, 2))
	}
	return quote(jsonText(r, 0))
}

// jsonObject is an object with a few keys, nesting up to three levels.
func jsonObject(r *rand.Rand) string {
	for {
		if s := jsonText(r, 3); strings.HasPrefix(s, "{") {
			return s
		}
	}
}

// jsonbConstant is a jsonb literal.
func (g *gen) jsonbConstant() Expr {
	s := jsonText(g.r, 1)
	if g.oneIn(4) {
		s = g.pick([]string{"null", "{}", "[]", `{"a": 1}`, `{"b": "a"}`, "[1, 2]", `["a"]`})
	}
	return Expr{SQL: quote(s) + "::jsonb", T: tJsonb}
}

// jsonPaths are #> and #>> paths.
var jsonPaths = []string{"{a}", "{a,0}", "{0}", "{a,b}", "{k,1,a}", "{}", "{x y}", "{-1}"}

// jsonKeyArg is a -> or ->> argument: a key or an array index.
func (g *gen) jsonKeyArg() string {
	if g.oneIn(3) {
		return fmt.Sprint(g.r.IntN(5) - 2)
	}
	return quote(g.pick(jsonKeys))
}

// jsonbExpr makes an expression of kind jsonb.
func (g *gen) jsonbExpr(sc *scope, depth int) Expr {
	self := func() Expr { return g.expr(sc, KJsonb, depth-1) }
	switch g.r.IntN(9) {
	case 0, 1:
		g.feat("jsonb-arrow")
		return Expr{SQL: fmt.Sprintf("(%s -> %s)", self().SQL, g.jsonKeyArg()), T: tJsonb}
	case 2:
		g.feat("jsonb-path")
		return Expr{SQL: fmt.Sprintf("(%s #> %s)", self().SQL, quote(g.pick(jsonPaths))), T: tJsonb}
	case 3:
		g.feat("jsonb-concat")
		return Expr{SQL: fmt.Sprintf("(%s || %s)", self().SQL, self().SQL), T: tJsonb}
	case 4:
		g.feat("jsonb-delete")
		a := self()
		if g.oneIn(2) {
			return Expr{SQL: fmt.Sprintf("CASE WHEN jsonb_typeof(%s) = 'object' THEN (%s - %s) END", a.SQL, a.SQL, quote(g.pick(jsonKeys))), T: tJsonb}
		}
		return Expr{SQL: fmt.Sprintf("CASE WHEN jsonb_typeof(%s) = 'array' THEN (%s - %d) END", a.SQL, a.SQL, g.r.IntN(4)-1), T: tJsonb}
	case 5:
		g.feat("jsonb-build")
		if g.oneIn(2) {
			return Expr{SQL: fmt.Sprintf("jsonb_build_array(%s, %s)", g.jsonScalarArg(sc, depth-1), g.jsonScalarArg(sc, depth-1)), T: tJsonb}
		}
		return Expr{SQL: fmt.Sprintf("jsonb_build_object(%s, %s, %s, %s)", quote(g.pick(jsonKeys)), g.jsonScalarArg(sc, depth-1), quote(g.pick(jsonKeys)), g.jsonScalarArg(sc, depth-1)), T: tJsonb}
	case 6:
		g.feat("to-jsonb")
		return Expr{SQL: fmt.Sprintf("to_jsonb(%s)", g.jsonScalarArg(sc, depth-1)), T: tJsonb}
	case 7:
		g.feat("jsonb-strip-nulls")
		return Expr{SQL: fmt.Sprintf("jsonb_strip_nulls(%s)", self().SQL), T: tJsonb}
	}
	return g.leaf(sc, KJsonb)
}

// jsonValueKinds are the kinds whose values become jsonb without a
// numeric scale question (numerics and floats would keep or lose
// trailing zeros depending on the expression).
var jsonValueKinds = []Kind{KInt, KText, KBool, KDate, KTimestamp, KTimestamptz, KJsonb, KIntArray, KTextArray}

// jsonScalarArg is a value for to_jsonb, jsonb_build_object or
// jsonb_agg.
func (g *gen) jsonScalarArg(sc *scope, depth int) string {
	return g.typedExpr(sc, g.pickKind(jsonValueKinds...), max(depth, 0)).SQL
}

// jsonbText is text out of a jsonb: ->>, #>>, jsonb_typeof or a cast.
func (g *gen) jsonbText(sc *scope, depth int) Expr {
	j := g.expr(sc, KJsonb, depth-1)
	switch g.r.IntN(4) {
	case 0:
		g.feat("jsonb-arrow-text")
		return Expr{SQL: fmt.Sprintf("(%s ->> %s)", j.SQL, g.jsonKeyArg()), T: tText}
	case 1:
		g.feat("jsonb-path-text")
		return Expr{SQL: fmt.Sprintf("(%s #>> %s)", j.SQL, quote(g.pick(jsonPaths))), T: tText}
	case 2:
		g.feat("jsonb-typeof")
		return Expr{SQL: fmt.Sprintf("jsonb_typeof(%s)", j.SQL), T: tText}
	}
	g.feat("cast-to-text")
	return Expr{SQL: fmt.Sprintf("CAST(%s AS text)", j.SQL), T: tText}
}

// jsonbArrayLength is jsonb_array_length, guarded: it fails on anything
// but an array.
func (g *gen) jsonbArrayLength(sc *scope, depth int) Expr {
	g.feat("jsonb-array-length")
	j := g.expr(sc, KJsonb, depth-1)
	return Expr{SQL: fmt.Sprintf("CASE WHEN jsonb_typeof(%s) = 'array' THEN jsonb_array_length(%s) END", j.SQL, j.SQL), T: tInt4, Bound: 100}
}

// jsonbPred is containment, key existence or a compared member.
func (g *gen) jsonbPred(sc *scope, depth int) string {
	j := g.expr(sc, KJsonb, depth)
	switch g.r.IntN(5) {
	case 0, 1:
		g.feat("jsonb-contains")
		c := g.expr(sc, KJsonb, 0)
		return fmt.Sprintf("(%s %s %s)", j.SQL, g.pick([]string{"@>", "<@"}), c.SQL)
	case 2:
		g.feat("jsonb-exists")
		return fmt.Sprintf("(%s ? %s)", j.SQL, quote(g.pick(jsonKeys)))
	case 3:
		g.feat("jsonb-exists-any-all")
		return fmt.Sprintf("(%s %s ARRAY[%s, %s])", j.SQL, g.pick([]string{"?|", "?&"}), quote(g.pick(jsonKeys)), quote(g.pick(jsonKeys)))
	}
	g.feat("jsonb-arrow")
	return fmt.Sprintf("((%s -> %s) %s %s)", j.SQL, g.jsonKeyArg(), g.pick(cmpOps), g.jsonbConstant().SQL)
}

// jsonbAggregate is jsonb_agg or jsonb_object_agg. Their result follows
// the order of their input, so the aggregate sorts it by the value
// itself (equal values print alike, so ties do not matter); an object's
// repeated key keeps the last value, so it sorts by key and value.
func (g *gen) jsonbAggregate(sc *scope) Expr {
	arg := func() Expr { return g.typedExpr(sc, g.pickKind(jsonValueKinds...), g.r.IntN(2)) }
	dir := g.pick([]string{"", " DESC", " NULLS FIRST", " DESC NULLS LAST"})
	if g.oneIn(3) {
		g.feat("jsonb-object-agg")
		k := g.expr(sc, KText, g.r.IntN(2))
		key := fmt.Sprintf("COALESCE(%s, 'none')", k.SQL) // a NULL key is an error
		v := arg()
		return Expr{SQL: fmt.Sprintf("jsonb_object_agg(%s, %s ORDER BY %s%s, %s%s)", key, v.SQL, key, dir, v.SQL, dir), T: tJsonb}
	}
	g.feat("jsonb-agg")
	a := arg()
	if g.oneIn(5) {
		g.feat("agg-distinct-order")
		return Expr{SQL: fmt.Sprintf("jsonb_agg(DISTINCT %s ORDER BY %s%s)", a.SQL, a.SQL, dir), T: tJsonb}
	}
	return Expr{SQL: fmt.Sprintf("jsonb_agg(%s ORDER BY %s%s)", a.SQL, a.SQL, dir), T: tJsonb}
}
