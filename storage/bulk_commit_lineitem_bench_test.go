package storage

import (
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/internal/cputime"
)

// BenchmarkBulkCommitLineitem loads 1M lineitem rows as COPY does: one
// transaction preferring bulk commits inserts them 64k rows at a time
// (spilling past Options.SpillBytes), then commits, which writes the
// segments and event files. It reports the commit's share: its rows/s,
// its CPU time per row, and how many cores it kept busy on average
// (CPU time over wall time), which shows how much of the flush runs in
// parallel.
//
//	go test ./storage -run '^$' -bench BulkCommitLineitem -benchtime 2x
func BenchmarkBulkCommitLineitem(b *testing.B) {
	const rows, batch = 1 << 20, 64 << 10
	tbl := lineitemTable()
	var recs []arrow.Record
	for from := 0; from < rows; from += batch {
		full := lineitemRecord(tbl, from, batch, 0)
		// Insert takes the table's columns, without the row ids.
		recs = append(recs, array.NewRecordBatch(tailSchemaNoRowID(tbl), full.Columns()[:len(tbl.Columns)], full.NumRows()))
		full.Release()
	}
	var commitWall, commitCPU time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := openTest(b, b.TempDir(), Options{})
		t := lineitemTable()
		mustCreate(b, s, t)
		tx := s.Begin()
		tx.PreferBulk()
		for _, rec := range recs {
			if err := tx.Insert(t, rec); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		cpu0, start := cputime.Process(), time.Now()
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
		commitWall += time.Since(start)
		commitCPU += time.Duration(cputime.Process() - cpu0)
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(rows)*float64(b.N)/commitWall.Seconds(), "commit-rows/s")
	b.ReportMetric(float64(commitCPU.Nanoseconds())/float64(rows*b.N), "commit-cpu-ns/row")
	b.ReportMetric(commitCPU.Seconds()/commitWall.Seconds(), "cores")
}
