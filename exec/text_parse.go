package exec

import (
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// Text input of the scalar types, as PostgreSQL 15's input functions read
// them: leading and trailing whitespace is ignored, and malformed input is
// 22P02 "invalid input syntax for type T: "s"" (22007 for dates and
// times), values beyond the type's range 22003 (22008 for dates and
// times).

func errSyntax(typ, s string) error {
	return pgerr.New(pgerr.InvalidTextRepresentation, "invalid input syntax for type %s: %q", typ, s)
}

func errDatetimeSyntax(typ, s string) error {
	return pgerr.New(pgerr.InvalidDatetimeFormat, "invalid input syntax for type %s: %q", typ, s)
}

func errFieldRange(s string) error {
	return pgerr.New(pgerr.DatetimeFieldOverflow, "date/time field value out of range: %q", s)
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

func trimSpace(s string) string {
	i, j := 0, len(s)
	for i < j && isSpace(s[i]) {
		i++
	}
	for j > i && isSpace(s[j-1]) {
		j--
	}
	return s[i:j]
}

func typeName(k catalog.Kind) string {
	return catalog.Type{Kind: k, Typmod: -1}.String()
}

// parseInt reads an integer of the given bit size.
func parseInt(s string, k catalog.Kind, bits int) (int64, error) {
	t := trimSpace(s)
	v, err := strconv.ParseInt(t, 10, bits)
	if err == nil && t != "" && t[0] != '_' && !strings.Contains(t, "_") {
		return v, nil
	}
	if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
		return 0, pgerr.New(pgerr.NumericValueOutOfRange, "value %q is out of range for type %s", s, typeName(k))
	}
	return 0, errSyntax(typeName(k), s)
}

func parseFloat(s string, k catalog.Kind) (float64, error) {
	t := trimSpace(s)
	bits := 64
	if k == catalog.Float4 {
		bits = 32
	}
	switch strings.ToLower(t) {
	case "nan":
		return math.NaN(), nil
	case "infinity", "inf", "+infinity", "+inf":
		return math.Inf(1), nil
	case "-infinity", "-inf":
		return math.Inf(-1), nil
	}
	if t == "" || strings.ContainsAny(t, "_xXpP") || strings.EqualFold(t, "+nan") || strings.EqualFold(t, "-nan") {
		return 0, errSyntax(typeName(k), s)
	}
	v, err := strconv.ParseFloat(t, bits)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return 0, pgerr.New(pgerr.NumericValueOutOfRange, "%q is out of range for type %s", t, typeName(k))
		}
		return 0, errSyntax(typeName(k), s)
	}
	if v == 0 && hasNonzeroMantissa(t) {
		// Underflow: PostgreSQL rejects it rather than returning 0.
		return 0, pgerr.New(pgerr.NumericValueOutOfRange, "%q is out of range for type %s", t, typeName(k))
	}
	return v, nil
}

func hasNonzeroMantissa(t string) bool {
	for _, c := range t {
		switch {
		case c == 'e' || c == 'E':
			return false
		case c >= '1' && c <= '9':
			return true
		}
	}
	return false
}

