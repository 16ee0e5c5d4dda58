package catalog

import (
	"encoding/binary"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pqdb/pqdb/pgerr"
)

// Time zones as PostgreSQL 15 names them. Three readers of a zone name
// differ in what they accept, and each has its function here:
//
//   - LoadTimeZone is pg_tzset: a zone of the time zone database, its
//     name matched without regard to case ("america/new_york"), or a
//     POSIX zone specification, whose offset counts hours WEST of
//     Greenwich ("UTC+3" and "+05" are three and five hours behind UTC).
//     The TimeZone setting reads its names with it.
//   - LookupZone reads the zone of AT TIME ZONE and date_trunc: first an
//     abbreviation of the Default timezone_abbreviations set (EST, PST,
//     MSK; timezone_abbrevs_gen.go), then LoadTimeZone.
//   - LookupZoneOrOffset reads make_timestamptz's zone: first an ISO
//     offset, east positive ("+05:30"), then LookupZone.
//
// A Zone converts between instants and wall-clock times (microseconds
// since 1970-01-01, the representations of timestamptz and timestamp).

// zoneAbbrev is one abbreviation of the Default set: a fixed offset in
// seconds east of Greenwich (dst when it is daylight-saving time), or,
// when zone is set, a dynamic abbreviation whose meaning the zone's
// history gives.
type zoneAbbrev struct {
	offset int64
	dst    bool
	zone   string
}

// Zone is a time zone: a zone of the database, a fixed offset, or a
// dynamic abbreviation (MSK), whose offset at an instant is the one the
// abbreviation had in its zone most recently before that instant.
type Zone struct {
	loc    *time.Location
	abbrev string // a dynamic abbreviation of loc, as the database spells it
}

// ZoneOf is the Zone of a location; nil is UTC.
func ZoneOf(loc *time.Location) Zone {
	if loc == nil {
		loc = time.UTC
	}
	return Zone{loc: loc}
}

// Offset is the zone's UTC offset, in seconds east, at instant us.
func (z Zone) Offset(us int64) int64 {
	if z.abbrev != "" {
		if off, ok := abbrevOffset(z.loc, z.abbrev, us); ok {
			return off
		}
	}
	return ZoneOffset(us, z.loc)
}

// ToLocal is the wall-clock time of instant us in the zone.
func (z Zone) ToLocal(us int64) int64 { return us + z.Offset(us)*usPerSecond }

// ToUTC is the instant of wall-clock time local in the zone, as
// PostgreSQL's DetermineTimeZoneOffset reads it (see LocalToUTC).
func (z Zone) ToUTC(local int64) int64 {
	u := LocalToUTC(local, z.loc)
	if z.abbrev != "" {
		if off, ok := abbrevOffset(z.loc, z.abbrev, u); ok {
			return local - off*usPerSecond
		}
	}
	return u
}

// Base is the zone without its dynamic abbreviation: the zone of the
// database the abbreviation belongs to.
func (z Zone) Base() Zone { return Zone{loc: z.loc} }

// IsUTC reports whether the zone is UTC at every instant, where
// conversions are the identity.
func (z Zone) IsUTC() bool { return z.abbrev == "" && (z.loc == nil || z.loc == time.UTC) }

// ZoneOffset is the UTC offset in seconds east of loc at instant us.
func ZoneOffset(us int64, loc *time.Location) int64 {
	if loc == nil || loc == time.UTC {
		return 0
	}
	_, off := time.UnixMicro(us).In(loc).Zone()
	return int64(off)
}

// LocalToUTC converts a wall-clock time in loc to an instant. A time that
// a transition repeats or skips has two readings, one per offset around
// the transition; like PostgreSQL, take the later instant, preferring a
// reading that is valid in loc.
func LocalToUTC(local int64, loc *time.Location) int64 {
	if loc == nil || loc == time.UTC {
		return local
	}
	return localToUTC(local, locationOffsets{loc})
}

// offsets gives a zone's offset (seconds east) at an instant.
type offsets interface{ Offset(us int64) int64 }

type locationOffsets struct{ loc *time.Location }

