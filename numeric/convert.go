package numeric

import (
	"math"
	"math/bits"
	"strconv"
	"unsafe"

	"github.com/pqdb/pqdb/pgerr"
)

// FromInt64 appends the numeric value of v (int8_numeric), display scale 0.
func FromInt64(dst []byte, v int64) []byte {
	if v == 0 {
		return append(dst, encZero...)
	}
	sign := SignPos
	u := uint64(v)
	if v < 0 {
		sign = SignNeg
		u = -u
	}
	return appendMagnitude(dst, u, 0, sign, 0)
}

// appendMagnitude appends the numeric of sign whose base-10000 digits
// are those of u > 0, the last after of them after the point, with
// display scale dscale.
func appendMagnitude(dst []byte, u uint64, after, sign, dscale int) []byte {
	var d [5]uint16
	n := 0
	for u != 0 {
		d[4-n] = uint16(u % nbase)
		u /= nbase
		n++
	}
	digs := d[5-n:]
	// drop trailing zero digits
	m := n
	for digs[m-1] == 0 {
		m--
	}
	dst = appendHeader(dst, m, n-after-1, sign, dscale)
	for _, x := range digs[:m] {
		dst = append(dst, byte(x>>8), byte(x))
	}
	return dst
}

// FromInt32 appends the numeric value of v (int4_numeric).
func FromInt32(dst []byte, v int32) []byte { return FromInt64(dst, int64(v)) }

// FromInt16 appends the numeric value of v (int2_numeric).
func FromInt16(dst []byte, v int16) []byte { return FromInt64(dst, int64(v)) }

// roundedMagnitude returns |round(a)| (half away from zero) for a finite
// encoded a, and false if it does not fit in 64 bits.
func roundedMagnitude(a []byte) (uint64, bool) {
	n := ndigitsOf(a)
	if n == 0 {
		return 0, true
	}
	w := weightOf(a)
	if w < 0 {
		if w == -1 && digitOf(a, 0) >= halfNbase {
			return 1, true
		}
		return 0, true
	}
	var mag uint64
	for i := 0; i <= w; i++ {
		var d uint64
		if i < n {
			d = uint64(digitOf(a, i))
		}
		hi, lo := bits.Mul64(mag, nbase)
		if hi != 0 {
			return 0, false
		}
		lo, carry := bits.Add64(lo, d, 0)
		if carry != 0 {
			return 0, false
		}
		mag = lo
	}
	if w+1 < n && digitOf(a, w+1) >= halfNbase {
		if mag == math.MaxUint64 {
			return 0, false
		}
		mag++
	}
	return mag, true
}

func toInt(a []byte, typ string, min int64, max uint64) (int64, error) {
	switch signOf(a) {
	case SignNaN:
		return 0, pgerr.New(pgerr.FeatureNotSupported, "cannot convert NaN to %s", typ)
	case SignPInf, SignNInf:
		return 0, pgerr.New(pgerr.FeatureNotSupported, "cannot convert infinity to %s", typ)
	}
	mag, ok := roundedMagnitude(a)
	if ok {
		if signOf(a) == SignNeg {
			if mag <= uint64(-min) {
				return -int64(mag), nil
			}
		} else if mag <= max {
			return int64(mag), nil
		}
	}
	return 0, pgerr.New(pgerr.NumericValueOutOfRange, "%s out of range", typ)
}

// ToInt64 converts a to bigint, rounding half away from zero
// (numeric_int8). Errors: 22003 "bigint out of range"; 0A000 "cannot
// convert NaN to bigint" / "cannot convert infinity to bigint".
func ToInt64(a []byte) (int64, error) {
	return toInt(a, "bigint", math.MinInt64, math.MaxInt64)
}

// ToInt32 converts a to integer, rounding half away from zero
// (numeric_int4): "integer out of range", "cannot convert NaN to integer".
func ToInt32(a []byte) (int32, error) {
	v, err := toInt(a, "integer", math.MinInt32, math.MaxInt32)
	return int32(v), err
}

// ToInt16 converts a to smallint, rounding half away from zero
// (numeric_int2): "smallint out of range", "cannot convert NaN to smallint".
func ToInt16(a []byte) (int16, error) {
	v, err := toInt(a, "smallint", math.MinInt16, math.MaxInt16)
	return int16(v), err
}

// FromFloat64 appends the numeric value of f as PostgreSQL's float8_numeric
// computes it: f printed with 15 significant digits ("%.*g" with DBL_DIG)
// and read back, so 0.1 gives 0.1. NaN and infinities map to the numeric
// special values.
func FromFloat64(dst []byte, f float64) []byte {
	return fromFloat(dst, f, 15)
}

// FromFloat32 appends the numeric value of f as float4_numeric computes
// it: 6 significant digits (FLT_DIG).
func FromFloat32(dst []byte, f float32) []byte {
	return fromFloat(dst, float64(f), 6)
}

