package difftest

import "testing"

// The lines come from PostgreSQL 15's EXPLAIN VERBOSE of grouping-set
// queries.
func TestPlanHasConstantKey(t *testing.T) {
	cases := []struct {
		line string
		want bool
	}{
		{"         Group Key: 38.5", true},
		{"   Group Key: 3", true},
		{"   Group Key: 'abc'::text, t.y", true},
		{"   Hash Key: t.x, (-2)", true},
		{"   Group Key: ()", false},
		{"   Group Key: t.x, (COALESCE(t.y, 0))", false},
		{"   Group Key: (t.s || 'a'::text)", false},
		{"   Output: 38.5", false},
		{"   Sort Key: (COALESCE(t.x, 1.5)), t.y", false},
	}
	for _, c := range cases {
		if got := planHasConstantKey(c.line); got != c.want {
			t.Errorf("planHasConstantKey(%q) = %v, want %v", c.line, got, c.want)
		}
	}
}

// TestPlanHasUniqueOverHashAggregate: PostgreSQL 15's plan of SELECT
// DISTINCT x2.id ... WHERE 1 = x2.id GROUP BY ROLLUP (..., x2.id), and
// plans that sort before their Unique.
func TestPlanHasUniqueOverHashAggregate(t *testing.T) {
	pgBug := []string{
		" Unique  (cost=0.00..247.18 rows=1601 width=8)",
		"   Output: x2.id, (CASE WHEN (x2.b1 = (x2.id = 7)) THEN x1.i1 ELSE x2.id END)",
		"   ->  MixedAggregate  (cost=0.00..247.18 rows=1601 width=8)",
		"         Output: x2.id, (CASE WHEN (x2.b1 = (x2.id = 7)) THEN x1.i1 ELSE x2.id END)",
		"         Hash Key: CASE WHEN (x2.b1 = (x2.id = 7)) THEN x1.i1 ELSE x2.id END, x2.id",
		"         Group Key: ()",
		"         ->  Nested Loop  (cost=0.00..172.26 rows=5720 width=8)",
	}
	sorted := []string{
		" Unique  (cost=1.10..1.12 rows=3 width=4)",
		"   Output: t.x",
		"   ->  Sort  (cost=1.10..1.11 rows=3 width=4)",
		"         Output: t.x",
		"         Sort Key: t.x",
		"         ->  HashAggregate  (cost=1.04..1.07 rows=3 width=4)",
	}
	if !planHasUniqueOverHashAggregate(pgBug) {
		t.Error("the Unique over the MixedAggregate was not seen")
	}
	if planHasUniqueOverHashAggregate(sorted) {
		t.Error("a Unique over a Sort was taken for PostgreSQL's mistake")
	}
}

// TestPlanGroupsByFilteredConstant: the plan of the same query with its
// ORDER BY, whose Sort leaves out the key a filter pins; and a plan that
// groups by a column compared with a column, not a constant.
func TestPlanGroupsByFilteredConstant(t *testing.T) {
	pgBug := []string{
		" Unique  (cost=51.20..51.77 rows=57 width=44)",
		"   ->  Sort  (cost=51.20..51.34 rows=57 width=44)",
		"         Sort Key: (max(x2.d1)) NULLS FIRST, (max('barfoo'::text))",
		"         ->  MixedAggregate  (cost=0.00..49.54 rows=57 width=44)",
		"               Hash Key: CASE WHEN (x2.b1 = (x2.id = 7)) THEN x1.i1 ELSE x2.id END, x2.id",
		"               Group Key: ()",
		"                     ->  Seq Scan on public.t2 x2  (cost=0.00..19.25 rows=4 width=13)",
		"                           Filter: (1 = x2.id)",
	}
	fine := []string{
		"   ->  MixedAggregate  (cost=0.00..49.54 rows=57 width=44)",
		"         Hash Key: x2.id, x2.b1",
		"         Group Key: ()",
		"               ->  Seq Scan on public.t2 x2  (cost=0.00..19.25 rows=4 width=13)",
		"                     Filter: ((x2.id = x2.n1) AND (x2.b1 = x2.b2))",
	}
	if !planGroupsByFilteredConstant(pgBug) {
		t.Error("the key pinned by (1 = x2.id) was not seen")
	}
	if planGroupsByFilteredConstant(fine) {
		t.Error("a key compared with a column was taken for a constant one")
	}
}
