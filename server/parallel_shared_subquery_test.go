package server

import (
	"strings"
	"testing"
)

// TestParallelSharedSubqueries: through pgx, uncorrelated scalar, EXISTS
// and NOT IN subqueries in the filters of parallel pipelines run once for
// all of them (one SubPlan in EXPLAIN), and an aggregate with DISTINCT
// reads its input (a join's probe side, or a scan with a NOT IN filter)
// through a Gather of pipelines. The expected rows were computed by
// PostgreSQL 15.18 (createFactsAndDims); a NOT IN over a list holding
// NULL keeps no row.
func TestParallelSharedSubqueries(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	createFactsAndDims(t, conn)
	cases := []struct {
		query string
		nodes []string
		want  string
	}{
		{`SELECT count(*), sum(f.k) FROM rf f WHERE f.k > (SELECT avg(id) FROM rd)`,
			[]string{"Parallel Aggregate", "SubPlan 1"}, "2374|2847952"},
		{`SELECT count(*), sum(k) FROM rf WHERE EXISTS (SELECT 1 FROM rd WHERE g = 3) AND k % 7 = 1`,
			[]string{"Parallel Aggregate", "SubPlan 1"}, "852|638608"},
		{`SELECT count(*), sum(k) FROM rf WHERE k NOT IN (SELECT id FROM rd WHERE g = 1 AND id IS NOT NULL)`,
			[]string{"Parallel Aggregate", "SubPlan 1"}, "5547|4155725"},
		{`SELECT count(*) FROM rf WHERE k NOT IN (SELECT id FROM rd WHERE g = 1)`,
			[]string{"Parallel Aggregate", "SubPlan 1"}, "0"},
		{`SELECT d.g, count(DISTINCT f.v), count(*) FROM rf f JOIN rd d ON f.k = d.id GROUP BY d.g ORDER BY d.g`,
			[]string{"Gather", "Parallel Hash Join"}, "0|37|392;1|37|392;2|37|392;3|37|392;4|37|392"},
		{`SELECT count(DISTINCT f.v), count(DISTINCT f.k), sum(DISTINCT f.k) FROM rf f WHERE f.k NOT IN (SELECT id FROM rd WHERE g = 2 AND id IS NOT NULL)`,
			[]string{"Gather", "SubPlan 1"}, "37|1401|1050006"},
	}
	mustExec(t, conn, "SET pqdb.parallel_min_rows = 0", "SET max_parallel_workers_per_gather = 2")
	var queries, want []string
	for _, c := range cases {
		plan := explainText(t, conn, "(COSTS OFF) "+c.query)
		for _, node := range c.nodes {
			if !strings.Contains(plan, node) {
				t.Errorf("%s: the plan has no %s:\n%s", c.query, node, plan)
			}
		}
		if strings.Contains(plan, "SubPlan 2") {
			t.Errorf("%s: the pipelines lowered the subquery more than once:\n%s", c.query, plan)
		}
		queries, want = append(queries, c.query), append(want, c.want)
	}
	settings := append(settingsGrid([]int{1, 7, 1023, 1024, 65536}, []int{1, 2, 5}), batchBoundarySettings...)
	checkAcrossSettings(t, conn, settings, queries, want)
}
