package exec

import (
	"context"
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/internal/cputime"
)

// BenchmarkExternalSort sorts 1M TPC-H-like lineitem rows by
// extendedprice and shipdate in memory and with work_mem at 4MB, where
// the sort writes and merges about 30 runs: serially, and as a parallel
// sort of two pipelines that each read every other batch.
func BenchmarkExternalSort(b *testing.B) {
	const rows = 1 << 20
	types, recs := lineitem(rows, 1<<16)
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	keys := []SortKey{{Expr: ColumnRef(3, types[3])}, {Expr: ColumnRef(6, types[6]), Desc: true}}
	scanOf := func(recs []arrow.Record) Operator {
		return NewScan(types, func(*Context) (RecordSource, error) { return &sliceSource{recs: recs}, nil })
	}
	for _, bc := range []struct {
		name    string
		workMem int64
	}{{"in-memory", 0}, {"work_mem=4MB", 4 << 20}} {
		for _, pipelines := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s/pipelines=%d", bc.name, pipelines), func(b *testing.B) {
				ctx := NewContext(context.Background())
				ctx.WorkMem = bc.workMem
				ctx.TempDir = b.TempDir()
				defer ctx.Release()
				var spilled MemoryReport
				b.ResetTimer()
				cpu0 := cputime.Process()
				for i := 0; i < b.N; i++ {
					var s Operator
					if pipelines == 1 {
						s = NewSort(scanOf(recs), keys)
					} else {
						parts := make([][]arrow.Record, pipelines)
						for j, r := range recs {
							parts[j%pipelines] = append(parts[j%pipelines], r)
						}
						inputs := make([]Operator, pipelines)
						keyLists := make([][]SortKey, pipelines)
						for j := range parts {
							inputs[j], keyLists[j] = scanOf(parts[j]), keys
						}
						s = NewParallelSort(inputs, keyLists, nil)
					}
					if err := Drain(ctx, s, func(*Batch) error { return nil }); err != nil {
						b.Fatal(err)
					}
					spilled = s.(memoryReporter).MemoryReport()
				}
				b.StopTimer()
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/rows, "ns/row")
				b.ReportMetric(float64(cputime.Process()-cpu0)/float64(b.N)/rows, "cpu-ns/row")
				b.ReportMetric(float64(spilled.DiskBytes)/(1<<20), "disk-MB")
			})
		}
	}
}
