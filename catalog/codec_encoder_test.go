package catalog

import (
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// appendToBuilder appends a Datum of t to a builder of t.ArrowType().
func appendToBuilder(b array.Builder, d Datum) {
	switch b := b.(type) {
	case *array.BooleanBuilder:
		b.Append(d.(bool))
	case *array.Int16Builder:
		b.Append(d.(int16))
	case *array.Int32Builder:
		b.Append(d.(int32))
	case *array.Int64Builder:
		b.Append(d.(int64))
	case *array.Uint32Builder:
		b.Append(d.(uint32))
	case *array.Float32Builder:
		b.Append(d.(float32))
	case *array.Float64Builder:
		b.Append(d.(float64))
	case *array.Decimal128Builder:
		b.Append(d.(decimal128.Num))
	case *array.StringBuilder:
		b.Append(d.(string))
	case *array.BinaryBuilder:
		b.Append(d.([]byte))
	case *array.FixedSizeBinaryBuilder:
		u := d.([16]byte)
		b.Append(u[:])
	case *array.Date32Builder:
		b.Append(arrow.Date32(d.(int32)))
	case *array.Time64Builder:
		b.Append(arrow.Time64(d.(int64)))
	case *array.TimestampBuilder:
		b.Append(arrow.Timestamp(d.(int64)))
	case *array.MonthDayNanoIntervalBuilder:
		b.Append(d.(arrow.MonthDayNanoInterval))
	default:
		panic("no builder case")
	}
}

// TestEncodersMatchDatumCodecs encodes an Arrow column of each type, in
// text and binary, through Encoder and ColumnEncoder, and compares with
// the Datum codecs (which the PostgreSQL cases check).
func TestEncodersMatchDatumCodecs(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	if ny == nil {
		ny = time.UTC
	}
	columns := []struct {
		typ    Type
		values []string
	}{
		{TypeBool, []string{"t", "f"}},
		{TypeInt2, []string{"-32768", "7"}},
		{TypeInt4, []string{"42", "-1"}},
		{TypeInt8, []string{"9223372036854775807"}},
		{TypeOid, []string{"4294967295"}},
		{TypeFloat4, []string{"1.5", "1e+10", "NaN"}},
		{TypeFloat8, []string{"0.1", "-0", "1e+100"}},
		{NumericType(12, 3), []string{"-123456.789", "0.5"}},
		{TypeText, []string{"héllo", ""}},
		{BpcharType(4), []string{"ab"}},
		{TypeBytea, []string{`\x0102`, `\x`}},
		{TypeUUID, []string{"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"}},
		{TypeDate, []string{"2024-01-31", "0044-03-15 BC", "infinity"}},
		{TypeTime, []string{"12:00:00.5"}},
		{TypeTimestamp, []string{"2024-01-31 12:00:00.123456", "-infinity"}},
		{TypeTimestampTZ, []string{"2024-07-01 12:00:00+00", "1850-01-01 00:00+00"}},
		{TypeInterval, []string{"1 year 2 mons 3 days 04:05:06", "-00:00:01"}},
		{TypeJSON, []string{`{"a": 1}`}},
		{TypeJSONB, []string{`{"b": 1, "a": 2}`}},
	}
	mem := memory.NewGoAllocator()
	for _, c := range columns {
		b := array.NewBuilder(mem, c.typ.ArrowType())
		b.AppendNull() // a leading null shifts every index by one
		var datums []Datum
		for _, v := range c.values {
			d, err := ParseTextIn(c.typ, v, ny)
			if err != nil {
				t.Fatalf("%s %q: %v", c.typ, v, err)
			}
			datums = append(datums, d)
			appendToBuilder(b, d)
		}
		full := b.NewArray()
		col := array.NewSlice(full, 1, int64(full.Len())) // exercise array offsets
		for _, format := range []int16{FormatText, FormatBinary} {
			enc, err := NewEncoder(c.typ, format, ny)
			if err != nil {
				t.Fatal(err)
			}
			ce, err := NewColumnEncoder(c.typ, format, ny)
			if err != nil {
				t.Fatal(err)
			}
			ce.Bind(col)
			for i, d := range datums {
				var want []byte
				if format == FormatText {
					want = AppendDatumTextIn(nil, c.typ, d, ny)
				} else {
					want = AppendDatumBinary(nil, c.typ, d)
				}
				if got := enc(nil, col, i); string(got) != string(want) {
					t.Errorf("%s format %d row %d: Encoder gave %q, want %q", c.typ, format, i, got, want)
				}
				if got := ce.Append([]byte("x"), i); string(got) != "x"+string(want) {
					t.Errorf("%s format %d row %d: ColumnEncoder gave %q, want %q", c.typ, format, i, got, "x"+string(want))
				}
			}
		}
		col.Release()
		full.Release()
		b.Release()
	}
}

func BenchmarkColumnEncoderInt64Text(b *testing.B) {
	mem := memory.NewGoAllocator()
	bld := array.NewInt64Builder(mem)
	for i := 0; i < 4096; i++ {
		bld.Append(int64(i * 7919))
	}
	col := bld.NewArray()
	ce, _ := NewColumnEncoder(TypeInt8, FormatText, time.UTC)
	buf := make([]byte, 0, 1<<16)
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		ce.Bind(col)
		buf = buf[:0]
		for i := 0; i < col.Len(); i++ {
			buf = ce.Append(buf, i)
		}
	}
}
