package engine

import (
	"context"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgcopy"
	"github.com/pqdb/pqdb/planner"
	"github.com/pqdb/pqdb/storage"
)

// copyFrom loads COPY ... FROM STDIN: the client's data streams through
// the format decoder into records that go straight to the transaction.
// Nothing of a COPY that fails is visible: its rows are in the
// statement's transaction, which the failure rolls back.
func (s *Session) copyFrom(ctx context.Context, txn *storage.Txn, cat planner.Catalog, p *planner.CopyFromPlan, out ResultWriter) (string, error) {
	if p.Freeze {
		if err := s.checkCopyFreeze(txn, p.Table); err != nil {
			return "", err
		}
	}
	types := make([]catalog.Type, len(p.Columns))
	for i, c := range p.Columns {
		types[i] = p.Table.Columns[c].Type
	}
	r, err := out.CopyIn(copyFormats(p.Options, len(types)))
	if err != nil {
		return "", err
	}
	mem := memory.DefaultAllocator
	dec := pgcopy.NewReader(r, types, p.Options, mem)
	dec.SetLocation(s.location())
	schema := tableSchema(p.Table)
	checks := s.rowChecker(cat, p.Table)
	var n int64
	for {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		rec, err := dec.Next()
		if err != nil {
			return "", err
		}
		if rec == nil {
			break
		}
		full := fillColumns(mem, schema, p, rec)
		rec.Release()
		err = checks.check(ctx, full)
		if err == nil {
			err = txn.Insert(p.Table, full)
		}
		if err == nil {
			err = s.checkReferences(txn, p.Table, full)
		}
		n += full.NumRows()
		full.Release()
		if err != nil {
			return "", err
		}
	}
	return "COPY " + strconv.FormatInt(n, 10), nil
}

// fillColumns places the copied columns at their table positions and
// fills the columns COPY did not name with NULLs.
func fillColumns(mem memory.Allocator, schema *arrow.Schema, p *planner.CopyFromPlan, rec arrow.Record) arrow.Record {
	rows := int(rec.NumRows())
	cols := make([]arrow.Array, len(p.Table.Columns))
	for i, c := range p.Columns {
		cols[c] = rec.Column(i)
		cols[c].Retain()
	}
	for i := range cols {
		if cols[i] == nil {
			cols[i] = array.MakeArrayOfNull(mem, schema.Field(i).Type, rows)
		}
	}
	out := array.NewRecord(schema, cols, int64(rows))
	for _, c := range cols {
		c.Release()
	}
	return out
}

// copyTo runs COPY ... TO STDOUT: the query's batches go through the
// format encoder straight into CopyData messages.
func (s *Session) copyTo(ctx context.Context, cat planner.Catalog, p *planner.CopyToPlan, params []catalog.Datum, out ResultWriter) (string, error) {
	op, err := planner.Lower(p.Root, cat, params, s.lowerOptions())
	if err != nil {
		return "", err
	}
	types := make([]catalog.Type, len(p.Columns))
	fields := make([]arrow.Field, len(p.Columns))
	for i, c := range p.Columns {
		types[i] = c.Type
		fields[i] = arrow.Field{Name: c.Name, Type: c.Type.ArrowType(), Nullable: true}
	}
	w, err := out.CopyOut(copyFormats(p.Options, len(types)))
	if err != nil {
		op.Close()
		return "", err
	}
	enc := pgcopy.NewWriter(w, types, p.Options, s.location())
	enc.MessagePerRow()
	schema := arrow.NewSchema(fields, nil)
	var n int64
	ec := s.execContext(ctx)
	defer ec.Release()
	err = exec.Drain(ec, op, func(b *exec.Batch) error {
		d := b
		if b.Sel != nil {
			d = exec.Compact(ec.Mem, b)
			defer d.Release()
		}
		rec := array.NewRecord(schema, d.Cols, int64(d.Len))
		defer rec.Release()
		n += int64(d.Len)
		return enc.Write(rec)
	})
	if err != nil {
		return "", err
	}
	if err := enc.Close(); err != nil {
		return "", err
	}
	if err := w.Close(); err != nil {
		return "", err
	}
	return "COPY " + strconv.FormatInt(n, 10), nil
}

// copyFormats is the overall and per-column format of a CopyInResponse
// or CopyOutResponse: all text, or all binary.
func copyFormats(opts pgcopy.Options, columns int) (int8, []int16) {
	format := int8(0)
	if opts.Format == pgcopy.Binary {
		format = 1
	}
	formats := make([]int16, columns)
	for i := range formats {
		formats[i] = int16(format)
	}
	return format, formats
}
