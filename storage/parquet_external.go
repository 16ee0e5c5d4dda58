package storage

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"strings"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// ParquetFiles is a relation read from Parquet files outside the store,
// written by pqdb or by any other engine: the rows of read_parquet and of
// COPY ... FROM a Parquet file. Its columns are the files' top-level
// columns, in file order, typed by their physical and logical types
// (externalColumnOf); every file must have the same ones. Paths are
// absolute and already allowed by the caller: storage reads what it is
// given.
//
// A scan reads the files one after another, row group by row group, only
// the columns asked for, and skips the row groups whose column chunk
// statistics (min_value, max_value, null_count) exclude a predicate,
// with the same Predicate rules as a table scan (predicate.go). Files are
// opened when the scan reaches them and closed when it leaves them.
type ParquetFiles struct {
	Paths []string
	// Table names and types the columns (Name is the relation's name,
	// e.g. read_parquet); it belongs to no schema and has no id.
	Table *catalog.Table
	cols  []externalColumn
	rows  int64
}

// externalColumn is how one top-level column of an external file is read.
type externalColumn struct {
	name string
	typ  catalog.Type // the column's SQL type
	read physical     // the layout the file holds
	conv conversion   // what turns the decoded values into typ's
	// rawType is the Arrow type the values decode to before conv.
	rawType arrow.DataType
}

// conversion turns decoded values of a file's layout into the Arrow
// layout of the column's type, where the file's unit differs from pqdb's.
type conversion uint8

const (
	convNone      conversion = iota
	convMillis               // int64 milliseconds → microseconds
	convNanos                // int64 nanoseconds → microseconds, floored
	convTimeMilli            // int32 milliseconds → int64 microseconds
	convUint32               // uint32 → int64
)

// OpenParquetFiles reads the footers of the files at paths (at least
// one) and describes the relation they make, named name.
func OpenParquetFiles(name string, paths []string) (*ParquetFiles, error) {
	if len(paths) == 0 {
		return nil, pgerr.New(pgerr.UndefinedFile, "%s: no files to read", name)
	}
	pfs := &ParquetFiles{Paths: paths, Table: &catalog.Table{Name: name}}
	for i, path := range paths {
		f, pf, err := openParquetFile(path, false)
		if err != nil {
			return nil, err
		}
		cols, err := externalColumns(pf, path)
		pfs.rows += pf.NumRows()
		f.Close()
		if err != nil {
			return nil, err
		}
		if i == 0 {
			pfs.cols = cols
			for _, c := range cols {
				pfs.Table.Columns = append(pfs.Table.Columns, catalog.Column{Name: c.name, Type: c.typ})
			}
			continue
		}
		if err := pfs.sameColumns(cols, path); err != nil {
			return nil, err
		}
	}
	return pfs, nil
}

// Rows is the number of rows of all files, from their footers.
func (p *ParquetFiles) Rows() int64 { return p.rows }

// sameColumns checks that the columns of the file at path are those of
// the first file.
func (p *ParquetFiles) sameColumns(cols []externalColumn, path string) error {
	mismatch := func(detail string) error {
		e := pgerr.New(pgerr.DatatypeMismatch, "Parquet file \"%s\" does not have the columns of \"%s\"", path, p.Paths[0])
		e.Detail = detail
		e.Hint = "All files read together must have the same column names and types."
		return e
	}
	if len(cols) != len(p.cols) {
		return mismatch(fmt.Sprintf("It has %d columns, the first file %d.", len(cols), len(p.cols)))
	}
	for i, c := range cols {
		want := p.cols[i]
		if c.name != want.name {
			return mismatch(fmt.Sprintf("Column %d is \"%s\", in the first file \"%s\".", i+1, c.name, want.name))
		}
		if c.typ != want.typ || c.read != want.read || c.conv != want.conv {
			return mismatch(fmt.Sprintf("Column \"%s\" has another type.", c.name))
		}
	}
	return nil
}

