package exec

import (
	"context"
	"errors"
	"sync/atomic"

	"github.com/pqdb/pqdb/catalog"
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
//
// The pipelines' tables together may hold hash_mem (work_mem times
// hash_mem_multiplier) once per pipeline, as PostgreSQL's parallel
// aggregate workers each may. When they outgrow it (or the server's memory limit is reached) the pipelines stop, their
// partial tables are dropped, and the inputs are re-opened and
// aggregated one after another by the serial hash aggregate, which
// spills (grace_aggregate.go): partial states cannot be spilled, rows
// can. Pipelines that probe a shared join build (join_shared_build.go)
// cannot be re-run that way: WithSerialInput gives the aggregate a serial
// plan of its input for them.
func NewParallelHashAggregate(inputs []Operator, groupBy [][]Expr, aggs [][]Aggregate) Operator {
	return &parallelHashAggOp{inputs: inputs, groupBy: groupBy, aggs: aggs, types: aggregateTypes(groupBy[0], aggs[0])}
}

// WithSerialInput makes agg, made by NewParallelHashAggregate, fall back
// to aggregating serial, one operator computing the union of its
// pipelines, instead of re-running the pipelines one after another.
func WithSerialInput(agg, serial Operator) Operator {
	if p, ok := agg.(*parallelHashAggOp); ok {
		p.serialInput = serial
	}
	return agg
}

type parallelHashAggOp struct {
	inputs []Operator
	// serialInput, when set, is what the serial fallback aggregates
	// instead of the inputs' union.
	serialInput Operator
	groupBy     [][]Expr
	aggs        [][]Aggregate
	types       []catalog.Type

	ctx      *Context
	cancel   context.CancelFunc
	pipeCtxs []*Context
	groups   []*groupedAggregation
	groupedOutput
	// held is what the pipelines' tables hold together, charged to the
	// statement; peak its most.
	held, peak atomic.Int64
	// serial aggregates the inputs once the pipelines outgrew work_mem;
	// it owns (and closes) the inputs.
	serial *hashAggOp
	// partitioned, instead, aggregates them in parallel partitions once
	// the pipelines outgrew their hash_mem and the inputs can run again
	// (parallel_grace_aggregate.go).
	partitioned *partitionedAgg
	// serialReport is the serial or partitioned run's report, kept past
	// Close for EXPLAIN ANALYZE, and ranSerially whether the run fell
	// back to the serial aggregate.
	serialReport *MemoryReport
	ranSerially  bool
}

// errPipelinesTooLarge stops the pipelines of a parallel aggregate whose
// tables outgrew work_mem.
var errPipelinesTooLarge = errors.New("parallel aggregate exceeds work_mem")

func (p *parallelHashAggOp) Types() []catalog.Type { return p.types }

func (p *parallelHashAggOp) Open(ctx *Context) error {
	p.ctx, p.ranSerially = ctx, false
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
	p.closeSerial()
	p.serialReport = nil
	p.held.Store(0)
	p.peak.Store(0)
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
		c := ctx.pipeline(pipeCtx)
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
	if p.serial != nil {
		return p.serial.Next()
	}
	if p.partitioned != nil {
		return p.partitioned.gather.Next()
	}
	return p.emit(p.ctx.MaxBatchRows()), nil
}

// consume folds pipeline i's input into its table, charging the table's
// growth, until the input ends or the tables together outgrow their hash_mem.
func (p *parallelHashAggOp) consume(i int) error {
	g, in, ctx := p.groups[i], p.inputs[i], p.pipeCtxs[i]
	held := int64(0)
	err := eachBatch(ctx, in, func(b *Batch) error {
		if err := g.add(ctx, b); err != nil {
			return err
		}
		size := g.memSize()
		delta := size - held
		if delta <= 0 {
			return nil
		}
		if err := ctx.reserve(delta); err != nil {
			return errPipelinesTooLarge
		}
		held = size
		total := p.held.Add(delta)
		if total > p.peak.Load() {
			p.peak.Store(total)
		}
		if ctx.overSharedHashMem(total, len(p.inputs)) && len(p.groupBy[i]) > 0 {
			return errPipelinesTooLarge
		}
		return nil
	})
	if err != nil {
		return err
	}
	return g.settleDirect(ctx)
}

// dropTables forgets the pipelines' partial tables and gives back their
// memory.
func (p *parallelHashAggOp) dropTables() {
	p.groups = nil
	p.ctx.unreserve(p.held.Swap(0))
}

// aggregateSerially re-runs the inputs, one after another, through the
// serial hash aggregate, which spills.
func (p *parallelHashAggOp) aggregateSerially() error {
	p.dropTables()
	for _, in := range p.inputs {
		in.Close()
	}
	in := p.serialInput
	if in == nil {
		in = NewUnion(p.inputs, true)
	}
	p.serial = &hashAggOp{in: in, groupBy: p.groupBy[0], aggs: p.aggs[0], types: p.types}
	p.ranSerially = true
	return p.serial.Open(p.ctx)
}

// MemoryReport is the serial aggregate's report after a fall back, or
// else the pipelines' peak.
func (p *parallelHashAggOp) MemoryReport() MemoryReport {
	if len(p.groupBy[0]) == 0 {
		return MemoryReport{}
	}
	if p.serial != nil {
		return p.serial.MemoryReport()
	}
	if p.partitioned != nil {
		return p.partitioned.report()
	}
	if p.serialReport != nil {
		return *p.serialReport
	}
	return MemoryReport{Kind: ReportHash, Batches: 1, PeakMemory: p.peak.Load()}
}

func (p *parallelHashAggOp) closeSerial() {
	if p.serial != nil {
		r := p.serial.MemoryReport()
		p.serialReport = &r
		p.serial.Close()
		p.serial = nil
	}
	if p.partitioned != nil {
		p.partitioned.gather.Close() // the workers end first
		r := p.partitioned.report()
		p.serialReport = &r
		p.partitioned = nil
	}
}

// build runs every pipeline to its end on its own goroutine, then merges
// their groups.
func (p *parallelHashAggOp) build() error {
	errs := runPipelines(len(p.inputs), p.cancel, p.consume)
	if err := p.ctx.Ctx.Err(); err != nil {
		return err
	}
	for _, err := range errs {
		if err == errPipelinesTooLarge {
			if p.serialInput == nil {
				return p.aggregatePartitioned()
			}
			return p.aggregateSerially()
		}
	}
	if err := pipelinesError(errs); err != nil {
		return err
	}
	if p.directTables() {
		return p.mergeShared()
	}
	all := p.groups[0]
	for _, g := range p.groups[1:] {
		if err := all.merge(p.ctx.Mem, g); err != nil {
			return err
		}
	}
	result, rows, err := all.finish(p.ctx.Mem)
	p.dropTables()
	if err != nil {
		return err
	}
	p.setResult(result, rows)
	return nil
}

// directTables reports whether every pipeline's table is in direct mode
// (hashtable_direct.go).
func (p *parallelHashAggOp) directTables() bool {
	if len(p.groupBy[0]) == 0 {
		return false
	}
	for _, g := range p.groups {
		if g.table.direct == nil {
			return false
		}
	}
	return true
}

// mergeShared merges tables in direct mode by the keys they share alone:
// a group whose key an earlier pipeline's table holds too is folded into
// the first such table's group and left out of its own table's output.
// Then every table finishes at once, on its pipeline's goroutine, as a
// part of the result. Finding the shared keys compares the tables'
// chunks over the same keys (sharedGroups), so pipelines that each see
// ranges of keys of their own (a scan of lineitem stored in l_orderkey
// order, TPC-H Q18) merge the few keys at the ranges' edges, instead of
// inserting every group of every table into the first one serially.
func (p *parallelHashAggOp) mergeShared() error {
	keep := make([][]int32, len(p.groups))
	for j := 1; j < len(p.groups); j++ {
		o := p.groups[j]
		merged := make([]bool, o.ngroups)
		target := make([]int32, o.ngroups)
		shared := 0
		for i := range j {
			for g := range target {
				target[g] = -1
			}
			n := p.groups[i].table.sharedGroups(o.table, target, merged)
			if n == 0 {
				continue
			}
			shared += n
			if err := p.groups[i].mergeStates(o, target); err != nil {
				p.dropTables()
				return err
			}
		}
		if shared > 0 {
			keep[j] = make([]int32, 0, o.ngroups-shared)
			for g, m := range merged {
				if !m {
					keep[j] = append(keep[j], int32(g))
				}
			}
		}
	}
	parts := make([]Batch, len(p.groups))
	errs := runPipelines(len(p.groups), p.cancel, func(i int) error {
		cols, rows, err := p.groups[i].finish(p.pipeCtxs[i].Mem)
		parts[i] = Batch{Cols: cols, Len: rows, Sel: keep[i]}
		return err
	})
	p.dropTables()
	p.finished = parts // released by close, whatever failed
	if err := p.ctx.Ctx.Err(); err != nil {
		return err
	}
	return pipelinesError(errs)
}

func (p *parallelHashAggOp) Close() {
	p.groupedOutput.close()
	p.groups = nil
	if p.cancel != nil {
		p.cancel()
		p.cancel = nil
	}
	if p.ctx != nil {
		p.ctx.unreserve(p.held.Swap(0))
	}
	serial := p.serial != nil
	p.closeSerial()
	if serial {
		return // the serial aggregate closed the inputs
	}
	for _, in := range p.inputs {
		in.Close()
	}
}

// RanSerially reports whether the last run fell back to the serial
// aggregate.
func (p *parallelHashAggOp) RanSerially() bool { return p.ranSerially }
