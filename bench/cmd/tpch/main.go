// Command tpch measures pqdb against DuckDB on TPC-H Q1 and Q6 over the same
// Parquet copy of lineitem, and checks that pqdb's answers equal DuckDB's.
//
//	go run ./cmd/tpch -sf 1 -runs 5 -start-server ../pqdb-server
//	go run ./cmd/tpch -dsn postgres://pqdb@127.0.0.1:5432/pqdb
//	go run ./cmd/tpch -dsn '' -pg-dsn postgres://postgres@127.0.0.1:54315/postgres
//
// The Parquet file is generated once per scale factor into -data-dir and reused
// by later runs. Each server gets lineitem created, loaded with binary COPY in
// batches read back from that file, and checkpointed; then every query runs
// -runs times and the median is reported. The exit status is 1 when any answer
// differs from DuckDB's (printed as MISMATCH) or any engine failed.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/pqdb/pqdb/bench/tpch"
)

type options struct {
	scaleFactor  int64
	runs         int
	dataDir      string
	regenerate   bool
	pqdbDSN      string
	startServer  string
	readyTimeout time.Duration
	postgresDSN  string
	load         bool
	copyBatch    int64
	queryTimeout time.Duration
}

func main() {
	var o options
	flag.Int64Var(&o.scaleFactor, "sf", 1, "TPC-H scale factor (positive integer)")
	flag.IntVar(&o.runs, "runs", 5, "times each query runs on each engine; the median is reported")
	flag.StringVar(&o.dataDir, "data-dir", "data", "directory of the generated Parquet files")
	flag.BoolVar(&o.regenerate, "regen", false, "generate the Parquet file even if it exists")
	flag.StringVar(&o.pqdbDSN, "dsn", "postgres://pqdb@127.0.0.1:5432/pqdb?sslmode=disable", "pqdb connection string (empty: skip pqdb)")
	flag.StringVar(&o.startServer, "start-server", "", "path of a pqdb-server binary to start on a free port with a fresh data directory (overrides -dsn)")
	flag.DurationVar(&o.readyTimeout, "ready-timeout", time.Minute, "how long to wait for a started pqdb-server to accept sessions")
	flag.StringVar(&o.postgresDSN, "pg-dsn", "", "PostgreSQL connection string for a reference column (empty: skip)")
	flag.BoolVar(&o.load, "load", true, "create and load lineitem on each server (false: query the lineitem already there)")
	flag.Int64Var(&o.copyBatch, "copy-batch", tpch.RowGroupRows, "rows per COPY statement while loading")
	flag.DurationVar(&o.queryTimeout, "timeout", 30*time.Minute, "limit for each load and each query run")
	flag.Parse()
	if o.runs < 1 {
		fmt.Fprintln(os.Stderr, "tpch: -runs must be at least 1")
		os.Exit(2)
	}
	ok, err := run(context.Background(), o, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "tpch:", err)
		os.Exit(1)
	}
	if !ok {
		os.Exit(1)
	}
}

// engineReport is everything measured on one engine.
type engineReport struct {
	name    string
	version string
	err     error // the first failure
	errs    []error
	loaded  int64
	load    time.Duration
	ckpt    time.Duration
	medians map[string]time.Duration
	runs    map[string][]time.Duration
	results map[string]tpch.Result
	diffs   map[string][]string
}

func newEngineReport(name string) *engineReport {
	return &engineReport{
		name:    name,
		medians: map[string]time.Duration{},
		runs:    map[string][]time.Duration{},
		results: map[string]tpch.Result{},
		diffs:   map[string][]string{},
	}
}

// fail records a failure; the first one also marks the engine as failed.
func (r *engineReport) fail(err error) {
	if r.err == nil {
		r.err = err
	}
	r.errs = append(r.errs, err)
}

func run(ctx context.Context, o options, out io.Writer) (bool, error) {
	machine := tpch.DescribeMachine()
	fmt.Fprintf(out, "machine: %s\n", machine)

	path := tpch.LineItemFile(o.dataDir, o.scaleFactor)
	rows, err := ensureParquet(path, o, out)
	if err != nil {
		return false, err
	}

	duck := benchDuckDB(ctx, path, rows, o, out)
	if duck.err != nil {
		return false, duck.err
	}
	reports := []*engineReport{duck}

	if o.startServer != "" || o.pqdbDSN != "" {
		reports = append(reports, benchPQDB(ctx, path, rows, duck, o, out))
	}
	if o.postgresDSN != "" {
		reports = append(reports, benchServer(ctx, "PostgreSQL", o.postgresDSN, true, path, rows, duck, o, out))
	}

	return printSummary(out, o, rows, reports), nil
}

