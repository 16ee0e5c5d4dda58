package storage

import (
	"errors"
	"strings"
	"testing"

	"github.com/pqdb/pqdb/pgerr"
)

// TestReplaySpillsLargeTail crashes with a large unflushed tail (flushes
// fail while it is committed) and reopens with a spill limit far below
// it: open replays the tail into a spill file and flushes it before
// serving, so the tail is empty and every row, key and history event is
// there. Then again with the flush at open failing too: the tail keeps
// its spilled batches, which reads and key checks see, until a later
// flush succeeds.
func TestReplaySpillsLargeTail(t *testing.T) {
	for _, flushAtOpenFails := range []bool{false, true} {
		dir := t.TempDir()
		opts := Options{FlushRows: 64, RowGroupRows: 16}
		s := openTest(t, dir, opts)
		tbl := kvTable("kv")
		mustCreate(t, s, tbl)
		failManifests := func() func() {
			hook := func(op, path string) error {
				if op == "read" {
					return nil // a write fault
				}
				if strings.Contains(path, manifestDir) {
					return errors.New("injected failure")
				}
				return nil
			}
			faultHook.Store(&hook)
			return func() { faultHook.Store(nil) }
		}
		restore := failManifests()
		const batches, per = 12, 50
		for b := range batches {
			mustInsert(t, s, tbl, kvRows(per, int64(b*per), "v"))
		}
		_, ids := scanAll(t, s.Snapshot(), tbl)
		tx := s.Begin()
		tx.Snapshot()
		must(t, tx.Delete(tbl, []int64{ids["7"], ids["8"]}))
		must(t, tx.Commit())
		// Crash before the manifests may be written again: a background
		// flush retrying in between would publish part of the tail.
		s.crash()
		restore()

		// A limit of 1 byte: every replayed batch spills.
		opts.SpillBytes = 1
		if flushAtOpenFails {
			restore = failManifests()
		}
		s = openTest(t, dir, opts)
		restore()
		ts := s.namespace("public").state.Load().byID[tbl.ID]
		spilled := 0
		for _, ins := range ts.inserts {
			if ins.spilled != nil {
				spilled++
			}
		}
		switch {
		case !flushAtOpenFails && len(ts.inserts)+len(ts.deletes) != 0:
			t.Fatalf("open left a tail of %d batches and %d deletions", len(ts.inserts), len(ts.deletes))
		case flushAtOpenFails && (spilled != batches || len(ts.inserts) != batches):
			t.Fatalf("failed flush at open: %d of %d tail batches spilled, want %d of %d", spilled, len(ts.inserts), batches, batches)
		}
		want := func(step string) {
			t.Helper()
			rows, _ := scanAll(t, s.Snapshot(), tbl)
			if len(rows) != batches*per-2 || rows["7"] != "" || rows["9"] != "9|v" || rows["599"] != "599|v" {
				t.Fatalf("fails=%v %s: %d rows, 7=%q 9=%q 599=%q", flushAtOpenFails, step, len(rows), rows["7"], rows["9"], rows["599"])
			}
			if got := historyOf(t, s.Snapshot(), tbl); len(got) != batches*per+2 {
				t.Fatalf("fails=%v %s: %d history rows, want %d", flushAtOpenFails, step, len(got), batches*per+2)
			}
			wantCode(t, s.Begin().Insert(tbl, kvRecord([]int64{550}, []string{"dup"})), pgerr.UniqueViolation)
		}
		want("after open")
		must(t, s.Checkpoint())
		want("after CHECKPOINT")
		s.Close()
		s = openTest(t, dir, Options{})
		want("after a clean restart")
		s.Close()
	}
}
