// Package engine is the session layer between the protocol and the
// planner: one Session per connection holds the settings, the transaction
// state and the open storage transaction, and runs each statement the
// wire layer hands it.
//
// Running a statement: bind it against a snapshot of the catalog taken at
// statement start (the transaction's own view, so a session sees its own
// uncommitted tables and rows), decode the parameters with the types the
// binder settled on, lower the plan to exec operators, and either stream
// the result rows to the client or apply the rows as writes to the
// storage transaction. A statement keeps its bound plan for its next run
// while the catalog, the settings binding read and its parameter types
// stay the same (plan_cache.go), as PostgreSQL's plan cache keeps a
// prepared statement's: only lowering and running happen per run (and a
// plan of constants, such as SELECT 1, re-opens its last run's operators
// instead of lowering again, and a lookup by primary key re-opens them
// rebound to the run's parameters and snapshot). The
// statements of a simple Query are kept by the message's text, so a text
// sent again is neither parsed nor bound again (query_text_cache.go).
//
// Every row a statement writes passes its table's checks (check.go):
// the values its column types allow (type_checks.go: enum labels, domain
// constraints), then the table's CHECK constraints. Type DDL and what it
// does to the tables using a type is user_type.go. Storage enforces
// unique indexes over expressions or with a predicate with keys the
// engine computes for it (index_keys.go).
//
// Besides statements, a session keeps what Postgres keeps per session:
// settings (SET is transactional, SET LOCAL ends with the block), SQL
// prepared statements, cursors (cursor.go), savepoints (savepoint.go) and
// temporary tables (temp_tables.go: a schema of the session's own,
// pg_temp_<pid>, whose ON COMMIT actions run before each commit and which
// is dropped when the session ends).
//
// UPDATE, DELETE, ON CONFLICT DO UPDATE, foreign-key actions and SELECT
// ... FOR UPDATE lock the rows they change or select (row_locks.go),
// waiting for other transactions at most lock_timeout; a READ COMMITTED
// statement that finds such a row changed since its snapshot runs again
// on a newer one. A statement a client described keeps its result
// columns: a later run whose plan returns others fails with 0A000
// (cached_result.go), the plan it kept having been bound again for the
// change in the catalog.
//
// A statement whose WITH holds data-modifying queries runs them first,
// each to its end, keeping their RETURNING rows for the main statement
// (modifying_with.go); every part reads the statement's one snapshot.
// EXPLAIN ANALYZE runs the same parts over the instrumented operators the
// planner lowered for it, its writes taking effect (explain.go).
//
// Every plan runs with the session's work_mem and temp_file_limit, the
// server's memory budget (Config.MemoryLimit) and the engine's directory
// of temporary files, made under Config.TempDir at Open and removed at
// Close (memory_settings.go); the executor spills and accounts by them.
//
// What an operator sees: a configuration file's settings are every
// session's defaults (file_settings.go, pg_settings' sources); the
// statement log writes statements and durations through slog as
// log_statement and log_min_duration_statement say (statement_log.go);
// Config.ObserveStatement hears of every statement as it ends and Stats
// tells the engine's gauges (observe.go: the server's metrics); running
// COPYs show in pg_stat_progress_copy (copy_progress.go); and the
// protocol layer reads the settings that govern the connection, idle
// timeouts and TCP keepalives (connection_settings.go).
//
// Invariants:
//   - Outside a transaction block, statements run in an implicit
//     transaction that spans one simple Query message or one pipeline up
//     to Sync: the protocol layer calls EndImplicitTransaction before
//     every ReadyForQuery, which commits it durably, so a client that saw
//     ReadyForQuery finds the rows after a crash. An error rolls the whole
//     implicit transaction back, as in Postgres.
//   - Inside a block, an error marks the block failed; everything but
//     ROLLBACK, COMMIT and ROLLBACK TO a savepoint then gets 25P02, and
//     ending the block discards all of its changes.
//   - Errors returned to the wire layer are *pgerr.Error; anything else is
//     a bug and surfaces as XX000.
//   - Settings change only through setSetting and replaceSettings
//     (settings.go), which count the changes: what every statement
//     derives from the settings (exec settings, TimeZone, the statement
//     timeout, the reported parameters, a kept plan's check) is derived
//     again only when the count moved, not looked up by name per
//     statement.
package engine
