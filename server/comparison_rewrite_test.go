package server

import (
	"fmt"
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

// TestScanFilterOrder: a scan runs the comparisons of a column with a
// constant first, the more selective before the other, then the rest in
// the order written; the answer is the same.
func TestScanFilterOrder(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn, `CREATE TABLE fo (s text, x int, y int)`,
		`INSERT INTO fo SELECT 'a' || g % 3, g % 1000, g % 7 FROM generate_series(1, 3000) g`,
		`CHECKPOINT`)
	const where = `s LIKE 'a1%' AND x > y AND y >= 2 AND x = 5`
	plan := explainText(t, conn, `(COSTS OFF) SELECT count(*) FROM fo WHERE `+where)
	if !strings.Contains(plan, "Filter: ((x = 5) AND (y >= 2) AND (s ~~ a1%) AND (x > y))") {
		t.Errorf("filter order:\n%s", plan)
	}
	// g % 1000 = 5 for g = 5, 1005, 2005; of those, g % 7 >= 2 and g % 3 = 1.
	want := 0
	for g := 1; g <= 3000; g++ {
		if g%3 == 1 && g%1000 > g%7 && g%7 >= 2 && g%1000 == 5 {
			want++
		}
	}
	if got := rowsText(t, conn, `SELECT count(*) FROM fo WHERE `+where)[0][0]; got != fmt.Sprint(want) {
		t.Errorf("count %s, want %d", got, want)
	}
}
