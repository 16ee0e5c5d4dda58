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

// TestAgainstPostgres checks the output format and exit codes on the
// PostgreSQL named by PQDB_TEST_PG_DSN (a scratch database).
func TestAgainstPostgres(t *testing.T) {
	dsn := os.Getenv("PQDB_TEST_PG_DSN")
	if dsn == "" {
		t.Skip("set PQDB_TEST_PG_DSN=postgres://user@host:port/scratchdb to run pqdb-slt against a real PostgreSQL")
	}
	testdata := filepath.Join("..", "..", "sqltests", "testdata")
	formats := filepath.Join(testdata, "formats.test")
	wrong := filepath.Join(testdata, "wrong.test")

	var out, errOut bytes.Buffer
	code := run([]string{"--dsn", dsn, formats, wrong}, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d, want 0 even with failures; stderr: %s", code, errOut.String())
	}
	want := formats + ": 16 passed, 0 failed, 2 skipped\n" +
		wrong + ": 5 passed, 7 failed, 0 skipped\n" +
		"21 passed, 7 failed, 2 skipped\n"
	if out.String() != want {
		t.Errorf("output:\n%s\nwant:\n%s", out.String(), want)
	}

	out.Reset()
	if code := run([]string{"--dsn", dsn, "--strict", wrong}, &out, &errOut); code != 1 {
		t.Errorf("--strict with failures: exit %d, want 1", code)
	}
	out.Reset()
	if code := run([]string{"--dsn", dsn, "--strict", testdata}, &out, &errOut); code != 1 {
		t.Errorf("--strict over a directory: exit %d, want 1", code)
	}
	if lines := strings.Count(out.String(), "\n"); lines != 4 {
		t.Errorf("directory run printed %d lines, want 3 files and a total:\n%s", lines, out.String())
	}
}
