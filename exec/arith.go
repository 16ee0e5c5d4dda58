package exec

import (
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// Arithmetic follows PostgreSQL: integer operators keep their operand
// type and raise 22003 on overflow; division truncates toward zero;
// dividing by zero raises 22012 — but only for rows that are selected and
// non-NULL, so a filter or CASE that excludes them also excludes the
// error. Numeric of two decimal128 operands stays decimal128 (the fast
// path) with a static scale where PostgreSQL's result scale is static:
//
//	+ -  scale max(s1, s2)
//	*    scale s1+s2
//	%    scale max(s1, s2)
//
// Division, any var-scale operand and results that could need more than
// 38 digits give var-scale numeric (varnumeric_arith.go).

// numericDivScale is the result scale of numeric division.
func numericDivScale(s1, s2 int32) int32 { return max(s1, s2, 16) }

func newArith(op BinaryOp, l, r Expr) (Expr, error) {
	lt, rt := l.Type(), r.Type()
	switch {
	case lt.Kind == rt.Kind && lt.IsInteger():
		return &binaryExpr{l: l, r: r, t: lt, kernel: intArith(op, lt)}, nil
	case lt.Kind == catalog.PgLsn && rt.Kind == catalog.PgLsn && op == OpSub:
		return &binaryExpr{l: l, r: r, t: lsnDiffType, kernel: lsnDiff}, nil
	case lt.Kind == rt.Kind && (lt.Kind == catalog.Float4 || lt.Kind == catalog.Float8):
		if op == OpMod {
			break
		}
		if lt.Kind == catalog.Float4 {
			return &binaryExpr{l: l, r: r, t: lt, kernel: floatArith[float32](op, lt.Kind)}, nil
		}
		return &binaryExpr{l: l, r: r, t: lt, kernel: floatArith[float64](op, lt.Kind)}, nil
	case lt.Kind == catalog.Numeric && rt.Kind == catalog.Numeric:
		return newNumericArith(op, l, r)
	case lt.Kind == catalog.Numeric && rt.IsInteger(), lt.IsInteger() && rt.Kind == catalog.Numeric:
		// The integer side becomes numeric, as PostgreSQL's implicit
		// int → numeric cast does (the planner normally inserted it).
		var err error
		if lt.IsInteger() {
			l, err = Cast(l, catalog.UnconstrainedNumeric(0))
		} else {
			r, err = Cast(r, catalog.UnconstrainedNumeric(0))
		}
		if err != nil {
			return nil, err
		}
		return newNumericArith(op, l, r)
	}
	if e, err := newDatetimeArith(op, l, r); e != nil || err != nil {
		return e, err
	}
	return nil, errOperatorDoesNotExist(op.String(), lt, rt)
}

func intArith(op BinaryOp, t catalog.Type) binaryKernel {
	switch t.Kind {
	case catalog.Int2:
		return intKernel[int16](op, t, math.MinInt16, math.MaxInt16)
	case catalog.Int4:
		return intKernel[int32](op, t, math.MinInt32, math.MaxInt32)
	}
	return intKernel[int64](op, t, math.MinInt64, math.MaxInt64)
}

type integer interface{ ~int16 | ~int32 | ~int64 }

func intKernel[T integer](op BinaryOp, t catalog.Type, minV, maxV int64) binaryKernel {
	overflow := errIntegerOutOfRange(t.Kind)
	wide := maxV < math.MaxInt64
	return func(mem memory.Allocator, xa, ya arrow.Array, b *Batch) (arrow.Array, error) {
		x, y := fixedValues[T](xa), fixedValues[T](ya)
		out := newFixedBuilder[T](mem, b.Len)
		out.nullMask = combineNulls(mem, b.Len, xa, ya)
		z := out.vals
		fail := func(err error) (arrow.Array, error) {
			out.finish(t).Release()
			return nil, err
		}
		rows := rowsOf(b)
		switch op {
		case OpAdd:
			for _, i := range rows {
				if out.isNull(int(i)) {
					continue
				}
				s := x[i] + y[i]
				if (x[i]^s)&(y[i]^s) < 0 {
					return fail(overflow)
				}
				z[i] = s
			}
		case OpSub:
			for _, i := range rows {
				if out.isNull(int(i)) {
					continue
				}
				s := x[i] - y[i]
				if (x[i]^y[i])&(x[i]^s) < 0 {
					return fail(overflow)
				}
				z[i] = s
			}
		case OpMul:
			for _, i := range rows {
				if out.isNull(int(i)) {
					continue
				}
				if wide {
					p := int64(x[i]) * int64(y[i])
					if p < minV || p > maxV {
						return fail(overflow)
					}
					z[i] = T(p)
					continue
				}
				p := x[i] * y[i]
				if x[i] != 0 && (p/x[i] != y[i] || (x[i] == -1 && y[i] == T(minV))) {
					return fail(overflow)
				}
				z[i] = p
			}
		case OpDiv:
			for _, i := range rows {
				if out.isNull(int(i)) {
					continue
				}
				if y[i] == 0 {
					return fail(errDivisionByZero())
				}
				if y[i] == -1 {
					if int64(x[i]) == minV {
						return fail(overflow)
					}
					z[i] = -x[i]
					continue
				}
				z[i] = x[i] / y[i]
			}
		case OpMod:
			for _, i := range rows {
				if out.isNull(int(i)) {
					continue
				}
				if y[i] == 0 {
					return fail(errDivisionByZero())
				}
				if y[i] == -1 {
					z[i] = 0
					continue
				}
				z[i] = x[i] % y[i]
			}
		}
		return out.finish(t), nil
	}
}

func floatArith[T float32 | float64](op BinaryOp, k catalog.Kind) binaryKernel {
	t := catalog.Type{Kind: k, Typmod: -1}
	return func(mem memory.Allocator, xa, ya arrow.Array, b *Batch) (arrow.Array, error) {
		x, y := fixedValues[T](xa), fixedValues[T](ya)
		out := newFixedBuilder[T](mem, b.Len)
		out.nullMask = combineNulls(mem, b.Len, xa, ya)
		z := out.vals
		for _, i := range rowsOf(b) {
			if out.isNull(int(i)) {
				continue
			}
			var v T
			switch op {
			case OpAdd:
				v = x[i] + y[i]
			case OpSub:
				v = x[i] - y[i]
			case OpMul:
				v = x[i] * y[i]
				if v == 0 && x[i] != 0 && y[i] != 0 {
					out.finish(t).Release()
					return nil, pgerr.New(pgerr.NumericValueOutOfRange, "value out of range: underflow")
				}
			case OpDiv:
				if y[i] == 0 && !isNaN(x[i]) {
					out.finish(t).Release()
					return nil, errDivisionByZero()
				}
				v = x[i] / y[i]
				if v == 0 && x[i] != 0 && !isInf(y[i]) {
					out.finish(t).Release()
					return nil, pgerr.New(pgerr.NumericValueOutOfRange, "value out of range: underflow")
				}
			}
			if isInf(v) && !isInf(x[i]) && !isInf(y[i]) {
				out.finish(t).Release()
				return nil, errFloatOutOfRange(k)
			}
			z[i] = v
		}
		return out.finish(t), nil
	}
}

func isNaN[T float32 | float64](v T) bool { return v != v }
func isInf[T float32 | float64](v T) bool { return math.IsInf(float64(v), 0) }

func newNumericArith(op BinaryOp, l, r Expr) (Expr, error) {
	if varArithNeeded(op, l.Type(), r.Type()) {
		return newVarNumericArith(op, l, r)
	}
	s1, s2 := l.Type().Scale, r.Type().Scale
	var rs int32
	switch op {
	case OpAdd, OpSub, OpMod:
		rs = max(s1, s2)
	case OpMul:
		rs = min(s1+s2, catalog.MaxNumericPrecision)
	case OpDiv:
		rs = numericDivScale(s1, s2)
	}
	t := catalog.UnconstrainedNumeric(rs)
	kernel := numericKernel(op, s1, s2, rs)
	if k, ok := numericConstKernel(op, l, r, s1, s2, rs, kernel); ok {
		kernel = k
	}
	return &binaryExpr{l: l, r: r, t: t, kernel: kernel}, nil
}

// numericConstKernel returns, for an addition, subtraction or exact
// multiplication of a column and a constant whose value fits the int64
// path, a kernel that reads only the column's values (numeric_int64.go),
// and gives a batch with a value off that path to general.
func numericConstKernel(op BinaryOp, l, r Expr, s1, s2, rs int32, general binaryKernel) (binaryKernel, bool) {
	if op != OpAdd && op != OpSub && !(op == OpMul && s1+s2 == rs) {
		return nil, false
	}
	constRight := false
	d, ok := literalValue(l)
	if !ok {
		if d, ok = literalValue(r); !ok {
			return nil, false
		}
		constRight = true
	}
	if d == nil {
		return nil, false // NULL: the general kernel's NULL mask answers
	}
	ct := l.Type()
	kc, ky := rs-s1, rs-s2
	if constRight {
		ct = r.Type()
		kc, ky = ky, kc
	}
	one, err := constantArray(goHeap, ct, d, 1)
	if err != nil {
		return nil, false
	}
	c := fixedValues[decimal128.Num](one)[0]
	one.Release()
	if op != OpMul {
		if c, ok = decScaleUp(c, kc); !ok {
			return nil, false
		}
	}
	cs, ok := decSmall(c)
	if !ok {
		return nil, false
	}
	t := catalog.UnconstrainedNumeric(rs)
	return func(mem memory.Allocator, xa, ya arrow.Array, b *Batch) (arrow.Array, error) {
		col := ya
		if constRight {
			col = xa
		}
		y := fixedValues[decimal128.Num](col)
		out := newFixedBuilder[decimal128.Num](mem, b.Len)
		out.nullMask = combineNulls(mem, b.Len, col)
		rows := rowsOf(b)
		var done bool
		if op == OpMul {
			done = numericMulConstRows(cs, y, out.vals, rows, out)
		} else {
			done = numericAddConstRows(cs, y, out.vals, rows, out, ky, op == OpSub, constRight)
		}
		if done {
			return out.finish(t), nil
		}
		out.finish(t).Release()
		return general(mem, xa, ya, b)
	}, true
}

func numericKernel(op BinaryOp, s1, s2, rs int32) binaryKernel {
	t := catalog.UnconstrainedNumeric(rs)
	return func(mem memory.Allocator, xa, ya arrow.Array, b *Batch) (arrow.Array, error) {
		x, y := fixedValues[decimal128.Num](xa), fixedValues[decimal128.Num](ya)
		out := newFixedBuilder[decimal128.Num](mem, b.Len)
		out.nullMask = combineNulls(mem, b.Len, xa, ya)
		z := out.vals
		fail := func(err error) (arrow.Array, error) {
			out.finish(t).Release()
			return nil, err
		}
		rows := rowsOf(b)
		switch {
		case op == OpAdd || op == OpSub:
			if !numericAddRows(x, y, z, rows, out, rs-s1, rs-s2, op == OpSub) {
				return fail(errNumericOverflow())
			}
			return out.finish(t), nil
		case op == OpMul && s1+s2 == rs:
			if !numericMulRows(x, y, z, rows, out) {
				return fail(errNumericOverflow())
			}
			return out.finish(t), nil
		}
		switch op {
		case OpMod:
			for _, i := range rows {
				if out.isNull(int(i)) {
					continue
				}
				a, ok1 := decScaleUp(x[i], rs-s1)
				c, ok2 := decScaleUp(y[i], rs-s2)
				if !ok1 || !ok2 {
					return fail(errNumericOverflow())
				}
				if c.Sign() == 0 {
					return fail(errDivisionByZero())
				}
				z[i] = decMod(a, c)
			}
		case OpMul:
			drop := s1 + s2 - rs
			for _, i := range rows {
				if out.isNull(int(i)) {
					continue
				}
				v, ok := decMul(x[i], y[i])
				if !ok {
					return fail(errNumericOverflow())
				}
				if drop > 0 {
					v, _ = decRescale(v, s1+s2, rs)
				}
				z[i] = v
			}
		case OpDiv:
			for _, i := range rows {
				if out.isNull(int(i)) {
					continue
				}
				if y[i].Sign() == 0 {
					return fail(errDivisionByZero())
				}
				v, ok := decDiv(x[i], s1, y[i], s2, rs)
				if !ok {
					return fail(errNumericOverflow())
				}
				z[i] = v
			}
		}
		return out.finish(t), nil
	}
}

// Negate builds unary minus.
func Negate(e Expr) (Expr, error) {
	t := e.Type()
	switch t.Kind {
	case catalog.Int2, catalog.Int4, catalog.Int8, catalog.Float4, catalog.Float8, catalog.Numeric, catalog.Interval:
		return &unaryExpr{arg: e, t: t, kernel: negateKernel(t)}, nil
	}
	return nil, pgerr.New(pgerr.UndefinedFunction, "operator does not exist: - %s", t)
}

// unaryKernel computes a column from one evaluated operand.
type unaryKernel func(mem memory.Allocator, x arrow.Array, b *Batch) (arrow.Array, error)

type unaryExpr struct {
	arg    Expr
	t      catalog.Type
	kernel unaryKernel
}

func (e *unaryExpr) Type() catalog.Type { return e.t }

func (e *unaryExpr) Eval(ctx *Context, b *Batch) (arrow.Array, error) {
	x, err := e.arg.Eval(ctx, b)
	if err != nil {
		return nil, err
	}
	defer x.Release()
	return e.kernel(ctx.Mem, x, b)
}

func negateKernel(t catalog.Type) unaryKernel {
	switch t.Kind {
	case catalog.Int2:
		return mapFixed(t, t, func(v int16) (int16, error) {
			if v == math.MinInt16 {
				return 0, errIntegerOutOfRange(t.Kind)
			}
			return -v, nil
		})
	case catalog.Int4:
		return mapFixed(t, t, func(v int32) (int32, error) {
			if v == math.MinInt32 {
				return 0, errIntegerOutOfRange(t.Kind)
			}
			return -v, nil
		})
	case catalog.Int8:
		return mapFixed(t, t, func(v int64) (int64, error) {
			if v == math.MinInt64 {
				return 0, errIntegerOutOfRange(t.Kind)
			}
			return -v, nil
		})
	case catalog.Float4:
		return mapFixed(t, t, func(v float32) (float32, error) { return -v, nil })
	case catalog.Float8:
		return mapFixed(t, t, func(v float64) (float64, error) { return -v, nil })
	case catalog.Numeric:
		if t.IsVarNumeric() {
			return varNumericNegate(t)
		}
		return mapFixed(t, t, func(v decimal128.Num) (decimal128.Num, error) { return v.Negate(), nil })
	}
	return mapFixed(t, t, func(v arrow.MonthDayNanoInterval) (arrow.MonthDayNanoInterval, error) {
		return arrow.MonthDayNanoInterval{Months: -v.Months, Days: -v.Days, Nanoseconds: -v.Nanoseconds}, nil
	})
}

// mapFixed lifts a strict per-value function of fixed-width types into a
// kernel. The function is a direct call the compiler can see through; it
// is meant for the less common unary functions, where that is cheap next
// to the work each value needs.
func mapFixed[A, R fixedWidth](at, rt catalog.Type, f func(A) (R, error)) unaryKernel {
	return func(mem memory.Allocator, xa arrow.Array, b *Batch) (arrow.Array, error) {
		x := fixedValues[A](xa)
		out := newFixedBuilder[R](mem, b.Len)
		out.nullMask = combineNulls(mem, b.Len, xa)
		for _, i := range rowsOf(b) {
			if out.isNull(int(i)) {
				continue
			}
			v, err := f(x[i])
			if err != nil {
				out.finish(rt).Release()
				return nil, err
			}
			out.vals[i] = v
		}
		return out.finish(rt), nil
	}
}
