package server

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// allTypesTable creates a table with a column of every type family and
// rows rows, a NULL in every column of every seventh row.
const allTypesTable = `CREATE TABLE %[1]s (
	id int8, i2 int2, i4 int4, f4 float4, f8 float8, n numeric(12,3), nv numeric,
	t text, vc varchar(20), b bool, by bytea, d date, tm time, ts timestamp, tz timestamptz,
	iv interval, u uuid, j json, jb jsonb, ia int4[], ta text[])`

const allTypesRows = `INSERT INTO %[1]s SELECT i,
	CASE WHEN i %% 7 = 0 THEN NULL ELSE (i %% 30000 - 15000)::int2 END,
	CASE WHEN i %% 7 = 0 THEN NULL ELSE i * 3 - 50000 END,
	CASE WHEN i %% 7 = 0 THEN NULL ELSE i / 8.0 END,
	CASE WHEN i %% 7 = 0 THEN NULL ELSE i / 3.0 END,
	CASE WHEN i %% 7 = 0 THEN NULL ELSE (i * 1.125)::numeric(12,3) END,
	CASE WHEN i %% 7 = 0 THEN NULL ELSE i::numeric / 4 END,
	CASE WHEN i %% 7 = 0 THEN NULL ELSE 'row ' || i || E' tab\t"quote",comma\\back' END,
	CASE WHEN i %% 7 = 0 THEN NULL ELSE 'v' || i END,
	CASE WHEN i %% 7 = 0 THEN NULL ELSE i %% 2 = 0 END,
	CASE WHEN i %% 7 = 0 THEN NULL ELSE decode(lpad(to_hex(i), 8, '0'), 'hex') END,
	CASE WHEN i %% 7 = 0 THEN NULL ELSE date '2000-01-01' + i END,
	CASE WHEN i %% 7 = 0 THEN NULL ELSE make_time((i / 3600) %% 24, (i / 60) %% 60, (i %% 60) + 0.5) END,
	CASE WHEN i %% 7 = 0 THEN NULL ELSE timestamp '2020-01-01 00:00:00' + i * interval '1 minute 0.25 second' END,
	CASE WHEN i %% 7 = 0 THEN NULL ELSE timestamptz '2020-01-01 00:00:00+00' + i * interval '1 hour' END,
	CASE WHEN i %% 7 = 0 THEN NULL ELSE i * interval '1 day 2 hours' END,
	CASE WHEN i %% 7 = 0 THEN NULL ELSE ('00000000-0000-0000-0000-' || lpad(to_hex(i), 12, '0'))::uuid END,
	CASE WHEN i %% 7 = 0 THEN NULL ELSE ('{"a": ' || i || '}')::json END,
	CASE WHEN i %% 7 = 0 THEN NULL ELSE ('{"b": [' || i || ', null]}')::jsonb END,
	CASE WHEN i %% 7 = 0 THEN NULL ELSE ARRAY[i::int4, NULL, -i::int4] END,
	CASE WHEN i %% 7 = 0 THEN NULL ELSE ARRAY['x' || i, NULL] END
	FROM generate_series(1, %[2]d) i`

// startFileServer runs pqdb with --allow-files dir.
func startFileServer(t *testing.T, dir string) *pgx.Conn {
	t.Helper()
	_, connect := startServerWith(t, Config{DataDir: t.TempDir(), AllowFiles: dir})
	return connect(t)
}

