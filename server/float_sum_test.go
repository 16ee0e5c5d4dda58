package server

import (
	"strings"
	"testing"
)

// TestFloatSumKeepsNegativeZero: sum over floats starts from the first
// value, so a sum of -0 is -0, while avg starts from 0. Expected rows are
// PostgreSQL 15's; each runs serially and in parallel pipelines, at batch
// sizes that split the groups.
func TestFloatSumKeepsNegativeZero(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn, "CREATE TABLE fz (g int, x float8, y float8)",
		"INSERT INTO fz VALUES (1, 0, -2), (1, 0, -3), (2, 0, 5), (2, 0, -5), (3, '-0', 1), (4, -0.0, 1)")
	for _, cfg := range []string{"1", "2", "65536"} {
		for _, workers := range []string{"0", "2"} {
			mustExec(t, conn, "SET pqdb.batch_rows = "+cfg, "SET max_parallel_workers_per_gather = "+workers, "SET pqdb.parallel_min_rows = 0")
			for _, tc := range []struct{ sql, want string }{
				{"SELECT g, sum(x / y) FROM fz WHERE g < 3 GROUP BY g ORDER BY g", "1|-0 2|0"},
				{"SELECT sum(x), avg(x) FROM fz WHERE g = 3", "-0|0"},
				{"SELECT sum(x / y) FROM fz WHERE g = 1", "-0"},
				// -0.0 is a numeric literal, and numeric has no -0.
				{"SELECT g, x, sum(x), avg(x) FROM fz WHERE g >= 3 GROUP BY g, x ORDER BY g", "3|-0|-0|0 4|0|0|0"},
			} {
				var got []string
				for _, r := range rowsText(t, conn, tc.sql) {
					got = append(got, strings.Join(r, "|"))
				}
				if g := strings.Join(got, " "); g != tc.want {
					t.Errorf("batch_rows %s, workers %s: %s = %s, want %s", cfg, workers, tc.sql, g, tc.want)
				}
			}
		}
	}
}
