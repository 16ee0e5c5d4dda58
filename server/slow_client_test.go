package server

import (
	"net"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
)

// TestStatementEndsWhileClientDoesNotRead: a client that sends a query
// with a huge result and stops reading makes the server's writes wait,
// not its memory grow; and statement_timeout, a CancelRequest and
// pg_cancel_backend still end the statement while it waits, so that it
// gives up its transaction. When the client reads again it gets the rows
// sent before, the ErrorResponse (57014) and ReadyForQuery 'I', as from
// PostgreSQL 15, and the connection goes on.
func TestStatementEndsWhileClientDoesNotRead(t *testing.T) {
	srv, connect := startServer(t)
	watch := connect(t)
	// 100 million rows of 200 bytes: the statement cannot end on its
	// own while the test runs.
	const huge = "SELECT g, repeat('x', 200) FROM generate_series(1, 100000000) g"
	for _, c := range []struct {
		name, setup string
		extended    bool // Parse, Bind, Execute and Sync instead of Query
		stop        func(t *testing.T, key pgproto3.BackendKeyData)
		want        string
	}{{
		name:  "statement_timeout",
		setup: "SET statement_timeout = '1s'",
		want:  "canceling statement due to statement timeout",
	}, {
		name:     "statement_timeout, extended protocol",
		setup:    "SET statement_timeout = '1s'",
		extended: true,
		want:     "canceling statement due to statement timeout",
	}, {
		name: "CancelRequest",
		stop: func(t *testing.T, key pgproto3.BackendKeyData) {
			nc, err := net.Dial("tcp", srv.Addr())
			if err != nil {
				t.Fatal(err)
			}
			defer nc.Close()
			fe := pgproto3.NewFrontend(nc, nc)
			fe.Send(&pgproto3.CancelRequest{ProcessID: key.ProcessID, SecretKey: key.SecretKey})
			if err := fe.Flush(); err != nil {
				t.Fatal(err)
			}
		},
		want: "canceling statement due to user request",
	}, {
		name: "pg_cancel_backend",
		stop: func(t *testing.T, key pgproto3.BackendKeyData) {
			mustExec(t, watch, "SELECT pg_cancel_backend("+strconv.Itoa(int(key.ProcessID))+")")
		},
		want: "canceling statement due to user request",
	}} {
		t.Run(c.name, func(t *testing.T) {
			client := dialScript(t, srv.Addr(), "tester", "pqdb")
			client.conn.SetDeadline(time.Now().Add(20 * time.Second))
			if c.setup != "" {
				client.exec(c.setup)
			}
			state := func() string {
				return rowsText(t, watch, "SELECT state FROM pg_stat_activity WHERE pid = "+strconv.Itoa(int(client.key.ProcessID)))[0][0]
			}
			var ms runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&ms)
			heapBefore := ms.HeapInuse

			if c.extended {
				client.fe.Send(&pgproto3.Parse{Query: huge})
				client.fe.Send(&pgproto3.Bind{})
				client.fe.Send(&pgproto3.Execute{})
				client.fe.Send(&pgproto3.Sync{})
			} else {
				client.fe.Send(&pgproto3.Query{String: huge})
			}
			client.flush()
			// The client reads up to the first row, then stops, long
			// enough for the socket's buffers to fill and the server's
			// writes to wait.
			rows := 0
			for rows == 0 {
				switch msg := client.receive().(type) {
				case *pgproto3.DataRow:
					rows++
				case *pgproto3.RowDescription, *pgproto3.ParseComplete, *pgproto3.BindComplete:
				default:
					t.Fatalf("before the first row: %s", renderBackend(msg))
				}
			}
			time.Sleep(300 * time.Millisecond)
			if got := state(); got != "active" {
				t.Fatalf("state of the session whose client does not read: %q, want active", got)
			}
			if c.stop != nil {
				c.stop(t, client.key)
			}
			deadline := time.Now().Add(5 * time.Second)
			for state() != "idle" {
				if time.Now().After(deadline) {
					t.Fatalf("the statement still runs 5s after it was to end, waiting for a client that does not read")
				}
				time.Sleep(20 * time.Millisecond)
			}
			runtime.ReadMemStats(&ms)
			if grown := int64(ms.HeapInuse) - int64(heapBefore); grown > 64<<20 {
				t.Errorf("heap grew by %d MB while the client did not read", grown>>20)
			}

			for {
				msg := client.receive()
				if _, ok := msg.(*pgproto3.DataRow); ok {
					rows++
					continue
				}
				if e, ok := msg.(*pgproto3.ErrorResponse); ok {
					if e.Code != "57014" || e.Message != c.want {
						t.Errorf("error after %d rows: %s %s, want 57014 %s", rows, e.Code, e.Message, c.want)
					}
					break
				}
				t.Fatalf("after %d rows: %s", rows, renderBackend(msg))
			}
			if r, ok := client.receive().(*pgproto3.ReadyForQuery); !ok || r.TxStatus != 'I' {
				t.Fatalf("after the error: %v, want ReadyForQuery I", r)
			}
			// Rows the socket's buffers held show that the server's
			// writes waited: loopback buffers take thousands of them.
			if rows < 1000 {
				t.Errorf("%d rows before the error: the statement ended before the socket's buffers filled", rows)
			}
			client.exec("SELECT 1")
		})
	}
}
