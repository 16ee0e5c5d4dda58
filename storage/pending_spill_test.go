package storage

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pqdb/pqdb/pgerr"
)

// spilledBatches counts the pending batches of tbl in tx that are in the
// spill file and those in memory.
func spilledBatches(tx *Txn, id int64) (spilled, inMemory int) {
	tt := tx.tables[id]
	if tt == nil {
		return 0, 0
	}
	for _, ins := range tt.pending.inserts {
		if ins.spilled != nil {
			spilled++
		} else {
			inMemory++
		}
	}
	return spilled, inMemory
}

// openSpillFiles counts this process's open, unlinked spill files in
// dir: only the files of the test's own store, for a store an earlier
// test abandoned (its simulated crash) keeps its files open until the
// collector finalizes them.
func openSpillFiles(t *testing.T, dir string) int {
	t.Helper()
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("no /proc/self/fd: %v", err)
	}
	n := 0
	for _, e := range entries {
		target, err := os.Readlink("/proc/self/fd/" + e.Name())
		if err == nil && strings.HasPrefix(target, filepath.Join(dir, "pqdb-txn-")) {
			n++
		}
	}
	return n
}

// kvBatchBytes is the in-memory size of one pending batch of kvRows(n).
func kvBatchBytes(n int) int64 {
	rec := kvRows(n, 0, "spill")
	defer rec.Release()
	full := withRowIDs(tailSchema(kvTable("x")), rec, make([]int64, n))
	defer full.Release()
	return recordBytes(full)
}

// TestSpillPendingRows inserts batches of a transaction past a small
// spill threshold and checks that its own reads, deletes, updates and
// key checks see the spilled rows, that savepoints cut them, and that the
// commit writes exactly the live ones.
func TestSpillPendingRows(t *testing.T) {
	const batch = 100
	for _, batches := range []int{2, 3, 4, 9} {
		t.Run(fmt.Sprint(batches), func(t *testing.T) {
			dir, tmp := t.TempDir(), t.TempDir()
			// Two and a half batches stay in memory: 2 batches never spill,
			// 3 spill the first ones.
			limit := kvBatchBytes(batch)*5/2 + 1
			s := openTest(t, dir, Options{SpillBytes: limit, TempDir: tmp})
			tbl := kvTable("kv")
			mustCreate(t, s, tbl)

			tx := s.Begin()
			tx.Snapshot()
			for b := range batches {
				must(t, tx.Insert(tbl, kvRows(batch, int64(b*batch), "v")))
			}
			spilled, _ := spilledBatches(tx, tbl.ID)
			if wantSpill := batches > 2; (spilled > 0) != wantSpill {
				t.Fatalf("%d of %d batches spilled, want spilling %v", spilled, batches, wantSpill)
			}
			if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
				t.Fatalf("spill file left a name in the temporary directory: %v", entries)
			}
			n := batches * batch
			rows, ids := scanAll(t, tx.Snapshot(), tbl)
			if len(rows) != n {
				t.Fatalf("own snapshot holds %d rows, want %d", len(rows), n)
			}

			// The first batch is spilled whenever anything is: delete and
			// update rows of it, and check a key it holds.
			must(t, tx.Delete(tbl, []int64{ids["0"], ids["1"]}))
			must(t, tx.Update(tbl, []int64{ids["2"]}, kvRecord([]int64{2}, []string{"updated"})))
			err := tx.Insert(tbl, kvRecord([]int64{5}, []string{"dup"}))
			wantCode(t, err, pgerr.UniqueViolation)

			sp := tx.Savepoint()
			must(t, tx.Insert(tbl, kvRows(batch, int64(n), "late")))
			must(t, tx.Delete(tbl, []int64{ids["3"]}))
			tx.Snapshot()
			rows, _ = scanAll(t, tx.View(), tbl)
			if len(rows) != n-2+batch-1 {
				t.Fatalf("after savepoint: %d rows, want %d", len(rows), n-2+batch-1)
			}
			mustRollbackTo(t, tx, sp)
			// The rollback dropped the key index of the own rows; the next
			// statement rebuilds it from the spilled batches.
			tx.Snapshot()
			wantCode(t, tx.Insert(tbl, kvRecord([]int64{4}, []string{"dup"})), pgerr.UniqueViolation)
			must(t, tx.Insert(tbl, kvRecord([]int64{0}, []string{"again"})))

			rows, _ = scanAll(t, tx.View(), tbl)
			if len(rows) != n-1 || rows["2"] != "2|updated" || rows["0"] != "0|again" || rows["3"] != "3|v" {
				t.Fatalf("after rollback: %d rows (want %d), 0=%q 2=%q 3=%q", len(rows), n-1, rows["0"], rows["2"], rows["3"])
			}
			must(t, tx.Commit())
			if got := openSpillFiles(t, tmp); got != 0 {
				t.Fatalf("%d spill files still open after commit", got)
			}

			check := func(s *Store) {
				t.Helper()
				rows, _ := scanAll(t, s.Snapshot(), tbl)
				if len(rows) != n-1 || rows["2"] != "2|updated" || rows["0"] != "0|again" || rows["1"] != "" {
					t.Fatalf("committed: %d rows (want %d), 0=%q 1=%q 2=%q", len(rows), n-1, rows["0"], rows["1"], rows["2"])
				}
			}
			check(s)
			// Keys of the bulk-committed rows are taken.
			wantCode(t, s.Begin().Insert(tbl, kvRecord([]int64{int64(n - 1)}, []string{"dup"})), pgerr.UniqueViolation)
			s.crash()
			s = openTest(t, dir, Options{})
			defer s.Close()
			check(s)
		})
	}
}

