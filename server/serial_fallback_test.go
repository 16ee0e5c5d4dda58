package server

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pqdb/pqdb/storage"
)

// TestSerialFallbackThroughPgx: a join whose build outgrows the
// pipelines' work_mem × hash_mem_multiplier makes a parallel plan run
// its serial plan instead, for an aggregate over the join (a Parallel
// HashAggregate) and for a count(DISTINCT ...) over it (a Gather under a
// serial aggregate). Through pgx, the answers equal those with room to
// spare, and EXPLAIN ANALYZE says "Serial Fallback: true" exactly when
// the fallback ran.
func TestSerialFallbackThroughPgx(t *testing.T) {
	_, connect := startServerWith(t, Config{DataDir: t.TempDir(), Storage: storage.Options{RowGroupRows: 2048}})
	conn := connect(t)
	mustExec(t, conn,
		`CREATE TABLE fact (k int, v int)`,
		`INSERT INTO fact SELECT g % 20000, g % 13 FROM generate_series(1, 60000) g`,
		`CREATE TABLE dim (k int, grp int, label text)`,
		`INSERT INTO dim SELECT g, g % 5, 'label number ' || g FROM generate_series(0, 19999) g`,
		`CHECKPOINT`,
		`SET pqdb.parallel_min_rows = 0`)
	queries := []string{
		`SELECT d.grp, count(*), sum(f.v), max(d.label) FROM fact f JOIN dim d ON d.k = f.k GROUP BY d.grp ORDER BY d.grp`,
		`SELECT d.grp, count(DISTINCT f.v), count(*) FROM fact f JOIN dim d ON d.k = f.k GROUP BY d.grp ORDER BY d.grp`,
	}
	for _, q := range queries {
		mustExec(t, conn, `RESET work_mem`)
		want := fmt.Sprint(rowsText(t, conn, q))
		plan := fmt.Sprint(rowsText(t, conn, `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) `+q))
		if strings.Contains(plan, "Serial Fallback") || !strings.Contains(plan, "Pipelines") {
			t.Fatalf("%s with the default work_mem:\n%s", q, plan)
		}
		mustExec(t, conn, `SET work_mem = '64kB'`)
		if got := fmt.Sprint(rowsText(t, conn, q)); got != want {
			t.Fatalf("%s with work_mem 64kB: %s, want %s", q, got, want)
		}
		plan = fmt.Sprint(rowsText(t, conn, `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) `+q))
		if !strings.Contains(plan, "Serial Fallback: true") {
			t.Fatalf("%s with work_mem 64kB fell back, and EXPLAIN does not say so:\n%s", q, plan)
		}
	}
}
