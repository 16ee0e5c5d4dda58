package wire

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"regexp"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
)

// FuzzConnection sends arbitrary bytes to a server, after a valid
// StartupMessage when startup says so and as the start-up packets
// themselves otherwise, then closes its side. Whatever it sent, the
// server must end the connection (no hang), must not panic while serving
// it (a recovered panic is logged, and fails the test here), and must go
// on serving: a fresh connection still answers select 1.
func FuzzConnection(f *testing.F) {
	for _, s := range frontendSeeds(f) {
		f.Add(true, s)
	}
	f.Add(false, encodeFrontend(f, &pgproto3.SSLRequest{}, &pgproto3.GSSEncRequest{}, &pgproto3.StartupMessage{
		ProtocolVersion: pgproto3.ProtocolVersion30 + 1,
		Parameters:      map[string]string{"user": "alice", "options": "-c x=y"},
	}))
	f.Add(false, encodeFrontend(f, &pgproto3.CancelRequest{ProcessID: 1, SecretKey: []byte{1, 2, 3, 4}}))
	f.Add(false, []byte{0, 0, 0, 8, 0, 5, 0, 0})
	f.Add(false, []byte("GET / HTTP/1.1\r\n\r\n"))

	b := newFakeBackend()
	// Each COPY reports what it read; nobody waits for it here.
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-b.copied:
			case <-done:
				return
			}
		}
	}()
	f.Cleanup(func() { close(done) })
	panics := &panicLog{}
	ts := startServer(f, b, func(s *Server) {
		s.Logger = slog.New(panics)
		// A message header may announce up to a gigabyte, which the
		// server would allocate before reading it, as PostgreSQL does;
		// a smaller bound keeps the fuzzer's memory small.
		s.MaxMessageSize = 1 << 20
	})
	startup := encodeFrontend(f, &pgproto3.StartupMessage{
		ProtocolVersion: pgproto3.ProtocolVersion30,
		Parameters:      map[string]string{"user": "alice", "database": "shop"},
	})

	f.Fuzz(func(t *testing.T, withStartup bool, data []byte) {
		// The fake engine panics, blocks or sleeps when asked to, on
		// purpose, and returns as many rows as asked; those are its
		// tests' inputs, not bugs.
		lower := bytes.ToLower(data)
		for _, word := range []string{"panic", "block", "sleep"} {
			if bytes.Contains(lower, []byte(word)) {
				t.Skip()
			}
		}
		if manyRows.Match(lower) {
			t.Skip()
		}
		nc, err := net.Dial("tcp", ts.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer nc.Close()
		nc.SetDeadline(time.Now().Add(ioTimeout))
		// The server may answer and close before reading all of data;
		// what it does with it is what counts, not whether it was sent.
		go func() {
			if withStartup {
				nc.Write(startup)
			}
			nc.Write(data)
			nc.(*net.TCPConn).CloseWrite()
		}()
		if _, err := io.Copy(io.Discard, nc); err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				t.Fatalf("the server did not end the connection in %v", ioTimeout)
			}
		}
		if p := panics.take(); p != "" {
			t.Fatalf("the server panicked: %s", p)
		}
		c := ts.startup(t)
		c.send(&pgproto3.Query{String: "select 1"})
		if got, want := c.untilReady(), []string{"RowDescription(?column?:23:0)", `DataRow("1")`, "CommandComplete(SELECT 1)", "ReadyForQuery(I)"}; !slices.Equal(got, want) {
			t.Fatalf("after the fuzzed connection, select 1 gave %q", got)
		}
		c.send(&pgproto3.Terminate{})
		c.expectClosed()
	})
}

// manyRows matches a query of the fake engine for 10,000 rows or more.
var manyRows = regexp.MustCompile(`generate_series\(1, ?\d{5}`)

