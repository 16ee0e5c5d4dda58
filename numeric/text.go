package numeric

import (
	"encoding/binary"
	"math"

	"github.com/pqdb/pqdb/pgerr"
)

// isSpace is C's isspace in the "C" locale.
func isSpace(ch byte) bool {
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\v' || ch == '\f' || ch == '\r'
}

func isDigit(ch byte) bool { return ch >= '0' && ch <= '9' }

func hasPrefixFold[S string | []byte](s S, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		a, b := s[i], prefix[i]
		if 'A' <= a && a <= 'Z' {
			a += 'a' - 'A'
		}
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		if a != b {
			return false
		}
	}
	return true
}

func errSyntax(s string) error {
	return pgerr.New(pgerr.InvalidTextRepresentation, "invalid input syntax for type %s: \"%s\"", "numeric", s)
}

var specialWords = [...]struct {
	word string
	sign int
}{
	{"NaN", SignNaN},
	{"Infinity", SignPInf},
	{"+Infinity", SignPInf},
	{"-Infinity", SignNInf},
	{"inf", SignPInf},
	{"+inf", SignPInf},
	{"-inf", SignNInf},
}

// Parse appends the value of the text s (numeric_in): optional leading and
// trailing white space, an optional sign, digits with at most one decimal
// point (".5" and "5." are fine), an optional exponent ("1e5", "1.5E-3"),
// or one of NaN, Infinity, +Infinity, -Infinity, inf, +inf, -inf in any
// letter case. The display scale is the number of digits after the point
// less the exponent (never below 0). Errors are 22P02 for bad syntax and
// 22003 for values beyond the format's range.
func Parse(dst []byte, s string) ([]byte, error) { return parseInput(dst, s) }

// ParseBytes is Parse for text held in a byte slice (an Arrow string
// array, a COPY field), without converting it to a string.
func ParseBytes(dst []byte, s []byte) ([]byte, error) { return parseInput(dst, s) }

func parseInput[S string | []byte](dst []byte, s S) ([]byte, error) {
	sign, cp, err := parseSpecial(s)
	if err != nil {
		return dst, err
	}
	if sign >= 0 {
		return appendSpecial(dst, sign), nil
	}
	var small [80]byte
	p, err := scanNumber(s, cp, small[:])
	if err != nil {
		return dst, err
	}
	return p.appendTo(dst)
}

// parseSpecial skips leading white space and recognizes the words for NaN
// and the infinities. It returns the sign word of a special value, or -1
// and the offset where a number should start.
func parseSpecial[S string | []byte](s S) (sign, cp int, err error) {
	for cp < len(s) && isSpace(s[cp]) {
		cp++
	}
	for _, w := range specialWords {
		if hasPrefixFold(s[cp:], w.word) {
			for i := cp + len(w.word); i < len(s); i++ {
				if !isSpace(s[i]) {
					return -1, 0, errSyntax(string(s))
				}
			}
			return w.sign, cp, nil
		}
	}
	return -1, cp, nil
}

// ParseTypmod is numeric_in for a numeric(precision, scale) target: the
// text is parsed and the typmod applied before the format's limits are
// checked, as PostgreSQL does, so '1e-20000' fits numeric(5,2) as 0.00.
// A syntax error is reported before a typmod error.
func (c *Calc) ParseTypmod(dst []byte, s string, precision, scale int32) ([]byte, error) {
	if err := CheckTypmod(precision, scale); err != nil {
		return dst, err
	}
	sign, cp, err := parseSpecial(s)
	if err != nil {
		return dst, err
	}
	if sign >= 0 {
		if sign == SignNaN {
			return appendSpecial(dst, sign), nil
		}
		return dst, errInfTypmod(precision, scale)
	}
	var small [80]byte
	p, err := scanNumber(s, cp, small[:])
	if err != nil {
		return dst, err
	}
	v := &c.v[0]
	p.toVar(v)
	if err := applyTypmod(v, int(precision), int(scale)); err != nil {
		return dst, err
	}
	return appendVar(dst, v)
}

