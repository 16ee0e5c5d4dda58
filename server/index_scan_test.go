package server

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// indexScanRows returns q's rows as text, run with enable_indexscan on or
// off, and whether EXPLAIN shows an Index Scan for it.
func indexScanRows(t *testing.T, conn *pgx.Conn, on bool, q string, args ...any) ([][]string, bool) {
	t.Helper()
	mustExec(t, conn, fmt.Sprintf("SET enable_indexscan = %v", on))
	rows := queryText(t, conn, q, args...)
	plan := strings.Join(slices.Concat(queryText(t, conn, "EXPLAIN "+q, args...)...), "\n")
	return rows, strings.Contains(plan, "Index Scan using")
}

// queryText runs q with args through pgx's extended protocol and returns
// its rows as text.
func queryText(t *testing.T, conn *pgx.Conn, q string, args ...any) [][]string {
	t.Helper()
	rows, err := conn.Query(ctx(t), q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out [][]string
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(vals))
		for i, v := range vals {
			row[i] = fmt.Sprint(v)
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return out
}

// TestIndexScanDifferential creates secondary indexes over a table with
// flushed, compacted, updated, deleted and unflushed rows and checks that
// random queries return the same rows read through an index as read in
// full (enable_indexscan = off), at several batch sizes, and that the
// selective ones do read through the index.
func TestIndexScanDifferential(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn,
		`CREATE TABLE ixd (id int PRIMARY KEY, a int, b text, c date, e bigint)`,
		`INSERT INTO ixd SELECT g, CASE WHEN g % 29 = 0 THEN NULL ELSE (g * 7919) % 1000 END, 'b' || ((g * 31) % 500), DATE '2020-01-01' + (g * 17) % 365, g * 3 FROM generate_series(1, 20000) g`,
		`CHECKPOINT`,
		`CREATE INDEX ixd_a_idx ON ixd (a)`,
		`CREATE INDEX ON ixd (b, c)`,
		`CREATE UNIQUE INDEX ixd_e_key ON ixd (e)`,
		`INSERT INTO ixd SELECT g, (g * 13) % 1000, 'b' || ((g * 37) % 500), DATE '2020-01-01' + (g * 11) % 365, g * 3 FROM generate_series(20001, 30000) g`,
		`CHECKPOINT`,
		`UPDATE ixd SET a = a + 1, b = b || 'x' WHERE id % 17 = 0`,
		`DELETE FROM ixd WHERE id % 23 = 0`,
		`CHECKPOINT`,
		`VACUUM ixd`,
		`UPDATE ixd SET a = NULL WHERE id % 31 = 0`,
		`DELETE FROM ixd WHERE id % 37 = 0`,
		`INSERT INTO ixd SELECT g, g % 1000, 'b' || (g % 500), DATE '2020-06-01', g * 3 FROM generate_series(30001, 30500) g`,
	)
	rng := rand.New(rand.NewPCG(4, 2))
	a := func() int { return rng.IntN(1010) - 5 }
	b := func() string { return fmt.Sprintf("'b%d%s'", rng.IntN(510), []string{"", "", "x"}[rng.IntN(3)]) }
	c := func() string { return fmt.Sprintf("DATE '2020-01-01' + %d", rng.IntN(370)) }
	preds := []func() (string, bool){
		func() (string, bool) { return fmt.Sprintf("a = %d", a()), true },
		func() (string, bool) { return fmt.Sprintf("a IN (%d, %d, %d)", a(), a(), a()), true },
		func() (string, bool) { x := a(); return fmt.Sprintf("a BETWEEN %d AND %d", x, x+rng.IntN(20)), true },
		func() (string, bool) { return fmt.Sprintf("a = %d AND id %% 3 = 0", a()), true },
		func() (string, bool) { return "a IS NULL", false },
		func() (string, bool) { return fmt.Sprintf("b = %s", b()), true },
		func() (string, bool) { return fmt.Sprintf("b = %s AND c = %s", b(), c()), true },
		func() (string, bool) { return fmt.Sprintf("b = %s AND c > %s", b(), c()), true },
		func() (string, bool) { return fmt.Sprintf("b IN (%s, %s)", b(), b()), true },
		func() (string, bool) { return fmt.Sprintf("c = %s", c()), false },
		func() (string, bool) { return fmt.Sprintf("e = %d", rng.IntN(95000)), true },
		func() (string, bool) { return fmt.Sprintf("a = %d OR b = %s", a(), b()), false },
		func() (string, bool) { return fmt.Sprintf("a = %d AND b = %s", a(), b()), true },
	}
	for q := range 120 {
		pred, indexed := preds[q%len(preds)]()
		query := "SELECT id, a, b, c, e FROM ixd WHERE " + pred + " ORDER BY id"
		if q%4 == 0 {
			mustExec(t, conn, fmt.Sprintf("SET pqdb.batch_rows = %d", 1+rng.IntN(100)))
		}
		got, usedIndex := indexScanRows(t, conn, true, query)
		want, _ := indexScanRows(t, conn, false, query)
		if !slices.EqualFunc(got, want, slices.Equal) {
			t.Fatalf("%s: index scan returned %d rows, full scan %d", query, len(got), len(want))
		}
		if usedIndex != indexed {
			t.Errorf("%s: index scan used %v, want %v", query, usedIndex, indexed)
		}
	}
	// A parameter chooses the index too (pgx's extended protocol).
	for _, v := range []any{int32(5), int32(700)} {
		got, used := indexScanRows(t, conn, true, "SELECT id FROM ixd WHERE a = $1 ORDER BY id", v)
		want, _ := indexScanRows(t, conn, false, "SELECT id FROM ixd WHERE a = $1 ORDER BY id", v)
		if !used || !slices.EqualFunc(got, want, slices.Equal) || len(got) == 0 {
			t.Fatalf("a = %v: index %v, %d rows, want %d", v, used, len(got), len(want))
		}
	}
}

