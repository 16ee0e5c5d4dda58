package storage

import (
	"math/rand/v2"
	"slices"
	"testing"
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
