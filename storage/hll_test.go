package storage

import (
	"fmt"
	"math"
	"syscall"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// sketchOfInts sketches the int64s from, from+1, ..., from+n-1, built
// into arrays of at most 64k values.
func sketchOfInts(from, n int64) *ndvSketch {
	sk := new(ndvSketch)
	b := array.NewInt64Builder(memory.DefaultAllocator)
	for lo := int64(0); lo < n; lo += 1 << 16 {
		for i := lo; i < min(n, lo+1<<16); i++ {
			b.Append(from + i)
		}
		arr := b.NewArray()
		sk.addArray(arr, 0, arr.Len())
		arr.Release()
	}
	return sk
}

// TestSketchAccuracy: the estimate is within 6% (over twice the
// sketch's standard error of 2.3%) of the true count at 1k, 100k and 1M
// distinct values, of integers and of strings, and exact enough for a
// few values; a merge estimates the union.
func TestSketchAccuracy(t *testing.T) {
	for _, n := range []int64{1_000, 100_000, 1_000_000} {
		if got := sketchOfInts(7, n).estimate(); math.Abs(got-float64(n)) > 0.06*float64(n) {
			t.Errorf("%d integers: estimate %.0f", n, got)
		}
		sk := new(ndvSketch)
		b := array.NewStringBuilder(memory.DefaultAllocator)
		for i := range n {
			b.Append(fmt.Sprintf("customer#%09d", i))
		}
		arr := b.NewArray()
		sk.addArray(arr, 0, arr.Len())
		arr.Release()
		if got := sk.estimate(); math.Abs(got-float64(n)) > 0.06*float64(n) {
			t.Errorf("%d strings: estimate %.0f", n, got)
		}
	}
	// Short strings, whose lengths and bytes must not cancel out ("v1"
	// and "v10").
	for _, n := range []int{37, 300} {
		var sk ndvSketch
		b := array.NewStringBuilder(memory.DefaultAllocator)
		for i := range n {
			b.Append(fmt.Sprintf("v%d", i))
		}
		arr := b.NewArray()
		sk.addArray(arr, 0, arr.Len())
		if got := sk.estimate(); math.Abs(got-float64(n)) > 0.05*float64(n) {
			t.Errorf("%d short strings: estimate %.1f", n, got)
		}
	}
	for _, n := range []int64{1, 3, 25, 200} {
		if got := sketchOfInts(0, n).estimate(); math.Abs(got-float64(n)) > 0.05*float64(n)+0.5 {
			t.Errorf("%d integers: estimate %.2f", n, got)
		}
	}
	if got := new(ndvSketch).estimate(); got != 0 {
		t.Errorf("empty sketch: %v", got)
	}
	// [0, 600k) and [400k, 1M) overlap: their union is 1M values.
	a, b := sketchOfInts(0, 600_000), sketchOfInts(400_000, 600_000)
	a.merge(b)
	if got := a.estimate(); math.Abs(got-1e6) > 0.06e6 {
		t.Errorf("merged: estimate %.0f, want about 1000000", got)
	}
}

// TestSketchNullsAndDuplicates: NULLs add nothing and repeated values
// count once.
func TestSketchNullsAndDuplicates(t *testing.T) {
	b := array.NewStringBuilder(memory.DefaultAllocator)
	for i := range 10_000 {
		if i%3 == 0 {
			b.AppendNull()
		} else {
			b.Append([]string{"R", "A", "N"}[i%3])
		}
	}
	arr := b.NewArray()
	defer arr.Release()
	sk := new(ndvSketch)
	sk.addArray(arr, 0, arr.Len())
	if got := sk.estimate(); math.Round(got) != 2 {
		t.Errorf("estimate %.2f, want 2", got)
	}
}

// TestSketchSlicedArrays: a slice of an array (a record cut into row
// groups, a scan's batch) hashes its own values, byte strings too.
func TestSketchSlicedArrays(t *testing.T) {
	sb := array.NewStringBuilder(memory.DefaultAllocator)
	bb := array.NewBinaryBuilder(memory.DefaultAllocator, arrow.BinaryTypes.Binary)
	for i := range 3000 {
		sb.Append(fmt.Sprintf("value %d", i))
		bb.Append([]byte(fmt.Sprintf("value %d", i)))
	}
	for _, arr := range []arrow.Array{sb.NewArray(), bb.NewArray()} {
		var whole, parts ndvSketch
		whole.addArray(arr, 1000, 3000)
		sliced := array.NewSlice(arr, 1000, 3000)
		parts.addArray(sliced, 0, 1000)
		parts.addArray(sliced, 1000, 2000)
		if whole.reg != parts.reg {
			t.Errorf("%s: a slice's sketch differs", arr.DataType())
		}
	}
}

// TestSketchHashesIntegersAlike: an integer hashes the same whatever its
// width, as a column's segments may hold it before and after a widening
// ALTER TABLE.
func TestSketchHashesIntegersAlike(t *testing.T) {
	for _, v := range []int64{0, 1, -1, 1<<31 - 1, -1 << 31, 42} {
		b32 := array.NewInt32Builder(memory.DefaultAllocator)
		b64 := array.NewInt64Builder(memory.DefaultAllocator)
		b32.Append(int32(v))
		b64.Append(v)
		a32, a64 := b32.NewArray(), b64.NewArray()
		var s32, s64 ndvSketch
		s32.addArray(a32, 0, 1)
		s64.addArray(a64, 0, 1)
		if s32.reg != s64.reg || s32.estimate() < 0.5 {
			t.Errorf("%d: int32 and int64 sketches differ", v)
		}
	}
}

// TestSketchMarshal: both manifest forms read back to the same
// registers; the sparse one is used for few values; a malformed sketch
// is refused.
func TestSketchMarshal(t *testing.T) {
	for _, n := range []int64{0, 5, 300, 100_000} {
		sk := sketchOfInts(0, n)
		b := sk.marshal()
		if sparse := b[0] == sketchSparse; sparse != (n <= 300) {
			t.Errorf("%d values: form %d in %d bytes", n, b[0], len(b))
		}
		if len(b) > 1+sketchRegisters*6/8 {
			t.Errorf("%d values: %d bytes", n, len(b))
		}
		var back ndvSketch
		if err := back.mergeMarshaled(b); err != nil || back.reg != sk.reg {
			t.Errorf("%d values: read back differs (%v)", n, err)
		}
	}
	for _, bad := range [][]byte{nil, {9}, {sketchSparse, 1}, {sketchSparse, 0xff, 0, 1}, {sketchDense, 1, 2}} {
		var sk ndvSketch
		if err := sk.mergeMarshaled(bad); err == nil {
			t.Errorf("%v read", bad)
		}
	}
}

// BenchmarkSketchLineitem measures what sketching adds to a flush: each
// of the 16 columns of 1M lineitem rows, in CPU time per row.
func BenchmarkSketchLineitem(b *testing.B) {
	tbl := lineitemTable()
	rec := lineitemRecord(tbl, 0, 1<<20, 0)
	defer rec.Release()
	for c := range 16 {
		b.Run(tbl.Columns[c].Name, func(b *testing.B) {
			var before, after syscall.Rusage
			syscall.Getrusage(syscall.RUSAGE_SELF, &before)
			for i := 0; i < b.N; i++ {
				var sk ndvSketch
				sk.addArray(rec.Column(c), 0, int(rec.NumRows()))
			}
			syscall.Getrusage(syscall.RUSAGE_SELF, &after)
			cpu := after.Utime.Nano() + after.Stime.Nano() - before.Utime.Nano() - before.Stime.Nano()
			b.ReportMetric(float64(cpu)/float64(b.N)/float64(rec.NumRows()), "cpu-ns/row")
		})
	}
}