// TestCopyFileRoundTrip writes a table of every type family, more rows
// than one batch, to a file in each format and reads it back into a new
// table: the rows come back equal, NULLs included.
func TestCopyFileRoundTrip(t *testing.T) {
	dir := t.TempDir()
	conn := startFileServer(t, dir)
	const rows = 70000
	mustExec(t, conn, fmt.Sprintf(allTypesTable, "src"), fmt.Sprintf(allTypesRows, "src", rows))
	want := rowsText(t, conn, "SELECT * FROM src ORDER BY id")
	formats := []struct{ name, opts string }{
		{"text", ""},
		{"csv", "(FORMAT csv, HEADER)"},
		{"csv2", "(FORMAT csv, DELIMITER ';', NULL 'nil', QUOTE '''', ESCAPE '\\')"},
		{"binary", "(FORMAT binary)"},
		{"parquet", "(FORMAT parquet)"},
	}
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			path := filepath.Join(dir, "src."+f.name)
			tag, err := conn.Exec(ctx(t), fmt.Sprintf("COPY src TO '%s' %s", path, f.opts))
			if err != nil || tag.String() != fmt.Sprintf("COPY %d", rows) {
				t.Fatalf("COPY TO: %q %v", tag, err)
			}
			dst := "dst_" + f.name
			mustExec(t, conn, fmt.Sprintf(allTypesTable, dst))
			tag, err = conn.Exec(ctx(t), fmt.Sprintf("COPY %s FROM '%s' %s", dst, path, f.opts))
			if err != nil || tag.String() != fmt.Sprintf("COPY %d", rows) {
				t.Fatalf("COPY FROM: %q %v", tag, err)
			}
			got := rowsText(t, conn, "SELECT * FROM "+dst+" ORDER BY id")
			if !reflect.DeepEqual(got, want) {
				for i := range min(len(got), len(want)) {
					if !reflect.DeepEqual(got[i], want[i]) {
						t.Fatalf("row %d differs:\n got %v\nwant %v", i, got[i], want[i])
					}
				}
				t.Fatalf("got %d rows, want %d", len(got), len(want))
			}
		})
	}
	// A query's rows, and a column list both ways.
	path := filepath.Join(dir, "q.parquet")
	mustExec(t, conn,
		fmt.Sprintf("COPY (SELECT id, t AS label, id * 2 AS twice FROM src WHERE id <= 10) TO '%s' (FORMAT parquet)", path),
		"CREATE TABLE q (id int8, twice int4, label text DEFAULT 'none', other text DEFAULT 'dflt')",
		fmt.Sprintf("COPY q (twice, id) FROM '%s' (FORMAT parquet)", path),
		fmt.Sprintf("COPY src (id, t) TO '%s' (FORMAT csv)", filepath.Join(dir, "cols.csv")),
	)
	if got := rowsText(t, conn, "SELECT id, twice, label, other FROM q WHERE id IN (7, 8) ORDER BY id"); !reflect.DeepEqual(got, [][]string{{"7", "14", "none", "dflt"}, {"8", "16", "none", "dflt"}}) {
		t.Fatalf("column list: %v", got)
	}
}

