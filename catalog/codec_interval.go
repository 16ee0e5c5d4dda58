package catalog

import (
	"math"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/pqdb/pqdb/pgerr"
)

// Intervals are months, days and microseconds, held in Arrow's
// month-day-nanosecond form (always a whole number of microseconds).
// They print in IntervalStyle postgres and read in PostgreSQL's verbose
// form ("1 year 2 mons 3 days 04:05:06", "@ 1 hour ago", fractional
// units that spill into smaller ones) and ISO 8601's designator form
// ("P1Y2M3DT4H5M6S").

// appendIntervalText prints v as interval_out does with IntervalStyle
// postgres.
func appendIntervalText(buf []byte, v arrow.MonthDayNanoInterval) []byte {
	years := int64(v.Months / 12)
	months := int64(v.Months % 12)
	days := int64(v.Days)
	us := v.Nanoseconds / 1000
	isZero, isBefore := true, false
	part := func(value int64, unit string) {
		if value == 0 {
			return
		}
		if !isZero {
			buf = append(buf, ' ')
		}
		if isBefore && value > 0 {
			buf = append(buf, '+')
		}
		buf = strconv.AppendInt(buf, value, 10)
		buf = append(buf, ' ')
		buf = append(buf, unit...)
		if value != 1 {
			buf = append(buf, 's')
		}
		isBefore = value < 0
		isZero = false
	}
	part(years, "year")
	part(months, "mon")
	part(days, "day")
	if isZero || us != 0 {
		if !isZero {
			buf = append(buf, ' ')
		}
		if us < 0 {
			buf = append(buf, '-')
			if us == math.MinInt64 {
				us++ // unreachable for values PostgreSQL can hold
			}
			us = -us
		} else if isBefore {
			buf = append(buf, '+')
		}
		buf = appendClock(buf, us)
	}
	return buf
}

// intervalUnits maps the unit words interval_in accepts to the unit they
// name.
var intervalUnits = map[string]string{
	"microsecond": "us", "microseconds": "us", "microsecon": "us", "us": "us", "usec": "us", "usecs": "us", "useconds": "us", "usecond": "us",
	"millisecond": "ms", "milliseconds": "ms", "millisecon": "ms", "ms": "ms", "msec": "ms", "msecs": "ms", "mseconds": "ms", "msecond": "ms",
	"second": "s", "seconds": "s", "s": "s", "sec": "s", "secs": "s",
	"minute": "min", "minutes": "min", "m": "min", "min": "min", "mins": "min",
	"hour": "h", "hours": "h", "h": "h", "hr": "h", "hrs": "h",
	"day": "d", "days": "d", "d": "d",
	"week": "w", "weeks": "w", "w": "w",
	"month": "mon", "months": "mon", "mon": "mon", "mons": "mon",
	"year": "y", "years": "y", "y": "y", "yr": "y", "yrs": "y",
	"decade": "dec", "decades": "dec", "dec": "dec", "decs": "dec",
	"century": "c", "centuries": "c", "c": "c", "cent": "c",
	"millennium": "mil", "millennia": "mil", "millenniums": "mil", "mil": "mil", "mils": "mil",
}

// intervalAcc accumulates interval fields; fractions of a unit spill into
// the next smaller units as in PostgreSQL (a month is 30 days, a day 24
// hours). Microseconds add up exactly in an int64, as PostgreSQL's
// tm_usec does: past 2^53 a float64 would lose the last digits of a
// value the type still holds. Months and days are whole numbers, exact
// in a float64 far beyond their int32 range.
type intervalAcc struct {
	months, days float64
	us           int64
	overflow     bool // a field or the sum of the microseconds left int64
}

