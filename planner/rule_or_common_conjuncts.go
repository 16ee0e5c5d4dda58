package planner

import (
	"fmt"
	"strings"

	"github.com/pqdb/pqdb/exec"
)

// factorOrConjuncts pulls the conjuncts that every branch of an OR shares
// out of it:
//
//	(A AND B) OR (A AND C)  →  A AND (B OR C)
//	A OR (A AND C)          →  A
//
// so that a join key repeated in each branch (TPC-H Q19's
// p_partkey = l_partkey) becomes a conjunct of its own, which filter
// pushdown places in the join's condition and lowering uses as a hash key
// instead of evaluating the whole OR on every pair of a nested loop.
//
// It is exact: AND and OR of SQL's three-valued logic form a
// distributive lattice (Kleene's logic), where x∧y ∨ x∧z = x∧(y∨z) and
// x ∨ x∧z = x hold for NULL too. Conjuncts are shared only when they are
// the same expression over the same columns with the same types (an
// equality's operands in either order), and
// never when they hold a subquery, an aggregate, a volatile function or a
// host call, whose two evaluations may differ. Evaluation order keeps
// PostgreSQL's guards: a branch's other conjuncts were evaluated only
// where the shared one was not false, as they are under the AND.
func factorOrConjuncts(e Expr) Expr {
	return mapExpr(e, func(x Expr) Expr {
		b, ok := x.(*BoolExpr)
		if !ok || b.And || len(b.Args) < 2 {
			return x
		}
		branches := make([][]Expr, len(b.Args))
		for i, a := range b.Args {
			branches[i] = splitAnd(a)
		}
		var common []Expr
		commonKeys := map[string]bool{}
		for _, c := range branches[0] {
			if !factorable(c) {
				continue
			}
			ks := conjunctKeys(c)
			if commonKeys[ks[0]] {
				continue
			}
			inAll := true
			for _, br := range branches[1:] {
				found := false
				for _, d := range br {
					if k := strictKey(d); k == ks[0] || k == ks[len(ks)-1] {
						found = true
						break
					}
				}
				if !found {
					inAll = false
					break
				}
			}
			if inAll {
				common = append(common, c)
				for _, k := range ks {
					commonKeys[k] = true
				}
			}
		}
		if len(common) == 0 {
			return x
		}
		rest := make([]Expr, 0, len(branches))
		for _, br := range branches {
			var left []Expr
			for _, d := range br {
				if !factorable(d) || !commonKeys[strictKey(d)] {
					left = append(left, d)
				}
			}
			if len(left) == 0 {
				// x ∨ (x ∧ z) = x: this branch alone decides.
				return makeAnd(common)
			}
			rest = append(rest, makeAnd(left))
		}
		return &BoolExpr{And: true, Args: append(common, &BoolExpr{Args: rest})}
	})
}

// factorable reports whether two occurrences of e surely have the same
// value.
func factorable(e Expr) bool {
	ok := true
	walkExpr(e, func(n Expr) {
		switch x := n.(type) {
		case *SubqueryExpr, *AggRef, *HostCall:
			ok = false
		case *FuncExpr:
			if exec.FuncVolatile(x.Name) {
				ok = false
			}
		}
	})
	return ok
}

// conjunctKeys are the keys of the expressions equal to c: c itself, and
// an equality with its operands swapped (a = b is b = a).
func conjunctKeys(c Expr) []string {
	ks := []string{strictKey(c)}
	if b, ok := c.(*BinExpr); ok && b.Op == exec.OpEq {
		ks = append(ks, strictKey(&BinExpr{Op: b.Op, L: b.R, R: b.L, T: b.T}))
	}
	return ks
}

// strictKey identifies an expression by its text and by the kind, type
// and column of every node in it.
func strictKey(e Expr) string {
	var b strings.Builder
	b.WriteString(e.String())
	walkExpr(e, func(n Expr) {
		fmt.Fprintf(&b, "|%T:%s", n, n.Type().String())
		switch x := n.(type) {
		case *ColRef:
			fmt.Fprintf(&b, "#%d", x.Index)
		case *OuterRef:
			fmt.Fprintf(&b, "o%d", x.Index)
		case *Param:
			fmt.Fprintf(&b, "$%d", x.Index)
		case *CastExpr:
			fmt.Fprintf(&b, "a%v", x.Assign)
		}
	})
	return b.String()
}
