package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/numeric"
)

// Math functions over var-scale numeric, each the numeric package's
// implementation of PostgreSQL's numeric function (result scales and
// errors included):
//
//	abs sign ceil ceiling floor trim_scale   numeric → numeric
//	round(x) trunc(x)                        scale 0
//	round(x, n) trunc(x, n)                  numeric, int4 → numeric
//	sqrt exp ln log(x) log10                 numeric → numeric
//	log(b, x) power(x, y) div(x, y) mod      numeric, numeric → numeric
//	scale(x) min_scale(x)                    numeric → int4 (NULL for
//	                                         NaN and infinities)
//
// sqrt, exp, ln, log and power of any numeric (decimal128 included)
// return var numeric: their result scale depends on the value.

// varNumFunc1 builds f(x) for a var numeric argument.
func varNumFunc1(args []Expr, f func(c *numeric.Calc, dst, x []byte) ([]byte, error)) Expr {
	k := mapVarNumeric(args[0].Type(), catalog.TypeNumeric, f)
	return &funcExpr{args: args, t: catalog.TypeNumeric, kernel: func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
		return k(mem, a[0], b)
	}}
}

// varNumFunc2 builds f(x, y) for two numeric arguments (var, decimal128
// or integer, each read as numeric).
func varNumFunc2(args []Expr, f func(c *numeric.Calc, dst, x, y []byte) ([]byte, error)) Expr {
	k := varNumBinary(args[0].Type(), args[1].Type(), f)
	return &funcExpr{args: args, t: catalog.TypeNumeric, kernel: func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
		return k(mem, a[0], a[1], b)
	}}
}

// varNumRoundN is round(x, n) or trunc(x, n) with a var numeric x and an
// int4 n (PostgreSQL's result has display scale max(n, 0)).
func varNumRoundN(args []Expr, trunc bool) Expr {
	c := new(numeric.Calc)
	var x numReader
	xt := args[0].Type()
	t := catalog.TypeNumeric
	return &funcExpr{args: args, t: t, kernel: func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
		x.bind(xt, a[0])
		n := fixedValues[int32](a[1])
		return buildVarNumeric(mem, b, t, validityOf(a[0]), validityOf(a[1]), func(dst []byte, i int) ([]byte, error) {
			if trunc {
				return c.Trunc(dst, x.at(i), n[i])
			}
			return c.Round(dst, x.at(i), n[i])
		})
	}}
}

// varNumScaleFunc is scale(x) or min_scale(x): int4, NULL for NaN and
// the infinities.
func varNumScaleFunc(args []Expr, f func([]byte) (int, bool)) Expr {
	t := catalog.TypeInt4
	return &funcExpr{args: args, t: t, kernel: func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
		x := varlenViewOf(a[0])
		out := newFixedBuilder[int32](mem, b.Len)
		out.nullMask = combineNulls(mem, b.Len, a[0])
		for _, i := range rowsOf(b) {
			if out.isNull(int(i)) {
				continue
			}
			s, ok := f(x.bytes(int(i)))
			if !ok {
				out.setNull(int(i))
				continue
			}
			out.vals[i] = int32(s)
		}
		return out.finish(t), nil
	}}
}

// numericArgsResolver resolves a function of n numeric arguments
// (integers, numeric of either layout, unknown literals), all cast to
// var numeric; the result is result.
func numericArgsResolver(name string, n int, result catalog.Type) func([]catalog.Type, []Expr) (catalog.Type, []catalog.Type, error) {
	return func(types []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
		if len(types) != n {
			return catalog.Type{}, nil, errNoFunction(name, types)
		}
		for _, t := range types {
			if !(t.Kind == catalog.Numeric || t.IsInteger() || t.Kind == catalog.Unknown) {
				return catalog.Type{}, nil, errNoFunction(name, types)
			}
		}
		return result, repeatType(catalog.TypeNumeric, n), nil
	}
}

func init() {
	registerFunc(&funcDef{
		resolve: numericArgsResolver("div", 2, catalog.TypeNumeric),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			return varNumFunc2(args, (*numeric.Calc).DivTrunc), nil
		},
	}, "div")
	registerFunc(&funcDef{
		resolve: numericArgsResolver("scale", 1, catalog.TypeInt4),
		build:   func(args []Expr, _ catalog.Type) (Expr, error) { return varNumScaleFunc(args, numeric.Scale), nil },
	}, "scale")
	registerFunc(&funcDef{
		resolve: numericArgsResolver("min_scale", 1, catalog.TypeInt4),
		build:   func(args []Expr, _ catalog.Type) (Expr, error) { return varNumScaleFunc(args, numeric.MinScale), nil },
	}, "min_scale")
	registerFunc(&funcDef{
		resolve: numericArgsResolver("trim_scale", 1, catalog.TypeNumeric),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			return varNumFunc1(args, (*numeric.Calc).TrimScale), nil
		},
	}, "trim_scale")
}
