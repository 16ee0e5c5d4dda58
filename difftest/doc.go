// Package difftest is pqdb's differential tester: it generates random
// schemas, data and queries, in the spirit of SQLsmith and SQLancer, runs
// them on pqdb and on a real PostgreSQL 15, and fails on every
// difference.
//
// # The story of one run
//
// TestDifferential starts a private PostgreSQL 15 (initdb --auth=trust,
// locale C.UTF-8 so that text sorts by byte like pqdb, on a free
// loopback port in its own temporary directory, as the postgres user
// when run by root; see servers.go). Without the server binaries
// (/usr/lib/postgresql/15/bin or $PQDB_PG15_BIN) the test skips, unless
// $CI is set: then it fails. For each of -schemas rounds it then
//
//  1. draws a schema (schema.go): 2-4 tables, each with an id column
//     (unique 1..n) and 3-8 columns of int2/int4/int8, numeric(p,s) and
//     plain numeric (each value written with its own scale),
//     float8, text, varchar(n), bool, date, timestamp and timestamptz
//     (some as timestamp(p), values at DST changes among them;
//     datetime.go), jsonb (nested objects, arrays and scalars, 'null'
//     among them; jsonb.go), int4[] and text[] (NULL elements, empty
//     arrays; arrays.go), 0-20% NULLs, 0 to a few thousand rows, at
//     least one table big enough to span many batches, and the round's
//     TimeZone: UTC, America/New_York, Asia/Kolkata or
//     Australia/Lord_Howe, set on both servers;
//  2. draws the data (data.go): the same INSERTs on both servers, then
//     CHECKPOINT on pqdb after the tables marked flushed (some in two
//     segments), then UPDATEs and DELETEs, so that pqdb reads Parquet
//     segments with delete markers, the writer's unflushed tail, and
//     both at once. The load is written to load-seedN.sql in -out;
//  3. starts a fresh pqdb in-process and loads it, and reloads
//     PostgreSQL's tables;
//  4. generates queries (querygen.go over expr.go): SELECTs with
//     WHERE, inner/LEFT/RIGHT/comma/cross joins with extra ON
//     conditions, FROM items other than tables (from_items.go):
//     generate_series over small int, numeric and timestamp ranges,
//     unnest of one or two arrays, both sometimes WITH ORDINALITY and
//     LATERAL over columns before them, LATERAL subqueries (ORDER BY
//     ... LIMIT k, or aggregates; after a comma, JOIN or LEFT JOIN ...
//     ON) and joins with an alias and column list, (a JOIN b ON ...) AS
//     x(...); set-returning functions in the select list
//     (generate_series, unnest, jsonb_array_elements, jsonb_object_keys);
//     scalar, IN, NOT IN, EXISTS, NOT EXISTS and correlated subqueries,
//     GROUP BY/HAVING with count/sum/avg/min/max/count (DISTINCT),
//     array_agg, jsonb_agg and jsonb_object_agg (each sorted by its
//     argument: their result follows the input's order),
//     ROLLUP/CUBE/GROUPING SETS with grouping(), window functions with
//     ROWS/RANGE/GROUPS frames and EXCLUDE (querygen_window.go),
//     DISTINCT, UNION/INTERSECT/EXCEPT [ALL], ORDER BY over every output
//     column with LIMIT/OFFSET, CASE, COALESCE, NULLIF, LIKE, BETWEEN, IN
//     lists, string, math and date functions, numeric(p,s) casts
//     (negative scales too), timestamp(p) casts, date_trunc (with a
//     zone too), EXTRACT, date_part, date_bin, to_char, age, AT TIME
//     ZONE, casts between date, timestamp and timestamptz, interval
//     arithmetic, comparisons across date, timestamp and timestamptz;
//     jsonb's ->, ->>, #>, #>>, @>, <@, ?, ?|, ?&, ||, -, jsonb_typeof,
//     jsonb_array_length (guarded by jsonb_typeof), jsonb_build_*,
//     to_jsonb; arrays' @>, <@, &&, = ANY, op ANY/ALL, ||, subscripts
//     and slices, array_length, cardinality, array_position,
//     array_append/prepend/remove/cat, array_to_string and
//     string_to_array;
//  5. checks each query with the oracles (runner.go, oracle.go).
//
// # Oracles
//
//   - direct: the query on PostgreSQL and on pqdb; results compared as
//     multisets of rows in each server's own text format (simple query
//     protocol), as sequences when the query has an ORDER BY, column
//     types (OIDs) too (compare.go);
//   - TLP (ternary logic partitioning) on pqdb: the rows of Q equal the
//     multiset union of Q WHERE p, Q WHERE NOT p and Q WHERE p IS NULL;
//   - NoREC on pqdb: SELECT count(*) ... WHERE p equals SELECT
//     sum(CASE WHEN p THEN 1 ELSE 0 END) ....
//
// When a metamorphic oracle fails, its queries are rerun on PostgreSQL
// to find the one pqdb answers wrongly, and that is reported.
//
// Each pqdb query runs under an execution configuration drawn from the
// seed: pqdb.batch_rows in {1, 2, 3, 1023, 65536} and
// max_parallel_workers_per_gather in 0..4 (with pqdb.parallel_min_rows 1
// so that small tables run in parallel too), set with SET before the
// query. Settings pqdb does not know (42704) are detected once at start,
// logged and left alone.
//
// # Invariants
//
//   - Determinism: schema, data, queries, configurations and the
//     round's TimeZone come from math/rand/v2 PCG sources seeded by
//     -seed; a run is reproduced by its seed and flags.
//   - Only PostgreSQL 15's SQL: a query PostgreSQL rejects with a
//     syntax or semantic error (42xxx) is a gap of the generator,
//     counted, not a pqdb failure.
//   - No overflow: every int, numeric and float expression carries a
//     bound on its magnitude (Expr.Bound) and arithmetic is generated
//     only when the result stays far inside its type.
//   - ORDER BY is total (every output column), so LIMIT is
//     deterministic and ordered results compare as sequences.
//   - Values compare exactly as text, except float8 results (relative
//     tolerance 1e-9: sums and averages depend on addition order).
//     Classes of difference: rows, types (same text, other OID),
//     numeric-scale (values equal after stripping trailing zeros:
//     1.50 against 1.5), numeric-precision (equal but for digits
//     beyond the shorter value's last one), empty-row-as-null (rows
//     whose values are all empty strings arrive as NULLs), pqdb-error,
//     error-codes, pg-error (only PostgreSQL fails, and not with
//     42xxx). The classes name a difference; every one fails the test
//     (numeric is compared digit for digit, display scale included),
//     except those SQL allows: eval-order, an error 22012 on one
//     side only for a query with an unguarded division, since SQL
//     leaves the order of evaluating conjuncts and join inputs to the
//     plan; numeric-representative, rows that are the same once
//     numerics drop trailing fractional zeros, from a query that keeps
//     one of several equal rows (DISTINCT, GROUP BY, UNION) or cuts a
//     sorted result with LIMIT or OFFSET (tied rows fall either side of
//     the cut), which may keep 1.50 or 1.5; float-sum-order, a difference under parallel
//     workers in a query with a float sum or avg whose serial plan
//     agrees (workers add in another order, which moves the last bits
//     and any comparison they decide); and pg-misordered-limit, where
//     PostgreSQL 15's own rows break its ORDER BY (a GROUPING SETS bug,
//     see rowsFollowOrder) before a LIMIT or OFFSET, so the two sides cut
//     different rows from one set; and pg-constant-grouping-key, where
//     PostgreSQL 15 folds a grouping key to a constant (EXPLAIN VERBOSE
//     shows "Group Key: 38.5") and reads the constant above the
//     aggregate where the grouping set that omits the key must give
//     NULL. Float8 values also match within an
//     absolute 1e-12 (terms that cancel sum to 0 in one order, 9.25e-18
//     in another).
//   - pqdb's 0A000 (feature not supported) skips the query and is
//     counted by message and by generator feature, unless PostgreSQL
//     fails with 0A000 too (FULL JOIN on a condition neither hashes nor
//     merges). Any other error on
//     one side only is a failure; errors on both sides must have the
//     same SQLSTATE.
//   - A query that passes the timeout on pqdb (30 s) runs once more
//     with ten times as long; if it then agrees it is counted as slow
//     (speed is not this tester's subject), otherwise it fails.
//   - Failures are shrunk (shrink.go), except timeouts on pqdb, whose
//     every attempt would take the whole timeout: WHERE/HAVING/ON conjuncts,
//     joined tables, select items, ORDER BY, LIMIT, DISTINCT and set
//     operation sides are dropped, expressions replaced by operands,
//     while PostgreSQL still accepts the query and pqdb still differs in
//     the same way under the same configuration. Findings with the same
//     blurred shape (skeleton) are reported once.
//
// # Files
//
// schema.go draws tables and columns, data.go their rows and the load,
// expr.go typed expressions and predicates, datetime.go, jsonb.go and
// arrays.go the values, expressions, predicates and aggregates of
// timestamps, jsonb and arrays, query.go the query tree and its SQL,
// querygen.go queries (FROM, subqueries, aggregates, set operations),
// from_items.go FROM items other than tables and set-returning
// functions in the select list, oracle.go the TLP and NoREC queries,
// runner.go runs and
// classifies, compare.go compares results, shrink.go shrinks queries,
// reduce.go shrinks data, servers.go starts PostgreSQL and pqdb and
// talks to them. difftest_test.go is the test and its flags,
// repro_test.go replays a reproduction script.
//
// # Fuzzing
//
// FuzzGeneratedSQL (fuzz_generated_test.go) drives the same generator
// from a fuzz input instead of a seed: its bytes are the generator's
// random numbers, so coverage-guided mutation changes grammar choices,
// and every input is a query (or a rolled-back block of INSERT ...
// SELECT, UPDATE and DELETE and a query) the generator can make. It
// needs no PostgreSQL: on pqdb alone, over small schemas loaded once, no
// statement may fail with an internal error (XX000), break the
// connection or outlive its statement_timeout. go test runs its seeds
// and saved findings; a fuzzing run is
//
//	go test ./difftest -run XXX -fuzz FuzzGeneratedSQL -fuzztime 15m -parallel 1
//
// # Running
//
// CI runs the default: go test ./difftest (2000 queries over 3 schemas,
// seed 1). A long run is one command:
//
//	go test ./difftest -run TestDifferential -timeout 0 -queries 100000 -schemas 50 -seed 7 -out /tmp/dt
//
// Flags: -queries, -schemas, -seed, -out (keeps load-seedN.sql and
// findings.md; default the test's temporary directory), -findings FILE
// (appends the findings as Markdown), -shrink N (statements per
// shrink), -shrinktotal N (statements for all shrinks of a schema),
// -reduce N (attempts of the data reducer per finding, 0 for none),
// -dtverbose (logs every query and generator gaps).
//
// A failure prints the seed, the round's TimeZone and the execution
// configuration, then,
// when data reduction succeeded (reduce.go: the live rows copied into a
// scratch schema on both servers, then chunks of rows dropped while the
// difference stays), a self-contained script: SET TimeZone (when not
// UTC), CREATE TABLE, INSERT, CHECKPOINT and SET lines marked "-- pqdb
// only", and the shrunk query.
// Otherwise it prints the schema DDL, the path of the full load script
// and the shrunk query. Then the original query and the difference. A
// script runs on fresh servers with
//
//	go test ./difftest -run TestRepro -repro script.sql -v
package difftest
