package catalog

import (
	"encoding/binary"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/pqdb/pqdb/numeric"
	"github.com/pqdb/pqdb/pgerr"
)

// Text forms of booleans, integers, floats, OIDs and character strings, as
// boolin/boolout, int2in/int4in/int8in, float4in/float8in and friends read
// and print them.

// isSpace is the set of characters PostgreSQL's input functions skip
// around a value (C isspace).
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

func trimSpace(s string) string {
	for len(s) > 0 && isSpace(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

// equalFold compares s with a lower-case ASCII word, ignoring ASCII case.
func equalFold(s, lower string) bool {
	if len(s) != len(lower) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// hasPrefixFold reports whether s (non-empty) is a prefix of the lower-case
// word, ignoring ASCII case.
func isPrefixFold(s, word string) bool {
	return len(s) > 0 && len(s) <= len(word) && equalFold(s, word[:len(s)])
}

// ParseBool is boolin: true/yes/on/1 and false/no/off/0, any unique prefix,
// any case.
func ParseBool(s string) (bool, error) {
	v := trimSpace(s)
	switch {
	case isPrefixFold(v, "true"), isPrefixFold(v, "yes"), equalFold(v, "on"), v == "1":
		return true, nil
	case isPrefixFold(v, "false"), isPrefixFold(v, "no"), len(v) >= 2 && isPrefixFold(v, "off"), v == "0":
		return false, nil
	}
	return false, invalidSyntax(TypeBool, s)
}

func appendBoolText(buf []byte, v bool) []byte {
	if v {
		return append(buf, 't')
	}
	return append(buf, 'f')
}

// parseInt is int2in/int4in/int8in: optional whitespace, sign, decimal
// digits, whitespace.
func parseInt(t Type, s string, bitSize int) (int64, error) {
	v := trimSpace(s)
	i := 0
	neg := false
	if i < len(v) && (v[i] == '+' || v[i] == '-') {
		neg = v[i] == '-'
		i++
	}
	if i == len(v) {
		return 0, invalidSyntax(t, s)
	}
	var mag uint64
	limit := uint64(1) << (bitSize - 1) // |min|
	for ; i < len(v); i++ {
		c := v[i]
		if c < '0' || c > '9' {
			return 0, invalidSyntax(t, s)
		}
		if mag > (limit+9)/10 {
			mag = limit + 1 // saturate; the rest must still be digits
			continue
		}
		mag = mag*10 + uint64(c-'0')
	}
	if neg {
		if mag > limit {
			return 0, outOfRange(t, s)
		}
		return -int64(mag-1) - 1, nil
	}
	if mag >= limit {
		return 0, outOfRange(t, s)
	}
	return int64(mag), nil
}

// parseOid is oidin: an unsigned 32-bit number, where negative numbers down
// to -2^31 wrap around as in PostgreSQL.
func parseOid(s string) (uint32, error) {
	v := trimSpace(s)
	neg := len(v) > 0 && v[0] == '-'
	if neg || (len(v) > 0 && v[0] == '+') {
		v = v[1:]
	}
	if v == "" {
		return 0, invalidSyntax(TypeOid, s)
	}
	var n uint64
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < '0' || c > '9' {
			return 0, invalidSyntax(TypeOid, s)
		}
		n = n*10 + uint64(c-'0')
		if n > math.MaxUint32 {
			return 0, outOfRange(TypeOid, s)
		}
	}
	if neg {
		if n > 1<<31 {
			return 0, outOfRange(TypeOid, s)
		}
		return uint32(-int64(n)), nil
	}
	return uint32(n), nil
}

// parseFloat is float4in/float8in: strtod syntax plus NaN and
// [+-]Infinity/inf in any case; values that overflow, or underflow to
// zero, are out of range.
func parseFloat(t Type, s string, bitSize int) (float64, error) {
	v := trimSpace(s)
	body := v
	neg := false
	if len(body) > 0 && (body[0] == '+' || body[0] == '-') {
		neg = body[0] == '-'
		body = body[1:]
	}
	switch {
	case equalFold(body, "nan"):
		return math.NaN(), nil
	case equalFold(body, "infinity"), equalFold(body, "inf"):
		if neg {
			return math.Inf(-1), nil
		}
		return math.Inf(1), nil
	}
	if len(body) > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X') && isHexFloat(body[2:]) {
		// strtod reads hexadecimal too; Go wants a binary exponent.
		v = v + "p0"
	} else if body == "" || !floatSyntax(body) {
		return 0, invalidSyntax(t, s)
	}
	f, err := strconv.ParseFloat(v, bitSize)
	rangeErr := pgerr.New(pgerr.NumericValueOutOfRange, "%q is out of range for type %s", s, inputName(t))
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return 0, rangeErr
		}
		return 0, invalidSyntax(t, s)
	}
	if f == 0 && hasNonZeroMantissa(body) {
		return 0, rangeErr
	}
	return f, nil
}

