package storage

import (
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
)

// Zone maps for the tail.
//
// A table's unflushed tail is a list of committed batches, often of a row
// or a few each (an OLTP commit), up to hundreds of them. A point lookup
// would hand every one to the executor to filter. Each committed batch
// therefore gets, on the first scan that asks, its columns' bounds (as a
// segment's row group has statistics), and a scan skips the batches whose
// bounds rule its predicates out, reading only the few that may hold the
// key it looks for.

// tailBounds are a committed tail batch's column bounds, computed on
// demand and kept; the batch is immutable. The bounds are published
// lock-free: every session's point lookup walks the same few hundred
// batches, and a mutex there (written on every visit) made the cache
// lines bounce between cores. Two scans that race to bound a column
// compute the same bounds, and either may win.
type tailBounds struct {
	// cols are the bounds by column: nil until computed, unboundable
	// when the column cannot be bounded. A slice, not a map: a point
	// lookup asks every batch of a tail of hundreds, and the map's
	// lookup cost more than the comparison.
	cols []atomic.Pointer[columnBounds]
}

// unboundable marks a tail batch's column whose values have no bounds.
var unboundable = &columnBounds{}

// committedTail is the tail batch of rec committed at seq.
func committedTail(seq uint64, rec arrow.Record) tailInsert {
	return tailInsert{seq: seq, rec: rec, bounds: &tailBounds{cols: make([]atomic.Pointer[columnBounds], rec.NumCols())}}
}

// excluded reports whether no row of rec, the batch b describes, can
// satisfy every one of preds.
func (b *tailBounds) excluded(rec arrow.Record, preds []boundedPredicate) bool {
	if b == nil || rec == nil || len(preds) == 0 {
		return false
	}
	for i := range preds {
		p := &preds[i]
		slot := &b.cols[p.column]
		cb := slot.Load()
		if cb == nil {
			if cb = boundsOf(rec.Column(p.column), p.dom); cb == nil {
				cb = unboundable
			}
			slot.Store(cb)
		}
		if cb != unboundable && p.excludes(cb) {
			return true
		}
	}
	return false
}

// boundsOf computes the bounds of arr in dom, as a segment's statistics
// are computed, or nil when some value has none (NaN, an over-long
// string).
func boundsOf(arr arrow.Array, dom statDomain) *columnBounds {
	acc := statsAcc{dom: dom}
	acc.add(arr, 0, arr.Len())
	if acc.bad {
		return nil
	}
	return &columnBounds{rows: int64(arr.Len()), nulls: acc.nulls, has: acc.have, min: acc.min, max: acc.max}
}
