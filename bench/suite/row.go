package suite

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/pqdb/pqdb/bench/tpch"
)

// Engine names the columns of the summary table.
const (
	EnginePQDB       = "pqdb"
	EngineDuckDB     = "DuckDB"
	EnginePostgreSQL = "PostgreSQL"
	EngineMock       = "mock"
)

// Row is one line of the summary table: one workload's figures on each
// engine, pqdb's ratio to the workload's reference engine, and the issue's
// target for it.
type Row struct {
	Workload string
	// Unit of the figures: "ms" (lower is better) or a rate such as "rows/s",
	// "tps" or "queries/s" (higher is better).
	Unit string
	// Figures maps an engine name to its figure; an engine without one did
	// not run the workload.
	Figures map[string]float64
	// Failed replaces pqdb's figure when pqdb could not run the workload.
	Failed string
	// Ratio is pqdb's figure divided by Against's (0: no ratio).
	Ratio   float64
	Against string
	// Target is the target in words ("" when it sets none) and
	// Verdict whether this run met it.
	Target  string
	Verdict Verdict
	// PeakRSS is the pqdb server's peak resident set over the workload in
	// bytes (0: not measured); PeakRSSLifetime says the peak could not be
	// reset at the workload's start, so it is the server's lifetime peak.
	PeakRSS         int64
	PeakRSSLifetime bool
}

// Verdict says whether a target was met, or why it could not be judged.
type Verdict struct {
	Judged bool
	Met    bool
	// Why explains a miss, a partial success or why there is no judgement.
	Why string
}

func met(why string) Verdict      { return Verdict{Judged: true, Met: true, Why: why} }
func missed(why string) Verdict   { return Verdict{Judged: true, Why: why} }
func unjudged(why string) Verdict { return Verdict{Why: why} }

func (v Verdict) String() string {
	word := "n/a"
	if v.Judged {
		word = "no"
		if v.Met {
			word = "yes"
		}
	}
	if v.Why == "" {
		return word
	}
	return word + " (" + v.Why + ")"
}

// ratio is a/b, or 0 when either is missing.
func ratio(a, b float64) float64 {
	if a <= 0 || b <= 0 {
		return 0
	}
	return a / b
}

// Geomean is the geometric mean of positive ratios (0 for none): the one
// figure that weighs a query made twice as fast the same as another made
// twice as slow.
func Geomean(ratios []float64) float64 {
	if len(ratios) == 0 {
		return 0
	}
	var logs float64
	for _, r := range ratios {
		if r <= 0 {
			return 0
		}
		logs += math.Log(r)
	}
	return math.Exp(logs / float64(len(ratios)))
}

// SummaryTable renders rows as one Markdown table. The columns are the
// engines that have a figure in some row, in a fixed order, so a run
// without PostgreSQL has no empty PostgreSQL column.
func SummaryTable(rows []Row) string {
	var engines []string
	for _, e := range []string{EnginePQDB, EngineDuckDB, EnginePostgreSQL, EngineMock} {
		for _, r := range rows {
			if _, ok := r.Figures[e]; ok || e == EnginePQDB {
				engines = append(engines, e)
				break
			}
		}
	}
	header := []string{"workload", "unit"}
	for _, e := range engines {
		header = append(header, engineTitle(e))
	}
	header = append(header, "pqdb ratio", "target", "met", "pqdb peak RSS")
	table := [][]string{header}
	for _, r := range rows {
		line := []string{r.Workload, r.Unit}
		for _, e := range engines {
			v, ok := r.Figures[e]
			switch {
			case e == EnginePQDB && r.Failed != "":
				line = append(line, "FAILED: "+r.Failed)
			case !ok:
				line = append(line, "—")
			default:
				line = append(line, formatFigure(v, r.Unit))
			}
		}
		line = append(line, formatRatio(r.Ratio, r.Against), orDash(r.Target), r.Verdict.String(), formatRSS(r.PeakRSS, r.PeakRSSLifetime))
		table = append(table, line)
	}
	return tpch.FormatTable(table)
}

func engineTitle(e string) string {
	switch e {
	case EnginePostgreSQL:
		return "PostgreSQL 15"
	case EngineMock:
		return "pgproto3 mock"
	}
	return e
}

// formatFigure writes milliseconds with one decimal and rates as whole
// numbers with thousands separators.
func formatFigure(v float64, unit string) string {
	if unit == "ms" {
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return thousands(int64(math.Round(v)))
}

func formatRatio(r float64, against string) string {
	if r == 0 {
		return "—"
	}
	return fmt.Sprintf("%.2f× %s", r, against)
}

func formatRSS(n int64, lifetime bool) string {
	if n <= 0 {
		return "—"
	}
	s := fmt.Sprintf("%.0f MiB", float64(n)/(1<<20))
	if lifetime {
		s += " (lifetime)"
	}
	return s
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// thousands writes n with commas between groups of three digits.
func thousands(n int64) string {
	if n < 0 {
		return "-" + thousands(-n)
	}
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
