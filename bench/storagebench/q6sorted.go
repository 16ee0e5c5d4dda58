package storagebench

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pqdb/pqdb/bench/tpch"
)

// Q6Step is Q6 measured on one engine over one layout of lineitem.
type Q6Step struct {
	Engine, Layout string
	Runs           []time.Duration
	// Scan is what pqdb's EXPLAIN ANALYZE says the scan read and skipped.
	Scan ScanCounts
	// Diffs are the differences from DuckDB's answer over the generated
	// file (none: equal).
	Diffs []string
}

// Q6Result is the whole Q6Sorted measurement.
type Q6Result struct {
	ScaleFactor, MaxOrders, Rows int64
	Answer                       string
	Steps                        []Q6Step
	// Setup names how long each preparation took (loads, VACUUM).
	Setup []string
}

// Q6Sorted measures TPC-H Q6 on lineitem with and without the sort key
// l_shipdate on pqdb, beside DuckDB over the same rows as Parquet files (see
// the package documentation).
func Q6Sorted(ctx context.Context, cfg Config) (*Q6Result, error) {
	cfg = cfg.withDefaults()
	path, rows, err := ensureLineitem(cfg)
	if err != nil {
		return nil, err
	}
	sorted, err := ensureSortedLineitem(ctx, cfg, path, rows)
	if err != nil {
		return nil, err
	}
	queries, err := tpch.SelectQueries("6")
	if err != nil {
		return nil, err
	}
	q6 := queries[0]
	res := &Q6Result{ScaleFactor: cfg.ScaleFactor, MaxOrders: cfg.MaxOrders, Rows: rows}

	var reference tpch.Result
	for i, file := range []struct{ path, layout string }{
		{path, "generated file (dbgen order: by l_orderkey)"},
		{sorted, "copy sorted by l_shipdate"},
	} {
		step, answer, err := duckDBQ6(ctx, cfg, q6, file.path, file.layout)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			reference = answer
			res.Answer = answerText(answer)
		} else {
			step.Diffs = tpch.Compare(reference, answer)
		}
		res.Steps = append(res.Steps, step)
	}

	_, err = onPQDB(ctx, cfg, func(dsn string, _ int) (struct{}, error) {
		return struct{}{}, pqdbQ6(ctx, cfg, dsn, q6, reference, path, rows, res)
	})
	return res, err
}

// duckDBQ6 times Q6 on DuckDB over one Parquet file.
func duckDBQ6(ctx context.Context, cfg Config, q6 tpch.Query, path, layout string) (Q6Step, tpch.Result, error) {
	step := Q6Step{Engine: "DuckDB", Layout: layout}
	duck, err := tpch.OpenDuckDB(ctx, map[string]string{"lineitem": path})
	if err != nil {
		return step, tpch.Result{}, err
	}
	defer duck.Close()
	if v, err := duck.Version(ctx); err == nil {
		step.Engine = "DuckDB " + v
	}
	var answer tpch.Result
	for i := 0; i < cfg.Runs; i++ {
		qctx, cancel := cfg.statement(ctx)
		res, elapsed, err := duck.Run(qctx, q6)
		cancel()
		if err != nil {
			return step, answer, err
		}
		if i == 0 {
			answer = res
		}
		step.Runs = append(step.Runs, elapsed)
	}
	cfg.logf("%s Q6 over %s: %s", step.Engine, layout, describeRuns(step.Runs))
	return step, answer, nil
}

// pqdbQ6 loads lineitem into pqdb without and with the sort key and measures
// Q6 after each step.
func pqdbQ6(ctx context.Context, cfg Config, dsn string, q6 tpch.Query, reference tpch.Result, path string, rows int64, res *Q6Result) error {
	srv, err := tpch.ConnectServer(ctx, "pqdb", dsn)
	if err != nil {
		return err
	}
	defer srv.Close(context.WithoutCancel(ctx))
	measure := func(layout string) error {
		step, err := serverQ6(ctx, cfg, srv, q6, reference, layout)
		res.Steps = append(res.Steps, step)
		return err
	}
	load := func(options string) error {
		load, checkpoint, err := loadLineitem(ctx, cfg, srv, path, rows, options)
		res.Setup = append(res.Setup, fmt.Sprintf("pqdb lineitem %s: COPY %s (%s rows/s), CHECKPOINT %s",
			orDefault(options, "without sort key"), seconds(load), perSecond(rows, load), seconds(checkpoint)))
		return err
	}
	vacuum := func(stmt string) error {
		start := time.Now()
		err := runStatement(ctx, cfg, srv, stmt)
		res.Setup = append(res.Setup, fmt.Sprintf("pqdb %s: %s", stmt, seconds(time.Since(start))))
		return err
	}
	if cfg.Baseline {
		if err := load(""); err != nil {
			return err
		}
		if err := measure("no sort key (dbgen order), after CHECKPOINT"); err != nil {
			return err
		}
	}
	if err := load("WITH (sort_key = 'l_shipdate')"); err != nil {
		return err
	}
	if err := measure("sort_key l_shipdate, after CHECKPOINT"); err != nil {
		return err
	}
	if err := vacuum("VACUUM lineitem"); err != nil {
		return err
	}
	if err := measure("sort_key l_shipdate, after VACUUM"); err != nil {
		return err
	}
	if err := vacuum("VACUUM FULL lineitem"); err != nil {
		return err
	}
	return measure("sort_key l_shipdate, after VACUUM FULL")
}

