package planner

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// targetTable resolves the table an INSERT/UPDATE/DELETE/COPY writes.
func (b *binder) targetTable(rv *pg_query.RangeVar) (*catalog.Table, error) {
	schema := b.objectSchema(rv.Schemaname, rv.Relname)
	if t := b.cat.Table(schema, rv.Relname); t != nil {
		if t.System {
			return nil, b.errAt(pgerr.FeatureNotSupported, rv.Location, "system catalog \"%s\" cannot be modified", rv.Relname)
		}
		return t, nil
	}
	if v := b.cat.View(schema, rv.Relname); v != nil {
		if IsSystemSchema(v.Schema) {
			return nil, b.errAt(pgerr.FeatureNotSupported, rv.Location, "system view \"%s\" cannot be modified", rv.Relname)
		}
		return nil, b.errAt(pgerr.ObjectNotInPrerequisiteState, rv.Location, "cannot change view \"%s\"", rv.Relname)
	}
	return nil, b.errAt(pgerr.UndefinedTable, rv.Location, "relation \"%s\" does not exist", qualified(rv))
}

func (b *binder) bindInsert(s *pg_query.InsertStmt) (Plan, error) {
	pop, err := b.pushWith(s.WithClause, nil)
	if err != nil {
		return nil, err
	}
	defer pop()
	t, err := b.targetTable(s.Relation)
	if err != nil {
		return nil, err
	}
	// targets[i] is the table column the i-th source column goes to.
	var targets []int
	if len(s.Cols) == 0 {
		for i := range t.Columns {
			targets = append(targets, i)
		}
	} else {
		seen := map[int]bool{}
		for _, c := range s.Cols {
			rt := c.GetResTarget()
			i, err := b.targetColumn(t, rt)
			if err != nil {
				return nil, err
			}
			if seen[i] {
				return nil, b.errAt(pgerr.DuplicateColumn, rt.Location, "column \"%s\" specified more than once", rt.Name)
			}
			seen[i] = true
			targets = append(targets, i)
		}
	}
	types := make([]catalog.Type, len(targets))
	targetCols := make([]catalog.Column, len(targets))
	for i, c := range targets {
		types[i], targetCols[i] = t.Columns[c].Type, t.Columns[c]
	}
	if err := b.checkIdentityInsert(t, targets, s); err != nil {
		return nil, err
	}
	// OVERRIDING USER VALUE: values given for identity columns are
	// replaced by the columns' defaults.
	userOverride := s.Override == pg_query.OverridingKind_OVERRIDING_USER_VALUE
	b.valueDefault = func(pos int) (Expr, error) { return b.columnDefault(t, targets[pos]) }
	defer func() { b.valueDefault = nil }()

	var src Node
	var srcCols int
	if s.SelectStmt == nil {
		// INSERT ... DEFAULT VALUES
		src = &Values{Rows: [][]Expr{{}}}
	} else if sel := s.SelectStmt.GetSelectStmt(); sel != nil && len(sel.ValuesLists) > 0 && sel.Op == pg_query.SetOperation_SETOP_NONE && len(sel.SortClause) == 0 && sel.LimitCount == nil {
		for _, l := range sel.ValuesLists {
			if n := len(l.GetList().Items); n > len(targets) {
				return nil, pgerr.New(pgerr.SyntaxError, "INSERT has more expressions than target columns")
			} else if n < len(targets) && len(s.Cols) > 0 {
				return nil, pgerr.New(pgerr.SyntaxError, "INSERT has more target columns than expressions")
			}
		}
		node, cols, err := b.bindValues(sel.ValuesLists, targetCols, nil, nil)
		if err != nil {
			return nil, err
		}
		src, srcCols = node, len(cols)
	} else {
		node, cols, err := b.bindSelect(s.SelectStmt.GetSelectStmt(), nil, nil)
		if err != nil {
			return nil, err
		}
		if len(cols) > len(targets) {
			return nil, pgerr.New(pgerr.SyntaxError, "INSERT has more expressions than target columns")
		}
		exprs := make([]Expr, len(cols))
		for i, c := range cols {
			var e Expr = &ColRef{Index: i, T: c.Type}
			if c.untyped {
				// An untyped literal, NULL or parameter of the select
				// list takes the column's type, as in PostgreSQL.
				if e, err = b.coerceBranch(node, i, true, types[i], "INSERT"); err != nil {
					return nil, err
				}
			}
			if exprs[i], err = b.assignColumn(e, types[i], targetCols[i].Name); err != nil {
				return nil, err
			}
		}
		src, srcCols = &Project{Input: node, Exprs: exprs}, len(cols)
	}
	// Reorder into table column order; columns not given take their
	// defaults.
	srcTypes := src.Types()
	out := make([]Expr, len(t.Columns))
	given := map[int]bool{}
	for i := 0; i < srcCols; i++ {
		if userOverride && t.Columns[targets[i]].Identity != "" {
			continue
		}
		out[targets[i]] = &ColRef{Index: i, T: srcTypes[i]}
		given[targets[i]] = true
	}
	for i := range t.Columns {
		if !given[i] {
			d, err := b.columnDefault(t, i)
			if err != nil {
				return nil, err
			}
			out[i] = d
		}
	}
	ret, err := b.bindReturning(t, dmlAlias(t, s.Relation), s.ReturningList, nil)
	if err != nil {
		return nil, err
	}
	plan := &InsertPlan{Table: t, Source: &Project{Input: src, Exprs: out}, Returning: ret}
	if s.OnConflictClause != nil {
		if plan.Conflict, err = b.bindOnConflict(t, dmlAlias(t, s.Relation), s.OnConflictClause); err != nil {
			return nil, err
		}
	}
	return plan, nil
}