// parseNumeric reads a decimal (with optional exponent) and rounds it to
// t's scale, half away from zero, checking t's precision.
func parseNumeric(s string, t catalog.Type) (decimal128.Num, error) {
	str := trimSpace(s)
	neg := false
	p := str
	if p != "" && (p[0] == '+' || p[0] == '-') {
		neg = p[0] == '-'
		p = p[1:]
	}
	switch strings.ToLower(p) {
	case "nan", "infinity", "inf":
		return decimal128.Num{}, pgerr.Unsupported("numeric %s is not supported", str)
	}
	var digits []byte
	frac := 0
	seenDigit, seenDot := false, false
	i := 0
	for ; i < len(p); i++ {
		c := p[i]
		if c >= '0' && c <= '9' {
			digits = append(digits, c)
			seenDigit = true
			if seenDot {
				frac++
			}
			continue
		}
		if c == '.' && !seenDot {
			seenDot = true
			continue
		}
		break
	}
	if !seenDigit {
		return decimal128.Num{}, errSyntax("numeric", s)
	}
	exp := 0
	if i < len(p) {
		if p[i] != 'e' && p[i] != 'E' {
			return decimal128.Num{}, errSyntax("numeric", s)
		}
		e, err := strconv.Atoi(p[i+1:])
		if err != nil || e > 1000 || e < -1000 {
			return decimal128.Num{}, errSyntax("numeric", s)
		}
		exp = e
	}
	// value = digits * 10^(exp - frac); we want it * 10^scale.
	shift := int(t.Scale) + exp - frac
	n := new(big.Int)
	n.SetString(string(digits), 10)
	if shift >= 0 {
		n.Mul(n, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(shift)), nil))
	} else {
		d := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-shift)), nil)
		q, r := n.QuoRem(n, d, new(big.Int))
		if r.Lsh(r, 1).Cmp(d) >= 0 {
			q.Add(q, big.NewInt(1))
		}
		n = q
	}
	if neg {
		n.Neg(n)
	}
	v, ok := decFromBig(n)
	if !ok {
		return decimal128.Num{}, errNumericFieldOverflow(t)
	}
	if err := checkNumericPrecision(v, t); err != nil {
		return decimal128.Num{}, err
	}
	return v, nil
}

func errNumericFieldOverflow(t catalog.Type) error {
	p := t.Precision()
	if p < 0 {
		return errNumericOverflow()
	}
	e := &pgerr.Error{Code: pgerr.NumericValueOutOfRange, Message: "numeric field overflow"}
	if p == t.Scale {
		e.Detail = "A field with precision " + strconv.Itoa(int(p)) + ", scale " + strconv.Itoa(int(t.Scale)) + " must round to an absolute value less than 1."
	} else {
		e.Detail = "A field with precision " + strconv.Itoa(int(p)) + ", scale " + strconv.Itoa(int(t.Scale)) + " must round to an absolute value less than 10^" + strconv.Itoa(int(p-t.Scale)) + "."
	}
	return e
}

// checkNumericPrecision enforces numeric(p,s): at most p-s integer digits.
func checkNumericPrecision(v decimal128.Num, t catalog.Type) error {
	p := t.Precision()
	if p < 0 || p >= catalog.MaxNumericPrecision {
		return nil
	}
	if v.Sign() < 0 {
		v = v.Negate()
	}
	if !v.Less(pow10[p]) {
		return errNumericFieldOverflow(t)
	}
	return nil
}

func parseBool(s string) (bool, error) {
	t := strings.ToLower(trimSpace(s))
	if t != "" {
		switch {
		case strings.HasPrefix("true", t), strings.HasPrefix("yes", t), t == "on", t == "1":
			return true, nil
		case strings.HasPrefix("false", t), strings.HasPrefix("no", t), t == "of" || t == "off", t == "0":
			return false, nil
		}
	}
	return false, errSyntax("boolean", s)
}

