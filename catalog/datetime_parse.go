package catalog

import (
	"strings"
	"time"

	"github.com/pqdb/pqdb/pgerr"
)

// dateTimeFields is what parseDateTime read from a date, time or
// timestamp input string.
type dateTimeFields struct {
	special   int
	hasDate   bool
	hasTime   bool
	days      int64 // the date, in days since 1970-01-01
	clock     int64 // the time of day, in microseconds
	hasOffset bool  // an explicit UTC offset (seconds east) was given
	offset    int64
	hasZone   bool // a named zone (or a dynamic abbreviation) was given
	zone      Zone
}

const (
	specialNone = iota
	specialInfinity
	specialNegInfinity
)

var monthNames = map[string]int{
	"jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
	"apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
	"aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10,
	"nov": 11, "november": 11, "dec": 12, "december": 12,
}

var weekdayNames = map[string]bool{
	"sun": true, "sunday": true, "mon": true, "monday": true, "tue": true, "tues": true, "tuesday": true,
	"wed": true, "wednesday": true, "thu": true, "thur": true, "thurs": true, "thursday": true,
	"fri": true, "friday": true, "sat": true, "saturday": true,
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func atoiDigits(s string) int64 {
	var n int64
	for i := 0; i < len(s) && n < 1e15; i++ {
		n = n*10 + int64(s[i]-'0')
	}
	return n
}

// parseDateTime reads the fields of a date/time input string for type t;
// loc resolves now, today, tomorrow and yesterday.
func parseDateTime(t Type, s string, loc *time.Location) (dateTimeFields, error) {
	var f dateTimeFields
	syntax := func() (dateTimeFields, error) { return f, invalidSyntax(t, s) }
	lower := strings.ToLower(trimSpace(s))
	switch lower {
	case "infinity", "+infinity":
		f.special = specialInfinity
		return f, nil
	case "-infinity":
		f.special = specialNegInfinity
		return f, nil
	case "epoch":
		f.hasDate, f.hasTime, f.hasOffset = true, true, true
		return f, nil
	case "allballs":
		f.hasTime, f.hasOffset = true, true
		return f, nil
	case clockInputs[0], clockInputs[1], clockInputs[2], clockInputs[3]:
		now := time.Now()
		if loc == nil {
			loc = time.UTC
		}
		us := now.UnixMicro()
		off := ZoneOffset(us, loc)
		local := us + off*usPerSecond
		f.days = floorDiv(local, usPerDay)
		f.hasDate, f.hasTime, f.hasOffset, f.offset = true, true, true, off
		switch lower {
		case "now":
			f.clock = local - f.days*usPerDay
		case "tomorrow":
			f.days++
		case "yesterday":
			f.days--
		}
		return f, nil
	}

	var (
		year, month, day    int64 = -1, -1, -1
		yearDigits          int
		numbers             []string
		hour, minute        int64
		usec                int64
		bc, am, pm, sawTime bool
	)
	setDate := func(y, m, d string) bool {
		if !allDigits(y) || !allDigits(m) || !allDigits(d) || year >= 0 {
			return false
		}
		year, month, day, yearDigits = atoiDigits(y), atoiDigits(m), atoiDigits(d), len(y)
		return true
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case isSpace(c) || c == ',':
			i++
		case isDigit(c):
			j := i
			for j < len(s) && (isDigit(s[j]) || s[j] == '-' || s[j] == '/' || s[j] == '.' || s[j] == ':') {
				if (s[j] == '-') && strings.IndexByte(s[i:j], ':') >= 0 {
					break // a UTC offset after a time
				}
				j++
			}
			tok := s[i:j]
			i = j
			// D-Mon-Y: a day, a month name and a year joined by hyphens.
			if n := len(tok); n >= 2 && tok[n-1] == '-' && allDigits(tok[:n-1]) && i < len(s) && isLetter(s[i]) {
				k := i
				for k < len(s) && isLetter(s[k]) {
					k++
				}
				m, isMonth := monthNames[strings.ToLower(s[i:k])]
				y := k + 1
				for y < len(s) && isDigit(s[y]) {
					y++
				}
				if !isMonth || k == len(s) || s[k] != '-' || y == k+1 || year >= 0 || month >= 0 {
					return syntax()
				}
				day, month, year, yearDigits = atoiDigits(tok[:n-1]), int64(m), atoiDigits(s[k+1:y]), y-k-1
				i = y
				continue
			}
			switch {
			case strings.IndexByte(tok, ':') >= 0:
				if sawTime {
					return syntax()
				}
				sawTime = true
				var ok bool
				if hour, minute, usec, ok = parseClock(tok); !ok {
					return syntax()
				}
			case strings.IndexByte(tok, '-') >= 0 || strings.IndexByte(tok, '/') >= 0:
				sep := "-"
				if strings.IndexByte(tok, '/') >= 0 {
					sep = "/"
				}
				parts := strings.Split(tok, sep)
				if len(parts) != 3 {
					return syntax()
				}
				ok := false
				if len(parts[0]) >= 3 {
					ok = setDate(parts[0], parts[1], parts[2])
				} else {
					ok = setDate(parts[2], parts[0], parts[1])
				}
				if !ok {
					return syntax()
				}
			case len(tok) == 8 && allDigits(tok) && year < 0 && len(numbers) == 0:
				setDate(tok[:4], tok[4:6], tok[6:])
			case allDigits(tok):
				numbers = append(numbers, tok)
			default:
				return syntax()
			}
		case c == '+' || c == '-':
			j := i + 1
			for j < len(s) && (isDigit(s[j]) || s[j] == ':') {
				j++
			}
			// A UTC offset follows a time, or a date alone ("2024-01-11
			// +00", which pgjdbc sends for dates).
			if !sawTime && year < 0 || j == i+1 {
				return syntax()
			}
			off, ok := parseOffset(s[i+1 : j])
			if !ok {
				return syntax()
			}
			if c == '-' {
				off = -off
			}
			f.hasOffset, f.offset = true, off
			i = j
		case isLetter(c):
			j := i
			for j < len(s) && (isLetter(s[j]) || s[j] == '/' || s[j] == '_' ||
				(strings.IndexByte(s[i:j], '/') >= 0 && (isDigit(s[j]) || s[j] == '+' || s[j] == '-'))) {
				j++
			}
			word := strings.ToLower(s[i:j])
			i = j
			if m, ok := monthNames[word]; ok {
				if month >= 0 {
					return syntax()
				}
				month = int64(m)
				continue
			}
			if a, ok := zoneAbbrevs[word]; ok {
				if a.zone == "" {
					f.hasOffset, f.offset = true, a.offset
					continue
				}
				z, err := LookupZone(word)
				if err != nil {
					return f, err
				}
				f.hasZone, f.zone = true, z
				continue
			}
			switch {
			case word == "t" && i < len(s) && isDigit(s[i]):
			case word == "bc":
				bc = true
			case word == "ad":
			case word == "am":
				am = true
			case word == "pm":
				pm = true
			case weekdayNames[word]:
			default:
				name := s[i-len(word) : i]
				z, err := LoadTimeZone(name)
				if err != nil {
					return f, err
				}
				if z == nil {
					if strings.IndexByte(name, '/') >= 0 {
						return f, pgerr.New(pgerr.InvalidParameterValue, "time zone %q not recognized", word)
					}
					return syntax()
				}
				f.hasZone, f.zone = true, ZoneOf(z)
			}
		default:
			return syntax()
		}
	}

	// Fields given around a month name: a day and a year, in either order.
	if month >= 0 && year < 0 {
		switch len(numbers) {
		case 2:
			if len(numbers[0]) > 2 {
				year, day, yearDigits = atoiDigits(numbers[0]), atoiDigits(numbers[1]), len(numbers[0])
			} else {
				day, year, yearDigits = atoiDigits(numbers[0]), atoiDigits(numbers[1]), len(numbers[1])
			}
			numbers = nil
		default:
			return syntax()
		}
	}
	// HHMM or HHMMSS: a time of day written without colons, after a date
	// or as a time.
	if len(numbers) == 1 && !sawTime && (year >= 0 || t.Kind == Time) && (len(numbers[0]) == 4 || len(numbers[0]) == 6) {
		v := numbers[0]
		hour, minute = atoiDigits(v[:2]), atoiDigits(v[2:4])
		if len(v) == 6 {
			usec = atoiDigits(v[4:]) * usPerSecond
		}
		sawTime, numbers = true, nil
	}
	if len(numbers) > 0 {
		return syntax()
	}
	if year >= 0 {
		if yearDigits <= 2 && !bc {
			if year < 70 {
				year += 2000
			} else {
				year += 1900
			}
		}
		if month < 1 || month > 12 || day < 1 || year == 0 || day > int64(daysInMonth(yearOf(year, bc), int(month))) {
			e := fieldOutOfRange(s)
			if month > 12 {
				// A day/month mix-up is the likely cause, as PostgreSQL hints.
				e.Hint = "Perhaps you need a different \"datestyle\" setting."
			}
			return f, e
		}
		f.hasDate = true
		f.days = daysFromCivil(yearOf(year, bc), int(month), int(day))
	} else if bc || month >= 0 {
		return syntax()
	}
	if sawTime {
		if am || pm {
			if hour < 1 || hour > 12 {
				return f, fieldOutOfRange(s)
			}
			if hour == 12 {
				hour = 0
			}
			if pm {
				hour += 12
			}
		}
		if hour > 24 || minute > 59 || usec > 60*usPerSecond || hour == 24 && (minute != 0 || usec != 0) {
			return f, fieldOutOfRange(s)
		}
		f.hasTime = true
		f.clock = hour*usPerHour + minute*usPerMinute + usec
	} else if am || pm {
		return syntax()
	}
	return f, nil
}

