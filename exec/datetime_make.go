package exec

import (
	"math"
	"strconv"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// Date and time constructors and interval functions, as PostgreSQL 15's
// date.c and timestamp.c have them:
//
//	make_date make_time make_timestamp make_timestamptz make_interval
//	age(ts, ts) age(ts)  date_bin  justify_days justify_hours justify_interval
//	isfinite  to_timestamp(double precision)  clock_timestamp() timeofday()
//
// make_timestamptz reads its fields in the session's zone (zoned.go), or
// in its time zone argument: an ISO offset (+05, -03:30), an abbreviation
// or a zone name (catalog.LookupZoneOrOffset). age of timestamptz values
// compares their wall-clock fields in the session's zone, and age(ts)
// counts from midnight of the session's current date; timeofday() prints
// the session's zone. pqdb has no infinite dates or timestamps, so
// isfinite is true for every value and to_timestamp of an infinite number
// fails with 0A000.

// fixedRowFunc builds a strict function with a fixed-width result from a
// per-batch binder that returns the per-row computation.
func fixedRowFunc[R fixedWidth](args []Expr, t catalog.Type, bind func(a []arrow.Array) func(i int) (R, error)) Expr {
	return &funcExpr{args: args, t: t, kernel: fixedRowKernel(t, bind)}
}

// fixedRowKernel is the kernel of a fixedRowFunc.
func fixedRowKernel[R fixedWidth](t catalog.Type, bind func(a []arrow.Array) func(i int) (R, error)) funcKernel {
	return func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
		f := bind(a)
		out := newFixedBuilder[R](mem, b.Len)
		out.nullMask = combineNulls(mem, b.Len, a...)
		for _, i := range rowsOf(b) {
			if out.isNull(int(i)) {
				continue
			}
			v, err := f(int(i))
			if err != nil {
				out.finish(t).Release()
				return nil, err
			}
			out.vals[i] = v
		}
		return out.finish(t), nil
	}
}

// cInt64 is C's (int64) conversion on x86: out-of-range values give the
// minimum.
func cInt64(f float64) int64 {
	if math.IsNaN(f) || f >= 9223372036854775808.0 || f < -9223372036854775808.0 {
		return math.MinInt64
	}
	return int64(f)
}

// printfG2 is C's %02g.
func printfG2(v float64) string {
	s := printfG(v)
	if len(s) < 2 {
		s = "0" + s
	}
	return s
}

func pad2(v int32) string {
	if v >= 0 && v < 10 {
		return "0" + strconv.Itoa(int(v))
	}
	return strconv.Itoa(int(v))
}

// validateYMD is ValidateDate for a year, month and day given as numbers
// (negative years are BC); it returns the astronomical year (1 BC is 0).
func validateYMD(year, month, day int32) (int64, bool) {
	y := int64(year)
	if year < 0 {
		y = int64(-year)
		y = -(y - 1)
	} else if year == 0 {
		return 0, false
	}
	if month < 1 || month > 12 || day < 1 || int(day) > catalog.DaysInMonth(y, int(month)) {
		return 0, false
	}
	return y, true
}

// floatTimeOverflows is float_time_overflows.
func floatTimeOverflows(hour, min int32, sec float64) bool {
	if hour < 0 || hour > 24 || min < 0 || min >= 60 || math.IsNaN(sec) {
		return true
	}
	us := math.RoundToEven(sec * 1e6)
	if us < 0 || us > 60e6 {
		return true
	}
	return float64((int64(hour)*60+int64(min))*60*microsPerSecond)+us > float64(microsPerDay)
}

func makeTimestamp(year, month, day, hour, min int32, sec float64) (int64, error) {
	y, ok := validateYMD(year, month, day)
	if !ok {
		return 0, pgerr.New(pgerr.DatetimeFieldOverflow, "date field value out of range: %d-%s-%s", year, pad2(month), pad2(day))
	}
	days := daysFromCivil(y, int64(month), int64(day))
	if days < minDateDays || days > maxDateDays {
		return 0, pgerr.New(pgerr.DatetimeValueOutOfRange, "date out of range: %d-%s-%s", year, pad2(month), pad2(day))
	}
	if floatTimeOverflows(hour, min, sec) {
		return 0, pgerr.New(pgerr.DatetimeFieldOverflow, "time field value out of range: %d:%s:%s", hour, pad2(min), printfG2(sec))
	}
	tod := (int64(hour)*60+int64(min))*60*microsPerSecond + int64(math.RoundToEven(sec*1e6))
	ts := days*microsPerDay + tod
	if ts < minTsMicros || ts >= maxTsMicros {
		return 0, pgerr.New(pgerr.DatetimeValueOutOfRange, "timestamp out of range: %d-%s-%s %d:%s:%s", year, pad2(month), pad2(day), hour, pad2(min), printfG2(sec))
	}
	return ts, nil
}

