package exec

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

var parallelAggTypes = []catalog.Type{catalog.BpcharType(1), tInt, catalog.NumericType(12, 2), catalog.TypeFloat8, catalog.TypeBool, tText}

func parallelAggRows(n int) [][]catalog.Datum {
	rows := make([][]catalog.Datum, n)
	for i := range rows {
		var num catalog.Datum = dec(fmt.Sprintf("%d.%02d", i%97, i%100), 2)
		var flag catalog.Datum = string("ANR"[i%3])
		if i%11 == 0 {
			num, flag = nil, nil
		}
		rows[i] = []catalog.Datum{flag, int32(i % 7), num, float64(i%5) / 4, i%4 != 0, fmt.Sprint("v", i%13)}
	}
	return rows
}

// parallelAggSpec lowers the same grouping and aggregates afresh, as the
// planner does once per pipeline.
func parallelAggSpec(grouped bool) ([]Expr, []Aggregate) {
	var groupBy []Expr
	if grouped {
		groupBy = []Expr{ColumnRef(0, parallelAggTypes[0]), ColumnRef(1, tInt)}
	}
	num := ColumnRef(2, parallelAggTypes[2])
	return groupBy, []Aggregate{
		{Func: AggCountStar, Type: tI8},
		{Func: AggCount, Arg: num, Type: tI8},
		{Func: AggSum, Arg: num, Type: catalog.UnconstrainedNumeric(2)},
		{Func: AggAvg, Arg: num, Type: catalog.UnconstrainedNumeric(6)},
		{Func: AggSum, Arg: ColumnRef(1, tInt), Type: tI8},
		{Func: AggMin, Arg: num, Type: parallelAggTypes[2]},
		{Func: AggMax, Arg: ColumnRef(5, tText), Type: tText},
		{Func: AggMin, Arg: ColumnRef(5, tText), Type: tText},
		{Func: AggSum, Arg: ColumnRef(3, catalog.TypeFloat8), Type: catalog.TypeFloat8},
		{Func: AggBoolAnd, Arg: ColumnRef(4, catalog.TypeBool), Type: catalog.TypeBool},
		{Func: AggBoolOr, Arg: ColumnRef(4, catalog.TypeBool), Type: catalog.TypeBool},
	}
}

// splitSources deals rows round robin over n sources of varied batch sizes.
func splitSources(rows [][]catalog.Datum, n int) []Operator {
	parts := make([][][]catalog.Datum, n)
	for i, r := range rows {
		parts[i%n] = append(parts[i%n], r)
	}
	out := make([]Operator, n)
	for i, p := range parts {
		s := source(parallelAggTypes, p)
		s.per, s.sel = 5+i*7, i%2 == 1
		out[i] = s
	}
	return out
}

func parallelAgg(inputs []Operator, grouped bool) Operator {
	groupBy := make([][]Expr, len(inputs))
	aggs := make([][]Aggregate, len(inputs))
	for i := range inputs {
		groupBy[i], aggs[i] = parallelAggSpec(grouped)
	}
	return NewParallelHashAggregate(inputs, groupBy, aggs)
}

func TestParallelHashAggregateMatchesSerial(t *testing.T) {
	rows := parallelAggRows(1000)
	for _, grouped := range []bool{true, false} {
		groupBy, aggs := parallelAggSpec(grouped)
		want := sortRows(collect(t, NewHashAggregate(source(parallelAggTypes, rows), groupBy, aggs)))
		if grouped && len(want) != 4*7 {
			t.Fatalf("serial aggregate has %d groups", len(want))
		}
		for _, n := range []int{1, 2, 3, 8} {
			inputs := splitSources(rows, n)
			got := sortRows(collect(t, parallelAgg(inputs, grouped)))
			assertRows(t, got, want)
			for i, in := range inputs {
				if s := in.(*rowsSource); s.opened != 1 || s.closed != 1 {
					t.Errorf("input %d opened %d and closed %d times", i, s.opened, s.closed)
				}
			}
		}
	}
}

func TestParallelHashAggregateEmptyInputs(t *testing.T) {
	inputs := []Operator{source(parallelAggTypes, nil), source(parallelAggTypes, nil)}
	got := collect(t, parallelAgg(inputs, false))
	if len(got) != 1 || got[0][0] != int64(0) || got[0][2] != nil {
		t.Fatalf("ungrouped aggregate of no rows: %v", fmtRows(got))
	}
	inputs = []Operator{source(parallelAggTypes, nil), source(parallelAggTypes, nil)}
	assertRows(t, collect(t, parallelAgg(inputs, true)), nil)
}

// failingSource returns its error on the first Next.
type failingSource struct {
	rowsSource
	err error
}

func (f *failingSource) Next() (*Batch, error) { return nil, f.err }

// endlessSource repeats one batch until its context is cancelled.
type endlessSource struct {
	rowsSource
}

func (e *endlessSource) Next() (*Batch, error) {
	if err := e.ctx.Ctx.Err(); err != nil {
		return nil, err
	}
	if e.pos >= len(e.rows) {
		e.pos = 0
	}
	return e.rowsSource.Next()
}

func TestParallelHashAggregateErrorStopsPipelines(t *testing.T) {
	checkErrorStopsPipelines(t, func(inputs []Operator) Operator { return parallelAgg(inputs, true) })
}

