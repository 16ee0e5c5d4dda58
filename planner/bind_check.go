package planner

import (
	"time"

	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// CHECK constraints are kept as SQL text (catalog.Check) and bound over
// the rows a statement writes, right before they reach storage: every
// INSERT, UPDATE, ON CONFLICT and COPY checks its rows through the plan
// CheckRows returns, and a row that makes one false (NULL passes) fails
// the statement with 23514.

// pendingCheck is a CHECK constraint of a CREATE TABLE, bound once all
// columns are known (it may name any of them).
type pendingCheck struct {
	c      *pg_query.Constraint
	column string // the column it was written on; "" for a table constraint
}

// bindChecks binds the CHECK constraints of a new table t and names the
// unnamed ones as PostgreSQL does (<table>_<column>_check for a column
// constraint, <table>_check for a table constraint, numbered when taken).
// taken holds the names the table's other constraints use.
func (b *binder) bindChecks(t *catalog.Table, pending []pendingCheck, taken map[string]bool) error {
	for _, p := range pending {
		if _, err := b.bindCheckExpr(t, p.c.RawExpr); err != nil {
			return err
		}
		name := p.c.Conname
		if name == "" {
			base := t.Name + "_check"
			if p.column != "" {
				base = t.Name + "_" + p.column + "_check"
			} else if cols := exprColumns(p.c.RawExpr); len(cols) == 1 {
				// PostgreSQL names a table constraint over one column
				// like a column constraint.
				base = t.Name + "_" + cols[0] + "_check"
			}
			name = base
			for i := 1; taken[name]; i++ {
				name = base + itoa(int64(i))
			}
		} else if taken[name] {
			return pgerr.New(pgerr.DuplicateObject, "constraint \"%s\" for relation \"%s\" already exists", name, t.Name)
		}
		taken[name] = true
		text, err := deparseExpr(p.c.RawExpr)
		if err != nil {
			return err
		}
		t.Checks = append(t.Checks, catalog.Check{Name: name, Expr: text})
	}
	slices.SortFunc(t.Checks, func(x, y catalog.Check) int { return strings.Compare(x.Name, y.Name) })
	return nil
}

// bindCheckExpr binds a CHECK expression over a row of t.
func (b *binder) bindCheckExpr(t *catalog.Table, n *pg_query.Node) (Expr, error) {
	_, sc := tableScope(t, t.Name)
	sc.cols = sc.cols[:len(t.Columns)] // no row id
	nParams := len(b.params)
	e, err := b.bindExpr(n, sc, ctxCheck)
	if err != nil {
		return nil, err
	}
	if len(b.params) > nParams || contains[*Param](e) {
		return nil, pgerr.New(pgerr.UndefinedParameter, "there is no parameter $1")
	}
	return b.coerceBool(e, "CHECK")
}

// CheckRows returns a plan over a Written leaf of rows of t that yields,
// for each row, one boolean per CHECK constraint of t (in t.Checks
// order), or nil when t has none; loc is the session's TimeZone.
func CheckRows(cat Catalog, t *catalog.Table, loc *time.Location) (Node, error) {
	if len(t.Checks) == 0 {
		return nil, nil
	}
	b := &binder{cat: cat, opts: Options{Location: loc}}
	exprs := make([]Expr, len(t.Checks))
	for i, c := range t.Checks {
		tree, err := pg_query.Parse("SELECT " + c.Expr)
		if err != nil || len(tree.Stmts) != 1 {
			return nil, pgerr.New(pgerr.InternalError, "cannot read check constraint \"%s\": %v", c.Name, err)
		}
		val := tree.Stmts[0].Stmt.GetSelectStmt().GetTargetList()[0].GetResTarget().GetVal()
		if exprs[i], err = b.bindCheckExpr(t, val); err != nil {
			return nil, err
		}
	}
	return optimize(&Project{Input: &Written{Table: t}, Exprs: exprs}, b.location(), b.estimates())
}
