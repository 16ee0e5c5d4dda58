package difftest

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"sort"
	"strings"
)

// reColRef finds a column reference of the outer query.
var reColRef = regexp.MustCompile(`\bx[0-9]+\.`)

// maxJoinRows bounds the estimated rows of a join without an equality
// on a unique column; above it, a join must match the new table's id.
const maxJoinRows = 20000

// maxCorrelatedWork bounds outer rows × inner rows of a correlated
// subquery, which may run once per outer row.
const maxCorrelatedWork = 100000

func newGen(r *rand.Rand, s *Schema) *gen {
	return &gen{r: r, s: s, features: map[string]bool{}}
}

// from makes a FROM clause of 1-3 items (tables mostly, see
// from_items.go) and its scope.
func (g *gen) from(outer *scope, maxTables int) ([]FromItem, *scope) {
	n := 1
	switch x := g.r.IntN(10); {
	case x >= 8 && maxTables >= 3:
		n = 3
	case x >= 4 && maxTables >= 2:
		n = 2
	}
	sc := &scope{outer: outer, rows: 1}
	// seg is the items since the last comma: a comma binds looser than
	// JOIN, so an ON clause sees only those.
	seg := &scope{outer: outer}
	var items []FromItem
	for i := range n {
		src := g.source(i == 0, sc, seg)
		fi := src.item
		newCols := src.cols
		rows := src.rows
		if i == 0 {
			sc.cols = newCols
			seg.cols = newCols
			sc.rows = rows
			items = append(items, fi)
			continue
		}
		joined := &scope{cols: append(append([]colRef(nil), sc.cols...), newCols...), outer: outer}
		if src.lateral {
			fi.Join = src.join
		} else {
			fi.Join = g.pick([]string{",", "JOIN", "JOIN", "LEFT JOIN", "LEFT JOIN", "RIGHT JOIN", "CROSS JOIN", "FULL JOIN"})
			if fi.Join == "FULL JOIN" && !g.oneIn(3) {
				fi.Join = "LEFT JOIN"
			}
			if (fi.Join == "RIGHT JOIN" || fi.Join == "FULL JOIN") && len(seg.cols) < len(sc.cols) && sc.rows*rows > maxJoinRows {
				// After a comma, every row of the new item comes out
				// once per row of the items before the comma, whatever
				// the equality: the join would be huge.
				fi.Join = "LEFT JOIN"
			}
		}
		g.feat(strings.ToLower(strings.ReplaceAll(fi.Join, " ", "-")))
		if fi.Join == "," {
			g.feat("comma-join")
		}
		est := sc.rows * rows
		var eq string
		// A FULL JOIN always gets an equality: without one PostgreSQL
		// refuses it (0A000), or not, depending on how it plans the rest.
		// A lateral item is small by construction (from_items.go).
		if !src.lateral && (fi.Join == "FULL JOIN" || est > maxJoinRows || !g.oneIn(4)) {
			on := seg
			if fi.Join == "," || fi.Join == "CROSS JOIN" {
				on = sc
			}
			if est > maxJoinRows && src.hasID {
				// new.id = an int column of the items before
				ints := on.colsOf(KInt)
				if len(ints) == 0 {
					// the items since the comma have no int column:
					// join with a comma, so that all before are in
					// reach
					fi.Join, ints = ",", sc.colsOf(KInt)
				}
				if len(ints) > 0 {
					c := ints[g.r.IntN(len(ints))]
					eq = fmt.Sprintf("%s.id = %s", fi.Alias, c.expr().SQL)
					est = sc.rows + rows
				}
			} else if eq = g.joinEquality(on, newCols); eq != "" {
				est = max(sc.rows, rows) * 3
			}
		}
		if eq == "" && fi.Join == "FULL JOIN" {
			fi.Join = "LEFT JOIN"
		}
		if eq == "" && fi.Join != "," && fi.Join != "CROSS JOIN" && est > maxJoinRows {
			fi.Join = "JOIN"
		}
		if fi.Join == "CROSS JOIN" && eq != "" {
			fi.Join = ","
		}
		fi.Eq = eq
		var conds []string
		if fi.Join != "," && fi.Join != "CROSS JOIN" && g.oneIn(2) {
			g.feat("join-extra-on")
			saved := g.noSubq
			g.noSubq = !g.oneIn(8)
			onScope := &scope{cols: append(append([]colRef(nil), seg.cols...), newCols...), outer: outer, rows: est}
			conds = append(conds, g.pred(onScope, 1+g.r.IntN(2)))
			g.noSubq = saved
		}
		fi.On = conds
		items = append(items, fi)
		if fi.Join == "," || fi.Join == "CROSS JOIN" {
			seg.cols = newCols
		} else {
			seg.cols = append(append([]colRef(nil), seg.cols...), newCols...)
		}
		sc = joined
		sc.rows = est
	}
	return items, sc
}

