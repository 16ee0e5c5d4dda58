package exec

import (
	"math"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/numeric"
	"github.com/pqdb/pqdb/pgerr"
)

// Date and time functions: extract and date_part, date_trunc, and the
// transaction clock (now(), current_date, localtime, ...), which reads
// Context.Now, the transaction's start, so that every row of every
// statement of a transaction sees the same time, as in PostgreSQL
// (statement_timestamp() reads Context.StatementNow). A timestamptz has its
// fields in the session's zone (zoned.go): extract's and date_trunc's,
// and current_date's and localtimestamp's; date_trunc(field, timestamptz,
// zone) truncates in the zone it names.
//
// extract returns numeric with the scale PostgreSQL 14+ gives each field
// (second and epoch 6 digits, milliseconds 3, the rest 0, and julian of a
// timestamp a scale of its own, datetime_julian.go); date_part returns
// the same values as double precision (date_part of a date is that of the
// date cast to timestamp, as PostgreSQL's SQL function of that name
// does). Infinite values have their own fields (datetime_infinite.go).
// The field must be a constant; it
// is read as PostgreSQL reads units, by its first ten letters
// (timezone_hour is timezone_h). A time has only the fields of a time of
// day: microseconds to hour, and epoch.

// dateParts is a timestamp broken into calendar fields.
type dateParts struct {
	days       int64 // day number
	y, m, d    int64
	tod        int64 // microseconds since midnight
	hasTime    bool
	isTime     bool // a time of day without a date
	isInterval bool
	iv         arrow.MonthDayNanoInterval
	// hasZone marks a timestamptz, whose fields are those of its
	// wall-clock time offset seconds east of UTC.
	hasZone bool
	offset  int64
	// inf is +1 or -1 for an infinite date or timestamp, whose other
	// fields are unset (datetime_infinite.go).
	inf int
}

// fieldValue computes one extract field as a scaled integer (scale from
// extractScale). ok=false means the field does not apply to the type.
func fieldValue(field string, p dateParts) (int64, bool) {
	if p.isInterval {
		us := p.iv.Nanoseconds / 1000
		months := int64(p.iv.Months)
		switch field {
		case "microseconds":
			return us % microsPerMinute, true
		case "milliseconds":
			return us % microsPerMinute, true
		case "second":
			return us % microsPerMinute, true
		case "minute":
			return (us / microsPerMinute) % 60, true
		case "hour":
			return us / microsPerHour, true
		case "day":
			return int64(p.iv.Days), true
		case "month":
			return months % 12, true
		case "quarter":
			return (months%12)/3 + 1, true
		case "year":
			return months / 12, true
		case "decade":
			return months / 120, true
		case "century":
			return months / 1200, true
		case "millennium":
			return months / 12000, true
		case "epoch":
			// Only to say the field applies: extractKernel computes it
			// in 128 bits (intervalEpochKernel).
			return 0, true
		}
		return 0, false
	}
	sec := p.tod % microsPerMinute
	if p.isTime {
		switch field {
		case "microseconds", "milliseconds", "second", "minute", "hour":
		case "epoch":
			return p.tod, true
		default:
			return 0, false
		}
	}
	year := p.y
	if year <= 0 {
		year-- // there is no year 0: 1 BC is -1
	}
	switch field {
	case "microseconds":
		return sec, p.hasTime
	case "milliseconds":
		return sec, p.hasTime
	case "second":
		return sec, p.hasTime
	case "minute":
		return (p.tod / microsPerMinute) % 60, p.hasTime
	case "hour":
		return p.tod / microsPerHour, p.hasTime
	case "day":
		return p.d, true
	case "month":
		return p.m, true
	case "quarter":
		return (p.m-1)/3 + 1, true
	case "year":
		return year, true
	case "decade":
		return floorDiv(p.y, 10), true
	case "century":
		if year > 0 {
			return (year + 99) / 100, true
		}
		return -((99 - (year + 1)) / 100), true
	case "millennium":
		if year > 0 {
			return (year + 999) / 1000, true
		}
		return -((999 - (year + 1)) / 1000), true
	case "dow":
		return floorMod(p.days+4, 7), true
	case "isodow":
		d := floorMod(p.days+4, 7)
		if d == 0 {
			d = 7
		}
		return d, true
	case "doy":
		return p.days - daysFromCivil(p.y, 1, 1) + 1, true
	case "week":
		w, _ := isoWeek(p.days)
		return w, true
	case "isoyear":
		_, y := isoWeek(p.days)
		if y <= 0 {
			y--
		}
		return y, true
	case "julian":
		// The day number; a timestamp's time of day adds a fraction
		// (julianKernel).
		return p.days + julianDayOfEpoch, true
	case "epoch":
		if p.hasTime {
			return p.days*microsPerDay + p.tod - p.offset*microsPerSecond, true
		}
		return p.days * 86400, true
	case "timezone":
		return p.offset, p.hasZone
	case "timezone_h":
		return p.offset / 3600, p.hasZone
	case "timezone_m":
		return p.offset / 60 % 60, p.hasZone
	}
	return 0, false
}

