package exec

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// to_timestamp(text, format), to_date(text, format) and
// to_timestamp(double precision), as PostgreSQL 15's DCH_from_char and
// do_to_timestamp read a string with a format picture: fields skip
// leading spaces, a field without FM followed by a digit field takes
// exactly its width, separators and spaces in the picture match any one
// separator or space (or none), FX makes the match exact, and the result
// is validated like a date literal. Fields with no value default to year
// 0 (1 BC), January 1st, midnight, as in PostgreSQL.

// tmFromChar is TmFromChar.
type tmFromChar struct {
	mode                                     uint8
	hh, pm, mi, ss, ssss, d, dd, ddd, mm, ms int
	year, bc, ww, w, cc, j, us, yysz, clock  int
	tzsign, tzh, tzm, ff                     int
}

func errDatetimeFormat(format string, args ...any) *pgerr.Error {
	return pgerr.New(pgerr.InvalidDatetimeFormat, format, args...)
}

func (t *tmFromChar) setMode(m uint8) error {
	if m == modeNone {
		return nil
	}
	if t.mode == modeNone {
		t.mode = m
		return nil
	}
	if t.mode != m {
		e := errDatetimeFormat("invalid combination of date conventions")
		e.Hint = "Do not mix Gregorian and ISO week date conventions in a formatting template."
		return e
	}
	return nil
}

func setInt(dest *int, v int, n *fmtNode) error {
	if *dest != 0 && *dest != v {
		e := errDatetimeFormat("conflicting values for \"%s\" field in formatting string", n.key.name)
		e.Detail = "This value contradicts a previous setting for the same field type."
		return e
	}
	*dest = v
	return nil
}

func isCSpace(c byte) bool { return c == ' ' || c >= '\t' && c <= '\r' }

// isNextSeparator is is_next_separator.
func isNextSeparator(nodes []fmtNode, i int) bool {
	n := &nodes[i]
	if n.typ == fnAction && n.suffix&(sufTH|sufth) != 0 {
		return true
	}
	if i+1 >= len(nodes) {
		return true
	}
	next := &nodes[i+1]
	if next.typ == fnAction {
		return !next.key.isDigit
	}
	return !(len(next.chars) == 1 && isDigitByte(next.chars[0]))
}

// strtol parses like C strtol(s, &end, 10) after the caller skipped
// nothing: leading spaces, a sign, digits. ok is false when no digits.
func strtol(s string) (v int64, n int, overflow bool) {
	i := 0
	for i < len(s) && isCSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	start := i
	for i < len(s) && isDigitByte(s[i]) {
		if v > (math.MaxInt64-int64(s[i]-'0'))/10 {
			overflow = true
		} else {
			v = v*10 + int64(s[i]-'0')
		}
		i++
	}
	if i == start {
		return 0, 0, false
	}
	if neg {
		v = -v
	}
	return v, i, overflow
}

// parseIntLen is from_char_parse_int_len: it reads the field at s and
// returns the characters consumed.
func parseIntLen(dest *int, s string, length int, nodes []fmtNode, i int) (int, error) {
	n := &nodes[i]
	init := 0
	p := 0
	for p < len(s) && isCSpace(s[p]) {
		p++
	}
	copyLen := min(length, len(s)-p)
	cp := s[p : p+copyLen]
	var result int64
	var overflow bool
	if n.suffix&sufFM != 0 || isNextSeparator(nodes, i) {
		v, used, of := strtol(s[init:])
		result, overflow = v, of
		p = init + used
	} else {
		if copyLen < length {
			e := errDatetimeFormat("source string too short for \"%s\" formatting field", n.key.name)
			e.Detail = "Field requires " + strconv.Itoa(length) + " characters, but only " + strconv.Itoa(copyLen) + " remain."
			e.Hint = "If your source string is not fixed-width, try using the \"FM\" modifier."
			return 0, e
		}
		v, used, of := strtol(cp)
		if used > 0 && used < length {
			e := errDatetimeFormat("invalid value \"%s\" for \"%s\"", cp, n.key.name)
			e.Detail = "Field requires " + strconv.Itoa(length) + " characters, but only " + strconv.Itoa(used) + " could be parsed."
			e.Hint = "If your source string is not fixed-width, try using the \"FM\" modifier."
			return 0, e
		}
		result, overflow = v, of
		p += used
	}
	if p == init {
		e := errDatetimeFormat("invalid value \"%s\" for \"%s\"", cp, n.key.name)
		e.Detail = "Value must be an integer."
		return 0, e
	}
	if overflow || result < math.MinInt32 || result > math.MaxInt32 {
		e := pgerr.New(pgerr.DatetimeValueOutOfRange, "value for \"%s\" in source string is out of range", n.key.name)
		e.Detail = "Value must be in the range -2147483648 to 2147483647."
		return 0, e
	}
	if dest != nil {
		if err := setInt(dest, int(result), n); err != nil {
			return 0, err
		}
	}
	return p, nil
}

