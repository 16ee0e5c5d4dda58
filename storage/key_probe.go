package storage

import (
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/catalog"
)

// Committed keys on disk.
//
// A key constraint over plain columns needs no index of the whole table
// in memory: the flushed rows' keys are found in the segments, which the
// flush sorts by the primary key (or the declared sort key) and gives
// statistics, page indexes and bloom filters, so a lookup by key reads a
// page or two of the key columns of the segments whose bounds cover it.
// Only the unflushed tail's keys are held in memory (the namespace's key
// indexes, keyIndex), and the tail is bounded by the flush policy. A
// lookup reads the tail index and the state whose segments it then probes
// under the key lock, and a flush swaps the state and empties the tail
// index under the same lock, so the two always add up to the same rows.
//
// A computed constraint (over expressions, or with a predicate) keys its
// rows by values the segments do not hold; its index still covers the
// whole table (keyIndex.whole).

// committedHolders returns, for each of the n rows whose keys of c kb
// holds (keys are their key columns), a committed live row of table id
// holding that key that free does not release, or -1; rows with a NULL
// key get -1. Committed means the writer's latest state: published
// commits plus those in flight (cross_commit_keys.go tells them apart).
// The writer passes its state st, in which the commits of its group
// prepared so far have deleted rows; sessions pass nil and read the
// published state, whose rows the commits in flight deleted count as
// deleted (namespace.lastDelete).
//
// A session's lookup reads the tail index and the segments' deletions at
// two moments, so a commit in flight that replaces a flushed row (an
// UPDATE: deleted, and inserted again under the same id and key) may be
// seen half-applied: its deletion but not yet its key. A lookup that
// released a row for such a deletion is therefore repeated once the
// commits in flight settled, if any were in flight while it ran; its
// answer then holds the new version, or none if the row went for good.
func (ns *namespace) committedHolders(id int64, c *keyConstraint, kb *keyBatch, keys keyed, n int, free func(int64) bool, st *nsState) ([]int64, error) {
	if st != nil {
		out, _, err := ns.holdersOnce(id, c, kb, keys, n, free, st)
		return out, err
	}
	for {
		epoch := ns.keyEpoch.Load()
		out, inFlight, err := ns.holdersOnce(id, c, kb, keys, n, free, nil)
		if err != nil || !inFlight || ns.keysStableSince(epoch) {
			return out, err
		}
	}
}

// holdersOnce is one lookup of committedHolders; inFlight reports
// whether it released a row for a deletion newer than the state it read.
func (ns *namespace) holdersOnce(id int64, c *keyConstraint, kb *keyBatch, keys keyed, n int, free func(int64) bool, st *nsState) (out []int64, inFlight bool, err error) {
	var idx *keyIndex
	if st != nil {
		idx, err = ns.ensureKeyIndex(st, id, c)
	} else {
		idx, err = ns.committedKeyIndex(id, c)
	}
	if err != nil {
		return nil, false, err
	}
	out = make([]int64, n)
	for i := range out {
		out[i] = -1
	}
	if idx == nil {
		return out, false, nil
	}
	var probe []int
	ns.keyMu.RLock()
	var ts *tableState
	if !idx.whole {
		if st == nil {
			st = ns.state.Load()
		}
		ts = st.byID[id]
	}
	for i := range n {
		if kb.null[i] {
			continue
		}
		if r, held := idx.holder(kb.key(i), free); held {
			out[i] = r
		} else if ts != nil {
			probe = append(probe, i)
		}
	}
	ns.keyMu.RUnlock()
	if len(probe) == 0 || len(ts.manifest.Segments) == 0 {
		return out, false, nil
	}
	seq := st.seq
	gone := func(id int64) bool {
		if free(id) {
			return true
		}
		if ns.deletedAfter(ts.table.ID, id, seq) {
			inFlight = true
			return true
		}
		return false
	}
	err = ns.probeSegments(ts, c, kb, keys, probe, gone, out)
	return out, inFlight, err
}

// deletedAfter reports whether a commit after seq (one in flight, when
// seq is the published state's) deleted row id of table.
func (ns *namespace) deletedAfter(table, id int64, seq uint64) bool {
	ns.lastDeleteMu.RLock()
	defer ns.lastDeleteMu.RUnlock()
	return ns.lastDelete[table].get(id)&^rowGone > seq
}

