package storage

import (
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
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

// committedTail is the tail batch of rec committed at seq, to a table
// whose leading key column is lead (tailLead; -1: none).
func committedTail(seq uint64, rec arrow.Record, lead int) tailInsert {
	ins := tailInsert{seq: seq, rec: rec, bounds: &tailBounds{cols: make([]atomic.Pointer[columnBounds], rec.NumCols())}}
	if lead >= 0 && lead < int(rec.NumCols()) && rec.NumRows() <= maxLeadRows {
		if cb := boundsOf(rec.Column(lead), domInt); cb != nil && cb.has && cb.nulls == 0 {
			ins.lead = leadBounds{has: true, col: lead, lo: cb.min.i, hi: cb.max.i}
			ins.bounds.cols[lead].Store(cb)
		}
	}
	return ins
}

// maxLeadRows is the largest batch whose leadBounds a commit computes,
// on the writer's goroutine; a larger one's bounds are computed by the
// first scan that asks, as its other columns' are.
const maxLeadRows = 1024

// leadBounds are a committed tail batch's bounds of its table's leading
// key column, held in the batch's entry itself. A point lookup by key
// walks every batch of a tail of hundreds; reaching each batch's bounds
// through its tailBounds cost a few dependent cache misses per batch,
// most of a lookup's time in the tail, where the entries lie side by
// side in one slice.
type leadBounds struct {
	has    bool // none when not (the zero value: pending rows, replayed history)
	col    int
	lo, hi int64
}

// tailLead returns the column whose bounds committed tail batches of t
// hold inline (leadBounds): the first primary key column, when its
// values are integers; else -1.
func tailLead(t *catalog.Table) int {
	if len(t.PrimaryKey) == 0 || domainOf(t.Columns[t.PrimaryKey[0]].Type) != domInt {
		return -1
	}
	return t.PrimaryKey[0]
}

// excluded reports whether no row of the batch can satisfy every one of
// preds.
func (ins *tailInsert) excluded(preds []boundedPredicate) bool {
	if l := &ins.lead; l.has {
		others := false // predicates the lead bounds do not decide
		for i := range preds {
			p := &preds[i]
			if p.column != l.col || p.dom != domInt || p.op == IsNull || p.op == IsNotNull {
				others = true
			} else if p.excludesInts(l.lo, l.hi) {
				return true
			}
		}
		if !others {
			return false
		}
	}
	return ins.bounds.excluded(ins.rec, preds)
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
