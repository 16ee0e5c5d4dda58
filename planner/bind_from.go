package planner

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// bindFrom binds a FROM list into one node whose output row is the
// concatenation of the items' rows (a list of items is a cross join; the
// rules turn WHERE equalities into join conditions). The returned columns
// describe that row. Each item is bound beside the items before it,
// which a LATERAL item (or a function) may read (bind_lateral.go).
func (b *binder) bindFrom(items []*pg_query.Node, parent *scope, capture *outerCapture) (Node, []scopeCol, error) {
	if len(items) == 0 {
		// SELECT without FROM reads one row of no columns.
		return &Values{Rows: [][]Expr{{}}}, nil, nil
	}
	lateral := &lateralState{}
	var node Node
	var cols []scopeCol
	for _, item := range items {
		beside := &scope{cols: cols, parent: parent, capture: capture, lateral: lateral}
		itemCapture := &outerCapture{}
		n, c, err := b.bindFromItem(item, beside, itemCapture)
		if err != nil {
			return nil, nil, err
		}
		if err := checkDistinctNames(cols, c); err != nil {
			return nil, nil, err
		}
		node = joinFromItem(node, n, itemCapture, JoinCross, nil)
		cols = append(cols, c...)
	}
	return node, cols, nil
}

// bindFromItem binds one FROM item beside the items of scope beside (a
// lateral scope), reading what it needs of them, and of the enclosing
// query, through capture (see joinFromItem).
func (b *binder) bindFromItem(item *pg_query.Node, beside *scope, capture *outerCapture) (node Node, cols []scopeCol, err error) {
	defer func() {
		if err == nil {
			// An item an outer join may NULL-extend gets a presence
			// column for whole-row references (bind_record_presence.go).
			node, cols = b.withPresence(item, node, cols)
		}
	}()
	switch n := item.Node.(type) {
	case *pg_query.Node_RangeVar:
		return b.bindRangeVar(n.RangeVar, &scope{parent: beside, capture: capture})
	case *pg_query.Node_JoinExpr:
		return b.bindJoin(n.JoinExpr, beside, capture)
	case *pg_query.Node_RangeSubselect:
		rs := n.RangeSubselect
		sel := rs.Subquery.GetSelectStmt()
		if sel == nil {
			return nil, nil, pgerr.Unsupported("unsupported subquery in FROM")
		}
		if rs.Alias != nil {
			if _, err := b.lockFor(rs.Alias.Aliasname, "a subquery"); err != nil {
				return nil, nil, err
			}
		}
		restore := beside.activateLateral(rs.Lateral)
		node, rcols, err := b.bindSelect(sel, beside, capture)
		restore()
		if err != nil {
			return nil, nil, err
		}
		alias := ""
		if rs.Alias != nil {
			alias = rs.Alias.Aliasname
		}
		cols := make([]scopeCol, len(rcols))
		for i, c := range rcols {
			cols[i] = scopeCol{table: alias, name: c.Name, t: c.Type}
		}
		if err := applyColumnAliases(cols, rs.Alias); err != nil {
			return nil, nil, err
		}
		return node, cols, nil
	case *pg_query.Node_RangeFunction:
		if _, err := b.lockFor(rangeFunctionName(n.RangeFunction), "a function"); err != nil {
			return nil, nil, err
		}
		if isTableFunc(n.RangeFunction, readParquetFunc) {
			return b.bindReadParquet(n.RangeFunction)
		}
		if isTableFunc(n.RangeFunction, historyFunc) {
			return b.bindHistory(n.RangeFunction)
		}
		if isTableFunc(n.RangeFunction, asOfFunc) {
			return b.bindAsOf(n.RangeFunction)
		}
		// A function in FROM is LATERAL whether or not it says so.
		restore := beside.activateLateral(true)
		defer restore()
		return b.bindFuncFrom(n.RangeFunction, nil, &scope{parent: beside, capture: capture})
	}
	return nil, nil, pgerr.Unsupported("unsupported FROM item %s", statementName(item))
}

