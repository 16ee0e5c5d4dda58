package exec

import "sync"

// Shared subqueries: one uncorrelated subquery evaluated by every
// pipeline of a parallel plan.
//
// A filter or projection of a parallel plan's pipelines may hold an
// uncorrelated scalar, EXISTS or IN subquery (TPC-H Q22's c_acctbal >
// (SELECT avg(c_acctbal) ...), Q16's ps_suppkey NOT IN (SELECT s_suppkey
// ...)). Every pipeline evaluates it, but it must run once per
// statement, as PostgreSQL runs an InitPlan once, and its plan is one
// operator tree that only one goroutine may run. So each pipeline's
// subquery expression (with its own IN operand) reads the result of one
// SharedSubqueryPlan: the first pipeline to evaluate it runs the plan
// under the lock, the others wait and take its result. The result is
// kept for the statement that computed it, named by the resources its
// Contexts share (Context.resources); a later run of a kept plan computes
// it again. An error is not kept: the pipeline that met it fails the
// statement and cancels the others. An IN result's hash table is made
// ready for probes from several goroutines (shareForProbes), and each
// pipeline probes it through a prober of its own.

// SharedSubqueryPlan is the plan of one shared subquery and its result.
type SharedSubqueryPlan struct {
	plan Operator
	mu   sync.Mutex
	run  *statementResources // the statement res was computed for
	res  *subqueryResult
}

// NewSharedSubqueryPlan shares plan among the pipelines' SharedSubquery
// expressions.
func NewSharedSubqueryPlan(plan Operator) *SharedSubqueryPlan {
	return &SharedSubqueryPlan{plan: plan}
}

// result returns the result for ctx's statement, running the plan
// through s if no pipeline of that statement has yet.
func (sh *SharedSubqueryPlan) result(ctx *Context, s *subqueryExpr) (*subqueryResult, error) {
	run := ctx.resources()
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.res != nil && sh.run == run {
		return sh.res, nil
	}
	res, err := s.run(ctx, s.mode == SubqueryIn)
	if err != nil {
		return nil, err
	}
	if res.table != nil {
		res.table.shareForProbes()
	}
	sh.run, sh.res = run, res
	return res, nil
}
