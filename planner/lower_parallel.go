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

// parallelAggregate lowers an Aggregate over a chain of Filters, Projects
// and hash joins over a Scan to ParallelWorkers+1 pipelines (scan
// partition → filters, projections and joins' probes → partial
// aggregate), run in parallel. The chain goes down each join's probe
// side; the pipelines' joins probe one shared build of the other side
// (join_shared_build.go; sharedProbeSide). When a shared build outgrows
// work_mem, the aggregate runs a serial lowering of its input instead,
// whose joins spill. It reports
// false when the plan does not have that shape or cannot run in parallel:
// an aggregate that does not split into partial states that merge
// (exec.Aggregate.Splittable: DISTINCT, ORDER BY in the call, string_agg,
// the ordered-set aggregates), outer references or subqueries other than
// uncorrelated scalar, EXISTS and IN ones in any expression, a catalog
// without partitioned scans, a table smaller than ParallelMinRows (below
// which starting goroutines costs more than it saves), or no parallel
// workers allowed.
func (l *lowerer) parallelAggregate(a *Aggregate) (exec.Operator, bool, error) {
	var exprs []Expr
	exprs = append(exprs, a.Groups...)
	for _, agg := range a.Aggs {
		if agg.Dis || len(agg.Order) > 0 || !agg.Agg.Splittable() {
			return nil, false, nil
		}
		exprs = append(exprs, agg.exprs()...)
	}
	parts, joins := l.parallelChain(a.Input, exprs)
	if parts == nil {
		return nil, false, nil
	}
	serial, err := l.serialFallback(a.Input, joins)
	if err != nil {
		return nil, false, err
	}
	inputs, err := l.pipelines(a.Input, parts)
	if err != nil {
		return nil, false, err
	}
	groups := make([][]exec.Expr, parts.n)
	aggs := make([][]exec.Aggregate, parts.n)
	for i := range parts.n {
		// Every pipeline lowers its own expressions: exec expressions may
		// keep state between evaluations.
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
		e.propNum("Pipelines", int64(parts.n))
	}
	return exec.WithSerialInput(exec.NewParallelHashAggregate(inputs, groups, aggs), serial), true, nil
}

// aggregateInput lowers the input of aggregate a, which runs serially:
// through gatherInput's pipelines when the order of its rows matters to
// none of its aggregates (DISTINCT ones included, which are not
// splittable only because their value sets do not merge); as it is
// otherwise (string_agg, array_agg and the ordered-set aggregates read
// their rows in the input's order when the call names none).
func (l *lowerer) aggregateInput(a *Aggregate) (exec.Operator, error) {
	for _, agg := range a.Aggs {
		if len(agg.Order) > 0 || !agg.Agg.Splittable() {
			return l.node(a.Input)
		}
	}
	return l.gatherInput(a.Input)
}

// parallelChain returns the partitions of the scan under n when n is a
// chain of Filters, Projects and hash joins that share their builds
// (sharedProbeSide, down each join's probe side) over a Scan that parallel
// pipelines can read, and whether the chain holds a join. exprs are the
// expressions the pipelines evaluate above n. It returns nil when n does
// not have that shape or cannot run in parallel: outer references or
// subqueries other than uncorrelated scalar, EXISTS and IN ones (which
// the pipelines share, sharedSubquery) in any expression, a catalog without
// partitioned scans, a table smaller than ParallelMinRows (below which
// starting goroutines costs more than it saves), an index lookup, or no
// parallel workers allowed.
func (l *lowerer) parallelChain(n Node, exprs []Expr) (*scanPartitions, bool) {
	workers := l.opts.ParallelWorkers + 1
	pc, ok := l.cat.(partitionedCatalog)
	if workers < 2 || !ok {
		return nil, false
	}
	var scan *Scan
	joins := false
	for node := n; scan == nil; {
		switch x := node.(type) {
		case *Filter:
			exprs = append(exprs, x.Pred)
			node = x.Input
		case *Project:
			exprs = append(exprs, x.Exprs...)
			node = x.Input
		case *Join:
			probe, ok := l.sharedProbeSide(x)
			if !ok {
				return nil, false
			}
			exprs = append(exprs, x.Cond)
			joins = true
			node = probe
		case *Scan:
			scan = x
			exprs = append(exprs, x.Filters...)
		default:
			return nil, false
		}
	}
	for _, e := range exprs {
		if !parallelSafe(e) {
			return nil, false
		}
	}
	if scan.Table.System || scan.Files != nil || scan.HistoryOf != nil || scan.AsOf != nil || pc.EstimatedRows(scan.Table) < l.opts.ParallelMinRows {
		return nil, false
	}
	parts := &scanPartitions{cat: pc, scan: scan, n: workers, filters: l.runtime[scan]}
	for _, f := range scan.Filters {
		parts.preds = l.appendScanPredicates(parts.preds, scan, f)
	}
	if l.usesIndex(scan, parts.preds) {
		return nil, false // a lookup: one pipeline reads it
	}
	return parts, joins
}