// parseDateTime reads 'YYYY-MM-DD[( |T)HH:MM[:SS[.ffffff]]][zone][ BC]'
// into a day number, a time of day and a zone offset in seconds.
func parseDateTime(s string, typ string, wantTime bool) (days, tod int64, zone int, hasZone bool, err error) {
	t := trimSpace(s)
	low := strings.ToLower(t)
	bc := false
	if strings.HasSuffix(low, " bc") {
		bc = true
		t = trimSpace(t[:len(t)-3])
	} else if strings.HasSuffix(low, " ad") {
		t = trimSpace(t[:len(t)-3])
	}
	bad := func() (int64, int64, int, bool, error) { return 0, 0, 0, false, errDatetimeSyntax(typ, s) }
	y, m, d, rest, ok := parseDatePart(t)
	if !ok {
		return bad()
	}
	if bc {
		y = 1 - y
	}
	if m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m) {
		return 0, 0, 0, false, errFieldRange(s)
	}
	days = daysFromCivil(y, m, d)
	if rest == "" {
		return days, 0, 0, false, nil
	}
	if rest[0] != ' ' && rest[0] != 'T' && rest[0] != 't' {
		return bad()
	}
	rest = strings.TrimLeft(rest[1:], " ")
	tod, rest, err = parseClock(rest, typ, s)
	if err != nil {
		return 0, 0, 0, false, err
	}
	rest = strings.TrimLeft(rest, " ")
	if rest != "" {
		zone, ok = parseZone(rest)
		if !ok {
			return bad()
		}
		hasZone = true
	}
	return days, tod, zone, hasZone, nil
}

var monthNames = map[string]int64{
	"jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
	"may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
	"sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
	"dec": 12, "december": 12,
}

// parseDatePart reads the date at the start of t in the forms PostgreSQL
// accepts with DateStyle ISO, MDY: Y-M-D (also with / or .), YYYYMMDD,
// M/D/Y, and month names ("Jan 5 2024", "5 January 2024", "2024-Jan-05").
func parseDatePart(t string) (y, m, d int64, rest string, ok bool) {
	// Month-name forms: split off the date words.
	isLetter := func(r rune) bool { return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' }
	if i := strings.IndexFunc(t, isLetter); i >= 0 && i < 12 && i+3 <= len(t) &&
		isLetter(rune(t[i+1])) && isLetter(rune(t[i+2])) {
		end := len(t)
		if j := strings.IndexAny(t, ":T"); j > 0 && t[j] == ':' {
			// keep the time out: back up to the space before it
			if k := strings.LastIndexByte(t[:j], ' '); k > 0 {
				end = k
			}
		}
		words := strings.FieldsFunc(t[:end], func(r rune) bool { return r == ' ' || r == '-' || r == '/' || r == ',' || r == '.' })
		if len(words) == 3 {
			var nums []int64
			var month int64
			monthAt := -1
			for idx, w := range words {
				if mv, isMonth := monthNames[strings.ToLower(w)]; isMonth {
					month, monthAt = mv, idx
					continue
				}
				v, err := strconv.ParseInt(w, 10, 64)
				if err != nil {
					return 0, 0, 0, "", false
				}
				nums = append(nums, v)
			}
			if monthAt < 0 || len(nums) != 2 {
				return 0, 0, 0, "", false
			}
			// The year is the number with more than two digits, else the last.
			dayV, yearV := nums[0], nums[1]
			if monthAt == 1 && len(words[0]) > 2 {
				yearV, dayV = nums[0], nums[1]
			}
			return yearV, month, dayV, t[end:], true
		}
		if len(t) >= 3 && (t[0] < '0' || t[0] > '9') {
			return 0, 0, 0, "", false
		}
	}
	first, after, ok := takeDigits(t, 1, 9)
	if !ok {
		return 0, 0, 0, "", false
	}
	width := len(t) - len(after)
	if width == 8 && (after == "" || after[0] == ' ' || after[0] == 'T' || after[0] == 't') {
		return first / 10000, first / 100 % 100, first % 100, after, true
	}
	if after == "" || (after[0] != '-' && after[0] != '/' && after[0] != '.') {
		return 0, 0, 0, "", false
	}
	sep := after[0]
	second, after, ok := takeDigits(after[1:], 1, 2)
	if !ok || after == "" || after[0] != sep {
		return 0, 0, 0, "", false
	}
	third, after, ok := takeDigits(after[1:], 1, 9)
	if !ok {
		return 0, 0, 0, "", false
	}
	if width >= 3 {
		return first, second, third, after, true
	}
	// M/D/Y
	return third, first, second, after, true
}

// parseClock reads HH:MM[:SS[.ffffff]] and returns the rest.
func parseClock(t, typ, orig string) (int64, string, error) {
	bad := errDatetimeSyntax(typ, orig)
	h, rest, ok := takeDigits(t, 1, 2)
	if !ok || len(rest) == 0 || rest[0] != ':' {
		return 0, "", bad
	}
	mi, rest, ok := takeDigits(rest[1:], 1, 2)
	if !ok {
		return 0, "", bad
	}
	var sec, us int64
	if len(rest) > 0 && rest[0] == ':' {
		sec, rest, ok = takeDigits(rest[1:], 1, 2)
		if !ok {
			return 0, "", bad
		}
		if len(rest) > 0 && rest[0] == '.' {
			j := 1
			for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
				j++
			}
			us = fractionMicros(rest[1:j])
			rest = rest[j:]
		}
	}
	if h > 24 || mi > 59 || sec > 60 || (h == 24 && (mi > 0 || sec > 0 || us > 0)) {
		return 0, "", errFieldRange(orig)
	}
	return h*microsPerHour + mi*microsPerMinute + sec*microsPerSecond + us, rest, nil
}

