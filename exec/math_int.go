package exec

import (
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec/internal/libm"
	"github.com/pqdb/pqdb/numeric"
	"github.com/pqdb/pqdb/pgerr"
)

// More mathematical functions, with PostgreSQL's overloads and errors:
//
//	gcd(a, b) lcm(a, b)        int4, int8 or numeric (int2 reads as int4)
//	factorial(n)               bigint → numeric
//	width_bucket(x, lo, hi, n) float8 or numeric bounds, int4 count → int4
//	cbrt(x)                    float8 (libm's cbrt, as PostgreSQL)

// intPairResolver resolves f(a, b) over integers and numeric: int2 and
// int4 → int4, int8 → int8, numeric → numeric (var scale).
func intPairResolver(name string) func([]catalog.Type, []Expr) (catalog.Type, []catalog.Type, error) {
	return func(types []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
		if len(types) != 2 {
			return catalog.Type{}, nil, errNoFunction(name, types)
		}
		t := catalog.TypeInt4
		known := false
		for _, a := range types {
			switch {
			case a.Kind == catalog.Unknown:
			case a.Kind == catalog.Numeric:
				t, known = catalog.TypeNumeric, true
			case a.Kind == catalog.Int8:
				if t.Kind != catalog.Numeric {
					t = catalog.TypeInt8
				}
				known = true
			case a.Kind == catalog.Int2 || a.Kind == catalog.Int4:
				known = true
			default:
				return catalog.Type{}, nil, errNoFunction(name, types)
			}
		}
		if !known || allInt2OrUnknown(types) {
			// gcd('1', '2'), gcd(int2, int2): no overload matches any
			// argument exactly, and PostgreSQL cannot choose.
			return catalog.Type{}, nil, errNotUnique(name, types)
		}
		return t, []catalog.Type{t, t}, nil
	}
}

func allInt2OrUnknown(types []catalog.Type) bool {
	for _, t := range types {
		if t.Kind != catalog.Int2 && t.Kind != catalog.Unknown {
			return false
		}
	}
	return true
}

func errNotUnique(name string, types []catalog.Type) error {
	parts := make([]string, len(types))
	for i, t := range types {
		parts[i] = t.String()
	}
	e := pgerr.New(pgerr.AmbiguousFunction, "function %s(%s) is not unique", name, joinStrings(parts, ", "))
	e.Hint = "Could not choose a best candidate function. You might need to add explicit type casts."
	return e
}

func joinStrings(parts []string, sep string) string {
	n := 0
	for _, p := range parts {
		n += len(p) + len(sep)
	}
	out := make([]byte, 0, n)
	for i, p := range parts {
		if i > 0 {
			out = append(out, sep...)
		}
		out = append(out, p...)
	}
	return string(out)
}

// intGCD is PostgreSQL's int4gcd_internal/int8gcd_internal: the minimum
// value has no positive counterpart, so gcd(min, 0) and gcd(min, min)
// are out of range.
func intGCD[T int32 | int64](a, b T, minV T, k catalog.Kind) (T, error) {
	a1, a2 := a, b
	if a1 > 0 {
		a1 = -a1
	}
	if a2 > 0 {
		a2 = -a2
	}
	if a1 > a2 {
		a, b = b, a
	}
	if a == minV {
		if b == 0 || b == minV {
			return 0, errIntegerOutOfRange(k)
		}
		if b == -1 {
			return 1, nil
		}
	}
	for b != 0 {
		a, b = b, a%b
	}
	if a < 0 {
		a = -a
	}
	return a, nil
}

func intLCM[T int32 | int64](a, b T, minV T, k catalog.Kind) (T, error) {
	if a == 0 || b == 0 {
		return 0, nil
	}
	g, err := intGCD(a, b, minV, k)
	if err != nil {
		return 0, err
	}
	a /= g
	r := a * b
	if r/b != a || (a == -1 && b == minV) || (b == -1 && a == minV) || r == minV {
		return 0, errIntegerOutOfRange(k)
	}
	if r < 0 {
		r = -r
	}
	return r, nil
}

