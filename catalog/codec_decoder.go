package catalog

import (
	"encoding/binary"
	"math"
	"time"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/pqdb/pqdb/pgerr"
)

// ColumnDecoder reads the wire or COPY form of one column's values straight
// into an Arrow builder of the column's type, the way ParseText and
// ParseBinary read single values, but without boxing each value in a
// Datum. Bind it to a builder of t.ArrowType(), then Append each value
// (or AppendNull). A ColumnDecoder is not safe for concurrent use.
type ColumnDecoder struct {
	typ    Type
	format int16
	loc    *time.Location
	append func(v []byte) error
	null   func()
}

// NewColumnDecoder returns a decoder of t's values in format (0 text, 1
// binary); text timestamptz values without a zone are read in loc.
func NewColumnDecoder(t Type, format int16, loc *time.Location) (*ColumnDecoder, error) {
	if format != FormatText && format != FormatBinary {
		return nil, pgerr.New(pgerr.ProtocolViolation, "unsupported format code: %d", format)
	}
	if t.Kind > Name && t.Kind != Array && t.Kind != Enum && !catalogScalar(t.Kind) {
		return nil, pgerr.Unsupported("type %s cannot be read", t)
	}
	if loc == nil {
		loc = time.UTC
	}
	return &ColumnDecoder{typ: t, format: format, loc: loc}, nil
}

// Type is the type the decoder reads.
func (d *ColumnDecoder) Type() Type { return d.typ }

// Append reads one value and appends it to the bound builder. v is not
// retained.
func (d *ColumnDecoder) Append(v []byte) error { return d.append(v) }

// AppendNull appends a NULL to the bound builder.
func (d *ColumnDecoder) AppendNull() { d.null() }

// bytesString views b as a string without copying, for parsers that do not
// keep their input (builders copy strings they append).
func bytesString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// Bind directs the following values to b, which must be a builder of the
// decoder type's ArrowType.
func (d *ColumnDecoder) Bind(b array.Builder) {
	d.null = b.AppendNull
	t, loc := d.typ, d.loc
	if bb, ok := b.(*array.BinaryBuilder); ok && t.IsVarNumeric() {
		d.bindVarNumeric(bb, d.format == FormatBinary)
		return
	}
	if catalogScalar(t.Kind) {
		d.append = func(v []byte) error {
			var x Datum
			var err error
			if d.format == FormatBinary {
				x, err = ParseBinary(t, v)
			} else {
				x, err = ParseTextIn(t, bytesString(v), loc)
			}
			if err != nil {
				return err
			}
			return AppendDatum(b, x)
		}
		return
	}
	if d.format == FormatBinary {
		d.bindBinary(b)
		return
	}
	switch b := b.(type) {
	case *array.BooleanBuilder:
		d.append = func(v []byte) error {
			x, err := ParseBool(bytesString(v))
			if err == nil {
				b.Append(x)
			}
			return err
		}
	case *array.Int16Builder:
		d.append = func(v []byte) error {
			x, err := parseInt(t, bytesString(v), 16)
			if err == nil {
				b.Append(int16(x))
			}
			return err
		}
	case *array.Int32Builder:
		d.append = func(v []byte) error {
			x, err := parseInt(t, bytesString(v), 32)
			if err == nil {
				b.Append(int32(x))
			}
			return err
		}
	case *array.Int64Builder:
		d.append = func(v []byte) error {
			x, err := parseInt(t, bytesString(v), 64)
			if err == nil {
				b.Append(x)
			}
			return err
		}
	case *array.Uint32Builder:
		d.append = func(v []byte) error {
			x, err := parseOid(bytesString(v))
			if err == nil {
				b.Append(x)
			}
			return err
		}
	case *array.Float32Builder:
		d.append = func(v []byte) error {
			x, err := parseFloat(t, bytesString(v), 32)
			if err == nil {
				b.Append(float32(x))
			}
			return err
		}
	case *array.Float64Builder:
		d.append = func(v []byte) error {
			x, err := parseFloat(t, bytesString(v), 64)
			if err == nil {
				b.Append(x)
			}
			return err
		}
	case *array.Decimal128Builder:
		d.append = func(v []byte) error {
			x, err := parseNumericText(t, bytesString(v))
			if err == nil {
				b.Append(x)
			}
			return err
		}
	case *array.StringBuilder:
		d.append = d.stringAppender(b, false)
	case *array.BinaryBuilder:
		d.append = func(v []byte) error {
			x, err := parseBytea(bytesString(v))
			if err == nil {
				b.Append(x)
			}
			return err
		}
	case *array.FixedSizeBinaryBuilder:
		d.append = func(v []byte) error {
			x, err := parseUUID(bytesString(v))
			if err == nil {
				b.Append(x[:])
			}
			return err
		}
	case *array.Date32Builder:
		d.append = func(v []byte) error {
			x, err := parseDate(bytesString(v), loc)
			if err == nil {
				b.Append(arrow.Date32(x))
			}
			return err
		}
	case *array.Time64Builder:
		d.append = func(v []byte) error {
			x, err := parseTime(t, bytesString(v))
			if err == nil {
				b.Append(arrow.Time64(x))
			}
			return err
		}
	case *array.TimestampBuilder:
		d.append = func(v []byte) error {
			x, err := parseTimestamp(t, bytesString(v), loc)
			if err == nil {
				b.Append(arrow.Timestamp(x))
			}
			return err
		}
	case *array.MonthDayNanoIntervalBuilder:
		d.append = func(v []byte) error {
			x, err := parseInterval(t, bytesString(v))
			if err == nil {
				b.Append(x)
			}
			return err
		}
	case *array.ListBuilder:
		d.append = func(v []byte) error {
			x, err := parseArrayText(t, bytesString(v), loc)
			if err != nil {
				return err
			}
			return AppendDatum(b, x)
		}
	default:
		d.append = func([]byte) error { return pgerr.Unsupported("type %s cannot be read into %s", t, b.Type()) }
	}
}

