package exec

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// spillBatch is the batch size of the spill tests: inputs are sized
// around it.
const spillBatch = 50

// spillSizes straddle the batch boundaries, then take many batches.
var spillSizes = []int{0, 1, spillBatch - 1, spillBatch, spillBatch + 1, 3000}

var spillTypes = []catalog.Type{tInt, tText, tI8}

// spillRows generates n rows (key, text, sequence): keys with NULLs and
// duplicates, skewed so that one key has most rows when skew is set, and
// texts of varied lengths (some empty, some long).
func spillRows(n int, skew bool) [][]catalog.Datum {
	rows := make([][]catalog.Datum, n)
	x := uint32(12345)
	for i := range rows {
		x = x*1103515245 + 12345
		var key catalog.Datum = int32(x>>8) % 97
		switch {
		case x%23 == 0:
			key = nil
		case skew && x%10 < 8:
			key = int32(7)
		}
		var text catalog.Datum = strings.Repeat(string(rune('a'+x%26)), int(x>>4)%40)
		if x%31 == 0 {
			text = nil
		}
		rows[i] = []catalog.Datum{key, text, int64(i)}
	}
	return rows
}

// spillCtx is a checked context with the given work_mem whose temporary
// files go to a directory that must be empty again at the end.
func spillCtx(t *testing.T, workMem int64) *Context {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	ctx := NewContext(context.Background())
	ctx.Mem = mem
	ctx.BatchRows = spillBatch
	ctx.WorkMem = workMem
	ctx.TempDir = t.TempDir()
	t.Cleanup(func() {
		ctx.Release()
		mem.AssertSize(t, 0)
	})
	return ctx
}

// runSpilled runs op to its end and checks that its temporary files are
// gone afterwards.
func runSpilled(t *testing.T, ctx *Context, op Operator) [][]catalog.Datum {
	t.Helper()
	rows, err := Collect(ctx, op)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	if left, _ := os.ReadDir(ctx.TempDir); len(left) > 0 {
		t.Fatalf("%d temporary files left behind", len(left))
	}
	return rows
}

func spillSource(rows [][]catalog.Datum, sel bool) *rowsSource {
	s := source(spillTypes, rows)
	s.per, s.sel = spillBatch, sel
	return s
}

func TestExternalSortMatchesInMemory(t *testing.T) {
	keySets := map[string][]SortKey{
		"key":           {{Expr: ColumnRef(0, tInt)}},
		"key desc text": {{Expr: ColumnRef(0, tInt), Desc: true, NullsFirst: true}, {Expr: ColumnRef(1, tText)}},
		"text":          {{Expr: ColumnRef(1, tText), NullsFirst: true}},
	}
	for _, n := range spillSizes {
		for _, skew := range []bool{false, true} {
			for name, keys := range keySets {
				t.Run(fmt.Sprintf("%d/%v/%s", n, skew, name), func(t *testing.T) {
					rows := spillRows(n, skew)
					want := runSpilled(t, spillCtx(t, 0), NewSort(spillSource(rows, false), keys))
					op := NewSort(spillSource(rows, true), keys)
					got := runSpilled(t, spillCtx(t, 2<<10), op)
					if !reflect.DeepEqual(got, want) {
						t.Fatalf("external sort differs from the in-memory sort\n got: %v\nwant: %v", fmtRows(got[:min(len(got), 20)]), fmtRows(want[:min(len(want), 20)]))
					}
					r := op.(*sortOp).MemoryReport()
					if n == 3000 && (!r.Spilled || r.DiskBytes == 0) || n <= 1 && r.Spilled {
						t.Fatalf("%d rows: report %+v", n, r)
					}
				})
			}
		}
	}
}

func TestTempFileLimit(t *testing.T) {
	ctx := spillCtx(t, 2<<10)
	ctx.TempFileLimit = 4 << 10
	_, err := Collect(ctx, NewSort(spillSource(spillRows(3000, false), false), []SortKey{{Expr: ColumnRef(1, tText)}}))
	wantCode(t, err, pgerr.ConfigurationLimitExceeded)
	if err.Error() != "temporary file size exceeds temp_file_limit (4kB)" {
		t.Fatalf("message %q", err)
	}
	ctx.Release()
	if left, _ := os.ReadDir(ctx.TempDir); len(left) > 0 {
		t.Fatalf("%d temporary files left behind", len(left))
	}
}

