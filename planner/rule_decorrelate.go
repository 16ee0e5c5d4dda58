package planner

import (
	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
)

// decorrelate turns subqueries in WHERE (and HAVING) conjuncts into joins,
// so that they run once over their whole input instead of once per outer
// row:
//
//	Filter(X, EXISTS(Q) AND rest)      →  Filter(Semi Join(X, Q'), rest)
//	Filter(X, NOT EXISTS(Q) AND rest)  →  Filter(Anti Join(X, Q'), rest)
//	Filter(X, p IN (Q) AND rest)       →  Filter(Semi Join(X, Q'), rest)
//	Filter(X, [NOT] p op ANY/ALL (Q))  →  semi or anti join (anyAllTest)
//
// For a correlated Q = SELECT ... FROM F WHERE c1 AND ... AND cn, the
// conjuncts ci that read the outer row (through OuterRef) become the
// join's condition, with each OuterRef replaced by the outer expression it
// stands for (an expression over X) and F's columns shifted past X's; the
// others stay as a Filter over F, which is Q'. Lowering then hashes on the
// equalities between the two sides and evaluates the rest (such as
// Q21's l3.l_suppkey <> l1.l_suppkey) as the join's residual condition.
//
// Why this is exact:
//   - A Filter keeps a row only when its predicate is true, so a conjunct
//     can be applied on its own, and for a WHERE conjunct a NULL result
//     is the same as false.
//   - EXISTS(Q) for an outer row x is true exactly when some row f of F
//     makes every ci true for x: this is the semi join's "some right row
//     makes the condition true" (F's inner-only conjuncts filter f before
//     the join; the select list, ORDER BY and DISTINCT cannot change
//     whether a row exists, and PostgreSQL does not evaluate an EXISTS
//     select list either). NOT EXISTS is its negation, the anti join: an
//     outer row is kept when no pair makes the condition true, so an
//     equality key that is NULL on either side (never true) keeps it, as
//     NOT EXISTS does. Duplicates in F do not multiply outer rows: a semi
//     join emits each left row at most once.
//   - p IN (Q) is true exactly when some row of Q equals p, NULL when
//     none does but some comparison is NULL, false otherwise; in a WHERE
//     conjunct NULL and false both drop the row, so it is the semi join
//     on p = e (e the select expression over F) plus the ci. The other
//     comparison operators, ALL and NOT follow the same argument, with
//     the test of anyAllTest in place of p = e, when Q is correlated. An
//     uncorrelated NOT IN keeps its own null-aware hashed probe.
//
// What keeps the per-row SubPlan: aggregates, GROUP BY, window functions
// (a Window's rows depend on the whole input the correlated filter would
// cut), LIMIT/OFFSET, set operations and VALUES in Q (a correlated Q is
// rewritten only when it is a select list, optionally DISTINCT/ORDER BY,
// over filters over a FROM that reads no outer value), outer references anywhere but those WHERE
// conjuncts and an IN's select list (in FROM, in a nested subquery),
// outer expressions that read a level further out or a subquery, and
// correlated conjuncts holding a subquery or a volatile call. An
// uncorrelated IN subquery is joined as a whole, whatever its shape, since
// its rows do not depend on the outer row.
func decorrelate(n Node) Node {
	n = mapInputs(n, decorrelate)
	f, ok := n.(*Filter)
	if !ok {
		return n
	}
	input := f.Input
	var rest []Expr
	for _, c := range splitAnd(f.Pred) {
		if j := decorrelateConjunct(input, c); j != nil {
			input = j
			continue
		}
		rest = append(rest, c)
	}
	if input == f.Input {
		return f
	}
	if len(rest) == 0 {
		return input
	}
	return &Filter{Input: input, Pred: makeAnd(rest)}
}

