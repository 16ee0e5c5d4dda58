package exec

import (
	"time"

	"github.com/pqdb/pqdb/catalog"
)

// Instrumented wraps an operator and measures what EXPLAIN ANALYZE
// reports of it: how often it ran (Loops: one per Open, so a correlated
// subquery's plan counts one loop per outer row), the rows it returned, and
// the time spent in its Open and Next calls, its inputs' time included, as
// PostgreSQL's "actual time" is. Startup is the time until the first batch
// of each loop (or the loop's end, for a loop that returned none).
//
// The clock is read twice per batch, not per row, so instrumentation costs
// little even with timing on. The counters are not synchronized: each
// parallel pipeline has operators, and wrappers, of its own.
type Instrumented struct {
	in Operator

	Loops   int64
	Rows    int64
	Startup time.Duration
	Total   time.Duration

	timing  bool
	started bool // the current loop returned its first batch
}

// Instrument wraps op; with timing false only loops and rows are counted
// (EXPLAIN's TIMING OFF).
func Instrument(op Operator, timing bool) *Instrumented {
	return &Instrumented{in: op, timing: timing}
}

func (o *Instrumented) Types() []catalog.Type { return o.in.Types() }

func (o *Instrumented) Open(ctx *Context) error {
	o.Loops++
	o.started = false
	if !o.timing {
		return o.in.Open(ctx)
	}
	t := time.Now()
	err := o.in.Open(ctx)
	d := time.Since(t)
	o.Total += d
	o.Startup += d
	return err
}

func (o *Instrumented) Next() (*Batch, error) {
	var t time.Time
	if o.timing {
		t = time.Now()
	}
	b, err := o.in.Next()
	if o.timing {
		d := time.Since(t)
		o.Total += d
		if !o.started {
			o.Startup += d
		}
	}
	o.started = true
	if b != nil {
		o.Rows += int64(b.NumRows())
	}
	return b, err
}

func (o *Instrumented) Close() { o.in.Close() }

// Merge adds another wrapper's counts to o: the same plan node run by
// several parallel pipelines is reported once, with each pipeline a loop.
func (o *Instrumented) Merge(p *Instrumented) {
	o.Loops += p.Loops
	o.Rows += p.Rows
	o.Startup += p.Startup
	o.Total += p.Total
}

// serialFallback is a parallel operator that may fall back to a serial
// plan of its input (NewGatherWithSerialInput, WithSerialInput).
type serialFallback interface {
	RanSerially() bool
}

// RanSerially reports whether the wrapped operator's last run fell back
// to its serial plan: EXPLAIN ANALYZE says so, as the pipelines' counts
// then stop where they were stopped.
func (o *Instrumented) RanSerially() bool {
	r, ok := o.in.(serialFallback)
	return ok && r.RanSerially()
}
