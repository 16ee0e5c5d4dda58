package planner

import "github.com/pqdb/pqdb/exec"

// Functional dependency in GROUP BY.
//
// As in PostgreSQL, a query grouped by every column of a table's primary
// key may read the table's other columns outside aggregates
// (SELECT u.id, u.name, count(*) FROM users u JOIN orders o ... GROUP BY
// u.id): within a group they have one value, since the key picks one row
// of the table. The key's columns must be plain columns of that FROM
// item (not of a view, subquery or join output), and the GROUP BY plain,
// without grouping sets. Such a column is grouped on as well, which
// leaves the groups as they are and makes it an output of the
// aggregate like the others.
//
// The aggregate then hashes only what the groups depend on
// (carryDependentKeys): a group key that is a column of a FROM table
// whose primary key is grouped becomes an any_value aggregate, and a
// projection puts the columns back in the order the query's groups
// have. TPC-H Q10 groups by a customer's key and six of its columns,
// long strings among them, that then stop being hashed and compared for
// every joined row.

// dependentGroups returns groups with the columns of fromCols that exprs
// read outside aggregate calls and that depend on grouped primary keys
// appended, each once.
func dependentGroups(groups []Expr, fromCols []scopeCol, exprs []Expr) []Expr {
	grouped := map[string]bool{}
	for _, g := range groups {
		grouped[exprKey(g)] = true
	}
	for _, e := range exprs {
		ungroupedRefs(e, func(c *ColRef) {
			if !grouped[exprKey(c)] && keyGrouped(fromCols[c.Index], groups, fromCols) {
				grouped[exprKey(c)] = true
				groups = append(groups, c)
			}
		})
	}
	return groups
}

// ungroupedRefs calls fn with the column references of e that are read
// per group: outside aggregate calls, but in their direct arguments.
func ungroupedRefs(e Expr, fn func(*ColRef)) {
	switch x := e.(type) {
	case nil:
		return
	case *ColRef:
		fn(x)
		return
	case *AggRef:
		ungroupedRefs(x.Direct, fn)
		return
	}
	for _, c := range children(e) {
		ungroupedRefs(c, fn)
	}
}

// keyGrouped reports whether col is of a FROM table whose primary key
// columns, of the same FROM item, are all among groups.
func keyGrouped(col scopeCol, groups []Expr, fromCols []scopeCol) bool {
	t := col.base
	return t != nil && t.PrimaryKeyCovered(func(k int) bool {
		for _, g := range groups {
			if r, ok := g.(*ColRef); ok {
				gc := fromCols[r.Index]
				if gc.base == t && gc.table == col.table && int(gc.attnum) == k+1 {
					return true
				}
			}
		}
		return false
	})
}

// carryDependentKeys rewrites agg, a plain GROUP BY over fromCols, to
// group by its keys that no grouped primary key determines, reading the
// others through any_value, and returns the projection of its output in
// the original order (groups, then aggregates); or agg when no key is
// determined by another.
func carryDependentKeys(agg *Aggregate, fromCols []scopeCol) Node {
	var keep, carried []int
	for i, g := range agg.Groups {
		if c, ok := g.(*ColRef); ok && dependentColumn(fromCols[c.Index], agg.Groups, fromCols) {
			carried = append(carried, i)
		} else {
			keep = append(keep, i)
		}
	}
	if len(carried) == 0 {
		return agg
	}
	exprs := make([]Expr, len(agg.Groups)+len(agg.Aggs))
	groups := make([]Expr, 0, len(keep))
	for _, i := range keep {
		g := agg.Groups[i]
		exprs[i] = &ColRef{Index: len(groups), T: g.Type(), Name: g.String()}
		groups = append(groups, g)
	}
	aggs := append([]*AggRef(nil), agg.Aggs...)
	for j, a := range aggs {
		exprs[len(agg.Groups)+j] = &ColRef{Index: len(groups) + j, T: a.T, Name: a.String()}
	}
	for _, i := range carried {
		g := agg.Groups[i]
		exprs[i] = &ColRef{Index: len(groups) + len(aggs), T: g.Type(), Name: g.String()}
		aggs = append(aggs, &AggRef{Agg: exec.AggAnyValue, Args: []Expr{g}, T: g.Type()})
	}
	agg.Groups, agg.Aggs = groups, aggs
	return &Project{Input: agg, Exprs: exprs}
}

// dependentColumn reports whether col is a column, not of the primary
// key, of a FROM table whose primary key columns are all among groups.
func dependentColumn(col scopeCol, groups []Expr, fromCols []scopeCol) bool {
	if col.base == nil {
		return false
	}
	for _, k := range col.base.PrimaryKey {
		if int(col.attnum) == k+1 {
			return false
		}
	}
	return keyGrouped(col, groups, fromCols)
}
