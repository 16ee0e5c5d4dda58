package planner

import (
	"slices"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
)

func (b *binder) bindQuery(s *pg_query.SelectStmt) (Plan, error) {
	if into := s.IntoClause; into != nil {
		// SELECT ... INTO t is CREATE TABLE t AS SELECT ...
		s.IntoClause = nil
		defer func() { s.IntoClause = into }()
		return b.bindCreateTableAs(s, into, false, true)
	}
	node, cols, err := b.bindSelect(s, nil, nil)
	if err != nil {
		return nil, err
	}
	return &QueryPlan{Root: node, Columns: cols, Tag: "SELECT", LockStrength: b.lockStrength}, nil
}

// bindTargetList binds a select list (or a RETURNING list) over sc,
// whose FROM row is fromCols, expanding * and table.*; hasFrom tells
// whether the query has a FROM clause (SELECT * needs one).
func (b *binder) bindTargetList(list []*pg_query.Node, sc *scope, fromCols []scopeCol, hasFrom bool, ctx exprContext) ([]Expr, []ResultColumn, error) {
	var exprs []Expr
	var cols []ResultColumn
	for _, t := range list {
		rt := t.GetResTarget()
		if ref := rt.Val.GetColumnRef(); ref != nil && isStar(ref) {
			table := ""
			if len(ref.Fields) == 2 {
				table = ref.Fields[0].GetString_().Sval
				if !sc.tableVisible(table) {
					return nil, nil, sc.missingTable(table, ref.Location, b.query)
				}
			}
			refs, refCols := sc.expandStar(table)
			if len(refs) == 0 && !hasFrom {
				return nil, nil, (&pgerr.Error{Code: pgerr.SyntaxError, Message: "SELECT * with no tables specified is not valid"}).WithPosition(position(b.query, ref.Location))
			}
			for i, c := range refCols {
				exprs = append(exprs, refs[i])
				cols = append(cols, ResultColumn{Name: c.name, Type: c.t, TableOID: c.tableOID, AttrNum: c.attnum})
			}
			continue
		}
		if ind := rt.Val.GetAIndirection(); ind != nil && endsInStar(ind) {
			// (r).*: one column per field of the record r.
			fields, names, err := b.bindFieldStar(ind, sc, ctx)
			if err != nil {
				return nil, nil, err
			}
			for i, e := range fields {
				exprs = append(exprs, e)
				cols = append(cols, ResultColumn{Name: names[i], Type: e.Type()})
			}
			continue
		}
		e, err := b.bindExpr(rt.Val, sc, ctx)
		if err != nil {
			return nil, nil, err
		}
		untyped := e.Type().Kind == catalog.Unknown
		e = b.resolveUnknown(e)
		col := ResultColumn{Name: rt.Name, Type: e.Type(), untyped: untyped}
		if col.Name == "" {
			col.Name = b.columnName(rt.Val)
		}
		if cr, ok := e.(*ColRef); ok && cr.Index < len(fromCols) {
			col.TableOID, col.AttrNum = fromCols[cr.Index].tableOID, fromCols[cr.Index].attnum
		}
		exprs = append(exprs, e)
		cols = append(cols, col)
	}
	return exprs, cols, nil
}