// probeSegments sets out[i], for the rows probe of keys (whose encoded
// keys kb holds), to a row of the segments of ts holding row i's key that
// is live in ts and that free does not release. The scan is pruned to
// the keys' values, column by column, so it reads only segments, row
// groups and pages that may hold one; rows are matched by their encoded
// keys, which decide equality as the constraint does.
func (ns *namespace) probeSegments(ts *tableState, c *keyConstraint, kb *keyBatch, keys keyed, probe []int, free func(int64) bool, out []int64) error {
	wanted := make(map[string][]int, len(probe))
	for _, i := range probe {
		k := string(kb.key(i))
		wanted[k] = append(wanted[k], i)
	}
	// The tail's keys are in the key index; its deletions are looked up
	// for the few rows found rather than gathered for the scan.
	r, err := newSegmentScan(ns.store, ts, c.cols, keyPredicates(ts.table, c, keys, probe))
	if err != nil {
		return err
	}
	defer r.Close()
	pos := positions(len(c.cols))
	var found keyBatch
	for len(wanted) > 0 {
		rec, err := r.Next()
		if err != nil || rec == nil {
			return err
		}
		found.encode(rec, pos, c.types)
		ids := rec.Column(len(pos)).(*array.Int64).Int64Values()
		for j, id := range ids {
			if found.null[j] {
				continue
			}
			rows, ok := wanted[string(found.key(j))]
			if !ok || free(id) || deletedInTail(ts, id) {
				continue
			}
			for _, i := range rows {
				out[i] = id
			}
			delete(wanted, string(found.key(j)))
		}
	}
	return nil
}

// keyPredicates are In predicates on each key column of c whose values
// statistics can bound (as preparePredicates decides), listing the values
// of the rows probe of keys; a key column with a value that cannot be
// bounded gets none, so the scan reads more but misses nothing.
func keyPredicates(tbl *catalog.Table, c *keyConstraint, keys keyed, probe []int) []boundedPredicate {
	var out []boundedPredicate
	for j, col := range c.cols {
		typ := tbl.Columns[col].Type
		if typ.Kind == catalog.Bpchar || keyKindOf(typ) != keyRaw && keyKindOf(typ) != keyVarNumeric {
			continue
		}
		dom := domainOf(typ)
		if dom == domNone {
			continue
		}
		arr := keys.rec.Column(keys.cols[j])
		vals := make([]bound, 0, len(probe))
		ok := true
		for _, i := range probe {
			b, fits := valueBound(dom, arr, i)
			if !fits {
				ok = false
				break
			}
			vals = append(vals, b)
		}
		if !ok {
			continue
		}
		out = append(out, boundedPredicate{column: col, op: In, dom: dom, values: sortedBounds(dom, vals)})
	}
	return out
}

// valueBound is the bound of the non-NULL value arr[i] in dom; false when
// statistics cannot bound it (NaN, an over-long string or numeric).
func valueBound(dom statDomain, arr arrow.Array, i int) (bound, bool) {
	if dom == domVarNumeric {
		v := arr.(*array.Binary).Value(i)
		return bound{b: v}, len(v) <= maxStatBytes
	}
	var mn, mx bound
	_, have, ok := sliceBounds(arr, i, i+1, &mn, &mx)
	return mn, have && ok
}

// sortedBounds sorts vals in dom and drops duplicates, the form an In
// predicate's values take.
func sortedBounds(dom statDomain, vals []bound) []bound {
	if dom == domInt {
		// A runtime filter's tens of thousands of keys: sorted as
		// integers, not as bounds by a comparison function.
		ints := make([]int64, len(vals))
		for k, v := range vals {
			ints[k] = v.i
		}
		slices.Sort(ints)
		ints = slices.Compact(ints)
		vals = vals[:len(ints)]
		for k, x := range ints {
			vals[k] = bound{i: x}
		}
		return vals
	}
	cmp := func(x, y bound) int { return compareBounds(dom, x, y) }
	slices.SortFunc(vals, cmp)
	return slices.CompactFunc(vals, func(x, y bound) bool { return cmp(x, y) == 0 })
}

// deletedInTail reports whether a deletion in the tail of ts names row
// id. Segment rows were inserted at or before the manifest's FlushedSeq
// and every tail deletion is later, so such a deletion hides them.
func deletedInTail(ts *tableState, id int64) bool {
	for _, d := range ts.deletes {
		if _, ok := slices.BinarySearch(d.ids, id); ok {
			return true
		}
	}
	return false
}
