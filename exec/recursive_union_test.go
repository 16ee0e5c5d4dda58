package exec

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"testing"

	"github.com/pqdb/pqdb/catalog"
)

// The batch sizes the recursive union tests run at: a boundary after
// every row, every few rows, and none.
var recursiveBatchRows = []int{1, 2, 3, 7, 64, DefaultBatchRows}

// recCountingOp counts the batches its input hands out over all runs.
type recCountingOp struct {
	Operator
	batches, opens int
}

func (c *recCountingOp) Open(ctx *Context) error {
	c.opens++
	return c.Operator.Open(ctx)
}

func (c *recCountingOp) Next() (*Batch, error) {
	b, err := c.Operator.Next()
	if b != nil {
		c.batches++
	}
	return b, err
}

func intRows(vals ...int32) [][]catalog.Datum {
	rows := make([][]catalog.Datum, len(vals))
	for i, v := range vals {
		rows[i] = []catalog.Datum{v}
	}
	return rows
}

func batchedCtx(t *testing.T, rows int) *Context {
	ctx := checkedCtx(t)
	ctx.BatchRows = rows
	return ctx
}

// TestRecursiveUnionSeries: WITH RECURSIVE t(n) AS (VALUES 1..10 UNION
// ALL SELECT n+10 FROM t WHERE n <= 90): every row once, iteration by
// iteration in order, at every batch size, with the non-recursive term's
// batches behind selection vectors.
func TestRecursiveUnionSeries(t *testing.T) {
	for _, rows := range recursiveBatchRows {
		for _, per := range []int{1, 3, 20} {
			t.Run(fmt.Sprintf("batch%d/per%d", rows, per), func(t *testing.T) {
				var first []int32
				for i := int32(1); i <= 10; i++ {
					first = append(first, i)
				}
				src := source([]catalog.Type{tInt}, intRows(first...))
				src.sel, src.per = true, per
				wt := NewWorkTable([]catalog.Type{tInt})
				scan := &recCountingOp{Operator: NewWorkTableScan(wt)}
				rec := NewProject(NewFilter(scan, must(Binary(OpLe, ColumnRef(0, tInt), Literal(int32(90), tInt)))),
					[]Expr{must(Binary(OpAdd, ColumnRef(0, tInt), Literal(int32(10), tInt)))})
				op := NewRecursiveUnion(src, rec, wt, true)
				got, err := Collect(batchedCtx(t, rows), op)
				if err != nil {
					t.Fatal(err)
				}
				var want [][]catalog.Datum
				for i := int32(1); i <= 100; i++ {
					want = append(want, []catalog.Datum{i})
				}
				assertRows(t, got, want)
				// Iterations over 1..10, 11..20, ..., 91..100, then the
				// empty one that ends the recursion is never run.
				if scan.opens != 10 {
					t.Fatalf("recursive term opened %d times, want 10", scan.opens)
				}
				// Rows that came one per batch are read back from the
				// working table in batches of up to the batch size.
				if min := (10 + rows - 1) / rows; per == 1 && scan.batches != 10*min {
					t.Fatalf("working table read in %d batches, want %d", scan.batches, 10*min)
				}
			})
		}
	}
}

