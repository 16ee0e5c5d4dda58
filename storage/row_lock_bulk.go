package storage

import (
	"slices"

	"github.com/RoaringBitmap/roaring/v2/roaring64"
)

// Bulk row locks.
//
// A row lock held as an entry of rowLocks.holders costs about 130 bytes
// (the map entry, its one-element slice, the key in Txn.locked), so an
// UPDATE of two million rows would hold a quarter of a gigabyte of locks.
// Once a transaction holds more than bulkLockRows locks of one table as
// entries, they move into one bulkHold of that table: a roaring bitmap of
// row ids per mode, about a bit per row for the dense ids of a table's
// rows, two bytes for scattered ones. Its later locks of that table go
// straight into the bitmaps. Every lock request on the table checks the
// holders entry of its row and each of the table's bulk holds
// (rowLocks.bulk), so conflicts, waits, NOWAIT, SKIP LOCKED and deadlock
// detection see a bulk holder exactly as they see a holder of one row.
//
// Invariants, all under rowLocks.mu: a transaction's locks of one table
// are either all entries of holders or all in its one bulkHold of the
// table, never both; a row is in at most one mode bitmap of a bulkHold,
// that of the strongest mode its transaction took on it.

// bulkLockRows is how many locks of one table a transaction holds as
// entries of rowLocks.holders before they move into a bulkHold.
const bulkLockRows = 4096

// bulkHold is one transaction's locks on many rows of one table.
type bulkHold struct {
	t     *Txn
	modes [LockForUpdate + 1]*roaring64.Bitmap // row ids by the mode held; nil while empty
}

// tableHold is what one transaction holds of one table's row locks.
type tableHold struct {
	table int64
	rows  int       // locks held as entries of rowLocks.holders
	bulk  *bulkHold // non-nil once they moved into it
}

// conflicts reports whether b holds row in a mode that conflicts with
// mode.
func (b *bulkHold) conflicts(row int64, mode RowLockMode) bool {
	for m, rows := range b.modes {
		if rows != nil && RowLockMode(m).conflicts(mode) && rows.Contains(uint64(row)) {
			return true
		}
	}
	return false
}

// add locks row in mode, unless b holds it in a stronger mode already;
// a weaker mode b held it in is upgraded.
func (b *bulkHold) add(row int64, mode RowLockMode) {
	id := uint64(row)
	for m, rows := range b.modes {
		switch {
		case rows == nil || RowLockMode(m) == mode:
		case RowLockMode(m) > mode:
			if rows.Contains(id) {
				return
			}
		default:
			rows.Remove(id)
		}
	}
	if b.modes[mode] == nil {
		b.modes[mode] = roaring64.New()
	}
	b.modes[mode].Add(id)
}

// newHold records that t holds locks of table, which it had none of.
// Called with l.mu held.
func (l *rowLocks) newHold(t *Txn, table int64) *tableHold {
	th := &tableHold{table: table}
	if l.owners == nil {
		l.owners = map[*Txn][]*tableHold{}
	}
	l.owners[t] = append(l.owners[t], th)
	return th
}

// moveToBulk moves t's locks of th's table from holders into a new
// bulkHold of the table. Called with l.mu held.
func (l *rowLocks) moveToBulk(t *Txn, th *tableHold) {
	b := &bulkHold{t: t}
	// Deleting from a non-nil t.locked leaves it non-nil, as
	// releaseRowLocks needs to find b.
	t.locked = slices.DeleteFunc(t.locked, func(k rowLockKey) bool {
		if k.table != th.table {
			return false
		}
		holds := l.holders[k]
		b.add(k.row, holds[slices.IndexFunc(holds, func(h rowHold) bool { return h.t == t })].mode)
		l.dropHold(k, t)
		return true
	})
	th.rows, th.bulk = 0, b
	if l.bulk == nil {
		l.bulk = map[int64][]*bulkHold{}
	}
	l.bulk[th.table] = append(l.bulk[th.table], b)
}

// dropBulk removes b from table's bulk holds. Called with l.mu held.
func (l *rowLocks) dropBulk(table int64, b *bulkHold) {
	rest := slices.DeleteFunc(l.bulk[table], func(x *bulkHold) bool { return x == b })
	if len(rest) == 0 {
		delete(l.bulk, table)
	} else {
		l.bulk[table] = rest
	}
}
