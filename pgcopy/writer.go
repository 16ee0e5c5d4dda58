package pgcopy

import (
	"encoding/binary"
	"io"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// flushBytes is how much encoded data a Writer gathers before writing it.
const flushBytes = 64 * 1024

// Writer encodes Arrow records as COPY TO data in text, CSV or binary
// format, as PostgreSQL writes them.
type Writer struct {
	dst      io.Writer
	opts     Options
	encoders []catalog.ColumnEncoder
	buf      []byte
	value    []byte // one value in text form, before escaping or quoting
	started  bool
	perRow   bool
	err      error
}

// MessagePerRow makes every row a Write of its own, as the COPY TO STDOUT
// protocol sends one CopyData message per row. Like Postgres, a text or
// CSV header line is a message of its own, while the binary header goes
// with the first row (and with the trailer when there are no rows).
func (w *Writer) MessagePerRow() { w.perRow = true }

// NewWriter returns a Writer of rows of the given column types to w;
// timestamptz values are printed in loc. The header (CSV and text HEADER,
// or the binary signature) is written with the first record, or by Close.
func NewWriter(w io.Writer, types []catalog.Type, opts Options, loc *time.Location) *Writer {
	opts = opts.normalize()
	wr := &Writer{dst: w, opts: opts}
	format := catalog.FormatText
	if opts.Format == Binary {
		format = catalog.FormatBinary
	}
	for _, t := range types {
		enc, err := catalog.NewColumnEncoder(t, format, loc)
		if err != nil && wr.err == nil {
			wr.err = err
		}
		wr.encoders = append(wr.encoders, enc)
	}
	if wr.err == nil {
		wr.err = opts.Validate()
	}
	return wr
}

func (w *Writer) start() {
	if w.started {
		return
	}
	w.started = true
	switch {
	case w.opts.Format == Binary:
		w.buf = append(w.buf, binarySignature...)
		w.buf = append(w.buf, 0, 0, 0, 0, 0, 0, 0, 0) // flags, header extension length
	case w.opts.Header:
		for i := range w.encoders {
			if i > 0 {
				w.buf = append(w.buf, w.opts.Delimiter)
			}
			name := "column" + itoa(i+1)
			if i < len(w.opts.Columns) {
				name = w.opts.Columns[i]
			}
			w.buf = w.appendValue(w.buf, []byte(name), false)
		}
		w.buf = append(w.buf, '\n')
	}
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}

// Write encodes the rows of rec, whose columns must have the Arrow types
// of the Writer's column types.
func (w *Writer) Write(rec arrow.Record) error {
	if w.err != nil {
		return w.err
	}
	if int(rec.NumCols()) != len(w.encoders) {
		return pgerr.New(pgerr.InternalError, "COPY TO got a record of %d columns for %d", rec.NumCols(), len(w.encoders))
	}
	if !w.started {
		w.start()
		if w.perRow && w.opts.Format != Binary {
			if err := w.flush(); err != nil {
				return err
			}
		}
	}
	cols := rec.Columns()
	for i, enc := range w.encoders {
		enc.Bind(cols[i])
	}
	for row := 0; row < int(rec.NumRows()); row++ {
		if w.opts.Format == Binary {
			w.binaryRow(cols, row)
		} else {
			w.textRow(cols, row)
		}
		if w.perRow || len(w.buf) >= flushBytes {
			if err := w.flush(); err != nil {
				return err
			}
		}
	}
	return w.flush()
}

func (w *Writer) textRow(cols []arrow.Array, row int) {
	for i, enc := range w.encoders {
		if i > 0 {
			w.buf = append(w.buf, w.opts.Delimiter)
		}
		if cols[i].IsNull(row) {
			w.buf = append(w.buf, w.opts.Null...)
			continue
		}
		w.value = enc.Append(w.value[:0], row)
		w.buf = w.appendValue(w.buf, w.value, marked(w.opts.ForceQuote, i))
	}
	w.buf = append(w.buf, '\n')
}

func (w *Writer) binaryRow(cols []arrow.Array, row int) {
	w.buf = binary.BigEndian.AppendUint16(w.buf, uint16(len(w.encoders)))
	for i, enc := range w.encoders {
		if cols[i].IsNull(row) {
			w.buf = binary.BigEndian.AppendUint32(w.buf, 0xFFFFFFFF)
			continue
		}
		at := len(w.buf)
		w.buf = append(w.buf, 0, 0, 0, 0)
		w.buf = enc.Append(w.buf, row)
		binary.BigEndian.PutUint32(w.buf[at:], uint32(len(w.buf)-at-4))
	}
}

// appendValue appends a non-NULL value escaped (text) or quoted when
// needed or forced (CSV).
func (w *Writer) appendValue(dst, v []byte, force bool) []byte {
	if w.opts.Format == CSV {
		return w.appendCSV(dst, v, force)
	}
	delim := w.opts.Delimiter
	for _, c := range v {
		switch c {
		case '\\':
			dst = append(dst, '\\', '\\')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			// Whatever the delimiter, as CopyAttributeOutText does.
			dst = append(dst, '\\', 't')
		case '\b':
			dst = append(dst, '\\', 'b')
		case '\f':
			dst = append(dst, '\\', 'f')
		case '\v':
			dst = append(dst, '\\', 'v')
		default:
			if c == delim {
				dst = append(dst, '\\')
			}
			dst = append(dst, c)
		}
	}
	return dst
}

// appendCSV quotes a value that holds the delimiter, the quote or a line
// break, or that reads as the null string, or as the end marker when it
// is alone on its line (a single column), or whose column FORCE_QUOTE
// names (force).
func (w *Writer) appendCSV(dst, v []byte, force bool) []byte {
	quote, escape := w.opts.Quote, w.opts.Escape
	needQuote := force || string(v) == w.opts.Null || len(w.encoders) == 1 && isEndMarker(v)
	for _, c := range v {
		if c == w.opts.Delimiter || c == quote || c == '\n' || c == '\r' {
			needQuote = true
			break
		}
	}
	if !needQuote {
		return append(dst, v...)
	}
	dst = append(dst, quote)
	for _, c := range v {
		if c == quote || c == escape {
			dst = append(dst, escape)
		}
		dst = append(dst, c)
	}
	return append(dst, quote)
}

func (w *Writer) flush() error {
	if len(w.buf) == 0 {
		return nil
	}
	_, err := w.dst.Write(w.buf)
	w.buf = w.buf[:0]
	if err != nil {
		w.err = err
	}
	return err
}

// Close writes what a COPY that wrote no record still needs (the header)
// and the binary trailer. It does not close the underlying writer.
func (w *Writer) Close() error {
	if w.err != nil {
		return w.err
	}
	if !w.started {
		w.start()
		if w.perRow && w.opts.Format != Binary {
			if err := w.flush(); err != nil {
				return err
			}
		}
	}
	if w.opts.Format == Binary {
		w.buf = append(w.buf, 0xFF, 0xFF)
	}
	return w.flush()
}