// seqSearch is seq_search_ascii: the entry of array that is a
// case-insensitive prefix of s.
func seqSearch(s string, array []string) (int, int) {
	for k, a := range array {
		if len(s) >= len(a) && strings.EqualFold(s[:len(a)], a) {
			return k, len(a)
		}
	}
	return -1, 0
}

func fromCharSeqSearch(dest *int, s string, array []string, n *fmtNode) (int, error) {
	k, l := seqSearch(s, array)
	if l <= 0 {
		c := s
		for j := 0; j < len(c); j++ {
			if isCSpace(c[j]) {
				c = c[:j]
				break
			}
		}
		e := errDatetimeFormat("invalid value \"%s\" for \"%s\"", c, n.key.name)
		e.Detail = "The given value did not match any of the allowed values for this field."
		return 0, e
	}
	*dest = k
	return l, nil
}

func adjustPartialYear(year int) int {
	switch {
	case year < 70:
		return year + 2000
	case year < 100:
		return year + 1900
	case year < 520:
		return year + 2000
	case year < 1000:
		return year + 1000
	}
	return year
}

var adbcStrings = []string{"ad", "bc", "AD", "BC"}
var adbcStringsLong = []string{"a.d.", "b.c.", "A.D.", "B.C."}
var ampmStrings = []string{"am", "pm", "AM", "PM"}
var ampmStringsLong = []string{"a.m.", "p.m.", "A.M.", "P.M."}

