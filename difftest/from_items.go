package difftest

import (
	"fmt"
	"strings"
)

// FROM items other than tables, and set-returning functions in the
// select list.
//
// A FROM item is a table, or (about one in seven):
//
//   - generate_series over a small range: ints, numerics, timestamps
//     and timestamptz with an interval step (which follows the session's
//     zone across DST), dates (which PostgreSQL reads as timestamptz);
//     constant, or LATERAL over a column of the items before it;
//   - unnest of one or two arrays (a column of an item before it, or a
//     constant), sometimes WITH ORDINALITY;
//   - LATERAL (SELECT ... WHERE inner.col = outer.col ORDER BY ...,
//     id LIMIT k), or a lateral aggregate (SELECT count(*), ... WHERE
//     ...), after a comma or CROSS JOIN, or as JOIN / LEFT JOIN ... ON;
//   - a join with an alias, (t1 xa JOIN t2 xb ON ...) AS x(id, ...),
//     whose column list renames the columns of both sides (the aliases
//     inside are out of scope outside it).
//
// Sizes stay small: a lateral item makes at most a few rows per row of
// the items before it, and is drawn only when that keeps the join below
// maxJoinRows; a lateral subquery's table keeps outer rows × inner rows
// below maxCorrelatedWork.

// fromSource is a FROM item before it is joined to the ones before it.
type fromSource struct {
	item FromItem
	cols []colRef
	// rows estimates the rows it makes: per row of the items before it
	// when lateral.
	rows float64
	// lateral: it refers to the items before it, so it never comes
	// first and joins them with join: a comma, CROSS JOIN, JOIN or LEFT
	// JOIN.
	lateral bool
	join    string
	// hasID: it has a column id that joins of big inputs match.
	hasID bool
}

// source draws the next FROM item; first says it is the first one, sc
// is the scope of the items before it and seg that of those since the
// last comma.
func (g *gen) source(first bool, sc, seg *scope) fromSource {
	var s fromSource
	ok := false
	switch x := g.r.IntN(100); {
	case x < 4:
		s, ok = g.seriesSource(first, sc, seg)
	case x < 8:
		s, ok = g.unnestSource(first, sc, seg)
	case x < 13:
		if !first {
			s, ok = g.lateralSource(sc, seg)
		}
	case x < 16:
		s, ok = g.joinAliasSource(), true
	}
	if !ok || !s.hasID && sc.rows*s.rows > maxJoinRows {
		return g.tableSource()
	}
	return s
}

// tableSource is a table of the schema.
func (g *gen) tableSource() fromSource {
	t := g.s.Tables[g.r.IntN(len(g.s.Tables))]
	alias := g.newAlias("x")
	cols := make([]colRef, len(t.Cols))
	for j := range t.Cols {
		cols[j] = colRef{Alias: alias, Col: &t.Cols[j]}
	}
	return fromSource{item: FromItem{Table: t.Name, Alias: alias, Keys: []string{alias + ".id"}}, cols: cols, rows: float64(max(t.Rows, 1)), hasID: true}
}

// colNamer hands out column names unused so far: a prefix and the
// smallest free number.
type colNamer map[string]bool

func (n colNamer) fresh(prefix string) string {
	for i := 1; ; i++ {
		if name := fmt.Sprintf("%s%d", prefix, i); !n[name] {
			n[name] = true
			return name
		}
	}
}

// namesByKind names values by their kind: i1, i2, s1, ...
func namesByKind(vals []Expr) []string {
	names := colNamer{}
	var out []string
	for _, v := range vals {
		out = append(out, names.fresh(v.T.Kind.colPrefix()))
	}
	return out
}

// derived makes the columns of a derived item called alias, one per
// value.
func derived(alias string, vals []Expr, names []string) []colRef {
	var cols []colRef
	for i, v := range vals {
		cols = append(cols, colRef{Alias: alias, Col: &Column{Name: names[i], Type: v.T, Bound: v.Bound}})
	}
	return cols
}

