package planner

import (
	"time"

	"context"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
)

// foldConstants replaces every constant subexpression by its value, so
// `date '1998-12-01' - interval '90' day` is computed once per plan, not
// once per row, and becomes a literal that scans can prune row groups
// with. A subexpression whose evaluation fails (1/0) is left in place: the
// error belongs to the rows that actually evaluate it.
//
// A strict operator or function with a NULL literal argument is NULL
// whatever its other arguments are, and Postgres folds it so without
// evaluating them: `x * 1000000 > NULL` is NULL even where x * 1000000
// would overflow.
//
// AND and OR drop their neutral constant arguments (TRUE and FALSE) and
// become their absorbing one (FALSE and TRUE) when they have it, as
// Postgres' eval_const_expressions does: `a = b OR false` is `a = b`, a
// hash join key.
//
// Values are computed in the session's TimeZone loc (nil: UTC): a plan is
// bound for each execution, in the zone it runs in.
func foldConstants(e Expr, loc *time.Location) Expr {
	return mapExpr(e, func(n Expr) Expr {
		switch x := n.(type) {
		case *Const, *ColRef, *Param, *OuterRef:
			return n
		case *BoolExpr:
			return simplifyBool(x, loc)
		}
		if isStrict(n) {
			for _, c := range children(n) {
				if k, ok := c.(*Const); ok && k.Value == nil {
					return &Const{T: n.Type()}
				}
			}
		}
		if !isConstant(n) {
			return n
		}
		v, err := evalConst(n, loc)
		if err != nil {
			return n
		}
		return &Const{Value: v, T: n.Type()}
	})
}

// simplifyBool applies the neutral and absorbing constants of AND and OR.
func simplifyBool(x *BoolExpr, loc *time.Location) Expr {
	absorbing := !x.And
	var keep []Expr
	for _, a := range x.Args {
		if k, ok := a.(*Const); ok && k.Value != nil {
			if k.Value == absorbing {
				return &Const{Value: absorbing, T: catalog.TypeBool}
			}
			continue
		}
		keep = append(keep, a)
	}
	switch len(keep) {
	case len(x.Args):
		if isConstant(x) {
			if v, err := evalConst(x, loc); err == nil {
				return &Const{Value: v, T: catalog.TypeBool}
			}
		}
		return x
	case 0:
		return &Const{Value: x.And, T: catalog.TypeBool}
	case 1:
		return keep[0]
	}
	return &BoolExpr{And: x.And, Args: keep}
}

// evalConst evaluates an expression that reads no input, in zone loc.
func evalConst(e Expr, loc *time.Location) (any, error) {
	l := &lowerer{}
	x, err := l.expr(e)
	if err != nil {
		return nil, err
	}
	ctx := exec.NewContext(context.Background())
	ctx.Location = loc
	rows, err := exec.Collect(ctx, exec.NewValues([][]exec.Expr{{x}}, []catalog.Type{e.Type()}))
	if err != nil {
		return nil, err
	}
	return rows[0][0], nil
}

// isStrict reports whether n is NULL whenever any of its direct arguments
// is NULL.
func isStrict(n Expr) bool {
	switch x := n.(type) {
	case *BinExpr, *NegExpr, *CastExpr, *NotExpr:
		return true
	case *FuncExpr:
		return exec.FuncStrict(x.Name) && !exec.FuncVolatile(x.Name)
	}
	return false
}
