package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"--dsn", "postgres://localhost/x"},
		{"--no-such-flag", "x.test"},
		{"--dsn", "::not a dsn::", "x.test"},
	} {
		t.Setenv("PQDB_DSN", "")
		var out, errOut bytes.Buffer
		if code := run(args, &out, &errOut); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
	}
}

// pgArgs returns the flags that point pqdb-slt at the PostgreSQL named by
// PQDB_TEST_PG_DSN (a scratch database). The scripts run in a schema of
// their own, because the tests of package sqltests may use schema public
// of the same database at the same time.
func pgArgs(t *testing.T) []string {
	t.Helper()
	dsn := os.Getenv("PQDB_TEST_PG_DSN")
	if dsn == "" {
		t.Skip("set PQDB_TEST_PG_DSN=postgres://user@host:port/scratchdb to run pqdb-slt against a real PostgreSQL")
	}
	return []string{"--dsn", dsn, "--schema", "pqdb_slt_cmd_test"}
}

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestAgainstPostgres checks the output format and exit codes on
// PostgreSQL.
func TestAgainstPostgres(t *testing.T) {
	pg := pgArgs(t)
	dir := t.TempDir()
	good := writeFile(t, dir, "good.test", `statement ok
CREATE TABLE slt_good(a INTEGER, b TEXT)

statement ok
INSERT INTO slt_good VALUES (1, 'x'), (2, ''), (NULL, NULL)

query IT rowsort
SELECT a, b FROM slt_good
----
1
x
2
(empty)
NULL
NULL

skipif postgresql
query I
SELECT 'not run'
----
0
`)
	wrong := writeFile(t, dir, "wrong.slt", `statement ok
SELECT 1

statement ok
SELECT no_such_column

statement error
SELECT 1

query I
SELECT 2
----
3

query I
SELECT 1/0
----
1
`)

	var out, errOut bytes.Buffer
	code := run(append(pg, good, wrong), &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d, want 0 even with failures; stderr: %s", code, errOut.String())
	}
	want := good + ": 3 passed, 0 failed, 1 skipped\n" +
		wrong + ": 1 passed, 4 failed, 0 skipped\n" +
		"4 passed, 4 failed, 1 skipped\n"
	if out.String() != want {
		t.Errorf("output:\n%s\nwant:\n%s", out.String(), want)
	}

	out.Reset()
	if code := run(append(pg, "--strict", wrong), &out, &errOut); code != 1 {
		t.Errorf("--strict with failures: exit %d, want 1", code)
	}
	out.Reset()
	if code := run(append(pg, "--strict", dir), &out, &errOut); code != 1 {
		t.Errorf("--strict over a directory: exit %d, want 1", code)
	}
	if lines := strings.Count(out.String(), "\n"); lines != 3 {
		t.Errorf("directory run printed %d lines, want 2 files and a total:\n%s", lines, out.String())
	}

	out.Reset()
	errOut.Reset()
	if code := run(append(pg, "--list-failures", good, wrong), &out, &errOut); code != 0 {
		t.Errorf("--list-failures: exit %d, want 0", code)
	}
	if want := wrong + ":4\n" + wrong + ":7\n" + wrong + ":10\n" + wrong + ":15\n"; out.String() != want {
		t.Errorf("--list-failures printed\n%s\nwant\n%s", out.String(), want)
	}
	if !strings.HasSuffix(errOut.String(), "4 passed, 4 failed, 1 skipped\n") {
		t.Errorf("--list-failures summaries on stderr: %q", errOut.String())
	}
}

// TestCompleteAgainstPostgres completes a script from PostgreSQL's answers:
// afterwards it passes, and what the server disagreed with is on stderr.
func TestCompleteAgainstPostgres(t *testing.T) {
	pg := pgArgs(t)
	path := writeFile(t, t.TempDir(), "c.slt", `# written without results
statement ok
create table slt_complete(k int, v text, d numeric)

statement ok
insert into slt_complete values (2, 'two', 1.50), (1, '', 42.0), (3, null, null)

query ITR rowsort
select k, v, d from slt_complete

query B
select k > 1 from slt_complete order by k
----
to be replaced

statement error
select 1
`)
	var out, errOut bytes.Buffer
	if code := run(append(pg, "--complete", path), &out, &errOut); code != 1 {
		t.Fatalf("exit %d, want 1 for the statement error that succeeds; stderr: %s", code, errOut.String())
	}
	if !strings.Contains(errOut.String(), "c.slt:22:") || !strings.Contains(out.String(), "2 query results written, 2 changed, 1 records disagree") {
		t.Errorf("stdout %q, stderr %q", out.String(), errOut.String())
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := "select k, v, d from slt_complete\n----\n1 (empty) 42.0\n2 two 1.50\n3 NULL NULL\n\n" +
		"query B\nselect k > 1 from slt_complete order by k\n----\nf\nt\nt\n"; !strings.Contains(string(got), want) {
		t.Errorf("completed file:\n%s", got)
	}
	out.Reset()
	run(append(pg, path), &out, &errOut)
	if want := path + ": 4 passed, 1 failed, 0 skipped\n"; !strings.HasPrefix(out.String(), want) {
		t.Errorf("completed file runs as %q, want %q", out.String(), want)
	}
}
