package sqltests

import (
	"math"
	"strconv"
	"strings"
)

// Text values of these PostgreSQL types are "t" and "f"; under an I or R
// letter they print as 1 and 0, the values SQLite gives the same
// comparisons.
const boolOID = 16

// FormatValue prints one value of a SQLite-dialect result the way
// sqllogictest writes it, given the column's type letter, the value's text
// as the server sent it, whether it is NULL, and the column's type OID.
//
//   - NULL prints "NULL" whatever the letter.
//   - I prints an integer: integer text is kept as is (without a leading
//     '+' or leading zeros), a decimal or float truncates toward zero, text
//     that starts with no number prints 0, as SQLite's integer conversion
//     does.
//   - R prints "%.3f" of the value read as a float ("inf", "-inf", "nan"
//     for the non-finite ones, as C's printf).
//   - T prints the text, "(empty)" for the empty string, and replaces each
//     byte outside printable ASCII with '@' as SQLite's runner does.
func FormatValue(letter byte, text []byte, null bool, oid uint32) string {
	if null {
		return "NULL"
	}
	switch letter {
	case 'I':
		if oid == boolOID {
			return boolDigit(text)
		}
		return formatInteger(string(text))
	case 'R':
		if oid == boolOID {
			return boolDigit(text) + ".000"
		}
		return formatReal(string(text))
	}
	return formatText(text)
}

func boolDigit(text []byte) string {
	if len(text) > 0 && (text[0] == 't' || text[0] == 'T') {
		return "1"
	}
	return "0"
}

// FormatRaw prints one value of a sqllogictest-rs result: the server's
// text, "NULL" for NULL and "(empty)" for the empty string.
func FormatRaw(text []byte, null bool) string {
	if null {
		return "NULL"
	}
	if len(text) == 0 {
		return "(empty)"
	}
	return string(text)
}

func formatText(text []byte) string {
	if len(text) == 0 {
		return "(empty)"
	}
	clean := true
	for _, c := range text {
		if c < ' ' || c > '~' {
			clean = false
			break
		}
	}
	if clean {
		return string(text)
	}
	out := make([]byte, len(text))
	for i, c := range text {
		if c < ' ' || c > '~' {
			c = '@'
		}
		out[i] = c
	}
	return string(out)
}

// formatInteger truncates the number at the start of s toward zero. Plain
// decimal text (the output of integer and numeric columns) is truncated on
// its digits, so numbers of any size stay exact; text with an exponent goes
// through float64.
func formatInteger(s string) string {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return strconv.FormatInt(n, 10)
	}
	neg := false
	body := s
	if body != "" && (body[0] == '-' || body[0] == '+') {
		neg = body[0] == '-'
		body = body[1:]
	}
	intEnd := 0
	for intEnd < len(body) && isDigit(body[intEnd]) {
		intEnd++
	}
	fracEnd := intEnd
	if fracEnd < len(body) && body[fracEnd] == '.' {
		fracEnd++
		for fracEnd < len(body) && isDigit(body[fracEnd]) {
			fracEnd++
		}
	}
	hasExponent := fracEnd < len(body) && (body[fracEnd] == 'e' || body[fracEnd] == 'E')
	if hasExponent || intEnd == 0 {
		f, ok := leadingFloat(s)
		if !ok {
			return "0"
		}
		return truncateFloat(f)
	}
	digits := strings.TrimLeft(body[:intEnd], "0")
	if digits == "" {
		return "0"
	}
	if neg {
		return "-" + digits
	}
	return digits
}

func truncateFloat(f float64) string {
	if math.IsNaN(f) {
		return "0"
	}
	t := math.Trunc(f)
	if t >= -9.223372036854775808e18 && t < 9.223372036854775808e18 {
		return strconv.FormatInt(int64(t), 10)
	}
	// SQLite saturates out-of-range reals at the int64 bounds.
	if t < 0 {
		return strconv.FormatInt(math.MinInt64, 10)
	}
	return strconv.FormatInt(math.MaxInt64, 10)
}

func formatReal(s string) string {
	f, ok := leadingFloat(strings.TrimSpace(s))
	if !ok {
		f = 0
	}
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	return strconv.FormatFloat(f, 'f', 3, 64)
}

// leadingFloat reads the longest prefix of s that is a number, as C's
// strtod does; PostgreSQL's spellings of the non-finite values are
// accepted too.
func leadingFloat(s string) (float64, bool) {
	if f, err := strconv.ParseFloat(s, 64); err == nil || isRangeError(err) {
		return f, true
	}
	end := 0
	if end < len(s) && (s[end] == '-' || s[end] == '+') {
		end++
	}
	digits := 0
	for end < len(s) && isDigit(s[end]) {
		end++
		digits++
	}
	if end < len(s) && s[end] == '.' {
		end++
		for end < len(s) && isDigit(s[end]) {
			end++
			digits++
		}
	}
	if digits == 0 {
		return 0, false
	}
	if end < len(s) && (s[end] == 'e' || s[end] == 'E') {
		exp := end + 1
		if exp < len(s) && (s[exp] == '-' || s[exp] == '+') {
			exp++
		}
		if exp < len(s) && isDigit(s[exp]) {
			for exp < len(s) && isDigit(s[exp]) {
				exp++
			}
			end = exp
		}
	}
	f, err := strconv.ParseFloat(strings.TrimSuffix(s[:end], "."), 64)
	if err != nil && !isRangeError(err) {
		return 0, false
	}
	return f, true
}

func isRangeError(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
