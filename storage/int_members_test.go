package storage

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// TestIntMembers checks both layouts of the set against a map, with keys
// at the ends of int64 and probes around every key.
func TestIntMembers(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		name       string
		n          int
		span, rows int64
	}{
		{"one", 1, 10, 100},
		{"dense", 300, 1000, 4096},
		{"sparse", 4096, 1 << 40, 1024},
		{"wide", 17, 1 << 62, 16},
	} {
		set := map[int64]bool{}
		for len(set) < tc.n {
			set[rng.Int64N(tc.span)-tc.span/2] = true
		}
		if tc.name == "wide" {
			set[-1<<63], set[1<<63-1] = true, true
		}
		var keys []int64
		for k := range set {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		m := newIntMembers(keys, int(tc.rows))
		if tc.name == "dense" && m.bitmap == nil || tc.name == "sparse" && m.bitmap != nil {
			t.Fatalf("%s: unexpected layout (bitmap %v)", tc.name, m.bitmap != nil)
		}
		for _, k := range keys {
			for _, x := range []int64{k - 1, k, k + 1} {
				if x > k && k == 1<<63-1 || x < k && k == -1<<63 {
					continue
				}
				if m.has(x) != set[x] {
					t.Fatalf("%s: has(%d) = %v", tc.name, x, !set[x])
				}
			}
		}
		for range 10000 {
			x := rng.Int64N(tc.span) - tc.span/2
			if m.has(x) != set[x] {
				t.Fatalf("%s: has(%d) = %v", tc.name, x, !set[x])
			}
		}
	}
}

// TestInListPrepared: an integer In list is prepared once, sorted and
// without duplicates or NULLs, with the set its pages are narrowed by
// (none for one value).
func TestInListPrepared(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	tbl := kvTable("kv")
	for _, n := range []int{2, 3, 1000, 70000} {
		vals := []catalog.Datum{nil}
		set := map[int64]bool{}
		for range n {
			k := rng.Int64N(int64(3*n)) - int64(n)
			set[k] = true
			vals = append(vals, k, k) // duplicated
		}
		rng.Shuffle(len(vals), func(i, j int) { vals[i], vals[j] = vals[j], vals[i] })
		preds := preparePredicates(tbl, []Predicate{{Column: 0, Op: In, Values: vals}})
		if len(preds) != 1 || (len(set) > 1) != (preds[0].members != nil) {
			t.Fatalf("%d keys: prepared %+v", n, preds)
		}
		var got []int64
		for _, b := range preds[0].values {
			got = append(got, b.i)
		}
		var want []int64
		for k := range set {
			want = append(want, k)
		}
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("%d keys: bounds %v, want %v", n, got[:min(len(got), 10)], want[:min(len(want), 10)])
		}
		for x := int64(-n - 2); x < int64(2*n+2) && preds[0].members != nil; x++ {
			if preds[0].members.has(x) != set[x] {
				t.Fatalf("%d keys: has(%d) = %v", n, x, !set[x])
			}
		}
	}
}

// TestEqualIntsMatchesMembers: the positions equalInts keeps, through
// the bitmap's inline test and the hash set's, are those of the non-NULL
// values in the set, for probes around every key and at the ends of
// int64 (where x-lo wraps).
func TestEqualIntsMatchesMembers(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, tc := range []struct {
		name   string
		n      int
		span   int64
		bitmap bool
	}{
		{"dense", 300, 1000, true},
		{"sparse", 500, 1 << 40, false},
	} {
		set := map[int64]bool{}
		var eq []bound
		for len(set) < tc.n {
			k := rng.Int64N(tc.span) - tc.span/2
			if !set[k] {
				set[k] = true
				eq = append(eq, bound{i: k})
			}
		}
		slices.SortFunc(eq, func(a, b bound) int { return cmp.Compare(a.i, b.i) })
		m := newIntMembers(boundInts(eq), 1<<20)
		if (m.bitmap != nil) != tc.bitmap {
			t.Fatalf("%s: bitmap %v", tc.name, m.bitmap != nil)
		}
		b := array.NewInt64Builder(memory.DefaultAllocator)
		var vals []int64
		for _, e := range eq {
			vals = append(vals, e.i-1, e.i, e.i+1)
		}
		vals = append(vals, math.MinInt64, math.MaxInt64, math.MinInt64+1, math.MaxInt64-1, 0)
		var want []int32
		for i, v := range vals {
			if i%11 == 5 {
				b.AppendNull()
				continue
			}
			b.Append(v)
			if set[v] {
				want = append(want, int32(i))
			}
		}
		arr := b.NewInt64Array()
		got := equalInts(arr.Int64Values(), arr, eq, m)
		arr.Release()
		if !slices.Equal(got, want) {
			t.Fatalf("%s: got %d positions, want %d", tc.name, len(got), len(want))
		}
	}
}

func boundInts(bs []bound) []int64 {
	out := make([]int64, len(bs))
	for i, b := range bs {
		out[i] = b.i
	}
	return out
}
