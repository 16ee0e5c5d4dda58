package planner

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/pgerr"
)

// CommentPlan is COMMENT ON TABLE/COLUMN/VIEW/SEQUENCE/INDEX/SCHEMA ...
// IS 'text' | NULL. The comment is stored with the object in the catalog;
// an empty comment (IS NULL, or the empty string) removes it, as in
// PostgreSQL.
type CommentPlan struct {
	Kind    ObjectKind
	Schema  string
	Name    string // the table, view, sequence, index or schema
	Column  string // COMMENT ON COLUMN
	Comment string
}

func (*CommentPlan) planKind() string { return "comment" }

func (b *binder) bindComment(s *pg_query.CommentStmt) (Plan, error) {
	p := &CommentPlan{Comment: s.Comment}
	if s.Objtype == pg_query.ObjectType_OBJECT_SCHEMA {
		p.Kind, p.Name = ObjectSchema, s.Object.GetString_().GetSval()
		if !b.cat.HasSchema(p.Name) {
			return nil, pgerr.New(pgerr.InvalidSchemaName, "schema \"%s\" does not exist", p.Name)
		}
		return p, nil
	}
	if s.Objtype == pg_query.ObjectType_OBJECT_TYPE || s.Objtype == pg_query.ObjectType_OBJECT_DOMAIN {
		return b.bindCommentOnType(s)
	}
	var parts []string
	for _, it := range s.Object.GetList().GetItems() {
		parts = append(parts, it.GetString_().GetSval())
	}
	switch s.Objtype {
	case pg_query.ObjectType_OBJECT_COLUMN:
		if len(parts) < 2 {
			return nil, pgerr.New(pgerr.SyntaxError, "column name must be qualified")
		}
		p.Column, parts = parts[len(parts)-1], parts[:len(parts)-1]
		p.Kind = ObjectTable
	case pg_query.ObjectType_OBJECT_TABLE:
		p.Kind = ObjectTable
	case pg_query.ObjectType_OBJECT_VIEW:
		p.Kind = ObjectView
	case pg_query.ObjectType_OBJECT_SEQUENCE:
		p.Kind = ObjectSequence
	case pg_query.ObjectType_OBJECT_INDEX:
		p.Kind = ObjectIndex
	default:
		return nil, pgerr.Unsupported("COMMENT ON %s is not supported", objectTypeName(s.Objtype))
	}
	switch len(parts) {
	case 1:
		p.Name = parts[0]
		p.Schema = b.objectSchema("", p.Name)
	case 2:
		p.Schema, p.Name = b.schemaAlias(parts[0]), parts[1]
	default:
		return nil, pgerr.New(pgerr.SyntaxError, "improper relation name (too many dotted names): %s", strings.Join(parts, "."))
	}
	found, ok := b.relationKind(p.Schema, p.Name)
	if !ok {
		return nil, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", strings.Join(parts, "."))
	}
	if p.Column != "" {
		// Columns of tables and views take comments.
		if found == ObjectView {
			p.Kind = ObjectView
		}
		if found == ObjectTable && b.cat.Table(p.Schema, p.Name).ColumnIndex(p.Column) < 0 ||
			found == ObjectView && !containsString(b.cat.View(p.Schema, p.Name).Columns, p.Column) {
			return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", p.Column, p.Name)
		}
		if found != ObjectTable && found != ObjectView {
			return nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is not a table, view, materialized view, composite type, or foreign table", p.Name)
		}
		return p, nil
	}
	if found != p.Kind {
		what := map[ObjectKind]string{ObjectTable: "a table", ObjectView: "a view", ObjectSequence: "a sequence", ObjectIndex: "an index"}[p.Kind]
		return nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is not %s", p.Name, what)
	}
	return p, nil
}

func containsString(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// bindCommentOnType binds COMMENT ON TYPE and COMMENT ON DOMAIN, which
// change a user type like ALTER TYPE does. TYPE names any type, DOMAIN
// only a domain.
func (b *binder) bindCommentOnType(s *pg_query.CommentStmt) (Plan, error) {
	tn := s.Object.GetTypeName()
	if tn == nil {
		return nil, pgerr.Unsupported("this form of COMMENT ON %s is not supported", objectTypeName(s.Objtype))
	}
	if len(tn.ArrayBounds) > 0 {
		return nil, pgerr.Unsupported("COMMENT ON an array type is not supported")
	}
	u, q, err := b.existingType(tn.Names)
	if err != nil {
		return nil, err
	}
	if u == nil {
		if _, err := b.typeFromName(tn); err == nil {
			return nil, pgerr.Unsupported("COMMENT ON a built-in type is not supported")
		}
		return nil, errNoType(q)
	}
	if s.Objtype == pg_query.ObjectType_OBJECT_DOMAIN && !u.IsDomain() {
		return nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is not a domain", u.Name)
	}
	c := u.Clone()
	c.Comment = s.Comment
	return &AlterTypePlan{Tag: "COMMENT", Old: u, New: c}, nil
}
