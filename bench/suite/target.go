package suite

import (
	"fmt"
	"strings"
)

// The targets (issue 10, "Targets"): each is a ratio from one run on
// one machine, and each workload's row of the summary table says whether this
// run met its target.

// TPCHQueryCount is the number of TPC-H queries; the whole-benchmark targets
// are judged only on runs of all of them.
const TPCHQueryCount = 22

// Limits the targets name.
const (
	tpchGeomeanFirst  = 1.0 // geomean ≤ 1.0× DuckDB,
	tpchGeomeanSecond = 0.5 // then ≤ 0.5×;
	tpchQueryMax      = 2.0 // no query above 2×.
	tpchSF10PeakRSS   = 4 << 30
	copyMinRate       = 2e6 // rows/s from CSV and from binary,
	copyMinVsPG       = 4.0 // and at least 4× PostgreSQL 15.
	pgbenchMinVsPG    = 1.0
	select1MinVsMock  = 0.8
)

// QueryOutcome is how one TPC-H query went on pqdb.
type QueryOutcome struct {
	Name string
	// Ratio is pqdb's median time over DuckDB's (0 when pqdb did not answer).
	Ratio    float64
	Failed   bool
	Mismatch bool
}

// TPCHQueryTarget judges one query at scale factor sf: it must answer what
// DuckDB answers ("every answer checked against DuckDB's") and, by the SF1
// target, take at most twice DuckDB's time.
func TPCHQueryTarget(sf int64, q QueryOutcome) (string, Verdict) {
	target := "answer equal to DuckDB's"
	if sf == 1 {
		target = fmt.Sprintf("≤ %.0f× DuckDB, answer equal", tpchQueryMax)
	}
	switch {
	case q.Failed:
		return target, missed("failed")
	case q.Mismatch:
		return target, missed("wrong answer")
	case sf == 1 && q.Ratio > tpchQueryMax:
		return target, missed("")
	}
	return target, met("")
}

// TPCHTarget judges a whole TPC-H run at scale factor sf from its queries'
// outcomes and the pqdb server's peak resident set (0: not measured). It
// returns the target in words and the verdict.
func TPCHTarget(sf int64, queries []QueryOutcome, peakRSS int64) (string, Verdict) {
	var target string
	switch sf {
	case 1:
		target = fmt.Sprintf("geomean ≤ %.1f× DuckDB, then ≤ %.1f×; no query above %.0f×; answers equal", tpchGeomeanFirst, tpchGeomeanSecond, tpchQueryMax)
	case 10:
		target = fmt.Sprintf("all %d complete; peak RSS ≤ 4 GiB; geomean ≤ %.1f× DuckDB", TPCHQueryCount, tpchGeomeanFirst)
	default:
		return "", unjudged(fmt.Sprintf("the issue sets targets at SF1 and SF10, not SF%d", sf))
	}
	var misses []string
	var ratios []float64
	var slow []string
	for _, q := range queries {
		switch {
		case q.Failed:
			misses = append(misses, q.Name+" failed")
		case q.Mismatch:
			misses = append(misses, q.Name+" wrong answer")
		default:
			ratios = append(ratios, q.Ratio)
			if q.Ratio > tpchQueryMax {
				slow = append(slow, q.Name)
			}
		}
	}
	g := Geomean(ratios)
	if len(ratios) > 0 && g > tpchGeomeanFirst {
		misses = append(misses, fmt.Sprintf("geomean %.2f×", g))
	}
	if sf == 1 && len(slow) > 0 {
		misses = append(misses, fmt.Sprintf("above %.0f×: %s", tpchQueryMax, strings.Join(slow, ", ")))
	}
	if sf == 10 && peakRSS > tpchSF10PeakRSS {
		misses = append(misses, fmt.Sprintf("peak RSS %s", formatRSS(peakRSS, false)))
	}
	if len(misses) > 0 {
		return target, missed(strings.Join(misses, "; "))
	}
	if len(queries) < TPCHQueryCount {
		return target, unjudged(fmt.Sprintf("%d of %d queries run", len(queries), TPCHQueryCount))
	}
	if sf == 10 {
		if peakRSS == 0 {
			return target, unjudged("peak RSS not measured (use -start-server)")
		}
		return target, met("")
	}
	if g <= tpchGeomeanSecond {
		return target, met("both stages")
	}
	return target, met(fmt.Sprintf("first stage; ≤ %.1f× not yet", tpchGeomeanSecond))
}

// CopyTarget judges a COPY of lineitem in one format (csv, text or binary)
// from pqdb's and PostgreSQL's rows per second (0: not measured). The issue
// sets targets for CSV and binary only.
func CopyTarget(format string, pqdbRate, pgRate float64) (string, Verdict) {
	if format != "csv" && format != "binary" {
		return "", unjudged("the issue sets targets for CSV and binary")
	}
	target := fmt.Sprintf("≥ %.0f M rows/s and ≥ %.0f× PostgreSQL 15", copyMinRate/1e6, copyMinVsPG)
	if pqdbRate <= 0 {
		return target, missed("pqdb did not load")
	}
	var misses []string
	if pqdbRate < copyMinRate {
		misses = append(misses, fmt.Sprintf("below %.0f M rows/s", copyMinRate/1e6))
	}
	r := ratio(pqdbRate, pgRate)
	if r > 0 && r < copyMinVsPG {
		misses = append(misses, fmt.Sprintf("below %.0f× PostgreSQL", copyMinVsPG))
	}
	return judgedAgainstPG(target, misses, r)
}

// PgbenchTarget judges a pgbench run from pqdb's and PostgreSQL's
// transactions per second and pqdb's failed transactions; TPC-B must also
// have none fail.
func PgbenchTarget(tpcb bool, pqdbTPS, pgTPS float64, pqdbFailed int64) (string, Verdict) {
	target := fmt.Sprintf("≥ %.1f× PostgreSQL 15 tps", pgbenchMinVsPG)
	if tpcb {
		target += ", no failed transactions"
	}
	if pqdbTPS <= 0 {
		return target, missed("pqdb did not run")
	}
	var misses []string
	r := ratio(pqdbTPS, pgTPS)
	if r > 0 && r < pgbenchMinVsPG {
		misses = append(misses, fmt.Sprintf("below %.1f×", pgbenchMinVsPG))
	}
	if tpcb && pqdbFailed > 0 {
		misses = append(misses, fmt.Sprintf("%d failed", pqdbFailed))
	}
	return judgedAgainstPG(target, misses, r)
}

// Select1Target judges pqdb's rate of simple-protocol SELECT 1 against the
// bare-protocol mock's on the same machine.
func Select1Target(pqdbRate, mockRate float64) (string, Verdict) {
	target := fmt.Sprintf("≥ %.1f× the mock's rate", select1MinVsMock)
	r := ratio(pqdbRate, mockRate)
	switch {
	case pqdbRate <= 0:
		return target, missed("pqdb did not run")
	case r == 0:
		return target, unjudged("no mock figure")
	case r < select1MinVsMock:
		return target, missed("")
	}
	return target, met("")
}

// judgedAgainstPG is the verdict on a target compared with PostgreSQL:
// missed for the misses found, unjudged without a PostgreSQL figure (r
// zero), met otherwise.
func judgedAgainstPG(target string, misses []string, r float64) (string, Verdict) {
	switch {
	case len(misses) > 0:
		return target, missed(strings.Join(misses, "; "))
	case r == 0:
		return target, unjudged("no PostgreSQL figure")
	}
	return target, met("")
}
