package server

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// Both protocols must give the same answers: pgx's default extended
// protocol with its statement cache, and the simple protocol.
var modes = map[string]pgx.QueryExecMode{
	"extended": pgx.QueryExecModeCacheStatement,
	"simple":   pgx.QueryExecModeSimpleProtocol,
}

func TestCreateInsertSelectAllTypes(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn, `CREATE TABLE items (
		id integer PRIMARY KEY, big bigint, small smallint NOT NULL, d double precision, r real,
		price numeric(10,2), name text, code varchar(5), flag char(3), ok boolean, day date)`)
	tag, err := conn.Exec(ctx(t), `INSERT INTO items VALUES
		(1, 9000000000, 7, 1.5, 2.25, 12.34, 'apple', 'ab', 'x', true, '2024-01-31'),
		(2, NULL, -3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
		(3, -1, 0, -0.125, 1e10, -0.05, '', 'abcde', 'xyz', false, date '1998-12-01')`)
	if err != nil || tag.String() != "INSERT 0 3" {
		t.Fatalf("insert: %v %q", err, tag)
	}
	want := [][]string{
		{"1", "9000000000", "7", "1.5", "2.25", "12.34", "apple", "ab", "x  ", "t", "2024-01-31"},
		{"2", "NULL", "-3", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL"},
		{"3", "-1", "0", "-0.125", "1e+10", "-0.05", "", "abcde", "xyz", "f", "1998-12-01"},
	}
	got := rowsText(t, conn, "SELECT * FROM items ORDER BY id")
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v\nwant %v", got, want)
	}
	for name, mode := range modes {
		t.Run(name, func(t *testing.T) {
			var id int32
			var big *int64
			var price string
			var day string
			err := conn.QueryRow(ctx(t), "SELECT id, big, price::text, day::text FROM items WHERE small = $1", mode, int16(7)).Scan(&id, &big, &price, &day)
			if err != nil {
				t.Fatal(err)
			}
			if id != 1 || big == nil || *big != 9000000000 || price != "12.34" || day != "2024-01-31" {
				t.Fatalf("got %d %v %s %s", id, big, price, day)
			}
		})
	}
}

func TestCommandTags(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	steps := []struct{ sql, tag string }{
		{"CREATE TABLE t (a int, b text)", "CREATE TABLE"},
		{"INSERT INTO t VALUES (1,'x'),(2,'y'),(3,'z')", "INSERT 0 3"},
		{"INSERT INTO t SELECT a + 10, b FROM t WHERE a < 3", "INSERT 0 2"},
		{"UPDATE t SET b = 'w' WHERE a > 1", "UPDATE 4"},
		{"DELETE FROM t WHERE a = 11", "DELETE 1"},
		{"SELECT * FROM t", "SELECT 4"},
		{"CREATE VIEW v AS SELECT a FROM t", "CREATE VIEW"},
		{"CREATE INDEX t_a ON t (a)", "CREATE INDEX"},
		{"DROP INDEX t_a", "DROP INDEX"},
		{"DROP VIEW v", "DROP VIEW"},
		{"CREATE SCHEMA s2", "CREATE SCHEMA"},
		{"CREATE TABLE s2.u (x int)", "CREATE TABLE"},
		{"INSERT INTO s2.u VALUES (5)", "INSERT 0 1"},
		{"DROP TABLE t", "DROP TABLE"},
		{"DROP TABLE IF EXISTS t", "DROP TABLE"},
	}
	for _, s := range steps {
		tag, err := conn.Exec(ctx(t), s.sql)
		if err != nil {
			t.Fatalf("%s: %v", s.sql, err)
		}
		if tag.String() != s.tag {
			t.Fatalf("%s: tag %q, want %q", s.sql, tag, s.tag)
		}
	}
	got := rowsText(t, conn, "SELECT x FROM s2.u")
	if !reflect.DeepEqual(got, [][]string{{"5"}}) {
		t.Fatalf("s2.u: %v", got)
	}
}

