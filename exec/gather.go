package exec

import (
	"context"
	"errors"
	"sync"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// NewGather returns the union of inputs, each run on a goroutine of its
// own: the pipelines of a parallel plan whose rows a single consumer
// takes, such as the build side of a hash join (lower_parallel.go).
// Rows come in no particular order. Each pipeline hands over one batch at
// a time and computes its next one only once the consumer asks for more,
// so a batch stays valid until the next call of Next, as any operator's,
// and the pipelines hold at most one batch each beyond their own state.
//
// The inputs must be safe to run at once (the same expressions lowered
// separately for each, reading disjoint partitions). The first error of
// any pipeline cancels the others; Close returns only after every
// goroutine has ended.
func NewGather(inputs []Operator) Operator {
	return &gatherOp{inputs: inputs}
}

// NewGatherWithSerialInput is NewGather whose pipelines probe shared
// builds (join_shared_build.go), which do not spill: when one outgrows
// the pipelines' hash_mem before any batch reached the consumer (a
// pipeline's rows pass every join of its chain, each built before it
// probes), the Gather stops the pipelines and returns serial's rows
// instead, a serial plan of the same chain whose joins spill.
func NewGatherWithSerialInput(inputs []Operator, serial Operator) Operator {
	return &gatherOp{inputs: inputs, serial: serial}
}

type gatherOp struct {
	inputs []Operator
	// serial is the fallback (NewGatherWithSerialInput), or nil;
	// fellBack says the run returns its rows (the inputs closed already);
	// delivered that a batch of the pipelines reached the consumer.
	serial              Operator
	fellBack, delivered bool
	// ranSerially says the last run returned serial's rows; unlike
	// fellBack it outlives Close, for EXPLAIN ANALYZE.
	ranSerially bool

	ctx     *Context
	pipeCtx context.Context // the pipelines': cancelled by stop
	cancel  context.CancelFunc
	started bool
	out     chan gathered
	acks    []chan struct{}
	wg      sync.WaitGroup
	cur     int // the pipeline whose batch the consumer holds, or -1
	live    int // pipelines that have not ended
}

// gathered is what a pipeline hands over: a batch, its end (nil batch)
// or its error.
type gathered struct {
	pipeline int
	b        *Batch
	err      error
}

func (g *gatherOp) Types() []catalog.Type { return g.inputs[0].Types() }

func (g *gatherOp) Open(ctx *Context) error {
	g.stop()
	if g.fellBack {
		// Re-opened without Close after falling back: the inputs were
		// closed; the serial plan is closed before they open again.
		g.serial.Close()
	}
	g.ctx, g.cur, g.started, g.fellBack, g.delivered, g.ranSerially = ctx, -1, false, false, false, false
	g.pipeCtx, g.cancel = context.WithCancel(ctx.Ctx)
	for _, in := range g.inputs {
		if err := in.Open(ctx.pipeline(g.pipeCtx)); err != nil {
			return err
		}
	}
	return nil
}

// start runs every pipeline on its own goroutine.
func (g *gatherOp) start() {
	g.started = true
	g.live = len(g.inputs)
	g.out = make(chan gathered)
	g.acks = make([]chan struct{}, len(g.inputs))
	done := g.pipeCtx
	for i, in := range g.inputs {
		g.acks[i] = make(chan struct{}, 1)
		g.wg.Add(1)
		go g.run(i, in, done)
	}
}

// run hands over the batches of pipeline i until it ends, fails or the
// gather is stopped.
func (g *gatherOp) run(i int, in Operator, done context.Context) {
	defer g.wg.Done()
	send := func(r gathered) bool {
		select {
		case g.out <- r:
			return true
		case <-done.Done():
			return false
		}
	}
	defer func() {
		// A panic here would end the process, not the statement.
		if r := recover(); r != nil {
			send(gathered{pipeline: i, err: pgerr.FromPanic(r)})
		}
	}()
	for {
		b, err := in.Next()
		if err != nil || b == nil {
			send(gathered{pipeline: i, err: err})
			return
		}
		if !send(gathered{pipeline: i, b: b}) {
			return
		}
		select {
		case <-g.acks[i]:
		case <-done.Done():
			return
		}
	}
}

func (g *gatherOp) Next() (*Batch, error) {
	if g.fellBack {
		return g.serial.Next()
	}
	if !g.started {
		g.start()
	}
	if g.cur >= 0 {
		g.acks[g.cur] <- struct{}{}
		g.cur = -1
	}
	for g.live > 0 {
		var r gathered
		select {
		case r = <-g.out:
		case <-g.ctx.Ctx.Done():
			return nil, g.ctx.Ctx.Err()
		}
		switch {
		case r.err != nil:
			g.live = 0
			g.cancel()
			if errors.Is(r.err, context.Canceled) && g.ctx.Ctx.Err() != nil {
				return nil, g.ctx.Ctx.Err()
			}
			if r.err == errPipelinesTooLarge && g.serial != nil && !g.delivered {
				return g.fallBack()
			}
			return nil, r.err
		case r.b == nil:
			g.live--
		default:
			g.cur, g.delivered = r.pipeline, true
			return r.b, nil
		}
	}
	return nil, nil
}

// fallBack stops the pipelines and runs the serial plan instead.
func (g *gatherOp) fallBack() (*Batch, error) {
	g.stop()
	for _, in := range g.inputs {
		in.Close() // their shared builds' memory goes back first
	}
	g.fellBack = true // Close closes the serial plan, even if Open fails
	g.ranSerially = true
	if err := g.serial.Open(g.ctx); err != nil {
		return nil, err
	}
	return g.serial.Next()
}

// stop ends the pipelines' goroutines, if any run.
func (g *gatherOp) stop() {
	if g.cancel != nil {
		g.cancel()
		g.cancel = nil
	}
	g.wg.Wait()
	g.started = false
}

func (g *gatherOp) Close() {
	g.stop()
	if g.fellBack {
		g.serial.Close()
		g.fellBack = false
		return // fallBack closed the inputs
	}
	for _, in := range g.inputs {
		in.Close()
	}
}

// RanSerially reports whether the last run fell back to the serial plan.
func (g *gatherOp) RanSerially() bool { return g.ranSerially }
