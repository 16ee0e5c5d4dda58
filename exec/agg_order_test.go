package exec

import (
	"testing"
)

// ORDER BY in the call folds each group's rows in key order:
//
//	select g, string_agg(s, '' order by s desc, id),
//	  sum(f order by x desc nulls first, id), count(x order by s)
//	from d group by g
func TestAggregateOrderBy(t *testing.T) {
	want := pgLines(`
1|ecba|10.25|4
2|dba|3|3
3|NULL|NULL|0`)
	empty := Literal("", tText)
	aggs := []Aggregate{
		{Func: AggStringAgg, Arg: aggCol(colS), Arg2: empty, OrderBy: []SortKey{{Expr: aggCol(colS), Desc: true, NullsFirst: true}, {Expr: aggCol(colID)}}, Type: tText},
		{Func: AggSum, Arg: aggCol(colF), OrderBy: []SortKey{{Expr: aggCol(colX), Desc: true, NullsFirst: true}, {Expr: aggCol(colID)}}, Type: tF8},
		{Func: AggCount, Arg: aggCol(colX), OrderBy: []SortKey{{Expr: aggCol(colS)}}, Type: tI8},
	}
	for _, per := range []int{1, 3, 100} {
		assertLines(t, "ORDER BY in aggregates", runAggs(t, per, aggs), want)
	}
}

// DISTINCT aggregates fold their distinct arguments in sorted order, as
// PostgreSQL does (string_agg(DISTINCT s, ',') comes out sorted); FILTER keeps
// the rows where its condition is true, before DISTINCT.
//
//	select g, string_agg(distinct s, ''), sum(distinct x), count(*) filter (where x > 0),
//	  sum(x) filter (where s <> 'a') from d group by g
func TestAggregateDistinctFilter(t *testing.T) {
	want := pgLines(`
1|abce|10|3|10
2|abd|15|2|9
3|NULL|NULL|0|NULL`)
	pos := must(Binary(OpGt, aggCol(colX), Literal(int32(0), tInt)))
	notA := must(Binary(OpNe, aggCol(colS), Literal("a", tText)))
	aggs := []Aggregate{
		{Func: AggStringAgg, Arg: aggCol(colS), Arg2: Literal("", tText), Distinct: true, Type: tText},
		{Func: AggSum, Arg: aggCol(colX), Distinct: true, Type: tI8},
		{Func: AggCountStar, Filter: pos, Type: tI8},
		{Func: AggSum, Arg: aggCol(colX), Filter: notA, Type: tI8},
	}
	for _, per := range []int{1, 2, 100} {
		assertLines(t, "DISTINCT and FILTER", runAggs(t, per, aggs), want)
	}
	for _, a := range aggs[:2] {
		if a.Splittable() {
			t.Errorf("%s DISTINCT is splittable", a.Func)
		}
	}
}
