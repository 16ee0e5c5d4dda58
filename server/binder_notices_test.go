package server

import (
	"testing"
	"time"
)

// TestBinderNoticesExtendedProtocol: a warning raised while a statement
// is bound reaches a client that runs it over the extended protocol
// (pgx prepares, then binds and executes), once. (PostgreSQL sends it
// in answer to Parse, pqdb when the statement executes; the simple
// protocol, where both send it before the rows, is pinned by
// testdata/wire/notice_time_precision.script.)
func TestBinderNoticesExtendedProtocol(t *testing.T) {
	srv, _ := startServer(t)
	c, conn, notices := connectWithNotices(t, srv)
	var got time.Time
	if err := conn.QueryRow(c, "select $1::timestamp(7)", "2020-01-01 00:00:00.1234567").Scan(&got); err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2020, 1, 1, 0, 0, 0, 123457000, time.UTC); !got.Equal(want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if len(*notices) != 1 {
		t.Fatalf("got %d notices, want 1: %v", len(*notices), *notices)
	}
	n := (*notices)[0]
	if n.Severity != "WARNING" || n.Code != "22023" || n.Message != "TIMESTAMP(7) precision reduced to maximum allowed, 6" || n.Position != 12 {
		t.Errorf("got %s %s %q at %d", n.Severity, n.Code, n.Message, n.Position)
	}
}
