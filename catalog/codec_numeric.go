package catalog

import (
	"encoding/binary"
	"math/bits"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/pqdb/pqdb/numeric"
	"github.com/pqdb/pqdb/pgerr"
)

// Numeric values are decimal128 integers scaled by Type.Scale. Their text
// form keeps exactly Scale fractional digits, as numeric_out prints a value
// of that scale; their binary form is numeric_send's base-10000 layout.

// Sign words of the binary numeric format.
const (
	numericPos  = 0x0000
	numericNeg  = 0x4000
	numericNaN  = 0xC000
	numericPInf = 0xD000
	numericNInf = 0xF000
)

// magnitude returns |n| as an unsigned 128-bit integer and whether n < 0.
func magnitude(n decimal128.Num) (hi, lo uint64, neg bool) {
	hi, lo = uint64(n.HighBits()), n.LowBits()
	if n.HighBits() < 0 {
		lo = ^lo + 1
		hi = ^hi
		if lo == 0 {
			hi++
		}
		neg = true
	}
	return hi, lo, neg
}

// appendUint128 appends the decimal digits of hi:lo.
func appendUint128(buf []byte, hi, lo uint64) []byte {
	const chunk = 1e19
	if hi == 0 {
		return strconv.AppendUint(buf, lo, 10)
	}
	var parts [3]uint64
	n := 0
	for hi != 0 || lo != 0 {
		qhi := hi / chunk
		r := hi % chunk
		qlo, rem := bits.Div64(r, lo, chunk)
		parts[n] = rem
		n++
		hi, lo = qhi, qlo
	}
	buf = strconv.AppendUint(buf, parts[n-1], 10)
	for k := n - 2; k >= 0; k-- {
		var tmp [20]byte
		d := strconv.AppendUint(tmp[:0], parts[k], 10)
		for z := len(d); z < 19; z++ {
			buf = append(buf, '0')
		}
		buf = append(buf, d...)
	}
	return buf
}

// appendNumericText appends n (scaled by scale) as numeric_out prints it.
func appendNumericText(buf []byte, n decimal128.Num, scale int32) []byte {
	hi, lo, neg := magnitude(n)
	if neg {
		buf = append(buf, '-')
	}
	start := len(buf)
	buf = appendUint128(buf, hi, lo)
	if scale <= 0 {
		for ; scale < 0; scale++ {
			buf = append(buf, '0')
		}
		return buf
	}
	digits := len(buf) - start
	if digits <= int(scale) {
		// Left-pad with zeros so there is one integer digit.
		pad := int(scale) - digits + 1
		buf = append(buf, make([]byte, pad)...)
		copy(buf[start+pad:], buf[start:start+digits])
		for k := 0; k < pad; k++ {
			buf[start+k] = '0'
		}
		digits += pad
	}
	point := start + digits - int(scale)
	buf = append(buf, 0)
	copy(buf[point+1:], buf[point:])
	buf[point] = '.'
	return buf
}

// decimalDigits is a parsed decimal number: its significant digits (ASCII,
// no leading zeros) and the power of ten of the last one.
type decimalDigits struct {
	neg    bool
	digits []byte
	exp    int
}

