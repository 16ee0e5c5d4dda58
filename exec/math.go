package exec

import (
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec/internal/libm"
	"github.com/pqdb/pqdb/numeric"
	"github.com/pqdb/pqdb/pgerr"
)

// Mathematical functions, with PostgreSQL's overloads: integer arguments
// of round, trunc, ceil, floor, sign, sqrt and power resolve to the
// double precision versions (float8 is the preferred numeric type);
// numeric arguments keep numeric. round(numeric) rounds half away from
// zero, round(float8) to even (rint). sqrt, exp, ln, log and power of
// numeric return var-scale numeric computed by the numeric package
// (varnumeric_funcs.go), as PostgreSQL's numeric versions.

func isIntKind(k catalog.Kind) bool {
	return k == catalog.Int2 || k == catalog.Int4 || k == catalog.Int8
}

// unaryNumberResolver resolves f(x): numeric stays numeric (with the
// given result scale rule), everything else numeric-ish goes to float8.
func unaryNumberResolver(name string, numericScale func(s int32) int32) func([]catalog.Type, []Expr) (catalog.Type, []catalog.Type, error) {
	return func(types []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
		if len(types) != 1 {
			return catalog.Type{}, nil, errNoFunction(name, types)
		}
		t := types[0]
		switch {
		case t.IsVarNumeric():
			return catalog.TypeNumeric, []catalog.Type{catalog.TypeNumeric}, nil
		case t.Kind == catalog.Numeric:
			r := catalog.UnconstrainedNumeric(numericScale(t.Scale))
			return r, []catalog.Type{catalog.UnconstrainedNumeric(t.Scale)}, nil
		case t.IsNumeric() || t.Kind == catalog.Unknown:
			return catalog.TypeFloat8, []catalog.Type{catalog.TypeFloat8}, nil
		}
		return catalog.Type{}, nil, errNoFunction(name, types)
	}
}

func floatFunc(args []Expr, t catalog.Type, f func(float64) (float64, error)) Expr {
	k := mapFixed(catalog.TypeFloat8, t, f)
	return &funcExpr{args: args, t: t, kernel: func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
		return k(mem, a[0], b)
	}}
}

func decFunc(args []Expr, t catalog.Type, f func(decimal128.Num) (decimal128.Num, error)) Expr {
	k := mapFixed(args[0].Type(), t, f)
	return &funcExpr{args: args, t: t, kernel: func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
		return k(mem, a[0], b)
	}}
}

// decRoundTo rounds v (scale s) to n fractional digits (n may be
// negative) and returns it at scale rs, half away from zero.
func decRoundTo(v decimal128.Num, s, n, rs int32, trunc bool) (decimal128.Num, bool) {
	if n >= s {
		return decScaleUp(v, rs-s)
	}
	drop := s - n
	if drop > 38 {
		return decimal128.Num{}, true
	}
	var q decimal128.Num
	if trunc {
		q, _ = decQuoRemTrunc(v, pow10[drop])
	} else {
		q = decDivRound(v, pow10[drop])
	}
	// q is at scale n; bring it to rs.
	return decScaleUp(q, rs-n)
}

