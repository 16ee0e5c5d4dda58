package planner

import (
	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
)

// decorrelateScalar turns correlated scalar aggregate subqueries into a
// left join with a grouped aggregate, so that the aggregate runs once over
// its whole input instead of once per outer row (TPC-H Q2, Q17, Q20):
//
//	Filter(X, ... (SELECT f(agg(e)) FROM F
//	               WHERE k1 = o1 AND ... AND kn = on AND r) ...)
//	  →  Project(Filter(Left Join(X, G) ON o1 = G.k1 AND ... AND on = G.kn,
//	                    ... f(G.agg) ...),
//	             X's columns)
//	G = Aggregate(Filter(F, r), group by k1, ..., kn; agg(e))
//
// The same holds for such a subquery in a Project's expressions (select
// lists, UPDATE's SET) and in an Aggregate's group keys and arguments,
// where the node is simply rebuilt over the join. WHERE and HAVING are
// both Filters.
//
// The subquery must be an aggregate without GROUP BY or HAVING (so exactly
// one row), with one select expression f over its aggregates that reads
// no outer value; aggregate arguments read no outer value; below it only
// projections (the select lists of a subquery or WITH query in FROM, which
// map rows one to one: the arguments are rewritten through them, and must
// still read no outer value) and WHERE filters over a FROM that reads no
// outer value (peelSubquery's core), not a DISTINCT or ORDER BY, which
// the grouped aggregate would not keep. Every WHERE conjunct that reads the outer row must be an equality
// ki = oi between ki over F alone and oi over the outer row alone (no
// subquery, volatile or host call), both of the same type, one of those
// scalarKeyType accepts; the other conjuncts (r) read F only and call
// nothing volatile (they now run once per row of F, not once per pair of
// an outer row and a row of F). The outer expressions (OuterCols) must
// read X alone. count and count(*) in f read COALESCE(G.count, 0).
//
// Why this is exact, for an outer row x:
//   - The subquery's value is f(agg over S(x)), S(x) the rows of F that
//     pass r and make every ki = oi(x) true. The join condition uses the
//     very expressions the bound = compared (implicit coercions are
//     already Cast nodes in ki and oi), so it is true exactly when the
//     group's key tuple equals (o1(x), ..., on(x)) by =. Grouping puts two
//     rows together exactly when their keys are equal by = (for the key
//     types scalarKeyType accepts; it leaves out floats, numeric and
//     bpchar, whose = is coarser than their representation), so the group
//     that matches, if any, holds exactly S(x), and at most one group
//     matches: every outer row comes out of the join exactly once, and
//     duplicate outer keys each find the same group.
//   - When S(x) is empty, or some oi(x) is NULL (then ki = oi(x) is never
//     true and S(x) is empty too), no group matches and the left join
//     null-extends x: NULL, which is sum, avg, min, max, bool_and and
//     bool_or over no rows. count over no rows is 0, which the COALESCE
//     restores; a group's own count is never NULL, so the COALESCE changes
//     nothing else. Groups with a NULL key match no outer row, as no row
//     with a NULL ki is in any S(x).
//   - f is evaluated over the same aggregate values, once per outer row,
//     and the Filter's Project restores X's columns, so the other
//     conjuncts and the parent see the same rows and columns (a Project or
//     Aggregate rebuilt over the join sees each row of X once, as before).
//
// The one difference: G aggregates every row of F that passes r, also
// those no outer row asks for, so an error raised there (a division by
// zero in r, say) that the per-row SubPlan would not have met can occur;
// the semi join rewrite shares it.
func decorrelateScalar(n Node) Node {
	n = mapInputs(n, decorrelateScalar)
	switch x := n.(type) {
	case *Filter:
		input, pred := rewriteScalars(x.Input, x.Pred)
		if input == x.Input {
			return x
		}
		return &Project{Input: &Filter{Input: input, Pred: pred[0]}, Exprs: typedRefs(x.Input.Types())}
	case *Project:
		input, exprs := rewriteScalars(x.Input, x.Exprs...)
		if input == x.Input {
			return x
		}
		return &Project{Input: input, Exprs: exprs}
	case *Aggregate:
		es := append([]Expr(nil), x.Groups...)
		for _, a := range x.Aggs {
			es = append(es, a.exprs()...)
		}
		input, es := rewriteScalars(x.Input, es...)
		if input == x.Input {
			return x
		}
		groups := es[:len(x.Groups)]
		es = es[len(x.Groups):]
		aggs := make([]*AggRef, len(x.Aggs))
		for i, a := range x.Aggs {
			n := len(a.exprs())
			aggs[i], es = a.withExprs(es[:n]), es[n:]
		}
		return &Aggregate{Input: input, Groups: groups, Aggs: aggs}
	}
	return n
}

