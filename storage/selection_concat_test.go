package storage

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// TestConcatArraysMatchesArrow: concatArrays gives what
// array.Concatenate gives for every column type storage holds (an array
// column through the fallback), over one-row pieces as an OLTP flush
// has them, slices at odd offsets, empty pieces and all-NULL arrays as
// event records hold for deletions.
func TestConcatArraysMatchesArrow(t *testing.T) {
	tbl := allTypesTable("c")
	rec := allTypesRecord(tbl, 0, 40)
	defer rec.Release()
	for c, col := range tbl.Columns {
		arr := rec.Column(c)
		var pieces []arrow.Array
		release := func() {
			for _, p := range pieces {
				p.Release()
			}
			pieces = nil
		}
		for i := range 9 { // one-row pieces, NULL at row 3
			pieces = append(pieces, array.NewSlice(arr, int64(i), int64(i+1)))
		}
		pieces = append(pieces,
			array.NewSlice(arr, 9, 9),
			array.NewSlice(arr, 11, 30),
			array.MakeArrayOfNull(memory.DefaultAllocator, col.Type.ArrowType(), 5),
			array.NewSlice(arr, 31, 40))
		checkConcat(t, col.Name, pieces)
		checkConcat(t, col.Name+" (nulls alone)", pieces[11:12])
		release()
	}
	// An array column is concatenated by array.Concatenate.
	list := catalog.ArrayOf(catalog.TypeInt4)
	if spanCopyable(list.ArrowType()) {
		t.Fatalf("%s counted copyable by span", list.ArrowType())
	}
	b := array.NewBuilder(memory.DefaultAllocator, list.ArrowType()).(*array.ListBuilder)
	defer b.Release()
	for i := range 6 {
		b.Append(true)
		for k := range i % 3 {
			b.ValueBuilder().(*array.Int32Builder).Append(int32(i*10 + k))
		}
	}
	whole := b.NewArray()
	defer whole.Release()
	pieces := []arrow.Array{array.NewSlice(whole, 0, 2), array.NewSlice(whole, 3, 6)}
	checkConcat(t, "int4[]", pieces)
	for _, p := range pieces {
		p.Release()
	}
}

func checkConcat(t *testing.T, name string, pieces []arrow.Array) {
	t.Helper()
	want, err := array.Concatenate(pieces, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	defer want.Release()
	got, err := concatArrays(pieces)
	if err != nil {
		t.Fatal(err)
	}
	defer got.Release()
	if !array.Equal(got, want) || got.NullN() != want.NullN() {
		t.Fatalf("%s: concatArrays gave\n%v\n(%d NULLs), array.Concatenate\n%v\n(%d NULLs)", name, got, got.NullN(), want, want.NullN())
	}
}
