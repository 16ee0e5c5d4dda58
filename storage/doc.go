// Package storage keeps pqdb's tables: Parquet segments for the bulk of
// the data, and per namespace (schema) a SQLite event log for everything
// committed since the last flush. It knows files, SQLite, Parquet and
// Arrow, not SQL.
//
// # Layout
//
//	<dir>/LOCK                                   flock'ed by the one server using dir
//	<dir>/INITIALIZED                            public was created once; open never recreates it
//	<dir>/global.sqlite                          store-wide catalog: the roles table (WAL)
//	<dir>/<schema>/writer.sqlite                 catalog, event log, counters, sequence values (WAL)
//	<dir>/<schema>/<table-id>/data/NNNNNN.parquet immutable segments
//	<dir>/<schema>/<table-id>/_manifest/vN.json  table manifests; "current" names the live one
//
// Schema directory names keep [a-z0-9_] and escape every other byte as
// %XX. A schema is created under .tmp-<name> and renamed into place; a
// dropped one is renamed to .trash-<name>-<n> and then deleted. No schema
// directory name starts with '.', so open deletes both kinds of leftovers
// and never takes them for schemas.
// Every directory pqdb creates is synced into its parent, and every file
// is synced before it is published (durable_files.go), so what a commit
// or a flush made durable cannot vanish with a directory entry.
//
// # Writers
//
// Each namespace has one writer goroutine that owns its SQLite database.
// Commits from every session and flushes run on it one at a time, so
// writes to a namespace are serialized by construction. Commits that are
// queued together form a group: each is validated against the state the
// previous ones left and gets its own seq, and all are written in one
// SQLite transaction, so concurrent sessions share one fsync. No commit
// returns before its group is durable. A transaction
// touching several namespaces commits them one after another in name
// order; atomicity is per namespace (a failure in the second leaves the
// first committed).
//
// # Events and durability
//
// A commit writes, in one SQLite transaction with synchronous=FULL in WAL
// mode, one event per changed batch: deletes (sorted row ids) and inserts
// (an Arrow IPC stream of up to 64k rows with their row ids), plus catalog
// changes (the objects table holds tables, views, indexes, sequences and
// types as JSON, and a DDL event keeps the history), plus the namespace's
// commit seq and id counters. Commit returns only after that transaction
// is durable.
//
// # Row ids
//
// Every row has a 64-bit row id, unique in its namespace, allocated when
// the row is inserted (a rolled-back insert leaves a gap). UPDATE keeps
// the id: it deletes the old version and inserts the new one under the
// same id in the same commit. The next id is persisted with each commit
// and also recovered from the segments and replayed events on open.
//
// # Versions and deletion
//
// A row version inserted at seq i is dead when a deletion of its row id
// has a seq greater than i. Within one commit deletions come before
// inserts and share its seq, so an update's deletion hides only older
// versions. A transaction's own changes get pending seqs above every
// commit seq (in the order it made them), so the same rule gives it its
// own view.
//
// # Tail and flush
//
// The writer keeps each table's unflushed tail in memory as Arrow records
// and deletion lists, each tagged with its commit seq; on open it rebuilds
// them from the events after the manifest's FlushedSeq. When a tail holds
// more than Options.FlushRows changes, at Checkpoint and at Close, the
// writer flushes it (see flushTable for the crash-safe order): live tail
// rows become a new segment (zstd, RowGroupRows rows per row group,
// statistics and page index, a required _row_id column, standard logical
// types: DECIMAL on INT32/INT64/FIXED_LEN_BYTE_ARRAY(16) by precision,
// var-scale numeric as STRING text, DATE, TIME/TIMESTAMP in
// microseconds, STRING, JSON, UUID; interval as 16 raw bytes; bloom
// filters on primary-key columns; see "Column types in segments"),
// deleted ids of older segments become their delete markers,
// and a new manifest is published by rename. A failed flush keeps the
// events and is retried after the next request. Flushes run on the
// writer, so commits to the namespace wait while one is in progress.
// Once a flush is published its row events are deleted from SQLite (DDL
// events stay); exporting them to <schema>/_events/ Parquet for history
// is not implemented yet. Parquet columns are
// in table order, _row_id last; readers map them by name (see "Altering
// tables").
//
// # Column types in segments
//
//	catalog type                      Parquet column
//	bool                              BOOLEAN
//	int2                              INT32, INT(16)
//	int4, oid                         INT32, INT(32) / UINT(32)
//	int8                              INT64, INT(64)
//	float4, float8                    FLOAT, DOUBLE
//	numeric(p,s), p <= 9              INT32, DECIMAL(p,s)
//	numeric(p,s), p <= 18             INT64, DECIMAL(p,s)
//	numeric with a fixed Scale s      FIXED_LEN_BYTE_ARRAY(16), DECIMAL(38,s)
//	var-scale numeric (plain numeric, BYTE_ARRAY, STRING: numeric_out text
//	or numeric(p,s) beyond decimal128)
//	text, varchar, char, name         BYTE_ARRAY, STRING
//	enum types                        BYTE_ARRAY, STRING: the label
//	json, jsonb                       BYTE_ARRAY, JSON
//	bytea                             BYTE_ARRAY
//	date                              INT32, DATE
//	time                              INT64, TIME(MICROS)
//	timestamp, timestamptz            INT64, TIMESTAMP(MICROS, UTC adjusted for tz)
//	uuid                              FIXED_LEN_BYTE_ARRAY(16), UUID
//	interval                          FIXED_LEN_BYTE_ARRAY(16), raw month-day-nano
//	T[] (one-dimensional arrays)      LIST of T's column: group (LIST) { repeated
//	                                  group list { optional T element } }
//
// Arrays are standard three-level LIST columns (parquet_list.go), so other
// engines read them as lists; in memory they are Arrow List columns of the
// element's Arrow type. Their manifest statistics hold only NULL counts.
//
// An enum column holds its labels' text, with the STRING logical type
// rather than Parquet's ENUM: every engine reads STRING as text, while
// Arrow's Parquet readers (arrow-go's pqarrow among them) read an ENUM
// column as binary. The labels' declared order, which enum comparisons
// follow, is not in the file: it lives in the type's catalog entry, so
// the statistics of an enum column (min and max of the labels' bytes)
// serve equality predicates only (predicate.go). A label's text is what
// is stored, so renaming a label rewrites the tables that use the enum
// (adding labels rewrites nothing).
//
// Var-scale numeric (plain numeric: each value its own display scale, any
// precision, NaN and ±Infinity) fits no Parquet DECIMAL, so segments hold
// the text numeric_out prints ('1.50', 'NaN', '-Infinity'): every digit
// and the display scale survive, and DuckDB, Spark and Trino read the
// exact values as strings they can cast. In memory, in insert events and
// in the tail such a column is Arrow binary of numeric-package encodings;
// the flush prints them and the scan parses them back (numeric.AppendText
// and ParseBytes into reused buffers; see varnumeric.go). Parquet's
// min/max of that column order strings ("10" < "9.5"), so pqdb never
// prunes with them: its manifest statistics for the column are computed
// and compared with numeric.Compare (NaN above Infinity, as in
// PostgreSQL), and keys over it use numeric.AppendKey, so 1.5 and 1.50 are
// one key.
//
// # Snapshots and scans
//
// Committed state is a tree of immutable values (nsState → tableState →
// Manifest + tail slices that are only appended to) published through an
// atomic pointer per namespace. A Snapshot captures those pointers, so
// reads never wait for writers. A scan walks the manifest's segments,
// skipping segments and row groups whose manifest statistics exclude a
// predicate, decodes Parquet pages in bulk into Arrow buffers, drops
// deleted rows, then yields the tail records (and the transaction's own
// rows) minus deletions. A goroutine decodes the next row group (its
// columns in parallel) while the consumer works on the current one, and
// records never exceed MaxBatchRows rows. ScanPartitions splits one scan
// into n readers for parallel pipelines: they take row groups from a
// shared counter, and the first also yields the tail and the
// transaction's own rows. Decoded column buffers are recycled through a
// pool, released when Arrow's reference counts drop to zero.
//
// External Parquet files (read_parquet, COPY ... FROM a Parquet file) are
// read by ParquetFiles (parquet_external.go) with the same column
// decoder and the same Predicate pruning, over each file's own row group
// statistics instead of manifest bounds; their columns take SQL types
// from the files' physical and logical types, and values in other units
// (milli- and nanosecond timestamps, uint32, INT32 times) are converted
// after decoding. Callers (the engine) decide which paths may be read.
// ParquetWriter (parquet_export.go) writes COPY ... TO a Parquet file in
// the segments' column types, recording in the file's metadata the types
// Parquet cannot name (var-scale numeric, interval, jsonb).
//
// Savepoints record the lengths of a transaction's change lists;
// RollbackTo cuts them back (see savepoint.go).
//
// # Transactions
//
// A Txn keeps its changes in memory: catalog operations in order, and per
// table its inserted batches and deleted row ids, tagged with pending
// seqs. Txn.Snapshot overlays them on the committed state. Commit folds
// them into net changes (rows inserted and deleted by the transaction
// itself vanish), creates new schemas, and hands each namespace its part.
// Commit always ends the transaction, also when it fails.
//
// # Conflicts and keys
//
// A transaction locks each committed row before it updates or deletes it
// and holds the lock to its end (row_locks.go); another that wants the
// row waits, and a wait that would close a cycle fails with 40P01. The
// writer remembers the seq of the last deletion of each row id (an update
// deletes the old version), so once a transaction holds a row's lock it
// knows whether a commit changed the row after its statement's snapshot:
// LockRows then reports ErrConcurrentUpdate, on which the engine runs a
// READ COMMITTED statement again and fails a REPEATABLE READ one. A commit
// that deletes or updates a row whose last deletion is newer than the
// snapshot the transaction read it in still fails with 40001, for writes
// that bypassed the locks. Entries older than every active transaction's
// first snapshot are pruned at flush.
//
// Key constraints are the primary key (named <table>_pkey) and every
// index with Unique set (catalog.Index, over columns of its table, in the
// same schema). A key with a NULL in any column never conflicts. An
// index over expressions or with a predicate (lower(email), WHERE
// deleted_at IS NULL) is keyed by values storage cannot compute: the
// store's Options.IndexKeys (the engine's, which binds the index's SQL
// text and evaluates it with exec) gives a function from a batch of the
// table's rows to its key columns and the rows the index holds; storage
// encodes and compares those like plain key columns, a row the predicate
// leaves out holding no key (index_keys.go). Keys are
// equal as their values are under the types' btree equality, as in a
// PostgreSQL unique index (key_encoding.go): jsonb '{"a": 1.0}' equals
// '{"a": 1}', interval '1 day' equals '24 hours', numeric 1.0 equals
// 1.00, char(n) ignores trailing spaces. Each Insert and Update checks its rows' keys against each other, the
// transaction's own live rows and the committed rows, and the writer
// checks them again at commit against the state then, so of two
// concurrent transactions inserting one key the second commit fails
// (23505). Committed keys live in in-memory key indexes, one per table
// and column set, built from the table's data on first use (also after a
// restart), maintained by every commit to the table and dropped with it
// or when no constraint uses the columns any more. CreateIndex of a
// unique index scans the rows the transaction sees for duplicates, and
// the writer repeats the check at commit.
//
// Foreign keys are the engine's, checked through two lookups of a
// transaction's view (foreign_key.go): MissingKeys probes a batch of
// referencing keys against the referenced table's key index, and
// ReferencingRows scans a referencing table for given keys. Checks take
// no lock on the referenced row (PostgreSQL's FOR KEY SHARE): a
// referenced row deleted by a concurrent transaction is not seen by a
// check that ran before that commit.
//
// Dropping a table removes its files right after the commit; a scan
// still running on an older snapshot of that table may fail.
//
// # Altering tables
//
// Segments keep the Parquet schema they were written with, and tail
// records (in memory and in insert events) the Arrow layout of the table
// when they were committed; scans map segment columns by name and tail
// columns by position. So a table definition changes in one of two ways
// (alter_table.go), both recorded like any catalog change of a Txn:
//
//   - Txn.AlterTable keeps the table's id, segments and tail and only
//     replaces its definition: renaming the table, defaults, NOT NULL,
//     CHECK, key and foreign key constraints, comments, none of which
//     moves or retypes a stored column.
//   - Txn.RewriteTable replaces the table by a new, empty table with a new
//     id (the old one's files are removed after the commit, like a
//     dropped table's), into which the caller copies the old rows,
//     transformed: adding, dropping, renaming or retyping a column. The
//     new id's segments and events never hold a value under an old
//     layout, so nothing stored is misattributed across a rename or a
//     drop, before or after a flush or a restart, and an added column
//     holds its default in every row. The price is a rewrite of the
//     table's rows (as PostgreSQL pays for volatile defaults and type
//     changes), which a catalog column id mapped to Parquet field ids
//     would avoid for ADD, DROP and RENAME COLUMN.
//
// Both keep the table's indexes and owned sequences, following a rename
// of the table or of a column.
//
// # Sequences
//
// A sequence's definition is a catalog object like a table's: created,
// altered and dropped in transactions, undone by savepoints and
// Rollback, and sharing its schema's relation names with tables, views
// and indexes; dropping a table drops the sequences it owns (see
// sequence.go). Its value is not transactional, as in PostgreSQL:
// NextVal, SetVal and RestartSequence act at once. Each namespace keeps
// its sequences' positions in memory and in the sequence_values table.
// NextVal hands values out from memory under a per-sequence mutex and
// writes synchronously, on the writer, only a high-water mark ahead of
// them (32 values, or Cache if larger, more while a bulk insert draws
// them fast), like PostgreSQL's SEQ_LOG_VALS; after a crash a sequence
// continues after its mark, so a value is never handed out twice. SetVal
// stores the new position at once; Close stores exact positions. A
// transaction draws from a sequence it created and has not committed
// through Txn.NextVal, which keeps the position in the Txn until Commit
// stores it with the definition (see sequence_values.go).
//
// # Types
//
// Enums and domains (catalog.UserType) are catalog objects of their
// schema like sequences (user_type.go): created, altered and dropped in
// transactions, stored in the objects table (kind "type"), in a name
// space they share with the row types of tables and views (42710). A type
// holds OIDs from the store's object ids: its own, its array type's (the
// next one) and its labels'; open raises the next object id past them.
// Storage keeps no record of which columns use a type: the SQL layer
// checks that before a drop.
//
// # Roles
//
// Roles belong to the store, not to a schema: global.sqlite holds them,
// one row of JSON each, and memory an immutable map behind an atomic
// pointer that snapshots capture. A transaction records CreateRole,
// AlterRole and DropRole in order; its Snapshot folds them over the
// committed map, savepoints and Rollback undo them like any change.
// Commit applies them first, before any schema drop, creation or
// namespace commit: under one mutex it re-applies them to the roles
// committed then (so of two transactions creating one role the second
// fails with 42710) and writes the changed rows in one durable SQLite
// transaction. A role failure commits nothing; a later namespace failure
// leaves the role changes committed (see roles.go).
//
// # Dropping schemas
//
// Txn.DropSchema drops an empty schema (the caller drops its objects,
// sequences included, first); "public" is no exception. In the transaction's view the schema
// is gone at once and its name free for CreateSchema, which starts an
// empty one; savepoints and Rollback undo both like any change (see
// schema_drop.go). At commit the namespace's writer checks that the
// schema is still empty with the transaction's changes applied (else
// 2BP01), stops, and the directory is renamed to trash (the drop is
// durable once that rename is synced) and deleted; transactions still
// committing into it fail with 3F000. Drops run before schema creations
// and before every namespace's other changes. As with tables, a snapshot
// taken before the drop still lists the schema, but reading its data
// may fail once the files are gone.
package storage
