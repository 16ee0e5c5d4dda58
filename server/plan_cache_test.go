package server

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/lib/pq"
)

// The plan-cache tests run scripts of statements on two sessions: "a"
// runs the statements under test through pgx's statement cache (each
// query text is prepared once and then only bound and executed, so the
// server reuses its plan) or the simple protocol, and "b" changes the
// catalog, the data or the settings around them. Every expected outcome
// was recorded from PostgreSQL 15: with PQDB_PLANCACHE_PG_DSN set (a
// postgres:// URL) the tests run there instead of on pqdb.

// cacheStep is one statement of a plan-cache script.
type cacheStep struct {
	who string // "a" through pgx's statement cache, "a!" as a simple Query, "b" on the other session (simple)
	// want is fmt.Sprint of the rows ([[1 a]], NULL as <nil>; through
	// the simple protocol every value as its text, the rows of every
	// statement of the Query together), "ok" for no rows, or "error
	// SQLSTATE".
	sql  string
	args []any
	want string
}

// planCacheConnect opens sessions on pqdb, or on PostgreSQL when
// PQDB_PLANCACHE_PG_DSN is set.
func planCacheConnect(t *testing.T) (connect func(t *testing.T) *pgx.Conn) {
	if dsn := os.Getenv("PQDB_PLANCACHE_PG_DSN"); dsn != "" {
		return func(t *testing.T) *pgx.Conn {
			conn, err := pgx.Connect(ctx(t), dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { conn.Close(context.Background()) })
			return conn
		}
	}
	_, connect = startServer(t)
	return connect
}

func runCacheScript(t *testing.T, a, b *pgx.Conn, steps []cacheStep) {
	t.Helper()
	for i, st := range steps {
		var got string
		switch st.who {
		case "a":
			got = cacheQuery(t, a, st.sql, st.args, pgx.QueryExecModeCacheStatement)
		case "a!":
			got = simpleQuery(t, a, st.sql)
		case "b":
			got = simpleQuery(t, b, st.sql)
		default:
			t.Fatalf("step %d: unknown session %q", i, st.who)
		}
		if got != st.want {
			t.Errorf("step %d (%s): %s: got %s, want %s", i, st.who, st.sql, got, st.want)
		}
	}
}

// simpleQuery runs sql as one simple Query message and describes the
// outcome as cacheStep.want does.
func simpleQuery(t *testing.T, conn *pgx.Conn, sql string) string {
	results, err := conn.PgConn().Exec(ctx(t), sql).ReadAll()
	if err != nil {
		return "error " + sqlstate(err)
	}
	var rows [][]any
	described := false
	for _, r := range results {
		described = described || len(r.FieldDescriptions) > 0 || r.CommandTag.Select()
		for _, row := range r.Rows {
			vals := make([]any, len(row))
			for i, v := range row {
				if v != nil {
					vals[i] = string(v)
				}
			}
			rows = append(rows, vals)
		}
	}
	if !described {
		return "ok"
	}
	return fmt.Sprint(rows)
}

// cacheQuery runs sql and describes the outcome as cacheStep.want does.
func cacheQuery(t *testing.T, conn *pgx.Conn, sql string, args []any, mode pgx.QueryExecMode) string {
	rows, err := conn.Query(ctx(t), sql, append([]any{mode}, args...)...)
	if err != nil {
		return "error " + sqlstate(err)
	}
	vals, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) ([]any, error) { return r.Values() })
	if err != nil {
		return "error " + sqlstate(err)
	}
	if len(rows.FieldDescriptions()) == 0 {
		return "ok"
	}
	return fmt.Sprint(vals)
}