// bindSelect binds a query block. parent is the enclosing query's scope
// and capture collects the outer values read, for a subquery; both are nil
// for a top-level query or a FROM-clause subquery.
func (b *binder) bindSelect(s *pg_query.SelectStmt, parent *scope, capture *outerCapture) (Node, []ResultColumn, error) {
	pop, err := b.pushWith(s.WithClause, parent)
	if err != nil {
		return nil, nil, err
	}
	defer pop()
	if s.IntoClause != nil {
		return nil, nil, pgerr.Unsupported("SELECT INTO is not supported")
	}
	locking, err := b.lockingOf(s)
	if err != nil {
		return nil, nil, err
	}
	defer b.withLocking(locking)()
	restoreWindows, err := b.setWindowClause(s)
	if err != nil {
		return nil, nil, err
	}
	defer restoreWindows()
	if s.Op != pg_query.SetOperation_SETOP_NONE {
		if locking != nil {
			return nil, nil, pgerr.Unsupported("%s is not allowed with UNION/INTERSECT/EXCEPT", locking.first)
		}
		return b.bindSetOp(s, parent, capture)
	}
	if len(s.ValuesLists) > 0 {
		if locking != nil {
			return nil, nil, pgerr.Unsupported("%s cannot be applied to VALUES", locking.first)
		}
		node, cols, err := b.bindValues(s.ValuesLists, nil, parent, capture)
		if err != nil {
			return nil, nil, err
		}
		return b.bindOrderLimit(s, node, cols, parent, capture)
	}

	from, fromCols, err := b.bindFrom(s.FromClause, parent, capture)
	if err != nil {
		return nil, nil, err
	}
	sc := &scope{cols: fromCols, parent: parent, capture: capture}
	var node Node = from

	if s.WhereClause != nil {
		pred, err := b.bindExpr(s.WhereClause, sc, ctxWhere)
		if err != nil {
			return nil, nil, err
		}
		if pred, err = b.coerceBool(pred, "WHERE"); err != nil {
			return nil, nil, err
		}
		node = &Filter{Input: node, Pred: pred}
	}

	// The select list, with * expanded.
	exprs, cols, err := b.bindTargetList(s.TargetList, sc, fromCols, len(s.FromClause) > 0, ctxSelect)
	if err != nil {
		return nil, nil, err
	}
	if len(s.DistinctClause) > 0 {
		// DISTINCT, GROUP BY and ORDER BY compare the values they refer
		// to, so Postgres settles such an untyped literal as text in the
		// branch itself; a set operation above cannot re-type it.
		for i := range cols {
			cols[i].untyped = false
		}
	}

	// ORDER BY keys: output columns by name or position, else expressions
	// over the FROM row carried as hidden projection columns.
	var keys []orderKey
	nVisible := len(exprs)
	distinctOn := len(s.DistinctClause) > 1 || len(s.DistinctClause) == 1 && s.DistinctClause[0] != nil && s.DistinctClause[0].Node != nil
	for _, o := range s.SortClause {
		sb := o.GetSortBy()
		if len(sb.UseOp) > 0 {
			return nil, nil, pgerr.Unsupported("ORDER BY ... USING is not supported")
		}
		idx, err := b.outputRef(sb.Node, cols)
		if err != nil {
			return nil, nil, err
		}
		if idx >= 0 {
			cols[idx].untyped = false
		}
		if idx < 0 {
			e, err := b.bindExpr(sb.Node, sc, ctxOrderBy)
			if err != nil {
				return nil, nil, err
			}
			e = b.resolveUnknown(e)
			idx = -1
			for i, x := range exprs {
				if exprKey(x) == exprKey(e) {
					idx = i
					break
				}
			}
			if idx < 0 {
				if len(s.DistinctClause) > 0 && !distinctOn {
					return nil, nil, (&pgerr.Error{Code: pgerr.InvalidColumnReference, Message: "for SELECT DISTINCT, ORDER BY expressions must appear in select list"}).WithPosition(position(b.query, sb.Location))
				}
				exprs = append(exprs, e)
				idx = len(exprs) - 1
			}
		}
		desc, nf := sortOrder(sb)
		keys = append(keys, orderKey{col: idx, desc: desc, nf: nf})
	}
	// DISTINCT ON keys, like ORDER BY's: output columns or expressions
	// carried as hidden projection columns.
	var onCols []int
	if distinctOn {
		for _, n := range s.DistinctClause {
			idx, err := b.outputRef(n, cols)
			if err != nil {
				return nil, nil, err
			}
			if idx < 0 {
				e, err := b.bindExpr(n, sc, ctxOrderBy)
				if err != nil {
					return nil, nil, err
				}
				e = b.resolveUnknown(e)
				for i, x := range exprs {
					if exprKey(x) == exprKey(e) {
						idx = i
						break
					}
				}
				if idx < 0 {
					exprs = append(exprs, e)
					idx = len(exprs) - 1
				}
			}
			onCols = append(onCols, idx)
		}
		// As PostgreSQL: the ORDER BY keys that are DISTINCT ON keys must
		// come first, and all of them unless ORDER BY names no other key.
		mismatch := func(on int) error {
			return b.errAt(pgerr.InvalidColumnReference, exprLocation(s.DistinctClause[on], -1), "SELECT DISTINCT ON expressions must match initial ORDER BY expressions")
		}
		skipped := false
		inOrder := map[int]bool{}
		for _, k := range keys {
			on := slices.Index(onCols, k.col)
			if on < 0 {
				skipped = true
				continue
			}
			if skipped {
				return nil, nil, mismatch(on)
			}
			inOrder[k.col] = true
		}
		for on, c := range onCols {
			if !inOrder[c] && skipped {
				return nil, nil, mismatch(on)
			}
		}
	}

	// Aggregation: GROUP BY, aggregate calls anywhere in the select list,
	// HAVING or ORDER BY.
	var having Expr
	if s.HavingClause != nil {
		if having, err = b.bindExpr(s.HavingClause, sc, ctxHaving); err != nil {
			return nil, nil, err
		}
		if having, err = b.coerceBool(having, "HAVING"); err != nil {
			return nil, nil, err
		}
	}
	gsets, err := b.bindGroupClause(s, func(g *pg_query.Node) (Expr, error) {
		// A bare name that is a column of the FROM items means that
		// column, even when an output column has the name too (unlike
		// in ORDER BY): PostgreSQL reads GROUP BY names as input columns
		// first.
		if ref := g.GetColumnRef(); ref != nil && len(ref.Fields) == 1 && ref.Fields[0].GetString_() != nil {
			e, err := b.bindExpr(g, sc, ctxGroupBy)
			if err == nil {
				return b.resolveUnknown(e), nil
			}
			if pgerr.CodeOf(err) != pgerr.UndefinedColumn {
				return nil, err
			}
		}
		idx, err := b.outputRef(g, cols)
		if err != nil {
			return nil, err
		}
		var e Expr
		if idx >= 0 {
			cols[idx].untyped = false
			e = exprs[idx]
			if hasWindow(e) {
				return nil, pgerr.New(pgerr.WindowingError, "window functions are not allowed in GROUP BY")
			}
			if hasAggregate(e) {
				return nil, pgerr.New(pgerr.GroupingError, "aggregate functions are not allowed in GROUP BY")
			}
			if hasGrouping(e) {
				return nil, pgerr.New(pgerr.GroupingError, "grouping operations are not allowed in GROUP BY")
			}
		} else if e, err = b.bindExpr(g, sc, ctxGroupBy); err != nil {
			return nil, err
		}
		return b.resolveUnknown(e), nil
	})
	if err != nil {
		return nil, nil, err
	}
	groups := gsets.groups
	aggregated := len(s.GroupClause) > 0 || having != nil
	for _, e := range exprs {
		aggregated = aggregated || hasAggregate(e) || hasGrouping(e)
	}
	var lock *LockRows
	if locking != nil {
		if err := b.checkLocking(s, fromCols, exprs, aggregated); err != nil {
			return nil, nil, err
		}
		exprs, lock = b.lockRows(fromCols, exprs)
	}
	if aggregated {
		if gsets.sets == nil {
			groups = dependentGroups(groups, fromCols, append(slices.Clip(exprs), having))
			gsets.groups = groups
		}
		agg := &Aggregate{Input: node, Groups: groups}
		rw := &aggRewriter{agg: agg, groupKeys: map[string]int{}, aggKeys: map[string]int{}, fromCols: fromCols, query: b.query}
		for i, g := range groups {
			rw.groupKeys[exprKey(g)] = i
		}
		for i, e := range exprs {
			if exprs[i], err = rw.rewrite(e); err != nil {
				return nil, nil, err
			}
		}
		if having != nil {
			if having, err = rw.rewrite(having); err != nil {
				return nil, nil, err
			}
		}
		if node, err = b.finishGrouping(agg, gsets, rw.groupKeys, exprs, &having); err != nil {
			return nil, nil, err
		}
		if node == agg {
			node = carryDependentKeys(agg, fromCols)
		}
		if having != nil {
			node = &Filter{Input: node, Pred: having}
		}
	}

	// Window functions run over the grouped rows, before DISTINCT, ORDER
	// BY and LIMIT.
	node, exprs = bindWindows(node, exprs)
	// Set-returning functions run over the grouped and windowed rows.
	if node, exprs, err = bindProjectSet(node, exprs, groups); err != nil {
		return nil, nil, err
	}

	node = &Project{Input: node, Exprs: exprs}
	switch {
	case distinctOn:
		node = distinctOnRows(node, exprs, onCols, keys2sort(keys, exprs))
	case len(s.DistinctClause) > 0:
		node = &Distinct{Input: node}
	}
	if len(keys) > 0 {
		node = &Sort{Input: node, Keys: keys2sort(keys, exprs)}
	}
	if lock != nil {
		lock.Input = node
		node = lock
	}
	if node, err = b.bindLimit(s, node, sc); err != nil {
		return nil, nil, err
	}
	if len(exprs) > nVisible {
		node = &Project{Input: node, Exprs: colRefs(exprs[:nVisible])}
	}
	return node, cols, nil
}

