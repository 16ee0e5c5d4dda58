package server

import (
	"strings"
	"testing"
)

// TestComparisonRewrites: EXPLAIN shows a date compared with a timestamp
// constant compared as a date, and a numeric(p,s) column compared with a
// numeric constant that fits its type compared in that type, with no
// cast of the column; a constant that would round keeps the cast.
func TestComparisonRewrites(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn, `CREATE TABLE cr (d date, a numeric(15,2))`)
	for _, c := range []struct{ where, want string }{
		{`d < date '1996-01-01' + interval '3' month`, "Filter: (d < 1996-04-01)"},
		{`d < timestamp '1996-04-01 06:00'`, "Filter: (d <= 1996-04-01)"},
		{`d >= timestamp '1996-04-01 06:00'`, "Filter: (d > 1996-04-01)"},
		{`a BETWEEN .06 - 0.01 AND .06 + 0.01`, "Filter: ((a >= 0.05) AND (a <= 0.07))"},
		{`a < 24`, "Filter: (a < 24.00)"},
		{`a >= 0.055 * 1`, "Filter: ((a)::numeric >= 0.055)"},
	} {
		plan := explainText(t, conn, `(COSTS OFF) SELECT * FROM cr WHERE `+c.where)
		if !strings.Contains(plan, c.want) {
			t.Errorf("WHERE %s: plan lacks %q:\n%s", c.where, c.want, plan)
		}
	}
}
