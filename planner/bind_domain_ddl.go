package planner

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// CREATE DOMAIN and ALTER DOMAIN. A domain is a base type with a default,
// NOT NULL and CHECK constraints over VALUE (catalog.Domain); the
// constraint texts are bound when the domain is defined, to reject what
// PostgreSQL rejects, and again wherever a value is checked (domain.go).

func (b *binder) bindCreateDomain(s *pg_query.CreateDomainStmt) (Plan, error) {
	q, err := b.newTypeName(s.Domainname)
	if err != nil {
		return nil, err
	}
	if s.CollClause != nil {
		return nil, pgerr.Unsupported("COLLATE in CREATE DOMAIN is not supported")
	}
	if base := b.domainOf(s.TypeName); base != nil {
		return nil, b.errAt(pgerr.FeatureNotSupported, s.TypeName.Location, "domains over domains are not supported")
	}
	// DefineDomain resolves the base type without a position: so are its
	// errors and warnings.
	query := b.query
	b.query = ""
	base, err := b.typeFromName(s.TypeName)
	b.query = query
	if err != nil {
		return nil, err
	}
	if base.Kind == catalog.Unknown || base.Kind == catalog.Void {
		return nil, b.errAt(pgerr.DatatypeMismatch, s.TypeName.Location, "\"%s\" is not a valid base type for a domain", base)
	}
	d := &catalog.Domain{Base: base}
	u := &catalog.UserType{Schema: q.Schema, Name: q.Name, Domain: d}
	var notNull, null, hasDefault bool
	for _, cn := range s.Constraints {
		c := cn.GetConstraint()
		switch c.Contype {
		case pg_query.ConstrType_CONSTR_DEFAULT:
			if hasDefault {
				return nil, b.errAt(pgerr.SyntaxError, c.Location, "multiple default expressions")
			}
			hasDefault = true
			if d.Default, err = b.storedDefault(base, c.RawExpr); err != nil {
				return nil, err
			}
		case pg_query.ConstrType_CONSTR_NOTNULL:
			if null {
				return nil, b.errAt(pgerr.SyntaxError, c.Location, "conflicting NULL/NOT NULL constraints")
			}
			notNull, d.NotNull = true, true
		case pg_query.ConstrType_CONSTR_NULL:
			if notNull {
				return nil, b.errAt(pgerr.SyntaxError, c.Location, "conflicting NULL/NOT NULL constraints")
			}
			null = true
		case pg_query.ConstrType_CONSTR_CHECK:
			if err := b.addDomainCheck(u, c); err != nil {
				return nil, err
			}
		default:
			return nil, b.errAt(pgerr.FeatureNotSupported, c.Location, "%s constraints are not supported for domains", constraintName(c.Contype))
		}
	}
	return &CreateTypePlan{Type: u}, nil
}

// addDomainCheck binds a CHECK constraint and adds it to u, named as
// PostgreSQL names it when it has no name (<domain>_check, numbered when
// taken).
func (b *binder) addDomainCheck(u *catalog.UserType, c *pg_query.Constraint) error {
	if c.IsNoInherit {
		return b.errAt(pgerr.InvalidObjectDefinition, c.Location, "check constraints for domains cannot be marked NO INHERIT")
	}
	name := c.Conname
	if name == "" {
		name = u.Name + "_check"
		for i := 1; u.Domain.CheckIndex(name) >= 0; i++ {
			name = u.Name + "_check" + itoa(int64(i))
		}
	} else if u.Domain.CheckIndex(name) >= 0 {
		return pgerr.New(pgerr.DuplicateObject, "constraint \"%s\" for domain \"%s\" already exists", name, u.Name)
	}
	if _, err := b.bindDomainConstraint(u.Domain.Base, c.RawExpr); err != nil {
		return err
	}
	text, err := deparseExpr(c.RawExpr)
	if err != nil {
		return err
	}
	u.Domain.AddCheck(catalog.Check{Name: name, Expr: text})
	return nil
}

func (b *binder) bindAlterDomain(s *pg_query.AlterDomainStmt) (Plan, error) {
	u, q, err := b.existingType(s.TypeName)
	if err != nil {
		return nil, err
	}
	if u == nil {
		return nil, errNoType(q)
	}
	if !u.IsDomain() {
		return nil, pgerr.New(pgerr.WrongObjectType, "%s is not a domain", u.Name)
	}
	p := &AlterTypePlan{Tag: "ALTER DOMAIN", Old: u, New: u.Clone()}
	d := p.New.Domain
	switch s.Subtype {
	case "T": // SET DEFAULT, DROP DEFAULT
		d.Default = ""
		if s.Def != nil {
			if d.Default, err = b.storedDefault(d.Base, s.Def); err != nil {
				return nil, err
			}
		}
	case "N": // DROP NOT NULL
		d.NotNull = false
	case "O": // SET NOT NULL
		d.NotNull, p.ValidateNotNull = true, !u.Domain.NotNull
	case "C": // ADD CONSTRAINT
		c := s.Def.GetConstraint()
		if c == nil || c.Contype != pg_query.ConstrType_CONSTR_CHECK {
			return nil, pgerr.Unsupported("only CHECK constraints can be added to a domain")
		}
		if err := b.addDomainCheck(p.New, c); err != nil {
			return nil, err
		}
		if !c.SkipValidation {
			p.ValidateCheck = addedCheck(u.Domain, d)
		}
	case "X": // DROP CONSTRAINT
		i := d.CheckIndex(s.Name)
		if i < 0 {
			if s.MissingOk {
				p.New = nil
				b.notify(pgerr.Notice(pgerr.SuccessfulCompletion, "constraint \"%s\" of domain \"%s\" does not exist, skipping", s.Name, u.Name))
				return p, nil
			}
			return nil, pgerr.New(pgerr.UndefinedObject, "constraint \"%s\" of domain \"%s\" does not exist", s.Name, u.Name)
		}
		d.Checks = append(d.Checks[:i], d.Checks[i+1:]...)
	case "V": // VALIDATE CONSTRAINT
		if d.CheckIndex(s.Name) < 0 {
			return nil, pgerr.New(pgerr.UndefinedObject, "constraint \"%s\" of domain \"%s\" does not exist", s.Name, u.Name)
		}
		p.ValidateCheck = s.Name
	default:
		return nil, pgerr.Unsupported("this form of ALTER DOMAIN is not supported")
	}
	return p, nil
}

// addedCheck is the name of the check after has that before has not.
func addedCheck(before, after *catalog.Domain) string {
	for _, c := range after.Checks {
		if before.CheckIndex(c.Name) < 0 {
			return c.Name
		}
	}
	return ""
}
