package wire

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"log/slog"
	"net"
	"testing"

	"github.com/jackc/pgx/v5/pgproto3"
)

// selectOne asserts that a connection still answers queries.
func selectOne(t *testing.T, c *rawClient) {
	t.Helper()
	c.send(&pgproto3.Query{String: "select 1"})
	c.expect("RowDescription(?column?:23:0)", `DataRow("1")`, "CommandComplete(SELECT 1)", "ReadyForQuery(I)")
}

func TestScriptGarbageClosesOnlyThatConnection(t *testing.T) {
	tgt := scriptTarget(t)
	good := tgt.startup(t)
	bad := tgt.startup(t)
	if _, err := bad.conn.Write([]byte{0xff, 0, 0, 0, 8, 1, 2, 3, 4}); err != nil {
		t.Fatal(err)
	}
	bad.expect("Error(FATAL 08P01 invalid frontend message type 255)")
	bad.expectClosed()
	selectOne(t, good)
	// And the server still accepts new connections.
	selectOne(t, tgt.startup(t))
}

func TestOversizedMessageClosesConnection(t *testing.T) {
	ts := startServer(t, newFakeBackend(), func(s *Server) { s.MaxMessageSize = 1 << 20 })
	c := ts.startup(t)
	header := binary.BigEndian.AppendUint32([]byte{'Q'}, 1<<30)
	if _, err := c.conn.Write(header); err != nil {
		t.Fatal(err)
	}
	c.expect("Error(FATAL 08P01 invalid message length 1073741824)")
	c.expectClosed()
	selectOne(t, ts.startup(t))
}

// TestPanicFailsOnlyThatStatement: a statement that panics fails with
// XX000, in a simple Query (ReadyForQuery follows) and in the extended
// protocol (the rest up to Sync is skipped); the session aborts its
// transaction, and the connection and the others go on.
func TestPanicFailsOnlyThatStatement(t *testing.T) {
	b := newFakeBackend()
	ts := startServer(t, b)
	good := ts.startup(t)
	bad := ts.startup(t)
	bad.send(&pgproto3.Query{String: "begin; panic"})
	bad.expect("CommandComplete(BEGIN)", "Error(ERROR XX000 internal error: fake engine bug)", "ReadyForQuery(E)")
	bad.send(&pgproto3.Query{String: "rollback"})
	bad.expect("CommandComplete(ROLLBACK)", "ReadyForQuery(I)")
	selectOne(t, bad)
	bad.send(
		&pgproto3.Parse{Query: "panic"}, &pgproto3.Bind{}, &pgproto3.Execute{},
		&pgproto3.Parse{Query: "select 1"}, &pgproto3.Bind{}, &pgproto3.Execute{},
		&pgproto3.Sync{},
	)
	bad.expect("ParseComplete", "BindComplete", "Error(ERROR XX000 internal error: fake engine bug)", "ReadyForQuery(I)")
	selectOne(t, bad)
	selectOne(t, good)
}

func TestTerminateClosesSession(t *testing.T) {
	b := newFakeBackend()
	ts := startServer(t, b)
	c := ts.startup(t)
	c.send(&pgproto3.Terminate{})
	c.expectClosed()
	// Shutdown waits for the connection to be fully closed.
	if err := ts.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := b.closedSessions(); got != 1 {
		t.Fatalf("closed sessions %d, want 1", got)
	}
}

func TestShutdownLetsRunningStatementFinish(t *testing.T) {
	b := newFakeBackend()
	ts := startServer(t, b)
	idle := ts.startup(t)
	busy := ts.startup(t)

	busy.send(&pgproto3.Query{String: "block"})
	<-b.started

	shutdown := make(chan error, 1)
	go func() { shutdown <- ts.Shutdown(context.Background()) }()

	// The idle connection is told at once.
	idle.expect("Error(FATAL 57P01 terminating connection due to administrator command)")
	idle.expectClosed()
	if _, err := net.Dial("tcp", ts.addr); err == nil {
		t.Fatal("server still accepts connections during shutdown")
	}

	// The busy one finishes its statement first.
	close(b.release)
	busy.expect(
		"RowDescription(?column?:23:0)", `DataRow("1")`, "CommandComplete(SELECT 1)", "ReadyForQuery(I)",
		"Error(FATAL 57P01 terminating connection due to administrator command)",
	)
	busy.expectClosed()

	if err := <-shutdown; err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if err := <-ts.served; !errors.Is(err, ErrServerClosed) {
		t.Fatalf("Serve: %v", err)
	}
	ts.served <- ErrServerClosed // for the cleanup's check
	if got := b.closedSessions(); got != 2 {
		t.Fatalf("closed sessions %d, want 2", got)
	}
}

func TestShutdownDeadlineCancelsStatements(t *testing.T) {
	b := newFakeBackend()
	ts := startServer(t, b)
	c := ts.startup(t)
	c.send(&pgproto3.Query{String: "select pg_sleep(600)"})
	<-b.started

	ctx, cancel := context.WithCancel(context.Background())
	cancel() // no grace period at all
	if err := ts.Shutdown(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Shutdown: %v", err)
	}
	// The cancelled statement may still get its FATAL out before the
	// socket closes; nothing else may arrive.
	for {
		msg, err := c.fe.Receive()
		if err != nil {
			break
		}
		if got := summarize(msg); got != "Error(FATAL 57P01 terminating connection due to administrator command)" {
			t.Fatalf("received %s", got)
		}
	}
}

func TestServeAfterShutdown(t *testing.T) {
	s := &Server{Backend: newFakeBackend(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := s.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Serve(ln); !errors.Is(err, ErrServerClosed) {
		t.Fatalf("Serve after Shutdown: %v", err)
	}
	if _, err := net.Dial("tcp", ln.Addr().String()); err == nil {
		t.Fatal("listener left open")
	}
}
