package server

import (
	"strings"
	"testing"
)

// TestJoinOrder: an eight-table comma join written in an order where
// neighbours share no condition, with its equalities scrambled, runs as
// hash joins only (no cross product in a nested loop) and gives the
// answer of the same join written in another order, with the columns in
// the order written. Correlated subqueries, outer and semi joins around
// reordered trees and a volatile condition keep their meaning. Expected
// rows are PostgreSQL 15.18's over the same tables.
func TestJoinOrder(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn,
		`CREATE TABLE t1 (id int, a int, b int, note text)`,
		`CREATE TABLE t2 (id int, a int, b int, note text)`,
		`CREATE TABLE t3 (id int, a int, b int, note text)`,
		`CREATE TABLE t4 (id int, a int, b int, note text)`,
		`CREATE TABLE t5 (id int, a int, b int, note text)`,
		`CREATE TABLE t6 (id int, a int, b int, note text)`,
		`CREATE TABLE t7 (id int, a int, b int, note text)`,
		`CREATE TABLE t8 (id int, a int, b int, note text)`,
		`INSERT INTO t1 SELECT i, i % 103 + 1, i % 13, 't1-' || i FROM generate_series(1, 400) i`,
		`INSERT INTO t2 SELECT i, i % 53, (i * 7) % 61 + 1, 't2-' || i FROM generate_series(1, 100) i`,
		`INSERT INTO t3 SELECT i, (i * 3) % 41 + 1, i % 5, 't3-' || i FROM generate_series(1, 50) i`,
		`INSERT INTO t4 SELECT i, i % 7, i % 3, 't4-' || i FROM generate_series(1, 40) i`,
		`INSERT INTO t5 SELECT i, i % 31 + 1, i % 4, 't5-' || i FROM generate_series(1, 60) i`,
		`INSERT INTO t6 SELECT i, i % 9, i % 21 + 1, 't6-' || i FROM generate_series(1, 30) i`,
		`INSERT INTO t7 SELECT i, i % 2, i % 6, 't7-' || i FROM generate_series(1, 20) i`,
		`INSERT INTO t8 SELECT i, i % 4, i % 8, 't8-' || i FROM generate_series(0, 11) i`,
	)
	const scrambled = `FROM t7, t1, t4, t6, t2, t8, t3, t5 WHERE t6.b = t7.id AND t3.a = t4.id AND t1.a = t2.id AND t5.a = t6.id AND t1.b = t8.id AND t2.b = t5.id AND t2.a = t3.id`
	const written = `FROM t1, t2, t3, t4, t5, t6, t7, t8 WHERE t1.a = t2.id AND t2.a = t3.id AND t3.a = t4.id AND t2.b = t5.id AND t5.a = t6.id AND t6.b = t7.id AND t1.b = t8.id`
	aggregates := `SELECT count(*), sum(t1.id * t3.id % 97), min(t7.note), max(t4.note), sum(t8.id + t6.id) `
	queries := []string{
		aggregates + scrambled,
		aggregates + written,
		`SELECT * ` + scrambled + ` ORDER BY t1.id LIMIT 4`,
		`SELECT t1.id, t4.note, count(*) OVER (PARTITION BY t7.id) ` + scrambled + ` AND t4.b <> t8.a ORDER BY t1.id DESC LIMIT 3`,
		// Correlated, and not decorrelated (the outer value is compared
		// by <): the subquery's tree is reordered, its condition on the
		// outer row placed at the join of t6 and t2.
		`SELECT t7.id, (SELECT count(*) FROM t6, t5, t2 WHERE t2.b = t5.id AND t5.a = t6.id AND t6.b < t7.id + t2.a % 3) FROM t7 ORDER BY t7.id`,
		// A left join is a leaf of the tree around it; a volatile
		// condition stays above.
		`SELECT count(*), sum(t2.id) FROM t5, t8, t2 LEFT JOIN t3 ON t3.id = t2.a, t6 WHERE t6.id = t5.a AND t2.b = t5.id AND t8.id = t2.id % 12 AND random() >= 0`,
		// EXISTS becomes a semi join over the reordered tree, its own
		// tree (t1, t8) reordered inside.
		`SELECT t7.id, count(*) FROM t7, t6, t5, t2 WHERE EXISTS (SELECT FROM t1, t8 WHERE t1.b = t8.id AND t1.a = t2.id AND t8.a = t7.a) AND t6.b = t7.id AND t2.b = t5.id AND t5.a = t6.id GROUP BY t7.id ORDER BY t7.id`,
	}
	want := []string{
		"318|14677|t7-1|t4-9|6645",
		"318|14677|t7-1|t4-9|6645",
		"17|1|5|t7-17|1|2|1|t1-1|7|0|1|t4-7|16|7|17|t6-16|2|2|15|t2-2|1|1|1|t8-1|2|7|2|t3-2|15|16|3|t5-15;" +
			"3|1|3|t7-3|2|3|2|t1-2|10|3|1|t4-10|23|5|3|t6-23|3|3|22|t2-3|2|2|2|t8-2|3|10|3|t3-3|22|23|2|t5-22;" +
			"10|0|4|t7-10|3|4|3|t1-3|13|6|1|t4-13|30|3|10|t6-30|4|4|29|t2-4|3|3|3|t8-3|4|13|4|t3-4|29|30|1|t5-29;" +
			"7|1|1|t7-7|4|5|4|t1-4|16|2|1|t4-16|6|6|7|t6-6|5|5|36|t2-5|4|0|4|t8-4|5|16|0|t3-5|36|6|0|t5-36",
		"400|t4-36|16;399|t4-33|19;397|t4-27|11",
		"1|2;2|8;3|12;4|21;5|27;6|35;7|39;8|47;9|51;10|59;11|63;12|66;13|69;14|72;15|76;16|79;17|83;18|85;19|89;20|92",
		"96|4798",
		"1|2;2|5;3|5;4|7;5|6;6|5;7|6;8|4;9|6;10|3;11|4;12|3;13|3;14|4;15|2;16|4;17|3;18|4;19|3;20|3",
	}
	checkPlans := func(where string) {
		for _, q := range []string{aggregates + scrambled, aggregates + written, queries[4], queries[6]} {
			if plan := explainText(t, conn, q); strings.Contains(plan, "Nested Loop") {
				t.Errorf("%s: %s\nruns a nested loop:\n%s", where, q, plan)
			}
		}
	}
	checkPlans("tail")
	checkAcrossSettings(t, conn, settingsGrid([]int{1, 7, 1024, 65536}, []int{0, 2}), queries, want)
	// checkAcrossSettings checkpointed: the estimates now come from the
	// segments' statistics.
	checkPlans("segments")
}