// bindReturning binds a RETURNING list over the rows written to t (named
// alias), each followed by the columns extra (the FROM items' of an
// UPDATE ... FROM or DELETE ... USING), or returns nil for none.
func (b *binder) bindReturning(t *catalog.Table, alias string, list []*pg_query.Node, extra []scopeCol) (*Returning, error) {
	if len(list) == 0 {
		return nil, nil
	}
	_, sc := tableScope(t, alias)
	sc.cols = append(sc.cols[:len(t.Columns)], extra...) // no row id
	exprs, cols, err := b.bindTargetList(list, sc, sc.cols, true, ctxReturning)
	if err != nil {
		return nil, err
	}
	types := make([]catalog.Type, len(extra))
	for i, c := range extra {
		types[i] = c.t
	}
	return &Returning{Root: &Project{Input: &Written{Table: t, Extra: types}, Exprs: exprs}, Columns: cols}, nil
}

// tableScope scans t with its row id and returns the scope that names its
// columns (the row id is the hidden last column).
func tableScope(t *catalog.Table, alias string) (*Scan, *scope) {
	scan := &Scan{Table: t, Alias: alias, RowID: true}
	sc := &scope{}
	for i, c := range t.Columns {
		scan.Cols = append(scan.Cols, i)
		sc.cols = append(sc.cols, scopeCol{table: alias, name: c.Name, t: c.Type, tableOID: uint32(t.ID), attnum: int16(i + 1)})
	}
	sc.cols = append(sc.cols, scopeCol{name: "ctid", t: catalog.TypeInt8, hidden: true})
	return scan, sc
}

// checkIdentityInsert refuses, as PostgreSQL does, a value other than
// DEFAULT for a GENERATED ALWAYS identity column unless the INSERT says
// OVERRIDING SYSTEM VALUE.
func (b *binder) checkIdentityInsert(t *catalog.Table, targets []int, s *pg_query.InsertStmt) error {
	if s.Override == pg_query.OverridingKind_OVERRIDING_SYSTEM_VALUE {
		return nil
	}
	var lists []*pg_query.Node
	sel := s.SelectStmt.GetSelectStmt()
	if sel != nil && len(sel.ValuesLists) > 0 && sel.Op == pg_query.SetOperation_SETOP_NONE {
		lists = sel.ValuesLists
	}
	for pos, c := range targets {
		col := t.Columns[c]
		if col.Identity != "a" || s.Override == pg_query.OverridingKind_OVERRIDING_USER_VALUE {
			continue
		}
		explicit := sel != nil && lists == nil
		for _, l := range lists {
			if items := l.GetList().Items; pos < len(items) && items[pos].GetSetToDefault() == nil {
				explicit = true
			}
		}
		if explicit {
			e := pgerr.New(pgerr.GeneratedAlways, "cannot insert a non-DEFAULT value into column \"%s\"", col.Name)
			e.Detail = "Column \"" + col.Name + "\" is an identity column defined as GENERATED ALWAYS."
			e.Hint = "Use OVERRIDING SYSTEM VALUE to override."
			return e
		}
	}
	return nil
}

