package planner

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
)

// indexColumnOption is the sort order an index key column declares (ASC
// or DESC, NULLS FIRST or LAST), as catalog.Index.Options keeps it: DESC
// puts NULLs first unless it says otherwise, as in PostgreSQL.
func indexColumnOption(e *pg_query.IndexElem) int16 {
	var opt int16
	if e.Ordering == pg_query.SortByDir_SORTBY_DESC {
		opt = catalog.IndexDesc | catalog.IndexNullsFirst
	}
	switch e.NullsOrdering {
	case pg_query.SortByNulls_SORTBY_NULLS_FIRST:
		opt |= catalog.IndexNullsFirst
	case pg_query.SortByNulls_SORTBY_NULLS_LAST:
		opt &^= catalog.IndexNullsFirst
	}
	return opt
}
