package exec

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// to_char of timestamps, dates and intervals, and the format pictures
// shared with to_date, to_timestamp, to_char of numbers and to_number,
// ported from PostgreSQL 15's formatting.c: the same keywords (YYYY, MM,
// DD, HH24, MI, SS, MS, US, FF1-FF6, AM/PM, Mon, Month, Day, Dy, D, DDD,
// IDDD, WW, IW, IYYY, Q, CC, J, RM, TZ, OF, TZH, TZM, SSSS, ...), the FM,
// TM, TH/th and FX modifiers, double-quoted literals and backslash
// escapes, with PostgreSQL's padding and errors. The database's locale is
// C.UTF-8, so TM (localized names) prints the English ones. A timestamptz
// prints its fields in the session's zone (zoned.go), TZ its abbreviation
// there and OF, TZH and TZM its offset; a timestamp has no zone (TZ
// prints nothing, OF +00).
//
// A format picture is parsed once per distinct string and kept in a small
// per-expression cache; an empty format gives NULL, as in PostgreSQL.

const (
	fnEnd uint8 = iota
	fnAction
	fnChar
	fnSeparator
	fnSpace
)

// suffixes (FormatNode.suffix)
const (
	sufFM = 0x01
	sufTH = 0x02
	sufth = 0x04
	sufSP = 0x08
	sufTM = 0x10
)

// date modes of keywords, for to_timestamp
const (
	modeNone uint8 = iota
	modeGregorian
	modeISOWeek
)

type fmtKeyword struct {
	name    string
	id      int
	isDigit bool
	mode    uint8
}

type fmtNode struct {
	typ    uint8
	key    *fmtKeyword
	chars  string
	suffix uint8
}

// DCH keyword ids
const (
	dchAD_ = iota // A.D.
	dchAM_        // A.M.
	dchAD
	dchAM
	dchBC_
	dchBC
	dchCC
	dchDAY
	dchDDD
	dchDD
	dchDY
	dchDay
	dchDy
	dchD
	dchFF1
	dchFF2
	dchFF3
	dchFF4
	dchFF5
	dchFF6
	dchFX
	dchHH24
	dchHH12
	dchHH
	dchIDDD
	dchID
	dchIW
	dchIYYY
	dchIYY
	dchIY
	dchI
	dchJ
	dchMI
	dchMM
	dchMONTH
	dchMON
	dchMS
	dchMonth
	dchMon
	dchOF
	dchPM_
	dchPM
	dchQ
	dchRM
	dchSSSS
	dchSS
	dchTZH
	dchTZM
	dchTZ
	dchUS
	dchWW
	dchW
	dchY_YYY
	dchYYYY
	dchYYY
	dchYY
	dchY
	dchad_
	dcham_
	dchad
	dcham
	dchbc_
	dchbc
	dchday
	dchdy
	dchmonth
	dchmon
	dchpm_
	dchpm
	dchrm
	dchtz
)

