package difftest

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// Timestamps, timestamptz, intervals and time zones for the generator.
//
// Values are wall-clock times from 1997 to 2021, many on round hours and
// quarters (so that date_trunc and GROUP BY find equal keys), some with
// fractional seconds (so that timestamp(p) rounds), and a share at the
// DST changes of the zones a round may run in: New York's 2021 gap
// (02:00-03:00 on March 14) and overlap (01:00-02:00 on November 7) and
// Lord Howe's half-hour ones. timestamptz literals carry an offset, or
// none (then the session's TimeZone reads them). No infinities: pqdb
// has none.

// roundZones are the TimeZone settings a round runs under (on both
// servers): UTC twice as often as each other.
var roundZones = []string{"UTC", "UTC", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"}

// drawZone picks a round's TimeZone from its own source, so that the
// schema and data of a seed do not depend on the draw.
func drawZone(seed uint64) string {
	r := rand.New(rand.NewPCG(seed, 0x7a0e))
	return roundZones[r.IntN(len(roundZones))]
}

// atZones are the zones AT TIME ZONE and date_trunc's third argument
// name: IANA names, an abbreviation, and POSIX offsets (which count
// west: '+05:30' is 5:30 behind UTC).
var atZones = []string{"UTC", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Europe/Berlin", "EST", "+05:30", "UTC+3"}

// specialTimestamps sit at DST changes and day, month and year ends.
var specialTimestamps = []string{
	"2021-03-14 02:30:00", "2021-03-14 01:59:59.999999", "2021-03-14 03:00:00",
	"2021-11-07 01:30:00", "2021-11-07 00:59:59", "2021-11-07 02:00:00",
	"2021-10-03 02:15:00", "2021-04-04 01:45:00", "2021-04-04 02:00:00",
	"2000-02-29 23:59:59.5", "1999-12-31 23:59:59.999999", "2000-01-01 00:00:00",
	"1970-01-01 00:00:00", "2024-02-29 12:00:00", "2021-01-31 12:00:00",
}

// dstDays are days with a DST change in one of the round zones.
var dstDays = []string{"2021-03-13", "2021-03-14", "2021-11-06", "2021-11-07", "2021-04-04", "2021-10-03"}

// timestampText draws a wall-clock time as ISO text.
func timestampText(r *rand.Rand) string {
	if r.IntN(8) == 0 {
		return specialTimestamps[r.IntN(len(specialTimestamps))]
	}
	day := dateEpoch.AddDate(0, 0, r.IntN(9000)-1000)
	if r.IntN(8) == 0 {
		day, _ = time.Parse("2006-01-02", dstDays[r.IntN(len(dstDays))])
	}
	var secs int
	switch r.IntN(3) {
	case 0:
		secs = r.IntN(24) * 3600
	case 1:
		secs = r.IntN(96) * 900
	default:
		secs = r.IntN(86400)
	}
	s := day.Add(time.Duration(secs) * time.Second).Format("2006-01-02 15:04:05")
	switch r.IntN(5) {
	case 0:
		s += fmt.Sprintf(".%06d", r.IntN(1000000))
	case 1:
		s += []string{".5", ".25", ".125", ".999", ".0005"}[r.IntN(5)]
	}
	return s
}

// tzOffsets end timestamptz literals: mostly UTC, some none (read in the
// session's zone), some other offsets, half-hour ones among them.
var tzOffsets = []string{"+00", "+00", "+00", "", "", "-05", "+05:30", "+10:30", "-03:30", "+14"}

// timestamptzText draws a timestamptz as ISO text.
func timestamptzText(r *rand.Rand) string {
	return timestampText(r) + tzOffsets[r.IntN(len(tzOffsets))]
}

// intervals are interval constants: days and months (which follow the
// calendar and, for timestamptz, the zone's DST) and plain times.
var intervals = []string{"1 day", "-2 hours", "1 mon", "1 year 2 mons", "36:00:00", "1 day 01:02:03.5", "-1 mon +3 days",
	"00:00:00.000001", "45 minutes", "7 days", "-1 day", "24 hours"}

func (g *gen) intervalLit() string { return "INTERVAL " + quote(g.pick(intervals)) }

// truncFields are date_trunc's fields.
var truncFields = []string{"microseconds", "milliseconds", "second", "minute", "hour", "day", "week", "month", "quarter", "year", "decade", "century"}

// datetimeKinds are the kinds that compare with each other.
var datetimeKinds = []Kind{KDate, KTimestamp, KTimestamptz}

// isDatetime reports whether k is date, timestamp or timestamptz.
func isDatetime(k Kind) bool { return k == KDate || k == KTimestamp || k == KTimestamptz }

// datetimeConstant is a timestamp or timestamptz literal.
func (g *gen) datetimeConstant(k Kind) Expr {
	if k == KTimestamp {
		return Expr{SQL: "TIMESTAMP " + quote(timestampText(g.r)), T: tTS}
	}
	return Expr{SQL: "TIMESTAMPTZ " + quote(timestamptzText(g.r)), T: tTSTZ}
}

// anyTimestamp is an expression of kind timestamp or timestamptz.
func (g *gen) anyTimestamp(sc *scope, depth int) Expr {
	return g.expr(sc, g.pickKind(KTimestamp, KTimestamptz), depth)
}

func (g *gen) pickKind(ks ...Kind) Kind { return ks[g.r.IntN(len(ks))] }

// withFrac is t with the typmod timestamp(p).
func withFrac(t Type, p int) Type {
	t.HasFrac, t.FracDigits = true, p
	return t
}

// timestampExpr makes an expression of kind timestamp or timestamptz (k).
func (g *gen) timestampExpr(sc *scope, k Kind, depth int) Expr {
	t := tTS
	if k == KTimestamptz {
		t = tTSTZ
	}
	self := func() Expr { return g.expr(sc, k, depth-1) }
	switch g.r.IntN(9) {
	case 0, 1:
		g.feat("interval-arith")
		a := self()
		iv := g.intervalLit()
		if g.oneIn(4) {
			if n := g.expr(sc, KInt, depth-1); n.Bound <= 1e5 {
				g.feat("interval-mul")
				iv = fmt.Sprintf("(%s * INTERVAL %s)", n.SQL, quote(g.pick([]string{"1 hour", "1 day", "1 mon", "15 minutes"})))
			}
		}
		return Expr{SQL: fmt.Sprintf("(%s %s %s)", a.SQL, g.pick([]string{"+", "-"}), iv), T: t}
	case 2:
		g.feat("date-trunc-" + t.Name)
		a := self()
		if k == KTimestamptz && g.oneIn(3) {
			g.feat("date-trunc-zone")
			return Expr{SQL: fmt.Sprintf("date_trunc(%s, %s, %s)", quote(g.pick(truncFields)), a.SQL, quote(g.pick(atZones))), T: t}
		}
		return Expr{SQL: fmt.Sprintf("date_trunc(%s, %s)", quote(g.pick(truncFields)), a.SQL), T: t}
	case 3:
		// From the other timestamp type: through the session's zone,
		// or a named one.
		other := KTimestamptz
		if k == KTimestamptz {
			other = KTimestamp
		}
		a := g.expr(sc, other, depth-1)
		if g.oneIn(2) {
			g.feat("at-time-zone")
			return Expr{SQL: fmt.Sprintf("(%s AT TIME ZONE %s)", a.SQL, quote(g.pick(atZones))), T: t}
		}
		g.feat("cast-timestamp-zone")
		return Expr{SQL: fmt.Sprintf("CAST(%s AS %s)", a.SQL, t.Name), T: t}
	case 4:
		g.feat("date-to-" + t.Name)
		d := g.expr(sc, KDate, depth-1)
		if k == KTimestamp && g.oneIn(2) {
			return Expr{SQL: fmt.Sprintf("(%s + %s)", d.SQL, g.intervalLit()), T: t}
		}
		return Expr{SQL: fmt.Sprintf("CAST(%s AS %s)", d.SQL, t.Name), T: t}
	case 5:
		g.feat("datetime-typmod")
		p := g.r.IntN(7)
		return Expr{SQL: fmt.Sprintf("CAST(%s AS %s(%d))", self().SQL, t.Name, p), T: withFrac(t, p)}
	case 6:
		g.feat("date-bin")
		origin := "TIMESTAMP '2001-01-01 00:00:00'"
		if k == KTimestamptz {
			origin = "TIMESTAMPTZ '2001-01-01 00:00:00+00'"
		}
		stride := quote(g.pick([]string{"15 minutes", "1 hour", "90 minutes", "2 days", "7 days"}))
		return Expr{SQL: fmt.Sprintf("date_bin(INTERVAL %s, %s, %s)", stride, self().SQL, origin), T: t}
	case 7:
		if k == KTimestamptz {
			if n := g.expr(sc, KInt, depth-1); n.Bound <= 1e10 {
				g.feat("to-timestamp")
				return Expr{SQL: fmt.Sprintf("to_timestamp(%s)", n.SQL), T: t}
			}
		}
	}
	return g.leaf(sc, k)
}

// extractFields are EXTRACT's fields with the scale of their numeric
// result; timezone fields only on timestamptz.
var extractFields = []struct {
	name  string
	scale int
	bound float64
}{
	{"year", 0, 3000}, {"month", 0, 12}, {"day", 0, 31}, {"hour", 0, 24}, {"minute", 0, 60},
	{"second", 6, 61}, {"milliseconds", 3, 61000}, {"microseconds", 0, 61e6}, {"epoch", 6, 1e10},
	{"dow", 0, 7}, {"isodow", 0, 7}, {"doy", 0, 366}, {"week", 0, 53}, {"quarter", 0, 4},
	{"isoyear", 0, 3000}, {"decade", 0, 300}, {"century", 0, 30}, {"julian", -1, 3e6},
	{"timezone", 0, 60000}, {"timezone_hour", 0, 15}, {"timezone_minute", 0, 60},
}

// extractDatetime is EXTRACT(field FROM a timestamp) or the seconds of a
// difference of two: numeric.
func (g *gen) extractDatetime(sc *scope, depth int) Expr {
	k := g.pickKind(KTimestamp, KTimestamptz)
	if g.oneIn(5) {
		g.feat("timestamp-diff")
		a, b := g.expr(sc, k, depth-1), g.expr(sc, k, depth-1)
		return Expr{SQL: fmt.Sprintf("EXTRACT(epoch FROM (%s - %s))", a.SQL, b.SQL), T: tNumeric(6), Bound: 1e10}
	}
	g.feat("extract-" + k.String())
	n := len(extractFields)
	if k == KTimestamp {
		n -= 3 // no zone fields
	}
	f := extractFields[g.r.IntN(n)]
	return Expr{SQL: fmt.Sprintf("EXTRACT(%s FROM %s)", f.name, g.expr(sc, k, depth-1).SQL), T: tNumeric(f.scale), Bound: f.bound}
}

// datePartDatetime is date_part over a timestamp: float8.
func (g *gen) datePartDatetime(sc *scope, depth int) Expr {
	g.feat("date-part-timestamp")
	a := g.anyTimestamp(sc, depth-1)
	return Expr{SQL: fmt.Sprintf("date_part(%s, %s)", quote(g.pick([]string{"year", "month", "day", "hour", "minute", "second", "epoch", "dow", "doy", "isoyear"})), a.SQL), T: tFloat8, Bound: 1e10}
}

// toCharPatterns format timestamps with to_char.
var toCharPatterns = []string{"YYYY-MM-DD HH24:MI:SS", "Dy DD Mon YYYY HH12:MI AM", "IYYY-IW-ID", "HH24:MI:SS.MS US", "FMMonth FMDDth", "Q J", "YYYY-MM-DD\"T\"HH24:MI:SSOF", "TZ"}

// datetimeText is a timestamp as text: to_char, a cast, or an interval
// (a difference or age) as text.
func (g *gen) datetimeText(sc *scope, depth int) Expr {
	k := g.pickKind(KTimestamp, KTimestamptz)
	switch g.r.IntN(4) {
	case 0:
		g.feat("to-char-timestamp")
		return Expr{SQL: fmt.Sprintf("to_char(%s, %s)", g.expr(sc, k, depth-1).SQL, quote(g.pick(toCharPatterns))), T: tText}
	case 1:
		g.feat("interval-text")
		a, b := g.expr(sc, k, depth-1), g.expr(sc, k, depth-1)
		if g.oneIn(2) {
			g.feat("age")
			return Expr{SQL: fmt.Sprintf("CAST(age(%s, %s) AS text)", a.SQL, b.SQL), T: tText}
		}
		return Expr{SQL: fmt.Sprintf("CAST((%s - %s) AS text)", a.SQL, b.SQL), T: tText}
	}
	g.feat("cast-to-text")
	return Expr{SQL: fmt.Sprintf("CAST(%s AS text)", g.expr(sc, k, depth-1).SQL), T: tText}
}

// datetimeDate is a timestamp cast to date (through the session's zone
// for timestamptz).
func (g *gen) datetimeDate(sc *scope, depth int) Expr {
	g.feat("timestamp-to-date")
	return Expr{SQL: fmt.Sprintf("CAST(%s AS date)", g.anyTimestamp(sc, depth-1).SQL), T: tDate}
}
