package storage

import (
	"bytes"
	"cmp"
	"math"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/numeric"
)

// New segments (flushes and compactions) are written in the order of the
// table's sort key (catalog.Table.SortKey), else of its primary key, then
// of row id, so that the row groups' statistics of those columns are
// tight and prune well. The order is physical only: no reader relies on
// it, and it need not be SQL's collation order (text sorts by bytes).
// NULLs sort last and NaN above every other float, as in PostgreSQL.

// SortableType reports whether segments can be ordered by a column of
// type t: the types whose values have an order storage can compute
// without SQL (not json, jsonb, interval, arrays or records).
func SortableType(t catalog.Type) bool {
	switch t.Kind {
	case catalog.Bool, catalog.Int2, catalog.Int4, catalog.Int8, catalog.Oid,
		catalog.Float4, catalog.Float8, catalog.Numeric,
		catalog.Text, catalog.Varchar, catalog.Bpchar, catalog.Name, catalog.Char, catalog.Enum,
		catalog.Bytea, catalog.Date, catalog.Time, catalog.Timestamp, catalog.TimestampTZ, catalog.UUID:
		return true
	}
	return false
}

// segmentOrder returns the columns that order new segments of tbl: its
// sort key, else its primary key, up to the first column that is missing
// or of a type SortableType refuses (a key retyped since it was set).
func segmentOrder(tbl *catalog.Table) []int {
	var cols []int
	if len(tbl.SortKey) > 0 {
		for _, name := range tbl.SortKey {
			c := tbl.ColumnIndex(name)
			if c < 0 {
				break
			}
			cols = append(cols, c)
		}
	} else {
		cols = slices.Clone(tbl.PrimaryKey)
	}
	for i, c := range cols {
		if !SortableType(tbl.Columns[c].Type) {
			return cols[:i]
		}
	}
	return cols
}

// sortRows returns the rows of recs (tbl's columns, then _row_id) as
// one record in segmentOrder, then row-id order. It sorts an index
// vector with one comparison function per key column, chosen once by
// type, and gathers every column once (takeArray); when the rows are
// already in order only their concatenation is made. recs are not
// released.
func sortRows(tbl *catalog.Table, schema *arrow.Schema, recs []arrow.Record) (arrow.Record, error) {
	rec, err := concatRecords(schema, recs)
	if err != nil {
		return nil, err
	}
	n := int(rec.NumRows())
	ncol := len(tbl.Columns)
	var order []func(i, j int) int
	for _, c := range segmentOrder(tbl) {
		order = append(order, columnOrder(rec.Column(c), tbl.Columns[c].Type))
	}
	ids := rec.Column(ncol).(*array.Int64).Int64Values()
	compare := func(i, j int32) int {
		for _, o := range order {
			if c := o(int(i), int(j)); c != 0 {
				return c
			}
		}
		return cmp.Compare(ids[i], ids[j])
	}
	sorted := true
	for i := 1; i < n && sorted; i++ {
		sorted = compare(int32(i-1), int32(i)) <= 0
	}
	if sorted {
		return rec, nil
	}
	idx := make([]int32, n)
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortFunc(idx, compare)
	out := takeRecord(rec, idx)
	rec.Release()
	return out, nil
}

// concatRecords returns recs as one record of schema.
func concatRecords(schema *arrow.Schema, recs []arrow.Record) (arrow.Record, error) {
	if len(recs) == 1 {
		recs[0].Retain()
		return recs[0], nil
	}
	cols := make([]arrow.Array, schema.NumFields())
	parts := make([]arrow.Array, len(recs))
	var n int64
	for _, r := range recs {
		n += r.NumRows()
	}
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for c := range cols {
		for i, r := range recs {
			parts[i] = r.Column(c)
		}
		a, err := concatArrays(parts)
		if err != nil {
			return nil, err
		}
		cols[c] = a
	}
	return array.NewRecordBatch(schema, cols, n), nil
}

// columnOrder returns the comparison of rows i and j of arr, a column of
// type t: NULLs last, NaN above every number.
func columnOrder(arr arrow.Array, t catalog.Type) func(i, j int) int {
	values := valueOrder(arr, t)
	if arr.NullN() == 0 {
		return values
	}
	return func(i, j int) int {
		ni, nj := arr.IsNull(i), arr.IsNull(j)
		switch {
		case ni && nj:
			return 0
		case ni:
			return 1
		case nj:
			return -1
		}
		return values(i, j)
	}
}

// valueOrder compares the (non-NULL) values at i and j of arr.
func valueOrder(arr arrow.Array, t catalog.Type) func(i, j int) int {
	switch a := arr.(type) {
	case *array.Boolean:
		return func(i, j int) int {
			x, y := a.Value(i), a.Value(j)
			switch {
			case x == y:
				return 0
			case !x:
				return -1
			}
			return 1
		}
	case *array.Int16:
		vs := a.Int16Values()
		return func(i, j int) int { return cmp.Compare(vs[i], vs[j]) }
	case *array.Int32:
		vs := a.Int32Values()
		return func(i, j int) int { return cmp.Compare(vs[i], vs[j]) }
	case *array.Int64:
		vs := a.Int64Values()
		return func(i, j int) int { return cmp.Compare(vs[i], vs[j]) }
	case *array.Uint32:
		vs := a.Uint32Values()
		return func(i, j int) int { return cmp.Compare(vs[i], vs[j]) }
	case *array.Date32:
		vs := a.Date32Values()
		return func(i, j int) int { return cmp.Compare(vs[i], vs[j]) }
	case *array.Time64:
		vs := a.Time64Values()
		return func(i, j int) int { return cmp.Compare(vs[i], vs[j]) }
	case *array.Timestamp:
		vs := a.TimestampValues()
		return func(i, j int) int { return cmp.Compare(vs[i], vs[j]) }
	case *array.Float32:
		vs := a.Float32Values()
		return func(i, j int) int { return floatOrder(float64(vs[i]), float64(vs[j])) }
	case *array.Float64:
		vs := a.Float64Values()
		return func(i, j int) int { return floatOrder(vs[i], vs[j]) }
	case *array.Decimal128:
		vs := a.Values()
		return func(i, j int) int { return vs[i].Cmp(vs[j]) }
	case *array.String:
		return func(i, j int) int { return cmp.Compare(a.Value(i), a.Value(j)) }
	case *array.Binary:
		if t.IsVarNumeric() {
			return func(i, j int) int { return numeric.Compare(a.Value(i), a.Value(j)) }
		}
		return func(i, j int) int { return bytes.Compare(a.Value(i), a.Value(j)) }
	case *array.FixedSizeBinary:
		return func(i, j int) int { return bytes.Compare(a.Value(i), a.Value(j)) }
	}
	return func(int, int) int { return 0 } // unreachable for SortableType columns
}

// floatOrder orders floats as PostgreSQL does: NaN equal to itself and
// above everything else, -0 equal to 0.
func floatOrder(x, y float64) int {
	xn, yn := math.IsNaN(x), math.IsNaN(y)
	switch {
	case xn && yn:
		return 0
	case xn:
		return 1
	case yn:
		return -1
	}
	return cmp.Compare(x, y)
}
