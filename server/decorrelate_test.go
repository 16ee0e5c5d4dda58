package server

import (
	"strings"
	"testing"
)

// TestDecorrelatedSubqueries covers the WHERE subqueries the planner turns
// into semi and anti joins (planner/rule_decorrelate.go): EXISTS and NOT
// EXISTS on equality keys with NULLs on both sides, duplicate keys in the
// inner table, an empty inner table, residual conditions that are not
// equalities (as in TPC-H Q21), a correlated condition over the outer row
// only, correlated and uncorrelated IN, and a NOT EXISTS nested in an
// EXISTS. Every query runs at batch sizes that put a boundary after every
// row, every few rows and every 1023 rows as well as the default, with and
// without parallel pipelines, before and after CHECKPOINT. The expected
// rows come from PostgreSQL 15 over the same tables.
func TestDecorrelatedSubqueries(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn,
		`CREATE TABLE dout (id int, k int, g int, s int)`,
		`CREATE TABLE din (k int, s int, w int)`,
		`CREATE TABLE dempty (k int, s int)`,
		`INSERT INTO dout SELECT i, CASE WHEN i % 11 = 0 THEN NULL ELSE i % 97 END, i % 7, i % 5 FROM generate_series(1, 3000) i`,
		`INSERT INTO din SELECT CASE WHEN i % 13 = 0 THEN NULL ELSE (i * 7) % 150 + 40 END, i % 5, i FROM generate_series(1, 2000) i`,
	)
	queries := []string{
		`SELECT count(*), sum(id) FROM dout WHERE EXISTS (SELECT 1 FROM din WHERE din.k = dout.k)`,
		`SELECT count(*), sum(id), count(k) FROM dout WHERE NOT EXISTS (SELECT 1 FROM din WHERE din.k = dout.k)`,
		`SELECT count(*), sum(id) FROM dout WHERE EXISTS (SELECT 1 FROM din WHERE din.k = dout.k AND din.s <> dout.s)`,
		`SELECT count(*), sum(id), count(k) FROM dout WHERE NOT EXISTS (SELECT 1 FROM din WHERE din.k = dout.k AND din.s <> dout.s AND din.w > 1500)`,
		`SELECT count(*), sum(id) FROM dout WHERE EXISTS (SELECT 1 FROM din WHERE din.k = dout.k AND din.s = dout.s)`,
		`SELECT count(*), sum(id) FROM dout WHERE NOT EXISTS (SELECT 1 FROM din WHERE din.k = dout.k AND din.s = dout.s)`,
		`SELECT (SELECT count(*) FROM dout WHERE EXISTS (SELECT 1 FROM dempty WHERE dempty.k = dout.k)), (SELECT count(*) FROM dout WHERE NOT EXISTS (SELECT 1 FROM dempty WHERE dempty.k = dout.k AND dempty.s <> dout.s))`,
		`SELECT count(*), sum(id) FROM dout WHERE EXISTS (SELECT 1 FROM din WHERE din.w < dout.id AND din.w < 40 AND din.s = 3)`,
		`SELECT count(*), sum(id) FROM dout WHERE NOT EXISTS (SELECT 1 FROM din WHERE din.w < dout.id AND din.w < 40 AND din.s = 3)`,
		`SELECT count(*), sum(id) FROM dout WHERE NOT EXISTS (SELECT 1 FROM din WHERE dout.g > 3 AND din.w = 7)`,
		`SELECT g, count(*), sum(id) FROM dout WHERE g <> 2 AND EXISTS (SELECT * FROM din WHERE din.k = dout.k AND din.s <> dout.s) AND NOT EXISTS (SELECT * FROM din d2 WHERE d2.k = dout.k AND d2.s <> dout.s AND d2.w > 1900) GROUP BY g ORDER BY g`,
		`SELECT id, k, s FROM dout WHERE id < 60 AND NOT EXISTS (SELECT 1 FROM din WHERE din.k = dout.k) ORDER BY id`,
		`SELECT count(*), sum(id) FROM dout WHERE s IN (SELECT din.s FROM din WHERE din.k = dout.k AND din.w % 3 = 0)`,
		`SELECT count(*), sum(id) FROM dout WHERE k IN (SELECT k FROM din WHERE w < 500)`,
		`SELECT count(*), sum(id) FROM dout WHERE k + 1 IN (SELECT DISTINCT din.k FROM din WHERE din.s = dout.s ORDER BY 1)`,
		`SELECT count(*) FROM dout o1 WHERE EXISTS (SELECT 1 FROM dout o2 WHERE o2.k = o1.k AND o2.id <> o1.id AND NOT EXISTS (SELECT 1 FROM din WHERE din.k = o2.k AND din.s = o2.s))`,
	}
	want := []string{
		"1602|2432517",
		"1398|2068983|1126",
		"1282|1949102",
		"1718|2552398|1446",
		"320|483415",
		"2680|4018085",
		"0|3000",
		"2997|4501494",
		"3|6",
		"1715|2573142",
		"0|62|90657;1|62|99252;3|62|93846;4|56|82075;5|61|98508;6|60|89428",
		"1|1|1;2|2|2;3|3|3;4|4|4;5|5|0;6|6|1;7|7|2;8|8|3;9|9|4;10|10|0;11|NULL|1;12|12|2;13|13|3;14|14|4;15|15|0;16|16|1;17|17|2;18|18|3;19|19|4;20|20|0;21|21|1;22|NULL|2;23|23|3;24|24|4;25|25|0;26|26|1;27|27|2;28|28|3;29|29|4;30|30|0;31|31|1;32|32|2;33|NULL|3;34|34|4;35|35|0;36|36|1;37|37|2;38|38|3;39|39|4;44|NULL|4;55|NULL|0",
		"109|167659",
		"1602|2432517",
		"324|493274",
		"2728",
	}
	checkAcrossSettings(t, conn, settingsGrid([]int{1, 2, 3, 1023, 65536}, []int{0, 2}), queries, want)

	// EXPLAIN shows the joins that run instead of per-row SubPlans.
	plan := func(q string) string { return explainText(t, conn, q) }
	for q, want := range map[string][]string{
		queries[10]: {"Hash Semi Join", "Hash Anti Join", "Join Filter: (s <> s)"},
		queries[8]:  {"Nested Loop Anti Join", "Join Filter: (w < id)"},
		queries[12]: {"Hash Semi Join"},
	} {
		got := plan(q)
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("EXPLAIN %s:\n%s\nlacks %q", q, got, w)
			}
		}
		if strings.Contains(got, "SubPlan") {
			t.Errorf("EXPLAIN %s:\n%s\nstill has a SubPlan", q, got)
		}
	}
}