// TestCopyFileMatchesPostgres compares the files pqdb writes in text, CSV
// and binary with those PostgreSQL 15 writes for the same rows, byte for
// byte, and loads PostgreSQL's into pqdb, when PQDB_TEST_PG_DSN names a
// PostgreSQL on this machine (it writes into a directory this test
// creates under /tmp).
func TestCopyFileMatchesPostgres(t *testing.T) {
	dsn := os.Getenv("PQDB_TEST_PG_DSN")
	if dsn == "" {
		t.Skip("PQDB_TEST_PG_DSN is not set: COPY TO a file is not compared with PostgreSQL")
	}
	dir, err := os.MkdirTemp("/tmp", "pqdb-copy-file-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o777)
	conn := startFileServer(t, dir)
	pg, err := pgx.Connect(ctx(t), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close(context.Background())
	for _, c := range []*pgx.Conn{conn, pg} {
		mustExec(t, c, "SET TimeZone = 'UTC'", "SET extra_float_digits = 1", fmt.Sprintf(strings.Replace(allTypesTable, "CREATE TABLE", "CREATE TEMP TABLE", 1), "cmp"), fmt.Sprintf(allTypesRows, "cmp", 3000))
	}
	// Options of COPY TO, and of COPY FROM for reading the file back.
	for i, c := range [][2]string{{"", ""}, {"(FORMAT csv, HEADER)", "(FORMAT csv, HEADER)"},
		{"(FORMAT text, NULL 'nil', DELIMITER '|')", "(FORMAT text, NULL 'nil', DELIMITER '|')"}, {"(FORMAT binary)", "(FORMAT binary)"},
		{"(FORMAT csv, FORCE_QUOTE *)", "(FORMAT csv)"}, {"(FORMAT csv, FORCE_QUOTE (t, j), NULL 'x')", "(FORMAT csv, NULL 'x', FORCE_NULL (t))"}} {
		opts := c[0]
		mine, theirs := filepath.Join(dir, fmt.Sprintf("pqdb%d", i)), filepath.Join(dir, fmt.Sprintf("pg%d", i))
		mustExec(t, conn, fmt.Sprintf("COPY (SELECT * FROM cmp ORDER BY id) TO '%s' %s", mine, opts))
		mustExec(t, pg, fmt.Sprintf("COPY (SELECT * FROM cmp ORDER BY id) TO '%s' %s", theirs, opts))
		a, _ := os.ReadFile(mine)
		b, err := os.ReadFile(theirs)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			la, lb := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
			for k := range min(len(la), len(lb)) {
				if la[k] != lb[k] {
					t.Fatalf("%s: line %d differs:\npqdb %q\n  pg %q", opts, k+1, la[k], lb[k])
				}
			}
			t.Fatalf("%s: %d bytes, PostgreSQL %d", opts, len(a), len(b))
		}
		// And PostgreSQL's file loads into pqdb.
		mustExec(t, conn, "TRUNCATE cmp", fmt.Sprintf("COPY cmp FROM '%s' %s", theirs, c[1]))
		mustExec(t, conn, "TRUNCATE cmp", fmt.Sprintf(allTypesRows, "cmp", 3000))
	}
}

// errorCase is a statement and the SQLSTATE and message PostgreSQL 15
// gives for it ("" where pqdb's own feature has no PostgreSQL
// counterpart, and the message is pqdb's).
type errorCase struct{ sql, code, message string }

func checkErrors(t *testing.T, conn *pgx.Conn, cases []errorCase) {
	t.Helper()
	for _, c := range cases {
		_, err := conn.Exec(ctx(t), c.sql)
		pe, ok := err.(*pgconn.PgError)
		if !ok {
			t.Errorf("%s: got %v, want %s", c.sql, err, c.code)
			continue
		}
		if pe.Code != c.code || !strings.Contains(pe.Message, c.message) {
			t.Errorf("%s:\n got %s %s\nwant %s %s", c.sql, pe.Code, pe.Message, c.code, c.message)
		}
	}
}

// TestCopyFileErrors: what PostgreSQL 15 says about files it cannot use,
// and pqdb's refusals.
func TestCopyFileErrors(t *testing.T) {
	dir := t.TempDir()
	conn := startFileServer(t, dir)
	mustExec(t, conn, "CREATE TABLE e (a int, b text)")
	os.WriteFile(filepath.Join(dir, "bad.csv"), []byte("1,x\nnope,y\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "short.txt"), []byte("1\n"), 0o644)
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	nope := filepath.Join(dir, "nope.csv")
	checkErrors(t, conn, []errorCase{
		{"COPY e FROM '" + nope + "'", "58P01", `could not open file "` + nope + `" for reading: No such file or directory`},
		{"COPY e TO '" + filepath.Join(dir, "missing", "x.csv") + "'", "58P01", "for writing: No such file or directory"},
		{"COPY e FROM '" + filepath.Join(dir, "sub") + "'", "42809", `"` + filepath.Join(dir, "sub") + `" is a directory`},
		{"COPY e TO '" + filepath.Join(dir, "sub") + "'", "42809", "for writing: Is a directory"},
		{"COPY e TO 'relative.csv'", "42602", "relative path not allowed for COPY to file"},
		{"COPY e FROM 'relative.csv'", "42602", "relative path not allowed for COPY from file"},
		{"COPY e FROM '" + filepath.Join(dir, "bad.csv") + "' (FORMAT csv)", "22P02", `invalid input syntax for type integer: "nope"`},
		{"COPY e FROM '" + filepath.Join(dir, "short.txt") + "'", "22P04", "missing data for column \"b\""},
		{"COPY e FROM PROGRAM 'ls'", "0A000", "external program"},
		{"COPY e TO PROGRAM 'cat'", "0A000", "external program"},
		{"COPY e TO STDOUT (FORMAT parquet)", "0A000", "needs a server-side file"},
		{"COPY e TO '" + filepath.Join(dir, "x.parquet") + "' (FORMAT parquet, HEADER)", "0A000", `COPY option "header" is not supported with FORMAT parquet`},
		{"COPY e FROM '" + filepath.Join(dir, "bad.csv") + "' (FORMAT parquet)", "22P04", "could not read Parquet file"},
		{"COPY e FROM '" + filepath.Join(dir, "bad.csv") + "' (FORMAT xml)", "22023", `COPY format "xml" not recognized`},
		{"COPY e (a) TO '" + filepath.Join(dir, "f.csv") + "' (FORMAT csv, FORCE_QUOTE (b))", "42P10", `FORCE_QUOTE column "b" not referenced by COPY`},
		{"COPY e TO '" + filepath.Join(dir, "f.csv") + "' (FORMAT csv, FORCE_QUOTE (zz))", "42703", `column "zz" of relation "e" does not exist`},
		{"COPY e TO '" + filepath.Join(dir, "f.csv") + "' (FORCE_QUOTE (b))", "0A000", "COPY force quote available only in CSV mode"},
		{"COPY e FROM '" + filepath.Join(dir, "bad.csv") + "' (FORMAT csv, FORCE_QUOTE *)", "0A000", "COPY force quote only available using COPY TO"},
		{"COPY e FROM '" + filepath.Join(dir, "bad.csv") + "' (FORCE_NOT_NULL (b))", "0A000", "COPY force not null available only in CSV mode"},
		{"COPY e TO '" + filepath.Join(dir, "f.csv") + "' (FORMAT csv, FORCE_NULL (b))", "0A000", "COPY force null only available using COPY FROM"},
		{"COPY e (a) FROM '" + filepath.Join(dir, "bad.csv") + "' (FORMAT csv, FORCE_NULL (b))", "42P10", `FORCE_NULL column "b" not referenced by COPY`},
	})
	// FORCE_NOT_NULL reads an unquoted empty value as '', FORCE_NULL a
	// quoted one as NULL (PostgreSQL 15's rows).
	os.WriteFile(filepath.Join(dir, "force.csv"), []byte("1,,\"\"\n3,\"\",\n"), 0o644)
	mustExec(t, conn, "CREATE TABLE fn (a int, b text, c text)", "COPY fn FROM '"+filepath.Join(dir, "force.csv")+"' (FORMAT csv, FORCE_NOT_NULL (b), FORCE_NULL (c))")
	if got := rowsText(t, conn, "SELECT a, b IS NULL, b, c IS NULL FROM fn ORDER BY a"); !reflect.DeepEqual(got, [][]string{{"1", "f", "", "t"}, {"3", "f", "", "t"}}) {
		t.Fatalf("FORCE_NOT_NULL, FORCE_NULL: %v", got)
	}
	// The failed COPYs left nothing behind.
	if got := rowsText(t, conn, "SELECT count(*) FROM e"); got[0][0] != "0" {
		t.Fatalf("rows after failed COPYs: %v", got)
	}
	// The context of a bad value names the line, as for COPY FROM STDIN.
	_, err := conn.Exec(ctx(t), "COPY e FROM '"+filepath.Join(dir, "bad.csv")+"' (FORMAT csv)")
	if pe, ok := err.(*pgconn.PgError); !ok || pe.Where != `COPY e, line 2, column a: "nope"` {
		t.Fatalf("context: %#v", err)
	}

	// Parquet columns are matched by name and converted as INSERT's
	// assignment casts convert.
	pq := filepath.Join(dir, "e.parquet")
	mustExec(t, conn, "INSERT INTO e VALUES (1, 'abc'), (NULL, NULL)", "COPY e TO '"+pq+"' (FORMAT parquet)")
	mustExec(t, conn, "CREATE TABLE missing (a int, z int)", "CREATE TABLE wrong (a int, b int)", "CREATE TABLE short (a int, b varchar(2))", "CREATE TABLE wide (b text, a int8)")
	checkErrors(t, conn, []errorCase{
		{"COPY missing FROM '" + pq + "' (FORMAT parquet)", "42703", `column "z" of relation "missing" is not in Parquet file`},
		{"COPY wrong FROM '" + pq + "' (FORMAT parquet)", "42804", `column "b" is of type integer but expression is of type text`},
		{"COPY short FROM '" + pq + "' (FORMAT parquet)", "22001", "value too long for type character varying(2)"},
	})
	mustExec(t, conn, "COPY wide FROM '"+pq+"' (FORMAT parquet)", "COPY missing (a) FROM '"+pq+"' (FORMAT parquet)")
	if got := rowsText(t, conn, "SELECT b, a FROM wide ORDER BY a"); !reflect.DeepEqual(got, [][]string{{"abc", "1"}, {"NULL", "NULL"}}) {
		t.Fatalf("wide: %v", got)
	}
}

// TestAllowFiles: without --allow-files every server-side file is
// refused; with it, only paths that resolve inside the directory.
func TestAllowFiles(t *testing.T) {
	_, connect := startServer(t)
	off := connect(t)
	mustExec(t, off, "CREATE TABLE f (a int)")
	outside := t.TempDir()
	for _, sql := range []string{
		"COPY f TO '" + filepath.Join(outside, "x.csv") + "'",
		"COPY f FROM '" + filepath.Join(outside, "x.csv") + "'",
		"COPY f FROM '" + filepath.Join(outside, "x.parquet") + "' (FORMAT parquet)",
		"SELECT * FROM read_parquet('" + filepath.Join(outside, "x.parquet") + "')",
		"SELECT * FROM read_parquet('x.parquet')",
	} {
		_, err := off.Exec(ctx(t), sql)
		pe, ok := err.(*pgconn.PgError)
		if !ok || pe.Code != "42501" || !strings.Contains(pe.Hint, "--allow-files") {
			t.Errorf("%s without --allow-files: %v", sql, err)
		}
	}
	if _, err := os.Stat(filepath.Join(outside, "x.csv")); err == nil {
		t.Fatal("a refused COPY TO created its file")
	}

	base := t.TempDir()
	dir := filepath.Join(base, "allowed")
	os.Mkdir(dir, 0o755)
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	secret := filepath.Join(base, "secret.csv")
	os.WriteFile(secret, []byte("42\n"), 0o644)
	os.Symlink(secret, filepath.Join(dir, "escape.csv"))
	os.Symlink(base, filepath.Join(dir, "up"))
	os.WriteFile(filepath.Join(dir, "ok.csv"), []byte("7\n"), 0o644)
	os.Symlink(filepath.Join(dir, "ok.csv"), filepath.Join(dir, "sub", "link.csv"))
	conn := startFileServer(t, dir)
	mustExec(t, conn, "CREATE TABLE f (a int)")
	for _, sql := range []string{
		"COPY f FROM '" + secret + "'",
		"COPY f FROM '" + dir + "/../secret.csv'",
		"COPY f FROM '" + dir + "/sub/../../secret.csv'",
		"COPY f FROM '" + filepath.Join(dir, "escape.csv") + "'",
		"COPY f FROM '" + filepath.Join(dir, "up", "secret.csv") + "'",
		"COPY f TO '" + filepath.Join(dir, "up", "new.csv") + "'",
		"COPY f TO '" + filepath.Join(dir, "escape.csv") + "'",
		"SELECT * FROM read_parquet('../*.csv')",
		"SELECT * FROM read_parquet('" + filepath.Join(dir, "up", "*") + "')",
		"SELECT * FROM read_parquet('" + base + "/*/x.parquet')",
	} {
		_, err := conn.Exec(ctx(t), sql)
		pe, ok := err.(*pgconn.PgError)
		if !ok || pe.Code != "42501" || !strings.Contains(pe.Message, "outside the --allow-files directory") {
			t.Errorf("%s: %v", sql, err)
		}
	}
	if b, _ := os.ReadFile(secret); string(b) != "42\n" {
		t.Fatalf("the secret file was changed: %q", b)
	}
	// Inside the directory, through ".." and symlinks that stay inside.
	mustExec(t, conn,
		"COPY f FROM '"+filepath.Join(dir, "ok.csv")+"'",
		"COPY f FROM '"+dir+"/sub/../ok.csv'",
		"COPY f FROM '"+filepath.Join(dir, "sub", "link.csv")+"'",
		"COPY f TO '"+filepath.Join(dir, "sub", "out.parquet")+"' (FORMAT parquet)",
	)
	if got := rowsText(t, conn, "SELECT count(*), sum(a) FROM read_parquet('sub/out.parquet')"); !reflect.DeepEqual(got, [][]string{{"3", "21"}}) {
		t.Fatalf("relative read_parquet: %v", got)
	}
}

// TestCopyFromDefaults: the columns a COPY FROM leaves out get their
// defaults (serial, identity, DEFAULT), from a file and from STDIN, as
// PostgreSQL 15 gives them.
func TestCopyFromDefaults(t *testing.T) {
	dir := t.TempDir()
	conn := startFileServer(t, dir)
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("10\n20\n"), 0o644)
	mustExec(t, conn, "CREATE TABLE d (id serial PRIMARY KEY, a int, b text DEFAULT 'dflt', c int, e int GENERATED BY DEFAULT AS IDENTITY)",
		"COPY d (a) FROM '"+filepath.Join(dir, "a.txt")+"'")
	if _, err := conn.PgConn().CopyFrom(ctx(t), strings.NewReader("5\t6\n"), "COPY d (c, a) FROM STDIN"); err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"1", "10", "dflt", "NULL", "1"}, {"2", "20", "dflt", "NULL", "2"}, {"3", "6", "dflt", "5", "3"}}
	if got := rowsText(t, conn, "SELECT * FROM d ORDER BY id"); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v", got)
	}
}
