package storage

import "testing"

// TestCommittedDeletionsCache checks that scans of one table state share
// one index of its tail deletions, that the next state (an appended
// deletion) gets its own, and that a state whose list reuses the shared
// array past an undone commit's deletion is never given that commit's
// index.
func TestCommittedDeletionsCache(t *testing.T) {
	base := &tableState{deletionsCache: &tailDeletionsCache{}}
	base.deletes = make([]tailDelete, 0, 8)
	base.deletes = append(base.deletes, tailDelete{seq: 1, ids: []int64{10, 11}})

	first := base.committedDeletions()
	if base.committedDeletions() != first {
		t.Fatal("two scans of one state built two indexes")
	}
	if !first.has(10) || first.has(12) {
		t.Fatal("index of the first state is wrong")
	}

	// A commit that deletes 12, scanned, then undone.
	undone := *base
	undone.deletes = append(undone.deletes, tailDelete{seq: 2, ids: []int64{12}})
	if idx := undone.committedDeletions(); idx == first || !idx.has(12) {
		t.Fatal("the appended deletion is not in the next state's index")
	}
	// The next commit deletes 13 instead, written into the same slot of
	// the shared array.
	next := *base
	next.deletes = append(next.deletes, tailDelete{seq: 2, ids: []int64{13}})
	if &next.deletes[1] != &undone.deletes[1] {
		t.Fatal("test setup: the slot was not reused")
	}
	idx := next.committedDeletions()
	if idx.has(12) || !idx.has(13) || !idx.has(10) {
		t.Fatalf("the state after an undone commit got a stale index: 12 %v, 13 %v", idx.has(12), idx.has(13))
	}
	// And the cache keeps working for it.
	if next.committedDeletions() != idx {
		t.Fatal("the index of the latest state was not kept")
	}
	// A state without a cache (time travel's) builds its own.
	if idx := (&tableState{deletes: next.deletes}).committedDeletions(); !idx.has(13) {
		t.Fatal("an uncached state's index is wrong")
	}
}