// dmlAlias is the name the target table of a DML statement goes by.
func dmlAlias(t *catalog.Table, rv *pg_query.RangeVar) string {
	if rv.Alias != nil {
		return rv.Alias.Aliasname
	}
	return t.Name
}

// dmlSource binds the rows an UPDATE or DELETE changes: the target table
// with its row id, joined with the FROM (USING) items when there are
// some, filtered by WHERE. The scope names the target's columns, its row
// id (hidden, right after them) and then the FROM items' columns.
func (b *binder) dmlSource(t *catalog.Table, rv *pg_query.RangeVar, where *pg_query.Node, from []*pg_query.Node) (Node, *scope, error) {
	scan, sc := tableScope(t, dmlAlias(t, rv))
	var node Node = scan
	if len(from) > 0 {
		fromNode, fromCols, err := b.bindFrom(from, nil, nil)
		if err != nil {
			return nil, nil, err
		}
		if err := checkDistinctNames(sc.cols, fromCols); err != nil {
			return nil, nil, err
		}
		node = &Join{Kind: JoinCross, Left: node, Right: fromNode}
		sc.cols = append(sc.cols, fromCols...)
	}
	if where != nil {
		pred, err := b.bindExpr(where, sc, ctxWhere)
		if err != nil {
			return nil, nil, err
		}
		if pred, err = b.coerceBool(pred, "WHERE"); err != nil {
			return nil, nil, err
		}
		node = &Filter{Input: node, Pred: pred}
	}
	return node, sc, nil
}

func (b *binder) bindUpdate(s *pg_query.UpdateStmt) (Plan, error) {
	pop, err := b.pushWith(s.WithClause, nil)
	if err != nil {
		return nil, err
	}
	defer pop()
	t, err := b.targetTable(s.Relation)
	if err != nil {
		return nil, err
	}
	node, sc, err := b.dmlSource(t, s.Relation, s.WhereClause, s.FromClause)
	if err != nil {
		return nil, err
	}
	rowID := len(t.Columns)
	newVals, err := b.bindSetList(t, s.TargetList, sc, 0)
	if err != nil {
		return nil, err
	}
	exprs := append([]Expr{&ColRef{Index: rowID, T: catalog.TypeInt8}}, newVals...)
	ret, err := b.bindReturning(t, dmlAlias(t, s.Relation), s.ReturningList, sc.cols[len(t.Columns)+1:])
	if err != nil {
		return nil, err
	}
	if ret != nil {
		exprs = append(exprs, fromColumns(t, sc)...)
	}
	return &UpdatePlan{Table: t, Source: &Project{Input: node, Exprs: exprs}, Returning: ret, Joined: len(s.FromClause) > 0,
		Assigned: assignedColumns(newVals, 0)}, nil
}

// assignedColumns lists the columns whose new value in newVals (bound
// over a scope whose table columns start at first) may differ from the
// old one: all but those that bindSetList left as the old value.
func assignedColumns(newVals []Expr, first int) []int {
	out := make([]int, 0, len(newVals))
	for i, e := range newVals {
		if c, ok := e.(*ColRef); !ok || c.Index != first+i {
			out = append(out, i)
		}
	}
	return out
}

