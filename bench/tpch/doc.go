// Package tpch measures pqdb against DuckDB (and, as a second reference,
// PostgreSQL) on TPC-H queries over one shared Parquet copy of the data.
//
// The story of one benchmark run:
//
//  1. Generate: the TPC-H lineitem table comes from the Go port of dbgen
//     (github.com/pingcap/go-tpc/tpch/dbgen), which reproduces the reference
//     generator row for row. Rows stream out in fixed-size batches; the whole
//     table is never held in memory.
//  2. Store: the batches are written to one Parquet file (zstd, row groups of
//     RowGroupRows rows) with standard logical types — DECIMAL(15,2) as INT64,
//     DATE as INT32 days, STRING as BYTE_ARRAY — so any engine reads it.
//  3. Reference: DuckDB queries the file through a view over read_parquet, so
//     the query text it runs is the same text every other engine runs.
//  4. Servers: pqdb and PostgreSQL are reached over the PostgreSQL protocol with
//     pgx. The table is created with the TPC-H column types, filled with binary
//     COPY in bounded batches read back from the Parquet file, and checkpointed
//     before any query is timed.
//  5. Verify: every server's answer is compared with DuckDB's row by row.
//     Values DuckDB returns exactly (integers, strings, DECIMAL) must be equal as
//     decimal numbers, with no rounding; values DuckDB only has as DOUBLE (the
//     averages of Q1) must agree to a relative 1e-12.
//
// Invariants: dbgen keeps process-global state, so Generate runs at most once
// per process; query results are carried as text exactly as the engine produced
// them (pgx runs queries with the simple protocol, so the server's own text
// output is what gets compared).
package tpch
