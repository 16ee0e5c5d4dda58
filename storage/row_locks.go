package storage

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// Row locks.
//
// A transaction that updates or deletes a committed row first locks it
// (LockRows), and holds the lock until it ends. Another transaction that
// wants the row meanwhile waits for the holder to commit or roll back, as
// in PostgreSQL, instead of both going ahead and the second failing at
// commit. Once it holds the lock, it checks whether a commit changed the
// row after the snapshot its statement read: if so the statement's view
// of the row is stale, and LockRows returns ErrConcurrentUpdate. A READ
// COMMITTED statement then runs again on a newer snapshot (the engine's
// part, as PostgreSQL re-checks the newest row version); a REPEATABLE
// READ transaction fails with it (40001), as PostgreSQL's does.
//
// Waits form a graph of transactions, each waiting for the holders of one
// row whose locks conflict with the one it wants. A wait that would close
// a cycle is a deadlock: the transaction about to wait fails with 40P01
// instead, and the others go on.
//
// SELECT ... FOR UPDATE / NO KEY UPDATE / SHARE / KEY SHARE lock rows in
// those modes (RowLockMode), which conflict as PostgreSQL's row-level
// locks do; UPDATE and DELETE take FOR UPDATE (PostgreSQL takes FOR NO
// KEY UPDATE for an UPDATE that leaves the key alone, so there a FOR KEY
// SHARE holder makes pqdb's UPDATE wait where PostgreSQL's would not).
// NOWAIT fails instead of waiting (55P03), SKIP LOCKED leaves the row out.
//
// Locks of rows a rolled-back savepoint changed stay held until the
// transaction ends; that makes others wait longer, never read wrongly.
// Rows a transaction inserted itself need no lock: nobody else sees them.
// The commit-time check of deletion seqs (commit.go) stays as the safety
// net for writes that bypass locking.
//
// A lock is an entry of rowLocks.holders per row until its transaction
// holds many in one table; then they move into a bitmap per mode
// (row_lock_bulk.go), so that an UPDATE of millions of rows locks them in
// a few bits a row. LockRowsFor takes the lock table's mutex once per
// run of up to lockRunRows rows rather than once per row.

// ErrConcurrentUpdate reports that a row a statement is about to change
// or lock was changed by another transaction's commit after the
// statement's snapshot. A READ COMMITTED statement that gets it runs
// again on a newer snapshot; otherwise it fails the statement. A row
// that commit deleted gets ErrConcurrentDelete, which errors.Is matches
// with ErrConcurrentUpdate.
var ErrConcurrentUpdate = pgerr.New(pgerr.TRSerializationFailure, "could not serialize access due to concurrent update")

// RowLockMode is the strength of a row lock: FOR KEY SHARE, FOR SHARE,
// FOR NO KEY UPDATE, FOR UPDATE, from weakest to strongest.
type RowLockMode uint8

const (
	LockForKeyShare RowLockMode = iota
	LockForShare
	LockForNoKeyUpdate
	LockForUpdate
)

// conflicts reports whether locks of modes m and o, held by two
// transactions on one row, conflict. PostgreSQL's table of row-level
// lock conflicts has a conflict exactly where the two strengths, counted
// 0 to 3, add up to 3 or more.
func (m RowLockMode) conflicts(o RowLockMode) bool { return m+o >= 3 }

// RowLockWait is what a lock request does when another transaction holds
// a conflicting lock. The policies are ordered as PostgreSQL combines
// them when one table is named by several locking clauses: the larger
// one wins.
type RowLockWait uint8

const (
	WaitForLock RowLockWait = iota // wait until it ends
	SkipLocked                     // leave the row out (SKIP LOCKED)
	NoWait                         // fail with 55P03 (NOWAIT)
)

// rowLockKey names one row of one table.
type rowLockKey struct{ table, row int64 }

// rowHold is one transaction's lock on a row.
type rowHold struct {
	t    *Txn
	mode RowLockMode
}