// joinEquality is old.col = new.col over a kind both sides have, or ""
// when they have none.
func (g *gen) joinEquality(sc *scope, newCols []colRef) string {
	for range 8 {
		nc := newCols[g.r.IntN(len(newCols))]
		olds := sc.colsOf(nc.Col.Type.Kind)
		if len(olds) == 0 || nc.Col.Type.Kind == KBool {
			continue
		}
		oc := olds[g.r.IntN(len(olds))]
		return fmt.Sprintf("%s = %s", oc.expr().SQL, nc.expr().SQL)
	}
	for _, nc := range newCols {
		if olds := sc.colsOf(nc.Col.Type.Kind); len(olds) > 0 && nc.Col.Type.Kind != KBool {
			return fmt.Sprintf("%s = %s", olds[0].expr().SQL, nc.expr().SQL)
		}
	}
	return ""
}

// whereFromJoins moves comma and cross join conditions (but their
// equality) to WHERE.
func whereFromJoins(items []FromItem) []string {
	var w []string
	for i := range items {
		if items[i].Join == "," || items[i].Join == "CROSS JOIN" {
			w = append(w, items[i].On...)
			items[i].On = nil
		}
	}
	return w
}

// GenQuery makes one random query; sc is the scope of its (first)
// FROM clause, for the oracles' extra predicates.
func GenQuery(r *rand.Rand, s *Schema) (*Query, *gen, *scope) {
	g := newGen(r, s)
	q := &Query{Limit: -1}
	var sc *scope
	switch x := g.r.IntN(20); {
	case x < 8:
		q.Shape = "select"
		q.Sel, sc = g.simpleSelect(nil, nil)
	case x < 14:
		q.Shape = "aggregate"
		q.Sel, sc = g.aggSelect()
	case x < 16:
		q.Shape = "window"
		q.Sel, sc = g.windowSelect()
	default:
		q.Shape = "setop"
		q.SetOp = g.pick([]string{"UNION", "UNION ALL", "INTERSECT", "INTERSECT ALL", "EXCEPT", "EXCEPT ALL"})
		g.feat(strings.ToLower(strings.ReplaceAll(q.SetOp, " ", "-")))
		nk := 1 + g.r.IntN(3)
		var kinds []Kind
		for range nk {
			kinds = append(kinds, g.anyKind())
		}
		q.Sel, sc = g.simpleSelect(nil, kinds)
		right, _ := g.simpleSelect(nil, kinds)
		q.Right = &right
	}
	if g.oneIn(3) {
		g.feat("order-by")
		n := len(q.Sel.Items)
		perm := g.r.Perm(n)
		for _, p := range perm {
			o := OrderTerm{Pos: p + 1, Desc: g.oneIn(2)}
			if g.oneIn(3) {
				o.Nulls = g.pick([]string{"NULLS FIRST", "NULLS LAST"})
			}
			q.OrderBy = append(q.OrderBy, o)
		}
		if g.oneIn(2) {
			g.feat("limit")
			q.Limit = g.r.IntN(20)
			if g.oneIn(3) {
				q.Offset = g.r.IntN(10)
			}
		}
	}
	q.Features = g.featureList()
	return q, g, sc
}

func (g *gen) featureList() []string {
	var f []string
	for k := range g.features {
		f = append(f, k)
	}
	sort.Strings(f)
	return f
}

