package storage

import (
	"syscall"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/catalog"
)

// scanBenchStore returns a store holding rows lineitem rows flushed to
// segments, and the table.
func scanBenchStore(tb testing.TB, rows int) (*Store, *catalog.Table) {
	s := openTest(tb, tb.TempDir(), Options{})
	tbl := lineitemTable()
	mustCreate(tb, s, tbl)
	for from := 0; from < rows; from += 128 << 10 {
		rec := lineitemRecord(tbl, from, min(128<<10, rows-from), 0)
		mustInsert(tb, s, tbl, array.NewRecordBatch(tailSchemaNoRowID(tbl), rec.Columns()[:16], rec.NumRows()))
	}
	if err := s.Checkpoint(); err != nil {
		tb.Fatal(err)
	}
	return s, tbl
}

// scanKernels are the scans BenchmarkScanKernels times and
// TestScanAllocsPerBatch guards: Q1's columns without predicates, and
// with a predicate decided on dictionary codes and one on a date range.
var scanKernels = []struct {
	name  string
	cols  []int
	preds []Predicate
	// perBatch bounds the allocations per batch the scan returns.
	perBatch float64
}{
	{"q1-columns", []int{4, 5, 6, 7, 8, 9, 10}, nil, 400},
	{"shipmode-eq", []int{4, 14}, []Predicate{{Column: 14, Op: Eq, Value: "MAIL      "}}, 400},
	{"shipdate-range", []int{5, 10}, []Predicate{{Column: 10, Op: Ge, Value: int32(9000)}, {Column: 10, Op: Lt, Value: int32(9365)}}, 400},
}

// drainScan reads the scan of cols under preds to its end and returns the
// rows and batches it returned.
func drainScan(tb testing.TB, snap *Snapshot, tbl *catalog.Table, cols []int, preds []Predicate) (rows, batches int) {
	r, err := snap.Scan(tbl, cols, preds)
	if err != nil {
		tb.Fatal(err)
	}
	eachRecord(tb, r, func(rec arrow.Record) {
		rows += int(rec.NumRows())
		batches++
	})
	return rows, batches
}

// BenchmarkScanKernels scans 1M lineitem rows from segments with and
// without predicates, with allocation counts.
func BenchmarkScanKernels(b *testing.B) {
	const rows = 1 << 20
	s, tbl := scanBenchStore(b, rows)
	defer s.Close()
	snap := s.Snapshot()
	for _, k := range scanKernels {
		b.Run(k.name, func(b *testing.B) {
			b.ReportAllocs()
			var before, after syscall.Rusage
			syscall.Getrusage(syscall.RUSAGE_SELF, &before)
			for b.Loop() {
				drainScan(b, snap, tbl, k.cols, k.preds)
			}
			syscall.Getrusage(syscall.RUSAGE_SELF, &after)
			cpu := after.Utime.Nano() + after.Stime.Nano() - before.Utime.Nano() - before.Stime.Nano()
			// CPU time is the steadier figure on a shared machine.
			b.ReportMetric(float64(cpu)/float64(rows)/float64(b.N), "cpu-ns/row")
		})
	}
}

// TestScanAllocsPerBatch bounds the allocations of a segment scan per
// batch it returns: decoding allocates per page and per column chunk, never
// per row, so a batch of thousands of rows costs a few hundred at most.
func TestScanAllocsPerBatch(t *testing.T) {
	s, tbl := scanBenchStore(t, 256<<10)
	defer s.Close()
	snap := s.Snapshot()
	for _, k := range scanKernels {
		t.Run(k.name, func(t *testing.T) {
			_, batches := drainScan(t, snap, tbl, k.cols, k.preds)
			if batches == 0 {
				t.Fatal("no batches")
			}
			allocs := testing.AllocsPerRun(3, func() { drainScan(t, snap, tbl, k.cols, k.preds) })
			if got := allocs / float64(batches); got > k.perBatch {
				t.Errorf("%.0f allocations per batch (%d batches), want at most %.0f", got, batches, k.perBatch)
			} else {
				t.Logf("%.0f allocations per batch (%d batches; bound %.0f)", got, batches, k.perBatch)
			}
		})
	}
}
