package server

import (
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestFullJoin covers FULL [OUTER] JOIN: hash keys with and without extra
// ON conditions on one side or both, WHERE conditions above it (which
// must not be pushed into either side), USING with its merged
// COALESCE column, a constant FALSE condition, two full joins in a row,
// an empty side, NULL keys on both sides (never matching, each kept once
// null-extended), and RIGHT JOIN USING beside it. Every query runs at
// batch sizes that put a boundary after every row, every few rows and
// every 1023 rows as well as the default, before and after CHECKPOINT. The expected rows come from
// PostgreSQL 15 over the same tables.
func TestFullJoin(t *testing.T) {
	conn := startJoinTables(t)
	queries := []string{
		`SELECT count(*), count(jl.id), count(jr.id), sum(jl.id), sum(jr.id) FROM jl FULL JOIN jr ON jl.k = jr.k`,
		`SELECT count(*), count(jl.id), count(jr.id), sum(jl.id), sum(jr.id) FROM jl FULL JOIN jr ON jl.k = jr.k AND jr.w < 20`,
		`SELECT count(*), count(jl.id), count(jr.id), sum(jl.id), sum(jr.id) FROM jl FULL JOIN jr ON jl.k = jr.k AND jl.id % 3 = 0 AND jl.id < jr.id * 2`,
		`SELECT count(*), count(jl.id), count(jr.id) FROM jl FULL JOIN jr ON jl.k = jr.k WHERE jl.id IS NULL OR jr.id IS NULL`,
		`SELECT count(*), count(jl.id), count(jr.id) FROM jl FULL JOIN jr ON jl.k = jr.k WHERE jl.id > 2000`,
		`SELECT count(*), sum(k), count(k) FROM jl FULL JOIN jr USING (k)`,
		`SELECT k, count(*), count(jl.id), count(jr.id) FROM jl FULL JOIN jr USING (k) GROUP BY k HAVING count(*) > 20 AND k < 60 ORDER BY k`,
		`SELECT count(*) FROM jl FULL JOIN jr ON false`,
		// Conditions that fold to FALSE or NULL pair nothing, without
		// comparing every pair.
		"SELECT count(*), count(jr.id) FROM jl LEFT JOIN jr ON jl.k = jr.k AND (NOT ('' < 'b'))",
		`SELECT count(*) FROM jl WHERE NOT EXISTS (SELECT 1 FROM jr WHERE jr.k = jl.k AND 1 = 0)`,
		`SELECT count(*) FROM jl JOIN jr ON jl.k = jr.k AND NULL::bool`,
		`SELECT count(*), count(jl.id), count(jr.id) FROM jl FULL JOIN jr ON jl.k = jr.k AND false`,
		`SELECT count(*), count(jl.id), count(jr.id) FROM jl FULL JOIN jr ON jl.k = jr.k OR false`,
		`SELECT count(*), count(a.id), count(b.id), count(c.id) FROM jl a FULL JOIN jr b ON a.k = b.k FULL JOIN jl c ON c.k = b.w`,
		`SELECT jl.id, jl.k, jr.id, jr.k FROM jl FULL JOIN jr ON jl.k = jr.k AND jr.id < 30 WHERE coalesce(jl.id, jr.id) < 25 ORDER BY 1, 3`,
		`SELECT count(*) FROM (SELECT * FROM jl WHERE id < 10) a FULL JOIN (SELECT * FROM jr WHERE id > 5000) b ON a.k = b.k`,
		`SELECT count(*), count(jl.id), count(jr.id) FROM jl RIGHT JOIN jr USING (k)`,
	}
	want := []string{
		`6782|5986|6590|7484175|5843334`,
		`5337|3947|3761|4938790|3348225`,
		`4101|3101|2361|3697582|2317984`,
		`988|192|796`,
		`1197|1197|1158`,
		`6782|1498287|6485`,
		`8|21|21|21;11|21|21|21;17|21|21|21;20|21|21|21;21|21|21|21;23|21|21|21;24|21|21|21;27|21|21|21;30|21|21|21;36|21|21|21;50|21|21|21;53|21|21|21;59|21|21|21`,
		`4300`,
		`2500|0`,
		`2500`,
		`0`,
		`4300|2500|1800`,
		`6782|5986|6590`,
		`44931|37610|42562|44739`,
		`1|1|NULL|NULL;2|2|NULL|NULL;3|3|1|3;4|4|NULL|NULL;5|5|NULL|NULL;6|6|2|6;7|7|NULL|NULL;8|8|NULL|NULL;9|9|3|9;10|10|NULL|NULL;11|11|NULL|NULL;12|12|4|12;13|NULL|NULL|NULL;14|14|NULL|NULL;15|15|5|15;16|16|NULL|NULL;17|17|NULL|NULL;18|18|6|18;19|19|NULL|NULL;20|20|NULL|NULL;21|21|7|21;22|22|NULL|NULL;23|23|NULL|NULL;24|24|8|24;NULL|NULL|17|NULL`,
		`9`,
		`6590|5794|6590`,
	}
	checkAcrossSettings(t, conn, settingsGrid([]int{1, 3, 1023, 65536}, []int{0}), queries, want)

	if got := explainText(t, conn, queries[1]); !strings.Contains(got, "Hash Full Join") || !strings.Contains(got, "Join Filter") {
		t.Errorf("EXPLAIN %s:\n%s\nlacks Hash Full Join with a Join Filter", queries[1], got)
	}
	// As PostgreSQL: a full join needs an equality to hash on, or a
	// constant condition.
	for _, q := range []string{
		`SELECT count(*) FROM jl FULL JOIN jr ON jl.k < jr.k`,
		`SELECT count(*) FROM jl FULL JOIN jr ON jl.k = 1`,
		`SELECT count(*) FROM jl FULL JOIN jr ON jl.k = jr.k OR jl.id = jr.id`,
	} {
		if _, err := conn.Exec(ctx(t), q); sqlstate(err) != "0A000" {
			t.Errorf("%s: got %v, want 0A000", q, err)
		}
	}
}

// TestAnyAllSubqueries covers x op ANY (subquery) and x op ALL
// (subquery) for every comparison operator, uncorrelated (an ordering
// operator compares with the least or greatest value only) and
// correlated, with NULLs on either side (the result is NULL when no value
// decides it), empty subqueries (false for ANY, true for ALL), and <> ALL
// as NOT IN. The expected rows come from PostgreSQL 15.
func TestAnyAllSubqueries(t *testing.T) {
	conn := startJoinTables(t)
	queries := []string{
		`SELECT count(*) FROM jl WHERE k < ANY (SELECT w FROM jr)`,
		`SELECT count(*) FROM jl WHERE k >= ALL (SELECT k FROM jr WHERE jr.w = 3)`,
		`SELECT count(*) FROM jl WHERE k > ALL (SELECT k FROM jr WHERE jr.id < 40)`,
		`SELECT count(*) FROM jl WHERE k <> ALL (SELECT k FROM jr WHERE jr.w = 7)`,
		`SELECT count(*) FROM jl WHERE k <> ANY (SELECT k FROM jr WHERE jr.w = 7)`,
		`SELECT count(*) FROM jl WHERE k = ALL (SELECT k FROM jr WHERE jr.id = jl.id)`,
		`SELECT count(*) FROM jl WHERE k <= ANY (SELECT k FROM jr WHERE jr.w = jl.id % 50)`,
		`SELECT count(*), count(CASE WHEN k > ALL (SELECT k FROM jr WHERE jr.w = jl.id % 50) THEN 1 END), count(CASE WHEN (k > ALL (SELECT k FROM jr WHERE jr.w = jl.id % 50)) IS NULL THEN 1 END), count(CASE WHEN k <= ANY (SELECT k FROM jr WHERE jr.w = jl.id % 50) THEN 1 END) FROM jl WHERE id < 120`,
		`SELECT count(*) FROM jl WHERE v > ANY (SELECT 'l' || w FROM jr)`,
	}
	want := []string{
		`316`,
		`0`,
		`0`,
		`0`,
		`2308`,
		`705`,
		`2308`,
		`119|0|9|110`,
		`2500`,
	}
	checkAcrossSettings(t, conn, settingsGrid([]int{1, 3, 1023, 65536}, []int{0}), queries, want)
}

// TestJoinUsingColumns covers the columns of USING and NATURAL joins as
// PostgreSQL lays them out: the merged columns first (the left value for
// inner and left joins, the right one for right joins, their COALESCE
// for full joins, in the common type of both), then the left table's
// columns, then the right table's; each table's own copy stays reachable
// as table.name and in table.*. The expected rows come from PostgreSQL 15.
func TestJoinUsingColumns(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	queries := []string{
		`SELECT * FROM (SELECT 1 a, 2 b) l JOIN (SELECT 2 b, 3 c) r USING (b)`,
		`SELECT l.*, r.* FROM (SELECT 1 a, 2 b) l JOIN (SELECT 2 b, 3 c) r USING (b)`,
		`SELECT * FROM (SELECT 1 a, 2 b) l NATURAL RIGHT JOIN (SELECT 2 b, 1 a, 3 c) r`,
		`SELECT * FROM (SELECT 1 a, 2 b) l NATURAL FULL JOIN (SELECT 2 b, 5 a, 3 c) r ORDER BY 1, 2`,
		`SELECT b, l.b, r.b FROM (SELECT 1 a, 2 b) l FULL JOIN (SELECT 3 b) r USING (b) ORDER BY 1`,
		`SELECT * FROM (SELECT 1 a, 2 b) l RIGHT JOIN (SELECT 3 b, 4 c) r USING (b)`,
		`SELECT b + 1 FROM (SELECT 1 a, 2::int8 b) l FULL JOIN (SELECT 3::int2 b) r USING (b) ORDER BY 1`,
		`SELECT * FROM (SELECT 1 a, 2 b) l JOIN (SELECT 2 b, 3 c) r USING (b) JOIN (SELECT 3 c, 2 b, 9 d) s USING (b, c)`,
	}
	want := []string{
		"2|1|3",
		"1|2|2|3",
		"1|2|3",
		"1|2|NULL;5|2|3",
		"2|2|NULL;3|NULL|3",
		"3|NULL|4",
		"3;4",
		"2|3|1|9",
	}
	checkAcrossSettings(t, conn, settingsGrid([]int{1, 65536}, []int{0}), queries, want)
	if got := columnNames(t, conn, queries[len(queries)-1]); got != "b,c,a,d" {
		t.Errorf("columns of %s: got %s, want b,c,a,d", queries[len(queries)-1], got)
	}
}

// startJoinTables starts a server with the tables jl (2500 rows, every
// 13th k NULL) and jr (1800 rows, every 17th k NULL) that the tests of
// this file query, and returns a connection to it.
func startJoinTables(t *testing.T) *pgx.Conn {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn,
		`CREATE TABLE jl (id int, k int, v text)`,
		`CREATE TABLE jr (id int, k int, w int)`,
		`INSERT INTO jl SELECT i, CASE WHEN i % 13 = 0 THEN NULL ELSE i % 400 END, 'l' || i FROM generate_series(1, 2500) i`,
		`INSERT INTO jr SELECT i, CASE WHEN i % 17 = 0 THEN NULL ELSE (i * 3) % 700 END, i % 50 FROM generate_series(1, 1800) i`,
	)
	return conn
}