// dchFromChar is DCH_from_char (non-standard mode).
func dchFromChar(nodes []fmtNode, in string, out *tmFromChar) error {
	fx := false
	extraSkip := 0
	s := in
	skipTH := func(n *fmtNode) {
		if n.suffix&(sufTH|sufth) != 0 {
			for k := 0; k < 2 && len(s) > 0; k++ {
				_, w := utf8.DecodeRuneInString(s)
				s = s[w:]
			}
		}
	}
	for i := 0; i < len(nodes) && len(s) > 0; i++ {
		n := &nodes[i]
		if !fx && (n.typ != fnAction || n.key.id != dchFX) && (n.typ == fnAction || i == 0) {
			for len(s) > 0 && isCSpace(s[0]) {
				s = s[1:]
				extraSkip++
			}
		}
		if n.typ == fnSpace || n.typ == fnSeparator {
			if !fx {
				extraSkip--
				if len(s) > 0 && (isCSpace(s[0]) || isSeparatorChar(s[0])) {
					s = s[1:]
					extraSkip++
				}
			} else if len(s) > 0 {
				_, w := utf8.DecodeRuneInString(s)
				s = s[w:]
			}
			continue
		}
		if n.typ != fnAction {
			if !fx {
				if extraSkip > 0 {
					extraSkip--
				} else if len(s) > 0 {
					_, w := utf8.DecodeRuneInString(s)
					s = s[w:]
				}
			} else if len(s) > 0 {
				_, w := utf8.DecodeRuneInString(s)
				s = s[w:]
			}
			continue
		}
		if err := out.setMode(n.key.mode); err != nil {
			return err
		}
		var err error
		var used int
		parse := func(dest *int, length int) {
			if err != nil {
				return
			}
			used, err = parseIntLen(dest, s, length, nodes, i)
			if err == nil {
				s = s[used:]
			}
		}
		var value int
		search := func(array []string) bool {
			if err != nil {
				return false
			}
			used, err = fromCharSeqSearch(&value, s, array, n)
			if err == nil {
				s = s[used:]
				return true
			}
			return false
		}
		switch n.key.id {
		case dchFX:
			fx = true
		case dchAM_, dchPM_, dcham_, dchpm_:
			if search(ampmStringsLong) {
				err = setInt(&out.pm, value%2, n)
				out.clock = 12
			}
		case dchAM, dchPM, dcham, dchpm:
			if search(ampmStrings) {
				err = setInt(&out.pm, value%2, n)
				out.clock = 12
			}
		case dchHH, dchHH12:
			parse(&out.hh, 2)
			out.clock = 12
			skipTH(n)
		case dchHH24:
			parse(&out.hh, 2)
			skipTH(n)
		case dchMI:
			parse(&out.mi, len(n.key.name))
			skipTH(n)
		case dchSS:
			parse(&out.ss, len(n.key.name))
			skipTH(n)
		case dchMS:
			parse(&out.ms, 3)
			if err == nil {
				switch used {
				case 1:
					out.ms *= 100
				case 2:
					out.ms *= 10
				}
			}
			skipTH(n)
		case dchFF1, dchFF2, dchFF3, dchFF4, dchFF5, dchFF6, dchUS:
			length := 6
			if n.key.id != dchUS {
				out.ff = n.key.id - dchFF1 + 1
				length = out.ff
			}
			parse(&out.us, length)
			if err == nil {
				for k := used; k < 6; k++ {
					out.us *= 10
				}
			}
			skipTH(n)
		case dchSSSS:
			parse(&out.ssss, len(n.key.name))
			skipTH(n)
		case dchtz, dchTZ, dchOF:
			return pgerr.New(pgerr.FeatureNotSupported, "formatting field \"%s\" is only supported in to_char", n.key.name)
		case dchTZH:
			if len(s) > 0 && (s[0] == '+' || s[0] == '-' || s[0] == ' ') {
				out.tzsign = 1
				if s[0] == '-' {
					out.tzsign = -1
				}
				s = s[1:]
			} else if extraSkip > 0 && len(in)-len(s) > 0 && in[len(in)-len(s)-1] == '-' {
				out.tzsign = -1
			} else {
				out.tzsign = 1
			}
			parse(&out.tzh, 2)
		case dchTZM:
			if out.tzsign == 0 {
				out.tzsign = 1
			}
			parse(&out.tzm, 2)
		case dchAD_, dchBC_, dchad_, dchbc_:
			if search(adbcStringsLong) {
				err = setInt(&out.bc, value%2, n)
			}
		case dchAD, dchBC, dchad, dchbc:
			if search(adbcStrings) {
				err = setInt(&out.bc, value%2, n)
			}
		case dchMONTH, dchMonth, dchmonth:
			if search(monthsFull[:]) {
				err = setInt(&out.mm, value+1, n)
			}
		case dchMON, dchMon, dchmon:
			if search(monthsShort[:]) {
				err = setInt(&out.mm, value+1, n)
			}
		case dchMM:
			parse(&out.mm, len(n.key.name))
			skipTH(n)
		case dchDAY, dchDay, dchday:
			if search(daysFull[:]) {
				err = setInt(&out.d, value, n)
				out.d++
			}
		case dchDY, dchDy, dchdy:
			if search(daysShort[:]) {
				err = setInt(&out.d, value, n)
				out.d++
			}
		case dchDDD:
			parse(&out.ddd, len(n.key.name))
			skipTH(n)
		case dchIDDD:
			parse(&out.ddd, 3)
			skipTH(n)
		case dchDD:
			parse(&out.dd, len(n.key.name))
			skipTH(n)
		case dchD:
			parse(&out.d, len(n.key.name))
			skipTH(n)
		case dchID:
			parse(&out.d, 1)
			if err == nil {
				out.d++
				if out.d > 7 {
					out.d = 1
				}
			}
			skipTH(n)
		case dchWW, dchIW:
			parse(&out.ww, len(n.key.name))
			skipTH(n)
		case dchQ:
			parse(nil, len(n.key.name))
			skipTH(n)
		case dchCC:
			parse(&out.cc, len(n.key.name))
			skipTH(n)
		case dchY_YYY:
			mill, used1, _ := strtol(s)
			ok := used1 > 0 && used1 < len(s) && s[used1] == ','
			var years int64
			var used2 int
			if ok {
				// %03d: spaces, then at most three characters
				rest := s[used1+1:]
				sp := 0
				for sp < len(rest) && isCSpace(rest[sp]) {
					sp++
				}
				years, used2, _ = strtol(rest[sp : sp+min(3, len(rest)-sp)])
				ok = used2 > 0
				used2 += sp
			}
			if !ok {
				return errDatetimeFormat("invalid input string for \"Y,YYY\"")
			}
			y := mill*1000 + years
			if y > math.MaxInt32 || y < math.MinInt32 {
				return pgerr.New(pgerr.DatetimeFieldOverflow, "value for \"Y,YYY\" in source string is out of range")
			}
			err = setInt(&out.year, int(y), n)
			out.yysz = 4
			s = s[used1+1+used2:]
			skipTH(n)
		case dchYYYY, dchIYYY:
			parse(&out.year, len(n.key.name))
			out.yysz = 4
			skipTH(n)
		case dchYYY, dchIYY, dchYY, dchIY, dchY, dchI:
			parse(&out.year, len(n.key.name))
			if err == nil && used < 4 {
				out.year = adjustPartialYear(out.year)
			}
			out.yysz = len(n.key.name)
			skipTH(n)
		case dchRM, dchrm:
			if search(rmMonthsLower[:]) {
				err = setInt(&out.mm, 12-value, n)
			}
		case dchW:
			parse(&out.w, len(n.key.name))
			skipTH(n)
		case dchJ:
			parse(&out.j, len(n.key.name))
			skipTH(n)
		}
		if err != nil {
			return err
		}
		if !fx {
			extraSkip = 0
			for len(s) > 0 && isCSpace(s[0]) {
				s = s[1:]
				extraSkip++
			}
		}
	}
	return nil
}

