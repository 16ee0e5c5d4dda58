package pgcopy

import (
	"io"
	"testing"
	"testing/iotest"
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
