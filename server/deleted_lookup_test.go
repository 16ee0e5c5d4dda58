package server

import (
	"fmt"
	"slices"
	"testing"
)

// TestLookupsOfDeletedRows looks up keys of a flushed segment after
// deleting and updating some of its rows and flushing again, so that the
// segment's deletion vector holds them: a lookup that narrows to deleted
// rows only skips them before decoding, while ranges with a live row
// among deleted ones keep it. Every answer is checked against a model,
// one key, three adjacent keys (one range) and a scattered IN list at a
// time, and EXPLAIN ANALYZE shows that a deleted key's lookup decodes
// fewer pages than a live key's.
func TestLookupsOfDeletedRows(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	const rows = 20000
	for _, q := range []string{
		`CREATE TABLE dl (k int PRIMARY KEY, v int)`,
		fmt.Sprintf(`INSERT INTO dl SELECT g, g * 10 FROM generate_series(1, %d) g`, rows),
		`CHECKPOINT`,
		`DELETE FROM dl WHERE k BETWEEN 3000 AND 3010 OR k % 97 = 0`,
		`UPDATE dl SET v = v + 1 WHERE k % 89 = 0 OR k = 3011`,
		`CHECKPOINT`,
	} {
		if _, err := conn.Exec(ctx(t), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	value := func(k int) (int, bool) {
		switch {
		case k < 1 || k > rows || k >= 3000 && k <= 3010 || k%97 == 0:
			return 0, false
		case k%89 == 0 || k == 3011:
			return k*10 + 1, true
		}
		return k * 10, true
	}
	check := func(query string, keys []int) {
		t.Helper()
		got, err := conn.Query(ctx(t), query)
		if err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		var pairs [][2]int
		for got.Next() {
			var k, v int
			if err := got.Scan(&k, &v); err != nil {
				t.Fatalf("%s: %v", query, err)
			}
			pairs = append(pairs, [2]int{k, v})
		}
		if err := got.Err(); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		var want [][2]int
		for _, k := range keys {
			if v, ok := value(k); ok {
				want = append(want, [2]int{k, v})
			}
		}
		if !slices.Equal(pairs, want) {
			t.Fatalf("%s: got %v, want %v", query, pairs, want)
		}
	}
	var keys []int
	for _, from := range []int{1, 85, 175, 2990, 19395} {
		for k := from; k < from+30; k++ {
			keys = append(keys, k)
		}
	}
	for _, k := range keys {
		check(fmt.Sprintf(`SELECT k, v FROM dl WHERE k = %d`, k), []int{k})
		check(fmt.Sprintf(`SELECT k, v FROM dl WHERE k IN (%d, %d, %d) ORDER BY k`, k, k+1, k+2), []int{k, k + 1, k + 2})
	}
	for _, k := range []int{rows - 2, rows - 1, rows, rows + 1, 9999, 10000, 15015} {
		check(fmt.Sprintf(`SELECT k, v FROM dl WHERE k = %d`, k), []int{k})
	}
	check(`SELECT k, v FROM dl WHERE k IN (97, 194, 3001, 3002, 3010, 3011, 4000, 4001, 4002) ORDER BY k`,
		[]int{97, 194, 3001, 3002, 3010, 3011, 4000, 4001, 4002})
	check(`SELECT k, v FROM dl WHERE k IN (97, 194, 3001, 3002, 3010) ORDER BY k`, []int{97, 194, 3001, 3002, 3010})

	pagesRead := func(k int) int {
		t.Helper()
		return explainCount(t, explainArgs(t, conn, fmt.Sprintf(`SELECT v FROM dl WHERE k = %d`, k)), "Pages Read")
	}
	if deleted, live := pagesRead(3003), pagesRead(3012); deleted >= live {
		t.Fatalf("a deleted key's lookup read %d pages, a live key's %d: the deleted row was decoded", deleted, live)
	}
}