// isoWeek returns the ISO 8601 week number and week-numbering year.
func isoWeek(days int64) (int64, int64) {
	dow := floorMod(days+3, 7) // Monday = 0
	thursday := days - dow + 3
	y, _, _ := civilFromDays(thursday)
	return (thursday-daysFromCivil(y, 1, 1))/7 + 1, y
}

// extractScale is the numeric scale of each field's extract result.
func extractScale(field string, k catalog.Kind) int32 {
	switch field {
	case "second", "epoch":
		if k == catalog.Date {
			return 0
		}
		return 6
	case "milliseconds":
		return 3
	}
	return 0
}

// fieldUnscale converts a fieldValue to the extract scale.
func fieldAtScale(field string, v int64) (decimal128.Num, int32) {
	switch field {
	case "milliseconds":
		return decimal128.FromI64(v), 3
	case "second", "epoch":
		return decimal128.FromI64(v), 6
	}
	return decimal128.FromI64(v), 0
}

// knownFields are the units of extract, date_part and date_trunc by
// their first ten letters (PostgreSQL's TOKMAXLEN), as lookupField reads
// them.
var knownFields = map[string]string{
	"microsecon": "microseconds", "us": "microseconds", "usec": "microseconds", "usecs": "microseconds", "usecond": "microseconds", "useconds": "microseconds",
	"millisecon": "milliseconds", "ms": "milliseconds", "msec": "milliseconds", "msecs": "milliseconds", "msecond": "milliseconds", "mseconds": "milliseconds",
	"second": "second", "seconds": "second", "sec": "second", "secs": "second", "s": "second",
	"minute": "minute", "minutes": "minute", "min": "minute", "mins": "minute", "m": "minute",
	"hour": "hour", "hours": "hour", "h": "hour", "hr": "hour", "hrs": "hour",
	"day": "day", "days": "day", "d": "day",
	"week": "week", "weeks": "week", "w": "week",
	"month": "month", "months": "month", "mon": "month", "mons": "month",
	"quarter": "quarter", "qtr": "quarter",
	"year": "year", "years": "year", "y": "year", "yr": "year", "yrs": "year",
	"decade": "decade", "decades": "decade", "dec": "decade", "decs": "decade",
	"century": "century", "centuries": "century", "c": "century", "cent": "century",
	"millennium": "millennium", "millennia": "millennium", "mil": "millennium", "mils": "millennium",
	"dow": "dow", "isodow": "isodow", "doy": "doy", "isoyear": "isoyear", "julian": "julian", "j": "julian", "epoch": "epoch",
	"timezone": "timezone", "timezone_h": "timezone_h", "timezone_m": "timezone_m",
}

// lookupField reads a unit: lower-cased and cut to ten bytes.
func lookupField(unit string) (string, bool) {
	key := strings.ToLower(strings.TrimSpace(unit))
	if len(key) > 10 {
		key = key[:10]
	}
	f, ok := knownFields[key]
	return f, ok
}

