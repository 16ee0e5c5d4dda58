package planner

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/pgerr"
)

// A data-modifying WITH query (WITH d AS (DELETE ... RETURNING *) INSERT
// INTO log SELECT * FROM d) is bound once, where it is defined, into a
// plan of its own; the statement becomes a ModifyingWithPlan that runs
// every such query to its end before the main statement, whether or not
// anything reads its rows. A reference reads its RETURNING rows as a
// ModifiedRows leaf. As in PostgreSQL, only the statement's own WITH may
// hold them, and all parts read the statement's snapshot. In a WITH
// RECURSIVE list they are bound in the list's dependency order, after the
// queries they read (bind_recursive.go), which is also the order they run
// in.

// topLevel binds a statement whose WITH clause is w, the one clause that
// may hold data-modifying queries, and wraps the plan when it does.
func (b *binder) topLevel(w *pg_query.WithClause, bind func() (Plan, error)) (Plan, error) {
	b.topWith = w
	p, err := bind()
	b.topWith = nil
	if err != nil || len(b.modifying) == 0 {
		return p, err
	}
	return &ModifyingWithPlan{CTEs: b.modifying, Main: p}, nil
}

// checkModifyingCTE refuses a data-modifying query where PostgreSQL does.
func (b *binder) checkModifyingCTE(w *pg_query.WithClause, c *pg_query.CommonTableExpr) error {
	switch c.Ctequery.Node.(type) {
	case *pg_query.Node_InsertStmt, *pg_query.Node_UpdateStmt, *pg_query.Node_DeleteStmt:
	default:
		return b.errAt(pgerr.FeatureNotSupported, c.Location, "this statement is not supported in WITH")
	}
	if w != b.topWith {
		return b.errAt(pgerr.FeatureNotSupported, c.Location, "WITH clause containing a data-modifying statement must be at the top level")
	}
	return nil
}

// bindModifyingCTE binds the data-modifying query c and returns 1 + its
// index in b.modifying. Its own WITH is not the statement's, so it may
// not nest another.
func (b *binder) bindModifyingCTE(c *pg_query.CommonTableExpr) (int, error) {
	top := b.topWith
	b.topWith = nil
	defer func() { b.topWith = top }()
	var p Plan
	var err error
	switch q := c.Ctequery.Node.(type) {
	case *pg_query.Node_InsertStmt:
		p, err = b.bindInsert(q.InsertStmt)
	case *pg_query.Node_UpdateStmt:
		p, err = b.bindUpdate(q.UpdateStmt)
	case *pg_query.Node_DeleteStmt:
		p, err = b.bindDelete(q.DeleteStmt)
	}
	if err != nil {
		return 0, err
	}
	b.modifying = append(b.modifying, &ModifyingCTE{Name: c.Ctename, Plan: p})
	return len(b.modifying), nil
}

// bindModifiedRef binds a reference to a data-modifying WITH query: its
// RETURNING rows.
func (b *binder) bindModifiedRef(c cte, rv *pg_query.RangeVar) (Node, []scopeCol, error) {
	ret := ReturningOf(b.modifying[c.mod-1].Plan)
	if ret == nil {
		return nil, nil, b.errAt(pgerr.FeatureNotSupported, rv.Location, "WITH query \"%s\" does not have a RETURNING clause", c.def.Ctename)
	}
	cols, err := b.cteColumns(c, rv, ret.Columns)
	if err != nil {
		return nil, nil, err
	}
	n := &ModifiedRows{Name: c.def.Ctename, Index: c.mod - 1}
	if rv.Alias != nil {
		n.Alias = rv.Alias.Aliasname
	}
	for _, rc := range ret.Columns {
		n.Typs = append(n.Typs, rc.Type)
	}
	return n, cols, nil
}

// ReturningOf is the RETURNING list of a data-modifying plan, nil for
// none (or another kind of plan).
func ReturningOf(p Plan) *Returning {
	switch p := p.(type) {
	case *InsertPlan:
		return p.Returning
	case *UpdatePlan:
		return p.Returning
	case *DeletePlan:
		return p.Returning
	}
	return nil
}