// fractionMicros rounds a digit string after the decimal point to
// microseconds.
func fractionMicros(f string) int64 {
	var us int64
	for i := 0; i < 6; i++ {
		us *= 10
		if i < len(f) {
			us += int64(f[i] - '0')
		}
	}
	if len(f) > 6 && f[6] >= '5' {
		us++
	}
	return us
}

func takeDigits(s string, minN, maxN int) (int64, string, bool) {
	i := 0
	for i < len(s) && i < maxN && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i < minN {
		return 0, s, false
	}
	v, _ := strconv.ParseInt(s[:i], 10, 64)
	return v, s[i:], true
}

// parseZone reads Z, UTC, GMT or ±HH[:MM[:SS]] as seconds east of UTC.
func parseZone(z string) (int, bool) {
	switch strings.ToUpper(z) {
	case "Z", "UTC", "GMT", "+00", "-00":
		return 0, true
	}
	if z[0] != '+' && z[0] != '-' {
		return 0, false
	}
	sign := 1
	if z[0] == '-' {
		sign = -1
	}
	h, rest, ok := takeDigits(z[1:], 1, 2)
	if !ok {
		return 0, false
	}
	var m, sec int64
	if len(rest) > 0 && rest[0] == ':' {
		if m, rest, ok = takeDigits(rest[1:], 2, 2); !ok {
			return 0, false
		}
	} else if len(rest) == 2 {
		if m, rest, ok = takeDigits(rest, 2, 2); !ok {
			return 0, false
		}
	}
	if len(rest) > 0 && rest[0] == ':' {
		if sec, rest, ok = takeDigits(rest[1:], 2, 2); !ok {
			return 0, false
		}
	}
	if rest != "" {
		return 0, false
	}
	return sign * int(h*3600+m*60+sec), true
}

func parseDate(s string) (int32, error) {
	switch strings.ToLower(trimSpace(s)) {
	case "epoch":
		return 0, nil
	case "infinity", "-infinity":
		return 0, pgerr.Unsupported("date %s is not supported", trimSpace(s))
	}
	days, _, _, _, err := parseDateTime(s, "date", false)
	if err != nil {
		return 0, err
	}
	if days < minDateDays || days > maxDateDays {
		return 0, pgerr.New(pgerr.DatetimeFieldOverflow, "date out of range: %q", s)
	}
	return int32(days), nil
}

