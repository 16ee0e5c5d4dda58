package difftest

import "testing"

func TestCompareResults(t *testing.T) {
	num := []uint32{oidNumeric}
	flt := []uint32{oidFloat8}
	res := func(oids []uint32, vals ...string) Result {
		r := Result{OIDs: oids}
		for _, v := range vals {
			r.Rows = append(r.Rows, []string{v})
		}
		return r
	}
	for _, c := range []struct {
		name    string
		pg, pq  Result
		ordered bool
		same    bool
	}{
		{"multiset", res(num, "1", "2"), res(num, "2", "1"), false, true},
		{"order", res(num, "1", "2"), res(num, "2", "1"), true, false},
		{"count", res(num, "1", "1"), res(num, "1"), false, false},
		{"null", res(num, nullText), res(num, ""), false, false},
		{"float tolerance", res(flt, "0.30000000000000004"), res(flt, "0.3"), false, true},
		{"float format", res(flt, "1e+16"), res(flt, "10000000000000000"), false, false},
		{"float far", res(flt, "1.5"), res(flt, "1.6"), false, false},
		{"numeric exact", res(num, "1.50"), res(num, "1.5"), false, false},
		{"numeric tie order", res(num, "0", "0.000", "1"), res(num, "0.000", "0", "1"), true, true},
		{"numeric tie other text", res(num, "0", "0.000", "1"), res(num, "0", "0", "1"), true, false},
		{"numeric order", res(num, "0", "1.0", "1"), res(num, "1.0", "0", "1"), true, false},
		{"float noise tie order", res(flt, "1", "2.0000000000000004", "2", "3"), res(flt, "1", "2", "2.0000000000000004", "3"), true, true},
		{"float order", res(flt, "1", "2", "2.5", "3"), res(flt, "1", "2.5", "2", "3"), true, false},
	} {
		if got := CompareResults(c.pg, c.pq, c.ordered) == ""; got != c.same {
			t.Errorf("%s: same = %v, want %v", c.name, got, c.same)
		}
	}
	if d := compareResults(res(num, "0.000001200753708780288035"), res(num, "0.0000012007537088"), false, true); d != "" {
		t.Errorf("numericLoose: %s", d)
	}
	if d := compareResults(res(num, "0.0000012"), res(num, "0.0000013"), false, true); d == "" {
		t.Errorf("numericLoose accepts a different value")
	}
	pair := func(rows ...[2]string) Result {
		r := Result{OIDs: []uint32{oidFloat8, oidNumeric}}
		for _, x := range rows {
			r.Rows = append(r.Rows, []string{x[0], x[1]})
		}
		return r
	}
	if d := CompareResults(pair([2]string{"0.1", "7"}, [2]string{"0.30000000000000004", "1"}, [2]string{"0.3", "2"}),
		pair([2]string{"0.1", "7"}, [2]string{"0.3", "2"}, [2]string{"0.30000000000000004", "1"}), true); d != "" {
		t.Errorf("rows tied on a float column, reordered: %s", d)
	}
	if d := CompareResults(pair([2]string{"0.1", "7"}, [2]string{"0.2", "1"}, [2]string{"0.3", "2"}),
		pair([2]string{"0.1", "7"}, [2]string{"0.3", "2"}, [2]string{"0.2", "1"}), true); d == "" {
		t.Errorf("rows out of order on a float column that does not tie were accepted")
	}
	// A near-tie on the first ORDER BY column moves one row past a long
	// run of rows tied exactly on it.
	var pgRows, pqRows [][2]string
	pgRows = append(pgRows, [2]string{"0.09999999999999999", "9"})
	for range 700 {
		pgRows = append(pgRows, [2]string{"0.1", "1"})
		pqRows = append(pqRows, [2]string{"0.1", "1"})
	}
	pqRows = append(pqRows, [2]string{"0.1", "9"})
	if d := CompareResults(pair(pgRows...), pair(pqRows...), true); d != "" {
		t.Errorf("a row moved past a long run of float ties: %s", d)
	}
	pqRows[len(pqRows)-1][1] = "8"
	if d := CompareResults(pair(pgRows...), pair(pqRows...), true); d == "" {
		t.Errorf("a long run of float ties with a different row was accepted")
	}
	if d := CompareResults(numericNormalized(res(num, "1.50", "-0.00")), numericNormalized(res(num, "1.5", "0")), false); d != "" {
		t.Errorf("numericNormalized: %s", d)
	}
}

func TestOperands(t *testing.T) {
	for in, want := range map[string][]string{
		"(a AND (b OR c))":              {"a", "(b OR c)"},
		"(NOT x)":                       {"x"},
		"f(a, g(b, c))":                 {"a", "g(b, c)"},
		"CASE WHEN p THEN a ELSE b END": {"p", "a", "b"},
		"('a AND b' = x)":               {"'a AND b'", "x"},
		"CAST(x AS int8)":               nil,
	} {
		got := operands(in)
		if len(got) != len(want) {
			t.Errorf("operands(%q) = %q, want %q", in, got, want)
			continue
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("operands(%q) = %q, want %q", in, got, want)
			}
		}
	}
}

func TestNumericClose(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"0.0000012007537088", "0.000001200753708780288035", true},
		{"10.1807909604519702", "10.18079096045197740072", true},
		{"-27356.8178674351585015", "-27356.8178674351580519", true},
		{"10.19", "10.18", false},
		{"1.0000000001", "1.0000000002", false},
		{"0", "0.000000000001", true},
	} {
		if got := numericClose(tc.a, tc.b); got != tc.want {
			t.Errorf("numericClose(%s, %s) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestRowsFollowOrder(t *testing.T) {
	res := func(oid uint32, vals ...string) Result {
		r := Result{OIDs: []uint32{oid}}
		for _, v := range vals {
			r.Rows = append(r.Rows, []string{v})
		}
		return r
	}
	asc, desc := []OrderTerm{{Pos: 1}}, []OrderTerm{{Pos: 1, Desc: true}}
	for _, c := range []struct {
		res   Result
		terms []OrderTerm
		want  bool
	}{
		// PostgreSQL 15's rows for a folded grouping-set sort key.
		{res(oidFloat8, nullText, "-6.75", "-6.75", nullText), asc, false},
		{res(oidFloat8, "-6.75", "-6.75", nullText, nullText), asc, true},
		{res(oidFloat8, nullText, "-6.75"), desc, true},
		{res(oidNumeric, "1.5", "1.50", "2"), asc, true},
		{res(oidNumeric, "10", "9"), asc, false},
		{res(oidNumeric, "10", "9"), desc, true},
		{res(oidNumeric, nullText, "1"), []OrderTerm{{Pos: 1, Nulls: "NULLS FIRST"}}, true},
		{res(25, "b", "a"), asc, true}, // text: the collation decides; not checked
	} {
		if got := rowsFollowOrder(c.res, c.terms); got != c.want {
			t.Errorf("rowsFollowOrder(%v, %v) = %v, want %v", c.res.Rows, c.terms, got, c.want)
		}
	}
}
