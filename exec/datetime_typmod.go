package exec

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
)

// castToDatetimeTypmod casts e to time(p), timestamp(p), timestamptz(p) or
// an interval with a field range or precision: first to the unmodified
// type, then rounding (and, for intervals, cutting off fields) as
// PostgreSQL's time_scale, timestamp_scale and interval_scale do. Text
// input skips the second step: the input function applies the modifier
// itself, and must, since interval '7' day reads the 7 as days.
func castToDatetimeTypmod(e Expr, to catalog.Type) (Expr, error) {
	from := e.Type()
	if from.IsString() || from.Kind == catalog.Unknown {
		return castExpr(e, to)
	}
	base, err := Cast(e, catalog.Type{Kind: to.Kind, Typmod: -1})
	if err != nil {
		return nil, err
	}
	var k unaryKernel
	switch to.Kind {
	case catalog.Time:
		k = mapFixed(to, to, func(us int64) (int64, error) { return catalog.AdjustTime(to, us), nil })
	case catalog.Interval:
		k = mapFixed(to, to, func(v arrow.MonthDayNanoInterval) (arrow.MonthDayNanoInterval, error) {
			return catalog.AdjustInterval(to, v), nil
		})
	default:
		k = mapFixed(to, to, func(us int64) (int64, error) { return catalog.AdjustTimestamp(to, us), nil })
	}
	return &unaryExpr{arg: base, t: to, kernel: k}, nil
}

// hasDatetimeTypmod reports whether t is a date/time type whose modifier
// changes values.
func hasDatetimeTypmod(t catalog.Type) bool {
	switch t.Kind {
	case catalog.Time, catalog.Timestamp, catalog.TimestampTZ, catalog.Interval:
		return t.Typmod >= 0
	}
	return false
}
