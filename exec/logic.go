package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// AND and OR use SQL's three-valued logic and evaluate their arguments
// left to right on the rows still undecided: once a row is false for AND
// (true for OR) later arguments never see it, so `x <> 0 AND 1/x > 1`
// cannot divide by zero.

// And is the conjunction of args.
func And(args ...Expr) Expr { return &junction{args: args, isAnd: true} }

// Or is the disjunction of args.
func Or(args ...Expr) Expr { return &junction{args: args, isAnd: false} }

type junction struct {
	args  []Expr
	isAnd bool
}

func (j *junction) Type() catalog.Type { return catalog.TypeBool }

func (j *junction) Eval(ctx *Context, b *Batch) (arrow.Array, error) {
	out := newBoolBuilder(ctx.Mem, b.Len)
	// decided rows hold !isAnd (false for AND); the rest end as isAnd
	// unless an argument was NULL for them.
	active := append([]int32(nil), rowsOf(b)...)
	sawNull := newBitmap(ctx.Mem, b.Len, false)
	defer sawNull.buf.Release()
	for _, arg := range j.args {
		if len(active) == 0 {
			break
		}
		a, err := arg.Eval(ctx, &Batch{Cols: b.Cols, Len: b.Len, Sel: active})
		if err != nil {
			out.finish().Release()
			return nil, err
		}
		v := boolViewOf(a)
		keep := active[:0]
		for _, i := range active {
			switch {
			case !v.valid(int(i)):
				bitutil.SetBit(sawNull.bits, int(i))
				keep = append(keep, i)
			case v.value(int(i)) == j.isAnd:
				keep = append(keep, i)
			default:
				out.set(int(i), !j.isAnd)
			}
		}
		active = keep
		a.Release()
	}
	for _, i := range active {
		if bitutil.BitIsSet(sawNull.bits, int(i)) {
			out.setNull(int(i))
		} else {
			out.set(int(i), j.isAnd)
		}
	}
	return out.finish(), nil
}

// Not negates a boolean; NOT NULL is NULL.
func Not(e Expr) Expr {
	return &unaryExpr{arg: e, t: catalog.TypeBool, kernel: func(mem memory.Allocator, x arrow.Array, b *Batch) (arrow.Array, error) {
		v := boolViewOf(x)
		out := newBoolBuilder(mem, b.Len)
		out.nullMask = combineNulls(mem, b.Len, x)
		for _, i := range rowsOf(b) {
			out.set(int(i), !v.value(int(i)))
		}
		return out.finish(), nil
	}}
}

// IsNull is `e IS NULL`; it is never NULL itself.
func IsNull(e Expr) Expr { return nullTest(e, true) }

// IsNotNull is `e IS NOT NULL`.
func IsNotNull(e Expr) Expr { return nullTest(e, false) }

func nullTest(e Expr, wantNull bool) Expr {
	if e.Type().Kind == catalog.Record {
		return recordNullTest(e, wantNull)
	}
	return datumNullTest(e, wantNull)
}

// datumNullTest tells NULL values, of any type, from the others.
func datumNullTest(e Expr, wantNull bool) Expr {
	return &unaryExpr{arg: e, t: catalog.TypeBool, kernel: func(mem memory.Allocator, x arrow.Array, b *Batch) (arrow.Array, error) {
		v := validityOf(x)
		out := newBoolBuilder(mem, b.Len)
		for _, i := range rowsOf(b) {
			out.set(int(i), v.valid(int(i)) != wantNull)
		}
		return out.finish(), nil
	}}
}

// IsDistinctFrom is `l IS DISTINCT FROM r` (not=true: IS NOT DISTINCT
// FROM): equality where NULL equals NULL, never NULL itself.
func IsDistinctFrom(l, r Expr, not bool) Expr {
	ne, err := compareKernel(OpNe, l.Type(), r.Type())
	if err != nil {
		return &failingExpr{t: catalog.TypeBool, err: err}
	}
	return &binaryExpr{l: l, r: r, t: catalog.TypeBool, kernel: func(mem memory.Allocator, x, y arrow.Array, b *Batch) (arrow.Array, error) {
		c, err := ne(mem, x, y, b)
		if err != nil {
			return nil, err
		}
		defer c.Release()
		cv, xv, yv := boolViewOf(c), validityOf(x), validityOf(y)
		out := newBoolBuilder(mem, b.Len)
		for _, i := range rowsOf(b) {
			xn, yn := !xv.valid(int(i)), !yv.valid(int(i))
			var distinct bool
			switch {
			case xn || yn:
				distinct = xn != yn
			default:
				distinct = cv.value(int(i))
			}
			out.set(int(i), distinct != not)
		}
		return out.finish(), nil
	}}
}

// failingExpr reports an error found while building an expression whose
// constructor has no error result.
type failingExpr struct {
	t   catalog.Type
	err error
}

func (f *failingExpr) Type() catalog.Type { return f.t }
func (f *failingExpr) Eval(*Context, *Batch) (arrow.Array, error) {
	return nil, f.err
}
