package server

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestExplainAnalyze: EXPLAIN ANALYZE runs the query and reports, per
// operator that ran, the rows it returned and how often it ran, whatever
// the batch size; a correlated subquery's plan shows one loop per outer
// row it ran for.
func TestExplainAnalyze(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn, `CREATE TABLE ea (a int, b text)`)
	mustExec(t, conn, `INSERT INTO ea SELECT g, 'x' || g % 7 FROM generate_series(1, 2500) g`)
	mustExec(t, conn, `CREATE TABLE eb (a int)`)
	mustExec(t, conn, `INSERT INTO eb VALUES (1), (2), (3), (2000)`)
	for _, where := range []string{"tail", "segments"} {
		if where == "segments" {
			mustExec(t, conn, "CHECKPOINT")
		}
		for _, batch := range []int{1, 3, 1023, 65536} {
			mustExec(t, conn, fmt.Sprintf("SET pqdb.batch_rows = %d", batch))
			got := explainText(t, conn, `(ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT * FROM ea JOIN eb ON ea.a = eb.a WHERE ea.a > 1 ORDER BY ea.a LIMIT 2`)
			// The join's build keys (eb's) filter the scan of ea: its
			// one tail batch may hold them all, but of its segment only
			// the keys' rows are read.
			scanned := "Seq Scan on ea (actual rows=2499 loops=1)"
			if where == "segments" {
				scanned = "Seq Scan on ea (actual rows=3 loops=1)"
			}
			for _, want := range []string{
				"Limit (actual rows=2 loops=1)",
				"Sort (actual rows=2 loops=1)",
				"Sort Method: top-N heapsort",
				"Hash Join (actual rows=3 loops=1)",
				scanned,
				"Runtime Filter: a",
				"Rows Removed by Filter: 1",
				"Seq Scan on eb (actual rows=4 loops=1)",
			} {
				if !strings.Contains(got, want) {
					t.Errorf("%s, batch %d: EXPLAIN ANALYZE lacks %q:\n%s", where, batch, want, got)
				}
			}
			// Not decorrelated (the subquery is under an OR): the
			// subquery's plan runs once per row of ea.
			got = explainText(t, conn, `(ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT count(*) FROM ea WHERE a < 0 OR EXISTS (SELECT 1 FROM eb WHERE eb.a = ea.a + 1)`)
			if !regexp.MustCompile(`SubPlan 1\n\s+->  .*loops=2500\)`).MatchString(got) {
				t.Errorf("%s, batch %d: the SubPlan does not run 2500 loops:\n%s", where, batch, got)
			}
			if !strings.Contains(got, "Aggregate (actual rows=1 loops=1)") {
				t.Errorf("%s, batch %d: no aggregate of one row:\n%s", where, batch, got)
			}
		}
	}
	mustExec(t, conn, "RESET pqdb.batch_rows")

	// Timing and the summary are on by default under ANALYZE.
	got := explainText(t, conn, `(ANALYZE, COSTS OFF) SELECT count(*) FROM ea`)
	if !regexp.MustCompile(`Aggregate \(actual time=\d+\.\d{3}\.\.\d+\.\d{3} rows=1 loops=1\)`).MatchString(got) ||
		!regexp.MustCompile(`(?m)^Planning Time: \d+\.\d{3} ms\nExecution Time: \d+\.\d{3} ms$`).MatchString(got) {
		t.Errorf("EXPLAIN ANALYZE lacks times or the summary:\n%s", got)
	}
	// Parallel pipelines are shown once, each a loop.
	mustExec(t, conn, "SET pqdb.parallel_min_rows = 0")
	mustExec(t, conn, "SET max_parallel_workers_per_gather = 2")
	got = explainText(t, conn, `(ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT b, count(*) FROM ea GROUP BY b`)
	for _, want := range []string{"Parallel HashAggregate (actual rows=7 loops=1)", "Pipelines: 3", "Seq Scan on ea (actual rows=833 loops=3)"} {
		if !strings.Contains(got, want) {
			t.Errorf("parallel EXPLAIN ANALYZE lacks %q:\n%s", want, got)
		}
	}
	if strings.Count(got, "Seq Scan") != 1 {
		t.Errorf("parallel pipelines shown more than once:\n%s", got)
	}
	// A sort over a scan sorts in the pipelines and merges their runs.
	got = explainText(t, conn, `(ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT a, b FROM ea WHERE a > 10 ORDER BY b DESC, a`)
	for _, want := range []string{"Parallel Sort (actual rows=2490 loops=1)", "Sort Key: b DESC, a", "Sort Method: quicksort  Memory: ", "Pipelines: 3", "Seq Scan on ea (actual rows=830 loops=3)"} {
		if !strings.Contains(got, want) {
			t.Errorf("parallel sort's EXPLAIN ANALYZE lacks %q:\n%s", want, got)
		}
	}
}

