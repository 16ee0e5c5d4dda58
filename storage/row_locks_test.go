package storage

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// lockAsync runs tx.LockRows in a goroutine and returns where its result
// arrives.
func lockAsync(ctx context.Context, tx *Txn, tbl *catalog.Table, ids []int64) <-chan error {
	done := make(chan error, 1)
	go func() { done <- tx.LockRows(ctx, tbl, ids) }()
	return done
}

// stillWaiting fails the test if a lock wait already ended.
func stillWaiting(t *testing.T, done <-chan error) {
	t.Helper()
	select {
	case err := <-done:
		t.Fatalf("LockRows returned %v while another transaction holds the row", err)
	case <-time.After(50 * time.Millisecond):
	}
}

// lockingPair opens a store with a table kv of rows keys 0 to rows-1,
// begins two transactions whose statements have read it, and returns the
// row ids by key.
func lockingPair(t *testing.T, rows int) (s *Store, tbl *catalog.Table, a, b *Txn, ids map[string]int64) {
	t.Helper()
	s = openTest(t, t.TempDir(), Options{})
	t.Cleanup(func() { s.Close() })
	tbl = kvTable("kv")
	mustCreate(t, s, tbl)
	mustInsert(t, s, tbl, kvRows(rows, 0, "a"))
	a, b = s.Begin(), s.Begin()
	_, ids = scanAll(t, a.Snapshot(), tbl)
	b.Snapshot()
	return s, tbl, a, b, ids
}

func TestRowLockWaitsForHolderCommit(t *testing.T) {
	s, tbl, a, b, ids := lockingPair(t, 3)
	row := []int64{ids["1"]}
	if err := a.LockRows(context.Background(), tbl, row); err != nil {
		t.Fatal(err)
	}
	if err := a.Update(tbl, row, kvRecord([]int64{1}, []string{"by a"})); err != nil {
		t.Fatal(err)
	}
	b.Snapshot()
	waiting := lockAsync(context.Background(), b, tbl, row)
	stillWaiting(t, waiting)
	if err := a.Commit(); err != nil {
		t.Fatal(err)
	}
	// b read the row before a's commit: its statement must run again.
	if err := <-waiting; !errors.Is(err, ErrConcurrentUpdate) {
		t.Fatalf("after the holder committed: got %v, want ErrConcurrentUpdate", err)
	}
	// On a new snapshot b sees a's row, already holds its lock, and its
	// update commits without a conflict.
	if rows, _ := scanAll(t, b.Snapshot(), tbl); rows["1"] != "1|by a" {
		t.Fatalf("new snapshot: %v", rows)
	}
	if err := b.LockRows(context.Background(), tbl, row); err != nil {
		t.Fatal(err)
	}
	if err := b.Update(tbl, row, kvRecord([]int64{1}, []string{"by b"})); err != nil {
		t.Fatal(err)
	}
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	if rows, _ := scanAll(t, s.Snapshot(), tbl); rows["1"] != "1|by b" {
		t.Fatalf("rows %v", rows)
	}
}

func TestRowLockHolderRollbackLetsWaiterGoOn(t *testing.T) {
	_, tbl, a, b, ids := lockingPair(t, 3)
	row := []int64{ids["2"]}
	if err := a.LockRows(context.Background(), tbl, row); err != nil {
		t.Fatal(err)
	}
	b.Snapshot()
	waiting := lockAsync(context.Background(), b, tbl, row)
	stillWaiting(t, waiting)
	a.Rollback()
	if err := <-waiting; err != nil {
		t.Fatalf("after the holder rolled back: %v", err)
	}
	b.Rollback()
}

func TestRowLockDeadlock(t *testing.T) {
	_, tbl, a, b, ids := lockingPair(t, 3)
	r1, r2 := []int64{ids["1"]}, []int64{ids["2"]}
	if err := a.LockRows(context.Background(), tbl, r1); err != nil {
		t.Fatal(err)
	}
	if err := b.LockRows(context.Background(), tbl, r2); err != nil {
		t.Fatal(err)
	}
	aWaits := lockAsync(context.Background(), a, tbl, r2)
	stillWaiting(t, aWaits)
	// b waiting for r1 would close the cycle a → b → a.
	wantCode(t, b.LockRows(context.Background(), tbl, r1), pgerr.TRDeadlockDetected)
	b.Rollback()
	if err := <-aWaits; err != nil {
		t.Fatalf("a after b rolled back: %v", err)
	}
	a.Rollback()
}

func TestRowLockWaitEndsWithContext(t *testing.T) {
	_, tbl, a, b, ids := lockingPair(t, 1)
	row := []int64{ids["0"]}
	if err := a.LockRows(context.Background(), tbl, row); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	if err := b.LockRows(ctx, tbl, row); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want the context's deadline", err)
	}
	a.Rollback()
	b.Rollback()
}

// TestLockedIncrementsNeverConflict: read-modify-write of one counter by
// several transactions that lock the row and, when it changed under
// them, read it again (as a READ COMMITTED statement re-runs): no commit
// fails and no increment is lost, also across flushes.
func TestLockedIncrementsNeverConflict(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{FlushRows: 7})
	defer s.Close()
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	mustInsert(t, s, tbl, kvRecord([]int64{1}, []string{"0"}))
	const workers, each = 4, 50
	runWorkers(t, workers, func(int) error {
		for range each {
			tx := s.Begin()
			for {
				v, id, err := readCounter(tx.Snapshot(), tbl)
				if err != nil {
					return err
				}
				err = tx.LockRows(context.Background(), tbl, []int64{id})
				if errors.Is(err, ErrConcurrentUpdate) {
					continue
				}
				if err == nil {
					err = tx.Update(tbl, []int64{id}, kvRecord([]int64{1}, []string{strconv.Itoa(v + 1)}))
				}
				if err == nil {
					err = tx.Commit()
				}
				if err != nil {
					return err
				}
				break
			}
		}
		return nil
	})
	rows, _ := scanAll(t, s.Snapshot(), tbl)
	if got, want := rows["1"], fmt.Sprintf("1|%d", workers*each); got != want {
		t.Fatalf("counter %q, want %q", got, want)
	}
}

