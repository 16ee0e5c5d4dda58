package planner

// decorrelateLateral turns a lateral join whose right side is a select
// list over filters over a FROM that reads no outer value into an
// ordinary join, which runs its inputs once instead of once per left row
// (and hashes on the equalities):
//
//	LateralJoin(X, Project(Filter(F, c1 AND ... AND cn), sel))
//	  →  Project(Join(X, Filter(F, inner ci), correlated ci), X ++ sel')
//
// The conjuncts that read the outer row become the join's condition, with
// each OuterRef replaced by the expression over X it stands for, as
// decorrelate does for EXISTS (splitCorrelated); the select list is
// computed above the join, its outer references read from X.
//
// Why this is exact: for a left row x, the right side returns the rows f
// of F that make every ci true (with x's values), each mapped by sel;
// the join pairs x with exactly those f, and the Project above maps them
// by the same sel. A left join keeps x with NULLs when there is no such
// f (or none making its own condition true, which reads x and sel's
// values, available in the joined row), as the lateral join does, but
// then computes sel over NULLs: so a left join is rewritten only when sel
// is plain columns of F, which are NULL there too.
//
// F may be any plan (a grouped aggregate, a subquery with LIMIT) as long
// as it reads no outer value: it then returns the same rows for every
// left row, and the filters above it are what picks them.
//
// What keeps the lateral join: an outer value read below those filters
// (by an aggregate's input, a LIMIT's, DISTINCT, a function in FROM; as
// in PostgreSQL, which keeps the nested loop for them too), a volatile
// call anywhere in the right side (it must run once per left row), and
// correlated conjuncts or a select list holding a subquery.
func decorrelateLateral(n Node) Node {
	n = mapInputs(n, decorrelateLateral)
	x, ok := n.(*LateralJoin)
	if !ok {
		return n
	}
	core := x.Right
	var sel []Expr
	if p, ok := core.(*Project); ok {
		sel, core = p.Exprs, p.Input
	} else {
		for i, t := range core.Types() {
			sel = append(sel, &ColRef{Index: i, T: t})
		}
	}
	var conds []Expr
	for {
		f, ok := core.(*Filter)
		if !ok {
			break
		}
		conds = append(conds, splitAnd(f.Pred)...)
		core = f.Input
	}
	if nodeReadsOuter(core) || planVolatile(core) {
		return x
	}
	for _, c := range conds {
		if hasVolatile(c) || hasHostCall(c) {
			return x
		}
	}
	for _, e := range sel {
		if _, col := e.(*ColRef); x.Kind == JoinLeft && !col || hasSubquery(e) || hasVolatile(e) || hasHostCall(e) {
			return x
		}
	}
	nl := len(x.Left.Types())
	right, cond, ok := splitCorrelated(clonePlan(core), conds, x.OuterCols, nl)
	if !ok {
		return x
	}
	// The select list over the joined row X ++ F.
	out := make([]Expr, 0, nl+len(sel))
	for i, t := range x.Left.Types() {
		out = append(out, &ColRef{Index: i, T: t})
	}
	for _, e := range sel {
		out = append(out, mapExpr(e, func(e Expr) Expr {
			switch y := e.(type) {
			case *ColRef:
				return &ColRef{Index: y.Index + nl, T: y.T, Name: y.Name}
			case *OuterRef:
				return x.OuterCols[y.Index]
			}
			return e
		}))
	}
	if x.Cond != nil {
		// Over X ++ sel: sel's columns are plain columns of F here.
		own := mapExpr(x.Cond, func(e Expr) Expr {
			if c, ok := e.(*ColRef); ok && c.Index >= nl {
				return out[c.Index]
			}
			return e
		})
		if cond == nil {
			cond = own
		} else {
			cond = makeAnd(append(splitAnd(cond), own))
		}
	}
	kind := x.Kind
	if kind == JoinInner && cond == nil {
		kind = JoinCross
	}
	return &Project{Input: &Join{Kind: kind, Left: x.Left, Right: right, Cond: cond}, Exprs: out}
}
