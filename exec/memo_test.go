package exec

import (
	"testing"

	"github.com/pqdb/pqdb/catalog"
)

// countingOp counts how often a plan is opened (once per run of a
// correlated subquery) and how often it is read to its end.
type countingOp struct {
	Operator
	opens, drained int
}

func (c *countingOp) Open(ctx *Context) error {
	c.opens++
	return c.Operator.Open(ctx)
}

func (c *countingOp) Next() (*Batch, error) {
	b, err := c.Operator.Next()
	if b == nil && err == nil {
		c.drained++
	}
	return b, err
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

// TestSubqueryHashJoinKeepsBuild: a hash join re-opened for every outer
// row reads its build side once per statement when told the build reads
// no outer value, and gives the same answers as building every time.
func TestSubqueryHashJoinKeepsBuild(t *testing.T) {
	for _, keep := range []bool{true, false} {
		outer := source([]catalog.Type{tInt}, [][]catalog.Datum{{int32(1)}, {int32(2)}, {int32(3)}, {int32(1)}, {nil}})
		probe := source([]catalog.Type{tInt}, [][]catalog.Datum{{int32(1)}, {int32(2)}, {int32(2)}, {int32(3)}, {nil}})
		build := &countingOp{Operator: source([]catalog.Type{tInt}, [][]catalog.Datum{{int32(2)}, {int32(2)}, {int32(3)}, {nil}})}
		key := []Expr{ColumnRef(0, tInt)}
		join := NewHashJoin(NewFilter(probe, must(Binary(OpLe, ColumnRef(0, tInt), OuterRef(0, 0, tInt)))), build, key, key, JoinInner, nil, keep)
		count := Subquery(SubqueryScalar, NewHashAggregate(join, nil, []Aggregate{{Func: AggCountStar, Type: tI8}}), nil, OpEq, []Expr{ColumnRef(0, tInt)}, tI8, false)
		got := collect(t, NewProject(outer, []Expr{ColumnRef(0, tInt), count}))
		assertRows(t, got, [][]catalog.Datum{
			{int32(1), int64(0)}, {int32(2), int64(4)}, {int32(3), int64(5)}, {int32(1), int64(0)}, {nil, int64(0)},
		})
		want := 5
		if keep {
			want = 1
		}
		if build.drained != want {
			t.Errorf("keepBuild=%v: the build side was read %d times, want %d", keep, build.drained, want)
		}
	}
}
