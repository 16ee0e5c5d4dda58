package exec

// Proleptic Gregorian calendar arithmetic on day numbers (days since
// 1970-01-01), as PostgreSQL uses for date and timestamp. These avoid
// time.Time in kernels: they are pure integer math.

const (
	microsPerSecond = int64(1_000_000)
	microsPerMinute = 60 * microsPerSecond
	microsPerHour   = 60 * microsPerMinute
	microsPerDay    = 24 * microsPerHour
)

// daysFromCivil converts a calendar date to a day number.
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civilFromDays converts a day number to a calendar date.
func civilFromDays(z int64) (y, m, d int64) {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

func isLeap(y int64) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysInMonth(y, m int64) int64 {
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

// addMonths moves a day number by n months, clamping the day of month
// to the target month's length (Jan 31 + 1 month = Feb 28/29).
func addMonths(days int64, n int64) int64 {
	if n == 0 {
		return days
	}
	y, m, d := civilFromDays(days)
	total := y*12 + (m - 1) + n
	y, m = floorDiv(total, 12), floorMod(total, 12)+1
	d = min(d, daysInMonth(y, m))
	return daysFromCivil(y, m, d)
}

// Valid ranges: dates as PostgreSQL's (4713-11-24 BC .. 5874897-12-31);
// timestamps from 4713-11-24 BC to 294247-01-01, the end of int64
// microseconds since 1970 (PostgreSQL, counting from 2000, reaches 294276).
var (
	minDateDays = daysFromCivil(-4713, 11, 24)
	maxDateDays = daysFromCivil(5874897, 12, 31)
	minTsMicros = daysFromCivil(-4713, 11, 24) * microsPerDay
	maxTsMicros = daysFromCivil(294247, 1, 1) * microsPerDay
)

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