// TestSpillRollbackClosesFile checks that a transaction that spilled and
// rolls back leaves no file behind.
func TestSpillRollbackClosesFile(t *testing.T) {
	tmp := t.TempDir()
	s := openTest(t, t.TempDir(), Options{SpillBytes: 1, TempDir: tmp})
	defer s.Close()
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	before := openSpillFiles(t, tmp)
	tx := s.Begin()
	for b := range 4 {
		must(t, tx.Insert(tbl, kvRows(10, int64(b*10), "v")))
	}
	if spilled, inMemory := spilledBatches(tx, tbl.ID); spilled != 4 || inMemory != 0 {
		t.Fatalf("%d batches spilled, %d in memory; want all 4 spilled", spilled, inMemory)
	}
	if got := openSpillFiles(t, tmp); got != before+1 {
		t.Fatalf("%d spill files open, want %d", got, before+1)
	}
	tx.Rollback()
	if got := openSpillFiles(t, tmp); got != before {
		t.Fatalf("%d spill files open after rollback, want %d", got, before)
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Fatalf("temporary directory not empty: %v", entries)
	}
	if rows, _ := scanAll(t, s.Snapshot(), tbl); len(rows) != 0 {
		t.Fatalf("rolled back rows visible: %d", len(rows))
	}
}

// TestSpillFailureKeepsRowsInMemory points the spill file at a directory
// that does not exist: inserts still succeed, their rows stay in memory,
// and the commit writes them all.
func TestSpillFailureKeepsRowsInMemory(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{SpillBytes: 1, TempDir: "/nonexistent/pqdb-spill"})
	defer s.Close()
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	tx := s.Begin()
	for b := range 5 {
		must(t, tx.Insert(tbl, kvRows(10, int64(b*10), "v")))
	}
	if spilled, inMemory := spilledBatches(tx, tbl.ID); spilled != 0 || inMemory != 5 {
		t.Fatalf("%d batches spilled, %d in memory; want 0 and 5", spilled, inMemory)
	}
	must(t, tx.Commit())
	if rows, _ := scanAll(t, s.Snapshot(), tbl); len(rows) != 50 {
		t.Fatalf("%d rows committed, want 50", len(rows))
	}
}
