package planner

import "testing"

// TestOrRestrictions checks where the restrictions an OR implies land:
// into the scans of an inner join's sides, never below a left join's
// null-extended side, and not for a side some branch leaves free.
func TestOrRestrictions(t *testing.T) {
	cat := sizedTables{rows: map[string]int64{"a": 10, "b": 10, "c": 10}}
	for _, c := range []struct{ name, sql, want string }{
		{"both sides", "SELECT * FROM a, b WHERE (a.v = 1 AND b.v = 2) OR (a.v = 3 AND b.v = 4)",
			"(a[((v = 1) OR (v = 3))] ⋈[(((v = 1) AND (v = 2)) OR ((v = 3) AND (v = 4)))] b[((v = 2) OR (v = 4))])"},
		{"a branch leaves b free", "SELECT * FROM a JOIN b ON a.k = b.k WHERE (a.v = 1 AND b.v = 2) OR a.j = 5",
			"(a[((v = 1) OR (j = 5))] ⋈[((k = k) AND (((v = 1) AND (v = 2)) OR (j = 5)))] b)"},
		{"conjunct of each branch", "SELECT * FROM a JOIN b ON a.k = b.k WHERE (a.v = 1 AND a.j = 2 AND b.v = 2) OR (a.v = 3 AND b.j > a.j)",
			"(a[(((v = 1) AND (j = 2)) OR (v = 3))] ⋈[((k = k) AND (((v = 1) AND (j = 2) AND (v = 2)) OR ((v = 3) AND (j > j))))] b)"},
		{"three tables", "SELECT * FROM a JOIN b ON a.k = b.k JOIN c ON c.k = b.j WHERE (a.v = 1 AND c.v = 2) OR (a.v = 2 AND c.v = 1)",
			"((a[((v = 1) OR (v = 2))] ⋈[(k = k)] b) ⋈[((k = j) AND (((v = 1) AND (v = 2)) OR ((v = 2) AND (v = 1))))] c[((v = 2) OR (v = 1))])"},
		{"left join", "SELECT * FROM a LEFT JOIN b ON a.k = b.k WHERE (a.v = 1 AND b.v = 2) OR (a.v = 3 AND b.v IS NULL)",
			"filter[(((v = 1) AND (v = 2)) OR ((v = 3) AND (v IS NULL)))]((a left[(k = k)] b))"},
	} {
		if got := planJoins(t, cat, c.sql); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
}