func (l locationOffsets) Offset(us int64) int64 { return ZoneOffset(us, l.loc) }

// localToUTC is LocalToUTC in the zone z gives the offsets of.
func localToUTC[Z offsets](local int64, z Z) int64 {
	best, bestValid := int64(math.MinInt64), false
	for _, probe := range [2]int64{local - 12*usPerHour, local + 12*usPerHour} {
		off := z.Offset(probe)
		u := local - off*usPerSecond
		valid := z.Offset(u) == off
		if valid && !bestValid || valid == bestValid && u > best {
			best, bestValid = u, valid
		}
	}
	return best
}

// ZoneCursor converts between instants and wall-clock times in one zone
// for a run of values that are mostly near each other (the rows of a
// column): it remembers the period around its last answer in which the
// zone's offset stays the same, so that a value in it costs two
// comparisons instead of a search of the zone's transitions. A
// ZoneCursor is not safe for concurrent use.
type ZoneCursor struct {
	zone       Zone
	start, end int64 // instants [start, end) have offset off
	off        int64
}

// NewZoneCursor returns a cursor of z.
func NewZoneCursor(z Zone) *ZoneCursor {
	if z.IsUTC() {
		return &ZoneCursor{zone: z, start: math.MinInt64, end: math.MaxInt64}
	}
	return &ZoneCursor{zone: z, start: 1, end: 0} // no period yet
}

// Offset is Zone.Offset.
func (c *ZoneCursor) Offset(us int64) int64 {
	if us >= c.start && us < c.end {
		return c.off
	}
	if c.zone.abbrev != "" || c.zone.loc == nil || c.zone.loc == time.UTC {
		return c.zone.Offset(us)
	}
	t := time.UnixMicro(us).In(c.zone.loc)
	_, off := t.Zone()
	start, end := t.ZoneBounds()
	c.start, c.end, c.off = int64(math.MinInt64), int64(math.MaxInt64), int64(off)
	if !start.IsZero() {
		c.start = start.UnixMicro()
	}
	if !end.IsZero() {
		c.end = end.UnixMicro()
	}
	return c.off
}

// ToLocal is Zone.ToLocal.
func (c *ZoneCursor) ToLocal(us int64) int64 { return us + c.Offset(us)*usPerSecond }

// ToUTC is Zone.ToUTC.
func (c *ZoneCursor) ToUTC(local int64) int64 {
	if c.zone.abbrev != "" || c.zone.loc == nil || c.zone.loc == time.UTC {
		return c.zone.ToUTC(local)
	}
	return localToUTC(local, c)
}

// abbrevOffset is pg_interpret_timezone_abbrev: the offset abbrev had in
// loc at the latest transition at or before us, else at the first one
// after; ok is false when loc never used it (within a bounded search).
func abbrevOffset(loc *time.Location, abbrev string, us int64) (int64, bool) {
	t, ok := abbrevInstant(loc, abbrev, us)
	_, off := t.Zone()
	return int64(off), ok
}

// abbrevInstant is an instant of loc whose abbreviation is abbrev: the
// latest at or before us, else the first after; ok is false when loc
// never used it (within a bounded search).
func abbrevInstant(loc *time.Location, abbrev string, us int64) (time.Time, bool) {
	const maxSteps = 2000
	t := time.UnixMicro(us).In(loc)
	for range maxSteps {
		if name, _ := t.Zone(); name == abbrev {
			return t, true
		}
		start, _ := t.ZoneBounds()
		if start.IsZero() {
			break
		}
		t = start.Add(-time.Second)
	}
	t = time.UnixMicro(us).In(loc)
	for range maxSteps {
		_, end := t.ZoneBounds()
		if end.IsZero() {
			break
		}
		t = end
		if name, _ := t.Zone(); name == abbrev {
			return t, true
		}
	}
	return time.Time{}, false
}

// ZoneAbbreviation is an abbreviation of the Default set as
// pg_timezone_abbrevs shows it: its offset from UTC in seconds and
// whether it is daylight-saving time.
type ZoneAbbreviation struct {
	Name   string
	Offset int64
	IsDST  bool
}

