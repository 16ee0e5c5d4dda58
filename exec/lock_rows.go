package exec

import (
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/catalog"
)

// RowLocker locks rows for a LockRows operator: the row ids ids of the
// operator's target table number target. A row it could not lock and
// skips (SKIP LOCKED) gets keep[i] = false; an error (NOWAIT, a deadlock,
// a row changed under the statement) ends the query. The engine provides
// it; the executor knows no transactions.
type RowLocker func(ctx *Context, target int, ids []int64, keep []bool) error

// NewLockRows locks, for SELECT ... FOR UPDATE/SHARE, the rows of each
// target table that pass through it: input column rowIDCols[k] holds the
// row ids of target k. It passes on the rows it locked in every target,
// in order, and leaves out those the locker skipped. With upTo >= 0 (a
// LIMIT above it) it passes on at most upTo rows and locks no row after
// the last of them: it locks as many rows at a time as it still needs,
// and goes on past those the locker skipped.
func NewLockRows(in Operator, rowIDCols []int, upTo int64, lock RowLocker) Operator {
	return &lockRowsOp{in: in, rowIDCols: rowIDCols, limit: upTo, lock: lock}
}

type lockRowsOp struct {
	in        Operator
	rowIDCols []int
	limit     int64 // most rows to pass on; < 0: no bound
	upTo      int64 // rows still to pass on in this run
	lock      RowLocker
	ctx       *Context

	ids  []int64
	keep []bool
	sel  []int32
	out  Batch
}

func (l *lockRowsOp) Types() []catalog.Type { return l.in.Types() }

func (l *lockRowsOp) Open(ctx *Context) error {
	l.ctx, l.upTo = ctx, l.limit
	return l.in.Open(ctx)
}

func (l *lockRowsOp) Next() (*Batch, error) {
	for l.upTo != 0 {
		b, err := l.in.Next()
		if err != nil || b == nil {
			return nil, err
		}
		rows := rowsOf(b)
		l.sel = l.sel[:0]
		if l.upTo < 0 {
			if err := l.lockRows(b, rows); err != nil {
				return nil, err
			}
		} else {
			for i := 0; i < len(rows) && l.upTo > 0; {
				n := int(min(int64(len(rows)-i), l.upTo))
				locked := len(l.sel)
				if err := l.lockRows(b, rows[i:i+n]); err != nil {
					return nil, err
				}
				l.upTo -= int64(len(l.sel) - locked)
				i += n
			}
		}
		if len(l.sel) == 0 {
			continue
		}
		if len(l.sel) == len(rows) {
			return b, nil
		}
		l.out = Batch{Cols: b.Cols, Len: b.Len, Sel: l.sel}
		return &l.out, nil
	}
	return nil, nil
}

// lockRows locks the rows rows of b in every target and appends to l.sel
// those locked in all of them.
func (l *lockRowsOp) lockRows(b *Batch, rows []int32) error {
	l.keep = l.keep[:0]
	for range rows {
		l.keep = append(l.keep, true)
	}
	for target, c := range l.rowIDCols {
		col := b.Cols[c].(*array.Int64)
		l.ids = l.ids[:0]
		for _, r := range rows {
			l.ids = append(l.ids, col.Value(int(r)))
		}
		if err := l.lock(l.ctx, target, l.ids, l.keep); err != nil {
			return err
		}
	}
	for i, r := range rows {
		if l.keep[i] {
			l.sel = append(l.sel, r)
		}
	}
	return nil
}

func (l *lockRowsOp) Close() { l.in.Close() }
