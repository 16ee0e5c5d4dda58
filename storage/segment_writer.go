package storage

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding"

	"github.com/pqdb/pqdb/catalog"
)

// segmentPageBytes is the size at which a segment's column pages are cut
// (parquet-go's page buffer, before compression). Smaller pages let a
// point lookup decode fewer values through the page index, but every page
// costs a header and a decompression: at 64 KiB a full scan took about
// half as much CPU again as with one page per row group, at 128 KiB a
// tenth or so (BenchmarkScan). Tests lower it to get many pages.
var segmentPageBytes = 128 << 10

// writeSegment writes the rows of recs (the table's columns followed by
// the row-id column) to a new Parquet object key, cutting a row group
// every rowGroupRows rows, and returns its Segment description. indexes
// are the table's indexes, whose unique keys get bloom filters
// (bloomColumns). The object is durable before writeSegment returns; it
// is not referenced by any manifest yet.
func writeSegment(o *objectStore, key string, tbl *catalog.Table, recs []arrow.Record, rowGroupRows int, indexes ...*catalog.Index) (*Segment, error) {
	sw, err := newSegmentWriter(o, key, tbl, rowGroupRows, indexes...)
	if err != nil {
		return nil, err
	}
	return sw.writeAll(recs)
}

// writeAll writes recs and closes the segment.
func (sw *segmentWriter) writeAll(recs []arrow.Record) (*Segment, error) {
	sw.requireWhereNoNull(recs)
	for _, rec := range recs {
		if err := sw.write(rec); err != nil {
			sw.abort()
			return nil, err
		}
	}
	return sw.close()
}

// segmentWriter writes a new segment file (writeSegment) from records
// handed to it one at a time, so that its caller need not hold them all:
// it keeps only the records of the row group being filled, and turns a
// row group's values into Parquet values segmentValueRows rows at a
// time, rather than all at once.
type segmentWriter struct {
	key string
	f   *objectWriter
	tbl *catalog.Table
	// w is created with the first row group, whose values choose the
	// columns' encodings (chooseEncodings); opts are its options but the
	// schema.
	w      *parquet.Writer
	opts   []parquet.WriterOption
	cw     []*parquet.ColumnWriter
	ncol   int
	leaves []int // Parquet leaf column of each column, then of the row id
	// optional marks the columns written as optional Parquet columns:
	// those the table lets hold NULL, but for the flat ones in which none
	// of the segment's rows does, when every record is given at once
	// (writeAll, requireWhereNoNull). An optional column costs a
	// definition level per row to write, count (parquet-go keeps level
	// histograms) and read back, for nothing when no row is NULL, as is
	// usual of columns merely not declared NOT NULL. Readers take a file's
	// schema as it is (a column's NULLs are its definition levels, none
	// when it has none), as they do for segments written before an ALTER
	// TABLE.
	optional     []bool
	types        []catalog.Type
	rowGroupRows int
	seg          *Segment
	// sparseIDs notes a row whose id is not its predecessor's plus one
	// (Segment.DenseRowIDs), of the idsSeen rows so far; nextID is the
	// last one's successor.
	sparseIDs bool
	nextID    int64
	idsSeen   int64
	// sketches are the distinct-value sketches of the table's columns
	// (hll.go), nil for a file that keeps none (an event file).
	sketches []*ndvSketch

	// Per-column buffers, reused across row groups.
	values  [][]parquet.Value
	scratch [][]byte
	// pieces are the rows of the row group being filled, each holding a
	// reference to its record until the group is written.
	pieces  []segmentPiece
	inGroup int
}

// segmentPiece is rows [lo, hi) of rec.
type segmentPiece struct {
	rec    arrow.Record
	lo, hi int
}

// segmentValueRows is how many rows of a column segmentWriter turns into
// Parquet values at a time (parquet-go copies values as they are written).
const segmentValueRows = 8 << 10