// rowLocks is a store's lock table.
type rowLocks struct {
	mu      sync.Mutex
	holders map[rowLockKey][]rowHold // locks held one by one
	bulk    map[int64][]*bulkHold    // table → the bulk holds of its rows (row_lock_bulk.go)
	owners  map[*Txn][]*tableHold    // a transaction holding locks → what it holds per table
	waits   map[*Txn][]*Txn          // a waiting transaction → the holders it waits for
}

// lockRunRows bounds the rows LockRowsFor locks in one hold of
// rowLocks.mu, so that others' lock requests and ends wait for it only
// briefly.
const lockRunRows = 1024

// lockRun is one transaction's locking of rows of one table during one
// hold of rowLocks.mu.
type lockRun struct {
	t     *Txn
	table int64
	own   *tableHold  // t's locks of table; nil until it takes one
	bulk  []*bulkHold // the table's bulk holds, t's own among them
}

// LockRows locks the committed rows ids of tbl FOR UPDATE, as UPDATE and
// DELETE do before they change them: LockRowsFor with WaitForLock.
func (t *Txn) LockRows(ctx context.Context, tbl *catalog.Table, ids []int64) error {
	return t.LockRowsFor(ctx, tbl, ids, LockForUpdate, WaitForLock, nil)
}

// LockRowsFor locks the committed rows ids of tbl for t in mode, waiting
// while other transactions hold conflicting locks (or, by wait, failing
// with 55P03 or skipping the row: keep[i] becomes false for a skipped
// ids[i]; keep may be nil unless wait is SkipLocked). Then it reports
// ErrConcurrentUpdate if a commit changed a locked row after the
// snapshot of t's current statement. A wait ends early with ctx
// (statement_timeout, lock_timeout, cancel) or with 40P01 when it would
// deadlock.
func (t *Txn) LockRowsFor(ctx context.Context, tbl *catalog.Table, ids []int64, mode RowLockMode, wait RowLockWait, keep []bool) error {
	if t.done {
		return errTxnDone
	}
	tt := t.txnTable(tbl)
	locks := &t.s.locks
	for i := 0; i < len(ids); {
		locks.mu.Lock()
		run := locks.startRun(t, tbl.ID)
		var blockers []*Txn
		for end := min(i+lockRunRows, len(ids)); i < end; i++ {
			if tt.isFresh(ids[i]) || keep != nil && !keep[i] {
				continue
			}
			if blockers = locks.acquire(&run, ids[i], mode); blockers != nil {
				break
			}
		}
		if blockers == nil {
			locks.mu.Unlock()
			continue
		}
		switch wait {
		case NoWait:
			locks.mu.Unlock()
			return pgerr.New(pgerr.LockNotAvailable, "could not obtain lock on row in relation \"%s\"", tbl.Name)
		case SkipLocked:
			locks.mu.Unlock()
			keep[i] = false
			i++
			continue
		}
		if locks.closesCycle(t, blockers) {
			locks.mu.Unlock()
			err := pgerr.New(pgerr.TRDeadlockDetected, "deadlock detected")
			err.Detail = fmt.Sprintf("Transaction waits for a row lock of relation %q held by another transaction, which waits for this one.", tbl.Name)
			return err
		}
		if locks.waits == nil {
			locks.waits = map[*Txn][]*Txn{}
		}
		locks.waits[t] = blockers
		locks.mu.Unlock()
		var err error
		select {
		case <-blockers[0].ended:
		case <-ctx.Done():
			err = ctx.Err()
		}
		locks.mu.Lock()
		delete(locks.waits, t)
		locks.mu.Unlock()
		if err != nil {
			return err
		}
		// a holder ended: try the same row again
	}
	return t.changedSince(tt, ids, keep)
}

// startRun begins locking rows of table for t. Called with l.mu held.
func (l *rowLocks) startRun(t *Txn, table int64) lockRun {
	if t.ended == nil {
		t.ended = make(chan struct{})
	}
	r := lockRun{t: t, table: table, bulk: l.bulk[table]}
	for _, th := range l.owners[t] {
		if th.table == table {
			r.own = th
		}
	}
	return r
}