// yearOf converts a year as written (with a BC flag) to an astronomical
// year.
func yearOf(year int64, bc bool) int64 {
	if bc {
		return 1 - year
	}
	return year
}

// parseClock reads H:M, H:M:S or H:M:S.F into hours, minutes and
// microseconds of the minute (rounded to the microsecond).
func parseClock(tok string) (hour, minute, usec int64, ok bool) {
	parts := strings.Split(tok, ":")
	if len(parts) < 2 || len(parts) > 3 || !allDigits(parts[0]) || len(parts[0]) > 10 {
		return 0, 0, 0, false
	}
	hour = atoiDigits(parts[0])
	last := parts[len(parts)-1]
	if len(parts) == 2 {
		if !allDigits(last) {
			return 0, 0, 0, false
		}
		return hour, atoiDigits(last), 0, true
	}
	if !allDigits(parts[1]) {
		return 0, 0, 0, false
	}
	minute = atoiDigits(parts[1])
	usec, ok = parseSeconds(last)
	return hour, minute, usec, ok
}

// parseSeconds reads S or S.F as microseconds, rounding the fraction to
// the nearest microsecond.
func parseSeconds(s string) (int64, bool) {
	whole, frac, hasFrac := strings.Cut(s, ".")
	if !allDigits(whole) || len(whole) > 10 || hasFrac && frac != "" && !allDigits(frac) {
		return 0, false
	}
	us := atoiDigits(whole) * usPerSecond
	scale := int64(100000)
	for k := 0; k < len(frac) && k < 6; k++ {
		us += int64(frac[k]-'0') * scale
		scale /= 10
	}
	if len(frac) > 6 && frac[6] >= '5' {
		us++
	}
	return us, true
}

