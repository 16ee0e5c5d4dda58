package exec

import (
	"math"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
)

// pg_sleep(seconds), pg_sleep_for(interval) and pg_sleep_until(timestamptz)
// delay the statement, once per row, and return void. A cancelled
// statement (the context ends) stops sleeping at once with the context's
// error, which the engine reports as 57014. Zero, negative and NaN
// durations do not sleep; an infinite one sleeps until cancelled.

type sleepKind uint8

const (
	sleepSeconds sleepKind = iota
	sleepFor
	sleepUntil
)

type sleepExpr struct {
	arg  Expr
	kind sleepKind
}

func (*sleepExpr) Type() catalog.Type { return catalog.TypeVoid }

// seconds is how long row i asks to sleep.
func (e *sleepExpr) seconds(x arrow.Array, i int) float64 {
	switch e.kind {
	case sleepFor:
		iv := fixedValues[arrow.MonthDayNanoInterval](x)[i]
		now := time.Now().UnixMicro()
		end, ok := timestampAddInterval(now, iv.Months, iv.Days, iv.Nanoseconds/1000)
		if !ok {
			return math.Inf(1)
		}
		return float64(end-now) / 1e6
	case sleepUntil:
		return float64(fixedValues[int64](x)[i]-time.Now().UnixMicro()) / 1e6
	}
	return fixedValues[float64](x)[i]
}

func (e *sleepExpr) Eval(ctx *Context, b *Batch) (arrow.Array, error) {
	x, err := e.arg.Eval(ctx, b)
	if err != nil {
		return nil, err
	}
	defer x.Release()
	valid := validityOf(x)
	out := newVarlenBuilder(ctx.Mem, b.Len, 0)
	rows := selectionCursor{sel: b.Sel}
	for i := 0; i < b.Len; i++ {
		if !rows.selected(i) || !valid.valid(i) {
			out.appendNull()
			continue
		}
		if err := sleepSecs(ctx, e.seconds(x, i)); err != nil {
			out.finish(catalog.TypeVoid).Release()
			return nil, err
		}
		out.appendBytes(nil)
	}
	return out.finish(catalog.TypeVoid), nil
}

func sleepSecs(ctx *Context, secs float64) error {
	end := time.Now().Add(time.Duration(min(secs, 1e9) * float64(time.Second)))
	for {
		if err := ctx.Ctx.Err(); err != nil {
			return err
		}
		delay := time.Until(end)
		if !(delay > 0) || math.IsNaN(secs) {
			return nil
		}
		if math.IsInf(secs, 1) {
			delay = 10 * time.Minute
		}
		t := time.NewTimer(min(delay, 10*time.Minute))
		select {
		case <-ctx.Ctx.Done():
			t.Stop()
			return ctx.Ctx.Err()
		case <-t.C:
		}
	}
}

func init() {
	sleeper := func(name string, arg catalog.Type, kind sleepKind) {
		registerFunc(&funcDef{
			resolve: func(types []catalog.Type, _ []Expr) (catalog.Type, []catalog.Type, error) {
				ok := len(types) == 1
				if ok {
					t := types[0]
					switch kind {
					case sleepSeconds:
						ok = t.IsNumeric() || t.Kind == catalog.Unknown
					case sleepFor:
						ok = t.Kind == catalog.Interval || t.Kind == catalog.Unknown
					case sleepUntil:
						ok = t.Kind == catalog.TimestampTZ || t.Kind == catalog.Timestamp || t.Kind == catalog.Date || t.Kind == catalog.Unknown
					}
				}
				if !ok {
					return catalog.Type{}, nil, errNoFunction(name, types)
				}
				return catalog.TypeVoid, []catalog.Type{arg}, nil
			},
			build:      func(args []Expr, _ catalog.Type) (Expr, error) { return &sleepExpr{arg: args[0], kind: kind}, nil },
			volatility: Volatile,
		}, name)
	}
	sleeper("pg_sleep", catalog.TypeFloat8, sleepSeconds)
	sleeper("pg_sleep_for", catalog.TypeInterval, sleepFor)
	sleeper("pg_sleep_until", catalog.TypeTimestampTZ, sleepUntil)
}
