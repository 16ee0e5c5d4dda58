package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pqdb/pqdb/engine"
)

// TestConfigLine: postgresql.conf's line syntax: "=" optional, quoted
// values with ” and \' escapes, comments after the value, names
// lower-cased; and its errors.
func TestConfigLine(t *testing.T) {
	for _, c := range []struct{ line, name, value string }{
		{"work_mem = '256MB'", "work_mem", "256MB"},
		{"  Work_Mem 64MB   # a comment", "work_mem", "64MB"},
		{"log_statement=ddl", "log_statement", "ddl"},
		{`search_path = '"$user", public'`, "search_path", `"$user", public`},
		{`application_name = 'it''s \'ok\''  # quoted`, "application_name", "it's 'ok'"},
		{"statement_timeout = -1", "statement_timeout", "-1"},
		{"pqdb.batch_rows = 2048", "pqdb.batch_rows", "2048"},
	} {
		name, value, ok, err := configLine(c.line)
		if err != nil || !ok || name != c.name || value != c.value {
			t.Errorf("%q: %q %q %v %v, want %q %q", c.line, name, value, ok, err, c.name, c.value)
		}
	}
	for _, blank := range []string{"", "   ", "# work_mem = 1MB", "\t# x"} {
		if _, _, ok, err := configLine(blank); ok || err != nil {
			t.Errorf("%q: %v %v, want a blank line", blank, ok, err)
		}
	}
	for _, bad := range []string{"= 5", "work_mem =", "work_mem = '5MB", "work_mem = 5MB extra", "9lives = 1"} {
		if _, _, _, err := configLine(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// TestReadConfigFile: include, include_if_exists (a missing file is
// skipped) and include_dir (its .conf files in name order) read other
// files relative to the including one, each setting keeping its file and
// line; a file that includes itself fails.
func TestReadConfigFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	main := write("main.conf", "work_mem = 1MB\ninclude 'more.conf'\ninclude_if_exists 'missing.conf'\ninclude_dir 'conf.d'\nwork_mem = 4MB\n")
	more := write("more.conf", "# more\nlog_statement = ddl\n")
	b := write("conf.d/b.conf", "statement_timeout = 5s\n")
	a := write("conf.d/a.conf", "statement_timeout = 1s\n")
	write("conf.d/ignored.txt", "nonsense\n")
	got, err := readConfigFile(main)
	if err != nil {
		t.Fatal(err)
	}
	want := []engine.FileSetting{
		{Name: "work_mem", Value: "1MB", File: main, Line: 1},
		{Name: "log_statement", Value: "ddl", File: more, Line: 2},
		{Name: "statement_timeout", Value: "1s", File: a, Line: 1},
		{Name: "statement_timeout", Value: "5s", File: b, Line: 1},
		{Name: "work_mem", Value: "4MB", File: main, Line: 5},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("setting %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	loop := write("loop.conf", "include 'loop.conf'\n")
	if _, err := readConfigFile(loop); err == nil || !strings.Contains(err.Error(), "nesting depth") {
		t.Errorf("a file including itself: %v", err)
	}
	if _, err := readConfigFile(write("bad.conf", "work_mem = 1MB\nwork_mem\n")); err == nil || !strings.Contains(err.Error(), "bad.conf:2:") {
		t.Errorf("a bad line: %v, want its file and line", err)
	}
}

// TestBadConfigFile: a setting SET would refuse stops the command with
// exit status 2 and the file and line, before it opens any data.
func TestBadConfigFile(t *testing.T) {
	tmp := t.TempDir()
	conf := filepath.Join(tmp, "pqdb.conf")
	if err := os.WriteFile(conf, []byte("work_mem = '64MB'\nshared_buffers = 1GB\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	data := filepath.Join(tmp, "data")
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$", "--", "--listen", freeAddr(t), "--data-dir", data, "--config", conf)
	cmd.Env = append(os.Environ(), asServer+"=1")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 {
		t.Fatalf("%v, want exit status 2; stderr:\n%s", err, stderr.String())
	}
	if want := conf + `:2: unrecognized configuration parameter "shared_buffers"`; !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr %q, want %q", stderr.String(), want)
	}
	if _, err := os.Stat(data); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("data directory made: %v", err)
	}
}
