package planner

import (
	"context"
	"time"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
)

// foldConstants replaces every constant subexpression by its value, so
// `date '1998-12-01' - interval '90' day` is computed once per plan, not
// once per row, and becomes a literal that scans can prune row groups
// with. It walks the expression as PostgreSQL's eval_const_expressions
// does, and so raises the same errors: a constant subexpression whose
// evaluation fails (1/0, 'x'::int) fails the statement when it is
// planned, whether or not any row reaches it — except where PostgreSQL
// never looks: the arms of a CASE after a constant TRUE condition or
// under a constant FALSE or NULL one, the arguments of COALESCE after a
// non-NULL constant, and the arguments of AND (OR) after a constant FALSE
// (TRUE). Those are dropped unfolded.
//
// A strict operator or function with a NULL literal argument is NULL
// whatever its other arguments are, and PostgreSQL folds it so without
// evaluating them: `x * 1000000 > NULL` is NULL even where x * 1000000
// would overflow. So is NULL [NOT] IN (...).
//
// NOT is pushed into its argument (negate, rule_negate.go). AND and OR
// drop their neutral constant arguments (TRUE and FALSE) and become their
// absorbing one (FALSE and TRUE) when they have it: `a = b OR false` is
// `a = b`, a hash join key.
//
// Values are computed in the session's TimeZone loc (nil: UTC): a plan is
// bound for each execution, in the zone it runs in.
func foldConstants(e Expr, loc *time.Location) (Expr, error) {
	f := &folder{loc: loc}
	out := f.fold(e)
	if f.err != nil {
		return e, f.err
	}
	return out, nil
}

// folder folds one expression; err is the first error a constant
// subexpression raised.
type folder struct {
	loc *time.Location
	err error
}

func (f *folder) fold(e Expr) Expr {
	if f.err != nil {
		return e
	}
	switch x := e.(type) {
	case *Const, *ColRef, *Param, *OuterRef:
		return e
	case *BoolExpr:
		return f.foldBool(x)
	case *CaseExpr:
		return f.foldCase(x)
	case *CoalesceExpr:
		return f.foldCoalesce(x)
	case *NotExpr:
		arg := f.fold(x.Arg)
		n := negate(arg)
		if _, still := n.(*NotExpr); still {
			return f.foldNode(n)
		}
		// The parts the NOT was pushed into are folded already: fold
		// them again as negations.
		return f.fold(n)
	}
	return f.foldNode(mapChildren(e, f.fold))
}

// foldNode folds a node whose children are folded.
func (f *folder) foldNode(n Expr) Expr {
	if in, ok := n.(*InList); ok {
		if k, ok := in.Arg.(*Const); ok && k.Value == nil {
			return &Const{T: catalog.TypeBool}
		}
	}
	if isStrict(n) {
		for _, c := range children(n) {
			if k, ok := c.(*Const); ok && k.Value == nil {
				return &Const{T: n.Type()}
			}
		}
	}
	if !isConstant(n) {
		if b, ok := n.(*BinExpr); ok {
			if d, ok := dateComparison(b); ok {
				return d
			}
			if d, ok := numericComparison(b, f.loc); ok {
				return d
			}
		}
		return n
	}
	v, foldable, err := evalConst(n, f.loc)
	if !foldable {
		return n
	}
	if err != nil {
		f.err = err
		return n
	}
	return &Const{Value: v, T: n.Type()}
}

// foldBool folds AND (OR) argument by argument, stopping at the first
// that folds to FALSE (TRUE), and drops the TRUE (FALSE) ones.
func (f *folder) foldBool(x *BoolExpr) Expr {
	absorbing := !x.And
	var keep []Expr
	for _, a := range x.Args {
		a = f.fold(a)
		if k, ok := a.(*Const); ok && k.Value != nil {
			if k.Value == absorbing {
				return &Const{Value: absorbing, T: catalog.TypeBool}
			}
			continue
		}
		keep = append(keep, a)
	}
	switch len(keep) {
	case 0:
		return &Const{Value: x.And, T: catalog.TypeBool}
	case 1:
		if len(x.Args) > 1 {
			return keep[0]
		}
	}
	return f.foldNode(&BoolExpr{And: x.And, Args: keep})
}

// foldCase drops the arms whose condition folds to FALSE or NULL without
// folding their results, and ends the CASE at an arm whose condition
// folds to TRUE.
func (f *folder) foldCase(x *CaseExpr) Expr {
	c := &CaseExpr{T: x.T}
	for _, w := range x.Whens {
		cond := f.fold(w.Cond)
		if k, ok := cond.(*Const); ok {
			if k.Value != true {
				continue
			}
			then := f.fold(w.Then)
			if len(c.Whens) == 0 {
				return then
			}
			c.Else = then
			return f.foldNode(c)
		}
		c.Whens = append(c.Whens, CaseWhen{Cond: cond, Then: f.fold(w.Then)})
	}
	if x.Else != nil {
		c.Else = f.fold(x.Else)
	}
	if len(c.Whens) == 0 {
		if c.Else == nil {
			return &Const{T: x.T}
		}
		return c.Else
	}
	return f.foldNode(c)
}

// foldCoalesce drops NULL constants and ends at the first non-NULL one,
// leaving the arguments after it unfolded and out.
func (f *folder) foldCoalesce(x *CoalesceExpr) Expr {
	var keep []Expr
	for _, a := range x.Args {
		a = f.fold(a)
		if k, ok := a.(*Const); ok {
			if k.Value == nil {
				continue
			}
			if len(keep) == 0 {
				return a
			}
			keep = append(keep, a)
			break
		}
		keep = append(keep, a)
	}
	switch len(keep) {
	case 0:
		return &Const{T: x.T}
	case 1:
		return keep[0]
	}
	return f.foldNode(&CoalesceExpr{Args: keep, T: x.T})
}

// evalConst evaluates an expression that reads no input, in zone loc.
// It is not foldable when it cannot be evaluated without what the plan
// has when it runs (an enum's labels come from the catalog): it is then
// left to run with the plan, and only an error of the evaluation itself
// is the statement's.
func evalConst(e Expr, loc *time.Location) (v any, foldable bool, err error) {
	l := &lowerer{}
	x, err := l.expr(e)
	if err != nil {
		return nil, false, nil
	}
	ctx := exec.NewContext(context.Background())
	ctx.Location = loc
	rows, err := exec.Collect(ctx, exec.NewValues([][]exec.Expr{{x}}, []catalog.Type{e.Type()}))
	if err != nil {
		return nil, true, err
	}
	return rows[0][0], true, nil
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