func colRefs(exprs []Expr) []Expr {
	out := make([]Expr, len(exprs))
	for i, e := range exprs {
		out[i] = &ColRef{Index: i, T: e.Type()}
	}
	return out
}

func isStar(ref *pg_query.ColumnRef) bool {
	last := ref.Fields[len(ref.Fields)-1]
	return last.GetAStar() != nil
}

// outputRef resolves an ORDER BY / GROUP BY item that names an output
// column: an integer constant is a 1-based position, a bare name an
// output column name. It returns -1 when the item is an expression.
func (b *binder) outputRef(n *pg_query.Node, cols []ResultColumn) (int, error) {
	if c := n.GetAConst(); c != nil {
		if iv, ok := c.Val.(*pg_query.A_Const_Ival); ok {
			pos := int(iv.Ival.Ival)
			if pos < 1 || pos > len(cols) {
				return 0, (&pgerr.Error{Code: pgerr.InvalidColumnReference, Message: "ORDER BY position " + itoa(int64(pos)) + " is not in select list"}).WithPosition(position(b.query, c.Location))
			}
			return pos - 1, nil
		}
		return -1, nil
	}
	if ref := n.GetColumnRef(); ref != nil && len(ref.Fields) == 1 {
		if s := ref.Fields[0].GetString_(); s != nil {
			found := -1
			for i, c := range cols {
				if c.Name == s.Sval {
					if found >= 0 && cols[found].Name == c.Name {
						// Two output columns of that name: let the
						// expression binding decide (or report ambiguity).
						return -1, nil
					}
					found = i
				}
			}
			return found, nil
		}
	}
	return -1, nil
}