// TestPlanCacheCatalogChanges: a cached statement sees the rows of the
// moment through its kept plan, keeps working across changes that keep
// its result (an index, a table dropped and made again alike, a view
// replaced), and fails with 0A000 once its result columns change (a
// column added, dropped or renamed), after which pgx prepares it anew.
func TestPlanCacheCatalogChanges(t *testing.T) {
	connect := planCacheConnect(t)
	a, b := connect(t), connect(t)
	q := `SELECT * FROM pcc WHERE x > $1 ORDER BY x`
	runCacheScript(t, a, b, []cacheStep{
		{who: "b", sql: `DROP TABLE IF EXISTS pcc CASCADE`, want: "ok"},
		{who: "b", sql: `CREATE TABLE pcc (x int, y text)`, want: "ok"},
		{who: "b", sql: `INSERT INTO pcc VALUES (1, 'a')`, want: "ok"},
		{who: "a", sql: q, args: []any{0}, want: "[[1 a]]"},
		{who: "b", sql: `INSERT INTO pcc VALUES (2, 'b')`, want: "ok"},
		{who: "a", sql: q, args: []any{0}, want: "[[1 a] [2 b]]"},
		{who: "a", sql: q, args: []any{1}, want: "[[2 b]]"},
		{who: "b", sql: `CREATE INDEX pcc_x ON pcc (x)`, want: "ok"},
		{who: "a", sql: q, args: []any{1}, want: "[[2 b]]"},
		{who: "b", sql: `DROP INDEX pcc_x`, want: "ok"},
		{who: "a", sql: q, args: []any{0}, want: "[[1 a] [2 b]]"},
		{who: "b", sql: `ALTER TABLE pcc ADD COLUMN z int`, want: "ok"},
		{who: "a", sql: q, args: []any{0}, want: "error 0A000"},
		{who: "a", sql: q, args: []any{0}, want: "[[1 a <nil>] [2 b <nil>]]"},
		{who: "b", sql: `ALTER TABLE pcc DROP COLUMN z`, want: "ok"},
		{who: "a", sql: q, args: []any{0}, want: "error 0A000"},
		{who: "a", sql: q, args: []any{0}, want: "[[1 a] [2 b]]"},
		{who: "b", sql: `ALTER TABLE pcc RENAME COLUMN y TO w`, want: "ok"},
		{who: "a", sql: q, args: []any{0}, want: "error 0A000"},
		{who: "a", sql: q, args: []any{0}, want: "[[1 a] [2 b]]"},
		// A column the statement does not return may change freely.
		{who: "a", sql: `SELECT w FROM pcc WHERE x = $1`, args: []any{2}, want: "[[b]]"},
		{who: "b", sql: `ALTER TABLE pcc RENAME COLUMN x TO v`, want: "ok"},
		{who: "a", sql: `SELECT w FROM pcc WHERE x = $1`, args: []any{2}, want: "error 42703"},
		{who: "b", sql: `ALTER TABLE pcc RENAME COLUMN v TO x`, want: "ok"},
		{who: "a", sql: `SELECT w FROM pcc WHERE x = $1`, args: []any{2}, want: "[[b]]"},
		// Dropped and made again alike, with other rows.
		{who: "b", sql: `DROP TABLE pcc`, want: "ok"},
		{who: "a", sql: q, args: []any{0}, want: "error 42P01"},
		{who: "b", sql: `CREATE TABLE pcc (x int, w text)`, want: "ok"},
		{who: "b", sql: `INSERT INTO pcc VALUES (3, 'c')`, want: "ok"},
		{who: "a", sql: q, args: []any{0}, want: "[[3 c]]"},
		// A view replaced by one of the same columns.
		{who: "b", sql: `CREATE VIEW pcc_v AS SELECT x FROM pcc WHERE x < 10`, want: "ok"},
		{who: "a", sql: `SELECT x FROM pcc_v WHERE x > $1`, args: []any{0}, want: "[[3]]"},
		{who: "b", sql: `CREATE OR REPLACE VIEW pcc_v AS SELECT x FROM pcc WHERE x > 10`, want: "ok"},
		{who: "a", sql: `SELECT x FROM pcc_v WHERE x > $1`, args: []any{0}, want: "[]"},
		{who: "b", sql: `DROP VIEW pcc_v`, want: "ok"},
		{who: "b", sql: `DROP TABLE pcc`, want: "ok"},
	})
}