func TestMemoryBudgetOutOfMemory(t *testing.T) {
	ctx := spillCtx(t, 0)
	ctx.Budget = NewMemoryBudget(16 << 10)
	rows := spillRows(3000, false)
	// A sort past the budget spills rather than fail.
	op := NewSort(spillSource(rows, false), []SortKey{{Expr: ColumnRef(1, tText)}})
	if _, err := Collect(ctx, op); err != nil {
		t.Fatalf("a sort spills rather than fail: %v", err)
	}
	if !op.(*sortOp).MemoryReport().Spilled {
		t.Fatal("the sort did not spill")
	}
	// A window materializes its input and cannot spill.
	_, err := Collect(ctx, NewWindow(spillSource(rows, false), nil, nil, []WindowExpr{{Func: WinRowNumber, Type: tI8}}))
	wantCode(t, err, pgerr.OutOfMemory)
	if e := pgerr.From(err); e.Message != "out of memory" || !strings.Contains(e.Detail, "16kB") {
		t.Fatalf("error %q detail %q", e.Message, e.Detail)
	}
	if ctx.Budget.Used() != 0 {
		t.Fatalf("budget still holds %d bytes", ctx.Budget.Used())
	}
	// What fits runs.
	if _, err := Collect(ctx, NewWindow(spillSource(rows[:10], false), nil, nil, []WindowExpr{{Func: WinRowNumber, Type: tI8}})); err != nil {
		t.Fatal(err)
	}
}

// spillAggs exercise every kind of aggregate state: fixed, DISTINCT,
// ORDER BY in the call, and ones that depend on input order.
func spillAggs() []Aggregate {
	key, text, seq := ColumnRef(0, tInt), ColumnRef(1, tText), ColumnRef(2, tI8)
	return []Aggregate{
		{Func: AggCountStar, Type: tI8},
		{Func: AggSum, Arg: seq, Type: catalog.UnconstrainedNumeric(0)},
		{Func: AggCount, Arg: text, Distinct: true, Type: tI8},
		{Func: AggMax, Arg: text, Type: tText},
		{Func: AggStringAgg, Arg: text, Arg2: Literal(",", tText), OrderBy: []SortKey{{Expr: seq, Desc: true}}, Type: tText},
		{Func: AggStringAgg, Arg: text, Arg2: Literal(";", tText), Type: tText},
		{Func: AggMin, Arg: key, Type: tInt},
	}
}

func TestGraceHashAggregateMatchesInMemory(t *testing.T) {
	groupings := map[string]func() []Expr{
		"key":      func() []Expr { return []Expr{ColumnRef(0, tInt)} },
		"key text": func() []Expr { return []Expr{ColumnRef(0, tInt), ColumnRef(1, tText)} },
		"seq":      func() []Expr { return []Expr{ColumnRef(2, tI8)} },
	}
	for _, n := range spillSizes {
		for _, skew := range []bool{false, true} {
			for name, groupBy := range groupings {
				t.Run(fmt.Sprintf("%d/%v/%s", n, skew, name), func(t *testing.T) {
					rows := spillRows(n, skew)
					want := runSpilled(t, spillCtx(t, 0), NewHashAggregate(spillSource(rows, false), groupBy(), spillAggs()))
					op := NewHashAggregate(spillSource(rows, true), groupBy(), spillAggs())
					got := runSpilled(t, spillCtx(t, 16<<10), op)
					if !reflect.DeepEqual(sortRows(got), sortRows(want)) {
						t.Fatalf("spilled aggregate differs\n got: %v\nwant: %v", fmtRows(got[:min(len(got), 10)]), fmtRows(want[:min(len(want), 10)]))
					}
					r := op.(*hashAggOp).MemoryReport()
					if n == 3000 && (!r.Spilled || r.Batches < 2) || n <= 1 && r.Spilled {
						t.Fatalf("%d rows: report %+v", n, r)
					}
				})
			}
		}
	}
}