// TestExplainFormatJSON: EXPLAIN (FORMAT JSON) is one json value with
// PostgreSQL's keys, with ANALYZE's counts when asked.
func TestExplainFormatJSON(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn, `CREATE TABLE ej (a int, b text)`)
	mustExec(t, conn, `INSERT INTO ej SELECT g, 'y' FROM generate_series(1, 10) g`)
	var raw string
	var oid uint32
	rows, err := conn.Query(ctx(t), `EXPLAIN (ANALYZE, FORMAT JSON) SELECT * FROM ej WHERE a > 4`)
	if err != nil {
		t.Fatal(err)
	}
	oid = rows.FieldDescriptions()[0].DataTypeOID
	n := 0
	for rows.Next() {
		var v []byte
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		raw = string(v)
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n != 1 || oid != 114 {
		t.Fatalf("FORMAT JSON gave %d rows of type %d, want 1 of json (114)", n, oid)
	}
	var doc []struct {
		Plan struct {
			Plans []struct {
				NodeType     string  `json:"Node Type"`
				RelationName string  `json:"Relation Name"`
				ActualRows   int     `json:"Actual Rows"`
				ActualLoops  int     `json:"Actual Loops"`
				Filter       string  `json:"Filter"`
				Removed      int     `json:"Rows Removed by Filter"`
				Total        float64 `json:"Actual Total Time"`
				PlanRows     int     `json:"Plan Rows"`
			} `json:"Plans"`
		} `json:"Plan"`
		Execution *float64 `json:"Execution Time"`
	}
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		t.Fatalf("%v:\n%s", err, raw)
	}
	p := doc[0].Plan.Plans[0] // under the Project
	if p.NodeType != "Seq Scan" || p.RelationName != "ej" || p.ActualRows != 6 || p.ActualLoops != 1 || p.Filter != "(a > 4)" || p.Removed != 4 || doc[0].Execution == nil || p.PlanRows < 1 || p.PlanRows > 10 {
		t.Errorf("unexpected plan %+v in\n%s", doc[0], raw)
	}
}

// TestExplainEstimates: with COSTS (the default) each node shows the
// planner's estimate of its rows, beside the actual rows under ANALYZE,
// in text as "(rows=N)" and in JSON as "Plan Rows"; COSTS OFF shows none.
func TestExplainEstimates(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn, `CREATE TABLE est_big (a int, b int)`,
		`INSERT INTO est_big SELECT g, g % 10 FROM generate_series(1, 1000) g`,
		`CREATE TABLE est_small (a int)`,
		`INSERT INTO est_small SELECT g * 3 FROM generate_series(1, 20) g`,
		`CHECKPOINT`)
	for _, c := range []struct{ query, want string }{
		{`SELECT * FROM est_big`, "Seq Scan on est_big  (rows=1000)"},
		// An equality keeps 1/distinct values: a spans 1..1000.
		{`SELECT * FROM est_big WHERE a = 5`, "Seq Scan on est_big  (rows=1)"},
		// A join on a key keeps 1/max(distinct values of its sides) of
		// the pairs: 1000 * 20 / 1000.
		{`SELECT * FROM est_big JOIN est_small ON est_big.a = est_small.a`, "Hash Join  (rows=20)"},
		// Groups are the key's distinct values, at most one per row: b
		// spans 0..9.
		{`SELECT b, count(*) FROM est_big GROUP BY b`, "HashAggregate  (rows=10)"},
	} {
		got := explainText(t, conn, c.query)
		if !strings.Contains(got, c.want) {
			t.Errorf("EXPLAIN %s lacks %q:\n%s", c.query, c.want, got)
		}
	}
	// a's 1000 values, as the writer's distinct-count sketch estimates
	// them (within its error).
	got := explainText(t, conn, `SELECT a, count(*) FROM est_big GROUP BY a`)
	n := -1
	if m := regexp.MustCompile(`HashAggregate  \(rows=(\d+)\)`).FindStringSubmatch(got); m != nil {
		n, _ = strconv.Atoi(m[1])
	}
	if n < 950 || n > 1000 {
		t.Errorf("GROUP BY a: estimate not about 1000 groups:\n%s", got)
	}
	got = explainText(t, conn, `(ANALYZE, TIMING OFF, SUMMARY OFF) SELECT * FROM est_big WHERE a = 5`)
	if !strings.Contains(got, "Seq Scan on est_big  (rows=1) (actual rows=1 loops=1)") {
		t.Errorf("EXPLAIN ANALYZE lacks the estimate beside the actual rows:\n%s", got)
	}
	got = explainText(t, conn, `(ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT * FROM est_big WHERE a = 5`)
	if strings.Contains(got, "(rows=") || !strings.Contains(got, "Seq Scan on est_big (actual rows=1 loops=1)") {
		t.Errorf("COSTS OFF shows estimates:\n%s", got)
	}
	raw := rowsText(t, conn, `EXPLAIN (FORMAT JSON) SELECT * FROM est_big`)[0][0]
	if !strings.Contains(raw, `"Plan Rows": 1000`) {
		t.Errorf("JSON lacks Plan Rows:\n%s", raw)
	}
	raw = rowsText(t, conn, `EXPLAIN (FORMAT JSON, COSTS OFF) SELECT * FROM est_big`)[0][0]
	if strings.Contains(raw, `"Plan Rows"`) {
		t.Errorf("JSON with COSTS OFF has Plan Rows:\n%s", raw)
	}
}

