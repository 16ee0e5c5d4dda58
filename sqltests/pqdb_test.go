package sqltests_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pqdb/pqdb/server"
	"github.com/pqdb/pqdb/sqltests"
)

// corpusDir finds ../shared/slt/sqlite beside the repository (or
// PQDB_SLT_DIR).
func corpusDir(t *testing.T) string {
	dir := os.Getenv("PQDB_SLT_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "slt")
	}
	dir = filepath.Join(dir, "sqlite")
	if _, err := os.Stat(filepath.Join(dir, "select1.test")); err != nil {
		t.Skipf("sqllogictest corpus not found at %s (set PQDB_SLT_DIR): %v", dir, err)
	}
	return dir
}

// startPqdb starts a fresh pqdb in-process on a random loopback port, with
// its own data directory, and returns how to connect to it.
func startPqdb(t *testing.T) func(ctx context.Context) (*pgx.Conn, error) {
	t.Helper()
	srv, err := server.Start(server.Config{Listen: "127.0.0.1:0", DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return func(ctx context.Context) (*pgx.Conn, error) {
		return pgx.Connect(ctx, "postgres://slt@"+srv.Addr()+"/pqdb")
	}
}

// testdataSettings are the execution settings our own scripts run under:
// batch sizes that put batch boundaries inside every operator's input,
// serially and in parallel pipelines.
var testdataSettings = []struct{ batchRows, workers int }{{1, 0}, {2, 2}, {3, 0}, {7, 3}, {1024, 2}, {65536, 0}}

// TestTestdataAgainstPqdb runs every testdata/*.slt script, each on a
// fresh pqdb of its own so one script's leftovers cannot fail another,
// once per setting of testdataSettings. Their expectations, error
// messages and SQLSTATEs included, are PostgreSQL 15's (pqdb-slt
// --complete), so every record must pass except those PostgreSQL 15
// fails too (testdata/... lines of postgres15-failures.txt).
func TestTestdataAgainstPqdb(t *testing.T) {
	pgFails := sqltests.KnownFailures(t)
	for _, path := range sqltests.TestdataScripts(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			connect := startPqdb(t)
			for _, set := range testdataSettings {
				settings := []string{
					"SET pqdb.batch_rows = " + strconv.Itoa(set.batchRows),
					"SET max_parallel_workers_per_gather = " + strconv.Itoa(set.workers),
					"SET pqdb.parallel_min_rows = 0",
				}
				connectSet := func(ctx context.Context) (*pgx.Conn, error) {
					conn, err := connect(ctx)
					if err != nil {
						return nil, err
					}
					for _, q := range settings {
						if _, err := conn.Exec(ctx, q); err != nil {
							conn.Close(ctx)
							return nil, err
						}
					}
					return conn, nil
				}
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
				res, err := sqltests.RunFile(ctx, connectSet, path, sqltests.Options{Timeout: 30 * time.Second, MaxFailures: -1, MatchErrors: true})
				cancel()
				if err != nil {
					t.Fatal(err)
				}
				for _, fail := range res.Failures {
					if !pgFails[sqltests.FailureKey(fail)] {
						t.Errorf("batch_rows=%d workers=%d: %s", set.batchRows, set.workers, fail)
					}
				}
				if res.Passed == 0 {
					t.Errorf("batch_rows=%d workers=%d: no record passed: %s", set.batchRows, set.workers, res.Summary())
				}
			}
		})
	}
}

// TestSQLLogicAgainstPqdb runs select1-3 and evidence/ against a fresh
// pqdb: every record PostgreSQL 15 passes, pqdb must pass.
func TestSQLLogicAgainstPqdb(t *testing.T) {
	dir := corpusDir(t)
	pgFails := sqltests.KnownFailures(t)
	files := []string{"select1.test", "select2.test", "select3.test"}
	evidence, err := filepath.Glob(filepath.Join(dir, "evidence", "*.test"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evidence {
		rel, _ := filepath.Rel(dir, e)
		files = append(files, rel)
	}

	connect := startPqdb(t)
	for _, f := range files {
		t.Run(f, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			res, err := sqltests.RunFile(ctx, connect, filepath.Join(dir, f), sqltests.Options{Timeout: 30 * time.Second, MaxFailures: -1})
			if err != nil {
				t.Fatal(err)
			}
			for _, fail := range res.Failures {
				if !pgFails["sqlite/"+filepath.ToSlash(f)+":"+strconv.Itoa(fail.Line)] {
					t.Errorf("%s", fail)
				}
			}
			t.Logf("%s: %d passed, %d failed (PostgreSQL fails some of them too), %d skipped", f, res.Passed, res.Failed, res.Skipped)
		})
	}
}
