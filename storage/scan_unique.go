package storage

import (
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// Unique lookups.
//
// A scan whose predicates fix the table's primary key, one integer
// column, to a single value, in a transaction that inserted no row into
// the table, returns at most one live row that satisfies them: a
// committed state never holds two live rows of one key (the writer checks
// keys at commit), and the transaction's own deletions only take rows
// away. Such a scan reads the tail first, newest batch first, then the
// segments, and stops at the first live row holding the key. The
// versions of a hot row (pgbench's branches, which every transaction
// updates) pile up in the tail, each deleted by the next; the plain
// order read every one of them, and the deleted version in the segments,
// before the live one.
//
// Rows a unique lookup leaves out hold another key, so the conjunct the
// predicate stands for would reject them anyway (storage predicates are
// implied by the scan's filter, which still runs above the scan).

// uniqueLookup is a scan's state as a unique lookup (scanReader.unique).
type uniqueLookup struct {
	on       bool
	col      int     // the key column, in the table
	out      int     // its position among the scan's columns; -1 when not read
	eq       []bound // the key value, in the column's domain
	tailDone bool    // the tail was searched
	found    bool    // a live row of the key was returned: the scan is over
}

// uniqueLookups enables unique lookups; tests turn it off to compare
// them with the plain order.
var uniqueLookups = true

// lookUpUnique makes r a unique lookup when its predicates and pending,
// the transaction's rows of the table, allow.
func (r *scanReader) lookUpUnique(pending *pendingTable) {
	t := r.ts.table
	if !uniqueLookups || len(t.PrimaryKey) != 1 || pending != nil && len(pending.inserts) > 0 || r.index != nil {
		return
	}
	key := t.PrimaryKey[0]
	switch t.Columns[key].Type.Kind {
	case catalog.Int2, catalog.Int4, catalog.Int8, catalog.Date, catalog.Time, catalog.Timestamp, catalog.TimestampTZ:
		// the integer layouts equalPositions reads (and whose tail
		// batches carry their bounds inline: tailLead)
	default:
		return
	}
	for i := range r.preds {
		if p := &r.preds[i]; p.column == key && p.op == Eq && p.dom == domInt {
			r.unique = uniqueLookup{on: true, col: key, out: slices.Index(r.cols, key), eq: p.equalities()}
			return
		}
	}
}

// nextUnique is nextRecord for a unique lookup.
func (r *scanReader) nextUnique() (arrow.Record, error) {
	u := &r.unique
	if u.found {
		return nil, nil
	}
	if !u.tailDone {
		u.tailDone = true
		rec, err := r.uniqueInTail()
		if err != nil {
			return nil, err
		}
		if rec != nil {
			u.found = true
			r.skipRest()
			r.cur = rec
			return rec, nil
		}
	}
	if r.segsDone {
		return nil, nil
	}
	rec, err := r.nextSegmentRecord()
	if err != nil {
		r.Close()
		return nil, err
	}
	if rec == nil {
		r.leaveSegment()
		r.segsDone = true
		return nil, nil
	}
	if u.out >= 0 {
		if at, _ := equalPositions(rec.Column(u.out), u.eq, nil); len(at) > 0 {
			u.found = true // the record's rows are live: readGroup dropped the deleted ones
			r.skipRest()
		}
	}
	r.cur = rec
	return rec, nil
}

// skipRest ends the segments of a unique lookup that found its row: the
// row groups left of the current segment and the segments after it are
// counted as skipped, which they are.
func (r *scanReader) skipRest() {
	segs := r.ts.manifest.Segments
	if r.file != nil {
		for _, g := range r.file.pf.RowGroups()[r.rg:] {
			r.store.stats.rowGroupSkipped(g.NumRows())
			r.counts.rowGroup(true)
		}
		r.leaveSegment()
		r.seg++
	}
	for ; r.seg < len(segs); r.seg++ {
		r.store.stats.segmentSkipped(segs[r.seg].Rows)
		r.counts.segment(true)
	}
	r.segsDone = true
}

// uniqueInTail returns the live row of the key in the committed tail, the
// newest batch first, as a one-row record; nil when there is none.
func (r *scanReader) uniqueInTail() (arrow.Record, error) {
	ncol := len(r.ts.table.Columns)
	for i := len(r.inserts) - 1; i >= 0; i-- {
		ins := &r.inserts[i]
		if ins.excluded(r.preds) {
			continue
		}
		rec, err := ins.load()
		if err != nil {
			return nil, pgerr.New(pgerr.IoError, "could not read pending rows of table %q: %v", r.ts.table.Name, err)
		}
		at, handled := equalPositions(rec.Column(r.unique.col), r.unique.eq, nil)
		if !handled { // lookUpUnique takes only the layouts it reads
			rec.Release()
			return nil, pgerr.New(pgerr.InternalError, "unique lookup of table %q: key column %s not searchable", r.ts.table.Name, rec.Column(r.unique.col).DataType())
		}
		ids := rec.Column(ncol).(*array.Int64).Int64Values()
		for _, j := range at {
			if !r.deleted.deletedAfter(ids[j], ins.seq) {
				// A batch of one row (an UPDATE's, usually) lends its
				// columns; a larger one's row is copied, so that the
				// record holds no more than it returns.
				var keep []int32
				if rec.NumRows() > 1 {
					keep = []int32{j}
				}
				out := r.tailRows(rec, keep)
				rec.Release()
				return out, nil
			}
		}
		rec.Release()
	}
	return nil, nil
}