// lateralJoin draws how a lateral item joins the ones before it, and
// the items it may refer to: all of them after a comma, those since the
// last comma after a JOIN (PostgreSQL lets it refer to the others too,
// but then runs the whole join once per row of those).
func (g *gen) lateralJoin(sc, seg *scope) (string, *scope) {
	j := g.pick([]string{",", "CROSS JOIN", "JOIN", "LEFT JOIN", "LEFT JOIN"})
	if j == "," {
		return j, sc
	}
	return j, seg
}

// seriesSpans are timestamp series: how far they run and their step
// (2-7 rows).
var seriesSpans = [][2]string{{"1 day", "6 hours"}, {"2 days", "1 day"}, {"1 mon", "1 week"}, {"3 hours", "1 hour"}, {"1 day", "1 day"}, {"-1 day", "-8 hours"}, {"25 hours", "5 hours"}}

// seriesSource is generate_series over a small range.
func (g *gen) seriesSource(first bool, sc, seg *scope) (fromSource, bool) {
	g.feat("generate-series")
	var s fromSource
	var refs *scope
	if !first && g.oneIn(2) {
		s.join, refs = g.lateralJoin(sc, seg)
	}
	alias := g.newAlias("x")
	call, val, rows := "", Expr{}, 1.0
	switch g.r.IntN(4) {
	case 0, 1:
		if refs != nil {
			var cands []colRef
			for _, c := range refs.colsOf(KInt) {
				if c.Col.Bound <= 1e6 {
					cands = append(cands, c)
				}
			}
			if len(cands) > 0 {
				c := cands[g.r.IntN(len(cands))].expr()
				t := wider(c.T, tInt4)
				if c.Bound <= 8 && g.oneIn(2) {
					call, val, rows = fmt.Sprintf("generate_series(1, %s)", c.SQL), Expr{T: t, Bound: 8}, 8
				} else {
					k := g.r.IntN(5)
					call, val, rows = fmt.Sprintf("generate_series(%s, %s + %d)", c.SQL, c.SQL, k), Expr{T: t, Bound: c.Bound + float64(k)}, float64(k+1)
				}
				s.lateral = true
			}
		}
		if call == "" {
			lo, n := g.r.IntN(9)-3, g.r.IntN(10)-1
			hi := lo + n
			val, rows = Expr{T: tInt4, Bound: float64(max(-lo, hi, lo, -hi))}, float64(max(n+1, 1))
			switch {
			case g.oneIn(4):
				call = fmt.Sprintf("generate_series(%s, %s, 2)", intLit(int64(lo)), intLit(int64(hi)))
			case g.oneIn(5):
				call = fmt.Sprintf("generate_series(%s, %s, -1)", intLit(int64(hi)), intLit(int64(lo)))
			default:
				call = fmt.Sprintf("generate_series(%s, %s)", intLit(int64(lo)), intLit(int64(hi)))
			}
		}
	case 2:
		g.feat("generate-series-timestamp")
		k := g.pickKind(KTimestamp, KTimestamptz)
		start := g.datetimeConstant(k)
		if refs != nil {
			if cs := refs.colsOf(k); len(cs) > 0 {
				start, s.lateral = cs[g.r.IntN(len(cs))].expr(), true
			}
		}
		span := seriesSpans[g.r.IntN(len(seriesSpans))]
		call = fmt.Sprintf("generate_series(%s, %s + INTERVAL %s, INTERVAL %s)", start.SQL, start.SQL, quote(span[0]), quote(span[1]))
		val, rows = Expr{T: start.T}, 6
		if !s.lateral && g.oneIn(3) {
			g.feat("generate-series-date")
			d := g.constant(KDate).SQL
			call = fmt.Sprintf("generate_series(%s, %s + %d, INTERVAL %s)", d, d, g.r.IntN(4), quote(g.pick([]string{"1 day", "12 hours", "1 week"})))
			val = Expr{T: tTSTZ}
		}
	default:
		g.feat("generate-series-numeric")
		lo := g.pick([]string{"0.5", "(-1.5)", "1", "0"})
		step := g.pick([]string{"0.5", "0.25", "1.5"})
		call, val, rows = fmt.Sprintf("generate_series(%s, %s + 2, %s)", lo, lo, step), Expr{T: tNumeric(-1), Bound: 4}, 9
	}
	if s.lateral {
		g.feat("lateral-function")
	} else {
		s.join = ""
	}
	vals := []Expr{val}
	if g.oneIn(4) {
		g.feat("with-ordinality")
		call += " WITH ORDINALITY"
		vals = append(vals, Expr{T: tInt8, Bound: 100})
	}
	s.item.ColNames = namesByKind(vals)
	s.cols = derived(alias, vals, s.item.ColNames)
	// a series never repeats a value
	s.item.Keys = []string{alias + "." + s.item.ColNames[0]}
	s.item.Table, s.item.Alias, s.rows = call, alias, rows
	return s, true
}

