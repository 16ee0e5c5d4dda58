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

// segmentsRead is the "Segments Read" EXPLAIN ANALYZE reports for a full
// scan of table.
func segmentsRead(t *testing.T, conn *pgx.Conn, table string) int {
	t.Helper()
	got := explainText(t, conn, `(ANALYZE, TIMING OFF, SUMMARY OFF) SELECT count(*) FROM `+table)
	m := regexp.MustCompile(`Segments Read: (\d+)`).FindStringSubmatch(got)
	if m == nil {
		t.Fatalf("no segment count in:\n%s", got)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// TestVacuumCompactsSegments: many small commits leave many small
// segments; VACUUM merges them (row by row the same answers, at batch
// sizes straddling row groups and batches, before and after a restart),
// VACUUM FULL rewrites them, VERBOSE reports it, and the table's sort_key
// shows in pg_class.reloptions.
func TestVacuumCompactsSegments(t *testing.T) {
	dir := t.TempDir()
	cfg := Config{DataDir: dir, Storage: storage.Options{RowGroupRows: 4, Compaction: storage.CompactionPolicy{Disabled: true, SmallRows: 16}}} // segments of 5 rows are small
	srv, connect := startServerWith(t, cfg)
	conn := connect(t)
	mustExec(t, conn, `CREATE TABLE vc (id int PRIMARY KEY, grp text, v int) WITH (sort_key = 'grp, id')`)
	for i := 0; i < 20; i++ {
		mustExec(t, conn,
			fmt.Sprintf(`INSERT INTO vc SELECT g, 'g' || (g %% 3), g * 10 FROM generate_series(%d, %d) g`, 100-i*5-4, 100-i*5),
			"CHECKPOINT")
	}
	mustExec(t, conn, `DELETE FROM vc WHERE id % 7 = 0`, `UPDATE vc SET v = -v WHERE id % 5 = 1`, "CHECKPOINT",
		`DELETE FROM vc WHERE id BETWEEN 40 AND 44`) // the last stays in the tail
	queries := []string{
		`SELECT id, grp, v FROM vc ORDER BY id`,
		`SELECT grp, count(*), sum(v), min(id), max(id) FROM vc GROUP BY grp ORDER BY grp`,
		`SELECT id, v FROM vc WHERE grp = 'g1' AND id > 50 ORDER BY v`,
	}
	settings := []execSettings{{65536, 0, 131072}, {1, 0, 131072}, {3, 2, 0}, {4, 1, 0}}
	answers := func(conn *pgx.Conn) []string {
		var out []string
		for _, s := range settings {
			s.apply(t, conn)
			for _, q := range queries {
				var rows []string
				for _, r := range rowsText(t, conn, q) {
					rows = append(rows, strings.Join(r, "|"))
				}
				out = append(out, s.String()+" "+q+": "+strings.Join(rows, ";"))
			}
		}
		settings[0].apply(t, conn)
		return out
	}
	want := answers(conn)
	if !strings.Contains(want[0], "1|g1|-10;2|g2|20;3|g0|30;4|g1|40;5|g2|50;6|g0|-60;8|g2|80") || strings.Contains(want[0], ";41|") {
		t.Fatalf("unexpected rows before VACUUM: %s", want[0])
	}
	before := segmentsRead(t, conn, "vc")
	if before != 21 {
		t.Fatalf("%d segments before VACUUM, want 21", before)
	}
	same := func(when string, got []string) {
		t.Helper()
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("%s:\n got %s\nwant %s", when, got[i], want[i])
			}
		}
	}

	mustExec(t, conn, "VACUUM vc")
	after := segmentsRead(t, conn, "vc")
	if after >= before/2 || after == 0 {
		t.Fatalf("%d segments after VACUUM, was %d", after, before)
	}
	same("after VACUUM", answers(conn))

	// VERBOSE reports the work in INFO messages.
	ctx, nconn, notices := connectWithNotices(t, srv)
	if _, err := nconn.Exec(ctx, "VACUUM (VERBOSE) vc"); err != nil {
		t.Fatal(err)
	}
	if _, err := nconn.Exec(ctx, "VACUUM FULL VERBOSE vc"); err != nil {
		t.Fatal(err)
	}
	var info []string
	for _, n := range *notices {
		if n.Severity != "INFO" {
			t.Fatalf("notice of severity %s: %s", n.Severity, n.Message)
		}
		info = append(info, n.Message)
	}
	if len(info) != 4 || info[0] != `vacuuming "pqdb.public.vc"` || !strings.HasPrefix(info[1], `finished vacuuming "pqdb.public.vc": segments: `) ||
		info[2] != `vacuuming "public.vc"` || info[3] != `"public.vc": found 2 removable, 82 nonremovable row versions in 4 segments` {
		t.Fatalf("VERBOSE said %q", info)
	}
	same("after VACUUM FULL", answers(conn))

	// sort_key in reloptions, following a column rename; SET and RESET.
	reloptions := func() string {
		return rowsText(t, conn, `SELECT reloptions FROM pg_class WHERE relname = 'vc'`)[0][0]
	}
	if got := reloptions(); got != `{"sort_key=grp, id"}` {
		t.Fatalf("reloptions %s", got)
	}
	mustExec(t, conn, `ALTER TABLE vc SET (sort_key = 'v')`)
	if got := reloptions(); got != `{sort_key=v}` {
		t.Fatalf("reloptions after SET %s", got)
	}
	mustExec(t, conn, `ALTER TABLE vc RENAME COLUMN v TO "Val"`)
	if got := reloptions(); got != `{"sort_key=\"Val\""}` {
		t.Fatalf("reloptions after RENAME %s", got)
	}
	mustExec(t, conn, `CREATE TABLE vq ("A b" int, c int) WITH (sort_key = ' "A b" , C ')`)
	if got := rowsText(t, conn, `SELECT reloptions FROM pg_class WHERE relname = 'vq'`)[0][0]; got != `{"sort_key=\"A b\", c"}` {
		t.Fatalf("reloptions of vq %s", got)
	}
	mustExec(t, conn, `ALTER TABLE vc RESET (sort_key)`, `ALTER TABLE vc RENAME COLUMN "Val" TO v`)
	if got := reloptions(); got != "NULL" {
		t.Fatalf("reloptions after RESET %s", got)
	}

	// PostgreSQL's errors.
	for _, c := range []struct{ sql, code string }{
		{`CREATE TABLE vbad (a int) WITH (sort_key = 'b')`, "42703"},
		{`CREATE TABLE vbad (a jsonb) WITH (sort_key = 'a')`, "0A000"},
		{`CREATE TABLE vbad (a int) WITH (sort_key = 'a, a')`, "22023"},
		{`ALTER TABLE vc SET (sort_key = 'nope')`, "42703"},
		{`CREATE TABLE vbad (a int) WITH (sort_key = '')`, "22023"},
		{`CREATE TABLE vbad (a int, b int) WITH (sort_key = 'a b')`, "22023"},
		{`CREATE TABLE vbad (a int) WITH (sort_key = 'a', sort_key = 'a')`, "22023"},
		{`VACUUM vc_nosuch`, "42P01"},
	} {
		if _, err := conn.Exec(ctx, c.sql); sqlstate(err) != c.code {
			t.Errorf("%s: got %v, want SQLSTATE %s", c.sql, err, c.code)
		}
	}
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, "VACUUM vc"); sqlstate(err) != "25001" {
		t.Errorf("VACUUM in a transaction block: %v", err)
	}
	tx.Rollback(ctx)

	// After a restart: the same rows and segments.
	mustExec(t, conn, "CHECKPOINT")
	segments := segmentsRead(t, conn, "vc")
	srv.Close()
	_, connect = startServerWith(t, cfg)
	conn = connect(t)
	same("after restart", answers(conn))
	if got := segmentsRead(t, conn, "vc"); got != segments {
		t.Fatalf("%d segments after restart, was %d", got, segments)
	}
	mustExec(t, conn, "VACUUM") // every table
	same("after VACUUM of the database", answers(conn))

	// A dropped column leaves the sort key.
	mustExec(t, conn, `ALTER TABLE vc SET (sort_key = 'grp, v')`, `ALTER TABLE vc DROP COLUMN grp`)
	if got := rowsText(t, conn, `SELECT reloptions FROM pg_class WHERE relname = 'vc'`)[0][0]; got != `{sort_key=v}` {
		t.Fatalf("reloptions after DROP COLUMN %s", got)
	}
}
