package exec

import (
	"math"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec/internal/libm"
	"github.com/pqdb/pqdb/pgerr"
)

// Trigonometric and hyperbolic functions of double precision, and
// degrees, radians and pi, as PostgreSQL's float.c computes them: the
// C library's sin, cos, ... (through libm, so that every result is the
// one PostgreSQL prints, to the last digit), PostgreSQL's domain checks
// ("input is out of range", 22003) and overflow checks, and its
// degree-based variants (sind, cosd, ...), which reduce the angle to the
// first quadrant and scale so that sind(30) is exactly 0.5.
//
// Kernels call libm once per batch over the whole argument column (NULL
// and unselected rows too: their values are harmless), then check each
// active row.

// radiansPerDegree is PostgreSQL's RADIANS_PER_DEGREE.
const radiansPerDegree = 0.0174532925199432957692

func errInputOutOfRange() error {
	return pgerr.New(pgerr.NumericValueOutOfRange, "input is out of range")
}

func errFloatUnderflow() error {
	return pgerr.New(pgerr.NumericValueOutOfRange, "value out of range: underflow")
}

// float8Resolver resolves f(x, ...) of n double precision arguments: any
// number or untyped literal is cast to float8.
func float8Resolver(name string, n int) func([]catalog.Type, []Expr) (catalog.Type, []catalog.Type, error) {
	return func(types []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
		if len(types) != n {
			return catalog.Type{}, nil, errNoFunction(name, types)
		}
		for _, t := range types {
			if !t.IsNumeric() && t.Kind != catalog.Unknown {
				return catalog.Type{}, nil, errNoFunction(name, types)
			}
		}
		return catalog.TypeFloat8, repeatType(catalog.TypeFloat8, n), nil
	}
}

// floatScratch is per-expression scratch space, reused across batches.
type floatScratch struct {
	errno []uint8
	tmp   [7][]float64
}

func (s *floatScratch) errs(n int) []uint8 {
	s.errno = growTo(s.errno, n)
	return s.errno[:n]
}

// buf is the k-th scratch column, of length n.
func (s *floatScratch) buf(k, n int) []float64 {
	s.tmp[k] = growTo(s.tmp[k], n)
	return s.tmp[k][:n]
}

// libmFunc builds f(x) for a float8 x: libm's fn over the batch, then
// check for each active, non-NULL row (x, libm's result and its errno)
// gives the final value or an error.
func libmFunc(args []Expr, fn libm.Func1, check func(x, r float64, errno uint8) (float64, error)) Expr {
	var s floatScratch
	return &funcExpr{args: args, t: catalog.TypeFloat8, kernel: func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
		x := fixedValues[float64](a[0])
		out := newFixedBuilder[float64](mem, b.Len)
		out.nullMask = combineNulls(mem, b.Len, a[0])
		errno := s.errs(b.Len)
		libm.Apply(fn, out.vals, x, errno)
		for _, i := range rowsOf(b) {
			if out.isNull(int(i)) {
				continue
			}
			v, err := check(x[i], out.vals[i], errno[i])
			if err != nil {
				out.finish(catalog.TypeFloat8).Release()
				return nil, err
			}
			out.vals[i] = v
		}
		return out.finish(catalog.TypeFloat8), nil
	}}
}

// libmFunc2 is libmFunc for f(x, y).
func libmFunc2(args []Expr, fn libm.Func2, check func(x, y, r float64, errno uint8) (float64, error)) Expr {
	var s floatScratch
	return &funcExpr{args: args, t: catalog.TypeFloat8, kernel: func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
		x, y := fixedValues[float64](a[0]), fixedValues[float64](a[1])
		out := newFixedBuilder[float64](mem, b.Len)
		out.nullMask = combineNulls(mem, b.Len, a[0], a[1])
		errno := s.errs(b.Len)
		libm.Apply2(fn, out.vals, x, y, errno)
		for _, i := range rowsOf(b) {
			if out.isNull(int(i)) {
				continue
			}
			v, err := check(x[i], y[i], out.vals[i], errno[i])
			if err != nil {
				out.finish(catalog.TypeFloat8).Release()
				return nil, err
			}
			out.vals[i] = v
		}
		return out.finish(catalog.TypeFloat8), nil
	}}
}

// floatMapFunc builds a float8 function computed in Go.
func floatMapFunc(args []Expr, f func(float64) (float64, error)) Expr {
	return floatFunc(args, catalog.TypeFloat8, f)
}

