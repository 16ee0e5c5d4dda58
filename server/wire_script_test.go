package server

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
)

// Wire scripts pin pqdb's protocol behaviour to PostgreSQL's, message by
// message. Each file in testdata/wire/*.script is one scenario:
//
//	# a comment; blank lines are ignored
//	send Query {"String": "select 1"}
//	send Parse {"Name": "s1", "Query": "select $1::int"}
//	send Bind {"PreparedStatement": "s1", "Parameters": [{"text": "5"}]}
//	send CopyData {"Text": "1\tone\n"}
//	send Sync
//	expect DataRow("1")
//	expect ReadyForQuery(I)
//
// "send" names a pgproto3 frontend message and gives its body as the JSON
// pgproto3 unmarshals (Describe and Close take {"ObjectType": "S"|"P"},
// Bind parameters are {"text": "..."} or {"binary": "<hex>"}, null for
// NULL). CopyData also accepts {"Text": "..."} for readable rows instead of
// pgproto3's hex "Data". Sends are buffered and flushed before the next
// "expect".
//
// "expect" reads one backend message and compares its rendering (see
// renderBackend; a notice that points into the query ends with its
// position) with the rest of the line, exactly. ParameterStatus
// messages are never compared: they are skipped wherever they arrive,
// because servers report different parameter sets. The startup handshake
// (user "tester", database "pqdb") is done by the runner and its
// messages up to the first ReadyForQuery are not part of the script.
//
// After the last line the runner sends Sync and requires ReadyForQuery as
// the very next message, so a script that leaves messages unread fails.
//
// With PQDB_WIRE_ORACLE=host:port the scripts run against that server
// (a PostgreSQL 15 reached as user postgres with trust authentication)
// instead of pqdb; each script gets a freshly created database there, as
// it gets a fresh data directory in pqdb. That is how the expectations
// are validated against PostgreSQL.
func TestWireScripts(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "wire", "*.script"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no wire scripts in testdata/wire")
	}
	oracle := os.Getenv("PQDB_WIRE_ORACLE")
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".script")
		t.Run(name, func(t *testing.T) {
			steps := parseWireScript(t, file)
			var c *scriptClient
			if oracle != "" {
				c = oracleClient(t, oracle)
			} else {
				t.Parallel()
				srv, err := Start(Config{Listen: "127.0.0.1:0", DataDir: t.TempDir()})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { srv.Close() })
				c = dialScript(t, srv.Addr(), "tester", "pqdb")
			}
			c.play(file, steps)
		})
	}
}

// scriptStep is one line of a script: a message to send or a rendering
// to expect.
type scriptStep struct {
	line   int
	send   pgproto3.FrontendMessage
	expect string
}

func parseWireScript(t *testing.T, file string) []scriptStep {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var steps []scriptStep
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		verb, rest, _ := strings.Cut(line, " ")
		rest = strings.TrimSpace(rest)
		switch verb {
		case "send":
			msg, err := frontendMessage(rest)
			if err != nil {
				t.Fatalf("%s:%d: %v", file, n, err)
			}
			steps = append(steps, scriptStep{line: n, send: msg})
		case "expect":
			if rest == "" {
				t.Fatalf("%s:%d: expect needs a message", file, n)
			}
			steps = append(steps, scriptStep{line: n, expect: rest})
		default:
			t.Fatalf("%s:%d: unknown verb %q (want send or expect)", file, n, verb)
		}
	}
	return steps
}

// frontendMessage builds the message of a "send" line: a pgproto3 type
// name followed by an optional JSON body.
func frontendMessage(spec string) (pgproto3.FrontendMessage, error) {
	name, body, _ := strings.Cut(spec, " ")
	body = strings.TrimSpace(body)
	var msg pgproto3.FrontendMessage
	switch name {
	case "Query":
		msg = &pgproto3.Query{}
	case "Parse":
		msg = &pgproto3.Parse{}
	case "Bind":
		msg = &pgproto3.Bind{}
	case "Describe":
		msg = &pgproto3.Describe{}
	case "Execute":
		msg = &pgproto3.Execute{}
	case "Close":
		msg = &pgproto3.Close{}
	case "Sync":
		msg = &pgproto3.Sync{}
	case "Flush":
		msg = &pgproto3.Flush{}
	case "CopyData":
		var text struct{ Text *string }
		if body != "" {
			if err := json.Unmarshal([]byte(body), &text); err != nil {
				return nil, fmt.Errorf("CopyData body: %w", err)
			}
		}
		if text.Text != nil {
			return &pgproto3.CopyData{Data: []byte(*text.Text)}, nil
		}
		msg = &pgproto3.CopyData{}
	case "CopyDone":
		msg = &pgproto3.CopyDone{}
	case "CopyFail":
		msg = &pgproto3.CopyFail{}
	case "Terminate":
		msg = &pgproto3.Terminate{}
	default:
		return nil, fmt.Errorf("unknown frontend message %q", name)
	}
	if body != "" {
		if err := json.Unmarshal([]byte(body), msg); err != nil {
			return nil, fmt.Errorf("%s body: %w", name, err)
		}
	}
	return msg, nil
}