// ZoneAbbreviations lists the abbreviations of the Default set in name
// order, a dynamic one with the meaning it has at now, or, when its zone
// never used it, the zone's offset at now (leaving out one whose zone
// pqdb cannot load), as pg_timezone_abbrevs does
// (DetermineTimeZoneAbbrevOffsetTS).
func ZoneAbbreviations(now time.Time) []ZoneAbbreviation {
	var out []ZoneAbbreviation
	for key, a := range zoneAbbrevs {
		z := ZoneAbbreviation{Name: strings.ToUpper(key), Offset: a.offset, IsDST: a.dst}
		if a.zone != "" {
			loc, err := LoadTimeZone(a.zone)
			if loc == nil || err != nil {
				continue
			}
			t, ok := abbrevInstant(loc, z.Name, now.UnixMicro())
			if !ok {
				t = now.In(loc)
			}
			_, off := t.Zone()
			z.Offset, z.IsDST = int64(off), t.IsDST()
		}
		out = append(out, z)
	}
	slices.SortFunc(out, func(x, y ZoneAbbreviation) int { return strings.Compare(x.Name, y.Name) })
	return out
}

// errZoneNotRecognized is the error of a zone name no reader accepts.
func errZoneNotRecognized(name string) error {
	return pgerr.New(pgerr.InvalidParameterValue, "time zone \"%s\" not recognized", name)
}

// LookupZone reads the zone argument of AT TIME ZONE (timezone()) and
// date_trunc as PostgreSQL's timestamptz_zone does: an abbreviation of the
// Default set, else a zone LoadTimeZone accepts, else 22023.
func LookupZone(name string) (Zone, error) {
	if a, ok := zoneAbbrevs[strings.ToLower(name)]; ok {
		if a.zone == "" {
			return Zone{loc: time.FixedZone(strings.ToUpper(name), int(a.offset))}, nil
		}
		loc, err := LoadTimeZone(a.zone)
		if loc == nil || err != nil {
			return Zone{}, errZoneNotRecognized(name)
		}
		return Zone{loc: loc, abbrev: strings.ToUpper(name)}, nil
	}
	loc, err := LoadTimeZone(name)
	if err != nil {
		return Zone{}, err
	}
	if loc == nil {
		return Zone{}, errZoneNotRecognized(name)
	}
	return Zone{loc: loc}, nil
}

// LookupZoneOrOffset reads make_timestamptz's zone argument as
// PostgreSQL's parse_sane_timezone does: an ISO offset east of Greenwich
// ("+5", "-03:30", "+0530"), else LookupZone's names. A leading digit is
// refused, so that a POSIX offset ("5") cannot be mistaken for one.
func LookupZoneOrOffset(name string) (Zone, error) {
	if name != "" && isDigit(name[0]) {
		e := pgerr.New(pgerr.InvalidParameterValue, "invalid input syntax for type numeric time zone: \"%s\"", name)
		e.Hint = "Numeric time zones must have \"-\" or \"+\" as first character."
		return Zone{}, e
	}
	off, ok, overflow := decodeNumericZone(name)
	if overflow {
		return Zone{}, pgerr.New(pgerr.InvalidParameterValue, "numeric time zone \"%s\" out of range", name)
	}
	if ok {
		return Zone{loc: time.FixedZone("", int(off))}, nil
	}
	return LookupZone(name)
}

// decodeNumericZone is DecodeTimezone: +H, +HH, +HHMM, +H:M or +H:M:S, in
// seconds east; overflow is an offset out of range (hours above 15),
// ok=false anything else.
func decodeNumericZone(s string) (off int64, ok, overflow bool) {
	if s == "" || s[0] != '+' && s[0] != '-' {
		return 0, false, false
	}
	hr, rest, big := strtol(s[1:])
	var min, sec int64
	switch {
	case strings.HasPrefix(rest, ":"):
		var big2, big3 bool
		min, rest, big2 = strtol(rest[1:])
		if strings.HasPrefix(rest, ":") {
			sec, rest, big3 = strtol(rest[1:])
		}
		big = big || big2 || big3
	case rest == "" && len(s) > 3:
		hr, min = hr/100, hr%100
	}
	if big || hr < 0 || hr > 15 || min < 0 || min >= 60 || sec < 0 || sec >= 60 {
		return 0, false, true
	}
	if rest != "" {
		return 0, false, false
	}
	off = (hr*60+min)*60 + sec
	if s[0] == '-' {
		off = -off
	}
	return off, true, false
}

