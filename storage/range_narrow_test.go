package storage

import (
	"maps"
	"math"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// TestRangeNarrowing: a range of a column the segment is not sorted by
// (k, scattered over every page) narrows a scan that reads a text column
// beside it to the rows inside the range, NULLs left out, at every bound
// kind and across row groups; a scan reading integers only, or a range
// spanning most of the column's bounds, is not narrowed (the scan then
// returns rows the filter above drops, as scans may).
func TestRangeNarrowing(t *testing.T) {
	defer func(n int) { segmentPageBytes = n }(segmentPageBytes)
	segmentPageBytes = 1024
	tbl := &catalog.Table{Schema: "public", Name: "rn", Columns: []catalog.Column{
		{Name: "id", Type: catalog.TypeInt8, NotNull: true},
		{Name: "k", Type: catalog.TypeInt4},
		{Name: "s", Type: catalog.TypeText},
	}, PrimaryKey: []int{0}}
	const n = 6000
	key := func(r int) (int32, bool) { return int32(r * 7919 % n), r%50 == 7 } // value, NULL
	s := openTest(t, t.TempDir(), Options{RowGroupRows: 2000})
	defer s.Close()
	mustCreate(t, s, tbl)
	b := array.NewRecordBuilder(memory.DefaultAllocator, tailSchemaNoRowID(tbl))
	for r := range n {
		b.Field(0).(*array.Int64Builder).Append(int64(r))
		if k, null := key(r); null {
			b.Field(1).AppendNull()
		} else {
			b.Field(1).(*array.Int32Builder).Append(k)
		}
		b.Field(2).(*array.StringBuilder).Append("row")
	}
	mustInsert(t, s, tbl, b.NewRecordBatch())
	b.Release()
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	scan := func(cols []int, preds []Predicate) map[int64]bool {
		ids, _ := scanColumnIDs(t, s, tbl, cols, preds, 0)
		return ids
	}
	for _, c := range []struct {
		name  string
		preds []Predicate
		in    func(k int32) bool
	}{
		{"between", []Predicate{{Column: 1, Op: Ge, Value: int32(100)}, {Column: 1, Op: Le, Value: int32(400)}}, func(k int32) bool { return k >= 100 && k <= 400 }},
		{"open bounds", []Predicate{{Column: 1, Op: Gt, Value: int32(100)}, {Column: 1, Op: Lt, Value: int32(400)}}, func(k int32) bool { return k > 100 && k < 400 }},
		{"below", []Predicate{{Column: 1, Op: Lt, Value: int32(250)}}, func(k int32) bool { return k < 250 }},
		{"above", []Predicate{{Column: 1, Op: Gt, Value: int32(n - 250)}}, func(k int32) bool { return k > n-250 }},
		{"empty", []Predicate{{Column: 1, Op: Gt, Value: int32(400)}, {Column: 1, Op: Lt, Value: int32(300)}}, func(k int32) bool { return false }},
	} {
		want := map[int64]bool{}
		for r := range n {
			if k, null := key(r); !null && c.in(k) {
				want[int64(r)] = true
			}
		}
		if got := scan([]int{0, 1, 2}, c.preds); !maps.Equal(got, want) {
			t.Errorf("%s: the scan returned %d rows, want the %d in the range", c.name, len(got), len(want))
		}
		if got := scan([]int{0, 1}, c.preds); len(got) != n {
			t.Errorf("%s, integers only: the scan returned %d rows, want all %d", c.name, len(got), n)
		}
	}
	if got := scan([]int{0, 1, 2}, []Predicate{{Column: 1, Op: Ge, Value: int32(1000)}}); len(got) != n {
		t.Errorf("a range over most of the bounds: the scan returned %d rows, want all %d", len(got), n)
	}
}

// TestColumnRanges: the comparisons of a column combine into one range,
// whatever their order, with the bounds at the ends of int64 admitting
// nothing past them.
func TestColumnRanges(t *testing.T) {
	p := func(col int, op CompareOp, v int64) boundedPredicate {
		return boundedPredicate{column: col, op: op, dom: domInt, value: bound{i: v}}
	}
	got := columnRanges([]boundedPredicate{
		p(2, Lt, 10), p(1, Ge, -5), p(2, Ge, 3), p(1, Le, 7), p(2, Le, 20), p(1, Eq, 0),
		p(3, Gt, math.MaxInt64), p(4, Lt, math.MinInt64), p(5, Le, math.MaxInt64),
		{column: 6, op: Lt, dom: domFloat, value: bound{f: 1}},
	})
	want := []valueRange{{2, 3, 9}, {1, -5, 7}, {3, 1, 0}, {4, 1, 0}, {5, math.MinInt64, math.MaxInt64}}
	if len(got) != len(want) {
		t.Fatalf("ranges %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("range %d: %v, want %v", i, got[i], want[i])
		}
	}
	cb := &columnBounds{rows: 100, has: true, min: bound{i: 0}, max: bound{i: 99}}
	for _, c := range []struct {
		r    valueRange
		want float64
	}{{valueRange{0, 10, 19}, 0.1}, {valueRange{0, -50, 49}, 0.5}, {valueRange{0, 200, 300}, 0}, {valueRange{0, 5, 4}, 0},
		{valueRange{0, math.MinInt64, math.MaxInt64}, 1}} {
		if got := c.r.density(cb); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("density of %v: %v, want %v", c.r, got, c.want)
		}
	}
}