func (b *binder) bindLimit(s *pg_query.SelectStmt, node Node, sc *scope) (Node, error) {
	if s.LimitCount == nil && s.LimitOffset == nil {
		return node, nil
	}
	lim := &Limit{Input: node}
	if s.LimitOption == pg_query.LimitOption_LIMIT_OPTION_WITH_TIES {
		if err := bindWithTies(s, lim); err != nil {
			return nil, err
		}
	}
	bindCount := func(n *pg_query.Node) (Expr, error) {
		if n == nil {
			return nil, nil
		}
		if c := n.GetAConst(); c != nil && c.Isnull {
			return nil, nil
		}
		// The count may read the enclosing query's values (or a LATERAL
		// item's left side), not this query's columns.
		outer := &scope{}
		if sc != nil {
			outer.parent, outer.capture = sc.parent, sc.capture
		}
		e, err := b.bindExpr(n, outer, ctxLimit)
		if err != nil {
			return nil, err
		}
		return b.coerce(e, catalog.TypeInt8, -1)
	}
	var err error
	if lim.Count, err = bindCount(s.LimitCount); err != nil {
		return nil, err
	}
	if lim.Offset, err = bindCount(s.LimitOffset); err != nil {
		return nil, err
	}
	return lim, nil
}

// bindOrderLimit applies ORDER BY (by output position or name) and
// LIMIT to a VALUES list or a set operation.
func (b *binder) bindOrderLimit(s *pg_query.SelectStmt, node Node, cols []ResultColumn, parent *scope, capture *outerCapture) (Node, []ResultColumn, error) {
	if len(s.SortClause) > 0 {
		var keys []SortKey
		for _, o := range s.SortClause {
			sb := o.GetSortBy()
			idx, err := b.outputRef(sb.Node, cols)
			if err != nil {
				return nil, nil, err
			}
			if idx < 0 {
				// Expressions over the output columns, by name.
				sc := &scope{parent: parent, capture: capture}
				for _, c := range cols {
					sc.cols = append(sc.cols, scopeCol{name: c.Name, t: c.Type})
				}
				e, err := b.bindExpr(sb.Node, sc, ctxOrderBy)
				if err != nil {
					return nil, nil, err
				}
				cr, ok := e.(*ColRef)
				if !ok {
					return nil, nil, pgerr.Unsupported("ORDER BY on a UNION/INTERSECT/EXCEPT result must name output columns")
				}
				idx = cr.Index
			}
			desc, nf := sortOrder(sb)
			keys = append(keys, SortKey{Expr: &ColRef{Index: idx, T: cols[idx].Type, Name: cols[idx].Name}, Desc: desc, NullsFirst: nf})
		}
		node = &Sort{Input: node, Keys: keys}
	}
	node, err := b.bindLimit(s, node, &scope{parent: parent, capture: capture})
	return node, cols, err
}

