package wire

import (
	"net"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
)

// The protocol scripts (tests built on scriptTarget) assert exact message
// sequences. Their expectations come from PostgreSQL: with
//
//	PQDB_WIRE_ORACLE=127.0.0.1:5432 go test ./wire -run Script
//
// the same scripts run against that real server instead of pqdb, and
// must pass there too. The server must trust the user named by
// PQDB_WIRE_ORACLE_USER (default postgres). Checks that need the fake
// engine's insides (what COPY received) are skipped in that mode.

// target is where a script runs: pqdb over the fake engine, or PostgreSQL.
type target interface {
	startup(t testing.TB) *rawClient
}

// scriptTarget returns the oracle when one is configured, else a fresh
// pqdb server over the fake engine.
func scriptTarget(t *testing.T) target {
	if addr := os.Getenv("PQDB_WIRE_ORACLE"); addr != "" {
		return oracle{addr: addr}
	}
	return startServer(t, newFakeBackend())
}

// fakeOnly returns the fake backend behind tgt, or nil for the oracle.
func fakeOnly(tgt target) *fakeBackend {
	if ts, ok := tgt.(*testServer); ok {
		return ts.backend
	}
	return nil
}

type oracle struct{ addr string }

func (o oracle) startup(t testing.TB) *rawClient {
	t.Helper()
	nc, err := net.Dial("tcp", o.addr)
	if err != nil {
		t.Fatal(err)
	}
	nc.SetDeadline(time.Now().Add(ioTimeout))
	t.Cleanup(func() { nc.Close() })
	c := &rawClient{t: t, conn: nc, fe: pgproto3.NewFrontend(nc, nc)}
	user := os.Getenv("PQDB_WIRE_ORACLE_USER")
	if user == "" {
		user = "postgres"
	}
	c.send(&pgproto3.StartupMessage{
		ProtocolVersion: pgproto3.ProtocolVersion30,
		Parameters:      map[string]string{"user": user},
	})
	c.untilReady()
	// The tables the fake's COPY statements pretend to load.
	c.send(&pgproto3.Query{String: "create temp table t(a text); create temp table n(a int)"})
	c.untilReady()
	return c
}
