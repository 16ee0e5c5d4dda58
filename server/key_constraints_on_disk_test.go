package server

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pqdb/pqdb/storage"
)

// TestKeyConstraintsOnDisk runs a random workload of inserts, key and
// non-key updates, deletes, upserts and foreign-key checks against a
// table whose rows are flushed every few commits into tiny segments and
// row groups, compacted and reloaded across a restart, so that key
// lookups mostly find committed keys in the segments rather than in the
// unflushed tail. Every statement's outcome (success or SQLSTATE) and the
// table's contents must match a model of PostgreSQL's unique, primary-key
// and foreign-key rules, including numeric keys equal by value (1.5 =
// 1.50), text keys too long for statistics, and NULLs.
func TestKeyConstraintsOnDisk(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) { runKeyWorkload(t, seed) })
	}
}

// keyRow is the model of a row of kv; b is the numeric's canonical text,
// "" for NULL, as is a's.
type keyRow struct {
	code string
	a, b string
	n    int
}

type keyModel struct {
	rows map[int]keyRow
	refs map[int]int // ref.x → how many rows reference it
}

// taken reports whether a row other than except holds r's code or (a, b).
func (m *keyModel) taken(r keyRow, except ...int) bool {
	for id, o := range m.rows {
		if slices.Contains(except, id) {
			continue
		}
		if o.code == r.code || r.a != "" && r.b != "" && o.a == r.a && o.b == r.b {
			return true
		}
	}
	return false
}