// floatSyntax accepts the decimal forms of strtod (digits, one point,
// optional exponent), rejecting the underscores and hex that Go accepts.
func floatSyntax(s string) bool {
	i, digits := 0, 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		digits++
	}
	if i < len(s) && s[i] == '.' {
		for i++; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		start := i
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		}
		if i == start {
			return false
		}
	}
	return i == len(s)
}

func isHexFloat(s string) bool {
	point := false
	for i := 0; i < len(s); i++ {
		if s[i] == '.' && !point {
			point = true
			continue
		}
		if _, ok := hexValue(s[i]); !ok {
			return false
		}
	}
	return s != "" && s != "."
}

func hasNonZeroMantissa(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == 'e' || c == 'E':
			return false
		case c >= '1' && c <= '9':
			return true
		}
	}
	return false
}

// appendFloatText prints f as float4out/float8out do with the default
// extra_float_digits = 1: the shortest digits that read back exactly, in
// positional notation for decimal exponents from -4 up to below the
// type's precision (6 for real, 15 for double precision), otherwise in
// exponent notation with at least two exponent digits.
func appendFloatText(buf []byte, f float64, bitSize int) []byte {
	switch {
	case math.IsNaN(f):
		return append(buf, "NaN"...)
	case math.IsInf(f, 1):
		return append(buf, "Infinity"...)
	case math.IsInf(f, -1):
		return append(buf, "-Infinity"...)
	case f == 0:
		if math.Signbit(f) {
			return append(buf, "-0"...)
		}
		return append(buf, '0')
	}
	limit := 15
	if bitSize == 32 {
		limit = 6
	}
	start := len(buf)
	buf = strconv.AppendFloat(buf, f, 'e', -1, bitSize)
	if math.Abs(f) >= tieFloor(bitSize) {
		// Exponent notation in any case (the exponent is at least limit).
		return appendStrictShortest(buf[:start], f, bitSize, buf[start:])
	}
	// Read the decimal exponent back from the 'e' form.
	e := len(buf) - 1
	for buf[e] != 'e' {
		e--
	}
	exp, _ := strconv.Atoi(string(buf[e+1:]))
	if exp < -4 || exp >= limit {
		return buf
	}
	return strconv.AppendFloat(buf[:start], f, 'f', -1, bitSize)
}

// tieFloor is the magnitude from which a decimal with at most 17 (9 for
// real) digits can fall exactly halfway between two floats; below it the
// shortest digits strconv finds are never such a tie.
func tieFloor(bitSize int) float64 {
	if bitSize == 32 {
		return 1 << 23
	}
	return 1 << 52
}

// appendStrictShortest appends f in exponent notation with the fewest
// digits that lie strictly inside f's rounding interval. PostgreSQL's
// float output (Ryu) does not accept a decimal exactly halfway to a
// neighbouring float, even where round-half-even would read it back as f,
// while strconv does; shortest is strconv's answer, kept when it is not
// such a tie.
func appendStrictShortest(buf []byte, f float64, bitSize int, shortest []byte) []byte {
	digits := 0
	for _, c := range shortest {
		if c == 'e' {
			break
		}
		if c >= '0' && c <= '9' {
			digits++
		}
	}
	var next, prev float64
	if bitSize == 32 {
		next, prev = float64(math.Nextafter32(float32(f), float32(math.Inf(1)))), float64(math.Nextafter32(float32(f), float32(math.Inf(-1))))
	} else {
		next, prev = math.Nextafter(f, math.Inf(1)), math.Nextafter(f, math.Inf(-1))
	}
	const prec = 256
	x := new(big.Float).SetPrec(prec).SetFloat64(f)
	midHi := new(big.Float).SetPrec(prec).Add(x, new(big.Float).SetPrec(prec).SetFloat64(next))
	midHi.Quo(midHi, big.NewFloat(2))
	midLo := new(big.Float).SetPrec(prec).Add(x, new(big.Float).SetPrec(prec).SetFloat64(prev))
	midLo.Quo(midLo, big.NewFloat(2))
	maxDigits := 17
	if bitSize == 32 {
		maxDigits = 9
	}
	start := len(buf)
	for n := digits; n <= maxDigits; n++ {
		buf = strconv.AppendFloat(buf[:start], f, 'e', n-1, bitSize)
		d, ok := new(big.Float).SetPrec(prec).SetString(string(buf[start:]))
		if !ok {
			break
		}
		if d.Cmp(midHi) < 0 && d.Cmp(midLo) > 0 {
			return numeric.TrimExponentZeros(buf, start)
		}
	}
	return append(buf[:start], shortest...)
}

// checkLength applies a varchar(n)/char(n) typmod to an input string:
// longer values are an error unless the excess is all spaces, which is cut
// off; char(n) values are padded with spaces to n characters.
func checkLength(t Type, s string) (string, error) {
	s, pad, err := fitLength(t, s)
	if err != nil || pad == 0 {
		return s, err
	}
	return padSpaces(s, pad), nil
}