// bindRangeVar binds a table, view or WITH query named in FROM; site is
// the FROM item's scope (a WITH query reads outer values through it).
func (b *binder) bindRangeVar(rv *pg_query.RangeVar, site *scope) (Node, []scopeCol, error) {
	if rv.Schemaname == "" {
		if c, ok := b.lookupCTE(rv.Relname); ok {
			name := rv.Relname
			if rv.Alias != nil {
				name = rv.Alias.Aliasname
			}
			if _, err := b.lockFor(name, "a WITH query"); err != nil {
				return nil, nil, err
			}
			return b.bindCTERef(c, rv, site)
		}
	}
	schema := b.objectSchema(rv.Schemaname, rv.Relname)
	alias := rv.Relname
	if rv.Alias != nil {
		alias = rv.Alias.Aliasname
	}
	if t := b.cat.Table(schema, rv.Relname); t != nil {
		b.noteRelationSchema(rv, t.Schema)
		scan := &Scan{Table: t, Alias: alias}
		cols := make([]scopeCol, len(t.Columns))
		for i, c := range t.Columns {
			scan.Cols = append(scan.Cols, i)
			cols[i] = scopeCol{table: alias, name: c.Name, t: c.Type, tableOID: uint32(t.ID), attnum: int16(i + 1), relation: rv.Relname, rowField: c.Name, base: t}
		}
		if err := applyColumnAliases(cols, rv.Alias); err != nil {
			return nil, nil, err
		}
		lock, err := b.lockFor(alias, "")
		if err != nil {
			return nil, nil, err
		}
		if lock != nil {
			if t.System {
				return nil, nil, pgerr.Unsupported("%s of system catalog \"%s\" is not supported", lock.strength(), t.Name)
			}
			scan.RowID = true
			cols = append(cols, b.lockTable(t, alias, lock))
		}
		return scan, cols, nil
	}
	if v := b.cat.View(schema, rv.Relname); v != nil {
		b.noteRelationSchema(rv, v.Schema)
		if _, err := b.lockFor(alias, "a view"); err != nil {
			return nil, nil, err
		}
		return b.expandView(v, alias, rv)
	}
	if rv.Schemaname != "" && !b.cat.HasSchema(rv.Schemaname) {
		return nil, nil, (&pgerr.Error{Code: pgerr.InvalidSchemaName, Message: "schema \"" + rv.Schemaname + "\" does not exist"}).WithPosition(position(b.query, rv.Location))
	}
	return nil, nil, (&pgerr.Error{Code: pgerr.UndefinedTable, Message: "relation \"" + qualified(rv) + "\" does not exist"}).WithPosition(position(b.query, rv.Location))
}

// rangeFunctionName is the name a function in FROM goes by: its alias,
// or else the (first) function's name, as in PostgreSQL.
func rangeFunctionName(rf *pg_query.RangeFunction) string {
	if rf.Alias != nil {
		return rf.Alias.Aliasname
	}
	for _, f := range rf.Functions {
		if items := f.GetList().GetItems(); len(items) > 0 {
			if fc := items[0].GetFuncCall(); fc != nil && len(fc.Funcname) > 0 {
				return fc.Funcname[len(fc.Funcname)-1].GetString_().GetSval()
			}
		}
	}
	return ""
}

func qualified(rv *pg_query.RangeVar) string {
	if rv.Schemaname != "" {
		return rv.Schemaname + "." + rv.Relname
	}
	return rv.Relname
}

// expandView binds a view's stored query in place of its name.
func (b *binder) expandView(v *catalog.View, alias string, rv *pg_query.RangeVar) (Node, []scopeCol, error) {
	key := v.Schema + "." + v.Name
	if b.views[key] {
		return nil, nil, pgerr.New(pgerr.InvalidObjectDefinition, "infinite recursion detected in rules for relation \"%s\"", v.Name)
	}
	stmts, err := Parse(v.SQL)
	if err != nil || len(stmts) != 1 || stmts[0].Node.GetSelectStmt() == nil {
		return nil, nil, pgerr.New(pgerr.DataCorrupted, "view \"%s\" has an unreadable definition", v.Name)
	}
	if b.views == nil {
		b.views = map[string]bool{}
	}
	b.views[key] = true
	defer delete(b.views, key)
	defer b.bindingStored()()
	b.noteViewWholeRowNames(stmts[0].Node)
	// The view's text has its own positions; errors inside it must not
	// point into the user's query.
	// The view's names were resolved where it was defined: the WITH
	// queries around the reference are not its own.
	saved, savedCTEs := b.query, b.ctes
	b.query, b.ctes = stmts[0].Query, nil
	node, rcols, err := b.bindSelect(stmts[0].Node.GetSelectStmt(), nil, nil)
	b.query, b.ctes = saved, savedCTEs
	if err != nil {
		return nil, nil, err
	}
	cols := make([]scopeCol, len(rcols))
	for i, c := range rcols {
		name := c.Name
		if i < len(v.Columns) {
			name = v.Columns[i]
		}
		cols[i] = scopeCol{table: alias, name: name, t: c.Type, tableOID: uint32(v.ID), attnum: int16(i + 1), view: true, relation: rv.Relname, rowField: name}
	}
	if err := applyColumnAliases(cols, rv.Alias); err != nil {
		return nil, nil, err
	}
	return node, cols, nil
}