func runKeyWorkload(t *testing.T, seed uint64) {
	dir := t.TempDir()
	cfg := Config{DataDir: dir, Storage: storage.Options{FlushRows: 3, RowGroupRows: 2}}
	srv, connect := startServerWith(t, cfg)
	conn := connect(t)
	mustExec(t, conn,
		`CREATE TABLE kv (id int PRIMARY KEY, code text UNIQUE, a int, b numeric, n int NOT NULL DEFAULT 0, UNIQUE (a, b))`,
		`CREATE TABLE ref (x int REFERENCES kv (id))`)
	rng := rand.New(rand.NewPCG(seed, 7))
	m := &keyModel{rows: map[int]keyRow{}, refs: map[int]int{}}
	long := strings.Repeat("k", 300)
	codeOf := func() string {
		c := fmt.Sprintf("c%02d", rng.IntN(60))
		if rng.IntN(5) == 0 {
			c = long + c
		}
		return c
	}
	numerics := []struct{ lit, canon string }{{"1.5", "1.5"}, {"1.50", "1.5"}, {"2", "2"}, {"2.000", "2"}, {"NULL", ""}}
	newRow := func() (keyRow, string) {
		r := keyRow{code: codeOf()}
		aLit := "NULL"
		if rng.IntN(4) > 0 {
			r.a = strconv.Itoa(rng.IntN(3))
			aLit = r.a
		}
		num := numerics[rng.IntN(len(numerics))]
		r.b = num.canon
		return r, fmt.Sprintf("'%s', %s, %s", r.code, aLit, num.lit)
	}
	randID := func() int { return rng.IntN(40) }
	// run executes sql and checks that it fails with code (or succeeds
	// when code is ""); it reports whether it succeeded.
	run := func(sql, code string) bool {
		t.Helper()
		_, err := conn.Exec(ctx(t), sql)
		if got := sqlstate(err); got != code {
			t.Fatalf("seed %d: %s: got %q (%v), want %q", seed, sql, got, err, code)
		}
		return code == ""
	}
	verify := func(when string) {
		t.Helper()
		var want []string
		for id, r := range m.rows {
			a, b := r.a, r.b
			if a == "" {
				a = "NULL"
			}
			if b == "" {
				b = "NULL"
			}
			want = append(want, fmt.Sprintf("%d|%s|%s|%s|%d", id, r.code, a, b, r.n))
		}
		slices.Sort(want)
		var got []string
		for _, row := range rowsText(t, conn, `SELECT id, code, a, trim_scale(b), n FROM kv`) {
			got = append(got, strings.Join(row, "|"))
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Fatalf("seed %d, %s: table differs from the model\ngot  %v\nwant %v", seed, when, got, want)
		}
	}
	for step := range 700 {
		switch op := rng.IntN(12); op {
		case 0, 1, 2: // insert one row
			id := randID()
			r, lits := newRow()
			code := ""
			if _, ok := m.rows[id]; ok || m.taken(r) {
				code = "23505"
			}
			if run(fmt.Sprintf(`INSERT INTO kv (id, code, a, b) VALUES (%d, %s)`, id, lits), code) {
				m.rows[id] = r
			}
		case 3: // insert two rows in one statement
			id1, id2 := randID(), randID()
			r1, l1 := newRow()
			r2, l2 := newRow()
			code := ""
			_, held1 := m.rows[id1]
			_, held2 := m.rows[id2]
			dup := id1 == id2 || r1.code == r2.code || r1.a != "" && r1.b != "" && r1.a == r2.a && r1.b == r2.b
			if held1 || held2 || dup || m.taken(r1) || m.taken(r2) {
				code = "23505"
			}
			if run(fmt.Sprintf(`INSERT INTO kv (id, code, a, b) VALUES (%d, %s), (%d, %s)`, id1, l1, id2, l2), code) {
				m.rows[id1], m.rows[id2] = r1, r2
			}
		case 4: // change a row's code
			id := randID()
			c := codeOf()
			r, ok := m.rows[id]
			code := ""
			nr := r
			nr.code = c
			if ok && m.taken(nr, id) {
				code = "23505"
			}
			if run(fmt.Sprintf(`UPDATE kv SET code = '%s' WHERE id = %d`, c, id), code) && ok {
				m.rows[id] = nr
			}
		case 5: // a non-key update
			id := randID()
			run(fmt.Sprintf(`UPDATE kv SET n = n + 1 WHERE id = %d`, id), "")
			if r, ok := m.rows[id]; ok {
				r.n++
				m.rows[id] = r
			}
		case 6: // move a row to another primary key
			id, to := randID(), randID()
			r, ok := m.rows[id]
			_, held := m.rows[to]
			code := ""
			switch {
			case ok && to != id && held:
				code = "23505"
			case ok && to != id && m.refs[id] > 0:
				code = "23503"
			}
			if run(fmt.Sprintf(`UPDATE kv SET id = %d WHERE id = %d`, to, id), code) && ok {
				delete(m.rows, id)
				m.rows[to] = r
			}
		case 7: // delete
			id := randID()
			code := ""
			if _, ok := m.rows[id]; ok && m.refs[id] > 0 {
				code = "23503"
			}
			if run(fmt.Sprintf(`DELETE FROM kv WHERE id = %d`, id), code) {
				delete(m.rows, id)
			}
		case 8: // upsert on the primary key
			id := randID()
			r, lits := newRow()
			code := ""
			old, held := m.rows[id]
			if !held && m.taken(r) {
				code = "23505"
			}
			if run(fmt.Sprintf(`INSERT INTO kv (id, code, a, b) VALUES (%d, %s) ON CONFLICT (id) DO UPDATE SET n = kv.n + 100`, id, lits), code) {
				if held {
					old.n += 100
					m.rows[id] = old
				} else {
					m.rows[id] = r
				}
			}
		case 9: // insert unless any key is taken
			id := randID()
			r, lits := newRow()
			_, held := m.rows[id]
			run(fmt.Sprintf(`INSERT INTO kv (id, code, a, b) VALUES (%d, %s) ON CONFLICT DO NOTHING`, id, lits), "")
			if !held && !m.taken(r) {
				m.rows[id] = r
			}
		case 10: // a referencing row
			x := randID()
			code := ""
			if _, ok := m.rows[x]; !ok {
				code = "23503"
			}
			if run(fmt.Sprintf(`INSERT INTO ref VALUES (%d)`, x), code) {
				m.refs[x]++
			}
		case 11: // delete a row and take its key again in one transaction
			id := randID()
			r, ok := m.rows[id]
			if !ok || m.refs[id] > 0 {
				continue
			}
			tx, err := conn.Begin(ctx(t))
			if err != nil {
				t.Fatal(err)
			}
			for _, sql := range []string{
				fmt.Sprintf(`DELETE FROM kv WHERE id = %d`, id),
				fmt.Sprintf(`INSERT INTO kv (id, code, a, b, n) SELECT %d, '%s', %s, %s, 7`, id, r.code, orNull(r.a), orNull(r.b)),
			} {
				if _, err := tx.Exec(ctx(t), sql); err != nil {
					t.Fatalf("seed %d: %s: %v", seed, sql, err)
				}
			}
			if err := tx.Commit(ctx(t)); err != nil {
				t.Fatal(err)
			}
			r.n = 7
			m.rows[id] = r
		}
		switch {
		case step%97 == 96:
			mustExec(t, conn, `VACUUM kv`)
			verify(fmt.Sprintf("after VACUUM at step %d", step))
		case step == 350:
			conn.Close(ctx(t))
			srv.Close()
			srv, connect = startServerWith(t, cfg)
			conn = connect(t)
			verify("after a restart")
		case step%50 == 49:
			mustExec(t, conn, `CHECKPOINT`)
			verify(fmt.Sprintf("at step %d", step))
		}
	}
	verify("at the end")
}

func orNull(s string) string {
	if s == "" {
		return "NULL"
	}
	return s
}
