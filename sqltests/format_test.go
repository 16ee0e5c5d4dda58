package sqltests

import "testing"

func TestFormatValue(t *testing.T) {
	const int4, float8, numeric, text = 23, 701, 1700, 25
	cases := []struct {
		letter byte
		text   string
		null   bool
		oid    uint32
		want   string
	}{
		{'I', "", true, int4, "NULL"},
		{'R', "", true, float8, "NULL"},
		{'T', "", true, text, "NULL"},
		{'I', "42", false, int4, "42"},
		{'I', "-17", false, int4, "-17"},
		{'I', "+5", false, numeric, "5"},
		{'I', "007", false, numeric, "7"},
		{'I', "2.9", false, numeric, "2"},
		{'I', "-2.9", false, numeric, "-2"},
		{'I', "-0.5", false, numeric, "0"},
		{'I', "123456789012345678901234567890.75", false, numeric, "123456789012345678901234567890"},
		{'I', "1.5e3", false, float8, "1500"},
		{'I', "-1.99e0", false, float8, "-1"},
		{'I', "1e30", false, float8, "9223372036854775807"},
		{'I', "Infinity", false, float8, "9223372036854775807"},
		{'I', "NaN", false, float8, "0"},
		{'I', "12abc", false, text, "12"},
		{'I', "abc", false, text, "0"},
		{'I', "t", false, boolOID, "1"},
		{'I', "f", false, boolOID, "0"},
		{'R', "1.5", false, float8, "1.500"},
		{'R', "2.0005", false, float8, "2.001"},
		{'R', "-0.0004", false, float8, "-0.000"},
		{'R', "10", false, int4, "10.000"},
		{'R', "123.4500000000", false, numeric, "123.450"},
		{'R', "1e-3", false, float8, "0.001"},
		{'R', "Infinity", false, float8, "inf"},
		{'R', "-Infinity", false, numeric, "-inf"},
		{'R', "NaN", false, numeric, "nan"},
		{'R', "x", false, text, "0.000"},
		{'R', "t", false, boolOID, "1.000"},
		{'T', "", false, text, "(empty)"},
		{'T', "hello world", false, text, "hello world"},
		{'T', "tab\there", false, text, "tab@here"},
		{'T', "caf\xc3\xa9", false, text, "caf@@"},
		{'T', "1.50", false, numeric, "1.50"},
		{'T', "t", false, boolOID, "t"},
	}
	for _, c := range cases {
		if got := FormatValue(c.letter, []byte(c.text), c.null, c.oid); got != c.want {
			t.Errorf("FormatValue(%c, %q, null=%v) = %q, want %q", c.letter, c.text, c.null, got, c.want)
		}
	}
}

func TestFormatRaw(t *testing.T) {
	if got := FormatRaw(nil, true); got != "NULL" {
		t.Errorf("NULL printed as %q", got)
	}
	if got := FormatRaw([]byte{}, false); got != "(empty)" {
		t.Errorf("empty string printed as %q", got)
	}
	if got := FormatRaw([]byte("1.50"), false); got != "1.50" {
		t.Errorf("1.50 printed as %q", got)
	}
	if got := FormatRaw([]byte("caf\xc3\xa9\t!"), false); got != "caf\xc3\xa9\t!" {
		t.Errorf("raw text altered: %q", got)
	}
}