// simpleSelect makes SELECT [DISTINCT] items FROM ... WHERE ...; kinds,
// when given, are the kinds of its items (for set operations).
func (g *gen) simpleSelect(outer *scope, kinds []Kind) (Select, *scope) {
	var s Select
	var sc *scope
	s.From, sc = g.from(outer, 3)
	s.Where = whereFromJoins(s.From)
	if kinds == nil {
		for range 1 + g.r.IntN(4) {
			kinds = append(kinds, g.anyKind())
		}
	}
	for _, k := range kinds {
		s.Items = append(s.Items, g.selectItem(sc, k))
	}
	for range g.r.IntN(3) {
		s.Where = append(s.Where, g.pred(sc, 1+g.r.IntN(2)))
	}
	if g.oneIn(5) {
		g.feat("distinct")
		s.Distinct = true
	}
	return s, sc
}

// selectItem is a select list's item of kind k: an expression, or now
// and then a set-returning function (from_items.go).
func (g *gen) selectItem(sc *scope, k Kind) Expr {
	if g.oneIn(15) {
		if e, ok := g.srfItem(sc, k); ok {
			return e
		}
	}
	return g.expr(sc, k, g.r.IntN(3))
}

// aggSelect makes SELECT keys, aggregates FROM ... WHERE ... GROUP BY
// keys HAVING ..., or a scalar aggregate without GROUP BY.
func (g *gen) aggSelect() (Select, *scope) {
	var s Select
	var sc *scope
	s.From, sc = g.from(nil, 3)
	s.Where = whereFromJoins(s.From)
	for range g.r.IntN(3) {
		s.Where = append(s.Where, g.pred(sc, 1+g.r.IntN(2)))
	}
	asc := &scope{agg: true, outer: sc, rows: sc.rows}
	nkeys := g.r.IntN(3)
	if nkeys > 0 {
		g.feat("group-by")
	}
	for range nkeys {
		k := g.anyKind()
		e := g.expr(sc, k, g.r.IntN(2))
		for range 5 {
			if reColRef.MatchString(e.SQL) && !strings.Contains(e.SQL, "SELECT") {
				break
			}
			e = g.expr(sc, k, g.r.IntN(2))
		}
		if !reColRef.MatchString(e.SQL) {
			cols := sc.colsOf(-1)
			e = cols[g.r.IntN(len(cols))].expr()
		}
		if e.T.Kind == KBool {
			// a group key that is a predicate needs its own parentheses
			e.SQL = "(" + e.SQL + ")"
		}
		asc.groupKeys = append(asc.groupKeys, e)
		s.GroupBy = append(s.GroupBy, e.SQL)
		if !g.oneIn(4) {
			s.Items = append(s.Items, e)
		}
	}
	for range 1 + g.r.IntN(3) {
		s.Items = append(s.Items, g.aggregate(sc, g.anyKind()))
	}
	if nkeys > 0 && g.oneIn(4) {
		var keys []string
		for _, k := range asc.groupKeys {
			keys = append(keys, k.SQL)
		}
		s.GroupBy = g.groupingSets(keys)
		if g.oneIn(2) {
			s.Items = append(s.Items, Expr{SQL: "grouping(" + strings.Join(keys, ", ") + ")", T: tInt4, Bound: 8})
		}
	}
	if g.oneIn(3) {
		g.feat("having")
		s.Having = append(s.Having, g.pred(asc, 1))
	}
	if g.oneIn(8) {
		g.feat("distinct")
		s.Distinct = true
	}
	return s, sc
}