// periodic is sin, cos and tan: NaN gives NaN, an infinite argument (or
// a libm error) is out of range.
func periodic(overflowCheck bool) func(x, r float64, errno uint8) (float64, error) {
	return func(x, r float64, errno uint8) (float64, error) {
		if math.IsNaN(x) {
			return x, nil
		}
		if errno != libm.OK || math.IsInf(x, 0) {
			return 0, errInputOutOfRange()
		}
		if overflowCheck && math.IsInf(r, 0) {
			return 0, errFloatOutOfRange(catalog.Float8)
		}
		return r, nil
	}
}

// inverse is asin and acos: defined on [-1, 1].
func inverse(x, r float64, _ uint8) (float64, error) {
	if math.IsNaN(x) {
		return x, nil
	}
	if x < -1 || x > 1 {
		return 0, errInputOutOfRange()
	}
	if math.IsInf(r, 0) {
		return 0, errFloatOutOfRange(catalog.Float8)
	}
	return r, nil
}

// degreeConsts are PostgreSQL's init_degree_constants, computed with the
// same libm at run time.
var degreeConsts struct {
	once                                                       sync.Once
	sin30, oneMinusCos60, asin05, acos05, atan10, tan45, cot45 float64
}

func initDegreeConsts() {
	d := &degreeConsts
	d.once.Do(func() {
		// Products of run-time float64 values, rounded as the kernels'
		// are (a Go constant expression would be computed exactly).
		rpd, thirty, sixty, fortyFive := float64(radiansPerDegree), float64(30), float64(60), float64(45)
		d.sin30 = libm.Call1(libm.Sin, thirty*rpd)
		d.oneMinusCos60 = 1 - libm.Call1(libm.Cos, sixty*rpd)
		d.asin05 = libm.Call1(libm.Asin, 0.5)
		d.acos05 = libm.Call1(libm.Acos, 0.5)
		d.atan10 = libm.Call1(libm.Atan, 1)
		// sind_q1(45) and cosd_q1(45)
		s45 := 1 - ((1-libm.Call1(libm.Cos, (90-fortyFive)*rpd))/d.oneMinusCos60)/2
		c45 := 1 - ((1-libm.Call1(libm.Cos, fortyFive*rpd))/d.oneMinusCos60)/2
		d.tan45 = s45 / c45
		d.cot45 = c45 / s45
	})
}

// quadrant holds, for an angle in degrees reduced to [0, 90], the
// libm values sind_q1 and cosd_q1 are built from.
type quadrant struct {
	sinA, cosA []float64 // sin, cos of x·rad
	sinB, cosB []float64 // sin, cos of (90-x)·rad
}

func sindQ1(x, sinA, cosB float64) float64 {
	if x <= 30 {
		return (sinA / degreeConsts.sin30) / 2
	}
	return 1 - ((1-cosB)/degreeConsts.oneMinusCos60)/2
}

func cosdQ1(x, cosA, sinB float64) float64 {
	if x <= 60 {
		return 1 - ((1-cosA)/degreeConsts.oneMinusCos60)/2
	}
	return (sinB / degreeConsts.sin30) / 2
}

// degreeFunc builds sind, cosd, tand or cotd: reduce(x) gives the angle
// in [0, 90] and the sign (errors for infinite x), combine the result
// from sind_q1 and cosd_q1 of it.
func degreeFunc(args []Expr, reduce func(x float64) (float64, float64), combine func(sign, s, c float64) float64) Expr {
	var s floatScratch
	return &funcExpr{args: args, t: catalog.TypeFloat8, kernel: func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
		initDegreeConsts()
		x := fixedValues[float64](a[0])
		out := newFixedBuilder[float64](mem, b.Len)
		out.nullMask = combineNulls(mem, b.Len, a[0])
		n := b.Len
		red, argA, argB := s.buf(0, n), s.buf(1, n), s.buf(2, n)
		sign := out.vals // holds each row's sign until the result replaces it
		for _, i := range rowsOf(b) {
			if out.isNull(int(i)) {
				continue
			}
			v := x[i]
			if math.IsInf(v, 0) {
				out.finish(catalog.TypeFloat8).Release()
				return nil, errInputOutOfRange()
			}
			red[i], sign[i] = reduce(v)
			argA[i], argB[i] = red[i]*radiansPerDegree, (90-red[i])*radiansPerDegree
		}
		q := quadrant{sinA: s.buf(3, n), cosA: s.buf(4, n), sinB: s.buf(5, n), cosB: s.buf(6, n)}
		libm.Apply(libm.Sin, q.sinA, argA, nil)
		libm.Apply(libm.Cos, q.cosA, argA, nil)
		libm.Apply(libm.Sin, q.sinB, argB, nil)
		libm.Apply(libm.Cos, q.cosB, argB, nil)
		for _, i := range rowsOf(b) {
			if out.isNull(int(i)) {
				continue
			}
			if math.IsNaN(x[i]) {
				out.vals[i] = x[i]
				continue
			}
			r := red[i]
			out.vals[i] = combine(sign[i], sindQ1(r, q.sinA[i], q.cosB[i]), cosdQ1(r, q.cosA[i], q.sinB[i]))
		}
		return out.finish(catalog.TypeFloat8), nil
	}}
}

