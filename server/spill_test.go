package server

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// startSpillServer runs pqdb with cfg on a free loopback port (a fixed
// one can be taken by any client's outgoing connection), with its
// temporary files under a directory of the test's.
func startSpillServer(t *testing.T, cfg Config) (*pgx.Conn, string) {
	t.Helper()
	cfg.DataDir = t.TempDir()
	cfg.TempDir = t.TempDir()
	cfg.Listen = "127.0.0.1:0"
	srv, err := Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(c, "postgres://tester@"+srv.Addr()+"/pqdb?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn, cfg.TempDir
}

// tempFilesLeft counts the files in the server's temporary directory.
func tempFilesLeft(t *testing.T, base string) int {
	t.Helper()
	// The engine's directory holds its lock file besides the files of
	// spilling operators.
	files, _ := filepath.Glob(filepath.Join(base, "pqdb_tmp_*", "pqdb_tmp_*"))
	return len(files)
}

func loadSpillTables(t *testing.T, conn *pgx.Conn) {
	mustExec(t, conn,
		`CREATE TABLE big (id int, k int, s text)`,
		// Keys with NULLs and one key holding a third of the rows; texts
		// of varied length.
		`INSERT INTO big SELECT g, CASE WHEN g % 17 = 0 THEN NULL WHEN g % 3 = 0 THEN 7 ELSE g % 5003 END,
		        repeat(chr(97 + g % 26), g % 37) FROM generate_series(1, 60000) g`,
		`CREATE TABLE small (id int, k int, s text)`,
		`INSERT INTO small SELECT g, CASE WHEN g % 13 = 0 THEN NULL ELSE g % 6007 END, 'r' || g FROM generate_series(1, 20000) g`,
	)
}

// spillQueries return a small, ordered result from a large sort,
// aggregate or join.
var spillQueries = []string{
	`SELECT md5(string_agg(id::text || ':' || coalesce(k::text, '-') || ':' || s, ',')), count(*) FROM (SELECT * FROM big ORDER BY k NULLS FIRST, s DESC) o`,
	`SELECT md5(string_agg(x, ',' ORDER BY x)) FROM (SELECT id % 20011 || ':' || count(*) || ':' || sum(id) || ':' || max(s) || ':' || string_agg(s, '' ORDER BY id) AS x FROM big GROUP BY id % 20011) a`,
	`SELECT md5(string_agg(x, ',' ORDER BY x)) FROM (SELECT coalesce(k::text, '-') || ':' || count(*) || ':' || count(DISTINCT s) AS x FROM big GROUP BY k) a`,
	// Aggregates that split between parallel pipelines: past work_mem
	// the pipelines partition their rows and aggregate the partitions in
	// parallel; one integer key is grouped through a direct map.
	`SELECT md5(string_agg(x, ',' ORDER BY x)) FROM (SELECT id % 20011 || ':' || count(*) || ':' || sum(id) || ':' || max(s) AS x FROM big GROUP BY id % 20011) a`,
	`SELECT md5(string_agg(x, ',' ORDER BY x)), count(*) FROM (SELECT coalesce(k::text, '-') || ':' || count(*) || ':' || sum(id) || ':' || min(s) AS x FROM big GROUP BY k) a`,
	`SELECT count(*), sum(b.id), sum(s.id) FROM big b JOIN small s ON b.k = s.k`,
	`SELECT count(*), sum(b.id), count(s.id) FROM big b LEFT JOIN small s ON b.k = s.k`,
	`SELECT count(*), sum(b.id), sum(s.id) FROM big b FULL JOIN small s ON b.k = s.k AND b.id % 2 = s.id % 2`,
	`SELECT count(*) FROM small s WHERE EXISTS (SELECT 1 FROM big b WHERE b.k = s.k)`,
	`SELECT count(*) FROM small s WHERE NOT EXISTS (SELECT 1 FROM big b WHERE b.k = s.k)`,
	`SELECT count(*) FROM small s WHERE s.k NOT IN (SELECT k FROM big WHERE k IS NOT NULL)`,
}

// TestSpillingMatchesInMemory: with work_mem at its minimum, sorts,
// aggregates and joins spill to temporary files and answer exactly as
// they do in memory; EXPLAIN ANALYZE says so; the files are gone after.
func TestSpillingMatchesInMemory(t *testing.T) {
	conn, tempBase := startSpillServer(t, Config{})
	loadSpillTables(t, conn)
	var want []string
	mustExec(t, conn, `SET work_mem = '1GB'`)
	for _, q := range spillQueries {
		want = append(want, fmt.Sprint(rowsText(t, conn, q)))
	}
	mustExec(t, conn, `SET work_mem = '64kB'`)
	if got := rowsText(t, conn, `SHOW work_mem`)[0][0]; got != "64kB" {
		t.Fatalf("SHOW work_mem: %s", got)
	}
	// As PostgreSQL 15 reads and shows memory settings.
	for _, c := range []struct{ sql, want string }{
		{`SELECT setting, unit, boot_val FROM pg_settings WHERE name = 'work_mem'`, "[[64 kB 65536]]"},
		{`SELECT current_setting('temp_file_limit')`, "[[-1]]"},
	} {
		if got := fmt.Sprint(rowsText(t, conn, c.sql)); got != c.want {
			t.Errorf("%s: %s, want %s", c.sql, got, c.want)
		}
	}
	for v, want := range map[string]string{"'1.5MB'": "1536kB", "65536": "64MB", "'3 GB'": "3GB"} {
		mustExec(t, conn, `SET work_mem = `+v)
		if got := rowsText(t, conn, `SHOW work_mem`)[0][0]; got != want {
			t.Errorf("SET work_mem = %s: SHOW says %s, want %s", v, got, want)
		}
	}
	for set, msg := range map[string]string{
		`SET work_mem = '10'`:           `10 kB is outside the valid range for parameter "work_mem" (64 .. 2147483647)`,
		`SET work_mem = '3xB'`:          `invalid value for parameter "work_mem": "3xB"`,
		`SET hash_mem_multiplier = 0.5`: `0.5 is outside the valid range for parameter "hash_mem_multiplier" (1 .. 1000)`,
	} {
		_, err := conn.Exec(ctx(t), set)
		if sqlstate(err) != "22023" || !strings.Contains(err.Error(), msg) {
			t.Errorf("%s: %v", set, err)
		}
	}
	mustExec(t, conn, `SET hash_mem_multiplier = '1.5'`)
	if got := rowsText(t, conn, `SHOW hash_mem_multiplier`)[0][0]; got != "1.5" {
		t.Errorf("SHOW hash_mem_multiplier: %s", got)
	}
	mustExec(t, conn, `RESET hash_mem_multiplier`)
	mustExec(t, conn, `SET work_mem = '64kB'`)
	for _, parallel := range []string{"0", "3"} {
		// With workers, aggregates run in parallel pipelines, which
		// partition their rows past work_mem (or, over a join's shared
		// build, fall back to the serial spilling aggregate).
		mustExec(t, conn, `SET max_parallel_workers_per_gather = `+parallel, `SET pqdb.parallel_min_rows = 0`)
		for i, q := range spillQueries {
			if got := fmt.Sprint(rowsText(t, conn, q)); got != want[i] {
				t.Errorf("%s\nwith work_mem 64kB and %s workers: %s\nwith 1GB: %s", q, parallel, got, want[i])
			}
		}
	}
	plan := explainText(t, conn, `(ANALYZE, TIMING OFF, SUMMARY OFF) SELECT id % 20011, count(*), sum(id) FROM big GROUP BY 1`)
	if m := regexp.MustCompile(`Batches: (\d+)  Memory Usage: \d+kB  Disk Usage: \d+kB`).FindStringSubmatch(plan); m == nil || m[1] == "1" {
		t.Errorf("EXPLAIN ANALYZE of a parallel aggregate that spilled:\n%s", plan)
	}
	mustExec(t, conn, `RESET max_parallel_workers_per_gather`, `RESET pqdb.parallel_min_rows`)
	if n := tempFilesLeft(t, tempBase); n != 0 {
		t.Fatalf("%d temporary files left", n)
	}

	plan = explainText(t, conn, `(ANALYZE, TIMING OFF, SUMMARY OFF) SELECT * FROM big ORDER BY s`)
	if !regexp.MustCompile(`Sort Method: external merge  Disk: \d+kB`).MatchString(plan) {
		t.Errorf("EXPLAIN ANALYZE of a spilled sort:\n%s", plan)
	}
	plan = explainText(t, conn, `(ANALYZE, TIMING OFF, SUMMARY OFF) SELECT id % 20011, count(*) FROM big GROUP BY 1`)
	if m := regexp.MustCompile(`Batches: (\d+)  Memory Usage: \d+kB  Disk Usage: \d+kB`).FindStringSubmatch(plan); m == nil || m[1] == "1" {
		t.Errorf("EXPLAIN ANALYZE of a spilled aggregate:\n%s", plan)
	}
	plan = explainText(t, conn, `(ANALYZE, TIMING OFF, SUMMARY OFF) SELECT count(*) FROM small s JOIN big b ON b.k = s.k`)
	if !regexp.MustCompile(`Batches: \d+  Memory Usage: \d+kB  Disk Usage: \d+kB`).MatchString(plan) {
		t.Errorf("EXPLAIN ANALYZE of a spilled join:\n%s", plan)
	}
	mustExec(t, conn, `RESET work_mem`)
	plan = explainText(t, conn, `(ANALYZE, TIMING OFF, SUMMARY OFF) SELECT * FROM big ORDER BY s`)
	if !regexp.MustCompile(`Sort Method: quicksort  Memory: \d+kB`).MatchString(plan) {
		t.Errorf("EXPLAIN ANALYZE of an in-memory sort:\n%s", plan)
	}
	plan = explainText(t, conn, `(ANALYZE, TIMING OFF, SUMMARY OFF, FORMAT JSON) SELECT * FROM big ORDER BY s`)
	for _, want := range []string{`"Sort Method": "quicksort"`, `"Sort Space Type": "Memory"`, `"Sort Space Used": `} {
		if !strings.Contains(plan, want) {
			t.Errorf("EXPLAIN (FORMAT JSON) lacks %s:\n%s", want, plan)
		}
	}

	// temp_file_limit bounds what a statement writes.
	mustExec(t, conn, `SET work_mem = '64kB'`, `SET temp_file_limit = '100kB'`)
	_, err := conn.Exec(ctx(t), `SELECT * FROM big ORDER BY s`)
	if sqlstate(err) != "53400" || !strings.Contains(err.Error(), "temporary file size exceeds temp_file_limit (100kB)") {
		t.Fatalf("over temp_file_limit: %v", err)
	}
	if n := tempFilesLeft(t, tempBase); n != 0 {
		t.Fatalf("%d temporary files left after an error", n)
	}
}

// TestMemoryLimitOutOfMemory: a statement that would pass the server's
// memory limit and cannot spill fails with 53200, gives everything back,
// and the session goes on; statements that can spill do.
func TestMemoryLimitOutOfMemory(t *testing.T) {
	conn, tempBase := startSpillServer(t, Config{MemoryLimit: 1 << 20})
	loadSpillTables(t, conn)
	_, err := conn.Exec(ctx(t), `SELECT id, row_number() OVER (ORDER BY s) FROM big`)
	if sqlstate(err) != "53200" || !strings.Contains(err.Error(), "out of memory") {
		t.Fatalf("a window past the memory limit: %v", err)
	}
	if got := rowsText(t, conn, `SELECT 1`); got[0][0] != "1" {
		t.Fatalf("the session after the error: %v", got)
	}
	// Sorts and aggregates past the limit spill instead.
	const sorted = `SELECT id, s FROM big ORDER BY s DESC, id`
	got := rowsText(t, conn, sorted)
	mustExec(t, conn, `SET work_mem = '1GB'`)
	if want := rowsText(t, conn, sorted); len(got) != 60000 || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("a sort past the memory limit: %d rows, differing from the in-memory sort's", len(got))
	}
	// An aggregate that keeps its values and has no groups to spill
	// cannot stay within the limit.
	_, err = conn.Exec(ctx(t), `SELECT string_agg(s, ',' ORDER BY s) FROM big`)
	if sqlstate(err) != "53200" {
		t.Fatalf("string_agg past the memory limit: %v", err)
	}
	if got := rowsText(t, conn, `SELECT count(*) FROM (SELECT id % 20011, count(*) FROM big GROUP BY 1) a`); got[0][0] != "20011" {
		t.Fatalf("aggregate past the memory limit: %v", got)
	}
	if n := tempFilesLeft(t, tempBase); n != 0 {
		t.Fatalf("%d temporary files left", n)
	}
}