// aggregate makes an aggregate call of result kind k over rows of sc.
func (g *gen) aggregate(sc *scope, k Kind) Expr {
	g.feat("aggregate")
	arg := func(k Kind) Expr { return g.expr(sc, k, g.r.IntN(2)) }
	distinct := ""
	if g.oneIn(6) {
		distinct = "DISTINCT "
	}
	switch k {
	case KInt:
		switch g.r.IntN(4) {
		case 0:
			g.feat("count-star")
			return Expr{SQL: "count(*)", T: tInt8, Bound: 1e7}
		case 1:
			if distinct != "" {
				g.feat("count-distinct")
			}
			return Expr{SQL: fmt.Sprintf("count(%s%s)", distinct, arg(g.anyKind()).SQL), T: tInt8, Bound: 1e7}
		case 2:
			a := arg(KInt)
			if a.T.Name != "int8" {
				g.feat("sum")
				return Expr{SQL: fmt.Sprintf("sum(%s%s)", distinct, a.SQL), T: tInt8, Bound: a.Bound * sc.rows}
			}
		}
		g.feat("min-max")
		a := arg(KInt)
		return Expr{SQL: fmt.Sprintf("%s(%s)", g.pick([]string{"min", "max"}), a.SQL), T: a.T, Bound: a.Bound}
	case KNumeric:
		switch g.r.IntN(4) {
		case 0:
			g.feat("sum")
			a := arg(KNumeric)
			return Expr{SQL: fmt.Sprintf("sum(%s%s)", distinct, a.SQL), T: a.T, Bound: a.Bound * sc.rows}
		case 1:
			g.feat("avg")
			g.feat("avg-int")
			a := arg(KInt)
			return Expr{SQL: fmt.Sprintf("avg(%s%s)", distinct, a.SQL), T: tNumeric(-1), Bound: a.Bound}
		case 2:
			g.feat("avg")
			a := arg(KNumeric)
			avg := Expr{SQL: fmt.Sprintf("avg(%s%s)", distinct, a.SQL), T: tNumeric(-1), Bound: a.Bound}
			if g.oneIn(4) {
				if e, ok := g.numericTypmod(avg); ok {
					return e
				}
			}
			return avg
		}
		g.feat("min-max")
		a := arg(KNumeric)
		return Expr{SQL: fmt.Sprintf("%s(%s)", g.pick([]string{"min", "max"}), a.SQL), T: a.T, Bound: a.Bound}
	case KFloat:
		a := arg(KFloat)
		fn := g.pick([]string{"sum", "avg", "min", "max"})
		g.feat(map[string]string{"sum": "sum", "avg": "avg", "min": "min-max", "max": "min-max"}[fn])
		if fn == "sum" || fn == "avg" {
			g.feat("float-sum")
			return Expr{SQL: fmt.Sprintf("%s(%s%s)", fn, distinct, a.SQL), T: tFloat8, Bound: 1e100}
		}
		return Expr{SQL: fmt.Sprintf("%s(%s)", fn, a.SQL), T: tFloat8, Bound: a.Bound}
	case KBool:
		g.feat("bool-agg")
		return Expr{SQL: fmt.Sprintf("%s(%s)", g.pick([]string{"bool_and", "bool_or", "every"}), g.pred(sc, 1)), T: tBool}
	case KJsonb:
		// jsonb has no min or max
		return g.jsonbAggregate(sc)
	case KIntArray, KTextArray:
		if !g.oneIn(3) {
			return g.arrayAggregate(sc, k)
		}
	}
	g.feat("min-max")
	a := arg(k)
	return Expr{SQL: fmt.Sprintf("%s(%s)", g.pick([]string{"min", "max"}), a.SQL), T: a.T}
}

// subTable picks a table for a subquery under sc: when correlated, one
// small enough that running it per outer row stays cheap.
func (g *gen) subTable(sc *scope, correlated bool) *Table {
	for range 10 {
		t := g.s.Tables[g.r.IntN(len(g.s.Tables))]
		if !correlated || sc.rows*float64(max(t.Rows, 1)) <= maxCorrelatedWork {
			return t
		}
	}
	return nil
}

// subScope makes the scope of a one-table subquery.
func (g *gen) subScope(sc *scope, t *Table) (string, *scope) {
	alias := g.newAlias("s")
	in := &scope{outer: sc, rows: float64(max(t.Rows, 1))}
	for j := range t.Cols {
		in.cols = append(in.cols, colRef{Alias: alias, Col: &t.Cols[j]})
	}
	return alias, in
}

// correlation is inner.col op outer.col over a kind both have.
func (g *gen) correlation(in, outer *scope) (string, bool) {
	for range 8 {
		ic := in.cols[g.r.IntN(len(in.cols))]
		oc := outer.colsOf(ic.Col.Type.Kind)
		if len(oc) == 0 {
			continue
		}
		op := "="
		if g.oneIn(4) {
			op = g.pick(cmpOps)
		}
		return fmt.Sprintf("%s %s %s", ic.expr().SQL, op, oc[g.r.IntN(len(oc))].expr().SQL), true
	}
	return "", false
}

