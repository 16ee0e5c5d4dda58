package exec

import (
	"context"
	"testing"
)

// BenchmarkExternalSort sorts 1M TPC-H-like lineitem rows by
// extendedprice and shipdate in memory and with work_mem at 4MB, where
// the sort writes and merges about 30 runs.
func BenchmarkExternalSort(b *testing.B) {
	const rows = 1 << 20
	types, recs := lineitem(rows, 1<<16)
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	for _, bc := range []struct {
		name    string
		workMem int64
	}{{"in-memory", 0}, {"work_mem=4MB", 4 << 20}} {
		b.Run(bc.name, func(b *testing.B) {
			ctx := NewContext(context.Background())
			ctx.WorkMem = bc.workMem
			ctx.TempDir = b.TempDir()
			defer ctx.Release()
			var spilled MemoryReport
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				s := NewSort(NewScan(types, func(*Context) (RecordSource, error) { return &sliceSource{recs: recs}, nil }),
					[]SortKey{{Expr: ColumnRef(3, types[3])}, {Expr: ColumnRef(6, types[6]), Desc: true}})
				if err := Drain(ctx, s, func(*Batch) error { return nil }); err != nil {
					b.Fatal(err)
				}
				spilled = s.(*sortOp).MemoryReport()
			}
			b.StopTimer()
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/rows, "ns/row")
			b.ReportMetric(float64(spilled.DiskBytes)/(1<<20), "disk-MB")
		})
	}
}
