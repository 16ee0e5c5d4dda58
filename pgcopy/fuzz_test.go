package pgcopy

import (
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// FuzzReader feeds arbitrary data in every format, whole and one byte at
// a time, sequentially and in parallel chunks (of 1 to 5 rows, or cut by
// 1 to 61 bytes, as chunk says): the Reader must never panic, and must
// read the same every way, with the same error and context.
func FuzzReader(f *testing.F) {
	f.Add([]byte("1\tx\t2024-01-01\n\\N\t\\t\t\\N\n"), uint8(0), uint8(0))
	f.Add([]byte("1,\"a\"\"b\",2024-01-01\n,\"\",\n"), uint8(1), uint8(7))
	f.Add(append(append([]byte{}, binarySignature...), 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 1, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255), uint8(2), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, format uint8, chunk uint8) {
		o := threeOptions(Format(format % 3))
		o.Header = format&4 != 0 && o.Format != Binary
		if format&8 != 0 && o.Format == CSV {
			o.Escape = '\\'
		}
		whole := readWith(t, data, threeCols, o, chunking{}, wholeReader)
		if byByte := readWith(t, data, threeCols, o, chunking{}, iotest.OneByteReader); !sameResult(byByte, whole) || len(byByte.rows) != len(whole.rows) {
			t.Fatalf("whole: %d rows, %q; byte by byte: %d rows, %q", len(whole.rows), whole.err, len(byByte.rows), byByte.err)
		}
		want := whole
		if whole.err != "" {
			// One row per chunk returns every row before the error.
			want = readWith(t, data, threeCols, o, chunking{2, 1, 1 << 30}, wholeReader)
			if !sameResult(whole, want) {
				t.Fatalf("sequential: %d rows, %q, line %d; one row per chunk: %d rows, %q, line %d", len(whole.rows), whole.err, whole.line, len(want.rows), want.err, want.line)
			}
		}
		c := chunking{2, 1 + int(chunk%5), 1 << 30}
		if chunk&0x80 != 0 {
			c = chunking{3, BatchRows, 1 + int(chunk%61)}
		}
		for _, split := range []func(io.Reader) io.Reader{wholeReader, iotest.OneByteReader} {
			if got := readWith(t, data, threeCols, o, c, split); !sameResult(got, want) {
				t.Fatalf("chunking %+v: %d rows, %q, line %d; want %d rows, %q, line %d", c, len(got.rows), got.err, got.line, len(want.rows), want.err, want.line)
			}
		}
	})
}

// fuzzCols are the column types FuzzReaderTypes picks its columns from:
// one of each input function a COPY commonly feeds (fixed and var-scale
// numeric take different paths, as do arrays of fixed-width and string
// elements).
var fuzzCols = []catalog.Type{
	catalog.TypeInt4, catalog.TypeInt8, catalog.NumericType(10, 2), catalog.TypeNumeric,
	catalog.TypeText, catalog.TypeDate, catalog.TypeTimestamp, catalog.TypeTimestampTZ,
	catalog.TypeBool, catalog.TypeBytea, catalog.ArrayOf(catalog.TypeInt4), catalog.ArrayOf(catalog.TypeText),
	catalog.TypeFloat8, catalog.TypeInterval, catalog.TypeUUID, catalog.TypeJSONB,
}

// FuzzReaderTypes reads arbitrary data into one to three columns of
// fuzzCols (as format's high bits say; four bits of cols pick each
// column's type), so that every type's input and receive function is the
// first of a row's columns as often as the last. Besides reading the
// same whole and byte by byte, and one row per parallel chunk, every
// error must carry its own SQLSTATE: an XX000 is a Go error no input
// function should let out (but jsonb's receive function's at an unknown
// version byte, which PostgreSQL's elog gives too).
func FuzzReaderTypes(f *testing.F) {
	f.Add([]byte("1\t2.50\t{1,NULL,3}\n\\N\t-0.001\t{}\n"), uint8(0x20), uint16(0xa20))
	f.Add([]byte("2024-01-31 12:00:00,t,\\x00ff\n\"1999-12-31 23:59:59.999999\",false,\"\\x\"\n"), uint8(0x21), uint16(0x986))
	f.Add([]byte("\"{\"\"a b\"\",NULL,\"\"c\\\\\"\"}\",NaN,\"{\"\"k\"\": [1]}\"\n"), uint8(0x21), uint16(0xfcb))
	f.Add(append(append([]byte{}, binarySignature...), 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
		0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 42,
		0, 0, 0, 12, 0, 2, 0, 0, 0, 0, 0, 2, 0, 1, 0x13, 0x88,
		255, 255), uint8(0x12), uint16(0x31))
	f.Fuzz(func(t *testing.T, data []byte, format uint8, cols uint16) {
		o := DefaultOptions(Format(format & 3 % 3))
		o.Header = format&4 != 0 && o.Format != Binary
		types := make([]catalog.Type, 1+format>>4%3)
		for i := range types {
			types[i] = fuzzCols[cols>>(4*i)&15]
		}
		o.Table, o.Columns = "ft", []string{"a", "b", "c"}[:len(types)]
		whole := readWith(t, data, types, o, chunking{}, wholeReader)
		if strings.HasPrefix(whole.err, pgerr.InternalError) && !strings.Contains(whole.err, "unsupported jsonb version number") {
			t.Fatalf("%v: internal error %s", types, whole.err)
		}
		if byByte := readWith(t, data, types, o, chunking{}, iotest.OneByteReader); !sameResult(byByte, whole) || len(byByte.rows) != len(whole.rows) {
			t.Fatalf("whole: %d rows, %q; byte by byte: %d rows, %q", len(whole.rows), whole.err, len(byByte.rows), byByte.err)
		}
		if whole.err != "" {
			if rowByRow := readWith(t, data, types, o, chunking{2, 1, 1 << 30}, wholeReader); !sameResult(whole, rowByRow) {
				t.Fatalf("sequential: %d rows, %q, line %d; one row per chunk: %d rows, %q, line %d", len(whole.rows), whole.err, whole.line, len(rowByRow.rows), rowByRow.err, rowByRow.line)
			}
		}
	})
}