func TestErrorsKeepSessionUsable(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn, "CREATE TABLE t (a int, b smallint)", "INSERT INTO t VALUES (1, 1)", "CREATE TABLE vc (s varchar(3))")
	cases := []struct{ sql, code string }{
		{"SELEC 1", "42601"},
		{"SELECT * FROM missing", "42P01"},
		{"SELECT nope FROM t", "42703"},
		{"SELECT 1/0", "22012"},
		{"SELECT a/(a-1) FROM t", "22012"},
		{"SELECT 2147483647 + a FROM t", "22003"},
		{"SELECT b * 1000000 * 10000 FROM t", "22003"},
		{"SELECT b * 32767::smallint * 2::smallint FROM t", "22003"},
		{"SELECT 'abc'::int", "22P02"},
		{"SELECT a FROM t GROUP BY b", "42803"},
		{"SELECT 1 WHERE 1", "42804"},
		{"SELECT a + 'x' FROM t", "22P02"},
		{"CREATE TABLE t (x int)", "42P07"},
		{"INSERT INTO t VALUES (1, 70000)", "22003"},
		{"INSERT INTO vc VALUES ('abcd')", "22001"},
		{"INSERT INTO vc SELECT 'abcd'::text", "22001"},
		{"INSERT INTO vc VALUES (NULL), ('ab'), ('abc ')", ""},
		{"SELECT percentile_cont(array[0.5]) WITHIN GROUP (ORDER BY a) FROM t", "0A000"},
		{"SELECT * FROM t, t", "42712"},
		{"WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT r.n + 1 FROM r, r r2) SELECT * FROM r", "42P19"},
	}
	for name, mode := range modes {
		t.Run(name, func(t *testing.T) {
			for _, c := range cases {
				_, err := conn.Exec(ctx(t), c.sql, mode)
				if got := sqlstate(err); got != c.code {
					t.Errorf("%s: SQLSTATE %q, want %s (%v)", c.sql, got, c.code, err)
				}
				var one int
				if err := conn.QueryRow(ctx(t), "SELECT 1", mode).Scan(&one); err != nil || one != 1 {
					t.Fatalf("session unusable after %s: %v", c.sql, err)
				}
			}
		})
	}
}

