package catalog

import (
	"math"
	"strconv"
	"time"

	"github.com/pqdb/pqdb/pgerr"
)

// Dates, times and timestamps print in DateStyle ISO and read in the forms
// PostgreSQL's datetime parser accepts most often: ISO 8601 dates and
// times (with a space or T between them), M/D/Y dates (DateStyle MDY),
// month names, a trailing BC/AD, numeric and named time zones, and the
// special values infinity, -infinity, epoch, now, today, tomorrow and
// yesterday.
//
// Infinite dates and timestamps are the extreme values of their
// representation (math.MaxInt32/MinInt32 days, math.MaxInt64/MinInt64
// microseconds), as in PostgreSQL.

const (
	usPerSecond = int64(1_000_000)
	usPerMinute = 60 * usPerSecond
	usPerHour   = 60 * usPerMinute
	usPerDay    = 24 * usPerHour

	// Days and microseconds from 1970-01-01 (pqdb's epoch) to 2000-01-01
	// (PostgreSQL's binary epoch).
	pgEpochDays   = 10957
	pgEpochMicros = pgEpochDays * usPerDay
)

// The infinities of date, timestamp and timestamptz, as PostgreSQL keeps
// them: the extremes of their representations.
const (
	DateInfinity         = math.MaxInt32
	DateNegInfinity      = math.MinInt32
	TimestampInfinity    = math.MaxInt64
	TimestampNegInfinity = math.MinInt64
)

// The ranges of dates and timestamps: PostgreSQL's, from 4714-11-24 BC
// (Julian day 0), up to 5874897-12-31 for dates; timestamps end with
// 294246-12-31, 30 years before PostgreSQL's 294276-12-31, because pqdb
// counts their microseconds in an int64 from 1970 rather than from 2000.
var (
	minDateDays      = daysFromCivil(-4713, 11, 24)
	maxDateDays      = daysFromCivil(5874897, 12, 31)
	maxTimestampDays = daysFromCivil(294247, 1, 1) // the first day after the range
)

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// civilFromDays converts days since 1970-01-01 to a proleptic Gregorian
// date with astronomical year numbering (year 0 is 1 BC).
func civilFromDays(z int64) (year int64, month, day int) {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	year = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	day = int(doy - (153*mp+2)/5 + 1)
	if mp < 10 {
		month = int(mp + 3)
	} else {
		month = int(mp - 9)
	}
	if month <= 2 {
		year++
	}
	return year, month, day
}

