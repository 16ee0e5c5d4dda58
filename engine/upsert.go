package engine

import (
	"cmp"
	"context"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/planner"
	"github.com/pqdb/pqdb/storage"
)

// upsert runs INSERT ... ON CONFLICT over the proposed rows, a batch at a
// time and in order, as PostgreSQL does row by row: a row whose key a
// live row holds under an arbiter is skipped (DO NOTHING) or updates that
// row (DO UPDATE, when its WHERE holds); the other rows are inserted. A
// row the statement already inserted or updated must not be updated
// again (21000). RETURNING sees the rows written in the order of the
// proposed rows that wrote them, as PostgreSQL returns them: programs
// match returned ids to the rows they sent by position.
type upsert struct {
	s      *Session
	txn    *storage.Txn
	p      *planner.InsertPlan
	params []catalog.Datum
	schema *arrow.Schema
	checks *rowChecker

	// touched are the ids of the rows the statement inserted or updated.
	touched map[int64]struct{}
	// written are those rows, for RETURNING, in the order of the
	// proposed rows; affected counts them.
	written  []arrow.Record
	affected int64
}

func newUpsert(s *Session, txn *storage.Txn, p *planner.InsertPlan, params []catalog.Datum, checks *rowChecker) *upsert {
	return &upsert{s: s, txn: txn, p: p, params: params, schema: tableSchema(p.Table), checks: checks, touched: map[int64]struct{}{}}
}

func (u *upsert) release() {
	for _, r := range u.written {
		r.Release()
	}
}

func errAffectTwice() error {
	e := pgerr.New(pgerr.CardinalityViolation, "ON CONFLICT DO UPDATE command cannot affect row a second time")
	e.Hint = "Ensure that no rows proposed for insertion within the same command have duplicate constrained values."
	return e
}

// batch applies the ON CONFLICT clause to the proposed rows of rec.
func (u *upsert) batch(ctx context.Context, rec arrow.Record) error {
	conflicts, err := u.txn.Conflicts(u.p.Table, rec, u.p.Conflict.Arbiters)
	if err != nil {
		return err
	}
	doUpdate := u.p.Conflict.Update != nil
	var insert, update []int32
	var holders []int64
	// twice: a row would update one this statement inserts. PostgreSQL
	// goes row by row, so the rows before it are applied first (and may
	// fail first).
	twice := false
	for i, c := range conflicts {
		if twice {
			break
		}
		switch {
		case c.Holder >= 0 && doUpdate:
			if _, again := u.touched[c.Holder]; again {
				return errAffectTwice()
			}
			update = append(update, int32(i))
			holders = append(holders, c.Holder)
		case c.Holder >= 0:
			// DO NOTHING
		case c.Earlier >= 0 && doUpdate:
			// The earlier row, holding no key, is inserted: this one
			// would update it.
			twice = true
		case c.Earlier >= 0:
			// DO NOTHING: the earlier row is inserted and holds the key.
		default:
			insert = append(insert, int32(i))
		}
	}
	start := len(u.written)
	// order holds the positions in rec of the rows written from start on.
	var order []int32
	if len(insert) > 0 {
		rows := selectRows(u.schema, rec, insert)
		if err := u.checks.check(ctx, rows); err != nil {
			rows.Release()
			return err
		}
		ids, err := u.txn.InsertIDs(u.p.Table, rows)
		if err == nil {
			err = u.s.checkReferences(u.txn, u.p.Table, rows)
		}
		if err != nil {
			rows.Release()
			return err
		}
		for _, id := range ids {
			u.touched[id] = struct{}{}
		}
		u.written = append(u.written, rows)
		order = append(order, insert...)
		u.affected += int64(len(ids))
	}
	if len(update) > 0 {
		updated, err := u.updateHolders(ctx, rec, update, holders)
		if err != nil {
			return err
		}
		order = append(order, updated...)
	}
	if twice {
		return errAffectTwice()
	}
	return u.orderWritten(start, order)
}

// orderWritten puts the rows written from u.written[start] on, which
// came from the proposed rows at positions order, in the order of those
// positions.
func (u *upsert) orderWritten(start int, order []int32) error {
	if slices.IsSorted(order) {
		return nil
	}
	parts := u.written[start:]
	cols := make([]arrow.Array, len(u.schema.Fields()))
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for i := range cols {
		col := make([]arrow.Array, len(parts))
		for k, r := range parts {
			col[k] = r.Column(i)
		}
		var err error
		if cols[i], err = array.Concatenate(col, memory.DefaultAllocator); err != nil {
			return err
		}
	}
	sel := make([]int32, len(order))
	for i := range sel {
		sel[i] = int32(i)
	}
	slices.SortFunc(sel, func(a, b int32) int { return cmp.Compare(order[a], order[b]) })
	d := exec.Compact(memory.DefaultAllocator, &exec.Batch{Cols: cols, Len: len(order), Sel: sel})
	defer d.Release()
	merged := array.NewRecord(u.schema, d.Cols, int64(d.Len))
	for _, r := range parts {
		r.Release()
	}
	u.written = append(u.written[:start], merged)
	return nil
}