func TestQueries(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn,
		"CREATE TABLE emp (id int PRIMARY KEY, name text, dept int, salary numeric(8,2), boss int)",
		"CREATE TABLE dept (id int PRIMARY KEY, title varchar(20))",
		`INSERT INTO emp VALUES (1,'ann',10,5000.00,NULL),(2,'bob',10,4000.50,1),(3,'cid',20,3000,1),
			(4,'dan',20,NULL,3),(5,'eve',NULL,2500,3)`,
		"INSERT INTO dept VALUES (10,'eng'),(20,'ops'),(30,'empty')",
	)
	cases := []struct {
		sql  string
		want [][]string
	}{
		{"SELECT name FROM emp WHERE salary > 3000 ORDER BY name", [][]string{{"ann"}, {"bob"}}},
		{"SELECT dept, count(*), count(salary), sum(salary), min(name), max(salary) FROM emp GROUP BY dept ORDER BY dept NULLS FIRST",
			[][]string{{"NULL", "1", "1", "2500.00", "eve", "2500.00"}, {"10", "2", "2", "9000.50", "ann", "5000.00"}, {"20", "2", "1", "3000.00", "cid", "3000.00"}}},
		{"SELECT avg(id), count(DISTINCT dept) FROM emp", [][]string{{"3.0000000000000000", "2"}}},
		{"SELECT dept FROM emp GROUP BY dept HAVING count(*) > 1 ORDER BY 1", [][]string{{"10"}, {"20"}}},
		{"SELECT e.name, d.title FROM emp e JOIN dept d ON e.dept = d.id ORDER BY e.id", [][]string{{"ann", "eng"}, {"bob", "eng"}, {"cid", "ops"}, {"dan", "ops"}}},
		{"SELECT e.name, d.title FROM emp e, dept d WHERE e.dept = d.id AND d.title = 'ops' ORDER BY 1 DESC", [][]string{{"dan", "ops"}, {"cid", "ops"}}},
		{"SELECT name FROM emp WHERE dept IN (SELECT id FROM dept WHERE title = 'eng') ORDER BY 1", [][]string{{"ann"}, {"bob"}}},
		{"SELECT name FROM emp e WHERE EXISTS (SELECT 1 FROM emp x WHERE x.boss = e.id) ORDER BY 1", [][]string{{"ann"}, {"cid"}}},
		{"SELECT name, (SELECT count(*) FROM emp x WHERE x.boss = e.id) FROM emp e ORDER BY id LIMIT 3", [][]string{{"ann", "2"}, {"bob", "0"}, {"cid", "2"}}},
		{"SELECT name FROM emp WHERE salary = (SELECT max(salary) FROM emp)", [][]string{{"ann"}}},
		{"SELECT salary FROM emp ORDER BY salary DESC NULLS LAST LIMIT 2 OFFSET 1", [][]string{{"4000.50"}, {"3000.00"}}},
		{"SELECT salary FROM emp ORDER BY salary NULLS FIRST LIMIT 2", [][]string{{"NULL"}, {"2500.00"}}},
		{"SELECT DISTINCT dept FROM emp ORDER BY dept", [][]string{{"10"}, {"20"}, {"NULL"}}},
		{"SELECT CASE WHEN salary IS NULL THEN 'none' WHEN salary > 4000 THEN 'high' ELSE 'low' END FROM emp ORDER BY id",
			[][]string{{"high"}, {"high"}, {"low"}, {"none"}, {"low"}}},
		{"SELECT coalesce(dept, -1), nullif(dept, 10) FROM emp ORDER BY id", [][]string{{"10", "NULL"}, {"10", "NULL"}, {"20", "20"}, {"20", "20"}, {"-1", "NULL"}}},
		{"SELECT id FROM emp WHERE id BETWEEN 2 AND 4 AND name NOT IN ('cid') ORDER BY id", [][]string{{"2"}, {"4"}}},
		{"SELECT 7 / 2, 7 % 3, -7 / 2, 7.0 / 2, 1e0 * 4, CAST(3.7 AS int), '5'::int + 1", [][]string{{"3", "1", "-3", "3.5000000000000000", "4", "4", "6"}}},
		{"SELECT NULL AND false, NULL OR true, NOT NULL::bool, NULL = NULL", [][]string{{"f", "t", "NULL", "NULL"}}},
		{"SELECT date '1998-12-01' - interval '90' day, extract(year from date '1998-12-01'), date '2024-03-01' - date '2024-02-01'",
			[][]string{{"1998-09-02 00:00:00", "1998", "29"}}},
		{"SELECT count(*) FROM emp WHERE name LIKE '_a%'", [][]string{{"1"}}},
		{"SELECT avg(22) * 15 * 74, avg(22) * avg(3)", [][]string{{"24420.0000000000000000", "66.00000000000000000000000000000000"}}},
		{"SELECT round(42, 1), round(salary, 1), round(salary, -2), 2 + 2 ^ 2, pg_typeof(-2147483648 * 1), pg_typeof(1.5) FROM emp WHERE id = 2",
			[][]string{{"42.0", "4000.5", "4000", "6", "integer", "numeric"}}},
		{"WITH d(n) AS (SELECT dept FROM emp WHERE dept IS NOT NULL), c AS (SELECT n, count(*) AS k FROM d GROUP BY n) SELECT * FROM c WHERE k > 1 ORDER BY n",
			[][]string{{"10", "2"}, {"20", "2"}}},
		// A WHERE conjunct that folds to NULL rejects every row without
		// evaluating the others (salary * 1e30 would overflow).
		{"SELECT count(*) FROM emp WHERE id * 2147483647 * 2147483647 BETWEEN NULL AND id", [][]string{{"0"}}},
		{"SELECT count(*), sum(g), max(g) FROM generate_series(1, 100000) g", [][]string{{"100000", "5000050000", "100000"}}},
		{"SELECT x * 2 FROM generate_series(10, 1, -4) AS t(x)", [][]string{{"20"}, {"12"}, {"4"}}},
		{"SELECT concat(1, true, NULL, false), concat_ws('-', true, 2)", [][]string{{"1tf", "t-2"}}},
		// Same-named columns of two tables are different group keys.
		{"SELECT e.id FROM emp e CROSS JOIN dept d WHERE e.id < 3 AND d.id < 30 GROUP BY d.id, e.id, d.title ORDER BY 1", [][]string{{"1"}, {"1"}, {"2"}, {"2"}}},
	}
	for _, c := range cases {
		got := rowsText(t, conn, c.sql)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s\n got %v\nwant %v", c.sql, got, c.want)
		}
	}
}

