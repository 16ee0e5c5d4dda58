package storage

import (
	"cmp"
	"maps"
	"slices"

	"github.com/RoaringBitmap/roaring/v2/roaring64"
)

// deletionSeqs answers, for a row id, the seq of its latest deletion among
// a list of deletions: a table's unflushed tail (scans, flushes), a
// transaction's pending deletions (netChange), or a namespace's recent
// commits (namespace.lastDelete, whose values may carry rowGone).
//
// It is built for both shapes of write load. Small deletions (fewer than
// manyDeletes rows: TPC-B's thousands of commits of a few rows each) are
// folded into one map, a probe per lookup. A large one (an UPDATE or
// DELETE of millions of rows) keeps its own sorted id list, shared with
// the batch it came from rather than copied, searched by binary search
// behind a roaring bitmap of the ids of every large deletion, so a lookup
// of a row no large deletion holds costs one bitmap probe. The index of a
// deletion of millions of rows thus costs a few bits a row instead of the
// fifty bytes of a map entry.
//
// Large deletions are kept in ascending seq order; lookups take the
// newest match. More than maxDeletionRuns of them (one statement's
// batches, each with its own seq) are merged into one run with a seq per
// row, so a lookup never searches more than that many lists; except in
// lastDelete, whose runs are one per large commit (few between flushes)
// and must stay apart for undo.
type deletionSeqs struct {
	few  map[int64]uint64
	runs []deletionRun
	// inRuns holds the ids of every run (nil: no runs).
	inRuns *roaring64.Bitmap
	// fewSorted is few's ids in order, built by anyIn (nil: not yet).
	fewSorted []int64
	// keepRuns: runs are never merged, so that dropRun can take one
	// commit's deletion out again (namespace.lastDelete).
	keepRuns bool
	// older, set only in an index extended (extended), holds deletions
	// earlier than every one of this index's own: the frozen index it
	// extended, shared rather than copied, without an older of its own.
	older *deletionSeqs
}

// deletionRun is one large deletion: ids sorted and distinct, each
// deleted at seq, or at seqs[i] when the run merges several deletions;
// gone[i], when set, marks ids[i] deleted for good (rowGone).
type deletionRun struct {
	seq  uint64
	ids  []int64
	seqs []uint64
	gone []bool
}

const (
	// manyDeletes is the size from which a deletion keeps its own list.
	manyDeletes = 256
	// maxDeletionRuns bounds the lists a lookup searches.
	maxDeletionRuns = 16
)

// newDeletionSeqs indexes the deletions of lists, each in ascending seq
// order with the lists after one another in seq order too.
func newDeletionSeqs(lists ...[]tailDelete) *deletionSeqs {
	d := &deletionSeqs{}
	for _, list := range lists {
		for _, del := range list {
			d.add(del.seq, del.ids, nil)
		}
	}
	return d
}

// add records the deletion of ids (sorted, distinct) at seq, later than
// every seq recorded before; gone[i], if gone is set, marks ids[i]
// deleted for good.
func (d *deletionSeqs) add(seq uint64, ids []int64, gone []bool) {
	d.fewSorted = nil
	if len(ids) < manyDeletes {
		if d.few == nil {
			d.few = make(map[int64]uint64, len(ids))
		}
		for i, id := range ids {
			v := seq
			if gone != nil && gone[i] {
				v |= rowGone
			}
			d.few[id] = v
		}
		return
	}
	d.runs = append(d.runs, deletionRun{seq: seq, ids: ids, gone: gone})
	if d.inRuns == nil {
		d.inRuns = roaring64.New()
	}
	addIDs(d.inRuns, ids)
	if len(d.runs) > maxDeletionRuns && !d.keepRuns {
		d.runs = []deletionRun{mergeRuns(d.runs)}
	}
}

// addIDs adds row ids (never negative) to bm.
func addIDs(bm *roaring64.Bitmap, ids []int64) {
	var buf [1024]uint64
	for len(ids) > 0 {
		n := min(len(ids), len(buf))
		for i, id := range ids[:n] {
			buf[i] = uint64(id)
		}
		bm.AddMany(buf[:n])
		ids = ids[n:]
	}
}

// mergeRuns folds runs into one, keeping each id's latest deletion.
func mergeRuns(runs []deletionRun) deletionRun {
	n := 0
	for _, r := range runs {
		n += len(r.ids)
	}
	type entry struct {
		id  int64
		seq uint64
	}
	all := make([]entry, 0, n)
	for _, r := range runs {
		for i, id := range r.ids {
			all = append(all, entry{id, r.value(i)})
		}
	}
	// Stable: of equal ids, the later deletion comes last and wins.
	slices.SortStableFunc(all, func(a, b entry) int { return cmp.Compare(a.id, b.id) })
	m := deletionRun{seq: runs[len(runs)-1].seq, ids: make([]int64, 0, n), seqs: make([]uint64, 0, n)}
	for i, e := range all {
		if i+1 < len(all) && all[i+1].id == e.id {
			continue
		}
		m.ids = append(m.ids, e.id)
		m.seqs = append(m.seqs, e.seq)
	}
	return m
}

