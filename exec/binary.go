package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// BinaryOp is an infix operator.
type BinaryOp uint8

const (
	OpAdd BinaryOp = iota
	OpSub
	OpMul
	OpDiv
	OpMod
	OpEq
	OpNe
	OpLt
	OpLe
	OpGt
	OpGe
	OpConcat
	OpLike
	OpNotLike
	OpILike
	OpNotILike
)

var opNames = [...]string{
	OpAdd: "+", OpSub: "-", OpMul: "*", OpDiv: "/", OpMod: "%",
	OpEq: "=", OpNe: "<>", OpLt: "<", OpLe: "<=", OpGt: ">", OpGe: ">=",
	OpConcat: "||", OpLike: "~~", OpNotLike: "!~~", OpILike: "~~*", OpNotILike: "!~~*",
}

func (op BinaryOp) String() string {
	if int(op) < len(opNames) {
		return opNames[op]
	}
	return "?"
}

// IsComparison reports whether op is one of = <> < <= > >=.
func (op BinaryOp) IsComparison() bool { return op >= OpEq && op <= OpGe }

// IsArithmetic reports whether op is one of + - * / %.
func (op BinaryOp) IsArithmetic() bool { return op <= OpMod }

// Binary builds l op r. The result type follows PostgreSQL's operator
// catalog; operand pairs pqdb has no kernel for are 42883, as in
// PostgreSQL when no operator matches.
func Binary(op BinaryOp, l, r Expr) (Expr, error) {
	switch {
	case op.IsArithmetic():
		return newArith(op, l, r)
	case op.IsComparison():
		return newCompare(op, l, r)
	case op == OpConcat:
		return newConcat(l, r)
	case op >= OpLike && op <= OpNotILike:
		return newLike(op, l, r)
	}
	return nil, pgerr.Unsupported("operator %d is not supported", op)
}

// binaryKernel computes a column from two evaluated operands for the rows
// of b.
type binaryKernel func(mem memory.Allocator, x, y arrow.Array, b *Batch) (arrow.Array, error)

// binaryExpr evaluates both operands on the batch and hands them to a
// kernel chosen once, when the expression was built.
type binaryExpr struct {
	l, r   Expr
	t      catalog.Type
	kernel binaryKernel
}

func (e *binaryExpr) Type() catalog.Type { return e.t }

func (e *binaryExpr) Eval(ctx *Context, b *Batch) (arrow.Array, error) {
	x, err := e.l.Eval(ctx, b)
	if err != nil {
		return nil, err
	}
	defer x.Release()
	y, err := e.r.Eval(ctx, b)
	if err != nil {
		return nil, err
	}
	defer y.Release()
	return e.kernel(ctx.Mem, x, y, b)
}

// combineNulls returns a null mask of length n that is NULL wherever any
// of arrays is NULL: the strict-function rule.
func combineNulls(mem memory.Allocator, n int, arrays ...arrow.Array) nullMask {
	m := nullMask{mem: mem, n: n}
	for _, a := range arrays {
		if a.NullN() == 0 {
			continue
		}
		off := int64(a.Data().Offset())
		if m.bm.buf == nil {
			m.bm = newBitmap(mem, n, false)
			bitutil.CopyBitmap(a.NullBitmapBytes(), int(off), n, m.bm.bits, 0)
			continue
		}
		bitutil.BitmapAnd(m.bm.bits, a.NullBitmapBytes(), 0, off, m.bm.bits, 0, int64(n))
	}
	return m
}
