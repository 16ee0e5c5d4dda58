package difftest

import (
	"fmt"
	"strings"
)

// Window functions and grouping sets for the generator.
//
// A window query is a simpleSelect with window calls among its items, of
// shape "window": the metamorphic oracles leave it alone, since a WHERE
// they add changes the rows each window sees. Its results must not
// depend on how a server orders peers, so a call is one of:
//
//   - ROWS frames (and lag, lead, ntile, row_number, the value functions)
//     ordered by a key and then every FROM item's keys (a table's id): a
//     total order. With an item that may repeat a row (see FromItem),
//     no order is total (two window calls may pair their values with
//     the copies differently), and the calls use GROUPS instead;
//   - GROUPS and RANGE frames over a key alone with functions that read
//     whole peer groups the same whatever their order: count, sum and
//     min/max of integers, rank, dense_rank, percent_rank, cume_dist.
//
// RANGE with an offset orders by one integer, date or timestamp column
// (offsets of 0-5, '0-5 days', or hours).

// windowSelect makes a SELECT with 1-2 window calls among its items.
func (g *gen) windowSelect() (Select, *scope) {
	s, sc := g.simpleSelect(nil, nil)
	var ids []string
	total := true
	for _, f := range s.From {
		ids = append(ids, f.Keys...)
		total = total && len(f.Keys) > 0
	}
	for range 1 + g.r.IntN(2) {
		s.Items = append(s.Items, g.windowCall(sc, ids, total))
	}
	return s, sc
}

// windowCall makes one f(...) OVER (...); total says whether ids order
// the rows totally.
func (g *gen) windowCall(sc *scope, ids []string, total bool) Expr {
	g.feat("window")
	var spec []string
	if g.oneIn(2) {
		cols := sc.colsOf(-1)
		spec = append(spec, "PARTITION BY "+cols[g.r.IntN(len(cols))].expr().SQL)
	}
	dir := g.pick([]string{"", " DESC", " NULLS FIRST", " DESC NULLS LAST"})
	mode := g.pick([]string{"ROWS", "ROWS", "GROUPS", "RANGE", "RANGE", ""})
	if mode == "ROWS" && !total {
		mode = "GROUPS"
	}
	key := sc.colsOf(-1)[g.r.IntN(len(sc.cols))].expr()
	offset := func() string { return fmt.Sprint(g.r.IntN(6)) }
	if mode == "RANGE" {
		keys := append(append(sc.colsOf(KInt), sc.colsOf(KDate)...), append(sc.colsOf(KTimestamp), sc.colsOf(KTimestamptz)...)...)
		if len(keys) > 0 && g.oneIn(2) {
			key = keys[g.r.IntN(len(keys))].expr()
			switch key.T.Kind {
			case KDate:
				offset = func() string { return fmt.Sprintf("'%d days'", g.r.IntN(6)) }
			case KTimestamp, KTimestamptz:
				g.feat("window-range-timestamp")
				offset = func() string { return quote(g.pick([]string{"0 hours", "1 hour", "90 minutes", "1 day", "1 mon"})) }
			}
		} else {
			offset = nil
		}
	}
	if mode == "ROWS" {
		spec = append(spec, "ORDER BY "+key.SQL+dir+", "+strings.Join(ids, ", "))
	} else {
		spec = append(spec, "ORDER BY "+key.SQL+dir)
	}
	if mode != "" {
		g.feat("window-" + strings.ToLower(mode))
		spec = append(spec, mode+" "+g.frameExtent(offset))
	}
	over := " OVER (" + strings.Join(spec, " ") + ")"
	ints := sc.colsOf(KInt)
	any := sc.colsOf(-1)
	arg := any[g.r.IntN(len(any))].expr()
	if mode == "ROWS" {
		switch g.r.IntN(6) {
		case 0:
			if g.oneIn(2) {
				return Expr{SQL: "ntile(3)" + over, T: tInt4, Bound: 3}
			}
			return Expr{SQL: "row_number()" + over, T: tInt8, Bound: 1e7}
		case 1:
			g.feat("window-lag-lead")
			return Expr{SQL: fmt.Sprintf("%s(%s, %d)%s", g.pick([]string{"lag", "lead"}), arg.SQL, g.r.IntN(3), over), T: arg.T, Bound: arg.Bound}
		case 2:
			g.feat("window-value")
			f := g.pick([]string{"first_value(%s)", "last_value(%s)", "nth_value(%s, 2)"})
			return Expr{SQL: fmt.Sprintf(f, arg.SQL) + over, T: arg.T, Bound: arg.Bound}
		case 3:
			if f := sc.colsOf(KFloat); len(f) > 0 {
				a := f[g.r.IntN(len(f))].expr()
				return Expr{SQL: fmt.Sprintf("%s(%s)%s", g.pick([]string{"sum", "avg"}), a.SQL, over), T: tFloat8, Bound: 1e100}
			}
		}
	} else if g.oneIn(4) {
		g.feat("window-rank")
		if g.oneIn(2) {
			return Expr{SQL: g.pick([]string{"percent_rank()", "cume_dist()"}) + over, T: tFloat8, Bound: 1}
		}
		return Expr{SQL: g.pick([]string{"rank()", "dense_rank()"}) + over, T: tInt8, Bound: 1e7}
	}
	switch {
	case len(ints) > 0 && g.oneIn(2):
		a := ints[g.r.IntN(len(ints))].expr()
		if a.T.Name != "int8" {
			g.feat("window-sum")
			return Expr{SQL: "sum(" + a.SQL + ")" + over, T: tInt8, Bound: a.Bound * sc.rows}
		}
		return Expr{SQL: g.pick([]string{"min", "max"}) + "(" + a.SQL + ")" + over, T: a.T, Bound: a.Bound}
	case g.oneIn(2):
		return Expr{SQL: "count(*)" + over, T: tInt8, Bound: 1e7}
	}
	if arg.T.Kind == KBool || arg.T.Kind == KJsonb {
		// min(bool) and min(jsonb) do not exist
		return Expr{SQL: "count(" + arg.SQL + ")" + over, T: tInt8, Bound: 1e7}
	}
	return Expr{SQL: g.pick([]string{"min", "max"}) + "(" + arg.SQL + ")" + over, T: arg.T, Bound: arg.Bound}
}

