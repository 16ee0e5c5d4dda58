package planner

// pruneFalseFilters replaces a filter (or a scan's pushed-down filters)
// holding a conjunct that folded to FALSE or NULL by an empty input, as
// Postgres plans such a WHERE clause as a one-time filter that never runs
// its input: `WHERE x * 1000000 > col AND col > NULL` returns no rows and
// never evaluates x * 1000000, which might overflow.
func pruneFalseFilters(n Node) Node {
	switch x := n.(type) {
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
