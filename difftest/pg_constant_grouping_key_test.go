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
