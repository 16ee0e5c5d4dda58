package planner

import (
	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
)

// ON CONFLICT's inference WHERE clause must imply a partial index's
// predicate (PostgreSQL's predicate_implied_by): every conjunct of the
// predicate follows from one of the clause's. pqdb proves the common
// cases: the same condition, a comparison of an expression with a
// numeric constant implied by another one of the same expression (x >
// 101 implies x > 100), and x IS NOT NULL implied by any comparison of
// x, which a NULL x never satisfies.

// conjunct is a bound conjunct of a predicate as the proof reads it.
type conjunct struct {
	text string // its canonical text
	// For "left op constant" (compares): left's canonical text, op
	// and the constant.
	compares bool
	left     string
	op       exec.BinaryOp
	value    float64
	notNull  string // for "left IS NOT NULL": left's canonical text
}

// newConjunct reads c, bound by db over a row of t.
func newConjunct(db *binder, t *catalog.Table, c Expr) conjunct {
	out := conjunct{text: canonicalExpr(db, t, c)}
	switch x := c.(type) {
	case *BinExpr:
		if !x.Op.IsComparison() || x.Op == exec.OpNe {
			break
		}
		l, r, op := x.L, x.R, x.Op
		if _, ok := numericConst(l); ok {
			l, r, op = r, l, commuted(op)
		}
		if v, ok := numericConst(r); ok {
			out.compares, out.left, out.op, out.value = true, canonicalExpr(db, t, l), op, v
		}
	case *NullTest:
		if x.Not && !x.Datum {
			out.notNull = canonicalExpr(db, t, x.Arg)
		}
	}
	return out
}

// numericConst is the value of e when it is a non-NULL constant of a
// number type (through casts between them).
func numericConst(e Expr) (float64, bool) {
	if c, ok := e.(*CastExpr); ok {
		return numericConst(c.Arg)
	}
	c, ok := e.(*Const)
	if !ok {
		return 0, false
	}
	switch v := c.Value.(type) {
	case int16:
		return float64(v), true
	case int32:
		return float64(v), true
	case int64:
		return float64(v), true
	case float32:
		return float64(v), true
	case float64:
		return v, true
	}
	return 0, false
}

// commuted is op with its operands swapped (a < b is b > a).
func commuted(op exec.BinaryOp) exec.BinaryOp {
	switch op {
	case exec.OpLt:
		return exec.OpGt
	case exec.OpLe:
		return exec.OpGe
	case exec.OpGt:
		return exec.OpLt
	case exec.OpGe:
		return exec.OpLe
	}
	return op
}

// implies reports whether g implies p.
func (g conjunct) implies(p conjunct) bool {
	if g.text == p.text {
		return true
	}
	if p.notNull != "" {
		return g.compares && g.left == p.notNull
	}
	if !p.compares || !g.compares || g.left != p.left {
		return false
	}
	a, b := g.value, p.value
	switch p.op {
	case exec.OpGt:
		return g.op == exec.OpGt && a >= b || (g.op == exec.OpGe || g.op == exec.OpEq) && a > b
	case exec.OpGe:
		return (g.op == exec.OpGt || g.op == exec.OpGe || g.op == exec.OpEq) && a >= b
	case exec.OpLt:
		return g.op == exec.OpLt && a <= b || (g.op == exec.OpLe || g.op == exec.OpEq) && a < b
	case exec.OpLe:
		return (g.op == exec.OpLt || g.op == exec.OpLe || g.op == exec.OpEq) && a <= b
	case exec.OpEq:
		return g.op == exec.OpEq && a == b
	}
	return false
}

// impliedBy reports whether every conjunct of pred follows from one of
// given.
func impliedBy(pred, given []conjunct) bool {
	for _, p := range pred {
		found := false
		for _, g := range given {
			if g.implies(p) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
