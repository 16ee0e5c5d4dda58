package storage

import (
	"github.com/RoaringBitmap/roaring/v2/roaring64"
)

// txnDeletes is the set of committed rows a transaction deleted or
// replaced, each with its base: the seq of the snapshot the statement that
// first deleted it read. The commit fails if a commit after that base
// changed the row (commit.go), and the transaction's own reads and key
// checks no longer see it.
//
// Bases change only from statement to statement (each READ COMMITTED
// statement reads a newer snapshot, a REPEATABLE READ one keeps its
// first), so the rows are kept as one roaring bitmap per run of equal
// bases, plus one of them all: an UPDATE of millions of rows costs a few bits a row, where a
// map cost fifty bytes. The zero value is an empty set.
type txnDeletes struct {
	all   *roaring64.Bitmap
	bases []baseRows
}

// baseRows are the rows deleted in snapshots at seq base.
type baseRows struct {
	base uint64
	rows *roaring64.Bitmap
}

// has reports whether row id is deleted.
func (d *txnDeletes) has(id int64) bool {
	return d.all != nil && d.all.Contains(uint64(id))
}

// add records the deletion, in a snapshot at base, of the rows of ids
// (sorted) that are neither deleted yet nor skip, and returns those.
func (d *txnDeletes) add(ids []int64, base uint64, skip func(int64) bool) []int64 {
	var added []int64
	for _, id := range ids {
		if !skip(id) && !d.has(id) {
			added = append(added, id)
		}
	}
	if len(added) == 0 {
		return nil
	}
	if d.all == nil {
		d.all = roaring64.New()
	}
	addIDs(d.all, added)
	if n := len(d.bases); n == 0 || d.bases[n-1].base != base {
		d.bases = append(d.bases, baseRows{base: base, rows: roaring64.New()})
	}
	addIDs(d.bases[len(d.bases)-1].rows, added)
	return added
}

// remove takes row id out again (savepoint rollback).
func (d *txnDeletes) remove(id int64) {
	if d.all == nil || !d.all.CheckedRemove(uint64(id)) {
		return
	}
	for i := len(d.bases) - 1; i >= 0; i-- {
		if d.bases[i].rows.CheckedRemove(uint64(id)) {
			return
		}
	}
}

// empty reports whether no row is deleted.
func (d *txnDeletes) empty() bool { return d.all == nil || d.all.IsEmpty() }

// sorted returns the deleted rows in order, and the base of each.
func (d *txnDeletes) sorted() ([]int64, []uint64) {
	if d.empty() {
		return nil, nil
	}
	n := int(d.all.GetCardinality())
	ids := make([]int64, 0, n)
	it := d.all.Iterator()
	for it.HasNext() {
		ids = append(ids, int64(it.Next()))
	}
	bases := make([]uint64, n)
	for _, b := range d.bases {
		// Both in ascending order: walk ids along b.rows.
		i := 0
		it := b.rows.Iterator()
		for it.HasNext() {
			id := int64(it.Next())
			for ids[i] != id {
				i++
			}
			bases[i] = b.base
		}
	}
	return ids, bases
}
