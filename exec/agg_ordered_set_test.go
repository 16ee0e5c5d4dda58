package exec

import (
	"testing"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// The ordered-set aggregates of each group:
//
//	select g, percentile_cont(0.4) within group (order by f),
//	  percentile_cont(0.4) within group (order by f desc),
//	  percentile_disc(0.5) within group (order by s),
//	  mode() within group (order by x), mode() within group (order by x desc)
//	from d group by g
func TestOrderedSetAggregates(t *testing.T) {
	want := pgLines(`
1|1.9000000000000004|3.0999999999999996|b|5|5
2|1.5|2.25|b|-3|12
3|NULL|NULL|NULL|NULL|NULL`)
	frac := Literal(0.4, tF8)
	aggs := []Aggregate{
		{Func: AggPercentileCont, Arg: aggCol(colF), Direct: frac, OrderBy: []SortKey{{Expr: aggCol(colF)}}, Type: tF8},
		{Func: AggPercentileCont, Arg: aggCol(colF), Direct: frac, OrderBy: []SortKey{{Expr: aggCol(colF), Desc: true, NullsFirst: true}}, Type: tF8},
		{Func: AggPercentileDisc, Arg: aggCol(colS), Direct: Literal(0.5, tF8), OrderBy: []SortKey{{Expr: aggCol(colS)}}, Type: tText},
		{Func: AggMode, Arg: aggCol(colX), OrderBy: []SortKey{{Expr: aggCol(colX)}}, Type: tInt},
		{Func: AggMode, Arg: aggCol(colX), OrderBy: []SortKey{{Expr: aggCol(colX), Desc: true}}, Type: tInt},
	}
	for _, per := range []int{1, 2, 100} {
		assertLines(t, "ordered-set aggregates", runAggs(t, per, aggs), want)
	}
}

// percentile_cont interpolates intervals as interval_lerp does:
//
//	select g, percentile_cont(0.5) within group (order by make_interval(days => x))
//	from d group by g
func TestPercentileContInterval(t *testing.T) {
	want := pgLines(`
1|5 days
2|6 days
3|NULL`)
	iv := catalog.TypeInterval
	// x days, as interval '1 day' * x.
	x := must(Binary(OpMul, Literal(oneDay(), iv), must(Cast(aggCol(colX), tF8))))
	aggs := []Aggregate{{Func: AggPercentileCont, Arg: x, Direct: Literal(0.5, tF8), OrderBy: []SortKey{{Expr: x}}, Type: iv}}
	assertLines(t, "percentile_cont of intervals", runAggs(t, 2, aggs), want)
}

// The fraction is checked even for a group without rows, as
// percentile_cont_final_common does (22003: select percentile_cont(2)
// within group (order by x) from d where false), and a NULL fraction
// gives NULL.
func TestPercentileFraction(t *testing.T) {
	for _, c := range []struct {
		frac catalog.Datum
		rows [][]catalog.Datum
		code string
	}{
		{2.0, nil, pgerr.NumericValueOutOfRange},
		{-0.5, [][]catalog.Datum{{1.0}}, pgerr.NumericValueOutOfRange},
		{nanF(), [][]catalog.Datum{{1.0}}, pgerr.NumericValueOutOfRange},
		{nil, [][]catalog.Datum{{1.0}}, ""},
		{0.5, nil, ""},
	} {
		x := ColumnRef(0, tF8)
		src := source([]catalog.Type{tF8}, c.rows)
		for _, fn := range []AggFunc{AggPercentileCont, AggPercentileDisc} {
			rows, err := Collect(checkedCtx(t), NewHashAggregate(src, nil, []Aggregate{
				{Func: fn, Arg: x, Direct: Literal(c.frac, tF8), OrderBy: []SortKey{{Expr: x}}, Type: tF8}}))
			if c.code != "" {
				wantCode(t, err, c.code)
				continue
			}
			if err != nil || len(rows) != 1 || rows[0][0] != nil {
				t.Errorf("%s(%v) over %v: %v %v, want NULL", fn, c.frac, c.rows, rows, err)
			}
		}
	}
}

func oneDay() catalog.Datum {
	v, err := catalog.ParseTextIn(catalog.TypeInterval, "1 day", nil)
	if err != nil {
		panic(err)
	}
	return v
}
