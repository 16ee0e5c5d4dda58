package storage

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
)

// ipcStream is what an ipc.Writer writes for rec alone: the encoding
// insert events had before they kept schema messages, and which replay
// reads.
func ipcStream(t testing.TB, rec arrow.Record) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := ipc.NewWriter(&buf, ipc.WithSchema(rec.Schema()))
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// An insert event's payload is built from a kept schema message, the
// record's batch message and the end marker. It must be the very stream
// an ipc.Writer writes, for every type storage holds, NULLs, slices at
// an offset (the 64k-row parts of a large batch) and schemas one after
// another, and read back as the record.
func TestEncodeRecordIsTheIPCStream(t *testing.T) {
	tbl := allTypesTable("enc")
	whole := allTypesRecord(tbl, 0, 1000)
	defer whole.Release()
	other := kvRecord([]int64{1, 2, 3}, []string{"a", "", "c"})
	defer other.Release()
	cases := map[string]arrow.Record{"other schema": other}
	for _, r := range [][2]int64{{0, 1}, {0, 7}, {3, 4}, {500, 1000}, {999, 1000}, {0, 1000}} {
		part := whole.NewSlice(r[0], r[1])
		defer part.Release()
		cases[fmt.Sprintf("rows [%d, %d)", r[0], r[1])] = part
	}
	for _, round := range []string{"first", "kept schema"} {
		for name, rec := range cases {
			got, err := encodeRecord(rec)
			if err != nil {
				t.Fatal(err)
			}
			if want := ipcStream(t, rec); !bytes.Equal(got, want) {
				t.Fatalf("%s, %s: %d bytes, not the %d an ipc.Writer writes", round, name, len(got), len(want))
			}
			back, err := decodeRecord(got)
			if err != nil {
				t.Fatalf("%s, %s: %v", round, name, err)
			}
			if !array.RecordEqual(back, rec) {
				t.Fatalf("%s, %s: read back another record", round, name)
			}
			back.Release()
		}
	}
}

// BenchmarkEncodeEvent encodes a one-row insert event, as each row an
// OLTP commit inserts or updates is logged, against an ipc.Writer's
// encoding of the same stream.
func BenchmarkEncodeEvent(b *testing.B) {
	rec := kvRecord([]int64{1}, []string{"a row of about pgbench's width"})
	defer rec.Release()
	b.Run("kept-schema", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := encodeRecord(rec); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ipc-writer", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ipcStream(b, rec)
		}
	})
}
