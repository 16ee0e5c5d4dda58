package sqltests

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// postgresConnector connects to the PostgreSQL named by PQDB_TEST_PG_DSN.
// The database must be a scratch one: the tests create, drop and reset
// tables in its schema public.
func postgresConnector(t *testing.T) func(ctx context.Context) (*pgx.Conn, error) {
	t.Helper()
	dsn := os.Getenv("PQDB_TEST_PG_DSN")
	if dsn == "" {
		t.Skip("set PQDB_TEST_PG_DSN=postgres://user@host:port/scratchdb to run the runner against a real PostgreSQL")
	}
	return func(ctx context.Context) (*pgx.Conn, error) { return pgx.Connect(ctx, dsn) }
}

// TestPostgresTestdata runs the scripts in testdata, whose expectations
// were checked against PostgreSQL 15, over both query protocols.
func TestPostgresTestdata(t *testing.T) {
	connect := postgresConnector(t)
	ctx := context.Background()
	for _, extended := range []bool{false, true} {
		opts := Options{ExtendedProtocol: extended, Timeout: 20 * time.Second}
		for _, c := range []struct {
			file                    string
			passed, failed, skipped int
			failedLines             []int
		}{
			{"rows.slt", 9, 0, 0, nil},
		} {
			res, err := RunFile(ctx, connect, filepath.Join("testdata", c.file), opts)
			if err != nil {
				t.Fatalf("%s (extended=%v): %v", c.file, extended, err)
			}
			if res.Passed != c.passed || res.Failed != c.failed || res.Skipped != c.skipped {
				t.Errorf("%s (extended=%v): %s, want %d passed, %d failed, %d skipped\n%v",
					c.file, extended, res.Summary(), c.passed, c.failed, c.skipped, res.Failures)
			}
			var lines []int
			for _, f := range res.Failures {
				lines = append(lines, f.Line)
			}
			if !slices.Equal(lines, c.failedLines) {
				t.Errorf("%s (extended=%v): failures at lines %v, want %v", c.file, extended, lines, c.failedLines)
			}
		}
	}
	// Every table and view the scripts created is gone again.
	conn, err := connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var left int
	err = conn.QueryRow(ctx, `SELECT count(*) FROM information_schema.tables
		WHERE table_schema = 'public' AND table_name IN ('ft', 'fv', 'rt', 'wt')`).Scan(&left)
	if err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("%d tables or views of the scripts were left behind", left)
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