// add adds a number of unit: whole units and a fraction of one, which
// spills into smaller units.
func (a *intervalAcc) add(whole int64, frac float64, unit string) {
	switch unit {
	case "us":
		a.addMicros(whole, 1)
		a.addMicros(int64(math.Round(frac)), 1)
	case "ms":
		a.addUnits(whole, frac, 1000)
	case "s":
		a.addUnits(whole, frac, usPerSecond)
	case "min":
		a.addUnits(whole, frac, usPerMinute)
	case "h":
		a.addUnits(whole, frac, usPerHour)
	case "d":
		a.days += float64(whole)
		a.addDays(frac)
	case "w":
		a.days += float64(whole) * 7
		a.addDays(frac * 7)
	case "mon":
		a.addMonths(whole, frac, 1)
	case "y":
		a.addMonths(whole, frac, 12)
	case "dec":
		a.addMonths(whole, frac, 120)
	case "c":
		a.addMonths(whole, frac, 1200)
	case "mil":
		a.addMonths(whole, frac, 12000)
	}
}

// addUnits adds whole+frac units of scale microseconds, the fraction
// rounded to the microsecond.
func (a *intervalAcc) addUnits(whole int64, frac float64, scale int64) {
	a.addMicros(whole, scale)
	a.addMicros(int64(math.Round(frac*float64(scale))), 1)
}

// addMicros adds n units of scale microseconds, noting an overflow.
func (a *intervalAcc) addMicros(n, scale int64) {
	if n == 0 {
		return
	}
	if n > math.MaxInt64/scale || n < math.MinInt64/scale {
		a.overflow = true
		return
	}
	sum := a.us + n*scale
	if (n > 0) != (sum > a.us) {
		a.overflow = true
		return
	}
	a.us = sum
}

// addDays adds a number of days below one (in size) and a bit: its whole
// days, and the rest as microseconds.
func (a *intervalAcc) addDays(n float64) {
	whole := math.Trunc(n)
	a.days += whole
	a.addMicros(int64(math.Round((n-whole)*float64(usPerDay))), 1)
}

// addMonths adds whole+frac units of scale months; a fraction of a month
// counts 30 days.
func (a *intervalAcc) addMonths(whole int64, frac float64, scale int64) {
	a.months += float64(whole) * float64(scale)
	n := frac * float64(scale)
	w := math.Trunc(n)
	a.months += w
	a.addDays((n - w) * 30)
}

// intervalNumber reads a number of an interval field, [+-]digits[.digits],
// as PostgreSQL does: its whole part as an integer, exactly, and the
// fraction as a float. overflow is set when the whole part does not fit
// an int64.
func intervalNumber(s string) (whole int64, frac float64, ok, overflow bool) {
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	intPart, fracPart, _ := strings.Cut(s, ".")
	if intPart == "" && fracPart == "" || intPart != "" && !allDigits(intPart) || fracPart != "" && !allDigits(fracPart) {
		return 0, 0, false, false
	}
	for _, c := range []byte(intPart) {
		d := int64(c - '0')
		if whole > (math.MaxInt64-d)/10 {
			return 0, 0, true, true
		}
		whole = whole*10 + d
	}
	if fracPart != "" {
		frac, _ = strconv.ParseFloat("0."+fracPart, 64)
	}
	if neg {
		whole, frac = -whole, -frac
	}
	return whole, frac, true, false
}

// parseInterval is interval_in, with t's field range and precision.
func parseInterval(t Type, s string) (arrow.MonthDayNanoInterval, error) {
	syntax := func() (arrow.MonthDayNanoInterval, error) {
		return arrow.MonthDayNanoInterval{}, invalidSyntax(TypeInterval, s)
	}
	v := trimSpace(s)
	if v == "" {
		return syntax()
	}
	var acc intervalAcc
	var ok bool
	if v[0] == 'P' || v[0] == 'p' {
		if acc, ok = parseISOInterval(v[1:]); !ok {
			return syntax()
		}
	} else if acc, ok = parseVerboseInterval(v, t.IntervalRange()); !ok {
		return syntax()
	}
	if acc.overflow || acc.months > math.MaxInt32 || acc.months < math.MinInt32 || acc.days > math.MaxInt32 || acc.days < math.MinInt32 || acc.us > math.MaxInt64/1000 || acc.us < -math.MaxInt64/1000 {
		return arrow.MonthDayNanoInterval{}, pgerr.New(pgerr.DatetimeFieldOverflow, "interval out of range")
	}
	return AdjustInterval(t, arrow.MonthDayNanoInterval{Months: int32(acc.months), Days: int32(acc.days), Nanoseconds: acc.us * 1000}), nil
}

