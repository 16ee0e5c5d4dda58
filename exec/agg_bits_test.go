package exec

import (
	"testing"

	"github.com/pqdb/pqdb/catalog"
)

// select g, bit_and(x), bit_or(x), bit_xor(x) from d group by g
func TestBitAggregates(t *testing.T) {
	want := pgLines(`
1|4|-1|-7
2|4|-1|-9
3|NULL|NULL|NULL`)
	for _, typ := range []catalog.Type{catalog.TypeInt2, tInt, tI8} {
		aggs := func() []Aggregate {
			x := must(Cast(aggCol(colX), typ))
			return []Aggregate{{Func: AggBitAnd, Arg: x, Type: typ}, {Func: AggBitOr, Arg: x, Type: typ}, {Func: AggBitXor, Arg: x, Type: typ}}
		}
		for _, per := range []int{1, 4, 100} {
			assertLines(t, "bits "+typ.String(), runAggs(t, per, aggs()), want)
		}
		assertLines(t, "bits merged "+typ.String(), runAggsParallel(t, aggs), want)
	}
	if _, err := newAggState(Aggregate{Func: AggBitAnd, Arg: aggCol(colF), Type: tF8}, nil); err == nil {
		t.Error("bit_and(float8) made a state")
	}
}
