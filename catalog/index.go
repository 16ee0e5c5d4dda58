package catalog

import (
	"slices"
	"strings"
)

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

// IndexExpr is an expression key column of an index: its SQL text as
// written (re-bound where used, as CHECK constraints are), and what
// CREATE INDEX settled on for the index's column, as pg_attribute lists
// it: its name (lower, expr, expr1, ...) and the expression's type.
type IndexExpr struct {
	SQL  string `json:"sql"`
	Name string `json:"name"`
	Type Type   `json:"type"`
}

// Computed reports whether the index's keys are not just columns of its
// rows: it has expression key columns or a predicate.
func (ix *Index) Computed() bool { return len(ix.Exprs) > 0 || ix.Predicate != "" }

// KeyExpr returns the expression of the index's i-th key column, and
// false for a plain column.
func (ix *Index) KeyExpr(i int) (IndexExpr, bool) {
	if ix.Columns[i] != "" {
		return IndexExpr{}, false
	}
	k := 0
	for _, c := range ix.Columns[:i] {
		if c == "" {
			k++
		}
	}
	return ix.Exprs[k], true
}

// ColumnName is the name of the index's i-th key column: the table
// column's, or the expression column's.
func (ix *Index) ColumnName(i int) string {
	if e, ok := ix.KeyExpr(i); ok {
		return e.Name
	}
	return ix.Columns[i]
}

// ExprsText is what pqdb serves as pg_index.indexprs: the SQL texts of
// the index's expressions, comma-separated as pg_get_expr prints the
// list; "" for none.
func (ix *Index) ExprsText() string {
	texts := make([]string, len(ix.Exprs))
	for k, e := range ix.Exprs {
		texts[k] = e.SQL
	}
	return strings.Join(texts, ", ")
}