// spaces pads char(n) values.
const spaces = "                                                                "

// stringAppender appends character strings and JSON to b, checking the
// encoding and the length of varchar(n)/char(n) (padding char(n) values),
// without copying a value that needs no change; JSON goes to
// jsonAppender.
func (d *ColumnDecoder) stringAppender(b *array.StringBuilder, binaryFormat bool) func([]byte) error {
	t := d.typ
	if t.Kind == JSON || t.Kind == JSONB {
		return jsonAppender(t, b, binaryFormat)
	}
	var scratch []byte
	length := int(t.Length())
	return func(v []byte) error {
		s := bytesString(v)
		ascii := plainText(s)
		if !ascii {
			if err := checkUTF8(s); err != nil {
				return err
			}
		}
		switch t.Kind {
		case Varchar, Bpchar, Name, Char:
			fit, pad := s, 0
			if ascii && len(s) <= length {
				// Fits as it is: one byte per character (fitLength's
				// commonest case, without its checks).
				if t.Kind == Bpchar {
					pad = length - len(s)
				}
			} else {
				var err error
				if fit, pad, err = fitLengthOf(t, s, ascii); err != nil {
					return err
				}
			}
			if pad > 0 {
				scratch = append(scratch[:0], fit...)
				for pad > 0 {
					k := min(pad, len(spaces))
					scratch = append(scratch, spaces[:k]...)
					pad -= k
				}
				b.BinaryBuilder.Append(scratch)
				return nil
			}
			s = fit
		case Aclitem:
			item, err := aclitemIn(s)
			if err != nil {
				return err
			}
			s = item
		}
		b.BinaryBuilder.Append(unsafe.Slice(unsafe.StringData(s), len(s)))
		return nil
	}
}

// jsonAppender appends json or jsonb values (t) to b as they are stored:
// json's text once checked, jsonb's canonical text. One reader, reused
// for every value, parses them.
func jsonAppender(t Type, b *array.StringBuilder, binaryFormat bool) func([]byte) error {
	var r jsonReader
	return func(v []byte) error {
		var out []byte
		var err error
		if binaryFormat {
			out, err = r.recv(t, v)
		} else if err = checkUTF8(bytesString(v)); err == nil {
			out, err = r.read(t, v)
		}
		if err != nil {
			return err
		}
		b.BinaryBuilder.Append(out)
		return nil
	}
}