// daysFromCivil is the inverse of civilFromDays.
func daysFromCivil(year int64, month, day int) int64 {
	if month <= 2 {
		year--
	}
	era := floorDiv(year, 400)
	yoe := year - era*400
	mp := int64((month + 9) % 12)
	doy := (153*mp+2)/5 + int64(day) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func isLeap(y int64) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysInMonth(y int64, m int) int {
	switch m {
	case 2:
		if isLeap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func appendPadded(buf []byte, v int64, width int) []byte {
	var tmp [20]byte
	d := strconv.AppendInt(tmp[:0], v, 10)
	for k := len(d); k < width; k++ {
		buf = append(buf, '0')
	}
	return append(buf, d...)
}

func append2(buf []byte, v int) []byte {
	return append(buf, byte('0'+v/10), byte('0'+v%10))
}

// appendYMD appends YYYY-MM-DD and reports whether the year is BC.
func appendYMD(buf []byte, days int64) ([]byte, bool) {
	y, m, d := civilFromDays(days)
	bc := y <= 0
	if bc {
		y = 1 - y
	}
	buf = appendPadded(buf, y, 4)
	buf = append(buf, '-')
	buf = append2(buf, m)
	buf = append(buf, '-')
	buf = append2(buf, d)
	return buf, bc
}

func appendDateText(buf []byte, days int32) []byte {
	switch days {
	case DateInfinity:
		return append(buf, "infinity"...)
	case DateNegInfinity:
		return append(buf, "-infinity"...)
	}
	buf, bc := appendYMD(buf, int64(days))
	if bc {
		buf = append(buf, " BC"...)
	}
	return buf
}

// appendClock appends HH:MM:SS[.ffffff] with trailing fractional zeros
// removed; hours may exceed 23 (24:00:00, intervals).
func appendClock(buf []byte, us int64) []byte {
	h := us / usPerHour
	us -= h * usPerHour
	if h < 10 {
		buf = append(buf, '0')
	}
	buf = strconv.AppendInt(buf, h, 10)
	buf = append(buf, ':')
	buf = append2(buf, int(us/usPerMinute))
	us %= usPerMinute
	buf = append(buf, ':')
	buf = append2(buf, int(us/usPerSecond))
	return appendFraction(buf, us%usPerSecond)
}

func appendFraction(buf []byte, frac int64) []byte {
	if frac == 0 {
		return buf
	}
	buf = append(buf, '.')
	width := 6
	for frac%10 == 0 {
		frac /= 10
		width--
	}
	return appendPadded(buf, frac, width)
}

func appendTimeText(buf []byte, us int64) []byte { return appendClock(buf, us) }

func appendTimestampText(buf []byte, us int64) []byte {
	switch us {
	case TimestampInfinity:
		return append(buf, "infinity"...)
	case TimestampNegInfinity:
		return append(buf, "-infinity"...)
	}
	days := floorDiv(us, usPerDay)
	buf, bc := appendYMD(buf, days)
	buf = append(buf, ' ')
	buf = appendClock(buf, us-days*usPerDay)
	if bc {
		buf = append(buf, " BC"...)
	}
	return buf
}

func appendTimestamptzText(buf []byte, us int64, loc *time.Location) []byte {
	switch us {
	case TimestampInfinity:
		return append(buf, "infinity"...)
	case TimestampNegInfinity:
		return append(buf, "-infinity"...)
	}
	off := ZoneOffset(us, loc)
	local := us + off*usPerSecond
	days := floorDiv(local, usPerDay)
	buf, bc := appendYMD(buf, days)
	buf = append(buf, ' ')
	buf = appendClock(buf, local-days*usPerDay)
	buf = appendOffset(buf, off)
	if bc {
		buf = append(buf, " BC"...)
	}
	return buf
}

// appendOffset appends a UTC offset as +HH, +HH:MM or +HH:MM:SS.
func appendOffset(buf []byte, off int64) []byte {
	if off < 0 {
		buf = append(buf, '-')
		off = -off
	} else {
		buf = append(buf, '+')
	}
	buf = append2(buf, int(off/3600))
	m, s := int(off/60%60), int(off%60)
	if m != 0 || s != 0 {
		buf = append(buf, ':')
		buf = append2(buf, m)
	}
	if s != 0 {
		buf = append(buf, ':')
		buf = append2(buf, s)
	}
	return buf
}

// parseDate is date_in.
func parseDate(s string, loc *time.Location) (int32, error) {
	if days, ok := isoDate(s); ok {
		return int32(days), nil
	}
	f, err := parseDateTime(TypeDate, s, loc)
	if err != nil {
		return 0, err
	}
	switch f.special {
	case specialInfinity:
		return DateInfinity, nil
	case specialNegInfinity:
		return DateNegInfinity, nil
	}
	if !f.hasDate {
		return 0, invalidSyntax(TypeDate, s)
	}
	days := f.days
	if days < minDateDays || days > maxDateDays {
		return 0, pgerr.New(pgerr.DatetimeValueOutOfRange, "date out of range: %q", s)
	}
	return int32(days), nil
}

// parseTime is time_in: a time of day, ignoring any date and zone,
// rounded to t's precision.
func parseTime(t Type, s string) (int64, error) {
	us, err := parseClockOfDay(s)
	return AdjustTime(t, us), err
}

func parseClockOfDay(s string) (int64, error) {
	f, err := parseDateTime(TypeTime, s, time.UTC)
	if err != nil {
		return 0, err
	}
	if f.special != specialNone || !f.hasTime {
		if f.special == specialNone && f.hasDate {
			return 0, nil
		}
		return 0, invalidSyntax(TypeTime, s)
	}
	return f.clock, nil
}

// parseTimestamp is timestamp_in (a zone in the input is ignored) and
// timestamptz_in (a value without a zone is in loc), rounded to t's
// precision.
func parseTimestamp(t Type, s string, loc *time.Location) (int64, error) {
	us, err := parseInstant(t, s, loc)
	return AdjustTimestamp(t, us), err
}

func parseInstant(t Type, s string, loc *time.Location) (int64, error) {
	if len(s) >= 19 && (s[10] == ' ' || s[10] == 'T') {
		if days, ok := isoDate(s[:10]); ok {
			clockText, zoneText := s[11:], ""
			for k := 8; k < len(clockText); k++ {
				if c := clockText[k]; c == '+' || c == '-' {
					clockText, zoneText = clockText[:k], clockText[k:]
					break
				}
			}
			if clock, ok := isoClock(clockText); ok {
				local := days*usPerDay + clock
				if zoneText == "" {
					if t.Kind == Timestamp {
						return local, nil
					}
					return LocalToUTC(local, loc), nil
				}
				if off, ok := parseOffset(zoneText[1:]); ok {
					if t.Kind == Timestamp {
						return local, nil
					}
					if zoneText[0] == '-' {
						off = -off
					}
					return local - off*usPerSecond, nil
				}
			}
		}
	}
	f, err := parseDateTime(t, s, loc)
	if err != nil {
		return 0, err
	}
	switch f.special {
	case specialInfinity:
		return TimestampInfinity, nil
	case specialNegInfinity:
		return TimestampNegInfinity, nil
	}
	if !f.hasDate {
		return 0, invalidSyntax(t, s)
	}
	if f.days < minDateDays || f.days >= maxTimestampDays {
		return 0, pgerr.New(pgerr.DatetimeValueOutOfRange, "timestamp out of range: %q", s)
	}
	local := f.days*usPerDay + f.clock
	if t.Kind == Timestamp {
		return local, nil
	}
	switch {
	case f.hasOffset:
		return local - f.offset*usPerSecond, nil
	case f.hasZone:
		return f.zone.ToUTC(local), nil
	}
	return LocalToUTC(local, loc), nil
}

// isoDate reads the common YYYY-MM-DD form quickly; ok is false for
// anything else, which the general parser then reads (or rejects).
func isoDate(s string) (int64, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	var v [8]int64
	for i, k := range [8]int{0, 1, 2, 3, 5, 6, 8, 9} {
		c := s[k]
		if c < '0' || c > '9' {
			return 0, false
		}
		v[i] = int64(c - '0')
	}
	year := v[0]*1000 + v[1]*100 + v[2]*10 + v[3]
	month := int(v[4]*10 + v[5])
	day := int(v[6]*10 + v[7])
	if year == 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) {
		return 0, false
	}
	return daysFromCivil(year, month, day), true
}

// isoClock reads HH:MM:SS[.ffffff] (up to microseconds, no zone) quickly.
func isoClock(s string) (int64, bool) {
	if len(s) < 8 || s[2] != ':' || s[5] != ':' || len(s) > 8 && (s[8] != '.' || len(s) == 9 || len(s) > 15) {
		return 0, false
	}
	var n [6]int64
	for i, k := range [6]int{0, 1, 3, 4, 6, 7} {
		c := s[k]
		if c < '0' || c > '9' {
			return 0, false
		}
		n[i] = int64(c - '0')
	}
	h, m, sec := n[0]*10+n[1], n[2]*10+n[3], n[4]*10+n[5]
	if h > 23 || m > 59 || sec > 59 {
		return 0, false
	}
	us := int64(0)
	scale := int64(100000)
	for k := 9; k < len(s); k++ {
		c := s[k]
		if c < '0' || c > '9' {
			return 0, false
		}
		us += int64(c-'0') * scale
		scale /= 10
	}
	return h*usPerHour + m*usPerMinute + sec*usPerSecond + us, true
}
