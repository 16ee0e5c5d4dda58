package exec

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// x AT TIME ZONE zone, which the parser makes timezone(zone, x), as
// PostgreSQL 15's timestamptz_zone, timestamp_zone, timestamptz_izone and
// timestamp_izone compute it:
//
//	timezone(text, timestamptz) → timestamp     the wall-clock time in zone
//	timezone(text, timestamp)   → timestamptz   the instant of a wall-clock time in zone
//	timezone(interval, timestamptz) → timestamp
//	timezone(interval, timestamp)   → timestamptz
//
// A text zone is an abbreviation (EST, MSK), a zone of the time zone
// database or a POSIX zone ('UTC+3' and '+05' are hours WEST of
// Greenwich), as catalog.LookupZone reads it; an interval zone is hours
// EAST and may not have months or days. A date argument is a timestamptz
// (the preferred type), so it reads in the session's zone. pqdb has no
// timetz, so timezone(text, time) finds no function, as in PostgreSQL
// without the timetz overloads. The functions are immutable: the zone is
// an argument.

// zoneNames reads the zone names of a column with lookupName
// (catalog.LookupZone when nil), remembering the last one and a cursor of
// its zone: a zone argument is nearly always the same on every row. base
// asks for the zones without their dynamic abbreviations (Zone.Base).
type zoneNames struct {
	lookupName func(string) (catalog.Zone, error)
	base       bool
	last       string
	zone       *catalog.ZoneCursor
}

func (c *zoneNames) lookup(name []byte) (*catalog.ZoneCursor, error) {
	if c.zone != nil && c.last == bytesAsString(name) {
		return c.zone, nil
	}
	lookup := c.lookupName
	if lookup == nil {
		lookup = catalog.LookupZone
	}
	z, err := lookup(string(name))
	if err != nil {
		return nil, err
	}
	if c.base {
		z = z.Base()
	}
	c.last, c.zone = string(name), catalog.NewZoneCursor(z)
	return c.zone, nil
}

// intervalZoneOffset is the offset in seconds east of an interval zone:
// its time, truncated to whole seconds.
func intervalZoneOffset(v arrow.MonthDayNanoInterval) (int64, error) {
	if v.Months != 0 || v.Days != 0 {
		text := catalog.AppendDatumText(nil, catalog.TypeInterval, v)
		return 0, pgerr.New(pgerr.InvalidParameterValue, "interval time zone \"%s\" must not include months or days", text)
	}
	return v.Nanoseconds / 1000 / microsPerSecond, nil
}

func resolveTimezone(types []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
	if len(types) != 2 {
		return catalog.Type{}, nil, errNoFunction("timezone", types)
	}
	zone := types[0]
	switch {
	case zone.IsString() || zone.Kind == catalog.Unknown:
		zone = catalog.TypeText
	case zone.Kind == catalog.Interval:
	default:
		return catalog.Type{}, nil, errNoFunction("timezone", types)
	}
	switch types[1].Kind {
	case catalog.Timestamp:
		return catalog.TypeTimestampTZ, []catalog.Type{zone, catalog.TypeTimestamp}, nil
	case catalog.TimestampTZ, catalog.Date, catalog.Unknown:
		return catalog.TypeTimestamp, []catalog.Type{zone, catalog.TypeTimestampTZ}, nil
	}
	return catalog.Type{}, nil, errNoFunction("timezone", types)
}

func buildTimezone(args []Expr, t catalog.Type) (Expr, error) {
	toLocal := t.Kind == catalog.Timestamp // the argument is a timestamptz
	if args[0].Type().Kind == catalog.Interval {
		return fixedRowFunc(args, t, func(a []arrow.Array) func(i int) (int64, error) {
			zone, ts := fixedValues[arrow.MonthDayNanoInterval](a[0]), fixedValues[int64](a[1])
			return func(i int) (int64, error) {
				if tsInfiniteSign(ts[i]) != 0 {
					return ts[i], nil // before the zone is read, as in PostgreSQL
				}
				east, err := intervalZoneOffset(zone[i])
				if err != nil {
					return 0, err
				}
				us := ts[i] - east*microsPerSecond
				if toLocal {
					us = ts[i] + east*microsPerSecond
				}
				if !validTimestamp(us) {
					return 0, errTimestampValueOutOfRange()
				}
				return us, nil
			}
		}), nil
	}
	var zones zoneNames
	return fixedRowFunc(args, t, func(a []arrow.Array) func(i int) (int64, error) {
		names, ts := varlenViewOf(a[0]), fixedValues[int64](a[1])
		return func(i int) (int64, error) {
			if tsInfiniteSign(ts[i]) != 0 {
				return ts[i], nil // before the zone is read, as in PostgreSQL
			}
			z, err := zones.lookup(names.bytes(i))
			if err != nil {
				return 0, err
			}
			var us int64
			if toLocal {
				us = z.ToLocal(ts[i])
			} else {
				us = z.ToUTC(ts[i])
			}
			if !validTimestamp(us) {
				return 0, errTimestampValueOutOfRange()
			}
			return us, nil
		}
	}), nil
}

func init() {
	registerFunc(&funcDef{resolve: resolveTimezone, build: buildTimezone}, "timezone")
}