func (b *binder) bindSetOp(s *pg_query.SelectStmt, parent *scope, capture *outerCapture) (Node, []ResultColumn, error) {
	left, lcols, err := b.bindSelect(s.Larg, parent, capture)
	if err != nil {
		return nil, nil, err
	}
	right, rcols, err := b.bindSelect(s.Rarg, parent, capture)
	if err != nil {
		return nil, nil, err
	}
	kind := SetUnion
	name := "UNION"
	switch s.Op {
	case pg_query.SetOperation_SETOP_INTERSECT:
		kind, name = SetIntersect, "INTERSECT"
	case pg_query.SetOperation_SETOP_EXCEPT:
		kind, name = SetExcept, "EXCEPT"
	}
	if len(lcols) != len(rcols) {
		return nil, nil, pgerr.New(pgerr.SyntaxError, "each %s query must have the same number of columns", name)
	}
	lt, rt := left.Types(), right.Types()
	var lx, rx []Expr
	cast := false
	for i := range lcols {
		// An untyped literal of a branch takes the type of the other
		// branch, as in Postgres, which leaves a set operation's leaf
		// queries' unknown-type columns for the set operation to resolve.
		in := []catalog.Type{lt[i], rt[i]}
		if lcols[i].untyped {
			in[0] = catalog.TypeUnknown
		}
		if rcols[i].untyped {
			in[1] = catalog.TypeUnknown
		}
		t, err := commonType(in, name)
		if err != nil {
			return nil, nil, err
		}
		l, err := b.coerceBranch(left, i, lcols[i].untyped, t, name)
		if err != nil {
			return nil, nil, err
		}
		r, err := b.coerceBranch(right, i, rcols[i].untyped, t, name)
		if err != nil {
			return nil, nil, err
		}
		cast = cast || lt[i] != t || rt[i] != t
		lx, rx = append(lx, l), append(rx, r)
		lcols[i].Type = t
		lcols[i].TableOID, lcols[i].AttrNum, lcols[i].untyped = 0, 0, false
	}
	if cast {
		left, right = &Project{Input: left, Exprs: lx}, &Project{Input: right, Exprs: rx}
	}
	node := Node(&SetOp{Kind: kind, All: s.All, Left: left, Right: right})
	return b.bindOrderLimit(s, node, lcols, parent, capture)
}

// coerceBranch converts column i of a set operation's input to the
// operation's column type t. An untyped literal is read as t when the
// input computes it directly (so SELECT 1 UNION SELECT 'x' fails as
// Postgres' does, at plan time), and so is an untyped parameter;
// otherwise its text is cast.
func (b *binder) coerceBranch(in Node, i int, untyped bool, t catalog.Type, what string) (Expr, error) {
	from := in.Types()[i]
	if untyped {
		if p, ok := in.(*Project); ok {
			if x, ok := p.Exprs[i].(*Param); ok {
				// resolveUnknown made it text for want of context.
				b.params[x.Index] = t
				p.Exprs[i] = &Param{Index: x.Index, T: t}
				return &ColRef{Index: i, T: t}, nil
			}
			if c, ok := p.Exprs[i].(*Const); ok {
				if _, ok := c.Value.(string); ok || c.Value == nil {
					lit, err := b.coerce(&Const{Value: c.Value, T: catalog.TypeUnknown, Loc: c.Loc}, t, c.Loc)
					if err != nil {
						return nil, err
					}
					p.Exprs[i] = lit
					return &ColRef{Index: i, T: t}, nil
				}
			}
		}
		return b.coerce(&ColRef{Index: i, T: from}, t, -1)
	}
	return b.coerceCommon(&ColRef{Index: i, T: from}, t, what, -1)
}

