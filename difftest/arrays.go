package difftest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
)

// int4[] and text[] values, expressions, predicates and aggregates for
// the generator.
//
// Arrays are one-dimensional with the default lower bound (pqdb stores
// no others), 0-5 elements, NULL elements among them. Every int array
// expression is int4[] and every text array text[]: PostgreSQL has no
// operator between int4[] and int8[] or text[] and varchar[], so
// elements of other types are cast (ints only when they fit).

// intArrayValue is an int4[] column value.
func intArrayValue(r *rand.Rand, c *Column) string {
	n := r.IntN(6)
	elems := make([]string, n)
	for i := range elems {
		if r.IntN(8) == 0 {
			elems[i] = "NULL"
		} else {
			elems[i] = strconv.FormatInt(c.Lo+r.Int64N(c.Hi-c.Lo+1), 10)
		}
	}
	return quote("{" + strings.Join(elems, ",") + "}")
}

// textArrayValue is a text[] column value.
func textArrayValue(r *rand.Rand) string {
	n := r.IntN(5)
	if n == 0 {
		return "'{}'::text[]"
	}
	elems := make([]string, n)
	for i := range elems {
		if r.IntN(8) == 0 {
			elems[i] = "NULL"
		} else {
			elems[i] = quote(textWords[r.IntN(len(textWords))])
		}
	}
	return "ARRAY[" + strings.Join(elems, ", ") + "]::text[]"
}

// arrayConstant is an int4[] or text[] literal.
func (g *gen) arrayConstant(k Kind) Expr {
	n := g.r.IntN(4)
	elems := make([]string, n)
	var bound float64
	for i := range elems {
		switch {
		case g.oneIn(8):
			elems[i] = "NULL"
		case k == KIntArray:
			v := g.r.IntN(21) - 10
			bound = max(bound, math.Abs(float64(v)))
			elems[i] = strconv.Itoa(v)
		default:
			elems[i] = quote(g.pick([]string{"a", "b", "", "ab", "foo", "x_y", "A"}))
		}
	}
	if k == KIntArray {
		return Expr{SQL: quote("{"+strings.Join(elems, ",")+"}") + "::int4[]", T: tIntArr, Bound: bound}
	}
	if n == 0 {
		return Expr{SQL: "'{}'::text[]", T: tTxtArr}
	}
	return Expr{SQL: "ARRAY[" + strings.Join(elems, ", ") + "]::text[]", T: tTxtArr}
}

// elemKind is an array kind's element kind.
func elemKind(k Kind) Kind {
	if k == KIntArray {
		return KInt
	}
	return KText
}

// elemType is the element type of an array of kind k.
func elemType(k Kind) Type {
	if k == KIntArray {
		return tInt4
	}
	return tText
}

// arrayType is the array type of kind k.
func arrayType(k Kind) Type {
	if k == KIntArray {
		return tIntArr
	}
	return tTxtArr
}

// int4Of is an int expression of type int4, cast when it fits.
func (g *gen) int4Of(sc *scope, depth int) Expr {
	e := g.expr(sc, KInt, depth)
	switch {
	case e.T.Name == "int4":
		return e
	case e.Bound < math.MaxInt32/2:
		return Expr{SQL: fmt.Sprintf("CAST(%s AS int4)", e.SQL), T: tInt4, Bound: e.Bound}
	}
	return g.constant(KInt)
}

// textOf is a text expression cast to text: its type may be varchar
// (COALESCE('a', a varchar column) is one, whatever Expr.T says), or a
// string literal's unknown, which its context decides (to an array in
// text[] || 'a', to nothing in array_agg('a')).
func (g *gen) textOf(sc *scope, depth int) Expr {
	e := g.expr(sc, KText, depth)
	return Expr{SQL: fmt.Sprintf("CAST(%s AS text)", e.SQL), T: tText}
}

// typedExpr is an expression of kind k whose type is known without
// context (see textOf), for polymorphic functions.
func (g *gen) typedExpr(sc *scope, k Kind, depth int) Expr {
	if k == KText {
		return g.textOf(sc, depth)
	}
	return g.expr(sc, k, depth)
}

// elemOf is an element for an array of kind k.
func (g *gen) elemOf(sc *scope, k Kind, depth int) Expr {
	if k == KIntArray {
		return g.int4Of(sc, depth)
	}
	return g.textOf(sc, depth)
}