func openParquetFile(path string, pageIndex bool) (*os.File, *parquet.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, FileError(fmt.Sprintf("could not open file \"%s\" for reading", path), err)
	}
	st, err := f.Stat()
	if err == nil && st.IsDir() {
		f.Close()
		return nil, nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is a directory", path)
	}
	if err != nil {
		f.Close()
		return nil, nil, FileError(fmt.Sprintf("could not stat file \"%s\"", path), err)
	}
	pf, err := parquet.OpenFile(f, st.Size(), parquet.SkipBloomFilters(true), parquet.SkipPageIndex(!pageIndex), parquet.ReadBufferSize(1<<20))
	if err != nil {
		f.Close()
		return nil, nil, pgerr.New(pgerr.BadCopyFileFormat, "could not read Parquet file \"%s\": %v", path, err)
	}
	return f, pf, nil
}

// externalColumns describes the top-level columns of pf.
func externalColumns(pf *parquet.File, path string) ([]externalColumn, error) {
	var cols []externalColumn
	hints := columnTypeHints(pf)
	for _, c := range pf.Root().Columns() {
		ec, err := externalColumnOf(c, hints[c.Name()])
		if err != nil {
			e := pgerr.Unsupported("column \"%s\" of Parquet file \"%s\": %v", c.Name(), path, err)
			return nil, e
		}
		cols = append(cols, ec)
	}
	return cols, nil
}

