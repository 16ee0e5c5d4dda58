package catalog

// The proleptic Gregorian calendar on day numbers (days since 1970-01-01,
// pqdb's date and timestamp epoch) that the date and time codecs are built
// on, exported so that date arithmetic and field extraction in the
// executor use the same calendar and the same valid ranges.

// CivilFromDays converts a day number to a date with astronomical year
// numbering (year 0 is 1 BC).
func CivilFromDays(days int64) (year int64, month, day int) { return civilFromDays(days) }

// DaysFromCivil is the inverse of CivilFromDays.
func DaysFromCivil(year int64, month, day int) int64 { return daysFromCivil(year, month, day) }

// DaysInMonth is the length of month (1-12) of year.
func DaysInMonth(year int64, month int) int { return daysInMonth(year, month) }

// DateRange is the first and the last valid date, as day numbers.
func DateRange() (first, last int64) { return minDateDays, maxDateDays }

// TimestampDayRange is the day of the first valid timestamp and the first
// day after the last one.
func TimestampDayRange() (first, end int64) { return minDateDays, maxTimestampDays }

// TimestampDay splits a finite timestamp (microseconds from 1970) into
// its day (days from 1970) and whether it is that day's midnight.
func TimestampDay(us int64) (day int64, midnight bool) {
	day = floorDiv(us, usPerDay)
	return day, us == day*usPerDay
}
