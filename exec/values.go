package exec

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
)

// NewValues is a source that emits literal rows (VALUES, SELECT without
// FROM). Each expression is evaluated against a one-row batch without
// columns, so it may hold constants, outer references and subqueries.
func NewValues(rows [][]Expr, types []catalog.Type) Operator {
	return &valuesOp{rows: rows, types: types}
}

type valuesOp struct {
	rows  [][]Expr
	types []catalog.Type
	ctx   *Context
	next  int
	out   *Batch
}

func (v *valuesOp) Types() []catalog.Type { return v.types }

func (v *valuesOp) Open(ctx *Context) error {
	v.ctx, v.next = ctx, 0
	return nil
}

func (v *valuesOp) Next() (*Batch, error) {
	v.release()
	if v.next >= len(v.rows) {
		return nil, nil
	}
	if err := v.ctx.Ctx.Err(); err != nil {
		return nil, err
	}
	end := min(len(v.rows), v.next+v.ctx.MaxBatchRows())
	n := end - v.next
	one := &Batch{Len: 1}
	// Evaluate row by row, then stitch each column together with choose.
	cols := make([]arrow.Array, len(v.types))
	for c, t := range v.types {
		parts := make([]arrow.Array, n)
		for r := 0; r < n; r++ {
			a, err := v.rows[v.next+r][c].Eval(v.ctx, one)
			if err != nil {
				releaseAll(parts)
				releaseAll(cols)
				return nil, err
			}
			parts[r] = a
		}
		cols[c] = concatRows(v.ctx, t, parts)
		releaseAll(parts)
	}
	v.next = end
	v.out = &Batch{Cols: cols, Len: n}
	return v.out, nil
}

// concatRows stacks one-row columns into one column.
func concatRows(ctx *Context, t catalog.Type, parts []arrow.Array) arrow.Array {
	builder := newColumnAppender(ctx.Mem, t, len(parts))
	for _, p := range parts {
		builder.appendFrom(p, 0)
	}
	return builder.finish()
}

func (v *valuesOp) release() {
	if v.out != nil {
		v.out.Release()
		v.out = nil
	}
}

func (v *valuesOp) Close() { v.release() }