func TestRowLockModes(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	mustInsert(t, s, tbl, kvRows(3, 0, "a"))
	a, b, c := s.Begin(), s.Begin(), s.Begin()
	_, ids := scanAll(t, a.Snapshot(), tbl)
	b.Snapshot()
	c.Snapshot()
	bg := context.Background()
	row := []int64{ids["1"]}
	// Two FOR SHARE locks coexist; FOR KEY SHARE beside FOR NO KEY UPDATE too.
	if err := a.LockRowsFor(bg, tbl, row, LockForShare, WaitForLock, nil); err != nil {
		t.Fatal(err)
	}
	if err := b.LockRowsFor(bg, tbl, row, LockForShare, NoWait, nil); err != nil {
		t.Fatalf("FOR SHARE beside FOR SHARE: %v", err)
	}
	// FOR UPDATE conflicts with them: NOWAIT fails, SKIP LOCKED skips.
	wantCode(t, c.LockRowsFor(bg, tbl, row, LockForUpdate, NoWait, nil), pgerr.LockNotAvailable)
	keep := []bool{true, true}
	both := []int64{ids["1"], ids["2"]}
	if err := c.LockRowsFor(bg, tbl, both, LockForNoKeyUpdate, SkipLocked, keep); err != nil {
		t.Fatal(err)
	}
	if keep[0] || !keep[1] {
		t.Fatalf("SKIP LOCKED kept %v, want [false true]", keep)
	}
	// c holds row 2 FOR NO KEY UPDATE: FOR KEY SHARE goes beside it,
	// FOR SHARE waits until c ends.
	two := []int64{ids["2"]}
	if err := a.LockRowsFor(bg, tbl, two, LockForKeyShare, NoWait, nil); err != nil {
		t.Fatalf("FOR KEY SHARE beside FOR NO KEY UPDATE: %v", err)
	}
	waiting := make(chan error, 1)
	go func() { waiting <- b.LockRowsFor(bg, tbl, two, LockForShare, WaitForLock, nil) }()
	select {
	case err := <-waiting:
		t.Fatalf("FOR SHARE did not wait for FOR NO KEY UPDATE: %v", err)
	case <-time.After(50 * time.Millisecond):
	}
	c.Rollback()
	if err := <-waiting; err != nil {
		t.Fatal(err)
	}
	// A transaction's own weaker lock upgrades once the others are gone.
	b.Rollback()
	if err := a.LockRowsFor(bg, tbl, row, LockForUpdate, NoWait, nil); err != nil {
		t.Fatalf("upgrade of a's own FOR SHARE: %v", err)
	}
	a.Rollback()
}

// TestUndoRestoresReplacedDeletionSeqs: a commit group that fails to
// become durable puts back the deletion seqs its commits replaced, so a
// transaction that read a row before the last durable change to it still
// conflicts with that change.
func TestUndoRestoresReplacedDeletionSeqs(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	mustInsert(t, s, tbl, kvRows(2, 0, "a"))
	_, ids := scanAll(t, s.Snapshot(), tbl)
	stale := s.Begin()
	stale.Snapshot()
	// A durable update of row 1 after stale's snapshot.
	tx := s.Begin()
	tx.Snapshot()
	if err := tx.Update(tbl, []int64{ids["1"]}, kvRecord([]int64{1}, []string{"b"})); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	ns := s.namespace("public")
	ns.lastDeleteMu.RLock()
	durable := ns.lastDelete[tbl.ID].get(ids["1"])
	ns.lastDeleteMu.RUnlock()
	// A later commit of row 1 that is prepared and then undone, on the
	// writer as a commit is: the writer reads lastDelete unlocked.
	p := &preparedCommit{req: &commitRequest{c: &nsCommit{}}}
	must(t, ns.do(func() error {
		ns.noteDeletes(p, tbl.ID, []int64{ids["1"], ids["0"]}, nil, durable+1)
		ns.undo([]*preparedCommit{p})
		return nil
	}))
	ns.lastDeleteMu.RLock()
	got, zero := ns.lastDelete[tbl.ID].get(ids["1"]), ns.lastDelete[tbl.ID].get(ids["0"])
	ns.lastDeleteMu.RUnlock()
	if got != durable || zero != 0 {
		t.Fatalf("after undo: row 1's seq %d (want %d), row 0's %d (want none)", got, durable, zero)
	}
	// stale read row 1 before the durable update: its delete conflicts.
	if err := stale.Delete(tbl, []int64{ids["1"]}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, stale.Commit(), pgerr.TRSerializationFailure)
}

// Only a transaction that locks rows is ever waited for, so only such a
// transaction has a channel to close when it ends: beginning and ending
// one that reads allocates the transaction alone, which every statement
// outside a transaction block does.
func TestReadingTxnAllocatesOnlyItself(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	t.Cleanup(func() { s.Close() })
	s.Begin().Rollback() // the first one may grow the active set
	if n := testing.AllocsPerRun(100, func() { s.Begin().Rollback() }); n != 1 {
		t.Fatalf("Begin and Rollback allocated %v objects, want 1", n)
	}
}
