package planner

import (
	"slices"

	"github.com/pqdb/pqdb/exec"
)

// pushFilters moves each conjunct of a filter as close to the data as it
// can go: into a scan (where simple comparisons also prune row groups),
// into one side of a join, or into the join itself as its condition, which
// turns the cross join of a comma-separated FROM list into an inner join
// the executor can hash. Moving a conjunct is correct because a conjunct
// that reads only one side's columns rejects the same rows before the
// join as after it; below the null-extended side of a LEFT join (either
// side of a FULL join) this does not hold, so such conjuncts stay above
// it, and an outer join's own condition stays in the join, but for the
// conjuncts of a left join's condition over its right input alone
// (pushJoinCond). Nothing passes
// a Window: a conjunct below it would remove rows from the partitions its
// functions read (pushInto leaves it above, as for any other node).
func pushFilters(n Node) Node {
	switch x := n.(type) {
	case *Filter:
		return pushInto(pushFilters(x.Input), splitAnd(x.Pred))
	case *Join:
		x.Left, x.Right = pushFilters(x.Left), pushFilters(x.Right)
		if x.Kind == JoinSemi || x.Kind == JoinAnti || x.Kind == JoinLeft {
			return pushJoinCond(x)
		}
		if x.Cond != nil && x.Kind != JoinLeft && x.Kind != JoinFull {
			conds := splitAnd(x.Cond)
			x.Cond = nil
			return pushInto(x, conds)
		}
		return x
	}
	return mapInputs(n, pushFilters)
}

// pushInto places conjuncts (over n's output) into n where possible and
// returns n with any remaining conjuncts in a Filter above it.
func pushInto(n Node, conds []Expr) Node {
	if len(conds) == 0 {
		return n
	}
	var rest []Expr
	switch x := n.(type) {
	case *Scan:
		for _, c := range conds {
			if hasCorrelatedSubquery(c) {
				rest = append(rest, c)
			} else {
				x.Filters = appendConjunct(x.Filters, c)
			}
		}
	case *Filter:
		return pushInto(x.Input, append(splitAnd(x.Pred), conds...))
	case *Project:
		// A Project maps rows one to one, so a conjunct over its output
		// holds for the same rows as the conjunct with each column
		// replaced by the expression computing it, which can go further
		// down (into the join under a USING join's Project, say). Not
		// when that would evaluate a subquery, a volatile or host call
		// in a new place (an uncorrelated subquery of the conjunct's own
		// moves with it: it runs once wherever it is).
		var down []Expr
		for _, c := range conds {
			copied := false // a column computed by a subquery
			d := mapExpr(c, func(e Expr) Expr {
				if r, ok := e.(*ColRef); ok {
					copied = copied || hasSubquery(x.Exprs[r.Index])
					return x.Exprs[r.Index]
				}
				return e
			})
			if copied || hasCorrelatedSubquery(c) || hasVolatile(d) || hasHostCall(d) {
				rest = append(rest, c)
				continue
			}
			down = append(down, d)
		}
		x.Input = pushInto(x.Input, down)
	case *Join:
		nl := len(x.Left.Types())
		if x.Kind == JoinLeft && slices.ContainsFunc(conds, func(c Expr) bool { return rejectsNulls(c, nl, nl+len(x.Right.Types())) }) {
			x.Kind = JoinInner // rule_outer_join_reduce.go
		}
		var left, right, both []Expr
		for _, c := range conds {
			used := map[int]bool{}
			colsUsed(c, used)
			l, r := false, false
			for i := range used {
				if i < nl {
					l = true
				} else {
					r = true
				}
			}
			switch {
			case hasCorrelatedSubquery(c) || hasVolatile(c) || x.Kind == JoinFull:
				rest = append(rest, c)
			case (x.Kind == JoinSemi || x.Kind == JoinAnti) && !(l && !r):
				// Above a semi or anti join only its left columns
				// exist; anything else stays above.
				rest = append(rest, c)
			case l && !r:
				left = append(left, c)
			case r && !l && x.Kind != JoinLeft:
				right = append(right, shiftCols(c, -nl))
			case l && r && x.Kind != JoinLeft:
				both = append(both, c)
				if hasSubquery(c) {
					break // a restriction derived from c would copy it
				}
				if d := deriveOrRestriction(c, 0, nl); d != nil {
					left = append(left, d)
				}
				if d := deriveOrRestriction(c, nl, nl+len(x.Right.Types())); d != nil {
					right = append(right, shiftCols(d, -nl))
				}
			default:
				rest = append(rest, c)
			}
		}
		x.Left = pushInto(x.Left, left)
		x.Right = pushInto(x.Right, right)
		if len(both) > 0 {
			if x.Cond != nil {
				both = append(splitAnd(x.Cond), both...)
			}
			x.Cond = makeAnd(both)
			if x.Kind == JoinCross {
				x.Kind = JoinInner
			}
		}
	case *LateralJoin:
		rest = pushIntoLateralJoin(x, conds)
	case *ProjectSet:
		// Each input row expands on its own, so a conjunct over the
		// input's columns rejects the same rows below it as above (and
		// keeps the functions from running for rows it rejects, as
		// PostgreSQL's scan qualifiers do).
		nIn := len(x.Input.Types())
		var down []Expr
		for _, c := range conds {
			used := map[int]bool{}
			colsUsed(c, used)
			below := !hasSubquery(c) && !hasVolatile(c)
			for i := range used {
				below = below && i < nIn
			}
			if below {
				down = append(down, c)
			} else {
				rest = append(rest, c)
			}
		}
		x.Input = pushInto(x.Input, down)
	default:
		rest = conds
	}
	if len(rest) == 0 {
		return n
	}
	var kept []Expr
	for _, c := range rest {
		kept = appendConjunct(kept, c)
	}
	return &Filter{Input: n, Pred: makeAnd(kept)}
}

