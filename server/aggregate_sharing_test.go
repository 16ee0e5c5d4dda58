package server

import (
	"fmt"
	"testing"
)

// avg(x) beside sum(x) shares one sum and count (exec's shared sums), and
// arithmetic with a constant reads only the column (exec's constant
// kernels). Each answer must be what the same aggregate computes alone,
// and what the arithmetic gives with the constant stored in a column,
// serially and in parallel pipelines, at batch sizes around the rows.
func TestSharedSumsAndConstantArithmetic(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	if _, err := conn.Exec(ctx(t), `CREATE TABLE sa (g int, x numeric(12,2), d numeric(4,2), one numeric(4,2));
		INSERT INTO sa SELECT i % 13,
			CASE WHEN i % 9 = 0 THEN NULL ELSE ((i * 7919) % 200000 - 50000) / 100.0 END,
			CASE WHEN i % 11 = 0 THEN NULL ELSE (i % 11) / 100.0 END, 1
		FROM generate_series(1, 20000) i`); err != nil {
		t.Fatal(err)
	}
	rows := func(q string) string {
		t.Helper()
		rs, err := conn.Query(ctx(t), q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rs.Close()
		var out string
		for rs.Next() {
			vals, err := rs.Values()
			if err != nil {
				t.Fatal(err)
			}
			out += fmt.Sprintln(vals...)
		}
		if err := rs.Err(); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return out
	}
	for _, set := range []string{
		`SET max_parallel_workers_per_gather = 0; SET pqdb.batch_rows = 7`,
		`SET max_parallel_workers_per_gather = 2; SET pqdb.parallel_min_rows = 1; SET pqdb.batch_rows = 1000`,
		`RESET ALL`,
	} {
		if _, err := conn.Exec(ctx(t), set); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct{ shared, alone string }{
			{`SELECT g, sum(x), avg(x), count(*), avg(d), avg(x) FROM sa GROUP BY g ORDER BY g`,
				`SELECT a.g, a.s, b.a, a.n, c.a, b.a FROM (SELECT g, sum(x) s, count(*) n FROM sa GROUP BY g) a
				 JOIN (SELECT g, avg(x) a FROM sa GROUP BY g) b ON a.g = b.g JOIN (SELECT g, avg(d) a FROM sa GROUP BY g) c ON a.g = c.g ORDER BY a.g`},
			{`SELECT sum(x), avg(x) FROM sa`, `SELECT (SELECT sum(x) FROM sa), (SELECT avg(x) FROM sa)`},
			// (The sums are cast to one scale: a constant's scale is its
			// own, the column's numeric(4,2).)
			{`SELECT g, sum(x * (1 - d))::numeric(30,6), sum(x * (1 - d) * (1 + d))::numeric(30,6), sum(d - 1)::numeric(30,6), sum(x - 1)::numeric(30,6), sum(2.5 * x)::numeric(30,6) FROM sa GROUP BY g ORDER BY g`,
				`SELECT g, sum(x * (one - d))::numeric(30,6), sum(x * (one - d) * (one + d))::numeric(30,6), sum(d - one)::numeric(30,6), sum(x - one)::numeric(30,6), sum((one * 2.5) * x)::numeric(30,6) FROM sa GROUP BY g ORDER BY g`},
		} {
			if got, want := rows(c.shared), rows(c.alone); got != want {
				t.Fatalf("%s\n%s:\n%s\nwant (%s):\n%s", set, c.shared, got, c.alone, want)
			}
		}
	}
}
