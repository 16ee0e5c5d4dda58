// Package tpch measures pqdb against DuckDB (and, as a second reference,
// PostgreSQL) on the 22 TPC-H queries over one shared Parquet copy of the
// eight TPC-H tables.
//
// The story of one benchmark run:
//
//  1. Generate: region, nation, supplier, customer, part, partsupp, orders and
//     lineitem come from the Go port of dbgen
//     (github.com/pingcap/go-tpc/tpch/dbgen), which reproduces the reference
//     generator row for row (the tests check the first rows of every table).
//     One dbgen run makes all the tables a run needs; rows stream out in
//     fixed-size batches, so no table is ever held in memory.
//  2. Store: each table's batches are written to its own Parquet file (zstd,
//     row groups of RowGroupRows rows) with standard logical types —
//     DECIMAL(15,2) as INT64, DATE as INT32 days, STRING as BYTE_ARRAY,
//     integers as INT64 or INT32 — so any engine reads them.
//  3. Reference: DuckDB queries the files through one view per table over
//     read_parquet, so the query text it runs is the same text every other
//     engine runs. The texts (queries.go) are the specification's with its
//     validation substitution parameters; at SF1 DuckDB's answers are the
//     specification's qualification answers.
//  4. Servers: pqdb and PostgreSQL are reached over the PostgreSQL protocol with
//     pgx. Each table is created with the TPC-H column types, filled with
//     binary COPY in bounded batches read back from its Parquet file, and
//     checkpointed before any query is timed. Both then declare the TPC-H
//     primary keys, lineitem's on PostgreSQL only (pqdb's planner groups
//     by a declared key and reads the columns it determines through it);
//     PostgreSQL also gets the foreign-key indexes it needs for the
//     correlated subqueries.
//  5. Verify: every server's answer is compared with DuckDB's row by row.
//     Values DuckDB returns exactly (integers, strings, DECIMAL, dates) must be
//     equal as decimal numbers or text, with no rounding; values DuckDB only
//     has as DOUBLE (averages, and the decimal divisions of Q8, Q14 and Q17)
//     must agree to a relative 1e-12; char(n) values compare without the
//     trailing blanks a server pads them with. A query a server cannot run is
//     a failure with its SQLSTATE, reported per query like a wrong answer.
//
// Run does all of this for cmd/tpch, and for cmd/bench (package suite), which
// adds the other workloads of issue 10 and one table of ratios.
//
// Invariants: dbgen keeps process-global state, so Generate runs at most once
// per process and makes every table in that one run; query results are
// carried as text exactly as the engine produced them (pgx runs queries with
// the simple protocol, so the server's own text output is what gets
// compared).
//
// The dbgen port only takes whole scale factors, so the tests use the
// smallest, SF1, with orders and lineitem cut after the first 15,000 orders
// (the sizes of SF 0.01); the other tables are whole, so every key an order or
// line holds exists.
package tpch
