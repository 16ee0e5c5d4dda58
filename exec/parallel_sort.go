package exec

import (
	"context"

	"github.com/pqdb/pqdb/catalog"
)

// NewParallelSort orders the union of inputs, the pipelines of a parallel
// plan (partitions of one scan, each through its own filters,
// projections and joins' probes), by keys, keys[i] lowered for pipeline
// i. Each pipeline sorts its own rows on a goroutine of its own, as Sort
// does (in memory, or in runs on disk past work_mem), and keeps every
// row's normalized key (sort_key.go); the consumer then merges the
// pipelines' sorted streams by those keys, ties going to the earlier
// pipeline (external_sort.go's merger). Reading, encoding keys, sorting
// and spilling thus use every pipeline's core; only the final merge (a
// heap of one entry per pipeline, and a copy of every row) runs on one.
//
// When a pipeline's shared join build outgrows work_mem
// (errPipelinesTooLarge), the sort runs serially over serialInput, a
// serial lowering of the same plan whose joins spill. Only pipelines
// with joins can outgrow it so; without joins serialInput is nil.
func NewParallelSort(inputs []Operator, keys [][]SortKey, serialInput Operator) Operator {
	return &parallelSortOp{inputs: inputs, keys: keys, serialInput: serialInput}
}

type parallelSortOp struct {
	inputs      []Operator
	keys        [][]SortKey
	serialInput Operator

	ctx    *Context
	cancel context.CancelFunc
	// sorts are the pipelines' sorts, keeping keys, until the merger
	// takes them over.
	sorts   []*sortOp
	started bool
	merger  *runMerger
	out     *Batch
	// serial sorts serialInput once the pipelines outgrew work_mem.
	serial *sortOp
	report MemoryReport
}

func (p *parallelSortOp) Types() []catalog.Type { return p.inputs[0].Types() }

func (p *parallelSortOp) Open(ctx *Context) error {
	if len(p.keys) != len(p.inputs) {
		return internalf("parallel sort of %d inputs with %d key lists", len(p.inputs), len(p.keys))
	}
	p.reset()
	p.ctx, p.started = ctx, false
	p.report = MemoryReport{Kind: ReportSort}
	var pipeCtx context.Context
	pipeCtx, p.cancel = context.WithCancel(ctx.Ctx)
	p.sorts = make([]*sortOp, len(p.inputs))
	for i, in := range p.inputs {
		p.sorts[i] = &sortOp{in: in, keys: p.keys[i], keepKeys: true}
	}
	for _, s := range p.sorts {
		// Each pipeline gets its own Context: the statement's values, its
		// own cancellation and no shared mutable caches.
		if err := s.Open(ctx.pipeline(pipeCtx)); err != nil {
			return err
		}
	}
	return nil
}

// MemoryReport is the serial sort's report after a fall back, or else
// the pipelines' together: the sum of their peaks (they sort at once)
// and of what they wrote.
func (p *parallelSortOp) MemoryReport() MemoryReport {
	if p.serial != nil {
		return p.serial.MemoryReport()
	}
	return p.report
}

func (p *parallelSortOp) Next() (*Batch, error) {
	p.release()
	if !p.started {
		p.started = true
		if err := p.sortPipelines(); err != nil {
			return nil, err
		}
	}
	if p.serial != nil {
		return p.serial.Next()
	}
	b, err := p.merger.next(p.ctx.MaxBatchRows())
	if err != nil || b == nil {
		return nil, err
	}
	p.out = withoutKey(b)
	return p.out, nil
}

// sortPipelines sorts every pipeline's rows on its own goroutine, then
// starts the merge of their sorted streams.
func (p *parallelSortOp) sortPipelines() error {
	errs := runPipelines(len(p.sorts), p.cancel, func(i int) error {
		s := p.sorts[i]
		s.done = true
		return s.sortAll()
	})
	if err := p.ctx.Ctx.Err(); err != nil {
		return err
	}
	for _, err := range errs {
		if err == errPipelinesTooLarge {
			return p.sortSerially()
		}
	}
	if err := pipelinesError(errs); err != nil {
		return err
	}
	streams := make([]Operator, len(p.sorts))
	for i, s := range p.sorts {
		streams[i] = s
		r := s.MemoryReport()
		p.report.Spilled = p.report.Spilled || r.Spilled
		p.report.PeakMemory += r.PeakMemory
		p.report.DiskBytes += r.DiskBytes
	}
	p.sorts = nil // the merger owns them now
	m, err := newStreamMerger(p.ctx, runTypes(p.Types()), streams)
	if err != nil {
		return err
	}
	p.merger = m
	return nil
}

// sortSerially drops the pipelines' sorts and sorts serialInput instead.
func (p *parallelSortOp) sortSerially() error {
	if p.serialInput == nil {
		return internalf("parallel sort outgrew work_mem in pipelines without a serial plan")
	}
	p.closeSorts()
	p.serial = &sortOp{in: p.serialInput, keys: p.keys[0]}
	return p.serial.Open(p.ctx)
}

func (p *parallelSortOp) release() {
	if p.out != nil {
		p.out.Release()
		p.out = nil
	}
}

func (p *parallelSortOp) closeSorts() {
	for _, s := range p.sorts {
		s.Close()
	}
	p.sorts = nil
}

// reset ends the last run: its pipelines, merger or serial sort.
func (p *parallelSortOp) reset() {
	p.release()
	if p.cancel != nil {
		p.cancel()
		p.cancel = nil
	}
	if p.merger != nil {
		p.merger.close() // closes the pipelines' sorts and their inputs
		p.merger = nil
	}
	if p.serial != nil {
		report := p.serial.MemoryReport()
		p.serial.Close()
		p.serial = nil
		p.report = report
	}
	p.closeSorts()
}

func (p *parallelSortOp) Close() {
	p.reset()
}
