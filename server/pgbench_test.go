package server

import (
	"context"
	"net"
	"os"
	"os/exec"
	"regexp"
	"strconv"
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
// ... ADD PRIMARY KEY) at scale 1, then short runs of its TPC-B-like and
// select-only scripts with four clients in each of its three query modes,
// none of which may fail a transaction. At scale 1 every TPC-B
// transaction updates the one branch row, so the clients contend for its
// row lock all the time.
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
	var transactions int
	// Only the first run vacuums (-n for the others): pgbench's vacuum
	// step also empties pgbench_history, which the check below counts.
	vacuum := []string{}
	for _, script := range []string{"select-only", "tpcb-like"} {
		for _, mode := range []string{"simple", "extended", "prepared"} {
			out := run(append(vacuum, "-T", "3", "-c", "4", "-b", script, "-M", mode)...)
			vacuum = []string{"-n"}
			what := "pgbench -b " + script + " -M " + mode
			if !strings.Contains(out, "number of failed transactions: 0 ") {
				t.Errorf("%s: want no failed transactions, got\n%s", what, out)
			}
			if !strings.Contains(out, "query mode: "+mode) || !strings.Contains(out, "<builtin: "+builtinTitle[script]+">") {
				t.Errorf("%s: ran another script or mode:\n%s", what, out)
			}
			if script == "tpcb-like" {
				m := processed.FindStringSubmatch(out)
				if m == nil {
					t.Fatalf("%s: no count of processed transactions in\n%s", what, out)
				}
				n, _ := strconv.Atoi(m[1])
				transactions += n
			}
		}
	}
	conn := connect(t)
	got := rowsText(t, conn, `SELECT (SELECT count(*) FROM pgbench_branches), (SELECT count(*) FROM pgbench_tellers),
		(SELECT count(*) FROM pgbench_accounts)`)
	// Scale 1: 1 branch, 10 tellers, 100000 accounts.
	if want := "1 10 100000"; strings.Join(got[0], " ") != want {
		t.Errorf("row counts of branches, tellers, accounts: got %v, want %s", got[0], want)
	}
	// Each TPC-B transaction adds its delta to one account, one teller
	// and the branch, and writes one history row: none may be lost.
	got = rowsText(t, conn, `SELECT (SELECT count(*) FROM pgbench_history),
		(SELECT sum(delta) FROM pgbench_history) = (SELECT sum(bbalance) FROM pgbench_branches),
		(SELECT sum(delta) FROM pgbench_history) = (SELECT sum(tbalance) FROM pgbench_tellers),
		(SELECT sum(delta) FROM pgbench_history) = (SELECT sum(abalance) FROM pgbench_accounts)`)
	if want := strconv.Itoa(transactions) + " t t t"; strings.Join(got[0], " ") != want {
		t.Errorf("history rows and balances equal to the sum of deltas: got %v, want %s", got[0], want)
	}
}

// builtinTitle is how pgbench's report names each of its built-in scripts.
var builtinTitle = map[string]string{"tpcb-like": "TPC-B (sort of)", "select-only": "select only"}

// processed finds the count of transactions in pgbench's report.
var processed = regexp.MustCompile(`number of transactions actually processed: (\d+)`)
