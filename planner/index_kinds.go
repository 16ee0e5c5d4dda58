package planner

import (
	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// What CREATE INDEX makes of each kind of index:
//
//   - btree and hash over plain columns, of every type PostgreSQL's
//     default operator classes take (storage.IndexFilesKept): index
//     files beside every segment, maintained by flushes and compactions,
//     which scans read through (index_scan.go); a key column whose
//     values Parquet's statistics cannot bound (floats with NaN and -0,
//     bool, char(n) with its blanks, wide and var-scale numerics,
//     interval, jsonb, arrays) is held there as order keys, bytes in the
//     type's btree order (storage/index_order_keys.go);
//   - brin: nothing more to build, every segment already keeps each
//     row group's minimum and maximum of every column, which scans prune
//     by (a block range index over the row groups);
//   - a unique index of any shape: a key constraint the writer enforces;
//   - gin, gist and spgist: refused, since pqdb has no structure that
//     answers their operators (containment, overlap, nearest neighbour).
//
// A non-unique index over expressions or with a WHERE clause is
// recorded without files, so pg_dump output still loads, and a NOTICE
// says so; scans read the table without it. json, which has no btree or
// hash operator class, is refused as PostgreSQL refuses it
// (index_types.go).

// checkIndexKind refuses an index of an access method pqdb cannot
// build. It runs after PostgreSQL's own validation, whose errors come
// first.
func checkIndexKind(ix *catalog.Index) error {
	switch m := ix.AccessMethod(); m {
	case "gin", "gist", "spgist":
		e := pgerr.Unsupported("access method \"%s\" is not supported", m)
		e.Detail = "pqdb builds btree and hash indexes (and keeps block range statistics, brin, in every segment)."
		return e
	}
	return nil
}

// noteUnbuiltIndex tells the client, with a NOTICE, that ix, a
// non-unique index over expressions or with a predicate, is recorded
// without index files.
func (b *binder) noteUnbuiltIndex(ix *catalog.Index) {
	why := "over expressions"
	switch {
	case ix.Unique:
		return
	case ix.Predicate != "":
		why = "with a WHERE clause"
	case len(ix.Exprs) == 0:
		return
	}
	n := pgerr.Notice(pgerr.SuccessfulCompletion, "index \"%s\" is recorded but not built: pqdb builds no non-unique index %s", ix.Name, why)
	n.Hint = "Queries on the table read it without the index."
	b.notify(n)
}