// widthBucketFloat is width_bucket_float8.
func widthBucketFloat(x, lo, hi float64, count int32) (int32, error) {
	if count <= 0 {
		return 0, pgerr.New(pgerr.InvalidArgumentForWidthBucketFunction, "count must be greater than zero")
	}
	if math.IsNaN(x) || math.IsNaN(lo) || math.IsNaN(hi) {
		return 0, pgerr.New(pgerr.InvalidArgumentForWidthBucketFunction, "operand, lower bound, and upper bound cannot be NaN")
	}
	if math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return 0, pgerr.New(pgerr.InvalidArgumentForWidthBucketFunction, "lower and upper bounds must be finite")
	}
	over := func() (int32, error) {
		if count == math.MaxInt32 {
			return 0, errIntegerOutOfRange(catalog.Int4)
		}
		return count + 1, nil
	}
	switch {
	case lo < hi:
		if x < lo {
			return 0, nil
		}
		if x >= hi {
			return over()
		}
		return int32(float64(count)*(x-lo)/(hi-lo)) + 1, nil
	case lo > hi:
		if x > lo {
			return 0, nil
		}
		if x <= hi {
			return over()
		}
		return int32(float64(count)*(lo-x)/(lo-hi)) + 1, nil
	}
	return 0, pgerr.New(pgerr.InvalidArgumentForWidthBucketFunction, "lower bound cannot equal upper bound")
}

// widthBucketNumeric is width_bucket_numeric: exact arithmetic,
// truncating (operand - lo) * count / (hi - lo).
type widthBucketNumeric struct {
	c                   numeric.Calc
	d, w, cnt, q, prodB []byte
}

func (wb *widthBucketNumeric) bucket(x, lo, hi []byte, count int32) (int32, error) {
	if count <= 0 {
		return 0, pgerr.New(pgerr.InvalidArgumentForWidthBucketFunction, "count must be greater than zero")
	}
	if numeric.IsNaN(x) || numeric.IsNaN(lo) || numeric.IsNaN(hi) {
		return 0, pgerr.New(pgerr.InvalidArgumentForWidthBucketFunction, "operand, lower bound, and upper bound cannot be NaN")
	}
	if numeric.IsInf(lo, 0) || numeric.IsInf(hi, 0) {
		return 0, pgerr.New(pgerr.InvalidArgumentForWidthBucketFunction, "lower and upper bounds must be finite")
	}
	over := func() (int32, error) {
		if count == math.MaxInt32 {
			return 0, errIntegerOutOfRange(catalog.Int4)
		}
		return count + 1, nil
	}
	var err error
	switch numeric.Compare(lo, hi) {
	case -1:
		if numeric.Compare(x, lo) < 0 {
			return 0, nil
		}
		if numeric.Compare(x, hi) >= 0 {
			return over()
		}
		if wb.d, err = wb.c.Sub(wb.d[:0], x, lo); err != nil {
			return 0, err
		}
		if wb.w, err = wb.c.Sub(wb.w[:0], hi, lo); err != nil {
			return 0, err
		}
	case 1:
		if numeric.Compare(x, lo) > 0 {
			return 0, nil
		}
		if numeric.Compare(x, hi) <= 0 {
			return over()
		}
		if wb.d, err = wb.c.Sub(wb.d[:0], lo, x); err != nil {
			return 0, err
		}
		if wb.w, err = wb.c.Sub(wb.w[:0], lo, hi); err != nil {
			return 0, err
		}
	default:
		return 0, pgerr.New(pgerr.InvalidArgumentForWidthBucketFunction, "lower bound cannot equal upper bound")
	}
	wb.cnt = numeric.FromInt32(wb.cnt[:0], count)
	if wb.prodB, err = wb.c.Mul(wb.prodB[:0], wb.d, wb.cnt); err != nil {
		return 0, err
	}
	if wb.q, err = wb.c.DivTrunc(wb.q[:0], wb.prodB, wb.w); err != nil {
		return 0, err
	}
	r, err := numeric.ToInt32(wb.q)
	if err != nil {
		return 0, err
	}
	return r + 1, nil
}