// rewriteScalars replaces the correlated scalar subqueries of es (over
// x's output) that scalarJoin rewrites by columns of left joins stacked
// on x, returning the new input (x itself when nothing changed) and the
// expressions over it. x's columns keep their positions, so the parts of
// es that are not rewritten stay valid.
//
// Filters at the top of x move above the joins: a left join keeps every
// row of its left input once, and the filters read only x's columns, so
// they keep the same rows there. This keeps the WHERE of an enclosing
// subquery on top, where its own rewrite looks for the correlated
// conjuncts (a subquery in an aggregate argument of a subquery); filter
// pushdown later moves the others back down into the join's left input.
func rewriteScalars(x Node, es ...Expr) (Node, []Expr) {
	var hoisted []Expr
	base := x
	for f, ok := base.(*Filter); ok; f, ok = base.(*Filter) {
		hoisted = append(hoisted, f.Pred)
		base = f.Input
	}
	input := base
	out := make([]Expr, len(es))
	for i, e := range es {
		if !hasSubquery(e) {
			out[i] = e
			continue
		}
		out[i] = mapExpr(e, func(e Expr) Expr {
			s, ok := e.(*SubqueryExpr)
			if !ok || s.Mode != exec.SubqueryScalar {
				return e
			}
			j, v := scalarJoin(input, s)
			if j == nil {
				return e
			}
			input = j
			return v
		})
	}
	if input == base {
		return x, es
	}
	if len(hoisted) > 0 {
		input = &Filter{Input: input, Pred: makeAnd(hoisted)}
	}
	return input, out
}

// typedRefs gives column references to columns of the given types.
func typedRefs(ts []catalog.Type) []Expr {
	out := make([]Expr, len(ts))
	for i, t := range ts {
		out[i] = &ColRef{Index: i, T: t}
	}
	return out
}

// scalarJoin returns the left join of x with the grouped aggregate that
// scalar subquery s becomes, and the expression over the join's output
// that replaces s; nil when s is not rewritten.
func scalarJoin(x Node, s *SubqueryExpr) (Node, Expr) {
	if len(s.OuterCols) == 0 {
		return nil, nil
	}
	for _, oc := range s.OuterCols {
		if readsOuterOrSubquery(oc) || hasVolatile(oc) || hasHostCall(oc) {
			return nil, nil
		}
	}
	// Rewrite the subquery's own correlated scalar subqueries first (in
	// its aggregate arguments, say), so that it has the shape below.
	p, ok := decorrelateScalar(clonePlan(s.Plan)).(*Project)
	if !ok || len(p.Exprs) != 1 {
		return nil, nil
	}
	sel := p.Exprs[0]
	if readsOuterOrSubquery(sel) || hasVolatile(sel) || hasHostCall(sel) {
		return nil, nil
	}
	agg, ok := p.Input.(*Aggregate)
	if !ok || len(agg.Groups) != 0 || len(agg.Aggs) == 0 {
		return nil, nil
	}
	input, aggs := aggregateThroughProjects(agg.Input, agg.Aggs)
	switch input.(type) {
	case *Distinct, *Sort:
		// The grouped aggregate would see every row, in any order.
		return nil, nil
	}
	for _, a := range aggs {
		for _, e := range a.exprs() {
			if readsOuterOrSubquery(e) || hasVolatile(e) || hasHostCall(e) {
				return nil, nil
			}
		}
	}
	core, conds, _, ok := peelSubquery(input, false)
	if !ok {
		return nil, nil
	}
	var inner, innerKeys, outerKeys []Expr
	for _, c := range conds {
		if !readsOuterRef(c) {
			// Run once per row of F instead of once per pair of an
			// outer row and a row of F: not for a volatile call.
			if hasVolatile(c) || hasHostCall(c) {
				return nil, nil
			}
			inner = append(inner, c)
			continue
		}
		b, ok := c.(*BinExpr)
		if !ok || b.Op != exec.OpEq || readsSubquery(c) || hasVolatile(c) || hasHostCall(c) {
			return nil, nil
		}
		ik, ok1 := innerOnly(b.L)
		ok2 := outerOnly(b.R)
		if !ok1 || !ok2 {
			ik, ok1 = innerOnly(b.R)
			if !ok1 || !outerOnly(b.L) {
				return nil, nil
			}
			b = &BinExpr{Op: b.Op, L: b.R, R: b.L, T: b.T}
		}
		if ik.Type() != b.R.Type() || !scalarKeyType(ik.Type()) {
			return nil, nil
		}
		innerKeys = append(innerKeys, ik)
		outerKeys = append(outerKeys, mapExpr(b.R, func(e Expr) Expr {
			if o, ok := e.(*OuterRef); ok {
				return s.OuterCols[o.Index]
			}
			return e
		}))
	}
	if len(innerKeys) == 0 {
		return nil, nil
	}
	var in Node = core
	if len(inner) > 0 {
		in = &Filter{Input: core, Pred: makeAnd(inner)}
	}
	in = decorrelateScalar(decorrelate(in))
	g := &Aggregate{Input: in, Groups: innerKeys, Aggs: aggs}
	nl, nk := len(x.Types()), len(innerKeys)
	var cond []Expr
	for i, o := range outerKeys {
		cond = append(cond, &BinExpr{Op: exec.OpEq, L: o, R: &ColRef{Index: nl + i, T: innerKeys[i].Type(), Name: innerKeys[i].String()}, T: catalog.TypeBool})
	}
	j := &Join{Kind: JoinLeft, Left: x, Right: g, Cond: makeAnd(cond)}
	v := mapExpr(sel, func(e Expr) Expr {
		c, ok := e.(*ColRef)
		if !ok {
			return e
		}
		a := aggs[c.Index]
		var r Expr = &ColRef{Index: nl + nk + c.Index, T: c.T, Name: a.String()}
		if a.Agg == exec.AggCount || a.Agg == exec.AggCountStar || a.Agg == exec.AggRegrCount {
			r = &CoalesceExpr{Args: []Expr{r, &Const{Value: int64(0), T: catalog.TypeInt8}}, T: c.T}
		}
		return r
	})
	return j, v
}