func errUnitNotRecognized(unit string, t catalog.Type) error {
	return pgerr.New(pgerr.InvalidParameterValue, "unit %q not recognized for type %s", unit, t)
}

func errUnitNotSupported(unit string, t catalog.Type) error {
	return pgerr.New(pgerr.FeatureNotSupported, "unit %q not supported for type %s", unit, t)
}

func datetimeArg(t catalog.Type) bool {
	switch t.Kind {
	case catalog.Date, catalog.Time, catalog.Timestamp, catalog.TimestampTZ, catalog.Interval:
		return true
	}
	return false
}

// resolveField reads the constant field argument.
func resolveField(args []Expr, src catalog.Type) (string, error) {
	if args == nil {
		return "", nil
	}
	s, ok := literalString(args[0])
	if !ok {
		return "", pgerr.Unsupported("the field of extract and date_part must be a constant")
	}
	f, ok := lookupField(s)
	if !ok {
		return "", errUnitNotRecognized(s, src)
	}
	if _, applies := fieldValue(f, sampleParts(src)); !applies && !zoneFieldOfTimestamp(f, src.Kind) {
		return "", errUnitNotSupported(s, src)
	}
	return f, nil
}

func sampleParts(t catalog.Type) dateParts {
	switch t.Kind {
	case catalog.Interval:
		return dateParts{isInterval: true}
	case catalog.Date:
		return dateParts{y: 2000, m: 1, d: 1}
	}
	return dateParts{y: 2000, m: 1, d: 1, hasTime: true, isTime: t.Kind == catalog.Time, hasZone: t.Kind == catalog.TimestampTZ}
}

// partsReader reads the dateParts of the rows of a
// date/time/timestamp/interval column (a timestamptz's in zone z).
type partsReader struct {
	kind  catalog.Kind
	z     *catalog.ZoneCursor
	dates []int32
	ts    []int64 // time, timestamp and timestamptz
	iv    []arrow.MonthDayNanoInterval
}

func newPartsReader(x arrow.Array, t catalog.Type, z *catalog.ZoneCursor) partsReader {
	r := partsReader{kind: t.Kind, z: z}
	switch t.Kind {
	case catalog.Date:
		r.dates = fixedValues[int32](x)
	case catalog.Interval:
		r.iv = fixedValues[arrow.MonthDayNanoInterval](x)
	default:
		r.ts = fixedValues[int64](x)
	}
	return r
}

// at is the dateParts of row i; an infinite date or timestamp has only
// inf set.
func (r *partsReader) at(i int) dateParts {
	switch r.kind {
	case catalog.Date:
		if s := dateInfiniteSign(r.dates[i]); s != 0 {
			return dateParts{inf: s}
		}
		y, m, d := civilFromDays(int64(r.dates[i]))
		return dateParts{days: int64(r.dates[i]), y: y, m: m, d: d}
	case catalog.Time:
		return dateParts{tod: r.ts[i], hasTime: true, isTime: true}
	case catalog.Interval:
		return dateParts{isInterval: true, iv: r.iv[i]}
	}
	if s := tsInfiniteSign(r.ts[i]); s != 0 {
		return dateParts{inf: s}
	}
	zoned := r.kind == catalog.TimestampTZ
	day, tod, off := wallClock(r.ts[i], zoned, r.z)
	y, m, d := civilFromDays(day)
	return dateParts{days: day, y: y, m: m, d: d, tod: tod, hasTime: true, hasZone: zoned, offset: off}
}