// externalColumnOf maps a top-level Parquet column to a SQL type: the
// physical type with its logical (or legacy converted) annotation, as
// DuckDB and PostgreSQL's parquet_fdw read them. Standard three-level
// LISTs of a type read without conversion are arrays. hint is the SQL
// type pqdb recorded for the column when it wrote the file
// (columnTypeHints), or "".
func externalColumnOf(c *parquet.Column, hint string) (externalColumn, error) {
	ec := externalColumn{name: c.Name()}
	if !c.Leaf() {
		list := c.Columns()
		if _, ok := logicalValue(c.Type()).(*format.ListType); !ok || len(list) != 1 || !list[0].Repeated() || list[0].Leaf() || len(list[0].Columns()) != 1 {
			return ec, errors.New("nested group columns (structs, maps) are not supported")
		}
		elem := list[0].Columns()[0]
		if !elem.Leaf() || elem.Repeated() {
			return ec, errors.New("nested lists are not supported")
		}
		et, err := externalColumnOf(elem, strings.TrimSuffix(hint, "[]"))
		if err != nil {
			return ec, err
		}
		// readListColumn decodes elements in their type's layout, or,
		// for intervals, the 16 bytes older exports hold (chunkLayout).
		oldInterval := et.read == physFixed16 && et.typ.Kind == catalog.Interval
		if et.conv != convNone || et.read != layoutOf(et.typ) && !oldInterval {
			return ec, fmt.Errorf("lists of %s are not supported", elem.Type())
		}
		ec.typ = catalog.ArrayOf(et.typ)
		ec.read = et.read
		ec.rawType = ec.typ.ArrowType()
		return ec, nil
	}
	if c.Repeated() {
		return ec, errors.New("repeated columns outside a LIST are not supported")
	}
	t := c.Type()
	kind := t.Kind()
	set := func(typ catalog.Type, read physical, conv conversion, raw arrow.DataType) (externalColumn, error) {
		ec.typ, ec.read, ec.conv, ec.rawType = typ, read, conv, raw
		if conv == convNone {
			ec.rawType = typ.ArrowType()
		}
		return ec, nil
	}
	unsupported := func() (externalColumn, error) {
		return ec, fmt.Errorf("type %s is not supported", t)
	}
	switch lt := logicalValue(t).(type) {
	case *format.StringType, *format.EnumType:
		if kind == parquet.ByteArray && hint == "numeric" {
			return set(catalog.TypeNumeric, physVarNumeric, convNone, nil)
		}
		if kind == parquet.ByteArray && hint == "interval" {
			return set(catalog.TypeInterval, physInterval, convNone, nil)
		}
		if kind == parquet.ByteArray {
			return set(catalog.TypeText, physBytes, convNone, nil)
		}
	case *format.JsonType:
		if kind == parquet.ByteArray && hint == "jsonb" {
			return set(catalog.TypeJSONB, physBytes, convNone, nil)
		}
		if kind == parquet.ByteArray {
			return set(catalog.TypeJSON, physBytes, convNone, nil)
		}
	case *format.BsonType:
		if kind == parquet.ByteArray {
			return set(catalog.TypeBytea, physBytes, convNone, nil)
		}
	case *format.UUIDType:
		if kind == parquet.FixedLenByteArray && t.Length() == 16 {
			return set(catalog.TypeUUID, physFixed16, convNone, nil)
		}
	case *format.DateType:
		if kind == parquet.Int32 {
			return set(catalog.TypeDate, physInt32, convNone, nil)
		}
	case *format.DecimalType:
		typ := catalog.NumericType(lt.Precision, lt.Scale)
		if typ.IsVarNumeric() {
			return unsupported()
		}
		switch {
		case kind == parquet.Int32:
			return set(typ, physDecimal32, convNone, nil)
		case kind == parquet.Int64:
			return set(typ, physDecimal64, convNone, nil)
		case kind == parquet.FixedLenByteArray && t.Length() == 16:
			return set(typ, physDecimal128, convNone, nil)
		}
	case *format.IntType:
		switch {
		case lt.IsSigned && lt.BitWidth <= 16 && kind == parquet.Int32:
			return set(catalog.TypeInt2, physInt16, convNone, nil)
		case lt.BitWidth <= 16 && kind == parquet.Int32, lt.IsSigned && lt.BitWidth == 32 && kind == parquet.Int32:
			return set(catalog.TypeInt4, physInt32, convNone, arrow.PrimitiveTypes.Int32)
		case lt.BitWidth == 32 && kind == parquet.Int32:
			return set(catalog.TypeInt8, physInt32, convUint32, arrow.PrimitiveTypes.Uint32)
		case lt.IsSigned && lt.BitWidth == 64 && kind == parquet.Int64:
			return set(catalog.TypeInt8, physInt64, convNone, nil)
		}
	case *format.TimestampType:
		typ := catalog.TypeTimestamp
		if lt.IsAdjustedToUTC {
			typ = catalog.TypeTimestampTZ
		}
		if kind == parquet.Int64 {
			return set(typ, physInt64, timeUnitConversion(lt.Unit), arrow.PrimitiveTypes.Int64)
		}
	case *format.TimeType:
		switch {
		case kind == parquet.Int32 && isUnit[*format.MilliSeconds](lt.Unit):
			return set(catalog.TypeTime, physInt32, convTimeMilli, arrow.PrimitiveTypes.Int32)
		case kind == parquet.Int64:
			return set(catalog.TypeTime, physInt64, timeUnitConversion(lt.Unit), arrow.PrimitiveTypes.Int64)
		}
	case nil:
		switch kind {
		case parquet.Boolean:
			return set(catalog.TypeBool, physBool, convNone, nil)
		case parquet.Int32:
			return set(catalog.TypeInt4, physInt32, convNone, nil)
		case parquet.Int64:
			return set(catalog.TypeInt8, physInt64, convNone, nil)
		case parquet.Float:
			return set(catalog.TypeFloat4, physFloat32, convNone, nil)
		case parquet.Double:
			return set(catalog.TypeFloat8, physFloat64, convNone, nil)
		case parquet.ByteArray:
			return set(catalog.TypeBytea, physBytes, convNone, nil)
		case parquet.FixedLenByteArray:
			if hint == "interval" && t.Length() == 16 {
				return set(catalog.TypeInterval, physFixed16, convNone, nil)
			}
		}
	}
	return unsupported()
}

// columnTypesKey is the key of the file metadata in which pqdb records
// the SQL types of the columns whose Parquet type does not tell them
// (ParquetWriter): one "name=type" line per such column.
const columnTypesKey = "pqdb.column_types"

// hintedType is the type a column of type t is recorded as, or "" when
// its Parquet type says it: var-scale numeric is STRING text, interval
// 16 raw bytes and jsonb JSON text.
func hintedType(t catalog.Type) string {
	suffix := ""
	if t.Kind == catalog.Array {
		t, suffix = t.ElemType(), "[]"
	}
	switch {
	case t.IsVarNumeric():
		return "numeric" + suffix
	case t.Kind == catalog.Interval:
		return "interval" + suffix
	case t.Kind == catalog.JSONB:
		return "jsonb" + suffix
	}
	return ""
}

