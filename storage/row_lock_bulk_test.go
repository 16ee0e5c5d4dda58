package storage

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// BenchmarkRowLocks2M locks 2M committed rows of one table FOR UPDATE in
// batches of 1024, as an UPDATE of them does, and reports the heap the
// locks hold per row and the time per row: rows with consecutive ids (a
// whole table) and every 16th id (a WHERE that picks rows throughout it).
// Each round opens its own store, so that no lock table memory is left
// from the one before.
func BenchmarkRowLocks2M(b *testing.B) {
	const rows, batch = 2_000_000, 1024
	for _, stride := range []int64{1, 16} {
		b.Run(fmt.Sprint("every_", stride), func(b *testing.B) {
			ids := make([]int64, rows)
			for i := range ids {
				ids[i] = int64(i) * stride
			}
			var perRow float64
			var locking time.Duration
			for b.Loop() {
				s := openTest(b, b.TempDir(), Options{})
				tbl := kvTable("kv")
				mustCreate(b, s, tbl)
				tx := s.Begin()
				tx.Snapshot()
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				start := time.Now()
				for i := 0; i < rows; i += batch {
					if err := tx.LockRows(context.Background(), tbl, ids[i:min(i+batch, rows)]); err != nil {
						b.Fatal(err)
					}
				}
				locking += time.Since(start)
				runtime.GC()
				runtime.ReadMemStats(&after)
				perRow = float64(after.HeapAlloc-before.HeapAlloc) / rows
				tx.Rollback()
				s.Close()
			}
			b.ReportMetric(perRow, "heapB/row")
			b.ReportMetric(float64(locking.Nanoseconds())/float64(b.N*rows), "ns/row")
		})
	}
}

// bulkLocking opens a store with an empty table kv and returns a function
// that begins a transaction whose statement has read it. Locks name row
// ids only, so the tests lock ids no row has: LockRowsFor neither reads
// the rows nor needs them to exist.
func bulkLocking(t *testing.T) (s *Store, tbl *catalog.Table, begin func() *Txn) {
	t.Helper()
	s = openTest(t, t.TempDir(), Options{})
	t.Cleanup(func() { s.Close() })
	tbl = kvTable("kv")
	mustCreate(t, s, tbl)
	return s, tbl, func() *Txn {
		tx := s.Begin()
		tx.Snapshot()
		t.Cleanup(tx.Rollback)
		return tx
	}
}

// rowIDs returns the ids from to from+n-1.
func rowIDs(from, n int64) []int64 {
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = from + int64(i)
	}
	return ids
}

// heldLocks reports how tx holds locks of table: the number held one
// by one in holders, and its bulk hold (nil if none).
func heldLocks(s *Store, tx *Txn, table int64) (perRow int, bulk *bulkHold) {
	l := &s.locks
	l.mu.Lock()
	defer l.mu.Unlock()
	for k, holds := range l.holders {
		for _, h := range holds {
			if k.table == table && h.t == tx {
				perRow++
			}
		}
	}
	for _, b := range l.bulk[table] {
		if b.t == tx {
			bulk = b
		}
	}
	return perRow, bulk
}

// bulkRows counts the rows b holds in any mode.
func bulkRows(b *bulkHold) (n uint64) {
	for _, rows := range b.modes {
		if rows != nil {
			n += rows.GetCardinality()
		}
	}
	return n
}

// lockTableEmpty fails the test unless the store's lock table holds
// nothing.
func lockTableEmpty(t *testing.T, s *Store) {
	t.Helper()
	l := &s.locks
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.holders)+len(l.bulk)+len(l.owners)+len(l.waits) > 0 {
		t.Fatalf("lock table not empty: %d rows held, %d tables with bulk holds, %d owners, %d waits",
			len(l.holders), len(l.bulk), len(l.owners), len(l.waits))
	}
}

// lockMode locks ids for tx in mode, failing the test on an error.
func lockMode(t *testing.T, tx *Txn, tbl *catalog.Table, ids []int64, mode RowLockMode) {
	t.Helper()
	if err := tx.LockRowsFor(context.Background(), tbl, ids, mode, WaitForLock, nil); err != nil {
		t.Fatal(err)
	}
}