// intervalAge is PostgreSQL's timestamp_age: the symbolic difference of
// two timestamps in years, months, days and time.
func intervalAge(a, b int64) (arrow.MonthDayNanoInterval, error) { return fieldsAge(a, b, a < b) }

// fieldsAge is the symbolic difference of two wall-clock times, negative
// when neg (timestamptz_age takes the sign from the instants, and the
// fields from the wall-clock times).
func fieldsAge(a, b int64, neg bool) (arrow.MonthDayNanoInterval, error) {
	split := func(ts int64) (y, mo, d, h, mi, s, us int64) {
		day := floorDiv(ts, microsPerDay)
		tod := ts - day*microsPerDay
		y, mo, d = civilFromDays(day)
		h = tod / microsPerHour
		mi = tod / microsPerMinute % 60
		s = tod / microsPerSecond % 60
		us = tod % microsPerSecond
		return
	}
	y1, mo1, d1, h1, mi1, s1, us1 := split(a)
	y2, mo2, d2, h2, mi2, s2, us2 := split(b)
	us, s, mi, h := us1-us2, s1-s2, mi1-mi2, h1-h2
	d, mo, y := d1-d2, mo1-mo2, y1-y2
	if neg {
		us, s, mi, h, d, mo, y = -us, -s, -mi, -h, -d, -mo, -y
	}
	for us < 0 {
		us += microsPerSecond
		s--
	}
	for s < 0 {
		s += 60
		mi--
	}
	for mi < 0 {
		mi += 60
		h--
	}
	for h < 0 {
		h += 24
		d--
	}
	for d < 0 {
		if neg {
			d += int64(catalog.DaysInMonth(y1, int(mo1)))
		} else {
			d += int64(catalog.DaysInMonth(y2, int(mo2)))
		}
		mo--
	}
	for mo < 0 {
		mo += 12
		y--
	}
	if neg {
		us, s, mi, h, d, mo, y = -us, -s, -mi, -h, -d, -mo, -y
	}
	months := y*12 + mo
	if months > math.MaxInt32 || months < math.MinInt32 {
		return arrow.MonthDayNanoInterval{}, pgerr.New(pgerr.DatetimeFieldOverflow, "interval out of range")
	}
	time := ((h*60+mi)*60+s)*microsPerSecond + us
	return arrow.MonthDayNanoInterval{Months: int32(months), Days: int32(d), Nanoseconds: time * 1000}, nil
}

func errIntervalOutOfRange() error {
	return pgerr.New(pgerr.DatetimeFieldOverflow, "interval out of range")
}

func addInt32(a int32, b int64) (int32, bool) {
	r := int64(a) + b
	return int32(r), r >= math.MinInt32 && r <= math.MaxInt32
}

func justifyHours(v arrow.MonthDayNanoInterval) (arrow.MonthDayNanoInterval, error) {
	t := v.Nanoseconds / 1000
	whole := t / microsPerDay
	t -= whole * microsPerDay
	d, ok := addInt32(v.Days, whole)
	if !ok {
		return v, errIntervalOutOfRange()
	}
	if d > 0 && t < 0 {
		t += microsPerDay
		d--
	} else if d < 0 && t > 0 {
		t -= microsPerDay
		d++
	}
	return arrow.MonthDayNanoInterval{Months: v.Months, Days: d, Nanoseconds: t * 1000}, nil
}

func justifyDays(v arrow.MonthDayNanoInterval) (arrow.MonthDayNanoInterval, error) {
	whole := int64(v.Days / 30)
	d := v.Days - int32(whole)*30
	m, ok := addInt32(v.Months, whole)
	if !ok {
		return v, errIntervalOutOfRange()
	}
	if m > 0 && d < 0 {
		d += 30
		m--
	} else if m < 0 && d > 0 {
		d -= 30
		m++
	}
	return arrow.MonthDayNanoInterval{Months: m, Days: d, Nanoseconds: v.Nanoseconds}, nil
}

