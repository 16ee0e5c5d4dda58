package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// An aggregation that asks for both sum(x) and avg(x) of one numeric
// column (TPC-H Q1 asks for both of l_quantity and of l_extendedprice)
// keeps one sum and count per group for the two: avg's state is
// sum's, and only its finish differs. The pair is found when the
// aggregation is made (shareSums): a plain avg of a column whose sum or
// avg an earlier aggregate of the list keeps, neither DISTINCT, filtered
// or ordered. The shared state's updates, merges and copies are the
// earlier one's, so every path through the aggregation (parallel
// partial states, spilled partitions) sees one state per pair.

// sharedSumState is an avg whose sum and count another aggregate of
// the same aggregation keeps (src).
type sharedSumState struct {
	src *decSumState
	own decSumState // the avg's input and result types
}

func (s *sharedSumState) grow(int) {}

func (s *sharedSumState) update([]arrow.Array, []int32, []int32) error { return nil }

func (s *sharedSumState) merge(aggState, []int32) error { return nil }

func (s *sharedSumState) copyGroup(int32, int32) {}

func (s *sharedSumState) finish(mem memory.Allocator) (arrow.Array, error) {
	s.own.sumAndCount = s.src.sumAndCount
	return s.own.finish(mem)
}

// shareSums replaces the state of each plain avg of a numeric column
// whose sum and count an earlier aggregate keeps by a sharedSumState.
func (g *groupedAggregation) shareSums() {
	for j, b := range g.aggs {
		avg, ok := g.states[j].(*decSumState)
		if !ok || b.Func != AggAvg || !plainColumnAggregate(b) {
			continue
		}
		for i, a := range g.aggs[:j] {
			src, ok := g.states[i].(*decSumState)
			if ok && (a.Func == AggSum || a.Func == AggAvg) && plainColumnAggregate(a) &&
				a.Arg.(*columnRef).index == b.Arg.(*columnRef).index && src.in == avg.in {
				g.states[j] = &sharedSumState{src: src, own: decSumState{avg: true, in: avg.in, out: avg.out}}
				break
			}
		}
	}
}

// plainColumnAggregate reports whether a reads one column, every row of
// it, in no order: not DISTINCT, FILTER, ORDER BY or a second argument.
func plainColumnAggregate(a Aggregate) bool {
	_, col := a.Arg.(*columnRef)
	return col && a.Arg2 == nil && !a.Distinct && a.Filter == nil && len(a.OrderBy) == 0 && a.Direct == nil
}
