package storage

import (
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestDeletionSeqsModel checks deletionSeqs against a map of each row's
// latest deletion, over deletions straddling manyDeletes and enough large
// ones to merge runs (maxDeletionRuns), with and without keepRuns, through
// pruning and undo.
func TestDeletionSeqsModel(t *testing.T) {
	for _, keep := range []bool{false, true} {
		for seed := range uint64(4) {
			rng := rand.New(rand.NewPCG(seed, 9))
			d := &deletionSeqs{keepRuns: keep}
			model := map[int64]uint64{}
			seq := uint64(0)
			check := func(step string) {
				t.Helper()
				for id := int64(0); id < 3000; id++ {
					if got, want := d.get(id), model[id]; got != want {
						t.Fatalf("keep=%v seed %d %s: get(%d) = %x, want %x", keep, seed, step, id, got, want)
					}
					if got, want := d.has(id), model[id] != 0; got != want {
						t.Fatalf("keep=%v seed %d %s: has(%d) = %v, want %v", keep, seed, step, id, got, want)
					}
				}
				for range 50 {
					lo := rng.Int64N(3000)
					hi := lo + rng.Int64N(40)
					want := false
					for id := lo; id <= hi; id++ {
						want = want || model[id] != 0
					}
					if got := d.anyIn(lo, hi); got != want {
						t.Fatalf("keep=%v seed %d %s: anyIn(%d, %d) = %v, want %v", keep, seed, step, lo, hi, got, want)
					}
				}
				if d.empty() != (len(model) == 0) {
					t.Fatalf("%s: empty() = %v with %d rows", step, d.empty(), len(model))
				}
			}
			for round := range 90 {
				seq++
				n := []int{1, manyDeletes - 1, manyDeletes, manyDeletes + 1, 2000}[rng.IntN(5)]
				set := map[int64]bool{}
				for len(set) < n {
					set[rng.Int64N(3000)] = true
				}
				ids := slices.Sorted(func(yield func(int64) bool) {
					for id := range set {
						if !yield(id) {
							return
						}
					}
				})
				var gone []bool
				if rng.IntN(2) == 0 {
					gone = make([]bool, len(ids))
					for i := range gone {
						gone[i] = rng.IntN(3) == 0
					}
				}
				before := map[int64]uint64{}
				for k, v := range model {
					before[k] = v
				}
				priorFew := map[int64]uint64{}
				for _, id := range ids {
					priorFew[id] = d.few[id]
				}
				d.add(seq, ids, gone)
				for i, id := range ids {
					model[id] = seq
					if gone != nil && gone[i] {
						model[id] |= rowGone
					}
				}
				check("add")
				if keep && rng.IntN(4) == 0 {
					// Undo this commit as namespace.undo does.
					if len(ids) >= manyDeletes {
						d.dropRun(seq)
					} else {
						for _, id := range ids {
							if v := priorFew[id]; v == 0 {
								delete(d.few, id)
							} else {
								d.few[id] = v
							}
						}
						d.fewSorted = nil
					}
					model = before
					check("undo")
					seq--
				}
				if round%30 == 29 {
					cut := seq - 10 - uint64(rng.IntN(5))
					d.dropThrough(cut)
					for id, v := range model {
						if v&^rowGone <= cut {
							delete(model, id)
						}
					}
					check("dropThrough")
				}
			}
		}
	}
}

// TestTxnDeletesModel checks txnDeletes against a map of each row's first
// deletion base, with removals as savepoint rollbacks make them.
func TestTxnDeletesModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var d txnDeletes
	model := map[int64]uint64{}
	base := uint64(10)
	for range 5000 {
		id := rng.Int64N(1 << 40)
		if rng.IntN(3) == 0 {
			id = rng.Int64N(500)
		}
		switch rng.IntN(10) {
		case 0:
			base += uint64(rng.IntN(3))
		case 1:
			d.remove(id)
			delete(model, id)
			continue
		}
		if d.has(id) != (model[id] != 0) {
			t.Fatalf("has(%d) = %v", id, d.has(id))
		}
		if !d.has(id) {
			d.add([]int64{id}, base, func(int64) bool { return false })
			model[id] = base
		}
	}
	ids, bases := d.sorted()
	if len(ids) != len(model) || !slices.IsSorted(ids) {
		t.Fatalf("sorted: %d ids (sorted %v), want %d", len(ids), slices.IsSorted(ids), len(model))
	}
	for i, id := range ids {
		if bases[i] != model[id] {
			t.Fatalf("base of %d = %d, want %d", id, bases[i], model[id])
		}
	}
}

