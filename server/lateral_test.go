package server

import (
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// TestLateralReferenceErrors: references a FROM item may not make, and
// names hidden by a join alias, get PostgreSQL's errors with their hints
// and details (sqllogictest scripts check only the messages). The
// expected errors were printed by PostgreSQL 15 for the same statements.
func TestLateralReferenceErrors(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn,
		"CREATE TABLE lt (k int, x int, arr int[])",
		"CREATE TABLE lu (k int, v text, w int)")
	const cannot = "but it cannot be referenced from this part of the query."
	const joinType = "The combining JOIN type must be INNER or LEFT for a LATERAL reference."
	for _, c := range []struct{ q, code, msg, hint, detail string }{
		{`select * from lt, (select v from lu where lu.k = lt.k) s`, "42P01", `invalid reference to FROM-clause entry for table "lt"`, `There is an entry for table "lt", ` + cannot, ``},
		{`select * from lt, (select v from lu where lu.w = x) s`, "42703", `column "x" does not exist`, `There is a column named "x" in table "lt", ` + cannot, ``},
		{`select * from lt, lu join lu lu2 on lu2.k = lt.k`, "42P01", `invalid reference to FROM-clause entry for table "lt"`, `There is an entry for table "lt", ` + cannot, ``},
		{`select * from lt right join lateral (select v from lu where lu.k = lt.k) s on true`, "42P10", `invalid reference to FROM-clause entry for table "lt"`, ``, joinType},
		{`select * from lt full join unnest(lt.arr) u on true`, "42P10", `invalid reference to FROM-clause entry for table "lt"`, ``, joinType},
		{`select * from lt as a, lateral (select lt.x) s`, "42P01", `invalid reference to FROM-clause entry for table "lt"`, `Perhaps you meant to reference the table alias "a".`, ``},
		{`select lt.* from lt as a`, "42P01", `invalid reference to FROM-clause entry for table "lt"`, `Perhaps you meant to reference the table alias "a".`, ``},
		{`select * from lt, (select kk from lu) s`, "42703", `column "kk" does not exist`, `Perhaps you meant to reference the column "lu.k" or the column "lt.k".`, ``},
		{`select * from lt, lu join lateral (select k) s on true`, "42702", `column reference "k" is ambiguous`, ``, ``},
		{`select lt.x from (lt join lu using (k)) as j`, "42P01", `invalid reference to FROM-clause entry for table "lt"`, `There is an entry for table "lt", ` + cannot, ``},
		{`select xx from (lt join lu using (k)) as j`, "42703", `column "xx" does not exist`, `Perhaps you meant to reference the column "lt.x".`, ``},
		{`select j.x from lt join lu using (k) as j`, "42703", `column j.x does not exist`, `Perhaps you meant to reference the column "lt.x".`, ``},
	} {
		_, err := conn.Exec(ctx(t), c.q)
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != c.code || pe.Message != c.msg || pe.Hint != c.hint || pe.Detail != c.detail {
			t.Errorf("%s:\n got %v (hint %q, detail %q)\nwant %s %q (hint %q, detail %q)", c.q, err, hintOf(pe), detailOf(pe), c.code, c.msg, c.hint, c.detail)
		}
	}
}

func detailOf(pe *pgconn.PgError) string {
	if pe == nil {
		return ""
	}
	return pe.Detail
}

// TestLateralExplain: EXPLAIN names what runs. A lateral subquery with an
// aggregate or a LIMIT is a Nested Loop re-running its inner side,
// memoized per distinct outer value (two left rows share k = 1, so the
// inner side runs twice for three rows); one that only filters on the
// left row is rewritten into a hash join; a function is a Function Scan
// under the Nested Loop.
func TestLateralExplain(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn,
		"CREATE TABLE lt (id int, k int, arr int[])",
		"INSERT INTO lt VALUES (1, 1, '{1,2}'), (2, 2, '{}'), (3, 1, NULL)",
		"CREATE TABLE lu (k int, v text, w int)",
		"INSERT INTO lu VALUES (1, 'a', 5), (1, 'b', 6), (2, 'c', 7)")
	plan := func(q string) string {
		var lines []string
		for _, r := range rowsText(t, conn, q) {
			lines = append(lines, strings.TrimSpace(r[0]))
		}
		return strings.Join(lines, "\n")
	}
	for _, c := range []struct {
		q    string
		want []string
		not  []string
	}{
		{`explain (analyze, costs off, timing off, summary off) select lt.id, s.c from lt, lateral (select count(*) as c from lu where lu.k = lt.k) s`,
			[]string{"Nested Loop (actual rows=3 loops=1)", "Aggregate (actual rows=1 loops=2)", "Filter: (k = outer#0)"}, []string{"Hash"}},
		{`explain (costs off) select lt.id, s.v from lt left join lateral (select v from lu where lu.k = lt.k order by w desc limit 1) s on true`,
			[]string{"Nested Loop Left Join", "Limit"}, []string{"Hash"}},
		{`explain (costs off) select lt.id, s.v from lt left join lateral (select v from lu where lu.k = lt.k) s on true`,
			[]string{"Hash Left Join", "Hash Cond: (k = k)"}, []string{"Nested Loop"}},
		{`explain (costs off) select lt.id, s.v from lt, lateral (select v from lu where lu.k = lt.k and lu.w > 5) s`,
			[]string{"Hash Join"}, []string{"Nested Loop"}},
		{`explain (costs off) select lt.id, u from lt left join lateral unnest(lt.arr) u on true`,
			[]string{"Nested Loop Left Join", "Function Scan on unnest(outer#0)"}, nil},
		{`explain (costs off) select lt.id, s.r from lt, lateral (select random() + lt.k as r) s`,
			[]string{"Nested Loop"}, []string{"Hash"}},
	} {
		p := plan(c.q)
		for _, w := range c.want {
			if !strings.Contains(p, w) {
				t.Errorf("%s: plan lacks %q:\n%s", c.q, w, p)
			}
		}
		for _, w := range c.not {
			if strings.Contains(p, w) {
				t.Errorf("%s: plan has %q:\n%s", c.q, w, p)
			}
		}
	}
}
