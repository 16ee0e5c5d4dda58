package engine

import (
	"context"
	"strings"
	"testing"
)

// preparedRunner prepares sql with parameter types oids and returns a
// function running it with text arguments (nil is NULL) and its rows.
func preparedRunner(t *testing.T, s *Session, sql string, oids ...uint32) (*statement, func(args ...[]byte) string) {
	t.Helper()
	stmts, err := s.Parse(sql)
	if err != nil {
		t.Fatal(err)
	}
	st := stmts[0].(*statement)
	params, _, err := s.Describe(context.Background(), st, oids)
	if err != nil {
		t.Fatal(err)
	}
	return st, func(args ...[]byte) string {
		t.Helper()
		w := &rowsWriter{}
		if _, err := s.Execute(context.Background(), st, params, args, nil, nil, w); err != nil {
			t.Fatalf("%s %q: %v", sql, args, err)
		}
		if err := s.EndImplicitTransaction(); err != nil {
			t.Fatal(err)
		}
		return strings.Join(w.rows, " ")
	}
}

// A prepared lookup by primary key keeps its operators from run to run,
// rebinding them to each run's parameters and snapshot: every run sees
// the rows committed before it and its own transaction's changes.
func TestKeptKeyLookupRebindsOperators(t *testing.T) {
	s := testSession(t)
	simple(t, s, `CREATE TABLE kl (id int PRIMARY KEY, v text, n bigint);
		INSERT INTO kl SELECT g, 'v' || g, g * 10 FROM generate_series(1, 3000) g`)
	st, run := preparedRunner(t, s, `SELECT v, n FROM kl WHERE id = $1`, 23)
	if got := run([]byte("7")); got != "v7,70" {
		t.Fatalf("first run: %q", got)
	}
	kept := st.plan
	if kept == nil || !kept.rebindable || kept.rebound == nil {
		t.Fatalf("kept plan after one run: %+v", kept)
	}
	rebound := kept.rebound
	for _, c := range []struct{ arg, want string }{{"1", "v1,10"}, {"3000", "v3000,30000"}, {"2999", "v2999,29990"}, {"3001", ""}, {"0", ""}, {"-5", ""}} {
		if got := run([]byte(c.arg)); got != c.want {
			t.Fatalf("id = %s: %q, want %q", c.arg, got, c.want)
		}
	}
	if got := run(nil); got != "" {
		t.Fatalf("id = NULL: %q", got)
	}
	simple(t, s, `UPDATE kl SET v = 'new' WHERE id = 2; DELETE FROM kl WHERE id = 5; INSERT INTO kl VALUES (4000, 'late', 1)`)
	for _, c := range []struct{ arg, want string }{{"2", "new,20"}, {"5", ""}, {"4000", "late,1"}, {"6", "v6,60"}} {
		if got := run([]byte(c.arg)); got != c.want {
			t.Fatalf("after changes, id = %s: %q, want %q", c.arg, got, c.want)
		}
	}
	// In a transaction, its own pending changes, and none after ROLLBACK.
	simple(t, s, `BEGIN; UPDATE kl SET v = 'mine' WHERE id = 3`)
	if got := run([]byte("3")); got != "mine,30" {
		t.Fatalf("own pending update: %q", got)
	}
	simple(t, s, `ROLLBACK`)
	if got := run([]byte("3")); got != "v3,30" {
		t.Fatalf("after ROLLBACK: %q", got)
	}
	if st.plan != kept || kept.rebound != rebound {
		t.Fatal("runs bound or lowered the lookup again")
	}
	simple(t, s, `CHECKPOINT`)
	if got := run([]byte("2")); got != "new,20" {
		t.Fatalf("after CHECKPOINT: %q", got)
	}
}