// frontendSeeds are message sequences of every protocol flow, for the
// fuzzer to cut and mutate.
func frontendSeeds(f *testing.F) [][]byte {
	return [][]byte{
		encodeFrontend(f, &pgproto3.Query{String: "select 1; select generate_series(1,3)"}, &pgproto3.Terminate{}),
		encodeFrontend(f, &pgproto3.Query{String: "begin"}, &pgproto3.Query{String: "select 1/0"}, &pgproto3.Query{String: "rollback"}),
		encodeFrontend(f,
			&pgproto3.Parse{Name: "s", Query: "select $1", ParameterOIDs: []uint32{25}},
			&pgproto3.Describe{ObjectType: 'S', Name: "s"},
			&pgproto3.Bind{DestinationPortal: "p", PreparedStatement: "s", ParameterFormatCodes: []int16{0}, Parameters: [][]byte{[]byte("x")}, ResultFormatCodes: []int16{1}},
			&pgproto3.Describe{ObjectType: 'P', Name: "p"},
			&pgproto3.Execute{Portal: "p", MaxRows: 1},
			&pgproto3.Close{ObjectType: 'P', Name: "p"},
			&pgproto3.Sync{}),
		encodeFrontend(f, &pgproto3.Query{String: "copy t from stdin"}, &pgproto3.CopyData{Data: []byte("a\nb\n")}, &pgproto3.CopyDone{}, &pgproto3.Sync{}),
		encodeFrontend(f, &pgproto3.Query{String: "copy n from stdin"}, &pgproto3.CopyData{Data: []byte("1\n")}, &pgproto3.CopyFail{Message: "stop"}),
		encodeFrontend(f, &pgproto3.Parse{Query: "copy t from stdin"}, &pgproto3.Bind{}, &pgproto3.Execute{}, &pgproto3.CopyData{Data: []byte("x\n")}, &pgproto3.CopyDone{}, &pgproto3.Sync{}),
		encodeFrontend(f, &pgproto3.Parse{Query: "select generate_series(1,5)"}, &pgproto3.Bind{}, &pgproto3.Execute{MaxRows: 2}, &pgproto3.Flush{}, &pgproto3.Execute{}, &pgproto3.Sync{}),
		encodeFrontend(f, &pgproto3.Query{String: "set application_name = 'f'"}, &pgproto3.FunctionCall{Function: 1}, &pgproto3.Query{String: ""}),
		encodeFrontend(f, &pgproto3.PasswordMessage{Password: "x"}, &pgproto3.CopyDone{}),
		// Headers over their type's limit, after messages that are
		// answered first (message_limits.go).
		append(encodeFrontend(f, &pgproto3.Query{String: "select 1"}), messageHeader('S', 1<<16)...),
		append(encodeFrontend(f, &pgproto3.Query{String: "copy t from stdin"}, &pgproto3.CopyData{Data: []byte("a\n")}), messageHeader('c', 1<<16)...),
	}
}

// encodeFrontend encodes msgs as a client sends them.
func encodeFrontend(tb testing.TB, msgs ...pgproto3.FrontendMessage) []byte {
	tb.Helper()
	var buf []byte
	for _, m := range msgs {
		var err error
		if buf, err = m.Encode(buf); err != nil {
			tb.Fatal(err)
		}
	}
	return buf
}

// panicLog is a slog handler that keeps the first panic the server logs
// until take.
type panicLog struct {
	mu    sync.Mutex
	panic string
}

func (h *panicLog) Enabled(context.Context, slog.Level) bool { return true }
func (h *panicLog) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *panicLog) WithGroup(string) slog.Handler            { return h }

func (h *panicLog) Handle(_ context.Context, r slog.Record) error {
	var p, stack string
	r.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case "panic":
			p = fmt.Sprint(a.Value.Any())
		case "stack":
			stack = a.Value.String()
		}
		return true
	})
	h.mu.Lock()
	defer h.mu.Unlock()
	if p != "" && h.panic == "" {
		h.panic = p + "\n" + stack
	}
	return nil
}

// take returns the panic logged since the last take, or "". A
// connection's panic is logged before its socket closes.
func (h *panicLog) take() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	p := h.panic
	h.panic = ""
	return p
}