// isoWeekToDays is isoweek2j as a day number.
func isoWeekToDays(year, week int) int64 {
	day4 := daysFromCivil(int64(year), 1, 4)
	day0 := floorMod(day4-1+4, 7) // j2day(day4 - 1): Sunday 0
	return int64(week-1)*7 + (day4 - day0)
}

// toTimestampParts is do_to_timestamp: the local timestamp (microseconds)
// read, the zone offset in seconds (ok false for none) and the
// fractional precision asked for (FFn).
func toTimestampParts(in string, nodes []fmtNode) (local int64, offset int, hasTZ bool, fprec int, err error) {
	var t tmFromChar
	if len(nodes) > 0 {
		if err := dchFromChar(nodes, in, &t); err != nil {
			return 0, 0, false, 0, err
		}
	}
	year, mon, mday := 0, 1, 1
	hour, min, sec := 0, 0, 0
	var fsec int64
	fieldOverflow := func() error {
		return pgerr.New(pgerr.DatetimeFieldOverflow, "date/time field value out of range: \"%s\"", in)
	}
	if t.ssss != 0 {
		x := t.ssss
		hour = x / 3600
		x %= 3600
		min = x / 60
		sec = x % 60
	}
	if t.ss != 0 {
		sec = t.ss
	}
	if t.mi != 0 {
		min = t.mi
	}
	if t.hh != 0 {
		hour = t.hh
	}
	if t.clock == 12 {
		if hour < 1 || hour > 12 {
			e := errDatetimeFormat("hour \"%d\" is invalid for the 12-hour clock", hour)
			e.Hint = "Use the 24-hour clock, or give an hour between 1 and 12."
			return 0, 0, false, 0, e
		}
		if t.pm != 0 && hour < 12 {
			hour += 12
		} else if t.pm == 0 && hour == 12 {
			hour = 0
		}
	}
	const (
		mYear = 1 << iota
		mMonth
		mDay
	)
	fmask := 0
	if t.year != 0 {
		if t.cc != 0 && t.yysz <= 2 {
			if t.bc != 0 {
				t.cc = -t.cc
			}
			year = t.year % 100
			if year != 0 {
				if t.cc >= 0 {
					year += (t.cc - 1) * 100
				} else {
					year = (t.cc+1)*100 - year + 1
				}
			} else {
				year = t.cc * 100
				if t.cc < 0 {
					year++
				}
			}
		} else {
			year = t.year
			if t.bc != 0 {
				year = -year
			}
			if year < 0 {
				year++
			}
		}
		fmask |= mYear
	} else if t.cc != 0 {
		if t.bc != 0 {
			t.cc = -t.cc
		}
		if t.cc >= 0 {
			year = (t.cc-1)*100 + 1
		} else {
			year = t.cc*100 + 1
		}
		fmask |= mYear
	}
	setDays := func(days int64) {
		y, m, d := civilFromDays(days)
		year, mon, mday = int(y), int(m), int(d)
	}
	if t.j != 0 {
		setDays(int64(t.j) - 2440588)
		fmask |= mYear | mMonth | mDay
	}
	if t.ww != 0 {
		if t.mode == modeISOWeek {
			jd := isoWeekToDays(year, t.ww)
			if t.d != 0 {
				if t.d > 1 {
					jd += int64(t.d - 2)
				} else {
					jd += 6
				}
			}
			setDays(jd)
			fmask |= mYear | mMonth | mDay
		} else {
			t.ddd = (t.ww-1)*7 + 1
		}
	}
	if t.w != 0 {
		t.dd = (t.w-1)*7 + 1
	}
	if t.dd != 0 {
		mday = t.dd
		fmask |= mDay
	}
	if t.mm != 0 {
		mon = t.mm
		fmask |= mMonth
	}
	if t.ddd != 0 && (mon <= 1 || mday <= 1) {
		if year == 0 && t.bc == 0 {
			return 0, 0, false, 0, errDatetimeFormat("cannot calculate day of year without year information")
		}
		if t.mode == modeISOWeek {
			j0 := isoWeekToDays(year, 1) - 1
			setDays(j0 + int64(t.ddd))
			fmask |= mYear | mMonth | mDay
		} else {
			leap := catalog.DaysInMonth(int64(year), 2) == 29
			ysum := []int{0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365}
			if leap {
				ysum = []int{0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366}
			}
			k := 1
			for ; k <= 12; k++ {
				if t.ddd <= ysum[k] {
					break
				}
			}
			if mon <= 1 {
				mon = k
			}
			if mday <= 1 {
				if k > 12 {
					k = 12 // PostgreSQL reads past the table here; such a day fails validation
					mday = t.ddd - ysum[k]
				} else {
					mday = t.ddd - ysum[k-1]
				}
			}
			fmask |= mMonth | mDay
		}
	}
	if t.ms != 0 {
		fsec += int64(t.ms) * 1000
	}
	if t.us != 0 {
		fsec += int64(t.us)
	}
	if fmask != 0 {
		if fmask&mMonth != 0 && (mon < 1 || mon > 12) {
			return 0, 0, false, 0, fieldOverflow()
		}
		if fmask&mDay != 0 && (mday < 1 || mday > 31) {
			return 0, 0, false, 0, fieldOverflow()
		}
		if fmask&(mYear|mMonth|mDay) == mYear|mMonth|mDay && mday > catalog.DaysInMonth(int64(year), mon) {
			return 0, 0, false, 0, fieldOverflow()
		}
	}
	if hour < 0 || hour >= 24 || min < 0 || min >= 60 || sec < 0 || sec >= 60 || fsec < 0 || fsec >= microsPerSecond {
		return 0, 0, false, 0, fieldOverflow()
	}
	if t.tzsign != 0 {
		if t.tzh < 0 || t.tzh > 15 || t.tzm < 0 || t.tzm >= 60 {
			return 0, 0, false, 0, pgerr.New(pgerr.InvalidTimeZoneDisplacementValue, "time zone displacement out of range: \"%s\"", in)
		}
		offset = (t.tzh*60 + t.tzm) * 60
		if t.tzsign < 0 {
			offset = -offset
		}
		hasTZ = true
	}
	if mon < 1 || mon > 12 || mday < 1 || mday > 31 {
		return 0, 0, false, 0, fieldOverflow()
	}
	days := daysFromCivil(int64(year), int64(mon), int64(mday))
	local = days*microsPerDay + ((int64(hour)*60+int64(min))*60+int64(sec))*microsPerSecond + fsec
	return local, offset, hasTZ, t.ff, nil
}

