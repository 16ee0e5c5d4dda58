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
// hours).
type intervalAcc struct {
	months, days, us float64
}

func (a *intervalAcc) add(n float64, unit string) {
	switch unit {
	case "us":
		a.us += n
	case "ms":
		a.us += n * 1000
	case "s":
		a.us += n * float64(usPerSecond)
	case "min":
		a.us += n * float64(usPerMinute)
	case "h":
		a.us += n * float64(usPerHour)
	case "d":
		a.addDays(n)
	case "w":
		a.addDays(n * 7)
	case "mon":
		a.addMonths(n)
	case "y":
		a.addMonths(n * 12)
	case "dec":
		a.addMonths(n * 120)
	case "c":
		a.addMonths(n * 1200)
	case "mil":
		a.addMonths(n * 12000)
	}
}

func (a *intervalAcc) addDays(n float64) {
	whole := math.Trunc(n)
	a.days += whole
	a.us += math.Round((n - whole) * float64(usPerDay))
}

func (a *intervalAcc) addMonths(n float64) {
	whole := math.Trunc(n)
	a.months += whole
	a.addDays((n - whole) * 30)
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
	us := math.Round(acc.us)
	if math.Abs(acc.months) > math.MaxInt32 || math.Abs(acc.days) > math.MaxInt32 || math.Abs(us) > math.MaxInt64/1000 {
		return arrow.MonthDayNanoInterval{}, pgerr.New(pgerr.DatetimeFieldOverflow, "interval out of range")
	}
	return AdjustInterval(t, arrow.MonthDayNanoInterval{Months: int32(acc.months), Days: int32(acc.days), Nanoseconds: int64(us) * 1000}), nil
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
			us, ok := parseIntervalClock(f, rng == IntervalMinute|IntervalSecond)
			if !ok || !set(clockBits) {
				return acc, false
			}
			acc.us += us
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
		n, err := strconv.ParseFloat(f[:end], 64)
		if err != nil || !floatSyntax(strings.TrimLeft(f[:end], "+-")) {
			return acc, false
		}
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
			acc.add(n, unit)
			continue
		}
		unit, known := intervalUnits[unitWord]
		if !known || !set(intervalFields[unit]) {
			return acc, false
		}
		acc.add(n, unit)
	}
	if ago {
		acc.months, acc.days, acc.us = -acc.months, -acc.days, -acc.us
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
// unbounded) as microseconds; with minSec, or with a fraction after the
// second field, two fields are M:S.
func parseIntervalClock(f string, minSec bool) (float64, bool) {
	neg := false
	if f[0] == '-' || f[0] == '+' {
		neg = f[0] == '-'
		f = f[1:]
	}
	h, m, us, ok := parseClock(f)
	if mm, ss, two := strings.Cut(f, ":"); two && strings.IndexByte(ss, ':') < 0 && (minSec || strings.IndexByte(ss, '.') >= 0) {
		if !allDigits(mm) || len(mm) > 10 {
			return 0, false
		}
		h, m = 0, atoiDigits(mm)
		us, ok = parseSeconds(ss)
		if !ok || us >= 60*usPerSecond {
			return 0, false
		}
		total := float64(m*usPerMinute + us)
		if neg {
			total = -total
		}
		return total, true
	}
	if !ok || m > 59 || us >= 60*usPerSecond {
		return 0, false
	}
	total := float64(h*usPerHour + m*usPerMinute + us)
	if neg {
		total = -total
	}
	return total, true
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
		n, err := strconv.ParseFloat(v[:end], 64)
		if err != nil {
			return acc, false
		}
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
		acc.add(n, unit)
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
