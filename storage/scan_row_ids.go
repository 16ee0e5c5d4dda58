package storage

import "github.com/apache/arrow-go/v18/arrow"

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