// innerOnly reports whether e reads the subquery's own input only (no
// outer value, no subquery), returning it.
func innerOnly(e Expr) (Expr, bool) {
	return e, !readsOuterOrSubquery(e) && !hasVolatile(e) && !hasHostCall(e)
}

// outerOnly reports whether e reads outer values only (no column of the
// subquery's input).
func outerOnly(e Expr) bool {
	if hasSubquery(e) {
		return false
	}
	used := map[int]bool{}
	colsUsed(e, used)
	return len(used) == 0
}

// scalarKeyType reports whether grouping on a value of type t puts two
// values together exactly when = between them is true. Floats (-0 = 0,
// NaN), numeric (scale), bpchar (trailing blanks) and the rest are left
// out.
func scalarKeyType(t catalog.Type) bool {
	switch t.Kind {
	case catalog.Bool, catalog.Int2, catalog.Int4, catalog.Int8, catalog.Text, catalog.Varchar,
		catalog.Date, catalog.Timestamp, catalog.TimestampTZ, catalog.UUID, catalog.Oid, catalog.RegProc, catalog.RegProcedure, catalog.RegClass, catalog.RegType, catalog.RegNamespace, catalog.RegRole, catalog.RegOper, catalog.RegOperator, catalog.RegConfig, catalog.RegDictionary, catalog.RegCollation, catalog.Xid, catalog.Cid:
		return true
	}
	return false
}

// aggregateThroughProjects returns the node below the projections at the
// top of n, an aggregate's input, and the aggregate calls aggs with their
// arguments rewritten over it (each column replaced by the expression the
// projection computes it with).
func aggregateThroughProjects(n Node, aggs []*AggRef) (Node, []*AggRef) {
	aggs = append([]*AggRef(nil), aggs...)
	for {
		p, ok := n.(*Project)
		if !ok {
			return n, aggs
		}
		over := make([]*AggRef, len(aggs))
		for i, a := range aggs {
			over[i] = a.withExprs(applyAll(a.exprs(), func(e Expr) Expr {
				return mapExpr(e, func(e Expr) Expr {
					if c, ok := e.(*ColRef); ok {
						return p.Exprs[c.Index]
					}
					return e
				})
			}))
		}
		n, aggs = p.Input, over
	}
}
