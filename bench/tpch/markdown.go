package tpch

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// FormatTable aligns rows of cells into a Markdown table; the first row is
// the header. The benchmark commands print their results this way so they
// can be pasted into BENCHMARKS.md.
func FormatTable(rows [][]string) string {
	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, c := range row {
			// fmt pads to a width in runes, so the widths are runes too:
			// cells with ×, ≤ or — line up.
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	for n, row := range rows {
		b.WriteString("|")
		for i, c := range row {
			fmt.Fprintf(&b, " %-*s |", widths[i], c)
		}
		b.WriteString("\n")
		if n == 0 {
			b.WriteString("|")
			for _, w := range widths {
				b.WriteString(strings.Repeat("-", w+2) + "|")
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}