// bindSetList binds the SET list of an UPDATE (or ON CONFLICT DO UPDATE)
// over sc, whose columns from first on are the target table's: it
// returns the new value of every column of t, the old value where SET
// names none.
func (b *binder) bindSetList(t *catalog.Table, list []*pg_query.Node, sc *scope, first int) ([]Expr, error) {
	newVals := make([]Expr, len(t.Columns))
	for i, c := range t.Columns {
		newVals[i] = &ColRef{Index: first + i, T: c.Type, Name: c.Name}
	}
	set := map[int]bool{}
	// row is the source of the multiple-column assignment
	// SET (a, b) = (x, y) being bound: each of its targets takes one
	// element.
	var row []*pg_query.Node
	subscripted := map[int]bool{}
	for _, n := range list {
		rt, sub, err := b.subscriptTarget(n.GetResTarget())
		if err != nil {
			return nil, err
		}
		i, err := b.targetColumn(t, rt)
		if err != nil {
			return nil, err
		}
		if sub != nil && (!set[i] || subscripted[i]) {
			// SET a[i] = v (several such assignments to one column apply
			// in order).
			e, err := b.bindExpr(rt.Val, sc, ctxDML)
			if err != nil {
				return nil, err
			}
			if newVals[i], err = b.assignElement(newVals[i], sub, e, sc, rt.Location); err != nil {
				return nil, err
			}
			set[i], subscripted[i] = true, true
			continue
		}
		if set[i] {
			return nil, b.errAt(pgerr.DuplicateColumn, rt.Location, "multiple assignments to same column \"%s\"", rt.Name)
		}
		set[i] = true
		val := rt.Val
		if m := val.GetMultiAssignRef(); m != nil {
			src := m.Source.GetRowExpr()
			if m.Source.GetSubLink() != nil {
				return nil, b.errAt(pgerr.FeatureNotSupported, rt.Location, "multiple-column UPDATE from a subquery is not supported")
			}
			if src == nil {
				return nil, b.errAt(pgerr.FeatureNotSupported, rt.Location, "source for a multiple-column UPDATE item must be a sub-SELECT or ROW() expression")
			}
			if m.Colno == 1 {
				row = src.Args
				if len(row) != int(m.Ncolumns) {
					return nil, b.errAt(pgerr.SyntaxError, rt.Location, "number of columns does not match number of values")
				}
			}
			val = row[m.Colno-1]
		}
		if val.GetSetToDefault() != nil {
			if newVals[i], err = b.columnDefault(t, i); err != nil {
				return nil, err
			}
			continue
		}
		if t.Columns[i].Identity == "a" {
			e := pgerr.New(pgerr.GeneratedAlways, "column \"%s\" can only be updated to DEFAULT", rt.Name)
			e.Detail = "Column \"" + rt.Name + "\" is an identity column defined as GENERATED ALWAYS."
			return nil, e
		}
		e, err := b.bindExpr(val, sc, ctxDML)
		if err != nil {
			return nil, err
		}
		if newVals[i], err = b.assignColumn(e, t.Columns[i].Type, t.Columns[i].Name); err != nil {
			return nil, err
		}
	}
	return newVals, nil
}

// fromColumns returns references to the FROM items' columns of an UPDATE
// or DELETE source scope sc, which a RETURNING list over them reads.
func fromColumns(t *catalog.Table, sc *scope) []Expr {
	var out []Expr
	for i := len(t.Columns) + 1; i < len(sc.cols); i++ {
		out = append(out, &ColRef{Index: i, T: sc.cols[i].t, Name: sc.cols[i].name})
	}
	return out
}

func (b *binder) bindDelete(s *pg_query.DeleteStmt) (Plan, error) {
	pop, err := b.pushWith(s.WithClause, nil)
	if err != nil {
		return nil, err
	}
	defer pop()
	t, err := b.targetTable(s.Relation)
	if err != nil {
		return nil, err
	}
	node, sc, err := b.dmlSource(t, s.Relation, s.WhereClause, s.UsingClause)
	if err != nil {
		return nil, err
	}
	ret, err := b.bindReturning(t, dmlAlias(t, s.Relation), s.ReturningList, sc.cols[len(t.Columns)+1:])
	if err != nil {
		return nil, err
	}
	exprs := []Expr{&ColRef{Index: len(t.Columns), T: catalog.TypeInt8}}
	if ret != nil {
		// The old rows, and the USING items' columns, for RETURNING.
		for i, c := range t.Columns {
			exprs = append(exprs, &ColRef{Index: i, T: c.Type, Name: c.Name})
		}
		exprs = append(exprs, fromColumns(t, sc)...)
	}
	return &DeletePlan{Table: t, Source: &Project{Input: node, Exprs: exprs}, Returning: ret, Joined: len(s.UsingClause) > 0}, nil
}

// targetColumn resolves a column an INSERT or UPDATE assigns to.
func (b *binder) targetColumn(t *catalog.Table, rt *pg_query.ResTarget) (int, error) {
	if len(rt.Indirection) > 0 {
		return 0, b.errAt(pgerr.FeatureNotSupported, rt.Location, "assignment to a subfield is not supported")
	}
	i := t.ColumnIndex(rt.Name)
	if i < 0 {
		return 0, b.errAt(pgerr.UndefinedColumn, rt.Location, "column \"%s\" of relation \"%s\" does not exist", rt.Name, t.Name)
	}
	return i, nil
}
