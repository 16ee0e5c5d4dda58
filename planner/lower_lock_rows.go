package planner

import (
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
)

// lockRows lowers a LockRows node to the executor's operator, which locks
// through LowerOptions.LockRows: the engine's, over the session's
// transaction. Under a LIMIT (and OFFSET), upTo is how many rows it
// passes on at most, so that it locks no row the LIMIT would drop; -1
// when unbounded.
func (l *lowerer) lockRows(x *LockRows, upTo int64) (exec.Operator, error) {
	lock := l.opts.LockRows
	if lock == nil {
		return nil, pgerr.Unsupported("%s is not supported in this statement", x.Targets[0].strength())
	}
	in, err := l.node(x.Input)
	if err != nil {
		return nil, err
	}
	cols := make([]int, len(x.Targets))
	for i, t := range x.Targets {
		cols[i] = t.RowID
	}
	targets := x.Targets
	return exec.NewLockRows(in, cols, upTo, func(ctx *exec.Context, k int, ids []int64, keep []bool) error {
		t := targets[k]
		return lock(ctx.Ctx, t.Table, ids, t.Mode, t.Wait, keep)
	}), nil
}
