package planner

import "github.com/pqdb/pqdb/exec"

// A semi join hashes its right input and probes it with the left, so a
// few left rows that look for matches among many right rows (TPC-H Q4:
// a quarter's 57 k orders with a late lineitem among 3.8 M) pay for a
// hash table of the many. When the condition is only equalities between
// left expressions and right ones, the semi join is an inner join with
// the distinct right keys:
//
//	L SEMI JOIN R ON l1 = r1 AND l2 = r2
//	  =  π_L (L JOIN (SELECT DISTINCT r1, r2 FROM R) d ON l1 = d.r1 AND l2 = d.r2)
//
// Each left row meets each distinct key once, so it comes out once when
// it has a match and not at all otherwise, as from the semi join, and a
// NULL key matches nothing either way. As an inner join it is ordered by
// size like any other: the few left rows become the build, and their
// keys the runtime filter of the right input's scan, under the
// aggregate (runtime_filter.go), so that only the right rows that can
// match are read and grouped.
//
// A semi join that builds on its left input (a Hash Right Semi Join,
// join_build_left.go) also hashes the few and filters the many, with
// residual conditions too and at smaller ratios; this rule goes first
// where both apply, because the grouping of the right input runs as a
// parallel aggregate where the probe of a right semi join runs in one
// pipeline. At SF1 TPC-H Q4 took the same CPU time either way (0.34 s of
// server CPU with and without this rule, on a loaded 2-core machine).

// semiJoinMinRatio is how many times the right input's estimated rows
// must exceed the left's for the rewrite: below it, hashing the right
// costs no more than grouping it.
const semiJoinMinRatio = 8

// semiJoinMinRows is the fewest estimated right rows for the rewrite.
const semiJoinMinRows = 100000

// semiJoinsAsDistinct rewrites the semi joins of n that qualify, bottom
// up, using est for the sizes of their inputs.
func semiJoinsAsDistinct(n Node, est rowEstimator) Node {
	n = mapInputs(n, func(in Node) Node { return semiJoinsAsDistinct(in, est) })
	j, ok := n.(*Join)
	if !ok || j.Kind != JoinSemi || j.Cond == nil {
		return n
	}
	l, r := est.rows(j.Left), est.rows(j.Right)
	if l == unknownRows || r == unknownRows || r < semiJoinMinRows || r < semiJoinMinRatio*l || planVolatile(j.Right) {
		return n
	}
	nl := len(j.Left.Types())
	nr := len(j.Right.Types())
	var leftKeys, rightKeys []Expr
	var eqs []*BinExpr
	for _, c := range splitAnd(j.Cond) {
		b, ok := c.(*BinExpr)
		if !ok || b.Op != exec.OpEq || hasSubquery(c) || hasVolatile(c) || hasHostCall(c) {
			return n
		}
		eqs = append(eqs, b)
		switch {
		case readsOnly(b.L, 0, nl) && readsOnly(b.R, nl, nl+nr):
			leftKeys, rightKeys = append(leftKeys, b.L), append(rightKeys, shiftCols(b.R, -nl))
		case readsOnly(b.R, 0, nl) && readsOnly(b.L, nl, nl+nr):
			leftKeys, rightKeys = append(leftKeys, b.R), append(rightKeys, shiftCols(b.L, -nl))
		default:
			return n
		}
	}
	distinct := &Aggregate{Input: j.Right, Groups: rightKeys}
	conds := make([]Expr, len(leftKeys))
	for i, k := range leftKeys {
		ref := &ColRef{Index: nl + i, T: rightKeys[i].Type()}
		if c, ok := rightKeys[i].(*ColRef); ok {
			ref.Name = c.Name
		}
		conds[i] = &BinExpr{Op: exec.OpEq, L: k, R: ref, T: eqs[i].T}
	}
	exprs := make([]Expr, nl)
	for i, t := range j.Left.Types() {
		exprs[i] = &ColRef{Index: i, T: t, Name: outputName(j.Left, i)}
	}
	return &Project{Input: &Join{Kind: JoinInner, Left: j.Left, Right: distinct, Cond: makeAnd(conds)}, Exprs: exprs}
}
