package storage

import "database/sql"

// The counters a commit stores beside its events.
//
// A namespace's database holds what open needs to go on numbering: its
// commit seq, the next row id and the store's next object id. Writing
// all three with every commit put the meta table's page in every commit's
// write-ahead log frames (one page in seven of a pgbench TPC-B commit),
// so:
//   - The seq is not stored apart: every commit writes its row in the
//     commits table in the same transaction, and history pruning keeps
//     the newest row (commitLog.pruneBefore is given a horizon at or
//     below it), so open takes the newest commit's seq. An aborted
//     prepared part deletes its commits row again (prepared.go).
//   - The next row id is stored as a high-water mark rowIDReserve ahead
//     of the ids in use, and written again only when the ids in use pass
//     it: every committed row's id stays below the stored value, which is
//     all open needs; a restart skips the ids of the reserve it did not
//     use, as an aborted transaction skips the ids it drew.
//   - The next object id is written when it changed since it was last
//     written.

// rowIDReserve is how far the stored row id mark runs ahead of the ids
// in use.
const rowIDReserve = 1 << 20

// storedCounters are the counter values stored in a namespace's
// database, as the writer last wrote (or open read) them.
type storedCounters struct {
	rowIDs    int64 // every committed row id is below it
	objectIDs int64
}

// writeCounters stores in tx the counters that moved past their stored
// values, and returns the values stored once tx commits.
func (ns *namespace) writeCounters(tx *sql.Tx) (storedCounters, error) {
	c := ns.counters
	if next := ns.nextRowID.Load(); next > c.rowIDs {
		c.rowIDs = next + rowIDReserve
		if _, err := ns.stmts.exec(tx, upsertMetaSQL, "next_row_id", c.rowIDs); err != nil {
			return ns.counters, err
		}
	}
	if next := ns.store.nextObjectID.Load(); next != c.objectIDs {
		c.objectIDs = next
		if _, err := ns.stmts.exec(tx, upsertMetaSQL, "next_object_id", c.objectIDs); err != nil {
			return ns.counters, err
		}
	}
	return c, nil
}
