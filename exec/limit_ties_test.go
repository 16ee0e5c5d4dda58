package exec

import (
	"testing"

	"github.com/pqdb/pqdb/catalog"
)

// TestLimitWithTies takes sorted rows through OFFSET / FETCH FIRST n ROWS
// WITH TIES with batches of 1, 2 and 5 rows, so that the limit and the
// ties fall on batch boundaries and inside batches.
func TestLimitWithTies(t *testing.T) {
	var rows [][]catalog.Datum
	for _, k := range []int32{1, 1, 2, 2, 2, 2, 3, 4, 4} {
		rows = append(rows, []catalog.Datum{k, int32(len(rows))})
	}
	rows = append(rows, []catalog.Datum{nil, int32(9)}, []catalog.Datum{nil, int32(10)})
	key := []SortKey{{Expr: ColumnRef(0, tInt)}}
	for _, tc := range []struct {
		limit, offset int64
		want          []int32 // the second column of the rows passed
	}{
		{1, 0, []int32{0, 1}},
		{2, 0, []int32{0, 1}},
		{3, 0, []int32{0, 1, 2, 3, 4, 5}},
		{1, 2, []int32{2, 3, 4, 5}},
		{2, 5, []int32{5, 6}},
		{1, 7, []int32{7, 8}},
		{1, 9, []int32{9, 10}},
		{5, 8, []int32{8, 9, 10}},
		{0, 0, nil},
		{3, 20, nil},
	} {
		for _, per := range []int{1, 2, 5} {
			src := source([]catalog.Type{tInt, tInt}, rows)
			src.per = per
			src.sel = per == 2
			got := collect(t, NewLimitWithTies(src, key, tc.limit, tc.offset))
			var ids []int32
			for _, r := range got {
				ids = append(ids, r[1].(int32))
			}
			if len(ids) != len(tc.want) {
				t.Fatalf("limit %d offset %d per %d: got %v, want %v", tc.limit, tc.offset, per, ids, tc.want)
			}
			for i := range ids {
				if ids[i] != tc.want[i] {
					t.Fatalf("limit %d offset %d per %d: got %v, want %v", tc.limit, tc.offset, per, ids, tc.want)
				}
			}
		}
	}
}
