package planner

import (
	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/catalog/pgcatalog"
	"github.com/pqdb/pqdb/pgerr"
)

// tableoid is the system column every table has in PostgreSQL: the OID
// of the table a row comes from. Catalog queries join on it
// (pg_description.classoid = c.tableoid, psql's \dd and \dL). A pqdb
// table has no partitions or children, so it is a constant per FROM
// item: the table's OID. The other system columns (ctid, xmin, cmin,
// ...) have no meaning in pqdb: naming one of a table fails with 0A000
// rather than as a column that does not exist (a user column can never
// have their names: pgcatalog.SystemColumns).
const tableOIDColumn = "tableoid"

// tableOID resolves tableoid, qualified by table or not, among s's own
// columns: ok is false when no table of s has it (a subquery, a view,
// a function in FROM), and an unqualified name in a scope of two tables
// is ambiguous.
func (s *scope) tableOID(table string) (oid uint32, ok bool, ambiguous bool) {
	var owner string
	for _, c := range s.cols {
		if c.hidden || c.tableOID == 0 || c.view || table != "" && c.table != table {
			continue
		}
		if ok && c.table != owner {
			return 0, false, true
		}
		oid, owner, ok = c.tableOID, c.table, true
	}
	return oid, ok, false
}

// tableOIDRef is the value of the system column table.name in s (that
// of tableoid, an error for the others), or nil.
func (s *scope) tableOIDRef(table, name string, loc int32, query string) (Expr, error) {
	if !pgcatalog.IsSystemColumnName(name) {
		return nil, nil
	}
	oid, ok, ambiguous := s.tableOID(table)
	if ambiguous {
		return nil, errAmbiguous(name, loc, query)
	}
	if !ok {
		return nil, nil
	}
	if name != tableOIDColumn {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "system column \"%s\" is not supported", name).WithPosition(position(query, loc))
	}
	return &Const{Value: oid, T: catalog.TypeOid}, nil
}

// checkNotSystemColumnName refuses a new column named after a system
// column (CREATE TABLE, ADD COLUMN, RENAME COLUMN, CREATE TABLE AS), as
// PostgreSQL does.
func checkNotSystemColumnName(name string) error {
	if pgcatalog.IsSystemColumnName(name) {
		return pgerr.New(pgerr.DuplicateColumn, "column name \"%s\" conflicts with a system column name", name)
	}
	return nil
}