// columnTypeHints reads the types pqdb recorded in pf, by column name.
func columnTypeHints(pf *parquet.File) map[string]string {
	v, ok := pf.Lookup(columnTypesKey)
	if !ok {
		return nil
	}
	hints := map[string]string{}
	for _, line := range strings.Split(v, "\n") {
		if name, typ, ok := strings.Cut(line, "="); ok {
			hints[name] = typ
		}
	}
	return hints
}

// logicalValue is t's logical annotation (from a legacy converted type
// too), or nil.
func logicalValue(t parquet.Type) format.LogicalTypeValue {
	if lt := t.LogicalType(); lt != nil {
		return lt.Value
	}
	return nil
}

func isUnit[U format.TimeUnitValue](u format.TimeUnit) bool {
	_, ok := u.Value.(U)
	return ok
}

func timeUnitConversion(u format.TimeUnit) conversion {
	switch u.Value.(type) {
	case *format.MilliSeconds:
		return convMillis
	case *format.NanoSeconds:
		return convNanos
	}
	return convNone
}

// scaleInt64 converts one value of a file's unit to microseconds.
func (c conversion) scaleInt64(v int64) int64 {
	switch c {
	case convMillis, convTimeMilli:
		return v * 1000
	case convNanos:
		q := v / 1000
		if v%1000 < 0 {
			q--
		}
		return q
	}
	return v
}

// apply turns arr, decoded in the file's layout, into an array of dt,
// releasing arr.
func (c conversion) apply(arr arrow.Array, dt arrow.DataType) arrow.Array {
	if c == convNone {
		return arr
	}
	defer arr.Release()
	n := arr.Len()
	bufs := arr.Data().Buffers()
	var values *memory.Buffer
	switch c {
	case convMillis, convNanos:
		// The decoded buffer is this array's alone: scale it in place.
		vs := arr.(*array.Int64).Int64Values()
		for i, v := range vs {
			vs[i] = c.scaleInt64(v)
		}
		values = bufs[1]
		values.Retain()
	case convTimeMilli, convUint32:
		out := make([]int64, n)
		if c == convUint32 {
			for i, v := range arr.(*array.Uint32).Uint32Values() {
				out[i] = int64(v)
			}
		} else {
			for i, v := range arr.(*array.Int32).Int32Values() {
				out[i] = int64(v) * 1000
			}
		}
		values = memory.NewBufferBytes(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(out))), n*8))
	}
	data := array.NewData(dt, n, []*memory.Buffer{bufs[0], values}, nil, arr.NullN(), 0)
	values.Release()
	defer data.Release()
	return array.MakeFromData(data)
}

// bound decodes a PLAIN-encoded min_value or max_value of the column into
// its statistics domain, converted as its values are.
func (c *externalColumn) bound(raw []byte) (bound, bool) {
	switch c.read {
	case physBool:
		if len(raw) >= 1 {
			return bound{i: int64(raw[0] & 1)}, true
		}
	case physInt16, physInt32:
		if len(raw) == 4 {
			v := int64(int32(binary.LittleEndian.Uint32(raw)))
			if c.conv == convUint32 {
				v = int64(binary.LittleEndian.Uint32(raw))
			}
			return bound{i: c.conv.scaleInt64(v)}, true
		}
	case physInt64:
		if len(raw) == 8 {
			return bound{i: c.conv.scaleInt64(int64(binary.LittleEndian.Uint64(raw)))}, true
		}
	case physFloat32, physFloat64:
		// Parquet leaves NaN out of a float column's min and max, and
		// NaN is above every float in PostgreSQL's order: the bounds of
		// a column that may hold NaN bound nothing.
		return bound{}, false
	case physDecimal32:
		if len(raw) == 4 {
			return bound{d: decimal128.FromI64(int64(int32(binary.LittleEndian.Uint32(raw))))}, true
		}
	case physDecimal64:
		if len(raw) == 8 {
			return bound{d: decimal128.FromI64(int64(binary.LittleEndian.Uint64(raw)))}, true
		}
	case physBytes, physFixed16:
		return bound{b: raw}, true
	}
	// FIXED_LEN_BYTE_ARRAY decimals: writers disagree on their order
	// (parquet-go compares them unsigned), so they never prune.
	return bound{}, false
}

