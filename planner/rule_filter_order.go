package planner

import (
	"slices"

	"github.com/pqdb/pqdb/exec"
)

// A scan's filter runs its conjuncts in order, each on the rows the ones
// before it kept (exec's SelectTrue), so the cheap and selective ones go
// first: a column compared with a constant, of a type whose comparison
// selects rows straight from the values (integers, dates, timestamps,
// fixed-scale numerics), ordered by estimated selectivity, then the
// other conjuncts in the order written. TPC-H Q12's l_receiptdate range
// keeps a seventh of lineitem before its IN list and its comparisons of
// two columns run. Such a comparison raises no error, so running it
// earlier can spare a later conjunct's error but never add one; as in
// PostgreSQL, which orders quals by cost, the written order is no promise.

// orderScanFilters orders the filters of every scan in n.
func orderScanFilters(n Node, est rowEstimator) Node {
	mapInputs(n, func(c Node) Node { return orderScanFilters(c, est) })
	s, ok := n.(*Scan)
	if !ok || len(s.Filters) == 0 {
		return n
	}
	var conjuncts []Expr
	for _, f := range s.Filters {
		conjuncts = append(conjuncts, splitAnd(f)...)
	}
	if len(conjuncts) < 2 {
		return n
	}
	type ranked struct {
		e     Expr
		cheap bool
		sel   float64
	}
	rs := make([]ranked, len(conjuncts))
	for i, c := range conjuncts {
		rs[i] = ranked{e: c, cheap: cheapComparison(c), sel: 1}
		if rs[i].cheap && est.cat != nil {
			rs[i].sel = est.selectivity(s, c)
		}
	}
	slices.SortStableFunc(rs, func(a, b ranked) int {
		switch {
		case a.cheap != b.cheap:
			if a.cheap {
				return -1
			}
			return 1
		case a.sel < b.sel:
			return -1
		case a.sel > b.sel:
			return 1
		}
		return 0
	})
	s.Filters = s.Filters[:0]
	for _, r := range rs {
		s.Filters = append(s.Filters, r.e)
	}
	return n
}

// cheapComparison reports whether c compares a column with a non-NULL
// constant in a way exec selects rows by straight from the values.
func cheapComparison(c Expr) bool {
	b, ok := c.(*BinExpr)
	if !ok {
		return false
	}
	switch b.Op {
	case exec.OpEq, exec.OpNe, exec.OpLt, exec.OpLe, exec.OpGt, exec.OpGe:
	default:
		return false
	}
	col, k := b.L, b.R
	if _, ok := col.(*Const); ok {
		col, k = k, col
	}
	ref, ok := col.(*ColRef)
	kc, kok := k.(*Const)
	return ok && kok && kc.Value != nil && exec.SelectsByValue(ref.T, kc.T)
}