func fromFloat(dst []byte, f float64, digits int) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, encNaN...)
	case math.IsInf(f, 1):
		return append(dst, encPInf...)
	case math.IsInf(f, -1):
		return append(dst, encNInf...)
	}
	var buf [40]byte
	s := strconv.AppendFloat(buf[:0], f, 'e', digits-1, 64)
	// %g drops trailing zeros of the mantissa; the display scale follows.
	s = TrimExponentZeros(s, 0)
	out, err := ParseBytes(dst, s)
	if err != nil {
		panic("numeric: cannot parse formatted float: " + err.Error())
	}
	return out
}

func errFloatRange(a []byte, typ string) error {
	return pgerr.New(pgerr.NumericValueOutOfRange, "\"%s\" is out of range for type %s", String(a), typ)
}

// ToFloat64 converts a to double precision as numeric_float8 does: its
// text form read by strtod (correctly rounded). A value beyond the double
// range, or a nonzero one that underflows to zero, is 22003
// "\"...\" is out of range for type double precision".
func ToFloat64(a []byte) (float64, error) {
	switch signOf(a) {
	case SignNaN:
		return math.NaN(), nil
	case SignPInf:
		return math.Inf(1), nil
	case SignNInf:
		return math.Inf(-1), nil
	}
	f, err := parseText(a, 64)
	if err != nil || math.IsInf(f, 0) || (f == 0 && ndigitsOf(a) != 0) {
		return 0, errFloatRange(a, "double precision")
	}
	return f, nil
}

// ToFloat32 converts a to real (numeric_float4), with the same range rules.
func ToFloat32(a []byte) (float32, error) {
	switch signOf(a) {
	case SignNaN:
		return float32(math.NaN()), nil
	case SignPInf:
		return float32(math.Inf(1)), nil
	case SignNInf:
		return float32(math.Inf(-1)), nil
	}
	f, err := parseText(a, 32)
	if err != nil || math.IsInf(f, 0) || (f == 0 && ndigitsOf(a) != 0) {
		return 0, errFloatRange(a, "real")
	}
	return float32(f), nil
}

func parseText(a []byte, bitSize int) (float64, error) {
	var buf [96]byte
	t := AppendText(buf[:0], a)
	if len(t) == 0 {
		return 0, nil
	}
	f, err := strconv.ParseFloat(unsafe.String(&t[0], len(t)), bitSize)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, nil
		}
	}
	return f, err
}

// FromDecimal128 appends the value of an Arrow decimal128: the unscaled
// two's-complement 128-bit integer hi:lo divided by 10^scale. The display
// scale is scale (0 for a negative scale, which multiplies instead).
func FromDecimal128(dst []byte, hi int64, lo uint64, scale int32) ([]byte, error) {
	if out, ok := fromSmallDecimal(dst, hi, lo, scale); ok {
		return out, nil
	}
	return fromDecimal128Text(dst, hi, lo, scale)
}

// fromDecimal128Text is FromDecimal128 by way of the value's text.
func fromDecimal128Text(dst []byte, hi int64, lo uint64, scale int32) ([]byte, error) {
	neg := hi < 0
	uhi, ulo := uint64(hi), lo
	if neg {
		ulo = -lo
		uhi = ^uhi
		if ulo == 0 {
			uhi++
		}
	}
	// Decimal digits of the magnitude, least significant first.
	var dec [40]byte
	nd := 0
	for uhi != 0 || ulo != 0 {
		var r uint64
		qhi := uhi / 10
		r = uhi % 10
		qlo, rem := bits.Div64(r, ulo, 10)
		uhi, ulo = qhi, qlo
		dec[nd] = byte('0' + rem)
		nd++
	}
	var buf [96]byte
	s := buf[:0]
	if neg {
		s = append(s, '-')
	}
	if nd == 0 {
		s = append(s, '0')
	}
	for i := nd - 1; i >= 0; i-- {
		s = append(s, dec[i])
	}
	if scale != 0 {
		s = append(s, 'e')
		s = strconv.AppendInt(s, -int64(scale), 10)
	}
	return ParseBytes(dst, s)
}

