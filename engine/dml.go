package engine

import (
	"context"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/planner"
	"github.com/pqdb/pqdb/storage"
)

// tableSchema is the Arrow schema of a table's rows as storage takes them.
func tableSchema(t *catalog.Table) *arrow.Schema {
	fields := make([]arrow.Field, len(t.Columns))
	for i, c := range t.Columns {
		fields[i] = arrow.Field{Name: c.Name, Type: c.Type.ArrowType(), Nullable: !c.NotNull}
	}
	return arrow.NewSchema(fields, nil)
}

// rowSchema is tableSchema of t, kept by the session for the tables its
// statements write: an OLTP statement wrote a table's rows under a new
// schema every time (arrow.NewSchema indexes the fields by name). A
// catalog.Table is never modified once published (DDL makes a new one),
// so the pointer is the key.
func (s *Session) rowSchema(t *catalog.Table) *arrow.Schema {
	if sc, ok := s.rowSchemas[t]; ok {
		return sc
	}
	if len(s.rowSchemas) >= maxRowSchemas || s.rowSchemas == nil {
		s.rowSchemas = map[*catalog.Table]*arrow.Schema{}
	}
	sc := tableSchema(t)
	s.rowSchemas[t] = sc
	return sc
}

// maxRowSchemas bounds the schemas a session keeps; past it they are
// dropped together.
const maxRowSchemas = 32

// drainDense runs a plan and hands each batch to fn with the selection
// applied, so its columns can become a record.
func (s *Session) drainDense(ctx context.Context, cat planner.Catalog, n planner.Node, params []catalog.Datum, fn func(cols []arrow.Array, rows int) error) error {
	op, err := planner.Lower(n, cat, params, s.lowerOptions())
	if err != nil {
		return err
	}
	return s.drainOperatorDense(ctx, op, fn)
}

// drainOperatorDense runs op and hands each batch to fn with the
// selection applied.
func (s *Session) drainOperatorDense(ctx context.Context, op exec.Operator, fn func(cols []arrow.Array, rows int) error) error {
	ec := s.execContext(ctx)
	defer ec.Release()
	return exec.Drain(ec, op, func(b *exec.Batch) error {
		d := b
		if b.Sel != nil {
			d = exec.Compact(ec.Mem, b)
			defer func() {
				for _, c := range d.Cols {
					c.Release()
				}
			}()
		}
		if d.Len == 0 {
			return nil
		}
		return fn(d.Cols, d.Len)
	})
}

// The writes of a statement are applied only after its plan has run to the
// end, so the statement never reads its own writes (INSERT INTO t SELECT
// FROM t, UPDATE t SET k = k + 1).
//
// insert, update and delete run their plan's Source, lowered here, or
// source when the caller lowered it (EXPLAIN ANALYZE instruments it).

// modify runs the data-modifying plan p (an InsertPlan, UpdatePlan or
// DeletePlan) over source (nil: lower p's Source), handing its RETURNING
// rows to returned.
func (s *Session) modify(ctx context.Context, txn *storage.Txn, cat planner.Catalog, p planner.Plan, source exec.Operator, params []catalog.Datum, returned returnedRows) (string, error) {
	if c := s.keptPlanOf(p); source == nil && c != nil && c.rebindable {
		// An UPDATE or DELETE by primary key runs its kept source again.
		rebound, err := s.lendRebound(c, modifiedSource(p), cat, params)
		if err != nil {
			return "", err
		}
		tag, err := s.modifyRows(ctx, txn, cat, p, rebound.Op, params, returned)
		if err == nil {
			c.rebound = rebound
		}
		return tag, err
	}
	return s.modifyRows(ctx, txn, cat, p, source, params, returned)
}

// modifiedSource is the plan of the rows an UPDATE or DELETE changes.
func modifiedSource(p planner.Plan) planner.Node {
	switch q := p.(type) {
	case *planner.UpdatePlan:
		return q.Source
	case *planner.DeletePlan:
		return q.Source
	}
	return nil
}

// modifyRows is modify with source lowered, or nil to lower p's Source.
func (s *Session) modifyRows(ctx context.Context, txn *storage.Txn, cat planner.Catalog, p planner.Plan, source exec.Operator, params []catalog.Datum, returned returnedRows) (string, error) {
	switch q := p.(type) {
	case *planner.InsertPlan:
		return s.insert(ctx, txn, cat, q, source, params, returned)
	case *planner.UpdatePlan:
		return s.update(ctx, txn, cat, q, source, params, returned)
	case *planner.DeletePlan:
		return s.delete(ctx, txn, cat, q, source, params, returned)
	}
	return "", pgerr.New(pgerr.InternalError, "%T is not a data-modifying plan", p)
}

