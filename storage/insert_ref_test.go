package storage

import (
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/pqdb/pqdb/catalog"
)

// TestBulkCommitTimeTravelInsertRefs is TestBulkCommitTimeTravel and
// TestTimeTravelMatchesEveryCommit with every one-commit flush chunk's
// insertions kept as an insertion reference to its segment rather than
// an event file (event_files.go), compactions replacing those segments
// in between: history and every commit's state are as with event files.
func TestBulkCommitTimeTravelInsertRefs(t *testing.T) {
	defer func(n int64) { minInsertRefRows = n }(minInsertRefRows)
	minInsertRefRows = 1
	for _, spill := range []int64{0, 1} {
		t.Run(fmt.Sprintf("spill=%d", spill), func(t *testing.T) {
			if refs := timeTravelModel(t, false, spill); refs == 0 {
				t.Fatal("no insertion reference was made")
			}
		})
	}
}

// TestBulkCommitFaultsInsertRefs is TestBulkCommitFaultsLoseNothing with
// insertion references.
func TestBulkCommitFaultsInsertRefs(t *testing.T) {
	defer func(n int64) { minInsertRefRows = n }(minInsertRefRows)
	minInsertRefRows = 1
	timeTravelModel(t, true, 1)
}

// insertRefScenario loads kv with bulk commits of several flush chunks
// each, updates and deletes some of their rows, inserts a few rows
// row-wise, and compacts every segment away; it returns the store, the
// table and the seq after each commit.
func insertRefScenario(t *testing.T, dir string, opts Options) (*Store, *catalog.Table, []uint64) {
	t.Helper()
	s := openTest(t, dir, opts)
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	tbl = s.Snapshot().Table("public", "kv")
	seqNow := func() uint64 { return s.namespace("public").state.Load().seq }
	seqs := []uint64{seqNow()}
	bulk := func(n int, from int64, tag string) {
		tx := s.Begin()
		tx.PreferBulk()
		// Batches of a size that straddles the row groups and chunks.
		for lo := 0; lo < n; lo += 97 {
			must(t, tx.Insert(tbl, kvRows(min(97, n-lo), from+int64(lo), tag)))
		}
		must(t, tx.Commit())
		seqs = append(seqs, seqNow())
	}
	bulk(1000, 0, "a")
	mustInsert(t, s, tbl, kvRows(3, 5000, "row"))
	seqs = append(seqs, seqNow())
	tx := s.Begin()
	_, ids := scanAll(t, tx.Snapshot(), tbl)
	must(t, tx.Update(tbl, []int64{ids["10"], ids["999"]}, kvRecord([]int64{10, 999}, []string{"u10", "u999"})))
	must(t, tx.Delete(tbl, []int64{ids["0"], ids["500"], ids["5001"]}))
	must(t, tx.Commit())
	seqs = append(seqs, seqNow())
	bulk(701, 2000, "b")
	if _, err := s.Compact("public", "kv", CompactOptions{Full: true}); err != nil {
		t.Fatal(err)
	}
	return s, tbl, seqs
}