func parseTimestamp(s string, k catalog.Kind) (int64, error) {
	typ := typeName(k)
	switch strings.ToLower(trimSpace(s)) {
	case "epoch":
		return 0, nil
	case "infinity", "-infinity":
		return 0, pgerr.Unsupported("%s %s is not supported", typ, trimSpace(s))
	}
	days, tod, zone, hasZone, err := parseDateTime(s, typ, true)
	if err != nil {
		return 0, err
	}
	ts := days*microsPerDay + tod
	if hasZone && k == catalog.TimestampTZ {
		ts -= int64(zone) * microsPerSecond
	}
	if ts < minTsMicros || ts >= maxTsMicros {
		return 0, pgerr.New(pgerr.DatetimeFieldOverflow, "timestamp out of range: %q", s)
	}
	return ts, nil
}

func parseTime(s string) (int64, error) {
	t := trimSpace(s)
	tod, rest, err := parseClock(t, "time without time zone", s)
	if err != nil {
		return 0, err
	}
	if trimSpace(rest) != "" {
		return 0, errDatetimeSyntax("time without time zone", s)
	}
	return tod, nil
}

// Interval field masks of the interval typmod (PostgreSQL's INTERVAL_MASK).
const (
	intervalMonth  = 1 << 1
	intervalYear   = 1 << 2
	intervalDay    = 1 << 3
	intervalHour   = 1 << 10
	intervalMinute = 1 << 11
	intervalSecond = 1 << 12
)

// parseInterval reads PostgreSQL's interval input: a sequence of
// "<number> <unit>" pairs (units singular, plural or abbreviated;
// fractions spill into smaller units), an optional hh:mm[:ss] time, an
// optional leading '@' and trailing "ago". A bare number takes its unit
// from the type's field restriction (INTERVAL '90' DAY), or is seconds.
func parseInterval(s string, typmod int32) (arrow.MonthDayNanoInterval, error) {
	bad := errDatetimeSyntax("interval", s)
	if iso := trimSpace(s); len(iso) > 1 && (iso[0] == 'P' || iso[0] == 'p') {
		return parseISOInterval(iso, s)
	}
	fields := strings.Fields(strings.ToLower(trimSpace(s)))
	if len(fields) > 0 && fields[0] == "@" {
		fields = fields[1:]
	}
	ago := false
	if len(fields) > 0 && fields[len(fields)-1] == "ago" {
		ago = true
		fields = fields[:len(fields)-1]
	}
	if len(fields) == 0 {
		return arrow.MonthDayNanoInterval{}, bad
	}
	var months, days, us float64
	var imonths, idays, ius int64
	add := func(v float64, unit string) bool {
		switch unit {
		case "microsecond", "microseconds", "us", "usec", "usecs", "microsecon":
			us += v
		case "millisecond", "milliseconds", "ms", "msec", "msecs":
			us += v * 1000
		case "second", "seconds", "s", "sec", "secs":
			us += v * 1e6
		case "minute", "minutes", "m", "min", "mins":
			us += v * 6e7
		case "hour", "hours", "h", "hr", "hrs":
			us += v * 3.6e9
		case "day", "days", "d":
			days += v
		case "week", "weeks", "w":
			days += v * 7
		case "month", "months", "mon", "mons":
			months += v
		case "year", "years", "y", "yr", "yrs":
			months += v * 12
		case "decade", "decades":
			months += v * 120
		case "century", "centuries", "c":
			months += v * 1200
		case "millennium", "millennia", "millenniums":
			months += v * 12000
		default:
			return false
		}
		return true
	}
	for i := 0; i < len(fields); i++ {
		f := fields[i]
		if strings.Contains(f, ":") {
			neg := strings.HasPrefix(f, "-")
			c := strings.TrimLeft(f, "+-")
			tod, rest, err := parseClock(c, "interval", s)
			if err != nil || rest != "" {
				// hh:mm:ss may exceed 24 hours in an interval.
				tod, err = parseLongClock(c)
				if err != nil {
					return arrow.MonthDayNanoInterval{}, bad
				}
			}
			if neg {
				tod = -tod
			}
			ius += tod
			continue
		}
		num, unit := f, ""
		j := 0
		for j < len(f) && (f[j] == '-' || f[j] == '+' || f[j] == '.' || (f[j] >= '0' && f[j] <= '9')) {
			j++
		}
		num, unit = f[:j], f[j:]
		if num == "" {
			return arrow.MonthDayNanoInterval{}, bad
		}
		if unit == "" && i+1 < len(fields) && !startsNumeric(fields[i+1]) {
			i++
			unit = fields[i]
		}
		if unit == "" {
			unit = bareIntervalUnit(typmod)
		}
		if n, err := strconv.ParseInt(num, 10, 64); err == nil {
			// Integers stay exact.
			switch {
			case isMonthUnit(unit):
				imonths += n * monthUnitSize(unit)
				continue
			case isDayUnit(unit):
				idays += n * dayUnitSize(unit)
				continue
			}
		}
		v, err := strconv.ParseFloat(num, 64)
		if err != nil || !add(v, unit) {
			return arrow.MonthDayNanoInterval{}, bad
		}
	}
	// Fractional months spill into days (30 per month), fractional days
	// into time, as PostgreSQL does.
	wm := math.Trunc(months)
	days += (months - wm) * 30
	wd := math.Trunc(days)
	us += (days - wd) * float64(microsPerDay)
	totalMonths := imonths + int64(wm)
	totalDays := idays + int64(wd)
	totalUs := ius + int64(math.Round(us))
	if ago {
		totalMonths, totalDays, totalUs = -totalMonths, -totalDays, -totalUs
	}
	if totalMonths != int64(int32(totalMonths)) || totalDays != int64(int32(totalDays)) {
		return arrow.MonthDayNanoInterval{}, pgerr.New(pgerr.DatetimeFieldOverflow, "interval field value out of range: %q", s)
	}
	return arrow.MonthDayNanoInterval{Months: int32(totalMonths), Days: int32(totalDays), Nanoseconds: totalUs * 1000}, nil
}