// arrayExpr makes an expression of kind int4[] or text[].
func (g *gen) arrayExpr(sc *scope, k Kind, depth int) Expr {
	t := arrayType(k)
	self := func() Expr { return g.expr(sc, k, depth-1) }
	switch g.r.IntN(8) {
	case 0, 1:
		g.feat("array-concat")
		a, b := self(), self()
		if g.oneIn(3) {
			return Expr{SQL: fmt.Sprintf("array_cat(%s, %s)", a.SQL, b.SQL), T: t, Bound: max(a.Bound, b.Bound)}
		}
		return Expr{SQL: fmt.Sprintf("(%s || %s)", a.SQL, b.SQL), T: t, Bound: max(a.Bound, b.Bound)}
	case 2:
		g.feat("array-append")
		a, x := self(), g.elemOf(sc, k, depth-1)
		switch g.r.IntN(3) {
		case 0:
			return Expr{SQL: fmt.Sprintf("array_append(%s, %s)", a.SQL, x.SQL), T: t, Bound: max(a.Bound, x.Bound)}
		case 1:
			return Expr{SQL: fmt.Sprintf("array_prepend(%s, %s)", x.SQL, a.SQL), T: t, Bound: max(a.Bound, x.Bound)}
		}
		return Expr{SQL: fmt.Sprintf("(%s || %s)", a.SQL, x.SQL), T: t, Bound: max(a.Bound, x.Bound)}
	case 3:
		g.feat("array-remove")
		a, x := self(), g.elemOf(sc, k, 0)
		return Expr{SQL: fmt.Sprintf("array_remove(%s, %s)", a.SQL, x.SQL), T: t, Bound: a.Bound}
	case 4:
		g.feat("array-slice")
		a := self()
		lo := g.r.IntN(4)
		return Expr{SQL: fmt.Sprintf("(%s)[%d:%d]", a.SQL, lo, lo+g.r.IntN(3)), T: t, Bound: a.Bound}
	case 5:
		g.feat("array-constructor")
		x, y := g.elemOf(sc, k, depth-1), g.elemOf(sc, k, depth-1)
		return Expr{SQL: fmt.Sprintf("ARRAY[%s, %s]", x.SQL, y.SQL), T: t, Bound: max(x.Bound, y.Bound)}
	case 6:
		if k == KTextArray {
			g.feat("string-to-array")
			return Expr{SQL: fmt.Sprintf("string_to_array(%s, %s)", g.expr(sc, KText, depth-1).SQL, quote(g.pick([]string{",", "a", " ", ""}))), T: t}
		}
	}
	return g.leaf(sc, k)
}

// arrayInt is an int out of an array: a length, a position or an
// element.
func (g *gen) arrayInt(sc *scope, depth int) Expr {
	k := g.pickKind(KIntArray, KTextArray)
	a := g.expr(sc, k, depth-1)
	switch g.r.IntN(4) {
	case 0:
		g.feat("array-length")
		return Expr{SQL: fmt.Sprintf("array_length(%s, 1)", a.SQL), T: tInt4, Bound: 100}
	case 1:
		g.feat("cardinality")
		return Expr{SQL: fmt.Sprintf("cardinality(%s)", a.SQL), T: tInt4, Bound: 100}
	case 2:
		g.feat("array-position")
		return Expr{SQL: fmt.Sprintf("array_position(%s, %s)", a.SQL, g.elemOf(sc, k, 0).SQL), T: tInt4, Bound: 100}
	}
	g.feat("array-subscript")
	ia := g.expr(sc, KIntArray, depth-1)
	return Expr{SQL: fmt.Sprintf("(%s)[%d]", ia.SQL, g.r.IntN(5)-1), T: tInt4, Bound: ia.Bound}
}

// arrayText is text out of an array: an element, array_to_string or a
// cast.
func (g *gen) arrayText(sc *scope, depth int) Expr {
	switch g.r.IntN(3) {
	case 0:
		g.feat("array-subscript")
		return Expr{SQL: fmt.Sprintf("(%s)[%d]", g.expr(sc, KTextArray, depth-1).SQL, g.r.IntN(5)), T: tText}
	case 1:
		g.feat("array-to-string")
		a := g.expr(sc, g.pickKind(KIntArray, KTextArray), depth-1)
		if g.oneIn(2) {
			return Expr{SQL: fmt.Sprintf("array_to_string(%s, %s, %s)", a.SQL, quote(g.pick([]string{",", ""})), quote("*")), T: tText}
		}
		return Expr{SQL: fmt.Sprintf("array_to_string(%s, %s)", a.SQL, quote(g.pick([]string{",", " ", ""}))), T: tText}
	}
	g.feat("cast-to-text")
	return Expr{SQL: fmt.Sprintf("CAST(%s AS text)", g.expr(sc, g.pickKind(KIntArray, KTextArray), depth-1).SQL), T: tText}
}

// arrayPred is containment, overlap, or an element compared with ANY or
// ALL of an array.
func (g *gen) arrayPred(sc *scope, k Kind, depth int) string {
	a := g.expr(sc, k, depth)
	switch g.r.IntN(5) {
	case 0, 1:
		g.feat("array-contains")
		return fmt.Sprintf("(%s %s %s)", a.SQL, g.pick([]string{"@>", "<@", "&&"}), g.expr(sc, k, 0).SQL)
	}
	x := g.expr(sc, elemKind(k), max(depth-1, 0))
	if strings.HasPrefix(a.SQL, "(SELECT ") {
		// ANY((SELECT ...)) compares with each row of the subquery;
		// the cast makes it the array form.
		a.SQL = fmt.Sprintf("CAST(%s AS %s)", a.SQL, a.T.Name)
	}
	if g.oneIn(2) {
		g.feat("eq-any-array")
		return fmt.Sprintf("(%s = ANY(%s))", x.SQL, a.SQL)
	}
	g.feat("any-all-array")
	return fmt.Sprintf("(%s %s %s(%s))", x.SQL, g.pick(cmpOps), g.pick([]string{"ANY", "ALL"}), a.SQL)
}

// arrayAggregate is array_agg sorted by its argument (the result follows
// the input's order; equal values print alike, so ties do not matter).
func (g *gen) arrayAggregate(sc *scope, k Kind) Expr {
	g.feat("array-agg")
	x := g.elemOf(sc, k, g.r.IntN(2))
	dir := g.pick([]string{"", " DESC", " NULLS FIRST", " DESC NULLS LAST"})
	distinct := ""
	if g.oneIn(5) {
		g.feat("agg-distinct-order")
		distinct = "DISTINCT "
	}
	return Expr{SQL: fmt.Sprintf("array_agg(%s%s ORDER BY %s%s)", distinct, x.SQL, x.SQL, dir), T: arrayType(k), Bound: x.Bound}
}
