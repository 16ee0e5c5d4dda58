package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/numeric"
)

// Casts to and from var-scale numeric, with the numeric package's
// conversions (PostgreSQL's numeric casts):
//
//	int2/int4/int8 → numeric        exact, display scale 0
//	float4/float8 → numeric         6 / 15 significant digits, as
//	                                float4_numeric / float8_numeric
//	decimal128 numeric → numeric    exact, display scale = the scale
//	numeric → numeric(p,s)          apply_typmod (22003 with detail),
//	                                after the conversion above when the
//	                                target is var-scale numeric(p,s)
//	numeric → decimal128 of scale s rounded half away from zero; 22003
//	                                beyond 38 digits; NaN/Infinity 0A000
//	numeric → int2/int4/int8        rounded half away from zero; 22003
//	numeric → float4/float8         through the text form, as PostgreSQL
//
// Text casts go through catalog's numeric_in / numeric_out (cast_text.go).

// varNumericCast returns the kernel of a cast where from or to is var
// scale numeric (and the other a number type).
func varNumericCast(from, to catalog.Type) unaryKernel {
	if to.IsVarNumeric() {
		p, s := to.Precision(), to.NumericScale()
		switch from.Kind {
		case catalog.Float4:
			return floatToVarNumeric[float32](to, func(dst []byte, v float32) []byte { return numeric.FromFloat32(dst, v) })
		case catalog.Float8:
			return floatToVarNumeric[float64](to, numeric.FromFloat64)
		}
		if p > 0 {
			return mapVarNumeric(from, to, func(c *numeric.Calc, dst, x []byte) ([]byte, error) {
				return c.ApplyTypmod(dst, x, p, s)
			})
		}
		return mapVarNumeric(from, to, func(_ *numeric.Calc, dst, x []byte) ([]byte, error) {
			return append(dst, x...), nil
		})
	}
	switch to.Kind {
	case catalog.Int2:
		return mapVarToFixed(to, numeric.ToInt16)
	case catalog.Int4:
		return mapVarToFixed(to, numeric.ToInt32)
	case catalog.Int8:
		return mapVarToFixed(to, numeric.ToInt64)
	case catalog.Float4:
		return mapVarToFixed(to, numeric.ToFloat32)
	case catalog.Float8:
		return mapVarToFixed(to, numeric.ToFloat64)
	}
	// var → decimal128 numeric of scale to.Scale.
	p, s := to.Precision(), to.Scale
	var c numeric.Calc
	var buf []byte
	return mapVarToFixed(to, func(a []byte) (decimal128.Num, error) {
		if p > 0 {
			var err error
			if buf, err = c.ApplyTypmod(buf[:0], a, p, s); err != nil {
				return decimal128.Num{}, err
			}
			a = buf
		}
		hi, lo, err := numeric.ToDecimal128(a, catalog.MaxNumericPrecision, s)
		return decimal128.New(hi, lo), err
	})
}

// mapVarNumeric builds a var numeric column from a numeric-compatible one
// (var, decimal128 or integer): f appends the result of x to dst. The
// Calc is the kernel's own, reused for every row.
func mapVarNumeric(xt, rt catalog.Type, f func(c *numeric.Calc, dst, x []byte) ([]byte, error)) unaryKernel {
	c := new(numeric.Calc)
	var x numReader
	return func(mem memory.Allocator, xa arrow.Array, b *Batch) (arrow.Array, error) {
		x.bind(xt, xa)
		return buildVarNumeric(mem, b, rt, validityOf(xa), validity{}, func(dst []byte, i int) ([]byte, error) {
			return f(c, dst, x.at(i))
		})
	}
}

// mapVarToFixed converts a var numeric column to a fixed-width one.
func mapVarToFixed[R fixedWidth](rt catalog.Type, f func([]byte) (R, error)) unaryKernel {
	return func(mem memory.Allocator, xa arrow.Array, b *Batch) (arrow.Array, error) {
		x := varlenViewOf(xa)
		out := newFixedBuilder[R](mem, b.Len)
		out.nullMask = combineNulls(mem, b.Len, xa)
		for _, i := range rowsOf(b) {
			if out.isNull(int(i)) {
				continue
			}
			r, err := f(x.bytes(int(i)))
			if err != nil {
				out.finish(rt).Release()
				return nil, err
			}
			out.vals[i] = r
		}
		return out.finish(rt), nil
	}
}

// floatToVarNumeric converts floats with conv, then applies rt's typmod
// when it has one, as float8_numeric followed by numeric() does.
func floatToVarNumeric[F float32 | float64](rt catalog.Type, conv func([]byte, F) []byte) unaryKernel {
	p, s := rt.Precision(), rt.NumericScale()
	var c numeric.Calc
	var buf []byte
	return func(mem memory.Allocator, xa arrow.Array, b *Batch) (arrow.Array, error) {
		x := fixedValues[F](xa)
		return buildVarNumeric(mem, b, rt, validityOf(xa), validity{}, func(dst []byte, i int) ([]byte, error) {
			if p <= 0 {
				return conv(dst, x[i]), nil
			}
			buf = conv(buf[:0], x[i])
			return c.ApplyTypmod(dst, buf, p, s)
		})
	}
}
