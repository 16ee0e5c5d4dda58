// Package storagebench measures what the storage issue asks BENCHMARKS.md to
// report beside PostgreSQL 15 (or DuckDB, for scans): point-lookup latency by
// primary key, the peak memory of a large COPY and of a large ORDER BY, and
// what a sort key lets a selective TPC-H query (Q6) skip.
//
// Every measurement starts its own pqdb-server (tpch.StartServerProcessWith)
// on a fresh data directory, so its memory figures belong to that one
// workload; PostgreSQL, when a DSN is given, is an existing server in which
// the measurement creates, and afterwards drops, its own tables.
//
// The four measurements:
//
//   - PKLookup: kv(id bigint primary key, v int, pad text) loaded with N rows
//     by binary COPY in statements of CopyBatch rows (ids 1..N in order, the
//     realistic load, or a stride permutation of them), CHECKPOINT, then
//     Lookups random ids (uniform over 1..N, seeded) fetched one at a time
//     through a pgx prepared statement `SELECT v FROM kv WHERE id = $1` on one
//     session, after Warmup untimed ones. Latencies are per round trip as the
//     client sees it. Every answer is checked against the value the loader
//     wrote for that id, and an absent id must return no row.
//   - CopyRSS: the same table loaded by one COPY of N rows; the peak resident
//     set of the server process (VmHWM, reset just before the COPY where the
//     kernel allows it, see memory.go) during the COPY and through the
//     CHECKPOINT after it, and the rows per second. On PostgreSQL the process
//     is the session's backend (pg_backend_pid), read when the server runs
//     on this machine; its resident set includes the shared buffers it
//     touched, so the sampled anonymous (private) peak is printed beside it.
//   - Q6Sorted: lineitem of the dbgen port at a scale factor, loaded into a
//     table created WITH (sort_key = 'l_shipdate'), checkpointed, then
//     VACUUMed and VACUUM FULLed; Q6 timed (median of Runs) after each
//     step, with the segments, row groups, pages and bytes its scan read
//     and skipped (EXPLAIN ANALYZE; pages are counted in the row groups
//     read only), and, as a baseline, the same on a table without a sort
//     key (dbgen's order, by l_orderkey). DuckDB runs the same Q6 text
//     over the generated Parquet file and over a copy of it sorted by
//     l_shipdate (row groups of tpch.RowGroupRows rows). Every answer must
//     equal DuckDB's.
//   - OrderByRSS: lineitem (no sort key) loaded and checkpointed, then
//     `SELECT * FROM lineitem ORDER BY l_shipdate, l_orderkey` on a new
//     session with the simple protocol (text rows, as psql reads them),
//     drained by the client, which keeps no row but checks that the rows
//     arrive in order and that their count and sum of l_orderkey are
//     DuckDB's over the file; the server's peak RSS (reset after the load)
//     and the time to the last row.
//
// The generated Parquet files are shared with cmd/tpch (tpch.TableFile in the
// same data directory) and reused when present. dbgen keeps process-global
// state and runs at most once per process, so one process generates one
// scale factor; cmd/storage runs each measurement of -mode all in its own
// child process.
package storagebench
