package catalog

import (
	"errors"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
)

// ISO 8601's duration form of an interval, as interval_out prints it with
// IntervalStyle iso_8601: "P1Y2M3DT4H5M6.789S", each part signed, zero
// parts left out, "PT0S" for zero. Segments store interval columns in
// this form (a standard text any engine reads), so reading it back must
// give the value exactly: ParseIntervalISO is the exact inverse of
// AppendIntervalISO, in integers, and accepts only what it prints
// (PostgreSQL's input parser, parseInterval, reads fractions through
// floating point and accepts every style).

// AppendIntervalISO appends v in ISO 8601's duration form. The value's
// time is in whole microseconds, as PostgreSQL keeps it.
func AppendIntervalISO(buf []byte, v arrow.MonthDayNanoInterval) []byte {
	us := v.Nanoseconds / 1000
	if v.Months == 0 && v.Days == 0 && us == 0 {
		return append(buf, "PT0S"...)
	}
	buf = append(buf, 'P')
	buf = appendISOPart(buf, int64(v.Months/12), 'Y')
	buf = appendISOPart(buf, int64(v.Months%12), 'M')
	buf = appendISOPart(buf, int64(v.Days), 'D')
	if us == 0 {
		return buf
	}
	buf = append(buf, 'T')
	buf = appendISOPart(buf, us/usPerHour, 'H')
	us %= usPerHour
	buf = appendISOPart(buf, us/usPerMinute, 'M')
	us %= usPerMinute
	if us == 0 {
		return buf
	}
	if us < 0 {
		buf = append(buf, '-')
		us = -us
	}
	buf = strconv.AppendInt(buf, us/usPerSecond, 10)
	if frac := us % usPerSecond; frac != 0 {
		digits := strconv.AppendInt(make([]byte, 0, 7), usPerSecond+frac, 10)[1:]
		for digits[len(digits)-1] == '0' {
			digits = digits[:len(digits)-1]
		}
		buf = append(append(buf, '.'), digits...)
	}
	return append(buf, 'S')
}

// appendISOPart appends n and its designator unless n is 0.
func appendISOPart(buf []byte, n int64, designator byte) []byte {
	if n == 0 {
		return buf
	}
	return append(strconv.AppendInt(buf, n, 10), designator)
}

var errIntervalISO = errors.New("not an interval in the form AppendIntervalISO prints")

// ParseIntervalISO reads an interval AppendIntervalISO printed.
func ParseIntervalISO(s []byte) (arrow.MonthDayNanoInterval, error) {
	var v arrow.MonthDayNanoInterval
	if len(s) < 3 || s[0] != 'P' {
		return v, errIntervalISO
	}
	s = s[1:]
	var months, days, us int64
	inTime := false
	// order ranks the designators, which must come in this order, each
	// once.
	order := func(d byte) int {
		switch d {
		case 'Y':
			return 1
		case 'M':
			if inTime {
				return 6
			}
			return 2
		case 'D':
			return 3
		case 'T':
			return 4
		case 'H':
			return 5
		case 'S':
			return 7
		}
		return 0
	}
	lastOrder := 0
	for len(s) > 0 {
		if s[0] == 'T' {
			if inTime || len(s) == 1 {
				return v, errIntervalISO
			}
			inTime, lastOrder = true, order('T')
			s = s[1:]
			continue
		}
		neg := s[0] == '-'
		if neg {
			s = s[1:]
		}
		end := 0
		for end < len(s) && s[end] >= '0' && s[end] <= '9' {
			end++
		}
		whole, err := strconv.ParseInt(string(s[:end]), 10, 64)
		if end == 0 || err != nil {
			return v, errIntervalISO
		}
		s = s[end:]
		var frac int64
		if len(s) > 0 && s[0] == '.' {
			end = 1
			for end < len(s) && s[end] >= '0' && s[end] <= '9' {
				end++
			}
			digits := s[1:end]
			if len(digits) == 0 || len(digits) > 6 {
				return v, errIntervalISO
			}
			for i := 0; i < 6; i++ {
				frac *= 10
				if i < len(digits) {
					frac += int64(digits[i] - '0')
				}
			}
			s = s[end:]
			if len(s) == 0 || s[0] != 'S' {
				return v, errIntervalISO
			}
		}
		if len(s) == 0 {
			return v, errIntervalISO
		}
		d := s[0]
		s = s[1:]
		o := order(d)
		if o == 0 || o <= lastOrder || (o > 4) != inTime {
			return v, errIntervalISO
		}
		lastOrder = o
		if neg {
			whole, frac = -whole, -frac
		}
		var ok bool
		switch o {
		case 1:
			months, ok = mulAdd(whole, 12, months)
		case 2:
			months, ok = mulAdd(whole, 1, months)
		case 3:
			days, ok = whole, true
		case 5:
			us, ok = mulAdd(whole, usPerHour, us)
		case 6:
			us, ok = mulAdd(whole, usPerMinute, us)
		case 7:
			if us, ok = mulAdd(whole, usPerSecond, us); ok {
				us, ok = mulAdd(frac, 1, us)
			}
		}
		if !ok {
			return v, errIntervalISO
		}
	}
	// Arrow keeps the time in nanoseconds, which bounds it.
	if months < -1<<31 || months >= 1<<31 || days < -1<<31 || days >= 1<<31 || us < -(1<<63)/1000 || us > (1<<63-1)/1000 {
		return v, errIntervalISO
	}
	return arrow.MonthDayNanoInterval{Months: int32(months), Days: int32(days), Nanoseconds: us * 1000}, nil
}

// mulAdd returns a*b + c, or false when it overflows an int64.
func mulAdd(a, b, c int64) (int64, bool) {
	p := a * b
	if b != 0 && (p/b != a || (a == -1 && b == -1<<63)) {
		return 0, false
	}
	s := p + c
	if (c > 0 && s < p) || (c < 0 && s > p) {
		return 0, false
	}
	return s, true
}
