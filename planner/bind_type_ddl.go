package planner

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// Type DDL: CREATE TYPE ... AS ENUM, ALTER TYPE (ADD VALUE, RENAME VALUE,
// RENAME TO), DROP TYPE, and the same for domains (bind_domain_ddl.go).
// The binder resolves the type and computes its new definition; the
// engine applies it with what it entails for the tables that use the type
// (engine/user_type.go).

// CreateTypePlan creates an enum or a domain.
type CreateTypePlan struct {
	Type *catalog.UserType
}

// AlterTypePlan replaces the definition of a type by New, or only sends
// its notice when New is nil (IF [NOT] EXISTS found nothing to do).
type AlterTypePlan struct {
	Tag string // ALTER TYPE, ALTER DOMAIN or COMMENT
	Old *catalog.UserType
	New *catalog.UserType
	// RenamedLabel is, for ALTER TYPE ... RENAME VALUE, the old label and
	// the new one: stored values of the enum are its labels' text, so the
	// tables with columns of the enum are rewritten.
	RenamedLabel [2]string
	// ValidateCheck names a constraint of a domain (added, or validated)
	// that the values stored in columns of the domain must meet;
	// ValidateNotNull asks that they hold no NULL.
	ValidateCheck   string
	ValidateNotNull bool
}

// DropTypePlan drops enums and domains (DROP TYPE, DROP DOMAIN).
type DropTypePlan struct {
	Names []QualifiedName
	// Domain is set for DROP DOMAIN, which drops only domains; DROP TYPE
	// drops both.
	Domain   bool
	IfExists bool
	Cascade  bool
}

func (*CreateTypePlan) planKind() string { return "create type" }
func (*AlterTypePlan) planKind() string  { return "alter type" }
func (*DropTypePlan) planKind() string   { return "drop type" }

// typeDDLName splits the name of a type being created or altered into
// schema and name.
func (b *binder) typeDDLName(names []*pg_query.Node) (QualifiedName, error) {
	var parts []string
	for _, n := range names {
		parts = append(parts, n.GetString_().GetSval())
	}
	switch len(parts) {
	case 1:
		return QualifiedName{Name: parts[0]}, nil
	case 2:
		return QualifiedName{Schema: parts[0], Name: parts[1]}, nil
	case 3:
		return QualifiedName{Schema: parts[1], Name: parts[2]}, nil
	}
	return QualifiedName{}, pgerr.New(pgerr.SyntaxError, "improper qualified name (too many dotted names): %s", strings.Join(parts, "."))
}

// newTypeName resolves the name of a type CREATE TYPE or CREATE DOMAIN
// makes: in its schema, or the first schema of the search path.
func (b *binder) newTypeName(names []*pg_query.Node) (QualifiedName, error) {
	q, err := b.typeDDLName(names)
	if err != nil {
		return q, err
	}
	if q.Schema, err = b.creationSchema(q.Schema); err != nil {
		return q, err
	}
	if !b.cat.HasSchema(q.Schema) {
		return q, pgerr.New(pgerr.InvalidSchemaName, "schema \"%s\" does not exist", q.Schema)
	}
	return q, nil
}

// existingType finds the type an ALTER or DROP names; nil when there is
// none.
func (b *binder) existingType(names []*pg_query.Node) (*catalog.UserType, QualifiedName, error) {
	q, err := b.typeDDLName(names)
	if err != nil {
		return nil, q, err
	}
	parts := []string{q.Name}
	if q.Schema != "" {
		parts = []string{q.Schema, q.Name}
	}
	return b.userTypeNamed(parts), q, nil
}

// errNoType is 42704 for a type name that finds nothing.
func errNoType(q QualifiedName) error {
	name := q.Name
	if q.Schema != "" {
		name = q.Schema + "." + q.Name
	}
	return pgerr.New(pgerr.UndefinedObject, "type \"%s\" does not exist", name)
}

func (b *binder) bindCreateEnum(s *pg_query.CreateEnumStmt) (Plan, error) {
	q, err := b.newTypeName(s.TypeName)
	if err != nil {
		return nil, err
	}
	u := &catalog.UserType{Schema: q.Schema, Name: q.Name, Labels: []catalog.EnumLabel{}}
	for i, v := range s.Vals {
		label := v.GetString_().GetSval()
		if err := catalog.CheckEnumLabel(label); err != nil {
			return nil, err
		}
		if u.LabelIndex(label) >= 0 {
			// As PostgreSQL's pg_enum unique index reports it.
			e := pgerr.New(pgerr.UniqueViolation, "duplicate key value violates unique constraint \"pg_enum_typid_label_index\"")
			e.Detail = "Key (enumtypid, enumlabel)=(" + q.Name + ", " + label + ") already exists."
			return nil, e
		}
		u.Labels = append(u.Labels, catalog.EnumLabel{Label: label, SortOrder: float32(i + 1)})
	}
	return &CreateTypePlan{Type: u}, nil
}

