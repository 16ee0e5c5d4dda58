package planner

import "github.com/pqdb/pqdb/pgerr"

// notFound is the error for table.name (table may be empty) that resolves
// to no column of s or its parents, as parse_relation.c words it: a
// table that is nowhere visible is a missing FROM-clause entry (or an
// invalid reference, when it exists where it cannot be referenced); a
// column gets the hint of the column closest to the name written.
func (s *scope) notFound(table, name string, loc int32, query string) error {
	if table != "" && !s.tableVisible(table) {
		return s.missingTable(table, loc, query)
	}
	// As PostgreSQL: a qualified name is printed as written, without
	// quotes; an unqualified one in quotes.
	full := quoteIdentIfNeeded(name)
	if table != "" {
		full = table + "." + name
	}
	e := (&pgerr.Error{Code: pgerr.UndefinedColumn, Message: "column " + full + " does not exist"}).WithPosition(position(query, loc))
	e.Hint = s.misspeltColumnHint(table, name)
	return e
}

// tableVisible reports whether a column of table can be referenced from
// s: it is in s or a parent, and not in a lateral scope while no LATERAL
// item is being bound.
func (s *scope) tableVisible(table string) bool {
	for p := s; p != nil; p = p.parent {
		if p.visible() && p.ownsTable(table) {
			return true
		}
	}
	return false
}

// missingTable is the error for table.name or table.* when no visible
// FROM item is called table, as errorMissingRTE words it: when some FROM
// item is known by that name but cannot be referenced from here (an item
// beside a non-LATERAL one, a table hidden by a join alias), or is the
// table of an alias, the error says so.
func (s *scope) missingTable(table string, loc int32, query string) error {
	for p := s; p != nil; p = p.parent {
		for _, c := range p.cols {
			rte := c.table
			if c.hiddenTable != "" {
				rte = c.hiddenTable
			}
			if rte != table && c.relation != table {
				continue
			}
			e := (&pgerr.Error{Code: pgerr.UndefinedTable, Message: "invalid reference to FROM-clause entry for table \"" + table + "\""}).WithPosition(position(query, loc))
			if rte != table && c.hiddenTable == "" && s.tableVisible(rte) {
				e.Hint = "Perhaps you meant to reference the table alias \"" + rte + "\"."
			} else {
				e.Hint = "There is an entry for table \"" + rte + "\", but it cannot be referenced from this part of the query."
			}
			return e
		}
	}
	return (&pgerr.Error{Code: pgerr.UndefinedTable, Message: "missing FROM-clause entry for table \"" + table + "\""}).WithPosition(position(query, loc))
}

// A misspelled column gets PostgreSQL's hint ("Perhaps you meant to
// reference the column "t.name"."), chosen as parse_relation.c's
// searchRangeTableForCol and updateFuzzyAttrMatchState choose it: every
// column of every table in scope, innermost query first, is scored by its
// Levenshtein distance from the name written, plus, when the name was
// qualified, the distance between the qualifier and the column's table.
// Distances above 3, or above half the written name's length, never match.
// The closest column is suggested; two equally close ones are both
// suggested; three or more are none. A column of exactly that name (in a
// table of exactly that name, when qualified) that could not be
// referenced, because it is in a FROM item beside a non-LATERAL one, is
// named as such.

// maxFuzzyDistance is PostgreSQL's MAX_FUZZY_DISTANCE.
const maxFuzzyDistance = 3

type fuzzyMatch struct {
	distance      int
	first, second *scopeCol
}

// misspeltColumnHint is the hint for table.name (table may be empty),
// which resolves to no column of s or its parents; "" when nothing is
// close enough.
func (s *scope) misspeltColumnHint(table, name string) string {
	m := fuzzyMatch{distance: maxFuzzyDistance + 1}
	for sc := s; sc != nil; sc = sc.parent {
		for i := range sc.cols {
			c := &sc.cols[i]
			if c.table == "" || c.merged || c.hidden && !c.usingCopy && c.hiddenTable == "" {
				continue // a join's merged column, or the row id
			}
			rte := c.hintTable()
			penalty := 0
			if table != "" {
				penalty = levenshtein(table, rte)
			}
			if penalty == 0 && c.name == name && !sc.visible() {
				return "There is a column named \"" + name + "\" in table \"" + rte + "\", but it cannot be referenced from this part of the query."
			}
			m.consider(penalty, c, name)
		}
	}
	switch {
	case m.first == nil:
		return ""
	case m.second == nil:
		return "Perhaps you meant to reference the column \"" + m.first.hintTable() + "." + m.first.name + "\"."
	}
	return "Perhaps you meant to reference the column \"" + m.first.hintTable() + "." + m.first.name +
		"\" or the column \"" + m.second.hintTable() + "." + m.second.name + "\"."
}

// hintTable is the table a hint names c by: its own table, also when a
// join alias hides that name (PostgreSQL's hints never name a join).
func (c *scopeCol) hintTable() string {
	if c.hiddenTable != "" {
		return c.hiddenTable
	}
	return c.table
}

// consider scores column c against the written name, as
// updateFuzzyAttrMatchState does.
func (m *fuzzyMatch) consider(penalty int, c *scopeCol, name string) {
	if penalty > m.distance {
		return
	}
	d := levenshtein(c.name, name)
	if d > len(name)/2 {
		return // more than half the characters differ: not a suggestion
	}
	d += penalty
	switch {
	case d < m.distance:
		*m = fuzzyMatch{distance: d, first: c}
	case d == m.distance:
		switch {
		case m.second != nil:
			// A third equally close column: nothing at this distance
			// is a useful hint.
			*m = fuzzyMatch{distance: d - 1}
		case m.first != nil:
			m.second = c
		default:
			m.first = c
		}
	}
}

// levenshtein is the edit distance between a and b, in characters, each
// insertion, deletion and substitution costing 1.
func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