// bindValues binds VALUES lists. targets, when given, are the columns
// the rows are stored in (INSERT); otherwise each column takes the common
// type of its values.
func (b *binder) bindValues(lists []*pg_query.Node, targets []catalog.Column, parent *scope, capture *outerCapture) (Node, []ResultColumn, error) {
	sc := &scope{parent: parent, capture: capture}
	var rows [][]Expr
	width := -1
	for _, l := range lists {
		items := l.GetList().Items
		if width >= 0 && len(items) != width {
			return nil, nil, pgerr.New(pgerr.SyntaxError, "VALUES lists must all be the same length")
		}
		width = len(items)
		row := make([]Expr, len(items))
		for i, it := range items {
			if it.GetSetToDefault() != nil {
				if targets == nil || b.valueDefault == nil {
					return nil, nil, pgerr.New(pgerr.SyntaxError, "DEFAULT is not allowed in this context")
				}
				d, err := b.valueDefault(i)
				if err != nil {
					return nil, nil, err
				}
				row[i] = d
				continue
			}
			e, err := b.bindExpr(it, sc, ctxValues)
			if err != nil {
				return nil, nil, err
			}
			row[i] = e
		}
		rows = append(rows, row)
	}
	types := make([]catalog.Type, width)
	for c := 0; c < width; c++ {
		if targets != nil && c < len(targets) {
			types[c] = targets[c].Type
			continue
		}
		ts := make([]catalog.Type, len(rows))
		for r := range rows {
			ts[r] = rows[r][c].Type()
		}
		t, err := commonType(ts, "VALUES")
		if err != nil {
			return nil, nil, err
		}
		types[c] = t
	}
	for _, row := range rows {
		for c := range row {
			var err error
			if targets != nil {
				row[c], err = b.assignColumn(row[c], types[c], targets[c].Name)
			} else {
				row[c], err = b.coerceCommon(row[c], types[c], "VALUES", -1)
			}
			if err != nil {
				return nil, nil, err
			}
		}
	}
	cols := make([]ResultColumn, width)
	names := make([]string, width)
	for c := range cols {
		names[c] = "column" + itoa(int64(c+1))
		cols[c] = ResultColumn{Name: names[c], Type: types[c]}
	}
	return &Values{Rows: rows, Typs: types, Names: names}, cols, nil
}

// aggRewriter rewrites expressions bound over the FROM row into
// expressions over an Aggregate's output: group expressions become
// references to group columns, aggregate calls references to aggregate
// columns, and any other column reference is an error.
type aggRewriter struct {
	agg       *Aggregate
	groupKeys map[string]int
	aggKeys   map[string]int
	fromCols  []scopeCol
	query     string
}

func (r *aggRewriter) rewrite(e Expr) (Expr, error) {
	if i, ok := r.groupKeys[exprKey(e)]; ok {
		return &ColRef{Index: i, T: e.Type(), Name: e.String()}, nil
	}
	switch x := e.(type) {
	case *AggRef:
		if x.Direct != nil {
			// Evaluated per group: it may read only grouped columns.
			if _, err := r.rewrite(x.Direct); err != nil {
				if pe, ok := err.(*pgerr.Error); ok && pe.Code == pgerr.GroupingError {
					pe.Detail = "Direct arguments of an ordered-set aggregate must use only grouped columns."
				}
				return nil, err
			}
		}
		k := exprKey(x)
		i, ok := r.aggKeys[k]
		if !ok {
			r.agg.Aggs = append(r.agg.Aggs, x)
			i = len(r.agg.Aggs) - 1
			r.aggKeys[k] = i
		}
		return &ColRef{Index: len(r.agg.Groups) + i, T: x.T, Name: x.String()}, nil
	case *ColRef:
		c := r.fromCols[x.Index]
		name := c.name
		if c.table != "" {
			name = c.table + "." + c.name
		}
		return nil, pgerr.New(pgerr.GroupingError, "column \"%s\" must appear in the GROUP BY clause or be used in an aggregate function", name)
	case *RowExpr:
		if x.Table != "" {
			// A whole-row reference is grouped only as a whole, as
			// PostgreSQL's whole-row Var.
			return nil, pgerr.New(pgerr.GroupingError, "column \"%s.*\" must appear in the GROUP BY clause or be used in an aggregate function", x.Table)
		}
	case *SubqueryExpr:
		c := *x
		c.OuterCols = make([]Expr, len(x.OuterCols))
		for i, oc := range x.OuterCols {
			var err error
			if c.OuterCols[i], err = r.rewrite(oc); err != nil {
				return nil, err
			}
		}
		if x.Probe != nil {
			var err error
			if c.Probe, err = r.rewrite(x.Probe); err != nil {
				return nil, err
			}
		}
		return &c, nil
	}
	var firstErr error
	out := mapChildren(e, func(c Expr) Expr {
		if firstErr != nil {
			return c
		}
		n, err := r.rewrite(c)
		if err != nil {
			firstErr = err
			return c
		}
		return n
	})
	return out, firstErr
}

