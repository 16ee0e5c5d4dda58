package planner

import "github.com/pqdb/pqdb/exec"

// A filter above a left join that can only be true where the right side
// matched makes the join an inner one: the rows it null-extends are
// rejected anyway. PostgreSQL does the same (reduce_outer_joins). As an
// inner join it may be reordered, its build side chosen by size, and its
// keys handed to the other side's scan as a runtime filter: a scalar
// aggregate subquery, decorrelated into a left join with a grouped
// aggregate (TPC-H Q17's l_quantity < 0.2 * avg(l_quantity)), then
// aggregates only the rows whose group the outer query can meet.

// rejectsNulls reports whether conjunct c is surely not true when every
// column in [lo, hi) is NULL: an AND with such an argument, an OR of
// such arguments, or an expression that is NULL there (nullOn).
func rejectsNulls(c Expr, lo, hi int) bool {
	if b, ok := c.(*BoolExpr); ok {
		for _, a := range b.Args {
			// AND: one argument not true decides; OR: one that may be
			// true does.
			if r := rejectsNulls(a, lo, hi); r == b.And {
				return r
			}
		}
		return !b.And
	}
	return nullOn(c, lo, hi)
}

// nullOn reports whether e is NULL whenever every column in [lo, hi) is:
// a chain of strict operators leads from it to one of them. Concatenation
// is left out: an array's || with NULL is the array.
func nullOn(e Expr, lo, hi int) bool {
	switch x := e.(type) {
	case *ColRef:
		return x.Index >= lo && x.Index < hi
	case *BoolExpr:
		// NULL AND NULL and NULL OR NULL are NULL.
		for _, a := range x.Args {
			if !nullOn(a, lo, hi) {
				return false
			}
		}
		return true
	case *BinExpr:
		if x.Op == exec.OpConcat {
			return false
		}
	}
	if !isStrict(e) {
		return false
	}
	for _, a := range children(e) {
		if nullOn(a, lo, hi) {
			return true
		}
	}
	return false
}
