package planner

import pg_query "github.com/pganalyze/pg_query_go/v6"

// WITH queries named more than once are evaluated once.
//
// Every reference to a non-recursive WITH query binds the query in place
// and is wrapped in a CTEScan that carries the query's cteUse, shared by
// all its references (and by every copy clonePlan makes of them). Once
// the whole statement is bound, the count of references is known, and
// this rule, the first the optimizer runs, decides each query as
// PostgreSQL 12 and later do:
//
//   - MATERIALIZED, or calling a volatile function: one evaluation that
//     every reference reads (lower_recursive.go's cteScan and exec.CTE),
//     so every reference sees the same random() values, even under NOT
//     MATERIALIZED;
//   - otherwise named once, or NOT MATERIALIZED: inlined, the reference
//     replaced by its plan, so that filters and the join order reach
//     into it;
//   - otherwise (named more than once) shared too: TPC-H Q15's revenue
//     aggregate runs once, not twice.
//
// exec.CTE keeps the rows it shares in memory, so in the last case the
// query is shared only when its estimated rows are at most
// maxSharedCTERows; a larger one runs once per reference, streaming, as
// it did when every reference was inlined.
type cteUse struct {
	refs        int
	materialize pg_query.CTEMaterialize
}

// maxSharedCTERows bounds the estimated rows of a WITH query named more
// than once that its references share without MATERIALIZED.
const maxSharedCTERows = 1 << 20

// inlineCTEs replaces the references to WITH queries that are not shared
// by their plans, throughout n and the plans of its subqueries, before
// decorrelation moves those into n. The plans must be n's own copies.
func inlineCTEs(n Node, est rowEstimator) Node {
	n = mapInputs(n, func(c Node) Node { return inlineCTEs(c, est) })
	mapOwnExprs(n, func(e Expr) Expr {
		return mapExpr(e, func(x Expr) Expr {
			if s, ok := x.(*SubqueryExpr); ok {
				c := *s
				c.Plan = inlineCTEs(s.Plan, est)
				return &c
			}
			return x
		})
	})
	if s, ok := n.(*CTEScan); ok && s.use != nil && !s.use.shared(s.Plan, est) {
		return s.Plan
	}
	return n
}

// shared reports whether the references to the query planned as plan
// share one evaluation.
func (u *cteUse) shared(plan Node, est rowEstimator) bool {
	switch {
	case u.materialize == pg_query.CTEMaterialize_CTEMaterializeAlways || planVolatile(plan):
		return true
	case u.materialize == pg_query.CTEMaterialize_CTEMaterializeNever || u.refs <= 1:
		return false
	}
	return est.rows(plan) <= maxSharedCTERows
}
