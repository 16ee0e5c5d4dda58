package tpch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// RunOptions choose what one benchmark run measures; cmd/tpch sets them from
// its flags.
type RunOptions struct {
	ScaleFactor int64
	// Runs is how often each query runs per engine; the median is reported.
	Runs    int
	Queries []Query
	// DataDir holds the generated Parquet files; Regenerate makes them anew.
	DataDir    string
	Regenerate bool
	// PQDBDSN is a running pqdb, or StartServer a pqdb-server binary to start
	// for the run (it wins); both empty skips pqdb.
	PQDBDSN      string
	StartServer  string
	ReadyTimeout time.Duration
	// PostgresDSN is PostgreSQL's database ("": skipped), whose TPC-H tables
	// are replaced; PGIndexes builds its keys and foreign-key indexes.
	// PQDBKeys declares the primary keys on pqdb's tables.
	PostgresDSN string
	PGIndexes   bool
	PQDBKeys    bool
	// Load creates and loads the tables on each server (false: query the
	// tables already there), CopyBatch rows per binary COPY statement.
	Load      bool
	CopyBatch int64
	// QueryTimeout bounds each table load and each query run.
	QueryTimeout time.Duration
}

// repeatLimit stops repeating a query whose run took longer: its median would
// cost minutes of a shared machine and say little more than the one run.
const repeatLimit = time.Minute

// Dataset is the generated Parquet files of one scale factor.
type Dataset struct {
	Files map[string]string // table name to Parquet file
	Rows  map[string]int64  // table name to row count
}

// TotalRows is the rows of all the tables.
func (d Dataset) TotalRows() int64 {
	var n int64
	for _, r := range d.Rows {
		n += r
	}
	return n
}

// RunReport is what one Run measured.
type RunReport struct {
	Data Dataset
	// Engines are DuckDB first, then pqdb and PostgreSQL where they ran.
	Engines []*EngineReport
	// OK says every engine ran every query and agreed with DuckDB.
	OK bool
}

// Engine returns the report of the engine of that name, or nil.
func (r *RunReport) Engine(name string) *EngineReport {
	for _, e := range r.Engines {
		if e.Name == name {
			return e
		}
	}
	return nil
}

// Run generates (or reuses) the Parquet files, times the queries on DuckDB,
// pqdb and PostgreSQL as o asks, checks every answer against DuckDB's and
// writes progress and the summary to out. An error means DuckDB itself, or the
// data, failed; a server's failures are in its EngineReport.
func Run(ctx context.Context, o RunOptions, out io.Writer) (*RunReport, error) {
	machine := DescribeMachine()
	fmt.Fprintf(out, "machine: %s\n", machine)

	data, err := EnsureParquet(o, out)
	if err != nil {
		return nil, err
	}

	duck := benchDuckDB(ctx, data, o, out)
	if duck.err != nil {
		return nil, duck.err
	}
	report := &RunReport{Data: data, Engines: []*EngineReport{duck}}

	if o.StartServer != "" || o.PQDBDSN != "" {
		report.Engines = append(report.Engines, benchPQDB(ctx, data, duck, o, out))
	}
	if o.PostgresDSN != "" {
		report.Engines = append(report.Engines, benchServer(ctx, "PostgreSQL", o.PostgresDSN, true, data, duck, o, out))
	}

	report.OK = printSummary(out, o, data, report.Engines)
	return report, nil
}