// TestIndexScanExplain: EXPLAIN names the index and its condition as
// PostgreSQL does, and EXPLAIN ANALYZE shows the index files and pages a
// lookup read and the table pages it skipped; after a restart the index
// still serves; DROP INDEX goes back to a sequential scan.
func TestIndexScanExplain(t *testing.T) {
	dir := t.TempDir()
	srv, connect := startServerAt(t, dir)
	conn := connect(t)
	mustExec(t, conn,
		`CREATE TABLE ixe (id int PRIMARY KEY, b int, note text)`,
		`INSERT INTO ixe SELECT g, (g * 7919) % 100000, 'n' || g FROM generate_series(1, 100000) g`,
		`CREATE INDEX ixe_b_idx ON ixe (b)`,
		`CHECKPOINT`,
	)
	explainLines := func(q string) []string {
		var lines []string
		for _, r := range rowsText(t, conn, "EXPLAIN (COSTS OFF) "+q) {
			lines = append(lines, strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(r[0]), "->")))
		}
		return lines
	}
	// The node and its condition lines as PostgreSQL 15 prints an Index
	// Scan (pqdb adds its Project and Columns lines around them; the
	// expressions are in pqdb's own rendering, as in every Filter line).
	for q, want := range map[string][]string{
		"SELECT * FROM ixe WHERE b = 5":                    {"Index Scan using ixe_b_idx on ixe", "Index Cond: (b = 5)"},
		"SELECT * FROM ixe WHERE b = 5 AND note <> 'x'":    {"Index Scan using ixe_b_idx on ixe", "Index Cond: (b = 5)", "Filter: (note <> x)"},
		"SELECT * FROM ixe x WHERE b IN (1, 2) AND id > 3": {"Index Scan using ixe_b_idx on ixe x", "Index Cond: (b IN (1, 2))", "Filter: (id > 3)"},
	} {
		lines := explainLines(q)
		i := slices.Index(lines, want[0])
		if i < 0 || len(lines) < i+1+len(want) || !slices.Equal(dropColumns(lines[i:]), want) {
			t.Errorf("EXPLAIN %s:\n%s\nwant\n%s", q, strings.Join(lines, "\n"), strings.Join(want, "\n"))
		}
	}
	analyzed := explainArgs(t, conn, "SELECT * FROM ixe WHERE b = $1", 5*7919%100000)
	if !strings.Contains(analyzed, "actual rows=1 ") || explainCount(t, analyzed, "Index Files Read") != 1 ||
		explainCount(t, analyzed, "Index Pages Read") == 0 || explainCount(t, analyzed, "Row Groups Read") != 1 {
		t.Fatalf("EXPLAIN ANALYZE:\n%s", analyzed)
	}
	if read, skipped := explainCount(t, analyzed, "Pages Read"), explainCount(t, analyzed, "Pages Skipped"); read >= skipped {
		t.Fatalf("lookup read %d pages, skipped %d:\n%s", read, skipped, analyzed)
	}
	conn.Close(ctx(t))
	srv.Close()
	_, connect = startServerAt(t, dir)
	conn = connect(t)
	if got := queryText(t, conn, "SELECT id FROM ixe WHERE b = $1", 5*7919%100000); len(got) != 1 || got[0][0] != "5" {
		t.Fatalf("after restart: %v", got)
	}
	analyzed = explainArgs(t, conn, "SELECT * FROM ixe WHERE b = 10")
	if explainCount(t, analyzed, "Index Files Read") != 1 {
		t.Fatalf("after restart:\n%s", analyzed)
	}
	// An index on a column of three values is not worth reading.
	mustExec(t, conn, "CREATE TABLE ixf (id int, f int)", "INSERT INTO ixf SELECT g, g % 3 FROM generate_series(1, 3000) g",
		"CREATE INDEX ixf_f_idx ON ixf (f)", "CHECKPOINT")
	if plan := strings.Join(slices.Concat(rowsText(t, conn, "EXPLAIN (COSTS OFF) SELECT * FROM ixf WHERE f = 1")...), "\n"); strings.Contains(plan, "Index Scan") {
		t.Fatalf("unselective index chosen:\n%s", plan)
	}
	mustExec(t, conn, "DROP INDEX ixe_b_idx")
	if plan := explainLines("SELECT * FROM ixe WHERE b = 5"); !slices.Contains(plan, "Seq Scan on ixe") {
		t.Fatalf("after DROP INDEX: %v", plan)
	}
}

