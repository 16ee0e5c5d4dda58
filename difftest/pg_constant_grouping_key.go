package difftest

import (
	"regexp"
	"strings"
)

// PostgreSQL 15 folds a grouping key that is constant after
// simplification (COALESCE(38.5, x), CASE WHEN true THEN 3 ELSE y END)
// to a Const, and a node above the aggregate (DISTINCT's Unique, a
// projection) may then read that Const instead of the grouped column, so
// the grouping set that leaves the key out shows 38.5 where SQL says NULL.
// EXPLAIN VERBOSE names the folded key ("Group Key: 38.5"); a difference
// in such a query is PostgreSQL's, and no comparison can decide it.

// pgFoldsGroupingKey says whether PostgreSQL's plan for sql groups a
// grouping set by a constant.
func (rn *Runner) pgFoldsGroupingKey(sql string) bool {
	plan := rn.PG.Run("EXPLAIN (VERBOSE) " + sql)
	if plan.Err != nil {
		return false
	}
	for _, row := range plan.Rows {
		if len(row) == 1 && planHasConstantKey(row[0]) {
			return true
		}
	}
	return false
}

var groupKeyLine = regexp.MustCompile(`^\s*(?:->\s*)?(?:Group Key|Hash Key|Sort Key): (.*)$`)

// constantKey matches a literal as EXPLAIN prints it: a number, a quoted
// string with an optional cast, NULL or a boolean, in optional parentheses.
var constantKey = regexp.MustCompile(`^\(*(?:-?[0-9][0-9.e+-]*|'(?:[^']|'')*'|NULL|true|false)(?:::[a-z][a-z0-9 _"()]*(?:\[\])?)?\)*$`)

// planHasConstantKey says whether one EXPLAIN line lists a grouping key
// that is a constant.
func planHasConstantKey(line string) bool {
	m := groupKeyLine.FindStringSubmatch(line)
	if m == nil {
		return false
	}
	for _, key := range splitTopLevel(m[1]) {
		if constantKey.MatchString(strings.TrimSpace(key)) {
			return true
		}
	}
	return false
}

// splitTopLevel splits a list at the commas outside parentheses and
// quotes.
func splitTopLevel(s string) []string {
	var parts []string
	depth, start, quoted := 0, 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\'':
			quoted = !quoted
		case quoted:
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == ',' && depth == 0:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}
