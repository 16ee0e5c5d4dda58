package sqltests

import (
	"fmt"
	"strings"
)

// Result is the outcome of one script file.
type Result struct {
	File    string
	Passed  int
	Failed  int
	Skipped int
	// Failures holds the first Options.MaxFailures failed records, in file
	// order; Failed counts all of them.
	Failures []Failure
}

// Failure describes one record that did not behave as its script expects.
type Failure struct {
	File string
	// Line is the line of the record's directive.
	Line int
	SQL  string
	// Expected and Got are printed forms: "ok", "error", the expected
	// result lines, or the values and error the server produced.
	Expected string
	Got      string
}

func (f Failure) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d:", f.File, f.Line)
	if f.SQL != "" {
		b.WriteString("\n    ")
		b.WriteString(strings.ReplaceAll(f.SQL, "\n", "\n    "))
	}
	b.WriteString("\n  expected: ")
	b.WriteString(indentTail(f.Expected))
	b.WriteString("\n  got:      ")
	b.WriteString(indentTail(f.Got))
	return b.String()
}

func indentTail(s string) string {
	return strings.ReplaceAll(s, "\n", "\n            ")
}

// Summary is the "N passed, N failed, N skipped" line of a result.
func (r Result) Summary() string {
	return fmt.Sprintf("%d passed, %d failed, %d skipped", r.Passed, r.Failed, r.Skipped)
}

// printLimit bounds how many result lines a failure keeps, so a wrong
// answer of thousands of rows does not flood a report.
const printLimit = 30

func clip(lines []string) string {
	if len(lines) <= printLimit {
		return strings.Join(lines, "\n")
	}
	return strings.Join(lines[:printLimit], "\n") + fmt.Sprintf("\n... (%d lines in all)", len(lines))
}