// unnestSource is unnest of one or two arrays, a column of an item
// before it or a constant.
func (g *gen) unnestSource(first bool, sc, seg *scope) (fromSource, bool) {
	g.feat("unnest-from")
	var s fromSource
	refs := &scope{}
	if !first && g.oneIn(2) {
		s.join, refs = g.lateralJoin(sc, seg)
	}
	saved := g.noSubq
	g.noSubq = true
	defer func() { g.noSubq = saved }()
	alias := g.newAlias("x")
	nargs := 1
	if g.oneIn(5) {
		g.feat("unnest-multi")
		nargs = 2
	}
	var args []string
	var vals []Expr
	for range nargs {
		k := g.pickKind(KIntArray, KTextArray)
		var a Expr
		if cs := refs.colsOf(k); len(cs) > 0 && !g.oneIn(3) {
			a = cs[g.r.IntN(len(cs))].expr()
		} else {
			a = g.expr(refs, k, g.r.IntN(2))
		}
		if reColRef.MatchString(a.SQL) {
			s.lateral = true
		}
		args = append(args, a.SQL)
		vals = append(vals, Expr{T: elemType(k), Bound: a.Bound})
	}
	call := "unnest(" + strings.Join(args, ", ") + ")"
	ordinality := g.oneIn(3)
	if ordinality {
		g.feat("with-ordinality")
		call += " WITH ORDINALITY"
		vals = append(vals, Expr{T: tInt8, Bound: 100})
	}
	if s.lateral {
		g.feat("lateral-function")
		if g.oneIn(3) {
			call = "LATERAL " + call
		}
	} else {
		s.join = ""
	}
	s.item.ColNames = namesByKind(vals)
	s.cols = derived(alias, vals, s.item.ColNames)
	if ordinality {
		s.item.Keys = []string{alias + "." + s.item.ColNames[len(vals)-1]}
	}
	s.item.Table, s.item.Alias, s.rows = call, alias, 6
	return s, true
}

