package storage

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pqdb/pqdb/pgerr"
)

// TestBulkCommitFlushFailsThenCrash commits spilled rows while every
// manifest publication fails, so the bulk commit's flush fails after the
// commit, which logged its manifest, is durable: the commit still
// succeeds, its rows logged in place of the manifest (relogRows) and
// read into the tail;
// after a crash they are replayed, exactly once, the files the failed
// flush left are swept, and a later flush writes them.
func TestBulkCommitFlushFailsThenCrash(t *testing.T) {
	dir := t.TempDir()
	opts := Options{SpillBytes: 1, FlushRows: 40, RowGroupRows: 16}
	s := openTest(t, dir, opts)
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	mustInsert(t, s, tbl, kvRows(30, 0, "old"))
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	_, ids := scanAll(t, s.Snapshot(), tbl)

	// Fail the manifest's publication: the flush has written its
	// segments and event files by then.
	bulkBefore := s.Stats().BulkCommits
	failing := 0
	hook := func(op, path string) error {
		if op == "read" {
			return nil // a write fault
		}
		if !strings.Contains(path, manifestDir) {
			return nil
		}
		failing++
		return errors.New("injected failure")
	}
	faultHook.Store(&hook)
	tx := s.Begin()
	tx.Snapshot()
	for b := range 5 {
		must(t, tx.Insert(tbl, kvRows(20, int64(100+20*b), "new")))
	}
	must(t, tx.Update(tbl, []int64{ids["3"]}, kvRecord([]int64{3}, []string{"upd"})))
	must(t, tx.Delete(tbl, []int64{ids["4"]}))
	if spilled, _ := spilledBatches(tx, tbl.ID); spilled == 0 {
		t.Fatal("nothing spilled")
	}
	must(t, tx.Commit())
	faultHook.Store(nil)
	if bulk := s.Stats().BulkCommits - bulkBefore; failing == 0 || bulk != 1 {
		t.Fatalf("%d injected failures, %d bulk commits", failing, bulk)
	}
	want := func(s *Store) {
		t.Helper()
		rows, _ := scanAll(t, s.Snapshot(), tbl)
		if len(rows) != 30-1+100 || rows["3"] != "3|upd" || rows["4"] != "" || rows["100"] != "100|new" || rows["199"] != "199|new" {
			t.Fatalf("%d rows (want 129), 3=%q 4=%q 100=%q 199=%q", len(rows), rows["3"], rows["4"], rows["100"], rows["199"])
		}
		if got := historyOf(t, s.Snapshot(), tbl); len(got) != 30+100+2 {
			t.Fatalf("%d history rows, want %d", len(got), 30+100+2)
		}
	}
	want(s)
	// The rows stayed in the tail: their keys are taken.
	wantCode(t, s.Begin().Insert(tbl, kvRecord([]int64{150}, []string{"dup"})), pgerr.UniqueViolation)
	if files := tableObjects(t, dir, tbl, segmentDataDir); len(files) < 2 {
		t.Fatalf("the failed flush wrote no segment (%d files)", len(files))
	}
	s.crash()

	s = openTest(t, dir, opts)
	defer s.Close()
	want(s)
	ts := s.namespace("public").state.Load().byID[tbl.ID]
	named := map[string]bool{}
	ts.manifest.dataFiles(named, false)
	for _, f := range tableObjects(t, dir, tbl, segmentDataDir) {
		if !named[f] {
			t.Errorf("open kept %s, which no manifest names", f)
		}
	}
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	want(s)
	wantCode(t, s.Begin().Insert(tbl, kvRecord([]int64{150}, []string{"dup"})), pgerr.UniqueViolation)
}

