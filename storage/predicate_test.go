package storage

import (
	"math"
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

// TestEqualityDensity: the share of a column's values an integer IN list
// admits is its values within the column's bounds over the integers they
// span; without bounds, its values over the rows.
func TestEqualityDensity(t *testing.T) {
	in := func(vs ...int64) *boundedPredicate {
		p := &boundedPredicate{op: In, dom: domInt}
		for _, v := range vs {
			p.values = append(p.values, bound{i: v})
		}
		return p
	}
	span := func(lo, hi int64) *columnBounds {
		return &columnBounds{rows: 1000, has: true, min: bound{i: lo}, max: bound{i: hi}}
	}
	var every []int64
	for v := int64(1); v <= 100; v++ {
		every = append(every, v)
	}
	for _, c := range []struct {
		name string
		p    *boundedPredicate
		cb   *columnBounds
		want float64
	}{
		{"every value", in(every...), span(1, 100), 1},
		{"values outside the bounds", in(every...), span(51, 250), 0.25},
		{"a few of many", in(3, 70, 99), span(1, 300), 0.01},
		{"none within", in(3, 70, 99), span(100, 200), 0},
		{"bounds at the type's ends", in(math.MinInt64, 0, math.MaxInt64), span(math.MinInt64, math.MaxInt64), 3 / (float64(math.MaxInt64) * 2)},
		{"no bounds", in(1, 2), nil, 2.0 / 1000},
	} {
		if got := c.p.equalityDensity(c.cb, 1000); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%s: density %v, want %v", c.name, got, c.want)
		}
	}
}