// decorrelateConjunct returns the join that conjunct c of a filter over x
// becomes, or nil when c is not rewritten.
func decorrelateConjunct(x Node, c Expr) Node {
	kind := JoinSemi
	if n, ok := c.(*NotExpr); ok {
		kind, c = JoinAnti, n.Arg
	}
	s, ok := c.(*SubqueryExpr)
	if !ok {
		return nil
	}
	for _, oc := range s.OuterCols {
		if readsOuterOrSubquery(oc) || hasVolatile(oc) || hasHostCall(oc) {
			return nil
		}
	}
	nl := len(x.Types())
	switch {
	case s.Mode == exec.SubqueryExists:
		core, conds, _, ok := peelSubquery(s.Plan, false)
		if !ok {
			return nil
		}
		right, cond, ok := splitCorrelated(core, conds, s.OuterCols, nl)
		if !ok || cond == nil {
			// Uncorrelated: it already runs once per statement.
			return nil
		}
		return &Join{Kind: kind, Left: x, Right: decorrelate(right), Cond: cond}
	case s.Mode == exec.SubqueryIn || s.Mode == exec.SubqueryAny || s.Mode == exec.SubqueryAll:
		if readsOuterOrSubquery(s.Probe) || hasVolatile(s.Probe) || hasHostCall(s.Probe) {
			return nil
		}
		if len(s.OuterCols) == 0 {
			// Uncorrelated: p IN (Q) joins Q as a whole; the others
			// already run once per statement.
			if s.Mode != exec.SubqueryIn || kind != JoinSemi || nodeReadsOuter(s.Plan) {
				return nil
			}
			t := s.Plan.Types()[0]
			eq := &BinExpr{Op: exec.OpEq, L: s.Probe, R: &ColRef{Index: nl, T: t}, T: catalog.TypeBool}
			return &Join{Kind: JoinSemi, Left: x, Right: decorrelate(s.Plan), Cond: eq}
		}
		core, conds, sel, ok := peelSubquery(s.Plan, true)
		if !ok || readsSubquery(sel) || hasVolatile(sel) || hasHostCall(sel) {
			return nil
		}
		// The comparison with the select expression joins the correlated
		// conjuncts: it is rewritten the same way (it may read the outer
		// row too).
		cmp := &BinExpr{Op: s.Op, L: &outerProbe{E: s.Probe}, R: sel, T: catalog.TypeBool}
		test, joinKind := anyAllTest(cmp, s.Mode == exec.SubqueryAll, kind == JoinAnti)
		conds = append(conds, test)
		right, cond, ok := splitCorrelated(core, conds, s.OuterCols, nl)
		if !ok || cond == nil {
			return nil
		}
		return &Join{Kind: joinKind, Left: x, Right: decorrelate(right), Cond: cond}
	}
	return nil
}

// anyAllTest gives the join that a WHERE conjunct [NOT] p op ANY/ALL (Q)
// becomes, and the test it applies to cmp, p op e for one row of Q:
//
//	p op ANY (Q)        semi join on cmp            (some e makes it true)
//	NOT p op ANY (Q)    anti join on cmp IS NOT FALSE (none is true or NULL)
//	p op ALL (Q)        anti join on cmp IS NOT TRUE  (none is false or NULL)
//	NOT p op ALL (Q)    semi join on cmp IS FALSE     (some e makes it false)
//
// Each is exact in a WHERE conjunct, where NULL drops the row as false
// does: p op ANY (Q) is true exactly when some cmp is true, false when Q
// is empty or every cmp is false, NULL otherwise; ALL is the dual.
// Negated IN keeps NOT IN's own null-aware hashed probe when Q is
// uncorrelated (decorrelateConjunct does not come here then).
func anyAllTest(cmp Expr, all, negated bool) (Expr, JoinKind) {
	isNot := func(v bool) Expr { return &DistinctFrom{L: cmp, R: &Const{Value: v, T: catalog.TypeBool}} }
	switch {
	case !all && !negated:
		return cmp, JoinSemi
	case !all:
		return isNot(false), JoinAnti
	case !negated:
		return isNot(true), JoinAnti
	}
	return &DistinctFrom{L: cmp, R: &Const{Value: false, T: catalog.TypeBool}, Not: true}, JoinSemi
}

// outerProbe marks, while decorrelate builds a join condition, an
// expression that is already over the outer (left) input; it never
// survives the rule.
type outerProbe struct{ E Expr }

func (e *outerProbe) Type() catalog.Type { return e.E.Type() }
func (e *outerProbe) String() string     { return e.E.String() }

