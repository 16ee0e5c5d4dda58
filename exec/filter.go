package exec

import "github.com/pqdb/pqdb/catalog"

// NewFilter passes on the rows for which pred is true (NULL counts as
// false) by narrowing the selection vector; columns are not copied.
func NewFilter(in Operator, pred Expr) Operator { return &filterOp{in: in, pred: pred} }

type filterOp struct {
	in   Operator
	pred Expr
	ctx  *Context
	sel  []int32
	out  Batch
}

func (f *filterOp) Types() []catalog.Type { return f.in.Types() }

func (f *filterOp) Open(ctx *Context) error {
	f.ctx = ctx
	return f.in.Open(ctx)
}

func (f *filterOp) Next() (*Batch, error) {
	for {
		b, err := f.in.Next()
		if err != nil || b == nil {
			return nil, err
		}
		if err := f.ctx.Ctx.Err(); err != nil {
			return nil, err
		}
		sel, err := SelectTrue(f.ctx, f.pred, b, f.sel[:0])
		if err != nil {
			return nil, err
		}
		f.sel = sel
		if len(sel) == 0 {
			continue
		}
		// The output shares the input's columns, which stay valid until
		// the next call to Next, exactly as long as this batch must. When
		// every row of a dense batch passes (a key lookup's one row, as
		// usual), it stays dense: operators above need not gather it.
		f.out = Batch{Cols: b.Cols, Len: b.Len, Sel: sel}
		if b.Sel == nil && len(sel) == b.Len {
			f.out.Sel = nil
		}
		return &f.out, nil
	}
}

// SelectTrue evaluates pred on b and appends to dst the active rows where
// it is true (NULL is not), narrowing conjunctions row set by row set
// (filter_select.go).
func SelectTrue(ctx *Context, pred Expr, b *Batch, dst []int32) ([]int32, error) {
	if dst == nil {
		dst = make([]int32, 0, b.NumRows())
	}
	return selectRows(ctx, pred, b, dst)
}

func (f *filterOp) Close() { f.in.Close() }