// dropColumns leaves out the Columns lines pqdb's EXPLAIN adds.
func dropColumns(lines []string) []string {
	return slices.DeleteFunc(slices.Clone(lines), func(l string) bool { return strings.HasPrefix(l, "Columns:") })
}

// TestCreateIndexKinds: CREATE INDEX refuses the access methods pqdb
// builds nothing for (after PostgreSQL's own checks), accepts brin (its
// segments' statistics) and builds btree and hash; EXPLAIN (FORMAT
// JSON) names the index a scan reads through.
func TestCreateIndexKinds(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn, `CREATE TABLE ixk (id int, j jsonb, arr int[], t text)`)
	for _, q := range []string{
		`CREATE INDEX ON ixk USING gin (j)`,
		`CREATE INDEX ON ixk USING gin (arr)`,
		`CREATE INDEX ON ixk USING gist (t)`,
		`CREATE INDEX ON ixk USING spgist (t)`,
	} {
		_, err := conn.Exec(ctx(t), q)
		if got := sqlstate(err); got != "0A000" && got != "42704" {
			t.Errorf("%s: %v, want 0A000 (or PostgreSQL's 42704 for a type the method has no operator class for)", q, err)
		}
	}
	if _, err := conn.Exec(ctx(t), `CREATE INDEX ON ixk USING gin (j)`); sqlstate(err) != "0A000" || !strings.Contains(err.Error(), `access method "gin" is not supported`) {
		t.Errorf("gin: %v", err)
	}
	mustExec(t, conn,
		`CREATE INDEX ixk_brin ON ixk USING brin (id)`,
		`CREATE INDEX ixk_hash ON ixk USING hash (t)`,
		`INSERT INTO ixk SELECT g, NULL, NULL, 't' || g FROM generate_series(1, 1000) g`,
		`CHECKPOINT`,
	)
	plan := strings.Join(slices.Concat(queryText(t, conn, `EXPLAIN (FORMAT JSON) SELECT id FROM ixk WHERE t = 't7'`)...), "")
	// pgx decodes the json into maps, which print as map[key:value ...].
	if !strings.Contains(plan, "Node Type:Index Scan") || !strings.Contains(plan, "Index Name:ixk_hash") || !strings.Contains(plan, "Index Cond:(t = t7)") {
		t.Errorf("EXPLAIN (FORMAT JSON):\n%s", plan)
	}
	if got := queryText(t, conn, `SELECT id FROM ixk WHERE t = 't7'`); len(got) != 1 || got[0][0] != "7" {
		t.Errorf("hash lookup: %v", got)
	}
}

// TestCreateIndexUnbuiltNotice: a non-unique index over expressions or
// with a WHERE clause is recorded (pg_dump output loads) and a NOTICE says
// it is not built; a unique one is enforced and says nothing.
func TestCreateIndexUnbuiltNotice(t *testing.T) {
	srv, _ := startServer(t)
	c, conn, notices := connectWithNotices(t, srv)
	if _, err := conn.Exec(c, `CREATE TABLE ixn (id int, email text, gone bool)`); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]string{
		`CREATE INDEX ixn_lower ON ixn (lower(email))`:         `index "ixn_lower" is recorded but not built: pqdb builds no non-unique index over expressions`,
		`CREATE INDEX ixn_live ON ixn (email) WHERE NOT gone`:  `index "ixn_live" is recorded but not built: pqdb builds no non-unique index with a WHERE clause`,
		`CREATE UNIQUE INDEX ixn_ulower ON ixn (lower(email))`: "",
		`CREATE INDEX ixn_email ON ixn (email)`:                "",
	} {
		*notices = nil
		if _, err := conn.Exec(c, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		var got string
		if len(*notices) > 0 {
			got = (*notices)[0].Message
		}
		if got != want {
			t.Errorf("%s: notice %q, want %q", q, got, want)
		}
	}
}