// TestBulkCommitChunksSegments checks that a bulk commit far larger than
// FlushRows is published as several segments of about FlushRows rows,
// sorted by key within each, with nothing left in the tail.
func TestBulkCommitChunksSegments(t *testing.T) {
	for _, rows := range []int{39, 40, 41, 250} {
		t.Run(fmt.Sprint(rows), func(t *testing.T) {
			dir := t.TempDir()
			s := openTest(t, dir, Options{SpillBytes: 1, FlushRows: 40, RowGroupRows: 16})
			defer s.Close()
			tbl := kvTable("kv")
			mustCreate(t, s, tbl)
			tx := s.Begin()
			for lo := 0; lo < rows; lo += 10 {
				n := min(10, rows-lo)
				// Descending keys: each segment must come out sorted.
				keys := make([]int64, n)
				vals := make([]string, n)
				for i := range keys {
					keys[i] = int64(rows - lo - i)
					vals[i] = "v"
				}
				must(t, tx.Insert(tbl, kvRecord(keys, vals)))
			}
			must(t, tx.Commit())
			ts := s.namespace("public").state.Load().byID[tbl.ID]
			if len(ts.inserts) != 0 {
				t.Fatalf("%d batches left in the tail", len(ts.inserts))
			}
			var total int64
			for _, seg := range ts.manifest.Segments {
				if seg.Rows > 40+10 {
					t.Errorf("segment %s holds %d rows, above FlushRows and a batch", seg.File, seg.Rows)
				}
				total += seg.Rows
			}
			if wantSegs := (rows + 39) / 40; total != int64(rows) || len(ts.manifest.Segments) < wantSegs-1 {
				t.Fatalf("%d segments of %d rows, want about %d of %d", len(ts.manifest.Segments), total, wantSegs, rows)
			}
			got, _ := scanAll(t, s.Snapshot(), tbl)
			if len(got) != rows {
				t.Fatalf("%d rows, want %d", len(got), rows)
			}
			// The flushed rows left the log, which was truncated.
			if fi, err := os.Stat(filepath.Join(dir, "public", "writer.sqlite-wal")); err == nil && fi.Size() > 0 {
				t.Errorf("writer.sqlite-wal holds %d bytes after the bulk commit's flush", fi.Size())
			}
		})
	}
}

// TestBulkCommitKeysConflictAtCommit checks that a key a bulk commit
// publishes in segments, not in the committed key index, still fails a
// concurrent transaction that inserted it: at that one's commit.
func TestBulkCommitKeysConflictAtCommit(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{SpillBytes: 1, FlushRows: 40, RowGroupRows: 16})
	defer s.Close()
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	bulk := s.Begin()
	for lo := int64(0); lo < 100; lo += 10 {
		must(t, bulk.Insert(tbl, kvRows(10, lo, "bulk")))
	}
	other := s.Begin()
	must(t, other.Insert(tbl, kvRecord([]int64{55}, []string{"other"})))
	must(t, bulk.Commit())
	if s.Stats().BulkCommits != 1 {
		t.Fatalf("%d bulk commits, want 1", s.Stats().BulkCommits)
	}
	wantCode(t, other.Commit(), pgerr.UniqueViolation)
	rows, _ := scanAll(t, s.Snapshot(), tbl)
	if len(rows) != 100 || rows["55"] != "55|bulk" {
		t.Fatalf("%d rows, 55=%q", len(rows), rows["55"])
	}
}

// TestBulkCommitKeylessReadsSpilledOnce checks that a bulk commit into a
// table without key constraints reads each spilled batch back once, to
// flush it, while a table with a primary key reads it once more to check
// its keys; both publish every row.
func TestBulkCommitKeylessReadsSpilledOnce(t *testing.T) {
	for _, keyed := range []bool{false, true} {
		t.Run(fmt.Sprint("keyed=", keyed), func(t *testing.T) {
			s := openTest(t, t.TempDir(), Options{SpillBytes: 1, FlushRows: 40, RowGroupRows: 16})
			defer s.Close()
			tbl := kvTable("kv")
			if !keyed {
				tbl.PrimaryKey = nil
			}
			mustCreate(t, s, tbl)
			tx := s.Begin()
			tx.PreferBulk()
			for b := range 6 {
				must(t, tx.Insert(tbl, kvRows(10, int64(10*b), "v")))
			}
			spilled, _ := spilledBatches(tx, tbl.ID)
			if spilled < 5 {
				t.Fatalf("%d batches spilled, want at least 5", spilled)
			}
			before := spilledBatchReads.Load()
			must(t, tx.Commit())
			reads := spilledBatchReads.Load() - before
			if want := int64(spilled) * map[bool]int64{false: 1, true: 2}[keyed]; reads != want {
				t.Errorf("the commit read spilled batches %d times, want %d (%d spilled)", reads, want, spilled)
			}
			if got, _ := scanAll(t, s.Snapshot(), tbl); len(got) != 60 {
				t.Fatalf("%d rows, want 60", len(got))
			}
		})
	}
}
