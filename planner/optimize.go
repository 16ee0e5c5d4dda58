package planner

import "time"

// optimize runs the rewrite rules in order: turn WHERE subqueries into
// semi and anti joins, correlated scalar aggregate subqueries into left
// joins with a grouped aggregate and lateral joins into joins (on the
// plan as bound, where a subquery's WHERE is still a Filter under its
// select list), fold constants (so pushed-down
// predicates compare against literals), factor the conjuncts common to
// every branch of an OR out of it (so that they can become join keys),
// push filters toward the data, order inner joins (after pushFilters,
// which has put each single-table conjunct into its scan and every other
// one into a join condition, so that the join-order rule sees the filtered
// leaves and all their join conditions; a semi join whose few left rows
// look among many right ones first becomes an inner join with the
// distinct right keys, which the orderer then builds on the left rows),
// drop inputs that a constant
// FALSE/NULL filter rejects, then prune the columns nobody reads. Subquery
// plans are optimized as well. The rules edit nodes in place, so optimize
// works on its own copy of the plan (see clonePlan). The error is one a
// constant expression raised when it was folded (rule_fold.go). Constants fold in the
// session's TimeZone loc (nil: UTC), the zone the plan will run in; est
// (nil: none) estimates table sizes for the join order.
func optimize(n Node, loc *time.Location, est tableEstimates) (Node, error) {
	n = mapNodeExprs(clonePlan(n), cloneSubqueryPlans)
	n = inlineCTEs(n, rowEstimator{cat: est})
	n = decorrelate(n)
	n = decorrelateScalar(n)
	n = decorrelateLateral(n)
	var err error
	n = mapNodeExprs(n, func(e Expr) Expr {
		if err != nil {
			return e
		}
		var folded Expr
		if folded, err = foldConstants(e, loc); err != nil {
			return e
		}
		return mapExpr(factorOrConjuncts(folded), func(x Expr) Expr {
			if s, ok := x.(*SubqueryExpr); ok && err == nil {
				c := *s
				c.Plan, err = optimize(s.Plan, loc, est)
				return &c
			}
			return x
		})
	})
	if err != nil {
		return nil, err
	}
	n = pushFilters(n)
	n = semiJoinsAsDistinct(n, rowEstimator{cat: est})
	n = orderJoins(n, est)
	n = pruneFalseFilters(n)
	n = orderScanFilters(n, rowEstimator{cat: est})
	return pruneColumns(n), nil
}

// cloneSubqueryPlans gives each subquery of e its own copy of its plan.
// The decorrelation rules graft a subquery's plan into the outer plan,
// where later rules edit it in place; the expression itself may be shared
// with another node (each grouping set's Aggregate holds the same
// aggregate calls), whose copy must stay as bound.
func cloneSubqueryPlans(e Expr) Expr {
	return mapExpr(e, func(x Expr) Expr {
		if s, ok := x.(*SubqueryExpr); ok {
			c := *s
			c.Plan = clonePlan(s.Plan)
			return &c
		}
		return x
	})
}

// mapNodeExprs applies fn to every expression of every node of the plan.
func mapNodeExprs(n Node, fn func(Expr) Expr) Node {
	for _, in := range inputs(n) {
		mapNodeExprs(in, fn)
	}
	mapOwnExprs(n, fn)
	return n
}

// mapOwnExprs applies fn to the expressions of node n itself, not to
// those of its inputs.
func mapOwnExprs(n Node, fn func(Expr) Expr) {
	switch x := n.(type) {
	case *Scan:
		for i, f := range x.Filters {
			x.Filters[i] = fn(f)
		}
	case *Values:
		for _, row := range x.Rows {
			for i, e := range row {
				row[i] = fn(e)
			}
		}
	case *Filter:
		x.Pred = fn(x.Pred)
	case *Project:
		for i, e := range x.Exprs {
			x.Exprs[i] = fn(e)
		}
	case *Aggregate:
		for i, g := range x.Groups {
			x.Groups[i] = fn(g)
		}
		for i, a := range x.Aggs {
			x.Aggs[i] = a.withExprs(applyAll(a.exprs(), fn))
		}
	case *Join:
		if x.Cond != nil {
			x.Cond = fn(x.Cond)
		}
	case *LateralJoin:
		for i, c := range x.OuterCols {
			x.OuterCols[i] = fn(c)
		}
		if x.Cond != nil {
			x.Cond = fn(x.Cond)
		}
	case *Sort:
		for i, k := range x.Keys {
			x.Keys[i].Expr = fn(k.Expr)
		}
	case *Window:
		for i, p := range x.PartitionBy {
			x.PartitionBy[i] = fn(p)
		}
		for i, k := range x.OrderBy {
			x.OrderBy[i].Expr = fn(k.Expr)
		}
		for i := range x.Funcs {
			for j, a := range x.Funcs[i].Args {
				x.Funcs[i].Args[j] = fn(a)
			}
		}
	case *ProjectSet:
		for _, f := range x.Funcs {
			for i, a := range f.Args {
				f.Args[i] = fn(a)
			}
		}
	case *Limit:
		if x.Count != nil {
			x.Count = fn(x.Count)
		}
		if x.Offset != nil {
			x.Offset = fn(x.Offset)
		}
	}
}