// TestInsertRefsAnswerAsEventFiles runs one workload of bulk commits
// with insertion references and with event files only: the history and
// the table as of every commit are the same, after a full compaction
// replaced the referenced segments and after a restart; no event file
// holds a bulk commit's rows, and the referenced files stay while
// referenced.
func TestInsertRefsAnswerAsEventFiles(t *testing.T) {
	defer func(n int64) { preferBulkRows = n }(preferBulkRows)
	preferBulkRows = 50
	defer func(n int64) { minInsertRefRows = n }(minInsertRefRows)
	opts := Options{FlushRows: 256, RowGroupRows: 64}

	type answer struct {
		history []string
		asOf    []map[string]string
	}
	read := func(s *Store, tbl *catalog.Table, seqs []uint64) answer {
		a := answer{history: historyOf(t, s.Snapshot(), tbl)}
		for _, seq := range seqs {
			rows, _ := scanAll(t, s.SnapshotAsOf(AsOf{Seq: seq, BySeq: true}), tbl)
			a.asOf = append(a.asOf, rows)
		}
		return a
	}
	same := func(got, want answer) {
		t.Helper()
		if !slices.Equal(got.history, want.history) {
			t.Fatalf("history: got %d rows, want %d\n got %v\nwant %v", len(got.history), len(want.history), got.history, want.history)
		}
		for i := range want.asOf {
			if !maps.Equal(got.asOf[i], want.asOf[i]) {
				t.Fatalf("as of commit %d: got %d rows, want %d", i, len(got.asOf[i]), len(want.asOf[i]))
			}
		}
	}

	minInsertRefRows = 1 << 62 // event files only
	s, tbl, seqs := insertRefScenario(t, t.TempDir(), opts)
	want := read(s, tbl, seqs)
	must(t, s.Close())
	if n := len(want.history); n != 1000+3+2+3+701 {
		t.Fatalf("%d history rows", n)
	}
	if rows := want.asOf[len(want.asOf)-1]; len(rows) != 1000+3-3+701 || rows["10"] != "10|u10" || rows["2700"] != "2700|b" {
		t.Fatalf("final state: %d rows, 10=%q 2700=%q", len(rows), rows["10"], rows["2700"])
	}

	minInsertRefRows = 100
	dir := t.TempDir()
	s, tbl, seqs = insertRefScenario(t, dir, opts)
	same(read(s, tbl, seqs), want)
	m := s.namespace("public").state.Load().byID[tbl.ID].manifest
	live := map[string]bool{}
	for _, seg := range m.Segments {
		live[seg.File] = true
	}
	var refRows int64
	for _, f := range m.Events {
		if f.Inserted == nil {
			continue
		}
		refRows += f.Rows
		if live[f.File] {
			t.Errorf("the full compaction left referenced segment %s in the table", f.File)
		}
		if !tableObjectExists(t, dir, tbl, f.File) {
			t.Errorf("referenced segment %s is missing", f.File)
		}
	}
	// Each bulk commit's chunks of 100 rows or more that hold only its
	// rows are references: all of the first's, the second's but its first
	// chunk, which holds the tail before it too.
	if refRows < 1000+100 || refRows > 1701 {
		t.Fatalf("%d rows in insertion references, want most of the 1701 bulk rows", refRows)
	}
	must(t, s.Close())
	s = openTest(t, dir, opts)
	same(read(s, tbl, seqs), want)
	must(t, s.Close())
}

// TestInsertRefsCollected: once the history retention has passed a bulk
// commit whose segments a compaction replaced, its references leave the
// manifest and the segments leave the disk; reads stay right.
func TestInsertRefsCollected(t *testing.T) {
	defer func(n int64) { preferBulkRows = n }(preferBulkRows)
	preferBulkRows = 50
	defer func(n int64) { minInsertRefRows = n }(minInsertRefRows)
	minInsertRefRows = 100
	dir := t.TempDir()
	opts := Options{FlushRows: 256, RowGroupRows: 64, HistoryRetention: time.Nanosecond}
	s, tbl, _ := insertRefScenario(t, dir, opts)
	defer s.Close()
	// One more flush and a checkpoint collect the history.
	mustInsert(t, s, tbl, kvRows(1, 9000, "last"))
	time.Sleep(time.Millisecond)
	must(t, s.Checkpoint())
	m := s.namespace("public").state.Load().byID[tbl.ID].manifest
	for _, f := range m.Events {
		if f.Inserted != nil {
			t.Errorf("reference to %s still listed", f.File)
		}
	}
	named := map[string]bool{}
	m.dataFiles(named, true)
	for _, f := range tableObjects(t, dir, tbl, segmentDataDir) {
		if !named[f] {
			t.Errorf("segment %s outlived its history", f)
		}
	}
	rows, _ := scanAll(t, s.Snapshot(), tbl)
	if len(rows) != 1000+3-3+701+1 || rows["999"] != "999|u999" || rows["0"] != "" {
		t.Fatalf("%d rows, 999=%q 0=%q", len(rows), rows["999"], rows["0"])
	}
}
