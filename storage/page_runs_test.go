package storage

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/parquet-go/parquet-go/format"
)

// TestPageRunsMatchPagesOverlapped: the runs of pages pageRuns returns
// are exactly the pages some range overlaps, consecutive ones merged,
// for ranges from one row each to whole chunks.
func TestPageRunsMatchPagesOverlapped(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for round := range 300 {
		rows := int64(1 + rng.IntN(5000))
		var locs []format.PageLocation
		for r := int64(0); r < rows; r += int64(1 + rng.IntN(700)) {
			locs = append(locs, format.PageLocation{FirstRowIndex: r})
		}
		var ranges []rowRange
		density := []int{1, 3, 50, 1000}[round%4]
		for r := int64(0); r < rows; {
			lo := r + int64(rng.IntN(density))
			hi := min(rows, lo+1+int64(rng.IntN(density)))
			if lo < rows {
				ranges = append(ranges, rowRange{lo, hi})
			}
			r = hi + 1
		}
		var want []int
		for k := range locs {
			end := pageEnd(locs, k, rows)
			if slices.ContainsFunc(ranges, func(r rowRange) bool { return r.lo < end && r.hi > locs[k].FirstRowIndex }) {
				want = append(want, k)
			}
		}
		var got []int
		for _, run := range pageRuns(locs, ranges, rows) {
			if run.lo != locs[run.first].FirstRowIndex || run.hi != pageEnd(locs, run.last, rows) {
				t.Fatalf("round %d: run %+v does not span its pages", round, run)
			}
			if len(got) > 0 && got[len(got)-1] >= run.first-1 {
				t.Fatalf("round %d: runs %v then %+v are not apart", round, got, run)
			}
			for k := run.first; k <= run.last; k++ {
				got = append(got, k)
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("round %d: pages %v, want %v", round, got, want)
		}
		// With a limit, runs of more pages give up.
		limit := rng.IntN(len(want) + 2)
		if runs, ok := pageRunsUpTo(nil, locs, ranges, rows, limit); ok != (len(want) <= limit) || ok && len(runs) != len(pageRuns(locs, ranges, rows)) {
			t.Fatalf("round %d: %d pages, limit %d: got ok %v with %d runs", round, len(want), limit, ok, len(runs))
		}
	}
}
