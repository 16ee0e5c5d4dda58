package server

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// TestBinderNoticesExtendedProtocol: a warning raised while a statement
// is bound reaches a client that runs it over the extended protocol
// (pgx prepares, then binds and executes), once. (PostgreSQL sends it
// in answer to Parse, pqdb when the statement executes; the simple
// protocol, where both send it before the rows, is pinned by
// testdata/wire/notice_time_precision.script.)
func TestBinderNoticesExtendedProtocol(t *testing.T) {
	srv, _ := startServer(t)
	cfg, err := pgx.ParseConfig("postgres://tester@" + srv.Addr() + "/pqdb?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	var notices []*pgconn.Notice
	cfg.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) { notices = append(notices, n) }
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.ConnectConfig(c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var got time.Time
	if err := conn.QueryRow(c, "select $1::timestamp(7)", "2020-01-01 00:00:00.1234567").Scan(&got); err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2020, 1, 1, 0, 0, 0, 123457000, time.UTC); !got.Equal(want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if len(notices) != 1 {
		t.Fatalf("got %d notices, want 1: %v", len(notices), notices)
	}
	n := notices[0]
	if n.Severity != "WARNING" || n.Code != "22023" || n.Message != "TIMESTAMP(7) precision reduced to maximum allowed, 6" || n.Position != 12 {
		t.Errorf("got %s %s %q at %d", n.Severity, n.Code, n.Message, n.Position)
	}
}