func TestSearchPath(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn, "CREATE TABLE shared (v text)", "INSERT INTO shared VALUES ('public')",
		"CREATE SCHEMA app", "SET search_path = app, public",
		"CREATE TABLE local (v text)", "INSERT INTO local VALUES ('app')")
	if got := rowsText(t, conn, "SELECT l.v, s.v FROM local l, shared s"); !reflect.DeepEqual(got, [][]string{{"app", "public"}}) {
		t.Fatalf("through the search path: %v", got)
	}
	if got := rowsText(t, conn, "SELECT v FROM app.local"); !reflect.DeepEqual(got, [][]string{{"app"}}) {
		t.Fatalf("qualified: %v", got)
	}
	if _, err := conn.Exec(ctx(t), "SELECT * FROM public.local"); sqlstate(err) != "42P01" {
		t.Fatalf("created in the wrong schema: %v", err)
	}
	mustExec(t, conn, "RESET search_path")
	if _, err := conn.Exec(ctx(t), "SELECT * FROM local"); sqlstate(err) != "42P01" {
		t.Fatalf("after RESET: %v", err)
	}
	if got := rowsText(t, conn, "SHOW search_path"); !reflect.DeepEqual(got, [][]string{{`"$user", public`}}) {
		t.Fatalf("SHOW search_path: %v", got)
	}
}

func TestUniqueConstraints(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn, "CREATE TABLE u (id int PRIMARY KEY, email text UNIQUE, a int, b int)",
		"INSERT INTO u VALUES (1, 'x@y', 1, 1), (2, NULL, 1, 2), (3, NULL, 2, 2)")
	cases := []struct{ sql, code string }{
		{"INSERT INTO u VALUES (4, 'x@y', 9, 9)", "23505"},
		{"INSERT INTO u VALUES (1, 'new', 9, 9)", "23505"},
		{"UPDATE u SET email = 'x@y' WHERE id = 2", "23505"},
		{"CREATE UNIQUE INDEX u_a ON u (a)", "23505"},
		{"CREATE UNIQUE INDEX u_ab ON u (a, b)", ""},
		{"INSERT INTO u VALUES (5, 'z', 2, 2)", "23505"},
		{"INSERT INTO u VALUES (6, 'w', NULL, 2), (7, 'v', NULL, 2)", ""},
		{"DROP INDEX u_ab", ""},
		{"INSERT INTO u VALUES (8, 'q', 2, 2)", ""},
	}
	for _, c := range cases {
		_, err := conn.Exec(ctx(t), c.sql)
		if got := sqlstate(err); got != c.code {
			t.Fatalf("%s: SQLSTATE %q, want %q (%v)", c.sql, got, c.code, err)
		}
	}
	if got := rowsText(t, conn, "SELECT count(*) FROM u"); !reflect.DeepEqual(got, [][]string{{"6"}}) {
		t.Fatalf("rows: %v", got)
	}
}

