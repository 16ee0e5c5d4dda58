package catalog

import (
	"encoding/binary"
	"math"
	"strconv"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/pqdb/pqdb/pgerr"
)

// Encoder appends the wire form of col[i] (never NULL: callers handle
// nulls) to buf. An Encoder holds no state and may be shared.
type Encoder func(buf []byte, col arrow.Array, i int) []byte

// ColumnEncoder writes the values of one column in one wire format. Bind
// it to each batch's column once, then Append row by row: the column's
// concrete Arrow type is resolved at Bind, so appending a value costs no
// type assertion. A ColumnEncoder is not safe for concurrent use.
type ColumnEncoder interface {
	Bind(col arrow.Array)
	Append(buf []byte, i int) []byte
}

// Wire formats of a value, as in Bind and RowDescription messages.
const (
	FormatText   int16 = 0
	FormatBinary int16 = 1
)

// NewEncoder returns the encoder of t's values in format (0 text, 1
// binary); timestamptz text is printed in loc.
func NewEncoder(t Type, format int16, loc *time.Location) (Encoder, error) {
	ce, err := newColumnEncoder(t, format, loc)
	if err != nil {
		return nil, err
	}
	return ce.encoder(), nil
}

// NewColumnEncoder returns a ColumnEncoder of t's values in format (0
// text, 1 binary); timestamptz text is printed in loc.
func NewColumnEncoder(t Type, format int16, loc *time.Location) (ColumnEncoder, error) {
	return newColumnEncoder(t, format, loc)
}

type columnEncoder interface {
	ColumnEncoder
	encoder() Encoder
}