// serverQ6 times Q6 on a server, checks each answer against DuckDB's and
// reads the scan counts of one EXPLAIN ANALYZE.
func serverQ6(ctx context.Context, cfg Config, srv *tpch.Server, q6 tpch.Query, reference tpch.Result, layout string) (Q6Step, error) {
	step := Q6Step{Engine: srv.Name, Layout: layout}
	for i := 0; i < cfg.Runs; i++ {
		qctx, cancel := cfg.statement(ctx)
		answer, elapsed, err := srv.Run(qctx, q6)
		cancel()
		if err != nil {
			return step, err
		}
		step.Runs = append(step.Runs, elapsed)
		if diffs := tpch.Compare(reference, answer); len(diffs) > 0 && len(step.Diffs) == 0 {
			step.Diffs = append([]string{fmt.Sprintf("run %d:", i+1)}, diffs...)
		}
	}
	qctx, cancel := cfg.statement(ctx)
	plan, _, err := srv.Run(qctx, tpch.Query{Name: "EXPLAIN ANALYZE Q6", SQL: "EXPLAIN ANALYZE " + q6.SQL})
	cancel()
	if err != nil {
		return step, err
	}
	lines := make([]string, len(plan.Rows))
	for i, r := range plan.Rows {
		lines[i] = r[0].Text
	}
	cfg.logf("%s Q6, %s: %s; EXPLAIN ANALYZE:\n%s", srv.Name, layout, describeRuns(step.Runs), strings.Join(lines, "\n"))
	step.Scan, err = parseScanCounts(lines)
	return step, err
}

// Mismatches lists the steps whose answer differs from DuckDB's.
func (r *Q6Result) Mismatches() []string {
	var out []string
	for _, s := range r.Steps {
		if len(s.Diffs) > 0 {
			out = append(out, fmt.Sprintf("MISMATCH %s, %s: %s", s.Engine, s.Layout, strings.Join(s.Diffs, "; ")))
		}
	}
	return out
}

// Table is the Markdown table of the steps.
func (r *Q6Result) Table() string {
	rows := [][]string{{"engine", "lineitem layout", "Q6 median", "runs (min..max)", "segments read", "row groups read", "pages read (in the row groups read)", "bytes read", "answer"}}
	for _, s := range r.Steps {
		segments, groups, pages, bytes := "-", "-", "-", "-"
		if s.Scan.Has {
			segments = readOfTotal(s.Scan.SegmentsRead, s.Scan.SegmentsSkipped)
			groups = readOfTotal(s.Scan.RowGroupsRead, s.Scan.RowGroupsSkipped)
			pages = readOfTotal(s.Scan.PagesRead, s.Scan.PagesSkipped)
			bytes = thousands(s.Scan.BytesRead)
		}
		answer := "equal"
		if len(s.Diffs) > 0 {
			answer = "MISMATCH"
		}
		rows = append(rows, []string{s.Engine, s.Layout, seconds(tpch.Median(s.Runs)),
			fmt.Sprintf("%d (%s..%s)", len(s.Runs), seconds(slices.Min(s.Runs)), seconds(slices.Max(s.Runs))),
			segments, groups, pages, bytes, answer})
	}
	scale := fmt.Sprintf("SF%d", r.ScaleFactor)
	if r.MaxOrders > 0 {
		scale += fmt.Sprintf(" cut after %d orders", r.MaxOrders)
	}
	return fmt.Sprintf("TPC-H Q6 over lineitem %s (%s rows), median of runs; answer %s (DuckDB over the generated file is the reference). %s.\n\n",
		scale, thousands(r.Rows), r.Answer, strings.Join(r.Setup, "; ")) + tpch.FormatTable(rows)
}

// answerText writes a one-row answer's values.
func answerText(r tpch.Result) string {
	var parts []string
	for _, row := range r.Rows {
		for _, v := range row {
			parts = append(parts, v.Text)
		}
	}
	return strings.Join(parts, ", ")
}

// describeRuns gives the median with the spread.
func describeRuns(runs []time.Duration) string {
	return fmt.Sprintf("median %s over %d runs (min %s, max %s)",
		seconds(tpch.Median(runs)), len(runs), seconds(slices.Min(runs)), seconds(slices.Max(runs)))
}