// acquire gives r.t a lock of mode on row, or returns the other
// transactions whose locks on it conflict. Called with l.mu held.
func (l *rowLocks) acquire(r *lockRun, row int64, mode RowLockMode) []*Txn {
	k := rowLockKey{r.table, row}
	holds := l.holders[k]
	var blockers []*Txn
	own := -1
	for i, h := range holds {
		switch {
		case h.t == r.t:
			own = i
		case h.mode.conflicts(mode):
			blockers = append(blockers, h.t)
		}
	}
	for _, b := range r.bulk {
		if b.t != r.t && b.conflicts(row, mode) {
			blockers = append(blockers, b.t)
		}
	}
	if len(blockers) > 0 {
		return blockers
	}
	if r.own == nil {
		r.own = l.newHold(r.t, r.table)
	}
	switch {
	case r.own.bulk != nil:
		r.own.bulk.add(row, mode)
	case own >= 0:
		holds[own].mode = max(holds[own].mode, mode)
	default:
		if l.holders == nil {
			l.holders = map[rowLockKey][]rowHold{}
		}
		l.holders[k] = append(holds, rowHold{r.t, mode})
		r.t.locked = append(r.t.locked, k)
		if r.own.rows++; r.own.rows > bulkLockRows {
			l.moveToBulk(r.t, r.own)
			r.bulk = l.bulk[r.table]
		}
	}
	return nil
}

// dropHold removes t's lock on row k from holders. Called with l.mu held.
func (l *rowLocks) dropHold(k rowLockKey, t *Txn) {
	holds := slices.DeleteFunc(l.holders[k], func(h rowHold) bool { return h.t == t })
	if len(holds) == 0 {
		delete(l.holders, k)
	} else {
		l.holders[k] = holds
	}
}

// closesCycle reports whether t waiting for blockers would close a cycle
// of waits. Called with l.mu held.
func (l *rowLocks) closesCycle(t *Txn, blockers []*Txn) bool {
	seen := map[*Txn]bool{}
	var reaches func(x *Txn) bool
	reaches = func(x *Txn) bool {
		if x == t {
			return true
		}
		if seen[x] {
			return false
		}
		seen[x] = true
		for _, y := range l.waits[x] {
			if reaches(y) {
				return true
			}
		}
		return false
	}
	for _, b := range blockers {
		if reaches(b) {
			return true
		}
	}
	return false
}

// changedSince returns ErrConcurrentUpdate or ErrConcurrentDelete if a
// commit updated or deleted one of the rows ids (those keep holds) after
// the snapshot of t's current statement, nil otherwise.
func (t *Txn) changedSince(tt *txnTable, ids []int64, keep []bool) error {
	ns := t.s.namespace(tt.schema)
	if ns == nil || tt.created {
		return nil
	}
	base := t.base(tt.schema)
	ns.lastDeleteMu.RLock()
	defer ns.lastDeleteMu.RUnlock()
	ld := ns.lastDelete[tt.table.ID]
	for i, id := range ids {
		if keep == nil || keep[i] {
			if err := changedAfter(ld.get(id), base); err != nil {
				return err
			}
		}
	}
	return nil
}

// releaseRowLocks gives back t's row locks and wakes whoever waits for
// t. Called when t ends, after its commit (if any) is published, so that
// a waiter's next snapshot shows t's changes. t.locked is non-nil once t
// took a lock, also when they all moved into bulk holds.
func (t *Txn) releaseRowLocks() {
	locks := &t.s.locks
	if t.locked != nil {
		locks.mu.Lock()
		for _, k := range t.locked {
			locks.dropHold(k, t)
		}
		for _, th := range locks.owners[t] {
			if th.bulk != nil {
				locks.dropBulk(th.table, th.bulk)
			}
		}
		delete(locks.owners, t)
		locks.mu.Unlock()
		t.locked = nil
	}
	if t.ended != nil {
		close(t.ended)
	}
}