// TestExplainOptions: EXPLAIN's options are checked as PostgreSQL checks
// them, and those pqdb cannot honour are refused, never ignored.
func TestExplainOptions(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	for q, code := range map[string]string{
		`EXPLAIN (foo) SELECT 1`:                         "42601",
		`EXPLAIN (analyze maybe) SELECT 1`:               "42601",
		`EXPLAIN (analyze 2) SELECT 1`:                   "42601",
		`EXPLAIN (format bar) SELECT 1`:                  "22023",
		`EXPLAIN (timing) SELECT 1`:                      "22023",
		`EXPLAIN (wal) SELECT 1`:                         "22023",
		`EXPLAIN (format xml) SELECT 1`:                  "0A000",
		`EXPLAIN (format yaml) SELECT 1`:                 "0A000",
		`EXPLAIN (buffers) SELECT 1`:                     "0A000",
		`EXPLAIN (analyze, wal) SELECT 1`:                "0A000",
		`EXPLAIN ANALYZE CREATE TABLE x (a int)`:         "42601",
		`EXPLAIN (analyze) INSERT INTO nosuch VALUES(1)`: "42P01",
	} {
		if _, err := conn.Exec(ctx(t), q); sqlstate(err) != code {
			t.Errorf("%s: got %v, want %s", q, err, code)
		}
	}
	for _, q := range []string{`EXPLAIN (analyze 0, costs off, verbose) SELECT 1`, `EXPLAIN (analyze off, summary on) SELECT 1`, `EXPLAIN (buffers off) SELECT 1`} {
		if _, err := conn.Exec(ctx(t), q); err != nil {
			t.Errorf("%s: %v", q, err)
		}
	}
}

// TestExplainExecute: EXPLAIN EXECUTE shows the prepared statement's
// plan, and under ANALYZE runs it (an INSERT inserts), as in PostgreSQL;
// an unknown name or a bad argument fails as EXECUTE would.
func TestExplainExecute(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn, `CREATE TABLE xe (a int PRIMARY KEY, b text); INSERT INTO xe VALUES (5, 'five')`)
	mustExec(t, conn, `PREPARE xp(int) AS SELECT b FROM xe WHERE a = $1`)
	mustExec(t, conn, `PREPARE xq(int) AS INSERT INTO xe VALUES ($1, 'x')`)
	got := explainText(t, conn, `(COSTS OFF) EXECUTE xp(5)`)
	if !strings.Contains(got, "Seq Scan on xe") || !strings.Contains(got, "Filter: (a = $1)") {
		t.Errorf("EXPLAIN EXECUTE does not show the statement's plan:\n%s", got)
	}
	got = explainText(t, conn, `(ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) EXECUTE xp(5)`)
	if !strings.Contains(got, "Seq Scan on xe (actual rows=1 loops=1)") {
		t.Errorf("EXPLAIN ANALYZE EXECUTE of a query:\n%s", got)
	}
	got = explainText(t, conn, `(ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) EXECUTE xq(4)`)
	if !strings.HasPrefix(got, "Insert on xe (actual rows=0 loops=1)") {
		t.Errorf("EXPLAIN ANALYZE EXECUTE of an INSERT:\n%s", got)
	}
	if rows := rowsText(t, conn, `SELECT a, b FROM xe ORDER BY a`); fmt.Sprint(rows) != "[[4 x] [5 five]]" {
		t.Errorf("after EXPLAIN ANALYZE EXECUTE of an INSERT: %v", rows)
	}
	for _, c := range []struct{ sql, code string }{
		{`EXPLAIN EXECUTE nope(1)`, "26000"},
		{`EXPLAIN EXECUTE xp('x')`, "22P02"},
	} {
		if _, err := conn.Exec(ctx(t), c.sql); sqlstate(err) != c.code {
			t.Errorf("%s: %v, want %s", c.sql, err, c.code)
		}
	}
}