var dchKeywords = []fmtKeyword{
	{"A.D.", dchAD_, false, modeNone}, {"A.M.", dchAM_, false, modeNone}, {"AD", dchAD, false, modeNone},
	{"AM", dchAM, false, modeNone}, {"B.C.", dchBC_, false, modeNone}, {"BC", dchBC, false, modeNone},
	{"CC", dchCC, true, modeNone}, {"DAY", dchDAY, false, modeNone}, {"DDD", dchDDD, true, modeGregorian},
	{"DD", dchDD, true, modeGregorian}, {"DY", dchDY, false, modeNone}, {"Day", dchDay, false, modeNone},
	{"Dy", dchDy, false, modeNone}, {"D", dchD, true, modeGregorian},
	{"FF1", dchFF1, true, modeNone}, {"FF2", dchFF2, true, modeNone}, {"FF3", dchFF3, true, modeNone},
	{"FF4", dchFF4, true, modeNone}, {"FF5", dchFF5, true, modeNone}, {"FF6", dchFF6, true, modeNone},
	{"FX", dchFX, false, modeNone}, {"HH24", dchHH24, true, modeNone}, {"HH12", dchHH12, true, modeNone},
	{"HH", dchHH, true, modeNone}, {"IDDD", dchIDDD, true, modeISOWeek}, {"ID", dchID, true, modeISOWeek},
	{"IW", dchIW, true, modeISOWeek}, {"IYYY", dchIYYY, true, modeISOWeek}, {"IYY", dchIYY, true, modeISOWeek},
	{"IY", dchIY, true, modeISOWeek}, {"I", dchI, true, modeISOWeek}, {"J", dchJ, true, modeNone},
	{"MI", dchMI, true, modeNone}, {"MM", dchMM, true, modeGregorian}, {"MONTH", dchMONTH, false, modeGregorian},
	{"MON", dchMON, false, modeGregorian}, {"MS", dchMS, true, modeNone}, {"Month", dchMonth, false, modeGregorian},
	{"Mon", dchMon, false, modeGregorian}, {"OF", dchOF, false, modeNone}, {"P.M.", dchPM_, false, modeNone},
	{"PM", dchPM, false, modeNone}, {"Q", dchQ, true, modeNone}, {"RM", dchRM, false, modeGregorian},
	{"SSSSS", dchSSSS, true, modeNone}, {"SSSS", dchSSSS, true, modeNone}, {"SS", dchSS, true, modeNone},
	{"TZH", dchTZH, false, modeNone}, {"TZM", dchTZM, true, modeNone}, {"TZ", dchTZ, false, modeNone},
	{"US", dchUS, true, modeNone}, {"WW", dchWW, true, modeGregorian}, {"W", dchW, true, modeGregorian},
	{"Y,YYY", dchY_YYY, true, modeGregorian}, {"YYYY", dchYYYY, true, modeGregorian}, {"YYY", dchYYY, true, modeGregorian},
	{"YY", dchYY, true, modeGregorian}, {"Y", dchY, true, modeGregorian},
	{"a.d.", dchad_, false, modeNone}, {"a.m.", dcham_, false, modeNone}, {"ad", dchad, false, modeNone},
	{"am", dcham, false, modeNone}, {"b.c.", dchbc_, false, modeNone}, {"bc", dchbc, false, modeNone},
	{"cc", dchCC, true, modeNone}, {"day", dchday, false, modeNone}, {"ddd", dchDDD, true, modeGregorian},
	{"dd", dchDD, true, modeGregorian}, {"dy", dchdy, false, modeNone}, {"d", dchD, true, modeGregorian},
	{"ff1", dchFF1, true, modeNone}, {"ff2", dchFF2, true, modeNone}, {"ff3", dchFF3, true, modeNone},
	{"ff4", dchFF4, true, modeNone}, {"ff5", dchFF5, true, modeNone}, {"ff6", dchFF6, true, modeNone},
	{"fx", dchFX, false, modeNone}, {"hh24", dchHH24, true, modeNone}, {"hh12", dchHH12, true, modeNone},
	{"hh", dchHH, true, modeNone}, {"iddd", dchIDDD, true, modeISOWeek}, {"id", dchID, true, modeISOWeek},
	{"iw", dchIW, true, modeISOWeek}, {"iyyy", dchIYYY, true, modeISOWeek}, {"iyy", dchIYY, true, modeISOWeek},
	{"iy", dchIY, true, modeISOWeek}, {"i", dchI, true, modeISOWeek}, {"j", dchJ, true, modeNone},
	{"mi", dchMI, true, modeNone}, {"mm", dchMM, true, modeGregorian}, {"month", dchmonth, false, modeGregorian},
	{"mon", dchmon, false, modeGregorian}, {"ms", dchMS, true, modeNone}, {"of", dchOF, false, modeNone},
	{"p.m.", dchpm_, false, modeNone}, {"pm", dchpm, false, modeNone}, {"q", dchQ, true, modeNone},
	{"rm", dchrm, false, modeGregorian}, {"sssss", dchSSSS, true, modeNone}, {"ssss", dchSSSS, true, modeNone},
	{"ss", dchSS, true, modeNone}, {"tzh", dchTZH, false, modeNone}, {"tzm", dchTZM, true, modeNone},
	{"tz", dchtz, false, modeNone}, {"us", dchUS, true, modeNone}, {"ww", dchWW, true, modeGregorian},
	{"w", dchW, true, modeGregorian}, {"y,yyy", dchY_YYY, true, modeGregorian}, {"yyyy", dchYYYY, true, modeGregorian},
	{"yyy", dchYYY, true, modeGregorian}, {"yy", dchYY, true, modeGregorian}, {"y", dchY, true, modeGregorian},
}