// strtol reads a decimal integer as C's strtol does (leading spaces, a
// sign, digits; no digits reads 0 and consumes nothing) and returns the
// rest; big reports a value beyond int32 (strtoint's ERANGE).
func strtol(s string) (n int64, rest string, big bool) {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] >= '\t' && s[i] <= '\r') {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	j := i
	for j < len(s) && isDigit(s[j]) {
		if n = n*10 + int64(s[j]-'0'); n > math.MaxInt32+1 {
			big = true
			n = math.MaxInt32 + 1
		}
		j++
	}
	if j == i {
		return 0, s, false
	}
	if neg {
		n = -n
	}
	return n, s[j:], big || n > math.MaxInt32
}

// zoneCache holds the zones LoadTimeZone found, by name as given: zones
// are read from the database, or built, once. It stops growing at
// zoneCacheMax names, as names come from user input.
var (
	zoneCache     sync.Map // string → *time.Location
	zoneCacheSize int64
	zoneCacheMu   sync.Mutex
)

const zoneCacheMax = 4096

// LoadTimeZone is pg_tzset: the zone of the time zone database named name
// (case does not matter, and the location carries the database's
// spelling), or the zone of a POSIX specification (std name and offset,
// hours west of Greenwich, whose location is named by the upper-cased
// specification, as PostgreSQL shows it). It returns nil for a name it
// does not know, and 0A000 for a POSIX specification with a daylight
// saving rule.
func LoadTimeZone(name string) (*time.Location, error) {
	if z, ok := zoneCache.Load(name); ok {
		return z.(*time.Location), nil
	}
	loc, err := loadTimeZone(name)
	if loc != nil {
		zoneCacheMu.Lock()
		if zoneCacheSize < zoneCacheMax {
			zoneCache.Store(strings.Clone(name), loc)
			zoneCacheSize++
		}
		zoneCacheMu.Unlock()
	}
	return loc, err
}

func loadTimeZone(name string) (*time.Location, error) {
	// time.LoadLocation reads "" as UTC and "Local" as the process's
	// zone: neither is a name PostgreSQL knows.
	if name == "" || name == "Local" {
		return nil, nil
	}
	if loc, err := time.LoadLocation(name); err == nil {
		return loc, nil
	}
	if real, ok := tzDatabaseName(name); ok {
		if loc, err := time.LoadLocation(real); err == nil {
			return loc, nil
		}
	}
	loc, dst := posixZone(strings.ToUpper(name))
	if dst {
		return nil, pgerr.Unsupported("time zone \"%s\": POSIX time zones with daylight saving time are not supported", name)
	}
	return loc, nil
}

// tzDatabase maps the lower-cased names of the zones in the time zone
// database to their spelling, read once from the first zoneinfo directory
// that exists (time.LoadLocation looks in the same places).
var tzDatabase = sync.OnceValue(func() map[string]string {
	dirs := []string{"/usr/share/zoneinfo", "/usr/share/lib/zoneinfo", "/usr/lib/locale/TZ", "/etc/zoneinfo"}
	if d := os.Getenv("ZONEINFO"); d != "" {
		dirs = append([]string{d}, dirs...)
	}
	names := map[string]string{}
	for _, dir := range dirs {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			continue
		}
		_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if rel, err := filepath.Rel(dir, path); err == nil {
					names[strings.ToLower(rel)] = filepath.ToSlash(rel)
				}
			}
			return nil
		})
		break
	}
	return names
})

// TimeZoneNames lists the names of the time zone database's files, as it
// spells them (pg_timezone_names reads those that are zones).
func TimeZoneNames() []string {
	db := tzDatabase()
	out := make([]string, 0, len(db))
	for _, name := range db {
		out = append(out, name)
	}
	return out
}