func newColumnEncoder(t Type, format int16, loc *time.Location) (columnEncoder, error) {
	if format != FormatText && format != FormatBinary {
		return nil, pgerr.New(pgerr.ProtocolViolation, "unsupported format code: %d", format)
	}
	if loc == nil {
		loc = time.UTC
	}
	text := format == FormatText
	be := binary.BigEndian
	switch t.Kind {
	case Bool:
		if text {
			return &boolEncoder{put: appendBoolText}, nil
		}
		return &boolEncoder{put: func(b []byte, v bool) []byte {
			if v {
				return append(b, 1)
			}
			return append(b, 0)
		}}, nil
	case Int2:
		if text {
			return fixed((*array.Int16).Int16Values, func(b []byte, v int16) []byte { return strconv.AppendInt(b, int64(v), 10) }), nil
		}
		return fixed((*array.Int16).Int16Values, func(b []byte, v int16) []byte { return be.AppendUint16(b, uint16(v)) }), nil
	case Int4:
		if text {
			return fixed((*array.Int32).Int32Values, func(b []byte, v int32) []byte { return strconv.AppendInt(b, int64(v), 10) }), nil
		}
		return fixed((*array.Int32).Int32Values, func(b []byte, v int32) []byte { return be.AppendUint32(b, uint32(v)) }), nil
	case Int8:
		if text {
			return fixed((*array.Int64).Int64Values, func(b []byte, v int64) []byte { return strconv.AppendInt(b, v, 10) }), nil
		}
		return fixed((*array.Int64).Int64Values, func(b []byte, v int64) []byte { return be.AppendUint64(b, uint64(v)) }), nil
	case Xid8:
		if text {
			return fixed((*array.Int64).Int64Values, appendXid8Text), nil
		}
		return fixed((*array.Int64).Int64Values, appendOrderedUint64Binary), nil
	case PgLsn:
		if text {
			return fixed((*array.Int64).Int64Values, appendLsnText), nil
		}
		return fixed((*array.Int64).Int64Values, appendOrderedUint64Binary), nil
	case Tid:
		if text {
			return fixed((*array.Int64).Int64Values, appendTidText), nil
		}
		return fixed((*array.Int64).Int64Values, appendTidBinary), nil
	case Oid, RegProc, RegProcedure, RegClass, RegType, RegNamespace, RegRole, RegOper, RegOperator, RegConfig, RegDictionary, RegCollation, Xid, Cid:
		// A reg* value prints as a number here: its name needs the
		// catalog, which the engine applies (type_reg.go).
		if text {
			return fixed((*array.Uint32).Uint32Values, func(b []byte, v uint32) []byte { return strconv.AppendUint(b, uint64(v), 10) }), nil
		}
		return fixed((*array.Uint32).Uint32Values, func(b []byte, v uint32) []byte { return be.AppendUint32(b, v) }), nil
	case Float4:
		if text {
			return fixed((*array.Float32).Float32Values, func(b []byte, v float32) []byte { return appendFloatText(b, float64(v), 32) }), nil
		}
		return fixed((*array.Float32).Float32Values, func(b []byte, v float32) []byte { return be.AppendUint32(b, math.Float32bits(v)) }), nil
	case Float8:
		if text {
			return fixed((*array.Float64).Float64Values, func(b []byte, v float64) []byte { return appendFloatText(b, v, 64) }), nil
		}
		return fixed((*array.Float64).Float64Values, func(b []byte, v float64) []byte { return be.AppendUint64(b, math.Float64bits(v)) }), nil
	case Numeric:
		if t.IsVarNumeric() {
			return varNumericEncoder(text), nil
		}
		scale := t.Scale
		if text {
			return fixed((*array.Decimal128).Values, func(b []byte, v decimal128.Num) []byte { return appendNumericText(b, v, scale) }), nil
		}
		return fixed((*array.Decimal128).Values, func(b []byte, v decimal128.Num) []byte { return appendNumericBinary(b, v, scale) }), nil
	case Text, Varchar, Name, Char, Aclitem, PgNodeTree, JSON, Unknown, Enum:
		// enum_out and enum_send both write the label.
		return &stringEncoder{put: appendString}, nil
	case Void:
		// void_out prints nothing; void_send sends no bytes.
		return &stringEncoder{put: func(b []byte, _ string) []byte { return b }}, nil
	case JSONB:
		if text {
			return &stringEncoder{put: appendString}, nil
		}
		return &stringEncoder{put: appendJSONBSend}, nil
	case Bpchar:
		n := int(t.Length())
		return &stringEncoder{put: func(b []byte, s string) []byte { return appendBpcharText(b, s, n) }}, nil
	case Bytea:
		if text {
			return &bytesEncoder{put: appendByteaText}, nil
		}
		return &bytesEncoder{put: appendBytes}, nil
	case UUID:
		if text {
			return &bytesEncoder{put: appendUUIDText}, nil
		}
		return &bytesEncoder{put: appendBytes}, nil
	case Date:
		if text {
			return fixed((*array.Date32).Date32Values, func(b []byte, v arrow.Date32) []byte { return appendDateText(b, int32(v)) }), nil
		}
		return fixed((*array.Date32).Date32Values, func(b []byte, v arrow.Date32) []byte { return be.AppendUint32(b, uint32(dateToPG(int32(v)))) }), nil
	case Time:
		if text {
			return fixed((*array.Time64).Time64Values, func(b []byte, v arrow.Time64) []byte { return appendTimeText(b, int64(v)) }), nil
		}
		return fixed((*array.Time64).Time64Values, func(b []byte, v arrow.Time64) []byte { return be.AppendUint64(b, uint64(v)) }), nil
	case Timestamp:
		if text {
			return fixed((*array.Timestamp).TimestampValues, func(b []byte, v arrow.Timestamp) []byte { return appendTimestampText(b, int64(v)) }), nil
		}
		return fixed((*array.Timestamp).TimestampValues, func(b []byte, v arrow.Timestamp) []byte { return be.AppendUint64(b, uint64(timestampToPG(int64(v)))) }), nil
	case TimestampTZ:
		if text {
			return fixed((*array.Timestamp).TimestampValues, func(b []byte, v arrow.Timestamp) []byte { return appendTimestamptzText(b, int64(v), loc) }), nil
		}
		return fixed((*array.Timestamp).TimestampValues, func(b []byte, v arrow.Timestamp) []byte { return be.AppendUint64(b, uint64(timestampToPG(int64(v)))) }), nil
	case Interval:
		if text {
			return fixed((*array.MonthDayNanoInterval).MonthDayNanoIntervalValues, appendIntervalText), nil
		}
		return fixed((*array.MonthDayNanoInterval).MonthDayNanoIntervalValues, appendIntervalBinary), nil
	case Array:
		return newArrayEncoder(t, format, loc)
	case Record:
		return newRecordEncoder(t, format, loc)
	}
	return nil, pgerr.Unsupported("type %s cannot be sent to clients", t)
}

