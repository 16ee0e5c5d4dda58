package pgcopy

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// BatchRows is the most rows a Reader puts in one record.
const BatchRows = 64 * 1024

const (
	minRead = 64 * 1024
	// maxDisplay is how much of a line or value an error context quotes,
	// as PostgreSQL's MAX_COPY_DATA_DISPLAY.
	maxDisplay = 100
)

// Reader decodes COPY FROM data into Arrow records.
type Reader struct {
	src    io.Reader
	types  []catalog.Type
	opts   Options
	mem    memory.Allocator
	schema *arrow.Schema
	loc    *time.Location // the zone of timestamptz values without one

	decoders []*catalog.ColumnDecoder
	builders []array.Builder

	// buf[start:end] is read but not yet consumed.
	buf        []byte
	start, end int
	eof        bool // src has no more data

	line    int64 // line number of the row being read (1-based)
	started bool  // the header (text, CSV) or signature (binary) was read
	done    bool  // the end of the data was reached
	ended   bool  // the last row read ended with the end marker
	marker  bool  // the data ended at an end marker (text, CSV) or trailer (binary)
	err     error // the error that stopped the Reader

	// Scratch space of the text and CSV formats: the fields of the
	// current row (offsets into fieldBuf, or nil for NULL).
	fieldBuf []byte
	fields   []field
	// Scratch space of a chunk decoded column by column (columnar.go):
	// where each of its values lies, and the values that needed
	// unquoting or unescaping.
	cells  []cell
	ownBuf []byte
	// csvSpecial marks the bytes that end a run of ordinary CSV bytes.
	csvSpecial [256]bool
	// csvWords are the same bytes for csvStop's word-at-a-time search.
	csvWords [5]uint64
	// dataBytes is how many value bytes each variable-width column held
	// in the previous record, to size the next one's buffers.
	dataBytes   []int
	dataRows    int // rows of the previous record
	fullBatches int // records that reached BatchRows
	rowsHint    int // rows the next record will hold, when known (a chunk's)

	// par decodes in parallel (SetWorkers); nil decodes here.
	par *parallel
}

// field is one field of a text or CSV row: its bytes in the line (text)
// or in fieldBuf (CSV; in the record itself when direct), whether it is
// NULL, and whether it holds backslash escapes (text).
type field struct {
	start, end int
	null       bool
	escaped    bool
	direct     bool
}

// NewReader returns a Reader of rows of the given column types from r.
// Timestamptz values without a zone are read in UTC; see SetLocation.
func NewReader(r io.Reader, types []catalog.Type, opts Options, mem memory.Allocator) *Reader {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	opts = opts.normalize()
	rd := &Reader{src: r, types: types, opts: opts, mem: mem, loc: time.UTC}
	fields := make([]arrow.Field, len(types))
	for i, t := range types {
		fields[i] = arrow.Field{Name: rd.columnName(i), Type: t.ArrowType(), Nullable: true}
	}
	rd.schema = arrow.NewSchema(fields, nil)
	rd.err = rd.makeDecoders()
	rd.dataBytes = make([]int, len(types))
	for _, c := range []byte{opts.Delimiter, opts.Quote, opts.Escape, '\n', '\r'} {
		rd.csvSpecial[c] = true
	}
	rd.csvWords = csvStopWords(opts)
	if rd.err == nil {
		rd.err = opts.Validate()
	}
	return rd
}

// makeDecoders makes the column decoders for r.loc.
func (r *Reader) makeDecoders() error {
	format := catalog.FormatText
	if r.opts.Format == Binary {
		format = catalog.FormatBinary
	}
	r.decoders = r.decoders[:0]
	var first error
	for _, t := range r.types {
		dec, err := catalog.NewColumnDecoder(t, format, r.loc)
		if err != nil && first == nil {
			first = err
		}
		r.decoders = append(r.decoders, dec)
	}
	return first
}

// SetLocation sets the session time zone that timestamptz values without
// an explicit zone are read in. Call it before the first Next.
func (r *Reader) SetLocation(loc *time.Location) {
	if loc == nil {
		loc = time.UTC
	}
	r.loc = loc
	if err := r.makeDecoders(); err != nil && r.err == nil {
		r.err = err
	}
}

// Schema is the schema of the records Next returns.
func (r *Reader) Schema() *arrow.Schema { return r.schema }

// Line is the line number (text, CSV) or tuple number (binary) of the
// last row read, as error contexts report it.
func (r *Reader) Line() int64 { return r.line }

func (r *Reader) columnName(i int) string {
	if i < len(r.opts.Columns) {
		return r.opts.Columns[i]
	}
	return "column" + strconv.Itoa(i+1)
}

// Next returns the next record of up to BatchRows rows, or nil at the end
// of the data. The caller releases the record.
func (r *Reader) Next() (arrow.Record, error) {
	if r.err != nil {
		return nil, r.err
	}
	if r.done {
		return nil, nil
	}
	limit := BatchRows
	if p := r.par; p != nil {
		if p.active {
			return r.nextParallel()
		}
		limit = p.prelude
	}
	if r.eof && r.start == r.end && r.started {
		// Nothing is left to read: make no builders (a chunk's reader ends
		// here after every chunk).
		r.done = true
		return nil, nil
	}
	r.newBuilders()
	defer r.releaseBuilders()
	rows := 0
	for rows < limit {
		var more bool
		var err error
		switch r.opts.Format {
		case Text:
			more, err = r.textRow()
		case CSV:
			more, err = r.csvRow()
		default:
			more, err = r.binaryRow()
		}
		if err != nil {
			r.err = err
			return nil, err
		}
		if !more {
			r.done = true
			break
		}
		rows++
	}
	if rows == 0 {
		return nil, nil
	}
	if rows == BatchRows {
		r.fullBatches++
	}
	if r.par != nil && rows == limit && !r.done && !r.ended {
		// The input is longer than the prelude: decode the rest in parallel.
		r.par.activate(r)
	}
	return r.newRecord(rows), nil
}