// exprKey identifies an expression for matching GROUP BY items and
// ORDER BY expressions and de-duplicating aggregates: its text with every
// column named by position (two tables' "id" columns are different
// columns), its type, and the plans of its subqueries.
func exprKey(e Expr) string {
	positional := mapExpr(e, func(n Expr) Expr {
		if c, ok := n.(*ColRef); ok {
			return &ColRef{Index: c.Index, T: c.T}
		}
		return n
	})
	key := positional.String() + "::" + e.Type().String()
	// A subquery prints as (SubPlan) whatever it holds: its plan and the
	// outer columns it reads tell it from another.
	walkExpr(e, func(n Expr) {
		if s, ok := n.(*SubqueryExpr); ok {
			key += "|" + planKey(s.Plan)
			for _, c := range s.OuterCols {
				key += "<-" + exprKey(c)
			}
		}
	})
	return key
}

func hasAggregate(e Expr) bool { return contains[*AggRef](e) }

// sortOrder reads an ORDER BY item's direction and NULLS placement;
// Postgres sorts NULLs as larger than every value, so they come last
// ascending and first descending unless the query says otherwise.
func sortOrder(sb *pg_query.SortBy) (desc, nullsFirst bool) {
	desc = sb.SortbyDir == pg_query.SortByDir_SORTBY_DESC
	nullsFirst = desc
	switch sb.SortbyNulls {
	case pg_query.SortByNulls_SORTBY_NULLS_FIRST:
		nullsFirst = true
	case pg_query.SortByNulls_SORTBY_NULLS_LAST:
		nullsFirst = false
	}
	return desc, nullsFirst
}

// orderKey is an ORDER BY key of a SELECT: a column of its projection.
type orderKey struct {
	col  int // index into the projection
	desc bool
	nf   bool
}

// keys2sort turns ORDER BY keys into sort keys over the projection exprs.
func keys2sort(keys []orderKey, exprs []Expr) []SortKey {
	sk := make([]SortKey, len(keys))
	for i, k := range keys {
		// Named by the expression it sorts by, for EXPLAIN's Sort Key.
		sk[i] = SortKey{Expr: &ColRef{Index: k.col, T: exprs[k.col].Type(), Name: exprs[k.col].String()}, Desc: k.desc, NullsFirst: k.nf}
	}
	return sk
}

// distinctOnRows keeps, of the rows of node (the projection exprs), the
// first by order of each distinct tuple of the columns on: the rows
// numbered 1 by row_number() OVER (PARTITION BY on ORDER BY order).
// DISTINCT ON, like DISTINCT, treats NULLs as equal, as PARTITION BY does.
func distinctOnRows(node Node, exprs []Expr, on []int, order []SortKey) Node {
	part := make([]Expr, len(on))
	for i, c := range on {
		part[i] = &ColRef{Index: c, T: exprs[c].Type()}
	}
	w := &Window{Input: node, PartitionBy: part, OrderBy: order,
		Funcs: []WindowCall{{Func: exec.WinRowNumber, Name: "row_number", T: catalog.TypeInt8}}}
	n := len(exprs)
	first := &Filter{Input: w, Pred: &BinExpr{Op: exec.OpEq, L: &ColRef{Index: n, T: catalog.TypeInt8}, R: &Const{Value: int64(1), T: catalog.TypeInt8}, T: catalog.TypeBool}}
	return &Project{Input: first, Exprs: colRefs(exprs)}
}
