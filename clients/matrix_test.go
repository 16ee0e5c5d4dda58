package clients

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pqdb/pqdb/server"
)

var update = flag.Bool("update", false, "rewrite each expected.out from the PostgreSQL at $PQDB_CLIENTS_POSTGRES")

// target is a server a workload connects to.
type target struct {
	host, port, user, database string
}

// url is the target as a postgres:// connection string.
func (tg target) url() string {
	return fmt.Sprintf("postgres://%s@%s/%s?sslmode=disable", tg.user, net.JoinHostPort(tg.host, tg.port), tg.database)
}

// env is the libpq environment that points a client at the target.
func (tg target) env() []string {
	return append(os.Environ(),
		"PGHOST="+tg.host, "PGPORT="+tg.port, "PGUSER="+tg.user, "PGDATABASE="+tg.database,
		"PGSSLMODE=disable", "PGCONNECT_TIMEOUT=10", "PGOPTIONS=", "PGPASSWORD=",
		"PGAPPNAME=pqdb-clients", "PGTZ=UTC", "TZ=UTC", "PGDATESTYLE=", "PGCLIENTENCODING=UTF8")
}

// workload runs one driver's workload against a target and returns what
// it printed.
type workload func(t *testing.T, tg target) string

// runMatrix runs the workload of the driver in directory dir against a
// fresh pqdb and compares its output with dir/expected.out. With -update
// it runs it against PostgreSQL instead and rewrites expected.out.
func runMatrix(t *testing.T, dir string, run workload) {
	t.Helper()
	expectedPath := filepath.Join(dir, "expected.out")
	if *update {
		pg := os.Getenv("PQDB_CLIENTS_POSTGRES")
		if pg == "" {
			t.Fatal("-update needs PQDB_CLIENTS_POSTGRES=host:port of a PostgreSQL 15")
		}
		out := run(t, freshPostgresDatabase(t, pg, "clients_"+dir))
		if err := os.WriteFile(expectedPath, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(expectedPath)
	if err != nil {
		t.Fatal(err)
	}
	got := run(t, startPqdb(t))
	if got != string(want) {
		t.Errorf("%s output differs from PostgreSQL's (%s)\n%s", dir, expectedPath, lineDiff(string(want), got))
	}
}

// startPqdb runs pqdb on a free loopback port over an empty data directory.
func startPqdb(t *testing.T) target {
	t.Helper()
	srv, err := server.Start(server.Config{Listen: "127.0.0.1:0", DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	host, port, err := net.SplitHostPort(srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	return target{host: host, port: port, user: "tester", database: "pqdb"}
}

// freshPostgresDatabase drops and creates the database name on the
// PostgreSQL at addr, so every recording starts from nothing.
func freshPostgresDatabase(t *testing.T, addr, name string) target {
	t.Helper()
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	admin := target{host: host, port: port, user: "postgres", database: "postgres"}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin.url())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, sql := range []string{"DROP DATABASE IF EXISTS " + name, "CREATE DATABASE " + name} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	admin.database = name
	return admin
}

// command runs a program from the driver's directory with the target in
// its environment. It returns stdout and stderr as one stream, in the
// order they were written, followed by the exit status when it is not 0.
func command(t *testing.T, tg target, dir string, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = tg.env()
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		fmt.Fprintf(&out, "exit status %d\n", exit.ExitCode())
	case err != nil:
		t.Fatalf("%s: %v", name, err)
	}
	return out.String()
}

// requireProgram returns the path of a program, or skips the test saying
// which package provides it.
func requireProgram(t *testing.T, name, pkg string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s is not installed (install %s, as .ci/install-clients does)", name, pkg)
	}
	return path
}

// lineDiff shows the first lines where got departs from want.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl || i >= len(w) || i >= len(g) {
			end := min(i+8, max(len(w), len(g)))
			var b strings.Builder
			fmt.Fprintf(&b, "first difference at line %d\n", i+1)
			for j := i; j < end; j++ {
				switch {
				case j < len(w) && j < len(g) && w[j] == g[j]:
					fmt.Fprintf(&b, " %s\n", w[j])
				default:
					if j < len(w) {
						fmt.Fprintf(&b, "-%s\n", w[j])
					}
					if j < len(g) {
						fmt.Fprintf(&b, "+%s\n", g[j])
					}
				}
			}
			return b.String()
		}
	}
	return "outputs are equal"
}
