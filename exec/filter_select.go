package exec

import (
	"slices"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/pqdb/pqdb/catalog"
)

// Filters select rows without building booleans where they can.
//
// A WHERE clause is most often a conjunction of comparisons of a column
// with a constant (TPC-H Q6: a date range, a discount range, a quantity
// bound). Evaluated as expressions, each comparison fills a boolean array
// of the whole batch, the AND combines them in a third, and the filter
// then reads that back into a selection vector. selectRows instead
// narrows the selection vector conjunct by conjunct, in place: a
// comparison with a constant (constCompare) appends the rows it holds
// for straight from the column's values, a LIKE with a constant pattern
// (likeExpr) the rows that match, and any other conjunct is
// evaluated on the rows still selected and its true rows kept. A row
// whose conjunct is NULL is dropped at once, as PostgreSQL's qual
// evaluation drops it (a NULL qual ends the row's evaluation like a
// false one); rows a conjunct drops are not seen by the later ones,
// exactly as with the AND expression.

// constCompare is a comparison of an expression with a non-NULL constant
// of the same physical type, which can also select its rows directly.
type constCompare struct {
	binaryExpr
	// holds appends to dst the rows of rows where x (the evaluated left
	// side) is not NULL and the comparison holds.
	holds func(x arrow.Array, rows, dst []int32) []int32
}

// SelectsByValue reports whether comparing a value of type l with a
// constant of type r selects rows straight from the values
// (constCompare), the cheapest a filter's conjunct gets; the planner runs
// such conjuncts first (planner/rule_filter_order.go).
func SelectsByValue(l, r catalog.Type) bool {
	if l.Kind != r.Kind || l.HasEnum() || r.HasEnum() {
		return false
	}
	switch l.Kind {
	case catalog.Int2, catalog.Int4, catalog.Date, catalog.Int8, catalog.Timestamp, catalog.TimestampTZ:
		return true
	case catalog.Numeric:
		return !l.IsVarNumeric() && !r.IsVarNumeric() && l.Scale == r.Scale
	}
	return false
}

// newConstCompare returns e (the comparison op of l and r, built with
// kernel k) as a constCompare when r is a constant whose comparison with
// l's type has a selecting kernel, or as a reboundCompare when r is a
// rebound value of such a type, else nil.
func newConstCompare(op BinaryOp, l, r Expr, k binaryKernel) Expr {
	if !SelectsByValue(l.Type(), r.Type()) {
		return nil
	}
	e := binaryExpr{l: l, r: r, t: catalog.TypeBool, kernel: k}
	if rb, ok := r.(*rebound); ok {
		return &reboundCompare{binaryExpr: e, op: op, value: rb.value}
	}
	v, ok := literalValue(r)
	if !ok {
		if holds := selectingPairKernel(op, l.Type()); holds != nil {
			return &pairCompare{binaryExpr: e, holds: holds}
		}
		return nil
	}
	if v == nil {
		return nil
	}
	holds := selectingKernel(op, v)
	if holds == nil {
		return nil
	}
	return &constCompare{binaryExpr: e, holds: holds}
}

// selectingKernel is constCompare.holds for comparison op with the
// non-NULL value v, or nil for a value of a type it has none for.
func selectingKernel(op BinaryOp, v catalog.Datum) func(x arrow.Array, rows, dst []int32) []int32 {
	switch c := v.(type) {
	case int16:
		return selectOrdered(op, c)
	case int32:
		return selectOrdered(op, c)
	case int64:
		return selectOrdered(op, c)
	case decimal128.Num:
		return selectDecimal(op, c)
	}
	return nil
}

// pairCompare is a comparison of two expressions of one integer, date or
// timestamp type, neither a constant (TPC-H's l_commitdate <
// l_receiptdate), which selects its rows straight from both sides'
// values where neither has a NULL.
type pairCompare struct {
	binaryExpr
	holds func(x, y arrow.Array, rows, dst []int32) []int32
}

// selectingPairKernel is pairCompare.holds for comparison op of two
// values of type t, or nil for a type it has none for.
func selectingPairKernel(op BinaryOp, t catalog.Type) func(x, y arrow.Array, rows, dst []int32) []int32 {
	switch t.Kind {
	case catalog.Int2:
		return selectPairs[int16](op)
	case catalog.Int4, catalog.Date:
		return selectPairs[int32](op)
	case catalog.Int8, catalog.Timestamp, catalog.TimestampTZ:
		return selectPairs[int64](op)
	}
	return nil
}

