package exec

import (
	"math"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// Date, timestamp and interval arithmetic (PostgreSQL's operators):
//
//	date ± int4 → date          date - date → int4
//	date ± interval → timestamp timestamp ± interval → timestamp
//	timestamptz ± interval → timestamptz (days and months in the session's zone)
//	timestamp - timestamp → interval (days and time, like justify_hours)
//	interval ± interval → interval
//
// Intervals are Arrow month-day-nano values holding whole microseconds.
// An infinite date or timestamp plus or minus a number of days or an
// interval stays infinite; subtracting one from another is an error
// (datetime_infinite.go).

func errDateOutOfRange() error { return pgerr.New(pgerr.DatetimeFieldOverflow, "date out of range") }
func errTimestampOutOfRange() error {
	return pgerr.New(pgerr.DatetimeFieldOverflow, "timestamp out of range")
}

func isTimestampKind(k catalog.Kind) bool { return k == catalog.Timestamp || k == catalog.TimestampTZ }

func newDatetimeArith(op BinaryOp, l, r Expr) (Expr, error) {
	lt, rt := l.Type(), r.Type()
	lk, rk := lt.Kind, rt.Kind
	mk := func(t catalog.Type, k binaryKernel) (Expr, error) {
		return &binaryExpr{l: l, r: r, t: t, kernel: k}, nil
	}
	switch {
	case lk == catalog.Date && rk == catalog.Int4 && (op == OpAdd || op == OpSub):
		neg := op == OpSub
		return mk(catalog.TypeDate, zipFixed(catalog.TypeDate, func(d, n int32) (int32, error) {
			if dateInfiniteSign(d) != 0 {
				return d, nil
			}
			if neg {
				n = -n
			}
			v := int64(d) + int64(n)
			if v < minDateDays || v > maxDateDays {
				return 0, errDateOutOfRange()
			}
			return int32(v), nil
		}))
	case lk == catalog.Int4 && rk == catalog.Date && op == OpAdd:
		return mk(catalog.TypeDate, zipFixed(catalog.TypeDate, func(n, d int32) (int32, error) {
			if dateInfiniteSign(d) != 0 {
				return d, nil
			}
			v := int64(d) + int64(n)
			if v < minDateDays || v > maxDateDays {
				return 0, errDateOutOfRange()
			}
			return int32(v), nil
		}))
	case lk == catalog.Date && rk == catalog.Date && op == OpSub:
		return mk(catalog.TypeInt4, zipFixed(catalog.TypeInt4, func(a, b int32) (int32, error) {
			if dateInfiniteSign(a) != 0 || dateInfiniteSign(b) != 0 {
				return 0, pgerr.New(pgerr.DatetimeValueOutOfRange, "cannot subtract infinite dates")
			}
			return a - b, nil
		}))
	case lk == catalog.TimestampTZ && rk == catalog.Interval && (op == OpAdd || op == OpSub):
		return timestamptzPlusInterval(l, r, op == OpSub, false), nil
	case lk == catalog.Interval && rk == catalog.TimestampTZ && op == OpAdd:
		return timestamptzPlusInterval(l, r, false, true), nil
	case (lk == catalog.Date || lk == catalog.Timestamp) && rk == catalog.Interval && (op == OpAdd || op == OpSub):
		neg := op == OpSub
		fromDate := lk == catalog.Date
		t := catalog.TypeTimestamp
		addIv := func(ts int64, iv arrow.MonthDayNanoInterval) (int64, error) {
			if tsInfiniteSign(ts) != 0 {
				return ts, nil
			}
			m, d, us := iv.Months, iv.Days, iv.Nanoseconds/1000
			if neg {
				m, d, us = -m, -d, -us
			}
			v, ok := timestampAddInterval(ts, m, d, us)
			if !ok {
				return 0, errTimestampOutOfRange()
			}
			return v, nil
		}
		if fromDate {
			return mk(t, zipFixed(t, func(d int32, iv arrow.MonthDayNanoInterval) (int64, error) {
				if inf := dateInfiniteSign(d); inf != 0 {
					return infiniteTimestamp(inf), nil
				}
				return addIv(int64(d)*microsPerDay, iv)
			}))
		}
		return mk(t, zipFixed(t, addIv))
	case lk == catalog.Interval && (rk == catalog.Date || rk == catalog.Timestamp) && op == OpAdd:
		swapped, err := newDatetimeArith(op, r, l)
		if err != nil || swapped == nil {
			return swapped, err
		}
		inner := swapped.(*binaryExpr)
		k := inner.kernel
		return mk(inner.t, func(mem memory.Allocator, x, y arrow.Array, b *Batch) (arrow.Array, error) {
			return k(mem, y, x, b)
		})
	case isTimestampKind(lk) && lk == rk && op == OpSub:
		return mk(catalog.TypeInterval, zipFixed(catalog.TypeInterval, func(a, b int64) (arrow.MonthDayNanoInterval, error) {
			if tsInfiniteSign(a) != 0 || tsInfiniteSign(b) != 0 {
				return arrow.MonthDayNanoInterval{}, pgerr.New(pgerr.DatetimeValueOutOfRange, "cannot subtract infinite timestamps")
			}
			diff := a - b
			days := diff / microsPerDay
			rem := diff - days*microsPerDay
			return arrow.MonthDayNanoInterval{Days: int32(days), Nanoseconds: rem * 1000}, nil
		}))
	case lk == catalog.Interval && rk == catalog.Float8 && (op == OpMul || op == OpDiv):
		div := op == OpDiv
		return mk(catalog.TypeInterval, zipFixed(catalog.TypeInterval, func(a arrow.MonthDayNanoInterval, f float64) (arrow.MonthDayNanoInterval, error) {
			if div {
				if f == 0 {
					return a, errDivisionByZero()
				}
				f = 1 / f
			}
			return intervalMul(a, f)
		}))
	case lk == catalog.Float8 && rk == catalog.Interval && op == OpMul:
		return mk(catalog.TypeInterval, zipFixed(catalog.TypeInterval, func(f float64, a arrow.MonthDayNanoInterval) (arrow.MonthDayNanoInterval, error) {
			return intervalMul(a, f)
		}))
	case lk == catalog.Time && rk == catalog.Interval && (op == OpAdd || op == OpSub):
		neg := op == OpSub
		return mk(catalog.TypeTime, zipFixed(catalog.TypeTime, func(t int64, iv arrow.MonthDayNanoInterval) (int64, error) {
			us := iv.Nanoseconds / 1000
			if neg {
				us = -us
			}
			return timePlusMicros(t, us), nil
		}))
	case lk == catalog.Interval && rk == catalog.Time && op == OpAdd:
		return mk(catalog.TypeTime, zipFixed(catalog.TypeTime, func(iv arrow.MonthDayNanoInterval, t int64) (int64, error) {
			return timePlusMicros(t, iv.Nanoseconds/1000), nil
		}))
	case lk == catalog.Time && rk == catalog.Time && op == OpSub:
		// time_mi_time: the difference as the interval's time part alone.
		return mk(catalog.TypeInterval, zipFixed(catalog.TypeInterval, func(a, b int64) (arrow.MonthDayNanoInterval, error) {
			return arrow.MonthDayNanoInterval{Nanoseconds: (a - b) * 1000}, nil
		}))
	case lk == catalog.Date && rk == catalog.Time && op == OpAdd:
		return mk(catalog.TypeTimestamp, zipFixed(catalog.TypeTimestamp, dateAtTime))
	case lk == catalog.Time && rk == catalog.Date && op == OpAdd:
		return mk(catalog.TypeTimestamp, zipFixed(catalog.TypeTimestamp, func(t int64, d int32) (int64, error) {
			return dateAtTime(d, t)
		}))
	case lk == catalog.Interval && rk == catalog.Interval && (op == OpAdd || op == OpSub):
		neg := op == OpSub
		return mk(catalog.TypeInterval, zipFixed(catalog.TypeInterval, func(a, b arrow.MonthDayNanoInterval) (arrow.MonthDayNanoInterval, error) {
			if neg {
				b = arrow.MonthDayNanoInterval{Months: -b.Months, Days: -b.Days, Nanoseconds: -b.Nanoseconds}
			}
			m := int64(a.Months) + int64(b.Months)
			d := int64(a.Days) + int64(b.Days)
			if m != int64(int32(m)) || d != int64(int32(d)) {
				return arrow.MonthDayNanoInterval{}, pgerr.New(pgerr.DatetimeFieldOverflow, "interval out of range")
			}
			return arrow.MonthDayNanoInterval{Months: int32(m), Days: int32(d), Nanoseconds: a.Nanoseconds + b.Nanoseconds}, nil
		}))
	}
	return nil, nil
}

// timePlusMicros is PostgreSQL's time_pl_interval on the interval's time
// part: the time of day us microseconds after t, wrapping around
// midnight (an interval's days and months move no time of day).
func timePlusMicros(t, us int64) int64 {
	v := (t + us%microsPerDay) % microsPerDay
	if v < 0 {
		v += microsPerDay
	}
	return v
}

// dateAtTime is date + time (datetime_pl): the timestamp of time t on day
// d, infinite for an infinite date.
func dateAtTime(d int32, t int64) (int64, error) {
	if inf := dateInfiniteSign(d); inf != 0 {
		return infiniteTimestamp(inf), nil
	}
	v := int64(d)*microsPerDay + t
	if !validTimestamp(v) {
		return 0, errTimestampOutOfRange()
	}
	return v, nil
}

// timestamptzPlusInterval is timestamptz + interval (interval +
// timestamptz when swapped, timestamptz - interval when neg), adding days
// and months in the session's zone.
func timestamptzPlusInterval(l, r Expr, neg, swapped bool) Expr {
	t := catalog.TypeTimestampTZ
	return &zonedExpr{args: []Expr{l, r}, t: t, kernelFor: func(loc *time.Location) (funcKernel, error) {
		z := sessionZone(loc)
		k := zipFixed(t, func(us int64, iv arrow.MonthDayNanoInterval) (int64, error) {
			if tsInfiniteSign(us) != 0 {
				return us, nil
			}
			m, d, micros := iv.Months, iv.Days, iv.Nanoseconds/1000
			if neg {
				m, d, micros = -m, -d, -micros
			}
			v, ok := timestamptzAddInterval(z, us, m, d, micros)
			if !ok {
				return 0, errTimestampOutOfRange()
			}
			return v, nil
		})
		return func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
			if swapped {
				return k(mem, a[1], a[0], b)
			}
			return k(mem, a[0], a[1], b)
		}, nil
	}}
}

