package server

import (
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestParallelRightJoins: a left, semi or anti join whose left input is
// much the smaller builds on it and probes with the larger input, as a
// right, right semi or right anti join. Under a parallel aggregate every
// pipeline probes that one build with its part of the larger input, and
// the build rows the join emits after its probe (those no pipeline
// matched, or those some pipeline did) come once, from the last pipeline
// to end. The expected rows were computed by PostgreSQL 15.18 over the
// same generated tables; NULL keys sit on both sides.
func TestParallelRightJoins(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	createFactsAndDims(t, conn)
	cases := []struct {
		query, node, want string
	}{
		{`SELECT d.g, count(*), count(f.k), sum(f.k) FROM rd d LEFT JOIN rf f ON f.k = d.id GROUP BY d.g ORDER BY d.g`,
			"Parallel Hash Right Join",
			"0|413|392|294150;1|413|392|294786;2|413|392|293922;3|413|392|294558;4|413|392|293694"},
		{`SELECT count(*), sum(d.id) FROM rd d WHERE EXISTS (SELECT 1 FROM rf f WHERE f.k = d.id AND f.v <> d.name)`,
			"Parallel Hash Right Semi Join",
			"495|371220"},
		{`SELECT d.g, count(*), count(d.id) FROM rd d WHERE NOT EXISTS (SELECT 1 FROM rf f WHERE f.k = d.id) GROUP BY d.g ORDER BY d.g`,
			"Parallel Hash Right Anti Join",
			"0|21|19;1|21|20;2|21|20;3|21|20;4|21|20"},
		{`SELECT count(*), count(f.v), min(d.name) FROM rd d LEFT JOIN rf f ON f.k = d.id AND f.v < d.name WHERE d.g = 1`,
			"Parallel Hash Right Join",
			"244|206|v0"},
	}
	mustExec(t, conn, "SET pqdb.parallel_min_rows = 0", "SET max_parallel_workers_per_gather = 2")
	var queries, want []string
	for _, c := range cases {
		if plan := explainText(t, conn, "(COSTS OFF) "+c.query); !strings.Contains(plan, c.node) {
			t.Errorf("%s: the plan has no %s:\n%s", c.query, c.node, plan)
		}
		queries, want = append(queries, c.query), append(want, c.want)
	}
	settings := append(settingsGrid([]int{1, 7, 1023, 1024, 65536}, []int{1, 2, 5}), batchBoundarySettings...)
	checkAcrossSettings(t, conn, settings, queries, want)
}

// createFactsAndDims makes the tables of the parallel join tests: rf,
// 6,000 rows whose int keys repeat, and rd, 600 rows with ids every third
// number; each has some NULL keys. PostgreSQL 15 computed the tests'
// expected rows over the same statements.
func createFactsAndDims(t *testing.T, conn *pgx.Conn) {
	t.Helper()
	mustExec(t, conn,
		`CREATE TABLE rf (k int, v text)`,
		`CREATE TABLE rd (id int, g int, name text)`,
		`INSERT INTO rf SELECT CASE WHEN g % 97 = 0 THEN NULL ELSE (g * 7) % 1500 END, 'v' || (g % 37) FROM generate_series(1, 6000) g`,
		`INSERT INTO rd SELECT CASE WHEN g % 101 = 0 THEN NULL ELSE g * 3 END, g % 5, 'v' || (g % 41) FROM generate_series(0, 599) g`)
}