// drainSource runs source, or plan n lowered when source is nil, as
// drainDense does.
func (s *Session) drainSource(ctx context.Context, cat planner.Catalog, n planner.Node, source exec.Operator, params []catalog.Datum, fn func(cols []arrow.Array, rows int) error) error {
	if source == nil {
		return s.drainDense(ctx, cat, n, params, fn)
	}
	return s.drainOperatorDense(ctx, source, fn)
}

func (s *Session) insert(ctx context.Context, txn *storage.Txn, cat planner.Catalog, p *planner.InsertPlan, source exec.Operator, params []catalog.Datum, returned returnedRows) (string, error) {
	schema := s.rowSchema(p.Table)
	var recs []arrow.Record
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	var n int64
	err := s.drainSource(ctx, cat, p.Source, source, params, func(cols []arrow.Array, rows int) error {
		recs = append(recs, array.NewRecord(schema, cols, int64(rows)))
		n += int64(rows)
		return nil
	})
	if err != nil {
		return "", err
	}
	written := recs
	if p.Conflict != nil {
		u := newUpsert(s, txn, p, params, s.rowChecker(cat, p.Table))
		defer u.release()
		for _, r := range recs {
			if err := u.batch(ctx, r); err != nil {
				return "", err
			}
		}
		written, n = u.written, u.affected
	} else {
		checks := s.rowChecker(cat, p.Table)
		for _, r := range recs {
			if err := checks.check(ctx, r); err != nil {
				return "", err
			}
			if err := txn.Insert(p.Table, r); err != nil {
				return "", err
			}
		}
		for _, r := range recs {
			if err := s.checkReferences(txn, p.Table, r); err != nil {
				return "", err
			}
		}
	}
	if err := s.returning(ctx, cat, p.Returning, written, params, returned); err != nil {
		return "", err
	}
	return "INSERT 0 " + strconv.FormatInt(n, 10), nil
}

// returning hands the rows of a RETURNING list computed over the rows
// the statement wrote to returned; nothing when r is nil.
func (s *Session) returning(ctx context.Context, cat planner.Catalog, r *planner.Returning, written []arrow.Record, params []catalog.Datum, returned returnedRows) error {
	if r == nil {
		return nil
	}
	opts := s.lowerOptions()
	opts.Written = written
	op, err := planner.Lower(r.Root, cat, params, opts)
	if err != nil {
		return err
	}
	return returned.take(ctx, s, op, r.Columns)
}

// returnedRows receives the rows of a RETURNING list: the client
// (clientRows), or a data-modifying WITH query's reader (keptRows).
type returnedRows interface {
	take(ctx context.Context, s *Session, op exec.Operator, cols []planner.ResultColumn) error
}

// clientRows sends RETURNING rows to the client.
type clientRows struct {
	formats []int16
	out     ResultWriter
}

func (c clientRows) take(ctx context.Context, s *Session, op exec.Operator, cols []planner.ResultColumn) error {
	return s.sendRows(ctx, op, cols, columnsOf(cols), c.formats, c.out)
}

func (s *Session) update(ctx context.Context, txn *storage.Txn, cat planner.Catalog, p *planner.UpdatePlan, source exec.Operator, params []catalog.Datum, returned returnedRows) (string, error) {
	schema := s.rowSchema(p.Table)
	ncol := len(p.Table.Columns)
	type change struct {
		ids []int64
		rec arrow.Record // the new rows
		// returned is rec with the FROM items' columns RETURNING reads.
		returned arrow.Record
	}
	var changes []change
	defer func() {
		for _, c := range changes {
			c.rec.Release()
			c.returned.Release()
		}
	}()
	var n int64
	var seen firstRows
	err := s.drainSource(ctx, cat, p.Source, source, params, func(cols []arrow.Array, rows int) error {
		if p.Joined {
			var release func()
			if cols, rows, release = seen.keep(cols, rows); rows == 0 {
				return nil
			}
			defer release()
		}
		ids := append([]int64(nil), cols[0].(*array.Int64).Int64Values()...)
		c := change{ids: ids, rec: array.NewRecord(schema, cols[1:1+ncol], int64(rows))}
		c.returned = withExtraColumns(c.rec, cols[1+ncol:])
		changes = append(changes, c)
		n += int64(rows)
		return nil
	})
	if err != nil {
		return "", err
	}
	written := make([]arrow.Record, len(changes))
	var allIDs []int64
	for _, c := range changes {
		allIDs = append(allIDs, c.ids...)
	}
	if err := s.lockRows(ctx, txn, p.Table, allIDs); err != nil {
		return "", err
	}
	old, err := oldRows(txn.View(), p.Table, allIDs)
	if err != nil {
		return "", err
	}
	defer releaseAll(old)
	checks := s.rowChecker(cat, p.Table)
	for i, c := range changes {
		if err := checks.check(ctx, c.rec); err != nil {
			return "", err
		}
		if err := txn.UpdateColumns(p.Table, c.ids, c.rec, p.Assigned); err != nil {
			return "", err
		}
		written[i] = c.returned
	}
	newRows := newRowsByID{}
	for _, c := range changes {
		if err := s.checkReferences(txn, p.Table, c.rec); err != nil {
			return "", err
		}
		if old != nil {
			for i, id := range c.ids {
				newRows[id] = newRow{c.rec, i}
			}
		}
	}
	if err := s.enforceReferenced(ctx, txn, p.Table, old, newRows, 0); err != nil {
		return "", err
	}
	if err := s.returning(ctx, cat, p.Returning, written, params, returned); err != nil {
		return "", err
	}
	return "UPDATE " + strconv.FormatInt(n, 10), nil
}