// TestPlanCacheSessionState: a kept plan follows search_path,
// current_setting() and DISCARD, inside and outside transaction blocks.
func TestPlanCacheSessionState(t *testing.T) {
	connect := planCacheConnect(t)
	a, b := connect(t), connect(t)
	q := `SELECT x FROM pcs WHERE x > $1`
	runCacheScript(t, a, b, []cacheStep{
		{who: "b", sql: `DROP SCHEMA IF EXISTS pcs1 CASCADE`, want: "ok"},
		{who: "b", sql: `DROP SCHEMA IF EXISTS pcs2 CASCADE`, want: "ok"},
		{who: "b", sql: `CREATE SCHEMA pcs1`, want: "ok"},
		{who: "b", sql: `CREATE SCHEMA pcs2`, want: "ok"},
		{who: "b", sql: `CREATE TABLE pcs1.pcs (x int)`, want: "ok"},
		{who: "b", sql: `CREATE TABLE pcs2.pcs (x int)`, want: "ok"},
		{who: "b", sql: `INSERT INTO pcs1.pcs VALUES (1)`, want: "ok"},
		{who: "b", sql: `INSERT INTO pcs2.pcs VALUES (2)`, want: "ok"},
		{who: "a!", sql: `SET search_path = pcs1`, want: "ok"},
		{who: "a", sql: q, args: []any{0}, want: "[[1]]"},
		{who: "a!", sql: `SET search_path = pcs2`, want: "ok"},
		{who: "a", sql: q, args: []any{0}, want: "[[2]]"},
		{who: "a!", sql: `BEGIN`, want: "ok"},
		{who: "a!", sql: `SET LOCAL search_path = pcs1`, want: "ok"},
		{who: "a", sql: q, args: []any{0}, want: "[[1]]"},
		{who: "a!", sql: `COMMIT`, want: "ok"},
		{who: "a", sql: q, args: []any{0}, want: "[[2]]"},
		{who: "a!", sql: `DISCARD PLANS`, want: "ok"},
		{who: "a", sql: q, args: []any{0}, want: "[[2]]"},
		// current_setting() reads the setting of the moment.
		{who: "a!", sql: `SET application_name = 'one'`, want: "ok"},
		{who: "a", sql: `SELECT current_setting('application_name') || $1::text`, args: []any{"!"}, want: "[[one!]]"},
		{who: "a!", sql: `SET application_name = 'two'`, want: "ok"},
		{who: "a", sql: `SELECT current_setting('application_name') || $1::text`, args: []any{"!"}, want: "[[two!]]"},
		// Inside a block, the block's own changes.
		{who: "a!", sql: `BEGIN`, want: "ok"},
		{who: "a!", sql: `INSERT INTO pcs VALUES (3)`, want: "ok"},
		{who: "a", sql: q, args: []any{0}, want: "[[2] [3]]"},
		{who: "a!", sql: `CREATE INDEX pcs_x ON pcs (x)`, want: "ok"},
		{who: "a", sql: q, args: []any{2}, want: "[[3]]"},
		{who: "a!", sql: `DROP TABLE pcs`, want: "ok"},
		{who: "a!", sql: `CREATE TABLE pcs (x int)`, want: "ok"},
		{who: "a!", sql: `INSERT INTO pcs VALUES (7)`, want: "ok"},
		{who: "a", sql: q, args: []any{0}, want: "[[7]]"},
		{who: "a!", sql: `ROLLBACK`, want: "ok"},
		{who: "a", sql: q, args: []any{0}, want: "[[2]]"},
		{who: "a!", sql: `RESET search_path`, want: "ok"},
		{who: "b", sql: `DROP SCHEMA pcs1 CASCADE`, want: "ok"},
		{who: "b", sql: `DROP SCHEMA pcs2 CASCADE`, want: "ok"},
	})
}