func TestParallelAggregateFallsBackToSpilling(t *testing.T) {
	// Splittable aggregates only, as the parallel aggregate takes.
	aggs := func() []Aggregate {
		return []Aggregate{
			{Func: AggCountStar, Type: tI8},
			{Func: AggSum, Arg: ColumnRef(2, tI8), Type: catalog.UnconstrainedNumeric(0)},
			{Func: AggMax, Arg: ColumnRef(1, tText), Type: tText},
		}
	}
	groupBy := func() []Expr { return []Expr{ColumnRef(2, tI8)} }
	for _, n := range []int{0, 1, spillBatch + 1, 3000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			rows := spillRows(n, true)
			want := runSpilled(t, spillCtx(t, 0), NewHashAggregate(spillSource(rows, false), groupBy(), aggs()))
			var inputs []Operator
			var groupBys [][]Expr
			var aggLists [][]Aggregate
			for i := 0; i < 3; i++ {
				var part [][]catalog.Datum
				for j := i; j < len(rows); j += 3 {
					part = append(part, rows[j])
				}
				inputs = append(inputs, spillSource(part, i == 1))
				groupBys, aggLists = append(groupBys, groupBy()), append(aggLists, aggs())
			}
			op := NewParallelHashAggregate(inputs, groupBys, aggLists)
			got := runSpilled(t, spillCtx(t, 16<<10), op)
			if !reflect.DeepEqual(sortRows(got), sortRows(want)) {
				t.Fatalf("spilled parallel aggregate differs: %d rows, want %d", len(got), len(want))
			}
			if r := op.(*parallelHashAggOp).MemoryReport(); n == 3000 && (!r.Spilled || r.Batches < 2) {
				t.Fatalf("report %+v", r)
			}
			for _, in := range inputs {
				if s := in.(*rowsSource); s.opened != s.closed {
					t.Fatalf("input opened %d times, closed %d", s.opened, s.closed)
				}
			}
		})
	}
}

func TestGraceHashJoinMatchesInMemory(t *testing.T) {
	keys := []Expr{ColumnRef(0, tInt)}
	// A residual that keeps some pairs: the sequence numbers' sum is even.
	residual := func() Expr {
		return must(Binary(OpEq, must(Binary(OpMod, must(Binary(OpAdd, ColumnRef(2, tI8), ColumnRef(5, tI8))), Literal(int64(2), tI8))), Literal(int64(0), tI8)))
	}
	kinds := map[string]JoinKind{"inner": JoinInner, "left": JoinLeft, "full": JoinFull, "semi": JoinSemi, "anti": JoinAnti, "not in": JoinAntiNullAware, "not in null": JoinAntiNullAware}
	sizes := [][2]int{{0, 0}, {1, 1}, {spillBatch - 1, spillBatch}, {spillBatch + 1, spillBatch + 1}, {300, 0}, {0, 300}, {300, 300}, {1000, 400}}
	for _, sz := range sizes {
		for _, skew := range []bool{false, true} {
			for name, kind := range kinds {
				for _, withResidual := range []bool{false, true} {
					t.Run(fmt.Sprintf("%dx%d/%v/%s/%v", sz[0], sz[1], skew, name, withResidual), func(t *testing.T) {
						left, right := spillRows(sz[0], skew), spillRows(sz[1], skew)
						// Shift the right keys so that some keys match
						// nothing on either side.
						for _, r := range right {
							if k, ok := r[0].(int32); ok {
								r[0] = k + 10
							}
						}
						if name == "not in" {
							// NOT IN over a right side without NULLs says
							// more than over one with.
							right = nonNullKeys(right)
						}
						var res Expr
						if withResidual {
							if kind == JoinAntiNullAware {
								return
							}
							res = residual()
						}
						join := func(sel bool) Operator {
							return NewHashJoin(spillSource(left, sel), spillSource(right, false), keys, keys, kind, res, false)
						}
						want := runSpilled(t, spillCtx(t, 0), join(false))
						op := join(true)
						got := runSpilled(t, spillCtx(t, 4<<10), op)
						if !reflect.DeepEqual(sortRows(got), sortRows(want)) {
							t.Fatalf("grace join differs: %d rows, want %d\n got: %v\nwant: %v", len(got), len(want), fmtRows(sortRows(got)[:min(len(got), 8)]), fmtRows(sortRows(want)[:min(len(want), 8)]))
						}
						r := op.(*hashJoinOp).MemoryReport()
						if sz[1] >= 300 && (!r.Spilled || r.Batches < spillPartitions) || sz[1] <= 1 && r.Spilled {
							t.Fatalf("report %+v", r)
						}
					})
				}
			}
		}
	}
}

