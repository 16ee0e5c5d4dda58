package server

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// hashBuildSide returns the table scanned under the build side (the
// second input) of the one Hash Join of an EXPLAIN.
func hashBuildSide(t *testing.T, plan string) string {
	t.Helper()
	lines := strings.Split(plan, "\n")
	for i, l := range lines {
		if !strings.Contains(l, "Hash Join") {
			continue
		}
		indent := len(l) - len(strings.TrimLeft(l, " "))
		children := 0
		for _, next := range lines[i+1:] {
			arrow := strings.Index(next, "->  ")
			if arrow >= 0 && arrow <= indent+6 {
				children++
			}
			if _, after, ok := strings.Cut(next, "Scan on "); ok && children == 2 {
				return strings.Fields(after)[0]
			}
		}
	}
	t.Fatalf("no hash join build side in:\n%s", plan)
	return ""
}

const statsJoin = `SELECT count(*) FROM facts f JOIN dims d ON f.k = d.k WHERE f.flag = 'R'`

// TestColumnStatisticsChooseBuildSide: the distinct values of a text
// column, known from the sketches its flushed segments carry, make an
// equality on it keep a quarter of the rows instead of PostgreSQL's
// default 1/200: the join's hash table moves from the filtered big
// table to the small one.
func TestColumnStatisticsChooseBuildSide(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	createStatsTables(t, conn)
	// Unflushed rows have no statistics: 20000/200 rows of facts are
	// estimated to pass, fewer than dims' 3000.
	if side := hashBuildSide(t, explainText(t, conn, statsJoin)); side != "facts" {
		t.Errorf("without statistics the hash table is built on %s, want facts", side)
	}
	mustExec(t, conn, "CHECKPOINT")
	if side := hashBuildSide(t, explainText(t, conn, statsJoin)); side != "dims" {
		t.Errorf("with statistics the hash table is built on %s, want dims:\n%s", side, explainText(t, conn, statsJoin))
	}
	checkStatsJoin(t, conn)
}

// createStatsTables makes facts (20000 rows, flag of 4 values, k of
// 3000) and dims (3000 rows keyed by k).
func createStatsTables(t *testing.T, conn *pgx.Conn) {
	t.Helper()
	mustExec(t, conn,
		"CREATE TABLE facts (k int, flag text)",
		"CREATE TABLE dims (k int PRIMARY KEY, name text)",
		"INSERT INTO facts SELECT g % 3000, (ARRAY['R', 'A', 'N', 'O'])[g % 4 + 1] FROM generate_series(1, 20000) g",
		"INSERT INTO dims SELECT g, 'd' || g FROM generate_series(0, 2999) g")
}

// checkStatsJoin checks statsJoin's answer (every fourth fact row
// passes and meets one dim).
func checkStatsJoin(t *testing.T, conn *pgx.Conn) {
	t.Helper()
	if got := rowsText(t, conn, statsJoin); len(got) != 1 || got[0][0] != "5000" {
		t.Errorf("%s: %v, want 5000", statsJoin, got)
	}
}

// TestAnalyzeSketchesOldSegments: a database whose segments predate
// distinct-value sketches (their manifests' sketches removed on disk)
// plans with the defaults until ANALYZE sketches them; the sketches
// stay after a restart, and every answer stays the same.
func TestAnalyzeSketchesOldSegments(t *testing.T) {
	dir := t.TempDir()
	srv, connect := startServerAt(t, dir)
	conn := connect(t)
	createStatsTables(t, conn)
	mustExec(t, conn, "CHECKPOINT")
	srv.Close()
	stripManifestSketches(t, dir)

	srv, connect = startServerAt(t, dir)
	conn = connect(t)
	if side := hashBuildSide(t, explainText(t, conn, statsJoin)); side != "facts" {
		t.Errorf("before ANALYZE the hash table is built on %s, want facts", side)
	}
	checkStatsJoin(t, conn)
	mustExec(t, conn, "BEGIN", "ANALYZE facts (flag)", "COMMIT")
	if side := hashBuildSide(t, explainText(t, conn, statsJoin)); side != "dims" {
		t.Errorf("after ANALYZE the hash table is built on %s, want dims", side)
	}
	checkStatsJoin(t, conn)
	// A table this transaction created has no committed rows to
	// analyze; ANALYZE in a transaction block is allowed, as in
	// PostgreSQL.
	mustExec(t, conn, "ANALYZE", "BEGIN", "CREATE TABLE fresh (a int)", "INSERT INTO fresh VALUES (1)", "ANALYZE fresh", "ROLLBACK")
	srv.Close()
	_, connect = startServerAt(t, dir)
	conn = connect(t)
	if side := hashBuildSide(t, explainText(t, conn, statsJoin)); side != "dims" {
		t.Errorf("after a restart the hash table is built on %s, want dims", side)
	}
	checkStatsJoin(t, conn)
}

// stripManifestSketches removes the sketches from every current table
// manifest under dir, as manifests were written before them.
func stripManifestSketches(t *testing.T, dir string) {
	t.Helper()
	ptrs, err := filepath.Glob(filepath.Join(dir, "public", "*", "_manifest", "current"))
	if err != nil || len(ptrs) == 0 {
		t.Fatalf("no manifests: %v", err)
	}
	for _, ptr := range ptrs {
		name, err := os.ReadFile(ptr)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(filepath.Dir(ptr), strings.TrimSpace(string(name)))
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		segs, _ := m["segments"].([]any)
		stripped := 0
		for _, s := range segs {
			if _, ok := s.(map[string]any)["sketches"]; ok {
				delete(s.(map[string]any), "sketches")
				stripped++
			}
		}
		if stripped == 0 {
			t.Fatalf("%s has no sketches", path)
		}
		if data, err = json.Marshal(m); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