// serialFallback lowers n, a chain that parallelChain accepted, serially
// when it holds joins: what a parallel operator runs instead when a
// shared build outgrows work_mem, whose joins spill. It is lowered out of
// EXPLAIN's sight, since it runs only then. Without joins it is nil.
func (l *lowerer) serialFallback(n Node, joins bool) (exec.Operator, error) {
	if !joins {
		return nil, nil
	}
	x, in := l.explain, l.inFallback
	l.explain, l.inFallback = nil, true
	defer func() { l.explain, l.inFallback = x, in }()
	return l.node(n)
}

// pipelines lowers n, a chain that parallelChain accepted, once for each
// of the partitions parts: every pipeline lowers its own expressions
// (exec expressions may keep state between evaluations), and the
// pipelines' joins share their builds.
func (l *lowerer) pipelines(n Node, parts *scanPartitions) ([]exec.Operator, error) {
	outer := l.partition
	defer func() { l.partition = outer }()
	inputs := make([]exec.Operator, parts.n)
	builds := map[*Join]*exec.SharedJoinBuild{}
	subqueries := map[*SubqueryExpr]*exec.SharedSubqueryPlan{}
	for i := range parts.n {
		l.partition = &scanPartition{parts: parts, i: i, builds: builds, subqueries: subqueries}
		in, err := l.node(n)
		if err != nil {
			return nil, err
		}
		inputs[i] = in
	}
	return inputs, nil
}

// gather lowers n, the build side of a hash join that parallel pipelines
// share, to parallel pipelines of its own whose rows one Gather collects,
// when n is a chain over a scan that pipelines can read (parallelChain).
// The build's rows come in no particular order: a query's rows without
// ORDER BY have none. A shared build of its own chain that outgrows
// hash_mem stops the pipelines with errPipelinesTooLarge, which the
// parallel operator above handles with its serial fallback.
func (l *lowerer) gather(n Node) (exec.Operator, error) {
	return l.gatherChain(n, false)
}

// gatherInput lowers n, an input whose rows a serial operator takes in
// any order (an aggregate that does not split into pipelines' partial
// states itself, parallelAggregate: DISTINCT in the call; the build side
// of a serial hash join), to gather's pipelines, with a serial plan of n
// to fall back on: a shared build in its chain that outgrows hash_mem
// does so before any row reaches the Gather, which then returns the
// serial plan's rows, whose joins spill (exec.NewGatherWithSerialInput).
func (l *lowerer) gatherInput(n Node) (exec.Operator, error) {
	if l.inFallback {
		return l.node(n)
	}
	return l.gatherChain(n, true)
}

// gatherChain is gather, with a serial fallback when fallback is set and
// the chain holds joins.
func (l *lowerer) gatherChain(n Node, fallback bool) (exec.Operator, error) {
	return l.lowered(n, func() (exec.Operator, error) {
		parts, hasJoins := l.parallelChain(n, nil)
		if parts == nil {
			return l.lowerNode(n)
		}
		var serial exec.Operator
		if fallback {
			var err error
			if serial, err = l.serialFallback(n, hasJoins); err != nil {
				return nil, err
			}
		}
		inputs, err := l.pipelines(n, parts)
		if err != nil {
			return nil, err
		}
		if e := l.entry(); e != nil {
			e.parallel, e.gather = true, true
			e.name = "Gather"
			e.propNum("Pipelines", int64(parts.n))
		}
		if serial != nil {
			return exec.NewGatherWithSerialInput(inputs, serial), nil
		}
		return exec.NewGather(inputs), nil
	})
}

// sharedProbeSide returns the input of join j that a parallel pipeline
// probes with, when j can be one of a pipeline's joins, probed by each
// pipeline with one shared build of its other input: a hash join (its
// condition has an equality between the sides) whose build side is the
// same for every pipeline and every run (no outer values, nothing
// volatile). It builds on the input the serial join would build on
// (buildsLeft): a left, semi or anti join with a much smaller left input
// becomes a right, right semi or right anti join probed by its right
// input, whose tail of build rows the last pipeline to end emits
// (exec/join_shared_build.go). A full join does not qualify.
func (l *lowerer) sharedProbeSide(j *Join) (Node, bool) {
	switch j.Kind {
	case JoinInner, JoinLeft, JoinSemi, JoinAnti:
	default:
		return nil, false
	}
	if j.Cond == nil || l.reopened() {
		return nil, false
	}
	if keys, _ := splitJoinCond(j.Cond, len(j.Left.Types())); len(keys) == 0 {
		return nil, false
	}
	probe, build, _ := l.joinSides(j)
	if nodeReadsOuter(build) || planVolatile(build) {
		return nil, false
	}
	return probe, true
}

