package catalog

import "testing"

// The id types read their text as PostgreSQL 15's input functions do and
// print it back; xid8 and pg_lsn sort as unsigned numbers, tid by block
// then offset.
func TestIDTypesText(t *testing.T) {
	cases := []struct {
		t        Type
		in, want string
	}{
		{TypeXid, "0x1F", "31"},
		{TypeXid, "-1", "4294967295"},
		{TypeXid, "12abc", "12"},
		{TypeCid, "", "0"},
		{TypeXid8, "18446744073709551615", "18446744073709551615"},
		{TypeXid8, "99999999999999999999", "18446744073709551615"},
		{TypeTid, "(7, 65535)", "(7,65535)"},
		{TypeTid, "(-2,0)", "(4294967294,0)"},
		{TypePgLsn, "a/b", "A/B"},
		{TypePgLsn, "FFFFFFFF/0", "FFFFFFFF/0"},
	}
	for _, c := range cases {
		d, err := ParseText(c.t, c.in)
		if err != nil {
			t.Errorf("%s %q: %v", c.t, c.in, err)
			continue
		}
		if got := string(AppendDatumText(nil, c.t, d)); got != c.want {
			t.Errorf("%s %q prints %q, want %q", c.t, c.in, got, c.want)
		}
		b, err := ParseBinary(c.t, AppendDatumBinary(nil, c.t, d))
		if err != nil || b != d {
			t.Errorf("%s %q: binary round trip gives %v, %v", c.t, c.in, b, err)
		}
	}
	less := func(typ Type, a, b string) bool {
		x, _ := ParseText(typ, a)
		y, _ := ParseText(typ, b)
		return x.(int64) < y.(int64)
	}
	if !less(TypeXid8, "9223372036854775807", "9223372036854775808") || !less(TypePgLsn, "7FFFFFFF/0", "80000000/0") || !less(TypeTid, "(1,65535)", "(2,0)") {
		t.Error("xid8, pg_lsn or tid values do not order as int64")
	}
	for _, bad := range []struct {
		t  Type
		in string
	}{{TypeTid, "(1,-1)"}, {TypeTid, "(1,2"}, {TypePgLsn, "123456789/0"}, {TypePgLsn, "/1"}, {TypePgNodeTree, "x"}} {
		if _, err := ParseText(bad.t, bad.in); err == nil {
			t.Errorf("%s %q reads without error", bad.t, bad.in)
		}
	}
}