// TestPlanCacheTempTable: a temporary table made after a statement was
// cached hides the table of the same name from its next run, and the
// statement finds the other again once the temporary one is dropped.
func TestPlanCacheTempTable(t *testing.T) {
	connect := planCacheConnect(t)
	a, b := connect(t), connect(t)
	q := `SELECT x FROM pct WHERE x > $1`
	runCacheScript(t, a, b, []cacheStep{
		{who: "b", sql: `DROP TABLE IF EXISTS pct`, want: "ok"},
		{who: "b", sql: `CREATE TABLE pct (x int)`, want: "ok"},
		{who: "b", sql: `INSERT INTO pct VALUES (1)`, want: "ok"},
		{who: "a", sql: q, args: []any{0}, want: "[[1]]"},
		{who: "a!", sql: `CREATE TEMP TABLE pct (x int)`, want: "ok"},
		{who: "a!", sql: `INSERT INTO pct VALUES (9)`, want: "ok"},
		{who: "a", sql: q, args: []any{0}, want: "[[9]]"},
		{who: "a!", sql: `DROP TABLE pct`, want: "ok"}, // the temporary one, first in the path
		{who: "a", sql: q, args: []any{0}, want: "[[1]]"},
		{who: "b", sql: `DROP TABLE pct`, want: "ok"},
	})
}

// TestPlanCacheWritesAndSequences: cached INSERT, UPDATE and DELETE
// statements write each run's values, a cached nextval() and a column
// default draw new values on every run, and a cached join follows its
// tables as they grow.
func TestPlanCacheWritesAndSequences(t *testing.T) {
	connect := planCacheConnect(t)
	a, b := connect(t), connect(t)
	runCacheScript(t, a, b, []cacheStep{
		{who: "b", sql: `DROP TABLE IF EXISTS pcw, pcw_d`, want: "ok"},
		{who: "b", sql: `DROP SEQUENCE IF EXISTS pcw_seq`, want: "ok"},
		{who: "b", sql: `CREATE SEQUENCE pcw_seq`, want: "ok"},
		{who: "b", sql: `CREATE TABLE pcw (id serial PRIMARY KEY, v int, k int DEFAULT nextval('pcw_seq'))`, want: "ok"},
		{who: "a", sql: `INSERT INTO pcw (v) VALUES ($1) RETURNING id, v, k`, args: []any{10}, want: "[[1 10 1]]"},
		{who: "a", sql: `INSERT INTO pcw (v) VALUES ($1) RETURNING id, v, k`, args: []any{20}, want: "[[2 20 2]]"},
		{who: "a", sql: `SELECT nextval('pcw_seq') + $1`, args: []any{0}, want: "[[3]]"},
		{who: "a", sql: `SELECT nextval('pcw_seq') + $1`, args: []any{0}, want: "[[4]]"},
		{who: "a", sql: `UPDATE pcw SET v = v + $1 WHERE id = $2 RETURNING v`, args: []any{1, 1}, want: "[[11]]"},
		{who: "a", sql: `UPDATE pcw SET v = v + $1 WHERE id = $2 RETURNING v`, args: []any{1, 1}, want: "[[12]]"},
		{who: "a", sql: `DELETE FROM pcw WHERE id = $1 RETURNING id`, args: []any{2}, want: "[[2]]"},
		{who: "a", sql: `DELETE FROM pcw WHERE id = $1 RETURNING id`, args: []any{2}, want: "[]"},
		{who: "b", sql: `CREATE TABLE pcw_d (id int, name text)`, want: "ok"},
		{who: "a", sql: `SELECT count(*) FROM pcw JOIN pcw_d USING (id) WHERE pcw.v > $1`, args: []any{0}, want: "[[0]]"},
		{who: "b", sql: `INSERT INTO pcw_d SELECT g, 'n' FROM generate_series(1, 5000) g`, want: "ok"},
		{who: "b", sql: `INSERT INTO pcw (v) SELECT g FROM generate_series(1, 3000) g`, want: "ok"},
		{who: "a", sql: `SELECT count(*) FROM pcw JOIN pcw_d USING (id) WHERE pcw.v > $1`, args: []any{0}, want: "[[3001]]"},
		{who: "b", sql: `DROP TABLE pcw, pcw_d`, want: "ok"},
		{who: "b", sql: `DROP SEQUENCE pcw_seq`, want: "ok"},
	})
}

