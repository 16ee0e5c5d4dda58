package tpch

import (
	"math/big"
	"strings"
	"testing"
	"time"
)

func oneCell(text string, approx bool) Result {
	return Result{Columns: []Column{{Name: "v", Approximate: approx}}, Rows: [][]Value{{{Text: text}}}}
}

func TestCompareDecimalsExactly(t *testing.T) {
	for _, tc := range []struct {
		want, got string
		equal     bool
	}{
		{"1.50", "1.5", true},
		{"56586554400.73", "56586554400.73", true},
		{"-0.10", "-.1", true},
		{"0", "0.0000", true},
		{"53758257134.8700", "53758257134.8701", false},
		{"25.5220058532573370", "25.522005853257337", true},
		{"25.52200585325733", "25.522005853257337", false},
		{"A", "A", true},
		{"A", "B", false},
		{"1e2", "100", false},
	} {
		diffs := Compare(oneCell(tc.want, false), oneCell(tc.got, false))
		if (len(diffs) == 0) != tc.equal {
			t.Errorf("Compare(%s, %s): diffs %v, want equal=%v", tc.want, tc.got, diffs, tc.equal)
		}
	}
}

func TestCompareApproximateColumnsWithinTolerance(t *testing.T) {
	for _, tc := range []struct {
		exact, double string
		equal         bool
	}{
		{"25.5220058532573370", "25.522005853257337", true},
		{"38273.129734621672", "38273.12973462167", true},
		{"0.04998529583839761162", "0.04998529583839761", true},
		{"25.5220058532573370", "25.5220058532", false},
		{"0", "0", true},
		{"1", "not a number", false},
	} {
		got := oneCell(tc.double, true)
		if diffs := Compare(oneCell(tc.exact, false), got); (len(diffs) == 0) != tc.equal {
			t.Errorf("Compare(%s, %s): diffs %v, want equal=%v", tc.exact, tc.double, diffs, tc.equal)
		}
	}
}

func TestCompareShapeAndNulls(t *testing.T) {
	null := Result{Columns: []Column{{Name: "v"}}, Rows: [][]Value{{{Null: true}}}}
	if d := Compare(null, null); len(d) != 0 {
		t.Errorf("NULL vs NULL: %v", d)
	}
	if d := Compare(null, oneCell("0", false)); len(d) != 1 {
		t.Errorf("NULL vs 0: %v", d)
	}
	empty := Result{Columns: []Column{{Name: "v"}}}
	if d := Compare(oneCell("1", false), empty); len(d) != 1 || !strings.Contains(d[0], "0 rows, expected 1") {
		t.Errorf("row count: %v", d)
	}
	two := Result{Columns: []Column{{Name: "a"}, {Name: "b"}}}
	if d := Compare(empty, two); len(d) != 1 || !strings.Contains(d[0], "2 columns") {
		t.Errorf("column count: %v", d)
	}
	many := Result{Columns: []Column{{Name: "v"}}}
	for i := 0; i < 50; i++ {
		many.Rows = append(many.Rows, []Value{{Text: "1"}})
	}
	other := Result{Columns: many.Columns}
	for i := 0; i < 50; i++ {
		other.Rows = append(other.Rows, []Value{{Text: "2"}})
	}
	if d := Compare(many, other); len(d) != maxReportedDifferences+1 {
		t.Errorf("%d differences reported, want %d and an ellipsis", len(d), maxReportedDifferences)
	}
}

func TestFormatScaled(t *testing.T) {
	for _, tc := range []struct {
		v     int64
		scale int
		want  string
	}{
		{2116823, 2, "21168.23"}, {5, 2, "0.05"}, {-5, 4, "-0.0005"}, {0, 2, "0.00"}, {42, 0, "42"}, {-1234, 2, "-12.34"},
	} {
		if got := formatScaled(big.NewInt(tc.v), tc.scale); got != tc.want {
			t.Errorf("formatScaled(%d, %d) = %s, want %s", tc.v, tc.scale, got, tc.want)
		}
	}
}

func TestMedian(t *testing.T) {
	s := time.Second
	for _, tc := range []struct {
		in   []time.Duration
		want time.Duration
	}{
		{nil, 0}, {[]time.Duration{3 * s}, 3 * s}, {[]time.Duration{9 * s, 1 * s, 2 * s}, 2 * s}, {[]time.Duration{4 * s, 1 * s, 3 * s, 2 * s}, 2500 * time.Millisecond},
	} {
		if got := Median(tc.in); got != tc.want {
			t.Errorf("Median(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestCompareTextIsCharacterExact(t *testing.T) {
	if d := CompareText(oneCell("0.0500", false), oneCell("0.0500", false)); len(d) != 0 {
		t.Errorf("identical text: %v", d)
	}
	if d := CompareText(oneCell("0.0500", false), oneCell("0.05", false)); len(d) != 1 {
		t.Errorf("0.0500 vs 0.05: %v", d)
	}
	null := Result{Columns: []Column{{Name: "v"}}, Rows: [][]Value{{{Null: true}}}}
	if d := CompareText(null, oneCell("", false)); len(d) != 1 {
		t.Errorf("NULL vs empty string: %v", d)
	}
}

func TestComparePaddedCharColumnsIgnoreTrailingBlanks(t *testing.T) {
	padded := Result{Columns: []Column{{Name: "v", Padded: true}}, Rows: [][]Value{{{Text: "MAIL      "}}}}
	if d := Compare(oneCell("MAIL", false), padded); len(d) != 0 {
		t.Errorf("char(10) 'MAIL' vs VARCHAR 'MAIL': %v", d)
	}
	if d := Compare(oneCell("MAIL ", false), oneCell("MAIL", false)); len(d) != 1 {
		t.Errorf("a trailing blank in text columns must count: %v", d)
	}
	if d := CompareText(oneCell("MAIL", false), padded); len(d) != 1 {
		t.Errorf("CompareText must see the padding: %v", d)
	}
}
