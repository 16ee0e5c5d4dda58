package storage

import (
	"context"
	"fmt"
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
// Waits form a graph of transactions, each waiting for at most one
// holder. A wait that would close a cycle is a deadlock: the transaction
// about to wait fails with 40P01 instead, and the others go on.
//
// Locks of rows a rolled-back savepoint changed stay held until the
// transaction ends; that makes others wait longer, never read wrongly.
// Rows a transaction inserted itself need no lock: nobody else sees them.
// The commit-time check of deletion seqs (commit.go) stays as the safety
// net for writes that bypass locking.

// ErrConcurrentUpdate reports that a row a statement is about to change
// was changed by another transaction's commit after the statement's
// snapshot. A READ COMMITTED statement that gets it runs again on a newer
// snapshot; otherwise it fails the statement.
var ErrConcurrentUpdate = pgerr.New(pgerr.TRSerializationFailure, "could not serialize access due to concurrent update")

// rowLockKey names one row of one table.
type rowLockKey struct{ table, row int64 }

// rowLocks is a store's lock table.
type rowLocks struct {
	mu      sync.Mutex
	holders map[rowLockKey]*Txn
	waits   map[*Txn]*Txn // a waiting transaction → the holder it waits for
}

// LockRows locks the committed rows ids of tbl for t, waiting while other
// transactions hold them, and then reports ErrConcurrentUpdate if a
// commit changed any of them after the snapshot of t's current statement.
// A wait ends early with ctx (statement_timeout, lock_timeout, cancel) or
// with 40P01 when it would deadlock.
func (t *Txn) LockRows(ctx context.Context, tbl *catalog.Table, ids []int64) error {
	if t.done {
		return errTxnDone
	}
	tt := t.txnTable(tbl)
	locks := &t.s.locks
	for i := 0; i < len(ids); {
		id := ids[i]
		if tt.isFresh(id) {
			i++
			continue
		}
		k := rowLockKey{tbl.ID, id}
		locks.mu.Lock()
		holder := locks.holders[k]
		if holder == nil {
			if locks.holders == nil {
				locks.holders = map[rowLockKey]*Txn{}
			}
			locks.holders[k] = t
			t.locked = append(t.locked, k)
		}
		if holder == nil || holder == t {
			locks.mu.Unlock()
			i++
			continue
		}
		if locks.closesCycle(t, holder) {
			locks.mu.Unlock()
			err := pgerr.New(pgerr.TRDeadlockDetected, "deadlock detected")
			err.Detail = fmt.Sprintf("Transaction waits for a row lock of relation %q held by another transaction, which waits for this one.", tbl.Name)
			return err
		}
		if locks.waits == nil {
			locks.waits = map[*Txn]*Txn{}
		}
		locks.waits[t] = holder
		locks.mu.Unlock()
		var err error
		select {
		case <-holder.ended:
		case <-ctx.Done():
			err = ctx.Err()
		}
		locks.mu.Lock()
		delete(locks.waits, t)
		locks.mu.Unlock()
		if err != nil {
			return err
		}
		// the holder ended: try the same row again
	}
	if t.changedSince(tt, ids) {
		return ErrConcurrentUpdate
	}
	return nil
}

// closesCycle reports whether t waiting for holder would close a cycle of
// waits. Called with l.mu held.
func (l *rowLocks) closesCycle(t, holder *Txn) bool {
	for x, steps := holder, 0; x != nil && steps <= len(l.waits); x, steps = l.waits[x], steps+1 {
		if x == t {
			return true
		}
	}
	return false
}

// changedSince reports whether a commit deleted or updated one of the
// committed rows ids of tt after the snapshot t's current statement read.
func (t *Txn) changedSince(tt *txnTable, ids []int64) bool {
	ns := t.s.namespace(tt.schema)
	if ns == nil || tt.created {
		return false
	}
	base := t.base(tt.schema)
	ns.lastDeleteMu.RLock()
	defer ns.lastDeleteMu.RUnlock()
	ld := ns.lastDelete[tt.table.ID]
	for _, id := range ids {
		if ld[id] > base {
			return true
		}
	}
	return false
}

// releaseRowLocks gives back t's row locks and wakes whoever waits for
// t. Called when t ends, after its commit (if any) is published, so that
// a waiter's next snapshot shows t's changes.
func (t *Txn) releaseRowLocks() {
	locks := &t.s.locks
	if len(t.locked) > 0 {
		locks.mu.Lock()
		for _, k := range t.locked {
			if locks.holders[k] == t {
				delete(locks.holders, k)
			}
		}
		locks.mu.Unlock()
		t.locked = nil
	}
	close(t.ended)
}
