package exec

import (
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// TestTakeStringsKeepsEveryByte gathers string rows whose bytes outgrow
// the builder's first reservation, through the pooled allocator the
// executor runs on (which hands out more capacity than asked for). Bytes
// appended past the reserved length used to be zeroed when the buffer
// grew or was finished, which is how committed strings came back as NULs.
func TestTakeStringsKeepsEveryByte(t *testing.T) {
	for _, long := range []int{100, 1000, 3500} {
		for _, rows := range []int{2, 3, 64, 1023, 4096} {
			b := array.NewStringBuilder(memory.NewGoAllocator())
			want := make([]string, 0, rows)
			var idx []int32
			for i := range rows {
				if i%2 == 0 {
					// Only the long rows are taken, so the size hint (the
					// average row length) falls short.
					s := strings.Repeat(string(rune('a'+i%26)), long-i%7) + "|end"
					b.Append(s)
					want = append(want, s)
					idx = append(idx, int32(i))
				} else {
					b.Append("")
				}
			}
			src := b.NewArray()
			b.Release()
			for _, mem := range []memory.Allocator{defaultPool, memory.NewGoAllocator()} {
				got := take(mem, catalog.TypeText, src, idx).(*array.String)
				for j, w := range want {
					if g := got.Value(j); g != w {
						at := 0
						for at < min(len(g), len(w)) && g[at] == w[at] {
							at++
						}
						t.Fatalf("long %d rows %d: row %d of %d bytes differs from byte %d on: got %q", long, rows, j, len(w), at, g[at:min(len(g), at+8)])
					}
				}
				got.Release()
			}
			src.Release()
		}
	}
}
