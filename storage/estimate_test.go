package storage

import "testing"

// TestEstimatedDistinct: an integer column's distinct values are bounded
// by the span of its segments' bounds plus one per unflushed row; a text
// column, or a table with no flushed segment, has no bound.
func TestEstimatedDistinct(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{RowGroupRows: 250})
	defer s.Close()
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	mustInsert(t, s, tbl, kvRows(10, 5, "a"))
	if _, ok := s.Snapshot().EstimatedDistinct(tbl, 0); ok {
		t.Error("a bound without segments")
	}
	mustInsert(t, s, tbl, kvRows(1000, 100, "b"))
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	if n, ok := s.Snapshot().EstimatedDistinct(tbl, 0); !ok || n != 1095 {
		t.Errorf("k over segments: %d %v, want 1095 (5..1099)", n, ok)
	}
	mustInsert(t, s, tbl, kvRows(3, 5000, "c"))
	if n, ok := s.Snapshot().EstimatedDistinct(tbl, 0); !ok || n != 1098 {
		t.Errorf("k with 3 unflushed rows: %d %v, want 1098", n, ok)
	}
	if _, ok := s.Snapshot().EstimatedDistinct(tbl, 1); ok {
		t.Error("a bound for a text column")
	}
}
