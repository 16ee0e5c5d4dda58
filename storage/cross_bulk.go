package storage

// Cross-schema parts with spilled rows.
//
// A transaction that spilled rows (pending_spill.go) and commits to
// several schemas keeps them spilled through its parts
// (cross_commit.go), as a bulk commit does (bulk_commit.go): prepare
// checks their keys one batch at a time; then the part's writer writes
// the flush of each table with spilled rows (writeBulkFlushes:
// segments, index, deletion and event files, no manifest yet) before it
// persists the part as prepared, which logs each such table's manifest
// (opBulkManifest) instead of its rows. So the slow half of the flush
// runs before the decision and outside the store's publish lock, and no
// row goes through SQLite. On commit the writer publishes those
// manifests (publishBulkFlushes) before the state, so the state
// published has the tables flushed and never holds a spilled batch; on
// abort it removes the files it wrote (discardBulkFlushes), and the
// abort deletes the part's events with the manifests. A crash before
// the decision leaves the files unreferenced, which open sweeps once it
// has discarded the part; after it, open commits the part and publishes
// the logged manifests (publishLoggedFlushes). A flush that could not be
// written logged the rows instead, and one that could not be published
// logs them then (relogRows); either way the rows are read into the tail
// (keepSpilledInTail), to be flushed again later.
