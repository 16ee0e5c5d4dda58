// Command bench runs every workload of issue 10 against pqdb, DuckDB and
// PostgreSQL 15 and prints one table of ratios, with each workload's target
// and whether it was met, ready to paste into BENCHMARKS.md:
//
//	cd bench && go build -o /tmp/pqdb-server ../cmd/pqdb-server
//	go run ./cmd/bench -sf 1 -start-server /tmp/pqdb-server \
//	    -pg-dsn postgres://postgres@127.0.0.1:54316/bench_tool
//	go run ./cmd/bench -sf 10 -workloads tpch -start-server /tmp/pqdb-server -pg-dsn ...
//
// A scale factor whose load takes long (SF10: about 20 minutes) can be
// loaded once into a server started by hand and queried again and again:
//
//	pqdb-server --data-dir /tmp/sf10-db --listen 127.0.0.1:56800 &
//	go run ./cmd/bench -sf 10 -workloads tpch -dsn postgres://pqdb@127.0.0.1:56800/pqdb -server-pid $!
//	go run ./cmd/bench -sf 10 -workloads tpch -dsn postgres://pqdb@127.0.0.1:56800/pqdb -server-pid $! -load=false
//
// The workloads (-workloads, default all): tpch (the 22 queries, or
// -queries), copy (lineitem by COPY in csv, text and binary), pgbench
// (TPC-B with 4 and 16 clients, select-only with 4, prepared) and select1
// (SELECT 1 over the simple protocol beside a bare pgproto3 mock). Package
// suite's documentation tells what each measures. With -start-server each
// workload gets its own freshly started pqdb-server, whose peak resident
// set over the workload is reported. pgbench -i replaces the pgbench_*
// tables of the -pg-dsn database, and the tpch workload its TPC-H tables.
//
// The exit status is 1 when pqdb failed a workload or gave a wrong answer,
// or a reference engine failed; a missed target is reported, not an error.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/pqdb/pqdb/bench/storagebench"
	"github.com/pqdb/pqdb/bench/suite"
	"github.com/pqdb/pqdb/bench/tpch"
)

var allWorkloads = []string{"tpch", "copy", "pgbench", "select1"}

type options struct {
	workloads   []string
	tpch        tpch.RunOptions
	startServer string
	serverArgs  []string
	port        int
	// serverPID is the -dsn server's process, whose peak resident set is
	// then reported as a started server's is (0: not measured).
	serverPID    int
	pgbench      string
	pgbenchScale int
	pgbenchTime  time.Duration
	pgbenchRuns  int
	select1Time  time.Duration
	mockAddr     string
}

