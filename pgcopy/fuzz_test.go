package pgcopy

import (
	"bytes"
	"testing"
	"testing/iotest"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// FuzzReader feeds arbitrary data in every format, whole and one byte at
// a time: the Reader must never panic, and must read the same either way.
func FuzzReader(f *testing.F) {
	f.Add([]byte("1\tx\t2024-01-01\n\\N\t\\t\t\\N\n"), uint8(0))
	f.Add([]byte("1,\"a\"\"b\",2024-01-01\n,\"\",\n"), uint8(1))
	f.Add(append(append([]byte{}, binarySignature...), 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 1, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255), uint8(2))
	f.Fuzz(func(t *testing.T, data []byte, format uint8) {
		o := threeOptions(Format(format % 3))
		read := func(r *Reader) (rows []string, errText string) {
			for {
				rec, err := r.Next()
				if err != nil {
					return rows, err.Error()
				}
				if rec == nil {
					return rows, ""
				}
				rows = append(rows, rowsText(t, []arrow.Record{rec})...)
				rec.Release()
			}
		}
		rows1, err1 := read(NewReader(bytes.NewReader(data), threeCols, o, memory.DefaultAllocator))
		rows2, err2 := read(NewReader(iotest.OneByteReader(bytes.NewReader(data)), threeCols, o, memory.DefaultAllocator))
		if err1 != err2 || len(rows1) != len(rows2) {
			t.Fatalf("whole: %d rows, %q; byte by byte: %d rows, %q", len(rows1), err1, len(rows2), err2)
		}
		for i := range rows1 {
			if rows1[i] != rows2[i] {
				t.Fatalf("row %d: %q vs %q", i, rows1[i], rows2[i])
			}
		}
	})
}
