package catalog

import (
	"encoding/binary"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// The text and binary forms of records, as PostgreSQL 15's record_out and
// record_send (rowtypes.c) write them. Input (record_in, record_recv) of
// an anonymous record is refused, as PostgreSQL refuses it.

// appendRecordText is record_out: the fields' output texts between
// parentheses, separated by commas; a NULL field is empty.
func appendRecordText(buf []byte, t Type, v RecordValue, loc *time.Location) []byte {
	fields := t.Fields()
	buf = append(buf, '(')
	var scratch []byte
	for i, f := range v {
		if i > 0 {
			buf = append(buf, ',')
		}
		if f == nil || i >= len(fields) {
			continue
		}
		scratch = AppendDatumTextIn(scratch[:0], fields[i].Type, f, loc)
		buf = appendRecordFieldText(buf, scratch)
	}
	return append(buf, ')')
}

// appendRecordFieldText appends one field's output text, quoted as
// record_out quotes it: in double quotes when it is empty or holds a
// quote, a backslash, a parenthesis, a comma or white space, with quotes
// and backslashes doubled inside.
func appendRecordFieldText(buf, field []byte) []byte {
	quote := len(field) == 0
	for _, c := range field {
		if c == '"' || c == '\\' || c == '(' || c == ')' || c == ',' || arrayIsSpace(c) {
			quote = true
			break
		}
	}
	if !quote {
		return append(buf, field...)
	}
	buf = append(buf, '"')
	for _, c := range field {
		if c == '"' || c == '\\' {
			buf = append(buf, c)
		}
		buf = append(buf, c)
	}
	return append(buf, '"')
}

// appendRecordBinary is record_send: the number of fields, then per field
// its type's OID, its length (-1 for NULL) and its binary form.
func appendRecordBinary(buf []byte, t Type, v RecordValue) []byte {
	be := binary.BigEndian
	fields := t.Fields()
	buf = be.AppendUint32(buf, uint32(len(fields)))
	for i, f := range fields {
		buf = be.AppendUint32(buf, f.Type.OID())
		if i >= len(v) || v[i] == nil {
			buf = be.AppendUint32(buf, 0xffffffff)
			continue
		}
		at := len(buf)
		buf = be.AppendUint32(buf, 0)
		buf = AppendDatumBinary(buf, f.Type, v[i])
		be.PutUint32(buf[at:], uint32(len(buf)-at-4))
	}
	return buf
}

// recordEncoder writes the values of a Struct column as record_out or
// record_send would, encoding each field with its type's own
// ColumnEncoder bound to the struct's child column.
type recordEncoder struct {
	t       Type
	text    bool
	loc     *time.Location
	fields  []columnEncoder
	cols    []arrow.Array
	scratch []byte
}

func newRecordEncoder(t Type, format int16, loc *time.Location) (columnEncoder, error) {
	e := &recordEncoder{t: t, text: format == FormatText, loc: loc}
	for _, f := range t.Fields() {
		fe, err := newColumnEncoder(f.Type, format, loc)
		if err != nil {
			return nil, err
		}
		e.fields = append(e.fields, fe)
	}
	return e, nil
}

func (e *recordEncoder) Bind(col arrow.Array) {
	s := col.(*array.Struct)
	e.cols = e.cols[:0]
	for j, fe := range e.fields {
		c := s.Field(j)
		fe.Bind(c)
		e.cols = append(e.cols, c)
	}
}

func (e *recordEncoder) Append(buf []byte, i int) []byte {
	if e.text {
		buf = append(buf, '(')
		for j, fe := range e.fields {
			if j > 0 {
				buf = append(buf, ',')
			}
			if e.cols[j].IsNull(i) {
				continue
			}
			e.scratch = fe.Append(e.scratch[:0], i)
			buf = appendRecordFieldText(buf, e.scratch)
		}
		return append(buf, ')')
	}
	be := binary.BigEndian
	fields := e.t.Fields()
	buf = be.AppendUint32(buf, uint32(len(fields)))
	for j, fe := range e.fields {
		buf = be.AppendUint32(buf, fields[j].Type.OID())
		if e.cols[j].IsNull(i) {
			buf = be.AppendUint32(buf, 0xffffffff)
			continue
		}
		at := len(buf)
		buf = be.AppendUint32(buf, 0)
		buf = fe.Append(buf, i)
		be.PutUint32(buf[at:], uint32(len(buf)-at-4))
	}
	return buf
}

// encoder returns a stateless Encoder: each call binds its own copy, as
// the field encoders keep the bound columns.
func (e *recordEncoder) encoder() Encoder {
	format := FormatBinary
	if e.text {
		format = FormatText
	}
	t, loc := e.t, e.loc
	return func(buf []byte, col arrow.Array, i int) []byte {
		enc, err := newRecordEncoder(t, format, loc)
		if err != nil {
			return buf
		}
		enc.Bind(col)
		return enc.Append(buf, i)
	}
}