func nonNullKeys(rows [][]catalog.Datum) [][]catalog.Datum {
	var out [][]catalog.Datum
	for _, r := range rows {
		if r[0] != nil {
			out = append(out, r)
		}
	}
	return out
}

// cancelAfter cancels its statement once it has emitted n batches.
type cancelAfter struct {
	Operator
	n      int
	cancel context.CancelFunc
}

func (c *cancelAfter) Next() (*Batch, error) {
	if c.n--; c.n == 0 {
		c.cancel()
	}
	return c.Operator.Next()
}

func TestSpillFilesRemovedOnCancel(t *testing.T) {
	rows := spillRows(3000, true)
	ops := map[string]func(in Operator) Operator{
		"sort": func(in Operator) Operator { return NewSort(in, []SortKey{{Expr: ColumnRef(1, tText)}}) },
		"aggregate": func(in Operator) Operator {
			return NewHashAggregate(in, []Expr{ColumnRef(2, tI8)}, spillAggs())
		},
		"join": func(in Operator) Operator {
			k := []Expr{ColumnRef(0, tInt)}
			return NewHashJoin(spillSource(rows, false), in, k, k, JoinFull, nil, false)
		},
	}
	for name, op := range ops {
		t.Run(name, func(t *testing.T) {
			ctx := spillCtx(t, 4<<10)
			c, cancel := context.WithCancel(context.Background())
			ctx.Ctx = c
			_, err := Collect(ctx, op(&cancelAfter{Operator: spillSource(rows, false), n: 40, cancel: cancel}))
			if err != context.Canceled {
				t.Fatalf("want the cancellation, got %v", err)
			}
			if left, _ := os.ReadDir(ctx.TempDir); len(left) > 0 {
				t.Fatalf("%d temporary files left behind", len(left))
			}
			if ctx.res == nil || ctx.res.tempFiles.Load() == 0 {
				t.Fatal("nothing spilled before the cancellation")
			}
		})
	}
}

// TestSharedBuildHashMemPerProber: a shared join build may hold the
// hash_mem of every pipeline that probes it, as a PostgreSQL parallel
// hash join may, and no more: a build of 1.5 times hash_mem is made for
// two probers and refused (the serial plan then spills) for one.
func TestSharedBuildHashMemPerProber(t *testing.T) {
	rows := spillRows(3000, false)
	keys := []Expr{ColumnRef(0, tInt)}
	size := func() int64 {
		ctx := spillCtx(t, 0)
		s := NewSharedJoinBuild(spillSource(rows, false), nil, 1)
		s.rightKeys = keys
		s.acquire()
		defer s.release()
		if _, err := s.get(ctx); err != nil {
			t.Fatal(err)
		}
		return s.builder.charge.held
	}()
	for _, probers := range []int{1, 2} {
		ctx := spillCtx(t, size*2/3)
		ctx.HashMemMultiplier = 1
		s := NewSharedJoinBuild(spillSource(rows, false), nil, probers)
		s.rightKeys = keys
		s.acquire()
		_, err := s.get(ctx)
		s.release()
		if want := probers == 1; (err == errPipelinesTooLarge) != want {
			t.Errorf("a build of %d bytes under work_mem %d for %d probers: %v", size, ctx.WorkMem, probers, err)
		}
	}
}
