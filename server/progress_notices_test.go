package server

import (
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
)

// TestProgressNotices: COPY FROM STDIN, COPY TO STDOUT and VACUUM send a
// NOTICE with their progress every pqdb.progress_interval (a microsecond
// here, so at every batch or merged group), with counts that only grow;
// at the default interval, and under client_min_messages = warning, a
// short statement sends none.
func TestProgressNotices(t *testing.T) {
	files := t.TempDir()
	srv, _ := startServerWith(t, Config{DataDir: t.TempDir(), AllowFiles: files})
	c, conn, notices := connectWithNotices(t, srv)
	mustExec(t, conn, "CREATE TABLE pn (id int, note text)")
	const rows = 300_000
	var data strings.Builder
	for i := range rows {
		fmt.Fprintf(&data, "%d\tnote %d\n", i, i)
	}
	copyIn := func() {
		t.Helper()
		if _, err := conn.PgConn().CopyFrom(c, strings.NewReader(data.String()), "COPY pn FROM STDIN"); err != nil {
			t.Fatal(err)
		}
	}
	// counts checks that the notices since from match re, each with
	// a count (re's first group) larger than the last, and returns them.
	counts := func(from int, re *regexp.Regexp) []int64 {
		t.Helper()
		var out []int64
		for _, n := range (*notices)[from:] {
			m := re.FindStringSubmatch(n.Message)
			if n.Severity != "NOTICE" || n.Code != "00000" || m == nil {
				t.Fatalf("notice %s %s %q does not match %s", n.Severity, n.Code, n.Message, re)
			}
			k, _ := strconv.ParseInt(m[1], 10, 64)
			if len(out) > 0 && k <= out[len(out)-1] {
				t.Fatalf("progress went from %d to %d: %q", out[len(out)-1], k, n.Message)
			}
			out = append(out, k)
		}
		return out
	}

	copyIn()
	if len(*notices) != 0 {
		t.Fatalf("a short COPY at the default interval sent %d notices: %q", len(*notices), (*notices)[0].Message)
	}

	mustExec(t, conn, "SET pqdb.progress_interval = '1us'")
	copyIn()
	loaded := counts(0, regexp.MustCompile(`^COPY FROM "pn": (\d+) rows so far, \d+ (bytes|kB|MB) read$`))
	if len(loaded) < 2 || loaded[len(loaded)-1] > rows {
		t.Fatalf("COPY FROM progress: %v", loaded)
	}

	from := len(*notices)
	if _, err := conn.PgConn().CopyTo(c, io.Discard, "COPY pn TO STDOUT"); err != nil {
		t.Fatal(err)
	}
	written := counts(from, regexp.MustCompile(`^COPY TO "pn": (\d+) rows so far, \d+ (bytes|kB|MB) written$`))
	if len(written) < 2 || written[len(written)-1] > 2*rows {
		t.Fatalf("COPY TO progress: %v", written)
	}

	// A Parquet file's COPY counts rows only.
	parquetFile := filepath.Join(files, "pn.parquet")
	mustExec(t, conn, fmt.Sprintf("COPY pn TO '%s' (FORMAT parquet)", parquetFile))
	from = len(*notices)
	mustExec(t, conn, fmt.Sprintf("COPY pn FROM '%s' (FORMAT parquet)", parquetFile))
	if fromFile := counts(from, regexp.MustCompile(`^COPY FROM "pn": (\d+) rows so far$`)); len(fromFile) < 2 {
		t.Fatalf("COPY FROM a Parquet file's progress: %v", fromFile)
	}

	// Three segments to merge, and a second table so that VACUUM of
	// every table reports the tables done between them.
	mustExec(t, conn, "CHECKPOINT")
	for i := range 2 {
		mustExec(t, conn, fmt.Sprintf("INSERT INTO pn SELECT g, 'more' FROM generate_series(1, %d) g", 1000*(i+1)))
		mustExec(t, conn, "CHECKPOINT")
	}
	mustExec(t, conn, "CREATE TABLE pn2 AS SELECT 1 AS x")
	from = len(*notices)
	mustExec(t, conn, "VACUUM FULL pn")
	merged := counts(from, regexp.MustCompile(`^vacuuming "public\.pn": (\d+) of \d+ segment groups merged, \d+ rows written$`))
	if len(merged) == 0 {
		t.Fatal("VACUUM FULL sent no progress notice")
	}
	from = len(*notices)
	mustExec(t, conn, "VACUUM")
	var tablesDone bool
	for _, n := range (*notices)[from:] {
		tablesDone = tablesDone || regexp.MustCompile(`^VACUUM: \d+ of \d+ tables done$`).MatchString(n.Message)
	}
	if !tablesDone {
		t.Fatalf("VACUUM of every table reported no tables done: %d notices", len(*notices)-from)
	}

	from = len(*notices)
	mustExec(t, conn, "SET client_min_messages = warning")
	copyIn()
	if len(*notices) != from {
		t.Fatalf("client_min_messages = warning let %d progress notices through", len(*notices)-from)
	}
}

// TestProgressNoticeArrivesDuringCopy: a COPY FROM STDIN's progress
// notice reaches the client while the COPY still waits for its data,
// before the client sends CopyDone: each notice is flushed when it is
// sent, as PostgreSQL sends its messages, not held until the statement
// ends.
func TestProgressNoticeArrivesDuringCopy(t *testing.T) {
	srv, _ := startServer(t)
	client := dialScript(t, srv.Addr(), "tester", "pqdb")
	client.conn.SetDeadline(time.Now().Add(30 * time.Second))
	client.exec("CREATE TABLE pr (id int, note text)")
	client.exec("SET pqdb.progress_interval = '1us'")
	client.fe.Send(&pgproto3.Query{String: "COPY pr FROM STDIN"})
	client.flush()
	if m, ok := client.receive().(*pgproto3.CopyInResponse); !ok {
		t.Fatalf("COPY FROM STDIN answered %T", m)
	}
	const rows = 100_000
	var chunk strings.Builder
	for i := range rows {
		fmt.Fprintf(&chunk, "%d\tnote %d\n", i, i)
		if chunk.Len() > 64<<10 || i == rows-1 {
			client.fe.Send(&pgproto3.CopyData{Data: []byte(chunk.String())})
			chunk.Reset()
		}
	}
	client.flush()
	// No CopyDone yet: the COPY is still running.
	client.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	switch m := client.receive().(type) {
	case *pgproto3.NoticeResponse:
		if !strings.HasPrefix(m.Message, `COPY FROM "pr": `) {
			t.Fatalf("notice %q", m.Message)
		}
	default:
		t.Fatalf("before CopyDone: %T %+v", m, m)
	}
	client.conn.SetDeadline(time.Now().Add(30 * time.Second))
	client.fe.Send(&pgproto3.CopyDone{})
	client.flush()
	for {
		switch m := client.receive().(type) {
		case *pgproto3.NoticeResponse:
		case *pgproto3.CommandComplete:
			if string(m.CommandTag) != fmt.Sprintf("COPY %d", rows) {
				t.Fatalf("command tag %q", m.CommandTag)
			}
		case *pgproto3.ReadyForQuery:
			return
		default:
			t.Fatalf("after CopyDone: %T %+v", m, m)
		}
	}
}
