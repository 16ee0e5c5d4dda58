package storage

import (
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

// TestFirstAtLeastMatchesSearch checks the interpolating search against
// sort.Search over ascending slices of every shape it meets: dense keys,
// gaps, runs of duplicates, skewed values (a few huge ones at the end),
// extreme values, and every sub-range of short slices.
func TestFirstAtLeastMatchesSearch(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	shapes := map[string]func(n int) []int64{
		"dense": func(n int) []int64 {
			vs := make([]int64, n)
			for i := range vs {
				vs[i] = int64(i) + 1
			}
			return vs
		},
		"gaps": func(n int) []int64 {
			vs := make([]int64, n)
			v := int64(-50)
			for i := range vs {
				v += rng.Int64N(5) + 1
				vs[i] = v
			}
			return vs
		},
		"duplicates": func(n int) []int64 {
			vs := make([]int64, n)
			for i := range vs {
				vs[i] = rng.Int64N(int64(n/4 + 1))
			}
			slices.Sort(vs)
			return vs
		},
		"skewed": func(n int) []int64 {
			vs := make([]int64, n)
			for i := range vs {
				vs[i] = int64(i)
			}
			for i := max(0, n-3); i < n; i++ {
				vs[i] = 1 << 60 >> (n - 1 - i)
			}
			return vs
		},
		"extremes": func(n int) []int64 {
			vs := make([]int64, n)
			for i := range vs {
				vs[i] = rng.Int64() - 1<<62
			}
			vs[0], vs[n-1] = -1<<63, 1<<63-1
			slices.Sort(vs)
			return vs
		},
	}
	for name, shape := range shapes {
		for _, n := range []int{1, 2, 3, 7, 8, 9, 100, 1023, 1024, 1025, 20000} {
			vs := shape(n)
			probes := []int64{vs[0] - 1, vs[0], vs[n-1], vs[n-1] + 1, -1 << 63, 1<<63 - 1}
			for range 200 {
				probes = append(probes, vs[rng.IntN(n)], vs[rng.IntN(n)]+1, rng.Int64N(30000)-100, rng.Int64())
			}
			ranges := [][2]int{{0, n}, {n / 3, n}, {0, n / 2}, {n / 4, n - n/4}}
			if n <= 9 {
				ranges = nil
				for lo := 0; lo <= n; lo++ {
					for hi := lo; hi <= n; hi++ {
						ranges = append(ranges, [2]int{lo, hi})
					}
				}
			}
			for _, r := range ranges {
				lo, hi := r[0], r[1]
				for _, want := range probes {
					got := firstAtLeast(vs, lo, hi, want)
					exp := lo + sort.Search(hi-lo, func(i int) bool { return vs[lo+i] >= want })
					if got != exp {
						t.Fatalf("%s n=%d [%d,%d) want %d: got %d, expected %d", name, n, lo, hi, want, got, exp)
					}
				}
			}
		}
	}
}

// TestAscendingIntsFindsEveryEqual checks the positions of several
// sorted equalities, with duplicates and misses, against a linear scan.
func TestAscendingIntsFindsEveryEqual(t *testing.T) {
	vs := []int32{1, 3, 3, 3, 4, 9, 9, 10, 12, 12, 12, 12, 40}
	cases := [][]int64{{3}, {9, 12}, {2, 5, 40}, {0}, {41}, {1, 3, 4, 9, 10, 12, 40}, {1 << 40}}
	for _, c := range cases {
		for lo := 0; lo <= len(vs); lo++ {
			for hi := lo; hi <= len(vs); hi++ {
				var eq []bound
				for _, v := range c {
					eq = append(eq, bound{i: v})
				}
				got := ascendingInts(nil, vs, lo, hi, eq)
				var exp []int32
				for i := lo; i < hi; i++ {
					if slices.Contains(c, int64(vs[i])) {
						exp = append(exp, int32(i))
					}
				}
				if !slices.Equal(got, exp) {
					t.Fatalf("eq %v in [%d,%d): got %v, expected %v", c, lo, hi, got, exp)
				}
			}
		}
	}
}
