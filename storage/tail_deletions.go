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
// index extends the last one (deletionSeqs.extended), which shares it
// rather than inserting every deleted row again.
//
// A tableState is copied to make the next one (which shares the
// append-only deletion lists), so the cache travels with the copies. An
// entry is valid for a state whose deletion list holds as many
// deletions as it was built from, the last of them the very one it saw
// last (the same seq and id slice), and extends to a state whose list
// holds that one at the same position. A list only grows by appending,
// and an undone commit's positions are written again by the next one, so
// a deletion at a position implies the whole list before it. The entry
// keeps the last deletion's id slice alive, so that no other deletion can
// have one at the same address; it used to copy the whole list, a copy a
// commit of a busy table paid for hundreds of deletions.

// tailDeletionsCache holds the last index built for a table's committed
// tail deletions.
type tailDeletionsCache struct {
	last atomic.Pointer[tailDeletionsEntry]
}

type tailDeletionsEntry struct {
	n     int          // the deletions indexed
	final []tailDelete // a copy of the last of them (n > 0)
	index *deletionSeqs
}

// covers reports whether e indexes the first e.n deletions of list.
func (e *tailDeletionsEntry) covers(list []tailDelete) bool {
	if e.n == 0 || len(list) < e.n {
		return e.n == 0 && len(list) == 0
	}
	return sameDeletes(e.final, list[e.n-1:e.n])
}

// committedDeletions returns the index of ts's tail deletions, shared
// and never to be modified: callers only look ids up (get, has, empty).
func (ts *tableState) committedDeletions() *deletionSeqs {
	if ts.deletionsCache == nil {
		return newDeletionSeqs(ts.deletes)
	}
	e := ts.deletionsCache.last.Load()
	if e != nil && len(ts.deletes) == e.n && e.covers(ts.deletes) {
		return e.index
	}
	var index *deletionSeqs
	if e != nil && e.n > 0 && len(ts.deletes) > e.n && e.covers(ts.deletes) {
		// The state's commits only added deletions since: extend the
		// index rather than build it again from every deletion.
		index = e.index.extended(ts.deletes[e.n:])
	} else {
		index = newDeletionSeqs(ts.deletes)
		index.freeze()
	}
	entry := &tailDeletionsEntry{n: len(ts.deletes), index: index}
	if entry.n > 0 {
		entry.final = slices.Clone(ts.deletes[entry.n-1:])
	}
	ts.deletionsCache.last.Store(entry)
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

// deletedAfter reports whether the row version id, inserted at seq, is
// deleted: some deletion of id is later than its insert.
func (d scanDeletions) deletedAfter(id int64, seq uint64) bool { return d.get(id)&^rowGone > seq }

// has reports whether id is deleted at all.
func (d scanDeletions) has(id int64) bool { return d.own.has(id) || d.committed.has(id) }

// empty reports whether no deletion is recorded.
func (d scanDeletions) empty() bool { return d.own.empty() && d.committed.empty() }
