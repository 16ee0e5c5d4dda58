// Command tpch measures pqdb against DuckDB on the 22 TPC-H queries over the
// same Parquet copy of the eight tables, and checks that pqdb's answers equal
// DuckDB's.
//
//	go run ./cmd/tpch -sf 1 -runs 5 -start-server ../pqdb-server
//	go run ./cmd/tpch -dsn postgres://pqdb@127.0.0.1:5432/pqdb -queries 1,6,13
//	go run ./cmd/tpch -dsn '' -pg-dsn postgres://postgres@127.0.0.1:54315/postgres
//
// The Parquet files are generated once per scale factor into -data-dir and
// reused by later runs. Each server gets the tables created, loaded with binary
// COPY in batches read back from those files, and checkpointed; then every
// query runs -runs times and the median is reported. A query a server cannot
// run is reported as FAILED with its SQLSTATE and the remaining queries still
// run. The exit status is 1 when any answer differs from DuckDB's (MISMATCH),
// any query failed, or any engine failed.
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

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/pqdb/pqdb/bench/tpch"
)

type options struct {
	scaleFactor  int64
	runs         int
	queries      []tpch.Query
	dataDir      string
	regenerate   bool
	pqdbDSN      string
	startServer  string
	readyTimeout time.Duration
	postgresDSN  string
	pgIndexes    bool
	load         bool
	copyBatch    int64
	queryTimeout time.Duration
}

// repeatLimit stops repeating a query whose run took longer: its median would
// cost minutes of a shared machine and say little more than the one run.
const repeatLimit = time.Minute