// selectPairs selects the rows whose values of x and y (no NULLs)
// compare as op says. Its loops repeat selectCompared's with y[i] for
// the constant on purpose: one function for both, the constant read as
// a value of stride 0, made TPC-H Q6 a fifth slower (47–50 → 57–63 ms).
func selectPairs[T orderedNum](op BinaryOp) func(x, y arrow.Array, rows, dst []int32) []int32 {
	return func(xa, ya arrow.Array, rows, dst []int32) []int32 {
		x, y := fixedValues[T](xa), fixedValues[T](ya)
		n := len(dst)
		dst = slices.Grow(dst, len(rows))[:n+len(rows)]
		out := dst[n:]
		k := 0
		switch op {
		case OpEq:
			for _, i := range rows {
				out[k] = i
				k += boolToInt(x[i] == y[i])
			}
		case OpNe:
			for _, i := range rows {
				out[k] = i
				k += boolToInt(x[i] != y[i])
			}
		case OpLt:
			for _, i := range rows {
				out[k] = i
				k += boolToInt(x[i] < y[i])
			}
		case OpLe:
			for _, i := range rows {
				out[k] = i
				k += boolToInt(x[i] <= y[i])
			}
		case OpGt:
			for _, i := range rows {
				out[k] = i
				k += boolToInt(x[i] > y[i])
			}
		default:
			for _, i := range rows {
				out[k] = i
				k += boolToInt(x[i] >= y[i])
			}
		}
		return dst[:n+k]
	}
}

// reboundCompare is a comparison with a rebound value (Rebound) whose
// type has a selecting kernel: it selects rows as a constCompare does
// with the value of the run.
type reboundCompare struct {
	binaryExpr
	op    BinaryOp
	value func() catalog.Datum
}

// selectRows appends to dst the rows of b (its selection, or every row)
// for which pred is true, narrowing conjunctions in place (see above).
func selectRows(ctx *Context, pred Expr, b *Batch, dst []int32) ([]int32, error) {
	switch p := pred.(type) {
	case *junction:
		if !p.isAnd || len(p.args) == 0 {
			break
		}
		base := len(dst)
		dst, err := selectRows(ctx, p.args[0], b, dst)
		if err != nil {
			return nil, err
		}
		for _, arg := range p.args[1:] {
			if len(dst) == base {
				break
			}
			// The rows still selected are the batch of the next
			// conjunct, which writes the ones it keeps over them.
			rows := dst[base:]
			kept, err := selectRows(ctx, arg, &Batch{Cols: b.Cols, Len: b.Len, Sel: rows}, rows[:0])
			if err != nil {
				return nil, err
			}
			dst = dst[:base+len(kept)]
		}
		return dst, nil
	case *constCompare:
		x, err := p.l.Eval(ctx, b)
		if err != nil {
			return nil, err
		}
		dst = p.holds(x, rowsOf(b), dst)
		x.Release()
		return dst, nil
	case *reboundCompare:
		v := p.value()
		if v == nil {
			return dst, nil // NULL: the comparison holds for no row
		}
		if holds := selectingKernel(p.op, v); holds != nil {
			x, err := p.l.Eval(ctx, b)
			if err != nil {
				return nil, err
			}
			dst = holds(x, rowsOf(b), dst)
			x.Release()
			return dst, nil
		}
	case *pairCompare:
		x, err := p.l.Eval(ctx, b)
		if err != nil {
			return nil, err
		}
		defer x.Release()
		y, err := p.r.Eval(ctx, b)
		if err != nil {
			return nil, err
		}
		defer y.Release()
		if x.NullN() == 0 && y.NullN() == 0 {
			return p.holds(x, y, rowsOf(b), dst), nil
		}
		a, err := p.kernel(ctx.Mem, x, y, b)
		if err != nil {
			return nil, err
		}
		defer a.Release()
		return appendTrue(a, rowsOf(b), dst), nil
	case *likeExpr:
		x, err := p.l.Eval(ctx, b)
		if err != nil {
			return nil, err
		}
		dst, err = p.selectRows(x, rowsOf(b), dst)
		x.Release()
		return dst, err
	}
	a, err := pred.Eval(ctx, b)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	return appendTrue(a, rowsOf(b), dst), nil
}

// appendTrue appends to dst the rows of rows where the boolean array a
// is true (not NULL).
func appendTrue(a arrow.Array, rows, dst []int32) []int32 {
	v := boolViewOf(a)
	if v.validity.bits == nil {
		for _, i := range rows {
			if v.value(int(i)) {
				dst = append(dst, i)
			}
		}
		return dst
	}
	for _, i := range rows {
		if v.valid(int(i)) && v.value(int(i)) {
			dst = append(dst, i)
		}
	}
	return dst
}