// parseNumericText is numeric_in for a value of type t.
func parseNumericText(t Type, s string) (decimal128.Num, error) {
	if n, ok := numericTextFast(t, s); ok {
		return n, nil
	}
	var d decimalDigits
	var scratch [48]byte
	d.digits = scratch[:0]
	str := trimSpace(s)
	i := 0
	if i < len(str) && (str[i] == '+' || str[i] == '-') {
		d.neg = str[i] == '-'
		i++
	}
	rest := str[i:]
	switch {
	case equalFold(rest, "nan"), equalFold(rest, "infinity"), equalFold(rest, "inf"):
		return decimal128.Num{}, pgerr.Unsupported("numeric value %q cannot be stored: pqdb numerics are finite decimals", s)
	}
	sawDigit, sawPoint := false, false
	frac := 0
	for ; i < len(str); i++ {
		c := str[i]
		if c >= '0' && c <= '9' {
			sawDigit = true
			if len(d.digits) > 0 || c != '0' {
				d.digits = append(d.digits, c)
			}
			if sawPoint {
				frac++
			}
			continue
		}
		if c == '.' && !sawPoint {
			sawPoint = true
			continue
		}
		break
	}
	if !sawDigit {
		return decimal128.Num{}, invalidSyntax(t, s)
	}
	exp := 0
	if i < len(str) && (str[i] == 'e' || str[i] == 'E') {
		i++
		eneg := false
		if i < len(str) && (str[i] == '+' || str[i] == '-') {
			eneg = str[i] == '-'
			i++
		}
		if i == len(str) {
			return decimal128.Num{}, invalidSyntax(t, s)
		}
		for ; i < len(str) && str[i] >= '0' && str[i] <= '9'; i++ {
			if exp < 1_000_000_000 {
				exp = exp*10 + int(str[i]-'0')
			}
		}
		if eneg {
			exp = -exp
		}
		// PostgreSQL's numeric holds up to 16383 fractional digits and
		// 131072 integer digits.
		if exp-frac < -16383 || exp > 131072 {
			return decimal128.Num{}, pgerr.New(pgerr.NumericValueOutOfRange, "value overflows numeric format")
		}
	}
	if i != len(str) {
		return decimal128.Num{}, invalidSyntax(t, s)
	}
	d.exp = exp - frac
	return d.toNumeric(t)
}

// pow10u64 holds the powers of ten up to 10^18.
var pow10u64 = func() (p [19]uint64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// numericFast is the value v·10^exp (neg: negated) of a numeric type t
// when it needs no rounding and, scaled, has at most 18 digits: the
// common case that numericTextFast and numericBinaryFast read without the
// general path's digit strings. ok is false where the general path must
// decide (it rounds, or fails).
func numericFast(t Type, v uint64, exp int, neg bool) (decimal128.Num, bool) {
	scale := int(t.Scale)
	if scale < 0 || scale > 18 || v >= pow10u64[18] {
		return decimal128.Num{}, false
	}
	switch shift := exp + scale; {
	case shift > 0:
		if shift > 18 || v >= pow10u64[18-shift] {
			return decimal128.Num{}, false
		}
		v *= pow10u64[shift]
	case shift < 0:
		if shift < -18 || v%pow10u64[-shift] != 0 {
			return decimal128.Num{}, false
		}
		v /= pow10u64[-shift]
	}
	// v < 10^18 here, so it fits a precision of 19 or more; a smaller
	// one is a bound to compare with (FitsInPrecision, in 128 bits, cost
	// a fifth of reading a numeric from COPY).
	if p := t.Precision(); p >= 0 && p <= 18 && v >= pow10u64[p] {
		return decimal128.Num{}, false
	}
	n := decimal128.FromU64(v)
	if neg {
		n = n.Negate()
	}
	return n, true
}

// numericTextFast reads [+-]digits[.digits], at most 18 digits, with
// numericFast; anything else (spaces, exponents, NaN, errors) is left to
// the general path.
func numericTextFast(t Type, s string) (decimal128.Num, bool) {
	i, neg := 0, false
	if len(s) > 0 && (s[0] == '-' || s[0] == '+') {
		neg, i = s[0] == '-', 1
	}
	var v uint64
	digits, frac := 0, -1
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			v = v*10 + uint64(c-'0')
			digits++
			if frac >= 0 {
				frac++
			}
		case c == '.' && frac < 0:
			frac = 0
		default:
			return decimal128.Num{}, false
		}
	}
	if digits == 0 || digits > 18 {
		return decimal128.Num{}, false
	}
	return numericFast(t, v, -max(frac, 0), neg)
}

