package planner

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// byteOrderCollations are the collations that order text as pqdb always
// does, by its UTF-8 bytes (which is code point order): C and its
// aliases, and the default collation of a database created with C or
// C.UTF-8, the one PostgreSQL setup pqdb matches.
var byteOrderCollations = map[string]bool{"default": true, "C": true, "POSIX": true, "ucs_basic": true, "C.utf8": true}

// bindCollate binds expr COLLATE name: the expression unchanged, as
// every collation pqdb accepts compares as it already does; the
// expression must be of a collatable type (a string type, an array of
// one, or a literal still of unknown type).
func (b *binder) bindCollate(c *pg_query.CollateClause, sc *scope, ctx exprContext) (Expr, error) {
	e, err := b.bindExpr(c.Arg, sc, ctx)
	if err != nil {
		return nil, err
	}
	t := e.Type()
	if t.Kind == catalog.Array {
		t = t.ElemType()
	}
	if !t.IsString() && t.Kind != catalog.Unknown {
		return nil, b.errAt(pgerr.DatatypeMismatch, c.Location, "collations are not supported by type %s", e.Type())
	}
	var schema, name string
	for _, n := range c.Collname {
		schema, name = name, n.GetString_().GetSval()
	}
	if schema != "" && schema != "pg_catalog" || !byteOrderCollations[name] {
		return nil, b.errAt(pgerr.FeatureNotSupported, c.Location, "collation \"%s\" is not supported: pqdb compares text by its bytes (collation \"C\")", name)
	}
	return e, nil
}
