package engine

import (
	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/planner"
)

// ViewColumns are the columns of view v as pg_attribute lists them: the
// view's query is bound in the session's snapshot, and its result
// columns give the types (the view's column list the names). A column
// that reads a table's column of a domain is of the domain, as in
// PostgreSQL. Binding runs nothing, so a view over the system catalogs
// costs no scan.
func (d sessionDatabase) ViewColumns(v *catalog.View) ([]catalog.Column, error) {
	stmts, err := planner.Parse(v.SQL)
	if err != nil {
		return nil, err
	}
	if len(stmts) != 1 {
		return nil, pgerr.New(pgerr.DataCorrupted, "view \"%s\" has an unreadable definition", v.Name)
	}
	bound, err := planner.Bind(d.snap, stmts[0], nil, d.s.bindOptions())
	if err != nil {
		return nil, err
	}
	q, ok := bound.Plan.(*planner.QueryPlan)
	if !ok {
		return nil, pgerr.New(pgerr.DataCorrupted, "view \"%s\" has an unreadable definition", v.Name)
	}
	cols := make([]catalog.Column, len(q.Columns))
	for i, c := range q.Columns {
		cols[i] = catalog.Column{Name: c.Name, Type: c.Type}
		if i < len(v.Columns) {
			cols[i].Name = v.Columns[i]
		}
		if t := d.snap.TableByID(int64(c.TableOID)); t != nil && c.AttrNum > 0 && int(c.AttrNum) <= len(t.Columns) {
			cols[i].Domain = t.Columns[c.AttrNum-1].Domain
		}
	}
	return cols, nil
}

// ExprColumns are the columns the stored expression expr names.
func (d sessionDatabase) ExprColumns(expr string) []string { return planner.ExprColumnNames(expr) }