func tzDatabaseName(name string) (string, bool) {
	real, ok := tzDatabase()[strings.ToLower(name)]
	return real, ok
}

// posixZone reads a POSIX zone specification without daylight saving
// time, as PostgreSQL's tzparse does: a standard-time abbreviation
// (letters, or anything within <>, possibly empty) and an offset
// [+|-]hh[:mm[:ss]] of up to 167 hours WEST of Greenwich. dst reports a
// specification that goes on with a daylight saving time part.
func posixZone(spec string) (loc *time.Location, dst bool) {
	var abbr, rest string
	if strings.HasPrefix(spec, "<") {
		end := strings.IndexByte(spec, '>')
		if end < 0 {
			return nil, false
		}
		abbr, rest = spec[1:end], spec[end+1:]
	} else {
		i := 0
		for i < len(spec) && !isDigit(spec[i]) && spec[i] != ',' && spec[i] != '-' && spec[i] != '+' {
			i++
		}
		abbr, rest = spec[:i], spec[i:]
	}
	west, rest, ok := posixOffset(rest)
	if !ok {
		return nil, false
	}
	if rest != "" {
		return nil, true
	}
	return fixedZone(spec, abbr, -west), false
}

// posixOffset is tzparse's getoffset: [+|-]hh[:mm[:ss]], hours up to 167,
// in seconds (west positive, as written).
func posixOffset(s string) (off int64, rest string, ok bool) {
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	num := func(max int64) (int64, bool) {
		i := 0
		var n int64
		for i < len(s) && isDigit(s[i]) {
			if n = n*10 + int64(s[i]-'0'); n > max {
				return 0, false
			}
			i++
		}
		s = s[i:]
		return n, i > 0
	}
	h, ok := num(24*7 - 1)
	if !ok {
		return 0, "", false
	}
	off = h * 3600
	if strings.HasPrefix(s, ":") {
		s = s[1:]
		m, ok := num(59)
		if !ok {
			return 0, "", false
		}
		off += m * 60
		if strings.HasPrefix(s, ":") {
			s = s[1:]
			sec, ok := num(60)
			if !ok {
				return 0, "", false
			}
			off += sec
		}
	}
	if neg {
		off = -off
	}
	return off, s, true
}

// OffsetZone is pg_tzset_offset: the zone of a fixed offset in seconds
// east of Greenwich, named as PostgreSQL names it ("<+05:30>-05:30"); nil
// when the offset is out of range.
func OffsetZone(east int64) *time.Location {
	abs := east
	if abs < 0 {
		abs = -abs
	}
	var text []byte // %02ld
	if abs/3600 < 10 {
		text = append(text, '0')
	}
	text = strconv.AppendInt(text, abs/3600, 10)
	if abs%3600 != 0 {
		text = append2(append(text, ':'), int(abs%3600/60))
		if abs%60 != 0 {
			text = append2(append(text, ':'), int(abs%60))
		}
	}
	name := "<+" + string(text) + ">-" + string(text)
	if east < 0 {
		name = "<-" + string(text) + ">+" + string(text)
	}
	loc, _ := LoadTimeZone(name)
	return loc
}

// fixedZone is a location of one offset (seconds east) whose name and
// abbreviation differ, as a POSIX zone's do ("UTC+3" abbreviates to UTC):
// time.FixedZone would use one string for both, so the location is read
// from a TZif image of the one zone.
func fixedZone(name, abbr string, east int64) *time.Location {
	be := binary.BigEndian
	data := []byte("TZif")
	data = append(data, make([]byte, 16)...) // version 1, reserved
	for _, n := range []uint32{0, 0, 0, 0, 1, uint32(len(abbr) + 1)} {
		data = be.AppendUint32(data, n) // isutcnt isstdcnt leapcnt timecnt typecnt charcnt
	}
	data = be.AppendUint32(data, uint32(int32(east)))
	data = append(data, 0, 0) // not DST, abbreviation at index 0
	data = append(append(data, abbr...), 0)
	loc, err := time.LoadLocationFromTZData(name, data)
	if err != nil {
		return time.FixedZone(name, int(east))
	}
	return loc
}
