package difftest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
)

// Expr is a generated SQL expression with its type. Bound is the largest
// magnitude an int, numeric or float value can have: arithmetic is only
// generated when its result stays far below its type's range, so no
// query overflows (both servers would reject it, which tests little).
type Expr struct {
	SQL   string
	T     Type
	Bound float64
}

// colRef is a column visible in a scope under a table alias.
type colRef struct {
	Alias string
	Col   *Column
}

func (c colRef) expr() Expr {
	b := c.Col.Bound
	if c.Col.Type.Kind == KFloat {
		// rare specials (data.go) lie beyond a column's domain
		b = max(b, 1.3e6)
	}
	return Expr{SQL: c.Alias + "." + c.Col.Name, T: c.Col.Type, Bound: b}
}

// scope is what an expression may refer to: the columns of the FROM
// clause, and (for correlated subqueries) the enclosing query's.
type scope struct {
	cols  []colRef
	outer *scope
	// rows estimates how many rows the FROM clause makes, to keep
	// correlated subqueries and joins cheap.
	rows float64
	// agg: the expression is in an aggregate query's SELECT or HAVING,
	// where columns may appear only inside aggregates or as groupKeys.
	agg       bool
	groupKeys []Expr
}

// gen is the expression generator: a seeded source, the schema, the
// features used (for the report), and how deep expressions may nest.
type gen struct {
	r        *rand.Rand
	s        *Schema
	features map[string]bool
	aliasN   int
	// subqDepth counts enclosing subqueries.
	subqDepth int
	// noSubq turns off subqueries (inside join conditions, say).
	noSubq bool
}

func (g *gen) feat(f string) { g.features[f] = true }

func (g *gen) oneIn(n int) bool { return g.r.IntN(n) == 0 }

func (g *gen) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }

// anyKind draws a kind for an expression: one of the later kinds
// (timestamps, jsonb, arrays) a quarter of the time.
func (g *gen) anyKind() Kind {
	if g.oneIn(4) {
		return firstNewKind + Kind(g.r.IntN(int(numKinds-firstNewKind)))
	}
	return Kind(g.r.IntN(int(firstNewKind)))
}

func (g *gen) newAlias(prefix string) string {
	g.aliasN++
	return fmt.Sprintf("%s%d", prefix, g.aliasN)
}

// colsOf returns the scope's columns of kind k (all kinds when k < 0).
func (sc *scope) colsOf(k Kind) []colRef {
	var out []colRef
	for _, c := range sc.cols {
		if k < 0 || c.Col.Type.Kind == k {
			out = append(out, c)
		}
	}
	return out
}

