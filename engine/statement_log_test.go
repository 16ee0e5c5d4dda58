package engine

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/pqdb/pqdb/pgerr"
)

// captureLog sends slog's default logger to a buffer until the test ends.
func captureLog(t *testing.T) *bytes.Buffer {
	var buf bytes.Buffer
	saved := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))
	t.Cleanup(func() { slog.SetDefault(saved) })
	return &buf
}

// TestStatementLog: log_statement logs the statements of its class
// before they run (ddl: definitions; mod: those and data changes,
// EXPLAIN ANALYZE of one included; all: everything), and
// log_min_duration_statement logs those that took at least that long with
// their duration, the text only when log_statement did not log it.
func TestStatementLog(t *testing.T) {
	s := testSession(t)
	buf := captureLog(t)
	statements := func() []string {
		var out []string
		for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
			if _, after, ok := strings.Cut(line, "msg=statement statement="); ok {
				text, _, _ := strings.Cut(after, " user=")
				out = append(out, strings.Trim(text, `"`))
			}
		}
		buf.Reset()
		return out
	}
	run := func(sqls ...string) []string {
		t.Helper()
		for _, sql := range sqls {
			simple(t, s, sql)
		}
		return statements()
	}
	if got := run(`CREATE TABLE lg (x int)`, `INSERT INTO lg VALUES (1)`, `SELECT x FROM lg`); len(got) != 0 || buf.Len() != 0 {
		t.Fatalf("logged by default: %q", got)
	}
	simple(t, s, `SET log_statement = 'ddl'`)
	if got := run(`CREATE INDEX lg_x ON lg (x)`, `INSERT INTO lg VALUES (2)`, `SELECT x FROM lg`, `DROP INDEX lg_x`); strings.Join(got, "|") != "CREATE INDEX lg_x ON lg (x)|DROP INDEX lg_x" {
		t.Fatalf("ddl logged %q", got)
	}
	simple(t, s, `SET log_statement = MOD`)
	got := run(`INSERT INTO lg VALUES (3)`, `SELECT x FROM lg`, `EXPLAIN ANALYZE DELETE FROM lg WHERE x = 3`, `EXPLAIN DELETE FROM lg`, `ALTER TABLE lg ADD COLUMN y int`)
	if strings.Join(got, "|") != "INSERT INTO lg VALUES (3)|EXPLAIN ANALYZE DELETE FROM lg WHERE x = 3|ALTER TABLE lg ADD COLUMN y int" {
		t.Fatalf("mod logged %q", got)
	}
	simple(t, s, `SET log_statement = 'all'`)
	if got := run(`SELECT 1`); len(got) != 1 {
		t.Fatalf("all logged %q", got)
	}

	simple(t, s, `SET log_statement = 'none'; SET log_min_duration_statement = 0`)
	buf.Reset()
	simple(t, s, `SELECT count(*) FROM lg`)
	if line := buf.String(); !strings.Contains(line, "msg=duration duration_ms=") || !strings.Contains(line, `statement="SELECT count(*) FROM lg"`) {
		t.Fatalf("duration line: %q", line)
	}
	simple(t, s, `SET log_statement = 'all'`)
	buf.Reset()
	simple(t, s, `SELECT 2`)
	if n := strings.Count(buf.String(), "SELECT 2"); n != 1 || !strings.Contains(buf.String(), "msg=duration") {
		t.Fatalf("statement and duration logged with %d copies of the text: %q", n, buf.String())
	}
	simple(t, s, `SET log_statement = 'none'; SET log_min_duration_statement = '1h'`)
	buf.Reset()
	simple(t, s, `SELECT 3`)
	if buf.Len() != 0 {
		t.Fatalf("logged under the threshold: %q", buf.String())
	}

	stmts, _ := s.ParseQuery(`SET log_statement = 'sometimes'`)
	_, err := s.Execute(context.Background(), stmts[0], nil, nil, nil, nil, &rowsWriter{})
	s.EndImplicitTransaction()
	if pgerr.CodeOf(err) != pgerr.InvalidParameterValue || pgerr.From(err).Hint != "Available values: none, ddl, mod, all." {
		t.Fatalf("a bad log_statement: %v", err)
	}
}
