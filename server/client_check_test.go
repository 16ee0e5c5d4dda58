package server

import (
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
)

// TestClientConnectionCheck: with client_connection_check_interval, a
// statement whose client hung up ends within a few intervals instead of
// running to its end; without it, it runs on, as in PostgreSQL.
func TestClientConnectionCheck(t *testing.T) {
	srv, connect := startServer(t)
	watcher := connect(t)
	running := func() int {
		var n int
		if err := watcher.QueryRow(ctx(t), `SELECT count(*) FROM pg_stat_activity
			WHERE state = 'active' AND query LIKE 'SELECT count(*) FROM generate_series%'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	hangUpDuring := func(interval string) {
		t.Helper()
		nc, fe, err := soakRaw(srv.Addr())
		if err != nil {
			t.Fatal(err)
		}
		fe.Send(&pgproto3.Query{String: "SET client_connection_check_interval = " + interval})
		fe.Send(&pgproto3.Query{String: "SELECT count(*) FROM generate_series(1, 2000000000)"})
		if err := fe.Flush(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(10 * time.Second)
		for running() == 0 {
			if time.Now().After(deadline) {
				t.Fatal("the query never ran")
			}
			time.Sleep(20 * time.Millisecond)
		}
		nc.Close()
	}

	hangUpDuring("'50ms'")
	deadline := time.Now().Add(5 * time.Second)
	for running() > 0 {
		if time.Now().After(deadline) {
			t.Fatal("the statement of a client that hung up still runs 5 s after")
		}
		time.Sleep(20 * time.Millisecond)
	}

	hangUpDuring("0")
	time.Sleep(500 * time.Millisecond)
	if running() != 1 {
		t.Fatal("without the check, the statement of a client that hung up stopped")
	}
	// It ends on its own (or with the server) in time; pg_cancel_backend
	// ends it now, so the test leaves nothing running.
	if _, err := watcher.Exec(ctx(t), `SELECT pg_cancel_backend(pid) FROM pg_stat_activity
		WHERE query LIKE 'SELECT count(*) FROM generate_series%'`); err != nil {
		t.Fatal(err)
	}
}
