package exec

import (
	"context"

	"github.com/pqdb/pqdb/catalog"
)

// Parallel grace hash aggregation. When the pipelines of a parallel
// aggregate outgrow their hash_mem and their inputs can run again (no
// shared join build below them), the inputs run again in parallel, but
// each pipeline writes its rows to spillPartitions files by the hash of
// their keys instead of aggregating them (the partitioning of level 0 of
// grace_aggregate.go). Every group's rows are then in one partition,
// spread over the pipelines' files. The partitions are aggregated in
// parallel, each by a serial hash aggregate at level 1 reading its files
// (which spills in turn by the next bits of the hash), and a Gather hands
// their groups over. So a GROUP BY of more groups than memory holds
// (TPC-H Q18's fifteen million orders at SF10) uses every core twice,
// where a serial aggregate of the same rows would use one.

// aggregatePartitioned runs the inputs again, partitioning their rows,
// and opens the Gather that aggregates the partitions.
func (p *parallelHashAggOp) aggregatePartitioned() error {
	p.dropTables()
	var pipeCtx context.Context
	pipeCtx, p.cancel = context.WithCancel(p.ctx.Ctx)
	files := make([][spillPartitions]*spillFile, len(p.inputs))
	ctxs := make([]*Context, len(p.inputs))
	for i, in := range p.inputs {
		in.Close()
		ctxs[i] = p.ctx.pipeline(pipeCtx)
		if err := in.Open(ctxs[i]); err != nil {
			return err
		}
	}
	errs := runPipelines(len(p.inputs), p.cancel, func(i int) error {
		return partitionRows(ctxs[i], p.inputs[i], p.groupBy[i], &files[i])
	})
	parts := make([][]*spillFile, spillPartitions)
	var written int64
	for i := range files {
		for q, f := range files[i] {
			if f != nil {
				parts[q] = append(parts[q], f)
				written += f.bytes
			}
		}
	}
	if err := p.ctx.Ctx.Err(); err != nil {
		removeSpillFiles(p.ctx, parts)
		return err
	}
	if err := pipelinesError(errs); err != nil {
		removeSpillFiles(p.ctx, parts)
		return err
	}
	workers := make([]*partitionAggOp, len(p.inputs))
	ops := make([]Operator, len(p.inputs))
	for w := range workers {
		workers[w] = &partitionAggOp{groupBy: p.groupBy[w], aggs: p.aggs[w], types: p.types}
		ops[w] = workers[w]
	}
	for q, fs := range parts {
		if len(fs) > 0 {
			w := workers[q%len(workers)]
			w.parts = append(w.parts, fs)
		}
	}
	p.partitioned = &partitionedAgg{gather: NewGather(ops), workers: workers, written: written}
	return p.partitioned.gather.Open(p.ctx)
}

// partitionRows writes every row of in to files[partition of its key's
// hash at level 0], in and groupBy being one pipeline's.
func partitionRows(ctx *Context, in Operator, groupBy []Expr, files *[spillPartitions]*spillFile) error {
	writers := make([]*spillWriter, spillPartitions)
	table := newHashTable(typesOf(groupBy))
	var scratch [spillPartitions][]int32
	err := eachBatch(ctx, in, func(b *Batch) error {
		keys, err := evalAll(ctx, groupBy, b)
		if err != nil {
			return err
		}
		defer releaseAll(keys)
		return spillByHash(ctx, table, keys, b.Cols, rowsOf(b), 0, in.Types(), writers, &scratch)
	})
	for q, w := range writers {
		if w == nil {
			continue
		}
		if err != nil {
			w.abandon()
			continue
		}
		f, ferr := w.finish()
		if ferr != nil {
			err = ferr
			continue
		}
		files[q] = f
	}
	if err != nil {
		for q, f := range files {
			f.remove(ctx)
			files[q] = nil
		}
	}
	return err
}

// removeSpillFiles removes partitions' files that will not be read.
func removeSpillFiles(ctx *Context, parts [][]*spillFile) {
	for _, fs := range parts {
		for _, f := range fs {
			f.remove(ctx)
		}
	}
}

// partitionedAgg is a parallel aggregate's partitioned run: the Gather
// of its workers, and what partitioning wrote.
type partitionedAgg struct {
	gather  Operator
	workers []*partitionAggOp
	written int64
}

// report is the run's memory report: the partitions' aggregates and the
// files written to partition the rows.
func (r *partitionedAgg) report() MemoryReport {
	out := MemoryReport{Kind: ReportHash, Batches: 1, Spilled: true, DiskBytes: r.written}
	for _, w := range r.workers {
		r := w.spill.report
		out.Batches += r.Batches
		out.DiskBytes += r.DiskBytes
		out.PeakMemory = max(out.PeakMemory, r.PeakMemory)
	}
	return out
}

// partitionAggOp aggregates partitions, one after another: each by a
// serial hash aggregate (at level 1) of the files its rows were
// partitioned into. It is one worker of a partitioned run.
type partitionAggOp struct {
	parts   [][]*spillFile
	groupBy []Expr
	aggs    []Aggregate
	types   []catalog.Type

	ctx  *Context
	next int
	// spill holds the partition's aggregate (child) and the reports of
	// those done (closeChild).
	spill aggSpill
}

func (w *partitionAggOp) Types() []catalog.Type { return w.types }

func (w *partitionAggOp) Open(ctx *Context) error {
	w.ctx = ctx
	return nil
}

func (w *partitionAggOp) Next() (*Batch, error) {
	for {
		if w.spill.child != nil {
			b, err := w.spill.child.Next()
			if err != nil || b != nil {
				return b, err
			}
			w.spill.closeChild()
		}
		if w.next == len(w.parts) {
			return nil, nil
		}
		fs := w.parts[w.next]
		w.parts[w.next] = nil
		w.next++
		readers := make([]Operator, len(fs))
		for i, f := range fs {
			readers[i] = newSpillReader(f, true)
		}
		w.spill.child = &hashAggOp{in: NewUnion(readers, true), groupBy: w.groupBy, aggs: w.aggs, types: w.types, level: 1}
		if err := w.spill.child.Open(w.ctx); err != nil {
			return nil, err
		}
	}
}

// Close ends the worker and removes the files of the partitions it did
// not reach.
func (w *partitionAggOp) Close() {
	w.spill.closeChild()
	if w.ctx != nil {
		removeSpillFiles(w.ctx, w.parts[w.next:])
	}
	w.next = len(w.parts)
}