func applyColumnAliases(cols []scopeCol, alias *pg_query.Alias) error {
	if alias == nil {
		return nil
	}
	if len(alias.Colnames) > len(cols) {
		return pgerr.New(pgerr.InvalidColumnReference, "table \"%s\" has %d columns available but %d columns specified", alias.Aliasname, len(cols), len(alias.Colnames))
	}
	for i, n := range alias.Colnames {
		cols[i].name = n.GetString_().Sval
	}
	return nil
}

// bindJoin binds a JOIN beside the items of beside. Its right side sees
// its left side's columns as it sees beside's (readable by a LATERAL
// item, but refused for a RIGHT or FULL join) and captures what it reads
// of them on its own, so that it runs once per left row when it reads
// any (joinFromItem).
func (b *binder) bindJoin(j *pg_query.JoinExpr, beside *scope, capture *outerCapture) (Node, []scopeCol, error) {
	if j.Alias != nil {
		if _, err := b.lockFor(j.Alias.Aliasname, "a join"); err != nil {
			return nil, nil, err
		}
	}
	// The sides an outer join NULL-extends (bind_record_presence.go).
	leftNullable := j.Jointype == pg_query.JoinType_JOIN_RIGHT || j.Jointype == pg_query.JoinType_JOIN_FULL
	rightNullable := j.Jointype == pg_query.JoinType_JOIN_LEFT || j.Jointype == pg_query.JoinType_JOIN_FULL
	if leftNullable {
		b.nullableSide++
	}
	left, lcols, err := b.bindFromItem(j.Larg, beside, capture)
	if leftNullable {
		b.nullableSide--
		markNullable(lcols)
	}
	if err != nil {
		return nil, nil, err
	}
	refused := j.Jointype == pg_query.JoinType_JOIN_RIGHT || j.Jointype == pg_query.JoinType_JOIN_FULL
	leftSide := &scope{cols: lcols, parent: beside, capture: capture, lateral: beside.lateral, lateralRefused: refused}
	rightCapture := &outerCapture{}
	if rightNullable {
		b.nullableSide++
	}
	right, rcols, err := b.bindFromItem(j.Rarg, leftSide, rightCapture)
	if rightNullable {
		b.nullableSide--
		markNullable(rcols)
	}
	if err != nil {
		return nil, nil, err
	}
	if err := checkDistinctNames(lcols, rcols); err != nil {
		return nil, nil, err
	}
	kind := JoinInner
	switch j.Jointype {
	case pg_query.JoinType_JOIN_INNER:
	case pg_query.JoinType_JOIN_LEFT:
		kind = JoinLeft
	case pg_query.JoinType_JOIN_RIGHT:
		// A RIGHT B is B LEFT JOIN A with the columns put back in order
		// (below). B read nothing of A (that was refused), so it is an
		// ordinary input.
		kind = JoinLeft
		right, rightCapture = inlineOuterRefs(right, rightCapture.cols), &outerCapture{}
		left, lcols, right, rcols = right, rcols, left, lcols
	case pg_query.JoinType_JOIN_FULL:
		kind = JoinFull
	default:
		return nil, nil, pgerr.Unsupported("%s joins are not supported", joinTypeName(j.Jointype))
	}
	right1 := j.Jointype == pg_query.JoinType_JOIN_RIGHT
	cols := append(append([]scopeCol(nil), lcols...), rcols...)
	cond, using, err := b.joinCondition(j, lcols, rcols, cols, &scope{cols: cols, parent: beside, capture: capture}, right1)
	if err != nil {
		return nil, nil, err
	}
	join := joinFromItem(left, right, rightCapture, kind, cond)
	if !right1 && len(using) == 0 {
		return b.aliasJoin(j, join, cols)
	}
	// Put the columns in SQL's order: the merged USING/NATURAL columns
	// first, then the left table's, then the right table's (a RIGHT join
	// swaps its inputs back). Each merged column is the left one for
	// inner and left joins, the right one for right joins and their
	// COALESCE for full joins; the tables' own copies stay reachable by
	// qualified names and table.*.
	nl := len(lcols)
	var exprs []Expr
	var out []scopeCol
	for _, u := range using {
		exprs = append(exprs, u.merged)
		out = append(out, scopeCol{name: u.name, t: u.merged.Type(), merged: true})
	}
	first, second := 0, nl
	firstCols, secondCols := lcols, rcols
	if right1 {
		first, second = nl, 0
		firstCols, secondCols = rcols, lcols
	}
	for i, c := range firstCols {
		exprs = append(exprs, &ColRef{Index: first + i, T: c.t, Name: c.name})
		out = append(out, cols[first+i])
	}
	for i, c := range secondCols {
		exprs = append(exprs, &ColRef{Index: second + i, T: c.t, Name: c.name})
		out = append(out, cols[second+i])
	}
	return b.aliasJoin(j, &Project{Input: join, Exprs: exprs}, out)
}

