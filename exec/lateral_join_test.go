package exec

import (
	"testing"

	"github.com/pqdb/pqdb/catalog"
)

// TestLateralJoin runs the right side per left row with its key pushed as
// the outer row: inner and left joins, with and without a residual
// condition, memoized (once per distinct key, NULL included) or not (once
// per row), at batch sizes that split both the left rows and the output.
func TestLateralJoin(t *testing.T) {
	leftRows := [][]catalog.Datum{row(int64(1)), row(int64(2)), row(nil), row(int64(1)), row(int64(3)), row(int64(1))}
	rightRows := [][]catalog.Datum{row(int64(1), "a"), row(int64(1), "b"), row(int64(2), "c"), row(int64(4), "d")}
	types := []catalog.Type{tI8, catalog.TypeText}
	for _, c := range []struct {
		name    string
		kind    JoinKind
		pred    Expr
		memoize bool
		runs    int
		want    [][]catalog.Datum
	}{
		{"inner", JoinInner, nil, true, 4, [][]catalog.Datum{
			row(int64(1), int64(1), "a"), row(int64(1), int64(1), "a"), row(int64(1), int64(1), "a"),
			row(int64(1), int64(1), "b"), row(int64(1), int64(1), "b"), row(int64(1), int64(1), "b"),
			row(int64(2), int64(2), "c")}},
		{"left", JoinLeft, nil, false, 6, [][]catalog.Datum{
			row(int64(1), int64(1), "a"), row(int64(1), int64(1), "a"), row(int64(1), int64(1), "a"),
			row(int64(1), int64(1), "b"), row(int64(1), int64(1), "b"), row(int64(1), int64(1), "b"),
			row(int64(2), int64(2), "c"), row(int64(3), nil, nil), row(nil, nil, nil)}},
		{"left residual", JoinLeft, must(Binary(OpEq, ColumnRef(2, catalog.TypeText), Literal("b", catalog.TypeText))), true, 4, [][]catalog.Datum{
			row(int64(1), int64(1), "b"), row(int64(1), int64(1), "b"), row(int64(1), int64(1), "b"),
			row(int64(2), nil, nil), row(int64(3), nil, nil), row(nil, nil, nil)}},
	} {
		for _, batchRows := range []int{1, 2, 3, 100} {
			left := source([]catalog.Type{tI8}, leftRows)
			left.per = batchRows
			right := source(types, rightRows)
			key := must(Binary(OpEq, ColumnRef(0, tI8), OuterRef(0, 0, tI8)))
			op := NewLateralJoin(left, NewFilter(right, key), c.kind, []Expr{ColumnRef(0, tI8)}, c.pred, c.memoize)
			ctx := checkedCtx(t)
			ctx.BatchRows = batchRows
			got, err := Collect(ctx, op)
			if err != nil {
				t.Fatalf("%s/%d: %v", c.name, batchRows, err)
			}
			assertRows(t, sortRows(got), sortRows(c.want))
			if right.opened != c.runs || right.closed != c.runs {
				t.Errorf("%s/%d: right side opened %d and closed %d times, want %d", c.name, batchRows, right.opened, right.closed, c.runs)
			}
		}
	}
}
