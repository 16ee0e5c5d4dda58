package planner

import (
	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/storage"
)

// LockRows locks, for SELECT ... FOR UPDATE/SHARE, the rows of the
// Targets' tables that pass through it, and passes on the rows it locked
// (SKIP LOCKED leaves out those others hold). It sits above the block's
// ORDER BY and below its LIMIT (bind_locking.go). Its output is its
// input's columns.
type LockRows struct {
	Input   Node
	Targets []LockTarget
}

// LockTarget is one table whose rows a LockRows node locks.
type LockTarget struct {
	Table *catalog.Table
	Alias string
	// RowID is the input column that holds the table's row ids.
	RowID int
	Mode  storage.RowLockMode
	Wait  storage.RowLockWait
}

func (n *LockRows) Types() []catalog.Type { return n.Input.Types() }
