package engine

import (
	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/storage"
)

// COPY ... FROM ... (FREEZE) is allowed, as in PostgreSQL, only on a
// table created or truncated in the current subtransaction: the state
// between a block's start (or its latest SAVEPOINT or ROLLBACK TO) and
// now. In PostgreSQL the option writes the rows already frozen, visible
// to every snapshot once committed; pqdb loads them as any COPY does
// (row versions carry commit sequence numbers, which need no freezing)
// and keeps the MVCC rules that FREEZE lets PostgreSQL break, so only
// the check is left to do.
//
// freezable remembers the tables of the transaction txn that such a
// statement touched, each with the savepoint depth (len(s.savepoints))
// it happened at. RELEASE hands the entries of released savepoints to
// their parent, ROLLBACK TO drops those it undoes; a new transaction
// starts with none.
type freezable struct {
	txn    *storage.Txn
	tables map[int64]int
}

// noteNewRelfile records that t was created or truncated by txn.
func (s *Session) noteNewRelfile(txn *storage.Txn, t *catalog.Table) {
	f := &s.freezable
	if f.txn != txn {
		f.txn, f.tables = txn, map[int64]int{}
	}
	f.tables[t.ID] = len(s.savepoints)
}

// checkCopyFreeze refuses COPY FREEZE into t unless txn created or
// truncated it in the current subtransaction.
func (s *Session) checkCopyFreeze(txn *storage.Txn, t *catalog.Table) error {
	f := &s.freezable
	if d, ok := f.tables[t.ID]; ok && f.txn == txn && d == len(s.savepoints) {
		return nil
	}
	return pgerr.New(pgerr.ObjectNotInPrerequisiteState, "cannot perform COPY FREEZE because the table was not created or truncated in the current subtransaction")
}

// freezableAfterRelease hands to the parent the tables noted in the
// savepoints above depth, which RELEASE just ended.
func (s *Session) freezableAfterRelease(depth int) {
	for id, d := range s.freezable.tables {
		if d > depth {
			s.freezable.tables[id] = depth
		}
	}
}

// freezableAfterRollbackTo forgets the tables noted after the savepoint
// at index i, whose changes ROLLBACK TO just undid.
func (s *Session) freezableAfterRollbackTo(i int) {
	for id, d := range s.freezable.tables {
		if d > i {
			delete(s.freezable.tables, id)
		}
	}
}