// The index of a table state's tail deletions extends a copy of the
// previous state's (tail_deletions.go). Whatever the mix of small and
// large deletions, the extended index must answer get, has and anyIn as
// one built from the whole list, and the index it was extended from must
// still answer for its own list.
func TestExtendedDeletionsMatchRebuilt(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for trial := range 200 {
		var list []tailDelete
		seq := uint64(0)
		next := int64(0)
		newDeletion := func() tailDelete {
			seq++
			n := 1 + rng.IntN(3)
			if rng.IntN(8) == 0 {
				n = manyDeletes + rng.IntN(300) // a run
			}
			ids := make([]int64, 0, n)
			for range n {
				next += 1 + rng.Int64N(3)
				ids = append(ids, next)
			}
			if rng.IntN(3) == 0 { // delete ids of earlier rows
				ids = ids[:0]
				for range n {
					ids = append(ids, rng.Int64N(next+1))
				}
				slices.Sort(ids)
				ids = slices.Compact(ids)
			}
			return tailDelete{seq: seq, ids: ids}
		}
		for range rng.IntN(40) {
			list = append(list, newDeletion())
		}
		base := newDeletionSeqs(list)
		base.freeze()
		baseList := slices.Clone(list)
		for range 1 + rng.IntN(30) {
			list = append(list, newDeletion())
		}
		got := base.extended(list[len(baseList):])
		if trial%2 == 1 { // from an index never frozen (a scan's own)
			got = newDeletionSeqs(baseList).extended(list[len(baseList):])
		}
		want := newDeletionSeqs(list)
		want.freeze()
		old := newDeletionSeqs(baseList)
		old.freeze()
		for id := int64(-1); id <= next+2; id++ {
			if g, w := got.get(id), want.get(id); g != w {
				t.Fatalf("trial %d: get(%d) = %d extended, %d rebuilt", trial, id, g, w)
			}
			if g, w := got.has(id), want.has(id); g != w {
				t.Fatalf("trial %d: has(%d) = %v extended, %v rebuilt", trial, id, g, w)
			}
			if g, w := base.get(id), old.get(id); g != w {
				t.Fatalf("trial %d: extending changed the base: get(%d) = %d, want %d", trial, id, g, w)
			}
			if g, w := base.has(id), old.has(id); g != w {
				t.Fatalf("trial %d: extending changed the base: has(%d) = %v, want %v", trial, id, g, w)
			}
			hi := id + rng.Int64N(5)
			if g, w := got.anyIn(id, hi), want.anyIn(id, hi); g != w {
				t.Fatalf("trial %d: anyIn(%d, %d) = %v extended, %v rebuilt", trial, id, hi, g, w)
			}
		}
		if got.empty() != want.empty() {
			t.Fatalf("trial %d: empty %v extended, %v rebuilt", trial, got.empty(), want.empty())
		}
	}
}

// A busy table's index is extended commit after commit, each time from
// the last: its own deletions layered over a shared older index, folded
// together now and then (extended). After every step, whatever the mix
// of small and large deletions and of deletions of ids deleted before,
// the index must answer as one rebuilt from the whole list, and the one
// it extended as before.
func TestChainedExtendedDeletionsMatchRebuilt(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for trial := range 8 {
		var list []tailDelete
		seq := uint64(0)
		const span = 3000
		idx := newDeletionSeqs(nil)
		idx.freeze()
		layered := 0
		for step := range 150 {
			prev, prevList := idx, slices.Clone(list)
			for range 1 + rng.IntN(3) {
				seq++
				n := 1 + rng.IntN(4)
				if rng.IntN(40) == 0 {
					n = manyDeletes + rng.IntN(100)
				}
				set := map[int64]bool{}
				for len(set) < n {
					set[rng.Int64N(span)] = true
				}
				list = append(list, tailDelete{seq: seq, ids: slices.Sorted(maps.Keys(set))})
			}
			idx = prev.extended(list[len(prevList):])
			if idx.older != nil {
				layered++
			}
			want := newDeletionSeqs(list)
			want.freeze()
			old := newDeletionSeqs(prevList)
			old.freeze()
			for id := int64(-1); id <= span; id++ {
				if g, w := idx.get(id), want.get(id); g != w {
					t.Fatalf("trial %d step %d: get(%d) = %d extended, %d rebuilt", trial, step, id, g, w)
				}
				if g, w := idx.has(id), want.has(id); g != w {
					t.Fatalf("trial %d step %d: has(%d) = %v extended, %v rebuilt", trial, step, id, g, w)
				}
				if g, w := prev.get(id), old.get(id); g != w {
					t.Fatalf("trial %d step %d: extending changed the index before: get(%d) = %d, want %d", trial, step, id, g, w)
				}
				if hi := id + rng.Int64N(30); idx.anyIn(id, hi) != want.anyIn(id, hi) {
					t.Fatalf("trial %d step %d: anyIn(%d, %d) = %v extended", trial, step, id, hi, idx.anyIn(id, hi))
				}
			}
			if idx.empty() != want.empty() {
				t.Fatalf("trial %d step %d: empty %v extended", trial, step, idx.empty())
			}
		}
		if layered == 0 {
			t.Fatalf("trial %d: no extension shared its older index", trial)
		}
	}
}