// lateralSource is LATERAL (SELECT ...) over a table, correlated with
// the items before it: a few rows by ORDER BY ... LIMIT, or one row of
// aggregates.
func (g *gen) lateralSource(sc, seg *scope) (fromSource, bool) {
	const perRow = 3
	if sc.rows*perRow > maxJoinRows {
		return fromSource{}, false
	}
	var t *Table
	for range 10 {
		c := g.s.Tables[g.r.IntN(len(g.s.Tables))]
		if sc.rows*float64(max(c.Rows, 1)) <= maxCorrelatedWork {
			t = c
			break
		}
	}
	if t == nil {
		return fromSource{}, false
	}
	g.feat("lateral-subquery")
	s := fromSource{lateral: true}
	var refs *scope
	s.join, refs = g.lateralJoin(sc, seg)
	g.subqDepth++
	defer func() { g.subqDepth-- }()
	inAlias, in := g.subScope(refs, t)
	alias := g.newAlias("x")
	var conds []string
	if c, ok := g.correlation(in, refs); ok {
		g.feat("correlated")
		conds = append(conds, c)
	}
	if g.oneIn(2) || len(conds) == 0 {
		conds = append(conds, g.pred(in, 1))
	}
	where := " WHERE " + strings.Join(conds, " AND ")
	var vals []Expr
	add := func(e Expr) { vals = append(vals, e) }
	// items names the values (SELECT e AS name, ...) once they are all
	// drawn.
	var names []string
	items := func() string {
		names = namesByKind(vals)
		var out []string
		for i, v := range vals {
			out = append(out, v.SQL+" AS "+names[i])
		}
		return strings.Join(out, ", ")
	}
	var body string
	if g.oneIn(3) {
		// Aggregates over the table alone: one over the outer columns
		// would belong to the outer query, where FROM allows none.
		g.feat("lateral-aggregate")
		inAgg := &scope{cols: in.cols, rows: in.rows}
		add(Expr{SQL: "count(*)", T: tInt8, Bound: in.rows})
		for range g.r.IntN(3) {
			add(g.aggregate(inAgg, g.anyKind()))
		}
		body = fmt.Sprintf("SELECT %s FROM %s %s%s", items(), t.Name, inAlias, where)
		s.rows = 1
	} else {
		g.feat("lateral-limit")
		for range 1 + g.r.IntN(3) {
			add(g.expr(in, g.anyKind(), g.r.IntN(2)))
		}
		var order []string
		for i := range vals {
			order = append(order, fmt.Sprint(i+1)+g.pick([]string{"", " DESC", " NULLS FIRST", " DESC NULLS LAST"}))
		}
		order = append(order, inAlias+".id")
		k := 1 + g.r.IntN(perRow)
		body = fmt.Sprintf("SELECT %s FROM %s %s%s ORDER BY %s LIMIT %d", items(), t.Name, inAlias, where, strings.Join(order, ", "), k)
		s.rows = float64(k)
	}
	s.item.Table, s.item.Alias = "LATERAL ("+body+")", alias
	s.cols = derived(alias, vals, names)
	if s.rows == 1 {
		// one row per row before it
		s.item.Keys = []string{alias + "." + names[0]}
	}
	return s, true
}

// joinAliasSource is (t1 xa JOIN t2 xb ON ...) AS x(...): the column
// list names every column of both sides, so that x's columns are
// unique.
func (g *gen) joinAliasSource() fromSource {
	g.feat("join-alias")
	a, b := g.tableSource(), g.tableSource()
	alias := g.newAlias("x")
	join := g.pick([]string{"JOIN", "JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL JOIN"})
	g.feat("join-alias-" + strings.ToLower(strings.ReplaceAll(join, " ", "-")))
	aScope := &scope{cols: a.cols, rows: a.rows}
	est := a.rows * b.rows
	var on []string
	if est > maxJoinRows || join == "FULL JOIN" || !g.oneIn(4) {
		if est > maxJoinRows {
			ints := aScope.colsOf(KInt)
			on = append(on, fmt.Sprintf("%s.id = %s", b.item.Alias, ints[g.r.IntN(len(ints))].expr().SQL))
			est = a.rows + b.rows
		} else {
			on = append(on, g.joinEquality(aScope, b.cols))
			est = max(a.rows, b.rows) * 3
		}
	}
	if g.oneIn(3) {
		saved := g.noSubq
		g.noSubq = true
		on = append(on, g.pred(&scope{cols: append(append([]colRef(nil), a.cols...), b.cols...), rows: est}, 1))
		g.noSubq = saved
	}
	if len(on) == 0 {
		on = []string{"true"}
	}
	s := fromSource{rows: est, hasID: true}
	s.item.Table = fmt.Sprintf("(%s %s %s ON %s)", a.item.source(), join, b.item.source(), strings.Join(on, " AND "))
	s.item.Alias, s.item.As = alias, true
	names := colNamer{}
	for _, c := range a.cols {
		names[c.Col.Name] = true
	}
	var idB string
	for i, side := range [][]colRef{a.cols, b.cols} {
		for _, c := range side {
			name := c.Col.Name
			if i == 1 {
				prefix := strings.TrimRight(name, "0123456789")
				name = names.fresh(prefix)
				if c.Col.Name == "id" {
					idB = name
				}
			}
			col := *c.Col
			col.Name = name
			s.item.ColNames = append(s.item.ColNames, name)
			s.cols = append(s.cols, colRef{Alias: alias, Col: &col})
		}
	}
	s.item.Keys = []string{alias + ".id", alias + "." + idB}
	return s
}

