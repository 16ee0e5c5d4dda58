package storage

import "maps"

// Isolation. A transaction reads, by default, the latest committed state
// at the start of each statement (READ COMMITTED: Snapshot is called per
// statement). A REPEATABLE READ transaction instead keeps the committed
// state its first statement read for all later ones. Write conflicts are
// found the same way in both: a row this transaction is about to delete
// or update waits for its row lock, and when another transaction changed
// it since the snapshot it was read in, LockRows reports
// ErrConcurrentUpdate or ErrConcurrentDelete (row_locks.go,
// txn_conflicts.go): the engine runs a READ COMMITTED statement again,
// and fails a REPEATABLE READ one with 40001. A change that bypassed the
// locks still fails the commit with 40001. Keys are checked against the
// latest committed state at every level, so inserting a key committed
// after a REPEATABLE READ snapshot fails with 23505, as in PostgreSQL.
//
// A SERIALIZABLE transaction is a REPEATABLE READ one whose reads and
// writes are tracked to fail, with 40001, a commit that could make the
// outcome of concurrent serializable transactions differ from every
// serial order (serializable.go).

// SetRepeatableRead makes t read, in every statement, the committed state
// its first statement read (or reads, when none has run yet); with false,
// the latest one.
func (t *Txn) SetRepeatableRead(on bool) {
	t.repeatable = on
	if !on {
		t.held = nil
	}
}

// committedState is the committed state a statement of t reads: the
// store's latest, or the one a repeatable-read transaction holds.
func (t *Txn) committedState() *Snapshot {
	if !t.repeatable {
		return t.s.Snapshot()
	}
	if t.held == nil {
		t.sx.begin(&t.s.ssi)
		t.held = t.s.Snapshot()
	}
	c := *t.held
	c.spaces = maps.Clone(t.held.spaces)
	c.sharedSpaces = false
	return &c
}

// RepeatableRead reports whether t reads one committed state throughout
// (SetRepeatableRead).
func (t *Txn) RepeatableRead() bool { return t.repeatable }
