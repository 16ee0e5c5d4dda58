package storage

import (
	"slices"

	"github.com/pqdb/pqdb/pgerr"
)

// Savepoints.
//
// A transaction's changes are append-only lists (new schemas, role
// operations, catalog operations per namespace, and per table its insert and delete batches
// and allocated row-id ranges), so a savepoint is just their lengths, and
// rolling back to it cuts every list back to them. Two pieces of state are
// derived rather than listed, and RollbackTo repairs them: the committed
// row ids a table's deletions cover (conflict tracking and commit), whose
// additions since the first savepoint are logged in txnTable.deletedLog,
// and the key indexes of the transaction's own rows, which are dropped
// when they reflect undone batches and rebuilt on the next key check.
//
// Undone records are not released: a snapshot taken before the rollback
// (an open cursor) may still be reading them, and the Go heap reclaims
// them once nothing does. Cut lists are clipped, so later changes never
// overwrite entries such a snapshot still holds.

// Savepoint marks a state of one transaction; see Txn.Savepoint. The zero
// value marks nothing.
type Savepoint struct {
	txn  *Txn
	id   uint64
	mark *txnMark
}

// txnMark holds the lengths of a transaction's change lists at a savepoint.
type txnMark struct {
	newSchemas int
	roleOps    int
	ddl        map[string]int
	tables     map[int64]tableMark
}

// tableMark holds the lengths of one table's change lists at a savepoint,
// and the change set itself, which a later DropTable takes out of the
// transaction.
type tableMark struct {
	tt         *txnTable
	inserts    int
	deletes    int
	fresh      int
	deletedLog int
}

// Savepoint marks the transaction's current state; RollbackTo undoes every
// change made after it (rows inserted, updated, deleted; tables, views,
// indexes, schemas and roles created, altered or dropped), keeping the
// earlier ones and the transaction open. Marks are nested like SQL
// savepoints: rolling back to a mark discards the marks taken after it;
// the mark itself stays valid (ROLLBACK TO can repeat). Releasing a mark needs no call: a mark that is
// never rolled back to costs nothing after it is dropped.
func (t *Txn) Savepoint() Savepoint {
	m := &txnMark{newSchemas: len(t.newSchemas), roleOps: len(t.roleOps), tables: make(map[int64]tableMark, len(t.tables))}
	for ns, ops := range t.ddl {
		if len(ops) > 0 {
			if m.ddl == nil {
				m.ddl = map[string]int{}
			}
			m.ddl[ns] = len(ops)
		}
	}
	for id, tt := range t.tables {
		m.tables[id] = tableMark{
			tt:         tt,
			inserts:    len(tt.pending.inserts),
			deletes:    len(tt.pending.deletes),
			fresh:      len(tt.fresh),
			deletedLog: len(tt.deletedLog),
		}
	}
	t.lastMark++
	t.marks = append(t.marks, t.lastMark)
	return Savepoint{txn: t, id: t.lastMark, mark: m}
}

// RollbackTo undoes every change the transaction made after sp was taken
// and discards the savepoints taken after sp. Snapshots taken afterwards
// no longer show the undone changes, Commit does not write them, their
// keys no longer count against unique constraints, and their deletions of
// committed rows no longer conflict with other transactions.
func (t *Txn) RollbackTo(sp Savepoint) error {
	if t.done {
		return errTxnDone
	}
	if sp.txn != t || sp.mark == nil {
		return pgerr.New(pgerr.InternalError, "savepoint belongs to another transaction")
	}
	i, ok := slices.BinarySearch(t.marks, sp.id)
	if !ok {
		return pgerr.New(pgerr.SEInvalidSpecification, "savepoint no longer exists")
	}
	t.marks = t.marks[:i+1]
	m := sp.mark

	t.newSchemas = slices.Clip(t.newSchemas[:m.newSchemas])
	t.roleOps = slices.Clip(t.roleOps[:m.roleOps])
	for ns, ops := range t.ddl {
		if n := m.ddl[ns]; len(ops) > n {
			t.ddlMap()[ns] = slices.Clip(ops[:n])
		}
	}
	for id := range t.tables {
		if _, kept := m.tables[id]; !kept {
			delete(t.tables, id) // touched or created after the mark
		}
	}
	for id, tm := range m.tables {
		t.tableMap()[id] = tm.tt // also brings back a table dropped after the mark
		tm.tt.rollbackTo(tm)
	}
	return nil
}

// rollbackTo cuts tt's changes back to the lengths in tm.
func (tt *txnTable) rollbackTo(tm tableMark) {
	tt.pending.inserts = slices.Clip(tt.pending.inserts[:tm.inserts])
	tt.pending.deletes = slices.Clip(tt.pending.deletes[:tm.deletes])
	tt.fresh = slices.Clip(tt.fresh[:tm.fresh])
	for _, id := range tt.deletedLog[tm.deletedLog:] {
		tt.deleted.remove(id)
	}
	tt.deletedLog = tt.deletedLog[:tm.deletedLog]
	for sig, idx := range tt.own {
		if idx.seenInserts > tm.inserts || idx.seenDeletes > tm.deletes {
			tt.dropOwnKeys(sig)
		}
	}
	// The catalog may be back to as many operations as when the cache
	// was filled, yet different ones.
	tt.cons = txnConstraints{}
}
