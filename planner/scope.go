package planner

import (
	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// scopeCol is a column a name can resolve to: one column of the current
// FROM clause's combined row.
type scopeCol struct {
	table    string // the table's name or alias as SQL sees it
	name     string
	t        catalog.Type
	tableOID uint32
	attnum   int16
	// hidden columns (the row id) are in the row but not nameable.
	hidden bool
	// usingCopy marks a table's own copy of a USING/NATURAL join column
	// (the merged column stands for both): hidden from unqualified names
	// and *, but reachable as table.name and in table.*.
	usingCopy bool
}

// scope resolves column names for one query level. parent is the
// enclosing query, searched for correlated references; capture collects
// those references when this scope belongs to a subquery.
type scope struct {
	cols    []scopeCol
	parent  *scope
	capture *outerCapture
}

// outerCapture records the outer values a subquery reads: each is an
// expression over the enclosing query's input, and the subquery reads the
// i-th as OuterRef{Index: i}.
type outerCapture struct {
	cols []Expr
	keys map[string]int
}

func (c *outerCapture) add(e Expr) int {
	k := exprKey(e)
	if i, ok := c.keys[k]; ok {
		return i
	}
	if c.keys == nil {
		c.keys = map[string]int{}
	}
	c.cols = append(c.cols, e)
	c.keys[k] = len(c.cols) - 1
	return len(c.cols) - 1
}

// resolve finds table.name (table may be empty) in s or its parents.
func (s *scope) resolve(table, name string, loc int32, query string) (Expr, error) {
	idx := -1
	for i, c := range s.cols {
		if (c.hidden && !(c.usingCopy && table != "")) || c.name != name || (table != "" && c.table != table) {
			continue
		}
		if idx >= 0 {
			return nil, (&pgerr.Error{Code: pgerr.AmbiguousColumn, Message: "column reference \"" + name + "\" is ambiguous"}).WithPosition(position(query, loc))
		}
		idx = i
	}
	if idx >= 0 {
		c := s.cols[idx]
		return &ColRef{Index: idx, T: c.t, Name: c.name}, nil
	}
	if s.parent != nil && s.capture != nil {
		outer, err := s.parent.resolve(table, name, loc, query)
		if err != nil {
			return nil, s.withMisspeltHint(err, table, name)
		}
		return &OuterRef{Index: s.capture.add(outer), T: outer.Type()}, nil
	}
	if table != "" && !s.hasTable(table) {
		return nil, (&pgerr.Error{Code: pgerr.UndefinedTable, Message: "missing FROM-clause entry for table \"" + table + "\""}).WithPosition(position(query, loc))
	}
	// As PostgreSQL: a qualified name is printed as written, without
	// quotes; an unqualified one in quotes.
	full := quoteIdentIfNeeded(name)
	if table != "" {
		full = table + "." + name
	}
	return nil, s.withMisspeltHint((&pgerr.Error{Code: pgerr.UndefinedColumn, Message: "column " + full + " does not exist"}).WithPosition(position(query, loc)), table, name)
}

// withMisspeltHint gives an undefined-column error the hint of the
// columns in scope closest to table.name. An error coming back from an
// enclosing query's scope gets it again here, so the hint is chosen from
// the innermost query outwards.
func (s *scope) withMisspeltHint(err error, table, name string) error {
	if e, ok := err.(*pgerr.Error); ok && e.Code == pgerr.UndefinedColumn {
		e.Hint = s.misspeltColumnHint(table, name)
	}
	return err
}

func (s *scope) hasTable(table string) bool {
	for p := s; p != nil; p = p.parent {
		for _, c := range p.cols {
			if c.table == table {
				return true
			}
		}
	}
	return false
}

func quoteIdentIfNeeded(s string) string { return "\"" + s + "\"" }

// tableCols returns the indexes of the visible columns of table (or of all
// tables when table is empty), for * expansion.
func (s *scope) tableCols(table string) []int {
	var out []int
	for i, c := range s.cols {
		if table == "" && !c.hidden || table != "" && c.table == table && (!c.hidden || c.usingCopy) {
			out = append(out, i)
		}
	}
	return out
}