// reachable is the set of nodes reachable from start over edges.
func reachable(edges [][2]int32, start int32) []int32 {
	seen := map[int32]bool{start: true}
	queue := []int32{start}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		for _, e := range edges {
			if e[0] == n && !seen[e[1]] {
				seen[e[1]] = true
				queue = append(queue, e[1])
			}
		}
	}
	var out []int32
	for n := range seen {
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// TestRecursiveUnionGraphReachability: UNION over a cyclic graph ends,
// yielding each reachable node once; the hash join's build side (the
// edges, which do not read the working table) is read once for all
// iterations when it is kept, once per iteration otherwise.
func TestRecursiveUnionGraphReachability(t *testing.T) {
	var edges [][2]int32
	for i := int32(0); i < 40; i++ {
		edges = append(edges, [2]int32{i, (i + 1) % 40}, [2]int32{i, (i * 7) % 40})
	}
	edges = append(edges, [2]int32{100, 101}) // unreachable
	var edgeRows [][]catalog.Datum
	for _, e := range edges {
		edgeRows = append(edgeRows, []catalog.Datum{e[0], e[1]})
	}
	var want [][]catalog.Datum
	for _, n := range reachable(edges, 3) {
		want = append(want, []catalog.Datum{n})
	}
	for _, rows := range recursiveBatchRows {
		for _, keep := range []bool{false, true} {
			t.Run(fmt.Sprintf("batch%d/keep%v", rows, keep), func(t *testing.T) {
				wt := NewWorkTable([]catalog.Type{tInt})
				edgeSrc := source([]catalog.Type{tInt, tInt}, edgeRows)
				edgeSrc.per = 5
				build := &recCountingOp{Operator: edgeSrc}
				join := NewHashJoin(NewWorkTableScan(wt), build, []Expr{ColumnRef(0, tInt)}, []Expr{ColumnRef(0, tInt)}, JoinInner, nil, keep)
				rec := NewProject(join, []Expr{ColumnRef(2, tInt)})
				op := NewRecursiveUnion(NewValues([][]Expr{{Literal(int32(3), tInt)}}, []catalog.Type{tInt}), rec, wt, false)
				got, err := Collect(batchedCtx(t, rows), op)
				if err != nil {
					t.Fatal(err)
				}
				assertRows(t, sortRows(got), sortRows(want))
				perRun := (len(edges) + 4) / 5
				if keep && build.batches != perRun {
					t.Fatalf("kept build read %d batches, want %d (once)", build.batches, perRun)
				}
				if !keep && build.batches <= perRun {
					t.Fatalf("build read %d batches, want one build per iteration", build.batches)
				}
			})
		}
	}
}

// TestRecursiveUnionDistinct: UNION drops rows equal (NULLs equal) to any
// produced before, within the non-recursive term, within one iteration
// and across iterations; UNION ALL keeps them.
func TestRecursiveUnionDistinct(t *testing.T) {
	types := []catalog.Type{tInt, tText}
	first := [][]catalog.Datum{{int32(1), nil}, {int32(1), nil}, {nil, "a"}, {int32(2), "b"}, {nil, "a"}}
	for _, rows := range recursiveBatchRows {
		for _, all := range []bool{false, true} {
			t.Run(fmt.Sprintf("batch%d/all%v", rows, all), func(t *testing.T) {
				src := source(types, first)
				src.per = 2
				wt := NewWorkTable(types)
				// SELECT CASE WHEN n IS NULL THEN 1 ELSE n END, s FROM t
				// WHERE n IS NULL OR n < 3: (NULL,a) becomes (1,a),
				// which is new once, and (1,NULL) is produced again.
				n := ColumnRef(0, tInt)
				pred := Or(IsNull(n), must(Binary(OpLt, n, Literal(int32(3), tInt))))
				rec := NewProject(NewFilter(NewWorkTableScan(wt), pred), []Expr{
					Coalesce([]Expr{n, Literal(int32(1), tInt)}, tInt), ColumnRef(1, tText)})
				op := NewRecursiveUnion(src, rec, wt, all)
				if all {
					op = NewLimit(op, 40, 0)
				}
				got, err := Collect(batchedCtx(t, rows), op)
				if err != nil {
					t.Fatal(err)
				}
				if all {
					if len(got) != 40 {
						t.Fatalf("UNION ALL gave %d rows under LIMIT 40", len(got))
					}
					assertRows(t, got[:5], first)
					return
				}
				want := [][]catalog.Datum{{int32(1), nil}, {nil, "a"}, {int32(2), "b"}, {int32(1), "a"}}
				assertRows(t, got, want)
			})
		}
	}
}

// TestRecursiveUnionLimitStopsEndlessRecursion: the output streams, so a
// LIMIT over WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM
// t) ends; and the union can be re-opened (a correlated subquery) and
// closed early without leaking.
func TestRecursiveUnionLimitStopsEndlessRecursion(t *testing.T) {
	for _, rows := range recursiveBatchRows {
		t.Run(fmt.Sprint(rows), func(t *testing.T) {
			ctx := batchedCtx(t, rows)
			wt := NewWorkTable([]catalog.Type{tInt})
			rec := NewProject(NewWorkTableScan(wt), []Expr{must(Binary(OpAdd, ColumnRef(0, tInt), Literal(int32(1), tInt)))})
			op := NewLimit(NewRecursiveUnion(NewValues([][]Expr{{Literal(int32(1), tInt)}}, []catalog.Type{tInt}), rec, wt, true), 25, 5)
			for run := 0; run < 2; run++ {
				got, err := Collect(ctx, op)
				if err != nil {
					t.Fatal(err)
				}
				var want [][]catalog.Datum
				for i := int32(6); i <= 30; i++ {
					want = append(want, []catalog.Datum{i})
				}
				assertRows(t, got, want)
			}
		})
	}
}

// TestRecursiveUnionCancel: an endless recursion stops with the
// statement's context error once it is cancelled, UNION or UNION ALL.
func TestRecursiveUnionCancel(t *testing.T) {
	for _, all := range []bool{false, true} {
		t.Run(fmt.Sprint(all), func(t *testing.T) {
			ctx := batchedCtx(t, 4)
			c, cancel := context.WithCancel(context.Background())
			ctx.Ctx = c
			wt := NewWorkTable([]catalog.Type{tInt})
			rec := NewProject(NewWorkTableScan(wt), []Expr{must(Binary(OpAdd, ColumnRef(0, tInt), Literal(int32(1), tInt)))})
			op := NewRecursiveUnion(NewValues([][]Expr{{Literal(int32(1), tInt)}}, []catalog.Type{tInt}), rec, wt, all)
			n := 0
			err := Drain(ctx, op, func(b *Batch) error {
				if n += b.NumRows(); n >= 1000 {
					cancel()
				}
				return nil
			})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("got %v after %d rows, want context.Canceled", err, n)
			}
		})
	}
}

