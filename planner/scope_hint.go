package planner

// A misspelled column gets PostgreSQL's hint ("Perhaps you meant to
// reference the column "t.name"."), chosen as parse_relation.c's
// searchRangeTableForCol and updateFuzzyAttrMatchState choose it: every
// column of every table in scope, innermost query first, is scored by its
// Levenshtein distance from the name written, plus, when the name was
// qualified, the distance between the qualifier and the column's table.
// Distances above 3, or above half the written name's length, never match.
// The closest column is suggested; two equally close ones are both
// suggested; three or more are none.

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
			if c.table == "" || c.hidden && !c.usingCopy {
				continue // a join's merged column, or the row id
			}
			penalty := 0
			if table != "" {
				penalty = levenshtein(table, c.table)
			}
			m.consider(penalty, c, name)
		}
	}
	switch {
	case m.first == nil:
		return ""
	case m.second == nil:
		return "Perhaps you meant to reference the column \"" + m.first.table + "." + m.first.name + "\"."
	}
	return "Perhaps you meant to reference the column \"" + m.first.table + "." + m.first.name +
		"\" or the column \"" + m.second.table + "." + m.second.name + "\"."
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
