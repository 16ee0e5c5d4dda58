package planner

import (
	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
)

// LateralJoin is a dependent join (bind_lateral.go): Right is run once for
// each row of Left, reading the values OuterCols compute over that row as
// OuterRef 0, 1, ..., as a correlated subquery's plan reads its outer
// row. Its output is Left's columns followed by Right's. Kind is
// JoinInner or JoinLeft (a Left row for which Right returns no row, or
// none making Cond true, is kept with NULLs); Cond is over Left ++ Right,
// nil for none. An inner join's condition is a Filter above it.
//
// Right's expressions belong to a level of their own: the rules that
// look for a plan's outer references (nodeReadsOuter, inlineOuterRefs)
// walk Left, OuterCols and Cond only (mapLevelExprs). The others treat
// Right as any input: it is optimized, pruned and lowered in place, and
// PostgreSQL's EXPLAIN shows it the same way, as the inner side of a
// Nested Loop whose condition refers to the outer side.
type LateralJoin struct {
	Kind        JoinKind
	Left, Right Node
	OuterCols   []Expr
	Cond        Expr
}

func (n *LateralJoin) Types() []catalog.Type {
	return append(append([]catalog.Type(nil), n.Left.Types()...), n.Right.Types()...)
}

// residual is the condition the join evaluates over its pairs: nil for
// none or a constant TRUE (LEFT JOIN LATERAL ... ON true).
func (n *LateralJoin) residual() Expr {
	if c, ok := n.Cond.(*Const); ok && c.Value == true {
		return nil
	}
	return n.Cond
}

// mapLevelExprs applies fn to every expression of plan n that is
// evaluated over the rows of n's own query level: not those of a
// LateralJoin's Right, which read the rows the join passes down (nor
// those of subquery plans, which are no node's expressions).
func mapLevelExprs(n Node, fn func(Expr) Expr) {
	if x, ok := n.(*LateralJoin); ok {
		mapLevelExprs(x.Left, fn)
		mapOwnExprs(x, fn)
		return
	}
	for _, in := range inputs(n) {
		mapLevelExprs(in, fn)
	}
	mapOwnExprs(n, fn)
}

// pruneLateralJoin keeps the columns asked for of both sides, and those
// of Left that OuterCols and Cond read.
func pruneLateralJoin(x *LateralJoin, need map[int]bool) (Node, map[int]int) {
	want := copySet(need)
	if x.Cond != nil {
		colsUsed(x.Cond, want)
	}
	for _, c := range x.OuterCols {
		colsUsed(c, want)
	}
	var m map[int]int
	x.Left, x.Right, m = pruneJoinInputs(x.Left, x.Right, want)
	for i, c := range x.OuterCols {
		x.OuterCols[i] = remapCols(c, m)
	}
	if x.Cond != nil {
		x.Cond = remapCols(x.Cond, m)
	}
	return x, m
}

// pushIntoLateralJoin places conjuncts of a filter above x: those over
// Left only go into Left (a left join keeps every Left row with the same
// values, so they reject the same rows below it), those over Right only
// into Right when the join is inner. It returns the others.
func pushIntoLateralJoin(x *LateralJoin, conds []Expr) []Expr {
	nl := len(x.Left.Types())
	var left, right, rest []Expr
	for _, c := range conds {
		switch s := side(c, nl); {
		case hasVolatile(c):
			rest = append(rest, c)
		case s == sideLeft:
			left = append(left, c)
		case s == sideRight && x.Kind == JoinInner:
			right = append(right, shiftCols(c, -nl))
		default:
			rest = append(rest, c)
		}
	}
	x.Left = pushInto(x.Left, left)
	x.Right = pushInto(x.Right, right)
	return rest
}

// lateralJoin lowers x to exec's LateralJoin. Right is lowered as a plan
// that is re-opened (for each distinct tuple of outer values, or each
// row when it calls something volatile).
func (l *lowerer) lateralJoin(x *LateralJoin) (exec.Operator, error) {
	left, err := l.node(x.Left)
	if err != nil {
		return nil, err
	}
	outer, err := l.exprs(x.OuterCols)
	if err != nil {
		return nil, err
	}
	l.inSubquery++
	right, err := l.node(x.Right)
	l.inSubquery--
	if err != nil {
		return nil, err
	}
	var cond exec.Expr
	if c := x.residual(); c != nil {
		if cond, err = l.expr(c); err != nil {
			return nil, err
		}
	}
	kind := exec.JoinInner
	if x.Kind == JoinLeft {
		kind = exec.JoinLeft
	}
	if e := l.entry(); e != nil {
		e.setJoin(false, x.Kind)
	}
	return exec.NewLateralJoin(left, right, kind, outer, cond, !planVolatile(x.Right)), nil
}