// TestCoalesceBatches: small batches merge into batches of up to the
// batch size; a full one is kept as is.
func TestCoalesceBatches(t *testing.T) {
	ctx := batchedCtx(t, 4)
	types := []catalog.Type{tInt, tText}
	var in []*Batch
	var want [][]catalog.Datum
	for i, n := range []int{1, 1, 2, 4, 3, 1, 1, 1} {
		vals := make([][]catalog.Datum, n)
		for r := range vals {
			vals[r] = []catalog.Datum{int32(i*10 + r), fmt.Sprint(i)}
			want = append(want, vals[r])
		}
		src := source(types, vals)
		src.per = n
		src.sel = i%2 == 0
		if err := src.Open(ctx); err != nil {
			t.Fatal(err)
		}
		b, err := src.Next()
		if err != nil {
			t.Fatal(err)
		}
		in = append(in, compactTyped(ctx.Mem, types, b))
		src.Close()
	}
	out, err := coalesceBatches(ctx, types, in)
	if err != nil {
		t.Fatal(err)
	}
	var sizes []int
	var got [][]catalog.Datum
	for _, b := range out {
		sizes = append(sizes, b.Len)
		for r := 0; r < b.Len; r++ {
			got = append(got, []catalog.Datum{datumAt(b.Cols[0], tInt, r), datumAt(b.Cols[1], tText, r)})
		}
		b.Release()
	}
	assertRows(t, got, want)
	if fmt.Sprint(sizes) != "[4 4 4 2]" {
		t.Fatalf("batch sizes %v, want [4 4 4 2]", sizes)
	}
}

// TestCTEShared: the readers of a CTE run its plan once between them,
// whatever order they read in; one reader alone streams it; a reader that
// closes early with the plan unfinished drops it, and re-opening after the
// plan finished reads the kept rows without running it again.
func TestCTEShared(t *testing.T) {
	vals := make([]int32, 20)
	for i := range vals {
		vals[i] = int32(i)
	}
	for _, per := range []int{1, 3, 50} {
		t.Run(fmt.Sprint(per), func(t *testing.T) {
			ctx := checkedCtx(t)
			src := source([]catalog.Type{tInt}, intRows(vals...))
			src.per, src.sel = per, true
			plan := &recCountingOp{Operator: src}
			c := NewCTE(plan)
			a, b := NewCTEScan(c, false), NewCTEScan(c, false)
			// A cross join reads b to its end, then a; both see every row.
			got, err := Collect(ctx, NewNestedLoopJoin(a, b, JoinInner, nil))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 400 || plan.opens != 1 {
				t.Fatalf("%d rows, plan opened %d times", len(got), plan.opens)
			}
			// An early stop of every reader drops the unfinished run.
			c2src := source([]catalog.Type{tInt}, intRows(vals...))
			c2src.per = per
			plan2 := &recCountingOp{Operator: c2src}
			c2 := NewCTE(plan2)
			r1, r2 := NewCTEScan(c2, true), NewCTEScan(c2, true)
			got, err = Collect(ctx, NewLimit(NewUnion([]Operator{r1, r2}, true), 5, 0))
			if err != nil || len(got) != 5 {
				t.Fatal(err, got)
			}
			if c2.running || len(c2.rows) != 0 {
				t.Fatalf("unfinished CTE kept after its readers closed")
			}
			// Read to the end twice: the second run reads kept rows.
			for i := 0; i < 2; i++ {
				got, err = Collect(ctx, r1)
				if err != nil {
					t.Fatal(err)
				}
				assertRows(t, got, intRows(vals...))
			}
			if plan2.opens != 2 {
				t.Fatalf("plan opened %d times, want 2 (the dropped run and a full one)", plan2.opens)
			}
			// One reader not re-opened streams the plan.
			src3 := source([]catalog.Type{tInt}, intRows(vals...))
			src3.per = per
			c3 := NewCTE(src3)
			one := NewCTEScan(c3, false)
			got, err = Collect(ctx, one)
			if err != nil {
				t.Fatal(err)
			}
			assertRows(t, got, intRows(vals...))
			if len(c3.rows) != 0 {
				t.Fatalf("a streamed CTE kept %d batches", len(c3.rows))
			}
		})
	}
}