// TestPlanCacheSQLPrepare: SQL PREPARE's statements keep their plans
// the same way: EXECUTE reads the rows of the moment, and once the
// result columns changed every EXECUTE fails with 0A000, until the
// statement is prepared again.
func TestPlanCacheSQLPrepare(t *testing.T) {
	connect := planCacheConnect(t)
	a, b := connect(t), connect(t)
	runCacheScript(t, a, b, []cacheStep{
		{who: "b", sql: `DROP TABLE IF EXISTS pcp`, want: "ok"},
		{who: "b", sql: `CREATE TABLE pcp (x int, y text)`, want: "ok"},
		{who: "a!", sql: `PREPARE pcp_q(int) AS SELECT * FROM pcp WHERE x > $1 ORDER BY x`, want: "ok"},
		{who: "a!", sql: `EXECUTE pcp_q(0)`, want: "[]"},
		{who: "b", sql: `INSERT INTO pcp VALUES (1, 'a'), (2, 'b')`, want: "ok"},
		{who: "a!", sql: `EXECUTE pcp_q(1)`, want: "[[2 b]]"},
		{who: "b", sql: `CREATE INDEX ON pcp (x)`, want: "ok"},
		{who: "a!", sql: `EXECUTE pcp_q(0)`, want: "[[1 a] [2 b]]"},
		{who: "a!", sql: `DISCARD PLANS`, want: "ok"},
		{who: "a!", sql: `EXECUTE pcp_q(0)`, want: "[[1 a] [2 b]]"},
		{who: "b", sql: `ALTER TABLE pcp ADD COLUMN z int`, want: "ok"},
		{who: "a!", sql: `EXECUTE pcp_q(0)`, want: "error 0A000"},
		{who: "a!", sql: `EXECUTE pcp_q(0)`, want: "error 0A000"},
		{who: "a!", sql: `DEALLOCATE pcp_q`, want: "ok"},
		{who: "a!", sql: `PREPARE pcp_q(int) AS SELECT * FROM pcp WHERE x > $1 ORDER BY x`, want: "ok"},
		{who: "a!", sql: `EXECUTE pcp_q(1)`, want: "[[2 b <nil>]]"},
		{who: "a!", sql: `DEALLOCATE pcp_q`, want: "ok"},
		{who: "b", sql: `DROP TABLE pcp`, want: "ok"},
	})
}

// TestPlanCacheSimpleQuery: a simple Query whose text was seen before
// reuses its parsed statements, but it reads the rows, the catalog and
// the clock of the moment all the same, and describes its own result
// (the simple protocol has no statement to keep a result type for).
func TestPlanCacheSimpleQuery(t *testing.T) {
	connect := planCacheConnect(t)
	a, b := connect(t), connect(t)
	q := `SELECT * FROM pcq ORDER BY 1`
	runCacheScript(t, a, b, []cacheStep{
		{who: "b", sql: `DROP TABLE IF EXISTS pcq`, want: "ok"},
		{who: "b", sql: `CREATE TABLE pcq (x int)`, want: "ok"},
		{who: "a!", sql: q, want: "[]"},
		{who: "b", sql: `INSERT INTO pcq VALUES (1)`, want: "ok"},
		{who: "a!", sql: q, want: "[[1]]"},
		{who: "b", sql: `ALTER TABLE pcq ADD COLUMN y text DEFAULT 'd'`, want: "ok"},
		{who: "a!", sql: q, want: "[[1 d]]"},
		{who: "a!", sql: `SELECT count(*) FROM pcq; SELECT x FROM pcq`, want: "[[1] [1]]"},
		{who: "b", sql: `INSERT INTO pcq VALUES (2)`, want: "ok"},
		{who: "a!", sql: `SELECT count(*) FROM pcq; SELECT x FROM pcq`, want: "[[2] [1] [2]]"},
		{who: "b", sql: `DROP TABLE pcq`, want: "ok"},
		{who: "a!", sql: q, want: "error 42P01"},
	})
	// 'now' is read when the statement is analyzed: anew for every
	// simple Query, however the literal is spelled (an escape hides the
	// word from the text; the binder still reads the clock).
	for _, q := range []string{`SELECT 'now'::timestamptz::text`, `SELECT E'\x6eow'::timestamptz::text`} {
		clock := func() string {
			var s string
			if err := a.QueryRow(ctx(t), q, pgx.QueryExecModeSimpleProtocol).Scan(&s); err != nil {
				t.Fatal(err)
			}
			return s
		}
		first := clock()
		time.Sleep(5 * time.Millisecond)
		if second := clock(); second == first {
			t.Errorf("%s in two simple Queries read the same time %s", q, first)
		}
	}
}

// TestPlanCacheLibPQ: lib/pq's prepared statements (a named Parse, then
// Bind and Execute per run) reuse their plans, and one whose result
// columns changed fails with 0A000 on every run until it is prepared
// again.
func TestPlanCacheLibPQ(t *testing.T) {
	dsn := os.Getenv("PQDB_PLANCACHE_PG_DSN")
	if dsn == "" {
		srv, _ := startServer(t)
		dsn = "postgres://tester@" + srv.Addr() + "/pqdb?sslmode=disable"
	}
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	c := ctx(t)
	conn, err := db.Conn(c)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	exec := func(q string) {
		t.Helper()
		if _, err := conn.ExecContext(c, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`DROP TABLE IF EXISTS pcl`)
	exec(`CREATE TABLE pcl (x int, y text)`)
	exec(`INSERT INTO pcl VALUES (1, 'a')`)
	stmt, err := conn.PrepareContext(c, `SELECT * FROM pcl WHERE x >= $1 ORDER BY x`)
	if err != nil {
		t.Fatal(err)
	}
	run := func() string {
		rows, err := stmt.QueryContext(c, 0)
		if err != nil {
			var pe *pq.Error
			if errors.As(err, &pe) {
				return "error " + string(pe.Code)
			}
			return err.Error()
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		var out []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				return err.Error()
			}
			out = append(out, fmt.Sprint(vals))
		}
		if err := rows.Err(); err != nil {
			var pe *pq.Error
			if errors.As(err, &pe) {
				return "error " + string(pe.Code)
			}
			return err.Error()
		}
		return strings.Join(out, " ")
	}
	for i, want := range []string{"[1 a]", "[1 a] [2 b]", "[1 a] [2 b]", "error 0A000", "error 0A000"} {
		switch i {
		case 1:
			exec(`INSERT INTO pcl VALUES (2, 'b')`)
		case 2:
			exec(`CREATE INDEX ON pcl (x)`)
		case 3:
			exec(`ALTER TABLE pcl ADD COLUMN z int`)
		}
		if got := run(); got != want {
			t.Errorf("run %d: got %s, want %s", i, got, want)
		}
	}
	stmt.Close()
	stmt, err = conn.PrepareContext(c, `SELECT * FROM pcl WHERE x >= $1 ORDER BY x`)
	if err != nil {
		t.Fatal(err)
	}
	if got := run(); got != "[1 a <nil>] [2 b <nil>]" {
		t.Errorf("prepared again: got %s", got)
	}
	stmt.Close()
	exec(`DROP TABLE pcl`)
}