// Lookups by keys of several types and of two columns, and plans that
// are not lookups by the whole key, answer each run as the same query
// with its arguments written in does.
func TestKeptKeyLookupShapes(t *testing.T) {
	s := testSession(t)
	simple(t, s, `CREATE TABLE kt (k text PRIMARY KEY, v int);
		INSERT INTO kt SELECT 'k' || g, g FROM generate_series(1, 500) g;
		CREATE TABLE k2 (a int, b bigint, v text, PRIMARY KEY (a, b));
		INSERT INTO k2 SELECT g % 7, g, 'r' || g FROM generate_series(1, 700) g;
		CREATE TABLE kn (k numeric(10,2) PRIMARY KEY, d date, v int);
		INSERT INTO kn SELECT g / 4.0, date '2020-01-01' + g, g FROM generate_series(1, 400) g`)
	for _, c := range []struct {
		sql        string
		oids       []uint32
		rebindable bool
		args       [][]string // "" is NULL
	}{
		{`SELECT v FROM kt WHERE k = $1`, []uint32{25}, true, [][]string{{"k9"}, {"k500"}, {"k501"}, {""}, {"k1"}}},
		{`SELECT v FROM k2 WHERE b = $2 AND a = $1 AND v <> 'x'`, []uint32{23, 20}, true, [][]string{{"3", "10"}, {"4", "10"}, {"0", "700"}, {"1", "1"}, {"", "1"}}},
		{`SELECT v, d FROM kn WHERE k = $1`, []uint32{1700}, true, [][]string{{"2.25"}, {"2.30"}, {"100"}, {"0.25"}}},
		{`SELECT v FROM kn WHERE $1 = k AND v > 3`, []uint32{1700}, true, [][]string{{"2.25"}, {"0.5"}}},
		{`SELECT v FROM kt WHERE k > $1 AND k = 'k3'`, []uint32{25}, true, [][]string{{"k2"}, {"k4"}}},
		{`SELECT v FROM k2 WHERE a = $1 ORDER BY v LIMIT 3`, []uint32{23}, false, [][]string{{"2"}, {"6"}}},
		{`SELECT v FROM k2 WHERE a = $1 AND b < 30`, []uint32{23}, false, [][]string{{"2"}, {"6"}}},
		{`SELECT v FROM kt WHERE k = $1 || ''`, []uint32{25}, false, [][]string{{"k7"}}},
		{`SELECT v, $2::int FROM kt WHERE k = $1`, []uint32{25, 23}, false, [][]string{{"k7", "5"}}},
		{`SELECT v FROM kt WHERE k = $1 OR k = 'k2'`, []uint32{25}, false, [][]string{{"k7"}, {"k2"}}},
	} {
		st, run := preparedRunner(t, s, c.sql, c.oids...)
		for _, a := range c.args {
			args := make([][]byte, len(a))
			inlined := c.sql
			for i := len(a) - 1; i >= 0; i-- {
				lit := "NULL"
				if a[i] != "" {
					args[i] = []byte(a[i])
					lit = "'" + a[i] + "'"
				}
				inlined = strings.ReplaceAll(inlined, "$"+string(rune('1'+i)), lit)
			}
			for range 2 {
				if got, want := run(args...), simple(t, s, inlined); got != want {
					t.Fatalf("%s with %q: %q, want %q (%s)", c.sql, a, got, want, inlined)
				}
			}
		}
		if st.plan == nil || st.plan.rebindable != c.rebindable || (st.plan.rebound != nil) != c.rebindable {
			t.Errorf("%s: kept plan rebindable %v (rebound %v), want %v", c.sql, st.plan != nil && st.plan.rebindable, st.plan != nil && st.plan.rebound != nil, c.rebindable)
		}
	}
}

