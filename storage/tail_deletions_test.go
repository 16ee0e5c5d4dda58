package storage

import (
	"maps"
	"math/rand"
	"slices"
	"testing"
)

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

// A scan's deletions looked up in the committed index and then its
// transaction's own answer as the committed index extended by the own
// deletions does: for committed deletions few and many (runs), own ones
// on top, none on either side.
func TestScanDeletionsMatchExtended(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	for round := range 40 {
		var committed, own []tailDelete
		seq := uint64(1)
		for range rng.Intn(30) {
			n := 1 + rng.Intn(3)
			if rng.Intn(8) == 0 {
				n = manyDeletes + rng.Intn(50)
			}
			committed = append(committed, tailDelete{seq: seq, ids: randomIDs(rng, n)})
			seq++
		}
		seq += 1 << 40 // pending seqs are above every commit seq
		for range rng.Intn(5) {
			own = append(own, tailDelete{seq: seq, ids: randomIDs(rng, 1+rng.Intn(4))})
			seq++
		}
		base := newDeletionSeqs(committed)
		base.freeze()
		want := base.extended(own)
		got := scanDeletions{committed: base}
		if len(own) > 0 {
			got.own = newDeletionSeqs(own)
		}
		if got.empty() != want.empty() {
			t.Fatalf("round %d: empty %v, want %v", round, got.empty(), want.empty())
		}
		for id := int64(0); id < 400; id++ {
			if got.get(id) != want.get(id) || got.has(id) != want.has(id) {
				t.Fatalf("round %d, id %d: get %d has %v, want %d %v", round, id, got.get(id), got.has(id), want.get(id), want.has(id))
			}
		}
	}
}

// randomIDs is n distinct ascending row ids below 400.
func randomIDs(rng *rand.Rand, n int) []int64 {
	set := map[int64]bool{}
	for len(set) < min(n, 400) {
		set[rng.Int63n(400)] = true
	}
	return slices.Sorted(maps.Keys(set))
}
