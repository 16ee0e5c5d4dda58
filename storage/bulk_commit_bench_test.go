package storage

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkCommitLoad commits loads of 131,072 rows each (as the TPC-H
// load's COPY statements) into a keyed table, as ordinary commits, whose
// rows go through the SQLite event log and are flushed later, and as
// bulk commits (PreferBulk), which write them to segments at commit. It
// reports rows/s, including the flush of the tail at the end, and the
// most bytes the schema's SQLite database and WAL held together.
//
//	go test ./storage -run '^$' -bench CommitLoad -benchtime 16x
func BenchmarkCommitLoad(b *testing.B) {
	const rows = 131072
	for _, bulk := range []bool{false, true} {
		b.Run(fmt.Sprintf("bulk=%v", bulk), func(b *testing.B) {
			dir := b.TempDir()
			s := openTest(b, dir, Options{})
			defer s.Close()
			tbl := kvTable("kv")
			mustCreate(b, s, tbl)
			sqliteBytes := func() int64 {
				var n int64
				for _, f := range []string{writerDBName, writerDBName + "-wal"} {
					if fi, err := os.Stat(filepath.Join(dir, "public", f)); err == nil {
						n += fi.Size()
					}
				}
				return n
			}
			var peak int64
			var elapsed time.Duration
			b.ResetTimer()
			for i := range b.N {
				b.StopTimer()
				rec := kvRows(rows, int64(i)*rows, "a value of some twenty bytes")
				b.StartTimer()
				start := time.Now()
				tx := s.Begin()
				if bulk {
					tx.PreferBulk()
				}
				if err := tx.Insert(tbl, rec); err != nil {
					b.Fatal(err)
				}
				if err := tx.Commit(); err != nil {
					b.Fatal(err)
				}
				elapsed += time.Since(start)
				rec.Release()
				peak = max(peak, sqliteBytes())
			}
			start := time.Now()
			if err := s.Checkpoint(); err != nil {
				b.Fatal(err)
			}
			elapsed += time.Since(start)
			b.ReportMetric(float64(b.N*rows)/elapsed.Seconds(), "rows/s")
			b.ReportMetric(float64(peak), "sqlite-bytes")
		})
	}
}