// fitLength is checkLength without the padding: it returns the value cut
// to the type's length and the number of spaces a char(n) value needs.
func fitLength(t Type, s string) (string, int, error) {
	return fitLengthOf(t, s, false)
}

// fitLengthOf is fitLength for a value the caller may already know to be
// ASCII (plainText), whose characters are then its bytes.
func fitLengthOf(t Type, s string, ascii bool) (string, int, error) {
	n := int(t.Length())
	if n < 0 {
		if t.Kind == Name && len(s) >= 64 {
			return truncateName(s), 0, nil
		}
		if t.Kind == Char {
			return charIn(s), 0, nil
		}
		return s, 0, nil
	}
	if len(s) <= n && t.Kind != Bpchar {
		return s, 0, nil // fewer bytes than characters allowed
	}
	if !ascii {
		ascii = isASCII(s)
	}
	count := len(s)
	if !ascii {
		count = utf8.RuneCountInString(s)
	}
	if count > n {
		cut := n
		if !ascii {
			cut = byteOffsetOfRune(s, n)
		}
		for i := cut; i < len(s); i++ {
			if s[i] != ' ' {
				return "", 0, pgerr.New(pgerr.StringDataRightTruncation, "value too long for type %s", t.String())
			}
		}
		return s[:cut], 0, nil
	}
	if t.Kind == Bpchar && count < n {
		return s, n - count, nil
	}
	return s, 0, nil
}

func padSpaces(s string, n int) string {
	b := make([]byte, len(s)+n)
	copy(b, s)
	for i := len(s); i < len(b); i++ {
		b[i] = ' '
	}
	return string(b)
}

// truncateName cuts a name to NAMEDATALEN-1 bytes without splitting a
// character.
func truncateName(s string) string {
	cut := 63
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

// plainText reports whether s is ASCII without a zero byte: valid UTF-8
// that PostgreSQL accepts as text, one byte per character, so that the
// common value costs one pass instead of a search for NUL, a UTF-8 check
// and a character count.
func plainText(s string) bool { return asciiText(s, true) }

func isASCII(s string) bool { return asciiText(s, false) }

// asciiText reports whether no byte of s has its high bit set, nor is
// zero when noNUL, eight bytes at a time.
func asciiText(s string, noNUL bool) bool {
	const low, high = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(s); i += 8 {
		w := binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(s[i:]), 8))
		// (w-low) &^ w borrows into the high bit of the lowest zero byte.
		if w&high != 0 || noNUL && (w-low)&^w&high != 0 {
			return false
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || noNUL && c == 0 {
			return false
		}
	}
	return true
}

func byteOffsetOfRune(s string, n int) int {
	if isASCII(s) {
		return n
	}
	i := 0
	for k := 0; k < n && i < len(s); k++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}

// appendBpcharText appends a char(n) value padded with spaces to n
// characters; values stored by pqdb are already padded, but values
// computed by expressions may not be.
func appendBpcharText(buf []byte, s string, n int) []byte {
	buf = append(buf, s...)
	if n <= len(s) && (n <= 0 || isASCII(s)) {
		return buf
	}
	for k := utf8.RuneCountInString(s); k < n; k++ {
		buf = append(buf, ' ')
	}
	return buf
}

// checkUTF8 rejects byte sequences that are not valid in the server
// encoding, which pqdb fixes to UTF8.
func checkUTF8(s string) error {
	if plainText(s) || !containsNUL(s) && utf8.ValidString(s) {
		return nil
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == 0 || (r == utf8.RuneError && size <= 1) {
			end := i + 4
			if end > len(s) {
				end = len(s)
			}
			hex := make([]byte, 0, 20)
			for k := i; k < end && (k == i || !utf8.RuneStart(s[k])); k++ {
				if k > i {
					hex = append(hex, ' ')
				}
				hex = append(hex, "0x"...)
				hex = append(hex, hexDigits[s[k]>>4], hexDigits[s[k]&15])
			}
			return pgerr.New(pgerr.CharacterNotInRepertoire, "invalid byte sequence for encoding \"UTF8\": %s", hex)
		}
		i += size
	}
	return nil
}

func containsNUL(s string) bool { return strings.IndexByte(s, 0) >= 0 }

const hexDigits = "0123456789abcdef"

// charIn reads a "char" value as PostgreSQL 15's charin does: its first
// byte, or the byte a backslash and three octal digits stand for (as
// charout prints a byte above 127); the empty string stays empty (the
// zero byte, which prints as nothing).
func charIn(s string) string {
	if len(s) == 4 && s[0] == '\\' && isOctal(s[1]) && isOctal(s[2]) && isOctal(s[3]) {
		return s
	}
	if len(s) > 0 && s[0] >= 0x80 {
		return string([]byte{'\\', '0' + s[0]>>6, '0' + s[0]>>3&7, '0' + s[0]&7})
	}
	if len(s) > 1 {
		return s[:1]
	}
	return s
}
