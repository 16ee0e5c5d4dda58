package tpch

import (
	"fmt"
	"math/big"
	"strings"
)

// Value is one result cell as the engine wrote it in text.
type Value struct {
	Text string
	Null bool
}

func (v Value) String() string {
	if v.Null {
		return "NULL"
	}
	return v.Text
}

// Column describes one result column. Approximate is set when the engine
// returned a binary floating-point type, whose text cannot be compared exactly.
// Padded is set for char(n), which a PostgreSQL server writes blank-padded to
// n characters; SQL treats those trailing blanks as insignificant, and DuckDB
// (whose strings are all VARCHAR) has none.
type Column struct {
	Name        string
	Type        string
	Approximate bool
	Padded      bool
}

// Result is a whole query answer in text form.
type Result struct {
	Columns []Column
	Rows    [][]Value
}

// approximateTolerance is the relative difference allowed where one side only
// has a DOUBLE: the exact average and its nearest binary double differ by
// about 1e-16, and summing in a different order adds a few ulps at most.
var approximateTolerance = big.NewFloat(1e-12)

// maxReportedDifferences keeps a badly wrong answer from flooding the output.
const maxReportedDifferences = 10

// Compare checks got against the reference answer row by row and returns a
// description of every difference (none when they agree). Cells are equal
// when both are NULL, when both are decimal numbers of equal value, or when
// their text is identical; a column approximate on either side compares
// numerically within approximateTolerance, and a char(n) column on either side
// compares without trailing blanks.
func Compare(reference, got Result) []string {
	var diffs []string
	if len(reference.Columns) != len(got.Columns) {
		return []string{fmt.Sprintf("%d columns, expected %d", len(got.Columns), len(reference.Columns))}
	}
	if len(reference.Rows) != len(got.Rows) {
		diffs = append(diffs, fmt.Sprintf("%d rows, expected %d", len(got.Rows), len(reference.Rows)))
	}
	rows := min(len(reference.Rows), len(got.Rows))
	for r := 0; r < rows; r++ {
		for c := range reference.Columns {
			approx := reference.Columns[c].Approximate || got.Columns[c].Approximate
			want, have := reference.Rows[r][c], got.Rows[r][c]
			if reference.Columns[c].Padded || got.Columns[c].Padded {
				want.Text, have.Text = strings.TrimRight(want.Text, " "), strings.TrimRight(have.Text, " ")
			}
			if cellsEqual(want, have, approx) {
				continue
			}
			if len(diffs) == maxReportedDifferences {
				return append(diffs, "…")
			}
			diffs = append(diffs, fmt.Sprintf("row %d column %s: got %s, expected %s",
				r+1, reference.Columns[c].Name, have, want))
		}
	}
	return diffs
}

// CompareText checks that got is the reference answer character for
// character: the standard for a server that claims PostgreSQL's output
// formats, where "0.0500" and "0.05" differ.
func CompareText(reference, got Result) []string {
	if len(reference.Columns) != len(got.Columns) {
		return []string{fmt.Sprintf("%d columns, expected %d", len(got.Columns), len(reference.Columns))}
	}
	var diffs []string
	if len(reference.Rows) != len(got.Rows) {
		diffs = append(diffs, fmt.Sprintf("%d rows, expected %d", len(got.Rows), len(reference.Rows)))
	}
	for r := 0; r < min(len(reference.Rows), len(got.Rows)); r++ {
		for c := range reference.Columns {
			if want, have := reference.Rows[r][c], got.Rows[r][c]; want != have {
				if len(diffs) == maxReportedDifferences {
					return append(diffs, "…")
				}
				diffs = append(diffs, fmt.Sprintf("row %d column %s: got %s, expected %s",
					r+1, reference.Columns[c].Name, have, want))
			}
		}
	}
	return diffs
}

func cellsEqual(want, have Value, approximate bool) bool {
	if want.Null || have.Null {
		return want.Null == have.Null
	}
	if want.Text == have.Text {
		return true
	}
	if approximate {
		w, okW := new(big.Float).SetPrec(256).SetString(want.Text)
		h, okH := new(big.Float).SetPrec(256).SetString(have.Text)
		if !okW || !okH {
			return false
		}
		diff := new(big.Float).Sub(w, h)
		diff.Abs(diff)
		bound := new(big.Float).Abs(w)
		if bound.Sign() == 0 {
			bound.SetInt64(1)
		}
		bound.Mul(bound, approximateTolerance)
		return diff.Cmp(bound) <= 0
	}
	w, okW := parseDecimal(want.Text)
	h, okH := parseDecimal(have.Text)
	return okW && okH && w.Cmp(h) == 0
}

// parseDecimal reads a plain decimal literal ("-12.3400") exactly.
func parseDecimal(s string) (*big.Rat, bool) {
	if s == "" || strings.ContainsAny(s, "eEinfINFaA/xX") {
		return nil, false
	}
	return new(big.Rat).SetString(s)
}

// Format renders the result as an aligned text table.
func (r Result) Format() string {
	widths := make([]int, len(r.Columns))
	for i, c := range r.Columns {
		widths[i] = len(c.Name)
	}
	for _, row := range r.Rows {
		for i, v := range row {
			widths[i] = max(widths[i], len(v.String()))
		}
	}
	var b strings.Builder
	writeRow := func(cells []string) {
		for i, s := range cells {
			if i > 0 {
				b.WriteString(" | ")
			}
			fmt.Fprintf(&b, "%-*s", widths[i], s)
		}
		b.WriteString("\n")
	}
	names := make([]string, len(r.Columns))
	for i, c := range r.Columns {
		names[i] = c.Name
	}
	writeRow(names)
	for _, row := range r.Rows {
		cells := make([]string, len(row))
		for i, v := range row {
			cells[i] = v.String()
		}
		writeRow(cells)
	}
	return b.String()
}

// formatScaled writes an integer that counts units of 10^-scale as a decimal
// literal with exactly scale fractional digits.
func formatScaled(v *big.Int, scale int) string {
	digits := new(big.Int).Abs(v).String()
	sign := ""
	if v.Sign() < 0 {
		sign = "-"
	}
	if scale == 0 {
		return sign + digits
	}
	if len(digits) <= scale {
		digits = strings.Repeat("0", scale-len(digits)+1) + digits
	}
	return sign + digits[:len(digits)-scale] + "." + digits[len(digits)-scale:]
}
