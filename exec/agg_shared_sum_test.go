package exec

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/pqdb/pqdb/catalog"
)

// sharedSumTypes are (group, x numeric(12,2), y numeric(12,2)).
var sharedSumTypes = []catalog.Type{tInt, catalog.NumericType(12, 2), catalog.NumericType(12, 2)}

func sharedSumRows(n int) [][]catalog.Datum {
	rows := make([][]catalog.Datum, n)
	for i := range rows {
		var x catalog.Datum = dec(fmt.Sprintf("%d.%02d", i%997-400, i%100), 2)
		var y catalog.Datum = dec(fmt.Sprintf("%d.%02d", i%31, (i*7)%100), 2)
		if i%9 == 0 {
			x = nil
		}
		if i%17 == 0 {
			y = nil
		}
		rows[i] = []catalog.Datum{int32(i % 211), x, y}
	}
	return rows
}

// sharedSumAggs lists avg beside sum and avg of the same column, which
// share, and aggregates that must not: a filtered avg, a DISTINCT avg,
// an avg of another column.
func sharedSumAggs() []Aggregate {
	x, y := ColumnRef(1, sharedSumTypes[1]), ColumnRef(2, sharedSumTypes[2])
	avgT := catalog.UnconstrainedNumeric(16)
	return []Aggregate{
		{Func: AggSum, Arg: x, Type: catalog.UnconstrainedNumeric(2)},
		{Func: AggAvg, Arg: x, Type: avgT},
		{Func: AggCountStar, Type: tI8},
		{Func: AggAvg, Arg: y, Type: avgT},
		{Func: AggAvg, Arg: y, Type: avgT},
		{Func: AggAvg, Arg: x, Filter: must(Binary(OpGt, ColumnRef(2, sharedSumTypes[2]), Literal(dec("10", 2), sharedSumTypes[2]))), Type: avgT},
		{Func: AggAvg, Arg: x, Distinct: true, Type: avgT},
		{Func: AggSum, Arg: y, Type: catalog.UnconstrainedNumeric(2)},
	}
}

// TestSharedSumMatchesSeparate checks avg(x) sharing the sum and count
// of sum(x) or of an earlier avg(x) against each aggregate computed in an
// aggregation of its own, grouped and not, serially, in parallel
// pipelines and spilled.
func TestSharedSumMatchesSeparate(t *testing.T) {
	rows := sharedSumRows(2000)
	aggs := sharedSumAggs()
	g, err := newGroupedAggregation(nil, aggs, nil)
	if err != nil {
		t.Fatal(err)
	}
	var shared []int
	for i, s := range g.states {
		if _, ok := s.(*sharedSumState); ok {
			shared = append(shared, i)
		}
	}
	if fmt.Sprint(shared) != "[1 4]" {
		t.Fatalf("shared states %v, want [1 4]", shared)
	}
	for _, grouped := range []bool{true, false} {
		var groupBy func() []Expr
		if grouped {
			groupBy = func() []Expr { return []Expr{ColumnRef(0, tInt)} }
		} else {
			groupBy = func() []Expr { return nil }
		}
		// Each aggregate alone, beside the group key.
		var want [][]catalog.Datum
		for k, a := range aggs {
			got := sortRows(collect(t, NewHashAggregate(source(sharedSumTypes, rows), groupBy(), []Aggregate{a})))
			if k == 0 {
				want = got
				continue
			}
			for r := range want {
				want[r] = append(want[r], got[r][len(got[r])-1])
			}
		}
		check := func(name string, got [][]catalog.Datum) {
			t.Helper()
			if got = sortRows(got); !reflect.DeepEqual(got, want) {
				t.Fatalf("grouped %v, %s:\n got %v\nwant %v", grouped, name, got[:min(len(got), 2)], want[:min(len(want), 2)])
			}
		}
		check("serial", collect(t, NewHashAggregate(source(sharedSumTypes, rows), groupBy(), sharedSumAggs())))
		splittable := func() []Aggregate { return append(sharedSumAggs()[:6:6], sharedSumAggs()[7]) }
		wantSplit := make([][]catalog.Datum, len(want))
		for r := range want {
			wantSplit[r] = append(append([]catalog.Datum(nil), want[r][:len(want[r])-2]...), want[r][len(want[r])-1])
		}
		var inputs []Operator
		for i := range 3 {
			var part [][]catalog.Datum
			for j := i; j < len(rows); j += 3 {
				part = append(part, rows[j])
			}
			s := source(sharedSumTypes, part)
			s.per = 7 + 50*i
			inputs = append(inputs, s)
		}
		groupBys, aggLists := make([][]Expr, 3), make([][]Aggregate, 3)
		for i := range 3 {
			groupBys[i], aggLists[i] = groupBy(), splittable()
		}
		if got := sortRows(collect(t, NewParallelHashAggregate(inputs, groupBys, aggLists))); !reflect.DeepEqual(got, wantSplit) {
			t.Fatalf("grouped %v, parallel:\n got %v\nwant %v", grouped, got[:min(len(got), 2)], wantSplit[:min(len(wantSplit), 2)])
		}
		if grouped {
			src := source(sharedSumTypes, rows)
			src.per = spillBatch
			op := NewHashAggregate(src, groupBy(), sharedSumAggs())
			check("spilled", runSpilled(t, spillCtx(t, 16<<10), op))
			if r := op.(*hashAggOp).MemoryReport(); !r.Spilled {
				t.Fatalf("report %+v: the aggregate did not spill", r)
			}
		}
	}
}
