package engine

import (
	"context"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
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

// drainDense runs a plan and hands each batch to fn with the selection
// applied, so its columns can become a record.
func (s *Session) drainDense(ctx context.Context, cat planner.Catalog, n planner.Node, params []catalog.Datum, fn func(cols []arrow.Array, rows int) error) error {
	op, err := planner.Lower(n, cat, params, s.lowerOptions())
	if err != nil {
		return err
	}
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

func (s *Session) insert(ctx context.Context, txn *storage.Txn, cat planner.Catalog, p *planner.InsertPlan, params []catalog.Datum, formats []int16, out ResultWriter) (string, error) {
	schema := tableSchema(p.Table)
	var recs []arrow.Record
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	var n int64
	err := s.drainDense(ctx, cat, p.Source, params, func(cols []arrow.Array, rows int) error {
		recs = append(recs, array.NewRecord(schema, cols, int64(rows)))
		n += int64(rows)
		return nil
	})
	if err != nil {
		return "", err
	}
	for _, r := range recs {
		if err := txn.Insert(p.Table, r); err != nil {
			return "", err
		}
	}
	if err := s.returning(ctx, cat, p.Returning, recs, params, formats, out); err != nil {
		return "", err
	}
	return "INSERT 0 " + strconv.FormatInt(n, 10), nil
}

// returning sends the rows of a RETURNING list computed over the rows the
// statement wrote; nothing when r is nil.
func (s *Session) returning(ctx context.Context, cat planner.Catalog, r *planner.Returning, written []arrow.Record, params []catalog.Datum, formats []int16, out ResultWriter) error {
	if r == nil {
		return nil
	}
	opts := s.lowerOptions()
	opts.Written = written
	op, err := planner.Lower(r.Root, cat, params, opts)
	if err != nil {
		return err
	}
	return s.sendRows(ctx, op, r.Columns, columnsOf(r.Columns), formats, out)
}

func (s *Session) update(ctx context.Context, txn *storage.Txn, cat planner.Catalog, p *planner.UpdatePlan, params []catalog.Datum, formats []int16, out ResultWriter) (string, error) {
	schema := tableSchema(p.Table)
	type change struct {
		ids []int64
		rec arrow.Record
	}
	var changes []change
	defer func() {
		for _, c := range changes {
			c.rec.Release()
		}
	}()
	var n int64
	err := s.drainDense(ctx, cat, p.Source, params, func(cols []arrow.Array, rows int) error {
		ids := append([]int64(nil), cols[0].(*array.Int64).Int64Values()...)
		changes = append(changes, change{ids: ids, rec: array.NewRecord(schema, cols[1:], int64(rows))})
		n += int64(rows)
		return nil
	})
	if err != nil {
		return "", err
	}
	written := make([]arrow.Record, len(changes))
	for i, c := range changes {
		if err := txn.Update(p.Table, c.ids, c.rec); err != nil {
			return "", err
		}
		written[i] = c.rec
	}
	if err := s.returning(ctx, cat, p.Returning, written, params, formats, out); err != nil {
		return "", err
	}
	return "UPDATE " + strconv.FormatInt(n, 10), nil
}

func (s *Session) delete(ctx context.Context, txn *storage.Txn, cat planner.Catalog, p *planner.DeletePlan, params []catalog.Datum, formats []int16, out ResultWriter) (string, error) {
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
	schema := tableSchema(p.Table)
	err := s.drainDense(ctx, cat, p.Source, params, func(cols []arrow.Array, rows int) error {
		ids = append(ids, cols[0].(*array.Int64).Int64Values()...)
		if p.Returning != nil {
			old = append(old, array.NewRecord(schema, cols[1:], int64(rows)))
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	if len(ids) > 0 {
		if err := txn.Delete(p.Table, ids); err != nil {
			return "", err
		}
	}
	if err := s.returning(ctx, cat, p.Returning, old, params, formats, out); err != nil {
		return "", err
	}
	return "DELETE " + strconv.FormatInt(int64(len(ids)), 10), nil
}
