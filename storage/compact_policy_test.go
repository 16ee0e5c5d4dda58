package storage

import (
	"testing"
	"time"
)

// TestCompactionPolicySmallRows: by default a segment of fewer live rows
// than a row group is small, one of a row group or more is not, however
// many there are; deleted rows do not count.
func TestCompactionPolicySmallRows(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{RowGroupRows: 4})
	defer s.Close()
	pol := s.compactionPolicy()
	if pol.SmallRows != 4 {
		t.Fatalf("SmallRows %d, want one row group (4)", pol.SmallRows)
	}
	m := &Manifest{}
	for range 20 {
		m.Segments = append(m.Segments, &Segment{Rows: 4})
	}
	if compactionDue(m, pol) || len(planCompaction(m, pol, false)) != 0 {
		t.Fatal("segments of a row group each were compacted")
	}
	// More than MaxSmall (8) segments of three rows are due.
	for _, seg := range m.Segments[:9] {
		seg.Rows = 3
	}
	if !compactionDue(m, pol) {
		t.Fatal("nine segments of fewer rows than a row group are not due")
	}
	groups := planCompaction(m, pol, false)
	n := 0
	for _, g := range groups {
		n += len(g)
	}
	if n != 9 {
		t.Fatalf("%d small segments planned, want 9", n)
	}
}

// TestBulkLoadNotRecompacted: a bulk commit flushed in many chunks of a
// row group or more leaves its segments as written: no background
// compaction rewrites them, and every row reads back.
func TestBulkLoadNotRecompacted(t *testing.T) {
	defer func(n int64) { preferBulkRows = n }(preferBulkRows)
	preferBulkRows = 50
	s := openTest(t, t.TempDir(), Options{FlushRows: 40, RowGroupRows: 16})
	defer s.Close()
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	tx := s.Begin()
	tx.PreferBulk()
	for lo := 0; lo < 1000; lo += 33 {
		must(t, tx.Insert(tbl, kvRows(min(33, 1000-lo), int64(lo), "x")))
	}
	must(t, tx.Commit())
	must(t, s.Checkpoint())
	time.Sleep(50 * time.Millisecond) // a background compaction would have started
	m := currentManifest(s, tbl)
	if len(m.Segments) <= s.compactionPolicy().MaxSmall {
		t.Fatalf("%d segments: too few to tell", len(m.Segments))
	}
	if c := s.Stats().Compactions; c != 0 {
		t.Fatalf("%d compactions after a bulk load", c)
	}
	rows, _ := scanAll(t, s.Snapshot(), tbl)
	if len(rows) != 1000 || rows["0"] != "0|x" || rows["999"] != "999|x" {
		t.Fatalf("%d rows, 0=%q 999=%q", len(rows), rows["0"], rows["999"])
	}
}
