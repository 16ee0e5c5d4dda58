package storage

import "testing"

// TestAnalyzeSketchesOldSegments: segments written before sketches get
// theirs from Analyze, in a new manifest version that keeps every row
// and survives a restart; a second Analyze has nothing to do.
func TestAnalyzeSketchesOldSegments(t *testing.T) {
	dir := t.TempDir()
	opts := Options{RowGroupRows: 100, Compaction: noCompaction}
	s := openTest(t, dir, opts)
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	for i := range 2 {
		mustInsert(t, s, tbl, kvValues(500, int64(i*500), 37, 5))
		mustCheckpoint(t, s)
	}
	stripSketches(t, s, tbl)
	rows, _ := scanAll(t, s.Snapshot(), tbl)
	s.Close()

	s = openTest(t, dir, opts)
	if _, ok := s.Snapshot().EstimatedDistinct(tbl, 1); ok {
		t.Fatal("an estimate for text without sketches")
	}
	// A row in the tail: Analyze flushes it first.
	mustInsert(t, s, tbl, kvValues(1, 5000, 37, 0))
	before := currentManifest(s, tbl).Version
	res, err := s.Analyze("public", "kv")
	if err != nil {
		t.Fatal(err)
	}
	if res.Segments != 2 || res.Rows != 1000 {
		t.Errorf("Analyze %+v, want 2 segments of 1000 rows", res)
	}
	m := currentManifest(s, tbl)
	if m.Version != before+2 || len(m.Segments) != 3 {
		t.Errorf("manifest version %d with %d segments, want %d (a flush, then Analyze) with 3", m.Version, len(m.Segments), before+2)
	}
	wantDistinct(t, s, tbl, 1, 35, 39, "analyzed")
	wantDistinct(t, s, tbl, 0, 980, 1030, "analyzed")
	got, _ := scanAll(t, s.Snapshot(), tbl)
	delete(got, "5000")
	if !equalRows(got, rows) {
		t.Fatal("Analyze changed the rows")
	}
	if res, err := s.Analyze("public", "kv"); err != nil || res.Segments != 0 {
		t.Errorf("second Analyze %+v %v", res, err)
	}
	wantCode(t, func() error { _, err := s.Analyze("public", "nope"); return err }(), "42P01")
	s.Close()
	s = openTest(t, dir, opts)
	defer s.Close()
	wantDistinct(t, s, tbl, 1, 35, 39, "reopened")
}
