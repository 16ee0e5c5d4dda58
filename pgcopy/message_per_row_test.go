package pgcopy

import (
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// writes records each Write separately.
type writes [][]byte

func (w *writes) Write(p []byte) (int, error) {
	*w = append(*w, append([]byte(nil), p...))
	return len(p), nil
}

func TestMessagePerRow(t *testing.T) {
	b := array.NewInt32Builder(memory.DefaultAllocator)
	b.AppendValues([]int32{1, 2, 3}, nil)
	col := b.NewArray()
	defer col.Release()
	rec := array.NewRecord(arrow.NewSchema([]arrow.Field{{Name: "n", Type: arrow.PrimitiveTypes.Int32}}, nil), []arrow.Array{col}, 3)
	defer rec.Release()

	var got writes
	opts := DefaultOptions(CSV)
	opts.Header, opts.Columns = true, []string{"n"}
	w := NewWriter(&got, []catalog.Type{catalog.TypeInt4}, opts, time.UTC)
	w.MessagePerRow()
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	want := []string{"n\n", "1\n", "2\n", "3\n"}
	if len(got) != len(want) {
		t.Fatalf("got %d writes %q, want %q", len(got), got, want)
	}
	for i := range want {
		if string(got[i]) != want[i] {
			t.Fatalf("write %d: %q, want %q", i, got[i], want[i])
		}
	}
}

func TestMessagePerRowBinaryHeaderGoesWithFirstRow(t *testing.T) {
	b := array.NewInt32Builder(memory.DefaultAllocator)
	b.AppendValues([]int32{1, 2}, nil)
	col := b.NewArray()
	defer col.Release()
	rec := array.NewRecord(arrow.NewSchema([]arrow.Field{{Name: "n", Type: arrow.PrimitiveTypes.Int32}}, nil), []arrow.Array{col}, 2)
	defer rec.Release()
	var got writes
	w := NewWriter(&got, []catalog.Type{catalog.TypeInt4}, DefaultOptions(Binary), time.UTC)
	w.MessagePerRow()
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	// header (19 bytes) + row (2 + 4 + 4), row, trailer.
	lens := []int{19 + 10, 10, 2}
	if len(got) != len(lens) {
		t.Fatalf("got %d writes, want %d", len(got), len(lens))
	}
	for i, n := range lens {
		if len(got[i]) != n {
			t.Fatalf("write %d has %d bytes, want %d", i, len(got[i]), n)
		}
	}
	var empty writes
	w = NewWriter(&empty, []catalog.Type{catalog.TypeInt4}, DefaultOptions(Binary), time.UTC)
	w.MessagePerRow()
	if err := w.Close(); err != nil || len(empty) != 1 || len(empty[0]) != 21 {
		t.Fatalf("empty binary COPY: %d writes, %v", len(empty), err)
	}
}