// extractKernel computes field of a src column as t: float8 for
// date_part, var numeric for extract of a field an infinite value makes
// ±Infinity (extractReturnsVar), decimal128 at the field's scale for the
// others. unit is the field as written, for the error of a timezone
// field of a finite timestamp without time zone.
func extractKernel(field, unit string, src, t catalog.Type, z *catalog.ZoneCursor) funcKernel {
	intervalEpochField := field == "epoch" && src.Kind == catalog.Interval
	if intervalEpochField && !t.IsVarNumeric() {
		return intervalEpochKernel(t, src, z)
	}
	zoneOfTimestamp := zoneFieldOfTimestamp(field, src.Kind)
	// value is the field of row i; ok=false makes it NULL.
	value := func(r *partsReader, i int) (v int64, inf int, ok bool, err error) {
		p := r.at(i)
		switch {
		case p.inf != 0:
			return 0, p.inf, fieldIsUnbounded(field), nil
		case zoneOfTimestamp:
			return 0, 0, false, errUnitNotSupported(unit, src)
		}
		v, _ = fieldValue(field, p)
		return v, 0, true, nil
	}
	switch {
	case t.Kind == catalog.Float8:
		return extractFixed(t, src, z, value, func(v int64, inf int) float64 {
			if inf != 0 {
				return math.Inf(inf)
			}
			return decToFloat(fieldAtScale(field, v))
		})
	case t.IsVarNumeric():
		// every unbounded field applies to the type: no errors, no NULLs
		// but the input's. A hot path (extract(year from a date column)),
		// so the loop is written out.
		scale := extractScale(field, src.Kind)
		return func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
			r := newPartsReader(a[0], src, z)
			valid := validityOf(a[0])
			out := newVarlenBuilder(mem, b.Len, b.Len*12)
			rows := selectionCursor{sel: b.Sel}
			for i := 0; i < b.Len; i++ {
				if !rows.selected(i) || !valid.valid(i) {
					out.appendNull()
					continue
				}
				p := r.at(i)
				dst := out.space(varNumHint)
				switch {
				case p.inf > 0:
					dst = numeric.PosInf(dst)
				case p.inf < 0:
					dst = numeric.NegInf(dst)
				default:
					var n decimal128.Num
					if intervalEpochField {
						n = intervalEpoch(p.iv) // more than an int64 (datetime_interval_epoch.go)
					} else {
						v, _ := fieldValue(field, p)
						if scale == 0 {
							dst = numeric.FromInt64(dst, v)
							break
						}
						n = decimal128.FromI64(v)
					}
					var err error
					if dst, err = numeric.FromDecimal128(dst, n.HighBits(), n.LowBits(), scale); err != nil {
						out.finish(t).Release()
						return nil, err
					}
				}
				out.commit(dst)
			}
			return out.finish(t), nil
		}
	}
	// The fields an infinite value leaves unbounded return var numeric
	// (above), so inf is 0 here.
	return extractFixed(t, src, z, value, func(v int64, _ int) decimal128.Num { return decimal128.FromI64(v) })
}

// extractFixed is an extract kernel into a fixed-width column of t:
// value reads row i's field (ok=false: NULL), convert makes the column's
// value of it (inf: ±1 for ±Infinity).
func extractFixed[T fixedWidth](t, src catalog.Type, z *catalog.ZoneCursor,
	value func(r *partsReader, i int) (v int64, inf int, ok bool, err error),
	convert func(v int64, inf int) T) funcKernel {
	return func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
		r := newPartsReader(a[0], src, z)
		out := newFixedBuilder[T](mem, b.Len)
		out.nullMask = combineNulls(mem, b.Len, a[0])
		for _, i := range rowsOf(b) {
			if out.isNull(int(i)) {
				continue
			}
			v, inf, ok, err := value(&r, int(i))
			switch {
			case err != nil:
				out.finish(t).Release()
				return nil, err
			case !ok:
				out.setNull(int(i))
			default:
				out.vals[i] = convert(v, inf)
			}
		}
		return out.finish(t), nil
	}
}

// wallClock splits timestamp ts into the day number and microseconds
// since midnight its fields read: a timestamptz's (zoned) in zone z,
// which is offset seconds east of UTC at ts.
func wallClock(ts int64, zoned bool, z *catalog.ZoneCursor) (day, tod, offset int64) {
	if zoned {
		offset = z.Offset(ts)
		ts += offset * microsPerSecond
	}
	day = floorDiv(ts, microsPerDay)
	return day, ts - day*microsPerDay, offset
}

