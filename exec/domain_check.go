package exec

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// DomainConstraint is one CHECK constraint of a domain: Check is a
// boolean expression over a one-column batch holding the values (VALUE).
type DomainConstraint struct {
	Name  string
	Check Expr
}

// DomainCheck returns arg's values, failing the statement when one does
// not meet the constraints of the domain named domain, as PostgreSQL's
// CoerceToDomain does: with notNull a NULL value is 23502 ("domain d does
// not allow null values"); a value that makes a check false (not NULL)
// is 23514 ("value for domain d violates check constraint "c"").
func DomainCheck(arg Expr, domain string, notNull bool, checks []DomainConstraint) Expr {
	return &domainCheckExpr{arg: arg, domain: domain, notNull: notNull, checks: checks}
}

type domainCheckExpr struct {
	arg     Expr
	domain  string
	notNull bool
	checks  []DomainConstraint
}

func (e *domainCheckExpr) Type() catalog.Type { return e.arg.Type() }

func (e *domainCheckExpr) Eval(ctx *Context, b *Batch) (arrow.Array, error) {
	v, err := e.arg.Eval(ctx, b)
	if err != nil {
		return nil, err
	}
	if err := e.check(ctx, v, b); err != nil {
		v.Release()
		return nil, err
	}
	return v, nil
}

// check tests the selected rows of v.
func (e *domainCheckExpr) check(ctx *Context, v arrow.Array, b *Batch) error {
	if e.notNull && v.NullN() > 0 {
		valid := validityOf(v)
		for _, i := range rowsOf(b) {
			if !valid.valid(int(i)) {
				return pgerr.New(pgerr.NotNullViolation, "domain %s does not allow null values", e.domain)
			}
		}
	}
	if len(e.checks) == 0 {
		return nil
	}
	values := &Batch{Cols: []arrow.Array{v}, Len: b.Len, Sel: b.Sel}
	for _, c := range e.checks {
		ok, err := c.Check.Eval(ctx, values)
		if err != nil {
			return err
		}
		bv, valid := boolViewOf(ok), validityOf(ok)
		for _, i := range rowsOf(b) {
			if valid.valid(int(i)) && !bv.value(int(i)) {
				ok.Release()
				return pgerr.New(pgerr.CheckViolation, "value for domain %s violates check constraint \"%s\"", e.domain, c.Name)
			}
		}
		ok.Release()
	}
	return nil
}
