package planner

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
)

// A stored DEFAULT keeps the relations its regclass constants named when
// it was defined, as PostgreSQL's does (it stores
// nextval('s'::regclass) with s's OID): the default is bound again at
// each INSERT, in the search_path of that session, and must still find
// the same sequence. While a default is bound for storage, each
// unqualified name a regclass literal reads is noted with the schema it
// resolved in, and written into the literal before the expression is
// deparsed. (pg_get_expr prints the schema only where PostgreSQL would.)

// storedDefault binds the DEFAULT expression n for a column or domain
// of type t and returns the text to store.
func (b *binder) storedDefault(t catalog.Type, n *pg_query.Node) (string, error) {
	b.regclassNames = map[int32]string{}
	defer func() { b.regclassNames = nil }()
	if _, err := b.bindDefault(n, t); err != nil {
		return "", err
	}
	if len(b.regclassNames) > 0 {
		walkRaw(n.ProtoReflect(), func(m protoreflect.Message) bool {
			if c, ok := m.Interface().(*pg_query.A_Const); ok && c.GetSval() != nil {
				if name, ok := b.regclassNames[c.Location]; ok {
					c.GetSval().Sval = name
				}
			}
			return true
		})
	}
	return deparseExpr(n)
}

// noteRegclassName records, while a default is bound for storage, the
// schema the regclass literal c names a relation of.
func (b *binder) noteRegclassName(c *Const) {
	s, ok := c.Value.(string)
	if b.regclassNames == nil || !ok {
		return
	}
	parts, err := catalog.SplitRelationName(s)
	if err != nil || len(parts) != 1 {
		return
	}
	schema := b.objectSchema("", parts[0])
	b.regclassNames[c.Loc] = exec.QuoteIdent(schema) + "." + exec.QuoteIdent(parts[0])
}