// newBuilders makes the builders of the next record and binds the
// decoders to them. It sizes their buffers once instead of growing them
// step by step when the record's rows are known (a chunk's) or likely
// (the previous record was full).
func (r *Reader) newBuilders() {
	hint := r.rowsHint
	if hint == 0 && r.fullBatches > 0 {
		hint = BatchRows
	}
	r.builders = r.builders[:0]
	for i, t := range r.types {
		b := array.NewBuilder(r.mem, t.ArrowType())
		if hint > 0 {
			b.Reserve(hint)
			if vb, ok := b.(interface{ ReserveData(int) }); ok && r.dataRows > 0 {
				vb.ReserveData(int(int64(r.dataBytes[i]) * int64(hint) / int64(r.dataRows)))
			}
		}
		r.builders = append(r.builders, b)
		r.decoders[i].Bind(b)
	}
}

func (r *Reader) releaseBuilders() {
	for _, b := range r.builders {
		b.Release()
	}
	r.builders = r.builders[:0]
}

// newRecord returns the record of the rows in the builders, noting the
// size of its variable-width values for the next one's builders.
func (r *Reader) newRecord(rows int) arrow.Record {
	cols := make([]arrow.Array, len(r.builders))
	for i, b := range r.builders {
		cols[i] = b.NewArray()
		if vb, ok := cols[i].(interface{ ValueBytes() []byte }); ok {
			r.dataBytes[i] = len(vb.ValueBytes())
		}
	}
	r.dataRows = rows
	rec := array.NewRecord(r.schema, cols, int64(rows))
	for _, c := range cols {
		c.Release()
	}
	return rec
}

// fill reads more input, keeping buf[start:end]. It returns false at the
// end of the input.
func (r *Reader) fill() (bool, error) {
	if r.eof {
		return false, nil
	}
	if r.start > 0 {
		n := copy(r.buf, r.buf[r.start:r.end])
		r.start, r.end = 0, n
	}
	if len(r.buf)-r.end < minRead/2 {
		grown := make([]byte, max(2*len(r.buf), r.end+minRead))
		copy(grown, r.buf[:r.end])
		r.buf = grown
	}
	return r.readSome()
}

// readSome reads into r.buf[r.end:], which has room, until a read brings
// bytes, the input ends or fails; false when it brought none. Both the
// sequential reader (fill) and the parallel one's splitter
// (readChunkInput) read through it.
func (r *Reader) readSome() (bool, error) {
	for {
		n, err := r.src.Read(r.buf[r.end:])
		r.end += n
		if errors.Is(err, io.EOF) {
			r.eof = true
			return n > 0, nil
		}
		if err != nil || n > 0 {
			return n > 0, err
		}
	}
}

// badFormat is a 22P04 error in the context of the current line.
func (r *Reader) badFormat(line []byte, format string, args ...any) *pgerr.Error {
	e := pgerr.New(pgerr.BadCopyFileFormat, format, args...)
	e.Where = r.where(line, -1, nil)
	return e
}

// where renders PostgreSQL's COPY error context: the line, and the line's
// text or the column and its value.
func (r *Reader) where(line []byte, col int, value []byte) string {
	w := fmt.Sprintf("COPY %s, line %d", r.opts.Table, r.line)
	switch {
	case col >= 0 && value != nil:
		w += fmt.Sprintf(", column %s: \"%s\"", r.columnName(col), display(value))
	case col >= 0:
		w += ", column " + r.columnName(col)
	case line != nil:
		w += fmt.Sprintf(": \"%s\"", display(line))
	}
	return w
}

// display cuts s to maxDisplay bytes without splitting a character.
func display(s []byte) string {
	if len(s) <= maxDisplay {
		return string(s)
	}
	cut := maxDisplay
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return string(s[:cut]) + "..."
}

// valueError puts a decoder's error in the context of its column, below
// the error's own context (json's "JSON data, line 1: ..."), as
// PostgreSQL stacks them.
func (r *Reader) valueError(err error, col int, value []byte) error {
	e := *pgerr.From(err)
	where := r.where(nil, col, value)
	if e.Where != "" {
		where = e.Where + "\n" + where
	}
	e.Where = where
	return &e
}

// matchHeader checks the fields of the header line (r.fields, whose
// values value gives) against the column names, as HEADER MATCH does.
func (r *Reader) matchHeader(line []byte, value func(field) []byte) error {
	if len(r.fields) != len(r.types) {
		return r.badFormat(line, "wrong number of fields in header line: got %d, expected %d", len(r.fields), len(r.types))
	}
	for i, f := range r.fields {
		name := r.columnName(i)
		if f.null {
			return r.badFormat(line, "column name mismatch in header line field %d: got null value (\"%s\"), expected \"%s\"", i+1, r.opts.Null, name)
		}
		if v := value(f); string(v) != name {
			return r.badFormat(line, "column name mismatch in header line field %d: got \"%s\", expected \"%s\"", i+1, v, name)
		}
	}
	return nil
}

// appendField decodes one field of the current row into column col.
func (r *Reader) appendField(col int, v []byte, null bool, display bool) error {
	if null {
		r.decoders[col].AppendNull()
		return nil
	}
	if err := r.decoders[col].Append(v); err != nil {
		if !display {
			v = nil
		}
		return r.valueError(err, col, v)
	}
	return nil
}
