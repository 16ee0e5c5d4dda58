package exec

import (
	"context"
	"errors"
	"sync"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// NewParallelHashAggregate is NewHashAggregate over the union of several
// inputs, each consumed by its own goroutine into a partial aggregation;
// the partial states are merged at the end. Input i is aggregated with
// groupBy[i] and aggs[i], which must be the same expressions lowered
// separately for each input, because expressions may keep state across
// evaluations. Groups come out in no particular order. Aggregates that
// are not splittable (Aggregate.Splittable: DISTINCT, ORDER BY,
// string_agg, the ordered-set aggregates) are not supported (Open
// reports an internal error), nor are expressions with subqueries, whose
// per-statement cache is not safe for concurrent use.
//
// The first error of any pipeline cancels the others; Next returns only
// after every goroutine has ended.
func NewParallelHashAggregate(inputs []Operator, groupBy [][]Expr, aggs [][]Aggregate) Operator {
	return &parallelHashAggOp{inputs: inputs, groupBy: groupBy, aggs: aggs, types: aggregateTypes(groupBy[0], aggs[0])}
}

type parallelHashAggOp struct {
	inputs  []Operator
	groupBy [][]Expr
	aggs    [][]Aggregate
	types   []catalog.Type

	ctx      *Context
	cancel   context.CancelFunc
	pipeCtxs []*Context
	groups   []*groupedAggregation
	groupedOutput
}

func (p *parallelHashAggOp) Types() []catalog.Type { return p.types }

func (p *parallelHashAggOp) Open(ctx *Context) error {
	p.ctx = ctx
	p.groupedOutput.reset()
	if len(p.groupBy) != len(p.inputs) || len(p.aggs) != len(p.inputs) {
		return internalf("parallel aggregate of %d inputs with %d grouping lists and %d aggregate lists", len(p.inputs), len(p.groupBy), len(p.aggs))
	}
	for _, a := range p.aggs[0] {
		if !a.Splittable() {
			return internalf("parallel aggregate of %s, which is not splittable", a.Func)
		}
	}
	if p.cancel != nil {
		p.cancel() // a re-open: the previous run's context is done with
	}
	var pipeCtx context.Context
	pipeCtx, p.cancel = context.WithCancel(ctx.Ctx)
	p.pipeCtxs = make([]*Context, len(p.inputs))
	p.groups = make([]*groupedAggregation, len(p.inputs))
	for i, in := range p.inputs {
		g, err := newGroupedAggregation(p.groupBy[i], p.aggs[i], ctx.location())
		if err != nil {
			return err
		}
		p.groups[i] = g
		// Each pipeline gets its own Context: the statement's values, its
		// own cancellation and no shared mutable caches.
		c := &Context{Ctx: pipeCtx, Mem: ctx.Mem, Outer: ctx.Outer, Now: ctx.Now, StatementNow: ctx.StatementNow, Location: ctx.Location, BatchRows: ctx.BatchRows}
		p.pipeCtxs[i] = c
		if err := in.Open(c); err != nil {
			return err
		}
	}
	return nil
}

func (p *parallelHashAggOp) Next() (*Batch, error) {
	p.release()
	if !p.built {
		p.built = true
		if err := p.build(); err != nil {
			return nil, err
		}
	}
	return p.emit(p.ctx.MaxBatchRows()), nil
}

// build runs every pipeline to its end on its own goroutine, then merges
// their groups.
func (p *parallelHashAggOp) build() error {
	errs := make([]error, len(p.inputs))
	var wg sync.WaitGroup
	for i := range p.inputs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// A panic here would end the process, not the statement.
			defer func() {
				if r := recover(); r != nil {
					errs[i] = pgerr.FromPanic(r)
					p.cancel()
				}
			}()
			if err := p.groups[i].consume(p.pipeCtxs[i], p.inputs[i]); err != nil {
				errs[i] = err
				p.cancel()
			}
		}()
	}
	wg.Wait()
	if err := p.ctx.Ctx.Err(); err != nil {
		return err
	}
	// A pipeline that failed cancelled the others: report its error, not
	// their cancellations.
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return err
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	all := p.groups[0]
	for _, g := range p.groups[1:] {
		if err := all.merge(p.ctx.Mem, g); err != nil {
			return err
		}
	}
	result, rows, err := all.finish(p.ctx.Mem)
	p.groups = nil
	if err != nil {
		return err
	}
	p.result, p.rows = result, rows
	return nil
}

func (p *parallelHashAggOp) Close() {
	p.groupedOutput.close()
	p.groups = nil
	if p.cancel != nil {
		p.cancel()
		p.cancel = nil
	}
	for _, in := range p.inputs {
		in.Close()
	}
}
