package exec

import (
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// The session's TimeZone. A timestamptz is an instant; PostgreSQL gives it
// wall-clock fields in the session's zone wherever an instant meets a
// calendar: casts between timestamptz and timestamp, date, time and text,
// extract and date_part, date_trunc, to_char, age, adding days or months
// to a timestamptz, make_timestamptz and to_timestamp without a zone, and
// current_date and localtimestamp. Those expressions make their kernel for
// the zone of the Context that evaluates them (Context.Location) and keep
// it while the zone stays the same; the planner folds constants with the
// session's zone, so a folded value is the one execution would compute.

// location is the session's TimeZone.
func (c *Context) location() *time.Location {
	if c.Location == nil {
		return time.UTC
	}
	return c.Location
}

// sessionZone is a cursor of the session's zone for one kernel.
func sessionZone(loc *time.Location) *catalog.ZoneCursor {
	return catalog.NewZoneCursor(catalog.ZoneOf(loc))
}

// isUTC reports whether loc is UTC (nil is), where conversions are the
// identity.
func isUTC(loc *time.Location) bool { return catalog.ZoneOf(loc).IsUTC() }

// funcKernel computes a function of argument columns for a batch.
type funcKernel = func(mem memory.Allocator, args []arrow.Array, b *Batch) (arrow.Array, error)

// zonedExpr evaluates a kernel made for the session's TimeZone.
type zonedExpr struct {
	args []Expr
	t    catalog.Type
	// kernelFor makes the kernel of a zone.
	kernelFor func(loc *time.Location) (funcKernel, error)

	loc    *time.Location // the zone kernel was made for
	kernel funcKernel
}

func (e *zonedExpr) Type() catalog.Type { return e.t }

func (e *zonedExpr) Eval(ctx *Context, b *Batch) (arrow.Array, error) {
	if loc := ctx.location(); e.kernel == nil || loc != e.loc {
		k, err := e.kernelFor(loc)
		if err != nil {
			return nil, err
		}
		e.kernel, e.loc = k, loc
	}
	args, err := evalAll(ctx, e.args, b)
	if err != nil {
		return nil, err
	}
	defer releaseAll(args)
	return e.kernel(ctx.Mem, args, b)
}

// zonedRowFunc is fixedRowFunc for a computation that reads the session's
// zone: bind makes the per-row computation of a batch with a cursor of
// the zone, which the kernel keeps from batch to batch.
func zonedRowFunc[R fixedWidth](args []Expr, t catalog.Type, bind func(z *catalog.ZoneCursor, a []arrow.Array) func(i int) (R, error)) Expr {
	return &zonedExpr{args: args, t: t, kernelFor: func(loc *time.Location) (funcKernel, error) {
		z := sessionZone(loc)
		return fixedRowKernel(t, func(a []arrow.Array) func(i int) (R, error) { return bind(z, a) }), nil
	}}
}
