package server

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/pqdb/pqdb/storage"
)

// TestDictionaryFilter: predicates on dictionary-encoded text columns
// skip row groups whose dictionaries hold no matching value and drop rows
// by their codes, which EXPLAIN ANALYZE shows; the answers, over
// segments with deleted rows, rows deleted by the unflushed tail and tail
// rows, are PostgreSQL 15's (recorded from it with the same statements).
func TestDictionaryFilter(t *testing.T) {
	cfg := Config{DataDir: t.TempDir(), Storage: storage.Options{RowGroupRows: 500, Compaction: storage.CompactionPolicy{Disabled: true}}}
	_, connect := startServerWith(t, cfg)
	conn := connect(t)
	mustExec(t, conn, `CREATE TABLE li (id int, mode text, note varchar(20), flag text)`)
	// Three segments of three row groups: the first with modes AIR, MAIL
	// and TRUCK, the second with all seven, the third with FOB, REG AIR
	// and SHIP, so values within a group's bounds are missing from its
	// dictionary.
	for _, part := range []struct {
		from, to int
		modes    string
	}{
		{1, 1500, `'AIR','MAIL','TRUCK'`},
		{1501, 3000, `'AIR','FOB','MAIL','RAIL','REG AIR','SHIP','TRUCK'`},
		{3001, 4500, `'FOB','REG AIR','SHIP'`},
	} {
		n := strings.Count(part.modes, ",") + 1
		mustExec(t, conn, fmt.Sprintf(`INSERT INTO li SELECT g, CASE WHEN g %% 11 = 0 THEN NULL ELSE (ARRAY[%s])[g %% %d + 1] END,
			CASE WHEN g %% 17 = 0 THEN NULL ELSE 'note-' || lpad(g::text, 5, '0') END, (ARRAY['A','N','R'])[g %% 3 + 1]
			FROM generate_series(%d, %d) g`, part.modes, n, part.from, part.to), "CHECKPOINT")
	}
	mustExec(t, conn, `DELETE FROM li WHERE id IN (2, 5, 1501, 1502, 1503, 2002, 3000, 3001)`, "CHECKPOINT",
		`DELETE FROM li WHERE id IN (8, 1600, 1602, 2500, 4499)`,
		`INSERT INTO li VALUES (4501, 'MAIL', 'note-04501', 'A'), (4502, 'BOAT', 'note-04502', 'N'), (4503, NULL, NULL, 'R'), (4504, 'RAIL', 'note-01234', 'A')`)

	// Recorded from PostgreSQL 15 (psql -At -F '|'; NULL prints empty).
	cases := []struct{ query, want string }{
		{`SELECT count(*), min(id), max(id), sum(id) FROM li WHERE mode = 'MAIL'`, "650|1|4501|782856"},
		{`SELECT count(*), sum(id) FROM li WHERE mode IN ('MAIL', 'SHIP')`, "1298|2921929"},
		{`SELECT count(*) FROM li WHERE mode = 'BOAT'`, "1"},
		{`SELECT count(*), sum(id) FROM li WHERE mode IN ('BOAT', 'RAIL', NULL)`, "196|446045"},
		{`SELECT id, mode, note FROM li WHERE mode LIKE 'R%' AND id % 97 = 0 ORDER BY id`,
			"1649|REG AIR|\n1746|RAIL|note-01746\n2328|REG AIR|note-02328\n2425|RAIL|note-02425\n3007|REG AIR|note-03007\n" +
				"3298|REG AIR|\n3589|REG AIR|note-03589\n3880|REG AIR|note-03880\n4171|REG AIR|note-04171\n4462|REG AIR|note-04462"},
		{`SELECT mode, count(*) FROM li WHERE mode >= 'MAIL' AND mode < 'SHIP' GROUP BY mode ORDER BY mode`, "MAIL|650\nRAIL|195\nREG AIR|647"},
		{`SELECT id, mode, note, flag FROM li WHERE note IN ('note-01234', 'note-02002', 'note-01600', 'note-09999', NULL) ORDER BY id`,
			"1234|MAIL|note-01234|N\n4504|RAIL|note-01234|A"},
		{`SELECT count(*), sum(id) FROM li WHERE mode = 'MAIL' AND note >= 'note-00500' AND note < 'note-01700'`, "310|324627"},
		{`SELECT id, mode FROM li WHERE mode IN ('RAIL', 'BOAT') AND id BETWEEN 1590 AND 1700 ORDER BY id`,
			"1592|RAIL\n1599|RAIL\n1613|RAIL\n1620|RAIL\n1627|RAIL\n1634|RAIL\n1641|RAIL\n1648|RAIL\n1655|RAIL\n1662|RAIL\n1669|RAIL\n1676|RAIL\n1690|RAIL\n1697|RAIL"},
		{`SELECT flag, count(*) FROM li WHERE mode = 'TRUCK' AND flag <> 'N' GROUP BY flag ORDER BY flag`, "A|63\nR|515"},
		{`SELECT count(*) FROM li WHERE mode IS NULL`, "408"},
	}
	// Batches straddling the kept rows, and parallel pipelines sharing
	// the row groups.
	settings := [][]string{
		{"RESET pqdb.batch_rows"},
		{"SET pqdb.batch_rows = 1"},
		{"SET pqdb.batch_rows = 7"},
		{"RESET pqdb.batch_rows", "SET pqdb.parallel_min_rows = 0", "SET max_parallel_workers_per_gather = 2"},
	}
	check := func(cases []struct{ query, want string }) {
		t.Helper()
		for _, set := range settings {
			mustExec(t, conn, set...)
			for _, c := range cases {
				if got := strings.Join(pipeRows(t, conn, c.query), "\n"); got != c.want {
					t.Errorf("%v: %s:\ngot  %q\nwant %q", set, c.query, got, c.want)
				}
			}
		}
		mustExec(t, conn, "RESET pqdb.batch_rows", "RESET pqdb.parallel_min_rows", "RESET max_parallel_workers_per_gather")
	}
	check(cases)

	count := func(plan, key string) int {
		m := regexp.MustCompile(key + `: (\d+)`).FindStringSubmatch(plan)
		if m == nil {
			t.Fatalf("EXPLAIN ANALYZE lacks %q:\n%s", key, plan)
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}
	plan := explainText(t, conn, `(ANALYZE, TIMING OFF, SUMMARY OFF) SELECT count(*) FROM li WHERE mode = 'BOAT'`)
	// The first two segments' six row groups hold BOAT within their
	// bounds but not in their dictionaries; the third's bounds exclude it.
	if g := count(plan, "Row Groups Skipped by Dictionary"); g != 6 {
		t.Errorf("the dictionaries skipped %d row groups, want 6:\n%s", g, plan)
	}
	if g := count(plan, "Row Groups Read"); g != 0 {
		t.Errorf("%d row groups read:\n%s", g, plan)
	}
	plan = explainText(t, conn, `(ANALYZE, TIMING OFF, SUMMARY OFF) SELECT count(*) FROM li WHERE mode = 'MAIL'`)
	if g := count(plan, "Row Groups Skipped by Dictionary"); g != 3 {
		t.Errorf("the dictionaries skipped %d row groups, want the third segment's 3:\n%s", g, plan)
	}
	if r := count(plan, "Rows Removed by Dictionary"); r < 2000 {
		t.Errorf("codes dropped %d rows:\n%s", r, plan)
	}

	// An enum column is stored as its labels: equality and IN decide on
	// them as on text.
	mustExec(t, conn, `CREATE TYPE ship AS ENUM ('TRUCK', 'SHIP', 'RAIL', 'MAIL', 'AIR')`, `CREATE TABLE le (id int, m ship)`,
		`INSERT INTO le SELECT g, CASE WHEN g % 13 = 0 THEN NULL ELSE (ARRAY['TRUCK','SHIP','RAIL','MAIL','AIR'])[g % 5 + 1]::ship END FROM generate_series(1, 1200) g`, "CHECKPOINT",
		`INSERT INTO le SELECT g, (ARRAY['TRUCK','AIR'])[g % 2 + 1]::ship FROM generate_series(1201, 2400) g`, "CHECKPOINT")
	check([]struct{ query, want string }{
		{`SELECT count(*), sum(id) FROM le WHERE m = 'MAIL'`, "221|132758"},
		{`SELECT count(*), sum(id) FROM le WHERE m IN ('RAIL', 'SHIP')`, "443|265030"},
		{`SELECT m, count(*) FROM le WHERE m IS NOT NULL GROUP BY m ORDER BY m`, "TRUCK|822\nSHIP|221\nRAIL|222\nMAIL|221\nAIR|822"},
	})
	plan = explainText(t, conn, `(ANALYZE, TIMING OFF, SUMMARY OFF) SELECT count(*) FROM le WHERE m = 'MAIL'`)
	if g := count(plan, "Row Groups Skipped by Dictionary"); g != 3 {
		t.Errorf("the dictionaries skipped %d row groups of enums, want the second segment's 3:\n%s", g, plan)
	}
}

// pipeRows runs q and returns its rows as psql -At -F '|' prints them.
func pipeRows(t *testing.T, conn *pgx.Conn, q string) []string {
	t.Helper()
	var out []string
	for _, row := range rowsText(t, conn, q) {
		for i, v := range row {
			if v == "NULL" {
				row[i] = ""
			}
		}
		out = append(out, strings.Join(row, "|"))
	}
	return out
}