// newSegmentWriter creates the object key for a segment of tbl's rows
// (see writeSegment); the caller ends with close or abort.
func newSegmentWriter(o *objectStore, key string, tbl *catalog.Table, rowGroupRows int, indexes ...*catalog.Index) (*segmentWriter, error) {
	schema := segmentSchema(tbl)
	ncol := len(tbl.Columns)
	sw := &segmentWriter{
		key:          key,
		tbl:          tbl,
		ncol:         ncol,
		leaves:       make([]int, ncol+1),
		optional:     make([]bool, ncol+1),
		types:        make([]catalog.Type, ncol+1),
		rowGroupRows: rowGroupRows,
		seg:          &Segment{Columns: make([]string, ncol), MinRowID: math.MaxInt64, MaxRowID: math.MinInt64, IntervalText: hasInterval(tbl)},
		values:       make([][]parquet.Value, ncol+1),
		scratch:      make([][]byte, ncol+1),
		sketches:     make([]*ndvSketch, ncol),
	}
	for i := range sw.sketches {
		sw.sketches[i] = new(ndvSketch)
	}
	opts := []parquet.WriterOption{
		parquet.Compression(segmentZstd),
		parquet.MaxRowsPerRowGroup(math.MaxInt64),
		parquet.CreatedBy("pqdb", "0", ""),
		parquet.PageBufferSize(segmentPageBytes),
		// Pages' bounds are in the page index (its column index), which
		// readers use; the same bounds in every page header were a second
		// pass over each page's values (a tenth of a flush's CPU on
		// lineitem). parquet-mr stopped writing them for the same reason.
		parquet.DataPageStatistics(false),
	}
	for i, c := range tbl.Columns {
		path := []string{c.Name}
		if c.Type.Kind == catalog.Array {
			path = append(path, listLeafPath...)
		}
		leaf, ok := schema.Lookup(path...)
		if !ok {
			return nil, fmt.Errorf("segment schema lacks column %q", c.Name)
		}
		sw.leaves[i] = leaf.ColumnIndex
		sw.seg.Columns[i] = c.Name
		sw.optional[i] = !columnNotNull(tbl, i)
		sw.types[i] = c.Type
		if layoutOf(c.Type) == physDecimal128 {
			// parquet-go orders FIXED_LEN_BYTE_ARRAY(16) values as unsigned,
			// which is wrong for signed decimals: write no bounds rather
			// than misleading ones. pqdb keeps its own in the manifest.
			opts = append(opts, parquet.SkipPageBounds(c.Name))
		}
	}
	// One BloomFilters option names every column: a later one replaces
	// an earlier one's list.
	var blooms []parquet.BloomFilterColumn
	for _, k := range bloomColumns(tbl, indexes) {
		blooms = append(blooms, parquet.SplitBlockFilter(10, tbl.Columns[k].Name))
	}
	if len(blooms) > 0 {
		opts = append(opts, parquet.BloomFilters(blooms...))
	}
	rid, _ := schema.Lookup(rowIDColumn)
	sw.leaves[ncol] = rid.ColumnIndex
	sw.types[ncol] = catalog.TypeInt8

	f, err := o.create(key)
	if err != nil {
		return nil, err
	}
	sw.f = f
	sw.opts = opts
	return sw, nil
}

// requireWhereNoNull makes the nullable flat columns in which no record
// of recs, every record of the segment, holds NULL required (not
// sw.optional), before the first row group is written.
func (sw *segmentWriter) requireWhereNoNull(recs []arrow.Record) {
	for c := range sw.ncol {
		if !sw.optional[c] || sw.types[c].Kind == catalog.Array {
			continue
		}
		nulls := 0
		for _, rec := range recs {
			nulls += rec.Column(c).NullN()
		}
		if nulls == 0 {
			sw.optional[c] = false
		}
	}
}