// srfItem is a set-returning function as a select item, of kind k:
// generate_series, unnest, or the elements or keys of a jsonb (guarded:
// they fail on other shapes). Several in one list run in lockstep, the
// shorter padded with NULLs.
func (g *gen) srfItem(sc *scope, k Kind) (Expr, bool) {
	saved := g.noSubq
	g.noSubq = true
	defer func() { g.noSubq = saved }()
	switch k {
	case KInt:
		g.feat("srf-select")
		if g.oneIn(2) {
			g.feat("unnest-select")
			a := g.expr(sc, KIntArray, 1)
			return Expr{SQL: "unnest(" + a.SQL + ")", T: tInt4, Bound: a.Bound}, true
		}
		g.feat("generate-series-select")
		var cands []colRef
		for _, c := range sc.colsOf(KInt) {
			if c.Col.Bound <= 1e6 {
				cands = append(cands, c)
			}
		}
		if len(cands) > 0 && g.oneIn(2) {
			c := cands[g.r.IntN(len(cands))].expr()
			n := g.r.IntN(4)
			return Expr{SQL: fmt.Sprintf("generate_series(%s, %s + %d)", c.SQL, c.SQL, n), T: wider(c.T, tInt4), Bound: c.Bound + float64(n)}, true
		}
		lo, n := g.r.IntN(5)-1, g.r.IntN(5)
		return Expr{SQL: fmt.Sprintf("generate_series(%s, %d)", intLit(int64(lo)), lo+n), T: tInt4, Bound: float64(max(-lo, lo+n))}, true
	case KText:
		g.feat("srf-select")
		if g.oneIn(3) {
			g.feat("jsonb-srf")
			j := g.expr(sc, KJsonb, 0)
			if g.oneIn(2) {
				return Expr{SQL: fmt.Sprintf("jsonb_object_keys(CASE WHEN jsonb_typeof(%s) = 'object' THEN %s END)", j.SQL, j.SQL), T: tText}, true
			}
			return Expr{SQL: fmt.Sprintf("jsonb_array_elements_text(CASE WHEN jsonb_typeof(%s) = 'array' THEN %s END)", j.SQL, j.SQL), T: tText}, true
		}
		g.feat("unnest-select")
		return Expr{SQL: "unnest(" + g.expr(sc, KTextArray, 1).SQL + ")", T: tText}, true
	case KJsonb:
		g.feat("srf-select")
		g.feat("jsonb-srf")
		j := g.expr(sc, KJsonb, 0)
		return Expr{SQL: fmt.Sprintf("jsonb_array_elements(CASE WHEN jsonb_typeof(%s) = 'array' THEN %s END)", j.SQL, j.SQL), T: tJsonb}, true
	case KTimestamp, KTimestamptz:
		g.feat("srf-select")
		g.feat("generate-series-timestamp")
		a := g.expr(sc, k, 0)
		span := seriesSpans[g.r.IntN(len(seriesSpans))]
		return Expr{SQL: fmt.Sprintf("generate_series(%s, %s + INTERVAL %s, INTERVAL %s)", a.SQL, a.SQL, quote(span[0]), quote(span[1])), T: a.T}, true
	}
	return Expr{}, false
}
