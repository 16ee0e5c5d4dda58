package server

import (
	"io"
	"net/http"
	"regexp"
	"strconv"
	"testing"
)

// TestMetricsEndpoint: with MetricsListen, /metrics serves the
// statements by command and outcome with their durations, the sessions
// open, the storage's commits, flushes and scans, and Go's and the
// process's figures, in Prometheus' text format.
func TestMetricsEndpoint(t *testing.T) {
	srv, connect := startServerWith(t, Config{DataDir: t.TempDir(), MetricsListen: "127.0.0.1:0"})
	conn := connect(t)
	mustExec(t, conn, "CREATE TABLE m (x int PRIMARY KEY)", "INSERT INTO m VALUES (1)", "SELECT x FROM m", "SELECT x FROM m")
	if _, err := conn.Exec(ctx(t), "INSERT INTO m VALUES (1)"); err == nil {
		t.Fatal("a duplicate key was inserted")
	}
	// A flush, then a scan that reads its segment's row and one that
	// skips it by its statistics.
	mustExec(t, conn, "CHECKPOINT", "SELECT count(*) FROM m WHERE x > 0", "SELECT count(*) FROM m WHERE x > 5")
	resp, err := http.Get("http://" + srv.MetricsAddr() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: %d %v", resp.StatusCode, err)
	}
	value := func(series string) float64 {
		t.Helper()
		m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`).FindSubmatch(body)
		if m == nil {
			t.Fatalf("no %s in:\n%s", series, body)
		}
		v, err := strconv.ParseFloat(string(m[1]), 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for series, want := range map[string]float64{
		`pqdb_statements_total{command="SELECT",outcome="ok"}`:               4,
		`pqdb_statements_total{command="INSERT",outcome="ok"}`:               1,
		`pqdb_statements_total{command="INSERT",outcome="23505"}`:            1,
		`pqdb_statements_total{command="CREATE",outcome="ok"}`:               1,
		`pqdb_statement_duration_seconds_count{command="SELECT"}`:            4,
		`pqdb_statement_duration_seconds_bucket{command="SELECT",le="+Inf"}`: 4,
		`pqdb_sessions`:           1,
		`pqdb_rows_read_total`:    1,
		`pqdb_rows_skipped_total`: 1,
	} {
		if got := value(series); got != want {
			t.Errorf("%s = %v, want %v", series, got, want)
		}
	}
	if got, want := value(`pqdb_commit_group_size_count`), value("pqdb_commit_groups_total"); got != want {
		t.Errorf("commit group size histogram counts %v groups, want %v", got, want)
	}
	for _, series := range []string{"pqdb_commits_total", "pqdb_commit_groups_total", "pqdb_flushes_total", "pqdb_segment_opens_total",
		`pqdb_commit_group_size_bucket{le="1"}`, "pqdb_flush_seconds_total",
		"pqdb_pages_read_total", "go_goroutines", "process_resident_memory_bytes"} {
		if value(series) <= 0 {
			t.Errorf("%s is not positive", series)
		}
	}
}
