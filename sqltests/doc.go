// Package sqltests runs sqllogictest scripts against any server that speaks
// the PostgreSQL wire protocol, and reports how many records pass.
//
// Two dialects of the format are understood, chosen by file name:
//
//   - The SQLite dialect (files ending in .test), as written by SQLite's
//     original sqllogictest program. Query results are printed one value per
//     line, each value formatted by the column's type letter: I prints an
//     integer (a fractional value truncates toward zero), R prints "%.3f", T
//     prints the text with "(empty)" for the empty string and '@' for
//     non-printable bytes; NULL prints "NULL". A result with more values than
//     the hash threshold (8 unless the file sets hash-threshold) is written
//     as "N values hashing to <md5>", the MD5 of every printed value followed
//     by a newline, taken after sorting.
//   - The sqllogictest-rs dialect (files ending in .slt or .slt.part), as
//     used by RisingWave, DataFusion and DuckDB. Values are printed as the
//     server sent them (again "NULL" and "(empty)"), one row per line, and a
//     row matches its expected line after both have their runs of
//     whitespace collapsed to one space; words that are both decimal
//     numbers match when equal in value (42 and 42.0), because those
//     engines print numerics through their own decimal types.
//
// A query's values are sorted (rowsort, valuesort) before they are
// compared. An expected "N values hashing to H" line is checked against the
// count and MD5 of the sorted values; values written out are checked one by
// one. Queries sharing a label must produce identical values.
//
// Values are always read in the text format over the simple query protocol
// (or, on request, the extended protocol with text results), so formatting
// follows the type letters of the record and the server's own text output,
// never a client-side decoding into Go types. (A column's type OID is used
// only to print a boolean under I or R as 1 or 0, as SQLite would.)
//
// CompleteFile (pqdb-slt --complete) turns the runner around: it runs a
// script and writes each query's result, as this package prints and sorts
// it, into the file as the expected result, so new scripts take their
// expectations from PostgreSQL 15, the behaviour pqdb is held to.
// Statements and expected errors are only checked, never rewritten.
// TestPostgresTestdata runs the scripts on PostgreSQL 15 (a private
// instance, or PQDB_TEST_PG_DSN) to keep every expectation PostgreSQL's.
//
// Directives the corpora do not use (loop, include, system, connection,
// control substitution) are not supported: such a record counts as one
// failure that names it, and the file goes on.
//
// Invariants of a run:
//
//   - A file runs on one connection, opened by the caller's connect function.
//     A record whose failure closed the connection (a crash, a timeout) is
//     recorded and the runner reconnects before the next record; records are
//     never retried.
//   - Every record that is executed counts exactly once, as passed or failed;
//     records excluded by skipif/onlyif count as skipped; records after a halt
//     are not counted at all.
//   - An expected error is expected by kind only: the text after
//     "statement error" or "query error" is kept for reports but not
//     matched, because the corpora carry the messages of the engine that
//     wrote them (SQLite, RisingWave), not PostgreSQL's.
//   - Tables and views created by a file are dropped when it ends (unless
//     Options.KeepObjects), so files can share one database.
package sqltests
