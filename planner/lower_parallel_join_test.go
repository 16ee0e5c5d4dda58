package planner

import (
	"fmt"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/storage"
)

// addDims adds to s a table dims(d int8, name text, grp int4) of 900
// rows: keys 0..799 and some repeated, some NULL, names short and long
// (a long key cannot be packed: hashtable_packed.go).
func addDims(t *testing.T, s *storage.Store) {
	t.Helper()
	tbl := &catalog.Table{Schema: "public", Name: "dims", Columns: []catalog.Column{
		{Name: "d", Type: catalog.TypeInt8}, {Name: "name", Type: catalog.TypeText}, {Name: "grp", Type: catalog.TypeInt4}}}
	tx := s.Begin()
	if err := tx.CreateTable(tbl); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	tbl = s.Snapshot().Table("public", "dims")
	schema := arrow.NewSchema([]arrow.Field{{Name: "d", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "name", Type: arrow.BinaryTypes.String, Nullable: true}, {Name: "grp", Type: arrow.PrimitiveTypes.Int32, Nullable: true}}, nil)
	db := array.NewInt64Builder(memory.DefaultAllocator)
	nb := array.NewStringBuilder(memory.DefaultAllocator)
	gb := array.NewInt32Builder(memory.DefaultAllocator)
	for i := 0; i < 900; i++ {
		switch {
		case i%97 == 0:
			db.AppendNull()
		case i >= 800:
			db.Append(int64(i % 50)) // a second row for keys 0..49
		default:
			db.Append(int64(i))
		}
		if i%3 == 0 {
			nb.Append(fmt.Sprint("g", i%6))
		} else {
			nb.Append(fmt.Sprint("g", i%6, strings.Repeat("-long", i%4)))
		}
		gb.Append(int32(i % 4))
	}
	rec := array.NewRecordBatch(schema, []arrow.Array{db.NewArray(), nb.NewArray(), gb.NewArray()}, 900)
	tx = s.Begin()
	if err := tx.Insert(tbl, rec); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// runWithWorkMem is runQuery's run of sql with work_mem workMem.
func runWithWorkMem(t *testing.T, cat Catalog, sql string, opts LowerOptions, workMem int64) []string {
	t.Helper()
	_, rows := runSorted(t, cat, sql, opts, func(ctx *exec.Context) { ctx.WorkMem = workMem })
	return rows
}

// TestParallelJoinsMatchSerial: an aggregate over hash joins runs as
// parallel pipelines that probe one shared build per join, with the
// serial plan's answer, for every join kind (those building on their
// left input too, whose unmatched or matched build rows the last
// pipeline to end emits),
// keys of several types (numeric ones of different scales, text ones too
// long to pack), residual conditions, several pipelines and batch sizes
// that split row groups.
func TestParallelJoinsMatchSerial(t *testing.T) {
	s := parallelTestStore(t)
	addDims(t, s)
	queries := []string{
		"select d.grp, count(*), sum(kv.k), max(d.name) from kv join dims d on kv.k % 800 = d.d group by d.grp",
		"select count(*), count(d.d), sum(d.grp) from kv left join dims d on kv.k = d.d",
		"select kv.v, count(*) from kv join dims d on kv.v = d.name group by kv.v",
		"select count(*), sum(k) from kv where k in (select d from dims where grp = 1)",
		"select count(*), sum(k) from kv where not exists (select 1 from dims where d = kv.k)",
		"select d.grp, count(*) from kv join dims d on kv.k % 800 = d.d and d.grp < kv.k % 3 group by d.grp",
		"select d.grp, e.grp, count(*) from kv join dims d on kv.k % 800 = d.d join dims e on kv.k % 700 = e.d group by d.grp, e.grp",
		"select count(*) from kv join dims d on (kv.k % 800)::numeric(10,2) = d.d::numeric(12,0)",
		"select count(*), min(kv.v) from kv left join dims d on kv.v = d.name and d.grp = 2 where d.d is null",
		// dims is the smaller input: these build on it and probe with
		// kv, as right, right semi and right anti joins whose build rows
		// the last pipeline emits.
		"select count(*), count(kv.k), sum(d.d), max(kv.v) from dims d left join kv on kv.k = d.d",
		"select d.grp, count(*), count(kv.k) from dims d left join kv on kv.k % 1000 = d.d and kv.v > d.name group by d.grp",
		"select count(*), sum(d.d) from dims d where exists (select 1 from kv where kv.k = d.d * 7)",
		"select d.grp, count(*), max(d.name) from dims d where not exists (select 1 from kv where kv.k = d.d + 4000) group by d.grp",
		"select count(*) from dims d where not exists (select 1 from kv where kv.k % 900 = d.d and kv.v <> d.name)",
	}
	for _, q := range queries {
		_, want := checkParallelRuns(t, s.Snapshot(), q, func(_, kind string) {
			if kind != "*exec.parallelHashAggOp" {
				t.Errorf("%s: lowered to %s", q, kind)
			}
		})
		// A build that outgrows work_mem makes the aggregate run its
		// serial plan, whose join spills.
		if got := runWithWorkMem(t, s.Snapshot(), q, LowerOptions{ParallelWorkers: 2}, 1024); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s with work_mem 1kB:\nparallel %v\nserial   %v", q, got, want)
		}
	}
	// EXPLAIN ANALYZE says when the aggregate ran its serial plan.
	tiny, _ := runExplainedWith(t, s.Snapshot(), queries[0], LowerOptions{ParallelWorkers: 2}, func(ctx *exec.Context) { ctx.WorkMem = 1024 })
	if plan := strings.Join(tiny, "\n"); !strings.Contains(plan, "Parallel HashAggregate") || !strings.Contains(plan, "Serial Fallback: true") {
		t.Fatalf("the aggregate fell back with work_mem 1kB, and EXPLAIN does not say so:\n%s", plan)
	}
}
