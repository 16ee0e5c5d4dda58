package server

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/storage"
)

// TestRuntimeFilterJoins joins a small filtered table to a large one on
// the large one's key, by integer and by text, with the large side's rows
// in segments and in the unflushed tail, some deleted, at build sizes up
// to and past exec.RuntimeFilterMaxKeys and at several batch sizes. The
// large side's scan reads only what the build's keys admit; the answers
// must equal those computed here from the data.
func TestRuntimeFilterJoins(t *testing.T) {
	_, connect := startServerWith(t, Config{DataDir: t.TempDir(), Storage: storage.Options{RowGroupRows: 512}})
	conn := connect(t)
	const big = 20000
	mustExec(t, conn,
		`CREATE TABLE big (id int PRIMARY KEY, code text, v int)`,
		fmt.Sprintf(`INSERT INTO big SELECT g, 'k' || g, g %% 97 FROM generate_series(1, %d) g`, big/2),
		`CHECKPOINT`,
		fmt.Sprintf(`INSERT INTO big SELECT g, 'k' || g, g %% 97 FROM generate_series(%d, %d) g`, big/2+1, big),
		`DELETE FROM big WHERE id % 10 = 3`,
		`CREATE TABLE small (sid int, ref int, refcode text)`)
	live := func(id int) bool { return id >= 1 && id <= big && id%10 != 3 }
	rng := rand.New(rand.NewPCG(9, 9))
	for _, n := range []int{0, 1, 3, 500, exec.RuntimeFilterMaxKeys, exec.RuntimeFilterMaxKeys + 1} {
		mustExec(t, conn, `DELETE FROM small`)
		var vals []string
		var refs []int
		for i := range n {
			ref := rng.IntN(big+200) - 100 // some miss, some are deleted
			if i%50 == 7 {
				vals = append(vals, fmt.Sprintf("(%d, NULL, NULL)", i))
				continue
			}
			refs = append(refs, ref)
			vals = append(vals, fmt.Sprintf("(%d, %d, 'k%d')", i, ref, ref))
		}
		for len(vals) > 0 {
			m := min(len(vals), 1000)
			mustExec(t, conn, `INSERT INTO small VALUES `+strings.Join(vals[:m], ", "))
			vals = vals[m:]
		}
		var want []string
		for _, ref := range refs {
			if live(ref) {
				want = append(want, fmt.Sprint(ref))
			}
		}
		slices.Sort(want)
		for _, batch := range []int{1, 7, 1024} {
			mustExec(t, conn, fmt.Sprintf(`SET pqdb.batch_rows = %d`, batch))
			for _, q := range []string{
				`SELECT b.id FROM small s JOIN big b ON b.id = s.ref`,
				// Through another join: big's rows meet big's again by
				// code (one each), and a left join that keeps them all.
				`SELECT b.id FROM small s JOIN (big b JOIN big c ON c.code = b.code) ON b.id = s.ref`,
				`SELECT b.id FROM small s JOIN (big b LEFT JOIN big c ON c.id = b.id + 100000) ON b.id = s.ref`,
				`SELECT b.id FROM small s JOIN big b ON b.code = s.refcode`,
			} {
				var got []string
				for _, r := range rowsText(t, conn, q) {
					got = append(got, r[0])
				}
				slices.Sort(got)
				if !slices.Equal(got, want) {
					t.Fatalf("%d build rows, batches of %d: %s: %d rows, want %d", n, batch, q, len(got), len(want))
				}
			}
			var gotSum int64
			if err := conn.QueryRow(ctx(t), `SELECT coalesce(sum(v), 0) FROM big WHERE id IN (SELECT ref FROM small)`).Scan(&gotSum); err != nil {
				t.Fatal(err)
			}
			distinct := map[int]bool{}
			var semi int64
			for _, ref := range refs {
				if live(ref) && !distinct[ref] {
					distinct[ref] = true
					semi += int64(ref % 97)
				}
			}
			if gotSum != semi {
				t.Fatalf("%d build rows, batches of %d: semi join sum %d, want %d", n, batch, gotSum, semi)
			}
		}
	}
	// The large side reads only the pages of the build's keys, and
	// EXPLAIN says so.
	mustExec(t, conn, `RESET pqdb.batch_rows`, `DELETE FROM small`, `INSERT INTO small VALUES (1, 4242, 'k4242')`)
	var lines []string
	for _, r := range rowsText(t, conn, `EXPLAIN (ANALYZE, COSTS OFF) SELECT b.v FROM small s JOIN big b ON b.id = s.ref`) {
		lines = append(lines, r[0])
	}
	plan := strings.Join(lines, "\n")
	scanned := regexp.MustCompile(`Seq Scan on big b \(actual time=\S+ rows=(\d+) `).FindStringSubmatch(plan)
	if !strings.Contains(plan, "Runtime Filter: id") || scanned == nil || len(scanned[1]) > 2 {
		t.Fatalf("plan without a runtime filter reading a few rows of big:\n%s", plan)
	}
}

// TestRuntimeFilterNotForWholeTable: a build that holds a whole table,
// with as many rows as the probe's key column has distinct values, hands
// no keys on (they would filter nothing, and the scan would narrow by
// them instead of by a selective filter), while a filtered build does.
func TestRuntimeFilterNotForWholeTable(t *testing.T) {
	_, connect := startServerWith(t, Config{DataDir: t.TempDir(), Storage: storage.Options{RowGroupRows: 512}})
	conn := connect(t)
	mustExec(t, conn,
		`CREATE TABLE dim (id int, name text)`,
		`INSERT INTO dim SELECT g, 'd' || g FROM generate_series(1, 100) g`,
		`CREATE TABLE fact (id int, dim_id int, v int)`,
		`INSERT INTO fact SELECT g, 1 + g % 100, g FROM generate_series(1, 20000) g`,
		`CHECKPOINT`)
	explain := func(q string) string {
		var lines []string
		for _, r := range rowsText(t, conn, `EXPLAIN (COSTS OFF) `+q) {
			lines = append(lines, r[0])
		}
		return strings.Join(lines, "\n")
	}
	if plan := explain(`SELECT sum(v) FROM fact JOIN dim ON dim.id = fact.dim_id`); strings.Contains(plan, "Runtime Filter") {
		t.Fatalf("a runtime filter from the whole of dim:\n%s", plan)
	}
	if plan := explain(`SELECT sum(v) FROM fact JOIN dim ON dim.id = fact.dim_id WHERE dim.name = 'd7'`); !strings.Contains(plan, "Runtime Filter: dim_id") {
		t.Fatalf("no runtime filter from a filtered dim:\n%s", plan)
	}
	var got int64
	if err := conn.QueryRow(ctx(t), `SELECT sum(v) FROM fact JOIN dim ON dim.id = fact.dim_id`).Scan(&got); err != nil || got != 20000*20001/2 {
		t.Fatalf("sum %d (%v), want %d", got, err, 20000*20001/2)
	}
}