func init() {
	extractResolve := func(name string, float bool) func([]catalog.Type, []Expr) (catalog.Type, []catalog.Type, error) {
		return func(types []catalog.Type, args []Expr) (catalog.Type, []catalog.Type, error) {
			if len(types) != 2 || !(types[0].IsString() || types[0].Kind == catalog.Unknown) || !datetimeArg(types[1]) {
				return catalog.Type{}, nil, errNoFunction(name, types)
			}
			src := types[1]
			if float && src.Kind == catalog.Date {
				// date_part(text, date) is PostgreSQL's SQL function over
				// the date cast to timestamp: it has a timestamp's fields
				// (hour 0) and errors
				src = catalog.TypeTimestamp
			}
			f, err := resolveField(args, src)
			if err != nil {
				return catalog.Type{}, nil, err
			}
			want := []catalog.Type{catalog.TypeText, src}
			switch {
			case float:
				return catalog.TypeFloat8, want, nil
			case extractReturnsVar(f, types[1].Kind):
				return catalog.TypeNumeric, want, nil
			}
			return catalog.UnconstrainedNumeric(extractScale(f, types[1].Kind)), want, nil
		}
	}
	extractBuild := func(args []Expr, t catalog.Type) (Expr, error) {
		src := args[1].Type()
		field, err := resolveField(args, src)
		if err != nil {
			return nil, err
		}
		unit, _ := literalString(args[0])
		return &zonedExpr{args: args[1:], t: t, kernelFor: func(loc *time.Location) (funcKernel, error) {
			z := sessionZone(loc)
			if julianHasFraction(field, src.Kind) {
				return julianKernel(src, t, z), nil
			}
			return extractKernel(field, unit, src, t, z), nil
		}}, nil
	}
	registerFunc(&funcDef{resolve: extractResolve("extract", false), build: extractBuild}, "extract")
	registerFunc(&funcDef{resolve: extractResolve("date_part", true), build: extractBuild}, "date_part")

	registerFunc(&funcDef{
		resolve: func(types []catalog.Type, args []Expr) (catalog.Type, []catalog.Type, error) {
			if len(types) != 2 && len(types) != 3 || !(types[0].IsString() || types[0].Kind == catalog.Unknown) {
				return catalog.Type{}, nil, errNoFunction("date_trunc", types)
			}
			src := types[1]
			switch src.Kind {
			case catalog.Date:
				src = catalog.TypeTimestampTZ
			case catalog.Timestamp, catalog.TimestampTZ, catalog.Interval:
			case catalog.Unknown:
				if len(types) == 3 {
					src = catalog.TypeTimestampTZ
					break
				}
				fallthrough
			default:
				return catalog.Type{}, nil, errNoFunction("date_trunc", types)
			}
			want := []catalog.Type{catalog.TypeText, src}
			if len(types) == 3 {
				// date_trunc(field, timestamptz, zone) is the one overload
				// with a zone
				if src.Kind != catalog.TimestampTZ || !(types[2].IsString() || types[2].Kind == catalog.Unknown) {
					return catalog.Type{}, nil, errNoFunction("date_trunc", types)
				}
				want = append(want, catalog.TypeText)
			}
			if args != nil {
				if _, err := truncField(args[0], src); err != nil {
					return catalog.Type{}, nil, err
				}
			}
			return src, want, nil
		},
		build: func(args []Expr, t catalog.Type) (Expr, error) {
			field, err := truncField(args[0], t)
			if err != nil {
				return nil, err
			}
			switch {
			case t.Kind == catalog.Interval:
				k := mapFixed(t, t, func(v arrow.MonthDayNanoInterval) (arrow.MonthDayNanoInterval, error) {
					return truncInterval(field, v), nil
				})
				return &funcExpr{args: args[1:], t: t, kernel: func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
					return k(mem, a[0], b)
				}}, nil
			case len(args) == 3:
				return truncInZone(args[1:], field), nil
			case t.Kind == catalog.TimestampTZ:
				return zonedRowFunc(args[1:], t, func(z *catalog.ZoneCursor, a []arrow.Array) func(i int) (int64, error) {
					ts := fixedValues[int64](a[0])
					return func(i int) (int64, error) { return truncTimestamptz(field, ts[i], z) }
				}), nil
			}
			k := mapFixed(t, t, func(ts int64) (int64, error) { return truncTimestamp(field, ts), nil })
			return &funcExpr{args: args[1:], t: t, kernel: func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
				return k(mem, a[0], b)
			}}, nil
		},
	}, "date_trunc")

	clock := func(name string, t catalog.Type) {
		registerFunc(&funcDef{
			resolve: func(types []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
				if len(types) != 0 {
					return catalog.Type{}, nil, errNoFunction(name, types)
				}
				return t, nil, nil
			},
			build:      func(_ []Expr, t catalog.Type) (Expr, error) { return &clockExpr{t: t}, nil },
			volatility: Stable,
		}, name)
	}
	clock("now", catalog.TypeTimestampTZ)
	clock("current_timestamp", catalog.TypeTimestampTZ)
	clock("transaction_timestamp", catalog.TypeTimestampTZ)
	registerFunc(&funcDef{
		resolve: func(types []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
			if len(types) != 0 {
				return catalog.Type{}, nil, errNoFunction("statement_timestamp", types)
			}
			return catalog.TypeTimestampTZ, nil, nil
		},
		build:      func(_ []Expr, t catalog.Type) (Expr, error) { return &clockExpr{t: t, statement: true}, nil },
		volatility: Stable,
	}, "statement_timestamp")
	clock("localtimestamp", catalog.TypeTimestamp)
	clock("localtime", catalog.TypeTime)
	clock("current_date", catalog.TypeDate)
}

