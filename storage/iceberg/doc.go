// Package iceberg publishes pqdb's tables as Apache Iceberg v2 tables in
// the bucket that holds them, so that Spark, Trino, DuckDB or any other
// Iceberg reader reads exactly the live rows of each table version
// without pqdb, and travels through pqdb's history by snapshot id.
//
// # What is published
//
// pqdb's segments are Iceberg's data files as they are: never copied or
// rewritten. They use only standard Parquet logical types, and Iceberg's
// schema is chosen from them (ForPostgres; types.go). They carry no
// Parquet field ids, so the table property schema.name-mapping.default
// maps each field id to its column's name, and readers find columns by
// name. The segments' _row_id column is in no Iceberg schema; readers
// project the schema's columns and ignore it, as they ignore a column
// whose type has no Iceberg form yet (interval, arrays, oid: left out of
// Version.Columns by the caller).
//
// A segment's deleted rows (pqdb's deletion vector, a roaring bitmap of
// positions) become one position delete file (file_path, pos), named by
// its content, so a snapshot whose deletions of a segment did not change
// lists the previous snapshot's file again (position_deletes.go,
// keys.go). Deletion vectors proper (Puffin blobs) are Iceberg v3 and
// are not written: v2 readers are the wider audience.
//
// Each Publish call adds one snapshot (publish.go): its id is pqdb's
// version number, its parent the previous snapshot, its summary holds
// pqdb.version, and the snapshot log grows by one, so time travel by
// snapshot id or by time reaches every published version that is still
// listed. A snapshot has at most one data manifest and one delete
// manifest, written anew each time; entries carried over are EXISTING
// with their original sequence numbers, segments a compaction removed
// are DELETED (changes.go).
//
// Snapshots of versions pqdb no longer keeps are expired as the next
// version is published (Version.Retain; expire.go): they leave the
// metadata, and their objects and the delete files only they listed are
// deleted.
//
// # Objects and the commit point
//
// Under <location>/metadata/, a directory pqdb's storage does not use:
//
//	v<K>.metadata.json   the table's K-th metadata file (create-if-absent: the commit)
//	version-hint.text    K of the newest metadata file (overwritten; may lag)
//	snap-<N>.avro        manifest list of snapshot N
//	<N>-data.avro        data manifest of snapshot N
//	<N>-deletes.avro     delete manifest of snapshot N
//	deletes/<segment>-<count>-<hash>.parquet  position deletes of a segment
//
// Everything is written before the metadata file that names it, and the
// metadata file is created only if absent, so a reader that follows a
// metadata file finds every object it names, and a crashed publish
// leaves only unreferenced objects that its retry writes again with the
// same names and contents. Publish finds the previous metadata by
// listing, not through the hint, so a lagging hint costs nothing.
//
// # What iceberg-go does and does not do here
//
// Manifests, manifest lists and their Avro encoding come from
// github.com/apache/iceberg-go's root package. The metadata JSON is
// written directly (metadata.go): iceberg-go's builder for it is in its
// table package, which links a query planner, Substrait, gRPC and
// OpenTelemetry into the server. The tests read the published tables
// back with iceberg-go's table scan, an independent reader.
//
// # Invariants
//
//   - Objects are written once under a given name with one content;
//     only the version hint is overwritten. Objects are deleted only
//     once the newest metadata file names them no more (expire.go).
//   - Snapshot ids are pqdb version numbers and increase; sequence
//     numbers increase by one per snapshot.
//   - A field id is never reused: last-column-id never decreases.
//   - Files are addressed by the URI given to NewPublisher plus their
//     key, so the metadata is valid only where the bucket has that URI.
package iceberg