// frameExtent makes BETWEEN start AND end [EXCLUDE ...]; offset makes an
// offset (nil: none allowed, as for RANGE without a numeric key).
func (g *gen) frameExtent(offset func() string) string {
	starts := []string{"UNBOUNDED PRECEDING", "CURRENT ROW"}
	ends := []string{"UNBOUNDED FOLLOWING", "CURRENT ROW"}
	if offset != nil {
		starts = append(starts, "P", "P", "F")
		ends = append(ends, "P", "F", "F")
	}
	start := g.pick(starts)
	var end string
	for {
		end = g.pick(ends)
		// PostgreSQL's grammar: a frame starting at the current row
		// cannot end before it, nor one starting after it end before
		// or at it.
		if !(start == "CURRENT ROW" && end == "P") && !(start == "F" && (end == "P" || end == "CURRENT ROW")) {
			break
		}
	}
	bound := func(b string) string {
		switch b {
		case "P":
			return offset() + " PRECEDING"
		case "F":
			return offset() + " FOLLOWING"
		}
		return b
	}
	s := "BETWEEN " + bound(start) + " AND " + bound(end)
	if g.oneIn(3) {
		g.feat("window-exclude")
		s += " EXCLUDE " + g.pick([]string{"CURRENT ROW", "GROUP", "TIES", "NO OTHERS"})
	}
	return s
}

// groupingSets turns GROUP BY keys into one ROLLUP, CUBE or GROUPING
// SETS item over them.
func (g *gen) groupingSets(keys []string) []string {
	g.feat("grouping-sets")
	list := strings.Join(keys, ", ")
	switch g.r.IntN(3) {
	case 0:
		return []string{"ROLLUP (" + list + ")"}
	case 1:
		return []string{"CUBE (" + list + ")"}
	}
	sets := []string{"()"}
	for _, k := range keys {
		sets = append(sets, "("+k+")")
	}
	if len(keys) > 1 {
		sets = append(sets, "("+list+")")
	}
	return []string{"GROUPING SETS (" + strings.Join(sets, ", ") + ")"}
}
