package server

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// TestExplainAnalyzeModifying: EXPLAIN ANALYZE runs a statement with
// data-modifying WITH queries (or a data-modifying main statement) as
// PostgreSQL does: the writes take effect, and each data-modifying query
// is shown as its ModifyTable node ("CTE name" under the main statement's
// top node), counting the rows it returned, over its instrumented source;
// plain EXPLAIN runs nothing. The counts are PostgreSQL 15's.
func TestExplainAnalyzeModifying(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn, `CREATE TABLE em_src (a int)`,
		`INSERT INTO em_src SELECT g FROM generate_series(1, 3000) g`,
		`CREATE TABLE em_dst (a int)`)
	count := func(table string) string { return rowsText(t, conn, "SELECT count(*) FROM "+table)[0][0] }
	// contains checks for lines of the plan, each line of a want
	// indented as it may be.
	contains := func(what, got string, wants ...string) {
		t.Helper()
		for _, want := range wants {
			re := strings.ReplaceAll(regexp.QuoteMeta(want), "\n", `\n\s*`)
			if !regexp.MustCompile(re).MatchString(got) {
				t.Errorf("%s lacks %q:\n%s", what, want, got)
			}
		}
	}

	// Without ANALYZE nothing runs.
	got := explainText(t, conn, `WITH ins AS (INSERT INTO em_dst SELECT a FROM em_src RETURNING *) SELECT count(*) FROM ins`)
	contains("EXPLAIN", got, "CTE ins", "Insert on em_dst", "CTE Scan on ins")
	if strings.Contains(got, "actual") || count("em_dst") != "0" {
		t.Fatalf("EXPLAIN ran the statement:\n%s", got)
	}

	for _, batch := range []int{1, 3, 1024} {
		mustExec(t, conn, fmt.Sprintf("SET pqdb.batch_rows = %d", batch), `DELETE FROM em_dst`)
		what := fmt.Sprintf("batch %d", batch)
		got = explainText(t, conn, `(ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) WITH ins AS (INSERT INTO em_dst SELECT a FROM em_src WHERE a % 3 = 0 RETURNING *) SELECT count(*) FROM ins`)
		contains(what, got,
			"CTE ins\n->  Insert on em_dst (actual rows=1000 loops=1)",
			"Seq Scan on em_src (actual rows=1000 loops=1)",
			"Rows Removed by Filter: 2000",
			"Aggregate (actual rows=1 loops=1)",
			"CTE Scan on ins (actual rows=1000 loops=1)")
		if n := count("em_dst"); n != "1000" {
			t.Errorf("%s: EXPLAIN ANALYZE inserted %s rows, want 1000", what, n)
		}

		// Two data-modifying queries, a main query reading both.
		got = explainText(t, conn, `(ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) WITH d AS (DELETE FROM em_dst WHERE a <= 30 RETURNING a), u AS (UPDATE em_dst SET a = -a WHERE a > 2970 RETURNING a) SELECT * FROM d, u`)
		contains(what, got,
			"CTE d\n->  Delete on em_dst (actual rows=10 loops=1)",
			"CTE u\n->  Update on em_dst (actual rows=10 loops=1)",
			"CTE Scan on d (actual rows=10 loops=1)")
		if n := rowsText(t, conn, `SELECT count(*), sum(a) FROM em_dst WHERE a < 0 OR a <= 30`)[0]; n[0] != "10" || n[1] != "-29865" {
			t.Errorf("%s: after DELETE and UPDATE under EXPLAIN ANALYZE: %v, want 10 rows summing to -29865", what, n)
		}

		// A data-modifying main statement returns no rows without
		// RETURNING; WITH RECURSIVE feeds the WITH query.
		got = explainText(t, conn, `(ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5), d AS (DELETE FROM em_dst WHERE a < 0 RETURNING a) INSERT INTO em_dst SELECT a + n FROM d, r`)
		contains(what, got,
			"Insert on em_dst (actual rows=0 loops=1)",
			"CTE d\n->  Delete on em_dst (actual rows=10 loops=1)",
			"Recursive Union (actual rows=5 loops=1)")
		if n := count("em_dst"); n != "1030" {
			t.Errorf("%s: %s rows after the recursive insert, want 1030", what, n)
		}
		got = explainText(t, conn, `(ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) UPDATE em_dst SET a = a + 1 WHERE a = 3000 RETURNING a`)
		// How many rows the filter removes (if any) depends on what
		// statistics skipped, which depends on when the writer flushed.
		contains(what, got, "Update on em_dst (actual rows=0 loops=1)")
	}
	mustExec(t, conn, "RESET pqdb.batch_rows")

	// FORMAT JSON, with timing: the WITH query is an InitPlan.
	raw := rowsText(t, conn, `EXPLAIN (ANALYZE, FORMAT JSON) WITH i AS (INSERT INTO em_dst VALUES (7), (8) RETURNING a) SELECT * FROM i`)[0][0]
	var doc []struct {
		Plan struct {
			Plans []struct {
				NodeType     string   `json:"Node Type"`
				Relationship string   `json:"Parent Relationship"`
				SubplanName  string   `json:"Subplan Name"`
				Operation    string   `json:"Operation"`
				RelationName string   `json:"Relation Name"`
				ActualRows   int      `json:"Actual Rows"`
				ActualLoops  int      `json:"Actual Loops"`
				Total        *float64 `json:"Actual Total Time"`
			} `json:"Plans"`
		} `json:"Plan"`
	}
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		t.Fatalf("%v:\n%s", err, raw)
	}
	if p := doc[0].Plan.Plans[0]; p.NodeType != "ModifyTable" || p.Relationship != "InitPlan" || p.SubplanName != "CTE i" || p.Operation != "Insert" ||
		p.RelationName != "em_dst" || p.ActualRows != 2 || p.ActualLoops != 1 || p.Total == nil {
		t.Errorf("unexpected WITH query %+v in\n%s", p, raw)
	}
	if n := rowsText(t, conn, `SELECT count(*) FROM em_dst WHERE a IN (7, 8)`)[0][0]; n != "2" {
		t.Errorf("EXPLAIN (ANALYZE, FORMAT JSON) inserted %s rows, want 2", n)
	}

	// Parameters of the extended protocol reach the WITH query.
	rows, err := conn.Query(ctx(t), `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) WITH i AS (INSERT INTO em_dst VALUES ($1) RETURNING a) SELECT * FROM i WHERE a = $1`, 4242)
	if err != nil {
		t.Fatal(err)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n := rowsText(t, conn, `SELECT count(*) FROM em_dst WHERE a = 4242`)[0][0]; n != "1" {
		t.Errorf("EXPLAIN ANALYZE with a parameter inserted %s rows, want 1", n)
	}

	// A failed statement writes nothing; a read-only transaction refuses
	// EXPLAIN ANALYZE of a write (naming the statement, as PostgreSQL
	// does), but not EXPLAIN.
	before := count("em_dst")
	if _, err := conn.Exec(ctx(t), `EXPLAIN ANALYZE WITH d AS (DELETE FROM em_dst RETURNING a) SELECT 1 / (a - a) FROM d`); sqlstate(err) != "22012" {
		t.Errorf("division by zero under EXPLAIN ANALYZE: got %v, want 22012", err)
	}
	if n := count("em_dst"); n != before {
		t.Errorf("a failed EXPLAIN ANALYZE left %s rows, want %s", n, before)
	}
	mustExec(t, conn, "BEGIN READ ONLY")
	for q, msg := range map[string]string{
		`EXPLAIN ANALYZE WITH i AS (INSERT INTO em_dst VALUES (1)) SELECT 1`: "cannot execute SELECT in a read-only transaction",
		`EXPLAIN ANALYZE INSERT INTO em_dst VALUES (1)`:                      "cannot execute INSERT in a read-only transaction",
	} {
		mustExec(t, conn, "SAVEPOINT s")
		if _, err := conn.Exec(ctx(t), q); sqlstate(err) != "25006" || !strings.Contains(err.Error(), msg) {
			t.Errorf("%s in a read-only transaction: got %v, want %q (25006)", q, err, msg)
		}
		mustExec(t, conn, "ROLLBACK TO SAVEPOINT s")
	}
	explainText(t, conn, `WITH i AS (INSERT INTO em_dst VALUES (1)) SELECT 1`)
	mustExec(t, conn, "ROLLBACK")
}