func init() {
	registerFunc(&funcDef{
		resolve: func(types []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
			if len(types) != 1 || !(types[0].IsNumeric()) {
				return catalog.Type{}, nil, errNoFunction("abs", types)
			}
			t := types[0]
			if t.Kind == catalog.Numeric {
				t = catalog.UnconstrainedNumeric(t.Scale)
			}
			return t, []catalog.Type{t}, nil
		},
		build: func(args []Expr, t catalog.Type) (Expr, error) {
			var k unaryKernel
			switch t.Kind {
			case catalog.Int2:
				k = mapFixed(t, t, func(v int16) (int16, error) {
					if v == math.MinInt16 {
						return 0, errIntegerOutOfRange(t.Kind)
					}
					return max(v, -v), nil
				})
			case catalog.Int4:
				k = mapFixed(t, t, func(v int32) (int32, error) {
					if v == math.MinInt32 {
						return 0, errIntegerOutOfRange(t.Kind)
					}
					return max(v, -v), nil
				})
			case catalog.Int8:
				k = mapFixed(t, t, func(v int64) (int64, error) {
					if v == math.MinInt64 {
						return 0, errIntegerOutOfRange(t.Kind)
					}
					return max(v, -v), nil
				})
			case catalog.Float4:
				k = mapFixed(t, t, func(v float32) (float32, error) { return float32(math.Abs(float64(v))), nil })
			case catalog.Float8:
				k = mapFixed(t, t, func(v float64) (float64, error) { return math.Abs(v), nil })
			default:
				if t.IsVarNumeric() {
					return varNumFunc1(args, (*numeric.Calc).Abs), nil
				}
				k = mapFixed(t, t, func(v decimal128.Num) (decimal128.Num, error) { return v.Abs(), nil })
			}
			return &unaryExpr{arg: args[0], t: t, kernel: k}, nil
		},
	}, "abs")

	roundLike := func(name string, trunc bool) *funcDef {
		return &funcDef{
			resolve: func(types []catalog.Type, args []Expr) (catalog.Type, []catalog.Type, error) {
				switch len(types) {
				case 1:
					return unaryNumberResolver(name, func(int32) int32 { return 0 })(types, args)
				case 2:
					x := types[0]
					if !(x.Kind == catalog.Numeric || isIntKind(x.Kind) || x.Kind == catalog.Unknown) || !(isIntKind(types[1].Kind) || types[1].Kind == catalog.Unknown) {
						return catalog.Type{}, nil, errNoFunction(name, types)
					}
					s := int32(0)
					if x.Kind == catalog.Numeric {
						s = x.Scale
					}
					var nArg Expr
					if args != nil {
						nArg = args[1]
					}
					n, ok := literalInt(nArg)
					if x.IsVarNumeric() || !ok {
						// The result scale follows n row by row, or the
						// input's scale does: var numeric.
						return catalog.TypeNumeric, []catalog.Type{catalog.TypeNumeric, catalog.TypeInt4}, nil
					}
					rs := int32(max(0, min(n, catalog.MaxNumericPrecision)))
					return catalog.UnconstrainedNumeric(rs), []catalog.Type{catalog.UnconstrainedNumeric(s), catalog.TypeInt4}, nil
				}
				return catalog.Type{}, nil, errNoFunction(name, types)
			},
			build: func(args []Expr, t catalog.Type) (Expr, error) {
				if t.Kind == catalog.Float8 {
					f := math.RoundToEven
					if trunc {
						f = math.Trunc
					}
					return floatFunc(args, t, func(v float64) (float64, error) { return f(v), nil }), nil
				}
				if t.IsVarNumeric() {
					if len(args) == 2 {
						return varNumRoundN(args, trunc), nil
					}
					if trunc {
						return varNumFunc1(args, func(c *numeric.Calc, dst, x []byte) ([]byte, error) { return c.Trunc(dst, x, 0) }), nil
					}
					return varNumFunc1(args, func(c *numeric.Calc, dst, x []byte) ([]byte, error) { return c.Round(dst, x, 0) }), nil
				}
				s := args[0].Type().Scale
				if len(args) == 1 {
					return decFunc(args, t, func(v decimal128.Num) (decimal128.Num, error) {
						r, _ := decRoundTo(v, s, 0, 0, trunc)
						return r, nil
					}), nil
				}
				rs := t.Scale
				return &funcExpr{args: args, t: t, kernel: zipKernel(t, func(v decimal128.Num, n int32) (decimal128.Num, error) {
					n = min(n, rs)
					r, ok := decRoundTo(v, s, n, rs, trunc)
					if !ok {
						return r, errNumericOverflow()
					}
					return r, nil
				})}, nil
			},
		}
	}
	registerFunc(roundLike("round", false), "round")
	registerFunc(roundLike("trunc", true), "trunc")

	ceilFloor := func(name string, ceil bool) *funcDef {
		return &funcDef{
			resolve: unaryNumberResolver(name, func(int32) int32 { return 0 }),
			build: func(args []Expr, t catalog.Type) (Expr, error) {
				if t.Kind == catalog.Float8 {
					f := math.Floor
					if ceil {
						f = math.Ceil
					}
					return floatFunc(args, t, func(v float64) (float64, error) { return f(v), nil }), nil
				}
				if t.IsVarNumeric() {
					if ceil {
						return varNumFunc1(args, (*numeric.Calc).Ceil), nil
					}
					return varNumFunc1(args, (*numeric.Calc).Floor), nil
				}
				s := args[0].Type().Scale
				return decFunc(args, t, func(v decimal128.Num) (decimal128.Num, error) {
					q, r := decQuoRemTrunc(v, pow10[s])
					if ceil && r.Sign() > 0 {
						q = q.Add(decimal128.FromI64(1))
					}
					if !ceil && r.Sign() < 0 {
						q = q.Sub(decimal128.FromI64(1))
					}
					return q, nil
				}), nil
			},
		}
	}
	registerFunc(ceilFloor("ceil", true), "ceil", "ceiling")
	registerFunc(ceilFloor("floor", false), "floor")

	registerFunc(&funcDef{
		resolve: unaryNumberResolver("sign", func(int32) int32 { return 0 }),
		build: func(args []Expr, t catalog.Type) (Expr, error) {
			if t.Kind == catalog.Float8 {
				return floatFunc(args, t, func(v float64) (float64, error) {
					switch {
					case v > 0:
						return 1, nil
					case v < 0:
						return -1, nil
					}
					return 0, nil
				}), nil
			}
			if t.IsVarNumeric() {
				return varNumFunc1(args, (*numeric.Calc).Sign), nil
			}
			return decFunc(args, t, func(v decimal128.Num) (decimal128.Num, error) {
				return decimal128.FromI64(int64(v.Sign())), nil
			}), nil
		},
	}, "sign")

	registerFunc(&funcDef{
		resolve: transcendentalResolver("sqrt"),
		build: func(args []Expr, t catalog.Type) (Expr, error) {
			if t.IsVarNumeric() {
				return varNumFunc1(args, (*numeric.Calc).Sqrt), nil
			}
			sqrt := func(v float64) (float64, error) {
				if v < 0 {
					return 0, pgerr.New(pgerr.InvalidArgumentForPowerFunction, "cannot take square root of a negative number")
				}
				return math.Sqrt(v), nil
			}
			if t.Kind == catalog.Float8 {
				return floatFunc(args, t, sqrt), nil
			}
			return viaFloat(args, t, sqrt), nil
		},
	}, "sqrt")

	registerFunc(&funcDef{
		resolve: transcendentalResolver("exp"),
		build: func(args []Expr, t catalog.Type) (Expr, error) {
			if t.IsVarNumeric() {
				return varNumFunc1(args, (*numeric.Calc).Exp), nil
			}
			return libmFunc(args, libm.Exp, func(v, r float64, errno uint8) (float64, error) {
				switch {
				case math.IsNaN(v):
					return v, nil
				case math.IsInf(v, 1):
					return v, nil
				case math.IsInf(v, -1):
					return 0, nil
				case errno == libm.ERANGE && r != 0, math.IsInf(r, 0):
					return 0, errFloatOutOfRange(catalog.Float8)
				case r == 0:
					return 0, errFloatUnderflow()
				}
				return r, nil
			}), nil
		},
	}, "exp")

	logFunc := func(name string, f libm.Func1, nf func(c *numeric.Calc, dst, x []byte) ([]byte, error)) *funcDef {
		one := transcendentalResolver(name)
		two := numericArgsResolver(name, 2, catalog.TypeNumeric)
		return &funcDef{
			resolve: func(types []catalog.Type, args []Expr) (catalog.Type, []catalog.Type, error) {
				if len(types) == 2 && name == "log" {
					// log(b, x) exists for numeric only.
					return two(types, args)
				}
				return one(types, args)
			},
			build: func(args []Expr, t catalog.Type) (Expr, error) {
				if len(args) == 2 {
					return varNumFunc2(args, (*numeric.Calc).Log), nil
				}
				if t.IsVarNumeric() {
					return varNumFunc1(args, nf), nil
				}
				return libmFunc(args, f, func(v, r float64, _ uint8) (float64, error) {
					switch {
					case v == 0:
						return 0, pgerr.New(pgerr.InvalidArgumentForLog, "cannot take logarithm of zero")
					case v < 0:
						return 0, pgerr.New(pgerr.InvalidArgumentForLog, "cannot take logarithm of a negative number")
					case math.IsInf(r, 0) && !math.IsInf(v, 0):
						return 0, errFloatOutOfRange(catalog.Float8)
					case r == 0 && v != 1:
						return 0, errFloatUnderflow()
					}
					return r, nil
				}), nil
			},
		}
	}
	registerFunc(logFunc("ln", libm.Log, (*numeric.Calc).Ln), "ln")
	registerFunc(logFunc("log", libm.Log10, (*numeric.Calc).Log10), "log")
	registerFunc(logFunc("log10", libm.Log10, (*numeric.Calc).Log10), "log10")

	registerFunc(&funcDef{
		resolve: func(types []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
			if len(types) != 2 || !types[0].IsNumeric() && types[0].Kind != catalog.Unknown || !types[1].IsNumeric() && types[1].Kind != catalog.Unknown {
				return catalog.Type{}, nil, errNoFunction("power", types)
			}
			isFloat := func(t catalog.Type) bool { return t.Kind == catalog.Float4 || t.Kind == catalog.Float8 }
			if (types[0].Kind == catalog.Numeric || types[1].Kind == catalog.Numeric) && !isFloat(types[0]) && !isFloat(types[1]) {
				// power(numeric, numeric); integers and unknowns beside a
				// numeric are read as numeric, as PostgreSQL resolves it.
				return catalog.TypeNumeric, []catalog.Type{catalog.TypeNumeric, catalog.TypeNumeric}, nil
			}
			return catalog.TypeFloat8, []catalog.Type{catalog.TypeFloat8, catalog.TypeFloat8}, nil
		},
		build: func(args []Expr, t catalog.Type) (Expr, error) {
			if t.IsVarNumeric() {
				return varNumFunc2(args, (*numeric.Calc).Power), nil
			}
			pow := libmFunc2(args, libm.Pow, floatPow).(*funcExpr)
			if t.Kind == catalog.Float8 {
				return pow, nil
			}
			k := pow.kernel
			toDec := floatFrom[float64](catalog.TypeFloat8, t)
			return &funcExpr{args: args, t: t, kernel: func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
				f, err := k(mem, a, b)
				if err != nil {
					return nil, err
				}
				defer f.Release()
				return toDec(mem, f, b)
			}}, nil
		},
	}, "power", "pow")

	registerFunc(&funcDef{
		resolve: func(types []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
			if len(types) != 2 {
				return catalog.Type{}, nil, errNoFunction("mod", types)
			}
			t, ok := commonType(types)
			if !ok || !(isIntKind(t.Kind) || t.Kind == catalog.Numeric) {
				return catalog.Type{}, nil, errNoFunction("mod", types)
			}
			return t, []catalog.Type{t, t}, nil
		},
		build: func(args []Expr, t catalog.Type) (Expr, error) { return Binary(OpMod, args[0], args[1]) },
	}, "mod")
}

