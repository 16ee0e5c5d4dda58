package server

import (
	"context"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// pgbenchPath finds PostgreSQL's pgbench: on PATH (Debian's wrapper), or
// where Debian's postgresql-15 package puts it (.ci/install-postgres).
func pgbenchPath() string {
	if p, err := exec.LookPath("pgbench"); err == nil {
		return p
	}
	const debian = "/usr/lib/postgresql/15/bin/pgbench"
	if _, err := os.Stat(debian); err == nil {
		return debian
	}
	return ""
}

// TestPgbench runs PostgreSQL's own benchmark client, unmodified, against
// pqdb: pgbench -i (its DDL, COPY ... FREEZE, VACUUM ANALYZE, ALTER TABLE
// ... ADD PRIMARY KEY) at scale 1, then a short select-only run in each of
// its three query modes, none of which may fail a transaction.
func TestPgbench(t *testing.T) {
	pgbench := pgbenchPath()
	if pgbench == "" {
		t.Skip("pgbench is not installed (Debian: apt-get install postgresql-15, as .ci/install-postgres does)")
	}
	if testing.Short() {
		t.Skip("pgbench runs for about a minute; skipped with -short")
	}
	srv, connect := startServer(t)
	host, port, err := net.SplitHostPort(srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) string {
		t.Helper()
		c, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		args = append(args, "-h", host, "-p", port, "-U", "tester", "pqdb")
		cmd := exec.CommandContext(c, pgbench, args...)
		cmd.Env = append(os.Environ(), "PGSSLMODE=disable", "PGCONNECT_TIMEOUT=10")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("pgbench %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	run("-i", "-s", "1")
	for _, mode := range []string{"simple", "extended", "prepared"} {
		out := run("-T", "3", "-c", "2", "-S", "-M", mode)
		if !strings.Contains(out, "number of failed transactions: 0 ") {
			t.Errorf("pgbench -S -M %s: want no failed transactions, got\n%s", mode, out)
		}
		if !strings.Contains(out, "query mode: "+mode) {
			t.Errorf("pgbench -S -M %s: ran in another mode:\n%s", mode, out)
		}
	}
	conn := connect(t)
	got := rowsText(t, conn, `SELECT (SELECT count(*) FROM pgbench_branches), (SELECT count(*) FROM pgbench_tellers),
		(SELECT count(*) FROM pgbench_accounts), (SELECT count(*) FROM pgbench_history)`)
	// Scale 1: 1 branch, 10 tellers, 100000 accounts; the select-only
	// script writes no history.
	if want := "1 10 100000 0"; strings.Join(got[0], " ") != want {
		t.Errorf("row counts of branches, tellers, accounts, history: got %v, want %s", got[0], want)
	}
}
