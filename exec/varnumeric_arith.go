package exec

import (
	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/numeric"
)

// Numeric arithmetic result types, as PostgreSQL's (see arith.go for the
// decimal128 fast path):
//
//	var op var, var op decimal, decimal op var   var (numeric package)
//	decimal / decimal                            var: select_div_scale
//	                                             depends on the values
//	decimal + - * % decimal                      decimal128, static scale,
//	                                             unless the result could
//	                                             need more than 38 digits
//	                                             (then var)
//
// Where the result is var, decimal128 operands are read as numeric
// (numReader), so the result is exactly PostgreSQL's, including the
// display scale of each value.

// varArithNeeded reports whether op over two numeric operands produces
// var-scale numeric.
func varArithNeeded(op BinaryOp, lt, rt catalog.Type) bool {
	if lt.IsVarNumeric() || rt.IsVarNumeric() || op == OpDiv {
		return true
	}
	s1, s2 := lt.Scale, rt.Scale
	p1, p2 := lt.Precision(), rt.Precision()
	known := p1 > 0 && p2 > 0
	switch op {
	case OpMul:
		// An exact product has scale s1+s2 and up to p1+p2 digits.
		return s1+s2 > catalog.MaxNumericPrecision || known && p1+p2 > catalog.MaxNumericPrecision
	case OpAdd, OpSub:
		return known && max(p1-s1, p2-s2)+1+max(s1, s2) > catalog.MaxNumericPrecision
	}
	return false
}

func newVarNumericArith(op BinaryOp, l, r Expr) (Expr, error) {
	return &binaryExpr{l: l, r: r, t: catalog.TypeNumeric, kernel: varNumericArith(op, l.Type(), r.Type())}, nil
}

// varNumericArith is + - * / % with var numeric results; a decimal128 or
// integer operand is read as numeric. One Calc per kernel; results are
// appended into the output column's buffer.
func varNumericArith(op BinaryOp, lt, rt catalog.Type) binaryKernel {
	f := (*numeric.Calc).Mod
	switch op {
	case OpAdd:
		f = (*numeric.Calc).Add
	case OpSub:
		f = (*numeric.Calc).Sub
	case OpMul:
		f = (*numeric.Calc).Mul
	case OpDiv:
		f = (*numeric.Calc).Div
	}
	return varNumBinary(lt, rt, f)
}

// varNumericNegate is unary minus of var numeric.
func varNumericNegate(t catalog.Type) unaryKernel {
	return mapVarNumeric(t, t, func(c *numeric.Calc, dst, x []byte) ([]byte, error) { return c.Neg(dst, x) })
}
