package engine

import (
	"context"
	"errors"
	"strconv"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
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

// lockRows locks the rows ids of tbl for txn, as UPDATE and DELETE do
// (see above).
func (s *Session) lockRows(ctx context.Context, txn *storage.Txn, tbl *catalog.Table, ids []int64) error {
	return s.lockRowsFor(ctx, txn, tbl, ids, storage.LockForUpdate, storage.WaitForLock, nil)
}

// lockRowsFor locks rows in mode, waiting at most lock_timeout.
func (s *Session) lockRowsFor(ctx context.Context, txn *storage.Txn, tbl *catalog.Table, ids []int64, mode storage.RowLockMode, wait storage.RowLockWait, keep []bool) error {
	if d, _ := parseDuration(s.settings["lock_timeout"]); d > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, d, errLockTimeout)
		defer cancel()
	}
	err := txn.LockRowsFor(ctx, tbl, ids, mode, wait, keep)
	if err != nil && context.Cause(ctx) == errLockTimeout {
		return pgerr.New(pgerr.LockNotAvailable, "canceling statement due to lock timeout")
	}
	return err
}

// lockInCurrentTxn locks rows for a LockRows operator (planner
// LowerOptions.LockRows) in the session's transaction: the block's, or
// the implicit one the statement runs in. Besides SELECT ... FOR UPDATE
// itself, a data-modifying statement's subquery and a cursor's query may
// lock rows.
func (s *Session) lockInCurrentTxn(ctx context.Context, t *catalog.Table, ids []int64, mode storage.RowLockMode, wait storage.RowLockWait, keep []bool) error {
	txn := s.txn
	if txn == nil {
		txn = s.implicit
	}
	if txn == nil {
		return pgerr.New(pgerr.InternalError, "rows locked outside a transaction")
	}
	err := s.lockRowsFor(ctx, txn, t, ids, mode, wait, keep)
	if errors.Is(err, storage.ErrConcurrentDelete) {
		// PostgreSQL's row locking words a deleted row's 40001 as an update.
		return storage.ErrConcurrentUpdate
	}
	return err
}

// rerunsOnConcurrentUpdate reports whether a statement of plan may run
// again when txn finds a row it changes or locks changed under it.
func rerunsOnConcurrentUpdate(txn *storage.Txn, plan planner.Plan) bool {
	if txn.RepeatableRead() {
		return false
	}
	switch p := plan.(type) {
	case *planner.InsertPlan, *planner.UpdatePlan, *planner.DeletePlan:
		return true
	case *planner.QueryPlan:
		return p.LockStrength != ""
	}
	return false
}

// lockingQuery runs a query that locks rows (SELECT ... FOR UPDATE/SHARE).
// It locks every row before it sends the first, so that a row
// changed under the statement can still make it run again.
func (s *Session) lockingQuery(ctx context.Context, snap *storage.Snapshot, p *planner.QueryPlan, params []catalog.Datum, formats []int16, out ResultWriter) (string, error) {
	op, err := planner.Lower(p.Root, snap, params, s.lowerOptions())
	if err != nil {
		return "", err
	}
	// Kept as a materialized cursor keeps its rows (cursor.go): Compact
	// copies selected rows and retains dense columns.
	var rows []*exec.Batch
	defer func() {
		for _, b := range rows {
			b.Release()
		}
	}()
	ec := s.execContext(ctx)
	defer ec.Release()
	n := 0
	err = exec.Drain(ec, op, func(b *exec.Batch) error {
		rows = append(rows, exec.Compact(ec.Mem, b))
		n += b.NumRows()
		return nil
	})
	if err != nil {
		return "", err
	}
	enc, err := s.startRows(p.Columns, resultColumns(p, s), formats, out)
	if err != nil {
		return "", err
	}
	for _, b := range rows {
		if _, err := enc.write(b, out); err != nil {
			return "", err
		}
	}
	return p.Tag + " " + strconv.Itoa(n), nil
}
