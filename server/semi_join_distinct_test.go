package server

import (
	"fmt"
	"strings"
	"testing"
)

// TestSemiJoinAsDistinct: EXISTS and IN whose few outer rows look among
// many inner rows run as an inner join with the inner side's distinct
// keys, built on the outer rows (planner/rule_semi_join_build.go). The
// answers must be those of the semi join: each outer row once, NULL keys
// matching nothing, duplicates on both sides, two key columns, keys of
// two integer types; at batch sizes straddling the boundaries, serial and
// parallel.
func TestSemiJoinAsDistinct(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	const inner = 150000
	mustExec(t, conn,
		`CREATE TABLE sj_out (id int, k int, k2 bigint)`,
		`INSERT INTO sj_out SELECT g, CASE WHEN g % 50 = 0 THEN NULL ELSE g * 7 % 3001 END, g % 3 FROM generate_series(1, 400) g`,
		`INSERT INTO sj_out SELECT id + 1000, k, k2 FROM sj_out WHERE id % 4 = 0`,
		`CREATE TABLE sj_in (k bigint, k2 int, v int)`,
		fmt.Sprintf(`INSERT INTO sj_in SELECT CASE WHEN g %% 1000 = 0 THEN NULL ELSE g %% 2000 END, g %% 5, g FROM generate_series(1, %d) g`, inner),
		`CHECKPOINT`,
		`INSERT INTO sj_in VALUES (2500, 1, 1), (2500, 1, 2), (NULL, NULL, 3)`)
	// The model, from the same generators.
	type key struct{ k, k2 int64 }
	in := map[int64]bool{}
	in2 := map[key]bool{}
	add := func(k, k2, v int64, kNull bool) {
		if kNull || v == 5 {
			return // the filter below drops v = 5
		}
		in[k] = true
		in2[key{k, k2}] = true
	}
	for g := int64(1); g <= inner; g++ {
		add(g%2000, g%5, g, g%1000 == 0)
	}
	add(2500, 1, 1, false)
	add(2500, 1, 2, false)
	var want1, want2 int64
	outer := func(g int64) (int64, int64, bool) { return g * 7 % 3001, g % 3, g%50 == 0 }
	for g := int64(1); g <= 400; g++ {
		for _, id := range []int64{g, g + 1000} {
			if id > 1000 && g%4 != 0 {
				continue
			}
			k, k2, null := outer(g)
			if !null && in[k] {
				want1 += id
			}
			if !null && in2[key{k, k2}] {
				want2 += id
			}
		}
	}
	const filter = `sj_in.v <> 5`
	queries := []string{
		`SELECT count(*), sum(id) FROM sj_out WHERE EXISTS (SELECT FROM sj_in WHERE sj_in.k = sj_out.k AND ` + filter + `)`,
		`SELECT count(*), sum(id) FROM sj_out WHERE k IN (SELECT k FROM sj_in WHERE ` + filter + `)`,
		`SELECT count(*), sum(id) FROM sj_out WHERE EXISTS (SELECT FROM sj_in WHERE sj_out.k = sj_in.k AND sj_in.k2 = sj_out.k2 AND ` + filter + `)`,
	}
	for _, minRows := range []int{1, 1 << 30} {
		for _, batch := range []int{1, 3, 1024} {
			mustExec(t, conn, fmt.Sprintf(`SET pqdb.parallel_min_rows = %d`, minRows), fmt.Sprintf(`SET pqdb.batch_rows = %d`, batch))
			for i, q := range queries {
				r := rowsText(t, conn, q)[0]
				w := want1
				if i == 2 {
					w = want2
				}
				if r[1] != fmt.Sprint(w) {
					t.Fatalf("parallel_min_rows %d, batches of %d: %s: %v, want sum %d", minRows, batch, q, r, w)
				}
			}
		}
	}
	mustExec(t, conn, `RESET pqdb.batch_rows`, `RESET pqdb.parallel_min_rows`)
	for _, q := range queries {
		plan := explainText(t, conn, q)
		if strings.Contains(plan, "Semi Join") || !strings.Contains(plan, "Runtime Filter: k") {
			t.Errorf("EXPLAIN %s:\n%s\nwants an inner join with a runtime filter on sj_in's keys", q, plan)
		}
	}
	// A condition that is not only key equalities keeps the semi join.
	q := `SELECT count(*) FROM sj_out WHERE EXISTS (SELECT FROM sj_in WHERE sj_in.k = sj_out.k AND sj_in.v > sj_out.id)`
	if plan := explainText(t, conn, q); !strings.Contains(plan, "Semi Join") {
		t.Errorf("EXPLAIN %s:\n%s\nlacks the semi join", q, plan)
	}
}
