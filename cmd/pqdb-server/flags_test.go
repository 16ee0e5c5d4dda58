package main

import (
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// asServer, set in the environment, makes the test binary run as
// pqdb-server with the arguments after "--", so that tests see the exit
// status, output and side effects of the command itself.
const asServer = "PQDB_SERVER_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(asServer) != "" {
		os.Args = append(os.Args[:1], os.Args[slices.Index(os.Args, "--")+1:]...)
		os.Exit(run())
	}
	os.Exit(m.Run())
}

// TestBadCommandLine: a positional argument, wherever it stands, is
// refused as an unknown flag is: the error naming it and the usage on
// stderr, exit status 2, and no server (the command exits, no data
// directory). The flag package alone stops parsing at the first
// positional argument, which started a server on the defaults and
// silently ignored the flags after it; PQDB_LISTEN and PQDB_DATA_DIR
// point those defaults at an address and a directory the test checks.
// A server that started would not exit: the test kills it after ten
// seconds, and finds the data directory it made.
func TestBadCommandLine(t *testing.T) {
	envAddr, flagAddr := freeAddr(t), freeAddr(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"stray", "--listen", flagAddr, "--data-dir", "DIR"}, `unexpected argument "stray"`},
		{[]string{"--listen", flagAddr, "--data-dir", "DIR", "stray"}, `unexpected argument "stray"`},
		{[]string{"--listen", flagAddr, "--", "--data-dir", "DIR"}, `unexpected argument "--data-dir"`},
		{[]string{"--no-such-flag", "--listen", flagAddr}, "flag provided but not defined: -no-such-flag"},
		{[]string{"--log-format", "yaml", "--listen", flagAddr}, `invalid --log-format "yaml"`},
	} {
		tmp := t.TempDir()
		envDir, flagDir := filepath.Join(tmp, "env-data"), filepath.Join(tmp, "flag-data")
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		args := []string{"-test.run=^$", "--"}
		for _, a := range c.args {
			args = append(args, strings.ReplaceAll(a, "DIR", flagDir))
		}
		cmd := exec.CommandContext(ctx, os.Args[0], args...)
		cmd.Dir = tmp
		cmd.Env = append(os.Environ(), asServer+"=1", "PQDB_LISTEN="+envAddr, "PQDB_DATA_DIR="+envDir)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		err := cmd.Run()
		cancel()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 2 {
			t.Errorf("pqdb-server %s: %v, want exit status 2; stderr:\n%s", strings.Join(c.args, " "), err, stderr.String())
		}
		out := stderr.String()
		if first, _, _ := strings.Cut(out, "\n"); !strings.Contains(first, c.want) {
			t.Errorf("pqdb-server %s: first line of stderr %q, want %q", strings.Join(c.args, " "), first, c.want)
		}
		if !strings.Contains(out, "Usage of pqdb-server:") || !strings.Contains(out, "-data-dir") {
			t.Errorf("pqdb-server %s: stderr without the usage:\n%s", strings.Join(c.args, " "), out)
		}
		for _, dir := range []string{envDir, flagDir, filepath.Join(tmp, "pqdb-data")} {
			if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("pqdb-server %s: data directory %s made (%v)", strings.Join(c.args, " "), dir, err)
			}
		}
	}
}

// freeAddr is a loopback address that nothing listened on a moment ago.
func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}