// parseISOInterval reads ISO 8601 durations: P[nY][nM][nW][nD][T[nH][nM][nS]].
func parseISOInterval(iso, orig string) (arrow.MonthDayNanoInterval, error) {
	bad := errDatetimeSyntax("interval", orig)
	var months, days, us float64
	inTime := false
	rest := strings.ToUpper(iso[1:])
	if rest == "" {
		return arrow.MonthDayNanoInterval{}, bad
	}
	for rest != "" {
		if rest[0] == 'T' {
			inTime = true
			rest = rest[1:]
			continue
		}
		j := 0
		for j < len(rest) && (rest[j] == '-' || rest[j] == '+' || rest[j] == '.' || (rest[j] >= '0' && rest[j] <= '9')) {
			j++
		}
		if j == 0 || j >= len(rest) {
			return arrow.MonthDayNanoInterval{}, bad
		}
		v, err := strconv.ParseFloat(rest[:j], 64)
		if err != nil {
			return arrow.MonthDayNanoInterval{}, bad
		}
		switch unit := rest[j]; {
		case unit == 'Y' && !inTime:
			months += v * 12
		case unit == 'M' && !inTime:
			months += v
		case unit == 'W' && !inTime:
			days += v * 7
		case unit == 'D' && !inTime:
			days += v
		case unit == 'H' && inTime:
			us += v * 3.6e9
		case unit == 'M' && inTime:
			us += v * 6e7
		case unit == 'S' && inTime:
			us += v * 1e6
		default:
			return arrow.MonthDayNanoInterval{}, bad
		}
		rest = rest[j+1:]
	}
	wm := math.Trunc(months)
	days += (months - wm) * 30
	wd := math.Trunc(days)
	us += (days - wd) * float64(microsPerDay)
	return arrow.MonthDayNanoInterval{Months: int32(wm), Days: int32(wd), Nanoseconds: int64(math.Round(us)) * 1000}, nil
}

func startsNumeric(f string) bool {
	return f != "" && (f[0] == '-' || f[0] == '+' || f[0] == '.' || (f[0] >= '0' && f[0] <= '9'))
}

