package sqltests

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pqdb/pqdb/difftest"
)

// postgresConnector connects to the PostgreSQL named by PQDB_TEST_PG_DSN,
// or, without it, to a private PostgreSQL 15 instance the test starts
// (difftest.StartPostgres) where the server is installed. The database
// must be a scratch one: the tests create, drop and reset tables in its
// schema public.
func postgresConnector(t *testing.T) func(ctx context.Context) (*pgx.Conn, error) {
	t.Helper()
	dsn := os.Getenv("PQDB_TEST_PG_DSN")
	if dsn == "" {
		bin := difftest.PGBinDir()
		if bin == "" {
			t.Skip("PostgreSQL 15 is not installed (set PQDB_PG15_BIN, or PQDB_TEST_PG_DSN=postgres://user@host:port/scratchdb): the runner is not checked against it")
		}
		pg, err := difftest.StartPostgres(bin)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { pg.Stop() })
		dsn = pg.DSN()
	}
	return func(ctx context.Context) (*pgx.Conn, error) { return pgx.Connect(ctx, dsn) }
}

// TestPostgresTestdata runs every testdata/*.slt script, whose
// expectations were written by PostgreSQL 15 (pqdb-slt --complete), on
// PostgreSQL: each record must pass unless postgres15-failures.txt lists
// it. rows.slt, the runner's own format test, is also run over the
// extended protocol with exact counts.
func TestPostgresTestdata(t *testing.T) {
	connect := postgresConnector(t)
	ctx := context.Background()
	pgFails := knownFailures(t)
	var created objectTracker
	for _, path := range testdataScripts(t) {
		// Options as pqdb-slt --complete has them by default, so the
		// scripts run here as they were completed: in schema public.
		res, err := RunFile(ctx, connect, path, Options{Timeout: 20 * time.Second, MaxFailures: -1, MatchErrors: true})
		if err != nil {
			t.Errorf("%s: %v", path, err)
		}
		for _, f := range res.Failures {
			if !pgFails[failureKey(f)] {
				t.Errorf("PostgreSQL fails a record it wrote the expectations of (complete the file again, or list the record in postgres15-failures.txt):\n%s", f)
			}
		}
		if script, err := ParseFile(path); err == nil {
			for _, rec := range script.Records {
				created.observe(rec.SQL)
			}
		}
	}

	res, err := RunFile(ctx, connect, filepath.Join("testdata", "rows.slt"), Options{ExtendedProtocol: true, Timeout: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if res.Passed != 9 || res.Failed != 0 || res.Skipped != 0 {
		t.Errorf("rows.slt (extended protocol): %s, want 9 passed\n%v", res.Summary(), res.Failures)
	}

	// Every table and view the scripts created is gone again.
	conn, err := connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, o := range created.objects {
		var left bool
		if err := conn.QueryRow(ctx, "SELECT to_regclass($1) IS NOT NULL", o.name).Scan(&left); err != nil {
			t.Fatal(err)
		}
		if left {
			t.Errorf("%s %s, created by a script, was left behind", o.kind, o.name)
		}
	}
}

func TestPostgresTimeoutReconnects(t *testing.T) {
	connect := postgresConnector(t)
	path := writeScript(t, "slow.test", "statement ok\nSELECT pg_sleep(10)\n\nquery I\nSELECT 1\n----\n1\n")
	res, err := RunFile(context.Background(), connect, path, Options{Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res.Passed != 1 || res.Failed != 1 {
		t.Fatalf("%s, want the slow statement failed and the next query passed", res.Summary())
	}
	if got := res.Failures[0].Got; !strings.Contains(got, "timed out after 200ms") {
		t.Errorf("timeout reported as %q", got)
	}
}

func TestPostgresResetDatabase(t *testing.T) {
	connect := postgresConnector(t)
	ctx := context.Background()
	path := writeScript(t, "keep.test", "statement ok\nCREATE TABLE kept(a INT)\n\n"+
		"statement ok\nCREATE VIEW kept_v AS SELECT a FROM kept\n\n"+
		"statement ok\nCREATE VIEW kept_w AS SELECT a FROM kept_v\n")
	res, err := RunFile(ctx, connect, path, Options{KeepObjects: true})
	if err != nil || res.Passed != 3 {
		t.Fatalf("%s, %v", res.Summary(), err)
	}
	conn, err := connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if err := ResetDatabase(ctx, conn); err != nil {
		t.Fatal(err)
	}
	var left int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'").Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("%d tables or views left in public after ResetDatabase", left)
	}
}

// TestPostgresCorpus runs select1.test and the sqllogictest-rs corpus of
// the shared corpus and checks PostgreSQL's known figures.
func TestPostgresCorpus(t *testing.T) {
	connect := postgresConnector(t)
	dir := corpusDir(t)
	ctx := context.Background()
	res, err := RunFile(ctx, connect, filepath.Join(dir, "sqlite", "select1.test"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Passed != 1031 || res.Failed != 0 {
		t.Errorf("select1.test: %s, want 1031 passed, 0 failed", res.Summary())
	}
	results, err := RunFiles(ctx, connect, []string{filepath.Join(dir, "pg")}, Options{Schema: "slt", Timeout: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var total Result
	for _, r := range results {
		total.Passed += r.Passed
		total.Failed += r.Failed
	}
	if total.Passed != 505 || total.Failed != 9 {
		t.Errorf("pg corpus: %d passed, %d failed, want 505 and 9", total.Passed, total.Failed)
	}
}