// parseOffset reads the digits of a UTC offset after its sign: HH, HHMM,
// HH:MM or HH:MM:SS.
func parseOffset(s string) (int64, bool) {
	parts := strings.Split(s, ":")
	for _, p := range parts {
		if !allDigits(p) {
			return 0, false
		}
	}
	var h, m, sec int64
	switch {
	case len(parts) == 1 && len(parts[0]) <= 2:
		h = atoiDigits(parts[0])
	case len(parts) == 1 && len(parts[0]) == 4:
		h, m = atoiDigits(parts[0][:2]), atoiDigits(parts[0][2:])
	case len(parts) == 2:
		h, m = atoiDigits(parts[0]), atoiDigits(parts[1])
	case len(parts) == 3:
		h, m, sec = atoiDigits(parts[0]), atoiDigits(parts[1]), atoiDigits(parts[2])
	default:
		return 0, false
	}
	if h > 15 || m > 59 || sec > 59 {
		return 0, false
	}
	return h*3600 + m*60 + sec, true
}

// clockInputs are the special date/time inputs whose value is the time
// they are read at.
var clockInputs = [...]string{"now", "today", "tomorrow", "yesterday"}

// IsClockInput reports whether s, read as a date or time, is one of the
// special values taken from the clock ('now', 'today', 'tomorrow',
// 'yesterday'), so that a literal of it means the moment it is read.
func IsClockInput(s string) bool {
	lower := strings.ToLower(trimSpace(s))
	for _, w := range clockInputs {
		if lower == w {
			return true
		}
	}
	return false
}