// floatPow is PostgreSQL's dpow given libm's pow(x, y) = r: NaN, infinity
// and domain cases are decided before (and whatever) pow says.
func floatPow(x, y, r float64, errno uint8) (float64, error) {
	if math.IsNaN(x) {
		if math.IsNaN(y) || y != 0 {
			return math.NaN(), nil
		}
		return 1, nil
	}
	if math.IsNaN(y) {
		if x != 1 {
			return math.NaN(), nil
		}
		return 1, nil
	}
	if x == 0 && y < 0 {
		return 0, pgerr.New(pgerr.InvalidArgumentForPowerFunction, "zero raised to a negative power is undefined")
	}
	if x < 0 && math.Floor(y) != y {
		return 0, pgerr.New(pgerr.InvalidArgumentForPowerFunction, "a negative number raised to a non-integer power yields a complex result")
	}
	switch {
	case math.IsInf(y, 0):
		ax := math.Abs(x)
		switch {
		case ax == 1:
			return 1, nil
		case y > 0 && ax > 1, y < 0 && ax < 1:
			return math.Inf(1), nil
		}
		return 0, nil
	case math.IsInf(x, 0):
		switch {
		case y == 0:
			return 1, nil
		case x > 0 && y > 0:
			return x, nil
		case x > 0:
			return 0, nil
		}
		half := y / 2
		odd := math.Floor(half) != half
		switch {
		case y > 0 && odd:
			return x, nil
		case y > 0:
			return -x, nil
		case odd:
			return math.Copysign(0, -1), nil
		}
		return 0, nil
	}
	switch {
	case errno == libm.EOther || math.IsNaN(r):
		ax := math.Abs(x)
		switch {
		case x == 0:
			return 0, nil
		case ax == 1:
			return 1, nil
		case (y >= 0) == (ax > 1):
			return 0, errFloatOutOfRange(catalog.Float8)
		}
		return 0, errFloatUnderflow()
	case errno == libm.ERANGE:
		if r != 0 {
			return 0, errFloatOutOfRange(catalog.Float8)
		}
		return 0, errFloatUnderflow()
	case math.IsInf(r, 0):
		return 0, errFloatOutOfRange(catalog.Float8)
	case r == 0 && x != 0:
		return 0, errFloatUnderflow()
	}
	return r, nil
}

