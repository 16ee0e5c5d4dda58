package planner

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/catalog/pgcatalog"
	"github.com/pqdb/pqdb/pgerr"
)

// columnCollation binds the COLLATE clause of a column definition of
// type typ: the collation's name as catalog.Column.Collation keeps it,
// "" for none or "default". pqdb has the collations of PostgreSQL's bki
// ("default", "C", "POSIX"), all of which order text by code point, as
// pqdb compares it; a collation it lacks does not exist, as in
// PostgreSQL.
func (b *binder) columnCollation(cd *pg_query.ColumnDef, typ catalog.Type) (string, error) {
	cc := cd.CollClause
	if cc == nil {
		return "", nil
	}
	var parts []string
	for _, n := range cc.Collname {
		parts = append(parts, n.GetString_().GetSval())
	}
	name := parts[len(parts)-1]
	if len(parts) > 2 || len(parts) == 2 && parts[0] != "pg_catalog" || pgcatalog.CollationOID(name) == 0 {
		e := b.errAt(pgerr.UndefinedObject, cc.Location, "collation \"%s\" for encoding \"UTF8\" does not exist", strings.Join(parts, "."))
		e.Hint = `pqdb has the collations "C", "POSIX" and "default".`
		return "", e
	}
	if pgcatalog.TypeCollation(typ) == 0 {
		return "", b.errAt(pgerr.DatatypeMismatch, cc.Location, "collations are not supported by type %s", typ)
	}
	if name == "default" {
		return "", nil
	}
	return name, nil
}
