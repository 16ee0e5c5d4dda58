package exec

import (
	"encoding/hex"
	"math"
	"math/big"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/pqdb/pqdb/catalog"
)

// Text output of every type, as PostgreSQL 15's output functions print it
// with default settings (DateStyle ISO, IntervalStyle postgres,
// extra_float_digits 1, TimeZone UTC, bytea_output hex). The append
// functions write into a caller's buffer so the cast kernel allocates
// nothing per row.

func appendInt(dst []byte, v int64) []byte { return strconv.AppendInt(dst, v, 10) }

func appendBool(dst []byte, v bool) []byte {
	if v {
		return append(dst, "true"...)
	}
	return append(dst, "false"...)
}

// appendFloat prints the shortest decimal that reads back as v, switching
// to exponent form below 1e-4 or at 10^digits (15 for float8, 6 for
// float4) like PostgreSQL's float8out/float4out.
func appendFloat(dst []byte, v float64, bitSize int) []byte {
	switch {
	case math.IsNaN(v):
		return append(dst, "NaN"...)
	case math.IsInf(v, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(v, -1):
		return append(dst, "-Infinity"...)
	case v == 0:
		if math.Signbit(v) {
			return append(dst, "-0"...)
		}
		return append(dst, '0')
	}
	var buf [32]byte
	e := strconv.AppendFloat(buf[:0], v, 'e', -1, bitSize)
	if math.Abs(v) >= float64(uint64(1)<<mantissaBits(bitSize)) {
		e = avoidHalfwayDigits(buf[:0], v, bitSize, e)
	}
	// e looks like -d.ddde±xx
	neg := e[0] == '-'
	if neg {
		e = e[1:]
	}
	mant := e
	exp := 0
	for i, c := range e {
		if c == 'e' {
			mant = e[:i]
			exp, _ = strconv.Atoi(string(e[i+1:]))
			break
		}
	}
	digits := make([]byte, 0, 20)
	for _, c := range mant {
		if c != '.' {
			digits = append(digits, c)
		}
	}
	limit := 15
	if bitSize == 32 {
		limit = 6
	}
	if neg {
		dst = append(dst, '-')
	}
	if exp < -4 || exp >= limit {
		dst = append(dst, digits[0])
		if len(digits) > 1 {
			dst = append(dst, '.')
			dst = append(dst, digits[1:]...)
		}
		dst = append(dst, 'e')
		if exp < 0 {
			dst = append(dst, '-')
			exp = -exp
		} else {
			dst = append(dst, '+')
		}
		if exp < 10 {
			dst = append(dst, '0')
		}
		return strconv.AppendInt(dst, int64(exp), 10)
	}
	if exp < 0 {
		dst = append(dst, '0', '.')
		for i := 0; i < -exp-1; i++ {
			dst = append(dst, '0')
		}
		return append(dst, digits...)
	}
	if len(digits) <= exp+1 {
		dst = append(dst, digits...)
		for i := len(digits); i < exp+1; i++ {
			dst = append(dst, '0')
		}
		return dst
	}
	dst = append(dst, digits[:exp+1]...)
	dst = append(dst, '.')
	return append(dst, digits[exp+1:]...)
}

func mantissaBits(bitSize int) int {
	if bitSize == 32 {
		return 23
	}
	return 52
}

// avoidHalfwayDigits returns the shortest exponent-form digits that lie
// strictly between v's neighbours' midpoints. strconv may return digits
// exactly on a midpoint (they read back as v under round-half-even);
// PostgreSQL's Ryu output does not, and prints more digits instead. Such
// ties exist only from 2^52 (2^23 for float4) up, where the midpoints are
// integers with few digits.
func avoidHalfwayDigits(dst []byte, v float64, bitSize int, shortest []byte) []byte {
	var lo, hi float64
	if bitSize == 32 {
		f := float32(v)
		lo = float64(math.Nextafter32(f, float32(math.Inf(-1))))
		hi = float64(math.Nextafter32(f, float32(math.Inf(1))))
	} else {
		lo, hi = math.Nextafter(v, math.Inf(-1)), math.Nextafter(v, math.Inf(1))
	}
	const prec = 200
	x := new(big.Float).SetPrec(prec).SetFloat64(v)
	midLo := new(big.Float).SetPrec(prec).Add(x, new(big.Float).SetPrec(prec).SetFloat64(lo))
	midLo.Quo(midLo, big.NewFloat(2))
	midHi := new(big.Float).SetPrec(prec).Add(x, new(big.Float).SetPrec(prec).SetFloat64(hi))
	midHi.Quo(midHi, big.NewFloat(2))
	inside := func(d []byte) bool {
		f, ok := new(big.Float).SetPrec(prec).SetString(string(d))
		return ok && f.Cmp(midLo) > 0 && f.Cmp(midHi) < 0
	}
	if inside(shortest) {
		return shortest
	}
	digits := 0
	for _, c := range shortest {
		if c == 'e' {
			break
		}
		if c >= '0' && c <= '9' {
			digits++
		}
	}
	for n := digits + 1; n <= 17; n++ {
		d := strconv.AppendFloat(dst[:0], v, 'e', n-1, bitSize)
		if inside(d) {
			return trimMantissaZeros(d)
		}
	}
	return shortest
}

// trimMantissaZeros turns "1.50e+17" into "1.5e+17".
func trimMantissaZeros(d []byte) []byte {
	e := 0
	for e < len(d) && d[e] != 'e' {
		e++
	}
	m := e
	for m > 0 && d[m-1] == '0' {
		m--
	}
	if m > 0 && d[m-1] == '.' {
		m--
	}
	return append(d[:m], d[e:]...)
}

// appendNumeric prints a scaled integer with exactly scale fractional
// digits, as numeric_out does.
func appendNumeric(dst []byte, v decimal128.Num, scale int32) []byte {
	if v.Sign() < 0 {
		dst = append(dst, '-')
		v = v.Negate()
	}
	var digits []byte
	var buf [40]byte
	if decFits64(v) {
		digits = strconv.AppendUint(buf[:0], v.LowBits(), 10)
	} else {
		digits = v.BigInt().Append(buf[:0], 10)
	}
	if scale <= 0 {
		dst = append(dst, digits...)
		for i := int32(0); i < -scale; i++ {
			dst = append(dst, '0')
		}
		return dst
	}
	s := int(scale)
	if len(digits) <= s {
		dst = append(dst, '0', '.')
		for i := len(digits); i < s; i++ {
			dst = append(dst, '0')
		}
		return append(dst, digits...)
	}
	dst = append(dst, digits[:len(digits)-s]...)
	dst = append(dst, '.')
	return append(dst, digits[len(digits)-s:]...)
}

func appendPadded(dst []byte, v int64, width int) []byte {
	var buf [20]byte
	s := strconv.AppendInt(buf[:0], v, 10)
	for i := len(s); i < width; i++ {
		dst = append(dst, '0')
	}
	return append(dst, s...)
}

// appendDateParts prints YYYY-MM-DD, with " BC" years as PostgreSQL does
// (year 0 is 1 BC).
func appendYMD(dst []byte, y, m, d int64) ([]byte, bool) {
	bc := y <= 0
	if bc {
		y = 1 - y
	}
	dst = appendPadded(dst, y, 4)
	dst = append(dst, '-')
	dst = appendPadded(dst, m, 2)
	dst = append(dst, '-')
	dst = appendPadded(dst, d, 2)
	return dst, bc
}

func appendDate(dst []byte, days int32) []byte {
	y, m, d := civilFromDays(int64(days))
	dst, bc := appendYMD(dst, y, m, d)
	if bc {
		dst = append(dst, " BC"...)
	}
	return dst
}

// appendClock prints hh:mm:ss[.ffffff] with trailing zeros of the
// fraction removed.
func appendClock(dst []byte, us int64) []byte {
	h := us / microsPerHour
	us -= h * microsPerHour
	m := us / microsPerMinute
	us -= m * microsPerMinute
	s := us / microsPerSecond
	us -= s * microsPerSecond
	dst = appendPadded(dst, h, 2)
	dst = append(dst, ':')
	dst = appendPadded(dst, m, 2)
	dst = append(dst, ':')
	dst = appendPadded(dst, s, 2)
	return appendFraction(dst, us)
}

func appendFraction(dst []byte, us int64) []byte {
	if us == 0 {
		return dst
	}
	var buf [8]byte
	f := appendPadded(buf[:0], us, 6)
	n := len(f)
	for n > 0 && f[n-1] == '0' {
		n--
	}
	dst = append(dst, '.')
	return append(dst, f[:n]...)
}

func appendTimestamp(dst []byte, ts int64, withZone bool) []byte {
	day := floorDiv(ts, microsPerDay)
	tod := ts - day*microsPerDay
	y, m, d := civilFromDays(day)
	dst, bc := appendYMD(dst, y, m, d)
	dst = append(dst, ' ')
	dst = appendClock(dst, tod)
	if withZone {
		dst = append(dst, "+00"...)
	}
	if bc {
		dst = append(dst, " BC"...)
	}
	return dst
}

// appendInterval prints IntervalStyle postgres: "1 year 2 mons 3 days
// 04:05:06", with signs per field as interval_out does.
func appendInterval(dst []byte, v arrow.MonthDayNanoInterval) []byte {
	isZero, isBefore := true, false
	part := func(value int64, unit string) {
		if value == 0 {
			return
		}
		if !isZero {
			dst = append(dst, ' ')
		}
		if isBefore && value > 0 {
			dst = append(dst, '+')
		}
		dst = strconv.AppendInt(dst, value, 10)
		dst = append(dst, ' ')
		dst = append(dst, unit...)
		if value != 1 {
			dst = append(dst, 's')
		}
		isBefore = value < 0
		isZero = false
	}
	part(int64(v.Months/12), "year")
	part(int64(v.Months%12), "mon")
	part(int64(v.Days), "day")
	us := v.Nanoseconds / 1000
	if us != 0 || isZero {
		if !isZero {
			dst = append(dst, ' ')
		}
		if us < 0 {
			dst = append(dst, '-')
			us = -us
		} else if isBefore {
			dst = append(dst, '+')
		}
		dst = appendClock(dst, us)
	}
	return dst
}

func appendUUID(dst []byte, u [16]byte) []byte {
	var buf [36]byte
	hex.Encode(buf[0:8], u[0:4])
	buf[8] = '-'
	hex.Encode(buf[9:13], u[4:6])
	buf[13] = '-'
	hex.Encode(buf[14:18], u[6:8])
	buf[18] = '-'
	hex.Encode(buf[19:23], u[8:10])
	buf[23] = '-'
	hex.Encode(buf[24:], u[10:])
	return append(dst, buf[:]...)
}

func appendBytea(dst []byte, b []byte) []byte {
	dst = append(dst, '\\', 'x')
	return hex.AppendEncode(dst, b)
}

// appendDatumText prints one Datum of type t (not NULL).
func appendDatumText(dst []byte, t catalog.Type, d catalog.Datum) []byte {
	switch v := d.(type) {
	case bool:
		return appendBool(dst, v)
	case int16:
		return appendInt(dst, int64(v))
	case int32:
		if t.Kind == catalog.Date {
			return appendDate(dst, v)
		}
		return appendInt(dst, int64(v))
	case int64:
		switch t.Kind {
		case catalog.Timestamp:
			return appendTimestamp(dst, v, false)
		case catalog.TimestampTZ:
			return appendTimestamp(dst, v, true)
		case catalog.Time:
			return appendClock(dst, v)
		}
		return appendInt(dst, v)
	case uint32:
		return strconv.AppendUint(dst, uint64(v), 10)
	case float32:
		return appendFloat(dst, float64(v), 32)
	case float64:
		return appendFloat(dst, v, 64)
	case decimal128.Num:
		return appendNumeric(dst, v, t.Scale)
	case arrow.MonthDayNanoInterval:
		return appendInterval(dst, v)
	case [16]byte:
		return appendUUID(dst, v)
	case []byte:
		return appendBytea(dst, v)
	case string:
		return append(dst, v...)
	}
	return dst
}

// FormatText renders a Datum of type t as a cast to text does; NULL
// renders as "". It equals the type's output function except for bool,
// which casts to true/false where boolout prints t/f.
func FormatText(t catalog.Type, d catalog.Datum) string {
	if d == nil {
		return ""
	}
	return string(appendDatumText(nil, t, d))
}
