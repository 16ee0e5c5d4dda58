package server

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/pqdb/pqdb/storage"
)

// TestSerialFallbackThroughPgx: a join whose build outgrows the
// pipelines' work_mem × hash_mem_multiplier makes a parallel plan run
// its serial plan instead, for an aggregate over the join (a Parallel
// HashAggregate), for a count(DISTINCT ...) over it (a Gather under a
// serial aggregate), and for the rows of a serial join whose build side
// holds a join (a Gather under the join's build). Through pgx, the
// answers equal those with room to spare (as sets of rows), and EXPLAIN
// ANALYZE says "Serial Fallback: true" exactly when the fallback ran.
func TestSerialFallbackThroughPgx(t *testing.T) {
	_, connect := startServerWith(t, Config{DataDir: t.TempDir(), Storage: storage.Options{RowGroupRows: 2048}})
	conn := connect(t)
	mustExec(t, conn,
		`CREATE TABLE fact (k int, v int)`,
		`INSERT INTO fact SELECT g % 20000, g % 13 FROM generate_series(1, 60000) g`,
		`CREATE TABLE dim (k int, grp int, label text)`,
		`INSERT INTO dim SELECT g, g % 5, 'label number ' || g FROM generate_series(0, 19999) g`,
		`CREATE TABLE mid (g int, name text)`,
		`INSERT INTO mid SELECT g * 4, 'name ' || g || repeat('x', 60) FROM generate_series(0, 4999) g`,
		`CHECKPOINT`,
		`SET pqdb.parallel_min_rows = 0`)
	queries := []string{
		`SELECT d.grp, count(*), sum(f.v), max(d.label) FROM fact f JOIN dim d ON d.k = f.k GROUP BY d.grp ORDER BY d.grp`,
		`SELECT d.grp, count(DISTINCT f.v), count(*) FROM fact f JOIN dim d ON d.k = f.k GROUP BY d.grp ORDER BY d.grp`,
		`SELECT f.v, d.label, m.name FROM fact f JOIN dim d ON d.k = f.k JOIN mid m ON m.g = d.grp * 4000 + d.k % 4000`,
	}
	answer := func(q string) string {
		var lines []string
		for _, row := range rowsText(t, conn, q) {
			lines = append(lines, strings.Join(row, "|"))
		}
		sort.Strings(lines)
		return strings.Join(lines, "\n")
	}
	for _, q := range queries {
		mustExec(t, conn, `RESET work_mem`)
		want := answer(q)
		plan := fmt.Sprint(rowsText(t, conn, `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) `+q))
		if strings.Contains(plan, "Serial Fallback") || !strings.Contains(plan, "Pipelines") {
			t.Fatalf("%s with the default work_mem:\n%s", q, plan)
		}
		mustExec(t, conn, `SET work_mem = '64kB'`)
		if got := answer(q); got != want {
			t.Fatalf("%s with work_mem 64kB: %d bytes of rows, want %d", q, len(got), len(want))
		}
		plan = fmt.Sprint(rowsText(t, conn, `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) `+q))
		if !strings.Contains(plan, "Serial Fallback: true") {
			t.Fatalf("%s with work_mem 64kB fell back, and EXPLAIN does not say so:\n%s", q, plan)
		}
	}
}