// zipKernel lifts a strict two-argument function into a funcExpr kernel.
func zipKernel[A, B, R fixedWidth](t catalog.Type, f func(A, B) (R, error)) func(memory.Allocator, []arrow.Array, *Batch) (arrow.Array, error) {
	k := zipFixed(t, f)
	return func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
		return k(mem, a[0], a[1], b)
	}
}

// viaFloat computes a numeric function in double precision.
func viaFloat(args []Expr, t catalog.Type, f func(float64) (float64, error)) Expr {
	from := args[0].Type()
	toF := decimalFrom(from, catalog.TypeFloat8)
	k := mapFixed(catalog.TypeFloat8, catalog.TypeFloat8, f)
	toDec := floatFrom[float64](catalog.TypeFloat8, t)
	return &funcExpr{args: args, t: t, kernel: func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
		x, err := toF(mem, a[0], b)
		if err != nil {
			return nil, err
		}
		defer x.Release()
		y, err := k(mem, x, b)
		if err != nil {
			return nil, err
		}
		defer y.Release()
		return toDec(mem, y, b)
	}}
}

// transcendentalResolver resolves sqrt, exp, ln, log and log10 of one
// argument: numeric (either layout) → var numeric, whose scale
// PostgreSQL picks per value; other numbers → float8.
func transcendentalResolver(name string) func([]catalog.Type, []Expr) (catalog.Type, []catalog.Type, error) {
	return func(types []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
		if len(types) != 1 || !(types[0].IsNumeric() || types[0].Kind == catalog.Unknown) {
			return catalog.Type{}, nil, errNoFunction(name, types)
		}
		if types[0].Kind == catalog.Numeric {
			return catalog.TypeNumeric, []catalog.Type{catalog.TypeNumeric}, nil
		}
		return catalog.TypeFloat8, []catalog.Type{catalog.TypeFloat8}, nil
	}
}