// ToDecimal128 converts a to an Arrow decimal128 of the given scale:
// rounded half away from zero to scale digits after the point, returned as
// the unscaled two's-complement 128-bit integer hi:lo. With precision in
// 1..38 the unscaled value must have at most precision digits; otherwise
// it must fit in 128 bits. Overflow is 22003 "numeric field overflow";
// NaN and infinities are 0A000 errors.
func ToDecimal128(a []byte, precision, scale int32) (hi int64, lo uint64, err error) {
	switch signOf(a) {
	case SignNaN:
		return 0, 0, pgerr.New(pgerr.FeatureNotSupported, "cannot convert NaN to %s", "decimal128")
	case SignPInf, SignNInf:
		return 0, 0, pgerr.New(pgerr.FeatureNotSupported, "cannot convert infinity to %s", "decimal128")
	}
	overflow := pgerr.New(pgerr.NumericValueOutOfRange, "numeric field overflow")
	n := ndigitsOf(a)
	if n == 0 {
		return 0, 0, nil
	}
	w := weightOf(a)
	decAt := func(e int) uint64 { // decimal digit at exponent e
		// digit index i has exponents 4*(w-i)+3 .. 4*(w-i)
		var i int
		if e >= 0 {
			i = w - e/4
		} else {
			i = w - (e-3)/4
		}
		if i < 0 || i >= n {
			return 0
		}
		d := digitOf(a, i)
		pos := e - 4*(w-i)
		for ; pos > 0; pos-- {
			d /= 10
		}
		return uint64(d % 10)
	}
	var mh, ml uint64
	limHi := uint64(1) << 63 // magnitude may not exceed 2^127
	for e := 4*w + 3; e >= -int(scale); e-- {
		d := decAt(e)
		if mh == 0 && ml == 0 && d == 0 {
			continue
		}
		nh, nl, ok := MulAdd128(mh, ml, 10, d)
		if !ok || nh > limHi || (nh == limHi && nl != 0) {
			return 0, 0, overflow
		}
		mh, ml = nh, nl
	}
	if decAt(-int(scale)-1) >= 5 {
		nl, c := bits.Add64(ml, 1, 0)
		nh, c2 := bits.Add64(mh, 0, c)
		if c2 != 0 || nh > limHi || (nh == limHi && nl != 0) {
			return 0, 0, overflow
		}
		mh, ml = nh, nl
	}
	neg := signOf(a) == SignNeg
	if mh == limHi && !neg {
		return 0, 0, overflow
	}
	if precision >= 1 && precision <= 38 {
		// compare with 10^precision
		ph, pl := uint64(0), uint64(1)
		for i := int32(0); i < precision; i++ {
			h1, l1 := bits.Mul64(pl, 10)
			ph, pl = ph*10+h1, l1
		}
		if mh > ph || (mh == ph && ml >= pl) {
			return 0, 0, overflow
		}
	}
	if neg {
		ml = -ml
		mh = ^mh
		if ml == 0 {
			mh++
		}
	}
	return int64(mh), ml, nil
}

// MulAdd128 returns hi:lo*m + a as a 128-bit unsigned hi:lo; ok is false
// if the result does not fit in 128 bits.
func MulAdd128(hi, lo, m, a uint64) (rhi, rlo uint64, ok bool) {
	h1, l1 := bits.Mul64(lo, m)
	h2, l2 := bits.Mul64(hi, m)
	if h2 != 0 {
		return 0, 0, false
	}
	nh, c := bits.Add64(h1, l2, 0)
	if c != 0 {
		return 0, 0, false
	}
	nl, c := bits.Add64(l1, a, 0)
	nh, c2 := bits.Add64(nh, 0, c)
	return nh, nl, c2 == 0
}

// TrimExponentZeros removes trailing zeros of the mantissa of an exponent
// notation number written at buf[start:] ("1.50e+17" → "1.5e+17"), as %g
// does.
func TrimExponentZeros(buf []byte, start int) []byte {
	s := buf[start:]
	e := 0
	for e < len(s) && s[e] != 'e' {
		e++
	}
	m := e
	for m > 0 && s[m-1] == '0' {
		m--
	}
	if m > 0 && s[m-1] == '.' {
		m--
	}
	if m == e {
		return buf
	}
	n := copy(s[m:], s[e:])
	return buf[:start+m+n]
}

// fromSmallDecimal is FromDecimal128 for a magnitude below 2^64/1000 and
// a scale of 0..MaxDisplayScale, which are nearly all of them (a
// numeric(p ≤ 16, s) column's values, cast for a comparison with an
// unconstrained numeric): the base-10000 digits come from the magnitude,
// padded with zeros to whole digits after the point, as FromInt64 makes
// them, instead of by way of the value's text. false: not such a value.
func fromSmallDecimal(dst []byte, hi int64, lo uint64, scale int32) ([]byte, bool) {
	var u uint64
	switch {
	case hi == 0:
		u = lo
	case hi == -1 && lo != 0:
		u = -lo // the magnitude of lo - 2^64
	default:
		return dst, false
	}
	if scale < 0 || scale > MaxDisplayScale || u >= math.MaxUint64/1000 {
		return dst, false
	}
	if u == 0 {
		return appendHeader(dst, 0, 0, SignPos, int(scale)), true
	}
	sign := SignPos
	if hi < 0 {
		sign = SignNeg
	}
	pad := (4 - scale%4) % 4
	for range pad {
		u *= 10
	}
	return appendMagnitude(dst, u, int((scale+pad)/4), sign, int(scale)), true
}