// parsed is a number scanned by scanNumber (set_var_from_str): its
// decimal digits in dec with four zeros of padding on each side, and the
// base-NBASE layout they convert to.
type parsed struct {
	sign, weight, dscale int
	ndigits              int // base-NBASE digits, before stripping
	dec                  []byte
	base                 int // index in dec of the first digit of group 0
}

func (p *parsed) group(k int) int {
	q := p.dec[p.base+k*decDigits : p.base+k*decDigits+4]
	return ((int(q[0])*10+int(q[1]))*10+int(q[2]))*10 + int(q[3])
}

// appendTo encodes p (make_result), checking the format's limits.
func (p *parsed) appendTo(dst []byte) ([]byte, error) {
	first := 0
	for first < p.ndigits && p.group(first) == 0 {
		first++
	}
	if first == p.ndigits {
		if p.dscale > MaxDscale {
			return dst, errOverflow()
		}
		return appendHeader(dst, 0, 0, SignPos, p.dscale), nil
	}
	last := p.ndigits - 1
	for p.group(last) == 0 {
		last--
	}
	weight := p.weight - first
	if weight > 32767 || weight < -32768 || p.dscale > MaxDscale {
		return dst, errOverflow()
	}
	dst = appendHeader(dst, last-first+1, weight, p.sign, p.dscale)
	for k := first; k <= last; k++ {
		dst = binary.BigEndian.AppendUint16(dst, uint16(p.group(k)))
	}
	return dst, nil
}

// toVar loads p into v without checking the format's limits.
func (p *parsed) toVar(v *nvar) {
	buf := v.newDigits(p.ndigits)
	for k := 0; k < p.ndigits; k++ {
		buf[1+k] = int16(p.group(k))
	}
	v.install(buf, p.ndigits)
	v.sign = p.sign
	v.weight = p.weight
	v.dscale = p.dscale
	v.strip()
}

// scanNumber is set_var_from_str: it reads a number starting at s[cp]
// and requires only white space after it. small is used for the digits
// when it is large enough.
func scanNumber[S string | []byte](s S, cp int, small []byte) (parsed, error) {
	sign := SignPos
	if cp < len(s) {
		switch s[cp] {
		case '+':
			cp++
		case '-':
			sign = SignNeg
			cp++
		}
	}
	haveDP := false
	if cp < len(s) && s[cp] == '.' {
		haveDP = true
		cp++
	}
	if cp >= len(s) || !isDigit(s[cp]) {
		return parsed{}, errSyntax(string(s))
	}
	start := cp
	dweight := -1
	dscale := 0
	ddigits := 0
	for cp < len(s) {
		ch := s[cp]
		if isDigit(ch) {
			ddigits++
			if !haveDP {
				dweight++
			} else {
				dscale++
			}
			cp++
		} else if ch == '.' {
			if haveDP {
				return parsed{}, errSyntax(string(s))
			}
			haveDP = true
			cp++
		} else {
			break
		}
	}
	if cp < len(s) && (s[cp] == 'e' || s[cp] == 'E') {
		cp++
		exp, end, ok := strtol(s, cp)
		if !ok {
			return parsed{}, errSyntax(string(s))
		}
		cp = end
		const lim = math.MaxInt32 / 2
		if exp >= lim || exp <= -lim {
			return parsed{}, errOverflow()
		}
		dweight += int(exp)
		dscale -= int(exp)
		if dscale < 0 {
			dscale = 0
		}
	}
	for ; cp < len(s); cp++ {
		if !isSpace(s[cp]) {
			return parsed{}, errSyntax(string(s))
		}
	}

	// Convert the decimal digits to base NBASE.
	var weight int
	if dweight >= 0 {
		weight = (dweight+1+decDigits-1)/decDigits - 1
	} else {
		weight = -((-dweight-1)/decDigits + 1)
	}
	offset := (weight+1)*decDigits - (dweight + 1)
	ndigits := (ddigits + offset + decDigits - 1) / decDigits

	var dec []byte
	if need := ddigits + 2*decDigits; need <= len(small) {
		dec = small[:need]
		clear(dec)
	} else {
		dec = make([]byte, need)
	}
	j := decDigits
	for p := start; j < decDigits+ddigits; p++ {
		if ch := s[p]; ch != '.' {
			dec[j] = ch - '0'
			j++
		}
	}
	return parsed{sign: sign, weight: weight, dscale: dscale, ndigits: ndigits, dec: dec, base: decDigits - offset}, nil
}