// ensureParquet generates the lineitem file unless a readable one exists.
func ensureParquet(path string, o options, out io.Writer) (int64, error) {
	if !o.regenerate {
		if rows, err := tpch.ParquetRowCount(path); err == nil {
			fmt.Fprintf(out, "data: %s (%d rows, existing)\n", path, rows)
			return rows, nil
		} else if !errors.Is(err, os.ErrNotExist) {
			fmt.Fprintf(out, "data: %s unusable (%v); generating it again\n", path, err)
		}
	}
	start := time.Now()
	rows, err := tpch.WriteLineItemParquet(path, tpch.GenerateOptions{ScaleFactor: o.scaleFactor, BatchRows: 8192})
	if err != nil {
		return 0, err
	}
	elapsed := time.Since(start)
	fmt.Fprintf(out, "data: %s (%d rows, generated in %.1f s)\n", path, rows, elapsed.Seconds())
	return rows, nil
}

func benchDuckDB(ctx context.Context, path string, rows int64, o options, out io.Writer) *engineReport {
	rep := newEngineReport("DuckDB")
	duck, err := tpch.OpenDuckDB(ctx, path)
	if err != nil {
		rep.err = err
		return rep
	}
	defer duck.Close()
	if rep.version, err = duck.Version(ctx); err != nil {
		rep.err = err
		return rep
	}
	if n, err := duck.Count(ctx); err != nil || n != rows {
		rep.err = fmt.Errorf("duckdb sees %d rows in %s (err %v), the file has %d", n, path, err, rows)
		return rep
	}
	for _, q := range tpch.Queries {
		for i := 0; i < o.runs; i++ {
			qctx, cancel := context.WithTimeout(ctx, o.queryTimeout)
			res, elapsed, err := duck.Run(qctx, q)
			cancel()
			if err != nil {
				rep.err = err
				return rep
			}
			rep.runs[q.Name] = append(rep.runs[q.Name], elapsed)
			if i == 0 {
				rep.results[q.Name] = res
			} else if diffs := tpch.Compare(rep.results[q.Name], res); len(diffs) > 0 {
				rep.err = fmt.Errorf("duckdb %s answered differently on run %d: %s", q.Name, i+1, strings.Join(diffs, "; "))
				return rep
			}
		}
		rep.medians[q.Name] = tpch.Median(rep.runs[q.Name])
		fmt.Fprintf(out, "DuckDB %s: %s\n", q.Name, describeRuns(rep.runs[q.Name]))
	}
	return rep
}

func benchPQDB(ctx context.Context, path string, rows int64, duck *engineReport, o options, out io.Writer) *engineReport {
	if o.startServer == "" {
		return benchServer(ctx, "pqdb", o.pqdbDSN, true, path, rows, duck, o, out)
	}
	proc, err := tpch.StartServerProcess(ctx, o.startServer, o.readyTimeout)
	if err != nil {
		rep := newEngineReport("pqdb")
		rep.fail(err)
		return rep
	}
	defer proc.Stop()
	fmt.Fprintf(out, "pqdb: started %s at %s\n", o.startServer, proc.DSN)
	rep := benchServer(ctx, "pqdb", proc.DSN, false, path, rows, duck, o, out)
	if rep.loaded > 0 {
		reportServerFiles(ctx, proc, path, out)
	}
	if rep.err != nil {
		fmt.Fprintf(out, "pqdb server log (last lines):\n%s\n", proc.LogTail(20))
	}
	return rep
}

// reportServerFiles says how large pqdb's copy of lineitem is and whether
// DuckDB can read it. It informs; it does not fail the run, because the
// segments may legitimately hold rows that a later manifest deletes.
func reportServerFiles(ctx context.Context, proc *tpch.ServerProcess, path string, out io.Writer) {
	files, size, err := proc.SegmentFiles()
	if err != nil || len(files) == 0 {
		fmt.Fprintf(out, "pqdb files: no Parquet segments found under %s (%v)\n", proc.DataDir, err)
		return
	}
	msg := fmt.Sprintf("pqdb files: %d Parquet segments, %.1f MB (the source file: %.1f MB)", len(files), float64(size)/1e6, fileMB(path))
	duck, err := tpch.OpenDuckDB(ctx, path)
	if err == nil {
		defer duck.Close()
		var n int64
		if n, err = duck.CountParquetRows(ctx, files); err == nil {
			msg += fmt.Sprintf("; DuckDB reads %d rows from them", n)
		}
	}
	if err != nil {
		msg += fmt.Sprintf("; DuckDB cannot read them: %v", err)
	}
	fmt.Fprintln(out, msg)
}