// A prepared UPDATE or DELETE by primary key keeps its source's
// operators too: each run changes the row its own parameters pick, sees
// the rows committed before it and its transaction's own changes, and
// the shapes that are not such lookups are lowered each run, with the
// same answers.
func TestKeptKeyUpdateRebindsOperators(t *testing.T) {
	s := testSession(t)
	simple(t, s, `CREATE TABLE ku (id int PRIMARY KEY, v text, n bigint);
		INSERT INTO ku SELECT g, 'v' || g, g * 10 FROM generate_series(1, 3000) g`)
	row := func(id string) string { return simple(t, s, `SELECT v, n FROM ku WHERE id = `+id) }
	st, add := preparedRunner(t, s, `UPDATE ku SET n = n + $1 WHERE id = $2`, 20, 23)
	add([]byte("5"), []byte("7"))
	kept := st.plan
	if kept == nil || !kept.rebindable || kept.rebound == nil {
		t.Fatalf("kept plan after one run: %+v", kept)
	}
	rebound := kept.rebound
	add([]byte("-3"), []byte("3000"))
	add([]byte("1"), []byte("3001")) // no such row
	add(nil, []byte("9"))            // n + NULL
	add([]byte("1"), nil)            // id = NULL: no row
	for id, want := range map[string]string{"7": "v7,75", "3000": "v3000,29997", "9": "v9,NULL", "8": "v8,80", "3001": ""} {
		if got := row(id); got != want {
			t.Fatalf("after updates, id %s: %q, want %q", id, got, want)
		}
	}
	// In a transaction, the second run sees the first's change; none is
	// left after ROLLBACK.
	simple(t, s, `BEGIN`)
	add([]byte("100"), []byte("4"))
	add([]byte("100"), []byte("4"))
	if got := row("4"); got != "v4,240" {
		t.Fatalf("two updates in a transaction: %q", got)
	}
	simple(t, s, `ROLLBACK`)
	if got := row("4"); got != "v4,40" {
		t.Fatalf("after ROLLBACK: %q", got)
	}
	simple(t, s, `CHECKPOINT`)
	add([]byte("2"), []byte("7"))
	if got := row("7"); got != "v7,77" {
		t.Fatalf("after CHECKPOINT: %q", got)
	}
	if st.plan != kept || kept.rebound != rebound {
		t.Fatal("runs bound or lowered the update again")
	}

	del, remove := preparedRunner(t, s, `DELETE FROM ku WHERE id = $1`, 23)
	remove([]byte("11"))
	remove([]byte("12"))
	remove([]byte("11"))
	if del.plan == nil || !del.plan.rebindable || del.plan.rebound == nil {
		t.Fatalf("kept delete plan: %+v", del.plan)
	}
	if got := simple(t, s, `SELECT count(*) FROM ku WHERE id BETWEEN 10 AND 13`); got != "2" {
		t.Fatalf("after deletes: %q rows of 10..13, want 2", got)
	}

	for _, c := range []struct {
		sql        string
		oids       []uint32
		rebindable bool
		args       []string
	}{
		{`UPDATE ku SET n = n * $1 + 1, v = v || 'x' WHERE id = $2 RETURNING n, v`, []uint32{20, 23}, true, []string{"3", "20"}},
		{`UPDATE ku SET n = $1 WHERE id = $2 RETURNING n`, []uint32{20, 23}, false, []string{"5", "21"}},
		{`UPDATE ku SET n = n - 1 WHERE id > $1 AND id < $1 + 3 RETURNING id, n`, []uint32{23}, false, []string{"30"}},
		{`DELETE FROM ku WHERE id = $1 AND n > $2 RETURNING id`, []uint32{23, 20}, true, []string{"40", "100"}},
	} {
		st, run := preparedRunner(t, s, c.sql, c.oids...)
		args := [][]byte{[]byte(c.args[0])}
		if len(c.args) > 1 {
			args = append(args, []byte(c.args[1]))
		}
		inlined := c.sql
		for i := len(c.args) - 1; i >= 0; i-- {
			inlined = strings.ReplaceAll(inlined, "$"+string(rune('1'+i)), "'"+c.args[i]+"'")
		}
		simple(t, s, `BEGIN`)
		want := simple(t, s, inlined)
		simple(t, s, `ROLLBACK`)
		if got := run(args...); got != want {
			t.Fatalf("%s with %q: %q, want %q", c.sql, c.args, got, want)
		}
		if st.plan == nil || st.plan.rebindable != c.rebindable {
			t.Errorf("%s: kept plan rebindable %v, want %v", c.sql, st.plan != nil && st.plan.rebindable, c.rebindable)
		}
	}
}
