package planner

import (
	"context"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
)

// TestSharedSubqueryInPipelines: an uncorrelated scalar, EXISTS or IN
// subquery in the filters of parallel pipelines (an aggregate's, a
// sort's, a join build's under a Gather) no longer keeps the plan serial.
// The pipelines share it: EXPLAIN shows one SubPlan that ran once, and
// the rows are the serial plan's at batch sizes that split row groups.
func TestSharedSubqueryInPipelines(t *testing.T) {
	s := parallelTestStore(t)
	addDims(t, s)
	queries := []struct{ sql, parallel string }{
		{"select v, count(*), sum(k) from kv where k > (select avg(k) from kv where v = 'g1') group by v", "Parallel HashAggregate"},
		{"select count(*), min(k) from kv where exists (select 1 from dims where grp = 3) and k % 7 = 1", "Parallel Aggregate"},
		{"select count(*) from kv where not exists (select 1 from dims where grp = 1000) and k % 3 = 0", "Parallel Aggregate"},
		{"select k, v from kv where k < (select min(d) + 100 from dims) order by k", "Parallel Sort"},
		{"select d.name, kv.v from dims d join kv on kv.k = d.d where kv.k > (select avg(d) from dims)", "Gather"},
		{"select count(*) from kv where k > (select max(k) from kv where k < 0)", "Parallel Aggregate"},
		// IN: each pipeline probes the one result with its own operand,
		// NULLs on either side (dims.d has some, kv.v too), text values
		// (the shared table unpacks its long strings once).
		{"select count(*), sum(k) from kv where k % 900 not in (select d from dims where grp < 3)", "Parallel Aggregate"},
		{"select count(*), sum(k) from kv where k % 900 not in (select d from dims where d is not null and grp = 1)", "Parallel Aggregate"},
		{"select v, count(*) from kv where v not in (select name from dims where d < 40) group by v", "Parallel HashAggregate"},
		{"select v, count(*) from kv where (v in (select name from dims where grp <> 2)) is not true group by v", "Parallel HashAggregate"},
	}
	for _, q := range queries {
		serialPlan, want := runExplained(t, s.Snapshot(), q.sql, LowerOptions{ParallelWorkers: 0}, 0)
		if hasNode(serialPlan, q.parallel) {
			t.Fatalf("%s: the serial plan has a %s", q.sql, q.parallel)
		}
		sort.Strings(want)
		for _, workers := range []int{1, 2, 4} {
			for _, batchRows := range []int{0, 7, 299} {
				plan, got := runExplained(t, s.Snapshot(), q.sql, LowerOptions{ParallelWorkers: workers}, batchRows)
				text := strings.Join(plan, "\n")
				if !hasNode(plan, q.parallel) {
					t.Fatalf("%s with %d workers: no %s:\n%s", q.sql, workers, q.parallel, text)
				}
				if strings.Count(text, "SubPlan ") != 1 {
					t.Fatalf("%s with %d workers: the subquery is not lowered once:\n%s", q.sql, workers, text)
				}
				// The subquery's plan ran once for all the pipelines.
				i := slices.IndexFunc(plan, func(l string) bool { return strings.Contains(l, "SubPlan 1") })
				if !strings.Contains(plan[i+1], "loops=1)") {
					t.Fatalf("%s with %d workers: the subquery ran more than once:\n%s", q.sql, workers, text)
				}
				sort.Strings(got)
				if strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Fatalf("%s with %d workers, batches of %d: %d rows differ from the serial run's %d\nparallel %v\nserial   %v",
						q.sql, workers, batchRows, len(got), len(want), got[:min(len(got), 10)], want[:min(len(want), 10)])
				}
			}
		}
	}
}

// TestSharedSubqueryError: a scalar subquery of parallel pipelines that
// returns more than one row fails the statement with 21000, as the
// serial plan does.
func TestSharedSubqueryError(t *testing.T) {
	s := parallelTestStore(t)
	const sql = "select count(*) from kv where k > (select k from kv where k < 3)"
	for _, workers := range []int{0, 2} {
		bound := bindPlan(t, s.Snapshot(), sql)
		op, err := Lower(bound.(*QueryPlan).Root, s.Snapshot(), nil, LowerOptions{ParallelWorkers: workers})
		if err != nil {
			t.Fatal(err)
		}
		_, err = exec.Collect(exec.NewContext(context.Background()), op)
		if pgerr.CodeOf(err) != pgerr.CardinalityViolation {
			t.Fatalf("%d workers: got %v, want 21000", workers, err)
		}
	}
}

// hasNode reports whether an EXPLAIN text holds a node named name.
func hasNode(plan []string, name string) bool {
	return slices.ContainsFunc(plan, func(l string) bool {
		l = strings.TrimPrefix(strings.TrimSpace(l), "-> ")
		return strings.HasPrefix(strings.TrimSpace(l), name+" (")
	})
}