// open creates the Parquet writer, with the encodings encs (nil: the
// layouts' defaults).
func (sw *segmentWriter) open(encs []encoding.Encoding) {
	opts := append([]parquet.WriterOption{encodedSegmentSchema(sw.tbl, encs, sw.optional[:sw.ncol])}, sw.opts...)
	sw.w = parquet.NewWriter(sw.f, opts...)
	sw.cw = sw.w.ColumnWriters()
}

// write adds the rows of rec, writing each row group it completes. rec
// is retained until its rows are written; the caller may release it.
func (sw *segmentWriter) write(rec arrow.Record) error {
	n := int(rec.NumRows())
	for lo := 0; lo < n; {
		hi := min(n, lo+sw.rowGroupRows-sw.inGroup)
		rec.Retain()
		sw.pieces = append(sw.pieces, segmentPiece{rec, lo, hi})
		sw.inGroup += hi - lo
		lo = hi
		if sw.inGroup == sw.rowGroupRows {
			if err := sw.flushGroup(); err != nil {
				return err
			}
		}
	}
	return nil
}

// flushGroup writes the pending pieces as one row group.
func (sw *segmentWriter) flushGroup() error {
	if sw.w == nil {
		sw.open(sw.chooseEncodings(sw.pieces, sw.inGroup))
	}
	ncol := sw.ncol
	rg := RowGroupStats{Rows: int64(sw.inGroup), Columns: make([]ColumnStats, ncol)}
	errs := make([]error, ncol+1)
	// parquet-go's column writers are independent until the row group
	// is flushed: encode and compress the columns in parallel.
	var wg sync.WaitGroup
	for c := 0; c <= ncol; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[c] = catchPanic(func() error {
				atPanicSite(siteColumnWrite)
				return sw.writeColumn(c, &rg)
			})
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	return sw.finishGroup(rg)
}

// writeColumn writes column c of the pending pieces (c == ncol: the row
// ids) to the row group and, for a table column, its statistics to rg.
func (sw *segmentWriter) writeColumn(c int, rg *RowGroupStats) error {
	vals, scr := sw.values[c], sw.scratch[c]
	defer func() { sw.values[c], sw.scratch[c] = vals[:0], scr[:0] }()
	ncol := sw.ncol
	acc := newStatsAcc(sw.types[c])
	list := sw.types[c].Kind == catalog.Array
	for _, p := range sw.pieces {
		arr := p.rec.Column(c)
		for lo := p.lo; lo < p.hi; lo += segmentValueRows {
			hi := min(p.hi, lo+segmentValueRows)
			vals, scr = appendColumnValues(vals[:0], scr[:0], sw.types[c], arr, lo, hi, sw.leaves[c], sw.optional[c])
			if err := writeColumnValues(sw.cw[sw.leaves[c]], vals, list); err != nil {
				return err
			}
		}
		if c < ncol {
			acc.add(arr, p.lo, p.hi)
			if sw.sketches != nil {
				sw.sketches[c].addArray(arr, p.lo, p.hi)
			}
		}
	}
	if c < ncol {
		rg.Columns[c] = acc.result()
	}
	return nil
}

// finishGroup notes the row group rg, whose columns are written, in the
// segment and flushes it.
func (sw *segmentWriter) finishGroup(rg RowGroupStats) error {
	ncol := sw.ncol
	seg := sw.seg
	for _, p := range sw.pieces {
		for _, id := range p.rec.Column(ncol).(*array.Int64).Int64Values()[p.lo:p.hi] {
			seg.MinRowID = min(seg.MinRowID, id)
			seg.MaxRowID = max(seg.MaxRowID, id)
			if sw.idsSeen > 0 && id != sw.nextID {
				sw.sparseIDs = true
			}
			sw.nextID = id + 1
			sw.idsSeen++
		}
	}
	seg.RowGroups = append(seg.RowGroups, rg)
	seg.Rows += int64(sw.inGroup)
	seg.DenseRowIDs = !sw.sparseIDs
	sw.releasePieces()
	sw.inGroup = 0
	return sw.w.Flush()
}