// alterableEnum finds the enum an ALTER TYPE names.
func (b *binder) alterableEnum(names []*pg_query.Node) (*catalog.UserType, error) {
	u, q, err := b.existingType(names)
	if err != nil {
		return nil, err
	}
	if u == nil {
		return nil, errNoType(q)
	}
	if u.IsDomain() {
		return nil, pgerr.New(pgerr.WrongObjectType, "%s is not an enum", u.Name)
	}
	return u, nil
}

func (b *binder) bindAlterEnum(s *pg_query.AlterEnumStmt) (Plan, error) {
	u, err := b.alterableEnum(s.TypeName)
	if err != nil {
		return nil, err
	}
	p := &AlterTypePlan{Tag: "ALTER TYPE", Old: u, New: u.Clone()}
	if s.OldVal != "" {
		if err := p.New.RenameLabel(s.OldVal, s.NewVal); err != nil {
			return nil, err
		}
		p.RenamedLabel = [2]string{s.OldVal, s.NewVal}
		return p, nil
	}
	if s.SkipIfNewValExists && u.LabelIndex(s.NewVal) >= 0 {
		p.New = nil
		b.notify(pgerr.Notice(pgerr.DuplicateObject, "enum label \"%s\" already exists, skipping", s.NewVal))
		return p, nil
	}
	if err := p.New.AddLabel(s.NewVal, 0, s.NewValNeighbor, s.NewValIsAfter); err != nil {
		return nil, err
	}
	return p, nil
}

func (b *binder) bindDropType(s *pg_query.DropStmt) (Plan, error) {
	p := &DropTypePlan{Domain: s.RemoveType == pg_query.ObjectType_OBJECT_DOMAIN, IfExists: s.MissingOk, Cascade: s.Behavior == pg_query.DropBehavior_DROP_CASCADE}
	for _, o := range s.Objects {
		tn := o.GetTypeName()
		if tn == nil {
			return nil, pgerr.Unsupported("this form of DROP TYPE is not supported")
		}
		u, q, err := b.existingType(tn.Names)
		if err != nil {
			return nil, err
		}
		if u != nil {
			q = QualifiedName{Schema: u.Schema, Name: u.Name}
		}
		p.Names = append(p.Names, q)
	}
	return p, nil
}

// bindRenameType binds ALTER TYPE|DOMAIN ... RENAME TO and ALTER DOMAIN
// ... RENAME CONSTRAINT.
func (b *binder) bindRenameType(s *pg_query.RenameStmt) (Plan, error) {
	var names []*pg_query.Node
	if l := s.Object.GetList(); l != nil {
		names = l.Items
	} else if tn := s.Object.GetTypeName(); tn != nil {
		names = tn.Names
	}
	u, q, err := b.existingType(names)
	if err != nil {
		return nil, err
	}
	if u == nil {
		return nil, errNoType(q)
	}
	domain := s.RenameType != pg_query.ObjectType_OBJECT_TYPE
	if domain && !u.IsDomain() {
		return nil, pgerr.New(pgerr.WrongObjectType, "%s is not a domain", u.Name)
	}
	p := &AlterTypePlan{Tag: "ALTER TYPE", Old: u, New: u.Clone()}
	if domain {
		p.Tag = "ALTER DOMAIN"
	}
	if s.RenameType == pg_query.ObjectType_OBJECT_DOMCONSTRAINT {
		i := u.Domain.CheckIndex(s.Subname)
		if i < 0 {
			return nil, pgerr.New(pgerr.UndefinedObject, "constraint \"%s\" for domain %s does not exist", s.Subname, u.Name)
		}
		if u.Domain.CheckIndex(s.Newname) >= 0 {
			return nil, pgerr.New(pgerr.DuplicateObject, "constraint \"%s\" for domain %s already exists", s.Newname, u.Name)
		}
		c := p.New.Domain.Checks[i]
		p.New.Domain.Checks = append(p.New.Domain.Checks[:i], p.New.Domain.Checks[i+1:]...)
		c.Name = s.Newname
		p.New.Domain.AddCheck(c)
		return p, nil
	}
	if b.cat.UserType(u.Schema, s.Newname) != nil || b.cat.Table(u.Schema, s.Newname) != nil || b.cat.View(u.Schema, s.Newname) != nil {
		return nil, pgerr.New(pgerr.DuplicateObject, "type \"%s\" already exists", s.Newname)
	}
	p.New.Name = s.Newname
	return p, nil
}

// BindDropColumn binds ALTER TABLE schema.table DROP COLUMN column
// CASCADE, which DROP TYPE ... CASCADE does to the columns of the type.
func BindDropColumn(cat Catalog, schema, table, column string, opts Options) (*AlterTableStep, error) {
	cmd := &pg_query.AlterTableCmd{Subtype: pg_query.AlterTableType_AT_DropColumn, Name: column, Behavior: pg_query.DropBehavior_DROP_CASCADE}
	return BindAlterTableCmd(cat, schema, table, cmd, "", opts)
}