// zipFixed lifts a strict function of two fixed-width values into a
// kernel (see mapFixed).
func zipFixed[A, B, R fixedWidth](rt catalog.Type, f func(A, B) (R, error)) binaryKernel {
	return func(mem memory.Allocator, xa, ya arrow.Array, b *Batch) (arrow.Array, error) {
		x, y := fixedValues[A](xa), fixedValues[B](ya)
		out := newFixedBuilder[R](mem, b.Len)
		out.nullMask = combineNulls(mem, b.Len, xa, ya)
		for _, i := range rowsOf(b) {
			if out.isNull(int(i)) {
				continue
			}
			v, err := f(x[i], y[i])
			if err != nil {
				out.finish(rt).Release()
				return nil, err
			}
			out.vals[i] = v
		}
		return out.finish(rt), nil
	}
}

// intervalMul scales an interval like PostgreSQL's interval_mul: whole
// months and days are kept, and their fractions cascade into days (30 per
// month) and time.
func intervalMul(a arrow.MonthDayNanoInterval, f float64) (arrow.MonthDayNanoInterval, error) {
	months := float64(a.Months) * f
	days := float64(a.Days) * f
	if math.IsNaN(months) || math.Abs(months) > math.MaxInt32 || math.Abs(days) > math.MaxInt32 {
		return a, pgerr.New(pgerr.DatetimeFieldOverflow, "interval out of range")
	}
	m := math.Trunc(months)
	d := math.Trunc(days)
	monthRemDays := math.Round((months-m)*30*1e6) / 1e6
	secRem := math.Round((days-d+monthRemDays-math.Trunc(monthRemDays))*86400*1e6) / 1e6
	extraDays := math.Trunc(secRem / 86400)
	secRem -= extraDays * 86400
	us := math.RoundToEven(float64(a.Nanoseconds/1000)*f + secRem*1e6)
	return arrow.MonthDayNanoInterval{
		Months:      int32(m),
		Days:        int32(d + extraDays + math.Trunc(monthRemDays)),
		Nanoseconds: int64(us) * 1000,
	}, nil
}
