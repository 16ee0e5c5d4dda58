package storage

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pqdb/pqdb/catalog"
)

// settleFlushes waits until no flush of s is being written off a writer:
// a request run on a writer first publishes the flushes in flight.
func settleFlushes(t testing.TB, s *Store) {
	t.Helper()
	for _, ns := range s.sortedNamespaces() {
		if err := ns.do(func() error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
}

// heldFlush makes the next background flush wait, once its files are
// written, until release is closed; written receives its manifest. The
// hook is removed when the test ends.
func heldFlush(t *testing.T) (written chan *Manifest, release chan struct{}) {
	written, release = make(chan *Manifest, 1), make(chan struct{})
	held := false
	flushWrittenHook = func(ns *namespace, m *Manifest) {
		if held {
			return
		}
		held = true
		written <- m
		select {
		case <-release:
		case <-ns.quit:
		}
	}
	t.Cleanup(func() { flushWrittenHook = nil })
	return written, release
}

// heldFlushOptions start a background flush past 100 changed rows.
var heldFlushOptions = Options{FlushRows: 100}

// kvFlushHeld opens a store on dir with heldFlushOptions and table kv
// (kvTable), and commits rows 0 to 149 tagged "a", which start a
// background flush held once its files are written (heldFlush): it
// returns the store, the table, the held flush's manifest, and release,
// which lets it publish.
func kvFlushHeld(t *testing.T, dir string) (s *Store, tbl *catalog.Table, m *Manifest, release chan struct{}) {
	t.Helper()
	s = openTest(t, dir, heldFlushOptions)
	tbl = kvTable("kv")
	mustCreate(t, s, tbl)
	written, release := heldFlush(t)
	mustInsert(t, s, tbl, kvRows(150, 0, "a")) // past FlushRows: a flush starts
	return s, tbl, <-written, release
}

// kvModel applies updates and inserts to the expected rows of kvTable
// (rendered as scanAll renders them).
func kvModelPut(model map[string]string, from, n int, tag string) {
	for k := from; k < from+n; k++ {
		model[fmt.Sprint(k)] = fmt.Sprintf("%d|%s", k, tag)
	}
}

// TestFlushConcurrentWithCommits: commits go on while a flush is being
// written, and the flush publishes exactly the rows it took: the rows
// updated, deleted and inserted meanwhile stay in the tail, neither lost
// nor duplicated, before and after a restart and a later flush.
func TestFlushConcurrentWithCommits(t *testing.T) {
	dir := t.TempDir()
	s, tbl, m, release := kvFlushHeld(t, dir)
	model := map[string]string{}
	kvModelPut(model, 0, 150, "a")
	seqAtFlush := s.namespace("public").state.Load().seq
	if m.FlushedSeq != seqAtFlush {
		t.Fatalf("flush covers seq %d, state is at %d", m.FlushedSeq, seqAtFlush)
	}

	// While the flush is held: update rows it holds, delete one, insert more.
	_, ids := scanAll(t, s.Snapshot(), tbl)
	tx := s.Begin()
	tx.Snapshot()
	for k := 10; k < 20; k++ {
		if err := tx.Update(tbl, []int64{ids[fmt.Sprint(k)]}, kvRecord([]int64{int64(k)}, []string{"b"})); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Delete(tbl, []int64{ids["30"]}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	kvModelPut(model, 10, 10, "b")
	delete(model, "30")
	mustInsert(t, s, tbl, kvRows(5, 150, "c"))
	kvModelPut(model, 150, 5, "c")
	if got, _ := scanAll(t, s.Snapshot(), tbl); !maps.Equal(got, model) {
		t.Fatalf("while the flush is written: %d rows, want %d", len(got), len(model))
	}
	// A key the unpublished flush holds is still taken.
	tx = s.Begin()
	if err := tx.Insert(tbl, kvRows(1, 40, "dup")); err == nil {
		if err = tx.Commit(); err == nil {
			t.Fatal("a duplicate key of a row being flushed was accepted")
		}
	} else {
		tx.Rollback()
	}

	close(release)
	settleFlushes(t, s)
	ts := s.namespace("public").state.Load().byID[tbl.ID]
	if ts.manifest.FlushedSeq != seqAtFlush {
		t.Fatalf("published FlushedSeq %d, want %d", ts.manifest.FlushedSeq, seqAtFlush)
	}
	var tailInserted int64
	for _, ins := range ts.inserts {
		if ins.seq <= seqAtFlush {
			t.Fatalf("tail keeps an insert of seq %d, flushed at %d", ins.seq, seqAtFlush)
		}
		tailInserted += ins.rec.NumRows()
	}
	if tailInserted != 15 || len(ts.deletes) != 1 || ts.deletes[0].seq <= seqAtFlush {
		t.Fatalf("tail after the flush: %d rows inserted, %d deletions; want the 15 and 1 committed meanwhile", tailInserted, len(ts.deletes))
	}
	if ts.tailRows != 10+1+10+5 {
		t.Fatalf("tail rows %d, want 26", ts.tailRows)
	}
	var segRows int64
	for _, seg := range ts.manifest.Segments {
		segRows += seg.Rows
	}
	if segRows != 150 {
		t.Fatalf("segments hold %d rows, want the 150 the flush took", segRows)
	}
	if got, _ := scanAll(t, s.Snapshot(), tbl); !maps.Equal(got, model) {
		t.Fatalf("after the flush: %d rows, want %d", len(got), len(model))
	}
	// The tail's key index holds the keys committed meanwhile, the
	// segments the others: both are still taken, and a freed one is not.
	for _, k := range []int64{12, 40, 152} {
		tx := s.Begin()
		if err := tx.Insert(tbl, kvRows(1, k, "dup")); err == nil {
			if err = tx.Commit(); err == nil {
				t.Fatalf("duplicate key %d accepted after the flush", k)
			}
		} else {
			tx.Rollback()
		}
	}
	mustInsert(t, s, tbl, kvRows(1, 30, "d"))
	kvModelPut(model, 30, 1, "d")

	s.crash()
	s = openTest(t, dir, heldFlushOptions)
	if got, _ := scanAll(t, s.Snapshot(), tbl); !maps.Equal(got, model) {
		t.Fatalf("after a restart: %d rows, want %d", len(got), len(model))
	}
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	if got, _ := scanAll(t, s.Snapshot(), tbl); !maps.Equal(got, model) {
		t.Fatalf("after a checkpoint: %d rows, want %d", len(got), len(model))
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestFlushCrashBeforePublish: a crash after a background flush wrote its
// files and before the writer published them loses nothing, and open
// removes the files no manifest names.
func TestFlushCrashBeforePublish(t *testing.T) {
	dir := t.TempDir()
	s, tbl, m, _ := kvFlushHeld(t, dir)
	model := map[string]string{}
	kvModelPut(model, 0, 150, "a")
	mustInsert(t, s, tbl, kvRows(3, 150, "b")) // a commit while it is held
	kvModelPut(model, 150, 3, "b")
	files := map[string]bool{}
	m.dataFiles(files, true)
	if len(files) == 0 {
		t.Fatal("the flush wrote no files")
	}
	for f := range files {
		if !tableObjectExists(t, dir, tbl, f) {
			t.Fatalf("flush file %s is missing", f)
		}
	}
	s.crash() // the writer stops; the held flush is never published
	s = openTest(t, dir, heldFlushOptions)
	defer s.Close()
	if got, _ := scanAll(t, s.Snapshot(), tbl); !maps.Equal(got, model) {
		t.Fatalf("after the crash: %d rows, want %d", len(got), len(model))
	}
	for f := range files {
		if tableObjectExists(t, dir, tbl, f) {
			t.Errorf("open kept the unpublished flush's %s", f)
		}
	}
}

// TestFlushWrittenAsWriterStopsIsAbandoned: a background flush that
// hands its files to the writer just as the writer is told to stop is
// published by no one, whichever case the writer's select takes (the
// writer is kept busy until both the stop and the flush are ready), so
// open sweeps its files. Twenty rounds: an even choice would publish in
// one of them all but certainly.
func TestFlushWrittenAsWriterStopsIsAbandoned(t *testing.T) {
	for round := range 20 {
		dir := t.TempDir()
		s, tbl, m, _ := kvFlushHeld(t, dir)
		files := map[string]bool{}
		m.dataFiles(files, true)
		ns := s.namespace("public")
		busy, unblock := make(chan struct{}), make(chan struct{})
		go ns.doBesideFlushes(func() error { close(busy); <-unblock; return nil })
		<-busy
		crashed := make(chan struct{})
		go func() { s.crash(); close(crashed) }()
		for !ns.quitting() {
			time.Sleep(time.Millisecond)
		}
		time.Sleep(20 * time.Millisecond) // the held flush returns on quit and waits to hand over its files
		close(unblock)
		<-crashed
		s = openTest(t, dir, heldFlushOptions)
		tdir := filepath.Join(dir, "public", fmt.Sprint(tbl.ID))
		for f := range files {
			if _, err := os.Stat(filepath.Join(tdir, f)); !os.IsNotExist(err) {
				t.Fatalf("round %d: the flush was published as the writer stopped: %s kept (%v)", round, f, err)
			}
		}
		if got, _ := scanAll(t, s.Snapshot(), tbl); len(got) != 150 {
			t.Fatalf("round %d: %d rows, want 150", round, len(got))
		}
		must(t, s.Close())
	}
}