func truncField(e Expr, src catalog.Type) (string, error) {
	s, ok := literalString(e)
	if !ok {
		return "", pgerr.Unsupported("the field of date_trunc must be a constant")
	}
	f, ok := lookupField(s)
	if !ok {
		return "", errUnitNotRecognized(s, src)
	}
	switch f {
	case "microseconds", "milliseconds", "second", "minute", "hour", "day", "week", "month", "quarter", "year", "decade", "century", "millennium":
	case "timezone", "timezone_h", "timezone_m":
		return "", errUnitNotSupported(s, src)
	default:
		// dow, epoch, ...: not units of time to PostgreSQL's date_trunc
		return "", errUnitNotRecognized(s, src)
	}
	if src.Kind == catalog.Interval && f == "week" {
		return "", errUnitNotSupported(s, src)
	}
	return f, nil
}

func truncTimestamp(field string, ts int64) int64 {
	if tsInfiniteSign(ts) != 0 {
		return ts
	}
	day := floorDiv(ts, microsPerDay)
	tod := ts - day*microsPerDay
	y, m, _ := civilFromDays(day)
	switch field {
	case "microseconds":
		return ts
	case "milliseconds":
		return day*microsPerDay + tod - floorMod(tod, 1000)
	case "second":
		return day*microsPerDay + tod - floorMod(tod, microsPerSecond)
	case "minute":
		return day*microsPerDay + tod - floorMod(tod, microsPerMinute)
	case "hour":
		return day*microsPerDay + tod - floorMod(tod, microsPerHour)
	case "day":
		return day * microsPerDay
	case "week":
		return (day - floorMod(day+3, 7)) * microsPerDay
	case "month":
		return daysFromCivil(y, m, 1) * microsPerDay
	case "quarter":
		return daysFromCivil(y, (m-1)/3*3+1, 1) * microsPerDay
	case "year":
		return daysFromCivil(y, 1, 1) * microsPerDay
	case "decade":
		return daysFromCivil(floorDiv(y, 10)*10, 1, 1) * microsPerDay
	case "century":
		return daysFromCivil(floorDiv(y-1, 100)*100+1, 1, 1) * microsPerDay
	case "millennium":
		return daysFromCivil(floorDiv(y-1, 1000)*1000+1, 1, 1) * microsPerDay
	}
	return ts
}

