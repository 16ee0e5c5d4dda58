package exec

import (
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// Record expressions: building a record from its fields (ROW(a, b), a
// whole-row reference), reading one field of it ((r).f), and IS [NOT]
// NULL over it (logic.go dispatches here), whose meaning for records
// looks into the fields.

// Row builds a record of type t from one expression per field. With
// present set, the record is NULL where present is NULL: a whole-row
// reference to a FROM item reads the item's presence column, which an
// outer join's NULL-extended rows hold NULL, so such a row yields a NULL
// record rather than a record of NULLs.
func Row(fields []Expr, t catalog.Type, present Expr) Expr {
	return &rowExpr{fields: fields, t: t, present: present}
}

type rowExpr struct {
	fields  []Expr
	t       catalog.Type
	present Expr
}

func (e *rowExpr) Type() catalog.Type { return e.t }

func (e *rowExpr) Eval(ctx *Context, b *Batch) (arrow.Array, error) {
	cols, err := evalAll(ctx, e.fields, b)
	if err != nil {
		return nil, err
	}
	defer releaseAll(cols)
	nulls := nullMask{mem: ctx.Mem, n: b.Len}
	if e.present != nil {
		p, err := e.present.Eval(ctx, b)
		if err != nil {
			return nil, err
		}
		nulls = combineNulls(ctx.Mem, b.Len, p)
		p.Release()
	}
	return newStructArray(e.t, b.Len, &nulls, cols), nil
}

// RecordField reads the field at index of a record: NULL where the
// record is NULL.
func RecordField(rec Expr, index int) Expr {
	return &recordFieldExpr{rec: rec, index: index, t: rec.Type().Fields()[index].Type}
}

type recordFieldExpr struct {
	rec   Expr
	index int
	t     catalog.Type
}

func (e *recordFieldExpr) Type() catalog.Type { return e.t }

func (e *recordFieldExpr) Eval(ctx *Context, b *Batch) (arrow.Array, error) {
	r, err := e.rec.Eval(ctx, b)
	if err != nil {
		return nil, err
	}
	defer r.Release()
	return fieldOfRecords(ctx.Mem, e.t, r, e.index), nil
}

// fieldOfRecords is the column of field index, of type t, of the record
// column r: NULL where the record is.
func fieldOfRecords(mem memory.Allocator, t catalog.Type, r arrow.Array, index int) arrow.Array {
	child := structChild(r, index)
	if r.NullN() == 0 {
		child.Retain()
		return child
	}
	// The field of a NULL record may hold a value (see record_layout.go):
	// gather the field with those rows NULL.
	v := validityOf(r)
	idx := make([]int32, r.Len())
	for i := range idx {
		idx[i] = int32(i)
		if !v.valid(i) {
			idx[i] = -1
		}
	}
	return takeNullable(mem, t, child, idx)
}

// DatumIsNull is IS NULL (not: IS NOT NULL) of the value itself, also
// for a record, whose fields it does not look into: the test PostgreSQL
// applies to each field of a row under IS [NOT] NULL.
func DatumIsNull(e Expr, not bool) Expr { return datumNullTest(e, !not) }

// recordNullTest is IS NULL (wantNull) or IS NOT NULL over a record, as
// PostgreSQL defines them for rows: IS NULL holds when the record is
// NULL or every field is; IS NOT NULL when it is not NULL and no field
// is. A record with some NULL fields is neither. Fields are looked at one
// level deep: a field that is a record counts as not NULL even when its
// own fields all are.
func recordNullTest(e Expr, wantNull bool) Expr {
	n := len(e.Type().Fields())
	return &unaryExpr{arg: e, t: catalog.TypeBool, kernel: func(mem memory.Allocator, x arrow.Array, b *Batch) (arrow.Array, error) {
		rv := validityOf(x)
		fv := make([]validity, n)
		for j := range fv {
			fv[j] = validityOf(structChild(x, j))
		}
		out := newBoolBuilder(mem, b.Len)
		for _, i := range rowsOf(b) {
			holds := true
			if rv.valid(int(i)) {
				for _, v := range fv {
					if v.valid(int(i)) == wantNull {
						holds = false
						break
					}
				}
			} else {
				holds = wantNull
			}
			out.set(int(i), holds)
		}
		return out.finish(), nil
	}}
}

// recordPrintsZone reports whether a record's text depends on the
// session's TimeZone: whether a field (at any depth) is a timestamptz or
// an array of them.
func recordPrintsZone(t catalog.Type) bool {
	for _, f := range t.Fields() {
		switch {
		case f.Type.Kind == catalog.Record && recordPrintsZone(f.Type),
			f.Type.Kind == catalog.TimestampTZ,
			f.Type.Kind == catalog.Array && f.Type.Elem == catalog.TimestampTZ:
			return true
		}
	}
	return false
}

// recordCast converts records field by field to a record type with as
// many fields (the common type of the records of a set operation, CASE
// or COALESCE), each field with its own cast.
func recordCast(from, to catalog.Type, loc *time.Location) (unaryKernel, error) {
	ff, tf := from.Fields(), to.Fields()
	if len(ff) != len(tf) {
		return nil, errCannotCast(from, to)
	}
	kernels := make([]unaryKernel, len(ff))
	for j := range ff {
		if ff[j].Type == tf[j].Type {
			continue
		}
		k, err := castKernel(ff[j].Type, tf[j].Type, loc)
		if err != nil {
			return nil, err
		}
		kernels[j] = k
	}
	return func(mem memory.Allocator, xa arrow.Array, b *Batch) (arrow.Array, error) {
		children := make([]arrow.Array, len(ff))
		for j, k := range kernels {
			c := structChild(xa, j)
			if k == nil {
				c.Retain()
				children[j] = c
				continue
			}
			out, err := k(mem, c, b)
			if err != nil {
				releaseAll(children[:j])
				return nil, err
			}
			children[j] = out
		}
		nulls := combineNulls(mem, b.Len, xa)
		out := newStructArray(to, b.Len, &nulls, children)
		releaseAll(children)
		return out, nil
	}, nil
}
