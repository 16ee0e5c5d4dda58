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

//
// A key that WHERE equates to a constant (x2.id with 1 = x2.id) is the
// same mistake one step later: PostgreSQL takes the grouping sets' rows
// as all equal on it, though a set that leaves it out has NULL there. It
// puts DISTINCT's Unique straight above the hashed aggregate, or leaves
// the key out of the Sort below the Unique, so SELECT DISTINCT x2.id ...
// GROUP BY ROLLUP (..., x2.id) keeps the NULL of one set and drops the 1
// of another. The plan shows a grouping key that a filter compares with
// a constant.

// pgFoldsGroupingKey says whether PostgreSQL's plan for sql groups a
// grouping set by a constant, or takes a grouping key for one.
func (rn *Runner) pgFoldsGroupingKey(sql string) bool {
	plan := rn.PG.Run("EXPLAIN (VERBOSE) " + sql)
	if plan.Err != nil {
		return false
	}
	var lines []string
	for _, row := range plan.Rows {
		if len(row) == 1 {
			if planHasConstantKey(row[0]) {
				return true
			}
			lines = append(lines, row[0])
		}
	}
	return planHasUniqueOverHashAggregate(lines) || planGroupsByFilteredConstant(lines)
}

var filterLine = regexp.MustCompile(`^\s*(?:Filter|Join Filter|Index Cond|Recheck Cond): (.*)$`)

// equalsConstant matches col = constant or constant = col in a filter.
var equalsConstant = regexp.MustCompile(`\(([a-z_][a-z0-9_.]*) = ([^()=]+)\)|\(([^()=]+) = ([a-z_][a-z0-9_.]*)\)`)

// planGroupsByFilteredConstant says whether a plan groups by a column
// that one of its filters compares with a constant.
func planGroupsByFilteredConstant(lines []string) bool {
	constant := map[string]bool{}
	for _, line := range lines {
		m := filterLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		for _, eq := range equalsConstant.FindAllStringSubmatch(m[1], -1) {
			switch {
			case eq[1] != "" && constantKey.MatchString(strings.TrimSpace(eq[2])):
				constant[eq[1]] = true
			case eq[4] != "" && constantKey.MatchString(strings.TrimSpace(eq[3])):
				constant[eq[4]] = true
			}
		}
	}
	for _, line := range lines {
		m := groupKeyLine.FindStringSubmatch(line)
		if m == nil || strings.Contains(line, "Sort Key") {
			continue
		}
		for _, key := range splitTopLevel(m[1]) {
			if constant[strings.TrimSpace(key)] {
				return true
			}
		}
	}
	return false
}

// planNode is the operator an EXPLAIN line starts ("Unique",
// "MixedAggregate"), or "" for a line of details.
func planNode(line string) string {
	line = strings.TrimPrefix(strings.TrimSpace(line), "->  ")
	name, _, ok := strings.Cut(line, "  (")
	if !ok || strings.Contains(name, ":") {
		return ""
	}
	return name
}

// planHasUniqueOverHashAggregate says whether a plan puts a Unique node
// directly above a hashed (or mixed) aggregate, whose output is in no
// order.
func planHasUniqueOverHashAggregate(lines []string) bool {
	for i, line := range lines {
		if planNode(line) != "Unique" {
			continue
		}
		for _, next := range lines[i+1:] {
			if child := planNode(next); child != "" {
				if child == "HashAggregate" || child == "MixedAggregate" {
					return true
				}
				break
			}
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
