package planner

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/pgerr"
)

// cte is a WITH query in scope. A reference to it binds its query in
// place, like a view, with only the CTEs defined before it visible.
type cte struct {
	def *pg_query.CommonTableExpr
	// depth is the length of the CTE stack when it was defined: binding
	// it sees only ctes[:depth].
	depth int
	// rec is set for a WITH RECURSIVE query that names itself, which is
	// bound once where it is defined (bind_recursive.go).
	rec *recursiveCTE
	// mod, for a data-modifying query, is 1 + its index in
	// binder.modifying (bind_modifying_cte.go).
	mod int
}

// pushWith brings a WITH clause's queries into scope and returns how to
// take them out again.
func (b *binder) pushWith(w *pg_query.WithClause) (func(), error) {
	if w == nil {
		return func() {}, nil
	}
	saved := len(b.ctes)
	seen := map[string]bool{}
	for _, n := range w.Ctes {
		c := n.GetCommonTableExpr()
		if seen[c.Ctename] {
			return nil, b.errAt(pgerr.DuplicateAlias, c.Location, "WITH query name \"%s\" specified more than once", c.Ctename)
		}
		seen[c.Ctename] = true
		if c.Ctequery.GetSelectStmt() == nil {
			if err := b.checkModifyingCTE(w, c); err != nil {
				return nil, err
			}
		}
	}
	if w.Recursive {
		return b.pushRecursiveWith(w)
	}
	for _, n := range w.Ctes {
		c := n.GetCommonTableExpr()
		if err := b.checkSearchCycle(c, false); err != nil {
			b.ctes = b.ctes[:saved]
			return nil, err
		}
		e := cte{def: c, depth: len(b.ctes)}
		if c.Ctequery.GetSelectStmt() == nil {
			// Bound here, once, with the WITH queries before it in scope.
			var err error
			if e.mod, err = b.bindModifyingCTE(c); err != nil {
				b.ctes = b.ctes[:saved]
				return nil, err
			}
		}
		b.ctes = append(b.ctes, e)
	}
	return func() { b.ctes = b.ctes[:saved] }, nil
}

// lookupCTE finds the innermost WITH query of that name.
func (b *binder) lookupCTE(name string) (cte, bool) {
	for i := len(b.ctes) - 1; i >= 0; i-- {
		if b.ctes[i].def.Ctename == name {
			return b.ctes[i], true
		}
	}
	return cte{}, false
}

// bindCTERef binds a FROM-clause reference to a WITH query.
func (b *binder) bindCTERef(c cte, rv *pg_query.RangeVar) (Node, []scopeCol, error) {
	if c.rec != nil {
		return b.bindRecursiveRef(c, rv)
	}
	if c.mod > 0 {
		return b.bindModifiedRef(c, rv)
	}
	saved := b.ctes
	b.ctes = b.ctes[:c.depth:c.depth]
	node, rcols, err := b.bindSelect(c.def.Ctequery.GetSelectStmt(), nil, nil)
	b.ctes = saved
	if err != nil {
		return nil, nil, err
	}
	cols, err := b.cteColumns(c, rv, rcols)
	if err != nil {
		return nil, nil, err
	}
	return node, cols, nil
}

// cteColumns names the columns rcols of a reference rv to the WITH query
// c: by the query's column list, then by rv's alias.
func (b *binder) cteColumns(c cte, rv *pg_query.RangeVar, rcols []ResultColumn) ([]scopeCol, error) {
	alias := c.def.Ctename
	if rv.Alias != nil {
		alias = rv.Alias.Aliasname
	}
	if len(c.def.Aliascolnames) > len(rcols) {
		return nil, b.errAt(pgerr.InvalidColumnReference, c.def.Location, "WITH query \"%s\" has %d columns available but %d columns specified", c.def.Ctename, len(rcols), len(c.def.Aliascolnames))
	}
	cols := make([]scopeCol, len(rcols))
	for i, rc := range rcols {
		name := rc.Name
		if i < len(c.def.Aliascolnames) {
			name = c.def.Aliascolnames[i].GetString_().Sval
		}
		cols[i] = scopeCol{table: alias, name: name, t: rc.Type}
	}
	if err := applyColumnAliases(cols, rv.Alias); err != nil {
		return nil, err
	}
	return cols, nil
}
