package exec

import "github.com/pqdb/pqdb/catalog"

// Proleptic Gregorian calendar arithmetic on day numbers (days since
// 1970-01-01), as PostgreSQL uses for date and timestamp. These avoid
// time.Time in kernels: they are pure integer math.

const (
	microsPerSecond = int64(1_000_000)
	microsPerMinute = 60 * microsPerSecond
	microsPerHour   = 60 * microsPerMinute
	microsPerDay    = 24 * microsPerHour
)

// daysFromCivil and civilFromDays convert between calendar dates and day
// numbers with catalog's calendar, in the int64 fields exec's kernels
// compute with.
func daysFromCivil(y, m, d int64) int64 { return catalog.DaysFromCivil(y, int(m), int(d)) }

func civilFromDays(z int64) (y, m, d int64) {
	y, month, day := catalog.CivilFromDays(z)
	return y, int64(month), int64(day)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

// addMonths moves a day number by n months, clamping the day of month
// to the target month's length (Jan 31 + 1 month = Feb 28/29).
func addMonths(days int64, n int64) int64 {
	if n == 0 {
		return days
	}
	y, m, d := civilFromDays(days)
	total := y*12 + (m - 1) + n
	y, m = floorDiv(total, 12), floorMod(total, 12)+1
	d = min(d, int64(catalog.DaysInMonth(y, int(m))))
	return daysFromCivil(y, m, d)
}

// Valid ranges, catalog's: dates from minDateDays to maxDateDays;
// timestamps from minTsMicros up to, not including, maxTsMicros.
var (
	minDateDays, maxDateDays = catalog.DateRange()
	minTsMicros, maxTsMicros = timestampMicrosRange()
)

func timestampMicrosRange() (first, end int64) {
	first, end = catalog.TimestampDayRange()
	return first * microsPerDay, end * microsPerDay
}

// timestampAddInterval adds an interval to a timestamp the way
// PostgreSQL's timestamp_pl_interval does: months, then days, then time.
func timestampAddInterval(ts int64, months, days int32, micros int64) (int64, bool) {
	if months != 0 {
		day := floorDiv(ts, microsPerDay)
		tod := ts - day*microsPerDay
		ts = addMonths(day, int64(months))*microsPerDay + tod
	}
	ts += int64(days)*microsPerDay + micros
	return ts, ts >= minTsMicros && ts < maxTsMicros
}

// timestamptzAddInterval is PostgreSQL's timestamptz_pl_interval: months
// and days move the wall-clock time in zone z (so a day across a DST
// change is 23 or 25 hours), the time is added to the instant.
func timestamptzAddInterval(z *catalog.ZoneCursor, us int64, months, days int32, micros int64) (int64, bool) {
	if months != 0 {
		local := z.ToLocal(us)
		day := floorDiv(local, microsPerDay)
		if us = z.ToUTC(addMonths(day, int64(months))*microsPerDay + local - day*microsPerDay); us < minTsMicros || us >= maxTsMicros {
			return 0, false
		}
	}
	if days != 0 {
		if us = z.ToUTC(z.ToLocal(us) + int64(days)*microsPerDay); us < minTsMicros || us >= maxTsMicros {
			return 0, false
		}
	}
	us += micros
	return us, us >= minTsMicros && us < maxTsMicros
}
