// Package suite runs the workloads of issue 10 ("Faster than DuckDB on its
// own Parquet files") against pqdb, DuckDB and PostgreSQL 15 and turns them
// into one table of ratios, each row with the target for it and
// whether the run met it. cmd/bench drives it:
//
//	cd bench && go build -o /tmp/pqdb-server ../cmd/pqdb-server
//	go run ./cmd/bench -sf 1 -start-server /tmp/pqdb-server \
//	    -pg-dsn postgres://postgres@127.0.0.1:54316/bench_tool
//
// The story of one run:
//
//  1. Data: the TPC-H tables of the scale factor as Parquet files
//     (tpch.EnsureParquet, generated once by the dbgen port and reused), and
//     for the copy workload lineitem written from its Parquet file in the
//     three COPY formats (EnsureCopyFiles: CSV, PostgreSQL's text format and
//     binary PGCOPY, one 4,096-row chunk in memory at a time; numbers and
//     dates are written as PostgreSQL writes them, numerics in binary with
//     display scale 2).
//  2. Each workload starts its own pqdb-server on a fresh data directory, so
//     its peak resident set (VmHWM from /proc, reset where a workload has
//     parts) belongs to that workload alone, and stops it afterwards.
//  3. tpch: tpch.Run loads the eight tables into pqdb and PostgreSQL, times
//     the queries there and on DuckDB over the Parquet files, and checks
//     every answer against DuckDB's. TPCHRows makes one row per query (the
//     medians in ms, pqdb ÷ DuckDB, "≤ 2× DuckDB, answer equal") and one for
//     the geomean of the answered queries with the scale factor's target.
//  4. copy: RunCopy loads each file with one COPY … FROM STDIN into a new
//     table on pqdb and on PostgreSQL, and DuckDB loads the CSV (and the
//     text file, read as tab-separated CSV) with COPY … FROM the file; there
//     is no DuckDB reader of PGCOPY. Rates are rows over the COPY
//     statement's time; each loaded table must give DuckDB's answer over
//     the Parquet file to an aggregate over every column (copyCheck), or the
//     load is a wrong answer, not a rate.
//  5. pgbench: PostgreSQL 15's pgbench -i -s N on both servers, then
//     TPC-B with 4 and 16 clients and select-only with 4, all -M prepared,
//     each workload run Runs times on each server, the servers alternating
//     run by run (PostgreSQL first, then pqdb first, ...), so that a drift
//     of the machine's speed favours neither; each server's median tps is
//     reported, and every failed transaction counts. tps and failed
//     transactions are read from pgbench's report (ParsePgbench).
//  6. select1: `SELECT 1` over the simple protocol on one session, first
//     against Mock, a bare pgproto3 server that answers every Query with a
//     canned row (the ceiling of loopback, client and protocol), then
//     against pqdb; every answer is checked.
//  7. Report: the rows, the machine (tpch.DescribeMachine), the command line,
//     the engines' versions and the date, as Markdown for BENCHMARKS.md.
//
// Ratios are always pqdb's figure over the reference's: for times (TPC-H, ms)
// below 1 is faster, for rates (rows/s, tps, queries/s) above 1. A target is
// judged only where the run can show it: a TPC-H target needs all 22 queries
// (but a failed query, a wrong answer or a slow geomean already misses it),
// the SF10 target a measured peak RSS, and a ratio to PostgreSQL a
// PostgreSQL figure; otherwise the verdict is "n/a" with the reason.
//
// Invariants: a pqdb failure or wrong answer is that workload's row, shown
// as FAILED with its SQLSTATE (or "wrong answer"), never a figure; a
// reference engine's failure leaves its figure (and so the ratio) out and is
// returned as the workload's error, which fails the run after the other
// workloads ran. The copy workload's table
// is lineitem_copy and pgbench owns the pgbench_* tables, so the PostgreSQL
// database may be the one the tpch workload loads.
package suite
