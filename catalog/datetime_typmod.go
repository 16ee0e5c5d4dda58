package catalog

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/pgerr"
)

// Type modifiers of the date and time types, as PostgreSQL encodes them:
//
//   - time(p), timestamp(p) and timestamptz(p): the typmod is p, 0..6.
//     Values are rounded to p fractional digits (AdjustTimeForTypmod,
//     AdjustTimestampForTypmod), half away from zero.
//   - interval: the typmod packs a field range and a precision,
//     range<<16 | precision (INTERVAL_TYPMOD). The range is a mask of the
//     fields named after the literal (interval '7' day, interval hour to
//     minute): fields below the last one are cut off (AdjustIntervalForTypmod)
//     and a bare number in the input counts in the last field. The precision
//     rounds the seconds as for timestamps; 0xFFFF means none.
//
// Typmod -1 means no modifier. The values are what PostgreSQL reports in
// RowDescription and pg_attribute.atttypmod.
const (
	// MaxTimePrecision is the largest fractional-second precision.
	MaxTimePrecision = 6

	intervalFullRange     = 0x7FFF
	intervalFullPrecision = 0xFFFF
)

// Interval field bits of a range mask (INTERVAL_MASK of datetime.h).
const (
	IntervalYear   = 1 << 2
	IntervalMonth  = 1 << 1
	IntervalDay    = 1 << 3
	IntervalHour   = 1 << 10
	IntervalMinute = 1 << 11
	IntervalSecond = 1 << 12
)

// intervalRangeNames are the ranges PostgreSQL accepts, with the words
// format_type prints after "interval".
var intervalRangeNames = map[int32]string{
	IntervalYear:                 " year",
	IntervalMonth:                " month",
	IntervalDay:                  " day",
	IntervalHour:                 " hour",
	IntervalMinute:               " minute",
	IntervalSecond:               " second",
	IntervalYear | IntervalMonth: " year to month",
	IntervalDay | IntervalHour:   " day to hour",
	IntervalDay | IntervalHour | IntervalMinute:                  " day to minute",
	IntervalDay | IntervalHour | IntervalMinute | IntervalSecond: " day to second",
	IntervalHour | IntervalMinute:                                " hour to minute",
	IntervalHour | IntervalMinute | IntervalSecond:               " hour to second",
	IntervalMinute | IntervalSecond:                              " minute to second",
	intervalFullRange:                                            "",
}

// datetimeByModifiers is timetypmodin, timestamptypmodin and
// intervaltypmodin: the type of kind with the modifiers written in SQL. A
// precision above 6 is reduced to 6 with PostgreSQL's warning (warn).
func datetimeByModifiers(kind Kind, typmods []int32) (t Type, warn *pgerr.Error, err error) {
	if kind == Interval {
		return intervalByModifiers(typmods)
	}
	switch len(typmods) {
	case 0:
		return Type{Kind: kind, Typmod: -1}, nil, nil
	case 1:
	default:
		return Type{}, nil, pgerr.New(pgerr.InvalidParameterValue, "invalid type modifier")
	}
	name := "TIMESTAMP"
	if kind == Time {
		name = "TIME"
	}
	if kind == TimestampTZ {
		name += " WITH TIME ZONE"
	}
	p, warn, err := timePrecision(typmods[0], name)
	if err != nil {
		return Type{}, nil, err
	}
	return Type{Kind: kind, Typmod: p}, warn, nil
}

// timePrecision checks the fractional-second precision p of the type
// printed as name(p) suffix: negative is an error, above 6 becomes 6 with
// a warning (anytime_typmod_check, anytimestamp_typmod_check).
func timePrecision(p int32, name string) (int32, *pgerr.Error, error) {
	base, suffix, _ := strings.Cut(name, " ")
	if suffix != "" {
		suffix = " " + suffix
	}
	if p < 0 {
		return 0, nil, pgerr.New(pgerr.InvalidParameterValue, "%s(%d)%s precision must not be negative", base, p, suffix)
	}
	if p > MaxTimePrecision {
		return MaxTimePrecision, pgerr.NewWarning(pgerr.InvalidParameterValue, "%s(%d)%s precision reduced to maximum allowed, %d", base, p, suffix, MaxTimePrecision), nil
	}
	return p, nil, nil
}

func intervalByModifiers(typmods []int32) (Type, *pgerr.Error, error) {
	rng, prec := int32(intervalFullRange), int32(intervalFullPrecision)
	var warn *pgerr.Error
	switch len(typmods) {
	case 0:
		return TypeInterval, nil, nil
	case 1:
		rng = typmods[0]
	case 2:
		rng = typmods[0]
		var err error
		if prec, warn, err = timePrecision(typmods[1], "INTERVAL"); err != nil {
			return Type{}, nil, err
		}
	default:
		return Type{}, nil, pgerr.New(pgerr.InvalidParameterValue, "invalid INTERVAL type modifier")
	}
	if _, ok := intervalRangeNames[rng]; !ok {
		return Type{}, nil, pgerr.New(pgerr.InvalidParameterValue, "invalid INTERVAL type modifier")
	}
	if rng == intervalFullRange && prec == intervalFullPrecision {
		return TypeInterval, warn, nil
	}
	return Type{Kind: Interval, Typmod: rng<<16 | prec}, warn, nil
}

