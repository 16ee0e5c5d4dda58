package exec

import (
	"math/rand/v2"
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

// TestTakeVarlenMatchesValues: gathered byte strings are the source's
// values, NULLs and -1 indices NULL, for values of 0 to 40 bytes (copied
// as two words up to 16, where the source has 16 bytes to read), values
// at the end of the data buffer, a sliced source and rows taken twice.
func TestTakeVarlenMatchesValues(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 8))
	for _, rows := range []int{1, 2, 17, 1000} {
		b := array.NewStringBuilder(memory.NewGoAllocator())
		var vals []string
		var valid []bool
		for range rows + 3 {
			if rng.IntN(9) == 0 {
				b.AppendNull()
				vals, valid = append(vals, ""), append(valid, false)
				continue
			}
			s := strings.Repeat(string(rune('a'+rng.IntN(26))), rng.IntN(41))
			b.Append(s)
			vals, valid = append(vals, s), append(valid, true)
		}
		whole := b.NewArray()
		b.Release()
		src := array.NewSlice(whole, 3, int64(rows+3)) // offsets not from 0
		vals, valid = vals[3:], valid[3:]
		idx := make([]int32, 2*rows)
		for k := range idx {
			idx[k] = int32(rng.IntN(rows+1)) - 1 // -1: a row of NULLs
		}
		idx[0] = int32(rows - 1) // the last value, at the end of the data
		for _, mem := range []memory.Allocator{defaultPool, memory.NewGoAllocator()} {
			got := take(mem, catalog.TypeText, src, idx).(*array.String)
			for k, i := range idx {
				if i < 0 || !valid[i] {
					if got.IsValid(k) {
						t.Fatalf("rows %d: row %d (source %d) is %q, want NULL", rows, k, i, got.Value(k))
					}
					continue
				}
				if !got.IsValid(k) || got.Value(k) != vals[i] {
					t.Fatalf("rows %d: row %d (source %d) is %q, want %q", rows, k, i, got.Value(k), vals[i])
				}
			}
			got.Release()
		}
		src.Release()
		whole.Release()
	}
}
