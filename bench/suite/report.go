package suite

import (
	"fmt"
	"strings"
	"time"

	"github.com/pqdb/pqdb/bench/tpch"
)

// Report is one run of the suite as BENCHMARKS.md records it: when, the
// command, the machine, the engines' versions and the summary table.
type Report struct {
	Date    time.Time
	Command string
	Machine tpch.Machine
	// Engines describes each engine's version, e.g. "DuckDB v1.5.6".
	Engines []string
	Rows    []Row
	// ClientPeakRSS is this command's own peak resident set (0: unknown):
	// the data generation and DuckDB, which run in-process.
	ClientPeakRSS int64
}

// Markdown renders the report, ready to paste into BENCHMARKS.md.
func (r Report) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "## Issue 10 workloads (%s)\n\n", r.Date.UTC().Format("2006-01-02 15:04 UTC"))
	fmt.Fprintf(&b, "Command: `%s`\n\n", r.Command)
	fmt.Fprintf(&b, "Machine: %s\n\n", r.Machine)
	if len(r.Engines) > 0 {
		fmt.Fprintf(&b, "Engines: %s\n\n", strings.Join(r.Engines, "; "))
	}
	b.WriteString(SummaryTable(r.Rows))
	if r.ClientPeakRSS > 0 {
		fmt.Fprintf(&b, "\nPeak RSS of the bench command itself (data generation and DuckDB, in-process): %s.\n", formatRSS(r.ClientPeakRSS, false))
	}
	b.WriteString(`
The pqdb ratio is pqdb's figure over the named engine's: for times (ms) below 1 means pqdb is
faster, for rates (rows/s, tps, queries/s) above 1 does. TPC-H figures are medians of the timed
runs, and every answer was checked against DuckDB's; a geomean is over the answered queries. COPY
rates are the rows over the COPY statement's time (PostgreSQL and pqdb: FROM STDIN over the wire;
DuckDB: COPY FROM the file, text read as tab-separated CSV), each loaded table checked against
DuckDB's answer over the Parquet file. pqdb peak RSS is the started server's VmHWM, reset at the
start of each workload (COPY: of each format; pgbench: of each run).
`)
	return b.String()
}

// ShellQuote writes a command line as a POSIX shell reads it back.
func ShellQuote(args []string) string {
	quoted := make([]string, len(args))
	for i, a := range args {
		if a != "" && strings.IndexFunc(a, func(c rune) bool {
			return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("-_./=,:@+%", c))
		}) < 0 {
			quoted[i] = a
			continue
		}
		quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(quoted, " ")
}
