// Package libm applies the C library's double-precision math functions
// to whole slices, one cgo call per slice.
//
// PostgreSQL computes sin, exp, ln, power and the other float8 functions
// with the platform's libm, and prints float8 with the shortest text that
// reads back exactly, so a result one unit in the last place away prints
// differently. Go's math package is not libm: about a quarter of its sin
// and cos results and a tenth of its exp results differ from glibc's in
// the last place. pqdb therefore calls libm too, over a batch at a time
// so that the cgo transition costs nothing per row.
//
// Errno reports the errno each call left (0 for none), for the functions
// whose errors PostgreSQL reads from errno (pow, exp, sinh, cosh, and the
// trigonometric functions' domain errors).
package libm

/*
#cgo LDFLAGS: -lm
#include <errno.h>
#include <math.h>
#include <stddef.h>

typedef double (*fn1)(double);
typedef double (*fn2)(double, double);

static fn1 pick1(int f) {
	switch (f) {
	case 0: return sin;
	case 1: return cos;
	case 2: return tan;
	case 3: return asin;
	case 4: return acos;
	case 5: return atan;
	case 6: return exp;
	case 7: return log;
	case 8: return log10;
	case 9: return cbrt;
	case 10: return sinh;
	case 11: return cosh;
	case 12: return tanh;
	case 13: return asinh;
	case 14: return acosh;
	case 15: return atanh;
	}
	return 0;
}

static fn2 pick2(int f) {
	switch (f) {
	case 0: return pow;
	case 1: return atan2;
	}
	return 0;
}

static void apply1(int f, double *dst, const double *src, unsigned char *err, size_t n) {
	fn1 fn = pick1(f);
	for (size_t i = 0; i < n; i++) {
		errno = 0;
		dst[i] = fn(src[i]);
		if (err) err[i] = errno == 0 ? 0 : (errno == ERANGE ? 1 : 2);
	}
}

static void apply2(int f, double *dst, const double *x, const double *y, unsigned char *err, size_t n) {
	fn2 fn = pick2(f);
	for (size_t i = 0; i < n; i++) {
		errno = 0;
		dst[i] = fn(x[i], y[i]);
		if (err) err[i] = errno == 0 ? 0 : (errno == ERANGE ? 1 : 2);
	}
}
*/
import "C"

import "unsafe"

// Func1 names a function of one double.
type Func1 int

// The functions of one argument.
const (
	Sin Func1 = iota
	Cos
	Tan
	Asin
	Acos
	Atan
	Exp
	Log
	Log10
	Cbrt
	Sinh
	Cosh
	Tanh
	Asinh
	Acosh
	Atanh
)

// Func2 names a function of two doubles.
type Func2 int

// The functions of two arguments.
const (
	Pow Func2 = iota
	Atan2
)

// Errno values reported per element.
const (
	OK     = 0
	ERANGE = 1
	EOther = 2 // EDOM or anything else
)

// Apply sets dst[i] = f(src[i]) for every i < len(dst); src must be at
// least as long. When errno is not nil (and as long as dst), errno[i]
// gets the error the call reported.
func Apply(f Func1, dst, src []float64, errno []uint8) {
	if len(dst) == 0 {
		return
	}
	_ = src[len(dst)-1]
	var e *C.uchar
	if errno != nil {
		_ = errno[len(dst)-1]
		e = (*C.uchar)(unsafe.Pointer(&errno[0]))
	}
	C.apply1(C.int(f), (*C.double)(unsafe.Pointer(&dst[0])), (*C.double)(unsafe.Pointer(&src[0])), e, C.size_t(len(dst)))
}

// Apply2 sets dst[i] = f(x[i], y[i]) for every i < len(dst), with errno
// as in Apply.
func Apply2(f Func2, dst, x, y []float64, errno []uint8) {
	if len(dst) == 0 {
		return
	}
	_, _ = x[len(dst)-1], y[len(dst)-1]
	var e *C.uchar
	if errno != nil {
		_ = errno[len(dst)-1]
		e = (*C.uchar)(unsafe.Pointer(&errno[0]))
	}
	C.apply2(C.int(f), (*C.double)(unsafe.Pointer(&dst[0])), (*C.double)(unsafe.Pointer(&x[0])), (*C.double)(unsafe.Pointer(&y[0])), e, C.size_t(len(dst)))
}

// Call1 is f(x) for a single value.
func Call1(f Func1, x float64) float64 {
	var out [1]float64
	in := [1]float64{x}
	Apply(f, out[:], in[:], nil)
	return out[0]
}