// TestRowLocksMoveToBulkPastThreshold locks one row fewer, exactly as
// many and one more than bulkLockRows, in batches that straddle
// lockRunRows: only the last moves to a bulk hold, and in each case the
// locks hold against another transaction and end with the holder.
func TestRowLocksMoveToBulkPastThreshold(t *testing.T) {
	for _, n := range []int64{bulkLockRows - 1, bulkLockRows, bulkLockRows + 1} {
		t.Run(strconv.FormatInt(n, 10), func(t *testing.T) {
			s, tbl, begin := bulkLocking(t)
			a, b := begin(), begin()
			// Another table's lock stays one by one beside the bulk hold.
			other := kvTable("other")
			mustCreate(t, s, other)
			lockMode(t, a, other, []int64{7}, LockForUpdate)
			ids := rowIDs(0, n)
			for i := int64(0); i < n; i += 1000 {
				lockMode(t, a, tbl, ids[i:min(i+1000, n)], LockForUpdate)
			}
			perRow, bulk := heldLocks(s, a, tbl.ID)
			if n > bulkLockRows {
				if perRow != 0 || bulk == nil || bulkRows(bulk) != uint64(n) {
					t.Fatalf("%d locks: %d held one by one, bulk %v; want all %d in a bulk hold", n, perRow, bulk, n)
				}
				for _, k := range a.locked {
					if k.table == tbl.ID {
						t.Fatalf("a bulk-held row is still in Txn.locked: %v", k)
					}
				}
			} else if perRow != int(n) || bulk != nil {
				t.Fatalf("%d locks: %d held one by one, bulk %v; want all one by one", n, perRow, bulk)
			}
			if otherRows, _ := heldLocks(s, a, other.ID); otherRows != 1 {
				t.Fatalf("lock of the other table: %d held one by one, want 1", otherRows)
			}
			for _, id := range []int64{0, n / 2, n - 1} {
				wantCode(t, b.LockRowsFor(context.Background(), tbl, []int64{id}, LockForKeyShare, NoWait, nil), pgerr.LockNotAvailable)
			}
			wantCode(t, b.LockRowsFor(context.Background(), other, []int64{7}, LockForKeyShare, NoWait, nil), pgerr.LockNotAvailable)
			if err := b.LockRowsFor(context.Background(), tbl, []int64{n}, LockForUpdate, NoWait, nil); err != nil {
				t.Fatalf("row %d, which a does not hold: %v", n, err)
			}
			// a's own locks never block it: locking them again is a no-op.
			lockMode(t, a, tbl, ids, LockForShare)
			a.Rollback()
			lockMode(t, b, tbl, ids, LockForUpdate)
			b.Rollback()
			lockTableEmpty(t, s)
		})
	}
}

// bulkHolder begins a transaction that holds rows 0 to bulkLockRows in a
// bulk hold, in mode.
func bulkHolder(t *testing.T, s *Store, tbl *catalog.Table, begin func() *Txn, mode RowLockMode) *Txn {
	t.Helper()
	tx := begin()
	lockMode(t, tx, tbl, rowIDs(0, bulkLockRows+1), mode)
	if _, bulk := heldLocks(s, tx, tbl.ID); bulk == nil {
		t.Fatal("no bulk hold")
	}
	return tx
}

var allRowLockModes = []RowLockMode{LockForKeyShare, LockForShare, LockForNoKeyUpdate, LockForUpdate}