func main() {
	var o options
	var workloads, queries, serverArgs string
	flag.StringVar(&workloads, "workloads", strings.Join(allWorkloads, ","), "workloads to run, of "+strings.Join(allWorkloads, ","))
	flag.Int64Var(&o.tpch.ScaleFactor, "sf", 1, "TPC-H scale factor of the tpch and copy workloads (positive integer)")
	flag.StringVar(&queries, "queries", "", "TPC-H queries to run, by number, e.g. 1,6,13 (default: all 22)")
	flag.IntVar(&o.tpch.Runs, "runs", 3, "times each TPC-H query runs on each engine; the median is reported")
	flag.StringVar(&o.tpch.DataDir, "data-dir", "data", "directory of the generated Parquet and COPY files")
	flag.BoolVar(&o.tpch.Regenerate, "regen", false, "generate the Parquet files even if they exist")
	flag.DurationVar(&o.tpch.QueryTimeout, "timeout", 30*time.Minute, "limit for each table load, COPY and query run")
	flag.StringVar(&o.tpch.PQDBDSN, "dsn", "", "a running pqdb's connection string, used when -start-server is not given (no memory figures)")
	flag.StringVar(&o.startServer, "start-server", "", "pqdb-server binary to start on a fresh data directory for each workload")
	flag.StringVar(&serverArgs, "server-args", "", "extra pqdb-server arguments, separated by spaces")
	flag.IntVar(&o.port, "port", 0, "loopback port of the started pqdb-server (0: a free one)")
	flag.IntVar(&o.serverPID, "server-pid", 0, "process id of the -dsn server, to report its peak resident set (0: not measured)")
	flag.BoolVar(&o.tpch.Load, "load", true, "create and load the TPC-H tables (false: query the tables already on the -dsn server, e.g. one loaded by an earlier run)")
	flag.DurationVar(&o.tpch.ReadyTimeout, "ready-timeout", time.Minute, "how long to wait for a started pqdb-server")
	flag.StringVar(&o.tpch.PostgresDSN, "pg-dsn", "", "PostgreSQL 15 database to compare with (empty: skip); its TPC-H and pgbench tables are replaced")
	flag.BoolVar(&o.tpch.PGIndexes, "pg-indexes", true, "build the TPC-H keys and foreign-key indexes on PostgreSQL, then ANALYZE")
	flag.BoolVar(&o.tpch.PQDBKeys, "pqdb-keys", true, "declare the TPC-H primary keys but lineitem's on pqdb's tables after loading")
	flag.Int64Var(&o.tpch.CopyBatch, "copy-batch", tpch.RowGroupRows, "rows per binary COPY statement while loading the TPC-H tables")
	flag.StringVar(&o.pgbench, "pgbench", suite.PgbenchBinary(), "PostgreSQL 15's pgbench")
	flag.IntVar(&o.pgbenchScale, "pgbench-scale", 10, "pgbench -i scale factor")
	flag.DurationVar(&o.pgbenchTime, "pgbench-time", 10*time.Second, "length of each pgbench run (-T)")
	flag.IntVar(&o.pgbenchRuns, "pgbench-runs", 3, "pgbench runs of each workload per server, alternating between the servers (the median is reported)")
	flag.DurationVar(&o.select1Time, "select1-time", 10*time.Second, "length of each SELECT 1 run (mock, then pqdb)")
	flag.StringVar(&o.mockAddr, "mock-addr", "127.0.0.1:0", "where the SELECT 1 mock listens")
	serveMock := flag.Bool("serve-mock", false, "only serve the SELECT 1 mock on -mock-addr until standard input closes (the select1 workload runs the mock so, in a process of its own)")
	flag.Parse()
	if *serveMock {
		if err := suite.ServeMock(o.mockAddr); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	o.serverArgs = strings.Fields(serverArgs)
	var err error
	if o.workloads, err = parseWorkloads(workloads); err == nil {
		o.tpch.Queries, err = tpch.SelectQueries(queries)
	}
	if err == nil {
		err = checkOptions(o)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	ok, err := run(context.Background(), o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	if !ok {
		os.Exit(1)
	}
}

// checkOptions refuses flags that cannot run together.
func checkOptions(o options) error {
	if o.tpch.Runs < 1 {
		return fmt.Errorf("-runs must be at least 1")
	}
	if o.startServer == "" && o.tpch.PQDBDSN == "" {
		return fmt.Errorf("give -start-server or -dsn")
	}
	if !o.tpch.Load && o.startServer != "" {
		return fmt.Errorf("-load=false needs a loaded server: give -dsn, not -start-server, which starts an empty one")
	}
	if slices.Contains(o.workloads, "pgbench") && o.pgbench == "" {
		return fmt.Errorf("pgbench not found; give -pgbench")
	}
	if o.pgbenchTime < time.Second || o.select1Time <= 0 || o.pgbenchScale < 1 || o.pgbenchRuns < 1 {
		return fmt.Errorf("-pgbench-time must be at least 1s, -select1-time positive, -pgbench-scale and -pgbench-runs at least 1")
	}
	return nil
}

// parseWorkloads reads -workloads; they run, and appear in the table, in
// allWorkloads' order whatever the order of the flag.
func parseWorkloads(s string) ([]string, error) {
	named := strings.Split(s, ",")
	for i, w := range named {
		named[i] = strings.TrimSpace(w)
		if !slices.Contains(allWorkloads, named[i]) {
			return nil, fmt.Errorf("no workload %q (have %s)", named[i], strings.Join(allWorkloads, ", "))
		}
	}
	var chosen []string
	for _, w := range allWorkloads {
		if slices.Contains(named, w) {
			chosen = append(chosen, w)
		}
	}
	return chosen, nil
}

// pqdbServer is the pqdb a workload runs against: a started process, or the
// running server -dsn names.
type pqdbServer struct {
	dsn  string
	pid  int
	proc *tpch.ServerProcess
}

// startPQDB starts a fresh pqdb-server for one workload, or returns the
// -dsn server.
func startPQDB(ctx context.Context, o options, workload string) (pqdbServer, error) {
	if o.startServer == "" {
		return pqdbServer{dsn: o.tpch.PQDBDSN, pid: o.serverPID}, nil
	}
	proc, err := tpch.StartServerProcessWith(ctx, o.startServer, tpch.ServerOptions{Port: o.port, Args: o.serverArgs}, o.tpch.ReadyTimeout)
	if err != nil {
		return pqdbServer{}, err
	}
	fmt.Printf("pqdb: started %s for %s at %s, pid %d\n", o.startServer, workload, proc.DSN, proc.PID())
	return pqdbServer{dsn: proc.DSN, pid: proc.PID(), proc: proc}, nil
}

// stop stops a started server, showing its last log lines when the
// workload failed on it.
func (s pqdbServer) stop(failed bool) {
	if s.proc == nil {
		return
	}
	if failed {
		fmt.Printf("pqdb server log (last lines):\n%s\n", s.proc.LogTail(20))
	}
	if err := s.proc.Stop(); err != nil {
		fmt.Printf("pqdb: stopping the server: %v\n", err)
	}
}

func run(ctx context.Context, o options) (bool, error) {
	report := suite.Report{Date: time.Now(), Command: "cd bench && go run ./cmd/bench " + suite.ShellQuote(os.Args[1:]), Machine: tpch.DescribeMachine()}
	fmt.Printf("machine: %s\n", report.Machine)
	report.Engines = engineVersions(ctx, o)
	ok := true
	// The Parquet files first: dbgen runs once per process, so every table
	// any workload needs is generated here in one run.
	var data tpch.Dataset
	var err error
	if slices.Contains(o.workloads, "tpch") || slices.Contains(o.workloads, "copy") {
		if data, err = tpch.EnsureParquet(o.tpch, os.Stdout); err != nil {
			return false, err
		}
	}
	var copyFiles map[string]string
	if slices.Contains(o.workloads, "copy") {
		if copyFiles, err = suite.EnsureCopyFiles(data.Files["lineitem"], os.Stdout); err != nil {
			return false, err
		}
	}
	var failures []string
	for _, w := range o.workloads {
		fmt.Printf("\n== workload %s ==\n", w)
		srv, err := startPQDB(ctx, o, w)
		if err != nil {
			return false, err
		}
		rows, wok, err := runWorkload(ctx, o, w, data, copyFiles, srv)
		srv.stop(!wok || err != nil)
		if err != nil {
			failures = append(failures, fmt.Sprintf("%s: %v", w, err))
		}
		ok = ok && wok && err == nil
		report.Rows = append(report.Rows, rows...)
	}
	if self, err := storagebench.ReadProcessMemory(os.Getpid()); err == nil {
		report.ClientPeakRSS = self.Peak
	}
	fmt.Printf("\n%s", report.Markdown())
	for _, f := range failures {
		fmt.Printf("\nFAILED %s\n", f)
	}
	return ok, nil
}

// runWorkload runs one workload against srv and returns its summary rows,
// whether pqdb ran it without failures or wrong answers, and an error for a
// failed reference engine (whose figures the rows then lack).
func runWorkload(ctx context.Context, o options, w string, data tpch.Dataset, copyFiles map[string]string, srv pqdbServer) ([]suite.Row, bool, error) {
	switch w {
	case "tpch":
		opts := o.tpch
		opts.PQDBDSN, opts.StartServer = srv.dsn, ""
		peak := suite.WatchPeak(srv.pid)
		res, err := tpch.Run(ctx, opts, os.Stdout)
		if err != nil {
			return nil, false, err
		}
		return suite.TPCHRows(o.tpch.ScaleFactor, o.tpch.Queries, res, peak()), res.OK, nil
	case "copy":
		rows, err := suite.RunCopy(ctx, suite.CopyConfig{
			ScaleFactor: o.tpch.ScaleFactor, Parquet: data.Files["lineitem"], Rows: data.Rows["lineitem"], Files: copyFiles,
			PQDBDSN: srv.dsn, PQDBPID: srv.pid, PostgresDSN: o.tpch.PostgresDSN, Timeout: o.tpch.QueryTimeout, Log: os.Stdout,
		})
		return rows, allRan(rows), err
	case "pgbench":
		rows, err := suite.RunPgbench(ctx, suite.PgbenchConfig{
			Binary: o.pgbench, Scale: o.pgbenchScale, Duration: o.pgbenchTime, Runs: o.pgbenchRuns,
			PQDBDSN: srv.dsn, PQDBPID: srv.pid, PostgresDSN: o.tpch.PostgresDSN, Log: os.Stdout,
		})
		return rows, allRan(rows), err
	case "select1":
		self, err := os.Executable()
		if err != nil {
			return nil, false, err
		}
		row, err := suite.RunSelect1(ctx, suite.Select1Config{PQDBDSN: srv.dsn, PQDBPID: srv.pid, MockAddr: o.mockAddr,
			MockCommand: []string{self, "-serve-mock", "-mock-addr", o.mockAddr}, Duration: o.select1Time, Log: os.Stdout})
		return []suite.Row{row}, row.Failed == "", err
	}
	return nil, false, fmt.Errorf("no workload %q", w)
}

// allRan says pqdb ran every row's workload.
func allRan(rows []suite.Row) bool {
	for _, r := range rows {
		if r.Failed != "" {
			return false
		}
	}
	return true
}

// engineVersions names the build of pqdb and the versions of DuckDB and
// PostgreSQL the run measures.
func engineVersions(ctx context.Context, o options) []string {
	var versions []string
	if o.startServer != "" {
		versions = append(versions, "pqdb "+storagebench.BuildRevision(o.startServer))
	}
	if duck, err := tpch.OpenDuckDB(ctx, nil); err == nil {
		if v, err := duck.Version(ctx); err == nil {
			versions = append(versions, "DuckDB "+v)
		}
		duck.Close()
	}
	if o.tpch.PostgresDSN != "" {
		if pg, err := tpch.ConnectServer(ctx, suite.EnginePostgreSQL, o.tpch.PostgresDSN); err == nil {
			versions = append(versions, pg.Version(ctx))
			pg.Close(ctx)
		}
	}
	if slices.Contains(o.workloads, "pgbench") {
		versions = append(versions, "pgbench "+o.pgbench)
	}
	return versions
}