// withExtraColumns returns rec followed by the columns extra (a new
// reference to rec when there are none).
func withExtraColumns(rec arrow.Record, extra []arrow.Array) arrow.Record {
	if len(extra) == 0 {
		rec.Retain()
		return rec
	}
	fields := append([]arrow.Field(nil), rec.Schema().Fields()...)
	cols := append([]arrow.Array(nil), rec.Columns()...)
	for i, c := range extra {
		fields = append(fields, arrow.Field{Name: "extra" + strconv.Itoa(i), Type: c.DataType(), Nullable: true})
		cols = append(cols, c)
	}
	return array.NewRecord(arrow.NewSchema(fields, nil), cols, rec.NumRows())
}

func (s *Session) delete(ctx context.Context, txn *storage.Txn, cat planner.Catalog, p *planner.DeletePlan, source exec.Operator, params []catalog.Datum, returned returnedRows) (string, error) {
	// Collect the ids first: deleting while the scan still runs would let
	// the statement see its own effects. With RETURNING, the old rows
	// follow the ids.
	var ids []int64
	var old []arrow.Record
	defer func() {
		for _, r := range old {
			r.Release()
		}
	}()
	schema := s.rowSchema(p.Table)
	var seen firstRows
	err := s.drainSource(ctx, cat, p.Source, source, params, func(cols []arrow.Array, rows int) error {
		if p.Joined {
			var release func()
			if cols, rows, release = seen.keep(cols, rows); rows == 0 {
				return nil
			}
			defer release()
		}
		ids = append(ids, cols[0].(*array.Int64).Int64Values()...)
		if p.Returning != nil {
			rec := array.NewRecord(schema, cols[1:1+len(p.Table.Columns)], int64(rows))
			old = append(old, withExtraColumns(rec, cols[1+len(p.Table.Columns):]))
			rec.Release()
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	if len(ids) > 0 {
		if err := s.lockRows(ctx, txn, p.Table, ids); err != nil {
			return "", err
		}
		removed, err := oldRows(txn.View(), p.Table, ids)
		if err != nil {
			return "", err
		}
		defer releaseAll(removed)
		if err := txn.Delete(p.Table, ids); err != nil {
			return "", err
		}
		if err := s.enforceReferenced(ctx, txn, p.Table, removed, nil, 0); err != nil {
			return "", err
		}
	}
	if err := s.returning(ctx, cat, p.Returning, old, params, returned); err != nil {
		return "", err
	}
	return "DELETE " + strconv.FormatInt(int64(len(ids)), 10), nil
}

// firstRows keeps, of the rows an UPDATE ... FROM or DELETE ... USING
// produces (row id first), the first for each row id: a target row that
// matches several FROM rows changes once, as in PostgreSQL.
type firstRows struct{ ids map[int64]struct{} }

// keep returns the batch's rows whose id came in no earlier row, and a
// func that releases what keep allocated.
func (f *firstRows) keep(cols []arrow.Array, rows int) ([]arrow.Array, int, func()) {
	if f.ids == nil {
		f.ids = map[int64]struct{}{}
	}
	var sel []int32
	for i, id := range cols[0].(*array.Int64).Int64Values() {
		if _, dup := f.ids[id]; dup {
			if sel == nil {
				sel = make([]int32, 0, rows)
				for j := range i {
					sel = append(sel, int32(j))
				}
			}
			continue
		}
		f.ids[id] = struct{}{}
		if sel != nil {
			sel = append(sel, int32(i))
		}
	}
	if sel == nil {
		return cols, rows, func() {}
	}
	d := exec.Compact(memory.DefaultAllocator, &exec.Batch{Cols: cols, Len: rows, Sel: sel})
	return d.Cols, d.Len, d.Release
}
