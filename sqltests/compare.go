package sqltests

import (
	"fmt"
	"math/big"
	"strings"
)

// checkQuery compares a query's output with the record's expectation.
//
// Sorting comes first (rowsort and valuesort order the printed strings),
// then the comparison: an expected "N values hashing to H" line is matched
// against the count and MD5 of the printed values; expected values written
// out are matched one by one. Well-formed files write a result as a hash
// exactly when it has more values than the hash threshold, so this is the
// comparison sqllogictest makes; it also accepts a file that wrote a long
// result out in full. A labelled query must in addition produce the same
// values as every earlier query with that label.
func (r *fileRun) checkQuery(rec *Record, out outcome) {
	if out.columns == 0 && out.rows == 0 && len(rec.Expected) == 0 {
		r.pass() // a query record whose SQL returns no result set
		return
	}
	if out.columns != len(rec.Types) {
		r.fail(rec, fmt.Sprintf("%d columns (query %s)", len(rec.Types), rec.Types), fmt.Sprintf("%d columns", out.columns))
		return
	}
	mode := rec.Sort
	if mode == SortDefault {
		mode = r.sortMode
	}
	values := out.values
	switch mode {
	case RowSort:
		SortRows(values, out.columns)
	case ValueSort:
		SortValues(values)
	}

	if rec.Label != "" {
		h := HashLine(values)
		if prev, ok := r.labels[rec.Label]; ok && prev != h {
			r.fail(rec, fmt.Sprintf("the result of label %s: %s", rec.Label, prev), h)
			return
		}
		r.labels[rec.Label] = h
	}

	if len(rec.Expected) == 1 {
		if n, digest, ok := parseHashLine(rec.Expected[0]); ok {
			if n == len(values) && digest == HashValues(values) {
				r.pass()
				return
			}
			r.fail(rec, rec.Expected[0], r.gotSummary(values, out.columns, true))
			return
		}
	}

	var matched bool
	if r.script.Dialect == DialectRS {
		width := out.columns
		if mode == ValueSort {
			width = 1
		}
		matched = matchRows(rec.Expected, values, width)
	} else {
		matched = matchValues(rec.Expected, values) ||
			(out.columns > 1 && len(rec.Expected) == out.rows && matchRows(rec.Expected, values, out.columns))
	}
	if matched {
		r.pass()
		return
	}
	r.fail(rec, clip(rec.Expected), r.gotSummary(values, out.columns, false))
}

// gotSummary prints a result the way the record's file would have written
// it: as a hash line above the threshold (or when compared to one), else
// one value (SQLite dialect) or one row (sqllogictest-rs) per line.
func (r *fileRun) gotSummary(values []string, width int, asHash bool) string {
	if asHash || (r.threshold > 0 && len(values) > r.threshold) {
		return HashLine(values)
	}
	if len(values) == 0 {
		return "no rows"
	}
	if r.script.Dialect == DialectSQLite || width <= 1 {
		return clip(values)
	}
	lines := make([]string, 0, len(values)/width)
	for i := 0; i+width <= len(values); i += width {
		lines = append(lines, strings.Join(values[i:i+width], " "))
	}
	return clip(lines)
}

// matchValues compares one value per expected line, exactly.
func matchValues(expected, values []string) bool {
	if len(expected) != len(values) {
		return false
	}
	for i := range values {
		if expected[i] != values[i] {
			return false
		}
	}
	return true
}

// matchRows compares one row per expected line, both with whitespace runs
// collapsed, as sqllogictest-rs does. Where the texts differ, a row still
// matches when its words agree one by one, words that both read as decimal
// numbers agreeing when equal in value: engines of that dialect print
// numerics through their own decimal types (42 for PostgreSQL's 42.0), and
// their files were written that way.
func matchRows(expected, values []string, width int) bool {
	if width <= 0 || len(values)%width != 0 || len(expected) != len(values)/width {
		return false
	}
	for i := range expected {
		row := normalizeSpace(strings.Join(values[i*width:(i+1)*width], " "))
		want := normalizeSpace(expected[i])
		if row != want && !sameNumbers(row, want) {
			return false
		}
	}
	return true
}

// sameNumbers reports whether two space-separated rows have equal words,
// where two words that are both decimal numbers are equal by value.
func sameNumbers(a, b string) bool {
	aw, bw := strings.Split(a, " "), strings.Split(b, " ")
	if len(aw) != len(bw) {
		return false
	}
	for i := range aw {
		if aw[i] == bw[i] {
			continue
		}
		x, okx := new(big.Rat).SetString(aw[i])
		y, oky := new(big.Rat).SetString(bw[i])
		if !okx || !oky || x.Cmp(y) != 0 {
			return false
		}
	}
	return true
}
