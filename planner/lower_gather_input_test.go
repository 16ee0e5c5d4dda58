package planner

import (
	"strings"
	"testing"

	"github.com/pqdb/pqdb/exec"
)

// TestDistinctAggregateGathersItsInput: an aggregate with DISTINCT in a
// call does not split into the pipelines' partial states, but its input
// (a scan chain probing hash joins, with a shared NOT IN subquery) reads
// in parallel pipelines under a Gather, with the serial plan's answer at
// batch sizes that split row groups. With a work_mem far below the
// join's build, the Gather falls back to the serial plan, whose join
// spills, and answers the same. string_agg, which reads its rows in the
// input's order, keeps its input serial.
func TestDistinctAggregateGathersItsInput(t *testing.T) {
	s := parallelTestStore(t)
	addDims(t, s)
	queries := []string{
		"select d.grp, count(distinct kv.v), count(*) from kv join dims d on kv.k = d.d group by d.grp",
		"select count(distinct k % 97), sum(distinct k % 13) from kv where k % 900 not in (select d from dims where grp = 1 and d is not null)",
		"select v, count(distinct k % 7) from kv group by v",
	}
	tiny := func(ctx *exec.Context) { ctx.WorkMem = 4 << 10 }
	for _, q := range queries {
		want := checkGatheredRuns(t, s.Snapshot(), q)
		_, serial := runSorted(t, s.Snapshot(), q, LowerOptions{ParallelWorkers: 0}, tiny)
		_, got := runSorted(t, s.Snapshot(), q, LowerOptions{ParallelWorkers: 2}, tiny)
		if strings.Join(got, "\n") != strings.Join(serial, "\n") || strings.Join(serial, "\n") != strings.Join(want, "\n") {
			t.Fatalf("%s with work_mem 4kB: %v and serially %v, want %v", q, got, serial, want)
		}
	}
	// EXPLAIN ANALYZE says when the Gather ran its serial plan.
	explained := func(setup func(*exec.Context)) string {
		plan, _ := runExplainedWith(t, s.Snapshot(), queries[0], LowerOptions{ParallelWorkers: 2}, setup)
		return strings.Join(plan, "\n")
	}
	if plan := explained(tiny); !strings.Contains(plan, "Serial Fallback: true") {
		t.Fatalf("the Gather fell back with work_mem 4kB, and EXPLAIN does not say so:\n%s", plan)
	}
	if plan := explained(func(*exec.Context) {}); !strings.Contains(plan, "Gather") || strings.Contains(plan, "Serial Fallback") {
		t.Fatalf("a Gather that ran its pipelines, explained:\n%s", plan)
	}
	plan, _ := runExplained(t, s.Snapshot(), "select string_agg(v, ',') from kv", LowerOptions{ParallelWorkers: 2}, 0)
	if hasNode(plan, "Gather") {
		t.Fatalf("string_agg's input was gathered:\n%s", strings.Join(plan, "\n"))
	}
}
