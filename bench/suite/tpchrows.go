package suite

import (
	"fmt"

	"github.com/pqdb/pqdb/bench/tpch"
)

// TPCHRows turns a TPC-H run into the summary's rows: one per query (each
// engine's median in ms, pqdb's ratio to DuckDB, the per-query target) and
// one for the geomean with the scale factor's target and the pqdb server's
// peak resident set.
func TPCHRows(sf int64, queries []tpch.Query, report *tpch.RunReport, peak Peak) []Row {
	duck := report.Engine(EngineDuckDB)
	pqdb := report.Engine(EnginePQDB)
	pg := report.Engine(EnginePostgreSQL)
	var rows []Row
	var outcomes []QueryOutcome
	for _, q := range queries {
		row := Row{Workload: fmt.Sprintf("TPC-H SF%d %s", sf, q.Name), Unit: "ms", Figures: map[string]float64{}, Against: EngineDuckDB}
		for _, e := range []*tpch.EngineReport{duck, pqdb, pg} {
			if e == nil {
				continue
			}
			if m, ok := e.Medians[q.Name]; ok {
				row.Figures[e.Name] = float64(m.Microseconds()) / 1000
			}
		}
		if pqdb != nil {
			outcome := QueryOutcome{Name: q.Name}
			if err := pqdb.QueryErrs[q.Name]; err != nil {
				outcome.Failed = true
				row.Failed = tpch.ErrorCode(err)
			} else if _, ran := pqdb.Medians[q.Name]; !ran {
				outcome.Failed = true
				row.Failed = "not run"
				if len(pqdb.Errs) > 0 {
					row.Failed = "not run: " + tpch.ErrorCode(pqdb.Errs[0])
				}
			} else {
				outcome.Mismatch = len(pqdb.Diffs[q.Name]) > 0
				outcome.Ratio = ratio(row.Figures[EnginePQDB], row.Figures[EngineDuckDB])
				row.Ratio = outcome.Ratio
			}
			row.Target, row.Verdict = TPCHQueryTarget(sf, outcome)
			outcomes = append(outcomes, outcome)
		}
		rows = append(rows, row)
	}
	if pqdb == nil {
		return rows
	}
	var ratios []float64
	for _, o := range outcomes {
		if !o.Failed && !o.Mismatch {
			ratios = append(ratios, o.Ratio)
		}
	}
	summary := Row{
		Workload: fmt.Sprintf("TPC-H SF%d geomean (%d of %d answered)", sf, len(ratios), len(queries)),
		Unit:     "ratio", Figures: map[string]float64{}, Ratio: Geomean(ratios), Against: EngineDuckDB,
		PeakRSS: peak.Bytes, PeakRSSLifetime: peak.Lifetime,
	}
	summary.Target, summary.Verdict = TPCHTarget(sf, outcomes, peak.Bytes)
	return append(rows, summary)
}