// usingColumn is one column of USING or NATURAL: its name and the
// expression the merged output column computes over the join's row.
type usingColumn struct {
	name   string
	merged Expr
}

// joinCondition binds ON, USING or NATURAL into a predicate over the
// combined row. For USING/NATURAL it also returns the merged columns (in
// the USING list's order, or the left table's for NATURAL), and marks
// both tables' copies of those columns as usingCopy in cols: hidden
// from unqualified names and *, reachable as table.name and in table.*.
// rightJoin tells that the inputs were swapped, so the merged value is
// the left input's for a RIGHT join.
func (b *binder) joinCondition(j *pg_query.JoinExpr, lcols, rcols, cols []scopeCol, sc *scope, rightJoin bool) (Expr, []usingColumn, error) {
	var names []string
	if j.IsNatural {
		// In the order of the columns of the left table as written.
		first, second := lcols, rcols
		if rightJoin {
			first, second = rcols, lcols
		}
		for _, l := range first {
			for _, r := range second {
				if l.name == r.name && !l.hidden && !r.hidden {
					names = append(names, l.name)
				}
			}
		}
	}
	for _, n := range j.UsingClause {
		names = append(names, n.GetString_().Sval)
	}
	if len(names) > 0 {
		var conds []Expr
		var using []usingColumn
		for _, name := range names {
			li, ri := findCol(lcols, name), findCol(rcols, name)
			if li < 0 || ri < 0 {
				missing := li < 0
				if rightJoin {
					missing = !missing
				}
				return nil, nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" specified in USING clause does not exist in %s table", name, map[bool]string{true: "left", false: "right"}[missing])
			}
			l := &ColRef{Index: li, T: lcols[li].t, Name: name}
			r := &ColRef{Index: len(lcols) + ri, T: rcols[ri].t, Name: name}
			eq, err := b.comparison(opEq, l, r, -1)
			if err != nil {
				return nil, nil, err
			}
			conds = append(conds, eq)
			var merged Expr = l
			if be, ok := eq.(*BinExpr); ok {
				merged = be.L
				if j.Jointype == pg_query.JoinType_JOIN_FULL {
					merged = &CoalesceExpr{Args: []Expr{be.L, be.R}, T: be.L.Type()}
				}
			}
			using = append(using, usingColumn{name: name, merged: merged})
			for _, k := range []int{li, len(lcols) + ri} {
				cols[k].hidden = true
				cols[k].usingCopy = true
			}
		}
		return makeAnd(conds), using, nil
	}
	if j.Quals == nil {
		return nil, nil, nil
	}
	cond, err := b.bindExpr(j.Quals, sc, ctxJoinOn)
	if err != nil {
		return nil, nil, err
	}
	cond, err = b.coerceBool(cond, "JOIN/ON")
	return cond, nil, err
}

func findCol(cols []scopeCol, name string) int {
	for i, c := range cols {
		if c.name == name && !c.hidden {
			return i
		}
	}
	return -1
}

func joinTypeName(t pg_query.JoinType) string {
	switch t {
	case pg_query.JoinType_JOIN_FULL:
		return "FULL"
	}
	return t.String()
}

// checkDistinctNames enforces that two FROM items at one level do not
// share a table name or alias, which would make references ambiguous.
func checkDistinctNames(left, right []scopeCol) error {
	names := map[string]bool{}
	for _, c := range left {
		if c.table != "" {
			names[c.table] = true
		}
	}
	for _, c := range right {
		if c.table != "" && names[c.table] {
			return pgerr.New(pgerr.DuplicateAlias, "table name \"%s\" specified more than once", c.table)
		}
	}
	return nil
}
