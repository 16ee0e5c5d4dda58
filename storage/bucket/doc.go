// Package bucket opens the object store that holds pqdb's tables, as a
// gocloud.dev/blob Bucket, from the --data-dir the server was given: a
// local directory (a plain path or file:///path, the default), mem://
// (tests), or s3://bucket/prefix with gocloud's own URL parameters
// (endpoint, region, use_path_style, ...) and AWS's environment
// variables for credentials. Every object pqdb writes (segments,
// manifests, event files, deletion vectors, index files, leases) and
// reads goes through the Bucket it returns.
//
// # The local directory
//
// A local directory is served by pqdb's own driver (local_dir.go), not
// gocloud's fileblob, because a database needs what fileblob does not
// give: an object is durable once its write closed (the file is synced
// before it is renamed into place, and so is every directory it made
// and its parent), and a create-if-absent (WriterOptions.IfNotExist)
// holds between processes serving one directory (link(2) of the synced
// temporary file, which fails if the name exists), where fileblob checks
// under a mutex of its own process. Keys are paths below the root as
// they are: pqdb's keys are plain (letters, digits, '_', '-', '.', '%'
// escapes and '/'), and the driver refuses any other (".." segments,
// empty segments, a leading '/'), so that no key reaches outside the
// root. It keeps no metadata: attributes are the file's size and
// modification time, and an ETag made of them and the file's inode.
// Temporary files are named .tmp-*, which no key has; listings skip
// them.
//
// LocalRoot (through Bucket.As) gives a local bucket's directory, so
// that a segment reader can read a file with pread instead of a range
// request per read.
//
// # Conditions
//
// Publishing is by create-if-absent: a write with IfNotExist fails with
// gcerrors.FailedPrecondition (IsPrecondition) when the key exists, on
// every backend (S3's If-None-Match: *, memblob's check, this package's
// link). Nothing pqdb does needs a replace-if-unchanged.
package bucket