// benchServer loads lineitem into a PostgreSQL-protocol server and times the
// queries there. dropFirst removes a table left by an earlier run, which a
// freshly started server cannot have. A wrong row count or a failed query is
// recorded and the remaining queries still run, on a new session if the
// server closed the old one, so one report shows everything that is wrong.
func benchServer(ctx context.Context, name, dsn string, dropFirst bool, path string, rows int64, duck *engineReport, o options, out io.Writer) *engineReport {
	rep := newEngineReport(name)
	srv, err := tpch.ConnectServer(ctx, name, dsn)
	if err != nil {
		rep.fail(err)
		return rep
	}
	defer func() { srv.Close(ctx) }()
	rep.version = srv.Version(ctx)

	if o.load {
		if err := loadServer(ctx, srv, rep, dropFirst, path, o, out); err != nil {
			rep.fail(err)
			return rep
		}
	}
	if n, err := srv.Count(ctx); err != nil {
		rep.fail(err)
	} else if n != rows {
		rep.fail(fmt.Errorf("%s has %d rows in lineitem, the file has %d", name, n, rows))
	}

	for _, q := range tpch.Queries {
		for i := 0; i < o.runs; i++ {
			if srv.Closed() {
				fresh, err := tpch.ConnectServer(ctx, name, dsn)
				if err != nil {
					rep.fail(err)
					return rep
				}
				srv.Close(ctx)
				srv = fresh
			}
			qctx, cancel := context.WithTimeout(ctx, o.queryTimeout)
			res, elapsed, err := srv.Run(qctx, q)
			cancel()
			if err != nil {
				rep.fail(err)
				break
			}
			rep.runs[q.Name] = append(rep.runs[q.Name], elapsed)
			if i == 0 {
				rep.results[q.Name] = res
				rep.diffs[q.Name] = tpch.Compare(duck.results[q.Name], res)
			} else if diffs := tpch.Compare(duck.results[q.Name], res); len(diffs) > 0 && len(rep.diffs[q.Name]) == 0 {
				rep.results[q.Name] = res
				rep.diffs[q.Name] = append([]string{fmt.Sprintf("run %d:", i+1)}, diffs...)
			}
		}
		if len(rep.runs[q.Name]) == o.runs {
			rep.medians[q.Name] = tpch.Median(rep.runs[q.Name])
			fmt.Fprintf(out, "%s %s: %s\n", name, q.Name, describeRuns(rep.runs[q.Name]))
		}
	}
	return rep
}

func loadServer(ctx context.Context, srv *tpch.Server, rep *engineReport, dropFirst bool, path string, o options, out io.Writer) error {
	lctx, cancel := context.WithTimeout(ctx, o.queryTimeout)
	defer cancel()
	if dropFirst {
		if err := srv.DropLineItem(lctx); err != nil {
			return err
		}
	}
	if err := srv.CreateLineItem(lctx); err != nil {
		return err
	}
	start := time.Now()
	lastReport := start
	n, err := srv.LoadLineItem(lctx, path, o.copyBatch, func(total int64) {
		if time.Since(lastReport) >= 10*time.Second {
			lastReport = time.Now()
			fmt.Fprintf(out, "%s: loaded %d rows\n", rep.name, total)
		}
	})
	rep.load = time.Since(start)
	rep.loaded = n
	if err != nil {
		return err
	}
	start = time.Now()
	if err := srv.Checkpoint(lctx); err != nil {
		return err
	}
	rep.ckpt = time.Since(start)
	fmt.Fprintf(out, "%s: loaded %d rows in %s (%.0f rows/s), CHECKPOINT %s\n",
		rep.name, n, seconds(rep.load), float64(n)/rep.load.Seconds(), seconds(rep.ckpt))
	return nil
}

