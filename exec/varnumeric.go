package exec

import (
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/numeric"
)

// Var-scale numeric (catalog.Type.IsVarNumeric) is PostgreSQL's numeric:
// each value keeps its own display scale, has no 38-digit limit and may be
// NaN or ±Infinity. A column holds the numeric package's encodings in an
// Arrow binary array (physVarlen). Kernels read operands through
// numReader, which also reads decimal128 and integer columns as numeric
// (converting into a reused scratch buffer), and append results straight
// into the output's varlen buffer with varlenBuilder.space/commit, so a
// warm kernel allocates nothing per row.

// isNumericKind reports whether t is numeric of either layout.
func isNumericKind(t catalog.Type) bool { return t.Kind == catalog.Numeric }

// numReader reads row i of a numeric-compatible column as a numeric
// encoding: var numeric as it is, decimal128 and integers converted.
type numReader struct {
	kind  catalog.Kind
	isVar bool
	v     varlenView
	dec   []decimal128.Num
	scale int32
	i16   []int16
	i32   []int32
	i64   []int64
	buf   []byte
}

// canReadNumeric reports whether numReader reads columns of type t.
func canReadNumeric(t catalog.Type) bool {
	return t.Kind == catalog.Numeric || t.IsInteger()
}

// bind points r at column a of type t.
func (r *numReader) bind(t catalog.Type, a arrow.Array) {
	r.kind, r.isVar = t.Kind, t.IsVarNumeric()
	switch {
	case r.isVar:
		r.v = varlenViewOf(a)
	case t.Kind == catalog.Numeric:
		r.dec, r.scale = fixedValues[decimal128.Num](a), t.Scale
	case t.Kind == catalog.Int2:
		r.i16 = fixedValues[int16](a)
	case t.Kind == catalog.Int4:
		r.i32 = fixedValues[int32](a)
	default:
		r.i64 = fixedValues[int64](a)
	}
}

// at returns row i; a converted value lives in r's scratch until the next
// call.
func (r *numReader) at(i int) []byte {
	if r.isVar {
		return r.v.data[r.v.offsets[i]:r.v.offsets[i+1]]
	}
	switch r.kind {
	case catalog.Numeric:
		d := r.dec[i]
		r.buf, _ = numeric.FromDecimal128(r.buf[:0], d.HighBits(), d.LowBits(), r.scale)
	case catalog.Int2:
		r.buf = numeric.FromInt16(r.buf[:0], r.i16[i])
	case catalog.Int4:
		r.buf = numeric.FromInt32(r.buf[:0], r.i32[i])
	default:
		r.buf = numeric.FromInt64(r.buf[:0], r.i64[i])
	}
	return r.buf
}

// space prepares the builder for one more row and returns its data
// buffer with at least hint bytes of spare capacity, for a numeric
// function to append the row's value to; commit then records the row.
func (b *varlenBuilder) space(hint int) []byte {
	b.reserveRows(len(b.offsets))
	b.grow(hint)
	return b.data
}

// commit ends the row whose value out is b.data (as returned by space)
// with the value appended. If the value outgrew the reserved space the
// append moved out of the allocator's buffer; the bytes are copied back.
func (b *varlenBuilder) commit(out []byte) {
	if cap(out) != cap(b.data) || unsafe.SliceData(out) != unsafe.SliceData(b.data) {
		tail := out[len(b.data):]
		b.grow(len(tail))
		b.data = append(b.data, tail...)
	} else {
		b.data = out
	}
	b.offsets = append(b.offsets, int32(len(b.data)))
}

// varNumHint is the space reserved for one computed numeric value; the
// builder doubles its buffer when values are longer.
const varNumHint = 48

// buildVarNumeric is the row loop of the kernels that compute a var
// numeric column of type rt: a row that is not selected or that xv or yv
// (the arguments' validity; validity{} for none) marks NULL is NULL, any
// other row i is the value f appends to dst, which is the column's own
// buffer. An error from f ends the kernel.
func buildVarNumeric(mem memory.Allocator, b *Batch, rt catalog.Type, xv, yv validity, f func(dst []byte, i int) ([]byte, error)) (arrow.Array, error) {
	out := newVarlenBuilder(mem, b.Len, b.Len*12)
	rows := selectionCursor{sel: b.Sel}
	for i := 0; i < b.Len; i++ {
		if !rows.selected(i) || !xv.valid(i) || !yv.valid(i) {
			out.appendNull()
			continue
		}
		r, err := f(out.space(varNumHint), i)
		if err != nil {
			out.finish(rt).Release()
			return nil, err
		}
		out.commit(r)
	}
	return out.finish(rt), nil
}

// varNumBinary is the kernel of f(x, y) over two numeric columns (var,
// decimal128 or integer, each read as numeric) giving var numeric. The
// Calc is the kernel's own, reused for every row.
func varNumBinary(xt, yt catalog.Type, f func(c *numeric.Calc, dst, x, y []byte) ([]byte, error)) binaryKernel {
	c := new(numeric.Calc)
	var x, y numReader
	return func(mem memory.Allocator, xa, ya arrow.Array, b *Batch) (arrow.Array, error) {
		x.bind(xt, xa)
		y.bind(yt, ya)
		return buildVarNumeric(mem, b, catalog.TypeNumeric, validityOf(xa), validityOf(ya), func(dst []byte, i int) ([]byte, error) {
			return f(c, dst, x.at(i), y.at(i))
		})
	}
}

// varNumericCompare compares numerics where at least one side is var
// scale, with numeric.Compare (NaN equals NaN and sorts above +Infinity).
// A decimal128 side is read as numeric.
func varNumericCompare(op BinaryOp, lt, rt catalog.Type) binaryKernel {
	return func(mem memory.Allocator, xa, ya arrow.Array, b *Batch) (arrow.Array, error) {
		var x, y numReader
		x.bind(lt, xa)
		y.bind(rt, ya)
		out := newBoolBuilder(mem, b.Len)
		out.nullMask = combineNulls(mem, b.Len, xa, ya)
		nulls := out.bm.buf != nil
		for _, i := range rowsOf(b) {
			if nulls && out.isNull(int(i)) {
				continue
			}
			out.set(int(i), opHolds(op, numeric.Compare(x.at(int(i)), y.at(int(i)))))
		}
		return out.finish(), nil
	}
}

// toVarNumeric casts a decimal128 or integer expression to var-scale
// numeric (no-op for one already var).
func toVarNumeric(e Expr) (Expr, error) {
	if e.Type().IsVarNumeric() {
		return e, nil
	}
	return Cast(e, catalog.TypeNumeric)
}

// alignNumericKeys makes numeric join keys that differ in layout (one
// var scale, the other decimal128, or decimals of different scales)
// both var scale, so that equal values meet in the hash table. The
// planner normally casts keys to one type already.
func alignNumericKeys(l, r []Expr) ([]Expr, []Expr) {
	var nl, nr []Expr
	for i := range l {
		if i >= len(r) {
			break
		}
		lt, rt := l[i].Type(), r[i].Type()
		if lt.Kind != catalog.Numeric || rt.Kind != catalog.Numeric || lt.Scale == rt.Scale {
			continue
		}
		le, err1 := toVarNumeric(l[i])
		re, err2 := toVarNumeric(r[i])
		if err1 != nil || err2 != nil {
			continue
		}
		if nl == nil {
			nl, nr = append([]Expr(nil), l...), append([]Expr(nil), r...)
		}
		nl[i], nr[i] = le, re
	}
	if nl == nil {
		return l, r
	}
	return nl, nr
}
