package wire

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgproto3"
)

// ioTimeout only keeps a broken test from hanging; no test measures time.
const ioTimeout = 10 * time.Second

// testServer serves b on a loopback port until the test ends.
type testServer struct {
	*Server
	addr    string
	served  chan error // Serve's result
	backend *fakeBackend
}

// startServer serves b until the test ends; configure, if given, adjusts
// the Server before it starts.
func startServer(t testing.TB, b *fakeBackend, configure ...func(*Server)) *testServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{
		Server:  &Server{Backend: b, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))},
		addr:    ln.Addr().String(),
		served:  make(chan error, 1),
		backend: b,
	}
	for _, f := range configure {
		f(ts.Server)
	}
	go func() { ts.served <- ts.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
		defer cancel()
		if err := ts.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
		if err := <-ts.served; !errors.Is(err, ErrServerClosed) {
			t.Errorf("Serve returned %v, want ErrServerClosed", err)
		}
	})
	return ts
}

func (ts *testServer) connString(extra string) string {
	return fmt.Sprintf("postgres://alice@%s/shop?sslmode=disable%s", ts.addr, extra)
}

// connect opens a pgx connection with the default (extended, statement
// cache) protocol, or with mode when given.
func (ts *testServer) connect(t *testing.T, mode ...pgx.QueryExecMode) *pgx.Conn {
	t.Helper()
	cfg, err := pgx.ParseConfig(ts.connString(""))
	if err != nil {
		t.Fatal(err)
	}
	if len(mode) > 0 {
		cfg.DefaultQueryExecMode = mode[0]
	}
	ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
	defer cancel()
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// rawClient speaks the protocol message by message, for exact scripts.
type rawClient struct {
	t    testing.TB
	conn net.Conn
	fe   *pgproto3.Frontend
}

func (ts *testServer) dial(t testing.TB) *rawClient {
	t.Helper()
	nc, err := net.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	nc.SetDeadline(time.Now().Add(ioTimeout))
	t.Cleanup(func() { nc.Close() })
	return &rawClient{t: t, conn: nc, fe: pgproto3.NewFrontend(nc, nc)}
}

// startup dials and completes startup, returning the client ready for
// queries.
func (ts *testServer) startup(t testing.TB) *rawClient {
	t.Helper()
	c := ts.dial(t)
	c.send(&pgproto3.StartupMessage{
		ProtocolVersion: pgproto3.ProtocolVersion30,
		Parameters:      map[string]string{"user": "alice", "database": "shop"},
	})
	c.untilReady()
	return c
}

func (c *rawClient) send(msgs ...pgproto3.FrontendMessage) {
	c.t.Helper()
	for _, m := range msgs {
		c.fe.Send(m)
	}
	if err := c.fe.Flush(); err != nil {
		c.t.Fatalf("send: %v", err)
	}
}

// write sends raw bytes, for what pgproto3 would not encode.
func (c *rawClient) write(b []byte) {
	c.t.Helper()
	if _, err := c.conn.Write(b); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

// receive returns the next message, summarized.
func (c *rawClient) receive() string {
	c.t.Helper()
	msg, err := c.fe.Receive()
	if err != nil {
		c.t.Fatalf("receive: %v", err)
	}
	return summarize(msg)
}

// untilReady returns every message up to and including ReadyForQuery.
func (c *rawClient) untilReady() []string {
	c.t.Helper()
	var got []string
	for {
		s := c.receive()
		got = append(got, s)
		if strings.HasPrefix(s, "ReadyForQuery") {
			return got
		}
	}
}

// expect reads len(want) messages and compares them with want.
func (c *rawClient) expect(want ...string) {
	c.t.Helper()
	got := make([]string, 0, len(want))
	for range want {
		got = append(got, c.receive())
	}
	if !slices.Equal(got, want) {
		c.t.Fatalf("messages differ\n got: %q\nwant: %q", got, want)
	}
}

// expectClosed asserts that the server has closed the connection.
func (c *rawClient) expectClosed() {
	c.t.Helper()
	msg, err := c.fe.Receive()
	if err == nil {
		c.t.Fatalf("connection still open; received %s", summarize(msg))
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		c.t.Fatalf("connection still open: %v", err)
	}
}

// summarize renders a backend message as a short line for comparisons.
func summarize(msg pgproto3.BackendMessage) string {
	switch m := msg.(type) {
	case *pgproto3.RowDescription:
		fields := make([]string, len(m.Fields))
		for i, f := range m.Fields {
			fields[i] = fmt.Sprintf("%s:%d:%d", f.Name, f.DataTypeOID, f.Format)
		}
		return "RowDescription(" + strings.Join(fields, ",") + ")"
	case *pgproto3.DataRow:
		values := make([]string, len(m.Values))
		for i, v := range m.Values {
			if v == nil {
				values[i] = "NULL"
			} else {
				values[i] = fmt.Sprintf("%q", v)
			}
		}
		return "DataRow(" + strings.Join(values, ",") + ")"
	case *pgproto3.CommandComplete:
		return fmt.Sprintf("CommandComplete(%s)", m.CommandTag)
	case *pgproto3.ErrorResponse:
		return fmt.Sprintf("Error(%s %s %s)", m.Severity, m.Code, m.Message)
	case *pgproto3.NoticeResponse:
		return fmt.Sprintf("Notice(%s %s %s)", m.Severity, m.Code, m.Message)
	case *pgproto3.ReadyForQuery:
		return fmt.Sprintf("ReadyForQuery(%c)", m.TxStatus)
	case *pgproto3.ParameterDescription:
		return fmt.Sprintf("ParameterDescription%v", m.ParameterOIDs)
	case *pgproto3.CopyInResponse:
		return fmt.Sprintf("CopyInResponse(%d,%v)", m.OverallFormat, m.ColumnFormatCodes)
	case *pgproto3.ParameterStatus:
		return fmt.Sprintf("ParameterStatus(%s=%s)", m.Name, m.Value)
	case *pgproto3.NegotiateProtocolVersion:
		return fmt.Sprintf("NegotiateProtocolVersion(%d,%v)", m.NewestMinorProtocol, m.UnrecognizedOptions)
	default:
		return strings.TrimPrefix(fmt.Sprintf("%T", msg), "*pgproto3.")
	}
}