// printSummary writes the results table and verdicts; it reports whether
// every engine ran and agreed with DuckDB.
func printSummary(out io.Writer, o options, rows int64, reports []*engineReport) bool {
	ok := true
	duck := reports[0]
	fmt.Fprintf(out, "\nTPC-H SF%d, lineitem %d rows, median of %d runs\n", o.scaleFactor, rows, o.runs)
	for _, r := range reports {
		v := r.version
		if v == "" {
			v = "version unknown"
		}
		fmt.Fprintf(out, "  %s: %s\n", r.name, v)
	}
	header := []string{"query", "DuckDB"}
	for _, r := range reports[1:] {
		header = append(header, r.name, r.name+"/DuckDB")
	}
	table := [][]string{header}
	for _, q := range tpch.Queries {
		line := []string{q.Name, seconds(duck.medians[q.Name])}
		for _, r := range reports[1:] {
			if m, measured := r.medians[q.Name]; measured {
				line = append(line, seconds(m), fmt.Sprintf("%.2fx", m.Seconds()/duck.medians[q.Name].Seconds()))
			} else {
				line = append(line, "failed", "-")
			}
		}
		table = append(table, line)
	}
	fmt.Fprint(out, formatTable(table))

	for _, r := range reports[1:] {
		if r.loaded > 0 && r.load > 0 {
			fmt.Fprintf(out, "load %s: %d rows in %s = %.0f rows/s (binary COPY, %d rows per statement), CHECKPOINT %s\n",
				r.name, r.loaded, seconds(r.load), float64(r.loaded)/r.load.Seconds(), o.copyBatch, seconds(r.ckpt))
		}
	}
	for _, q := range tpch.Queries {
		if res, ok := duck.results[q.Name]; ok {
			fmt.Fprintf(out, "DuckDB %s answer:\n%s", q.Name, res.Format())
		}
	}
	printPostgresTextCheck(out, reports)
	for _, r := range reports[1:] {
		for _, err := range r.errs {
			ok = false
			fmt.Fprintf(out, "%s FAILED: %v\n", r.name, err)
		}
		for _, q := range tpch.Queries {
			res, ran := r.results[q.Name]
			if !ran {
				continue
			}
			if diffs := r.diffs[q.Name]; len(diffs) > 0 {
				ok = false
				fmt.Fprintf(out, "MISMATCH %s %s vs DuckDB:\n  %s\n%s answered:\n%sDuckDB answered:\n%s",
					r.name, q.Name, strings.Join(diffs, "\n  "), r.name, res.Format(), duck.results[q.Name].Format())
			} else {
				fmt.Fprintf(out, "%s %s: answer equals DuckDB's (%d rows)\n", r.name, q.Name, len(res.Rows))
			}
		}
	}
	return ok
}

// printPostgresTextCheck compares pqdb's answers with PostgreSQL's text, when
// both ran: pqdb aims at PostgreSQL's exact output (numeric scales of
// averages included), which the comparison with DuckDB cannot check. A
// difference is reported but does not fail the run.
func printPostgresTextCheck(out io.Writer, reports []*engineReport) {
	var pqdb, pg *engineReport
	for _, r := range reports {
		switch r.name {
		case "pqdb":
			pqdb = r
		case "PostgreSQL":
			pg = r
		}
	}
	if pqdb == nil || pg == nil {
		return
	}
	for _, q := range tpch.Queries {
		mine, ok1 := pqdb.results[q.Name]
		theirs, ok2 := pg.results[q.Name]
		if !ok1 || !ok2 {
			continue
		}
		if diffs := tpch.CompareText(theirs, mine); len(diffs) > 0 {
			fmt.Fprintf(out, "pqdb %s text differs from PostgreSQL's:\n  %s\n", q.Name, strings.Join(diffs, "\n  "))
		} else {
			fmt.Fprintf(out, "pqdb %s: text identical to PostgreSQL's\n", q.Name)
		}
	}
}

// describeRuns gives the median with the spread, which shows how much the
// machine disturbed the measurement.
func describeRuns(runs []time.Duration) string {
	return fmt.Sprintf("median %s over %d runs (min %s, max %s)",
		seconds(tpch.Median(runs)), len(runs), seconds(slices.Min(runs)), seconds(slices.Max(runs)))
}

func fileMB(path string) float64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return float64(st.Size()) / 1e6
}

func seconds(d time.Duration) string {
	return fmt.Sprintf("%.3f s", d.Seconds())
}

// formatTable aligns rows of cells into a Markdown-compatible table.
func formatTable(rows [][]string) string {
	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, c := range row {
			widths[i] = max(widths[i], len(c))
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