// TestBulkRowLockConflicts: a bulk holder and a holder of single rows
// (and two bulk holders) conflict in every pair of modes exactly where
// PostgreSQL's row locks do, whichever of them came first.
func TestBulkRowLockConflicts(t *testing.T) {
	bg := context.Background()
	const row = bulkLockRows / 2
	for _, held := range allRowLockModes {
		for _, want := range allRowLockModes {
			conflict := held+want >= 3 // PostgreSQL's table, spelled out
			check := func(t *testing.T, err error) {
				t.Helper()
				if conflict {
					wantCode(t, err, pgerr.LockNotAvailable)
				} else if err != nil {
					t.Fatalf("held %d, wanted %d: %v", held, want, err)
				}
			}
			name := fmt.Sprintf("held%d_want%d", held, want)
			t.Run(name+"_bulk_then_row", func(t *testing.T) {
				s, tbl, begin := bulkLocking(t)
				bulkHolder(t, s, tbl, begin, held)
				check(t, begin().LockRowsFor(bg, tbl, []int64{row}, want, NoWait, nil))
			})
			t.Run(name+"_row_then_bulk", func(t *testing.T) {
				s, tbl, begin := bulkLocking(t)
				single := begin()
				lockMode(t, single, tbl, []int64{bulkLockRows + 10}, held)
				bulk := bulkHolder(t, s, tbl, begin, LockForKeyShare)
				check(t, bulk.LockRowsFor(bg, tbl, []int64{bulkLockRows + 10}, want, NoWait, nil))
			})
			t.Run(name+"_bulk_then_bulk", func(t *testing.T) {
				s, tbl, begin := bulkLocking(t)
				bulkHolder(t, s, tbl, begin, held)
				second := begin()
				lockMode(t, second, tbl, rowIDs(bulkLockRows+1, bulkLockRows+1), want)
				check(t, second.LockRowsFor(bg, tbl, []int64{row}, want, NoWait, nil))
			})
			t.Run(name+"_upgrade_in_bulk", func(t *testing.T) {
				// A bulk holder upgrades its FOR KEY SHARE to held: a
				// lock in want that got in beside the weaker one makes
				// the upgrade conflict, and once upgraded the lock
				// conflicts as held does.
				s, tbl, begin := bulkLocking(t)
				bulk := bulkHolder(t, s, tbl, begin, LockForKeyShare)
				if !want.conflicts(LockForKeyShare) {
					single := begin()
					lockMode(t, single, tbl, []int64{row}, want)
					check(t, bulk.LockRowsFor(bg, tbl, []int64{row}, held, NoWait, nil))
					single.Rollback()
				}
				lockMode(t, bulk, tbl, []int64{row}, held)
				check(t, begin().LockRowsFor(bg, tbl, []int64{row}, want, NoWait, nil))
			})
		}
	}
}

// TestBulkRowLockSkipLockedAndNoWait: SKIP LOCKED leaves out exactly the
// rows a bulk holder has, locking the others; NOWAIT fails on any of
// them.
func TestBulkRowLockSkipLockedAndNoWait(t *testing.T) {
	bg := context.Background()
	s, tbl, begin := bulkLocking(t)
	a := begin()
	const total = 3*bulkLockRows + 3 // a third of them is more than bulkLockRows
	held := rowIDs(0, total)
	held = slices.DeleteFunc(held, func(id int64) bool { return id%3 == 1 }) // a hole every third row
	lockMode(t, a, tbl, held, LockForShare)
	if _, bulk := heldLocks(s, a, tbl.ID); bulk == nil {
		t.Fatal("no bulk hold")
	}
	b := begin()
	ids := rowIDs(0, total)
	keep := make([]bool, len(ids))
	for i := range keep {
		keep[i] = true
	}
	if err := b.LockRowsFor(bg, tbl, ids, LockForUpdate, SkipLocked, keep); err != nil {
		t.Fatal(err)
	}
	for i, id := range ids {
		if keep[i] != (id%3 == 1) {
			t.Fatalf("SKIP LOCKED kept row %d: %v", id, keep[i])
		}
	}
	// b holds the holes now, and past bulkLockRows of them in bulk too.
	if _, bulk := heldLocks(s, b, tbl.ID); bulk == nil {
		t.Fatal("b's locks not in a bulk hold")
	}
	c := begin()
	wantCode(t, c.LockRowsFor(bg, tbl, []int64{1}, LockForKeyShare, NoWait, nil), pgerr.LockNotAvailable)
	wantCode(t, c.LockRowsFor(bg, tbl, []int64{total + 5, 2 * bulkLockRows}, LockForUpdate, NoWait, nil), pgerr.LockNotAvailable)
	// FOR SHARE goes beside a's FOR SHARE, not beside b's FOR UPDATE.
	if err := c.LockRowsFor(bg, tbl, []int64{0, 3}, LockForShare, NoWait, nil); err != nil {
		t.Fatal(err)
	}
	keep = []bool{true, true, true}
	if err := c.LockRowsFor(bg, tbl, []int64{4, 5, 3 * bulkLockRows}, LockForKeyShare, SkipLocked, keep); err != nil {
		t.Fatal(err)
	}
	if want := []bool{false, true, true}; !slices.Equal(keep, want) {
		t.Fatalf("SKIP LOCKED beside FOR SHARE and FOR UPDATE kept %v, want %v", keep, want)
	}
}

