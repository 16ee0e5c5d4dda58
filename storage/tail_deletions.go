package storage

import (
	"slices"
	"sync/atomic"
)

// The index of a table's committed tail deletions.
//
// Every scan needs the tail's deletions by row id (deletionSeqs): a point
// lookup checks its few rows against them. Building that index from the
// tail's deletion lists cost each scan a map insertion per deleted row,
// hundreds after a few hundred OLTP commits, and a TPC-B transaction
// scans the same tables again and again between two commits. So the
// index of a table state's committed deletions is built once, by the
// first scan that needs it, and shared by the scans of that state until
// a commit or flush replaces it; a transaction's own pending deletions
// still get an index of their own, with the committed ones. The state a
// commit makes holds the deletions of the one before and its own: its
// index extends a copy of the last one (deletionSeqs.extended), which
// costs a copy of the map rather than an insertion per deleted row.
//
// A tableState is copied to make the next one (which shares the
// append-only deletion lists), so the cache travels with the copies. An
// entry is valid for a state whose deletion list holds exactly the
// deletions it was built from: the same number, each with the same seq
// and the same id slice. The entry keeps its own copy of the list, since
// the shared array past a state's length may be written again (a commit
// that was undone), and that copy keeps the id arrays it names alive, so
// no other deletion can have one at the same address.

// tailDeletionsCache holds the last index built for a table's committed
// tail deletions.
type tailDeletionsCache struct {
	last atomic.Pointer[tailDeletionsEntry]
}

type tailDeletionsEntry struct {
	deletes []tailDelete
	index   *deletionSeqs
}

// committedDeletions returns the index of ts's tail deletions, shared
// and never to be modified: callers only look ids up (get, has, empty).
func (ts *tableState) committedDeletions() *deletionSeqs {
	if ts.deletionsCache == nil {
		return newDeletionSeqs(ts.deletes)
	}
	e := ts.deletionsCache.last.Load()
	if e != nil && sameDeletes(e.deletes, ts.deletes) {
		return e.index
	}
	var index *deletionSeqs
	if e != nil && len(e.deletes) > 0 && len(e.deletes) < len(ts.deletes) && sameDeletes(e.deletes, ts.deletes[:len(e.deletes)]) {
		// The state's commits only added deletions since: extend a copy
		// of the index rather than build it again from every deletion.
		index = e.index.extended(ts.deletes[len(e.deletes):])
	} else {
		index = newDeletionSeqs(ts.deletes)
		index.freeze()
	}
	ts.deletionsCache.last.Store(&tailDeletionsEntry{deletes: slices.Clone(ts.deletes), index: index})
	return index
}

// sameDeletes reports whether the deletion lists a and b hold the same
// deletions: the same seqs and the very same id slices, in order.
func sameDeletes(a, b []tailDelete) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i].ids, b[i].ids
		if a[i].seq != b[i].seq || len(x) != len(y) || len(x) > 0 && &x[0] != &y[0] {
			return false
		}
	}
	return true
}

// scanDeletions are the deleted rows a scan (or a flush, or a commit)
// skips: the committed tail's index (committedDeletions, shared by every
// scan of the state) and the transaction's own deletions, whose seqs are
// above every committed one; either may be nil. The two are looked up in
// turn rather than merged into a copy of the committed index for each
// scan. A value type, so that liveRows' per-row lookups are direct calls.
type scanDeletions struct {
	committed, own *deletionSeqs
}

// get returns the latest deletion of id, 0 if none (deletionSeqs.get).
func (d scanDeletions) get(id int64) uint64 {
	own, committed := d.own.get(id), d.committed.get(id)
	if own&^rowGone > committed&^rowGone {
		return own
	}
	return committed
}

// has reports whether id is deleted at all.
func (d scanDeletions) has(id int64) bool { return d.own.has(id) || d.committed.has(id) }

// empty reports whether no deletion is recorded.
func (d scanDeletions) empty() bool { return d.own.empty() && d.committed.empty() }