func (sw *segmentWriter) releasePieces() {
	for _, p := range sw.pieces {
		p.rec.Release()
	}
	clear(sw.pieces)
	sw.pieces = sw.pieces[:0]
}

// close writes the last row group and the footer, makes the object
// durable, and returns the segment's description. If it fails, there is
// no object.
func (sw *segmentWriter) close() (*Segment, error) {
	err := func() error {
		if sw.inGroup > 0 {
			if err := sw.flushGroup(); err != nil {
				return err
			}
		}
		if sw.w == nil {
			sw.open(nil) // no rows
		}
		if err := sw.w.Close(); err != nil {
			return err
		}
		f := sw.f
		sw.f = nil // committed or given up either way
		sw.seg.Bytes = f.size
		return f.commit()
	}()
	if err != nil {
		sw.abort()
		return nil, err
	}
	if sw.sketches != nil {
		sw.seg.Sketches = make([][]byte, len(sw.sketches))
		for c, sk := range sw.sketches {
			sw.seg.Sketches[c] = sk.marshal()
		}
	}
	return sw.seg, nil
}

// abort gives the object up.
func (sw *segmentWriter) abort() {
	sw.releasePieces()
	if sw.f != nil {
		sw.f.abort()
		sw.f = nil
	}
}

// pageChunkRows is how many rows of a flat column writeColumnValues hands
// parquet-go at a time. parquet-go cuts a page only when a write leaves
// its buffer at segmentPageBytes or more, so a row group written in one
// call would be one page, which the page index could not narrow.
const pageChunkRows = 128

// writeColumnValues writes the values of one column of a row group. Rows
// of a list column (several values each) are written in one call.
func writeColumnValues(w *parquet.ColumnWriter, vals []parquet.Value, list bool) error {
	if list {
		_, err := w.WriteRowValues(vals)
		return err
	}
	for lo := 0; lo < len(vals); lo += pageChunkRows {
		if _, err := w.WriteRowValues(vals[lo:min(len(vals), lo+pageChunkRows)]); err != nil {
			return err
		}
	}
	return nil
}

// maxIntervalISOBytes bounds an interval's ISO 8601 text:
// "P-178956970Y-8M-2147483648DT-2562047H-47M-16.854775S".
const maxIntervalISOBytes = 56