// strtol parses a base-10 long as C's strtol does from s[i:]: leading
// white space, an optional sign, digits. Overflow clamps like LONG_MAX.
func strtol[S string | []byte](s S, i int) (val int64, end int, ok bool) {
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	if i >= len(s) || !isDigit(s[i]) {
		return 0, 0, false
	}
	var u uint64
	over := false
	for i < len(s) && isDigit(s[i]) {
		d := uint64(s[i] - '0')
		if u > (math.MaxInt64-d)/10 {
			over = true
		} else {
			u = u*10 + d
		}
		i++
	}
	if over {
		if neg {
			return math.MinInt64, i, true
		}
		return math.MaxInt64, i, true
	}
	if neg {
		return -int64(u), i, true
	}
	return int64(u), i, true
}

// AppendText appends the text form of a (numeric_out): plain notation with
// exactly the display scale's digits after the decimal point, or NaN,
// Infinity, -Infinity.
func AppendText(dst, a []byte) []byte {
	switch signOf(a) {
	case SignNaN:
		return append(dst, "NaN"...)
	case SignPInf:
		return append(dst, "Infinity"...)
	case SignNInf:
		return append(dst, "-Infinity"...)
	}
	n := ndigitsOf(a)
	weight := weightOf(a)
	dscale := dscaleOf(a)
	digit := func(i int) int {
		if i < 0 || i >= n {
			return 0
		}
		return digitOf(a, i)
	}
	return appendDigitsText(dst, signOf(a) == SignNeg, weight, dscale, n, digit)
}

// String returns the text form of a (for debugging and tests).
func String(a []byte) string { return string(AppendText(nil, a)) }

func appendVarText(dst []byte, v *nvar) []byte {
	d := v.d()
	digit := func(i int) int {
		if i < 0 || i >= len(d) {
			return 0
		}
		return int(d[i])
	}
	return appendDigitsText(dst, v.sign == SignNeg, v.weight, v.dscale, len(d), digit)
}

func appendDigitsText(dst []byte, neg bool, weight, dscale, n int, digit func(int) int) []byte {
	if neg {
		dst = append(dst, '-')
	}
	var d int
	if weight < 0 {
		d = weight + 1
		dst = append(dst, '0')
	} else {
		for d = 0; d <= weight; d++ {
			dig := digit(d)
			if d == 0 {
				switch {
				case dig >= 1000:
					dst = append(dst, byte('0'+dig/1000), byte('0'+dig/100%10), byte('0'+dig/10%10), byte('0'+dig%10))
				case dig >= 100:
					dst = append(dst, byte('0'+dig/100), byte('0'+dig/10%10), byte('0'+dig%10))
				case dig >= 10:
					dst = append(dst, byte('0'+dig/10), byte('0'+dig%10))
				default:
					dst = append(dst, byte('0'+dig))
				}
			} else {
				dst = append(dst, byte('0'+dig/1000), byte('0'+dig/100%10), byte('0'+dig/10%10), byte('0'+dig%10))
			}
		}
	}
	if dscale > 0 {
		dst = append(dst, '.')
		end := len(dst) + dscale
		for i := 0; i < dscale; i += decDigits {
			dig := digit(d)
			d++
			dst = append(dst, byte('0'+dig/1000), byte('0'+dig/100%10), byte('0'+dig/10%10), byte('0'+dig%10))
		}
		dst = dst[:end]
	}
	return dst
}