// value is the recorded deletion of r.ids[i]: its seq, with rowGone.
func (r *deletionRun) value(i int) uint64 {
	v := r.seq
	if r.seqs != nil {
		v = r.seqs[i]
	}
	if r.gone != nil && r.gone[i] {
		v |= rowGone
	}
	return v
}

// get returns the latest deletion of id (with rowGone when recorded so),
// 0 if none.
func (d *deletionSeqs) get(id int64) uint64 {
	if d == nil {
		return 0
	}
	if v := d.getOwn(id); v != 0 || d.older == nil {
		return v
	}
	return d.older.getOwn(id) // every own deletion is later than older's
}

// getOwn is get among d's own deletions, without older's.
func (d *deletionSeqs) getOwn(id int64) uint64 {
	v := d.few[id]
	if d.inRuns == nil || !d.inRuns.Contains(uint64(id)) {
		return v
	}
	for i := len(d.runs) - 1; i >= 0; i-- {
		r := &d.runs[i]
		if r.seq <= v&^rowGone {
			break // this run and older ones are older than v
		}
		if j, ok := slices.BinarySearch(r.ids, id); ok {
			if w := r.value(j); w&^rowGone > v&^rowGone {
				v = w
			}
			if r.seqs == nil {
				break // the newest run holding id
			}
		}
	}
	return v
}

// has reports whether id is deleted at all.
func (d *deletionSeqs) has(id int64) bool {
	if d == nil {
		return false
	}
	if _, ok := d.few[id]; ok {
		return true
	}
	return d.inRuns != nil && d.inRuns.Contains(uint64(id)) || d.older.has(id)
}

// empty reports whether no deletion is recorded.
func (d *deletionSeqs) empty() bool {
	return d == nil || len(d.few) == 0 && len(d.runs) == 0 && d.older.empty()
}

// size is the number of ids d records deletions of, counted once per
// deletion recorded (an id deleted again counts again in a run).
func (d *deletionSeqs) size() int {
	if d == nil {
		return 0
	}
	n := len(d.few) + d.older.size()
	for _, r := range d.runs {
		n += len(r.ids)
	}
	return n
}

// anyIn reports whether some deleted id lies in [lo, hi].
func (d *deletionSeqs) anyIn(lo, hi int64) bool {
	if d == nil {
		return false
	}
	if d.older.anyIn(lo, hi) {
		return true
	}
	for _, r := range d.runs {
		if i, _ := slices.BinarySearch(r.ids, lo); i < len(r.ids) && r.ids[i] <= hi {
			return true
		}
	}
	if len(d.few) == 0 {
		return false
	}
	if d.fewSorted == nil {
		d.fewSorted = slices.Sorted(maps.Keys(d.few))
	}
	i, _ := slices.BinarySearch(d.fewSorted, lo)
	return i < len(d.fewSorted) && d.fewSorted[i] <= hi
}

// extended returns a frozen index of d's deletions and those of list
// (later than d's); d is left as it is, for its other readers.
//
// Copying the whole index for every commit cost a TPC-B transaction tens
// of kilobytes (a table's tail holds hundreds of deletions between
// flushes). So the copy is layered: the result shares d (or what d
// shares) as its older index and copies only the deletions recorded
// since, until those outgrow a share of the older ones; then they are
// folded into one index again (a copy of all of them, once per that many
// commits).
func (d *deletionSeqs) extended(list []tailDelete) *deletionSeqs {
	base, own := d, (*deletionSeqs)(nil)
	if d.older != nil {
		base, own = d.older, d
	}
	if base.fewSorted == nil && len(base.few) > 0 {
		// Not frozen (a scan's own index): it may not be shared.
		return d.flattened().extendedCopy(list)
	}
	added := 0
	for _, del := range list {
		added += len(del.ids)
	}
	if bs := base.size(); bs < minLayeredDeletions || own.size()+added > bs/layeredDeletionsShare {
		if own == nil {
			return d.extendedCopy(list)
		}
		return d.flattened().extendedCopy(list)
	}
	var c *deletionSeqs
	if own == nil {
		c = &deletionSeqs{keepRuns: d.keepRuns}
	} else {
		c = own.ownCopy()
	}
	c.older = base
	for _, del := range list {
		c.add(del.seq, del.ids, nil)
	}
	c.freeze()
	return c
}

const (
	// minLayeredDeletions is the fewest deletions an index shares rather
	// than copies when extended.
	minLayeredDeletions = 64
	// layeredDeletionsShare: an extended index's own deletions are
	// folded in with the shared ones once they outnumber 1/share of them.
	layeredDeletionsShare = 8
)

// ownCopy is a copy of d's own deletions, without older.
func (d *deletionSeqs) ownCopy() *deletionSeqs {
	c := &deletionSeqs{few: maps.Clone(d.few), runs: slices.Clip(d.runs), keepRuns: d.keepRuns, fewSorted: d.fewSorted}
	if d.inRuns != nil {
		c.inRuns = d.inRuns.Clone()
	}
	return c
}

