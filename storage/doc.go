// Package storage keeps pqdb's tables: Parquet segments for the bulk of
// the data, and per namespace (schema) a SQLite event log for everything
// committed since the last flush. It knows files, SQLite, Parquet and
// Arrow, not SQL.
//
// # Layout
//
// The data directory holds the lock and the SQLite databases; the
// tables' files are objects in a bucket (objects.go, storage/bucket):
// the data directory itself by default, else any object store
// (Options.Bucket), under the same keys.
//
//	<dir>/LOCK                                   flock'ed by the one server using dir
//	<dir>/INITIALIZED                            public was created once; open never recreates it
//	<dir>/global.sqlite                          store-wide catalog: the roles table (WAL)
//	<dir>/<schema>/writer.sqlite                 catalog, event log, commit log, counters, sequence values (WAL)
//	<prefix>/<table-id>/data/NNNNNN.parquet       immutable segments
//	<prefix>/<table-id>/_manifest/vN.json         table manifests: the highest version is current
//	<prefix>/<table-id>/_manifest/current         names a published version (a hint)
//	<prefix>/<table-id>/_events/vN.parquet        flushed events, one file per flush (manifest version N)
//	<prefix>/<table-id>/deletes/S-N.roaring       deletion vector of segment S as of manifest version N
//	<prefix>/<table-id>/data/cV-K.parquet         segment K written by a compaction of version V
//	<prefix>/<table-id>/_index/I-S-T.parquet      index file of secondary index I for segment S
//	<prefix>/<table-id>/metadata/                 the table as an Iceberg table (Options.Iceberg; iceberg_tables.go)
//
// Schema directory names keep [a-z0-9_] and escape every other byte as
// %XX. A schema is created under .tmp-<name> and renamed into place; a
// dropped one is renamed to .trash-<prefix>-<n> and then deleted, its
// objects first. No schema directory name starts with '.', so open
// deletes both kinds of leftovers and never takes them for schemas. A
// schema's object prefix is its directory's name when the bucket is
// the data directory (the renames carry its tables), and on an object
// store, which cannot rename, the name and a tag no other schema gets,
// so that objects a cut-off drop left are never a new schema's.
// Every directory pqdb creates is synced into its parent, and the
// bucket makes every object durable before its write returns, so what a
// commit or a flush made durable cannot vanish with a directory entry.
// A manifest version is published by creating its object if absent,
// the commit point of a flush or compaction; the hint is replaced after
// it, and open reads the version the hint names and probes the ones
// after it (lists them without a hint), so no rename is needed, which an
// object store does not have.
//
// # Writers
//
// Each namespace has one writer goroutine that owns its SQLite database.
// Commits from every session and the publication of flushes run on it
// one at a time, so writes to a namespace are serialized by
// construction (a flush's files are written off it: "Tail and flush"). Commits that are
// queued together form a group: each is validated against the state the
// previous ones left and gets its own seq, and all are written in one
// SQLite transaction, so concurrent sessions share one fsync. No commit
// returns before its group is durable. The statements a commit runs (its
// events, its commits row, the counters) are prepared once per namespace
// (writer_statements.go): parsing them anew took a quarter of the
// writer's SQLite time. The databases are opened in SQLite's exclusive
// locking mode (persist.go): their one connection takes the file locks
// once and keeps the WAL index in its own memory, where locking around
// each transaction (fcntl calls, the shared-memory index) cost 2-4% of
// an OLTP commit's CPU. No other process can open them while the
// server runs.
//
// A panic on the writer stops that writer, not the process: its SQLite
// transaction rolls back, and every change to the namespace fails with
// XX000 until a restart recovers it, while reads go on from the state it
// last published (writer_panic.go). Storage's other goroutines (a scan's
// read-ahead, a flush's writers) turn a panic into the error of their
// work (panics.go).
//
// A transaction touching several namespaces commits all of them or none,
// with two phases (cross_commit.go): each namespace's writer, taken in
// name order, validates its part like any commit and durably writes it
// as prepared (its events and catalog changes plus a prepared_commits
// row naming the transaction id, with copies of what an abort must put
// back; prepared.go), then holds it, running nothing else, so no later
// commit can miss a conflict with it. Once all are prepared the decision
// to commit is recorded in global.sqlite's commit_decisions table (one
// fsync; the commit point, global_log.go); the writers then publish
// their new states together under the store's publish lock, which
// Store.Snapshot loads the states under, so a snapshot sees the whole
// transaction or none of it. Each writer marks its part resolved in its
// next SQLite transaction (no fsync of its own); a decision is deleted
// with the next one once all its parts are resolved. A failed validation or write aborts the prepared parts. On
// open, each namespace commits the prepared parts whose decision is in
// the log and discards the others before it loads, and open then
// empties the log. A single-namespace commit takes none of these steps.
// Role changes commit before the namespaces, and schemas a transaction
// creates or drops are created or dropped before them: those are not
// part of the atomic unit.
//
// # Events and durability
//
// A commit writes, in one SQLite transaction with synchronous=FULL in WAL
// mode, one event per changed batch: deletes (sorted row ids) and inserts
// (an Arrow IPC stream of up to 64k rows with their row ids, whose batch
// message event_batch.go writes for flat records, byte for byte as
// Arrow's writer would), a table's
// deletes riding with its first batch of inserts in one change event (an
// UPDATE's old and new versions are one row), or for a table a bulk
// commit flushed, the manifest naming its new files (see
// "Tail and flush"), plus catalog changes (the objects table holds tables, views, indexes, sequences and
// types as JSON, and a DDL event keeps the history), plus its row in the
// commits table, whose newest row is the namespace's seq, and the id
// counters that moved past their stored marks (commit_counters.go: the
// row id mark runs ahead, so most commits leave the meta table's page
// alone). Commit returns only after that transaction
// is durable. The events table is keyed by (seq, ord) alone: it is read
// by table only when a table replays at open and when a flush deletes
// its events, and an index by table would cost every commit a WAL page
// per table it changed.
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
// Rows of a flushed segment were all inserted at or before its
// manifest's FlushedSeq, so any tail deletion of their id hides them.
// Deletions flushed after the segment was written are its deletion
// vector (deletion_vector.go): a roaring bitmap of the deleted rows'
// POSITIONS in the file (not of their ids), in its own immutable file
// deletes/<segment-stem>-<manifest-version>.roaring, serialized as an
// Apache Iceberg deletion-vector-v1 blob (portable 64-bit roaring
// format, length, magic and CRC-32), written and synced before the
// manifest naming it is published. The manifest's segment entry holds
// the file (deletes_file) and the count (deleted_rows), which is what
// row counts and estimates subtract. A flush writes a new vector only
// for the segments its deletions hit; the others keep their file. Scans
// load each vector once (cached by path; the file never changes) and
// select a row group's live rows by walking the bitmap over the group's
// range of positions. Manifests written before deletion vectors list a
// segment's deleted row ids ("deleted"); they still read (the ids are
// mapped to positions through the segment's _row_id column when first
// needed), and the next manifest published writes them as a vector.
//
// # Tail and flush
//
// The writer keeps each table's unflushed tail in memory as Arrow records
// and deletion lists, each tagged with its commit seq; on open it rebuilds
// them from the events after the manifest's FlushedSeq. When a tail holds
// more than Options.FlushRows changes, at Checkpoint and at Close, the
// writer flushes it (see flushTable for the crash-safe order): live tail
// rows become new segments of at most about FlushRows rows or
// flushChunkBytes (32 MiB) of Arrow data each, usually one (zstd with a
// window of a page, byte-string columns SNAPPY, which decodes 2-3 times
// as fast for 10% more bytes (segment_encoding.go); RowGroupRows rows per row group,
// statistics and page index, a required _row_id column, nullable columns
// required in a segment none of whose rows holds NULL in them (no
// definition levels to write or read: requireWhereNoNull), standard logical
// types: DECIMAL on INT32/INT64/FIXED_LEN_BYTE_ARRAY(16) by precision,
// var-scale numeric as STRING text, DATE, TIME/TIMESTAMP in
// microseconds, STRING, JSON, UUID; interval as STRING, its ISO 8601
// duration (segments written before hold 16 raw bytes, read by
// chunkLayout); bloom
// filters on primary-key and unique-index columns, pages of about
// 128 KiB; integers, dates, times and INT32/INT64 DECIMALs
// DELTA_BINARY_PACKED, byte strings dictionary encoded unless the first
// row group's sample is mostly distinct, then PLAIN (segment_encoding.go);
// see "Column types in segments"),
// written in the order of the table's sort key (catalog.Table.SortKey,
// WITH (sort_key = ...)), else of its primary key, then of row id, so
// the row groups' statistics of those columns are tight (sorting an
// index vector, then gathering each column once; compact_sort.go);
// deleted ids of older segments become positions in their deletion
// vectors (directly, id minus MinRowID, in a segment whose ids are its
// positions plus MinRowID, as a load in key order leaves them, which its
// manifest entry says (dense_row_ids) or, for a segment written before,
// is learned once per segment; by reading the segment's ids otherwise; written while
// the new segments are, their fsyncs overlapping), and a new manifest is
// published (see "Layout"). A failed flush keeps the
// events (commits go on; the tail grows) and is retried with backoff,
// 100 ms doubling to 30 s and reset by a success, by the writer after a
// request or woken by its retry timer; the failure and the recovery are
// logged once each (backoff.go). A failed background compaction backs
// off the same way before a later flush starts another. A flush the
// writer starts on its own (a tail outgrew FlushRows or maxTailBatches)
// is written off the writer, from the published state, which is
// immutable, while commits go on (flush_background.go); the writer only
// publishes its manifest, between two commit groups, with the table's
// tail cut to the commits made meanwhile (those after its FlushedSeq, a
// suffix of the tail) and the tail's key indexes rebuilt from them. At
// most one flush per table is in flight; synchronous flushes
// (Checkpoint, Compact, Analyze, Close), bulk commits, commits with
// catalog changes and the other requests on the writer (but storing a
// sequence's position and building a key index) first wait for the
// flushes in flight and publish them. One whose table's manifest or
// definition changed anyway is dropped, its files removed. The commit
// log keeps the commits of every unflushed tail, which the flush's event
// file names.
// The flush also writes the tail's events, with their commit times and
// transaction ids, to an event file (<table-dir>/_events/, see
// event_files.go) that the new manifest lists; once it is published the
// row events are deleted from SQLite (DDL events stay): by the next
// commit's SQLite transaction, sparing the flush an fsync of its own, up
// to the oldest batch of any table's tail, a prefix that frees whole
// pages (a table holding it back for more than maxEventLag commits is
// flushed for it), or at once for a bulk commit's flush and at a
// checkpoint (flushed_events.go); until then the manifest's FlushedSeq
// marks them flushed, as after a crash. A tail of
// several segments' worth is written in chunks of a segment each, two at
// a time (chunkWrites), each with its own event file covering the same
// seqs (flush_chunk.go). Segments and
// event files are written a row group at a time (segmentWriter), so
// neither is held whole, and a chunk of at least an eighth of
// flushChunkBytes whose records are each in order and do not interleave
// (a load in key order) is written from them as they are, without a
// sorted copy; a smaller one (many one-row OLTP commits) is
// concatenated and sorted, cheaper than proving its records in order.
// Parquet columns are
// in table order, _row_id last; readers map them by name (see "Altering
// tables").
//
// A bulk commit (bulk_commit.go), one with rows in its transaction's
// spill file, or with at least 64k rows for one table from a
// transaction that prefers it (Txn.PreferBulk: COPY FROM), is a commit
// group of its own whose rows go to Parquet once and never through
// SQLite. The writer first writes the flush of each such table from the
// state the commit leads to (segments, index files, deletion vectors and
// the event file, synced, no manifest yet); the commit's SQLite
// transaction, still the commit point, then logs for each one
// opBulkManifest event holding the manifest that names those files (not
// the rows), with the usual commit row and counters; then the manifest
// is published, and the state with the table flushed, its tail empty. A
// crash before the SQLite transaction leaves unreferenced files, which
// the orphan sweep after the next open removes (orphan_sweep.go); after it, open publishes the logged manifest before it
// replays the table (the writer publishes nothing between the two, so
// it is the next version), and after the publication it deletes the
// event like flushed row events. A flush that could not be written
// logs the rows as events instead; one that could not be published is
// replaced by its rows in one more SQLite transaction (or, if that
// fails too, the namespace refuses commits and manifest publications
// until a restart publishes it); either way the rows are read into the
// tail, to be flushed again later. A replay at open keeps rows in memory
// only up to the spill limit and writes the rest to a spill file, then
// flushes the table before the writer starts (replay_spill.go).
//
// # Compaction
//
// Small commits flushed one by one pile up small segments, and deletions
// leave dead rows in old ones. Compaction (compact.go) merges a table's
// small segments (fewer live rows than CompactionPolicy.SmallRows, a row
// group by default, so a large load's flush chunks are written once) and
// its delete-heavy ones (more than 20% deleted)
// into segments of at most TargetRows live rows (8 row groups), holding
// only live rows, sorted like a flush. Rows keep their row ids, so
// deletions by id mean the same before and after. The merge reads and
// writes off the writer, from the table's state when it started;
// readers never wait, and the writer only for the swap, which rebases
// onto the current manifest: exactly the input segments are replaced by
// the outputs, rows deleted from the inputs meanwhile are carried into
// the outputs' deletion vectors (row id → output position), the tail's
// unflushed deletions keep applying by id, and the new version keeps
// the current FlushedSeq. A failure before the swap publishes nothing
// and removes the outputs; the inputs and old manifests are never
// deleted by compaction (history collection does, when no retained
// version names them). One compaction per table runs at a time. The
// background policy starts one on its own goroutine after a flush that
// leaves a table with more than MaxSmall (8) small segments or a
// delete-heavy one; Close cancels and waits for them, and a panic in one
// is logged, never raised. A writer idle for Options.IdleTidy flushes
// every tail, then, still idle, merges the small segments of tables that
// have two or more (idle_tidy.go). Store.Compact (VACUUM) flushes the table's
// tail first and compacts by the same rules, or rewrites every segment
// (Full, VACUUM FULL).
//
// # Secondary indexes
//
// A btree or hash index over plain columns (IndexFilesKept: every type
// PostgreSQL's btree and hash operator classes take) has, per segment, an
// index file (index_files.go): the key columns and each row's position in
// the segment (in _row_id), one row per segment row, sorted by key,
// written as a segment is, so its page index bounds the sorted key
// tightly. A key column whose values storage cannot bound (floats with
// NaN and -0, bool, char(n), wide and var-scale numerics, interval,
// jsonb, arrays) is held as order keys (index_order_keys.go): bytes whose
// order and equality are the type's btree order and equality, which the
// lookup's predicate values are encoded to as well. The manifest's segment entry
// lists its index files (Segment.Indexes); history collection deletes them
// with the segment and the orphan sweep knows them. Flushes (bulk commits
// too) and compactions write them with their segments; the writer builds
// them for the segments already there right after a CREATE INDEX commit is
// published, as a new manifest version with the same FlushedSeq; and every
// manifest a flush or compaction publishes first gives each segment
// exactly the files of the table's current indexes (building any missing
// after a crash or a race with a compaction, dropping those of dropped
// indexes). An index scan (Snapshot.ScanIndex, index_scan.go) looks each
// segment's rows up in its index file by the predicates on the index's
// key (page index, then equality narrowing), turns the sorted positions
// into row ranges per row group, skips the row groups with none and
// decodes only the pages of the others that hold them; deletion vectors,
// tail deletions and the tail apply as in any scan. A segment without the
// file is scanned as usual, so a missing file costs time, not rows.
// ScanCounts counts the index files and pages read. An index over
// expressions or with a predicate gets no files (a unique one is still
// enforced, index_keys.go).
//
// # History and time travel
//
// Nothing a commit changed is forgotten while the history retention
// (Options.HistoryRetention, 24 hours by default) covers it: each commit
// is recorded with its time and transaction id in the commits table and
// the in-memory commit log (commit_log.go, transaction_id.go), every
// published manifest version stays on disk with the files it names, and
// flushed events stay in event files. Time travel (time_travel.go) reads
// a table as of commit S, or of the last commit at a time, as the newest
// manifest version at or before S plus the events after it replayed as a
// tail; Snapshot.At makes any snapshot read that way. The insertions of a
// flush chunk of one commit's rows (a COPY's bulk commit) are not
// written to an event file: the chunk's segment holds exactly them, and
// the manifest lists it among the event files as an insertion reference
// (EventFile.Inserted: the commit's seq, time and transaction id), read
// without deletion vectors, never merged, and kept on disk while any
// retained version lists it, even once a compaction replaced the
// segment in the table (event_files.go). So a load's rows are encoded
// once, not twice. History
// (history.go) pairs each commit's deletions and insertions of a row id
// into INSERT, UPDATE and DELETE rows with before and after images.
// After each flush and checkpoint the writer collects what the retention
// no longer needs, never what an active transaction's snapshot reads,
// keeps one manifest version per 1024 commits in between, and merges
// event files in size tiers (history_gc.go: off the writer, in the
// compactor's job for the table, but at a checkpoint); it reads the files each
// retained version names once and remembers them (a version never
// changes), and gives SQLite's free pages back (incremental vacuum)
// every vacuumEvery collections and at checkpoints. A read older than
// the retained history fails with 72000.
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
//	interval                          BYTE_ARRAY, STRING: ISO 8601 duration
//	                                  ("P1Y2M3DT4H5M6.789S", exact to the microsecond)
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
// reads never wait for writers; snapshots share the map of them until a
// commit replaces a state, and a transaction's catalog changes go to a
// copy (Snapshot.ownSpaces). A scan walks the manifest's segments,
// skipping segments and row groups whose manifest statistics exclude a
// predicate, decodes Parquet pages in bulk into Arrow buffers, drops
// deleted rows, then yields the tail records (and the transaction's own
// rows) minus deletions. The tail's committed deletions are indexed by
// row id once per table state and shared by its scans; a commit's state
// extends the previous state's index in layers (its own deletions over
// the older index, shared, folded together once they outgrow an eighth
// of it), and a scan looks a transaction's own deletions up after the
// committed ones (tail_deletions.go); tail batches a
// predicate rules out by their column bounds are skipped
// (tail_bounds.go). A committed batch of up to 1,024 rows holds the
// bounds of its table's leading integer key column in its own entry of
// the tail, so a lookup by key walks one slice. A scan's records end with
// the row id column, unless its reader was told to omit it (OmitRowIDs,
// scan_row_ids.go: the planner's SELECT scans); its row groups then
// decode the row ids only when deletions by id apply to the scan, and
// compute them from positions, not decode them, in a segment whose ids
// are dense.
//
// Predicates (predicate.go: comparisons, IN lists, IS [NOT] NULL, each
// over one column) only ever skip what provably holds no match; the
// caller's filter still evaluates every row returned. Within a row group
// the statistics leave, a scan prunes further (scan_pruning.go): an Eq or
// In on a column with a bloom filter (primary-key and unique-index
// columns of types whose equal values have one Parquet form:
// bloom_filter.go) skips the group
// when the filter holds none of the values; once a scan has tested a
// segment's key filters, they stay in memory on its Segment (within
// per-column and per-store bounds), and later scans test them before
// entering the segment at all, skipping it when no row group can hold
// the values (segment_key_filters.go); the page index (each page's
// min, max and NULL count per column; page_index.go) narrows the group to
// the row ranges of the pages no predicate excludes; and an equality on
// an integer, time, text or bytea column narrows them to the rows holding
// one of its values, found by decoding that column's pages first
// (page_narrow.go), as a range of an integer, date or time column does
// for a scan that reads byte strings beside it (range_narrow.go): the
// equalities and ranges are tried in the order of the share of their
// column's values they admit, until one keeps at most a quarter of the
// rows. A comparison (=, IN, <, <=, >, >=; LIKE 'prefix%'
// arrives as a range) on a text, varchar, name, bytea or enum column
// whose chunk is dictionary encoded in every data page (its page
// encoding statistics say so; a chunk fallen back to plain pages is left
// alone) is decided on the chunk's dictionary (dictionary_filter.go):
// the group is skipped when no dictionary value satisfies it, otherwise
// the column is read as codes first, rows whose code fails (and NULLs)
// leave the ranges, and the column is gathered from the dictionary for
// the surviving rows only (unless more than half the rows survive: then
// the group is read as without it). Every scanned column then decodes only its pages
// overlapping the ranges and is cut to their exact rows (page_read.go;
// a byte-string column copies only those rows' values: range_decode.go;
// one whose chunk has a small dictionary is read through pages decoded
// to codes, and cached so: code_pages.go),
// so row positions stay exact for the deletion vectors; a point lookup by
// key decodes one page per column of one row group, and none when the
// segment's deletion vector deletes every row the narrowing kept. A read of at most a
// few pages of a column (pageReadMaxPages; a lookup's) takes them
// decoded from the cache, or decodes them one by one and offers them to
// it, and copies out only its rows; an equality finds its rows in a page
// whose values never decrease (a key page: segments are written in key
// order) by binary search (page_cache.go). The DELTA_BINARY_PACKED pages
// of integer, date, timestamp and numeric(≤18) columns without NULLs are
// read by pqdb itself (direct_pages.go, with page_header.go and
// delta_decode.go): a run's bytes in one read, headers parsed by hand,
// values decoded straight into the column's buffer; every other page
// goes through parquet-go. Pages are cut at
// about segmentPageBytes (128 KiB before compression; smaller pages make
// lookups cheaper and full scans dearer). Floats prune by page bounds
// only in row groups whose statistics prove them free of NaN (Parquet
// leaves NaN out of min and max), char(n) never (its comparisons ignore
// the trailing blanks it stores), and truncated byte-string page bounds
// only when they could be rounded up. Options.NoPruning turns bloom,
// page and dictionary pruning off, Options.NoDictionaryFilter the
// dictionaries' alone, for tests that compare. ScanCounts counts for
// EXPLAIN ANALYZE the segments, row groups and pages read and skipped
// (row groups skipped by bloom filters and by dictionaries, and rows
// dropped by dictionary codes, among them), the bytes of pages read (and of those, the bytes the cache's blocks
// served; the pages found decoded in the cache) and the cache's segment hits and opens. From the
// second record (or a first of asyncScanRows rows) on, a goroutine
// decodes the next row group (its columns in parallel) while the
// consumer works on the current one; before, Next decodes on the
// caller's goroutine, and a read of a few rows decodes its columns one
// after another, so a point lookup starts no goroutine. Records never
// exceed MaxBatchRows rows. ScanPartitions splits one scan
// into n readers for parallel pipelines: they take row groups from a
// shared counter, and the first also yields the tail and the
// transaction's own rows. Decoded column buffers are recycled through a
// pool, released when Arrow's reference counts drop to zero.
//
// # Column statistics
//
// The planner estimates from what manifests hold, never from data
// (estimate.go): row counts, each row group's per-column NULL count and
// bounds, and per segment column a HyperLogLog sketch of its distinct
// values (hll.go; 2,048 registers, about 2% standard error, kept in
// Segment.Sketches in a sparse form for few values or 1,536 packed
// bytes, some 200 KB of lineitem's SF1 manifest). The segment writer
// makes the sketches as it writes a row group's columns (each column's
// goroutine hashes its values, as stored, in one loop per Arrow layout;
// lineitem's 16 columns cost about 100 ns of CPU per row
// (BenchmarkSketchLineitem), which took BenchmarkFlushLineitem from about
// 740 to 870 ns per row), so flushes, bulk commits and
// compactions all keep them; event and index files have none. A
// manifest merges its segments' sketches by column once, when decoded.
// EstimatedDistinct is the merged estimate (capped by max-min+1 for
// integer columns), EstimatedRangeFraction interpolates a range
// between each row group's bounds (numbers, dates, times, decimals),
// and EstimatedNullFraction sums NULL counts; unflushed rows are taken
// to be like the flushed ones. Segments written before sketches have
// none until ANALYZE (Store.Analyze, analyze.go) reads them once and
// publishes the manifest again with theirs; until then an integer
// column's distinct values are bounded by its span and other columns
// have no estimate.
//
// # Cache
//
// The store has one cache (cache.go) with a byte budget,
// Options.CacheSize (512 MiB by default). It holds the segments it keeps
// open, each charged by the estimated size of its parsed footer and page
// index, at most Options.MaxOpenFiles of them (a quarter of
// RLIMIT_NOFILE by default), 64 KiB blocks of segment files (the
// compressed pages scans read, and the bloom filters lookups probe), and
// decoded pages, which only reads of a few pages use and offer
// (cache_pages.go), at most a quarter of the budget: they live on the Go
// heap. Eviction takes the least recently used
// entry that nothing pins: a scan pins the segment it reads and a reader
// the block it copies from, so an evicted file is closed only when its
// last user releases it. A block read that misses is cached if there is
// room, or if it was used more often lately than the entry it would
// evict (a TinyLFU frequency sketch, cache_sketch.go); otherwise it is
// read straight from the file. So one pass over a table larger than the
// cache neither thrashes it nor costs more than a lookup per block.
// Blocks live in memory mapped outside the Go heap (cache_arena.go), so
// a full cache costs its size in RSS, not twice that with the collector's
// headroom. Collected segments and dropped schemas are forgotten with their
// blocks. The pool of decoded column buffers (buffer_pool.go) needs no
// budget: it is a sync.Pool, which the garbage collector empties within
// two cycles, so it holds only what scans had out recently.
//
// External Parquet files (read_parquet, COPY ... FROM a Parquet file) are
// read by ParquetFiles (parquet_external.go) with the same column
// decoder and the same Predicate pruning, over each file's own row group
// statistics instead of manifest bounds and its page index (not its
// bloom filters; float bounds never prune, nor does a row group's NULL
// count, which writers may leave out, prove it NULL-free); their columns
// take SQL types
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
// seqs, and the set of committed rows it deleted with the snapshot seq
// each was read in, as roaring bitmaps (txn_deletes.go). Past Options.SpillBytes (64 MiB) of inserted rows, it moves the
// batches to an unlinked temporary file, and once it has, again past
// every 4 MiB more, (pending_spill.go) and reads them
// back one at a time where they are needed: scans of its own rows, the
// key checks that replay them, and the commit, which hands them to the
// writer still spilled (bulk_commit.go). Txn.Snapshot overlays them on
// the committed state. Commit folds
// them into net changes (rows inserted and deleted by the transaction
// itself vanish), creates new schemas, and hands each namespace its part.
// Commit always ends the transaction, also when it fails.
//
// # Conflicts and keys
//
// A transaction locks each committed row before it updates or deletes it
// and holds the lock to its end (row_locks.go; past a few thousand rows
// of one table, its locks of the table are a bitmap of row ids per lock
// mode, a few bits a row: row_lock_bulk.go); another that wants the
// row waits, and a wait that would close a cycle fails with 40P01. The
// writer remembers the seq of the last deletion of each row id (an update
// deletes the old version), so once a transaction holds a row's lock it
// knows whether a commit changed the row after its statement's snapshot:
// LockRows then reports ErrConcurrentUpdate (ErrConcurrentDelete when
// the commit deleted the row for good, which the writer marks with
// rowGone), on which the engine runs a READ COMMITTED statement again and
// fails a REPEATABLE READ or SERIALIZABLE one with 40001, worded as
// PostgreSQL's. Serializable transactions are also checked against each
// other for read/write dependencies (serializable.go): a write or commit
// that would complete a dangerous structure fails with 40001. A commit that deletes or updates a row whose last
// deletion is newer than the snapshot the transaction read it in still
// fails with 40001, for writes that bypassed the locks. Entries older
// than every active transaction's first snapshot are pruned at flush.
// These last deletions, like the deletions of a tail that scans and
// flushes look up, are a deletionSeqs (deletion_seqs.go): a map for small
// deletions, and for a large one its own sorted id list behind a roaring
// bitmap, so an UPDATE of millions of rows costs bits per row, not a map
// entry.
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
// (23505). Unlike PostgreSQL, an insert does not wait for another open
// transaction that inserted the same key: the conflict surfaces at the
// second COMMIT rather than at the second INSERT (same SQLSTATE, same
// transactions committed). The writer adds a commit's keys to the key
// indexes when it validates it, before it is durable and published; a
// session that finds its key taken while such a commit is in flight (a
// group being written, a prepared cross-schema part) waits for it to be
// published or undone and checks again, so a key of a transaction that
// then aborts never fails another's insert (cross_commit_keys.go). So
// does one that found a key free because a commit in flight deleted its
// flushed row: an UPDATE in flight may have deleted the row's version
// but not yet indexed the new one (key_probe.go).
//
// Committed keys are looked up where the rows are (key_probe.go): the
// unflushed tail's in an in-memory key index per table and column set,
// maintained by every commit and emptied by the flush that moves its rows
// into segments, and the flushed rows' in the segments, by a scan of the
// key columns pruned to the keys' values (segment bounds, row-group
// statistics and bloom filters, page indexes), whose rows are then matched
// by encoded key. Memory for keys is thus bounded by the tail. An index
// over expressions or with a predicate, whose keys segments do not hold,
// keeps all its keys in memory, built from the table on first use. An
// update that assigns no column of a constraint keeps its rows' keys and
// looks none up (key_changes.go). A transaction's own keys live in a map
// until it holds ownKeyRunKeys of them, then in sorted runs in a
// temporary file with blocked bloom filters, merged into one past
// maxKeyRuns (own_key_runs.go), so a bulk load checks its own keys in
// bounded memory and with a few filter probes per key. CreateIndex of a unique index
// scans the rows the transaction sees for duplicates, and the writer
// repeats the check at commit over the whole table; past dupCheckKeys
// keys a check splits them into files by hash and checks a file at a
// time (unique_spill.go), so its memory does not grow with the table.
//
// Foreign keys are the engine's, checked through two lookups of a
// transaction's view (foreign_key.go): MissingKeys looks a batch of
// referencing keys up among the referenced table's committed keys as
// above, and
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
