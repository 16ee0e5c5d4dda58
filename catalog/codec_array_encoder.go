package catalog

import (
	"encoding/binary"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// arrayEncoder writes the values of a List column as array_out or
// array_send would, encoding each element with the element type's own
// ColumnEncoder bound to the list's child column.
type arrayEncoder struct {
	t       Type
	text    bool
	loc     *time.Location
	elem    ColumnEncoder
	list    *array.List
	offsets []int32
	scratch []byte
}

func newArrayEncoder(t Type, format int16, loc *time.Location) (columnEncoder, error) {
	elem, err := newColumnEncoder(t.ElemType(), format, loc)
	if err != nil {
		return nil, err
	}
	return &arrayEncoder{t: t, text: format == FormatText, loc: loc, elem: elem}, nil
}

// NewArrayTextEncoder returns the text-format encoder of the array type t
// whose elements elem prints: the engine's, for arrays of the reg* types,
// whose elements print by name from the session's catalog.
func NewArrayTextEncoder(t Type, elem ColumnEncoder) ColumnEncoder {
	return &arrayEncoder{t: t, text: true, loc: time.UTC, elem: elem}
}

func (e *arrayEncoder) Bind(col arrow.Array) {
	e.list = col.(*array.List)
	e.offsets = ListOffsets(e.list)
	e.elem.Bind(e.list.ListValues())
}

func (e *arrayEncoder) Append(buf []byte, i int) []byte {
	lo, hi := int(e.offsets[i]), int(e.offsets[i+1])
	values := e.list.ListValues()
	if e.text && e.t.Vector {
		for j := lo; j < hi; j++ {
			if j > lo {
				buf = append(buf, ' ')
			}
			buf = e.elem.Append(buf, j)
		}
		return buf
	}
	if e.text {
		buf = append(buf, '{')
		for j := lo; j < hi; j++ {
			if j > lo {
				buf = append(buf, ',')
			}
			if values.IsNull(j) {
				buf = append(buf, "NULL"...)
				continue
			}
			e.scratch = e.elem.Append(e.scratch[:0], j)
			buf = appendArrayElemText(buf, e.scratch)
		}
		return append(buf, '}')
	}
	be := binary.BigEndian
	elemOID := e.t.ElemType().OID()
	if hi == lo {
		buf = be.AppendUint32(buf, 0)
		buf = be.AppendUint32(buf, 0)
		return be.AppendUint32(buf, elemOID)
	}
	hasNull := uint32(0)
	for j := lo; j < hi; j++ {
		if values.IsNull(j) {
			hasNull = 1
			break
		}
	}
	buf = be.AppendUint32(buf, 1)
	buf = be.AppendUint32(buf, hasNull)
	buf = be.AppendUint32(buf, elemOID)
	buf = be.AppendUint32(buf, uint32(hi-lo))
	buf = be.AppendUint32(buf, uint32(e.t.LowerBound()))
	for j := lo; j < hi; j++ {
		if values.IsNull(j) {
			buf = be.AppendUint32(buf, 0xffffffff)
			continue
		}
		at := len(buf)
		buf = be.AppendUint32(buf, 0)
		buf = e.elem.Append(buf, j)
		be.PutUint32(buf[at:], uint32(len(buf)-at-4))
	}
	return buf
}

// encoder returns a stateless Encoder: each call binds its own copy, as
// the element encoder keeps the bound column.
func (e *arrayEncoder) encoder() Encoder {
	format := FormatBinary
	if e.text {
		format = FormatText
	}
	t, loc := e.t, e.loc
	return func(buf []byte, col arrow.Array, i int) []byte {
		enc, err := newArrayEncoder(t, format, loc)
		if err != nil {
			return buf
		}
		enc.Bind(col)
		return enc.Append(buf, i)
	}
}

// ListOffsets returns the n+1 offsets of the rows of a List array into its
// child, shifted by the array's own offset (arrow's Offsets is not).
func ListOffsets(l *array.List) []int32 {
	all := l.Offsets()
	if len(all) == 0 {
		return []int32{0}
	}
	off := l.Data().Offset()
	return all[off : off+l.Len()+1]
}