func main() {
	var o options
	var queries string
	flag.Int64Var(&o.scaleFactor, "sf", 1, "TPC-H scale factor (positive integer)")
	flag.IntVar(&o.runs, "runs", 5, "times each query runs on each engine; the median is reported (a run over 1 minute is not repeated)")
	flag.StringVar(&queries, "queries", "", "queries to run, by number, e.g. 1,6,13 (default: all 22)")
	flag.StringVar(&o.dataDir, "data-dir", "data", "directory of the generated Parquet files")
	flag.BoolVar(&o.regenerate, "regen", false, "generate the Parquet files even if they exist")
	flag.StringVar(&o.pqdbDSN, "dsn", "postgres://pqdb@127.0.0.1:5432/pqdb?sslmode=disable", "pqdb connection string (empty: skip pqdb)")
	flag.StringVar(&o.startServer, "start-server", "", "path of a pqdb-server binary to start on a free port with a fresh data directory (overrides -dsn)")
	flag.DurationVar(&o.readyTimeout, "ready-timeout", time.Minute, "how long to wait for a started pqdb-server to accept sessions")
	flag.StringVar(&o.postgresDSN, "pg-dsn", "", "PostgreSQL connection string for a reference column (empty: skip)")
	flag.BoolVar(&o.pgIndexes, "pg-indexes", true, "build the TPC-H primary keys and foreign-key indexes on PostgreSQL after loading, then ANALYZE")
	flag.BoolVar(&o.load, "load", true, "create and load the tables on each server (false: query the tables already there)")
	flag.Int64Var(&o.copyBatch, "copy-batch", tpch.RowGroupRows, "rows per COPY statement while loading")
	flag.DurationVar(&o.queryTimeout, "timeout", 30*time.Minute, "limit for each table load and each query run")
	flag.Parse()
	if o.runs < 1 {
		fmt.Fprintln(os.Stderr, "tpch: -runs must be at least 1")
		os.Exit(2)
	}
	var err error
	if o.queries, err = tpch.SelectQueries(queries); err != nil {
		fmt.Fprintln(os.Stderr, err)
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

// dataset is the generated Parquet files of one scale factor.
type dataset struct {
	files map[string]string
	rows  map[string]int64
}

func (d dataset) totalRows() int64 {
	var n int64
	for _, r := range d.rows {
		n += r
	}
	return n
}

func run(ctx context.Context, o options, out io.Writer) (bool, error) {
	machine := tpch.DescribeMachine()
	fmt.Fprintf(out, "machine: %s\n", machine)

	data, err := ensureParquet(o, out)
	if err != nil {
		return false, err
	}

	duck := benchDuckDB(ctx, data, o, out)
	if duck.err != nil {
		return false, duck.err
	}
	reports := []*engineReport{duck}

	if o.startServer != "" || o.pqdbDSN != "" {
		reports = append(reports, benchPQDB(ctx, data, duck, o, out))
	}
	if o.postgresDSN != "" {
		reports = append(reports, benchServer(ctx, "PostgreSQL", o.postgresDSN, true, data, duck, o, out))
	}

	return printSummary(out, o, data, reports), nil
}

// ensureParquet generates the tables whose files are missing or unreadable
// (all of them with -regen) in one dbgen run, and reuses the others.
func ensureParquet(o options, out io.Writer) (dataset, error) {
	data := dataset{files: map[string]string{}, rows: map[string]int64{}}
	var missing []string
	for _, t := range tpch.Tables {
		path := tpch.TableFile(o.dataDir, t.Name(), o.scaleFactor)
		data.files[t.Name()] = path
		if o.regenerate {
			missing = append(missing, t.Name())
			continue
		}
		rows, err := tpch.ParquetRowCount(path)
		if err == nil {
			data.rows[t.Name()] = rows
			fmt.Fprintf(out, "data: %s (%d rows, existing)\n", path, rows)
			continue
		}
		if !errors.Is(err, os.ErrNotExist) {
			fmt.Fprintf(out, "data: %s unusable (%v); generating it again\n", path, err)
		}
		missing = append(missing, t.Name())
	}
	if len(missing) == 0 {
		return data, nil
	}
	start := time.Now()
	rows, err := tpch.WriteTables(o.dataDir, tpch.GenerateOptions{ScaleFactor: o.scaleFactor, BatchRows: 8192}, missing...)
	if err != nil {
		return data, err
	}
	for _, name := range missing {
		data.rows[name] = rows[name]
		fmt.Fprintf(out, "data: %s (%d rows, generated)\n", data.files[name], rows[name])
	}
	fmt.Fprintf(out, "data: generated %s in %.1f s\n", strings.Join(missing, ", "), time.Since(start).Seconds())
	return data, nil
}

// engineReport is everything measured on one engine.
type engineReport struct {
	name    string
	version string
	errs    []error // failures outside a query: connecting, loading, counting
	err     error   // the first of errs
	loads   []tableLoad
	load    time.Duration
	ckpt    time.Duration
	indexes time.Duration
	medians map[string]time.Duration
	runs    map[string][]time.Duration
	results map[string]tpch.Result
	diffs   map[string][]string
	qerrs   map[string]error // a query's failure, which ends its runs
}

// tableLoad is the COPY of one table.
type tableLoad struct {
	table string
	rows  int64
	time  time.Duration
}

func newEngineReport(name string) *engineReport {
	return &engineReport{
		name:    name,
		medians: map[string]time.Duration{},
		runs:    map[string][]time.Duration{},
		results: map[string]tpch.Result{},
		diffs:   map[string][]string{},
		qerrs:   map[string]error{},
	}
}

// fail records a failure; the first one also marks the engine as failed.
func (r *engineReport) fail(err error) {
	if r.err == nil {
		r.err = err
	}
	r.errs = append(r.errs, err)
}

func (r *engineReport) loadedRows() int64 {
	var n int64
	for _, l := range r.loads {
		n += l.rows
	}
	return n
}

func benchDuckDB(ctx context.Context, data dataset, o options, out io.Writer) *engineReport {
	rep := newEngineReport("DuckDB")
	duck, err := tpch.OpenDuckDB(ctx, data.files)
	if err != nil {
		rep.err = err
		return rep
	}
	defer duck.Close()
	if rep.version, err = duck.Version(ctx); err != nil {
		rep.err = err
		return rep
	}
	for _, t := range tpch.Tables {
		if n, err := duck.Count(ctx, t.Name()); err != nil || n != data.rows[t.Name()] {
			rep.err = fmt.Errorf("duckdb sees %d rows in %s (err %v), the file has %d", n, data.files[t.Name()], err, data.rows[t.Name()])
			return rep
		}
	}
	for _, q := range o.queries {
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
			if elapsed > repeatLimit {
				break
			}
		}
		rep.medians[q.Name] = tpch.Median(rep.runs[q.Name])
		fmt.Fprintf(out, "DuckDB %s: %s\n", q.Name, describeRuns(rep.runs[q.Name]))
	}
	return rep
}

func benchPQDB(ctx context.Context, data dataset, duck *engineReport, o options, out io.Writer) *engineReport {
	if o.startServer == "" {
		return benchServer(ctx, "pqdb", o.pqdbDSN, true, data, duck, o, out)
	}
	proc, err := tpch.StartServerProcess(ctx, o.startServer, o.readyTimeout)
	if err != nil {
		rep := newEngineReport("pqdb")
		rep.fail(err)
		return rep
	}
	defer proc.Stop()
	fmt.Fprintf(out, "pqdb: started %s at %s\n", o.startServer, proc.DSN)
	rep := benchServer(ctx, "pqdb", proc.DSN, false, data, duck, o, out)
	if rep.loadedRows() > 0 {
		reportServerFiles(ctx, proc, data, out)
	}
	if rep.err != nil || len(rep.qerrs) > 0 {
		fmt.Fprintf(out, "pqdb server log (last lines):\n%s\n", proc.LogTail(20))
	}
	return rep
}

// reportServerFiles says how large pqdb's copy of the tables is and whether
// DuckDB can read it. It informs; it does not fail the run, because the
// segments may legitimately hold rows that a later manifest deletes.
func reportServerFiles(ctx context.Context, proc *tpch.ServerProcess, data dataset, out io.Writer) {
	files, size, err := proc.SegmentFiles()
	if err != nil || len(files) == 0 {
		fmt.Fprintf(out, "pqdb files: no Parquet segments found under %s (%v)\n", proc.DataDir, err)
		return
	}
	var source float64
	for _, path := range data.files {
		source += fileMB(path)
	}
	msg := fmt.Sprintf("pqdb files: %d Parquet segments, %.1f MB (the source files: %.1f MB)", len(files), float64(size)/1e6, source)
	duck, err := tpch.OpenDuckDB(ctx, nil)
	if err == nil {
		defer duck.Close()
		var n int64
		if n, err = duck.CountParquetRows(ctx, files); err == nil {
			msg += fmt.Sprintf("; DuckDB reads %d rows from them (%d loaded)", n, data.totalRows())
		}
	}
	if err != nil {
		msg += fmt.Sprintf("; DuckDB cannot read them: %v", err)
	}
	fmt.Fprintln(out, msg)
}

// benchServer loads the tables into a PostgreSQL-protocol server and times the
// queries there. dropFirst removes tables left by an earlier run, which a
// freshly started server cannot have. A wrong row count or a failed query is
// recorded and the remaining queries still run, on a new session if the
// server closed the old one, so one report shows everything that is wrong.
func benchServer(ctx context.Context, name, dsn string, dropFirst bool, data dataset, duck *engineReport, o options, out io.Writer) *engineReport {
	rep := newEngineReport(name)
	srv, err := tpch.ConnectServer(ctx, name, dsn)
	if err != nil {
		rep.fail(err)
		return rep
	}
	defer func() { srv.Close(ctx) }()
	rep.version = srv.Version(ctx)

	if o.load {
		if err := loadServer(ctx, srv, rep, dropFirst, data, o, out); err != nil {
			rep.fail(err)
			return rep
		}
	}
	for _, t := range tpch.Tables {
		if n, err := srv.Count(ctx, t.Name()); err != nil {
			rep.fail(err)
		} else if n != data.rows[t.Name()] {
			rep.fail(fmt.Errorf("%s has %d rows in %s, the file has %d", name, n, t.Name(), data.rows[t.Name()]))
		}
	}

	for _, q := range o.queries {
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
				if qctx.Err() != nil {
					err = fmt.Errorf("timed out: no answer within -timeout %v, query cancelled (%w)", o.queryTimeout, err)
				}
				rep.qerrs[q.Name] = err
				fmt.Fprintf(out, "%s %s FAILED: %s\n", name, q.Name, describeError(err))
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
			if elapsed > repeatLimit {
				break
			}
		}
		if rep.qerrs[q.Name] == nil {
			rep.medians[q.Name] = tpch.Median(rep.runs[q.Name])
			verdict := "equal to DuckDB's"
			if len(rep.diffs[q.Name]) > 0 {
				verdict = "MISMATCH"
			}
			fmt.Fprintf(out, "%s %s: %s, answer %s\n", name, q.Name, describeRuns(rep.runs[q.Name]), verdict)
		}
	}
	return rep
}