// selectOrdered selects the rows whose value compares with c as op says.
func selectOrdered[T orderedNum](op BinaryOp, c T) func(x arrow.Array, rows, dst []int32) []int32 {
	return func(xa arrow.Array, rows, dst []int32) []int32 {
		x := fixedValues[T](xa)
		if xa.NullN() > 0 {
			v := validityOf(xa)
			for _, i := range rows {
				if v.valid(int(i)) && opHolds(op, cmpOrdered(x[i], c)) {
					dst = append(dst, i)
				}
			}
			return dst
		}
		return selectCompared(op, x, 1, c, rows, dst)
	}
}

// selectCompared appends to dst the rows of x (no NULLs) whose value
// compares with c as op says, as appendWhere does but with a loop per
// operator: through appendWhere's predicate, a call per row, a date
// range (TPC-H's shipdates) took twice as long. Row i's value is
// x[i*stride] (2: the low words of decimal128s).
func selectCompared[T orderedNum](op BinaryOp, x []T, stride int, c T, rows, dst []int32) []int32 {
	n := len(dst)
	dst = slices.Grow(dst, len(rows))[:n+len(rows)]
	out := dst[n:]
	k := 0
	switch op {
	case OpEq:
		for _, i := range rows {
			out[k] = i
			k += boolToInt(x[int(i)*stride] == c)
		}
	case OpNe:
		for _, i := range rows {
			out[k] = i
			k += boolToInt(x[int(i)*stride] != c)
		}
	case OpLt:
		for _, i := range rows {
			out[k] = i
			k += boolToInt(x[int(i)*stride] < c)
		}
	case OpLe:
		for _, i := range rows {
			out[k] = i
			k += boolToInt(x[int(i)*stride] <= c)
		}
	case OpGt:
		for _, i := range rows {
			out[k] = i
			k += boolToInt(x[int(i)*stride] > c)
		}
	default:
		for _, i := range rows {
			out[k] = i
			k += boolToInt(x[int(i)*stride] >= c)
		}
	}
	return dst[:n+k]
}

// appendWhere appends the rows for which holds is true. It writes every
// row and advances past the kept ones, without a branch on the outcome;
// dst may share its backing array with rows at the same start (the
// write position never passes the read position).
func appendWhere(dst, rows []int32, holds func(i int32) bool) []int32 {
	n := len(dst)
	dst = dst[:cap(dst)]
	if len(dst)-n < len(rows) {
		dst = append(dst, make([]int32, len(rows)-(len(dst)-n))...)
		dst = dst[:cap(dst)]
	}
	for _, i := range rows {
		dst[n] = i
		if holds(i) {
			n++
		}
	}
	return dst[:n]
}

// selectDecimal selects the rows whose numeric (of c's scale) compares
// with c as op says: as int64s where the value fits (nearly always), in
// 128 bits otherwise.
func selectDecimal(op BinaryOp, c decimal128.Num) func(x arrow.Array, rows, dst []int32) []int32 {
	q := int64(c.LowBits())
	small := c.HighBits() == q>>63
	return func(xa arrow.Array, rows, dst []int32) []int32 {
		x := fixedValues[decimal128.Num](xa)
		v := validityOf(xa)
		nulls := xa.NullN() > 0
		cmp := func(i int32) int {
			p := int64(x[i].LowBits())
			switch {
			case !small || x[i].HighBits() != p>>63:
				return x[i].Cmp(c)
			case p < q:
				return -1
			case p > q:
				return 1
			}
			return 0
		}
		if nulls {
			for _, i := range rows {
				if v.valid(int(i)) && opHolds(op, cmp(i)) {
					dst = append(dst, i)
				}
			}
			return dst
		}
		if small && len(x) > 0 && fitInt64s(x, rows) {
			// Every value is an int64 (a price, a rate): compare the
			// low words.
			lows := unsafe.Slice((*int64)(unsafe.Pointer(&x[0])), 2*len(x))
			return selectCompared(op, lows, 2, q, rows, dst)
		}
		switch op {
		case OpEq:
			return appendWhere(dst, rows, func(i int32) bool { return cmp(i) == 0 })
		case OpNe:
			return appendWhere(dst, rows, func(i int32) bool { return cmp(i) != 0 })
		case OpLt:
			return appendWhere(dst, rows, func(i int32) bool { return cmp(i) < 0 })
		case OpLe:
			return appendWhere(dst, rows, func(i int32) bool { return cmp(i) <= 0 })
		case OpGt:
			return appendWhere(dst, rows, func(i int32) bool { return cmp(i) > 0 })
		}
		return appendWhere(dst, rows, func(i int32) bool { return cmp(i) >= 0 })
	}
}

// fitInt64s reports whether the values of rows in x all fit in an int64
// (the high word is the low word's sign).
func fitInt64s(x []decimal128.Num, rows []int32) bool {
	var wide int64
	for _, i := range rows {
		wide |= x[i].HighBits() ^ int64(x[i].LowBits())>>63
	}
	return wide == 0
}
