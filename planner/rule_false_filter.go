package planner

// pruneFalseFilters replaces a filter (or a scan's pushed-down filters)
// holding a conjunct that folded to FALSE or NULL by an empty input, as
// Postgres plans such a WHERE clause as a one-time filter that never runs
// its input: `WHERE x * 1000000 > col AND col > NULL` returns no rows and
// never evaluates x * 1000000, which might overflow.
//
// A join whose condition is FALSE or NULL pairs no rows: an inner, cross
// or semi join is empty, a left or anti join keeps its left rows against
// an empty right input, and a full join is both inputs null-extended, one
// after the other. None of them compares every pair.
func pruneFalseFilters(n Node) Node {
	switch x := n.(type) {
	case *Join:
		x.Left, x.Right = pruneFalseFilters(x.Left), pruneFalseFilters(x.Right)
		if x.Cond == nil || !alwaysFalse(splitAnd(x.Cond)) {
			return x
		}
		empty := &Values{Typs: x.Right.Types()}
		switch x.Kind {
		case JoinLeft, JoinAnti:
			return &Join{Kind: x.Kind, Left: x.Left, Right: empty}
		case JoinFull:
			return fullJoinNoMatch(x.Left, x.Right)
		}
		return &Values{Typs: x.Types()}
	case *Filter:
		x.Input = pruneFalseFilters(x.Input)
		if alwaysFalse(splitAnd(x.Pred)) {
			return &Values{Typs: x.Types()}
		}
		return x
	case *Scan:
		if alwaysFalse(x.Filters) {
			return &Values{Typs: x.Types()}
		}
		return x
	}
	return mapInputs(n, pruneFalseFilters)
}

// alwaysFalse reports whether one of the conjuncts is the constant FALSE
// or NULL.
func alwaysFalse(conjuncts []Expr) bool {
	for _, c := range conjuncts {
		if k, ok := c.(*Const); ok && (k.Value == nil || k.Value == false) {
			return true
		}
	}
	return false
}

// fullJoinNoMatch is a full join of l and r in which no pair matches:
// every row of l with NULLs for r's columns, then every row of r with
// NULLs for l's.
func fullJoinNoMatch(l, r Node) Node {
	lt, rt := l.Types(), r.Types()
	var left, right []Expr
	for i, t := range lt {
		left = append(left, &ColRef{Index: i, T: t})
		right = append(right, &Const{T: t})
	}
	for i, t := range rt {
		left = append(left, &Const{T: t})
		right = append(right, &ColRef{Index: i, T: t})
	}
	return &SetOp{Kind: SetUnion, All: true, Left: &Project{Input: l, Exprs: left}, Right: &Project{Input: r, Exprs: right}}
}
