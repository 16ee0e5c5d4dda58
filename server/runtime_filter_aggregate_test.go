package server

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pqdb/pqdb/storage"
)

// TestRuntimeFilterThroughAggregate: a scalar aggregate subquery
// correlated by a key (TPC-H Q17's shape) becomes a left join with a
// grouped aggregate; the filter above makes it inner, and the join hands
// its build's keys through the aggregate's group key to the scan below
// it, serial and parallel, at several batch sizes, with rows in segments
// and in the tail, some deleted. The answers must equal those computed
// here from the data, and EXPLAIN must show the aggregate's scan reading
// only the groups the outer query meets.
func TestRuntimeFilterThroughAggregate(t *testing.T) {
	_, connect := startServerWith(t, Config{DataDir: t.TempDir(), Storage: storage.Options{RowGroupRows: 512}})
	conn := connect(t)
	const rows, parts, tail = 30000, 3000, 200
	mustExec(t, conn,
		`CREATE TABLE item (part int, qty int, price int)`,
		fmt.Sprintf(`INSERT INTO item SELECT g %% %d, g %% 47, g FROM generate_series(1, %d) g`, parts, rows/2),
		`CHECKPOINT`,
		fmt.Sprintf(`INSERT INTO item SELECT g %% %d, g %% 47, g FROM generate_series(%d, %d) g`, parts, rows/2+1, rows),
		`DELETE FROM item WHERE price % 7 = 3`,
		`INSERT INTO item VALUES (NULL, 1, 1), (5, NULL, 2)`,
		`CHECKPOINT`,
		fmt.Sprintf(`INSERT INTO item SELECT g %% %d, g %% 47, g FROM generate_series(%d, %d) g`, parts, rows+1, rows+tail),
		`CREATE TABLE part (id int, brand text)`,
		fmt.Sprintf(`INSERT INTO part SELECT g, CASE WHEN g %% 97 = 5 THEN 'b1' ELSE 'b2' END FROM generate_series(0, %d) g`, parts-1),
		`INSERT INTO part VALUES (NULL, 'b1')`)
	// The model: for parts of brand b1, the sum of price over their items
	// with qty below 0.5 times the part's average qty.
	type agg struct{ sum, n float64 }
	avg := map[int]*agg{}
	live := func(g int) bool { return g > rows || g%7 != 3 }
	for g := 1; g <= rows+tail; g++ {
		if !live(g) {
			continue
		}
		a := avg[g%parts]
		if a == nil {
			a = &agg{}
			avg[g%parts] = a
		}
		a.sum += float64(g % 47)
		a.n++
	}
	var want int64
	for g := 1; g <= rows+tail; g++ {
		p := g % parts
		if live(g) && p%97 == 5 && float64(g%47) < 0.5*avg[p].sum/avg[p].n {
			want += int64(g)
		}
	}
	if want == 0 {
		t.Fatal("the model selects nothing")
	}
	const q = `SELECT sum(price) FROM item, part WHERE id = part AND brand = 'b1'
		AND qty < (SELECT 0.5 * avg(qty) FROM item i2 WHERE i2.part = id)`
	for _, minRows := range []int{0, 1 << 30} { // parallel, serial
		for _, batch := range []int{1, 7, 1024} {
			mustExec(t, conn, fmt.Sprintf(`SET pqdb.parallel_min_rows = %d`, minRows), fmt.Sprintf(`SET pqdb.batch_rows = %d`, batch))
			var got int64
			if err := conn.QueryRow(ctx(t), q).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Fatalf("parallel_min_rows %d, batches of %d: sum %d, want %d", minRows, batch, got, want)
			}
		}
	}
	mustExec(t, conn, `RESET pqdb.batch_rows`, `SET pqdb.parallel_min_rows = 0`)
	var lines []string
	for _, r := range rowsText(t, conn, `EXPLAIN (ANALYZE, COSTS OFF) `+q) {
		lines = append(lines, r[0])
	}
	plan := strings.Join(lines, "\n")
	// Both scans of item read about 31 parts' rows (10 each) and the
	// tail's 200, not 30000.
	scans := regexp.MustCompile(`Seq Scan on item \S* ?\(actual time=\S+ rows=(\d+) loops=(\d+)\)\n\s+Columns: [^\n]*\n\s+Runtime Filter: part`).FindAllStringSubmatch(plan, -1)
	if len(scans) != 2 || !strings.Contains(plan, "Parallel HashAggregate") || !slices.ContainsFunc(strings.Split(plan, "\n"), func(l string) bool { return strings.Contains(l, "Hash Join") }) {
		t.Fatalf("plan without runtime filters on both scans of item:\n%s", plan)
	}
	for _, s := range scans {
		if len(s[1]) > 3 {
			t.Fatalf("a scan of item read %s rows:\n%s", s[1], plan)
		}
	}
}