// numericBinaryFast reads numeric_send's form of up to four base-10000
// digits with numericFast; anything else is left to the general path.
func numericBinaryFast(t Type, b []byte) (decimal128.Num, bool) {
	if len(b) < 8 {
		return decimal128.Num{}, false
	}
	ndigits := int(binary.BigEndian.Uint16(b))
	weight := int(int16(binary.BigEndian.Uint16(b[2:])))
	sign := binary.BigEndian.Uint16(b[4:])
	dscale := binary.BigEndian.Uint16(b[6:])
	if ndigits > 4 || len(b) != 8+2*ndigits || sign != numericPos && sign != numericNeg || dscale&0x3FFF != dscale {
		return decimal128.Num{}, false
	}
	var v uint64
	for k := 0; k < ndigits; k++ {
		g := binary.BigEndian.Uint16(b[8+2*k:])
		if g >= 10000 {
			return decimal128.Num{}, false
		}
		v = v*10000 + uint64(g)
	}
	return numericFast(t, v, (weight-ndigits+1)*4, sign == numericNeg)
}

// toNumeric rounds d half away from zero to t's scale and checks t's
// precision, as numeric's typmod coercion does.
func (d *decimalDigits) toNumeric(t Type) (decimal128.Num, error) {
	scale := int(t.Scale)
	digits := d.digits
	// Drop (with rounding) the digits finer than 10^-scale.
	roundUp := false
	if drop := -scale - d.exp; drop > 0 {
		if drop <= len(digits) {
			roundUp = digits[len(digits)-drop] >= '5'
			digits = digits[:len(digits)-drop]
		} else {
			digits = digits[:0]
		}
	}
	var hi, lo uint64
	for _, c := range digits {
		var ok bool
		hi, lo, ok = numeric.MulAdd128(hi, lo, 10, uint64(c-'0'))
		if !ok {
			return decimal128.Num{}, numericOverflow(t)
		}
	}
	// Shift up to the scale when the last digit is coarser than 10^-scale.
	for k := d.exp + scale; k > 0 && len(digits) > 0; k-- {
		var ok bool
		if hi, lo, ok = numeric.MulAdd128(hi, lo, 10, 0); !ok {
			return decimal128.Num{}, numericOverflow(t)
		}
	}
	if roundUp {
		var c uint64
		lo, c = bits.Add64(lo, 1, 0)
		hi += c
	}
	n := decimal128.New(int64(hi), lo)
	if hi>>63 != 0 || !n.FitsInPrecision(MaxNumericPrecision) {
		return decimal128.Num{}, numericOverflow(t)
	}
	if p := t.Precision(); p >= 0 && !n.FitsInPrecision(p) {
		return decimal128.Num{}, numericOverflow(t)
	}
	if d.neg {
		n = n.Negate()
	}
	return n, nil
}

func numericOverflow(t Type) *pgerr.Error {
	p := t.Precision()
	if p < 0 {
		return pgerr.New(pgerr.NumericValueOutOfRange, "value overflows numeric format")
	}
	return numeric.FieldOverflow(p, t.NumericScale())
}

