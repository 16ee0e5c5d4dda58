package catalog

import "slices"

// The bits of an index column's sort order (Index.Options), PostgreSQL's
// INDOPTION_DESC and INDOPTION_NULLS_FIRST.
const (
	IndexDesc       int16 = 1
	IndexNullsFirst int16 = 2
)

// AccessMethod is the index's access method, as pg_am.amname.
func (ix *Index) AccessMethod() string {
	if ix.Method == "" {
		return "btree"
	}
	return ix.Method
}

// Stores reports whether the index holds column col, as a key column or
// an INCLUDE one.
func (ix *Index) Stores(col string) bool {
	return slices.Contains(ix.Columns, col) || slices.Contains(ix.Include, col)
}

// Opclass is the operator class the index's i-th key column names, or
// "" for its type's default.
func (ix *Index) Opclass(i int) string {
	if i < len(ix.Opclasses) {
		return ix.Opclasses[i]
	}
	return ""
}

// Option is the sort order of the index's i-th key column.
func (ix *Index) Option(i int) int16 {
	if i < len(ix.Options) {
		return ix.Options[i]
	}
	return 0
}

// IndexOptionSQL is how CREATE INDEX spells a key column's sort order
// (" DESC", " NULLS FIRST", ...), as PostgreSQL's pg_get_indexdef does:
// only what differs from the direction's default.
func IndexOptionSQL(opt int16) string {
	switch {
	case opt&IndexDesc != 0 && opt&IndexNullsFirst == 0:
		return " DESC NULLS LAST"
	case opt&IndexDesc != 0:
		return " DESC"
	case opt&IndexNullsFirst != 0:
		return " NULLS FIRST"
	}
	return ""
}
