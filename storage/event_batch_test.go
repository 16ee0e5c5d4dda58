package storage

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// batchTestRecord builds a record of n rows with a column of each type
// appendBatchMessage writes, every column NULL where nullEvery divides
// the row (0: never), byte strings empty now and then.
func batchTestRecord(n, nullEvery int, r *rand.Rand) arrow.Record {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "b", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
		{Name: "i16", Type: arrow.PrimitiveTypes.Int16, Nullable: true},
		{Name: "i32", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		{Name: "i64", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "f64", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "d", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
		{Name: "ts", Type: arrow.FixedWidthTypes.Timestamp_us, Nullable: true},
		{Name: "num", Type: &arrow.Decimal128Type{Precision: 15, Scale: 2}, Nullable: true},
		{Name: "iv", Type: arrow.FixedWidthTypes.MonthDayNanoInterval, Nullable: true},
		{Name: "u", Type: &arrow.FixedSizeBinaryType{ByteWidth: 16}, Nullable: true},
		{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "by", Type: arrow.BinaryTypes.Binary, Nullable: true},
		{Name: "_row_id", Type: arrow.PrimitiveTypes.Int64},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for i := range n {
		null := nullEvery > 0 && i%nullEvery == 0
		for c, f := range b.Fields() {
			if null && c < len(b.Fields())-1 {
				f.AppendNull()
				continue
			}
			switch f := f.(type) {
			case *array.BooleanBuilder:
				f.Append(r.IntN(2) == 0)
			case *array.Int16Builder:
				f.Append(int16(r.Int()))
			case *array.Int32Builder:
				f.Append(int32(r.Int()))
			case *array.Int64Builder:
				f.Append(r.Int64())
			case *array.Float64Builder:
				f.Append(r.NormFloat64())
			case *array.Date32Builder:
				f.Append(arrow.Date32(r.IntN(40000)))
			case *array.TimestampBuilder:
				f.Append(arrow.Timestamp(r.Int64()))
			case *array.Decimal128Builder:
				f.Append(decimal128.FromI64(r.Int64N(1e15) - 5e14))
			case *array.MonthDayNanoIntervalBuilder:
				f.Append(arrow.MonthDayNanoInterval{Months: int32(r.IntN(100)), Days: int32(r.IntN(30)), Nanoseconds: r.Int64()})
			case *array.FixedSizeBinaryBuilder:
				v := make([]byte, 16)
				for k := range v {
					v[k] = byte(r.Int())
				}
				f.Append(v)
			case *array.StringBuilder:
				f.Append(fmt.Sprintf("%0*d", r.IntN(3)*7, i))
			case *array.BinaryBuilder:
				f.Append(bytes.Repeat([]byte{byte(i)}, r.IntN(20)))
			}
		}
	}
	return b.NewRecordBatch()
}

// TestBatchStreamIsArrows: for records of every column type batchStream
// writes, from one row to thousands, with and without NULLs (some
// columns all NULL), built by Arrow's builders (whose buffers carry spare
// capacity) or sliced out of larger arrays' buffers, the stream is the
// very one an ipc.Writer writes, and reads back as the record; a sliced
// record, a list column and a column of the null type are left to
// Arrow's writer and come back whole through encodeRecord.
func TestBatchStreamIsArrows(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for _, n := range []int{1, 2, 7, 8, 9, 63, 64, 65, 511, 512, 513, 1000, 4099} {
		for _, nullEvery := range []int{0, 1, 2, 3, 64} {
			rec := batchTestRecord(n, nullEvery, r)
			head, err := schemaMessage(rec.Schema())
			if err != nil {
				t.Fatal(err)
			}
			mine, ok := batchStream(head, rec)
			if !ok {
				t.Fatalf("%d rows, NULL every %d: not written by hand", n, nullEvery)
			}
			if want := ipcStream(t, rec); !bytes.Equal(mine, want) {
				t.Fatalf("%d rows, NULL every %d: %d bytes, not the %d an ipc.Writer writes", n, nullEvery, len(mine), len(want))
			}
			if cap(mine) != len(mine) {
				t.Fatalf("%d rows: a stream of %d bytes in a buffer of %d", n, len(mine), cap(mine))
			}
			got, err := decodeRecord(mine)
			if err != nil {
				t.Fatalf("%d rows, NULL every %d: %v", n, nullEvery, err)
			}
			if !array.RecordEqual(rec, got) {
				t.Fatalf("%d rows, NULL every %d: read back\n%v\nwant\n%v", n, nullEvery, got, rec)
			}
			got.Release()
			rec.Release()
		}
	}

	rec := batchTestRecord(10, 3, r)
	defer rec.Release()
	sliced := rec.NewSlice(2, 7)
	defer sliced.Release()
	if _, ok := batchStream(nil, sliced); ok {
		t.Fatal("a sliced record was written by hand")
	}
	lb := array.NewListBuilder(memory.DefaultAllocator, arrow.PrimitiveTypes.Int32)
	defer lb.Release()
	lb.Append(true)
	lb.ValueBuilder().(*array.Int32Builder).AppendValues([]int32{1, 2}, nil)
	lb.AppendNull()
	list := lb.NewArray()
	defer list.Release()
	listRec := array.NewRecordBatch(arrow.NewSchema([]arrow.Field{{Name: "l", Type: list.DataType(), Nullable: true}}, nil), []arrow.Array{list}, 2)
	defer listRec.Release()
	if _, ok := batchStream(nil, listRec); ok {
		t.Fatal("a list column was written by hand")
	}
	nulls := array.NewNull(3)
	defer nulls.Release()
	nullRec := array.NewRecordBatch(arrow.NewSchema([]arrow.Field{{Name: "z", Type: arrow.Null, Nullable: true}}, nil), []arrow.Array{nulls}, 3)
	defer nullRec.Release()
	if _, ok := batchStream(nil, nullRec); ok {
		t.Fatal("a column of the null type was written by hand")
	}
	for _, want := range []arrow.Record{sliced, listRec, nullRec} {
		enc, err := encodeRecord(want)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeRecord(enc)
		if err != nil {
			t.Fatal(err)
		}
		if !array.RecordEqual(want, got) {
			t.Fatalf("through Arrow's writer: read back\n%v\nwant\n%v", got, want)
		}
		got.Release()
	}
}

// TestBatchStreamCutsBuffersAsArrow: buffers longer than their values
// padded to 64 bytes (arrays over a larger allocation) are cut as Arrow's
// writer cuts them, a bitmap's bits past the last row cleared.
func TestBatchStreamCutsBuffersAsArrow(t *testing.T) {
	over := func(dt arrow.DataType, n int, validity []byte, nulls int, bufs ...[]byte) arrow.Array {
		mb := []*memory.Buffer{nil}
		if validity != nil {
			mb[0] = memory.NewBufferBytes(validity)
		}
		for _, b := range bufs {
			mb = append(mb, memory.NewBufferBytes(b))
		}
		return array.MakeFromData(array.NewData(dt, n, mb, nil, nulls, 0))
	}
	const n = 5
	ints := make([]byte, 256) // values past the fifth row: cut
	for i := range ints {
		ints[i] = byte(i * 7)
	}
	bits := bytes.Repeat([]byte{0xff}, 128) // set bits past row 5: cleared
	bits[0] = 0b11110110                    // rows 0 and 3 NULL
	offsets := make([]byte, 512)
	copy(offsets, arrow.Int32Traits.CastToBytes([]int32{0, 3, 3, 8, 16, 20}))
	cols := []arrow.Array{
		over(arrow.PrimitiveTypes.Int64, n, bits, 2, ints),
		over(arrow.FixedWidthTypes.Boolean, n, nil, 0, bits),
		over(arrow.BinaryTypes.String, n, bits, 2, offsets, []byte("abcdefghijklmnopqrstuvwxyz0123456789")),
	}
	fields := []arrow.Field{{Name: "a", Type: arrow.PrimitiveTypes.Int64, Nullable: true}, {Name: "b", Type: arrow.FixedWidthTypes.Boolean}, {Name: "c", Type: arrow.BinaryTypes.String, Nullable: true}}
	rec := array.NewRecordBatch(arrow.NewSchema(fields, nil), cols, n)
	defer rec.Release()
	head, err := schemaMessage(rec.Schema())
	if err != nil {
		t.Fatal(err)
	}
	mine, ok := batchStream(head, rec)
	if !ok {
		t.Fatal("not written by hand")
	}
	if want := ipcStream(t, rec); !bytes.Equal(mine, want) {
		t.Fatalf("hand-written stream\n% x\nArrow's\n% x", mine, want)
	}
	got, err := decodeRecord(mine)
	if err != nil {
		t.Fatal(err)
	}
	defer got.Release()
	if !array.RecordEqual(rec, got) {
		t.Fatalf("read back\n%v\nwant\n%v", got, rec)
	}
}