// intervalFields are the bits of the fields an interval input has set;
// giving one twice is an error, as in PostgreSQL.
var intervalFields = map[string]uint{
	"us": 1 << 0, "ms": 1 << 1, "s": 1 << 2, "min": 1 << 3, "h": 1 << 4, "d": 1 << 5, "w": 1 << 6,
	"mon": 1 << 7, "y": 1 << 8, "dec": 1 << 9, "c": 1 << 10, "mil": 1 << 11,
}

// parseVerboseInterval reads PostgreSQL's interval syntax; rng is the
// type's field range, which decides the unit of a bare number and whether
// a clock of two fields is minutes and seconds.
func parseVerboseInterval(v string, rng int32) (intervalAcc, bool) {
	var acc intervalAcc
	fields := strings.Fields(strings.ToLower(v))
	if len(fields) > 0 && fields[0] == "@" {
		fields = fields[1:]
	}
	ago := false
	if n := len(fields); n > 0 && fields[n-1] == "ago" {
		ago, fields = true, fields[:n-1]
	}
	if len(fields) == 0 {
		return acc, false
	}
	var seen uint
	set := func(bits uint) bool {
		if seen&bits != 0 {
			return false
		}
		seen |= bits
		return true
	}
	clockBits := intervalFields["h"] | intervalFields["min"] | intervalFields["s"]
	for k := 0; k < len(fields); k++ {
		f := fields[k]
		if strings.IndexByte(f, ':') >= 0 {
			h, m, us, ok := parseIntervalClock(f, rng == IntervalMinute|IntervalSecond)
			if !ok || !set(clockBits) {
				return acc, false
			}
			acc.addMicros(h, usPerHour)
			acc.addMicros(m, usPerMinute)
			acc.addMicros(us, 1)
			continue
		}
		if years, months, ok := parseYearMonth(f); ok {
			if !set(intervalFields["y"] | intervalFields["mon"]) {
				return acc, false
			}
			acc.months += float64(years*12 + months)
			continue
		}
		// A number, with its unit attached ("1day") or as the next field.
		end := 0
		for end < len(f) && (isDigit(f[end]) || f[end] == '.' || (f[end] == '-' || f[end] == '+') && end == 0) {
			end++
		}
		if end == 0 {
			return acc, false
		}
		whole, frac, ok, overflow := intervalNumber(f[:end])
		if !ok {
			return acc, false
		}
		acc.overflow = acc.overflow || overflow
		unitWord := f[end:]
		if unitWord == "" && k+1 < len(fields) {
			if _, isUnit := intervalUnits[fields[k+1]]; isUnit {
				k++
				unitWord = fields[k]
			}
		}
		if unitWord == "" {
			// A bare number is days before a time of day, else counts in
			// the range's last field (seconds without a range).
			unit := intervalBareUnit(rng)
			if k+1 < len(fields) && strings.IndexByte(fields[k+1], ':') >= 0 {
				unit = "d"
			}
			if !set(intervalFields[unit]) {
				return acc, false
			}
			acc.add(whole, frac, unit)
			continue
		}
		unit, known := intervalUnits[unitWord]
		if !known || !set(intervalFields[unit]) {
			return acc, false
		}
		acc.add(whole, frac, unit)
	}
	if ago {
		acc.months, acc.days, acc.us = -acc.months, -acc.days, -acc.us // |us| < MaxInt64: no overflow
	}
	return acc, true
}

