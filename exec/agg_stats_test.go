package exec

import (
	"testing"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// select g, stddev_samp(f order by id), stddev_pop(f order by id), var_samp(f order by id), var_pop(f order by id) from d group by g
func TestFloatVariances(t *testing.T) {
	want := pgLines(`
1|1.9189298232782424|1.6618419750385414|3.6822916666666665|2.76171875
2|2.165063509461097|1.7677669529663689|4.6875|3.125
3|NULL|NULL|NULL|NULL`)
	f4 := catalog.TypeFloat4
	for _, in := range []Expr{aggCol(colF), must(Cast(aggCol(colF), f4))} {
		var aggs []Aggregate
		for _, fn := range []AggFunc{AggStddevSamp, AggStddevPop, AggVarSamp, AggVarPop} {
			aggs = append(aggs, Aggregate{Func: fn, Arg: in, Type: tF8})
		}
		for _, per := range []int{1, 2, 100} {
			// The values are exact in float4 too.
			assertLines(t, "float variances of "+in.Type().String(), runAggs(t, per, aggs), want)
		}
	}
}

// select g, stddev_samp(x), var_pop(x), stddev_pop(n), var_samp(n) from d group by g
func TestNumericVariances(t *testing.T) {
	want := pgLines(`
1|3.9475730941090037|11.6875000000000000|4.9962149923717254|33.2828856666666667
2|7.5498344352707497|38.0000000000000000|3.0193593507379821|13.6747963333333333
3|NULL|NULL|NULL|NULL`)
	for _, xt := range []catalog.Type{catalog.TypeInt2, tInt, tI8, catalog.NumericType(12, 0)} {
		aggs := func() []Aggregate {
			x := must(Cast(aggCol(colX), xt))
			return []Aggregate{
				{Func: AggStddevSamp, Arg: x, Type: tN},
				{Func: AggVarPop, Arg: x, Type: tN},
				{Func: AggStddevPop, Arg: aggCol(colN), Type: tN},
				{Func: AggVarSamp, Arg: aggCol(colN), Type: tN},
			}
		}
		for _, per := range []int{1, 3, 100} {
			assertLines(t, "numeric variances of "+xt.String(), runAggs(t, per, aggs()), want)
		}
		// Exact sums merge exactly.
		assertLines(t, "numeric variances merged "+xt.String(), runAggsParallel(t, aggs), want)
	}
}

// select var_pop(x) from (values (1e308::float8), (1e308)) t(x): 22003.
func TestFloatVarianceOverflow(t *testing.T) {
	src := source([]catalog.Type{tF8}, [][]catalog.Datum{{1e308}, {1e308}})
	_, err := Collect(checkedCtx(t), NewHashAggregate(src, nil, []Aggregate{{Func: AggVarPop, Arg: ColumnRef(0, tF8), Type: tF8}}))
	wantCode(t, err, pgerr.NumericValueOutOfRange)
	// Infinite inputs give NaN, not an error:
	// select stddev(x), var_pop(x) from (values (1::float8), ('Infinity')) t(x) → NaN NaN
	src = source([]catalog.Type{tF8}, [][]catalog.Datum{{1.0}, {infF(1)}})
	rows := collect(t, NewHashAggregate(src, nil, []Aggregate{{Func: AggStddevSamp, Arg: ColumnRef(0, tF8), Type: tF8}, {Func: AggVarPop, Arg: ColumnRef(0, tF8), Type: tF8}}))
	if len(rows) != 1 || formatText(tF8, rows[0][0]) != "NaN" || formatText(tF8, rows[0][1]) != "NaN" {
		t.Errorf("stddev and var_pop of 1, Infinity: %v", rows)
	}
}