// TestBulkRowLockDeadlock: waits for bulk holders join the graph of
// waits, so a cycle through them is found.
func TestBulkRowLockDeadlock(t *testing.T) {
	bg := context.Background()
	for _, bothBulk := range []bool{false, true} {
		t.Run(fmt.Sprint("both_bulk_", bothBulk), func(t *testing.T) {
			s, tbl, begin := bulkLocking(t)
			a := bulkHolder(t, s, tbl, begin, LockForUpdate)
			b := begin()
			bRows := []int64{10 * bulkLockRows}
			if bothBulk {
				bRows = rowIDs(10*bulkLockRows, bulkLockRows+1)
			}
			lockMode(t, b, tbl, bRows, LockForUpdate)
			aWaits := lockAsync(bg, a, tbl, []int64{bRows[len(bRows)-1]})
			stillWaiting(t, aWaits)
			// b waiting for a row of a's bulk hold closes the cycle.
			wantCode(t, b.LockRowsFor(bg, tbl, []int64{5}, LockForKeyShare, WaitForLock, nil), pgerr.TRDeadlockDetected)
			b.Rollback()
			if err := <-aWaits; err != nil {
				t.Fatalf("a after b rolled back: %v", err)
			}
			a.Rollback()
			lockTableEmpty(t, s)
		})
	}
}

// TestBulkRowLockReleasedAtEnd: a waiter for a bulk-held row goes on when
// the holder commits or rolls back, and the lock table is left empty.
func TestBulkRowLockReleasedAtEnd(t *testing.T) {
	bg := context.Background()
	for _, commit := range []bool{true, false} {
		t.Run(fmt.Sprint("commit_", commit), func(t *testing.T) {
			s, tbl, begin := bulkLocking(t)
			a := bulkHolder(t, s, tbl, begin, LockForNoKeyUpdate)
			b := begin()
			waiting := lockAsync(bg, b, tbl, []int64{bulkLockRows, bulkLockRows + 1})
			stillWaiting(t, waiting)
			if commit {
				if err := a.Commit(); err != nil {
					t.Fatal(err)
				}
			} else {
				a.Rollback()
			}
			if err := <-waiting; err != nil {
				t.Fatalf("after the bulk holder ended: %v", err)
			}
			if err := b.LockRowsFor(bg, tbl, rowIDs(0, bulkLockRows+1), LockForUpdate, NoWait, nil); err != nil {
				t.Fatalf("rows the bulk holder had: %v", err)
			}
			b.Rollback()
			lockTableEmpty(t, s)
		})
	}
}

// TestBulkRowLocksExclude: transactions that each lock an overlapping
// range of more than bulkLockRows rows, in one order, hold them one at a
// time.
func TestBulkRowLocksExclude(t *testing.T) {
	s, tbl, _ := bulkLocking(t)
	var inside atomic.Int32
	runWorkers(t, 4, func(w int) error {
		for range 5 {
			tx := s.Begin()
			tx.Snapshot()
			// Batches of 500 rows: a waiter waits in the middle of its
			// statement, holding the rows it locked before.
			ids := rowIDs(int64(w)*100, bulkLockRows+1000)
			for i := 0; i < len(ids); i += 500 {
				if err := tx.LockRows(context.Background(), tbl, ids[i:min(i+500, len(ids))]); err != nil {
					tx.Rollback()
					return err
				}
			}
			if n := inside.Add(1); n != 1 {
				return fmt.Errorf("%d transactions hold the rows at once", n)
			}
			time.Sleep(time.Millisecond)
			inside.Add(-1)
			if err := tx.Commit(); err != nil {
				return err
			}
		}
		return nil
	})
	lockTableEmpty(t, s)
}
