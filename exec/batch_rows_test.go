package exec

import (
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/catalog"
)

// batchSizesToTest put a batch boundary after every row, every few rows,
// every 1023 rows, and around the default of 65536.
var batchSizesToTest = []int{1, 2, 3, 1023, 65536, 65537}

// rowsFor is how many rows a test at batch size b uses: enough for
// several batches, and past 65537 for the large sizes.
func rowsFor(b int) int64 {
	if b > 1023 {
		return 70000
	}
	return int64(3*b + 2000)
}

// drainBounded drains op under ctx, failing the test if a batch holds
// more than ctx.MaxBatchRows() rows or none, and returns the rows.
func drainBounded(t *testing.T, ctx *Context, op Operator) [][]catalog.Datum {
	t.Helper()
	types := op.Types()
	var rows [][]catalog.Datum
	err := Drain(ctx, op, func(b *Batch) error {
		if b.Len > ctx.MaxBatchRows() || b.NumRows() == 0 {
			return fmt.Errorf("batch of %d rows (%d active) at batch size %d", b.Len, b.NumRows(), ctx.MaxBatchRows())
		}
		rows = appendRows(rows, types, b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func series(n int64) Operator {
	return NewSeries(Literal(int64(1), tI8), Literal(n, tI8), Literal(int64(1), tI8))
}

// withStrings projects x and a string of x%97 'x's (empty for
// multiples of 97) after a prefix that says whether x%3 is zero.
func withStrings(in Operator) Operator {
	x := ColumnRef(0, tI8)
	mod := func(m int64) Expr { return must(Binary(OpMod, x, Literal(m, tI8))) }
	s := Case([]When{{Cond: must(Binary(OpEq, mod(3), Literal(int64(0), tI8))), Then: Literal("three ", tText)}}, Literal("other ", tText), tText)
	rep := must(Func("repeat", []Expr{Literal("x", tText), must(Cast(mod(97), tInt))}))
	return NewProject(in, []Expr{x, must(Func("concat", []Expr{s, rep}))})
}

// TestOperatorsHonourBatchRows runs each operator that sizes its own
// output at every batch size: no batch exceeds the size, and the answer
// is the one arithmetic predicts.
func TestOperatorsHonourBatchRows(t *testing.T) {
	for _, b := range batchSizesToTest {
		n := rowsFor(b)
		t.Run(fmt.Sprint(b), func(t *testing.T) {
			ctx := checkedCtx(t)
			ctx.BatchRows = b
			x := ColumnRef(0, tI8)

			// Series, and a scan slicing one record of n rows.
			rows := drainBounded(t, ctx, series(n))
			if int64(len(rows)) != n || rows[n-1][0] != n {
				t.Fatalf("series: %d rows", len(rows))
			}
			bld := array.NewInt64Builder(ctx.Mem)
			for i := int64(1); i <= n; i++ {
				bld.Append(i)
			}
			col := bld.NewArray()
			bld.Release()
			rec := array.NewRecord(arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Int64}}, nil), []arrow.Array{col}, n)
			col.Release()
			scan := NewScan([]catalog.Type{tI8}, func(*Context) (RecordSource, error) { return &recordSource{recs: []arrow.Record{rec}}, nil })
			if rows := drainBounded(t, ctx, scan); int64(len(rows)) != n || rows[n-1][0] != n {
				t.Fatalf("scan: %d rows", len(rows))
			}

			// Sort, descending.
			rows = drainBounded(t, ctx, NewSort(series(n), []SortKey{{Expr: x, Desc: true}}))
			for i, r := range rows {
				if r[0] != n-int64(i) {
					t.Fatalf("sort: row %d is %v", i, r[0])
				}
			}

			// Grouping into up to 5000 groups, emitted in batches.
			groups := min(n, 5000)
			agg := NewHashAggregate(series(n), []Expr{must(Binary(OpMod, x, Literal(groups, tI8)))},
				[]Aggregate{{Func: AggCountStar, Type: tI8}, {Func: AggSum, Arg: x, Type: catalog.UnconstrainedNumeric(0)}})
			rows = drainBounded(t, ctx, agg)
			count := int64(0)
			for _, r := range rows {
				count += r[1].(int64)
			}
			if int64(len(rows)) != groups || count != n {
				t.Fatalf("aggregate: %d groups, %d rows", len(rows), count)
			}

			// Joins of x with x whose residuals read strings gathered
			// across batches of pairs: inner, left (each left row once,
			// matched or not), and a nested loop over a small right side.
			notThree := must(Binary(OpNotLike, ColumnRef(3, tText), Literal("three%", tText)))
			key := []Expr{x}
			inner := NewHashJoin(withStrings(series(n)), withStrings(series(n)), key, key, JoinInner, notThree, false)
			want := n - n/3
			if rows := drainBounded(t, ctx, inner); int64(len(rows)) != want {
				t.Fatalf("inner join: %d rows, want %d", len(rows), want)
			}
			left := NewHashJoin(withStrings(series(n)), withStrings(series(n)), key, key, JoinLeft, notThree, false)
			rows = drainBounded(t, ctx, left)
			matched := int64(0)
			for _, r := range rows {
				if r[2] != nil {
					matched++
					if r[1] != r[3] || r[0] != r[2] {
						t.Fatalf("left join: row %v", r)
					}
				}
			}
			if int64(len(rows)) != n || matched != want {
				t.Fatalf("left join: %d rows, %d matched, want %d and %d", len(rows), matched, n, want)
			}
			nl := NewNestedLoopJoin(withStrings(series(n)), withStrings(series(7)), JoinLeft,
				And(must(Binary(OpEq, x, ColumnRef(2, tI8))), notThree))
			rows = drainBounded(t, ctx, nl)
			if int64(len(rows)) != n {
				t.Fatalf("nested loop left join: %d rows", len(rows))
			}

			// Values, which builds its rows one by one: a smaller input.
			var vrows [][]Expr
			for i := range min(n, 3000) {
				vrows = append(vrows, []Expr{Literal(i, tI8)})
			}
			if rows := drainBounded(t, ctx, NewValues(vrows, []catalog.Type{tI8})); len(rows) != len(vrows) {
				t.Fatalf("values: %d rows", len(rows))
			}
		})
	}
}

// TestParallelAggregateHonoursBatchRows: pipelines run with the
// statement's batch size, and the merged groups are emitted in batches of
// it.
func TestParallelAggregateHonoursBatchRows(t *testing.T) {
	for _, b := range []int{1, 3, 1023, 65536} {
		ctx := checkedCtx(t)
		ctx.BatchRows = b
		const parts, n = 3, 4000
		inputs := make([]Operator, parts)
		groupBy := make([][]Expr, parts)
		aggs := make([][]Aggregate, parts)
		for i := range inputs {
			lo := int64(i*n + 1)
			inputs[i] = NewSeries(Literal(lo, tI8), Literal(lo+n-1, tI8), Literal(int64(1), tI8))
			groupBy[i] = []Expr{must(Binary(OpMod, ColumnRef(0, tI8), Literal(int64(2500), tI8)))}
			aggs[i] = []Aggregate{{Func: AggCountStar, Type: tI8}}
		}
		rows := drainBounded(t, ctx, NewParallelHashAggregate(inputs, groupBy, aggs))
		count := int64(0)
		for _, r := range rows {
			count += r[1].(int64)
		}
		if len(rows) != 2500 || count != parts*n {
			t.Fatalf("batch size %d: %d groups, %d rows", b, len(rows), count)
		}
	}
}
