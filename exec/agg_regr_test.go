package exec

import (
	"sort"
	"testing"

	"github.com/pqdb/pqdb/catalog"
)

// select g, corr(f, x order by id), covar_pop(...), covar_samp, regr_avgx, regr_avgy,
// regr_count(f, x), regr_intercept, regr_r2, regr_slope, regr_sxx, regr_sxy, regr_syy from d group by g
func TestRegressionAggregates(t *testing.T) {
	want := pgLines(`
1|0.7559289460184545|3.1111111111111107|4.666666666666666|2.6666666666666665|1.8333333333333333|3|1.0714285714285714|0.5714285714285714|0.2857142857142857|32.666666666666664|9.333333333333332|4.666666666666666
2|-0.8029550685469662|-8.75|-13.125|5|1|3|2.1513157894736845|0.6447368421052632|-0.23026315789473684|114|-26.25|9.375
3|NULL|NULL|NULL|NULL|NULL|0|NULL|NULL|NULL|NULL|NULL|NULL`)
	aggs := func() []Aggregate {
		y, x := aggCol(colF), must(Cast(aggCol(colX), tF8))
		var out []Aggregate
		for _, fn := range []AggFunc{AggCorr, AggCovarPop, AggCovarSamp, AggRegrAvgX, AggRegrAvgY, AggRegrCount,
			AggRegrIntercept, AggRegrR2, AggRegrSlope, AggRegrSxx, AggRegrSxy, AggRegrSyy} {
			typ := tF8
			if fn == AggRegrCount {
				typ = tI8
			}
			out = append(out, Aggregate{Func: fn, Arg: y, Arg2: x, Type: typ})
		}
		return out
	}
	for _, per := range []int{1, 2, 100} {
		assertLines(t, "regression", runAggs(t, per, aggs()), want)
	}
	// Partial states combine as float8_regr_combine does, which rounds
	// differently from accumulating row by row. runAggsParallel's
	// pipelines hold, of group 1, (1.5, 5) | - | (3.5, 5) | (0.5, -2) and
	// of group 2 (2.25, -3) | - | (-1.5, 12) | (2.25, 6), merged in that
	// order:
	//
	//	with s as (select 1 g, float8_regr_combine(float8_regr_combine(
	//	    float8_regr_accum('{0,0,0,0,0,0}'::float8[], 1.5, 5),
	//	    float8_regr_accum('{0,0,0,0,0,0}', 3.5, 5)),
	//	    float8_regr_accum('{0,0,0,0,0,0}', 0.5, -2)) s
	//	  union all select 2, ...)
	//	select g, float8_corr(s), float8_covar_pop(s), ... from s
	merged := pgLines(`
1|0.7559289460184546|3.111111111111111|4.666666666666667|2.6666666666666665|1.8333333333333333|3|1.0714285714285714|0.5714285714285717|0.28571428571428575|32.666666666666664|9.333333333333334|4.666666666666666
2|-0.8029550685469662|-8.75|-13.125|5|1|3|2.1513157894736845|0.6447368421052632|-0.23026315789473684|114|-26.25|9.375
3|NULL|NULL|NULL|NULL|NULL|0|NULL|NULL|NULL|NULL|NULL|NULL`)
	assertLines(t, "regression merged", runAggsParallel(t, aggs), merged)
}

// select id, corr(f, x) over (order by id), regr_count(f, x) filter (where id <> 5) over (order by g),
// stddev(f) over (partition by g) from d
func TestRegressionWindow(t *testing.T) {
	src := source(aggTestTypes, aggTestRows(t))
	x := must(Cast(aggCol(colX), tF8))
	notFive := must(Binary(OpNe, aggCol(colID), Literal(int32(5), tInt)))
	byID := NewWindow(src, nil, []SortKey{{Expr: aggCol(colID)}}, []WindowExpr{
		{Func: WinAggregate, Agg: AggCorr, Args: []Expr{aggCol(colF), x}, Type: tF8},
	})
	byG := NewWindow(byID, nil, []SortKey{{Expr: aggCol(colG)}}, []WindowExpr{
		{Func: WinAggregate, Agg: AggRegrCount, Args: []Expr{aggCol(colF), x}, Filter: notFive, Type: tI8},
	})
	part := NewWindow(byG, []Expr{aggCol(colG)}, nil, []WindowExpr{
		{Func: WinAggregate, Agg: AggStddevSamp, Args: []Expr{aggCol(colF)}, Type: tF8},
	})
	want := pgLines(`
1|NULL|3|1.9189298232782424
2|-1|5|2.165063509461097
3|-1|3|1.9189298232782424
4|-1|3|1.9189298232782424
5|-0.9316225313921214|5|2.165063509461097
6|-0.9316225313921214|5|NULL
7|-0.6924526420856087|3|1.9189298232782424
8|-0.6553188799657481|5|2.165063509461097
9|-0.4104070521596524|3|1.9189298232782424`)
	var got []string
	for _, r := range collect(t, part) {
		line := formatText(tInt, r[colID])
		for i, typ := range []catalog.Type{tF8, tI8, tF8} {
			if d := r[len(aggTestTypes)+i]; d != nil {
				line += "|" + formatText(typ, d)
			} else {
				line += "|NULL"
			}
		}
		got = append(got, line)
	}
	sort.Strings(got)
	assertLines(t, "regression windows", got, want)
}
