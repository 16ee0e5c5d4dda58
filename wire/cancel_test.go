package wire

import (
	"context"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
)

func TestCancelRequestCancelsRunningStatement(t *testing.T) {
	b := newFakeBackend()
	ts := startServer(t, b)
	conn := ts.connect(t)

	result := make(chan error, 1)
	go func() {
		_, err := conn.Exec(context.Background(), "select pg_sleep(600)")
		result <- err
	}()
	<-b.started
	if err := conn.PgConn().CancelRequest(context.Background()); err != nil {
		t.Fatal(err)
	}
	err := <-result
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "57014" || pe.Message != "canceling statement due to user request" {
		t.Fatalf("cancelled statement: %v", err)
	}
	// The session goes on.
	var n int32
	if err := conn.QueryRow(context.Background(), "select 6").Scan(&n); err != nil || n != 6 {
		t.Fatalf("select 6 after cancel: %d %v", n, err)
	}
}

func TestCancelRequestWithWrongKeyIsIgnored(t *testing.T) {
	b := newFakeBackend()
	ts := startServer(t, b)
	victim := ts.dial(t)
	victim.send(&pgproto3.StartupMessage{
		ProtocolVersion: pgproto3.ProtocolVersion30,
		Parameters:      map[string]string{"user": "alice"},
	})
	var key *pgproto3.BackendKeyData
	for key == nil {
		msg, err := victim.fe.Receive()
		if err != nil {
			t.Fatal(err)
		}
		if k, ok := msg.(*pgproto3.BackendKeyData); ok {
			key = &pgproto3.BackendKeyData{ProcessID: k.ProcessID, SecretKey: append([]byte(nil), k.SecretKey...)}
		}
	}
	victim.expect("ReadyForQuery(I)")

	victim.send(&pgproto3.Query{String: "select pg_sleep(600)"})
	<-b.started

	sendCancel := func(secret []byte) {
		c := ts.dial(t)
		packet := binary.BigEndian.AppendUint32(nil, uint32(12+len(secret)))
		packet = binary.BigEndian.AppendUint32(packet, cancelRequestCode)
		packet = binary.BigEndian.AppendUint32(packet, key.ProcessID)
		packet = append(packet, secret...)
		if _, err := c.conn.Write(packet); err != nil {
			t.Fatal(err)
		}
		c.expectClosed() // no reply, only a closed connection
	}
	wrong := append([]byte(nil), key.SecretKey...)
	wrong[0] ^= 0xff
	sendCancel(wrong)
	// The server acts on a CancelRequest before closing its connection,
	// so by now the wrong key has been judged.
	b.mu.Lock()
	sleepCtx := b.sleepCtx
	b.mu.Unlock()
	if sleepCtx.Err() != nil {
		t.Fatal("a CancelRequest with the wrong key cancelled the statement")
	}
	sendCancel(key.SecretKey)
	victim.expect("Error(ERROR 57014 canceling statement due to user request)", "ReadyForQuery(I)")
}

// Statements share a context until one is cancelled (beginStatement): a
// cancel ends only the statement it reached, a CancelRequest between
// statements cancels nothing, and the statement after a cancelled one
// can be cancelled in its turn.
func TestCancelRequestReachesOnlyTheRunningStatement(t *testing.T) {
	b := newFakeBackend()
	ts := startServer(t, b)
	conn := ts.connect(t)

	sleepCancelled := func() {
		t.Helper()
		result := make(chan error, 1)
		go func() {
			_, err := conn.Exec(context.Background(), "select pg_sleep(600)")
			result <- err
		}()
		<-b.started
		if err := conn.PgConn().CancelRequest(context.Background()); err != nil {
			t.Fatal(err)
		}
		var pe *pgconn.PgError
		if err := <-result; !errors.As(err, &pe) || pe.Code != "57014" {
			t.Fatalf("cancelled statement: %v", err)
		}
	}
	selectSix := func() {
		t.Helper()
		var n int32
		if err := conn.QueryRow(context.Background(), "select 6").Scan(&n); err != nil || n != 6 {
			t.Fatalf("select 6: %d %v", n, err)
		}
	}
	selectSix()
	sleepCancelled()
	selectSix()
	// pgconn's CancelRequest returns once the server closed the cancel
	// connection, after it acted on the request: between statements,
	// by doing nothing.
	if err := conn.PgConn().CancelRequest(context.Background()); err != nil {
		t.Fatal(err)
	}
	selectSix()
	selectSix()
	sleepCancelled()
	selectSix()
}
