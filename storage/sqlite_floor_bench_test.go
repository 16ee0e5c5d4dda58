package storage

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/pqdb/pqdb/internal/cputime"
)

// BenchmarkSQLiteCommitFloor is the least a commit group costs in the
// design's event log, before any of pqdb's own work: one SQLite
// transaction of a writer's database (its schema and pragmas: WAL,
// synchronous=FULL, exclusive locking) holding n events of a few hundred
// bytes and a commits row, synced. A pgbench TPC-B transaction logs four
// events; the flushed ones are deleted now and then, as flushes do.
func BenchmarkSQLiteCommitFloor(b *testing.B) {
	for _, events := range []int{1, 4, 8} {
		b.Run(fmt.Sprint(events, "-events"), func(b *testing.B) {
			db, err := openWriterDB(filepath.Join(b.TempDir(), "writer.sqlite"))
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			insertEvent, err := db.Prepare(insertEventSQL)
			if err != nil {
				b.Fatal(err)
			}
			insertCommit, err := db.Prepare(insertCommitSQL)
			if err != nil {
				b.Fatal(err)
			}
			payload := make([]byte, 300)
			seq := 0
			cpu := cputime.Process()
			for b.Loop() {
				seq++
				tx, err := db.Begin()
				if err != nil {
					b.Fatal(err)
				}
				for k := range events {
					if _, err := tx.Stmt(insertEvent).Exec(seq, k, seq, opInsert, k, nil, payload); err != nil {
						b.Fatal(err)
					}
				}
				if _, err := tx.Stmt(insertCommit).Exec(seq, seq, seq); err != nil {
					b.Fatal(err)
				}
				if err := tx.Commit(); err != nil {
					b.Fatal(err)
				}
				if seq%512 == 0 {
					if _, err := db.Exec(`DELETE FROM events WHERE seq <= ?`, seq-256); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(cputime.Process()-cpu)/float64(b.N), "cpu-ns/op")
		})
	}
}
