package exec

import (
	"fmt"
	"reflect"
	"testing"
)

// A hash join's build holds its right rows twice for a moment: the
// batches it read and their concatenation. The charge must say so, or a
// build that fits the server's memory limit once but not twice passes
// the limit unseen (at SF10 a 1GB --memory-limit let a join build hold
// 1.9GB). With the copy charged, such a build partitions instead.
func TestHashJoinBuildChargesItsConcatenation(t *testing.T) {
	keys := []Expr{ColumnRef(0, tInt)}
	for _, n := range []int{1000, 3000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			left, right := spillRows(n, false), spillRows(n, false)
			join := func() *hashJoinOp {
				return NewHashJoin(spillSource(left, true), spillSource(right, false), keys, keys, JoinInner, nil, false).(*hashJoinOp)
			}
			// The right rows as one dense batch: what the build keeps.
			ctx := spillCtx(t, 0)
			src := spillSource(right, false)
			if err := src.Open(ctx); err != nil {
				t.Fatal(err)
			}
			cols, rows, err := materialize(ctx, src, nil)
			src.Close()
			if err != nil {
				t.Fatal(err)
			}
			rowBytes := arraysSize(cols)
			releaseAll(cols)

			unlimited := join()
			want := runSpilled(t, spillCtx(t, 0), unlimited)
			peak := unlimited.MemoryReport().PeakMemory
			parts := (n + spillBatch - 1) / spillBatch
			// Each part's bitmaps and offsets round up on their own.
			slack := int64(8 * parts)
			if parts > 1 && peak < 2*rowBytes+16*int64(rows)-slack {
				t.Fatalf("peak charge %d bytes for %d bytes of rows held twice and %d rows' links", peak, rowBytes, rows)
			}

			// A limit one byte short of the rows held twice with their
			// links: once, with the links and the small table of 97 keys,
			// they fit.
			limited := spillCtx(t, 0)
			limited.Budget = NewMemoryBudget(2*rowBytes + 16*int64(rows) - 1)
			op := join()
			got := runSpilled(t, limited, op)
			if !reflect.DeepEqual(sortRows(got), sortRows(want)) {
				t.Fatalf("%d rows, want %d", len(got), len(want))
			}
			if r := op.MemoryReport(); r.Spilled != (parts > 1) {
				t.Fatalf("%d parts (held twice only when more than one): report %+v", parts, r)
			}
			if used := limited.Budget.Used(); used != 0 {
				t.Fatalf("budget still holds %d bytes", used)
			}
		})
	}
}
