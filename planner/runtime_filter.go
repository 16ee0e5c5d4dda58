package planner

import (
	"slices"

	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/storage"
)

// Runtime filters (exec/runtime_filter.go): a hash join whose probe rows
// without a match are dropped hands its build's keys to the scan its
// probe key column comes from, which reads only what may hold them.
// Those are the inner and semi joins, which probe with their left input,
// and the joins that build on their left input (join_build_left.go): a
// right join, right semi join or right anti join emits a probe row only
// with a build row it matches, or not at all. EXPLAIN shows the scan's
// "Runtime Filter".

// scanFilter is a runtime filter on column Column of a scan's table.
type scanFilter struct {
	column int
	filter *exec.RuntimeFilter
}

// runtimeFilters makes the runtime filters of join j, whose hash keys
// are keys (left expression, right expression), registering each with
// the scan that will read by it. Call it before lowering j.Left.
func (l *lowerer) runtimeFilters(j *Join, keys [][2]Expr) []*exec.RuntimeFilter {
	if j.Kind != JoinInner && j.Kind != JoinSemi {
		return nil
	}
	return l.probeFilters(j.Left, j.Right, keySide(keys, 0))
}

// probeFilters makes the runtime filters of a hash join that builds on
// build and probes with probe by probeKeys (expressions over probe),
// registering each with the scan that will read by it. The caller
// vouches that the join drops probe rows without a match. Call it before
// lowering probe.
func (l *lowerer) probeFilters(probe, build Node, probeKeys []Expr) []*exec.RuntimeFilter {
	var out []*exec.RuntimeFilter
	for i, k := range probeKeys {
		c, ok := k.(*ColRef)
		if !ok {
			continue
		}
		s, col := scanColumnOf(probe, c.Index)
		if s == nil || s.Table.System || s.AsOf != nil || s.HistoryOf != nil || l.buildHoldsAll(build, s, col) {
			continue
		}
		f := &exec.RuntimeFilter{Key: i}
		if l.runtime == nil {
			l.runtime = map[*Scan][]scanFilter{}
		}
		l.runtime[s] = append(l.runtime[s], scanFilter{column: s.Cols[col], filter: f})
		out = append(out, f)
	}
	return out
}

// scanColumnOf returns the scan and the position in its Cols of the scan
// column that column c of n's output passes through unchanged, or nil.
//
// It goes down through joins of any kind: a row of their input whose
// value in the column is not among the filter's keys can only make
// output rows with that value, or with NULL in its place (an outer join
// whose match was filtered out), and the join above drops both. It goes
// down through an Aggregate's group key too: input rows whose key is not
// among the filter's only make groups with that key, which the join
// drops, and the groups it keeps aggregate the same rows as before (a
// decorrelated scalar subquery's aggregate then reads only the groups the
// outer query meets: TPC-H Q17).
func scanColumnOf(n Node, c int) (*Scan, int) {
	switch x := n.(type) {
	case *Aggregate:
		if c < len(x.Groups) {
			if r, ok := x.Groups[c].(*ColRef); ok {
				return scanColumnOf(x.Input, r.Index)
			}
		}
	case *Scan:
		if c < len(x.Cols) {
			return x, c
		}
	case *Filter:
		return scanColumnOf(x.Input, c)
	case *Project:
		if r, ok := x.Exprs[c].(*ColRef); ok {
			return scanColumnOf(x.Input, r.Index)
		}
	case *Join:
		if nl := len(x.Left.Types()); c < nl {
			return scanColumnOf(x.Left, c)
		} else if x.Kind != JoinSemi && x.Kind != JoinAnti {
			return scanColumnOf(x.Right, c-nl)
		}
	}
	return nil, -1
}

// withRuntimeFilters adds to preds, for a scan opening now, an In
// predicate for each of its runtime filters that its join filled.
func withRuntimeFilters(preds []storage.Predicate, filters []scanFilter) []storage.Predicate {
	for _, f := range filters {
		if vals, ok := f.filter.Values(); ok {
			preds = append(slices.Clip(preds), storage.Predicate{Column: f.column, Op: storage.In, Values: vals})
		}
	}
	return preds
}

// noteRuntimeFilters names the columns of scan s's runtime filters in
// its EXPLAIN entry (once: each pipeline of a parallel plan lowers the
// scan again).
func (l *lowerer) noteRuntimeFilters(s *Scan, filters []scanFilter) {
	if e := l.entry(); e != nil && len(e.runtimeFilters) == 0 {
		for _, f := range filters {
			// A parallel plan's serial fallback filters by the same
			// columns (lower_parallel.go).
			if name := s.Table.Columns[f.column].Name; !slices.Contains(e.runtimeFilters, name) {
				e.runtimeFilters = append(e.runtimeFilters, name)
			}
		}
	}
}

// buildHoldsAll reports whether a join's build, a scan, is estimated to
// hold at least as many rows as column col of scan s has distinct
// values, so that its keys would filter nothing (TPC-H Q5's join of
// lineitem with all 10,000 suppliers) while the scan narrowed by them
// instead of by a filter that keeps few rows. Only a scan's estimate
// (its table's rows and its filters') is close enough to trust here.
func (l *lowerer) buildHoldsAll(build Node, s *Scan, col int) bool {
	est, ok := l.cat.(tableEstimates)
	if _, scan := build.(*Scan); !ok || !scan {
		return false
	}
	distinct, ok := est.EstimatedDistinct(s.Table, s.Cols[col])
	rows := rowEstimator{cat: est}.rows(build)
	return ok && rows != unknownRows && rows >= float64(distinct)
}