// truncTimestamptz is timestamptz_trunc_internal: the wall-clock time in
// z truncated, read back in z. A field of a day or more starts a new day,
// whose offset may differ; a smaller one keeps the offset the time had,
// so that truncating within a repeated hour stays in it.
func truncTimestamptz(field string, us int64, z *catalog.ZoneCursor) (int64, error) {
	if tsInfiniteSign(us) != 0 {
		return us, nil
	}
	off := z.Offset(us) * microsPerSecond
	local := truncTimestamp(field, us+off)
	switch field {
	case "microseconds", "milliseconds", "second", "minute", "hour":
		us = local - off
	default:
		us = z.ToUTC(local)
	}
	if !validTimestamp(us) {
		return 0, errTimestampValueOutOfRange()
	}
	return us, nil
}

// truncInZone is date_trunc(field, timestamptz, zone): truncation in the
// zone named by the third argument (a dynamic abbreviation truncates in
// the zone it belongs to, as PostgreSQL's timestamptz_trunc_zone does).
func truncInZone(args []Expr, field string) Expr {
	zones := zoneNames{base: true}
	return fixedRowFunc(args, catalog.TypeTimestampTZ, func(a []arrow.Array) func(i int) (int64, error) {
		ts, names := fixedValues[int64](a[0]), varlenViewOf(a[1])
		return func(i int) (int64, error) {
			z, err := zones.lookup(names.bytes(i))
			if err != nil {
				return 0, err
			}
			return truncTimestamptz(field, ts[i], z)
		}
	})
}

func truncInterval(field string, v arrow.MonthDayNanoInterval) arrow.MonthDayNanoInterval {
	us := v.Nanoseconds / 1000
	cut := func(unit int64) int64 { return us - us%unit }
	switch field {
	case "milliseconds":
		us = cut(1000)
	case "second":
		us = cut(microsPerSecond)
	case "minute":
		us = cut(microsPerMinute)
	case "hour":
		us = cut(microsPerHour)
	case "day":
		us = 0
	case "month":
		us, v.Days = 0, 0
	case "quarter":
		us, v.Days, v.Months = 0, 0, v.Months-v.Months%3
	case "year":
		us, v.Days, v.Months = 0, 0, v.Months-v.Months%12
	case "decade":
		us, v.Days, v.Months = 0, 0, v.Months-v.Months%120
	case "century":
		us, v.Days, v.Months = 0, 0, v.Months-v.Months%1200
	case "millennium":
		us, v.Days, v.Months = 0, 0, v.Months-v.Months%12000
	}
	v.Nanoseconds = us * 1000
	return v
}

// clockExpr is now() and its relatives: the statement's start time
// (current_date, localtimestamp and localtime its date, date and time,
// and time of day in the session's zone). statement_timestamp() is the
// statement's start time instead of the transaction's.
type clockExpr struct {
	t         catalog.Type
	statement bool
}

func (c *clockExpr) Type() catalog.Type { return c.t }

func (c *clockExpr) Eval(ctx *Context, b *Batch) (arrow.Array, error) {
	now := ctx.Now
	if c.statement && !ctx.StatementNow.IsZero() {
		now = ctx.StatementNow
	}
	us := now.UnixMicro()
	var d catalog.Datum = us
	switch c.t.Kind {
	case catalog.Date:
		d = int32(floorDiv(catalog.ZoneOf(ctx.Location).ToLocal(us), microsPerDay))
	case catalog.Timestamp:
		d = catalog.ZoneOf(ctx.Location).ToLocal(us)
	case catalog.Time:
		d = floorMod(catalog.ZoneOf(ctx.Location).ToLocal(us), microsPerDay)
	}
	return constantArray(ctx.Mem, c.t, d, b.Len)
}