// kindsIn lists the kinds that have a column in scope.
func (sc *scope) kindsIn() []Kind {
	seen := map[Kind]bool{}
	var out []Kind
	for _, c := range sc.cols {
		if k := c.Col.Type.Kind; !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

// leaf is a column of kind k from the scope (or the enclosing one), or a
// constant.
func (g *gen) leaf(sc *scope, k Kind) Expr {
	if sc.agg {
		// Only group keys (or constants) outside aggregates.
		var keys []Expr
		for _, e := range sc.groupKeys {
			if e.T.Kind == k {
				keys = append(keys, e)
			}
		}
		if len(keys) > 0 && g.oneIn(2) {
			return keys[g.r.IntN(len(keys))]
		}
		if sc.outer != nil && !g.oneIn(4) {
			return g.aggregate(sc.outer, k)
		}
		return g.constant(k)
	}
	cols := sc.colsOf(k)
	if sc.outer != nil && !g.oneIn(3) {
		if oc := sc.outer.colsOf(k); len(oc) > 0 && g.oneIn(3) {
			g.feat("correlated-ref")
			return oc[g.r.IntN(len(oc))].expr()
		}
	}
	if len(cols) > 0 && !g.oneIn(5) {
		return cols[g.r.IntN(len(cols))].expr()
	}
	return g.constant(k)
}

// constant is a literal of kind k.
func (g *gen) constant(k Kind) Expr {
	switch k {
	case KInt:
		v := []int64{0, 1, 2, 3, -1, 5, 7, 10, 42, 100, -50, 1000}[g.r.IntN(12)]
		return Expr{SQL: intLit(v), T: tInt4, Bound: math.Abs(float64(v))}
	case KNumeric:
		scale := g.r.IntN(3)
		units := g.r.Int64N(2001) - 1000
		if scale == 0 && g.oneIn(2) {
			scale = 1
		}
		s := numericLit(units, scale)
		if units < 0 {
			s = "(" + s + ")"
		}
		return Expr{SQL: s, T: tNumeric(scale), Bound: math.Abs(float64(units))}
	case KFloat:
		v := float64(g.r.IntN(81)-40) / 4
		if g.oneIn(6) {
			v = []float64{0.1, 1e-3, 3.3, 1e6}[g.r.IntN(4)]
		}
		return Expr{SQL: "(" + floatLit(v) + ")::float8", T: tFloat8, Bound: math.Abs(v)}
	case KText:
		if g.oneIn(3) {
			return Expr{SQL: quote(g.pick([]string{"a", "b", "", "ab", "x", "%"})), T: tText}
		}
		return Expr{SQL: quote(textWords[g.r.IntN(len(textWords))]), T: tText}
	case KBool:
		return Expr{SQL: g.pick([]string{"true", "false"}), T: tBool}
	case KDate:
		if g.oneIn(4) {
			return Expr{SQL: "DATE " + quote(specialDates[g.r.IntN(len(specialDates))]), T: tDate}
		}
		return Expr{SQL: "DATE " + quote(dateValue(g.r.IntN(9000)-1000)), T: tDate}
	case KTimestamp, KTimestamptz:
		return g.datetimeConstant(k)
	case KJsonb:
		return g.jsonbConstant()
	case KIntArray, KTextArray:
		return g.arrayConstant(k)
	}
	panic("kind")
}

func intLit(v int64) string {
	if v < 0 {
		return "(" + strconv.FormatInt(v, 10) + ")"
	}
	return strconv.FormatInt(v, 10)
}

// wider is the common type of two ints (PostgreSQL's promotion).
func wider(a, b Type) Type {
	rank := map[string]int{"int2": 0, "int4": 1, "int8": 2}
	if rank[a.Name] >= rank[b.Name] {
		return a
	}
	return b
}

// common is the type PostgreSQL gives CASE/COALESCE over a and b of one
// kind.
func common(a, b Type) Type {
	switch a.Kind {
	case KInt:
		return wider(a, b)
	case KNumeric:
		if a.Scale == b.Scale {
			return tNumeric(a.Scale)
		}
		return tNumeric(-1)
	case KText:
		if a.Name == b.Name && a.Len == b.Len {
			return a
		}
		return tText
	}
	return a
}

// expr makes an expression of kind k, nesting at most depth levels.
func (g *gen) expr(sc *scope, k Kind, depth int) Expr {
	if k == KBool {
		return Expr{SQL: g.pred(sc, depth), T: tBool}
	}
	if depth <= 0 || g.oneIn(3) {
		return g.leaf(sc, k)
	}
	switch g.r.IntN(10) {
	case 0:
		g.feat("case")
		a, b := g.expr(sc, k, depth-1), g.expr(sc, k, depth-1)
		if g.oneIn(4) {
			// simple CASE
			x := g.expr(sc, k, depth-1)
			return Expr{SQL: fmt.Sprintf("CASE %s WHEN %s THEN %s ELSE %s END", x.SQL, g.expr(sc, k, 0).SQL, a.SQL, b.SQL), T: common(a.T, b.T), Bound: max(a.Bound, b.Bound)}
		}
		if g.oneIn(4) {
			return Expr{SQL: fmt.Sprintf("CASE WHEN %s THEN %s END", g.pred(sc, depth-1), a.SQL), T: a.T, Bound: a.Bound}
		}
		return Expr{SQL: fmt.Sprintf("CASE WHEN %s THEN %s ELSE %s END", g.pred(sc, depth-1), a.SQL, b.SQL), T: common(a.T, b.T), Bound: max(a.Bound, b.Bound)}
	case 1:
		g.feat("coalesce")
		a, b := g.expr(sc, k, depth-1), g.expr(sc, k, depth-1)
		return Expr{SQL: fmt.Sprintf("COALESCE(%s, %s)", a.SQL, b.SQL), T: common(a.T, b.T), Bound: max(a.Bound, b.Bound)}
	case 2:
		g.feat("nullif")
		a, b := g.expr(sc, k, depth-1), g.expr(sc, k, 0)
		return Expr{SQL: fmt.Sprintf("NULLIF(%s, %s)", a.SQL, b.SQL), T: a.T, Bound: a.Bound}
	case 3:
		if !g.noSubq && g.subqDepth < 2 && !sc.agg && g.oneIn(3) {
			if e, ok := g.scalarSubquery(sc, k); ok {
				return e
			}
		}
		if g.oneIn(2) && k != KBool {
			g.feat("greatest-least")
			a, b := g.expr(sc, k, depth-1), g.expr(sc, k, depth-1)
			return Expr{SQL: fmt.Sprintf("%s(%s, %s)", g.pick([]string{"GREATEST", "LEAST"}), a.SQL, b.SQL), T: common(a.T, b.T), Bound: max(a.Bound, b.Bound)}
		}
	}
	switch k {
	case KInt:
		return g.intExpr(sc, depth)
	case KNumeric:
		return g.numericExpr(sc, depth)
	case KFloat:
		return g.floatExpr(sc, depth)
	case KText:
		return g.textExpr(sc, depth)
	case KDate:
		return g.dateExpr(sc, depth)
	case KTimestamp, KTimestamptz:
		return g.timestampExpr(sc, k, depth)
	case KJsonb:
		return g.jsonbExpr(sc, depth)
	case KIntArray, KTextArray:
		return g.arrayExpr(sc, k, depth)
	}
	return g.leaf(sc, k)
}

// arith combines two numbers with + - * when the result stays within
// limit (a fraction of the result type's range).
func (g *gen) arith(a, b Expr, t Type, limit float64) (Expr, bool) {
	ops := []string{"+", "-", "*"}
	op := ops[g.r.IntN(3)]
	var bound float64
	switch op {
	case "+", "-":
		bound = a.Bound + b.Bound
	case "*":
		bound = a.Bound * b.Bound
	}
	if bound > limit {
		if op == "*" {
			op = "+"
			bound = a.Bound + b.Bound
		}
		if bound > limit {
			return Expr{}, false
		}
	}
	g.feat("arith")
	return Expr{SQL: fmt.Sprintf("(%s %s %s)", a.SQL, op, b.SQL), T: t, Bound: bound}, true
}

func (g *gen) intExpr(sc *scope, depth int) Expr {
	switch g.r.IntN(11) {
	case 0, 1, 2:
		a, b := g.expr(sc, KInt, depth-1), g.expr(sc, KInt, depth-1)
		t := wider(a.T, b.T)
		if e, ok := g.arith(a, b, t, intMax(t)/4); ok {
			return e
		}
		return a
	case 3:
		a, b := g.expr(sc, KInt, depth-1), g.expr(sc, KInt, depth-1)
		t := wider(a.T, b.T)
		if a.Bound >= intMax(t)/2 {
			return a
		}
		if g.oneIn(8) {
			g.feat("division-may-fail")
			return Expr{SQL: fmt.Sprintf("(%s %s %s)", a.SQL, g.pick([]string{"/", "%"}), b.SQL), T: t, Bound: a.Bound}
		}
		g.feat("int-division")
		return Expr{SQL: fmt.Sprintf("(%s %s NULLIF(%s, 0))", a.SQL, g.pick([]string{"/", "%"}), b.SQL), T: t, Bound: a.Bound}
	case 4:
		a := g.expr(sc, KInt, depth-1)
		g.feat("abs-neg")
		if g.oneIn(2) {
			return Expr{SQL: fmt.Sprintf("abs(%s)", a.SQL), T: a.T, Bound: a.Bound}
		}
		return Expr{SQL: fmt.Sprintf("(- %s)", a.SQL), T: a.T, Bound: a.Bound}
	case 5:
		g.feat("string-func")
		s := g.expr(sc, KText, depth-1)
		switch g.r.IntN(3) {
		case 0:
			return Expr{SQL: fmt.Sprintf("length(%s)", s.SQL), T: tInt4, Bound: 100}
		case 1:
			return Expr{SQL: fmt.Sprintf("strpos(%s, %s)", s.SQL, quote(g.pick([]string{"a", "b", "", "_", "ab"}))), T: tInt4, Bound: 100}
		}
		return Expr{SQL: fmt.Sprintf("octet_length(%s)", s.SQL), T: tInt4, Bound: 100}
	case 6:
		g.feat("date-diff")
		a, b := g.expr(sc, KDate, depth-1), g.expr(sc, KDate, depth-1)
		return Expr{SQL: fmt.Sprintf("(%s - %s)", a.SQL, b.SQL), T: tInt4, Bound: 60000}
	case 7:
		g.feat("cast")
		a := g.expr(sc, KInt, depth-1)
		t := []Type{tInt2, tInt4, tInt8}[g.r.IntN(3)]
		if a.Bound >= intMax(t) {
			t = tInt8
		}
		return Expr{SQL: fmt.Sprintf("CAST(%s AS %s)", a.SQL, t.Name), T: t, Bound: a.Bound}
	case 9:
		return g.arrayInt(sc, depth)
	case 10:
		if g.oneIn(2) {
			return g.jsonbArrayLength(sc, depth)
		}
	}
	return g.leaf(sc, KInt)
}

func (g *gen) numericExpr(sc *scope, depth int) Expr {
	switch g.r.IntN(9) {
	case 0, 1, 2:
		a := g.expr(sc, KNumeric, depth-1)
		var b Expr
		if g.oneIn(3) {
			b = g.expr(sc, KInt, depth-1)
			b.T = tNumeric(0)
		} else {
			b = g.expr(sc, KNumeric, depth-1)
		}
		e, ok := g.arith(a, b, tNumeric(-1), 1e15)
		if !ok {
			return a
		}
		if a.T.Scale >= 0 && b.T.Scale >= 0 {
			if strings.Contains(e.SQL, " * ") {
				e.T = tNumeric(a.T.Scale + b.T.Scale)
			} else {
				e.T = tNumeric(max(a.T.Scale, b.T.Scale))
			}
		}
		return e
	case 3:
		g.feat("round")
		a := g.expr(sc, KNumeric, depth-1)
		fn := g.pick([]string{"round", "trunc"})
		if g.oneIn(3) {
			return Expr{SQL: fmt.Sprintf("%s(%s)", fn, a.SQL), T: tNumeric(0), Bound: a.Bound + 1}
		}
		d := g.r.IntN(4) - 1
		return Expr{SQL: fmt.Sprintf("%s(%s, %d)", fn, a.SQL, d), T: tNumeric(max(d, 0)), Bound: a.Bound + 10}
	case 4:
		g.feat("abs-neg")
		a := g.expr(sc, KNumeric, depth-1)
		if g.oneIn(2) {
			return Expr{SQL: fmt.Sprintf("abs(%s)", a.SQL), T: a.T, Bound: a.Bound}
		}
		return Expr{SQL: fmt.Sprintf("(- %s)", a.SQL), T: a.T, Bound: a.Bound}
	case 5:
		g.feat("numeric-division")
		a, b := g.expr(sc, KNumeric, depth-1), g.expr(sc, KNumeric, depth-1)
		return Expr{SQL: fmt.Sprintf("(%s / NULLIF(%s, 0))", a.SQL, b.SQL), T: tNumeric(-1), Bound: 1e15}
	case 6:
		g.feat("extract")
		if g.oneIn(2) {
			return g.extractDatetime(sc, depth)
		}
		d := g.expr(sc, KDate, depth-1)
		return Expr{SQL: fmt.Sprintf("EXTRACT(%s FROM %s)", g.pick([]string{"year", "month", "day", "dow", "doy", "quarter", "isodow", "week"}), d.SQL), T: tNumeric(0), Bound: 3000}
	case 7:
		g.feat("cast")
		a := g.expr(sc, KInt, depth-1)
		if g.oneIn(2) {
			return Expr{SQL: fmt.Sprintf("CAST(%s AS numeric(20,2))", a.SQL), T: tNumeric(2), Bound: a.Bound}
		}
		return Expr{SQL: fmt.Sprintf("CAST(%s AS numeric)", a.SQL), T: tNumeric(0), Bound: a.Bound}
	case 8:
		a := g.expr(sc, []Kind{KNumeric, KNumeric, KInt, KFloat}[g.r.IntN(4)], depth-1)
		if e, ok := g.numericTypmod(a); ok {
			return e
		}
		return a
	}
	return g.leaf(sc, KNumeric)
}

func (g *gen) floatExpr(sc *scope, depth int) Expr {
	switch g.r.IntN(8) {
	case 0, 1, 2:
		a := g.expr(sc, KFloat, depth-1)
		var b Expr
		if g.oneIn(3) {
			b = g.expr(sc, KInt, depth-1)
		} else {
			b = g.expr(sc, KFloat, depth-1)
		}
		if e, ok := g.arith(a, b, tFloat8, 1e100); ok {
			return e
		}
		return a
	case 3:
		g.feat("float-division")
		a, b := g.expr(sc, KFloat, depth-1), g.expr(sc, KFloat, depth-1)
		return Expr{SQL: fmt.Sprintf("(%s / NULLIF(%s, 0))", a.SQL, b.SQL), T: tFloat8, Bound: 1e100}
	case 4:
		g.feat("math-func")
		a := g.expr(sc, KFloat, depth-1)
		fn := g.pick([]string{"abs", "floor", "ceil", "round", "trunc"})
		return Expr{SQL: fmt.Sprintf("%s(%s)", fn, a.SQL), T: tFloat8, Bound: a.Bound + 1}
	case 5:
		g.feat("math-func")
		a := g.expr(sc, KFloat, depth-1)
		return Expr{SQL: fmt.Sprintf("sqrt(abs(%s))", a.SQL), T: tFloat8, Bound: math.Sqrt(a.Bound) + 1}
	case 6:
		g.feat("cast")
		k := []Kind{KInt, KNumeric}[g.r.IntN(2)]
		a := g.expr(sc, k, depth-1)
		return Expr{SQL: fmt.Sprintf("CAST(%s AS float8)", a.SQL), T: tFloat8, Bound: a.Bound}
	case 7:
		if g.oneIn(2) {
			return g.datePartDatetime(sc, depth)
		}
		g.feat("date-part")
		d := g.expr(sc, KDate, depth-1)
		return Expr{SQL: fmt.Sprintf("date_part(%s, %s)", quote(g.pick([]string{"year", "month", "day", "dow", "doy"})), d.SQL), T: tFloat8, Bound: 3000}
	}
	return g.leaf(sc, KFloat)
}

func (g *gen) textExpr(sc *scope, depth int) Expr {
	sub := func() string { return g.expr(sc, KText, depth-1).SQL }
	g.feat("string-func")
	switch g.r.IntN(20) {
	case 0, 1:
		g.feat("concat-op")
		return Expr{SQL: fmt.Sprintf("(%s || %s)", sub(), sub()), T: tText}
	case 2:
		return Expr{SQL: fmt.Sprintf("%s(%s)", g.pick([]string{"upper", "lower"}), sub()), T: tText}
	case 3:
		if g.oneIn(2) {
			return Expr{SQL: fmt.Sprintf("substr(%s, %d)", sub(), g.r.IntN(5)-1), T: tText}
		}
		return Expr{SQL: fmt.Sprintf("substr(%s, %d, %d)", sub(), g.r.IntN(5)-1, g.r.IntN(4)), T: tText}
	case 4:
		return Expr{SQL: fmt.Sprintf("%s(%s, %d)", g.pick([]string{"left", "right"}), sub(), g.r.IntN(7)-2), T: tText}
	case 5:
		if g.oneIn(2) {
			return Expr{SQL: fmt.Sprintf("%s(%s)", g.pick([]string{"trim", "ltrim", "rtrim", "btrim"}), sub()), T: tText}
		}
		return Expr{SQL: fmt.Sprintf("%s(%s, %s)", g.pick([]string{"ltrim", "rtrim", "btrim"}), sub(), quote(g.pick([]string{"a", "ab", " ", "x_"}))), T: tText}
	case 6:
		return Expr{SQL: fmt.Sprintf("replace(%s, %s, %s)", sub(), quote(g.pick([]string{"a", "b", "", "ab", "%"})), quote(g.pick([]string{"", "x", "AB"}))), T: tText}
	case 7:
		return Expr{SQL: fmt.Sprintf("reverse(%s)", sub()), T: tText}
	case 8:
		return Expr{SQL: fmt.Sprintf("%s(%s, %d, %s)", g.pick([]string{"lpad", "rpad"}), sub(), g.r.IntN(7), quote(g.pick([]string{"*", "ab"}))), T: tText}
	case 9:
		return Expr{SQL: fmt.Sprintf("repeat(%s, %d)", sub(), g.r.IntN(4)), T: tText}
	case 10:
		if g.oneIn(2) {
			return Expr{SQL: fmt.Sprintf("concat(%s, %s)", sub(), sub()), T: tText}
		}
		return Expr{SQL: fmt.Sprintf("concat_ws(%s, %s, %s)", quote(g.pick([]string{",", ""})), sub(), sub()), T: tText}
	case 11:
		g.feat("cast-to-text")
		k := []Kind{KInt, KDate, KNumeric, KBool, KTimestamp, KTimestamptz, KJsonb, KIntArray, KTextArray}[g.r.IntN(9)]
		return Expr{SQL: fmt.Sprintf("CAST(%s AS text)", g.expr(sc, k, depth-1).SQL), T: tText}
	case 12:
		g.feat("cast-to-text")
		return Expr{SQL: fmt.Sprintf("CAST(%s AS text)", g.expr(sc, KFloat, depth-1).SQL), T: tText}
	case 14, 15:
		return g.jsonbText(sc, depth)
	case 16, 17:
		return g.arrayText(sc, depth)
	case 18, 19:
		return g.datetimeText(sc, depth)
	}
	return g.leaf(sc, KText)
}

func (g *gen) dateExpr(sc *scope, depth int) Expr {
	g.feat("date-arith")
	switch g.r.IntN(4) {
	case 0, 1:
		d := g.expr(sc, KDate, depth-1)
		n := intLit(int64(g.r.IntN(801) - 400))
		if g.oneIn(3) {
			if cols := sc.colsOf(KInt); len(cols) > 0 && !sc.agg {
				c := cols[g.r.IntN(len(cols))]
				if c.Col.Type.Name != "int8" && c.Col.Bound <= 100000 {
					n = c.expr().SQL
				}
			}
		}
		return Expr{SQL: fmt.Sprintf("(%s %s %s)", d.SQL, g.pick([]string{"+", "-"}), n), T: tDate}
	case 2:
		g.feat("date-trunc")
		d := g.expr(sc, KDate, depth-1)
		return Expr{SQL: fmt.Sprintf("CAST(date_trunc(%s, %s) AS date)", quote(g.pick([]string{"month", "year", "quarter", "week"})), d.SQL), T: tDate}
	case 3:
		if g.oneIn(2) {
			return g.datetimeDate(sc, depth)
		}
	}
	return g.leaf(sc, KDate)
}

// likePatterns match (or just miss) the text column words.
var likePatterns = []string{"%a%", "a%", "%b", "_", "__", "%", "", "a_c", "x\\_y", "x\\%y", "%\\%", "foo%", "F%", "%_%", "ab%", "%o%", "A%", "_b%", "%é%"}

// numberKinds are the kinds that compare with each other.
var numberKinds = []Kind{KInt, KNumeric, KFloat}

// comparableKind picks a kind for a comparison and the kind of its
// other side.
func (g *gen) comparableKind(sc *scope) (Kind, Kind) {
	ks := sc.kindsIn()
	if sc.agg || len(ks) == 0 || g.oneIn(6) {
		ks = []Kind{g.anyKind()}
	}
	k := ks[g.r.IntN(len(ks))]
	if k == KBool && !g.oneIn(3) {
		k = KInt
	}
	other := k
	switch {
	case (k == KInt || k == KNumeric || k == KFloat) && g.oneIn(4):
		g.feat("mixed-number-compare")
		other = numberKinds[g.r.IntN(3)]
	case isDatetime(k) && g.oneIn(3):
		// date, timestamp and timestamptz compare through the
		// session's zone
		other = g.pickKind(datetimeKinds...)
		if other != k {
			g.feat("mixed-datetime-compare")
		}
	}
	return k, other
}

var cmpOps = []string{"=", "<>", "<", "<=", ">", ">="}

// pred makes a boolean expression.
func (g *gen) pred(sc *scope, depth int) string {
	if depth <= 0 {
		return g.simplePred(sc, 0)
	}
	switch g.r.IntN(16) {
	case 0, 1:
		g.feat("and-or")
		return fmt.Sprintf("(%s %s %s)", g.pred(sc, depth-1), g.pick([]string{"AND", "OR"}), g.pred(sc, depth-1))
	case 2:
		g.feat("not")
		return fmt.Sprintf("(NOT %s)", g.pred(sc, depth-1))
	case 3:
		if !g.noSubq && g.subqDepth < 2 && !sc.agg {
			if p, ok := g.subqueryPred(sc); ok {
				return p
			}
		}
	case 4:
		g.feat("case")
		return fmt.Sprintf("CASE WHEN %s THEN %s ELSE %s END", g.pred(sc, depth-1), g.pred(sc, depth-1), g.pred(sc, depth-1))
	case 5:
		g.feat("is-true")
		return fmt.Sprintf("(%s IS %s)", g.pred(sc, depth-1), g.pick([]string{"TRUE", "NOT TRUE", "FALSE", "NOT FALSE", "UNKNOWN", "NOT UNKNOWN"}))
	}
	return g.simplePred(sc, depth-1)
}

// simplePred is a predicate that is not a boolean combination; its
// operands nest at most depth levels.
func (g *gen) simplePred(sc *scope, depth int) string {
	depth = max(depth, 0)
	k, other := g.comparableKind(sc)
	if g.oneIn(2) {
		switch k {
		case KJsonb:
			return g.jsonbPred(sc, depth)
		case KIntArray, KTextArray:
			return g.arrayPred(sc, k, depth)
		}
	}
	switch g.r.IntN(12) {
	case 0:
		g.feat("is-null")
		return fmt.Sprintf("(%s IS %sNULL)", g.expr(sc, k, depth).SQL, g.pick([]string{"", "NOT "}))
	case 1:
		if k == KBool {
			break
		}
		g.feat("between")
		x, a, b := g.expr(sc, k, depth), g.expr(sc, other, 0), g.expr(sc, other, 0)
		not := g.pick([]string{"", "NOT "})
		if g.oneIn(5) {
			g.feat("between-symmetric")
			return fmt.Sprintf("(%s %sBETWEEN SYMMETRIC %s AND %s)", x.SQL, not, a.SQL, b.SQL)
		}
		return fmt.Sprintf("(%s %sBETWEEN %s AND %s)", x.SQL, not, a.SQL, b.SQL)
	case 2:
		g.feat("in-list")
		x := g.expr(sc, k, depth)
		var items []string
		for range 1 + g.r.IntN(4) {
			items = append(items, g.expr(sc, k, 0).SQL)
		}
		if g.oneIn(4) {
			g.feat("in-list-null")
			items = append(items, "NULL")
		}
		not := g.pick([]string{"", "NOT "})
		if not != "" {
			g.feat("not-in-list")
		}
		return fmt.Sprintf("(%s %sIN (%s))", x.SQL, not, strings.Join(items, ", "))
	case 3, 4:
		if k != KText {
			if cols := sc.colsOf(KText); len(cols) == 0 || sc.agg {
				break
			}
		}
		g.feat("like")
		s := g.expr(sc, KText, depth)
		op := g.pick([]string{"LIKE", "NOT LIKE", "LIKE", "ILIKE", "NOT ILIKE"})
		if strings.Contains(op, "ILIKE") {
			g.feat("ilike")
		}
		return fmt.Sprintf("(%s %s %s)", s.SQL, op, quote(g.pick(likePatterns)))
	case 5:
		g.feat("is-distinct")
		a, b := g.expr(sc, k, depth), g.expr(sc, other, depth)
		return fmt.Sprintf("(%s IS %sDISTINCT FROM %s)", a.SQL, g.pick([]string{"", "NOT "}), b.SQL)
	case 6:
		if cols := sc.colsOf(KBool); len(cols) > 0 && !sc.agg {
			return cols[g.r.IntN(len(cols))].expr().SQL
		}
	}
	a, b := g.expr(sc, k, depth), g.expr(sc, other, depth)
	if k == KBool {
		return fmt.Sprintf("(%s %s %s)", a.SQL, g.pick([]string{"=", "<>"}), b.SQL)
	}
	return fmt.Sprintf("(%s %s %s)", a.SQL, g.pick(cmpOps), b.SQL)
}

// numericTypmods are numeric(p,s) casts: negative scales and scales
// beyond the precision are PostgreSQL 15's.
var numericTypmods = [][2]int{{10, 2}, {12, 4}, {8, 0}, {15, 5}, {6, 3}, {20, 6}, {5, -2}, {4, 6}, {30, 10}, {3, 0}, {7, -1}}

// numericTypmod casts a to a numeric(p,s) that holds it: its bound plus
// the unit rounding may add stays below 10^(p-s), so no cast overflows.
func (g *gen) numericTypmod(a Expr) (Expr, bool) {
	for _, i := range g.r.Perm(len(numericTypmods)) {
		p, s := numericTypmods[i][0], numericTypmods[i][1]
		if a.Bound+math.Pow(10, float64(-s)) >= math.Pow(10, float64(p-s)) {
			continue
		}
		g.feat("numeric-typmod")
		return Expr{SQL: fmt.Sprintf("CAST(%s AS numeric(%d,%d))", a.SQL, p, s), T: tNumeric(max(s, 0)), Bound: a.Bound + math.Pow(10, float64(-s))}, true
	}
	return Expr{}, false
}