func justifyInterval(v arrow.MonthDayNanoInterval) (arrow.MonthDayNanoInterval, error) {
	m, d, t := v.Months, int64(v.Days), v.Nanoseconds/1000
	var ok bool
	if d > 0 && t > 0 || d < 0 && t < 0 {
		whole := d / 30
		d -= whole * 30
		if m, ok = addInt32(m, whole); !ok {
			return v, errIntervalOutOfRange()
		}
	}
	whole := t / microsPerDay
	t -= whole * microsPerDay
	d += whole
	wm := d / 30
	d -= wm * 30
	if m, ok = addInt32(m, wm); !ok {
		return v, errIntervalOutOfRange()
	}
	if m > 0 && (d < 0 || d == 0 && t < 0) {
		d += 30
		m--
	} else if m < 0 && (d > 0 || d == 0 && t > 0) {
		d -= 30
		m++
	}
	if d > 0 && t < 0 {
		t += microsPerDay
		d--
	} else if d < 0 && t > 0 {
		t -= microsPerDay
		d++
	}
	return arrow.MonthDayNanoInterval{Months: m, Days: int32(d), Nanoseconds: t * 1000}, nil
}

// dateBin is timestamp_bin.
func dateBin(stride arrow.MonthDayNanoInterval, ts, origin int64) (int64, error) {
	if tsInfiniteSign(ts) != 0 {
		return ts, nil
	}
	if tsInfiniteSign(origin) != 0 {
		return 0, pgerr.New(pgerr.DatetimeValueOutOfRange, "origin out of range")
	}
	if stride.Months != 0 {
		return 0, pgerr.New(pgerr.FeatureNotSupported, "timestamps cannot be binned into intervals containing months or years")
	}
	strideUs := int64(stride.Days)*microsPerDay + stride.Nanoseconds/1000
	if strideUs <= 0 {
		return 0, pgerr.New(pgerr.DatetimeValueOutOfRange, "stride must be greater than zero")
	}
	r := origin + floorDiv(ts-origin, strideUs)*strideUs
	if r < minTsMicros || r >= maxTsMicros {
		return 0, pgerr.New(pgerr.DatetimeValueOutOfRange, "timestamp out of range")
	}
	return r, nil
}

// clockExprNow is clock_timestamp(): the time of each call.
type clockNowExpr struct{}

func (clockNowExpr) Type() catalog.Type { return catalog.TypeTimestampTZ }

func (clockNowExpr) Eval(ctx *Context, b *Batch) (arrow.Array, error) {
	out := newFixedBuilder[int64](ctx.Mem, b.Len)
	for _, i := range rowsOf(b) {
		out.vals[i] = time.Now().UnixMicro()
	}
	return out.finish(catalog.TypeTimestampTZ), nil
}

// timeOfDayExpr is timeofday(): the time of each call as text, in the
// session's zone and the format PostgreSQL prints it ("Tue Dec 02
// 13:18:19.607123 2026 UTC", the zone's abbreviation last).
type timeOfDayExpr struct{}

func (timeOfDayExpr) Type() catalog.Type { return catalog.TypeText }

func (timeOfDayExpr) Eval(ctx *Context, b *Batch) (arrow.Array, error) {
	out := newVarlenBuilder(ctx.Mem, b.Len, 0)
	rows := selectionCursor{sel: b.Sel}
	var buf []byte
	for i := 0; i < b.Len; i++ {
		if !rows.selected(i) {
			out.appendNull()
			continue
		}
		now := time.Now().In(ctx.location())
		zone, _ := now.Zone() // as it is, also when empty (Go's MST would print an offset)
		buf = append(now.AppendFormat(buf[:0], "Mon Jan 02 15:04:05.000000 2006 "), zone...)
		out.appendBytes(buf)
	}
	return out.finish(catalog.TypeText), nil
}

