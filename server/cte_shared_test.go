package server

import (
	"strings"
	"testing"
)

// TestSharedCTEPlans: EXPLAIN shows a WITH query named twice evaluated
// once, under CTE Scans that read it, and one named once inlined, unless
// MATERIALIZED.
func TestSharedCTEPlans(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn, `CREATE TABLE cp (k int, g int, v int)`,
		`INSERT INTO cp SELECT i, i % 7, i % 101 FROM generate_series(1, 5000) i`,
		`CHECKPOINT`)
	for _, c := range []struct {
		query          string
		scans, cteRefs int
	}{
		{`WITH rev AS (SELECT g, sum(v) AS total FROM cp GROUP BY g)
			SELECT g FROM rev WHERE total = (SELECT max(total) FROM rev)`, 1, 2},
		{`WITH rev AS (SELECT g, sum(v) AS total FROM cp GROUP BY g) SELECT g FROM rev WHERE total > 0`, 1, 0},
		{`WITH rev AS MATERIALIZED (SELECT g, sum(v) AS total FROM cp GROUP BY g) SELECT g FROM rev`, 1, 1},
		{`WITH rev AS NOT MATERIALIZED (SELECT g, sum(v) AS total FROM cp GROUP BY g)
			SELECT g FROM rev WHERE total = (SELECT max(total) FROM rev)`, 2, 0},
	} {
		plan := explainText(t, conn, `(COSTS OFF) `+c.query)
		if got := strings.Count(plan, "Seq Scan on cp"); got != c.scans {
			t.Errorf("%s: %d scans of cp, want %d:\n%s", c.query, got, c.scans, plan)
		}
		if got := strings.Count(plan, "CTE Scan on rev"); got != c.cteRefs {
			t.Errorf("%s: %d CTE Scans, want %d:\n%s", c.query, got, c.cteRefs, plan)
		}
	}
}