// updateHolders runs DO UPDATE for the proposed rows update of rec, which
// conflict with the live rows holders. It returns the positions in rec of
// the rows it updated, in the order it added them to u.written.
func (u *upsert) updateHolders(ctx context.Context, rec arrow.Record, update []int32, holders []int64) ([]int32, error) {
	if err := u.s.lockRows(ctx, u.txn, u.p.Table, holders); err != nil {
		return nil, err
	}
	proposed := selectRows(u.schema, rec, update)
	defer proposed.Release()
	hb := array.NewInt64Builder(memory.DefaultAllocator)
	hb.AppendValues(holders, nil)
	holderCol := hb.NewArray()
	hb.Release()
	defer holderCol.Release()
	cols := append(append([]arrow.Array(nil), proposed.Columns()...), holderCol)
	fields := append(append([]arrow.Field(nil), u.schema.Fields()...), arrow.Field{Name: "holder", Type: arrow.PrimitiveTypes.Int64})
	excluded := array.NewRecord(arrow.NewSchema(fields, nil), cols, int64(len(update)))
	defer excluded.Release()

	opts := u.s.lowerOptions()
	opts.Written = []arrow.Record{excluded}
	// A snapshot taken now sees the rows this statement inserted so far.
	op, err := planner.Lower(u.p.Conflict.Update, u.txn.View(), u.params, opts)
	if err != nil {
		return nil, err
	}
	ec := u.s.execContext(ctx)
	defer ec.Release()
	found := 0
	var ids []int64
	var news []arrow.Record
	defer func() {
		for _, r := range news {
			r.Release()
		}
	}()
	err = exec.Drain(ec, op, func(b *exec.Batch) error {
		d := exec.Compact(ec.Mem, b)
		defer d.Release()
		found += d.Len
		holds := d.Cols[1].(*array.Boolean)
		var sel []int32
		for i := 0; i < d.Len; i++ {
			if holds.IsValid(i) && holds.Value(i) {
				sel = append(sel, int32(i))
			}
		}
		if len(sel) == 0 {
			return nil
		}
		kept := exec.Compact(ec.Mem, &exec.Batch{Cols: d.Cols, Len: d.Len, Sel: sel})
		defer kept.Release()
		for _, id := range kept.Cols[0].(*array.Int64).Int64Values() {
			if _, again := u.touched[id]; again {
				return errAffectTwice()
			}
			u.touched[id] = struct{}{}
			ids = append(ids, id)
		}
		news = append(news, array.NewRecord(u.schema, kept.Cols[2:], int64(kept.Len)))
		return nil
	})
	if err != nil {
		return nil, err
	}
	if found != len(update) {
		// A conflicting row committed after the statement's snapshot
		// was taken: a READ COMMITTED statement runs again on a newer
		// one, a repeatable-read transaction cannot see it.
		return nil, storage.ErrConcurrentUpdate
	}
	position := make(map[int64]int32, len(holders))
	for k, h := range holders {
		position[h] = update[k]
	}
	order := make([]int32, len(ids))
	for k, id := range ids {
		order[k] = position[id]
	}
	at := 0
	for _, r := range news {
		n := int(r.NumRows())
		if err := u.checks.check(ctx, r); err != nil {
			return nil, err
		}
		if err := u.txn.Update(u.p.Table, ids[at:at+n], r); err != nil {
			return nil, err
		}
		if err := u.s.checkReferences(u.txn, u.p.Table, r); err != nil {
			return nil, err
		}
		at += n
		r.Retain()
		u.written = append(u.written, r)
		u.affected += int64(n)
	}
	return order, nil
}

// selectRows returns the rows sel of rec as a new record.
func selectRows(schema *arrow.Schema, rec arrow.Record, sel []int32) arrow.Record {
	if len(sel) == int(rec.NumRows()) {
		rec.Retain()
		return rec
	}
	d := exec.Compact(memory.DefaultAllocator, &exec.Batch{Cols: rec.Columns(), Len: int(rec.NumRows()), Sel: sel})
	defer d.Release()
	return array.NewRecord(schema, d.Cols, int64(d.Len))
}
