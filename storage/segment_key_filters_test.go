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
// keyFilterTable makes ixTable with a unique index on u, in three
// segments of 600 ids each: ids in ranges, so the unique column u, a
// permutation of the ids, spans every segment's range of u.
func keyFilterTable(t *testing.T, s *Store) *catalog.Table {
	t.Helper()
	tbl := ixTable()
	mustCreate(t, s, tbl)
	tx := s.Begin()
	if err := tx.CreateIndex(&catalog.Index{Schema: "public", Name: "ix_u", Table: "ix", Columns: []string{"u"}, Unique: true}); err != nil {
		t.Fatal(err)
	}
	must(t, tx.Commit())
	for k := range keySegments {
		mustInsert(t, s, tbl, ixRecord(tbl, k*keyRows, keyRows, 0))
		must(t, s.Checkpoint())
	}
	if n := len(s.Snapshot().tableState(tbl).manifest.Segments); n != keySegments {
		t.Fatalf("%d segments, want %d", n, keySegments)
	}
	return tbl
}

const keySegments, keyRows = 3, 600

func TestKeyFiltersKeptConcurrently(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{RowGroupRows: 200, Compaction: CompactionPolicy{Disabled: true}})
	defer s.Close()
	tbl := keyFilterTable(t, s)
	const segments, rows = keySegments, keyRows
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

// TestKeyFiltersTooLargeStayInFile: filters over maxKeyFilterBytes are
// not kept, and are not read again to keep them, yet still rule row
// groups out from the file; the store counts only the filters it keeps.
func TestKeyFiltersTooLargeStayInFile(t *testing.T) {
	defer func(old int64) { maxKeyFilterBytes = old }(maxKeyFilterBytes)
	maxKeyFilterBytes = 1 // from the start: loading the table checks its keys
	s := openTest(t, t.TempDir(), Options{RowGroupRows: 200, Compaction: CompactionPolicy{Disabled: true}})
	defer s.Close()
	tbl := keyFilterTable(t, s)
	for round := range 2 {
		got, counts := scanIDs(t, s, tbl, []Predicate{{Column: 4, Op: Eq, Value: ixUnique(301, 0)}}, 0)
		if !got[301] || len(got) != 1 {
			t.Fatalf("round %d: lookup returned %v", round, got)
		}
		if counts.Segments.Load() != keySegments || counts.RowGroupsBloomSkipped.Load() == 0 {
			t.Errorf("round %d: entered %d segments, %d row groups skipped by bloom filter; want %d and some", round, counts.Segments.Load(), counts.RowGroupsBloomSkipped.Load(), keySegments)
		}
	}
	if n := s.keyFilterBytes.Load(); n != 0 {
		t.Errorf("the store counts %d bytes of filters it does not keep", n)
	}
	for _, seg := range s.Snapshot().tableState(tbl).manifest.Segments {
		if cf, ok := keyFiltersOf(seg, "u"); !ok || !cf.inFile || cf.filters != nil {
			t.Errorf("segment %s: kept %d filters (decided %v, in file %v), want them left in the file", seg.File, len(cf.filters), ok, cf.inFile)
		}
	}
	maxKeyFilterBytes = 1 << 20
	s2 := openTest(t, t.TempDir(), Options{RowGroupRows: 200, Compaction: CompactionPolicy{Disabled: true}})
	defer s2.Close()
	tbl2 := keyFilterTable(t, s2)
	scanIDs(t, s2, tbl2, []Predicate{{Column: 4, Op: Eq, Value: ixUnique(301, 0)}}, 0)
	var kept int64
	for _, seg := range s2.Snapshot().tableState(tbl2).manifest.Segments {
		cf, _ := keyFiltersOf(seg, "u")
		kept += filtersSize(cf.filters)
	}
	if n := s2.keyFilterBytes.Load(); kept == 0 || n < kept {
		t.Errorf("the store counts %d bytes of filters, its segments keep %d", n, kept)
	}
}
