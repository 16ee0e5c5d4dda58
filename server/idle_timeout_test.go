package server

import (
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// TestIdleTimeouts: a session idle in a transaction block for longer than
// idle_in_transaction_session_timeout, or idle outside one for longer than
// idle_session_timeout, is ended with PostgreSQL's FATAL errors (25P03,
// 57P05); a session idle outside a block under the in-transaction timeout,
// or busy, goes on.
func TestIdleTimeouts(t *testing.T) {
	_, connect := startServer(t)
	wantFatal := func(t *testing.T, err error, code string) {
		t.Helper()
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != code || pe.Severity != "FATAL" {
			t.Fatalf("got %v, want FATAL %s", err, code)
		}
	}

	t.Run("in transaction", func(t *testing.T) {
		conn := connect(t)
		mustExec(t, conn, "SET idle_in_transaction_session_timeout = '300ms'")
		time.Sleep(700 * time.Millisecond) // idle, but outside a block
		mustExec(t, conn, "BEGIN", "SELECT 1")
		time.Sleep(700 * time.Millisecond)
		_, err := conn.Exec(ctx(t), "SELECT 1")
		wantFatal(t, err, "25P03")
	})
	t.Run("failed transaction", func(t *testing.T) {
		conn := connect(t)
		mustExec(t, conn, "SET idle_in_transaction_session_timeout = 300", "BEGIN")
		if _, err := conn.Exec(ctx(t), "SELECT 1/0"); err == nil {
			t.Fatal("1/0 succeeded")
		}
		time.Sleep(700 * time.Millisecond)
		_, err := conn.Exec(ctx(t), "ROLLBACK")
		wantFatal(t, err, "25P03")
	})
	t.Run("session", func(t *testing.T) {
		conn := connect(t)
		mustExec(t, conn, "SET idle_session_timeout = '300ms'")
		for range 3 { // busy sessions stay
			time.Sleep(100 * time.Millisecond)
			mustExec(t, conn, "SELECT 1")
		}
		time.Sleep(700 * time.Millisecond)
		_, err := conn.Exec(ctx(t), "SELECT 1")
		wantFatal(t, err, "57P05")
	})
	t.Run("reset", func(t *testing.T) {
		conn := connect(t)
		mustExec(t, conn, "SET idle_session_timeout = '300ms'", "RESET idle_session_timeout")
		time.Sleep(700 * time.Millisecond)
		mustExec(t, conn, "SELECT 1")
	})
}
