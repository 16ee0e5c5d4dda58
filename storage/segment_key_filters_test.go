package storage

import (
	"sync"
	"testing"

	"github.com/pqdb/pqdb/catalog"
)

// TestKeyFiltersKeptConcurrently looks keys up from many goroutines at
// once, by the primary key and by a unique index's column, in a table of
// three segments whose values of that column interleave: the scans keep
// both columns' filters on the same Segments at the same time (run it
// with -race).
// Every lookup of a present key finds its row, absent keys find none,
// and once the filters are kept the segments without a key are skipped
// before being entered.
func TestKeyFiltersKeptConcurrently(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{RowGroupRows: 200, Compaction: CompactionPolicy{Disabled: true}})
	defer s.Close()
	tbl := ixTable()
	mustCreate(t, s, tbl)
	tx := s.Begin()
	if err := tx.CreateIndex(&catalog.Index{Schema: "public", Name: "ix_u", Table: "ix", Columns: []string{"u"}, Unique: true}); err != nil {
		t.Fatal(err)
	}
	must(t, tx.Commit())
	const segments, rows = 3, 600
	for k := range segments {
		// Ids in ranges, so the unique column u, a permutation of the
		// ids, spans every segment's range of u.
		mustInsert(t, s, tbl, ixRecord(tbl, k*rows, rows, 0))
		must(t, s.Checkpoint())
	}
	if n := len(s.Snapshot().tableState(tbl).manifest.Segments); n != segments {
		t.Fatalf("%d segments, want %d", n, segments)
	}
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := w; id < rows*segments+50; id += 7 {
				for _, p := range []Predicate{{Column: 0, Op: Eq, Value: int64(id)}, {Column: 4, Op: Eq, Value: ixUnique(id, 0)}} {
					got, _ := scanIDs(t, s, tbl, []Predicate{p}, 0)
					if want := id < rows*segments; got[int64(id)] != want || len(got) > 1 {
						t.Errorf("lookup of id %d by column %d: got %v", id, p.Column, got)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	_, counts := scanIDs(t, s, tbl, []Predicate{{Column: 4, Op: Eq, Value: ixUnique(301, 0)}}, 0)
	if counts.Segments.Load() != 1 || counts.SegmentsSkipped.Load() != segments-1 {
		t.Errorf("lookup entered %d segments and skipped %d, want 1 and %d", counts.Segments.Load(), counts.SegmentsSkipped.Load(), segments-1)
	}
}
