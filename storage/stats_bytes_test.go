package storage

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// The byte-string bounds of sliceBounds equal a plain byte-wise min and
// max, over strings that share first bytes with the bounds (up to and
// past the eight its prefix words hold), empty ones, zero and high bytes
// and NULLs, in slices at every offset, of arrays that are themselves
// slices (whose offsets do not start at 0).
func TestBytesBoundsMatchBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	alphabet := []byte{0, 'a', 'b', 'z', 0xff}
	for round := 0; round < 300; round++ {
		b := array.NewBinaryBuilder(memory.DefaultAllocator, arrow.BinaryTypes.Binary)
		n := 1 + rng.IntN(60)
		var vals [][]byte
		for i := 0; i < n; i++ {
			if rng.IntN(7) == 0 {
				b.AppendNull()
				vals = append(vals, nil)
				continue
			}
			v := make([]byte, rng.IntN(12))
			for j := range v {
				v[j] = alphabet[rng.IntN(len(alphabet))]
			}
			b.Append(v)
			vals = append(vals, v)
		}
		var arr arrow.Array = b.NewBinaryArray()
		if skip := rng.IntN(3); skip > 0 && skip < n {
			sliced := array.NewSlice(arr, int64(skip), int64(n))
			arr.Release()
			arr, vals, n = sliced, vals[skip:], n-skip
		}
		lo := rng.IntN(n)
		hi := lo + rng.IntN(n-lo+1)
		var mn, mx bound
		nulls, have, ok := sliceBounds(arr, lo, hi, &mn, &mx)
		var wmn, wmx []byte
		whave, wnulls := false, 0
		for i := lo; i < hi; i++ {
			if arr.IsNull(i) {
				wnulls++
				continue
			}
			v := vals[i]
			if !whave || bytes.Compare(v, wmn) < 0 {
				wmn = v
			}
			if !whave || bytes.Compare(v, wmx) > 0 {
				wmx = v
			}
			whave = true
		}
		if !ok || nulls != wnulls || have != whave || have && (!bytes.Equal(mn.b, wmn) || !bytes.Equal(mx.b, wmx)) {
			t.Fatalf("round %d %q[%d:%d]: got %q..%q (nulls %d have %v ok %v), want %q..%q (nulls %d have %v)",
				round, vals, lo, hi, mn.b, mx.b, nulls, have, ok, wmn, wmx, wnulls, whave)
		}
		arr.Release()
	}
}
