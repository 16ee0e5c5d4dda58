package numeric

import (
	"encoding/binary"

	"github.com/pqdb/pqdb/pgerr"
)

// Base-10000 digits, as in PostgreSQL (NBASE, DEC_DIGITS, ...).
const (
	nbase          = 10000
	halfNbase      = 5000
	decDigits      = 4
	mulGuardDigits = 2
	divGuardDigits = 4
)

// Limits, as in PostgreSQL's utils/numeric.h.
const (
	// MaxPrecision is the largest precision a numeric(p,s) column accepts.
	MaxPrecision = 1000
	// MinTypmodScale and MaxTypmodScale bound the s of numeric(p,s).
	MinTypmodScale = -1000
	MaxTypmodScale = 1000
	// MaxDisplayScale is the largest scale a function picks by itself
	// (division, sqrt, exp, ln, log, power).
	MaxDisplayScale = MaxPrecision
	// MaxResultScale bounds the scale argument of Round and Trunc.
	MaxResultScale = MaxPrecision * 2
	// MaxDscale is the largest display scale a value can carry (14 bits).
	MaxDscale = 0x3FFF

	minDisplayScale = 0
	minSigDigits    = 16
)

// Sign words of the encoded form (numeric_send's third int16).
const (
	SignPos  = 0x0000
	SignNeg  = 0x4000
	SignNaN  = 0xC000
	SignPInf = 0xD000
	SignNInf = 0xF000

	signSpecialMask = 0xC000
)

// HeaderSize is the size of the fixed part of an encoded value.
const HeaderSize = 8

// nvar is PostgreSQL's NumericVar: the working form of a value. Its digits
// are buf[off:off+ndigits]; buf[off-1] is always present so that rounding
// can carry out of the top digit (PostgreSQL's "spare digit"). alt is a
// second buffer that a computation writes its result into before the two
// are swapped, so that a var may be an operand and the result of one call.
type nvar struct {
	ndigits int
	weight  int
	sign    int
	dscale  int
	off     int
	buf     []int16
	alt     []int16
}

func (v *nvar) d() []int16 { return v.buf[v.off : v.off+v.ndigits] }

// newDigits returns a zeroed digit area for n digits plus the spare digit
// in front, taken from v's alternate buffer. Install it with install.
func (v *nvar) newDigits(n int) []int16 {
	if cap(v.alt) < n+1 {
		v.alt = make([]int16, n+1, n+1+n/2+8)
	}
	s := v.alt[:n+1]
	clear(s)
	return s
}

// install makes buf (from newDigits, n digits after the spare) v's digits.
func (v *nvar) install(buf []int16, n int) {
	v.alt = v.buf
	v.buf = buf
	v.off = 1
	v.ndigits = n
}

// installResult makes buf (from newDigits, n digits after the spare) v's
// digits with the given weight and sign, rounded half away from zero to
// rscale fractional digits if round, else truncated, and stripped: the
// last steps of mul_var, div_var, div_var_fast and div_var_int.
func (v *nvar) installResult(buf []int16, n, weight, sign, rscale int, round bool) {
	v.install(buf, n)
	v.weight = weight
	v.sign = sign
	if round {
		roundVar(v, rscale)
	} else {
		truncVar(v, rscale)
	}
	v.strip()
}

// productSign is the sign of var1 * var2 or var1 / var2.
func productSign(var1, var2 *nvar) int {
	if var1.sign == var2.sign {
		return SignPos
	}
	return SignNeg
}

// carryDigits writes src to dst (they may be the same slice) with every
// element brought into 0..NBASE-1 by carrying to the element before, from
// the last to the first; an element may be negative (a borrow). It
// returns the carry out of the first element.
func carryDigits[T int16 | int32](dst []T, src []int32) int32 {
	carry := int32(0)
	for i := len(src) - 1; i >= 0; i-- {
		nd := src[i] + carry
		if nd < 0 {
			carry = -((-nd - 1) / nbase) - 1
			nd -= carry * nbase
		} else if nd >= nbase {
			carry = nd / nbase
			nd -= carry * nbase
		} else {
			carry = 0
		}
		dst[i] = T(nd)
	}
	return carry
}

// zero sets v to zero; its dscale is left alone (zero_var).
func (v *nvar) zero() {
	v.ndigits = 0
	v.weight = 0
	v.sign = SignPos
	if cap(v.buf) < 1 {
		v.buf = make([]int16, 1, 8)
	}
	v.buf = v.buf[:maxInt(len(v.buf), 1)]
	v.buf[0] = 0
	v.off = 1
}

// set copies src into v (set_var_from_var).
func (v *nvar) set(src *nvar) {
	if v == src {
		return
	}
	nb := v.newDigits(src.ndigits)
	copy(nb[1:], src.d())
	v.install(nb, src.ndigits)
	v.weight = src.weight
	v.sign = src.sign
	v.dscale = src.dscale
}

// strip removes leading and trailing zero digits (strip_var).
func (v *nvar) strip() {
	d := v.d()
	i := 0
	for i < len(d) && d[i] == 0 {
		i++
	}
	v.off += i
	v.weight -= i
	d = d[i:]
	n := len(d)
	for n > 0 && d[n-1] == 0 {
		n--
	}
	v.ndigits = n
	if n == 0 {
		v.sign = SignPos
		v.weight = 0
	}
}

func mkConst(sign, weight, dscale int, digits ...int16) *nvar {
	buf := append([]int16{0}, digits...)
	return &nvar{ndigits: len(digits), weight: weight, sign: sign, dscale: dscale, off: 1, buf: buf}
}