// describeError gives a server error as its SQLSTATE and message, the form a
// reader can look up.
func describeError(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		s := fmt.Sprintf("SQLSTATE %s: %s", pgErr.Code, pgErr.Message)
		if pgErr.Detail != "" {
			s += " (" + pgErr.Detail + ")"
		}
		return s
	}
	return err.Error()
}

// errorCode is the SQLSTATE of a server error, or a word for other failures.
func errorCode(err error) string {
	var pgErr *pgconn.PgError
	switch {
	case errors.As(err, &pgErr):
		return pgErr.Code
	case errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "timed out"):
		return "timeout"
	default:
		return "error"
	}
}

func loadServer(ctx context.Context, srv *tpch.Server, rep *engineReport, dropFirst bool, data dataset, o options, out io.Writer) error {
	for _, t := range tpch.Tables {
		lctx, cancel := context.WithTimeout(ctx, o.queryTimeout)
		err := loadTable(lctx, srv, rep, t, dropFirst, data.files[t.Name()], o, out)
		cancel()
		if err != nil {
			return err
		}
	}
	lctx, cancel := context.WithTimeout(ctx, o.queryTimeout)
	defer cancel()
	start := time.Now()
	if err := srv.Checkpoint(lctx); err != nil {
		return err
	}
	rep.ckpt = time.Since(start)
	n := rep.loadedRows()
	fmt.Fprintf(out, "%s: loaded %d rows in %s (%.0f rows/s), CHECKPOINT %s\n",
		rep.name, n, seconds(rep.load), float64(n)/rep.load.Seconds(), seconds(rep.ckpt))
	if rep.name == "PostgreSQL" && o.pgIndexes {
		start = time.Now()
		if err := srv.CreateKeyIndexes(lctx); err != nil {
			return err
		}
		rep.indexes = time.Since(start)
		fmt.Fprintf(out, "%s: primary keys, foreign-key indexes and ANALYZE in %s\n", rep.name, seconds(rep.indexes))
	}
	return nil
}

