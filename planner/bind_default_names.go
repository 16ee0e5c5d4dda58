package planner

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
)

// A stored DEFAULT or view keeps what its literals meant when it was
// defined, as PostgreSQL's does, which stores the bound expression:
//   - a regclass constant keeps the relation it named (PostgreSQL stores
//     nextval('s'::regclass) with s's OID): the default is bound again at
//     each INSERT, in the search_path of that session, and must still
//     find the same sequence;
//   - a clock literal ('now', 'today', 'tomorrow', 'yesterday' read as a
//     date or time) keeps the time it was read at: PostgreSQL folds it
//     into a constant, so DEFAULT 'now' is the table's creation time and
//     a view's 'now'::timestamp the view's.
//
// While a default or a view's query is bound for storage, each such
// literal is noted with the text to store by its location, and written
// into the parse tree before it is deparsed. (pg_get_expr and
// pg_get_viewdef print the schema only where PostgreSQL would.)

// storedDefault binds the DEFAULT expression n for a column or domain
// of type t and returns the text to store.
func (b *binder) storedDefault(t catalog.Type, n *pg_query.Node) (string, error) {
	b.storedLiterals = map[int32]string{}
	defer func() { b.storedLiterals = nil }()
	if _, err := b.bindDefault(n, t); err != nil {
		return "", err
	}
	b.writeStoredLiterals(n.ProtoReflect())
	return deparseExpr(n)
}

// writeStoredLiterals writes the noted texts into the literals of the
// parse tree m.
func (b *binder) writeStoredLiterals(m protoreflect.Message) {
	if len(b.storedLiterals) == 0 {
		return
	}
	walkRaw(m, func(m protoreflect.Message) bool {
		if c, ok := m.Interface().(*pg_query.A_Const); ok && c.GetSval() != nil {
			if text, ok := b.storedLiterals[c.Location]; ok {
				c.GetSval().Sval = text
			}
		}
		return true
	})
}

// noteClockLiteral records, while a default or a view is bound for
// storage, the value v of type t that the clock literal x read, unless x
// comes from another view being expanded (its location is in that view's
// text).
func (b *binder) noteClockLiteral(x *Const, t catalog.Type, v catalog.Datum) {
	if b.storedLiterals == nil || len(b.views) > 0 || x.Loc <= 0 || v == nil {
		return
	}
	b.storedLiterals[x.Loc] = string(catalog.AppendDatumText(nil, t, v))
}

// noteRegclassName records, while a default is bound for storage, the
// schema the regclass literal c names a relation of.
func (b *binder) noteRegclassName(c *Const) {
	s, ok := c.Value.(string)
	if b.storedLiterals == nil || len(b.views) > 0 || !ok {
		return
	}
	parts, err := catalog.SplitRelationName(s)
	if err != nil || len(parts) != 1 {
		return
	}
	schema := b.objectSchema("", parts[0])
	b.storedLiterals[c.Loc] = exec.QuoteIdent(schema) + "." + exec.QuoteIdent(parts[0])
}