// peelSubquery strips a correlated subquery plan down to its FROM input:
// the select list (for IN, withSel, the first output column is returned
// as an expression over that input), DISTINCT and ORDER BY without LIMIT,
// and the WHERE filters, whose conjuncts it returns. It reports false for
// any other shape. The input returned is a copy (clonePlan): the caller
// moves it into the outer plan, and the same subquery may be rewritten at
// more than one place.
func peelSubquery(n Node, withSel bool) (Node, []Expr, Expr, bool) {
	var sel Expr
	if withSel {
		sel = &ColRef{Index: 0, T: n.Types()[0]}
	}
	for {
		switch x := n.(type) {
		case *Project:
			if sel != nil {
				exprs := x.Exprs
				sel = mapExpr(sel, func(e Expr) Expr {
					if c, ok := e.(*ColRef); ok {
						return exprs[c.Index]
					}
					return e
				})
			}
			n = x.Input
			continue
		case *Distinct, *Sort:
			n = inputs(x)[0]
			continue
		}
		break
	}
	var conds []Expr
	for {
		f, ok := n.(*Filter)
		if !ok {
			break
		}
		conds = append(conds, splitAnd(f.Pred)...)
		n = f.Input
	}
	switch n.(type) {
	case *Aggregate, *Limit, *SetOp, *Project, *Distinct, *Sort, *Window, *ProjectSet:
		return nil, nil, nil, false
	}
	if nodeReadsOuter(n) {
		return nil, nil, nil, false
	}
	return clonePlan(n), conds, sel, true
}

// splitCorrelated divides the conjuncts over core into those that read
// the outer row, returned rewritten over Left ++ core (outer values as
// outer[i], core's columns shifted by nl) as one condition, and the
// others, kept as a Filter over core. The condition is nil when no
// conjunct reads the outer row; false means a conjunct cannot be moved.
func splitCorrelated(core Node, conds []Expr, outer []Expr, nl int) (Node, Expr, bool) {
	var inner, corr []Expr
	for _, c := range conds {
		if !readsOuterRef(c) {
			inner = append(inner, c)
			continue
		}
		if readsSubquery(c) || hasVolatile(c) || hasHostCall(c) {
			return nil, nil, false
		}
		corr = append(corr, mapExpr(c, func(e Expr) Expr {
			switch x := e.(type) {
			case *ColRef:
				return &ColRef{Index: x.Index + nl, T: x.T, Name: x.Name}
			case *OuterRef:
				return outer[x.Index]
			case *outerProbe:
				return x.E
			}
			return e
		}))
	}
	if len(inner) > 0 {
		core = &Filter{Input: core, Pred: makeAnd(inner)}
	}
	return core, makeAnd(corr), true
}

// readsOuterRef reports whether e reads the enclosing query's row
// (including through a nested subquery's outer expressions), or is an
// outerProbe.
func readsOuterRef(e Expr) bool {
	found := false
	walkExpr(e, func(n Expr) {
		switch n.(type) {
		case *OuterRef, *outerProbe:
			found = true
		}
	})
	return found
}

func readsSubquery(e Expr) bool { return hasSubquery(e) }

func readsOuterOrSubquery(e Expr) bool { return readsOuterRef(e) || hasSubquery(e) }

func hasHostCall(e Expr) bool { return contains[*HostCall](e) }

// nodeReadsOuter reports whether any expression of the plan reads the
// enclosing query's row. Nested subquery plans, and the right sides of
// lateral joins, read it only through their outer expressions, which
// belong to this plan and are checked.
func nodeReadsOuter(n Node) bool {
	found := false
	mapLevelExprs(n, func(e Expr) Expr {
		if readsOuterRef(e) {
			found = true
		}
		return e
	})
	return found
}

// planVolatile reports whether a plan, or a subquery in it, calls a
// volatile function or a host function (nextval, set_config, ...): its
// result may then differ between two runs with the same outer values.
func planVolatile(n Node) bool {
	found := false
	var visit func(e Expr)
	visit = func(e Expr) {
		walkExpr(e, func(x Expr) {
			switch y := x.(type) {
			case *HostCall:
				found = true
			case *FuncExpr:
				if exec.FuncVolatile(y.Name) {
					found = true
				}
			case *SubqueryExpr:
				if planVolatile(y.Plan) {
					found = true
				}
			}
		})
	}
	mapNodeExprs(n, func(e Expr) Expr {
		visit(e)
		return e
	})
	return found
}