// reduceDegrees brings x to [0, 360) by fmod, then to [0, 90], flipping
// the sign as each of the three reflections the function has says.
func reduceDegrees(negFlips, over180Flips, over90Flips bool) func(x float64) (float64, float64) {
	return func(x float64) (float64, float64) {
		if math.IsNaN(x) {
			return 0, 1
		}
		sign := 1.0
		x = math.Mod(x, 360)
		if x < 0 {
			x = -x
			if negFlips {
				sign = -sign
			}
		}
		if x > 180 {
			x = 360 - x
			if over180Flips {
				sign = -sign
			}
		}
		if x > 90 {
			x = 180 - x
			if over90Flips {
				sign = -sign
			}
		}
		return x, sign
	}
}

// inverseDegreeFunc builds asind or acosd: libm's asin and acos of |x|
// over the batch, stitched as PostgreSQL's asind_q1 and acosd_q1.
func inverseDegreeFunc(args []Expr, acos bool) Expr {
	var s floatScratch
	return &funcExpr{args: args, t: catalog.TypeFloat8, kernel: func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
		initDegreeConsts()
		x := fixedValues[float64](a[0])
		out := newFixedBuilder[float64](mem, b.Len)
		out.nullMask = combineNulls(mem, b.Len, a[0])
		n := b.Len
		ax, as, ac := s.buf(0, n), s.buf(1, n), s.buf(2, n)
		for _, i := range rowsOf(b) {
			if out.isNull(int(i)) {
				continue
			}
			v := x[i]
			if v < -1 || v > 1 {
				out.finish(catalog.TypeFloat8).Release()
				return nil, errInputOutOfRange()
			}
			ax[i] = math.Abs(v)
		}
		libm.Apply(libm.Asin, as, ax, nil)
		libm.Apply(libm.Acos, ac, ax, nil)
		d := &degreeConsts
		asindQ1 := func(i int32) float64 {
			if ax[i] <= 0.5 {
				return (as[i] / d.asin05) * 30
			}
			return 90 - (ac[i]/d.acos05)*60
		}
		acosdQ1 := func(i int32) float64 {
			if ax[i] <= 0.5 {
				return 90 - (as[i]/d.asin05)*30
			}
			return (ac[i] / d.acos05) * 60
		}
		for _, i := range rowsOf(b) {
			if out.isNull(int(i)) {
				continue
			}
			v := x[i]
			switch {
			case math.IsNaN(v):
				out.vals[i] = v
			case acos && v >= 0:
				out.vals[i] = acosdQ1(i)
			case acos:
				out.vals[i] = 90 + asindQ1(i)
			case v >= 0:
				out.vals[i] = asindQ1(i)
			default:
				out.vals[i] = -asindQ1(i)
			}
		}
		return out.finish(catalog.TypeFloat8), nil
	}}
}

