package planner

// LATERAL: a FROM item that reads the columns of the items before it.
//
// Every FROM item is bound beside the items before it in its FROM list
// (and, for the right side of a JOIN, beside the join's left side): they
// are a lateral scope (scope.go), whose columns a LATERAL subquery or a
// function in FROM reads as a correlated subquery reads its enclosing
// query's, through an outerCapture of the item's own. A non-LATERAL item
// reads nothing there, as in PostgreSQL; it may still read an enclosing
// query's values, which reach it through the same capture.
//
// joinFromItem then looks at what the item captured. Nothing of the items
// beside it: the item is an ordinary join input, its captured values put
// back in place (inlineOuterRefs). Some of their columns: the item runs
// once per row of its left side, as the right side of a LateralJoin
// (lateral_join.go), except that a function in FROM joined by an inner
// join runs over its left side's rows directly, in the ProjectSet that
// calls it.

// activateLateral makes the lateral scope s (and those beside it at its
// query level) visible while a LATERAL item is bound; the returned
// function puts the previous state back.
func (s *scope) activateLateral(on bool) func() {
	prev := s.lateral.active
	s.lateral.active = on
	return func() { s.lateral.active = prev }
}

// joinFromItem joins right, a FROM item bound with its own capture of
// the values it reads beside it, to left, the items before it (nil:
// none). kind is JoinCross, JoinInner, JoinLeft or JoinFull and cond
// (over left ++ right, nil for none) its condition.
func joinFromItem(left, right Node, capture *outerCapture, kind JoinKind, cond Expr) Node {
	lateral := false
	for _, c := range capture.cols {
		lateral = lateral || contains[*ColRef](c)
	}
	// Without values of the items beside it, only those of the enclosing
	// query (if any): the item reads them where it runs, as the rest of
	// this query does.
	if ps := fromFunction(right); ps != nil && left != nil && (kind == JoinCross || kind == JoinInner) {
		// FROM x, f(x.a) and x JOIN f(x.a) ON ...: the function runs over
		// x's rows, each followed by its rows.
		for _, f := range ps.Funcs {
			f.Args = applyAll(f.Args, func(e Expr) Expr { return outerRefsTo(e, capture.cols) })
		}
		ps.Input = left
		if cond != nil {
			return &Filter{Input: ps, Pred: cond}
		}
		return ps
	}
	if !lateral {
		right = inlineOuterRefs(right, capture.cols)
	}
	switch {
	case left == nil:
		return right
	case lateral && kind == JoinLeft:
		return &LateralJoin{Kind: JoinLeft, Left: left, Right: right, OuterCols: capture.cols, Cond: cond}
	case lateral:
		var n Node = &LateralJoin{Kind: JoinInner, Left: left, Right: right, OuterCols: capture.cols}
		if cond != nil {
			n = &Filter{Input: n, Pred: cond}
		}
		return n
	case cond == nil && (kind == JoinInner || kind == JoinCross):
		return &Join{Kind: JoinCross, Left: left, Right: right}
	}
	return &Join{Kind: kind, Left: left, Right: right, Cond: cond}
}

// fromFunction returns n when it is a function in FROM reading no other
// item (a ProjectSet over one empty row).
func fromFunction(n Node) *ProjectSet {
	ps, ok := n.(*ProjectSet)
	if !ok || !ps.FromItem || !isUnitRow(ps.Input) {
		return nil
	}
	return ps
}

// isUnitRow reports whether n is one row of no columns.
func isUnitRow(n Node) bool {
	v, ok := n.(*Values)
	return ok && len(v.Rows) == 1 && len(v.Rows[0]) == 0
}

// inlineOuterRefs rewrites plan n, bound to read outer[i] as OuterRef i,
// to compute outer[i] in its place: for an item that captured only values
// of the enclosing query, which it can read where it runs. The plans of
// subqueries and of LateralJoins' right sides inside n read their own
// outer rows and are left alone (mapLevelExprs).
func inlineOuterRefs(n Node, outer []Expr) Node {
	if len(outer) == 0 {
		return n
	}
	mapLevelExprs(n, func(e Expr) Expr { return outerRefsTo(e, outer) })
	return n
}

// outerRefsTo replaces each OuterRef i of e by outer[i].
func outerRefsTo(e Expr, outer []Expr) Expr {
	return mapExpr(e, func(x Expr) Expr {
		if o, ok := x.(*OuterRef); ok {
			return outer[o.Index]
		}
		return x
	})
}
