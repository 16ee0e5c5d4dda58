package planner

import "testing"

// TestTransitiveEqualities checks the equalities and constants the
// classes of a join tree's equalities imply, and the order dynamic
// programming then finds.
func TestTransitiveEqualities(t *testing.T) {
	rows := map[string]int64{"a": 1000, "b": 100, "c": 10, "reg": 5, "nat": 25, "cus": 150000, "ord": 1500000, "lin": 6000000, "sup": 10000}
	plain := sizedTables{rows: rows}
	// Q5's shape: k is each table's key, j its reference to the next one.
	q5 := sizedEstimates{sizedTables{rows: rows, distinct: map[string]int64{
		"reg.k": 5, "nat.k": 25, "nat.j": 5, "cus.k": 150000, "cus.j": 25, "ord.k": 1500000, "ord.j": 150000,
		"lin.k": 1500000, "lin.j": 10000, "sup.k": 10000, "sup.j": 25}}}
	for _, c := range []struct {
		name, sql string
		cat       Catalog
		want      string
	}{
		{name: "chain closes", cat: plain,
			sql:  "SELECT * FROM a, c, b WHERE a.k = b.k AND b.k = c.k",
			want: "((a ⋈[(k = k)] c) ⋈[(k = k)] b)"},
		{name: "constant spreads", cat: plain,
			sql:  "SELECT * FROM a, b WHERE a.k = b.k AND a.k = 5",
			want: "(a[(k = 5)] ⋈[(k = k)] b[(k = 5)])"},
		{name: "constant through the chain", cat: plain,
			sql:  "SELECT * FROM a, b, c WHERE a.k = b.j AND b.j = c.v AND c.v = 7",
			want: "((a[(k = 7)] ⋈[(k = j)] b[(j = 7)]) ⋈[(j = v)] c[(v = 7)])"},
		{name: "other types stay apart", cat: plain,
			sql:  "SELECT * FROM a, b, c WHERE a.k = b.k::int8 AND b.k::int8 = c.k::int8",
			want: "((a ⋈[((k)::bigint = (k)::bigint)] b) ⋈[((k)::bigint = (k)::bigint)] c)"},
		// Customers of the region's nations meet orders before lineitem
		// does: c.j = s.j AND s.j = n.k joins cus to nat.
		{name: "q5", cat: q5,
			sql: `SELECT * FROM cus, ord, lin, sup, nat, reg WHERE cus.k = ord.j AND lin.j = ord.k AND lin.v = sup.k
			AND cus.j = sup.j AND sup.j = nat.k AND nat.j = reg.k AND reg.v = 1 AND ord.v > 3`,
			want: "((lin ⋈[(j = k)] (ord[(v > 3)] ⋈[(k = j)] (cus ⋈[(j = k)] (nat ⋈[(j = k)] reg[(v = 1)])))) ⋈[((v = k) AND (j = j))] sup)"},
	} {
		if got := planJoins(t, c.cat, c.sql); got != c.want {
			t.Errorf("%s: %s\n got  %s\n want %s", c.name, c.sql, got, c.want)
		}
	}
}