// appendNumericBinary appends n as numeric_send does: ndigits, weight,
// sign, dscale, then base-10000 digits with leading and trailing zero
// digits stripped.
func appendNumericBinary(buf []byte, n decimal128.Num, scale int32) []byte {
	hi, lo, neg := magnitude(n)
	var txt [48]byte
	dec := appendUint128(txt[:0], hi, lo)
	sign := uint16(numericPos)
	if neg {
		sign = numericNeg
	}
	dscale := scale
	if dscale < 0 {
		dscale = 0
	}
	if hi == 0 && lo == 0 {
		return binary.BigEndian.AppendUint64(buf, uint64(dscale)) // ndigits 0, weight 0, sign +, dscale
	}
	// Exponent (power of ten) of the last decimal digit is -scale. Align the
	// digit string on base-10000 groups: pad right so that the last digit's
	// exponent is a multiple of 4, then pad left to a multiple of 4 digits.
	exp := -int(scale)
	var padded [64]byte
	p := padded[:0]
	rpad := ((exp % 4) + 4) % 4
	lastExp := exp - rpad
	total := len(dec) + rpad
	lpad := (4 - total%4) % 4
	for k := 0; k < lpad; k++ {
		p = append(p, '0')
	}
	p = append(p, dec...)
	for k := 0; k < rpad; k++ {
		p = append(p, '0')
	}
	ngroups := len(p) / 4
	var groups [16]uint16
	for g := 0; g < ngroups; g++ {
		q := p[g*4 : g*4+4]
		groups[g] = uint16(q[0]-'0')*1000 + uint16(q[1]-'0')*100 + uint16(q[2]-'0')*10 + uint16(q[3]-'0')
	}
	// Weight of the first group: the last group has weight lastExp/4.
	weight := lastExp/4 + ngroups - 1
	first, last := 0, ngroups
	for first < last && groups[first] == 0 {
		first++
		weight--
	}
	for last > first && groups[last-1] == 0 {
		last--
	}
	buf = binary.BigEndian.AppendUint16(buf, uint16(last-first))
	buf = binary.BigEndian.AppendUint16(buf, uint16(int16(weight)))
	buf = binary.BigEndian.AppendUint16(buf, sign)
	buf = binary.BigEndian.AppendUint16(buf, uint16(dscale))
	for _, g := range groups[first:last] {
		buf = binary.BigEndian.AppendUint16(buf, g)
	}
	return buf
}

// parseNumericBinary is numeric_recv followed by the typmod coercion to t.
func parseNumericBinary(t Type, b []byte) (decimal128.Num, error) {
	if n, ok := numericBinaryFast(t, b); ok {
		return n, nil
	}
	if len(b) < 8 {
		return decimal128.Num{}, insufficientData()
	}
	ndigits := int(binary.BigEndian.Uint16(b))
	weight := int(int16(binary.BigEndian.Uint16(b[2:])))
	sign := binary.BigEndian.Uint16(b[4:])
	dscale := binary.BigEndian.Uint16(b[6:])
	b = b[8:]
	switch sign {
	case numericPos, numericNeg:
	case numericNaN, numericPInf, numericNInf:
		return decimal128.Num{}, pgerr.Unsupported("numeric NaN and infinity cannot be stored: pqdb numerics are finite decimals")
	default:
		return decimal128.Num{}, pgerr.New(pgerr.InvalidBinaryRepresentation, "invalid sign in external \"numeric\" value")
	}
	if dscale&0x3FFF != dscale {
		return decimal128.Num{}, pgerr.New(pgerr.InvalidBinaryRepresentation, "invalid scale in external \"numeric\" value")
	}
	if len(b) != 2*ndigits {
		return decimal128.Num{}, insufficientData()
	}
	var d decimalDigits
	var scratch [80]byte
	d.digits = scratch[:0]
	d.neg = sign == numericNeg
	for k := 0; k < ndigits; k++ {
		g := binary.BigEndian.Uint16(b[2*k:])
		if g >= 10000 {
			return decimal128.Num{}, pgerr.New(pgerr.InvalidBinaryRepresentation, "invalid digit in external \"numeric\" value")
		}
		for _, c := range [4]byte{byte(g / 1000), byte(g / 100 % 10), byte(g / 10 % 10), byte(g % 10)} {
			if len(d.digits) > 0 || c != 0 {
				if len(d.digits) >= 70 {
					return decimal128.Num{}, numericOverflow(t)
				}
				d.digits = append(d.digits, '0'+c)
			}
		}
	}
	d.exp = (weight - ndigits + 1) * 4
	return d.toNumeric(t)
}

// ParseNumeric is ParseText for a numeric type t, returning the scaled
// value itself rather than a Datum, so that converting a column of values
// allocates nothing per value.
func ParseNumeric(t Type, s string) (decimal128.Num, error) { return parseNumericText(t, s) }

// NumericOverflow is the error of a value that does not fit numeric t:
// "numeric field overflow" with the typmod's limit, or "value overflows
// numeric format" when t is unconstrained.
func NumericOverflow(t Type) *pgerr.Error { return numericOverflow(t) }
