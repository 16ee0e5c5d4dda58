package server

import (
	"strings"
	"testing"
)

// TestJoinOnCompositeKeyThroughPgx: TPC-H Q9's shape through pgx. li
// joins ps on all of ps's primary key (pk, sk), so each li row meets at
// most one ps row; the planner then joins p's few rows to ps first and
// has li probe those on both columns, instead of joining ps last to
// every li row of the chosen parts. EXPLAIN shows the join on both
// columns with ps below its build side, and the answer is the one of the
// same joins written as nested subqueries, in a fixed order.
func TestJoinOnCompositeKeyThroughPgx(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn,
		"CREATE TABLE p (pk int PRIMARY KEY, name text)",
		"CREATE TABLE ps (pk int, sk int, cost int, PRIMARY KEY (pk, sk))",
		"CREATE TABLE li (ok int, pk int, sk int, qty int)",
		"CREATE TABLE o (ok int PRIMARY KEY, d date)",
		"INSERT INTO p SELECT g, CASE WHEN g % 20 = 0 THEN 'green' ELSE 'red' END FROM generate_series(1, 2000) g",
		"INSERT INTO ps SELECT g, s, g + s FROM generate_series(1, 2000) g, generate_series(1, 4) s",
		"INSERT INTO o SELECT g, date '2000-01-01' + g % 3000 FROM generate_series(1, 15000) g",
		"INSERT INTO li SELECT g % 15000 + 1, g % 2000 + 1, g % 4 + 1, g % 50 FROM generate_series(1, 60000) g",
		"CHECKPOINT",
	)
	q := "SELECT sum(ps.cost * li.qty), count(o.d) FROM p, ps, li, o WHERE p.pk = li.pk AND ps.pk = li.pk AND ps.sk = li.sk AND o.ok = li.ok AND p.name LIKE '%green%'"
	plan := explainText(t, conn, q)
	both := strings.Index(plan, "Hash Cond: ((pk = pk) AND (sk = sk))")
	if both < 0 || strings.Index(plan, "Seq Scan on li") < both || strings.Index(plan, "Seq Scan on ps") < strings.Index(plan, "Seq Scan on li") {
		t.Fatalf("li does not probe ps joined to p on both key columns:\n%s", plan)
	}
	nested := `SELECT sum(x.cost * x.qty), count(o.d) FROM o JOIN (
		SELECT li.ok, li.qty, y.cost FROM li JOIN (SELECT ps.pk, ps.sk, ps.cost FROM ps JOIN p ON p.pk = ps.pk WHERE p.name LIKE '%green%') y
		ON y.pk = li.pk AND y.sk = li.sk) x ON x.ok = o.ok`
	if got, want := rowsText(t, conn, q), rowsText(t, conn, nested); strings.Join(got[0], "|") != strings.Join(want[0], "|") {
		t.Fatalf("%v, want %v", got, want)
	}
}