func appendString(b []byte, s string) []byte { return append(b, s...) }
func appendBytes(b []byte, v []byte) []byte  { return append(b, v...) }
func appendInt(b []byte, v int64) []byte     { return strconv.AppendInt(b, v, 10) }

// fixedEncoder encodes a column whose Arrow array exposes its values as a
// slice (numbers, dates, times, decimals, intervals).
type fixedEncoder[A arrow.Array, T any] struct {
	values func(A) []T
	put    func([]byte, T) []byte
	vals   []T
}

func fixed[A arrow.Array, T any](values func(A) []T, put func([]byte, T) []byte) *fixedEncoder[A, T] {
	return &fixedEncoder[A, T]{values: values, put: put}
}

func (e *fixedEncoder[A, T]) Bind(col arrow.Array)            { e.vals = e.values(col.(A)) }
func (e *fixedEncoder[A, T]) Append(buf []byte, i int) []byte { return e.put(buf, e.vals[i]) }
func (e *fixedEncoder[A, T]) encoder() Encoder {
	values, put := e.values, e.put
	return func(buf []byte, col arrow.Array, i int) []byte { return put(buf, values(col.(A))[i]) }
}

type boolEncoder struct {
	put func([]byte, bool) []byte
	col *array.Boolean
}

func (e *boolEncoder) Bind(col arrow.Array)            { e.col = col.(*array.Boolean) }
func (e *boolEncoder) Append(buf []byte, i int) []byte { return e.put(buf, e.col.Value(i)) }
func (e *boolEncoder) encoder() Encoder {
	put := e.put
	return func(buf []byte, col arrow.Array, i int) []byte { return put(buf, col.(*array.Boolean).Value(i)) }
}

// stringValuer is any Arrow array of strings (large, view, or
// dictionary-decoded).
type stringValuer interface{ Value(int) string }

// stringEncoder encodes string columns; *array.String, the form pqdb
// produces, avoids the interface call of other string arrays.
type stringEncoder struct {
	put   func([]byte, string) []byte
	str   *array.String
	other stringValuer
}

func (e *stringEncoder) Bind(col arrow.Array) {
	e.str, e.other = nil, nil
	if s, ok := col.(*array.String); ok {
		e.str = s
	} else {
		e.other = stringColumn(col)
	}
}

func (e *stringEncoder) Append(buf []byte, i int) []byte {
	if e.str != nil {
		return e.put(buf, e.str.Value(i))
	}
	return e.put(buf, e.other.Value(i))
}

func (e *stringEncoder) encoder() Encoder {
	put := e.put
	return func(buf []byte, col arrow.Array, i int) []byte {
		if s, ok := col.(*array.String); ok {
			return put(buf, s.Value(i))
		}
		return put(buf, stringColumn(col).Value(i))
	}
}

// stringColumn returns the string values of col, looking through a
// dictionary.
func stringColumn(col arrow.Array) stringValuer {
	if d, ok := col.(*array.Dictionary); ok {
		return dictStrings{d, d.Dictionary().(stringValuer)}
	}
	return col.(stringValuer)
}

type dictStrings struct {
	d    *array.Dictionary
	dict stringValuer
}

func (s dictStrings) Value(i int) string { return s.dict.Value(s.d.GetValueIndex(i)) }

// bytesValuer is any Arrow array of byte strings (binary, large binary,
// fixed-size binary).
type bytesValuer interface{ Value(int) []byte }

type bytesEncoder struct {
	put func([]byte, []byte) []byte
	bin *array.Binary
	fsb *array.FixedSizeBinary
	any bytesValuer
}

func (e *bytesEncoder) Bind(col arrow.Array) {
	e.bin, e.fsb, e.any = nil, nil, nil
	switch c := col.(type) {
	case *array.Binary:
		e.bin = c
	case *array.FixedSizeBinary:
		e.fsb = c
	default:
		e.any = col.(bytesValuer)
	}
}

func (e *bytesEncoder) Append(buf []byte, i int) []byte {
	switch {
	case e.bin != nil:
		return e.put(buf, e.bin.Value(i))
	case e.fsb != nil:
		return e.put(buf, e.fsb.Value(i))
	}
	return e.put(buf, e.any.Value(i))
}

func (e *bytesEncoder) encoder() Encoder {
	put := e.put
	return func(buf []byte, col arrow.Array, i int) []byte { return put(buf, col.(bytesValuer).Value(i)) }
}
