package engine

import (
	"context"

	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/planner"
)

// transaction runs BEGIN, COMMIT and ROLLBACK with Postgres' warnings for
// the redundant cases.
func (s *Session) transaction(ctx context.Context, p *planner.TxnPlan, out ResultWriter) (string, error) {
	switch p.Kind {
	case planner.TxnSavepoint, planner.TxnRelease, planner.TxnRollbackTo:
		return s.savepointCommand(p)
	case planner.TxnBegin:
		if s.txn != nil {
			return "BEGIN", out.Notice(&pgerr.Error{Severity: "WARNING", Code: pgerr.ActiveSqlTransaction, Message: "there is already a transaction in progress"})
		}
		// Statements already run in the implicit transaction become part
		// of the block.
		s.txn, s.implicit = s.implicit, nil
		if s.txn == nil {
			s.txn = s.eng.store.Begin()
			s.txnStart = s.stmtStart
		}
		s.failed = false
		if err := s.beginModes(ctx, p.Modes); err != nil {
			s.txn.Rollback()
			s.txn = nil
			s.endTransactionSettings(false)
			return "", err
		}
		return "BEGIN", nil
	case planner.TxnCommit:
		if s.txn == nil {
			// Postgres warns, and still commits the implicit transaction.
			if err := s.EndImplicitTransaction(); err != nil {
				return "", err
			}
			return "COMMIT", out.Notice(&pgerr.Error{Severity: "WARNING", Code: pgerr.NoActiveSqlTransaction, Message: "there is no transaction in progress"})
		}
		txn, failed := s.txn, s.failed
		s.txn, s.failed, s.savepoints = nil, false, nil
		s.closeCursors(false)
		if failed {
			txn.Rollback()
			s.endTransactionSettings(false)
			return "ROLLBACK", nil
		}
		err := s.beforeCommit(ctx, txn)
		if err == nil {
			err = txn.Commit()
		} else {
			txn.Rollback()
		}
		s.endTransactionSettings(err == nil)
		if err != nil {
			return "", err
		}
		return "COMMIT", nil
	}
	if s.txn == nil {
		if s.implicit != nil {
			s.implicit.Rollback()
			s.implicit = nil
		}
		return "ROLLBACK", out.Notice(&pgerr.Error{Severity: "WARNING", Code: pgerr.NoActiveSqlTransaction, Message: "there is no transaction in progress"})
	}
	s.txn.Rollback()
	s.txn, s.failed, s.savepoints = nil, false, nil
	s.closeCursors(false)
	s.endTransactionSettings(false)
	return "ROLLBACK", nil
}
