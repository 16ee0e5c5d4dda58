package planner

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/catalog/pgcatalog"
	"github.com/pqdb/pqdb/pgerr"
)

// indexMethod is what an index access method of PostgreSQL 15 can do,
// as its IndexAmRoutine says (amcanorder, amcanunique, amcanmulticol,
// amcaninclude). pqdb records an index of any of them and refuses what
// PostgreSQL refuses.
type indexMethod struct{ order, unique, multicolumn, include bool }

var indexMethods = map[string]indexMethod{
	"btree":  {order: true, unique: true, multicolumn: true, include: true},
	"hash":   {},
	"gist":   {multicolumn: true, include: true},
	"gin":    {multicolumn: true},
	"spgist": {include: true},
	"brin":   {multicolumn: true},
}

// bindIndexMethod checks CREATE INDEX's access method (USING, btree by
// default) against what the index asks of it, in PostgreSQL's order.
func bindIndexMethod(s *pg_query.IndexStmt) (string, indexMethod, error) {
	name := s.AccessMethod
	if name == "" {
		name = "btree"
	}
	m, ok := indexMethods[name]
	switch {
	case !ok:
		return "", m, pgerr.New(pgerr.UndefinedObject, "access method \"%s\" does not exist", name)
	case s.Unique && !m.unique:
		return "", m, pgerr.Unsupported("access method \"%s\" does not support unique indexes", name)
	case len(s.IndexIncludingParams) > 0 && !m.include:
		return "", m, pgerr.Unsupported("access method \"%s\" does not support included columns", name)
	case len(s.IndexParams) > 1 && !m.multicolumn:
		return "", m, pgerr.Unsupported("access method \"%s\" does not support multicolumn indexes", name)
	}
	return name, m, nil
}

// checkIndexOrder refuses ASC, DESC, NULLS FIRST and NULLS LAST on an
// index column of a method that keeps no order.
func checkIndexOrder(name string, m indexMethod, e *pg_query.IndexElem) error {
	switch {
	case m.order:
	case e.Ordering != pg_query.SortByDir_SORTBY_DEFAULT:
		return pgerr.Unsupported("access method \"%s\" does not support ASC/DESC options", name)
	case e.NullsOrdering != pg_query.SortByNulls_SORTBY_NULLS_DEFAULT:
		return pgerr.Unsupported("access method \"%s\" does not support NULLS FIRST/LAST options", name)
	}
	return nil
}

// checkConstraintIndex refuses what a PRIMARY KEY or UNIQUE constraint
// may ask of its index that pqdb does not keep: INCLUDE (...) (CREATE
// INDEX ... INCLUDE does keep it), and NULLS NOT DISTINCT, which pqdb's
// unique checks do not implement.
func checkConstraintIndex(c *pg_query.Constraint) error {
	if len(c.Including) > 0 {
		return pgerr.Unsupported("INCLUDE in a PRIMARY KEY or UNIQUE constraint is not supported")
	}
	if c.NullsNotDistinct {
		return pgerr.Unsupported("NULLS NOT DISTINCT is not supported")
	}
	return nil
}

// checkIndexStatement refuses what CREATE INDEX may ask that pqdb does
// not keep: NULLS NOT DISTINCT, which its unique checks do not
// implement, and storage parameters. The only tablespace is pg_default.
func checkIndexStatement(s *pg_query.IndexStmt) error {
	switch {
	case s.NullsNotDistinct:
		return pgerr.Unsupported("NULLS NOT DISTINCT is not supported")
	case len(s.Options) > 0:
		return pgerr.Unsupported("storage parameters of indexes are not supported")
	case s.TableSpace != "" && s.TableSpace != "pg_default":
		return pgerr.New(pgerr.UndefinedObject, "tablespace \"%s\" does not exist", s.TableSpace)
	}
	return nil
}

// indexOpclass binds the operator class an index key column of type typ
// names: "" for none, or for the type's default, whose name
// pg_get_indexdef does not print.
func indexOpclass(method string, e *pg_query.IndexElem, typ catalog.Type) (string, error) {
	switch {
	case len(e.Opclassopts) > 0:
		return "", pgerr.Unsupported("operator class options are not supported")
	case e.Collation != nil:
		return "", pgerr.Unsupported("COLLATE in an index column is not supported")
	case len(e.Opclass) == 0:
		return "", nil
	}
	var parts []string
	for _, n := range e.Opclass {
		parts = append(parts, n.GetString_().GetSval())
	}
	name := parts[len(parts)-1]
	oid, accepts := pgcatalog.Opclass(method, name, typ)
	if oid == 0 || len(parts) > 2 || len(parts) == 2 && parts[0] != "pg_catalog" {
		return "", pgerr.New(pgerr.UndefinedObject, "operator class \"%s\" does not exist for access method \"%s\"", strings.Join(parts, "."), method)
	}
	if !accepts {
		return "", pgerr.New(pgerr.DatatypeMismatch, "operator class \"%s\" does not accept data type %s", name, typ)
	}
	if oid == pgcatalog.DefaultOpclass(method, typ) {
		return "", nil
	}
	return name, nil
}