// flattened is d as one index without older: a copy of older's
// deletions with d's own recorded after them. (d itself when it has no
// older.)
func (d *deletionSeqs) flattened() *deletionSeqs {
	if d.older == nil {
		return d
	}
	c := d.older.ownCopy()
	// Both lists of ids in order, when both are at hand, merge into the
	// copy's: sorting the union again cost a TPC-B transaction about 3%
	// of its CPU, the tails of its tables being flattened every few
	// commits while they are short.
	olderSorted := c.fewSorted
	c.fewSorted = nil
	if olderSorted != nil && d.fewSorted != nil {
		c.fewSorted = mergeSortedDistinct(olderSorted, d.fewSorted)
	}
	if c.few == nil && len(d.few) > 0 {
		c.few = make(map[int64]uint64, len(d.few))
	}
	for id, v := range d.few {
		c.few[id] = v // later than older's
	}
	for _, r := range d.runs {
		c.runs = append(c.runs, r)
		if c.inRuns == nil {
			c.inRuns = roaring64.New()
		}
		addIDs(c.inRuns, r.ids)
	}
	if len(c.runs) > maxDeletionRuns && !c.keepRuns {
		c.runs = []deletionRun{mergeRuns(c.runs)}
	}
	c.freeze()
	return c
}

// extendedCopy is extended as one index: a copy of d (which has no
// older) with list's deletions added.
func (d *deletionSeqs) extendedCopy(list []tailDelete) *deletionSeqs {
	c := &deletionSeqs{few: maps.Clone(d.few), runs: slices.Clip(d.runs), keepRuns: d.keepRuns}
	if d.inRuns != nil {
		c.inRuns = d.inRuns.Clone()
	}
	var added []int64
	for _, del := range list {
		c.add(del.seq, del.ids, nil)
		if len(del.ids) < manyDeletes {
			added = append(added, del.ids...)
		}
	}
	// few's ids in order: d's merged with those added, rather than all
	// sorted again; a d never frozen has none to merge with.
	if d.fewSorted == nil && len(d.few) > 0 {
		c.freeze()
		return c
	}
	slices.Sort(added)
	c.fewSorted = mergeSortedDistinct(d.fewSorted, added)
	return c
}

// mergeSortedDistinct merges ascending a and b into a new ascending
// slice without duplicates.
func mergeSortedDistinct(a, b []int64) []int64 {
	out := make([]int64, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		var v int64
		switch {
		case j == len(b) || i < len(a) && a[i] < b[j]:
			v, i = a[i], i+1
		case i == len(a) || b[j] < a[i]:
			v, j = b[j], j+1
		default:
			v, i, j = a[i], i+1, j+1
		}
		if n := len(out); n == 0 || out[n-1] != v {
			out = append(out, v)
		}
	}
	return out
}

// freeze prepares d to be shared by concurrent readers: it sorts its ids
// for anyIn now, which would otherwise write them on first use.
func (d *deletionSeqs) freeze() {
	if len(d.few) > 0 && d.fewSorted == nil {
		d.fewSorted = slices.Sorted(maps.Keys(d.few))
	}
}

// dropThrough forgets deletions at or below seq.
func (d *deletionSeqs) dropThrough(seq uint64) {
	d.fewSorted = nil
	for id, v := range d.few {
		if v&^rowGone <= seq {
			delete(d.few, id)
		}
	}
	kept := d.runs[:0]
	for _, r := range d.runs {
		if r.seqs != nil {
			r = r.keepAfter(seq)
		}
		if r.seq > seq && len(r.ids) > 0 {
			kept = append(kept, r)
		}
	}
	clear(d.runs[len(kept):])
	d.runs = kept
	d.reindex()
}

// keepAfter returns the merged run r without the ids deleted at or below
// seq.
func (r deletionRun) keepAfter(seq uint64) deletionRun {
	out := deletionRun{seq: r.seq}
	for i, id := range r.ids {
		if r.seqs[i]&^rowGone > seq {
			out.ids = append(out.ids, id)
			out.seqs = append(out.seqs, r.seqs[i])
		}
	}
	return out
}

// dropRun forgets the large deletion recorded at seq, if any (undo of a
// commit that did not become durable; needs keepRuns).
func (d *deletionSeqs) dropRun(seq uint64) {
	n := len(d.runs)
	d.runs = slices.DeleteFunc(d.runs, func(r deletionRun) bool { return r.seq == seq })
	if len(d.runs) != n {
		d.reindex()
	}
}

// reindex rebuilds inRuns from the runs.
func (d *deletionSeqs) reindex() {
	if len(d.runs) == 0 {
		d.inRuns = nil
		return
	}
	d.inRuns = roaring64.New()
	for _, r := range d.runs {
		addIDs(d.inRuns, r.ids)
	}
}