// parseYearMonth reads the SQL standard year-month form [-]Y-M.
func parseYearMonth(f string) (years, months int64, ok bool) {
	neg := false
	if f != "" && (f[0] == '-' || f[0] == '+') {
		neg = f[0] == '-'
		f = f[1:]
	}
	y, m, found := strings.Cut(f, "-")
	if !found || !allDigits(y) || !allDigits(m) || len(y) > 9 || len(m) > 9 {
		return 0, 0, false
	}
	years, months = atoiDigits(y), atoiDigits(m)
	if months > 11 {
		return 0, 0, false
	}
	if neg {
		years, months = -years, -months
	}
	return years, months, true
}

// parseIntervalClock reads [-]H:M[:S[.F]] of an interval (hours
// unbounded) as hours, minutes and microseconds, all negative after a
// minus; with minSec, or with a fraction after the second field, two
// fields are M:S.
func parseIntervalClock(f string, minSec bool) (h, m, us int64, ok bool) {
	neg := false
	if f[0] == '-' || f[0] == '+' {
		neg = f[0] == '-'
		f = f[1:]
	}
	h, m, us, ok = parseClock(f)
	if mm, ss, two := strings.Cut(f, ":"); two && strings.IndexByte(ss, ':') < 0 && (minSec || strings.IndexByte(ss, '.') >= 0) {
		if !allDigits(mm) || len(mm) > 10 {
			return 0, 0, 0, false
		}
		h, m = 0, atoiDigits(mm)
		us, ok = parseSeconds(ss)
	} else if m > 59 {
		ok = false
	}
	if !ok || us >= 60*usPerSecond {
		return 0, 0, 0, false
	}
	if neg {
		h, m, us = -h, -m, -us
	}
	return h, m, us, true
}

// parseISOInterval reads the designators after P: nY nM nW nD, then after
// T: nH nM nS.
func parseISOInterval(v string) (intervalAcc, bool) {
	var acc intervalAcc
	inTime := false
	if v == "" {
		return acc, false
	}
	for len(v) > 0 {
		if v[0] == 'T' || v[0] == 't' {
			if inTime {
				return acc, false
			}
			inTime = true
			v = v[1:]
			continue
		}
		end := 0
		for end < len(v) && (isDigit(v[end]) || v[end] == '.' || v[end] == '-' || v[end] == '+') {
			end++
		}
		if end == 0 || end == len(v) {
			return acc, false
		}
		whole, frac, ok, overflow := intervalNumber(v[:end])
		if !ok {
			return acc, false
		}
		acc.overflow = acc.overflow || overflow
		var unit string
		switch d := v[end] | 0x20; {
		case !inTime && d == 'y':
			unit = "y"
		case !inTime && d == 'm':
			unit = "mon"
		case !inTime && d == 'w':
			unit = "w"
		case !inTime && d == 'd':
			unit = "d"
		case inTime && d == 'h':
			unit = "h"
		case inTime && d == 'm':
			unit = "min"
		case inTime && d == 's':
			unit = "s"
		default:
			return acc, false
		}
		acc.add(whole, frac, unit)
		v = v[end+1:]
	}
	return acc, true
}

// IntervalSpan is what PostgreSQL compares intervals by (interval_cmp_value):
// whole days, a month counting 30 days, and the time of day left over,
// microseconds in [0, 1 day). So '1 day', '24 hours' and '1 mon' = '30
// days' have equal spans and are equal, in comparisons, grouping and
// unique keys.
func IntervalSpan(v arrow.MonthDayNanoInterval) (days, us int64) {
	days = int64(v.Months)*30 + int64(v.Days)
	us = v.Nanoseconds / 1000
	days += us / usPerDay
	us %= usPerDay
	if us < 0 {
		us += usPerDay
		days--
	}
	return days, us
}