// keywordIndex maps a first character to the first keyword starting with
// it (keywords sharing a first character are adjacent, longest first).
func keywordIndex(kw []fmtKeyword) map[byte]int {
	idx := map[byte]int{}
	for i := len(kw) - 1; i >= 0; i-- {
		idx[kw[i].name[0]] = i
	}
	return idx
}

var dchIndex = keywordIndex(dchKeywords)

func searchKeyword(s string, kw []fmtKeyword, idx map[byte]int) *fmtKeyword {
	if s == "" || s[0] <= ' ' || s[0] >= '~' {
		return nil
	}
	i, ok := idx[s[0]]
	if !ok {
		return nil
	}
	for ; i < len(kw) && kw[i].name[0] == s[0]; i++ {
		if strings.HasPrefix(s, kw[i].name) {
			return &kw[i]
		}
	}
	return nil
}

var dchPrefixes = []struct {
	name string
	id   uint8
}{{"FM", sufFM}, {"fm", sufFM}, {"TM", sufTM}, {"tm", sufTM}}

var dchPostfixes = []struct {
	name string
	id   uint8
}{{"TH", sufTH}, {"th", sufth}, {"SP", sufSP}}

func isSeparatorChar(c byte) bool {
	return c > 0x20 && c < 0x7f && !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9')
}

// parseFormat is parse_format: dch selects the datetime keywords and
// suffixes; for numbers, num collects the picture's description.
func parseFormat(str string, dch bool, num *numDesc) ([]fmtNode, error) {
	var out []fmtNode
	kw, idx := dchKeywords, dchIndex
	if !dch {
		kw, idx = numKeywords, numIndex
	}
	for len(str) > 0 {
		var suffix uint8
		if dch {
			for _, p := range dchPrefixes {
				if strings.HasPrefix(str, p.name) {
					suffix |= p.id
					str = str[len(p.name):]
					break
				}
			}
		}
		if k := searchKeyword(str, kw, idx); len(str) > 0 && k != nil {
			n := fmtNode{typ: fnAction, key: k, suffix: suffix}
			str = str[len(k.name):]
			if !dch {
				if err := num.prepare(k.id); err != nil {
					return nil, err
				}
			}
			if dch && len(str) > 0 {
				for _, p := range dchPostfixes {
					if strings.HasPrefix(str, p.name) {
						n.suffix |= p.id
						str = str[len(p.name):]
						break
					}
				}
			}
			out = append(out, n)
			continue
		}
		if len(str) == 0 {
			break
		}
		if str[0] == '"' {
			str = str[1:]
			for len(str) > 0 {
				if str[0] == '"' {
					str = str[1:]
					break
				}
				if str[0] == '\\' && len(str) > 1 {
					str = str[1:]
				}
				_, w := utf8.DecodeRuneInString(str)
				out = append(out, fmtNode{typ: fnChar, chars: str[:w]})
				str = str[w:]
			}
			continue
		}
		if str[0] == '\\' && len(str) > 1 && str[1] == '"' {
			str = str[1:]
		}
		_, w := utf8.DecodeRuneInString(str)
		n := fmtNode{typ: fnChar, chars: str[:w]}
		switch {
		case dch && isSeparatorChar(str[0]):
			n.typ = fnSeparator
		case str[0] == ' ' || str[0] >= '\t' && str[0] <= '\r':
			n.typ = fnSpace
		}
		out = append(out, n)
		str = str[w:]
	}
	return out, nil
}