func TestSessionFunctionsAndTimeout(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	got := rowsText(t, conn, "SELECT current_setting('search_path'), current_user, current_database(), pg_backend_pid() > 0, version() LIKE 'PostgreSQL 15%', current_setting('nope', true)")
	want := [][]string{{`"$user", public`, "tester", "pqdb", "t", "t", "NULL"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if _, err := conn.Exec(ctx(t), "SELECT current_setting('nope')"); sqlstate(err) != "42704" {
		t.Fatalf("unknown setting: %v", err)
	}

	mustExec(t, conn, "CREATE TABLE big (n int)")
	var values strings.Builder
	values.WriteString("INSERT INTO big VALUES (0)")
	for i := 1; i < 400; i++ {
		fmt.Fprintf(&values, ",(%d)", i)
	}
	mustExec(t, conn, values.String(), "SET statement_timeout = '100ms'")
	if _, err := conn.Exec(ctx(t), "SELECT count(*) FROM big a, big b, big c WHERE a.n + b.n + c.n = -1"); sqlstate(err) != "57014" {
		t.Fatalf("statement_timeout: %v", err)
	}
	mustExec(t, conn, "SET statement_timeout = 0")
	if got := rowsText(t, conn, "SELECT count(*) FROM big"); !reflect.DeepEqual(got, [][]string{{"400"}}) {
		t.Fatalf("after the timeout: %v", got)
	}
	if _, err := conn.Exec(ctx(t), "SET statement_timeout = '5 parsecs'"); sqlstate(err) != "22023" {
		t.Fatalf("bad time setting: %v", err)
	}
}

func TestDropWithDependentViews(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn, "CREATE TABLE base (a int)", "CREATE VIEW v1 AS SELECT a FROM base", "CREATE VIEW v2 AS SELECT a FROM v1 WHERE a > 0")
	for _, sql := range []string{"DROP TABLE base", "DROP VIEW v1"} {
		if _, err := conn.Exec(ctx(t), sql); sqlstate(err) != "2BP01" {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	mustExec(t, conn, "DROP VIEW v1, v2")
	mustExec(t, conn, "CREATE VIEW v1 AS SELECT a FROM base", "CREATE VIEW v2 AS SELECT a FROM v1", "DROP TABLE base CASCADE")
	for _, sql := range []string{"SELECT * FROM v1", "SELECT * FROM v2", "SELECT * FROM base"} {
		if _, err := conn.Exec(ctx(t), sql); sqlstate(err) != "42P01" {
			t.Fatalf("%s after DROP ... CASCADE: %v", sql, err)
		}
	}
}

func TestStartupOptions(t *testing.T) {
	srv, _ := startServer(t)
	c, err := pgx.Connect(ctx(t), "postgres://tester@"+srv.Addr()+"/pqdb?options=-c%20search_path%3Dapp%20-c%20statement_timeout%3D5s&application_name=matrix")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx(t))
	got := rowsText(t, c, "SELECT current_setting('search_path'), current_setting('statement_timeout'), current_setting('application_name')")
	if !reflect.DeepEqual(got, [][]string{{"app", "5s", "matrix"}}) {
		t.Fatalf("settings from startup: %v", got)
	}
	if _, err := pgx.Connect(ctx(t), "postgres://tester@"+srv.Addr()+"/pqdb?options=-c%20no_such_setting%3D1"); sqlstate(err) != "42704" {
		t.Fatalf("unknown setting at startup: %v", err)
	}
}

func TestDropSchema(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn, "CREATE SCHEMA s", "CREATE TABLE s.t (a int UNIQUE)", "CREATE VIEW s.v AS SELECT a FROM s.t",
		"INSERT INTO s.t VALUES (1)", "CREATE VIEW outside AS SELECT a FROM s.t")
	if _, err := conn.Exec(ctx(t), "DROP SCHEMA s"); sqlstate(err) != "2BP01" {
		t.Fatalf("DROP SCHEMA of a non-empty schema: %v", err)
	}
	if _, err := conn.Exec(ctx(t), "DROP SCHEMA nope"); sqlstate(err) != "3F000" {
		t.Fatalf("DROP SCHEMA of a missing schema: %v", err)
	}
	mustExec(t, conn, "DROP SCHEMA IF EXISTS nope", "DROP SCHEMA s CASCADE")
	for _, sql := range []string{"SELECT * FROM s.t", "SELECT * FROM outside"} {
		if _, err := conn.Exec(ctx(t), sql); sqlstate(err) == "" {
			t.Fatalf("%s after DROP SCHEMA CASCADE succeeded", sql)
		}
	}
	mustExec(t, conn, "CREATE SCHEMA s", "CREATE TABLE s.t (a int)", "INSERT INTO s.t VALUES (1), (1)")
	if got := rowsText(t, conn, "SELECT count(*) FROM s.t"); !reflect.DeepEqual(got, [][]string{{"2"}}) {
		t.Fatalf("re-created schema: %v", got)
	}
}

func TestCancelAndTerminateBackend(t *testing.T) {
	_, connect := startServer(t)
	admin := connect(t)
	victim := connect(t)
	pid := victim.PgConn().PID()
	got := rowsText(t, admin, fmt.Sprintf("SELECT pg_cancel_backend(%d), pg_cancel_backend(-1)", pid))
	if !reflect.DeepEqual(got, [][]string{{"t", "f"}}) {
		t.Fatalf("pg_cancel_backend: %v", got)
	}
	// set_config changes the session's setting from inside a query.
	if got := rowsText(t, victim, "SELECT set_config('application_name', 'renamed', false), current_setting('application_name')"); got[0][0] != "renamed" {
		t.Fatalf("set_config: %v", got)
	}
	if got := rowsText(t, victim, "SHOW application_name"); !reflect.DeepEqual(got, [][]string{{"renamed"}}) {
		t.Fatalf("after set_config: %v", got)
	}
	rowsText(t, admin, fmt.Sprintf("SELECT pg_terminate_backend(%d)", pid))
	// The idle connection is closed at once; its next use fails.
	if _, err := victim.Exec(ctx(t), "SELECT 1"); err == nil {
		t.Fatal("terminated session still answers")
	}
}

// timestamptz is read and printed in the session TimeZone, at the wire
// and in literals.
func TestTimeZoneSetting(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn, "CREATE TABLE tz (t timestamptz)", "INSERT INTO tz VALUES ('2024-06-01 12:00:00+00')",
		"SET TimeZone = 'America/New_York'", "INSERT INTO tz VALUES ('2024-06-01 12:00')")
	got := rowsText(t, conn, "SELECT t FROM tz ORDER BY t")
	want := [][]string{{"2024-06-01 08:00:00-04"}, {"2024-06-01 12:00:00-04"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("in America/New_York: %v, want %v", got, want)
	}
	if got := rowsText(t, conn, "SHOW TimeZone"); !reflect.DeepEqual(got, [][]string{{"America/New_York"}}) {
		t.Fatalf("SHOW TimeZone: %v", got)
	}
	if _, err := conn.Exec(ctx(t), "SET TimeZone = 'Mars/Olympus'"); sqlstate(err) != "22023" {
		t.Fatalf("unknown zone: %v", err)
	}
	mustExec(t, conn, "RESET TimeZone")
	if got := rowsText(t, conn, "SELECT t FROM tz ORDER BY t"); got[1][0] != "2024-06-01 16:00:00+00" {
		t.Fatalf("back in UTC: %v", got)
	}
}