// bindBinary binds the receive functions; fixed-width types decode inline,
// the others go through ParseBinary.
func (d *ColumnDecoder) bindBinary(b array.Builder) {
	t := d.typ
	be := binary.BigEndian
	need := fixedSize
	switch b := b.(type) {
	case *array.Int16Builder:
		d.append = func(v []byte) error {
			if err := need(v, 2); err != nil {
				return err
			}
			b.Append(int16(be.Uint16(v)))
			return nil
		}
	case *array.Int32Builder:
		d.append = func(v []byte) error {
			if err := need(v, 4); err != nil {
				return err
			}
			b.Append(int32(be.Uint32(v)))
			return nil
		}
	case *array.Int64Builder:
		d.append = func(v []byte) error {
			if err := need(v, 8); err != nil {
				return err
			}
			b.Append(int64(be.Uint64(v)))
			return nil
		}
	case *array.Float32Builder:
		d.append = func(v []byte) error {
			if err := need(v, 4); err != nil {
				return err
			}
			b.Append(math.Float32frombits(be.Uint32(v)))
			return nil
		}
	case *array.Float64Builder:
		d.append = func(v []byte) error {
			if err := need(v, 8); err != nil {
				return err
			}
			b.Append(math.Float64frombits(be.Uint64(v)))
			return nil
		}
	case *array.Decimal128Builder:
		d.append = func(v []byte) error {
			x, err := parseNumericBinary(t, v)
			if err == nil {
				b.Append(x)
			}
			return err
		}
	case *array.StringBuilder:
		d.append = d.stringAppender(b, true)
	case *array.BinaryBuilder:
		d.append = func(v []byte) error {
			b.Append(v)
			return nil
		}
	case *array.Date32Builder:
		d.append = func(v []byte) error {
			x, err := dateRecv(v)
			if err == nil {
				b.Append(arrow.Date32(x))
			}
			return err
		}
	case *array.TimestampBuilder:
		d.append = func(v []byte) error {
			x, err := timestampRecv(t, v)
			if err == nil {
				b.Append(arrow.Timestamp(x))
			}
			return err
		}
	default:
		d.append = func(v []byte) error {
			x, err := ParseBinary(t, v)
			if err != nil {
				return err
			}
			return AppendDatum(b, x)
		}
	}
}

// catalogScalar reports whether k is one of the types of the system
// catalogs whose Arrow form is an integer of another type's but whose
// input differs (type_xid.go, type_tid.go, type_pg_lsn.go), or that
// accepts no input at all (type_pg_node_tree.go): their values are read
// one Datum at a time, as they are rare.
func catalogScalar(k Kind) bool {
	switch k {
	case Xid, Cid, Xid8, Tid, PgLsn, PgNodeTree:
		return true
	}
	return false
}

// AppendDatum appends a Datum to a builder of its type's ArrowType; nil
// appends NULL.
func AppendDatum(b array.Builder, d Datum) error {
	if d == nil {
		b.AppendNull()
		return nil
	}
	ok := true
	switch b := b.(type) {
	case *array.BooleanBuilder:
		var v bool
		if v, ok = d.(bool); ok {
			b.Append(v)
		}
	case *array.Int16Builder:
		var v int16
		if v, ok = d.(int16); ok {
			b.Append(v)
		}
	case *array.Int32Builder:
		var v int32
		if v, ok = d.(int32); ok {
			b.Append(v)
		}
	case *array.Int64Builder:
		var v int64
		if v, ok = d.(int64); ok {
			b.Append(v)
		}
	case *array.Uint32Builder:
		var v uint32
		if v, ok = d.(uint32); ok {
			b.Append(v)
		}
	case *array.Float32Builder:
		var v float32
		if v, ok = d.(float32); ok {
			b.Append(v)
		}
	case *array.Float64Builder:
		var v float64
		if v, ok = d.(float64); ok {
			b.Append(v)
		}
	case *array.Decimal128Builder:
		var v decimal128.Num
		if v, ok = d.(decimal128.Num); ok {
			b.Append(v)
		}
	case *array.StringBuilder:
		var v string
		if v, ok = d.(string); ok {
			b.Append(v)
		}
	case *array.BinaryBuilder:
		var v []byte
		if v, ok = d.([]byte); ok {
			b.Append(v)
		}
	case *array.FixedSizeBinaryBuilder:
		var v [16]byte
		if v, ok = d.([16]byte); ok {
			b.Append(v[:])
		}
	case *array.Date32Builder:
		var v int32
		if v, ok = d.(int32); ok {
			b.Append(arrow.Date32(v))
		}
	case *array.Time64Builder:
		var v int64
		if v, ok = d.(int64); ok {
			b.Append(arrow.Time64(v))
		}
	case *array.TimestampBuilder:
		var v int64
		if v, ok = d.(int64); ok {
			b.Append(arrow.Timestamp(v))
		}
	case *array.MonthDayNanoIntervalBuilder:
		var v arrow.MonthDayNanoInterval
		if v, ok = d.(arrow.MonthDayNanoInterval); ok {
			b.Append(v)
		}
	case *array.ListBuilder:
		var v ArrayValue
		if v, ok = d.(ArrayValue); ok {
			b.Append(true)
			vb := b.ValueBuilder()
			for _, e := range v {
				if err := AppendDatum(vb, e); err != nil {
					return err
				}
			}
		}
	default:
		ok = false
	}
	if !ok {
		return pgerr.New(pgerr.InternalError, "a %T value does not belong in a %s column", d, b.Type())
	}
	return nil
}