// joinSides returns the input join j (with hash keys) probes with and the
// one it builds on, and whether that is its left input (buildsLeft).
func (l *lowerer) joinSides(j *Join) (probe, build Node, onLeft bool) {
	if l.buildsLeft(j) {
		return j.Right, j.Left, true
	}
	return j.Left, j.Right, false
}

// sharedJoin lowers join j of the pipeline being lowered, whose
// condition splits into the hash keys keys and residual, to a hash join
// that probes the build the pipelines share, on the input the serial
// join builds on (buildsLeft): the first pipeline lowers the build side
// (as a plan of its own, which may be parallel itself) and makes the
// runtime filters of the pipelines' scans; the others reuse them.
func (l *lowerer) sharedJoin(j *Join, keys [][2]Expr, residual []Expr) (exec.Operator, error) {
	probeSide, buildSide, onLeft := l.joinSides(j)
	p := l.partition
	shared := p.builds[j]
	var filters []*exec.RuntimeFilter
	if shared == nil {
		// Before the probe side's scans are lowered.
		if onLeft {
			filters = l.probeFilters(j.Right, j.Left, keySide(keys, 1))
		} else {
			filters = l.runtimeFilters(j, keys)
		}
	}
	probe, err := l.node(probeSide)
	if err != nil {
		return nil, err
	}
	if shared == nil {
		// After the probe side, as the serial join lowers them: EXPLAIN
		// folds the pipelines' entries child by child.
		l.partition = nil
		build, err := l.gather(buildSide)
		l.partition = p
		if err != nil {
			return nil, err
		}
		shared = exec.NewSharedJoinBuild(build, filters, p.parts.n)
		p.builds[j] = shared
	}
	pk, bk, err := l.hashKeys(keys, onLeft)
	if err != nil {
		return nil, err
	}
	if !onLeft {
		res, err := l.residual(residual)
		if err != nil {
			return nil, err
		}
		if e := l.entry(); e != nil {
			e.setJoin(true, j.Kind)
			e.name = "Parallel " + e.name
		}
		return exec.NewSharedHashJoin(probe, shared, pk, bk, execJoinKind(j.Kind), res), nil
	}
	res, err := l.swappedResidual(j, residual)
	if err != nil {
		return nil, err
	}
	if e := l.entry(); e != nil {
		e.setHashJoinBuildingLeft(j.Kind)
		e.name = "Parallel " + e.name
	}
	return inLogicalOrder(j, exec.NewSharedHashJoin(probe, shared, pk, bk, rightKindOf(j.Kind), res)), nil
}

// parallelSafe reports whether e can be evaluated by several pipelines at
// once: outer references read the enclosing query's current row, and a
// subquery runs once per statement, which pipelines can share only for
// an uncorrelated scalar, EXISTS or IN subquery (sharedSubquery).
func parallelSafe(e Expr) bool {
	safe := true
	walkExpr(e, func(n Expr) {
		switch x := n.(type) {
		case *SubqueryExpr:
			safe = safe && sharableSubquery(x)
		case *OuterRef, *HostCall:
			safe = false
		}
	})
	return safe
}

// sharableSubquery reports whether the pipelines of a parallel plan can
// share subquery x: an uncorrelated scalar, EXISTS or IN subquery calling
// nothing volatile, whose one result every pipeline reads.
func sharableSubquery(x *SubqueryExpr) bool {
	switch x.Mode {
	case exec.SubqueryScalar, exec.SubqueryExists, exec.SubqueryIn:
	default:
		return false
	}
	return len(x.OuterCols) == 0 && !nodeReadsOuter(x.Plan) && !planVolatile(x.Plan)
}

// sharedSubquery lowers subquery x of the pipeline being lowered: the
// first pipeline lowers its plan, outside the pipeline (its scans and
// joins are its own, and it may run in parallel itself), and each
// pipeline's expression (with its own IN operand) reads the one result
// that the plan's run gives the statement (exec.SharedSubquery).
func (l *lowerer) sharedSubquery(x *SubqueryExpr) (exec.Expr, error) {
	p := l.partition
	var probe exec.Expr
	if x.Probe != nil {
		var err error
		if probe, err = l.expr(x.Probe); err != nil {
			return nil, err
		}
	}
	shared, ok := p.subqueries[x]
	if !ok {
		l.partition = nil
		plan, err := l.subqueryPlan(x)
		l.partition = p
		if err != nil {
			return nil, err
		}
		shared = exec.NewSharedSubqueryPlan(plan)
		p.subqueries[x] = shared
	}
	return exec.SharedSubquery(shared, x.Mode, probe, x.T)
}

// scanPartition is the partition one pipeline reads.
type scanPartition struct {
	parts *scanPartitions
	i     int
	// builds holds the shared build of each join of the pipelines, made
	// by the first pipeline lowered; subqueries the subqueries they share.
	builds     map[*Join]*exec.SharedJoinBuild
	subqueries map[*SubqueryExpr]*exec.SharedSubqueryPlan
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