// checkErrorStopsPipelines runs the operator that combine makes of two
// pipelines, one endless and one failing: the failure must end the run
// with its error, close the endless one once, and leave no goroutine.
func checkErrorStopsPipelines(t *testing.T, combine func(inputs []Operator) Operator) {
	t.Helper()
	before := runtime.NumGoroutine()
	boom := pgerr.New(pgerr.DivisionByZero, "division by zero")
	endless := &endlessSource{rowsSource: *source(parallelAggTypes, parallelAggRows(10))}
	op := combine([]Operator{endless, &failingSource{rowsSource: *source(parallelAggTypes, nil), err: boom}})
	_, err := Collect(checkedCtx(t), op)
	if !errors.Is(err, boom) {
		t.Fatalf("got %v, want the failing pipeline's error", err)
	}
	if endless.closed != 1 {
		t.Errorf("endless input closed %d times", endless.closed)
	}
	waitGoroutines(t, before)
}

func TestParallelHashAggregateCancel(t *testing.T) {
	checkCancelStopsPipelines(t, func(inputs []Operator) Operator { return parallelAgg(inputs, true) })
}

// checkCancelStopsPipelines runs the operator that combine makes of two
// endless pipelines and cancels the statement: the run must end with
// context.Canceled and leave no goroutine.
func checkCancelStopsPipelines(t *testing.T, combine func(inputs []Operator) Operator) {
	t.Helper()
	before := runtime.NumGoroutine()
	ctx := checkedCtx(t)
	cctx, cancel := context.WithCancel(context.Background())
	ctx.Ctx = cctx
	op := combine([]Operator{
		&endlessSource{rowsSource: *source(parallelAggTypes, parallelAggRows(10))},
		&endlessSource{rowsSource: *source(parallelAggTypes, parallelAggRows(10))},
	})
	time.AfterFunc(20*time.Millisecond, cancel)
	_, err := Collect(ctx, op)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	waitGoroutines(t, before)
}

func TestParallelHashAggregateRejectsDistinct(t *testing.T) {
	inputs := []Operator{source(parallelAggTypes, nil)}
	x := ColumnRef(1, tInt)
	op := NewParallelHashAggregate(inputs, [][]Expr{nil}, [][]Aggregate{{{Func: AggCount, Arg: x, Distinct: true, Type: tI8}}})
	if _, err := Collect(checkedCtx(t), op); err == nil {
		t.Fatal("parallel count(DISTINCT) succeeded")
	}
}

// waitGoroutines fails the test when goroutines started since before do
// not end within a second.
func waitGoroutines(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines left running", runtime.NumGoroutine()-before)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestParallelHashAggregateDirectTables groups by one integer key, which
// puts every pipeline's table in direct mode: the tables are merged by
// the keys they share alone, and each finishes as a part of the result.
// In "clustered" each pipeline sees a range of keys of its own, as the
// pipelines of a table stored in key order do, and the ranges are not
// aligned to the direct map's chunks, so neighbouring tables share
// chunks but no key. Then one key, or NULL, is seen by two pipelines,
// and in "interleaved" every key by all of them. The result must be the
// serial aggregate's, for every kind of splittable aggregate.
func TestParallelHashAggregateDirectTables(t *testing.T) {
	types := parallelAggTypes // the key is column 1, an integer
	groupBy := func() []Expr { return []Expr{ColumnRef(1, tInt)} }
	aggs := func() []Aggregate {
		_, a := parallelAggSpec(false)
		return a
	}
	const pipelines, keysEach = 3, 5000 // keysEach is not a multiple of directChunk
	row := func(key catalog.Datum, i int) []catalog.Datum {
		var num catalog.Datum = dec(fmt.Sprintf("%d.%02d", i%97, i%100), 2)
		if i%11 == 0 {
			num = nil
		}
		return []catalog.Datum{string("ANR"[i%3]), key, num, float64(i%5) / 4, i%4 != 0, fmt.Sprint("v", i%13)}
	}
	for _, scenario := range []string{"clustered", "null in one", "shared key", "null in two", "interleaved"} {
		t.Run(scenario, func(t *testing.T) {
			parts := make([][][]catalog.Datum, pipelines)
			i := 0
			for p := range parts {
				for k := range keysEach {
					key := int32(p*keysEach + k - 7000)
					for range 1 + k%3 {
						to := p
						if scenario == "interleaved" {
							to = i % pipelines
						}
						parts[to] = append(parts[to], row(key, i))
						i++
					}
				}
			}
			switch scenario {
			case "null in one":
				parts[1] = append(parts[1], row(nil, 1))
			case "shared key":
				parts[2] = append(parts[2], row(int32(-6999), 2)) // a key of pipeline 0
			case "null in two":
				parts[0] = append(parts[0], row(nil, 1))
				parts[2] = append(parts[2], row(nil, 3))
			}
			var all [][]catalog.Datum
			inputs := make([]Operator, pipelines)
			for p, rows := range parts {
				all = append(all, rows...)
				s := source(types, rows)
				s.per, s.sel = 700+p*300, p == 1
				inputs[p] = s
			}
			want := sortRows(collect(t, NewHashAggregate(source(types, all), groupBy(), aggs())))

			gb, ag := make([][]Expr, pipelines), make([][]Aggregate, pipelines)
			for p := range gb {
				gb[p], ag[p] = groupBy(), aggs()
			}
			op := NewParallelHashAggregate(inputs, gb, ag)
			ctx := checkedCtx(t)
			if err := op.Open(ctx); err != nil {
				t.Fatal(err)
			}
			var got [][]catalog.Datum
			for {
				b, err := op.Next()
				if err != nil {
					t.Fatal(err)
				}
				if b == nil {
					break
				}
				got = appendRows(got, op.Types(), b)
			}
			results := len(op.(*parallelHashAggOp).finished)
			op.Close()
			assertRows(t, sortRows(got), want)
			if results != pipelines {
				t.Fatalf("%d result parts, want one per pipeline", results)
			}
		})
	}
}
