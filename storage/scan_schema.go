package storage

import (
	"slices"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
)

// scanSchemaCache holds the last schemas scans of a table built for
// their columns. arrow.NewSchema indexes every field by name, which costs
// a point lookup more than finding its row; sessions that run the same
// statements ask for the same columns, so the last few are kept (a
// TPC-B transaction reads pgbench_accounts for its UPDATE and its
// SELECT, with other columns). Copies of a tableState share it, and an
// entry names the tail schema it was cut from, so a state whose columns
// changed (ALTER TABLE) never reads another's.
type scanSchemaCache struct {
	recent [scanSchemasKept]atomic.Pointer[scanSchemaEntry]
	next   atomic.Uint32 // the slot the next new entry takes
}

// scanSchemasKept is how many scan schemas a table keeps.
const scanSchemasKept = 4

type scanSchemaEntry struct {
	base   *arrow.Schema
	cols   []int
	schema *arrow.Schema
	// columns is schema without the row id (ColumnsSchema).
	columns *arrow.Schema
}

// ColumnsSchemer is a RecordReader that knows the schema of its records
// without their last column, the row id, so that a reader hiding it
// need not build one per record.
type ColumnsSchemer interface {
	ColumnsSchema() *arrow.Schema
}

// ColumnsSchema is the schema of r's records without the row id.
func (r *scanReader) ColumnsSchema() *arrow.Schema { return r.columns }

// scanSchema is the schema of a scan of ts's columns cols (those
// columns, then the row id), and that of the columns alone.
func (ts *tableState) scanSchema(cols []int) (schema, columns *arrow.Schema) {
	if ts.scanSchemas != nil {
		for i := range ts.scanSchemas.recent {
			if e := ts.scanSchemas.recent[i].Load(); e != nil && e.base == ts.schema && slices.Equal(e.cols, cols) {
				return e.schema, e.columns
			}
		}
	}
	fields := make([]arrow.Field, 0, len(cols)+1)
	for _, c := range cols {
		fields = append(fields, ts.schema.Field(c))
	}
	columns = arrow.NewSchema(fields, nil)
	schema = arrow.NewSchema(append(fields, arrow.Field{Name: rowIDColumn, Type: arrow.PrimitiveTypes.Int64}), nil)
	if ts.scanSchemas != nil {
		slot := (ts.scanSchemas.next.Add(1) - 1) % scanSchemasKept
		ts.scanSchemas.recent[slot].Store(&scanSchemaEntry{base: ts.schema, cols: slices.Clone(cols), schema: schema, columns: columns})
	}
	return schema, columns
}
