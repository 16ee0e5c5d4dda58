package server

import (
	"fmt"
	"strings"
	"testing"
)

// TestRangeNarrowingAnswers: a range of an integer, date, time or
// timestamp column, of a table written in another order and read with a
// text column beside it, narrows the scan to the rows inside it
// (storage's range_narrow.go). Through pgx, over flushed segments of
// several row groups with NULLs and deletions, every range gives the
// answer of the same range written so that no predicate reaches the scan
// (the column plus zero), and EXPLAIN ANALYZE shows the scan returning
// only rows inside it.
func TestRangeNarrowingAnswers(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn,
		"CREATE TABLE rt (id int8, a int2, b int4, c int8, d date, t time, ts timestamp, tz timestamptz, s text)",
		`INSERT INTO rt SELECT g, ((g::int8*7919) % 30000 - 15000)::int2, ((g::int8*104729) % 1000000 - 500000)::int4,
			(g::int8*2654435761 % 10000000000) - 5000000000, date '2000-01-01' + ((g::int8*7919) % 20000)::int4,
			time '00:00' + ((g::int8*7919) % 86400) * interval '1 second', timestamp '2000-01-01' + ((g::int8*7919) % 10000000) * interval '1 second',
			timestamptz '2000-01-01 00:00+00' + ((g::int8*104729) % 10000000) * interval '1 second', 'row ' || g
			FROM generate_series(1, 300000) g`,
		"UPDATE rt SET a = NULL, b = NULL, c = NULL, d = NULL, t = NULL, ts = NULL, tz = NULL WHERE id % 97 = 0",
		"DELETE FROM rt WHERE id % 89 = 0",
		"CHECKPOINT",
	)
	for _, c := range []struct{ where, unpushed string }{
		{"a >= -1000 AND a < 1000", "a + 0 >= -1000 AND a + 0 < 1000"},
		{"b > 100 AND b <= 20000", "b + 0 > 100 AND b + 0 <= 20000"},
		{"c BETWEEN -100000000 AND 100000000", "c + 0 BETWEEN -100000000 AND 100000000"},
		{"d >= date '2010-01-01' AND d < date '2010-06-01'", "d + 0 >= date '2010-01-01' AND d + 0 < date '2010-06-01'"},
		{"d > timestamp '2010-01-01 12:00' AND d < date '2010-02-01'", "d + 0 > timestamp '2010-01-01 12:00' AND d + 0 < date '2010-02-01'"},
		{"t > time '10:00' AND t < time '10:30'", "t + interval '0' > time '10:00' AND t + interval '0' < time '10:30'"},
		{"ts >= timestamp '2000-02-01' AND ts < timestamp '2000-02-03'", "ts + interval '0' >= timestamp '2000-02-01' AND ts + interval '0' < timestamp '2000-02-03'"},
		{"tz >= timestamptz '2000-02-01 00:00+00' AND tz < timestamptz '2000-02-03 00:00+00'", "tz + interval '0' >= timestamptz '2000-02-01 00:00+00' AND tz + interval '0' < timestamptz '2000-02-03 00:00+00'"},
		{"b > 10 AND b < 5", "b + 0 > 10 AND b + 0 < 5"},
	} {
		answer := func(where string) string {
			var n, sum, ids int64
			q := fmt.Sprintf("SELECT count(*), coalesce(sum(length(s)), 0), coalesce(sum(id), 0) FROM rt WHERE %s", where)
			if err := conn.QueryRow(ctx(t), q).Scan(&n, &sum, &ids); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			return fmt.Sprint(n, sum, ids)
		}
		got, want := answer(c.where), answer(c.unpushed)
		if got != want {
			t.Errorf("WHERE %s: %s, want %s", c.where, got, want)
		}
	}
	// The scan itself returns only the rows inside the range: no row is
	// left for the filter above to remove.
	plan := explainText(t, conn, "ANALYZE SELECT count(s) FROM rt WHERE b > 100 AND b <= 20000")
	if !strings.Contains(plan, "Seq Scan on rt") || strings.Contains(plan, "Rows Removed by Filter") {
		t.Errorf("the scan was not narrowed:\n%s", plan)
	}
}
