package planner

import "github.com/pqdb/pqdb/exec"

// parallelSort lowers a Sort over a chain of Filters, Projects and hash
// joins over a Scan (parallelChain) to ParallelWorkers+1 pipelines that
// each sort their partition of the scan, merged by their rows' keys
// (exec.NewParallelSort). Every pipeline lowers its own sort keys, since
// exec expressions may keep state between evaluations. It reports false
// when the plan does not have that shape or cannot run in parallel, as
// parallelChain decides; a Sort above anything else sorts serially.
//
// Rows with equal keys come in an order of their own: by pipeline, then
// by each partition's scan order. SQL leaves that order open, as
// PostgreSQL's Gather Merge does.
func (l *lowerer) parallelSort(s *Sort) (exec.Operator, bool, error) {
	exprs := make([]Expr, len(s.Keys))
	for i, k := range s.Keys {
		exprs[i] = k.Expr
	}
	parts, joins := l.parallelChain(s.Input, exprs)
	if parts == nil {
		return nil, false, nil
	}
	serial, err := l.serialFallback(s.Input, joins)
	if err != nil {
		return nil, false, err
	}
	inputs, err := l.pipelines(s.Input, parts)
	if err != nil {
		return nil, false, err
	}
	keys := make([][]exec.SortKey, parts.n)
	for i := range parts.n {
		if keys[i], err = l.sortKeys(s.Keys); err != nil {
			return nil, false, err
		}
	}
	if e := l.entry(); e != nil {
		e.parallel = true
		e.name = "Parallel Sort"
		e.propNum("Pipelines", int64(parts.n))
	}
	return exec.NewParallelSort(inputs, keys, serial), true, nil
}