func init() {
	reg := func(name string, n int, build func(args []Expr) Expr) {
		registerFunc(&funcDef{
			resolve: float8Resolver(name, n),
			build:   func(args []Expr, _ catalog.Type) (Expr, error) { return build(args), nil },
		}, name)
	}
	reg("sin", 1, func(args []Expr) Expr { return libmFunc(args, libm.Sin, periodic(true)) })
	reg("cos", 1, func(args []Expr) Expr { return libmFunc(args, libm.Cos, periodic(true)) })
	reg("tan", 1, func(args []Expr) Expr { return libmFunc(args, libm.Tan, periodic(false)) })
	reg("cot", 1, func(args []Expr) Expr {
		check := periodic(false)
		return libmFunc(args, libm.Tan, func(x, r float64, errno uint8) (float64, error) {
			r, err := check(x, r, errno)
			if err != nil || math.IsNaN(x) {
				return r, err
			}
			return 1 / r, nil
		})
	})
	reg("asin", 1, func(args []Expr) Expr { return libmFunc(args, libm.Asin, inverse) })
	reg("acos", 1, func(args []Expr) Expr { return libmFunc(args, libm.Acos, inverse) })
	reg("atan", 1, func(args []Expr) Expr {
		return libmFunc(args, libm.Atan, func(x, r float64, _ uint8) (float64, error) {
			if math.IsNaN(x) {
				return x, nil
			}
			return r, nil
		})
	})
	reg("atan2", 2, func(args []Expr) Expr {
		return libmFunc2(args, libm.Atan2, func(x, y, r float64, _ uint8) (float64, error) {
			if math.IsNaN(x) || math.IsNaN(y) {
				return math.NaN(), nil
			}
			return r, nil
		})
	})

	reg("sind", 1, func(args []Expr) Expr {
		return degreeFunc(args, reduceDegrees(true, true, false), func(sign, s, _ float64) float64 { return sign * s })
	})
	reg("cosd", 1, func(args []Expr) Expr {
		return degreeFunc(args, reduceDegrees(false, false, true), func(sign, _, c float64) float64 { return sign * c })
	})
	reg("tand", 1, func(args []Expr) Expr {
		return degreeFunc(args, reduceDegrees(true, true, true), func(sign, s, c float64) float64 {
			r := sign * ((s / c) / degreeConsts.tan45)
			if r == 0 {
				r = 0 // no minus zero
			}
			return r
		})
	})
	reg("cotd", 1, func(args []Expr) Expr {
		return degreeFunc(args, reduceDegrees(true, true, true), func(sign, s, c float64) float64 {
			r := sign * ((c / s) / degreeConsts.cot45)
			if r == 0 {
				r = 0
			}
			return r
		})
	})
	reg("asind", 1, func(args []Expr) Expr { return inverseDegreeFunc(args, false) })
	reg("acosd", 1, func(args []Expr) Expr { return inverseDegreeFunc(args, true) })
	reg("atand", 1, func(args []Expr) Expr {
		return libmFunc(args, libm.Atan, func(x, r float64, _ uint8) (float64, error) {
			if math.IsNaN(x) {
				return x, nil
			}
			initDegreeConsts()
			return (r / degreeConsts.atan10) * 45, nil
		})
	})
	reg("atan2d", 2, func(args []Expr) Expr {
		return libmFunc2(args, libm.Atan2, func(x, y, r float64, _ uint8) (float64, error) {
			if math.IsNaN(x) || math.IsNaN(y) {
				return math.NaN(), nil
			}
			initDegreeConsts()
			return (r / degreeConsts.atan10) * 45, nil
		})
	})

	reg("sinh", 1, func(args []Expr) Expr {
		return libmFunc(args, libm.Sinh, func(x, r float64, errno uint8) (float64, error) {
			if errno == libm.ERANGE {
				return math.Copysign(math.Inf(1), x), nil
			}
			return r, nil
		})
	})
	reg("cosh", 1, func(args []Expr) Expr {
		return libmFunc(args, libm.Cosh, func(x, r float64, errno uint8) (float64, error) {
			if errno == libm.ERANGE {
				r = math.Inf(1)
			}
			if r == 0 {
				return 0, errFloatUnderflow()
			}
			return r, nil
		})
	})
	reg("tanh", 1, func(args []Expr) Expr {
		return libmFunc(args, libm.Tanh, func(x, r float64, _ uint8) (float64, error) {
			if math.IsInf(r, 0) {
				return 0, errFloatOutOfRange(catalog.Float8)
			}
			return r, nil
		})
	})
	reg("asinh", 1, func(args []Expr) Expr {
		return libmFunc(args, libm.Asinh, func(_, r float64, _ uint8) (float64, error) { return r, nil })
	})
	reg("acosh", 1, func(args []Expr) Expr {
		return libmFunc(args, libm.Acosh, func(x, r float64, _ uint8) (float64, error) {
			if x < 1 {
				return 0, errInputOutOfRange()
			}
			return r, nil
		})
	})
	reg("atanh", 1, func(args []Expr) Expr {
		return libmFunc(args, libm.Atanh, func(x, r float64, _ uint8) (float64, error) {
			switch {
			case x < -1 || x > 1:
				return 0, errInputOutOfRange()
			case x == -1:
				return math.Inf(-1), nil
			case x == 1:
				return math.Inf(1), nil
			}
			return r, nil
		})
	})

	reg("degrees", 1, func(args []Expr) Expr {
		return floatMapFunc(args, func(x float64) (float64, error) {
			r := x / radiansPerDegree
			if math.IsInf(r, 0) && !math.IsInf(x, 0) {
				return 0, errFloatOutOfRange(catalog.Float8)
			}
			return r, nil
		})
	})
	reg("radians", 1, func(args []Expr) Expr {
		return floatMapFunc(args, func(x float64) (float64, error) {
			r := x * radiansPerDegree
			if math.IsInf(r, 0) && !math.IsInf(x, 0) {
				return 0, errFloatOutOfRange(catalog.Float8)
			}
			if r == 0 && x != 0 {
				return 0, errFloatUnderflow()
			}
			return r, nil
		})
	})
	registerFunc(&funcDef{
		resolve: float8Resolver("pi", 0),
		build: func(_ []Expr, _ catalog.Type) (Expr, error) {
			return Literal(math.Pi, catalog.TypeFloat8), nil
		},
	}, "pi")
}
