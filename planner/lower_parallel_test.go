package planner

import (
	"context"
	"fmt"
	"sort"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/storage"
)

// parallelTestStore holds a table kv(k int8, v text) of 5000 rows spread
// over three segments of several row groups and the unflushed tail.
func parallelTestStore(t *testing.T) *storage.Store {
	t.Helper()
	s, err := storage.Open(t.TempDir(), storage.Options{RowGroupRows: 300})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	tbl := &catalog.Table{Schema: "public", Name: "kv", Columns: []catalog.Column{{Name: "k", Type: catalog.TypeInt8}, {Name: "v", Type: catalog.TypeText}}}
	tx := s.Begin()
	if err := tx.CreateTable(tbl); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	tbl = s.Snapshot().Table("public", "kv")
	schema := arrow.NewSchema([]arrow.Field{{Name: "k", Type: arrow.PrimitiveTypes.Int64}, {Name: "v", Type: arrow.BinaryTypes.String, Nullable: true}}, nil)
	for part := 0; part < 4; part++ {
		kb := array.NewInt64Builder(memory.DefaultAllocator)
		vb := array.NewStringBuilder(memory.DefaultAllocator)
		for i := part * 1250; i < (part+1)*1250; i++ {
			kb.Append(int64(i))
			if i%10 == 0 {
				vb.AppendNull()
			} else {
				vb.Append(fmt.Sprint("g", i%6))
			}
		}
		rec := array.NewRecordBatch(schema, []arrow.Array{kb.NewArray(), vb.NewArray()}, 1250)
		tx := s.Begin()
		if err := tx.Insert(tbl, rec); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		if part < 3 {
			if err := s.Checkpoint(); err != nil {
				t.Fatal(err)
			}
		}
	}
	return s
}

// runQuery runs sql with the given settings and batch size and returns
// the exec type its aggregate lowered to and its rows, sorted.
func runQuery(t *testing.T, cat Catalog, sql string, opts LowerOptions, batchRows int) (string, []string) {
	t.Helper()
	root, rows := runSorted(t, cat, sql, opts, func(ctx *exec.Context) { ctx.BatchRows = batchRows })
	agg := findAggregate(root)
	if agg == nil {
		t.Fatalf("%s: no aggregate in the plan", sql)
	}
	aggOp, err := (&lowerer{cat: cat, opts: opts}).node(agg)
	if err != nil {
		t.Fatal(err)
	}
	aggOp.Close()
	return fmt.Sprintf("%T", aggOp), rows
}

// runSorted binds, lowers and runs sql in a context that setup adjusts,
// and returns its plan and its rows, printed and sorted.
func runSorted(t *testing.T, cat Catalog, sql string, opts LowerOptions, setup func(*exec.Context)) (Node, []string) {
	t.Helper()
	root := bindPlan(t, cat, sql).(*QueryPlan).Root
	op, err := Lower(root, cat, nil, opts)
	if err != nil {
		t.Fatal(err)
	}
	out := runPrinted(t, op, setup)
	sort.Strings(out)
	return root, out
}

// bindPlan parses and binds the one statement sql.
func bindPlan(t *testing.T, cat Catalog, sql string) Plan {
	t.Helper()
	stmts, err := Parse(sql)
	if err != nil {
		t.Fatal(err)
	}
	bound, err := Bind(cat, stmts[0], nil, Options{SearchPath: []string{"public"}})
	if err != nil {
		t.Fatal(err)
	}
	return bound.Plan
}

// runPrinted runs op in a context that setup adjusts and returns its rows,
// printed, in the order they came.
func runPrinted(t *testing.T, op exec.Operator, setup func(*exec.Context)) []string {
	t.Helper()
	ctx := exec.NewContext(context.Background())
	setup(ctx)
	rows, err := exec.Collect(ctx, op)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = fmt.Sprint(r)
	}
	return out
}

// checkParallelRuns runs q serially, then in parallel pipelines: more
// of them than partitions with rows, and batches that split row groups
// and tail records, must change nothing. checkKind judges the aggregate
// each parallel run lowered to, beside the serial run's. It returns the
// serial run's aggregate kind and rows.
func checkParallelRuns(t *testing.T, cat Catalog, q string, checkKind func(serialKind, kind string)) (string, []string) {
	t.Helper()
	serialKind, want := runQuery(t, cat, q, LowerOptions{ParallelWorkers: 0}, 0)
	for _, workers := range []int{1, 2, 7} {
		for _, batchRows := range []int{0, 1, 7, 299, 1024} {
			kind, got := runQuery(t, cat, q, LowerOptions{ParallelWorkers: workers}, batchRows)
			checkKind(serialKind, kind)
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s with %d workers, batches of %d:\nparallel %v\nserial   %v", q, workers, batchRows, got, want)
			}
		}
	}
	return serialKind, want
}

