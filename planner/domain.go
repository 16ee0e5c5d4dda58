package planner

import (
	"time"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
)

// Domains in expressions. A value of a domain is a value of its base type
// that met the domain's constraints when it was made one: by a cast
// (x::d, CAST(x AS d)) or by being stored in a column of the domain. Both
// are a DomainCheck around the value, whose constraints are bound over the
// value alone (VALUE). Every row a statement writes passes the checks of
// its table's domain columns through DomainRows, next to the table's
// CHECK constraints; a column of a domain without a DEFAULT of its own
// takes the domain's (columnDefault).

// DomainCheck is Arg converted to Domain: its value, checked against the
// domain's NOT NULL and CHECK constraints.
type DomainCheck struct {
	Arg    Expr
	Domain *catalog.UserType
	// Checks are the domain's CHECK expressions, in the order of
	// Domain.Domain.Checks, bound over a one-column input: the value.
	Checks []Expr
}

func (e *DomainCheck) Type() catalog.Type { return e.Arg.Type() }
func (e *DomainCheck) String() string     { return "(" + e.Arg.String() + ")::" + e.Domain.Name }

// lower lowers the check with its argument already lowered.
func (e *DomainCheck) lower(l *lowerer, arg exec.Expr) (exec.Expr, error) {
	checks := make([]exec.DomainConstraint, len(e.Checks))
	for i, c := range e.Checks {
		x, err := l.expr(c)
		if err != nil {
			return nil, err
		}
		checks[i] = exec.DomainConstraint{Name: e.Domain.Domain.Checks[i].Name, Check: x}
	}
	return exec.DomainCheck(arg, e.Domain.Name, e.Domain.Domain.NotNull, checks), nil
}

// valueScope is the scope of a domain constraint: the value, named VALUE.
func valueScope(t catalog.Type) *scope {
	return &scope{cols: []scopeCol{{name: "value", t: t}}}
}

// bindDomainConstraint binds a domain's CHECK expression over its value.
func (b *binder) bindDomainConstraint(base catalog.Type, n *pg_query.Node) (Expr, error) {
	nParams := len(b.params)
	e, err := b.bindExpr(n, valueScope(base), ctxCheck)
	if err != nil {
		return nil, err
	}
	if len(b.params) > nParams || contains[*Param](e) {
		return nil, pgerr.New(pgerr.UndefinedParameter, "there is no parameter $1")
	}
	return b.coerceBool(e, "CHECK")
}

// domainCheck returns e (of the domain's base type) checked against u.
func (b *binder) domainCheck(e Expr, u *catalog.UserType) (Expr, error) {
	query := b.query
	b.query = "" // positions would point into the constraint's text
	defer func() { b.query = query }()
	defer b.bindingStored()()
	out := &DomainCheck{Arg: e, Domain: u}
	for _, c := range u.Domain.Checks {
		n, err := parseStoredExpr(c.Expr)
		if err != nil {
			return nil, pgerr.New(pgerr.InternalError, "cannot read check constraint \"%s\" of domain %s: %v", c.Name, u.Name, err)
		}
		x, err := b.bindDomainConstraint(u.Domain.Base, n)
		if err != nil {
			return nil, err
		}
		out.Checks = append(out.Checks, x)
	}
	return out, nil
}

// castToDomain is an explicit cast to the domain u: to its base type,
// then checked.
func (b *binder) castToDomain(e Expr, u *catalog.UserType, loc int32) (Expr, error) {
	v, err := b.castTo(e, u.Domain.Base, loc)
	if err != nil {
		return nil, err
	}
	return b.domainCheck(v, u)
}

// parseStoredExpr reads an expression the catalog keeps as SQL text.
func parseStoredExpr(text string) (*pg_query.Node, error) {
	tree, err := pg_query.Parse("SELECT " + text)
	if err != nil {
		return nil, err
	}
	if len(tree.Stmts) != 1 {
		return nil, pgerr.New(pgerr.InternalError, "not one expression: %s", text)
	}
	return tree.Stmts[0].Stmt.GetSelectStmt().GetTargetList()[0].GetResTarget().GetVal(), nil
}

// columnDomain returns the domain of column c, or nil.
func (b *binder) columnDomain(c catalog.Column) (*catalog.UserType, error) {
	if c.Domain == 0 {
		return nil, nil
	}
	if b.cat != nil {
		if u := b.cat.UserTypeByOID(uint32(c.Domain)); u != nil && u.IsDomain() {
			return u, nil
		}
	}
	return nil, pgerr.New(pgerr.UndefinedObject, "cache lookup failed for type %d", c.Domain)
}

// DomainRows returns a plan over a Written leaf of rows of t that fails
// when a value of a domain column does not meet its domain's constraints,
// or nil when t has no domain columns with constraints; loc is the
// session's TimeZone. Its output is of no interest: draining it checks.
func DomainRows(cat Catalog, t *catalog.Table, loc *time.Location) (Node, error) {
	b := &binder{cat: cat, opts: Options{Location: loc}}
	var exprs []Expr
	for i, c := range t.Columns {
		u, err := b.columnDomain(c)
		if err != nil {
			return nil, err
		}
		if u == nil || !u.Domain.NotNull && len(u.Domain.Checks) == 0 {
			continue
		}
		e, err := b.domainCheck(&ColRef{Index: i, T: c.Type, Name: c.Name}, u)
		if err != nil {
			return nil, err
		}
		exprs = append(exprs, e)
	}
	if exprs == nil {
		return nil, nil
	}
	return &Project{Input: &Written{Table: t}, Exprs: exprs}, nil
}

// DomainColumnCheck returns a plan that yields, for each row of table t
// as cat sees it, whether the value of column col meets the domain check
// c (NULL when it is NULL): ALTER DOMAIN ... ADD CONSTRAINT validates the
// columns of the domain with it.
func DomainColumnCheck(cat Catalog, t *catalog.Table, col int, u *catalog.UserType, c catalog.Check, loc *time.Location) (Node, error) {
	b := &binder{cat: cat, opts: Options{Location: loc}}
	n, err := parseStoredExpr(c.Expr)
	if err != nil {
		return nil, pgerr.New(pgerr.InternalError, "cannot read check constraint \"%s\" of domain %s: %v", c.Name, u.Name, err)
	}
	e, err := b.bindDomainConstraint(u.Domain.Base, n)
	if err != nil {
		return nil, err
	}
	scan := &Scan{Table: t, Alias: t.Name, Cols: []int{col}}
	return optimize(&Project{Input: scan, Exprs: []Expr{e}}, b.location(), b.estimates())
}
