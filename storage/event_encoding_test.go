package storage

import (
	"bytes"
	"fmt"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"

	"github.com/pqdb/pqdb/catalog"
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
			if cap(got) != len(got) {
				t.Fatalf("%s, %s: a payload of %d bytes in a buffer of %d, not one of its exact size", round, name, len(got), cap(got))
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

// The pending records of a transaction that writes a table as committed
// carry the committed table's tail schema, so that the table's commits
// share one serialized IPC schema message. After ALTER TABLE (v SET NOT
// NULL, which changes the schema) records carry the new version's, in
// the transaction that altered it as in later ones, and every row reads
// back after a restart.
func TestPendingRecordsShareTableSchema(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	mustCreate(t, s, kvTable("t"))
	committed := func() *tableState {
		return s.namespace("public").state.Load().tables["t"]
	}
	schemaOf := func(tx *Txn, tbl *catalog.Table, k int64) *arrow.Schema {
		t.Helper()
		if err := tx.Insert(tbl, kvRecord([]int64{k}, []string{"a"})); err != nil {
			t.Fatal(err)
		}
		ins := tx.tables[tbl.ID].pending.inserts
		return ins[len(ins)-1].rec.Schema()
	}
	for i := range int64(3) {
		ts := committed()
		tx := s.Begin()
		if got := schemaOf(tx, ts.table, i); got != ts.schema {
			t.Fatalf("insert %d: record schema %p, the table's %p", i, got, ts.schema)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	before := committed()
	altered := *before.table
	altered.Columns = slices.Clone(altered.Columns)
	altered.Columns[1].NotNull = true
	tx := s.Begin()
	if got := schemaOf(tx, before.table, 10); got != before.schema {
		t.Fatalf("insert before ALTER TABLE: record schema %v", got)
	}
	if err := tx.AlterTable("public", "t", &altered, nil); err != nil {
		t.Fatal(err)
	}
	if got := schemaOf(tx, &altered, 11); got == before.schema || got.Field(1).Nullable {
		t.Fatalf("insert after ALTER TABLE in its transaction: record schema %v", got)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	after := committed()
	if after.schema == before.schema || after.schema.Field(1).Nullable {
		t.Fatalf("schema after ALTER TABLE: %v", after.schema)
	}
	tx = s.Begin()
	if got := schemaOf(tx, after.table, 12); got != after.schema {
		t.Fatalf("insert after ALTER TABLE: record schema %v", got)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = openTest(t, dir, Options{})
	defer s.Close()
	if got := countRows(t, s.Snapshot(), s.Snapshot().Table("public", "t"), []int{0, 1}, nil); got != 6 {
		t.Fatalf("rows after reopening: %d, want 6", got)
	}
}
