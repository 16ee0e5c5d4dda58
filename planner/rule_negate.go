package planner

import (
	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
)

// negate returns an expression equivalent to NOT e with the NOT pushed
// as deep as it goes, as PostgreSQL's negate_clause does when it
// canonicalizes a condition: NOT (a OR b) is NOT a AND NOT b, NOT (a AND
// b) is NOT a OR NOT b, NOT NOT a is a, NOT (a < b) is a >= b, NOT (a IS
// NULL) is a IS NOT NULL, NOT (a IN (...)) is a NOT IN (...).
//
// Why the answer stays the same: each step holds in SQL's three-valued
// logic (De Morgan's laws do; a comparison and its negator are both NULL
// where either operand is). What it changes is what the rest of the
// optimizer sees: a NULL constant that was hidden under NOT (a OR NULL)
// becomes a conjunct of its own, which makes a WHERE reject every row
// before any is read, as in PostgreSQL, where no row then evaluates the
// other conjunct (and so none raises its division by zero).
func negate(e Expr) Expr {
	switch x := e.(type) {
	case *Const:
		if b, ok := x.Value.(bool); ok {
			return &Const{Value: !b, T: catalog.TypeBool}
		}
		if x.Value == nil {
			return x
		}
	case *NotExpr:
		return x.Arg
	case *BoolExpr:
		args := make([]Expr, len(x.Args))
		for i, a := range x.Args {
			args[i] = negate(a)
		}
		return &BoolExpr{And: !x.And, Args: args}
	case *BinExpr:
		if op, ok := negatedComparison[x.Op]; ok {
			c := *x
			c.Op = op
			return &c
		}
	case *NullTest:
		// A record's IS NULL and IS NOT NULL are not each other's
		// negation (a record with some NULL fields is neither).
		if x.Datum || x.Arg.Type().Kind != catalog.Record {
			c := *x
			c.Not = !x.Not
			return &c
		}
	case *InList:
		c := *x
		c.Not = !x.Not
		return &c
	case *DistinctFrom:
		c := *x
		c.Not = !x.Not
		return &c
	}
	return &NotExpr{Arg: e}
}

// negatedComparison maps each comparison to its negator.
var negatedComparison = map[exec.BinaryOp]exec.BinaryOp{
	exec.OpEq: exec.OpNe, exec.OpNe: exec.OpEq,
	exec.OpLt: exec.OpGe, exec.OpGe: exec.OpLt,
	exec.OpGt: exec.OpLe, exec.OpLe: exec.OpGt,
}
