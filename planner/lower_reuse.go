package planner

// LoweringReusable reports whether the operators Lower makes of n may
// run again, re-opened, in place of a new lowering: whether they read
// nothing that differs from run to run. Lowering binds parameter values
// and the snapshot (every scan reads the one it was lowered with), and
// some operators keep what they read for the run (a WITH query's rows, a
// system table's); only a plan of VALUES rows, filters and projections
// over constant expressions reads none of that. Its expressions may
// still be volatile (random(), now(), nextval()): expressions are
// evaluated when the plan runs, against that run's exec.Context. Enum
// values are excluded because lowering reads their labels from the
// catalog.
func LoweringReusable(n Node) bool {
	v, ok := underChain(n, exprsReusable).(*Values)
	if !ok {
		return false
	}
	for _, row := range v.Rows {
		if !exprsReusable(row) {
			return false
		}
	}
	return true
}

// underChain returns the node under n's chain of filters and
// projections when every one of their expressions passes ok, else nil.
func underChain(n Node, ok func([]Expr) bool) Node {
	for {
		switch x := n.(type) {
		case *Filter:
			if !ok([]Expr{x.Pred}) {
				return nil
			}
			n = x.Input
		case *Project:
			if !ok(x.Exprs) {
				return nil
			}
			n = x.Input
		default:
			return n
		}
	}
}

// exprsReusable reports whether lowering es reads nothing of a run:
// no parameter, no subquery, no outer row, no enum.
func exprsReusable(es []Expr) bool {
	ok := true
	for _, e := range es {
		walkExpr(e, func(x Expr) {
			switch x.(type) {
			case *Param, *SubqueryExpr, *OuterRef:
				ok = false
			}
			if x.Type().HasEnum() {
				ok = false
			}
		})
	}
	return ok
}
