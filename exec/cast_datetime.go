package exec

import (
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// Casts among date, timestamp, timestamptz and time, as PostgreSQL's
// date2timestamp, date2timestamptz, timestamp2timestamptz,
// timestamptz2timestamp, timestamptz_date and timestamptz_time do: a
// timestamptz meets the types without a zone as a wall-clock time in the
// session's zone loc (a wall-clock time that a transition skips or
// repeats reads as LocalToUTC says). timestamp to date and to time keep
// the fields as they are. An infinite date or timestamp stays infinite,
// and has no time (NULL), as in PostgreSQL (datetime_infinite.go).

func errDateOutOfRangeForTimestamp() error {
	return pgerr.New(pgerr.DatetimeValueOutOfRange, "date out of range for timestamp")
}

func errTimestampValueOutOfRange() error {
	return pgerr.New(pgerr.DatetimeValueOutOfRange, "timestamp out of range")
}

func validTimestamp(us int64) bool { return us >= minTsMicros && us < maxTsMicros }

// dateToTimestamp casts date to timestamp or (to = TimestampTZ) to
// timestamptz at midnight in loc.
func dateToTimestamp(to catalog.Kind, loc *time.Location) unaryKernel {
	z := sessionZone(loc)
	toTZ := to == catalog.TimestampTZ && !isUTC(loc)
	t := catalog.Type{Kind: to, Typmod: -1}
	return mapFixed(catalog.TypeDate, t, func(d int32) (int64, error) {
		if inf := dateInfiniteSign(d); inf != 0 {
			return infiniteTimestamp(inf), nil
		}
		us := int64(d) * microsPerDay
		if !validTimestamp(us) {
			return 0, errDateOutOfRangeForTimestamp()
		}
		if toTZ {
			if us = z.ToUTC(us); !validTimestamp(us) {
				return 0, errDateOutOfRangeForTimestamp()
			}
		}
		return us, nil
	})
}

// timestampToTimestamp casts timestamp to timestamptz (from = Timestamp)
// or back, reading or printing the wall-clock time in loc; nil in UTC,
// where the values stay.
func timestampToTimestamp(from catalog.Kind, loc *time.Location) unaryKernel {
	z := sessionZone(loc)
	if isUTC(loc) {
		return nil
	}
	t := catalog.Type{Kind: from, Typmod: -1}
	if from == catalog.Timestamp {
		return mapFixed(t, catalog.TypeTimestampTZ, func(ts int64) (int64, error) {
			if tsInfiniteSign(ts) != 0 {
				return ts, nil
			}
			us := z.ToUTC(ts)
			if !validTimestamp(us) {
				return 0, errTimestampValueOutOfRange()
			}
			return us, nil
		})
	}
	return mapFixed(t, catalog.TypeTimestamp, func(us int64) (int64, error) {
		if tsInfiniteSign(us) != 0 {
			return us, nil
		}
		ts := z.ToLocal(us)
		if !validTimestamp(ts) {
			return 0, errTimestampValueOutOfRange()
		}
		return ts, nil
	})
}

// timestampToDateOrTime casts timestamp or timestamptz (in loc) to date
// or time: its day or its time of day.
func timestampToDateOrTime(from, to catalog.Kind, loc *time.Location) unaryKernel {
	z := sessionZone(loc)
	local := from == catalog.TimestampTZ && !isUTC(loc)
	t := catalog.Type{Kind: from, Typmod: -1}
	if to == catalog.Date {
		return mapFixed(t, catalog.TypeDate, func(ts int64) (int32, error) {
			if inf := tsInfiniteSign(ts); inf != 0 {
				return infiniteDate(inf), nil
			}
			if local {
				ts = z.ToLocal(ts)
			}
			return int32(floorDiv(ts, microsPerDay)), nil
		})
	}
	// the time of an infinite timestamp is NULL
	return func(mem memory.Allocator, xa arrow.Array, b *Batch) (arrow.Array, error) {
		x := fixedValues[int64](xa)
		out := newFixedBuilder[int64](mem, b.Len)
		out.nullMask = combineNulls(mem, b.Len, xa)
		for _, i := range rowsOf(b) {
			ts := x[i]
			switch {
			case out.isNull(int(i)):
			case tsInfiniteSign(ts) != 0:
				out.setNull(int(i))
			default:
				if local {
					ts = z.ToLocal(ts)
				}
				out.vals[i] = floorMod(ts, microsPerDay)
			}
		}
		return out.finish(catalog.TypeTime), nil
	}
}
