package exec

import (
	"testing"

	"github.com/pqdb/pqdb/catalog"
)

// countingOp counts how often a plan is opened: once per run of a
// correlated subquery.
type countingOp struct {
	Operator
	opens int
}

func (c *countingOp) Open(ctx *Context) error {
	c.opens++
	return c.Operator.Open(ctx)
}

// TestMemoizedSubquery: a memoized correlated subquery runs once per
// distinct outer value (NULL included) and gives every row the result a
// fresh run would; without memoize it runs once per row.
func TestMemoizedSubquery(t *testing.T) {
	for _, memoize := range []bool{true, false} {
		outer := source([]catalog.Type{tInt}, [][]catalog.Datum{{int32(3)}, {int32(2)}, {int32(3)}, {nil}, {int32(2)}, {nil}, {int32(1)}})
		inner := source([]catalog.Type{tInt}, [][]catalog.Datum{{int32(2)}, {int32(3)}, {int32(3)}, {nil}})
		plan := &countingOp{Operator: NewHashAggregate(NewFilter(inner, must(Binary(OpEq, ColumnRef(0, tInt), OuterRef(0, 0, tInt)))), nil, []Aggregate{{Func: AggCountStar, Type: tI8}})}
		count := Subquery(SubqueryScalar, plan, nil, OpEq, []Expr{ColumnRef(0, tInt)}, tI8, memoize)
		got := collect(t, NewProject(outer, []Expr{ColumnRef(0, tInt), count}))
		assertRows(t, got, [][]catalog.Datum{
			{int32(3), int64(2)}, {int32(2), int64(1)}, {int32(3), int64(2)}, {nil, int64(0)},
			{int32(2), int64(1)}, {nil, int64(0)}, {int32(1), int64(0)},
		})
		want := 7
		if memoize {
			want = 4
		}
		if plan.opens != want {
			t.Errorf("memoize=%v: the subquery ran %d times, want %d", memoize, plan.opens, want)
		}
	}
}