// EnsureParquet generates the tables whose files are missing or unreadable
// (all of them with -regen) in one dbgen run, and reuses the others.
func EnsureParquet(o RunOptions, out io.Writer) (Dataset, error) {
	data := Dataset{Files: map[string]string{}, Rows: map[string]int64{}}
	var missing []string
	for _, t := range Tables {
		path := TableFile(o.DataDir, t.Name(), o.ScaleFactor)
		data.Files[t.Name()] = path
		if o.Regenerate {
			missing = append(missing, t.Name())
			continue
		}
		rows, err := ParquetRowCount(path)
		if err == nil {
			data.Rows[t.Name()] = rows
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
	rows, err := WriteTables(o.DataDir, GenerateOptions{ScaleFactor: o.ScaleFactor, BatchRows: 8192}, missing...)
	if err != nil {
		return data, err
	}
	for _, name := range missing {
		data.Rows[name] = rows[name]
		fmt.Fprintf(out, "data: %s (%d rows, generated)\n", data.Files[name], rows[name])
	}
	fmt.Fprintf(out, "data: generated %s in %.1f s\n", strings.Join(missing, ", "), time.Since(start).Seconds())
	return data, nil
}

// EngineReport is everything measured on one engine.
type EngineReport struct {
	Name    string
	Version string
	Errs    []error // failures outside a query: connecting, loading, counting
	err     error   // the first of Errs
	loads   []tableLoad
	load    time.Duration
	ckpt    time.Duration
	indexes time.Duration
	// Medians are the median run times of the queries that answered.
	Medians map[string]time.Duration
	runs    map[string][]time.Duration
	Results map[string]Result
	// Diffs are each query's differences from DuckDB's answer (none: equal).
	Diffs map[string][]string
	// QueryErrs are the queries that failed, with their error.
	QueryErrs map[string]error
}

// tableLoad is the COPY of one table.
type tableLoad struct {
	table string
	rows  int64
	time  time.Duration
}

func newEngineReport(name string) *EngineReport {
	return &EngineReport{
		Name:      name,
		Medians:   map[string]time.Duration{},
		runs:      map[string][]time.Duration{},
		Results:   map[string]Result{},
		Diffs:     map[string][]string{},
		QueryErrs: map[string]error{},
	}
}

// fail records a failure; the first one also marks the engine as failed.
func (r *EngineReport) fail(err error) {
	if r.err == nil {
		r.err = err
	}
	r.Errs = append(r.Errs, err)
}

func (r *EngineReport) loadedRows() int64 {
	var n int64
	for _, l := range r.loads {
		n += l.rows
	}
	return n
}

func benchDuckDB(ctx context.Context, data Dataset, o RunOptions, out io.Writer) *EngineReport {
	rep := newEngineReport("DuckDB")
	duck, err := OpenDuckDB(ctx, data.Files)
	if err != nil {
		rep.err = err
		return rep
	}
	defer duck.Close()
	if rep.Version, err = duck.Version(ctx); err != nil {
		rep.err = err
		return rep
	}
	for _, t := range Tables {
		if n, err := duck.Count(ctx, t.Name()); err != nil || n != data.Rows[t.Name()] {
			rep.err = fmt.Errorf("duckdb sees %d rows in %s (err %v), the file has %d", n, data.Files[t.Name()], err, data.Rows[t.Name()])
			return rep
		}
	}
	for _, q := range o.Queries {
		for i := 0; i < o.Runs; i++ {
			qctx, cancel := context.WithTimeout(ctx, o.QueryTimeout)
			res, elapsed, err := duck.Run(qctx, q)
			cancel()
			if err != nil {
				rep.err = err
				return rep
			}
			rep.runs[q.Name] = append(rep.runs[q.Name], elapsed)
			if i == 0 {
				rep.Results[q.Name] = res
			} else if diffs := Compare(rep.Results[q.Name], res); len(diffs) > 0 {
				rep.err = fmt.Errorf("duckdb %s answered differently on run %d: %s", q.Name, i+1, strings.Join(diffs, "; "))
				return rep
			}
			if elapsed > repeatLimit {
				break
			}
		}
		rep.Medians[q.Name] = Median(rep.runs[q.Name])
		fmt.Fprintf(out, "DuckDB %s: %s\n", q.Name, describeRuns(rep.runs[q.Name]))
	}
	return rep
}

func benchPQDB(ctx context.Context, data Dataset, duck *EngineReport, o RunOptions, out io.Writer) *EngineReport {
	if o.StartServer == "" {
		return benchServer(ctx, "pqdb", o.PQDBDSN, true, data, duck, o, out)
	}
	proc, err := StartServerProcess(ctx, o.StartServer, o.ReadyTimeout)
	if err != nil {
		rep := newEngineReport("pqdb")
		rep.fail(err)
		return rep
	}
	defer proc.Stop()
	fmt.Fprintf(out, "pqdb: started %s at %s\n", o.StartServer, proc.DSN)
	rep := benchServer(ctx, "pqdb", proc.DSN, false, data, duck, o, out)
	if rep.loadedRows() > 0 {
		reportServerFiles(ctx, proc, data, out)
	}
	if rep.err != nil || len(rep.QueryErrs) > 0 {
		fmt.Fprintf(out, "pqdb server log (last lines):\n%s\n", proc.LogTail(20))
	}
	return rep
}

// reportServerFiles says how large pqdb's copy of the tables is and whether
// DuckDB can read it. It informs; it does not fail the run, because the
// segments may legitimately hold rows that a later manifest deletes.
func reportServerFiles(ctx context.Context, proc *ServerProcess, data Dataset, out io.Writer) {
	files, size, err := proc.SegmentFiles()
	if err != nil || len(files) == 0 {
		fmt.Fprintf(out, "pqdb files: no Parquet segments found under %s (%v)\n", proc.DataDir, err)
		return
	}
	var source float64
	for _, path := range data.Files {
		source += fileMB(path)
	}
	msg := fmt.Sprintf("pqdb files: %d Parquet segments, %.1f MB (the source files: %.1f MB)", len(files), float64(size)/1e6, source)
	duck, err := OpenDuckDB(ctx, nil)
	if err == nil {
		defer duck.Close()
		var n int64
		if n, err = duck.CountParquetRows(ctx, files); err == nil {
			msg += fmt.Sprintf("; DuckDB reads %d rows from them (%d loaded)", n, data.TotalRows())
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
func benchServer(ctx context.Context, name, dsn string, dropFirst bool, data Dataset, duck *EngineReport, o RunOptions, out io.Writer) *EngineReport {
	rep := newEngineReport(name)
	srv, err := ConnectServer(ctx, name, dsn)
	if err != nil {
		rep.fail(err)
		return rep
	}
	defer func() { srv.Close(ctx) }()
	rep.Version = srv.Version(ctx)

	if o.Load {
		if err := loadServer(ctx, srv, rep, dropFirst, data, o, out); err != nil {
			rep.fail(err)
			return rep
		}
	}
	for _, t := range Tables {
		if n, err := srv.Count(ctx, t.Name()); err != nil {
			rep.fail(err)
		} else if n != data.Rows[t.Name()] {
			rep.fail(fmt.Errorf("%s has %d rows in %s, the file has %d", name, n, t.Name(), data.Rows[t.Name()]))
		}
	}

	for _, q := range o.Queries {
		for i := 0; i < o.Runs; i++ {
			if srv.Closed() {
				fresh, err := ConnectServer(ctx, name, dsn)
				if err != nil {
					rep.fail(err)
					return rep
				}
				srv.Close(ctx)
				srv = fresh
			}
			qctx, cancel := context.WithTimeout(ctx, o.QueryTimeout)
			res, elapsed, err := srv.Run(qctx, q)
			cancel()
			if err != nil {
				if qctx.Err() != nil {
					err = fmt.Errorf("timed out: no answer within -timeout %v, query cancelled (%w)", o.QueryTimeout, err)
				}
				rep.QueryErrs[q.Name] = err
				fmt.Fprintf(out, "%s %s FAILED: %s\n", name, q.Name, DescribeError(err))
				break
			}
			rep.runs[q.Name] = append(rep.runs[q.Name], elapsed)
			if i == 0 {
				rep.Results[q.Name] = res
				rep.Diffs[q.Name] = Compare(duck.Results[q.Name], res)
			} else if diffs := Compare(duck.Results[q.Name], res); len(diffs) > 0 && len(rep.Diffs[q.Name]) == 0 {
				rep.Results[q.Name] = res
				rep.Diffs[q.Name] = append([]string{fmt.Sprintf("run %d:", i+1)}, diffs...)
			}
			if elapsed > repeatLimit {
				break
			}
		}
		if rep.QueryErrs[q.Name] == nil {
			rep.Medians[q.Name] = Median(rep.runs[q.Name])
			verdict := "equal to DuckDB's"
			if len(rep.Diffs[q.Name]) > 0 {
				verdict = "MISMATCH"
			}
			fmt.Fprintf(out, "%s %s: %s, answer %s\n", name, q.Name, describeRuns(rep.runs[q.Name]), verdict)
		}
	}
	return rep
}

// DescribeError gives a server error as its SQLSTATE and message, the form a
// reader can look up.
func DescribeError(err error) string {
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

// ErrorCode is the SQLSTATE of a server error, or a word for other failures.
func ErrorCode(err error) string {
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

func loadServer(ctx context.Context, srv *Server, rep *EngineReport, dropFirst bool, data Dataset, o RunOptions, out io.Writer) error {
	for _, t := range Tables {
		lctx, cancel := context.WithTimeout(ctx, o.QueryTimeout)
		err := loadTable(lctx, srv, rep, t, dropFirst, data.Files[t.Name()], o, out)
		cancel()
		if err != nil {
			return err
		}
	}
	lctx, cancel := context.WithTimeout(ctx, o.QueryTimeout)
	defer cancel()
	start := time.Now()
	if err := srv.Checkpoint(lctx); err != nil {
		return err
	}
	rep.ckpt = time.Since(start)
	n := rep.loadedRows()
	fmt.Fprintf(out, "%s: loaded %d rows in %s (%.0f rows/s), CHECKPOINT %s\n",
		rep.Name, n, seconds(rep.load), float64(n)/rep.load.Seconds(), seconds(rep.ckpt))
	var keys func(context.Context) error
	var what string
	switch {
	case rep.Name == "PostgreSQL" && o.PGIndexes:
		keys, what = srv.CreateKeyIndexes, "primary keys, foreign-key indexes and ANALYZE"
	case rep.Name == "pqdb" && o.PQDBKeys:
		keys, what = srv.CreatePrimaryKeys, "primary keys"
	}
	if keys != nil {
		start = time.Now()
		if err := keys(lctx); err != nil {
			return err
		}
		rep.indexes = time.Since(start)
		fmt.Fprintf(out, "%s: %s in %s\n", rep.Name, what, seconds(rep.indexes))
	}
	return nil
}

func loadTable(ctx context.Context, srv *Server, rep *EngineReport, t Table, dropFirst bool, path string, o RunOptions, out io.Writer) error {
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
	n, err := srv.LoadTable(ctx, t, path, o.CopyBatch, func(total int64) {
		if time.Since(lastReport) >= 10*time.Second {
			lastReport = time.Now()
			fmt.Fprintf(out, "%s: loaded %d rows of %s\n", rep.Name, total, t.Name())
		}
	})
	elapsed := time.Since(start)
	rep.load += elapsed
	rep.loads = append(rep.loads, tableLoad{table: t.Name(), rows: n, time: elapsed})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: %s %d rows in %s\n", rep.Name, t.Name(), n, seconds(elapsed))
	return nil
}

// printSummary writes the results table and verdicts; it reports whether
// every engine ran every query and agreed with DuckDB.
func printSummary(out io.Writer, o RunOptions, data Dataset, reports []*EngineReport) bool {
	ok := true
	duck := reports[0]
	fmt.Fprintf(out, "\nTPC-H SF%d, %d rows in 8 tables (lineitem %d), median of up to %d runs\n",
		o.ScaleFactor, data.TotalRows(), data.Rows["lineitem"], o.Runs)
	for _, r := range reports {
		v := r.Version
		if v == "" {
			v = "version unknown"
		}
		fmt.Fprintf(out, "  %s: %s\n", r.Name, v)
	}
	header := []string{"query", "DuckDB"}
	for _, r := range reports[1:] {
		header = append(header, r.Name, r.Name+"/DuckDB", r.Name+" answer")
	}
	table := [][]string{header}
	for _, q := range o.Queries {
		line := []string{q.Name, seconds(duck.Medians[q.Name])}
		for _, r := range reports[1:] {
			switch m, measured := r.Medians[q.Name]; {
			case r.QueryErrs[q.Name] != nil:
				line = append(line, "-", "-", "FAILED "+ErrorCode(r.QueryErrs[q.Name]))
			case !measured:
				line = append(line, "-", "-", "not run")
			default:
				verdict := "equal"
				if len(r.Diffs[q.Name]) > 0 {
					verdict = "MISMATCH"
				}
				line = append(line, seconds(m), fmt.Sprintf("%.2fx", m.Seconds()/duck.Medians[q.Name].Seconds()), verdict)
			}
		}
		table = append(table, line)
	}
	fmt.Fprint(out, FormatTable(table))

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
			r.Name, n, seconds(r.load), float64(n)/r.load.Seconds(), o.CopyBatch, strings.Join(parts, ", "), seconds(r.ckpt))
		if r.indexes > 0 {
			fmt.Fprintf(out, ", keys and indexes %s", seconds(r.indexes))
		}
		fmt.Fprintln(out)
	}
	for _, q := range o.Queries {
		if res, ok := duck.Results[q.Name]; ok {
			fmt.Fprintf(out, "DuckDB %s answer:\n%s", q.Name, res.Format())
		}
	}
	printPostgresTextCheck(out, o, reports)
	for _, r := range reports[1:] {
		for _, err := range r.Errs {
			ok = false
			fmt.Fprintf(out, "%s FAILED: %v\n", r.Name, err)
		}
		for _, q := range o.Queries {
			if err := r.QueryErrs[q.Name]; err != nil {
				ok = false
				fmt.Fprintf(out, "%s %s FAILED: %s\n", r.Name, q.Name, DescribeError(err))
				continue
			}
			res, ran := r.Results[q.Name]
			if !ran {
				continue
			}
			if diffs := r.Diffs[q.Name]; len(diffs) > 0 {
				ok = false
				fmt.Fprintf(out, "MISMATCH %s %s vs DuckDB:\n  %s\n%s answered:\n%sDuckDB answered:\n%s",
					r.Name, q.Name, strings.Join(diffs, "\n  "), r.Name, res.Format(), duck.Results[q.Name].Format())
			} else {
				fmt.Fprintf(out, "%s %s: answer equals DuckDB's (%d rows)\n", r.Name, q.Name, len(res.Rows))
			}
		}
	}
	return ok
}

// printPostgresTextCheck compares pqdb's answers with PostgreSQL's text, when
// both ran: pqdb aims at PostgreSQL's exact output (numeric scales of
// averages, char(n) padding), which the comparison with DuckDB cannot check. A
// difference is reported but does not fail the run.
func printPostgresTextCheck(out io.Writer, o RunOptions, reports []*EngineReport) {
	var pqdb, pg *EngineReport
	for _, r := range reports {
		switch r.Name {
		case "pqdb":
			pqdb = r
		case "PostgreSQL":
			pg = r
		}
	}
	if pqdb == nil || pg == nil {
		return
	}
	for _, q := range o.Queries {
		mine, ok1 := pqdb.Results[q.Name]
		theirs, ok2 := pg.Results[q.Name]
		if !ok1 || !ok2 {
			continue
		}
		if diffs := CompareText(theirs, mine); len(diffs) > 0 {
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
		seconds(Median(runs)), len(runs), seconds(slices.Min(runs)), seconds(slices.Max(runs)))
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