// Scan reads columns cols (indexes of Table.Columns) of every file, in
// file and row group order, skipping row groups that preds exclude. Its
// records hold just those columns (no row id).
func (p *ParquetFiles) Scan(cols []int, preds []Predicate) (*ParquetScan, error) {
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		if c < 0 || c >= len(p.cols) {
			return nil, pgerr.New(pgerr.InternalError, "scan of %s: no column %d", p.Table.Name, c)
		}
		fields[i] = arrow.Field{Name: p.cols[c].name, Type: p.cols[c].typ.ArrowType(), Nullable: true}
	}
	return &ParquetScan{files: p, cols: cols, preds: preparePredicates(p.Table, preds), schema: arrow.NewSchema(fields, nil)}, nil
}

// ParquetScan is the RecordReader of a ParquetFiles scan.
type ParquetScan struct {
	files  *ParquetFiles
	cols   []int
	preds  []boundedPredicate
	schema *arrow.Schema

	next   int // the next file to open
	f      *os.File
	pf     *parquet.File
	path   string
	leaves []int // per file column: its leaf index in the open file
	rg     int

	cur   arrow.Record
	slice arrow.Record
	off   int64
	batchLimit

	// RowGroupsRead and RowGroupsSkipped count the row groups decoded
	// and those the predicates excluded by their statistics.
	RowGroupsRead, RowGroupsSkipped int
	// counts, when set, adds up the same counts over several scans.
	counts *ScanCounts
}

// CountInto makes the scan add what it reads and skips to c as it goes.
func (s *ParquetScan) CountInto(c *ScanCounts) { s.counts = c }

func (s *ParquetScan) Next() (arrow.Record, error) {
	if s.slice != nil {
		s.slice.Release()
		s.slice = nil
	}
	for s.cur == nil || s.off >= s.cur.NumRows() {
		if s.cur != nil {
			s.cur.Release()
			s.cur = nil
		}
		rec, err := s.nextGroup()
		if rec == nil || err != nil {
			s.Close()
			return nil, err
		}
		s.cur, s.off = rec, 0
	}
	hi := min(s.cur.NumRows(), s.off+s.batchRows())
	s.slice = s.cur.NewSlice(s.off, hi)
	s.off = hi
	return s.slice, nil
}

func (s *ParquetScan) Close() {
	for _, r := range []*arrow.Record{&s.slice, &s.cur} {
		if *r != nil {
			(*r).Release()
			*r = nil
		}
	}
	s.closeFile()
	s.next = len(s.files.Paths)
}

func (s *ParquetScan) closeFile() {
	if s.f != nil {
		s.f.Close()
		s.f, s.pf = nil, nil
	}
}

// nextGroup decodes the next row group the predicates do not exclude, or
// returns nil after the last file.
func (s *ParquetScan) nextGroup() (arrow.Record, error) {
	for {
		if s.pf == nil {
			if s.next >= len(s.files.Paths) {
				return nil, nil
			}
			if err := s.openNext(); err != nil {
				return nil, err
			}
		}
		groups := s.pf.RowGroups()
		if s.rg >= len(groups) {
			s.closeFile()
			continue
		}
		g := s.rg
		s.rg++
		var ranges []rowRange
		skip := s.excluded(g)
		if !skip {
			ranges, skip = s.selectRows(g, groups[g].NumRows())
		}
		if skip {
			s.RowGroupsSkipped++
			s.counts.rowGroup(true)
			continue
		}
		s.RowGroupsRead++
		s.counts.rowGroup(false)
		rec, err := s.readGroup(g, groups[g], ranges)
		if err != nil {
			return nil, err
		}
		if rec.NumRows() == 0 {
			rec.Release()
			continue
		}
		return rec, nil
	}
}

func (s *ParquetScan) openNext() error {
	path := s.files.Paths[s.next]
	s.next++
	// The page index is read only when predicates can use it.
	f, pf, err := openParquetFile(path, len(s.preds) > 0)
	if err != nil {
		return err
	}
	cols, err := externalColumns(pf, path)
	if err == nil {
		// The file may have changed since the statement was planned.
		err = s.files.sameColumns(cols, path)
	}
	if err != nil {
		f.Close()
		return err
	}
	s.f, s.pf, s.path, s.rg = f, pf, path, 0
	s.leaves = s.leaves[:0]
	for _, c := range pf.Root().Columns() {
		s.leaves = append(s.leaves, firstLeaf(c))
	}
	return nil
}