// appendParquetValues appends one parquet.Value per row of arr[lo:hi].
// Values that need a converted byte form (big-endian decimals, numeric
// text) point into scratch, which grows as needed and is returned with
// the values.
//
// It is the hot loop of a flush: each layout fills the new values in a
// loop of its own, with no per-value call that is not inlined, and the
// levels are set in a second pass (setValueLevels) over values that are
// still in cache.
func appendParquetValues(dst []parquet.Value, scratch []byte, p physical, arr arrow.Array, lo, hi, leaf int, optional bool) ([]parquet.Value, []byte) {
	def := 0
	if optional {
		def = 1
	}
	if p == physVarNumeric {
		null := parquet.NullValue().Level(0, 0, leaf)
		return appendVarNumericValues(dst, scratch, arr.(*array.Binary), lo, hi, null, def, leaf)
	}
	n := len(dst)
	dst = slices.Grow(dst, hi-lo)[:n+hi-lo]
	out := dst[n:]
	switch p {
	case physBool:
		a := arr.(*array.Boolean)
		for i := range out {
			out[i] = parquet.BooleanValue(a.Value(lo + i))
		}
	case physInt16:
		vs := arr.(*array.Int16).Int16Values()[lo:hi]
		for i, v := range vs {
			out[i] = parquet.Int32Value(int32(v))
		}
	case physInt32:
		vs := arrow.Int32Traits.CastFromBytes(fixedBytes(arr, 4))[lo:hi]
		for i, v := range vs {
			out[i] = parquet.Int32Value(v)
		}
	case physInt64:
		vs := arrow.Int64Traits.CastFromBytes(fixedBytes(arr, 8))[lo:hi]
		for i, v := range vs {
			out[i] = parquet.Int64Value(v)
		}
	case physFloat32:
		vs := arr.(*array.Float32).Float32Values()[lo:hi]
		for i, v := range vs {
			out[i] = parquet.FloatValue(v)
		}
	case physFloat64:
		vs := arr.(*array.Float64).Float64Values()[lo:hi]
		for i, v := range vs {
			out[i] = parquet.DoubleValue(v)
		}
	case physDecimal32:
		vs := arr.(*array.Decimal128).Values()[lo:hi]
		for i, v := range vs {
			out[i] = parquet.Int32Value(int32(v.LowBits()))
		}
	case physDecimal64:
		vs := arr.(*array.Decimal128).Values()[lo:hi]
		for i, v := range vs {
			out[i] = parquet.Int64Value(int64(v.LowBits()))
		}
	case physDecimal128:
		vs := arr.(*array.Decimal128).Values()[lo:hi]
		// Size scratch once so that values already emitted keep
		// pointing into it.
		base := len(scratch)
		scratch = slices.Grow(scratch, len(vs)*16)[:base+len(vs)*16]
		be := scratch[base:]
		for i, v := range vs {
			b := be[i*16 : i*16+16 : i*16+16]
			binary.BigEndian.PutUint64(b[0:8], uint64(v.HighBits()))
			binary.BigEndian.PutUint64(b[8:16], v.LowBits())
			out[i] = parquet.FixedLenByteArrayValue(b)
		}
	case physFixed16:
		raw := fixedBytes(arr, 16)
		for i := range out {
			j := (lo + i) * 16
			out[i] = parquet.FixedLenByteArrayValue(raw[j : j+16 : j+16])
		}
	case physInterval:
		vs := arrow.MonthDayNanoIntervalTraits.CastFromBytes(fixedBytes(arr, 16))[lo:hi]
		// Size scratch once so that values already emitted keep
		// pointing into it.
		scratch = slices.Grow(scratch, len(vs)*maxIntervalISOBytes)
		for i, v := range vs {
			start := len(scratch)
			scratch = catalog.AppendIntervalISO(scratch, v)
			out[i] = parquet.ByteArrayValue(scratch[start:len(scratch):len(scratch)])
		}
	case physBytes:
		switch a := arr.(type) {
		case *array.String:
			for i := range out {
				out[i] = parquet.ByteArrayValue(unsafeBytes(a.Value(lo + i)))
			}
		case *array.Binary:
			for i := range out {
				out[i] = parquet.ByteArrayValue(a.Value(lo + i))
			}
		}
	}
	setValueLevels(out, arr, lo, def, leaf)
	return dst, scratch
}

// setValueLevels gives the values of rows arr[lo:lo+len(vals)] their
// definition level def and column leaf, and makes those of NULL rows
// NULL values at definition level 0.
func setValueLevels(vals []parquet.Value, arr arrow.Array, lo, def, leaf int) {
	if arr.NullN() == 0 {
		for i := range vals {
			vals[i].SetDefinitionLevel(def)
			vals[i].SetColumnIndex(leaf)
		}
		return
	}
	null := parquet.NullValue().Level(0, 0, leaf)
	for i := range vals {
		if arr.IsNull(lo + i) {
			vals[i] = null
			continue
		}
		vals[i].SetDefinitionLevel(def)
		vals[i].SetColumnIndex(leaf)
	}
}

// fixedBytes returns the value buffer of a fixed-width array, starting at
// its logical first element.
func fixedBytes(arr arrow.Array, width int) []byte {
	d := arr.Data()
	b := d.Buffers()[1]
	if b == nil {
		// An empty array read back from Arrow IPC (a spilled batch, a
		// replayed event) may have no value buffer.
		return nil
	}
	return b.Bytes()[d.Offset()*width:]
}