func init() {
	registerFunc(&funcDef{
		resolve: signatures("make_date", catalog.TypeDate, "III"),
		build: func(args []Expr, t catalog.Type) (Expr, error) {
			return fixedRowFunc(args, t, func(a []arrow.Array) func(i int) (int32, error) {
				y, m, d := fixedValues[int32](a[0]), fixedValues[int32](a[1]), fixedValues[int32](a[2])
				return func(i int) (int32, error) {
					yy, ok := validateYMD(y[i], m[i], d[i])
					if !ok {
						shown := int64(y[i])
						if y[i] < 0 {
							shown = -int64(y[i])
							if shown > 0 {
								shown = -(shown - 1)
							}
						}
						return 0, pgerr.New(pgerr.DatetimeFieldOverflow, "date field value out of range: %d-%s-%s", shown, pad2(m[i]), pad2(d[i]))
					}
					days := daysFromCivil(yy, int64(m[i]), int64(d[i]))
					if days < minDateDays || days > maxDateDays {
						return 0, pgerr.New(pgerr.DatetimeValueOutOfRange, "date out of range: %d-%s-%s", yy, pad2(m[i]), pad2(d[i]))
					}
					return int32(days), nil
				}
			}), nil
		},
		params: []string{"year", "month", "day"},
	}, "make_date")
	registerFunc(&funcDef{
		resolve: signatures("make_time", catalog.TypeTime, "IIF"),
		build: func(args []Expr, t catalog.Type) (Expr, error) {
			return fixedRowFunc(args, t, func(a []arrow.Array) func(i int) (int64, error) {
				h, m, s := fixedValues[int32](a[0]), fixedValues[int32](a[1]), fixedValues[float64](a[2])
				return func(i int) (int64, error) {
					if floatTimeOverflows(h[i], m[i], s[i]) {
						return 0, pgerr.New(pgerr.DatetimeFieldOverflow, "time field value out of range: %d:%s:%s", h[i], pad2(m[i]), printfG2(s[i]))
					}
					return (int64(h[i])*60+int64(m[i]))*60*microsPerSecond + int64(math.RoundToEven(s[i]*1e6)), nil
				}
			}), nil
		},
		params: []string{"hour", "min", "sec"},
	}, "make_time")
	registerFunc(&funcDef{
		resolve: signatures("make_timestamp", catalog.TypeTimestamp, "IIIIIF"),
		build: func(args []Expr, t catalog.Type) (Expr, error) {
			return fixedRowFunc(args, t, func(a []arrow.Array) func(i int) (int64, error) {
				y, mo, d := fixedValues[int32](a[0]), fixedValues[int32](a[1]), fixedValues[int32](a[2])
				h, mi, s := fixedValues[int32](a[3]), fixedValues[int32](a[4]), fixedValues[float64](a[5])
				return func(i int) (int64, error) {
					return makeTimestamp(y[i], mo[i], d[i], h[i], mi[i], s[i])
				}
			}), nil
		},
		params: []string{"year", "month", "mday", "hour", "min", "sec"},
	}, "make_timestamp")
	registerFunc(&funcDef{
		resolve: signatures("make_timestamptz", catalog.TypeTimestampTZ, "IIIIIF", "IIIIIFT"),
		build: func(args []Expr, t catalog.Type) (Expr, error) {
			fields := func(a []arrow.Array) func(i int) (int64, error) {
				y, mo, d := fixedValues[int32](a[0]), fixedValues[int32](a[1]), fixedValues[int32](a[2])
				h, mi, s := fixedValues[int32](a[3]), fixedValues[int32](a[4]), fixedValues[float64](a[5])
				return func(i int) (int64, error) { return makeTimestamp(y[i], mo[i], d[i], h[i], mi[i], s[i]) }
			}
			inZone := func(z *catalog.ZoneCursor, ts int64) (int64, error) {
				if u := z.ToUTC(ts); validTimestamp(u) {
					return u, nil
				}
				return 0, errTimestampValueOutOfRange()
			}
			if len(args) == 6 {
				return zonedRowFunc(args, t, func(z *catalog.ZoneCursor, a []arrow.Array) func(i int) (int64, error) {
					local := fields(a)
					return func(i int) (int64, error) {
						ts, err := local(i)
						if err != nil {
							return 0, err
						}
						return inZone(z, ts)
					}
				}), nil
			}
			zones := zoneNames{lookupName: catalog.LookupZoneOrOffset}
			return fixedRowFunc(args, t, func(a []arrow.Array) func(i int) (int64, error) {
				local, names := fields(a), varlenViewOf(a[6])
				return func(i int) (int64, error) {
					ts, err := local(i)
					if err != nil {
						return 0, err
					}
					z, err := zones.lookup(names.bytes(i))
					if err != nil {
						return 0, err
					}
					return inZone(z, ts)
				}
			}), nil
		},
		params: []string{"year", "month", "mday", "hour", "min", "sec", "timezone"},
	}, "make_timestamptz")

	registerFunc(&funcDef{
		resolve: func(types []catalog.Type, args []Expr) (catalog.Type, []catalog.Type, error) {
			sig := "IIIIIIF"
			if len(types) > len(sig) {
				return catalog.Type{}, nil, errNoFunction("make_interval", types)
			}
			return signatures("make_interval", catalog.TypeInterval, sig[:len(types)])(types, args)
		},
		build: func(args []Expr, t catalog.Type) (Expr, error) {
			full := append([]Expr(nil), args...)
			for len(full) < 6 {
				full = append(full, Literal(int32(0), catalog.TypeInt4))
			}
			if len(full) < 7 {
				full = append(full, Literal(float64(0), catalog.TypeFloat8))
			}
			return fixedRowFunc(full, t, func(a []arrow.Array) func(i int) (arrow.MonthDayNanoInterval, error) {
				years, months, weeks, days := fixedValues[int32](a[0]), fixedValues[int32](a[1]), fixedValues[int32](a[2]), fixedValues[int32](a[3])
				hours, mins, secs := fixedValues[int32](a[4]), fixedValues[int32](a[5]), fixedValues[float64](a[6])
				return func(i int) (arrow.MonthDayNanoInterval, error) {
					// PostgreSQL 15 checks only for non-finite seconds; its
					// int32 and int64 arithmetic wraps, and so does this.
					sec := secs[i]
					if math.IsInf(sec, 0) || math.IsNaN(sec) {
						return arrow.MonthDayNanoInterval{}, errIntervalOutOfRange()
					}
					mo := years[i]*12 + months[i]
					d := weeks[i]*7 + days[i]
					t := int64(hours[i])*microsPerHour + int64(mins[i])*microsPerMinute + cInt64(math.RoundToEven(sec*1e6))
					if t > math.MaxInt64/1000 || t < math.MinInt64/1000 {
						// does not fit the nanoseconds of an Arrow interval
						return arrow.MonthDayNanoInterval{}, pgerr.Unsupported("intervals of more than %d microseconds are not supported", int64(math.MaxInt64/1000))
					}
					return arrow.MonthDayNanoInterval{Months: mo, Days: d, Nanoseconds: t * 1000}, nil
				}
			}), nil
		},
		params: []string{"years", "months", "weeks", "days", "hours", "mins", "secs"},
		defaults: []FuncDefault{
			{int32(0), catalog.TypeInt4}, {int32(0), catalog.TypeInt4}, {int32(0), catalog.TypeInt4},
			{int32(0), catalog.TypeInt4}, {int32(0), catalog.TypeInt4}, {int32(0), catalog.TypeInt4},
			{float64(0), catalog.TypeFloat8},
		},
	}, "make_interval")

	// age(a, b) of timestamps (timestamptz compares wall-clock times in
	// the session's zone); age(ts) is age(current_date, ts): stable, it
	// reads the statement's clock.
	registerFunc(&funcDef{
		resolve: func(types []catalog.Type, args []Expr) (catalog.Type, []catalog.Type, error) {
			tz := false
			for _, t := range types {
				tz = tz || t.Kind == catalog.TimestampTZ
			}
			if tz {
				return signatures("age", catalog.TypeInterval, "Z", "ZZ")(types, args)
			}
			return signatures("age", catalog.TypeInterval, "S", "SS")(types, args)
		},
		build: func(args []Expr, t catalog.Type) (Expr, error) {
			if len(args) == 1 {
				return &ageNowExpr{arg: args[0]}, nil
			}
			if args[0].Type().Kind == catalog.TimestampTZ {
				return zonedRowFunc(args, t, func(z *catalog.ZoneCursor, a []arrow.Array) func(i int) (arrow.MonthDayNanoInterval, error) {
					x, y := fixedValues[int64](a[0]), fixedValues[int64](a[1])
					return func(i int) (arrow.MonthDayNanoInterval, error) {
						return fieldsAge(z.ToLocal(x[i]), z.ToLocal(y[i]), x[i] < y[i])
					}
				}), nil
			}
			return fixedRowFunc(args, t, func(a []arrow.Array) func(i int) (arrow.MonthDayNanoInterval, error) {
				x, y := fixedValues[int64](a[0]), fixedValues[int64](a[1])
				return func(i int) (arrow.MonthDayNanoInterval, error) { return intervalAge(x[i], y[i]) }
			}), nil
		},
		volatility: Stable,
	}, "age")

	registerFunc(&funcDef{
		resolve: func(types []catalog.Type, args []Expr) (catalog.Type, []catalog.Type, error) {
			if len(types) == 3 && (types[1].Kind == catalog.TimestampTZ || types[2].Kind == catalog.TimestampTZ) {
				return signatures("date_bin", catalog.TypeTimestampTZ, "VZZ")(types, args)
			}
			return signatures("date_bin", catalog.TypeTimestamp, "VSS")(types, args)
		},
		build: func(args []Expr, t catalog.Type) (Expr, error) {
			return fixedRowFunc(args, t, func(a []arrow.Array) func(i int) (int64, error) {
				st, ts, or := fixedValues[arrow.MonthDayNanoInterval](a[0]), fixedValues[int64](a[1]), fixedValues[int64](a[2])
				return func(i int) (int64, error) { return dateBin(st[i], ts[i], or[i]) }
			}), nil
		},
	}, "date_bin")

	justify := func(name string, f func(arrow.MonthDayNanoInterval) (arrow.MonthDayNanoInterval, error)) {
		registerFunc(&funcDef{
			resolve: signatures(name, catalog.TypeInterval, "V"),
			build: func(args []Expr, t catalog.Type) (Expr, error) {
				k := mapFixed(t, t, f)
				return &funcExpr{args: args, t: t, kernel: func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
					return k(mem, a[0], b)
				}}, nil
			},
		}, name)
	}
	justify("justify_days", justifyDays)
	justify("justify_hours", justifyHours)
	justify("justify_interval", justifyInterval)

	registerFunc(&funcDef{
		resolve: func(types []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
			if len(types) == 1 {
				switch types[0].Kind {
				case catalog.Date, catalog.Timestamp, catalog.TimestampTZ, catalog.Interval:
					return catalog.TypeBool, []catalog.Type{types[0]}, nil
				case catalog.Unknown:
					return catalog.Type{}, nil, errNotUnique("isfinite", types)
				}
			}
			return catalog.Type{}, nil, errNoFunction("isfinite", types)
		},
		build: func(args []Expr, _ catalog.Type) (Expr, error) {
			// PostgreSQL 15 has no infinite interval
			kind := args[0].Type().Kind
			return &funcExpr{args: args, t: catalog.TypeBool, kernel: func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
				out := newBoolBuilder(mem, b.Len)
				out.nullMask = combineNulls(mem, b.Len, a[0])
				switch kind {
				case catalog.Date:
					days := fixedValues[int32](a[0])
					for _, i := range rowsOf(b) {
						out.set(int(i), dateInfiniteSign(days[i]) == 0)
					}
				case catalog.Timestamp, catalog.TimestampTZ:
					ts := fixedValues[int64](a[0])
					for _, i := range rowsOf(b) {
						out.set(int(i), tsInfiniteSign(ts[i]) == 0)
					}
				default:
					for _, i := range rowsOf(b) {
						out.set(int(i), true)
					}
				}
				return out.finish(), nil
			}}, nil
		},
	}, "isfinite")

	registerFunc(&funcDef{
		resolve:    signatures("clock_timestamp", catalog.TypeTimestampTZ, ""),
		build:      func([]Expr, catalog.Type) (Expr, error) { return clockNowExpr{}, nil },
		volatility: Volatile,
	}, "clock_timestamp")
	registerFunc(&funcDef{
		resolve:    signatures("timeofday", catalog.TypeText, ""),
		build:      func([]Expr, catalog.Type) (Expr, error) { return timeOfDayExpr{}, nil },
		volatility: Volatile,
	}, "timeofday")
}