// appendConjunct appends c to conds unless an equal conjunct is there:
// the join-order rule pushes a tree's conditions down a second time, and
// the restrictions derived from an OR (rule_or_derive.go) must not pile
// up in the scans that already hold them. Two calls of a volatile
// function are two conjuncts, however alike.
func appendConjunct(conds []Expr, c Expr) []Expr {
	if !factorable(c) {
		return append(conds, c)
	}
	k := strictKey(c)
	for _, d := range conds {
		if strictKey(d) == k {
			return conds
		}
	}
	return append(conds, c)
}

// pushJoinCond moves conjuncts of a semi, anti or left join's own
// condition into its inputs where that keeps the result: a conjunct over
// the right input only rejects right rows that could match no left row,
// so it filters the right input of each kind (a left row that then has
// no match is still emitted, null-extended, by a left join, as it was
// when the conjunct failed in the condition: TPC-H Q13's o_comment NOT
// LIKE filters orders before the hash table is built); a conjunct over
// the left input only filters the left input of a semi join (a left row
// failing it has no match, so it is not emitted either way), but stays
// in an anti or left join's condition, where a left row failing it must
// still be emitted.
func pushJoinCond(x *Join) Node {
	if x.Cond == nil {
		return x
	}
	nl := len(x.Left.Types())
	var left, right, keep []Expr
	for _, c := range splitAnd(x.Cond) {
		s := side(c, nl)
		switch {
		case hasVolatile(c) || s == sideBoth:
			keep = append(keep, c)
		case s == sideRight:
			right = append(right, shiftCols(c, -nl))
		case s == sideLeft && x.Kind == JoinSemi:
			left = append(left, c)
		default:
			keep = append(keep, c)
		}
	}
	x.Left = pushInto(x.Left, left)
	x.Right = pushInto(x.Right, right)
	x.Cond = makeAnd(keep)
	return x
}

func hasSubquery(e Expr) bool { return contains[*SubqueryExpr](e) }

// hasCorrelatedSubquery reports whether e holds a subquery that reads the
// row e is evaluated on (SubqueryExpr.OuterCols). An uncorrelated one runs
// once per statement, whatever row or place evaluates it, so a conjunct
// holding one may move as any other does (TPC-H Q22's c_acctbal >
// (SELECT avg(c_acctbal) ...) into the customer scan, below the anti join).
func hasCorrelatedSubquery(e Expr) bool {
	found := false
	walkExpr(e, func(n Expr) {
		if s, ok := n.(*SubqueryExpr); ok && len(s.OuterCols) > 0 {
			found = true
		}
	})
	return found
}

func hasVolatile(e Expr) bool {
	found := false
	walkExpr(e, func(n Expr) {
		if f, ok := n.(*FuncExpr); ok && exec.FuncVolatile(f.Name) {
			found = true
		}
	})
	return found
}
