package storage

import "maps"

// Isolation. A transaction reads, by default, the latest committed state
// at the start of each statement (READ COMMITTED: Snapshot is called per
// statement). A REPEATABLE READ transaction instead keeps the committed
// state its first statement read for all later ones. Write conflicts are
// found the same way in both: a row this transaction deletes or updates
// that another committed since the snapshot it was read in fails the
// commit with 40001.

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
		t.held = t.s.Snapshot()
	}
	c := *t.held
	c.spaces = maps.Clone(t.held.spaces)
	return &c
}
