package exec

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
)

// HostFunc is a function the embedding program provides, such as the
// session functions pg_cancel_backend and set_config whose effects belong
// to the engine, not to exec. It is called once per selected row with
// that row's argument values; such functions are for administration, not
// for hot paths.
type HostFunc func(ctx *Context, args []catalog.Datum) (catalog.Datum, error)

// NewHostFunc returns an expression that calls fn for every selected row.
func NewHostFunc(fn HostFunc, args []Expr, t catalog.Type) Expr {
	return &hostFuncExpr{fn: fn, args: args, t: t}
}

type hostFuncExpr struct {
	fn   HostFunc
	args []Expr
	t    catalog.Type
}

func (e *hostFuncExpr) Type() catalog.Type { return e.t }

func (e *hostFuncExpr) Eval(ctx *Context, b *Batch) (arrow.Array, error) {
	cols := make([]arrow.Array, len(e.args))
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for i, a := range e.args {
		c, err := a.Eval(ctx, b)
		if err != nil {
			return nil, err
		}
		cols[i] = c
	}
	out := make([]catalog.Datum, b.Len)
	vals := make([]catalog.Datum, len(e.args))
	each := func(r int) error {
		for i, c := range cols {
			vals[i] = datumAt(c, e.args[i].Type(), r)
		}
		v, err := e.fn(ctx, vals)
		out[r] = v
		return err
	}
	if b.Sel != nil {
		for _, r := range b.Sel {
			if err := each(int(r)); err != nil {
				return nil, err
			}
		}
	} else {
		for r := 0; r < b.Len; r++ {
			if err := each(r); err != nil {
				return nil, err
			}
		}
	}
	return datumsToArray(ctx.Mem, e.t, out)
}
