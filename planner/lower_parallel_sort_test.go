package planner

import (
	"sort"
	"strings"
	"testing"

	"github.com/pqdb/pqdb/exec"
)

// runExplained binds, lowers and runs sql under EXPLAIN ANALYZE in
// batches of batchRows, and returns its rows in the order they came and
// its plan's lines.
func runExplained(t *testing.T, cat Catalog, sql string, opts LowerOptions, batchRows int) (plan, rows []string) {
	t.Helper()
	return runExplainedWith(t, cat, sql, opts, func(ctx *exec.Context) { ctx.BatchRows = batchRows })
}

// runExplainedWith is runExplained with the run's context set up by setup.
func runExplainedWith(t *testing.T, cat Catalog, sql string, opts LowerOptions, setup func(*exec.Context)) (plan, rows []string) {
	t.Helper()
	bound := bindPlan(t, cat, "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) "+sql)
	parts, ex, err := LowerExplain(bound.(*ExplainPlan), cat, nil, opts)
	if err != nil {
		t.Fatal(err)
	}
	rows = runPrinted(t, parts[len(parts)-1].Op, setup)
	return ex.Text(), rows
}

// runOrdered is runExplained that also names the plan's sort.
func runOrdered(t *testing.T, cat Catalog, sql string, opts LowerOptions, batchRows int) (string, []string) {
	t.Helper()
	plan, rows := runExplained(t, cat, sql, opts, batchRows)
	name := ""
	for _, line := range plan {
		if i := strings.Index(line, "Sort ("); i >= 0 {
			name = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line[:i+4]), "->"))
		}
	}
	return name, rows
}

// TestParallelSortMatchesSerial sorts kv's partitions in parallel
// pipelines (over its segments and its unflushed tail), through filters,
// projections and a join, at batch sizes that split row groups: every
// query orders its rows completely, so the parallel run must return the
// serial run's rows in the same order.
func TestParallelSortMatchesSerial(t *testing.T) {
	s := parallelTestStore(t)
	queries := []string{
		"select k, v from kv where k % 3 <> 1 order by v nulls first, k desc",
		"select v, k * 2 from kv order by k * 2 desc",
		"select v, length(v) from kv where k > 700 order by v, k",
		"select a.k, b.v from kv a join kv b on a.k = b.k + 1 where b.k < 3000 order by b.v desc nulls last, a.k",
	}
	for _, q := range queries {
		serialName, want := runOrdered(t, s.Snapshot(), q, LowerOptions{ParallelWorkers: 0}, 0)
		if serialName != "Sort" {
			t.Fatalf("%s: serial plan sorts with %q", q, serialName)
		}
		for _, workers := range []int{1, 2, 7} {
			for _, batchRows := range []int{0, 1, 7, 299, 1024} {
				name, got := runOrdered(t, s.Snapshot(), q, LowerOptions{ParallelWorkers: workers}, batchRows)
				if name != "Parallel Sort" {
					t.Errorf("%s with %d workers: sorts with %q", q, workers, name)
				}
				if strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Fatalf("%s with %d workers, batches of %d: %d rows differ from the serial run's %d\nparallel %v\nserial   %v",
						q, workers, batchRows, len(got), len(want), got[:min(len(got), 10)], want[:min(len(want), 10)])
				}
			}
		}
	}
}

// TestJoinBuildGathersInParallel: a hash join outside any parallel
// operator builds on a large scan chain through parallel pipelines under
// a Gather, for inner, left and full joins, with the serial plan's rows.
func TestJoinBuildGathersInParallel(t *testing.T) {
	s := parallelTestStore(t)
	addDims(t, s)
	queries := []string{
		"select d.name, kv.v from dims d join kv on kv.k = d.d where kv.k % 5 <> 2",
		"select d.d, kv.k from dims d left join kv on kv.k = d.d + 1 and kv.v <> 'g3'",
		"select d.grp, kv.k from dims d full join kv on kv.k = d.d",
	}
	for _, q := range queries {
		checkGatheredRuns(t, s.Snapshot(), q)
	}
}

// checkGatheredRuns runs q serially, then with one and two parallel
// workers at batch sizes that split row groups: each parallel plan must
// read through a Gather and return the serial run's rows, in any order.
// It returns them, sorted.
func checkGatheredRuns(t *testing.T, cat Catalog, q string) []string {
	t.Helper()
	_, want := runExplained(t, cat, q, LowerOptions{ParallelWorkers: 0}, 0)
	sort.Strings(want)
	for _, workers := range []int{1, 2} {
		for _, batchRows := range []int{0, 7, 299} {
			plan, got := runExplained(t, cat, q, LowerOptions{ParallelWorkers: workers}, batchRows)
			if !hasNode(plan, "Gather") {
				t.Fatalf("%s with %d workers: no Gather:\n%s", q, workers, strings.Join(plan, "\n"))
			}
			sort.Strings(got)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("%s with %d workers, batches of %d: %d rows differ from the serial run's %d", q, workers, batchRows, len(got), len(want))
			}
		}
	}
	return want
}

// TestJoinBuildOfJoinsGathers: a hash join outside any parallel operator
// whose build side holds joins reads it in parallel pipelines under a
// Gather (TPC-H Q8's lineitem, probing part, under the join with orders),
// with the serial plan's rows at batch sizes that split row groups. The
// pipelines' shared builds do not spill: with a work_mem far below them
// the Gather runs its serial plan instead, whose joins spill, answers
// the same, and EXPLAIN ANALYZE says so.
func TestJoinBuildOfJoinsGathers(t *testing.T) {
	s := parallelTestStore(t)
	addDims(t, s)
	q := "select c.d, x.name from dims c join (select a.k, b.name from kv a join dims b on a.k = b.d) x on x.k = c.d"
	want := checkGatheredRuns(t, s.Snapshot(), q)
	if len(want) == 0 {
		t.Fatal("no rows")
	}
	plan, _ := runExplained(t, s.Snapshot(), q, LowerOptions{ParallelWorkers: 2}, 0)
	if !strings.Contains(strings.Join(plan, "\n"), "Hash Join") || hasNode(plan, "Parallel HashAggregate") {
		t.Fatalf("not a serial join over a gathered build:\n%s", strings.Join(plan, "\n"))
	}
	tiny := func(ctx *exec.Context) { ctx.WorkMem = 4 << 10 }
	_, got := runSorted(t, s.Snapshot(), q, LowerOptions{ParallelWorkers: 2}, tiny)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("with work_mem 4kB: %d rows differ from the serial run's %d", len(got), len(want))
	}
	plan, _ = runExplainedWith(t, s.Snapshot(), q, LowerOptions{ParallelWorkers: 2}, tiny)
	if !strings.Contains(strings.Join(plan, "\n"), "Serial Fallback: true") {
		t.Fatalf("the Gather fell back with work_mem 4kB, and EXPLAIN does not say so:\n%s", strings.Join(plan, "\n"))
	}
}
