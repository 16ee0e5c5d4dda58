package exec

import "sync"

// Shared subqueries: one uncorrelated subquery evaluated by every
// pipeline of a parallel plan.
//
// A filter or projection of a parallel plan's pipelines may hold an
// uncorrelated scalar or EXISTS subquery (TPC-H Q22's c_acctbal >
// (SELECT avg(c_acctbal) ...)). Every pipeline evaluates it, but it must
// run once per statement, as PostgreSQL runs an InitPlan once, and its
// plan is one operator tree that only one goroutine may run. So the
// pipelines share one subquery expression whose result lives here
// rather than in a Context of their own: the first pipeline to evaluate
// it runs the plan under the lock, the others wait and take its value.
// The value is kept for the statement that computed it, named by the
// resources its Contexts share (Context.resources); a later run of a
// kept plan computes it again. An error is not kept: the pipeline that
// met it fails the statement and cancels the others. Only the
// constant results of scalar and EXISTS subqueries are shared: an IN
// subquery's hash table keeps probing scratch of its own.

// sharedSubquery is the result of one shared subquery.
type sharedSubquery struct {
	mu  sync.Mutex
	run *statementResources // the statement res was computed for
	res *subqueryResult
}

// result returns s's result for ctx's statement, running s's plan if no
// pipeline of that statement has yet.
func (sh *sharedSubquery) result(ctx *Context, s *subqueryExpr) (*subqueryResult, error) {
	run := ctx.resources()
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.res != nil && sh.run == run {
		return sh.res, nil
	}
	res, err := s.run(ctx, false)
	if err != nil {
		return nil, err
	}
	sh.run, sh.res = run, res
	return res, nil
}
