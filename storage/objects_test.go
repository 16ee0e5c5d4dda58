package storage

import (
	"errors"
	"strings"
	"sync/atomic"
	"testing"
)

// TestReadFaults: an object store that fails reads fails the scans that
// need them with the error, not with wrong rows, and a store reopened
// while the manifests cannot be read does not open; once reads work
// again, everything reads as before.
func TestReadFaults(t *testing.T) {
	dir := t.TempDir()
	opts := Options{RowGroupRows: 16, Compaction: noCompaction}
	s := openTest(t, dir, opts)
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	mustInsert(t, s, tbl, kvRows(100, 0, "a"))
	mustCheckpoint(t, s)
	want, _ := scanAll(t, s.Snapshot(), tbl)

	var failing atomic.Value // the key fragment whose reads fail
	failing.Store("")
	hook := func(op, path string) error {
		if f := failing.Load().(string); op == "read" && f != "" && strings.Contains(path, f) {
			return errors.New("injected: read failed")
		}
		return nil
	}
	faultHook.Store(&hook)
	t.Cleanup(func() { faultHook.Store(nil) })

	failing.Store(segmentDataDir + "/")
	s.files.forget(func(string) bool { return true })
	r, err := s.Snapshot().Scan(tbl, []int{0, 1}, nil)
	if err == nil {
		_, err = r.Next()
		r.Close()
	}
	if err == nil || !strings.Contains(err.Error(), "injected") {
		t.Fatalf("a scan whose segment cannot be read: %v", err)
	}
	failing.Store("")
	if got, _ := scanAll(t, s.Snapshot(), tbl); len(got) != len(want) {
		t.Fatalf("after the fault: %d rows, want %d", len(got), len(want))
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	failing.Store(manifestDir + "/")
	if s2, err := Open(dir, Options{Bucket: testBucket(t, dir)}); err == nil {
		s2.Close()
		t.Fatal("opened without reading the manifests")
	} else if !strings.Contains(err.Error(), "injected") {
		t.Fatalf("open: %v", err)
	}
	failing.Store("")
	s = openTest(t, dir, opts)
	defer s.Close()
	if got, _ := scanAll(t, s.Snapshot(), tbl); len(got) != len(want) {
		t.Fatalf("reopened: %d rows, want %d", len(got), len(want))
	}
}