func init() {
	registerFunc(&funcDef{
		resolve: func(types []catalog.Type, args []Expr) (catalog.Type, []catalog.Type, error) {
			if len(types) == 1 {
				if !types[0].IsNumeric() && types[0].Kind != catalog.Unknown {
					return catalog.Type{}, nil, errNoFunction("to_timestamp", types)
				}
				return catalog.TypeTimestampTZ, []catalog.Type{catalog.TypeFloat8}, nil
			}
			return signatures("to_timestamp", catalog.TypeTimestampTZ, "TT")(types, args)
		},
		build: func(args []Expr, t catalog.Type) (Expr, error) {
			if len(args) == 1 {
				return fixedRowFunc(args, t, func(a []arrow.Array) func(i int) (int64, error) {
					x := fixedValues[float64](a[0])
					return func(i int) (int64, error) { return epochToTimestamp(x[i]) }
				}), nil
			}
			var c formatCache
			return zonedRowFunc(args, t, func(z *catalog.ZoneCursor, a []arrow.Array) func(i int) (int64, error) {
				s, f := varlenViewOf(a[0]), varlenViewOf(a[1])
				return func(i int) (int64, error) {
					nodes, _, err := c.get(f.bytes(i), true)
					if err != nil {
						return 0, err
					}
					local, off, hasTZ, fprec, err := toTimestampParts(s.str(i), nodes)
					if err != nil {
						return 0, err
					}
					// without TZH/TZM, the time is in the session's zone
					ts := z.ToUTC(local)
					if hasTZ {
						ts = local - int64(off)*microsPerSecond
					}
					if ts < minTsMicros || ts >= maxTsMicros {
						return 0, pgerr.New(pgerr.DatetimeValueOutOfRange, "timestamp out of range")
					}
					if fprec > 0 {
						// FF1..FF6 round to their digits, as the typmod p would.
						ts = catalog.AdjustTimestamp(catalog.Type{Kind: catalog.TimestampTZ, Typmod: int32(fprec)}, ts)
					}
					return ts, nil
				}
			}), nil
		},
	}, "to_timestamp")
	registerFunc(&funcDef{
		resolve: signatures("to_date", catalog.TypeDate, "TT"),
		build: func(args []Expr, t catalog.Type) (Expr, error) {
			var c formatCache
			return fixedRowFunc(args, t, func(a []arrow.Array) func(i int) (int32, error) {
				s, f := varlenViewOf(a[0]), varlenViewOf(a[1])
				return func(i int) (int32, error) {
					nodes, _, err := c.get(f.bytes(i), true)
					if err != nil {
						return 0, err
					}
					local, _, _, _, err := toTimestampParts(s.str(i), nodes)
					if err != nil {
						return 0, err
					}
					days := floorDiv(local, microsPerDay)
					if days < minDateDays || days > maxDateDays {
						return 0, pgerr.New(pgerr.DatetimeValueOutOfRange, "date out of range: \"%s\"", s.str(i))
					}
					return int32(days), nil
				}
			}), nil
		},
	}, "to_date")
}

// epochToTimestamp is to_timestamp(double precision).
func epochToTimestamp(secs float64) (int64, error) {
	if math.IsNaN(secs) {
		return 0, pgerr.New(pgerr.DatetimeValueOutOfRange, "timestamp cannot be NaN")
	}
	if math.IsInf(secs, 0) {
		return infiniteTimestamp(int(math.Copysign(1, secs))), nil
	}
	minS := float64(minTsMicros / microsPerSecond)
	maxS := float64(maxTsMicros / microsPerSecond)
	if secs < minS || secs >= maxS {
		return 0, pgerr.New(pgerr.DatetimeValueOutOfRange, "timestamp out of range: \"%s\"", printfG(secs))
	}
	// as PostgreSQL: shift to its 2000-01-01 epoch, then scale
	const pgEpochSecs = 946684800
	us := int64(math.RoundToEven((secs-pgEpochSecs)*1e6)) + pgEpochSecs*microsPerSecond
	if us < minTsMicros || us >= maxTsMicros {
		return 0, pgerr.New(pgerr.DatetimeValueOutOfRange, "timestamp out of range: \"%s\"", printfG(secs))
	}
	return us, nil
}
