package engine

import (
	"context"
	"errors"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/planner"
	"github.com/pqdb/pqdb/storage"
)

// Row locks and READ COMMITTED re-runs.
//
// Every UPDATE and DELETE, ON CONFLICT DO UPDATE and foreign-key action
// locks the committed rows it is about to change (storage.Txn.LockRows),
// waiting while another transaction holds one, at most lock_timeout.
// When a row changed after the statement's snapshot, the statement read a
// stale version of it. PostgreSQL then re-checks the newest version of
// that row (EvalPlanQual); pqdb instead runs the whole statement again on
// a newer snapshot, after rolling back what its first run wrote, which
// reads every row at least as recently and keeps the locks already taken.
// Only statements that have sent nothing to the client by then re-run:
// INSERT, UPDATE and DELETE, whose RETURNING rows go out after every row
// is written. A REPEATABLE READ or SERIALIZABLE transaction cannot move
// to a newer snapshot, so there the statement fails with 40001, as in
// PostgreSQL.

// maxStatementReruns bounds how often one statement runs again: each
// re-run follows another transaction's commit to a row it wants, so only
// a row under a storm of commits reaches it, which then gets 40001.
const maxStatementReruns = 100

var errLockTimeout = errors.New("lock timeout")

// lockRows locks the rows ids of tbl for txn (see above).
func (s *Session) lockRows(ctx context.Context, txn *storage.Txn, tbl *catalog.Table, ids []int64) error {
	if d, _ := parseDuration(s.settings["lock_timeout"]); d > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, d, errLockTimeout)
		defer cancel()
	}
	err := txn.LockRows(ctx, tbl, ids)
	if err != nil && context.Cause(ctx) == errLockTimeout {
		return pgerr.New(pgerr.LockNotAvailable, "canceling statement due to lock timeout")
	}
	return err
}

// rerunsOnConcurrentUpdate reports whether a statement of plan may run
// again when txn finds a row it changes changed under it.
func rerunsOnConcurrentUpdate(txn *storage.Txn, plan planner.Plan) bool {
	if txn.RepeatableRead() {
		return false
	}
	switch plan.(type) {
	case *planner.InsertPlan, *planner.UpdatePlan, *planner.DeletePlan:
		return true
	}
	return false
}
