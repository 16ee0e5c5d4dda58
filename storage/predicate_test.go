package storage

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestExcludesIntsMatchesGeneric checks the integer fast path of
// boundedPredicate.excludes against the generic comparison of bounds,
// for every operator over random bounds and values (including bounds
// that hold one value, and In lists below, inside and above them).
func TestExcludesIntsMatchesGeneric(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	excluded := 0
	for range 20000 {
		lo := rng.Int64N(20) - 10
		hi := lo + rng.Int64N(5)
		cb := &columnBounds{rows: 3, has: true, min: bound{i: lo}, max: bound{i: hi}}
		p := boundedPredicate{column: 0, op: CompareOp(rng.IntN(int(In) + 1)), dom: domInt, value: bound{i: rng.Int64N(30) - 15}}
		if p.op == In {
			set := map[int64]bool{}
			for range 1 + rng.IntN(4) {
				set[rng.Int64N(30)-15] = true
			}
			for v := range set {
				p.values = append(p.values, bound{i: v})
			}
			slices.SortFunc(p.values, func(x, y bound) int { return compareBounds(domInt, x, y) })
		}
		got, want := p.excludes(cb), p.excludesBounds(cb)
		if got != want {
			t.Fatalf("op %d value %d values %v over [%d, %d]: excludes %v, the generic comparison %v", p.op, p.value.i, p.values, lo, hi, got, want)
		}
		if got {
			excluded++
		}
	}
	if excluded == 0 {
		t.Fatal("no case was excluded")
	}
}