// ageNowExpr is age(ts): the age at midnight of the statement's date in
// the session's zone (age(current_date::timestamp[tz], ts)).
type ageNowExpr struct{ arg Expr }

func (*ageNowExpr) Type() catalog.Type { return catalog.TypeInterval }

func (e *ageNowExpr) Eval(ctx *Context, b *Batch) (arrow.Array, error) {
	x, err := e.arg.Eval(ctx, b)
	if err != nil {
		return nil, err
	}
	defer x.Release()
	z := catalog.ZoneOf(ctx.Location)
	today := floorDiv(z.ToLocal(ctx.Now.UnixMicro()), microsPerDay) * microsPerDay
	if e.arg.Type().Kind == catalog.TimestampTZ {
		midnight := z.ToUTC(today)
		k := mapFixed(catalog.TypeTimestampTZ, catalog.TypeInterval, func(v int64) (arrow.MonthDayNanoInterval, error) {
			return fieldsAge(today, z.ToLocal(v), midnight < v)
		})
		return k(ctx.Mem, x, b)
	}
	k := mapFixed(catalog.TypeTimestamp, catalog.TypeInterval, func(v int64) (arrow.MonthDayNanoInterval, error) {
		return intervalAge(today, v)
	})
	return k(ctx.Mem, x, b)
}