// TimePrecision is the fractional-second precision of time(p),
// timestamp(p), timestamptz(p) and interval(p) (or interval ... second(p)),
// or -1 when t rounds nothing.
func (t Type) TimePrecision() int {
	switch t.Kind {
	case Time, Timestamp, TimestampTZ:
		if t.Typmod >= 0 {
			return int(t.Typmod)
		}
	case Interval:
		if t.Typmod >= 0 && t.Typmod&0xFFFF != intervalFullPrecision {
			return int(t.Typmod & 0xFFFF)
		}
	}
	return -1
}

// IntervalRange is the field mask of an interval type (0x7FFF for all
// fields).
func (t Type) IntervalRange() int32 {
	if t.Kind == Interval && t.Typmod >= 0 {
		return t.Typmod >> 16 & intervalFullRange
	}
	return intervalFullRange
}

// formatDatetimeType is format_type for time, timestamp(tz) and interval
// with a modifier.
func formatDatetimeType(t Type) string {
	name := kindInfo[t.Kind].name
	if t.Kind == Interval {
		s := "interval" + intervalRangeNames[t.IntervalRange()]
		if p := t.TimePrecision(); p >= 0 {
			s += fmt.Sprintf("(%d)", p)
		}
		return s
	}
	base, zone, _ := strings.Cut(name, " ")
	return fmt.Sprintf("%s(%d) %s", base, t.Typmod, zone)
}

// AdjustTimestamp rounds a timestamp or timestamptz (microseconds since
// 1970) to t's precision as AdjustTimestampForTypmod does: half away from
// zero on PostgreSQL's own scale, microseconds since 2000-01-01, so a
// half between 1970 and 2000 rounds down. Infinities are left alone.
func AdjustTimestamp(t Type, us int64) int64 {
	p := t.TimePrecision()
	if p < 0 || p >= MaxTimePrecision || us == TimestampInfinity || us == TimestampNegInfinity {
		return us
	}
	return roundMicros(us-pgEpochMicros, p) + pgEpochMicros
}

// AdjustTime rounds a time of day (microseconds) to t's precision;
// 23:59:59.9 becomes 24:00:00 at precision 0, as in PostgreSQL.
func AdjustTime(t Type, us int64) int64 {
	p := t.TimePrecision()
	if p < 0 || p >= MaxTimePrecision {
		return us
	}
	return roundMicros(us, p)
}

// AdjustInterval applies an interval type's field range and precision
// (AdjustIntervalForTypmod): fields below the range's last are cut off
// (months to whole years, days or the time of day to zero, the time to
// whole hours or minutes), then the seconds are rounded.
func AdjustInterval(t Type, v arrow.MonthDayNanoInterval) arrow.MonthDayNanoInterval {
	if t.Kind != Interval || t.Typmod < 0 {
		return v
	}
	us := v.Nanoseconds / 1000
	switch t.IntervalRange() {
	case IntervalYear:
		v.Months = v.Months / 12 * 12
		v.Days, us = 0, 0
	case IntervalMonth, IntervalYear | IntervalMonth:
		v.Days, us = 0, 0
	case IntervalDay:
		us = 0
	case IntervalHour, IntervalDay | IntervalHour:
		us = us / usPerHour * usPerHour
	case IntervalMinute, IntervalHour | IntervalMinute, IntervalDay | IntervalHour | IntervalMinute:
		us = us / usPerMinute * usPerMinute
	}
	if p := t.TimePrecision(); p >= 0 && p < MaxTimePrecision {
		us = roundMicros(us, p)
	}
	v.Nanoseconds = us * 1000
	return v
}

// roundMicros rounds us to p fractional digits of a second, half away
// from zero.
func roundMicros(us int64, p int) int64 {
	scale := int64(1)
	for k := p; k < MaxTimePrecision; k++ {
		scale *= 10
	}
	if us >= 0 {
		return (us + scale/2) / scale * scale
	}
	return -((-us + scale/2) / scale * scale)
}

// intervalBareUnit is the unit a bare number in interval input counts in
// under a field range (DecodeInterval's use of the typmod): interval '7'
// day is seven days, interval '7' is seven seconds.
func intervalBareUnit(rng int32) string {
	switch rng {
	case IntervalYear:
		return "y"
	case IntervalMonth, IntervalYear | IntervalMonth:
		return "mon"
	case IntervalDay:
		return "d"
	case IntervalHour, IntervalDay | IntervalHour:
		return "h"
	case IntervalMinute, IntervalHour | IntervalMinute, IntervalDay | IntervalHour | IntervalMinute:
		return "min"
	}
	return "s"
}
