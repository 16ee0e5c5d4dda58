package planner

import (
	"sync"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/storage"
)

// partitionedCatalog is a Catalog whose scans can be split into
// partitions read in parallel (storage.Snapshot is one).
type partitionedCatalog interface {
	ScanPartitions(t *catalog.Table, cols []int, preds []storage.Predicate, n int) ([]storage.RecordReader, error)
	EstimatedRows(t *catalog.Table) int64
}

// parallelAggregate lowers an Aggregate over a chain of Filters and
// Projects over a Scan to ParallelWorkers+1 pipelines (scan partition →
// filters → projections → partial aggregate), run in parallel. It reports
// false when the plan does not have that shape or cannot run in parallel:
// an aggregate that does not split into partial states that merge
// (exec.Aggregate.Splittable: DISTINCT, ORDER BY in the call, string_agg,
// the ordered-set aggregates), subqueries or outer references in any expression,
// a catalog without partitioned scans, a table smaller than
// ParallelMinRows (below which starting goroutines costs more than it
// saves), or no parallel workers allowed.
func (l *lowerer) parallelAggregate(a *Aggregate) (exec.Operator, bool, error) {
	n := l.opts.ParallelWorkers + 1
	pc, ok := l.cat.(partitionedCatalog)
	if n < 2 || !ok {
		return nil, false, nil
	}
	exprs := append([]Expr(nil), a.Groups...)
	for _, agg := range a.Aggs {
		if agg.Dis || len(agg.Order) > 0 || !agg.Agg.Splittable() {
			return nil, false, nil
		}
		exprs = append(exprs, agg.exprs()...)
	}
	var scan *Scan
	for node := a.Input; scan == nil; {
		switch x := node.(type) {
		case *Filter:
			exprs = append(exprs, x.Pred)
			node = x.Input
		case *Project:
			exprs = append(exprs, x.Exprs...)
			node = x.Input
		case *Scan:
			scan = x
			exprs = append(exprs, x.Filters...)
		default:
			return nil, false, nil
		}
	}
	for _, e := range exprs {
		if !parallelSafe(e) {
			return nil, false, nil
		}
	}
	if scan.Table.System || scan.Files != nil || scan.HistoryOf != nil || scan.AsOf != nil || pc.EstimatedRows(scan.Table) < l.opts.ParallelMinRows {
		return nil, false, nil
	}
	parts := &scanPartitions{cat: pc, scan: scan, n: n, filters: l.runtime[scan]}
	for _, f := range scan.Filters {
		parts.preds = append(parts.preds, l.scanPredicates(scan, f)...)
	}
	if l.usesIndex(scan, parts.preds) {
		return nil, false, nil // a lookup: one pipeline reads it
	}
	inputs := make([]exec.Operator, n)
	groups := make([][]exec.Expr, n)
	aggs := make([][]exec.Aggregate, n)
	for i := range n {
		// Every pipeline lowers its own expressions: exec expressions may
		// keep state between evaluations.
		l.partition = &scanPartition{parts: parts, i: i}
		in, err := l.node(a.Input)
		l.partition = nil
		if err != nil {
			return nil, false, err
		}
		inputs[i] = in
		if groups[i], aggs[i], err = l.aggregates(a); err != nil {
			return nil, false, err
		}
	}
	if e := l.entry(); e != nil {
		e.parallel = true
		e.name = "Parallel HashAggregate"
		if len(a.Groups) == 0 {
			e.name = "Parallel Aggregate"
		}
		e.propNum("Pipelines", int64(n))
	}
	return exec.NewParallelHashAggregate(inputs, groups, aggs), true, nil
}

// parallelSafe reports whether e can be evaluated by several pipelines at
// once: subqueries share a per-statement cache and outer references
// read the enclosing query's current row.
func parallelSafe(e Expr) bool {
	safe := true
	walkExpr(e, func(n Expr) {
		switch n.(type) {
		case *SubqueryExpr, *OuterRef, *HostCall:
			safe = false
		}
	})
	return safe
}

// scanPartition is the partition one pipeline reads.
type scanPartition struct {
	parts *scanPartitions
	i     int
}

// scanPartitions hands each pipeline its partition of one scan. A plan
// opened again (a subquery re-run) takes a fresh set of partitions.
type scanPartitions struct {
	cat   partitionedCatalog
	scan  *Scan
	preds []storage.Predicate
	n     int
	// filters are the runtime filters of joins above (runtime_filter.go),
	// filled by the time the partitions are taken.
	filters []scanFilter

	mu      sync.Mutex
	readers []storage.RecordReader // nil once taken
}

func (p *scanPartitions) take(i int) (storage.RecordReader, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.readers == nil || p.readers[i] == nil {
		for _, r := range p.readers {
			if r != nil {
				r.Close()
			}
		}
		rs, err := p.cat.ScanPartitions(p.scan.Table, p.scan.Cols, withRuntimeFilters(p.preds, p.filters), p.n)
		if err != nil {
			p.readers = nil
			return nil, err
		}
		p.readers = rs
	}
	r := p.readers[i]
	p.readers[i] = nil
	return r, nil
}
