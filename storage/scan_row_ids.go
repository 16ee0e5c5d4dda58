package storage

import (
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
)

// Scans without row ids.
//
// A scan's records end with the row id column, which UPDATE, DELETE and
// the key checks need. A reader of values only (a SELECT's scan, whose
// planner hides the column) says so with OmitRowIDs: its records then hold
// the scanned columns alone, and its row groups decode the row id column
// only when rows must be checked against the tail's or the transaction's
// deletions, which name rows by id (a segment's own deletion vector names
// them by position). That is one column less to decode for every row
// group a query reads, and for a point lookup one of its two or three.
//
// A segment whose rows' ids are their positions plus its MinRowID
// (Segment.DenseRowIDs: a load in key order, whose ids grow with the
// key, as pgbench's accounts) needs its id column decoded for neither:
// the ids of the rows read are computed from their positions. Once a
// table's tail deletes rows (any UPDATE), every lookup in it checks its
// row's id, and decoding the id page of a million-row segment was a
// third of a point lookup's work.

// RowIDOmitter is a RecordReader that can leave the row id column out of
// its records: the readers of Scan, ScanIndex and ScanPartitions are.
type RowIDOmitter interface {
	// OmitRowIDs makes the records hold the scanned columns only, with
	// the schema ColumnsSchema returns. It is called before the first
	// Next.
	OmitRowIDs()
}

func (r *scanReader) OmitRowIDs() { r.noRowIDs = true }

// outSchema is the schema of r's records.
func (r *scanReader) outSchema() *arrow.Schema {
	if r.noRowIDs {
		return r.columns
	}
	return r.schema
}

// needRowIDs reports whether r's row groups decode the row id column: its
// records hold it, or deletions by id apply to the scan.
func (r *scanReader) needRowIDs() bool { return !r.noRowIDs || !r.deleted.empty() }

// denseRowIDs appends to ids the row ids of the rows read of a row group
// of a dense segment whose first row has id first: those of ranges
// (positions in the group), or of its first rows rows when ranges is
// nil; rows is their number either way.
func denseRowIDs(ids []int64, first int64, ranges []rowRange, rows int) []int64 {
	if ranges == nil {
		ranges = []rowRange{{0, int64(rows)}}
	}
	ids = slices.Grow(ids, rows)
	for _, rr := range ranges {
		for p := rr.lo; p < rr.hi; p++ {
			ids = append(ids, first+p)
		}
	}
	return ids
}
