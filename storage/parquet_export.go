package storage

import (
	"io"
	"math"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/parquet-go/parquet-go"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// ParquetWriter writes records to a standalone Parquet file (COPY ... TO
// a file in FORMAT parquet): the columns named and typed as given, every
// one optional, in the segments' column types (see "Column types in
// segments"), zstd, a row group every 128k rows. It holds at most one
// row group's records at a time. The types Parquet annotations do not
// tell (var-scale numeric, interval, jsonb) are recorded in the file's
// metadata (columnTypesKey), so that pqdb reads them back as they were.
type ParquetWriter struct {
	w       *parquet.Writer
	cw      []*parquet.ColumnWriter
	types   []catalog.Type
	leaves  []int
	pending []arrow.Record
	rows    int
	values  [][]parquet.Value
	scratch [][]byte
}

// NewParquetWriter starts a Parquet file on out. Column names must be
// distinct and every type one a segment can hold.
func NewParquetWriter(out io.Writer, names []string, types []catalog.Type) (*ParquetWriter, error) {
	g := make(orderedGroup, 0, len(names))
	seen := map[string]bool{}
	for i, name := range names {
		if seen[name] {
			return nil, pgerr.New(pgerr.DuplicateColumn, "column name \"%s\" appears more than once; a Parquet file needs distinct column names", name)
		}
		seen[name] = true
		if k := types[i].Kind; k == catalog.Record || k == catalog.Array && types[i].ElemType().Kind == catalog.Record {
			return nil, pgerr.Unsupported("COPY TO a Parquet file does not support columns of type %s", types[i])
		}
		g = append(g, &namedNode{parquetNode(types[i], false), name})
	}
	schema := parquet.NewSchema("pqdb", g)
	opts := []parquet.WriterOption{
		schema,
		parquet.Compression(&parquet.Zstd),
		parquet.MaxRowsPerRowGroup(math.MaxInt64),
		parquet.CreatedBy("pqdb", "0", ""),
	}
	var hints []string
	for i, name := range names {
		if h := hintedType(types[i]); h != "" && !strings.ContainsAny(name, "=\n") {
			hints = append(hints, name+"="+h)
		}
	}
	if len(hints) > 0 {
		opts = append(opts, parquet.KeyValueMetadata(columnTypesKey, strings.Join(hints, "\n")))
	}
	pw := &ParquetWriter{types: types, leaves: make([]int, len(names)), values: make([][]parquet.Value, len(names)), scratch: make([][]byte, len(names))}
	for i, name := range names {
		path := []string{name}
		if types[i].Kind == catalog.Array {
			path = append(path, listLeafPath...)
		}
		leaf, _ := schema.Lookup(path...)
		pw.leaves[i] = leaf.ColumnIndex
		if layoutOf(types[i]) == physDecimal128 {
			// Unsigned page bounds would mislead readers (writeSegment).
			opts = append(opts, parquet.SkipPageBounds(name))
		}
	}
	pw.w = parquet.NewWriter(out, opts...)
	pw.cw = pw.w.ColumnWriters()
	return pw, nil
}

// Write adds the rows of rec, whose columns are the writer's.
func (pw *ParquetWriter) Write(rec arrow.Record) error {
	rec.Retain()
	pw.pending = append(pw.pending, rec)
	pw.rows += int(rec.NumRows())
	if pw.rows >= defaultRowGroupRows {
		return pw.flushGroup()
	}
	return nil
}

// flushGroup writes the pending records as one row group.
func (pw *ParquetWriter) flushGroup() error {
	defer func() {
		for _, r := range pw.pending {
			r.Release()
		}
		pw.pending, pw.rows = pw.pending[:0], 0
	}()
	for c, t := range pw.types {
		vals, scr := pw.values[c][:0], pw.scratch[c][:0]
		for _, rec := range pw.pending {
			vals, scr = appendColumnValues(vals, scr, t, rec.Column(c), 0, int(rec.NumRows()), pw.leaves[c], true)
		}
		pw.values[c], pw.scratch[c] = vals, scr
		if _, err := pw.cw[pw.leaves[c]].WriteRowValues(vals); err != nil {
			return err
		}
	}
	return pw.w.Flush()
}

// Close writes the last row group and the footer; it does not close the
// underlying writer.
func (pw *ParquetWriter) Close() error {
	if pw.rows > 0 {
		if err := pw.flushGroup(); err != nil {
			return err
		}
	}
	return pw.w.Close()
}

// appendColumnValues appends the Parquet values of rows arr[lo:hi] of a
// column of type t.
func appendColumnValues(dst []parquet.Value, scratch []byte, t catalog.Type, arr arrow.Array, lo, hi, leaf int, optional bool) ([]parquet.Value, []byte) {
	if t.Kind == catalog.Array {
		return appendListValues(dst, scratch, t, arr, lo, hi, leaf, optional)
	}
	return appendParquetValues(dst, scratch, layoutOf(t), arr, lo, hi, leaf, optional)
}
