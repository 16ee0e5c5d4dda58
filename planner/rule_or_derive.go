package planner

// deriveOrRestriction returns a filter over the columns [lo, hi) of an
// OR's input that the OR implies, or nil when it implies none:
//
//	(n1.name = 'FRANCE' AND n2.name = 'GERMANY') OR
//	(n1.name = 'GERMANY' AND n2.name = 'FRANCE')
//	  implies  n1.name = 'FRANCE' OR n1.name = 'GERMANY'
//
// A conjunct spanning a join's two sides stays in the join's condition,
// where it is evaluated only on joined rows, so TPC-H Q7 joined every
// nation with every order before its OR rejected all but two nations.
// The derived filter goes below the join, into the side it reads, as
// PostgreSQL's extract_restriction_or_clauses does (orclauses.c), and
// the OR itself stays where it was.
//
// Each branch of the OR contributes the AND of its conjuncts that read
// only columns in [lo, hi); a branch with none of them restricts
// nothing, so then there is no filter. The result is implied: where the
// OR is true one branch is true, so each of its conjuncts is true, and
// so is the derived filter. Below an inner join a row failing it takes
// part only in joined rows the OR rejects, so filtering it out early
// keeps the answer. Conjuncts that may differ between two evaluations
// (factorable) are not copied.
func deriveOrRestriction(c Expr, lo, hi int) Expr {
	b, ok := c.(*BoolExpr)
	if !ok || b.And || len(b.Args) < 2 {
		return nil
	}
	branches := make([]Expr, 0, len(b.Args))
	for _, arg := range b.Args {
		var own []Expr
		for _, d := range splitAnd(arg) {
			if readsOnly(d, lo, hi) && factorable(d) {
				own = append(own, d)
			}
		}
		if len(own) == 0 {
			return nil
		}
		branches = append(branches, makeAnd(own))
	}
	return makeOr(branches)
}

// readsOnly reports whether e reads some column and only columns in
// [lo, hi).
func readsOnly(e Expr, lo, hi int) bool {
	used := map[int]bool{}
	colsUsed(e, used)
	for i := range used {
		if i < lo || i >= hi {
			return false
		}
	}
	return len(used) > 0
}
