package storage

import (
	"fmt"
	"maps"
	"testing"
)

// TestSegmentWriterValueChunks flushes row groups larger than
// segmentValueRows, from batches that straddle its multiples, with NULLs
// and values of every length in the text column, and checks that the
// segment reads back as written, after a restart too.
func TestSegmentWriterValueChunks(t *testing.T) {
	for _, rows := range []int{segmentValueRows, segmentValueRows + 1, 3*segmentValueRows - 1, 3*segmentValueRows + 5} {
		t.Run(fmt.Sprint(rows), func(t *testing.T) {
			dir := t.TempDir()
			opts := Options{RowGroupRows: 2*segmentValueRows + 3, FlushRows: 1 << 20}
			s := openTest(t, dir, opts)
			tbl := kvTable("kv")
			mustCreate(t, s, tbl)
			model := map[string]string{}
			tx := s.Begin()
			const batch = 3000
			for lo := 0; lo < rows; lo += batch {
				n := min(batch, rows-lo)
				keys := make([]int64, n)
				vals := make([]string, n)
				for i := range keys {
					k := lo + i
					keys[i] = int64(k)
					vals[i] = fmt.Sprintf("%0*d", k%40, k)
					model[fmt.Sprint(k)] = fmt.Sprintf("%d|%s", k, vals[i])
					if k%7 == 0 {
						vals[i] = "NULL" // kvRecord's NULL
						model[fmt.Sprint(k)] = fmt.Sprintf("%d|(null)", k)
					}
				}
				must(t, tx.Insert(tbl, kvRecord(keys, vals)))
			}
			must(t, tx.Commit())
			must(t, s.Checkpoint())
			check := func(s *Store) {
				t.Helper()
				got, _ := scanAll(t, s.Snapshot(), tbl)
				if !maps.Equal(got, model) {
					for k, v := range model {
						if got[k] != v {
							t.Fatalf("%d rows (want %d); row %s = %q, want %q", len(got), len(model), k, got[k], v)
						}
					}
					t.Fatalf("%d rows, want %d", len(got), len(model))
				}
				ts := s.namespace("public").state.Load().byID[tbl.ID]
				if len(ts.inserts) != 0 || len(ts.manifest.Segments) == 0 {
					t.Fatalf("%d tail batches, %d segments: not flushed", len(ts.inserts), len(ts.manifest.Segments))
				}
			}
			check(s)
			must(t, s.Close())
			s = openTest(t, dir, opts)
			defer s.Close()
			check(s)
		})
	}
}
