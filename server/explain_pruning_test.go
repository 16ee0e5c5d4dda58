package server

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// explainArgs is EXPLAIN (ANALYZE) of q run with args through pgx's
// extended protocol, one line per plan line.
func explainArgs(t *testing.T, conn *pgx.Conn, q string, args ...any) string {
	t.Helper()
	rows, err := conn.Query(ctx(t), "EXPLAIN (ANALYZE, TIMING OFF, SUMMARY OFF) "+q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	var lines []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, line)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return strings.Join(lines, "\n")
}

// explainCount is the number EXPLAIN ANALYZE prints after key.
func explainCount(t *testing.T, plan, key string) int {
	t.Helper()
	m := regexp.MustCompile(regexp.QuoteMeta(key) + `: (\d+)`).FindStringSubmatch(plan)
	if m == nil {
		t.Fatalf("EXPLAIN ANALYZE lacks %q:\n%s", key, plan)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// TestExplainAnalyzePagePruning: a scan reads only the pages its
// predicates can match, as EXPLAIN ANALYZE shows, for a primary key
// equality with a parameter (pgx's extended protocol), IN, BETWEEN, IS
// NULL, LIKE 'prefix%' and an integer-widening cast, and still returns
// exactly the matching rows; UPDATE and DELETE by key read as little.
func TestExplainAnalyzePagePruning(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn,
		`CREATE TABLE pp (id int PRIMARY KEY, name text, note text, v int8)`,
		`INSERT INTO pp SELECT g, 'n' || lpad(g::text, 6, '0'), CASE WHEN g > 90000 THEN NULL ELSE 'x' END, g * 2 FROM generate_series(1, 100000) g`,
		`CHECKPOINT`,
		// A row in the tail is found too.
		`INSERT INTO pp VALUES (100001, 'tail', NULL, 0)`,
	)
	cases := []struct {
		query string
		args  []any
		rows  int
	}{
		{`SELECT * FROM pp WHERE id = $1`, []any{54321}, 1},
		{`SELECT * FROM pp WHERE id IN (5, $1, 77777)`, []any{500}, 3},
		{`SELECT * FROM pp WHERE id BETWEEN 20000 AND 20010`, nil, 11},
		{`SELECT * FROM pp WHERE note IS NULL`, nil, 10001},
		{`SELECT * FROM pp WHERE name LIKE 'n0500%'`, nil, 100},
		{`SELECT * FROM pp WHERE id::int8 = 4242`, nil, 1},
		{`SELECT * FROM pp WHERE v = $1`, []any{int64(1234)}, 1},
	}
	for _, c := range cases {
		plan := explainArgs(t, conn, c.query, c.args...)
		if !strings.Contains(plan, "actual rows="+strconv.Itoa(c.rows)+" ") {
			t.Errorf("%s %v: want %d rows:\n%s", c.query, c.args, c.rows, plan)
		}
		read, skipped := explainCount(t, plan, "Pages Read"), explainCount(t, plan, "Pages Skipped")
		if skipped == 0 || read >= skipped {
			t.Errorf("%s %v: pages read %d, skipped %d:\n%s", c.query, c.args, read, skipped, plan)
		}
		if explainCount(t, plan, "Bytes Read") == 0 || explainCount(t, plan, "Segment Cache Hits")+explainCount(t, plan, "Segments Opened") == 0 {
			t.Errorf("%s %v: no bytes or segments counted:\n%s", c.query, c.args, plan)
		}
	}
	// A point lookup decodes one page of each of the four columns of the
	// one row group, not of the row id column: a SELECT's scan leaves it
	// out (storage.RowIDOmitter), nothing being deleted.
	plan := explainArgs(t, conn, `SELECT * FROM pp WHERE id = $1`, 777)
	if got := explainCount(t, plan, "Pages Read"); got != 4 {
		t.Errorf("point lookup read %d pages:\n%s", got, plan)
	}
	if regexp.MustCompile(`Rows Removed by Filter: [1-9]`).MatchString(plan) {
		t.Errorf("point lookup scanned rows other than the key's (the tail's batch is skipped by its bounds):\n%s", plan)
	}
	// The tail's rows are found; the segment is skipped by its bounds.
	plan = explainArgs(t, conn, `SELECT * FROM pp WHERE id = $1`, 100001)
	if !strings.Contains(plan, "actual rows=1 ") || explainCount(t, plan, "Segments Skipped") != 1 {
		t.Errorf("lookup of a tail row:\n%s", plan)
	}
	// UPDATE and DELETE by key scan with the same predicates.
	tx, err := conn.Begin(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx(t))
	for _, q := range []string{`UPDATE pp SET v = -1 WHERE id = $1`, `DELETE FROM pp WHERE id = $1`} {
		plan := explainArgs(t, tx.Conn(), q, 31337)
		if read, skipped := explainCount(t, plan, "Pages Read"), explainCount(t, plan, "Pages Skipped"); read > 5 || skipped == 0 {
			t.Errorf("%s: pages read %d, skipped %d:\n%s", q, read, skipped, plan)
		}
	}
}

// TestPruningKeepsResults runs predicates of every shape storage prunes
// by on rows in the tail (batches pruned by their bounds) and again after
// CHECKPOINT (row groups, bloom filters and pages pruned): the results
// must not change.
func TestPruningKeepsResults(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn,
		`CREATE TABLE pk (id int8 PRIMARY KEY, s int2, d date, f float8, t text, c char(3))`,
		`INSERT INTO pk SELECT g, (g % 30000 - 15000)::int2, date '1969-12-20' + (g / 1000), 
			CASE WHEN g % 101 = 0 THEN 'NaN'::float8 WHEN g % 103 = 0 THEN '-0'::float8 ELSE g / 7.0 - 3000 END,
			CASE WHEN g % 17 = 0 THEN NULL ELSE chr(97 + g / 20000) || 'é' || lpad(g::text, 6, '0') END,
			CASE g % 3 WHEN 0 THEN 'ab' WHEN 1 THEN 'a' || chr(1) ELSE 'b' END
			FROM generate_series(1, 120000) g`)
	queries := []string{
		`SELECT count(*), sum(id) FROM pk WHERE id = 77777`,
		`SELECT count(*), sum(id) FROM pk WHERE id IN (1, 50000, 119999, 200000, NULL)`,
		`SELECT count(*), sum(id) FROM pk WHERE id BETWEEN 60000 AND 60100`,
		`SELECT count(*), sum(id) FROM pk WHERE s::int8 = 1234`,
		`SELECT count(*), sum(id) FROM pk WHERE s::int4 < -14990`,
		`SELECT count(*), sum(id) FROM pk WHERE d::timestamp >= timestamp '1970-01-30 12:00' AND d::timestamp < '1970-02-02'`,
		`SELECT count(*), sum(id) FROM pk WHERE d::timestamp = timestamp '1970-01-05'`,
		`SELECT count(*), sum(id) FROM pk WHERE d::timestamp = timestamp '1970-01-05 00:00:01'`,
		`SELECT count(*), sum(id) FROM pk WHERE f > 16000`,
		`SELECT count(*), sum(id) FROM pk WHERE f = 0`,
		`SELECT count(*), sum(id) FROM pk WHERE f = '-0'`,
		`SELECT count(*), sum(id) FROM pk WHERE t IS NULL`,
		`SELECT count(*), sum(id) FROM pk WHERE t IS NOT NULL AND id < 40`,
		`SELECT count(*), sum(id) FROM pk WHERE t LIKE 'cé04%'`,
		`SELECT count(*), sum(id) FROM pk WHERE t LIKE 'fé1199_9'`,
		`SELECT count(*), sum(id) FROM pk WHERE t = 'bé030000'`,
		`SELECT count(*), sum(id) FROM pk WHERE t >= 'cé' AND t < 'cê'`,
		`SELECT count(*), sum(id) FROM pk WHERE c = 'ab'`,
		`SELECT count(*), sum(id) FROM pk WHERE c < 'ab'`,
		`SELECT count(*), sum(id) FROM pk WHERE c = 'a' || chr(1)`,
	}
	run := func() []string {
		var out []string
		for _, q := range queries {
			var row []string
			for _, r := range rowsText(t, conn, q) {
				row = append(row, strings.Join(r, "|"))
			}
			out = append(out, strings.Join(row, ";"))
		}
		return out
	}
	tail := run()
	mustExec(t, conn, `CHECKPOINT`)
	segments := run()
	for i, q := range queries {
		if tail[i] != segments[i] {
			t.Errorf("%s: %s from the tail, %s from segments", q, tail[i], segments[i])
		}
	}
	if tail[0] != "1|77777" || tail[1] != "3|170000" {
		t.Errorf("lookups: %q, %q", tail[0], tail[1])
	}
}