// excluded reports whether the statistics of row group g prove that no
// row satisfies all predicates.
func (s *ParquetScan) excluded(g int) bool {
	if len(s.preds) == 0 {
		return false
	}
	md := s.pf.Metadata().RowGroups[g]
	for i := range s.preds {
		p := &s.preds[i]
		leaf := s.leaves[p.column]
		if leaf < 0 || leaf >= len(md.Columns) || p.op == IsNull {
			// A writer may leave a row group's null count out, which
			// reads as 0.
			continue
		}
		st := md.Columns[leaf].MetaData.Statistics
		cb := columnBounds{rows: md.NumRows, nulls: st.NullCount}
		c := &s.files.cols[p.column]
		if st.MinValue != nil && st.MaxValue != nil {
			mn, ok1 := c.bound(st.MinValue)
			mx, ok2 := c.bound(st.MaxValue)
			cb.min, cb.max, cb.has = mn, mx, ok1 && ok2
		}
		if p.excludes(&cb) {
			return true
		}
	}
	return false
}

// selectRows narrows row group g (of rows rows), which its statistics did
// not exclude, to the row ranges the file's page index leaves (nil: every
// row); skip when it leaves none.
func (s *ParquetScan) selectRows(g int, rows int64) (ranges []rowRange, skip bool) {
	if len(s.preds) == 0 {
		return nil, false
	}
	cols := make([]pruneColumn, len(s.preds))
	for i := range s.preds {
		ec := &s.files.cols[s.preds[i].column]
		cols[i].leaf = s.leaves[s.preds[i].column]
		if ec.typ.Kind != catalog.Array {
			cols[i].pageBound = ec.pageBound
		}
	}
	ranges = matchingRows(s.pf, g, rows, s.preds, cols, []rowRange{{0, rows}})
	switch {
	case len(ranges) == 0:
		return nil, true
	case len(ranges) == 1 && ranges[0] == rowRange{0, rows}:
		return nil, false
	}
	return ranges, false
}

// pageBound decodes a column index bound of the column (see bound); a
// truncated byte string max that could not be rounded up is refused.
func (c *externalColumn) pageBound(raw []byte) (bound, bool) {
	if c.read == physBytes || c.read == physFixed16 {
		if _, ok := plainBytesBound(raw); !ok {
			return bound{}, false
		}
	}
	return c.bound(raw)
}

// readGroup decodes the scanned columns of row group g, every row or the
// rows of ranges, in parallel.
func (s *ParquetScan) readGroup(g int, rg parquet.RowGroup, ranges []rowRange) (arrow.Record, error) {
	rr := rowGroupReader{pf: s.pf, file: s.f, g: g, rg: rg, ranges: ranges, counts: s.counts}
	cols, err := decodeColumns(len(s.cols), func(i int) (arrow.Array, error) {
		c := s.cols[i]
		ec := &s.files.cols[c]
		if ec.typ.Kind == catalog.Array {
			return rr.readColumn(s.leaves[c], ec.typ)
		}
		arr, err := rr.readLayout(s.leaves[c], ec.read, ec.rawType)
		if err != nil {
			return nil, err
		}
		if ec.conv != convNone && arr.Data().Offset() != 0 {
			// apply converts whole buffers: give it a slice's own copy.
			arr = unslice(arr)
		}
		return ec.conv.apply(arr, ec.typ.ArrowType()), nil
	})
	if err != nil {
		return nil, pgerr.New(pgerr.BadCopyFileFormat, "could not read Parquet file \"%s\": %v", s.path, err)
	}
	rec := array.NewRecordBatch(s.schema, cols, rr.numRows())
	for _, a := range cols {
		a.Release()
	}
	return rec, nil
}

// firstLeaf is the leaf index of a top-level column: its own, or its
// list element's.
func firstLeaf(c *parquet.Column) int {
	for !c.Leaf() {
		c = c.Columns()[0]
	}
	return c.Index()
}
