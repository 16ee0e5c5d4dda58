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
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/pqdb/pqdb/bench/tpch"
)

func main() {
	var o tpch.RunOptions
	var queries string
	flag.Int64Var(&o.ScaleFactor, "sf", 1, "TPC-H scale factor (positive integer)")
	flag.IntVar(&o.Runs, "runs", 5, "times each query runs on each engine; the median is reported (a run over 1 minute is not repeated)")
	flag.StringVar(&queries, "queries", "", "queries to run, by number, e.g. 1,6,13 (default: all 22)")
	flag.StringVar(&o.DataDir, "data-dir", "data", "directory of the generated Parquet files")
	flag.BoolVar(&o.Regenerate, "regen", false, "generate the Parquet files even if they exist")
	flag.StringVar(&o.PQDBDSN, "dsn", "postgres://pqdb@127.0.0.1:5432/pqdb?sslmode=disable", "pqdb connection string (empty: skip pqdb)")
	flag.StringVar(&o.StartServer, "start-server", "", "path of a pqdb-server binary to start on a free port with a fresh data directory (overrides -dsn)")
	flag.DurationVar(&o.ReadyTimeout, "ready-timeout", time.Minute, "how long to wait for a started pqdb-server to accept sessions")
	flag.StringVar(&o.PostgresDSN, "pg-dsn", "", "PostgreSQL connection string for a reference column (empty: skip)")
	flag.BoolVar(&o.PGIndexes, "pg-indexes", true, "build the TPC-H primary keys and foreign-key indexes on PostgreSQL after loading, then ANALYZE")
	flag.BoolVar(&o.PQDBKeys, "pqdb-keys", true, "declare the TPC-H primary keys but lineitem's on pqdb's tables after loading")
	flag.BoolVar(&o.Load, "load", true, "create and load the tables on each server (false: query the tables already there)")
	flag.Int64Var(&o.CopyBatch, "copy-batch", tpch.RowGroupRows, "rows per COPY statement while loading")
	flag.DurationVar(&o.QueryTimeout, "timeout", 30*time.Minute, "limit for each table load and each query run")
	flag.Parse()
	if o.Runs < 1 {
		fmt.Fprintln(os.Stderr, "tpch: -runs must be at least 1")
		os.Exit(2)
	}
	var err error
	if o.Queries, err = tpch.SelectQueries(queries); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	report, err := tpch.Run(context.Background(), o, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "tpch:", err)
		os.Exit(1)
	}
	if !report.OK {
		os.Exit(1)
	}
}