func init() {
	registerIntPair("gcd", intGCD[int32], intGCD[int64], (*numeric.Calc).GCD)
	registerIntPair("lcm", intLCM[int32], intLCM[int64], (*numeric.Calc).LCM)
	registerFunc(&funcDef{
		resolve: func(types []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
			if len(types) != 1 || !(types[0].IsInteger() || types[0].Kind == catalog.Unknown) {
				return catalog.Type{}, nil, errNoFunction("factorial", types)
			}
			return catalog.TypeNumeric, []catalog.Type{catalog.TypeInt8}, nil
		},
		build: func(args []Expr, t catalog.Type) (Expr, error) {
			c := new(numeric.Calc)
			return &funcExpr{args: args, t: t, kernel: func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
				n := fixedValues[int64](a[0])
				return buildVarNumeric(mem, b, t, validityOf(a[0]), validity{}, func(dst []byte, i int) ([]byte, error) {
					return c.Factorial(dst, n[i])
				})
			}}, nil
		},
	}, "factorial")
	registerFunc(&funcDef{
		resolve: func(types []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
			if len(types) != 4 || !(isIntKind(types[3].Kind) && types[3].Kind != catalog.Int8 || types[3].Kind == catalog.Unknown) {
				return catalog.Type{}, nil, errNoFunction("width_bucket", types)
			}
			float, num := false, false
			for _, t := range types[:3] {
				switch {
				case t.Kind == catalog.Float4 || t.Kind == catalog.Float8:
					float = true
				case t.Kind == catalog.Numeric:
					num = true
				case t.IsInteger() || t.Kind == catalog.Unknown:
				default:
					return catalog.Type{}, nil, errNoFunction("width_bucket", types)
				}
			}
			// A numeric argument (and no float) picks the numeric
			// version; otherwise float8, the preferred type, wins.
			xt := catalog.TypeNumeric
			if float || !num {
				xt = catalog.TypeFloat8
			}
			return catalog.TypeInt4, []catalog.Type{xt, xt, xt, catalog.TypeInt4}, nil
		},
		build: func(args []Expr, t catalog.Type) (Expr, error) {
			if args[0].Type().Kind == catalog.Float8 {
				return &funcExpr{args: args, t: t, kernel: func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
					x, lo, hi := fixedValues[float64](a[0]), fixedValues[float64](a[1]), fixedValues[float64](a[2])
					n := fixedValues[int32](a[3])
					out := newFixedBuilder[int32](mem, b.Len)
					out.nullMask = combineNulls(mem, b.Len, a...)
					for _, i := range rowsOf(b) {
						if out.isNull(int(i)) {
							continue
						}
						r, err := widthBucketFloat(x[i], lo[i], hi[i], n[i])
						if err != nil {
							out.finish(t).Release()
							return nil, err
						}
						out.vals[i] = r
					}
					return out.finish(t), nil
				}}, nil
			}
			var wb widthBucketNumeric
			var rx, rlo, rhi numReader
			return &funcExpr{args: args, t: t, kernel: func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
				rx.bind(args[0].Type(), a[0])
				rlo.bind(args[1].Type(), a[1])
				rhi.bind(args[2].Type(), a[2])
				n := fixedValues[int32](a[3])
				out := newFixedBuilder[int32](mem, b.Len)
				out.nullMask = combineNulls(mem, b.Len, a...)
				for _, i := range rowsOf(b) {
					if out.isNull(int(i)) {
						continue
					}
					r, err := wb.bucket(rx.at(int(i)), rlo.at(int(i)), rhi.at(int(i)), n[i])
					if err != nil {
						out.finish(t).Release()
						return nil, err
					}
					out.vals[i] = r
				}
				return out.finish(t), nil
			}}, nil
		},
	}, "width_bucket")
	registerFunc(&funcDef{
		resolve: float8Resolver("cbrt", 1),
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			return libmFunc(args, libm.Cbrt, func(x, r float64, _ uint8) (float64, error) {
				if math.IsInf(r, 0) && !math.IsInf(x, 0) {
					return 0, errFloatOutOfRange(catalog.Float8)
				}
				if r == 0 && x != 0 {
					return 0, errFloatUnderflow()
				}
				return r, nil
			}), nil
		},
	}, "cbrt")
}

// registerIntPair registers a function of two integers or numerics (gcd,
// lcm): op over int4 and int8, with the type's minimum for its overflow
// rule, and num over numeric.
func registerIntPair(name string, op4 func(a, b, minV int32, k catalog.Kind) (int32, error), op8 func(a, b, minV int64, k catalog.Kind) (int64, error), num func(c *numeric.Calc, dst, x, y []byte) ([]byte, error)) {
	registerFunc(&funcDef{
		resolve: intPairResolver(name),
		build: func(args []Expr, t catalog.Type) (Expr, error) {
			switch t.Kind {
			case catalog.Int4:
				return &funcExpr{args: args, t: t, kernel: zipKernel(t, func(a, b int32) (int32, error) {
					return op4(a, b, math.MinInt32, catalog.Int4)
				})}, nil
			case catalog.Int8:
				return &funcExpr{args: args, t: t, kernel: zipKernel(t, func(a, b int64) (int64, error) {
					return op8(a, b, math.MinInt64, catalog.Int8)
				})}, nil
			}
			return varNumFunc2(args, num), nil
		},
	}, name)
}
