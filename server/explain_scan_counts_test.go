package server

import (
	"fmt"
	"strings"
	"testing"
)

// TestExplainAnalyzeScanCounts: EXPLAIN ANALYZE shows, per table scan,
// the segments and row groups it read and those its filter let it skip
// by their statistics, counted once however many pipelines share the
// scan; catalog scans show none.
func TestExplainAnalyzeScanCounts(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn, `CREATE TABLE sc (a int, b text)`)
	for i := 0; i < 3; i++ {
		mustExec(t, conn, fmt.Sprintf(`INSERT INTO sc SELECT g, 'x' FROM generate_series(%d, %d) g`, i*1000+1, i*1000+1000))
		mustExec(t, conn, "CHECKPOINT")
	}
	// Unflushed rows are read from the tail, not from segments.
	mustExec(t, conn, `INSERT INTO sc VALUES (5000, 'tail')`)
	expect := func(query string, want ...string) {
		t.Helper()
		got := explainText(t, conn, `(ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) `+query)
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: EXPLAIN ANALYZE lacks %q:\n%s", query, w, got)
			}
		}
	}
	counts := func(segs, segsSkipped, groups, groupsSkipped int) []string {
		return []string{
			fmt.Sprintf("Segments Read: %d\n", segs), fmt.Sprintf("Segments Skipped: %d\n", segsSkipped),
			fmt.Sprintf("Row Groups Read: %d\n", groups), fmt.Sprintf("Row Groups Skipped: %d", groupsSkipped),
		}
	}
	expect(`SELECT count(*) FROM sc`, counts(3, 0, 3, 0)...)
	expect(`SELECT count(*) FROM sc WHERE a > 2500`, append(counts(1, 2, 1, 0), "Seq Scan on sc (actual rows=501 loops=1)")...)
	expect(`SELECT count(*) FROM sc WHERE a > 9000`, counts(0, 3, 0, 0)...)

	mustExec(t, conn, "SET pqdb.parallel_min_rows = 0")
	mustExec(t, conn, "SET max_parallel_workers_per_gather = 2")
	expect(`SELECT b, count(*) FROM sc WHERE a > 1500 GROUP BY b`, append(counts(2, 1, 2, 0), "Pipelines: 3")...)

	got := explainText(t, conn, `(ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT count(*) FROM pg_class`)
	if strings.Contains(got, "Segments") || strings.Contains(got, "Row Groups") {
		t.Errorf("a catalog scan shows file counts:\n%s", got)
	}
}
