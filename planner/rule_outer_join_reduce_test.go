package planner

import "testing"

// TestOuterJoinReduce checks which filters above a left join make it an
// inner join: those that are not true on a null-extended row.
func TestOuterJoinReduce(t *testing.T) {
	cat := sizedTables{rows: map[string]int64{"a": 10, "b": 10}}
	for _, c := range []struct{ name, where, want string }{
		{"comparison", "b.v > 0", "(a ⋈[(k = k)] b[(v > 0)])"},
		{"arithmetic over both", "b.v + a.v > 0", "(a ⋈[((k = k) AND ((v + v) > 0))] b)"},
		{"AND with one", "(b.v > 0 AND a.j IS NULL)", "(a[(j IS NULL)] ⋈[(k = k)] b[(v > 0)])"},
		{"OR of both", "(b.v > 0 OR b.j < 3)", "(a ⋈[(k = k)] b[((v > 0) OR (j < 3))])"},
		{"OR with the left", "(b.v > 0 OR a.j < 3)", "filter[((v > 0) OR (j < 3))]((a left[(k = k)] b))"},
		{"IS NULL", "b.v IS NULL", "filter[(v IS NULL)]((a left[(k = k)] b))"},
		{"coalesce", "coalesce(b.v, 0) = 0", "filter[(COALESCE(v, 0) = 0)]((a left[(k = k)] b))"},
		{"NOT of an AND", "NOT (b.v IS NOT NULL AND b.v > 1)", "filter[((v IS NULL) OR (v <= 1))]((a left[(k = k)] b))"},
	} {
		sql := "SELECT * FROM a LEFT JOIN b ON a.k = b.k WHERE " + c.where
		if got := planJoins(t, cat, sql); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
}
