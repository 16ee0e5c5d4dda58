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
