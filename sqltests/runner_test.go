package sqltests

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgproto3"
)

// scriptedServer is a minimal PostgreSQL-protocol server for runner tests:
// it answers each simple Query from a table of canned replies, so the
// runner's bookkeeping is tested without a database.
type scriptedServer struct {
	ln      net.Listener
	replies map[string]reply

	mu       sync.Mutex
	received []string
	conns    int // sessions started, cancel requests not counted
}

// reply is what the server answers to one SQL text.
type reply struct {
	columns []string        // a row description with these text columns
	rows    [][]interface{} // nil values are NULL, strings are sent as text
	tag     string          // command tag, "SELECT n" when empty
	errCode string          // send this SQLSTATE as an error instead
	hangUp  bool            // close the connection instead of answering
}

func startScriptedServer(t *testing.T, replies map[string]reply) *scriptedServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &scriptedServer{ln: ln, replies: replies}
	go s.serve()
	t.Cleanup(func() { ln.Close() })
	return s
}

func (s *scriptedServer) connect(ctx context.Context) (*pgx.Conn, error) {
	return pgx.Connect(ctx, "postgres://slt@"+s.ln.Addr().String()+"/slt?sslmode=disable")
}

func (s *scriptedServer) serve() {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		go s.session(c)
	}
}

func (s *scriptedServer) session(c net.Conn) {
	defer c.Close()
	be := pgproto3.NewBackend(c, c)
	startup, err := be.ReceiveStartupMessage()
	if err != nil {
		return
	}
	if _, ok := startup.(*pgproto3.StartupMessage); !ok {
		return // a cancel request: nothing runs long enough to cancel
	}
	s.mu.Lock()
	s.conns++
	s.mu.Unlock()
	be.Send(&pgproto3.AuthenticationOk{})
	be.Send(&pgproto3.BackendKeyData{ProcessID: 1, SecretKey: []byte{0, 0, 0, 1}})
	be.Send(&pgproto3.ReadyForQuery{TxStatus: 'I'})
	if be.Flush() != nil {
		return
	}
	for {
		msg, err := be.Receive()
		if err != nil {
			return
		}
		q, ok := msg.(*pgproto3.Query)
		if !ok {
			return // Terminate, or anything this server does not speak
		}
		s.mu.Lock()
		s.received = append(s.received, q.String)
		s.mu.Unlock()
		r, known := s.replies[q.String]
		switch {
		case !known && strings.HasPrefix(q.String, "DROP "):
			be.Send(&pgproto3.CommandComplete{CommandTag: []byte("DROP TABLE")})
		case !known:
			be.Send(&pgproto3.ErrorResponse{Severity: "ERROR", Code: "42601", Message: "unscripted: " + q.String})
		case r.hangUp:
			return
		case r.errCode != "":
			be.Send(&pgproto3.ErrorResponse{Severity: "ERROR", Code: r.errCode, Message: "scripted failure"})
		default:
			if r.columns != nil {
				fields := make([]pgproto3.FieldDescription, len(r.columns))
				for i, name := range r.columns {
					fields[i] = pgproto3.FieldDescription{Name: []byte(name), DataTypeOID: 25, DataTypeSize: -1, TypeModifier: -1}
				}
				be.Send(&pgproto3.RowDescription{Fields: fields})
				for _, row := range r.rows {
					values := make([][]byte, len(row))
					for i, v := range row {
						if v != nil {
							values[i] = []byte(v.(string))
						}
					}
					be.Send(&pgproto3.DataRow{Values: values})
				}
			}
			tag := r.tag
			if tag == "" {
				tag = "SELECT " + itoa(len(r.rows))
			}
			be.Send(&pgproto3.CommandComplete{CommandTag: []byte(tag)})
		}
		be.Send(&pgproto3.ReadyForQuery{TxStatus: 'I'})
		if be.Flush() != nil {
			return
		}
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func writeScript(t *testing.T, name, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRunFileCountsAndReconnects(t *testing.T) {
	srv := startScriptedServer(t, map[string]reply{
		"CREATE TABLE t1(a INTEGER)":         {tag: "CREATE TABLE"},
		"CREATE VIEW v1 AS SELECT a FROM t1": {tag: "CREATE VIEW"},
		"SELECT a FROM t1":                   {columns: []string{"a"}, rows: [][]interface{}{{"3"}, {"1"}, {nil}}},
		"SELECT 'x', ''":                     {columns: []string{"x", "y"}, rows: [][]interface{}{{"x", ""}}},
		"SELECT crash":                       {hangUp: true},
		"SELECT bad":                         {errCode: "22012"},
		"UPDATE t1 SET a = 1":                {tag: "UPDATE 2"},
	})
	path := writeScript(t, "counts.test", `statement ok
CREATE TABLE t1(a INTEGER)

statement ok
CREATE VIEW v1 AS SELECT a FROM t1

query I rowsort
SELECT a FROM t1
----
1
3
NULL

query I nosort
SELECT a FROM t1
----
1
3
NULL

query TT
SELECT 'x', ''
----
x
(empty)

statement error
SELECT bad

statement ok
SELECT bad

skipif postgresql
statement ok
SELECT crash

statement ok
SELECT crash

statement count 2
UPDATE t1 SET a = 1

statement count 3
UPDATE t1 SET a = 1

onlyif postgresql
halt

statement ok
SELECT never
`)
	res, err := RunFile(context.Background(), srv.connect, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Passed != 6 || res.Failed != 4 || res.Skipped != 1 {
		t.Fatalf("got %s, want 6 passed, 4 failed, 1 skipped; failures: %v", res.Summary(), res.Failures)
	}
	var lines []int
	for _, f := range res.Failures {
		lines = append(lines, f.Line)
	}
	if want := []int{14, 30, 37, 43}; !slices.Equal(lines, want) {
		t.Errorf("failures at lines %v, want %v", lines, want)
	}
	if got := res.Failures[0].Got; got != "3\n1\nNULL" {
		t.Errorf("nosort failure shows %q", got)
	}
	if !strings.Contains(res.Failures[1].Got, "22012") {
		t.Errorf("statement failure shows %q, want the SQLSTATE", res.Failures[1].Got)
	}

	srv.mu.Lock()
	defer srv.mu.Unlock()
	if srv.conns != 2 {
		t.Errorf("opened %d connections, want 2 (one reconnect after the crash); received %q", srv.conns, srv.received)
	}
	if slices.Contains(srv.received, "SELECT never") {
		t.Error("a record after halt was run")
	}
	tail := srv.received[len(srv.received)-2:]
	if want := []string{"DROP VIEW IF EXISTS v1", "DROP TABLE IF EXISTS t1"}; !slices.Equal(tail, want) {
		t.Errorf("cleanup sent %q, want %q", tail, want)
	}
}

func TestRunFileKeepsFailuresUpToMax(t *testing.T) {
	srv := startScriptedServer(t, map[string]reply{})
	var b strings.Builder
	for i := 0; i < 5; i++ {
		b.WriteString("statement ok\nSELECT unknown\n\n")
	}
	path := writeScript(t, "many.test", b.String())
	res, err := RunFile(context.Background(), srv.connect, path, Options{MaxFailures: 2})
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed != 5 || len(res.Failures) != 2 {
		t.Errorf("failed %d with %d kept, want 5 with 2 kept", res.Failed, len(res.Failures))
	}
}

func TestRunFileUnreachableServer(t *testing.T) {
	path := writeScript(t, "x.test", "statement ok\nSELECT 1\n")
	refuse := func(ctx context.Context) (*pgx.Conn, error) { return nil, errors.New("connection refused") }
	if _, err := RunFile(context.Background(), refuse, path, Options{}); err == nil {
		t.Error("no error when the server cannot be reached")
	}
}

func TestRunFilesWalksDirectories(t *testing.T) {
	srv := startScriptedServer(t, map[string]reply{
		"SELECT 1": {columns: []string{"one"}, rows: [][]interface{}{{"1"}}},
	})
	dir := t.TempDir()
	for _, name := range []string{"b.test", "a/c.slt.part", "a/d.slt", "README.md"} {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte("query I\nSELECT 1\n----\n1\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	results, err := RunFiles(context.Background(), srv.connect, []string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range results {
		names = append(names, filepath.ToSlash(strings.TrimPrefix(r.File, dir+string(filepath.Separator))))
		if r.Passed != 1 || r.Failed != 0 {
			t.Errorf("%s: %s", r.File, r.Summary())
		}
	}
	if want := []string{"a/c.slt.part", "a/d.slt", "b.test"}; !slices.Equal(names, want) {
		t.Errorf("ran %v, want %v", names, want)
	}
}

func TestObjectTracker(t *testing.T) {
	var tr objectTracker
	tr.observe("CREATE TABLE t1(a INTEGER)")
	tr.observe("create   temporary table if not exists \"Odd Name\" (x int); CREATE OR REPLACE VIEW s.v2 AS SELECT 1")
	tr.observe("create materialized view mv as select 1")
	tr.observe("CREATE TABLE t1(a INTEGER)")
	tr.observe("INSERT INTO t1 VALUES (1)")
	tr.observe("CREATE INDEX i1 ON t1(a)")
	want := []createdObject{
		{"TABLE", "t1"}, {"TABLE", `"Odd Name"`}, {"VIEW", "s.v2"}, {"MATERIALIZED VIEW", "mv"},
	}
	if !slices.Equal(tr.objects, want) {
		t.Errorf("tracked %v, want %v", tr.objects, want)
	}
}
