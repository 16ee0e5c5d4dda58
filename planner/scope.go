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
	// view marks a view's column: tableOID and attnum are the view's
	// (clients read them from RowDescription as PostgreSQL sends them),
	// but a view has no tableoid column.
	view bool
	// relation is the name of the base table the column was read from,
	// for the hint that suggests its alias (scope_missing.go).
	relation string
	// base is the table whose row the column is of, when the column is
	// read straight from a table in FROM (not a view, subquery or join
	// output): its primary key makes other columns functionally
	// dependent in GROUP BY (bind_functional_grouping.go).
	base *catalog.Table
	// hidden columns (the row id) are in the row but not nameable.
	hidden bool
	// usingCopy marks a table's own copy of a USING/NATURAL join column
	// (the merged column stands for both): hidden from unqualified names
	// and *, but reachable as table.name and in table.*.
	usingCopy bool
	// merged marks a USING/NATURAL join's merged column, which belongs to
	// no table of its own (not even under a join alias), so hints never
	// suggest it.
	merged bool
	// presence marks the hidden presence column of a FROM item that an
	// outer join may NULL-extend (bind_record_presence.go): true in
	// every row of the item, NULL in a NULL-extended one. Whole-row
	// references read it.
	presence bool
	// nullable marks a column of a FROM item on the nullable side of an
	// outer join.
	nullable bool
	// rowField is the column's name in the row type of its table or
	// view, which column aliases do not change: the field name of the
	// whole-row reference (bind_record.go).
	rowField string
	// lockTarget, when positive, marks the hidden column that carries
	// the row ids of the lockTarget-th table the query block locks
	// (bind_locking.go).
	lockTarget int
	// hiddenTable is the table a join alias hid the column's own table
	// name behind ((a JOIN b) AS j): "a" can no longer be written, but
	// errors and hints still name it, as PostgreSQL's range table does.
	hiddenTable string
}

// scope resolves column names for one query level. parent is the
// enclosing query, searched for correlated references; capture collects
// those references when this scope belongs to a subquery.
//
// A scope with lateral set holds the columns of the FROM items beside the
// one being bound (bind_lateral.go): those before it in the FROM list,
// and the left side of a JOIN whose right side it is. They are visible
// only while a LATERAL item (or a function in FROM) of that query level
// is being bound, lateral.active; otherwise they are skipped, but still
// named by errors, as PostgreSQL's lateral-only namespace items are.
type scope struct {
	cols    []scopeCol
	parent  *scope
	capture *outerCapture
	lateral *lateralState
	// lateralRefused marks the left side of a RIGHT or FULL join, which
	// its right side may see but not reference (42P10).
	lateralRefused bool
}

// lateralState is shared by the lateral scopes of one query level: it
// tells whether a LATERAL item of that level is being bound.
type lateralState struct{ active bool }

// visible reports whether s's columns can be referenced now.
func (s *scope) visible() bool { return s.lateral == nil || s.lateral.active }

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
	e, err := s.lookup(table, name, loc, query)
	if e != nil || err != nil {
		return e, err
	}
	return nil, s.notFound(table, name, loc, query)
}

// lookup is resolve without the error for a name found nowhere (nil,
// nil): the innermost scope builds that one, with the hint it chooses.
// A qualified name is looked for only in the nearest visible table of
// that name, as PostgreSQL does.
func (s *scope) lookup(table, name string, loc int32, query string) (Expr, error) {
	if s.visible() {
		idx, err := s.find(table, name, loc, query)
		if err != nil {
			return nil, err
		}
		if idx >= 0 {
			c := s.cols[idx]
			if s.lateralRefused {
				e := (&pgerr.Error{Code: pgerr.InvalidColumnReference, Message: "invalid reference to FROM-clause entry for table \"" + c.table + "\""}).WithPosition(position(query, loc))
				e.Detail = "The combining JOIN type must be INNER or LEFT for a LATERAL reference."
				return nil, e
			}
			if table == "" && s.lateral != nil {
				// The FROM items beside one are one namespace: a name
				// in two of them is ambiguous, as within one.
				for p := s.parent; p != nil && p.lateral == s.lateral; p = p.parent {
					if i, _ := p.find("", name, loc, query); i >= 0 {
						return nil, errAmbiguous(name, loc, query)
					}
				}
			}
			return &ColRef{Index: idx, T: c.t, Name: c.name}, nil
		}
		if e, err := s.tableOIDRef(table, name, loc, query); e != nil || err != nil {
			return e, err
		}
		if table != "" && s.ownsTable(table) {
			return nil, nil
		}
	}
	if s.parent != nil && s.capture != nil {
		outer, err := s.parent.lookup(table, name, loc, query)
		if outer == nil || err != nil {
			return nil, err
		}
		return &OuterRef{Index: s.capture.add(outer), T: outer.Type()}, nil
	}
	return nil, nil
}

// reach returns an expression that reads, at s's query level, the value
// e computes at the level of target, a scope that s is bound within: e
// is captured through each query level in between, as lookup captures a
// column it finds in an enclosing scope.
func (s *scope) reach(target *scope, e Expr) Expr {
	if s == target {
		return e
	}
	return &OuterRef{Index: s.capture.add(s.parent.reach(target, e)), T: e.Type()}
}

// find is the index of the column table.name among s's own columns, -1
// if none.
func (s *scope) find(table, name string, loc int32, query string) (int, error) {
	idx := -1
	for i, c := range s.cols {
		if (c.hidden && !(c.usingCopy && table != "")) || c.name != name || (table != "" && c.table != table) {
			continue
		}
		if idx >= 0 {
			return -1, errAmbiguous(name, loc, query)
		}
		idx = i
	}
	return idx, nil
}

func errAmbiguous(name string, loc int32, query string) error {
	return (&pgerr.Error{Code: pgerr.AmbiguousColumn, Message: "column reference \"" + name + "\" is ambiguous"}).WithPosition(position(query, loc))
}

// ownsTable reports whether one of s's own columns belongs to table.
func (s *scope) ownsTable(table string) bool {
	for _, c := range s.cols {
		if c.table == table {
			return true
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

// expandStar returns the columns table.* (or * for an empty table) stands
// for, with an expression reading each: columns of s itself, or, for a
// table of an enclosing query or a FROM item beside this one, that
// table's columns read through the captures in between, as resolve reads
// them.
func (s *scope) expandStar(table string) ([]Expr, []scopeCol) {
	var exprs []Expr
	var cols []scopeCol
	if s.visible() {
		for _, i := range s.tableCols(table) {
			c := s.cols[i]
			exprs = append(exprs, &ColRef{Index: i, T: c.t, Name: c.name})
			cols = append(cols, c)
		}
		if len(cols) > 0 || table == "" || s.ownsTable(table) {
			return exprs, cols
		}
	}
	if s.parent == nil || s.capture == nil {
		return nil, nil
	}
	outer, ocols := s.parent.expandStar(table)
	for i, e := range outer {
		exprs = append(exprs, &OuterRef{Index: s.capture.add(e), T: e.Type()})
		cols = append(cols, ocols[i])
	}
	return exprs, cols
}