func isMonthUnit(u string) bool { return monthUnitSize(u) > 0 }

func monthUnitSize(u string) int64 {
	switch u {
	case "month", "months", "mon", "mons":
		return 1
	case "year", "years", "y", "yr", "yrs":
		return 12
	case "decade", "decades":
		return 120
	case "century", "centuries", "c":
		return 1200
	case "millennium", "millennia", "millenniums":
		return 12000
	}
	return 0
}

func isDayUnit(u string) bool { return dayUnitSize(u) > 0 }

func dayUnitSize(u string) int64 {
	switch u {
	case "day", "days", "d":
		return 1
	case "week", "weeks", "w":
		return 7
	}
	return 0
}

// bareIntervalUnit is the unit of a number without one, from the interval
// typmod's field mask: the smallest field the type keeps.
func bareIntervalUnit(typmod int32) string {
	if typmod < 0 {
		return "second"
	}
	r := (typmod >> 16) & 0x7fff
	switch {
	case r&intervalSecond != 0:
		return "second"
	case r&intervalMinute != 0:
		return "minute"
	case r&intervalHour != 0:
		return "hour"
	case r&intervalDay != 0:
		return "day"
	case r&intervalMonth != 0:
		return "month"
	case r&intervalYear != 0:
		return "year"
	}
	return "second"
}

// parseLongClock reads h:mm[:ss[.f]] with any number of hours.
func parseLongClock(c string) (int64, error) {
	parts := strings.Split(c, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, strconv.ErrSyntax
	}
	h, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil {
		return 0, err
	}
	m, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil {
		return 0, err
	}
	var us int64
	if len(parts) == 3 {
		sec, frac, _ := strings.Cut(parts[2], ".")
		s, err := strconv.ParseInt(sec, 10, 64)
		if err != nil {
			return 0, err
		}
		us = s*microsPerSecond + fractionMicros(frac)
	}
	return h*microsPerHour + m*microsPerMinute + us, nil
}

func parseUUID(s string) ([16]byte, error) {
	var u [16]byte
	t := strings.TrimSuffix(strings.TrimPrefix(trimSpace(s), "{"), "}")
	t = strings.ReplaceAll(t, "-", "")
	if len(t) != 32 {
		return u, errSyntax("uuid", s)
	}
	for i := 0; i < 16; i++ {
		v, err := strconv.ParseUint(t[2*i:2*i+2], 16, 8)
		if err != nil {
			return u, errSyntax("uuid", s)
		}
		u[i] = byte(v)
	}
	return u, nil
}

func parseBytea(s string) ([]byte, error) {
	if strings.HasPrefix(s, `\x`) {
		h := s[2:]
		out := make([]byte, 0, len(h)/2)
		for i := 0; i < len(h); {
			if isSpace(h[i]) {
				i++
				continue
			}
			if i+1 >= len(h) {
				return nil, pgerr.New(pgerr.InvalidParameterValue, "invalid hexadecimal data: odd number of digits")
			}
			v, err := strconv.ParseUint(h[i:i+2], 16, 8)
			if err != nil {
				return nil, pgerr.New(pgerr.InvalidParameterValue, "invalid hexadecimal digit: %q", h[i:i+2])
			}
			out = append(out, byte(v))
			i += 2
		}
		return out, nil
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			out = append(out, s[i])
			continue
		}
		switch {
		case i+1 < len(s) && s[i+1] == '\\':
			out = append(out, '\\')
			i++
		case i+3 < len(s) && isOctal(s[i+1]) && isOctal(s[i+2]) && isOctal(s[i+3]):
			out = append(out, (s[i+1]-'0')<<6|(s[i+2]-'0')<<3|(s[i+3]-'0'))
			i += 3
		default:
			return nil, errSyntax("bytea", s)
		}
	}
	return out, nil
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }
