package server

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// startServer runs pqdb on a free loopback port over a fresh data
// directory and returns a function that opens pgx connections to it.
func startServer(t *testing.T) (*Server, func(t *testing.T) *pgx.Conn) {
	t.Helper()
	return startServerAt(t, t.TempDir())
}

func startServerAt(t *testing.T, dir string) (*Server, func(t *testing.T) *pgx.Conn) {
	t.Helper()
	return startServerWith(t, Config{DataDir: dir})
}

// startServerWith runs pqdb with cfg on a free loopback port.
func startServerWith(t *testing.T, cfg Config) (*Server, func(t *testing.T) *pgx.Conn) {
	t.Helper()
	cfg.Listen = "127.0.0.1:0"
	srv, err := Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	connect := func(t *testing.T) *pgx.Conn {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, "postgres://tester@"+srv.Addr()+"/pqdb?sslmode=disable")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close(context.Background()) })
		return conn
	}
	return srv, connect
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

// mustExec runs statements that must succeed.
func mustExec(t *testing.T, conn *pgx.Conn, sqls ...string) {
	t.Helper()
	for _, sql := range sqls {
		if _, err := conn.Exec(ctx(t), sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
}

// sqlstate returns the SQLSTATE of a server error, or "" for none.
func sqlstate(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	if err != nil {
		return "not a server error: " + err.Error()
	}
	return ""
}

// rowsText runs a query in the simple protocol and returns every value as
// Postgres' text form ("NULL" for NULL).
// columnNames runs sql and returns its result columns' names, joined by
// commas, as RowDescription gave them.
func columnNames(t *testing.T, conn *pgx.Conn, sql string) string {
	t.Helper()
	rows, err := conn.Query(ctx(t), sql)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for _, f := range rows.FieldDescriptions() {
		names = append(names, f.Name)
	}
	return strings.Join(names, ",")
}

func rowsText(t *testing.T, conn *pgx.Conn, sql string, args ...any) [][]string {
	t.Helper()
	res := conn.PgConn().ExecParams(ctx(t), sql, nil, nil, nil, nil)
	if len(args) > 0 {
		t.Fatal("rowsText takes no arguments")
	}
	var out [][]string
	for res.NextRow() {
		var row []string
		for _, v := range res.Values() {
			if v == nil {
				row = append(row, "NULL")
			} else {
				row = append(row, string(v))
			}
		}
		out = append(out, row)
	}
	if _, err := res.Close(); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return out
}

// scriptCase is one statement of a script and what PostgreSQL 15 gave for
// it: its rows (values joined by |, rows by ;) or "ERROR:" and the
// SQLSTATE.
type scriptCase struct{ sql, want string }

// runScript runs cases in order on one connection of a fresh server and
// compares each outcome with PostgreSQL's. It returns the connection.
func runScript(t *testing.T, cases []scriptCase) *pgx.Conn {
	t.Helper()
	_, connect := startServer(t)
	conn := connect(t)
	for _, c := range cases {
		got := ""
		// The simple protocol, so that values come as PostgreSQL's text.
		rows, err := conn.Query(ctx(t), c.sql, pgx.QueryExecModeSimpleProtocol)
		if err == nil {
			var lines []string
			for rows.Next() {
				vals := rows.RawValues()
				parts := make([]string, len(vals))
				for i, v := range vals {
					parts[i] = string(v)
				}
				lines = append(lines, strings.Join(parts, "|"))
			}
			err = rows.Err()
			got = strings.Join(lines, ";")
		}
		if err != nil {
			got = "ERROR:" + sqlstate(err)
		}
		if got != c.want {
			t.Errorf("%s:\n got %s\nwant %s (%v)", c.sql, got, c.want, err)
		}
	}
	return conn
}

// connectWithNotices connects to srv as tester and collects the notices
// the server sends into the returned slice; ctx bounds the test's
// statements.
func connectWithNotices(t *testing.T, srv *Server) (ctx context.Context, conn *pgx.Conn, notices *[]*pgconn.Notice) {
	t.Helper()
	cfg, err := pgx.ParseConfig("postgres://tester@" + srv.Addr() + "/pqdb?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	notices = new([]*pgconn.Notice)
	cfg.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) { *notices = append(*notices, n) }
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	if conn, err = pgx.ConnectConfig(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return ctx, conn, notices
}

// benchConnection runs pqdb on a fresh data directory for a benchmark and
// returns a pgx connection to it; both close when the benchmark ends.
func benchConnection(b *testing.B) *pgx.Conn {
	b.Helper()
	srv, err := Start(Config{DataDir: b.TempDir(), Listen: "127.0.0.1:0"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { srv.Close() })
	c := context.Background()
	conn, err := pgx.Connect(c, "postgres://tester@"+srv.Addr()+"/pqdb?sslmode=disable")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { conn.Close(c) })
	return conn
}
