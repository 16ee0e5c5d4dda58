package planner

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/pgerr"
)

// aliasJoin applies a JOIN's aliases to its columns cols (in SQL's order).
//
// (a JOIN b ...) AS j names the join's columns j.x, optionally renamed by
// a column list AS j(c1, c2, ...); a and b are hidden behind it: a.x is
// an invalid reference (whose error still names a, as the hints do). The
// tables' own copies of USING columns are no longer reachable at all.
//
// a JOIN b USING (x) AS j (PostgreSQL 15's join_using_alias) only names
// the merged USING columns j.x; a and b stay visible.
func (b *binder) aliasJoin(j *pg_query.JoinExpr, node Node, cols []scopeCol) (Node, []scopeCol, error) {
	if j.JoinUsingAlias == nil && j.Alias == nil {
		return node, cols, nil
	}
	cols = append([]scopeCol(nil), cols...)
	if a := j.JoinUsingAlias; a != nil {
		for i := range cols {
			if cols[i].merged {
				cols[i].table = a.Aliasname
			} else if cols[i].table == a.Aliasname {
				return nil, nil, pgerr.New(pgerr.DuplicateAlias, "table name \"%s\" specified more than once", a.Aliasname)
			}
		}
	}
	a := j.Alias
	if a == nil {
		return node, cols, nil
	}
	visible := 0
	for i := range cols {
		c := &cols[i]
		// The presence columns of the items j hides belong to no
		// table any more: j's whole row is a row of its columns
		// (bind_record_presence.go).
		switch {
		case c.usingCopy:
			c.hidden, c.usingCopy = true, false
		case c.presence:
			c.table = ""
			continue
		case c.hidden:
			continue // the row id
		default:
			visible++
		}
		if c.hiddenTable == "" && !c.merged {
			c.hiddenTable = c.table
		}
		c.table = a.Aliasname
	}
	if len(a.Colnames) > visible {
		return nil, nil, pgerr.New(pgerr.InvalidColumnReference, "join expression \"%s\" has %d columns available but %d columns specified", a.Aliasname, visible, len(a.Colnames))
	}
	k := 0
	for i := range cols {
		if cols[i].hidden || k >= len(a.Colnames) {
			continue
		}
		cols[i].name = a.Colnames[k].GetString_().Sval
		k++
	}
	return node, cols, nil
}
