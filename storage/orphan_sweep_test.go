package storage

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestOrphanSweep: a reopen after a clean close lists no table's
// objects; one after a crash, or after a run in which a flush failed,
// sweeps every table and deletes the files no manifest names that an
// earlier run wrote, never those of the running one.
func TestOrphanSweep(t *testing.T) {
	dir := t.TempDir()
	opts := Options{Compaction: noCompaction}
	s := openTest(t, dir, opts)
	a, b := kvTable("a"), kvTable("b")
	mustCreate(t, s, a)
	mustCreate(t, s, b)
	mustInsert(t, s, a, kvRows(50, 0, "a"))
	mustInsert(t, s, b, kvRows(50, 0, "b"))
	mustCheckpoint(t, s)
	objects := testObjectStore(t, dir)
	orphan := func(name string) string {
		key := testTablePrefix(t, dir, a) + "/" + segmentDataDir + "/" + name
		if err := objects.put(key, []byte("cut off")); err != nil {
			t.Fatal(err)
		}
		return name
	}
	exists := func(name string) bool { return tableObjectExists(t, dir, a, segmentDataDir+"/"+name) }
	reopen := func(crash bool) {
		t.Helper()
		if crash {
			s.crash()
		} else if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		s = openTest(t, dir, opts)
	}

	// The first open of a schema sweeps it: it may be from before the
	// sweep was recorded.
	if got := s.Stats().OrphanSweeps; got != 0 {
		t.Fatalf("a new store swept %d tables", got)
	}
	reopen(false)
	if got := s.Stats().OrphanSweeps; got != 0 {
		t.Fatalf("a reopen after a clean close swept %d tables", got)
	}

	// A crash: the next open sweeps both tables and removes the orphans,
	// an untagged one and one of the earlier run's tags.
	untagged, tagged := orphan("000900.parquet"), orphan(fmt.Sprintf("000901-%s.parquet", newFileTag()))
	reopen(true)
	if got := s.Stats().OrphanSweeps; got != 2 {
		t.Fatalf("a reopen after a crash swept %d tables, want 2", got)
	}
	if exists(untagged) || exists(tagged) {
		t.Fatalf("the sweep kept orphans: %s %v, %s %v", untagged, exists(untagged), tagged, exists(tagged))
	}

	// A file the running store wrote is never the sweep's, named or not:
	// a flush may be writing it.
	mine := orphan(fmt.Sprintf("000902-%s.parquet", newFileTag()))
	ns := s.namespace(a.Schema)
	if err := ns.sweepOrphans(a.ID); err != nil {
		t.Fatal(err)
	}
	if !exists(mine) {
		t.Fatal("the sweep removed a file of the running store")
	}

	// A clean close after a failed flush leaves the sweep due.
	failed := errors.New("injected: create failed")
	hook := func(op, path string) error {
		if op == "create" && strings.Contains(path, "/"+segmentDataDir+"/") {
			return failed
		}
		return nil
	}
	mustInsert(t, s, b, kvRows(10, 100, "b"))
	faultHook.Store(&hook)
	err := s.Checkpoint()
	faultHook.Store(nil)
	if err == nil || !strings.Contains(err.Error(), failed.Error()) {
		t.Fatalf("checkpoint with failing creates: %v", err)
	}
	reopen(false)
	if got := s.Stats().OrphanSweeps; got != 2 {
		t.Fatalf("a reopen after a failed flush swept %d tables, want 2", got)
	}
	if exists(mine) {
		t.Fatal("the sweep after a failed flush kept an orphan of the run before")
	}
	reopen(false)
	if got := s.Stats().OrphanSweeps; got != 0 {
		t.Fatalf("a reopen after a clean run swept %d tables", got)
	}
	got, _ := scanAll(t, s.Snapshot(), b)
	if len(got) != 60 {
		t.Fatalf("table b has %d rows after the reopens, want 60", len(got))
	}
	s.Close()
}