var (
	constZero          = mkConst(SignPos, 0, 0)
	constOne           = mkConst(SignPos, 0, 0, 1)
	constTwo           = mkConst(SignPos, 0, 0, 2)
	constTen           = mkConst(SignPos, 0, 0, 10)
	constZeroPointNine = mkConst(SignPos, -1, 1, 9000)
	constOnePointOne   = mkConst(SignPos, 0, 1, 1, 1000)
)

// Calc holds the scratch space of the arithmetic. A Calc is not safe for
// concurrent use; give each goroutine its own. The zero value is ready.
type Calc struct {
	v        [6]nvar
	dig      []int32
	div      []int32
	dividend []int32
	text     []byte
}

// load decodes the encoded value b into v. b must be a valid encoding.
func load(v *nvar, b []byte) {
	n := int(binary.BigEndian.Uint16(b[0:]))
	v.weight = int(int16(binary.BigEndian.Uint16(b[2:])))
	v.sign = int(binary.BigEndian.Uint16(b[4:]))
	v.dscale = int(binary.BigEndian.Uint16(b[6:]))
	if cap(v.buf) < n+1 {
		v.buf = make([]int16, n+1, n+1+n/2+8)
	}
	buf := v.buf[:n+1]
	buf[0] = 0
	p := b[HeaderSize:]
	for i := 1; i <= n; i++ {
		buf[i] = int16(binary.BigEndian.Uint16(p))
		p = p[2:]
	}
	v.buf = buf
	v.off = 1
	v.ndigits = n
	if v.sign&signSpecialMask == signSpecialMask {
		v.ndigits = 0
	}
}

// appendVar encodes v after dst (make_result): leading and trailing zero
// digits are dropped, a zero is made positive with weight 0, and a value
// whose weight or display scale does not fit the format is an error.
func appendVar(dst []byte, v *nvar) ([]byte, error) {
	if v.sign&signSpecialMask == signSpecialMask {
		return appendSpecial(dst, v.sign), nil
	}
	d := v.d()
	weight := v.weight
	for len(d) > 0 && d[0] == 0 {
		d = d[1:]
		weight--
	}
	n := len(d)
	for n > 0 && d[n-1] == 0 {
		n--
	}
	d = d[:n]
	sign := v.sign
	if n == 0 {
		weight = 0
		sign = SignPos
	}
	if weight > 32767 || weight < -32768 || v.dscale > MaxDscale || v.dscale < 0 {
		return dst, errOverflow()
	}
	dst = appendHeader(dst, n, weight, sign, v.dscale)
	for _, x := range d {
		dst = binary.BigEndian.AppendUint16(dst, uint16(x))
	}
	return dst, nil
}

func appendHeader(dst []byte, n, weight, sign, dscale int) []byte {
	return append(dst, byte(n>>8), byte(n), byte(weight>>8), byte(weight),
		byte(sign>>8), byte(sign), byte(dscale>>8), byte(dscale))
}

func appendSpecial(dst []byte, sign int) []byte {
	return appendHeader(dst, 0, 0, sign, 0)
}

// Encoded-form accessors. b must be a valid encoding.
func ndigitsOf(b []byte) int { return int(binary.BigEndian.Uint16(b[0:])) }
func weightOf(b []byte) int  { return int(int16(binary.BigEndian.Uint16(b[2:]))) }
func signOf(b []byte) int    { return int(binary.BigEndian.Uint16(b[4:])) }
func dscaleOf(b []byte) int  { return int(binary.BigEndian.Uint16(b[6:])) }
func digitOf(b []byte, i int) int {
	return int(binary.BigEndian.Uint16(b[HeaderSize+2*i:]))
}

func isSpecial(b []byte) bool { return signOf(b)&signSpecialMask == signSpecialMask }

// IsNaN reports whether the encoded value is NaN.
func IsNaN(b []byte) bool { return signOf(b) == SignNaN }

// IsInf reports whether the encoded value is +Infinity (sign > 0),
// -Infinity (sign < 0) or either (sign == 0), like math.IsInf.
func IsInf(b []byte, sign int) bool {
	s := signOf(b)
	switch {
	case sign > 0:
		return s == SignPInf
	case sign < 0:
		return s == SignNInf
	}
	return s == SignPInf || s == SignNInf
}

// signum is numeric_sign_internal for a non-NaN encoded value.
func signum(b []byte) int {
	switch signOf(b) {
	case SignPInf:
		return 1
	case SignNInf:
		return -1
	}
	if ndigitsOf(b) == 0 {
		return 0
	}
	if signOf(b) == SignNeg {
		return -1
	}
	return 1
}

// Constant encodings.
var (
	encNaN  = appendSpecial(nil, SignNaN)
	encPInf = appendSpecial(nil, SignPInf)
	encNInf = appendSpecial(nil, SignNInf)
	encZero = appendHeader(nil, 0, 0, SignPos, 0)
	encOne  = []byte{0, 1, 0, 0, 0, 0, 0, 0, 0, 1}
	encMOne = []byte{0, 1, 0, 0, 0x40, 0, 0, 0, 0, 1}
)

// NaN, PosInf, NegInf and Zero append the encodings of the constants.
func NaN(dst []byte) []byte    { return append(dst, encNaN...) }
func PosInf(dst []byte) []byte { return append(dst, encPInf...) }
func NegInf(dst []byte) []byte { return append(dst, encNInf...) }
func Zero(dst []byte) []byte   { return append(dst, encZero...) }

func errOverflow() error {
	return pgerr.New(pgerr.NumericValueOutOfRange, "value overflows numeric format")
}

func errDivByZero() error {
	return pgerr.New(pgerr.DivisionByZero, "division by zero")
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

func minInt(a, b int) int {
	if a < b {
		return a
	}
	return b
}

func absInt(a int) int {
	if a < 0 {
		return -a
	}
	return a
}