// findAggregate returns the topmost Aggregate under Projects, Filters
// and Sorts.
func findAggregate(n Node) *Aggregate {
	switch x := n.(type) {
	case *Aggregate:
		return x
	case *Project:
		return findAggregate(x.Input)
	case *Filter:
		return findAggregate(x.Input)
	case *Sort:
		return findAggregate(x.Input)
	}
	return nil
}

func TestParallelAggregateMatchesSerial(t *testing.T) {
	s := parallelTestStore(t)
	queries := []string{
		"select v, count(*), sum(k), min(k), max(k), avg(k), count(v) from kv where k % 7 <> 3 group by v",
		"select count(*), sum(k * 2 + 1), max(v) from kv where k > 100",
		"select v, sum(k) from (select v, k + 1 as k from kv where k < 4000) s group by v having sum(k) > 10",
	}
	for _, q := range queries {
		serialKind, _ := checkParallelRuns(t, s.Snapshot(), q, func(serialKind, parallelKind string) {
			if serialKind == parallelKind {
				t.Errorf("%s: lowered to %s both times", q, serialKind)
			}
		})
		// A table smaller than ParallelMinRows stays serial.
		kind, _ := runQuery(t, s.Snapshot(), q, LowerOptions{ParallelWorkers: 3, ParallelMinRows: 5001}, 0)
		if kind != serialKind {
			t.Errorf("%s: lowered to %s above ParallelMinRows", q, kind)
		}
	}
	// Pipelines that outgrow work_mem scan again, partitioning their
	// rows, and aggregate the partitions in parallel: the same groups.
	many := "select k % 2500, count(*), sum(k), max(v) from kv group by k % 2500"
	_, want := runQuery(t, s.Snapshot(), many, LowerOptions{ParallelWorkers: 0}, 0)
	for _, workers := range []int{2, 3} {
		if got := runWithWorkMem(t, s.Snapshot(), many, LowerOptions{ParallelWorkers: workers}, 16<<10); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s with %d workers and work_mem 16kB: %d groups, want %d", many, workers, len(got), len(want))
		}
	}
	// DISTINCT aggregates stay serial.
	kind, got := runQuery(t, s.Snapshot(), "select count(distinct v) from kv", LowerOptions{ParallelWorkers: 3}, 0)
	if kind != "*exec.hashAggOp" || fmt.Sprint(got) != "[[6]]" {
		t.Errorf("count(distinct v): %s %v", kind, got)
	}
}

// TestParallelAggregateSplittable: the aggregates whose partial states
// merge run in parallel pipelines (the exact ones with the serial
// result); those that do not (ORDER BY or DISTINCT in the call,
// string_agg, the ordered-set aggregates) make the aggregate serial.
func TestParallelAggregateSplittable(t *testing.T) {
	s := parallelTestStore(t)
	serial := LowerOptions{ParallelWorkers: 0}
	parallel := LowerOptions{ParallelWorkers: 3}
	for _, q := range []string{
		"select v, stddev(k), var_pop(k % 100), bit_and(k), bit_or(k), bit_xor(k), regr_count(k, k % 3), bool_or(k > 4990) from kv group by v",
		"select variance(k::numeric / 7), count(*) filter (where k % 3 = 0), sum(k) filter (where v = 'g1') from kv",
	} {
		serialKind, want := runQuery(t, s.Snapshot(), q, serial, 0)
		for _, batchRows := range []int{0, 7, 299} {
			kind, got := runQuery(t, s.Snapshot(), q, parallel, batchRows)
			if kind == serialKind {
				t.Errorf("%s: lowered to %s both times", q, kind)
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s, batches of %d:\nparallel %v\nserial   %v", q, batchRows, got, want)
			}
		}
	}
	// Float statistics combine as PostgreSQL's float8_combine, whose
	// rounding differs from one pipeline's: only the plan is checked.
	if kind, _ := runQuery(t, s.Snapshot(), "select corr(k, k * 1.5), stddev(k::float8) from kv", parallel, 0); kind == "*exec.hashAggOp" {
		t.Errorf("float statistics: lowered to %s", kind)
	}
	for _, q := range []string{
		"select string_agg(v, ',') from kv where k < 20",
		"select v, sum(k order by k) from kv group by v",
		"select percentile_disc(0.5) within group (order by k), mode() within group (order by v) from kv",
		"select v, stddev(distinct k % 10) from kv group by v",
	} {
		want := fmt.Sprint(runQuery(t, s.Snapshot(), q, serial, 0))
		if got := fmt.Sprint(runQuery(t, s.Snapshot(), q, parallel, 7)); got != want {
			t.Errorf("%s:\nwith workers %s\nserial       %s", q, got, want)
		}
		if kind, _ := runQuery(t, s.Snapshot(), q, parallel, 0); kind != "*exec.hashAggOp" {
			t.Errorf("%s: lowered to %s", q, kind)
		}
	}
}
