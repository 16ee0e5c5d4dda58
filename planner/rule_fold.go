package planner

import (
	"context"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
)

// foldConstants replaces every constant subexpression by its value, so
// `date '1998-12-01' - interval '90' day` is computed once per plan, not
// once per row, and becomes a literal that scans can prune row groups
// with. A subexpression whose evaluation fails (1/0) is left in place: the
// error belongs to the rows that actually evaluate it.
func foldConstants(e Expr) Expr {
	return mapExpr(e, func(n Expr) Expr {
		switch n.(type) {
		case *Const, *ColRef, *Param, *OuterRef:
			return n
		}
		if !isConstant(n) {
			return n
		}
		v, err := evalConst(n)
		if err != nil {
			return n
		}
		return &Const{Value: v, T: n.Type()}
	})
}

// evalConst evaluates an expression that reads no input.
func evalConst(e Expr) (any, error) {
	l := &lowerer{}
	x, err := l.expr(e)
	if err != nil {
		return nil, err
	}
	ctx := exec.NewContext(context.Background())
	rows, err := exec.Collect(ctx, exec.NewValues([][]exec.Expr{{x}}, []catalog.Type{e.Type()}))
	if err != nil {
		return nil, err
	}
	return rows[0][0], nil
}
