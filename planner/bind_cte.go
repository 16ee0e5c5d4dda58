package planner

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/pgerr"
)

// cte is a WITH query in scope. A reference to it binds its query in
// place, like a view, with only the CTEs defined before it visible.
//
// A WITH query sees the values of the queries around the query block
// whose WITH defines it, as PostgreSQL's does (a WITH inside a correlated
// or LATERAL subquery reads the outer row): it is bound beside that
// block, over outer, the block's enclosing scope, with a capture of its
// own, and each reference then reads those values through the query
// levels between it and outer (scope.reach), so the query is evaluated
// wherever it is named, as the subquery holding it is. A query reading
// no outer value stays independent of the outer row.
type cte struct {
	def *pg_query.CommonTableExpr
	// depth is the length of the CTE stack when it was defined: binding
	// it sees only ctes[:depth].
	depth int
	// outer is the enclosing scope of the query block whose WITH defines
	// the query, nil at the top level.
	outer *scope
	// rec is set for a WITH RECURSIVE query that names itself, which is
	// bound once where it is defined (bind_recursive.go).
	rec *recursiveCTE
	// mod, for a data-modifying query, is 1 + its index in
	// binder.modifying (bind_modifying_cte.go).
	mod int
	// id and use, for a query of a SELECT, are shared by its references'
	// CTEScans (rule_cte_inline.go).
	id  int64
	use *cteUse
}

// pushWith brings a WITH clause's queries into scope and returns how to
// take them out again. outer is the enclosing scope of the query block the
// clause belongs to (nil at the top level).
func (b *binder) pushWith(w *pg_query.WithClause, outer *scope) (func(), error) {
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
		return b.pushRecursiveWith(w, outer)
	}
	for _, n := range w.Ctes {
		c := n.GetCommonTableExpr()
		if err := b.checkSearchCycle(c, false); err != nil {
			b.ctes = b.ctes[:saved]
			return nil, err
		}
		e := cte{def: c, depth: len(b.ctes), outer: outer}
		if c.Ctequery.GetSelectStmt() == nil {
			// Bound here, once, with the WITH queries before it in scope.
			var err error
			if e.mod, err = b.bindModifyingCTE(c); err != nil {
				b.ctes = b.ctes[:saved]
				return nil, err
			}
		} else if err := b.checkCTE(e); err != nil {
			b.ctes = b.ctes[:saved]
			return nil, err
		} else {
			e.id, e.use = cteIDs.Add(1), &cteUse{materialize: c.Ctematerialized}
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

// bindCTERef binds a FROM-clause reference to a WITH query; site is the
// scope of the FROM item (bindFromItem), through which the query reads
// the outer values it needs.
func (b *binder) bindCTERef(c cte, rv *pg_query.RangeVar, site *scope) (Node, []scopeCol, error) {
	if c.rec != nil {
		return b.bindRecursiveRef(c, rv, site)
	}
	if c.mod > 0 {
		return b.bindModifiedRef(c, rv)
	}
	saved := b.ctes
	b.ctes = b.ctes[:c.depth:c.depth]
	capture := c.newCapture()
	node, rcols, err := b.bindSelect(c.def.Ctequery.GetSelectStmt(), c.outer, capture)
	b.ctes = saved
	if err != nil {
		return nil, nil, err
	}
	cols, err := b.cteColumns(c, rv, rcols)
	if err != nil {
		return nil, nil, err
	}
	node = c.readOuterAt(node, capture, site)
	if c.use == nil {
		return node, cols, nil
	}
	if b.checkingCTE == 0 {
		c.use.refs++
	}
	alias := c.def.Ctename
	if rv.Alias != nil {
		alias = rv.Alias.Aliasname
	}
	return &CTEScan{Name: c.def.Ctename, Alias: alias, ID: c.id, Plan: node, use: c.use}, cols, nil
}

// checkCTE binds the WITH query c as a reference to it would, for its
// errors only: PostgreSQL analyzes every WITH query where it is defined,
// named or not (WITH c AS (SELECT nosuch FROM t) SELECT 1 fails with
// 42703), where pqdb binds one at each reference.
func (b *binder) checkCTE(c cte) error {
	saved := b.ctes
	b.ctes = b.ctes[:c.depth:c.depth]
	b.checkingCTE++
	_, _, err := b.bindSelect(c.def.Ctequery.GetSelectStmt(), c.outer, c.newCapture())
	b.checkingCTE--
	b.ctes = saved
	return err
}

// newCapture is the capture a WITH query is bound with: of the values it
// reads of the queries around its WITH, nil at the top level.
func (c cte) newCapture() *outerCapture {
	if c.outer == nil {
		return nil
	}
	return &outerCapture{}
}

// readOuterAt rewrites node, the plan of the WITH query c bound with
// capture, to read the outer values it captured from site, the scope of
// a reference to it. node must be the reference's own copy.
func (c cte) readOuterAt(node Node, capture *outerCapture, site *scope) Node {
	if capture == nil || len(capture.cols) == 0 {
		return node
	}
	outer := make([]Expr, len(capture.cols))
	for i, e := range capture.cols {
		outer[i] = site.reach(c.outer, e)
	}
	return inlineOuterRefs(node, outer)
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