// scriptClient speaks the protocol message by message.
type scriptClient struct {
	t    *testing.T
	conn net.Conn
	fe   *pgproto3.Frontend
	key  pgproto3.BackendKeyData // for CancelRequest
}

// scriptIOTimeout only keeps a broken script from hanging.
const scriptIOTimeout = 10 * time.Second

// dialScript connects and completes the startup handshake.
func dialScript(t *testing.T, addr, user, database string) *scriptClient {
	t.Helper()
	nc, err := net.DialTimeout("tcp", addr, scriptIOTimeout)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	nc.SetDeadline(time.Now().Add(scriptIOTimeout))
	c := &scriptClient{t: t, conn: nc, fe: pgproto3.NewFrontend(nc, nc)}
	c.fe.Send(&pgproto3.StartupMessage{
		ProtocolVersion: pgproto3.ProtocolVersion30,
		Parameters:      map[string]string{"user": user, "database": database},
	})
	c.flush()
	for {
		msg := c.receive()
		switch m := msg.(type) {
		case *pgproto3.AuthenticationOk:
		case *pgproto3.BackendKeyData:
			c.key = pgproto3.BackendKeyData{ProcessID: m.ProcessID, SecretKey: slices.Clone(m.SecretKey)}
		case *pgproto3.ReadyForQuery:
			return c
		default:
			t.Fatalf("startup: unexpected %s", renderBackend(m))
		}
	}
}

// oracleClient recreates a private database on the PostgreSQL at addr
// and connects to it.
func oracleClient(t *testing.T, addr string) *scriptClient {
	t.Helper()
	const db = "pqdb_wire_script"
	admin := dialScript(t, addr, "postgres", "postgres")
	for _, sql := range []string{"drop database if exists " + db, "create database " + db} {
		admin.fe.Send(&pgproto3.Query{String: sql})
		admin.flush()
		for {
			msg := admin.receive()
			if e, ok := msg.(*pgproto3.ErrorResponse); ok {
				t.Fatalf("%s: %s", sql, e.Message)
			}
			if _, ok := msg.(*pgproto3.ReadyForQuery); ok {
				break
			}
		}
	}
	admin.conn.Close()
	return dialScript(t, addr, "postgres", db)
}

func (c *scriptClient) flush() {
	c.t.Helper()
	if err := c.fe.Flush(); err != nil {
		c.t.Fatalf("send: %v", err)
	}
}

// receive returns the next backend message other than ParameterStatus.
func (c *scriptClient) receive() pgproto3.BackendMessage {
	c.t.Helper()
	for {
		msg, err := c.fe.Receive()
		if err != nil {
			c.t.Fatalf("receive: %v", err)
		}
		if _, ok := msg.(*pgproto3.ParameterStatus); !ok {
			return msg
		}
	}
}

// exec runs sql as a simple Query that must succeed, reading its
// messages up to ReadyForQuery.
func (c *scriptClient) exec(sql string) {
	c.t.Helper()
	c.fe.Send(&pgproto3.Query{String: sql})
	c.flush()
	for {
		switch m := c.receive().(type) {
		case *pgproto3.ErrorResponse:
			c.t.Fatalf("%s: %s %s", sql, m.Code, m.Message)
		case *pgproto3.ReadyForQuery:
			return
		}
	}
}

func (c *scriptClient) play(file string, steps []scriptStep) {
	c.t.Helper()
	for _, s := range steps {
		if s.send != nil {
			c.fe.Send(s.send)
			continue
		}
		c.flush()
		if got := renderBackend(c.receive()); got != s.expect {
			c.t.Fatalf("%s:%d:\n got: %s\nwant: %s", file, s.line, got, s.expect)
		}
	}
	c.fe.Send(&pgproto3.Sync{})
	c.flush()
	if got := renderBackend(c.receive()); !strings.HasPrefix(got, "ReadyForQuery(") {
		c.t.Fatalf("%s: after the last line: unexpected %s", file, got)
	}
}

// renderBackend renders a backend message as one stable line. Errors and
// notices show severity, SQLSTATE and message, not positions or hints.
func renderBackend(msg pgproto3.BackendMessage) string {
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
		if m.Position != 0 {
			return fmt.Sprintf("Notice(%s %s %s; position %d)", m.Severity, m.Code, m.Message, m.Position)
		}
		return fmt.Sprintf("Notice(%s %s %s)", m.Severity, m.Code, m.Message)
	case *pgproto3.ReadyForQuery:
		return fmt.Sprintf("ReadyForQuery(%c)", m.TxStatus)
	case *pgproto3.ParameterDescription:
		return fmt.Sprintf("ParameterDescription%v", m.ParameterOIDs)
	case *pgproto3.CopyInResponse:
		return fmt.Sprintf("CopyInResponse(%d,%v)", m.OverallFormat, m.ColumnFormatCodes)
	case *pgproto3.CopyOutResponse:
		return fmt.Sprintf("CopyOutResponse(%d,%v)", m.OverallFormat, m.ColumnFormatCodes)
	case *pgproto3.CopyData:
		return fmt.Sprintf("CopyData(%q)", m.Data)
	default:
		return strings.TrimPrefix(fmt.Sprintf("%T", msg), "*pgproto3.")
	}
}