func loadTable(ctx context.Context, srv *tpch.Server, rep *engineReport, t tpch.Table, dropFirst bool, path string, o options, out io.Writer) error {
	if dropFirst {
		if err := srv.DropTable(ctx, t); err != nil {
			return err
		}
	}
	if err := srv.CreateTable(ctx, t); err != nil {
		return err
	}
	start := time.Now()
	lastReport := start
	n, err := srv.LoadTable(ctx, t, path, o.copyBatch, func(total int64) {
		if time.Since(lastReport) >= 10*time.Second {
			lastReport = time.Now()
			fmt.Fprintf(out, "%s: loaded %d rows of %s\n", rep.name, total, t.Name())
		}
	})
	elapsed := time.Since(start)
	rep.load += elapsed
	rep.loads = append(rep.loads, tableLoad{table: t.Name(), rows: n, time: elapsed})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: %s %d rows in %s\n", rep.name, t.Name(), n, seconds(elapsed))
	return nil
}

// printSummary writes the results table and verdicts; it reports whether
// every engine ran every query and agreed with DuckDB.
func printSummary(out io.Writer, o options, data dataset, reports []*engineReport) bool {
	ok := true
	duck := reports[0]
	fmt.Fprintf(out, "\nTPC-H SF%d, %d rows in 8 tables (lineitem %d), median of up to %d runs\n",
		o.scaleFactor, data.totalRows(), data.rows["lineitem"], o.runs)
	for _, r := range reports {
		v := r.version
		if v == "" {
			v = "version unknown"
		}
		fmt.Fprintf(out, "  %s: %s\n", r.name, v)
	}
	header := []string{"query", "DuckDB"}
	for _, r := range reports[1:] {
		header = append(header, r.name, r.name+"/DuckDB", r.name+" answer")
	}
	table := [][]string{header}
	for _, q := range o.queries {
		line := []string{q.Name, seconds(duck.medians[q.Name])}
		for _, r := range reports[1:] {
			switch m, measured := r.medians[q.Name]; {
			case r.qerrs[q.Name] != nil:
				line = append(line, "-", "-", "FAILED "+errorCode(r.qerrs[q.Name]))
			case !measured:
				line = append(line, "-", "-", "not run")
			default:
				verdict := "equal"
				if len(r.diffs[q.Name]) > 0 {
					verdict = "MISMATCH"
				}
				line = append(line, seconds(m), fmt.Sprintf("%.2fx", m.Seconds()/duck.medians[q.Name].Seconds()), verdict)
			}
		}
		table = append(table, line)
	}
	fmt.Fprint(out, tpch.FormatTable(table))

	for _, r := range reports[1:] {
		if len(r.loads) == 0 {
			continue
		}
		var parts []string
		for _, l := range r.loads {
			parts = append(parts, fmt.Sprintf("%s %s", l.table, seconds(l.time)))
		}
		n := r.loadedRows()
		fmt.Fprintf(out, "load %s: %d rows in %s = %.0f rows/s (binary COPY, %d rows per statement; %s), CHECKPOINT %s",
			r.name, n, seconds(r.load), float64(n)/r.load.Seconds(), o.copyBatch, strings.Join(parts, ", "), seconds(r.ckpt))
		if r.indexes > 0 {
			fmt.Fprintf(out, ", keys and indexes %s", seconds(r.indexes))
		}
		fmt.Fprintln(out)
	}
	for _, q := range o.queries {
		if res, ok := duck.results[q.Name]; ok {
			fmt.Fprintf(out, "DuckDB %s answer:\n%s", q.Name, res.Format())
		}
	}
	printPostgresTextCheck(out, o, reports)
	for _, r := range reports[1:] {
		for _, err := range r.errs {
			ok = false
			fmt.Fprintf(out, "%s FAILED: %v\n", r.name, err)
		}
		for _, q := range o.queries {
			if err := r.qerrs[q.Name]; err != nil {
				ok = false
				fmt.Fprintf(out, "%s %s FAILED: %s\n", r.name, q.Name, describeError(err))
				continue
			}
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
// averages, char(n) padding), which the comparison with DuckDB cannot check. A
// difference is reported but does not fail the run.
func printPostgresTextCheck(out io.Writer, o options, reports []*engineReport) {
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
	for _, q := range o.queries {
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
