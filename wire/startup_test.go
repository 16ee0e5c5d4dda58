package wire

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/pqdb/pqdb/pgerr"
)

func TestStartupMessages(t *testing.T) {
	b := newFakeBackend()
	ts := startServer(t, b)
	c := ts.dial(t)
	c.send(&pgproto3.StartupMessage{
		ProtocolVersion: pgproto3.ProtocolVersion30,
		Parameters:      map[string]string{"user": "alice", "application_name": "psql"},
	})
	got := c.untilReady()
	want := []string{
		"AuthenticationOk",
		"ParameterStatus(DateStyle=ISO, MDY)",
		"ParameterStatus(application_name=psql)",
		"ParameterStatus(client_encoding=UTF8)",
		"ParameterStatus(server_version=15.0 (pqdb fake))",
		"ParameterStatus(standard_conforming_strings=on)",
		"BackendKeyData",
		"ReadyForQuery(I)",
	}
	if len(got) != len(want) {
		t.Fatalf("startup messages\n got: %q\nwant: %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("startup messages\n got: %q\nwant: %q", got, want)
		}
	}

	b.mu.Lock()
	info := b.infos[0]
	b.mu.Unlock()
	if info.User != "alice" || info.Database != "alice" || info.Params["application_name"] != "psql" ||
		info.ProcessID == 0 || info.RemoteAddr == nil {
		t.Fatalf("StartupInfo %+v", info)
	}
}

func TestStartupWithPgx(t *testing.T) {
	ts := startServer(t, newFakeBackend())
	conn := ts.connect(t)
	pc := conn.PgConn()
	if pc.ParameterStatus("server_version") != "15.0 (pqdb fake)" {
		t.Fatalf("server_version %q", pc.ParameterStatus("server_version"))
	}
	if pc.PID() == 0 || len(pc.SecretKey()) != 4 {
		t.Fatalf("BackendKeyData pid=%d key=%x", pc.PID(), pc.SecretKey())
	}
	if pc.TxStatus() != 'I' {
		t.Fatalf("TxStatus %c", pc.TxStatus())
	}
}

func TestSSLAndGSSEncRequestsAnsweredN(t *testing.T) {
	ts := startServer(t, newFakeBackend())
	c := ts.dial(t)
	for _, code := range []uint32{sslRequestCode, gssEncRequestCode} {
		packet := binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, 8), code)
		if _, err := c.conn.Write(packet); err != nil {
			t.Fatal(err)
		}
		var answer [1]byte
		if _, err := io.ReadFull(c.conn, answer[:]); err != nil || answer[0] != 'N' {
			t.Fatalf("answer to %d: %q %v", code, answer, err)
		}
	}
	c.send(&pgproto3.StartupMessage{
		ProtocolVersion: pgproto3.ProtocolVersion30,
		Parameters:      map[string]string{"user": "alice"},
	})
	if got := c.untilReady(); got[0] != "AuthenticationOk" {
		t.Fatalf("after SSLRequest: %q", got)
	}

	// pgx's default sslmode=prefer falls back to clear text on 'N'.
	conn, err := pgx.Connect(context.Background(), "postgres://alice@"+ts.addr+"/shop?sslmode=prefer")
	if err != nil {
		t.Fatalf("sslmode=prefer: %v", err)
	}
	conn.Close(context.Background())
}

func TestUnsupportedProtocolVersion(t *testing.T) {
	ts := startServer(t, newFakeBackend())
	c := ts.dial(t)
	c.send(&pgproto3.StartupMessage{ProtocolVersion: 2 << 16, Parameters: map[string]string{"user": "alice"}})
	c.expect("Error(FATAL 0A000 unsupported frontend protocol 2.0: server supports 3.0 to 3.0)")
	c.expectClosed()
}

func TestNewerMinorProtocolNegotiatedDown(t *testing.T) {
	ts := startServer(t, newFakeBackend())
	c := ts.dial(t)
	c.send(&pgproto3.StartupMessage{
		ProtocolVersion: pgproto3.ProtocolVersion32,
		Parameters:      map[string]string{"user": "alice", "_pq_.frobnicate": "on"},
	})
	c.expect("NegotiateProtocolVersion(196608,[_pq_.frobnicate])", "AuthenticationOk")
	c.untilReady()

	// pgx asking for the newest protocol settles on 3.0.
	conn, err := pgx.Connect(context.Background(), ts.connString("&max_protocol_version=latest"))
	if err != nil {
		t.Fatalf("max_protocol_version=latest: %v", err)
	}
	defer conn.Close(context.Background())
	var n int32
	if err := conn.QueryRow(context.Background(), "select 3").Scan(&n); err != nil || n != 3 {
		t.Fatalf("select 3: %d %v", n, err)
	}
}

func TestStartupWithoutUser(t *testing.T) {
	ts := startServer(t, newFakeBackend())
	c := ts.dial(t)
	c.send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersion30, Parameters: map[string]string{}})
	c.expect("Error(FATAL 28000 no PostgreSQL user name specified in startup packet)")
	c.expectClosed()
}

func TestNewSessionErrorIsFatal(t *testing.T) {
	b := newFakeBackend()
	b.newSessionErr = pgerr.New(pgerr.InvalidCatalogName, "database \"nope\" does not exist")
	ts := startServer(t, b)
	_, err := pgx.Connect(context.Background(), ts.connString(""))
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "3D000" || pe.Severity != "FATAL" {
		t.Fatalf("connect: %v", err)
	}
}

func TestStartupPacketTooLong(t *testing.T) {
	ts := startServer(t, newFakeBackend())
	c := ts.dial(t)
	if _, err := c.conn.Write([]byte("GET / HTTP/1.1\r\nHost: example\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	c.expectClosed()
}

// TestStartupPacketLimitIsPostgreSQLs: the packet after its length word
// may be 10000 bytes long, and no longer.
func TestStartupPacketLimitIsPostgreSQLs(t *testing.T) {
	ts := startServer(t, newFakeBackend())
	packet := func(length int) []byte {
		m := &pgproto3.StartupMessage{
			ProtocolVersion: pgproto3.ProtocolVersion30,
			Parameters:      map[string]string{"user": "alice", "database": "shop", "application_name": ""},
		}
		short, err := m.Encode(nil)
		if err != nil {
			t.Fatal(err)
		}
		m.Parameters["application_name"] = strings.Repeat("a", length-len(short))
		b, err := m.Encode(nil)
		if err != nil || len(b) != length {
			t.Fatalf("packet of %d bytes: %v", len(b), err)
		}
		return b
	}
	c := ts.dial(t)
	c.write(packet(4 + 10000))
	c.untilReady()
	selectOne(t, c)
	c = ts.dial(t)
	c.write(packet(4 + 10001))
	c.expectClosed()
}