// fmtTM is the broken-down value to_char formats.
type fmtTM struct {
	sec, min        int
	hour            int64
	mday, mon, year int // year astronomical (1 BC is 0) for timestamps
	wday, yday      int
	gmtoff          int
	fsec            int64
	tzn             string
	hasTZN          bool
}

var monthsFull = [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
var monthsShort = [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
var daysFull = [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
var daysShort = [7]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
var rmMonthsUpper = [12]string{"XII", "XI", "X", "IX", "VIII", "VII", "VI", "V", "IV", "III", "II", "I"}
var rmMonthsLower = [12]string{"xii", "xi", "x", "ix", "viii", "vii", "vi", "v", "iv", "iii", "ii", "i"}

// appendNumTH appends the ordinal suffix of the number just written
// (dst[start:]), as str_numth does.
func appendNumTH(dst []byte, start int, upper bool) ([]byte, error) {
	num := dst[start:]
	if len(num) == 0 || num[len(num)-1] < '0' || num[len(num)-1] > '9' {
		return nil, pgerr.New(pgerr.InvalidTextRepresentation, "\"%s\" is not a number", string(num))
	}
	last := num[len(num)-1]
	if len(num) > 1 && num[len(num)-2] == '1' {
		last = 0
	}
	s := "th"
	switch last {
	case '1':
		s = "st"
	case '2':
		s = "nd"
	case '3':
		s = "rd"
	}
	if upper {
		s = strings.ToUpper(s)
	}
	return append(dst, s...), nil
}

// appendIntPad is sprintf("%0*d", width, v).
func appendIntPad(dst []byte, v int64, width int) []byte {
	var buf [24]byte
	s := strconv.AppendInt(buf[:0], v, 10)
	neg := v < 0
	digits := s
	if neg {
		digits = s[1:]
		dst = append(dst, '-')
		width--
	}
	for k := len(digits); k < width; k++ {
		dst = append(dst, '0')
	}
	return append(dst, digits...)
}

// appendPadRight is sprintf("%*s", fm ? 0 : -width, s).
func appendPadRight(dst []byte, s string, width int, fm bool) []byte {
	dst = append(dst, s...)
	if !fm {
		for k := len(s); k < width; k++ {
			dst = append(dst, ' ')
		}
	}
	return dst
}

func errInvalidForInterval() error {
	e := pgerr.New(pgerr.InvalidDatetimeFormat, "invalid format specification for an interval value")
	e.Hint = "Intervals are not tied to specific calendar dates."
	return e
}

func adjustYear(year int, interval bool) int {
	if interval {
		return year
	}
	if year <= 0 {
		return -(year - 1)
	}
	return year
}

// isoYearWeek gives the ISO week-numbering year (astronomical) and week
// of a date.
func isoYearWeek(year, mon, mday int) (int, int) {
	days := daysFromCivil(int64(year), int64(mon), int64(mday))
	w, y := isoWeek(days)
	return int(y), int(w)
}

// dchToChar is DCH_to_char.
func dchToChar(dst []byte, nodes []fmtNode, interval bool, tm *fmtTM) ([]byte, error) {
	for i := range nodes {
		n := &nodes[i]
		if n.typ != fnAction {
			dst = append(dst, n.chars...)
			continue
		}
		fm := n.suffix&sufFM != 0
		th := n.suffix&(sufTH|sufth) != 0
		start := len(dst)
		wantTH := func() error {
			if th {
				var err error
				dst, err = appendNumTH(dst, start, n.suffix&sufTH != 0)
				return err
			}
			return nil
		}
		width := func(w int, neg bool) int {
			if fm {
				return 0
			}
			if neg {
				return w + 1
			}
			return w
		}
		pm := tm.hour%24 >= 12
		ampm := func(upper, dots bool) {
			s := "am"
			if pm {
				s = "pm"
			}
			if dots {
				s = s[:1] + "." + s[1:] + "."
			}
			if upper {
				s = strings.ToUpper(s)
			}
			dst = append(dst, s...)
		}
		var err error
		switch n.key.id {
		case dchAM_, dchPM_:
			ampm(true, true)
		case dchAM, dchPM:
			ampm(true, false)
		case dcham_, dchpm_:
			ampm(false, true)
		case dcham, dchpm:
			ampm(false, false)
		case dchHH, dchHH12:
			h := tm.hour % 12
			if h == 0 {
				h = 12
			}
			dst = appendIntPad(dst, h, width(2, tm.hour < 0))
			err = wantTH()
		case dchHH24:
			dst = appendIntPad(dst, tm.hour, width(2, tm.hour < 0))
			err = wantTH()
		case dchMI:
			dst = appendIntPad(dst, int64(tm.min), width(2, tm.min < 0))
			err = wantTH()
		case dchSS:
			dst = appendIntPad(dst, int64(tm.sec), width(2, tm.sec < 0))
			err = wantTH()
		case dchFF1, dchFF2, dchFF3, dchFF4, dchFF5, dchFF6, dchMS, dchUS:
			var digits int
			switch n.key.id {
			case dchMS:
				digits = 3
			case dchUS:
				digits = 6
			default:
				digits = n.key.id - dchFF1 + 1
			}
			v := tm.fsec
			for k := digits; k < 6; k++ {
				v /= 10
			}
			dst = appendIntPad(dst, v, digits)
			err = wantTH()
		case dchSSSS:
			dst = strconv.AppendInt(dst, tm.hour*3600+int64(tm.min)*60+int64(tm.sec), 10)
			err = wantTH()
		case dchtz, dchTZ:
			if interval {
				return nil, errInvalidForInterval()
			}
			if tm.hasTZN {
				if n.key.id == dchtz {
					dst = append(dst, strings.ToLower(tm.tzn)...)
				} else {
					dst = append(dst, tm.tzn...)
				}
			}
		case dchTZH:
			if interval {
				return nil, errInvalidForInterval()
			}
			sign := byte('+')
			if tm.gmtoff < 0 {
				sign = '-'
			}
			dst = append(dst, sign)
			dst = appendIntPad(dst, int64(absInt(tm.gmtoff)/3600), 2)
		case dchTZM:
			if interval {
				return nil, errInvalidForInterval()
			}
			dst = appendIntPad(dst, int64(absInt(tm.gmtoff)%3600/60), 2)
		case dchOF:
			if interval {
				return nil, errInvalidForInterval()
			}
			sign := byte('+')
			if tm.gmtoff < 0 {
				sign = '-'
			}
			dst = append(dst, sign)
			dst = appendIntPad(dst, int64(absInt(tm.gmtoff)/3600), width(2, false))
			if absInt(tm.gmtoff)%3600 != 0 {
				dst = append(dst, ':')
				dst = appendIntPad(dst, int64(absInt(tm.gmtoff)%3600/60), 2)
			}
		case dchAD_, dchBC_, dchAD, dchBC, dchad_, dchbc_, dchad, dchbc:
			if interval {
				return nil, errInvalidForInterval()
			}
			bc := tm.year <= 0
			var s string
			switch n.key.id {
			case dchAD_, dchBC_:
				s = "A.D."
				if bc {
					s = "B.C."
				}
			case dchAD, dchBC:
				s = "AD"
				if bc {
					s = "BC"
				}
			case dchad_, dchbc_:
				s = "a.d."
				if bc {
					s = "b.c."
				}
			default:
				s = "ad"
				if bc {
					s = "bc"
				}
			}
			dst = append(dst, s...)
		case dchMONTH, dchMonth, dchmonth, dchMON, dchMon, dchmon:
			if interval {
				return nil, errInvalidForInterval()
			}
			if tm.mon == 0 {
				break
			}
			full := n.key.id == dchMONTH || n.key.id == dchMonth || n.key.id == dchmonth
			s := monthsShort[tm.mon-1]
			if full {
				s = monthsFull[tm.mon-1]
			}
			switch n.key.id {
			case dchMONTH, dchMON:
				s = upperName(s)
			case dchmonth, dchmon:
				s = lowerName(s)
			}
			if full && n.suffix&sufTM == 0 {
				dst = appendPadRight(dst, s, 9, fm)
			} else {
				dst = append(dst, s...)
			}
		case dchMM:
			dst = appendIntPad(dst, int64(tm.mon), width(2, tm.mon < 0))
			err = wantTH()
		case dchDAY, dchDay, dchday, dchDY, dchDy, dchdy:
			if interval {
				return nil, errInvalidForInterval()
			}
			full := n.key.id == dchDAY || n.key.id == dchDay || n.key.id == dchday
			s := daysShort[tm.wday]
			if full {
				s = daysFull[tm.wday]
			}
			switch n.key.id {
			case dchDAY, dchDY:
				s = upperName(s)
			case dchday, dchdy:
				s = lowerName(s)
			}
			if full && n.suffix&sufTM == 0 {
				dst = appendPadRight(dst, s, 9, fm)
			} else {
				dst = append(dst, s...)
			}
		case dchDDD, dchIDDD:
			v := tm.yday
			if n.key.id == dchIDDD {
				iy, iw := isoYearWeek(tm.year, tm.mon, tm.mday)
				_ = iy
				wd := tm.wday
				if wd == 0 {
					wd = 7
				}
				v = (iw-1)*7 + wd
			}
			dst = appendIntPad(dst, int64(v), width(3, false))
			err = wantTH()
		case dchDD:
			dst = appendIntPad(dst, int64(tm.mday), width(2, false))
			err = wantTH()
		case dchD:
			if interval {
				return nil, errInvalidForInterval()
			}
			dst = strconv.AppendInt(dst, int64(tm.wday+1), 10)
			err = wantTH()
		case dchID:
			if interval {
				return nil, errInvalidForInterval()
			}
			wd := tm.wday
			if wd == 0 {
				wd = 7
			}
			dst = strconv.AppendInt(dst, int64(wd), 10)
			err = wantTH()
		case dchWW:
			dst = appendIntPad(dst, int64((tm.yday-1)/7+1), width(2, false))
			err = wantTH()
		case dchIW:
			_, iw := isoYearWeek(tm.year, tm.mon, tm.mday)
			dst = appendIntPad(dst, int64(iw), width(2, false))
			err = wantTH()
		case dchQ:
			if tm.mon == 0 {
				break
			}
			dst = strconv.AppendInt(dst, int64((tm.mon-1)/3+1), 10)
			err = wantTH()
		case dchCC:
			var c int
			switch {
			case interval:
				c = tm.year / 100
			case tm.year > 0:
				c = (tm.year-1)/100 + 1
			default:
				c = tm.year/100 - 1
			}
			if c <= 99 && c >= -99 {
				dst = appendIntPad(dst, int64(c), width(2, c < 0))
			} else {
				dst = strconv.AppendInt(dst, int64(c), 10)
			}
			err = wantTH()
		case dchY_YYY:
			y := adjustYear(tm.year, interval)
			dst = strconv.AppendInt(dst, int64(y/1000), 10)
			dst = append(dst, ',')
			dst = appendIntPad(dst, int64(y-(y/1000)*1000), 3)
			err = wantTH()
		case dchYYYY, dchIYYY, dchYYY, dchIYY, dchYY, dchIY, dchY, dchI:
			y := tm.year
			switch n.key.id {
			case dchIYYY, dchIYY, dchIY, dchI:
				y, _ = isoYearWeek(tm.year, tm.mon, tm.mday)
			}
			y = adjustYear(y, interval)
			// the width follows the calendar year, also for ISO years
			neg := adjustYear(tm.year, interval) < 0
			switch n.key.id {
			case dchYYYY, dchIYYY:
				dst = appendIntPad(dst, int64(y), width(4, neg))
			case dchYYY, dchIYY:
				dst = appendIntPad(dst, int64(y%1000), width(3, neg))
			case dchYY, dchIY:
				dst = appendIntPad(dst, int64(y%100), width(2, neg))
			default:
				dst = strconv.AppendInt(dst, int64(y%10), 10)
			}
			err = wantTH()
		case dchRM, dchrm:
			if tm.mon == 0 && tm.year == 0 {
				break
			}
			months := rmMonthsUpper
			if n.key.id == dchrm {
				months = rmMonthsLower
			}
			var k int
			switch {
			case tm.mon == 0:
				k = 0
				if tm.year < 0 {
					k = 11
				}
			case tm.mon < 0:
				k = -1 * (tm.mon + 1)
			default:
				k = 12 - tm.mon
			}
			dst = appendPadRight(dst, months[k], 4, fm)
		case dchW:
			dst = strconv.AppendInt(dst, int64((tm.mday-1)/7+1), 10)
			err = wantTH()
		case dchJ:
			dst = strconv.AppendInt(dst, daysFromCivil(int64(tm.year), int64(tm.mon), int64(tm.mday))+2440588, 10)
			err = wantTH()
		}
		if err != nil {
			return nil, err
		}
	}
	return dst, nil
}

// upper- and lower-case month and day names, computed once
var nameCases = func() map[string][2]string {
	m := map[string][2]string{}
	for _, list := range [][]string{monthsFull[:], monthsShort[:], daysFull[:], daysShort[:]} {
		for _, s := range list {
			m[s] = [2]string{strings.ToUpper(s), strings.ToLower(s)}
		}
	}
	return m
}()

func upperName(s string) string { return nameCases[s][0] }
func lowerName(s string) string { return nameCases[s][1] }

func absInt(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// timestampTM breaks a timestamp (microseconds) into to_char's fields; a
// timestamptz (loc not nil) in zone loc, with the zone's offset and
// abbreviation there.
func timestampTM(ts int64, loc *time.Location) fmtTM {
	var tzn string
	var off int
	if loc != nil {
		tzn, off = time.UnixMicro(ts).In(loc).Zone()
		ts += int64(off) * microsPerSecond
	}
	day := floorDiv(ts, microsPerDay)
	tod := ts - day*microsPerDay
	y, m, d := civilFromDays(day)
	tm := fmtTM{
		year: int(y), mon: int(m), mday: int(d),
		hour: tod / microsPerHour, min: int(tod / microsPerMinute % 60), sec: int(tod / microsPerSecond % 60),
		fsec: tod % microsPerSecond,
		wday: int(floorMod(day+4, 7)),
		yday: int(day - daysFromCivil(y, 1, 1) + 1),
	}
	if loc != nil {
		tm.tzn, tm.hasTZN, tm.gmtoff = tzn, true, off
	}
	return tm
}

// intervalTM is interval2tm as interval_to_char uses it.
func intervalTM(v arrow.MonthDayNanoInterval) fmtTM {
	us := v.Nanoseconds / 1000
	tm := fmtTM{
		year: int(v.Months / 12), mon: int(v.Months % 12), mday: int(v.Days),
		hour: us / microsPerHour, min: int(us / microsPerMinute % 60), sec: int(us / microsPerSecond % 60),
		fsec: us % microsPerSecond,
	}
	tm.yday = (tm.year*12+tm.mon)*30 + tm.mday
	return tm
}

// formatCache keeps parsed format pictures of one expression.
type formatCache struct {
	last    string
	nodes   []fmtNode
	num     numDesc
	entries map[string]formatEntry
}

type formatEntry struct {
	nodes []fmtNode
	num   numDesc
}

func (c *formatCache) get(f []byte, dch bool) ([]fmtNode, numDesc, error) {
	if c.nodes != nil && c.last == bytesAsString(f) {
		return c.nodes, c.num, nil
	}
	if e, ok := c.entries[bytesAsString(f)]; ok {
		c.last, c.nodes, c.num = string(f), e.nodes, e.num
		return e.nodes, e.num, nil
	}
	var num numDesc
	nodes, err := parseFormat(string(f), dch, &num)
	if err != nil {
		return nil, numDesc{}, err
	}
	if nodes == nil {
		nodes = []fmtNode{}
	}
	if c.entries == nil || len(c.entries) > 32 {
		c.entries = map[string]formatEntry{}
	}
	c.entries[string(f)] = formatEntry{nodes, num}
	c.last, c.nodes, c.num = string(f), nodes, num
	return nodes, num, nil
}

// newDatetimeToChar builds to_char(timestamp|timestamptz|interval, text).
func newDatetimeToChar(args []Expr) Expr {
	kind := args[0].Type().Kind
	var c formatCache
	kernelFor := func(loc *time.Location) (funcKernel, error) {
		if kind != catalog.TimestampTZ {
			loc = nil
		}
		return func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
			fv := varlenViewOf(a[1])
			var ts []int64
			var iv []arrow.MonthDayNanoInterval
			if kind == catalog.Interval {
				iv = fixedValues[arrow.MonthDayNanoInterval](a[0])
			} else {
				ts = fixedValues[int64](a[0])
			}
			valid := validityOf(a[0])
			out := newVarlenBuilder(mem, b.Len, 0)
			rows := selectionCursor{sel: b.Sel}
			var scratch []byte
			for i := 0; i < b.Len; i++ {
				if !rows.selected(i) || !valid.valid(i) || !fv.valid(i) || len(fv.bytes(i)) == 0 || kind != catalog.Interval && tsInfiniteSign(ts[i]) != 0 {
					// to_char of an infinite timestamp is NULL
					out.appendNull()
					continue
				}
				nodes, _, err := c.get(fv.bytes(i), true)
				if err != nil {
					out.finish(catalog.TypeText).Release()
					return nil, err
				}
				var tm fmtTM
				if kind == catalog.Interval {
					tm = intervalTM(iv[i])
				} else {
					tm = timestampTM(ts[i], loc)
				}
				scratch, err = dchToChar(scratch[:0], nodes, kind == catalog.Interval, &tm)
				if err != nil {
					out.finish(catalog.TypeText).Release()
					return nil, err
				}
				out.appendBytes(scratch)
			}
			return out.finish(catalog.TypeText), nil
		}, nil
	}
	if kind == catalog.TimestampTZ {
		return &zonedExpr{args: args, t: catalog.TypeText, kernelFor: kernelFor}
	}
	k, _ := kernelFor(nil)
	return &funcExpr{args: args, t: catalog.TypeText, kernel: k}
}

func init() {
	registerFunc(&funcDef{
		resolve: func(types []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
			if len(types) != 2 || !types[1].IsString() && types[1].Kind != catalog.Unknown {
				return catalog.Type{}, nil, errNoFunction("to_char", types)
			}
			t := types[0]
			var want catalog.Type
			switch {
			case t.Kind == catalog.Timestamp || t.Kind == catalog.TimestampTZ || t.Kind == catalog.Interval:
				want = t
			case t.Kind == catalog.Date:
				// date reads as timestamptz, the preferred datetime type
				want = catalog.TypeTimestampTZ
			case t.Kind == catalog.Int2 || t.Kind == catalog.Int4:
				want = catalog.TypeInt4
			case t.Kind == catalog.Int8 || t.Kind == catalog.Float4 || t.Kind == catalog.Float8:
				want = t
			case t.Kind == catalog.Numeric:
				want = catalog.TypeNumeric
			case t.Kind == catalog.Unknown:
				return catalog.Type{}, nil, errNotUnique("to_char", types)
			default:
				return catalog.Type{}, nil, errNoFunction("to_char", types)
			}
			return catalog.TypeText, []catalog.Type{want, catalog.TypeText}, nil
		},
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			switch args[0].Type().Kind {
			case catalog.Timestamp, catalog.TimestampTZ, catalog.Interval:
				return newDatetimeToChar(args), nil
			}
			return newNumberToChar(args), nil
		},
	}, "to_char")
}