// subWhere makes a subquery's WHERE: maybe a correlation, maybe a
// predicate.
func (g *gen) subWhere(in, outer *scope, correlated bool) string {
	var conds []string
	if correlated {
		if c, ok := g.correlation(in, outer); ok {
			g.feat("correlated")
			conds = append(conds, c)
		}
	}
	if g.oneIn(2) || len(conds) == 0 {
		saved := in.outer
		if !correlated {
			in.outer = nil
		}
		conds = append(conds, g.pred(in, 1))
		in.outer = saved
	}
	return strings.Join(conds, " AND ")
}

// scalarSubquery is (SELECT agg(...) FROM t WHERE ...) or (SELECT col
// FROM t WHERE id = ...), which return at most one row.
func (g *gen) scalarSubquery(sc *scope, k Kind) (Expr, bool) {
	correlated := !g.oneIn(3)
	t := g.subTable(sc, correlated)
	if t == nil {
		return Expr{}, false
	}
	g.subqDepth++
	defer func() { g.subqDepth-- }()
	g.feat("scalar-subquery")
	alias, in := g.subScope(sc, t)
	if !correlated {
		in.outer = nil
	}
	if g.oneIn(3) {
		// by id: zero or one row
		var cols []colRef
		for _, c := range in.colsOf(k) {
			cols = append(cols, c)
		}
		if len(cols) > 0 {
			c := cols[g.r.IntN(len(cols))]
			key := g.constant(KInt).SQL
			if correlated {
				if oc := sc.colsOf(KInt); len(oc) > 0 {
					key = oc[g.r.IntN(len(oc))].expr().SQL
					g.feat("correlated")
				}
			}
			return Expr{SQL: fmt.Sprintf("(SELECT %s FROM %s %s WHERE %s.id = %s)", c.expr().SQL, t.Name, alias, alias, key), T: c.Col.Type, Bound: c.expr().Bound}, true
		}
	}
	inAgg := &scope{cols: in.cols, rows: in.rows}
	a := g.aggregate(inAgg, k)
	if k == KInt && strings.HasPrefix(a.SQL, "count") {
		a.Bound = in.rows
	}
	return Expr{SQL: fmt.Sprintf("(SELECT %s FROM %s %s WHERE %s)", a.SQL, t.Name, alias, g.subWhere(in, sc, correlated)), T: a.T, Bound: a.Bound}, true
}

// subqueryPred is [NOT] EXISTS (...), x [NOT] IN (SELECT ...), or
// x op ANY/ALL (SELECT ...).
func (g *gen) subqueryPred(sc *scope) (string, bool) {
	correlated := !g.oneIn(3)
	t := g.subTable(sc, correlated)
	if t == nil {
		return "", false
	}
	g.subqDepth++
	defer func() { g.subqDepth-- }()
	alias, in := g.subScope(sc, t)
	switch g.r.IntN(7) {
	case 0, 1, 2:
		not := g.pick([]string{"", "NOT "})
		g.feat(strings.ToLower(not) + "exists")
		return fmt.Sprintf("(%sEXISTS (SELECT 1 FROM %s %s WHERE %s))", not, t.Name, alias, g.subWhere(in, sc, correlated)), true
	}
	ic := in.cols[g.r.IntN(len(in.cols))]
	k := ic.Col.Type.Kind
	x := g.expr(sc, k, 1)
	where := ""
	if g.oneIn(3) || correlated {
		where = " WHERE " + g.subWhere(in, sc, correlated)
	}
	sub := fmt.Sprintf("SELECT %s FROM %s %s%s", ic.expr().SQL, t.Name, alias, where)
	if g.oneIn(6) && k != KBool {
		g.feat("any-all-subquery")
		return fmt.Sprintf("(%s %s %s (%s))", x.SQL, g.pick(cmpOps), g.pick([]string{"ANY", "ALL"}), sub), true
	}
	if g.oneIn(2) {
		g.feat("not-in-subquery")
		return fmt.Sprintf("(%s NOT IN (%s))", x.SQL, sub), true
	}
	g.feat("in-subquery")
	return fmt.Sprintf("(%s IN (%s))", x.SQL, sub), true
}
