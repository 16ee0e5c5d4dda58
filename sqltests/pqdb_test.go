package sqltests_test

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
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

// postgresFailures reads the records PostgreSQL 15 itself fails.
func postgresFailures(t *testing.T) map[string]bool {
	f, err := os.Open(filepath.Join("testdata", "postgres15-failures.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			out[line] = true
		}
	}
	return out
}

// TestSQLLogicAgainstPqdb runs select1-3 and evidence/ against a fresh
// pqdb: every record PostgreSQL 15 passes, pqdb must pass.
func TestSQLLogicAgainstPqdb(t *testing.T) {
	dir := corpusDir(t)
	pgFails := postgresFailures(t)
	files := []string{"select1.test", "select2.test", "select3.test"}
	evidence, err := filepath.Glob(filepath.Join(dir, "evidence", "*.test"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evidence {
		rel, _ := filepath.Rel(dir, e)
		files = append(files, rel)
	}

	srv, err := server.Start(server.Config{Listen: "127.0.0.1:0", DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	connect := func(ctx context.Context) (*pgx.Conn, error) {
		return pgx.Connect(ctx, "postgres://slt@"+srv.Addr()+"/pqdb")
	}
	for _, f := range files {
		t.Run(f, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			res, err := sqltests.RunFile(ctx, connect, filepath.Join(dir, f), sqltests.Options{Timeout: 30 * time.Second, MaxFailures: -1})
			if err != nil {
				t.Fatal(err)
			}
			for _, fail := range res.Failures {
				if !pgFails[f+":"+strconv.Itoa(fail.Line)] {
					t.Errorf("%s", fail)
				}
			}
			t.Logf("%s: %d passed, %d failed (PostgreSQL fails some of them too), %d skipped", f, res.Passed, res.Failed, res.Skipped)
		})
	}
}
