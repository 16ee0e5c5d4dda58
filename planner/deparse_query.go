package planner

import (
	"slices"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
)

// deparse_query.go prints a view's query as pg_get_viewdef does
// (ruleutils.c's get_query_def): one select-list item per line, FROM,
// WHERE, GROUP BY, HAVING, ORDER BY, OFFSET and LIMIT each on a line of
// its own, indented by PRETTYINDENT_STD per query level, every column
// qualified by its FROM item's name and every expression printed from
// its bound tree (deparse_expr.go). The query's structure comes from its
// parse tree; each part is bound in the scope the binder gives it, so
// names resolve exactly as when the view is read.

// DeparseView prints view v's query as pg_get_viewdef prints it: a
// leading space, a closing semicolon; pretty drops needless
// parentheses.
func DeparseView(cat Catalog, v *catalog.View, pretty bool, opts Options) (text string, err error) {
	defer recoverDeparse(&err)
	visible := existingSchemas(withSystemCatalog(cat, opts.System), opts.SearchPath)
	opts.SearchPath = append([]string{v.Schema}, opts.SearchPath...)
	b := deparseBinder(cat, opts)
	stmts, err := Parse(v.SQL)
	if err != nil {
		return "", err
	}
	if len(stmts) != 1 || stmts[0].Node.GetSelectStmt() == nil {
		return "", pgerr.New(pgerr.DataCorrupted, "view \"%s\" has an unreadable definition", v.Name)
	}
	q := &queryPrinter{b: b, visible: visible}
	q.d = newDeparser(b, visible, pretty)
	q.d.query = q.sublink
	if err := q.selectStmt(stmts[0].Node.GetSelectStmt(), nil, nil, v.Columns, true, 0); err != nil {
		return "", err
	}
	if q.err != nil {
		return "", q.err
	}
	return q.d.text() + ";", nil
}

// queryPrinter prints the query levels of one statement into one
// deparser.
type queryPrinter struct {
	b *binder
	d *deparser
	// visible is the session's search path: relations found first
	// along it print unqualified.
	visible []string
	err     error
	// taken are the FROM item names of the query levels being printed,
	// outermost first; renamed maps, per level, a FROM item's name to
	// the one it prints as, unique among them (set_rtable_names: an
	// inner emp under an outer emp is emp_1).
	taken   []string
	renamed []map[string]string
}

// nameFromItems gives the FROM items of a level their printed names,
// in FROM order, each unique among the names of the levels around it;
// the returned function forgets them.
func (q *queryPrinter) nameFromItems(items []*pg_query.Node) func() {
	n := len(q.taken)
	renamed := map[string]string{}
	var walk func(item *pg_query.Node)
	add := func(name string) {
		unique := name
		for i := 1; slices.Contains(q.taken, unique); i++ {
			unique = name + "_" + itoa(int64(i))
		}
		q.taken = append(q.taken, unique)
		if unique != name {
			renamed[name] = unique
		}
	}
	walk = func(item *pg_query.Node) {
		switch x := item.Node.(type) {
		case *pg_query.Node_RangeVar:
			if x.RangeVar.Alias != nil {
				add(x.RangeVar.Alias.Aliasname)
			} else {
				add(x.RangeVar.Relname)
			}
		case *pg_query.Node_RangeSubselect:
			if x.RangeSubselect.Alias != nil {
				add(x.RangeSubselect.Alias.Aliasname)
			}
		case *pg_query.Node_RangeFunction:
			if x.RangeFunction.Alias != nil {
				add(x.RangeFunction.Alias.Aliasname)
			} else if name, ok := rangeFunctionCall(x.RangeFunction); ok {
				add(name.Funcname[len(name.Funcname)-1].GetString_().GetSval())
			}
		case *pg_query.Node_JoinExpr:
			walk(x.JoinExpr.Larg)
			walk(x.JoinExpr.Rarg)
			if x.JoinExpr.Alias != nil {
				add(x.JoinExpr.Alias.Aliasname)
			}
		}
	}
	for _, item := range items {
		walk(item)
	}
	q.renamed = append(q.renamed, renamed)
	return func() {
		q.taken = q.taken[:n]
		q.renamed = q.renamed[:len(q.renamed)-1]
	}
}

// printedName is the name the current level prints FROM item name as.
func (q *queryPrinter) printedName(name string) string {
	if len(q.renamed) > 0 {
		if r, ok := q.renamed[len(q.renamed)-1][name]; ok {
			return r
		}
	}
	return name
}

// level is the naming of one query level's columns: ColRef i prints
// names[i], OuterRef i the i-th value captured from the level around.
type level struct {
	names []string
	outer func(d *deparser, i int)
}

func (q *queryPrinter) enter(l level) func() {
	saved := level{names: q.d.names, outer: q.d.outer}
	q.d.names, q.d.outer = l.names, l.outer
	return func() { q.d.names, q.d.outer = saved.names, saved.outer }
}

// capturedBy prints the values a subquery reads of the level around it
// (around: that level's naming) through capture.
func capturedBy(capture *outerCapture, around level) func(d *deparser, i int) {
	return func(d *deparser, i int) {
		if i >= len(capture.cols) {
			d.str("NULL")
			return
		}
		saved := level{names: d.names, outer: d.outer}
		d.names, d.outer = around.names, around.outer
		d.expr(capture.cols[i], true)
		d.names, d.outer = saved.names, saved.outer
	}
}

// selectStmt is get_query_def for a SELECT: parent and capture as
// bindSelect takes them; names are the result's column names where the
// caller imposes them (a view's, a set operation's first branch's);
// colNamesVisible says whether every computed column shows its name.
func (q *queryPrinter) selectStmt(s *pg_query.SelectStmt, parent *scope, capture *outerCapture, names []string, colNamesVisible bool, indent int) error {
	d := q.d
	savedIndent := d.indentLevel
	d.indentLevel = indent
	defer func() { d.indentLevel = savedIndent }()
	pop, err := q.b.pushWith(s.WithClause, parent)
	if err != nil {
		return err
	}
	defer pop()
	if s.Op == pg_query.SetOperation_SETOP_NONE {
		// The level's FROM items are named before its WITH queries
		// are printed, whose own items then avoid their names.
		defer q.nameFromItems(s.FromClause)()
	}
	if s.WithClause != nil {
		if err := q.with(s.WithClause, parent); err != nil {
			return err
		}
	}
	if s.Op != pg_query.SetOperation_SETOP_NONE {
		if names == nil {
			names = q.setOpNames(s, parent)
		}
		if err := q.setOp(s, parent, names, colNamesVisible); err != nil {
			return err
		}
		return q.orderLimit(s, nil, nil, parent, true)
	}
	d.indentLevel += prettyIndentStd
	d.byte(' ')
	if len(s.ValuesLists) > 0 {
		if err := q.values(s, parent, capture); err != nil {
			return err
		}
		return q.orderLimit(s, nil, nil, parent, true)
	}
	_, fromCols, err := q.b.bindFrom(s.FromClause, parent, capture)
	if err != nil {
		return err
	}
	sc := &scope{cols: fromCols, parent: parent, capture: capture}
	l := level{names: make([]string, len(fromCols))}
	colNames := make([]string, len(fromCols))
	for i, c := range fromCols {
		colNames[i] = c.name
		l.names[i] = exec.QuoteIdent(c.name)
		table := c.table
		if c.merged {
			// A USING column merged from both sides reads as its
			// left side's.
			for _, o := range fromCols {
				if o.usingCopy && o.name == c.name {
					table = o.table
					break
				}
			}
		}
		if table != "" {
			l.names[i] = exec.QuoteIdent(q.printedName(table)) + "." + l.names[i]
		}
	}
	if parent != nil && capture != nil {
		l.outer = capturedBy(capture, level{names: d.names, outer: d.outer})
	}
	defer q.enter(l)()

	restoreWindows, err := q.b.setWindowClause(s)
	if err != nil {
		return err
	}
	defer restoreWindows()
	exprs, cols, err := q.b.bindTargetList(s.TargetList, sc, fromCols, len(s.FromClause) > 0, ctxSelect)
	if err != nil {
		return err
	}
	d.str("SELECT")
	if len(s.DistinctClause) > 0 {
		if len(s.DistinctClause) == 1 && (s.DistinctClause[0] == nil || s.DistinctClause[0].Node == nil) {
			d.str(" DISTINCT")
		} else {
			d.str(" DISTINCT ON (")
			for i, n := range s.DistinctClause {
				if i > 0 {
					d.str(", ")
				}
				e, err := q.outputOrExpr(n, sc, exprs, cols, ctxOrderBy)
				if err != nil {
					return err
				}
				d.expr(e, true)
			}
			d.byte(')')
		}
	}
	q.targetList(exprs, cols, colNames, names, colNamesVisible)

	if len(s.FromClause) > 0 {
		d.keyword(" FROM ", -prettyIndentStd, prettyIndentStd, 2)
		for i, item := range s.FromClause {
			if i == 0 {
				if err := q.fromItem(item, sc); err != nil {
					return err
				}
				continue
			}
			d.str(", ")
			saved := d.buf
			d.buf = nil
			if err := q.fromItem(item, sc); err != nil {
				return err
			}
			text := d.buf
			d.buf = saved
			if len(text) > 0 && text[0] == '\n' {
				d.trimSpaces()
			} else {
				d.keyword("", -prettyIndentStd, prettyIndentStd, prettyIndentVar)
			}
			d.buf = append(d.buf, text...)
		}
	}
	if s.WhereClause != nil {
		e, err := q.b.bindExpr(s.WhereClause, sc, ctxWhere)
		if err != nil {
			return err
		}
		d.keyword(" WHERE ", -prettyIndentStd, prettyIndentStd, 1)
		d.expr(e, false)
	}
	if len(s.GroupClause) > 0 {
		d.keyword(" GROUP BY ", -prettyIndentStd, prettyIndentStd, 1)
		for i, g := range s.GroupClause {
			if i > 0 {
				d.str(", ")
			}
			if err := q.groupingItem(g, sc, exprs, cols, true); err != nil {
				return err
			}
		}
	}
	if s.HavingClause != nil {
		e, err := q.b.bindExpr(s.HavingClause, sc, ctxHaving)
		if err != nil {
			return err
		}
		d.keyword(" HAVING ", -prettyIndentStd, prettyIndentStd, 0)
		d.expr(e, false)
	}
	if err := q.windowClause(s, sc, exprs, cols); err != nil {
		return err
	}
	return q.orderLimit(s, sc, &selectList{exprs: exprs, cols: cols}, parent, false)
}

// selectList is a query level's bound select list.
type selectList struct {
	exprs []Expr
	cols  []ResultColumn
}

// groupItem binds a GROUP BY item as bindSelect does: a FROM column
// first, else an output column by name or position, else an
// expression.
func (q *queryPrinter) groupItem(g *pg_query.Node, sc *scope, exprs []Expr, cols []ResultColumn) (Expr, error) {
	if ref := g.GetColumnRef(); ref != nil && len(ref.Fields) == 1 && ref.Fields[0].GetString_() != nil {
		if e, err := q.b.bindExpr(g, sc, ctxGroupBy); err == nil {
			return e, nil
		}
	}
	return q.outputOrExpr(g, sc, exprs, cols, ctxGroupBy)
}

// groupingItem is get_rule_groupingset: a GROUP BY item, an expression
// or a grouping set (ROLLUP, CUBE, GROUPING SETS, ()); omitParens drops
// the parentheses of a one-expression set inside ROLLUP and CUBE.
func (q *queryPrinter) groupingItem(g *pg_query.Node, sc *scope, exprs []Expr, cols []ResultColumn, omitParens bool) error {
	d := q.d
	list := func(items []*pg_query.Node, omit bool) error {
		for i, it := range items {
			if i > 0 {
				d.str(", ")
			}
			if err := q.groupingItem(it, sc, exprs, cols, omit); err != nil {
				return err
			}
		}
		return nil
	}
	switch x := g.Node.(type) {
	case *pg_query.Node_GroupingSet:
		gs := x.GroupingSet
		switch gs.Kind {
		case pg_query.GroupingSetKind_GROUPING_SET_EMPTY:
			d.str("()")
			return nil
		case pg_query.GroupingSetKind_GROUPING_SET_ROLLUP:
			d.str("ROLLUP(")
		case pg_query.GroupingSetKind_GROUPING_SET_CUBE:
			d.str("CUBE(")
		case pg_query.GroupingSetKind_GROUPING_SET_SETS:
			d.str("GROUPING SETS (")
		default:
			return pgerr.Unsupported("printing this grouping set is not supported")
		}
		if err := list(gs.Content, gs.Kind != pg_query.GroupingSetKind_GROUPING_SET_SETS); err != nil {
			return err
		}
		d.byte(')')
		return nil
	case *pg_query.Node_RowExpr:
		// (a, b) inside a grouping set: a set of several expressions.
		d.byte('(')
		if err := list(x.RowExpr.Args, true); err != nil {
			return err
		}
		d.byte(')')
		return nil
	}
	e, err := q.groupItem(g, sc, exprs, cols)
	if err != nil {
		return err
	}
	if !omitParens {
		d.byte('(')
	}
	q.d.sortGroupExpr(e)
	if !omitParens {
		d.byte(')')
	}
	return nil
}

// outputOrExpr binds an ORDER BY (or GROUP BY, DISTINCT ON) item: an
// output column by name or position, else an expression.
func (q *queryPrinter) outputOrExpr(n *pg_query.Node, sc *scope, exprs []Expr, cols []ResultColumn, ctx exprContext) (Expr, error) {
	idx, err := q.b.outputRef(n, cols)
	if err != nil {
		return nil, err
	}
	if idx >= 0 {
		return exprs[idx], nil
	}
	return q.b.bindExpr(n, sc, ctx)
}

// orderLimit prints ORDER BY, OFFSET and LIMIT; a set operation's ORDER
// BY (list nil) names output columns by number.
func (q *queryPrinter) orderLimit(s *pg_query.SelectStmt, sc *scope, list *selectList, parent *scope, setOp bool) error {
	d := q.d
	if len(s.SortClause) > 0 {
		d.keyword(" ORDER BY ", -prettyIndentStd, prettyIndentStd, 1)
		for i, o := range s.SortClause {
			if i > 0 {
				d.str(", ")
			}
			sb := o.GetSortBy()
			if setOp {
				pos, err := q.setOpOrderPosition(sb.Node, s, parent)
				if err != nil {
					return err
				}
				d.str(itoa(int64(pos)))
			} else {
				e, err := q.outputOrExpr(sb.Node, sc, list.exprs, list.cols, ctxOrderBy)
				if err != nil {
					return err
				}
				q.d.sortGroupExpr(e)
			}
			desc, nullsFirst := sortOrder(sb)
			if desc {
				d.str(" DESC")
			}
			if nullsFirst != desc {
				if nullsFirst {
					d.str(" NULLS FIRST")
				} else {
					d.str(" NULLS LAST")
				}
			}
		}
	}
	clause := func(kw string, n *pg_query.Node) error {
		if n == nil {
			return nil
		}
		if c := n.GetAConst(); c != nil && c.Isnull {
			if kw == " LIMIT " {
				d.keyword(" LIMIT ALL", -prettyIndentStd, prettyIndentStd, 0)
			}
			return nil
		}
		e, err := q.b.bindExpr(n, &scope{parent: parent}, ctxLimit)
		if err != nil {
			return err
		}
		d.keyword(kw, -prettyIndentStd, prettyIndentStd, 0)
		d.expr(e, false)
		return nil
	}
	if err := clause(" OFFSET ", s.LimitOffset); err != nil {
		return err
	}
	if s.LimitOption == pg_query.LimitOption_LIMIT_OPTION_WITH_TIES {
		e, err := q.b.bindExpr(s.LimitCount, &scope{parent: parent}, ctxLimit)
		if err != nil {
			return err
		}
		d.keyword(" FETCH FIRST ", -prettyIndentStd, prettyIndentStd, 0)
		d.byte('(')
		d.expr(e, false)
		d.str(") ROWS WITH TIES")
		return nil
	}
	return clause(" LIMIT ", s.LimitCount)
}

// setOpOrderPosition is the output column a set operation's ORDER BY
// item names: by position, or by the first branch's column name.
func (q *queryPrinter) setOpOrderPosition(n *pg_query.Node, s *pg_query.SelectStmt, parent *scope) (int, error) {
	names := q.setOpNames(s, parent)
	cols := make([]ResultColumn, len(names))
	for i, name := range names {
		cols[i].Name = name
	}
	idx, err := q.b.outputRef(n, cols)
	if err != nil {
		return 0, err
	}
	if idx < 0 {
		return 0, pgerr.Unsupported("printing an ORDER BY expression of a set operation is not supported")
	}
	return idx + 1, nil
}

// setOpNames are the output column names of a set operation: its first
// branch's.
func (q *queryPrinter) setOpNames(s *pg_query.SelectStmt, parent *scope) []string {
	for s.Op != pg_query.SetOperation_SETOP_NONE {
		s = s.Larg
	}
	_, cols, err := q.b.bindSelect(s, parent, &outerCapture{})
	if err != nil {
		return nil
	}
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	return names
}

// targetList is get_target_list: each item after the first on a line of
// its own, AS name where the name is not the column's own.
func (q *queryPrinter) targetList(exprs []Expr, cols []ResultColumn, fromNames, names []string, colNamesVisible bool) {
	d := q.d
	sep := " "
	for i, e := range exprs {
		if i >= len(cols) {
			break // ORDER BY's hidden columns
		}
		d.str(sep)
		sep = ", "
		// The item goes to a buffer of its own first, as ruleutils.c's
		// targetbuf: what it starts with decides the line break before
		// it.
		saved := d.buf
		d.buf = nil
		attname := "?column?"
		if colNamesVisible {
			attname = ""
		}
		if c, ok := e.(*ColRef); ok {
			attname = cols[i].Name
			if c.Index < len(fromNames) {
				attname = fromNames[c.Index]
			}
		}
		d.expr(e, true)
		colname := cols[i].Name
		if i < len(names) {
			colname = names[i]
		}
		if attname == "" || attname != colname {
			d.str(" AS " + exec.QuoteIdent(colname))
		}
		item := d.buf
		d.buf = saved
		leadingNL := len(item) > 0 && item[0] == '\n'
		if leadingNL {
			d.trimSpaces()
		} else if i > 0 {
			d.keyword("", -prettyIndentStd, prettyIndentStd, prettyIndentVar)
		}
		d.buf = append(d.buf, item...)
	}
}

// with is get_with_clause.
func (q *queryPrinter) with(w *pg_query.WithClause, parent *scope) error {
	d := q.d
	d.indentLevel += prettyIndentStd
	d.byte(' ')
	sep := "WITH "
	if w.Recursive {
		sep = "WITH RECURSIVE "
	}
	for _, n := range w.Ctes {
		c := n.GetCommonTableExpr()
		d.str(sep + exec.QuoteIdent(c.Ctename))
		if len(c.Aliascolnames) > 0 {
			d.byte('(')
			for i, a := range c.Aliascolnames {
				if i > 0 {
					d.str(", ")
				}
				d.str(exec.QuoteIdent(a.GetString_().GetSval()))
			}
			d.byte(')')
		}
		d.str(" AS ")
		switch c.Ctematerialized {
		case pg_query.CTEMaterialize_CTEMaterializeAlways:
			d.str("MATERIALIZED ")
		case pg_query.CTEMaterialize_CTEMaterializeNever:
			d.str("NOT MATERIALIZED ")
		}
		d.byte('(')
		d.keyword("", 0, 0, 0)
		sel := c.Ctequery.GetSelectStmt()
		if sel == nil {
			return pgerr.Unsupported("printing a data-modifying WITH query is not supported")
		}
		if err := q.selectStmt(sel, parent, nil, nil, true, d.indentLevel); err != nil {
			return err
		}
		d.keyword("", 0, 0, 0)
		d.byte(')')
		sep = ", "
	}
	d.indentLevel -= prettyIndentStd
	d.keyword("", 0, 0, 0)
	return nil
}

// setOp is get_setop_query.
func (q *queryPrinter) setOp(s *pg_query.SelectStmt, parent *scope, names []string, colNamesVisible bool) error {
	d := q.d
	if s.Op == pg_query.SetOperation_SETOP_NONE {
		needParen := s.WithClause != nil || len(s.SortClause) > 0 || s.LimitCount != nil || s.LimitOffset != nil
		if needParen {
			d.byte('(')
		}
		if err := q.selectStmt(s, parent, &outerCapture{}, names, colNamesVisible, d.indentLevel); err != nil {
			return err
		}
		if needParen {
			d.byte(')')
		}
		return nil
	}
	needParen := s.Larg.Op != pg_query.SetOperation_SETOP_NONE && (s.Larg.Op != s.Op || s.Larg.All != s.All)
	sub := 0
	if needParen {
		d.byte('(')
		sub = prettyIndentStd
		d.keyword("", sub, 0, 0)
	}
	if err := q.setOp(s.Larg, parent, names, colNamesVisible); err != nil {
		return err
	}
	if needParen {
		d.keyword(") ", -sub, 0, 0)
	} else {
		d.keyword("", -sub, 0, 0)
	}
	switch s.Op {
	case pg_query.SetOperation_SETOP_UNION:
		d.str("UNION ")
	case pg_query.SetOperation_SETOP_INTERSECT:
		d.str("INTERSECT ")
	case pg_query.SetOperation_SETOP_EXCEPT:
		d.str("EXCEPT ")
	}
	if s.All {
		d.str("ALL ")
	}
	needParen = s.Rarg.Op != pg_query.SetOperation_SETOP_NONE
	sub = 0
	if needParen {
		d.byte('(')
		sub = prettyIndentStd
	}
	d.keyword("", sub, 0, 0)
	if err := q.setOp(s.Rarg, parent, names, false); err != nil {
		return err
	}
	d.indentLevel -= sub
	if needParen {
		d.keyword(")", 0, 0, 0)
	}
	return nil
}

// fromItem is get_from_clause_item; sc is the whole FROM clause's scope,
// in which JOIN conditions are bound.
func (q *queryPrinter) fromItem(n *pg_query.Node, sc *scope) error {
	d := q.d
	switch x := n.Node.(type) {
	case *pg_query.Node_RangeVar:
		rv := x.RangeVar
		if !rv.Inh {
			d.str("ONLY ")
		}
		d.str(q.relationName(rv))
		name := rv.Relname
		if rv.Alias != nil {
			name = rv.Alias.Aliasname
		}
		if printed := q.printedName(name); printed != rv.Relname {
			q.d.str(" " + exec.QuoteIdent(printed))
		}
		q.columnAliases(rv.Alias)
	case *pg_query.Node_RangeSubselect:
		if x.RangeSubselect.Lateral {
			d.str("LATERAL ")
		}
		d.byte('(')
		// A LATERAL subquery reads the items beside it, the others only
		// the query levels around.
		parent := sc.parent
		if x.RangeSubselect.Lateral {
			parent = sc
		}
		if err := q.selectStmt(x.RangeSubselect.Subquery.GetSelectStmt(), parent, &outerCapture{}, nil, true, d.indentLevel); err != nil {
			return err
		}
		d.byte(')')
		q.alias(x.RangeSubselect.Alias)
	case *pg_query.Node_JoinExpr:
		j := x.JoinExpr
		if !d.prettyParen || j.Alias != nil {
			d.byte('(')
		}
		if err := q.fromItem(j.Larg, sc); err != nil {
			return err
		}
		kw := map[pg_query.JoinType]string{pg_query.JoinType_JOIN_INNER: " JOIN ", pg_query.JoinType_JOIN_LEFT: " LEFT JOIN ",
			pg_query.JoinType_JOIN_RIGHT: " RIGHT JOIN ", pg_query.JoinType_JOIN_FULL: " FULL JOIN "}[j.Jointype]
		if kw == "" {
			return pgerr.Unsupported("printing this join is not supported")
		}
		if j.Jointype == pg_query.JoinType_JOIN_INNER && j.Quals == nil && len(j.UsingClause) == 0 && !j.IsNatural {
			kw = " CROSS JOIN "
		}
		d.keyword(kw, -prettyIndentStd, prettyIndentStd, prettyIndentJoin)
		_, rightIsRel := j.Rarg.Node.(*pg_query.Node_RangeVar)
		needParen := d.prettyParen && !rightIsRel && !(j.Rarg.GetJoinExpr() != nil && j.Rarg.GetJoinExpr().Alias != nil)
		if needParen {
			d.byte('(')
		}
		if err := q.fromItem(j.Rarg, sc); err != nil {
			return err
		}
		if needParen {
			d.byte(')')
		}
		using := make([]string, len(j.UsingClause))
		for i, u := range j.UsingClause {
			using[i] = u.GetString_().GetSval()
		}
		if j.IsNatural {
			// NATURAL JOIN prints as the USING of the columns it
			// merged.
			for _, c := range sc.cols {
				if c.merged && !slices.Contains(using, c.name) {
					using = append(using, c.name)
				}
			}
		}
		switch {
		case len(using) > 0:
			d.str(" USING (")
			for i, u := range using {
				if i > 0 {
					d.str(", ")
				}
				d.str(exec.QuoteIdent(u))
			}
			d.byte(')')
			if j.JoinUsingAlias != nil {
				d.str(" AS " + exec.QuoteIdent(j.JoinUsingAlias.Aliasname))
			}
		case j.Quals != nil:
			e, err := q.b.bindExpr(j.Quals, sc, ctxJoinOn)
			if err != nil {
				return err
			}
			d.str(" ON ")
			d.open()
			d.expr(e, false)
			d.close()
		case j.Jointype != pg_query.JoinType_JOIN_INNER:
			d.str(" ON TRUE")
		}
		if !d.prettyParen || j.Alias != nil {
			d.byte(')')
		}
		if j.Alias != nil {
			q.alias(j.Alias)
		}
	case *pg_query.Node_RangeFunction:
		return q.functionItem(x.RangeFunction, sc)
	default:
		return pgerr.Unsupported("printing this FROM item is not supported")
	}
	return nil
}

// rangeFunctionCall is the one function call of a plain function in
// FROM (not ROWS FROM, WITH ORDINALITY or a column definition list).
func rangeFunctionCall(rf *pg_query.RangeFunction) (*pg_query.FuncCall, bool) {
	if rf.IsRowsfrom || rf.Ordinality || len(rf.Functions) != 1 {
		return nil, false
	}
	items := rf.Functions[0].GetList().GetItems()
	if len(items) == 0 || len(items) > 1 && items[1] != nil && items[1].Node != nil {
		return nil, false
	}
	fc := items[0].GetFuncCall()
	return fc, fc != nil && len(fc.Funcname) > 0
}

// functionItem prints a function in FROM as ruleutils.c does: the call,
// then its name and column names, always (generate_series(1, 3) g(g)).
func (q *queryPrinter) functionItem(rf *pg_query.RangeFunction, sc *scope) error {
	d := q.d
	fc, ok := rangeFunctionCall(rf)
	if !ok || fc.AggStar || fc.AggDistinct || len(fc.AggOrder) > 0 || fc.AggFilter != nil || fc.Over != nil || fc.FuncVariadic {
		return pgerr.Unsupported("printing this function in FROM is not supported")
	}
	name := fc.Funcname[len(fc.Funcname)-1].GetString_().GetSval()
	args := make([]Expr, len(fc.Args))
	for i, a := range fc.Args {
		e, err := q.b.bindExpr(a, sc, ctxFromFunc)
		if err != nil {
			return err
		}
		args[i] = e
	}
	d.call(name, args)
	alias := name
	if rf.Alias != nil {
		alias = rf.Alias.Aliasname
	}
	d.str(" " + exec.QuoteIdent(q.printedName(alias)) + "(")
	n := 0
	for _, c := range sc.cols {
		if c.table == alias && !c.hidden {
			if n > 0 {
				d.str(", ")
			}
			d.str(exec.QuoteIdent(c.name))
			n++
		}
	}
	d.byte(')')
	return nil
}

// values is get_values_def: VALUES (1,'a'::text), (2,'b'::text).
func (q *queryPrinter) values(s *pg_query.SelectStmt, parent *scope, capture *outerCapture) error {
	node, _, err := q.b.bindValues(s.ValuesLists, nil, parent, capture)
	if err != nil {
		return err
	}
	vals, ok := node.(*Values)
	if !ok {
		return pgerr.Unsupported("printing these VALUES is not supported")
	}
	d := q.d
	d.str("VALUES ")
	for i, row := range vals.Rows {
		if i > 0 {
			d.str(", ")
		}
		d.byte('(')
		for j, e := range row {
			if j > 0 {
				d.byte(',')
			}
			d.expr(e, false)
		}
		d.byte(')')
	}
	return nil
}

// alias prints a FROM item's alias and column aliases.
func (q *queryPrinter) alias(a *pg_query.Alias) {
	if a == nil {
		return
	}
	q.d.str(" " + exec.QuoteIdent(q.printedName(a.Aliasname)))
	q.columnAliases(a)
}

// columnAliases prints the column aliases of a FROM item: x(a, b).
func (q *queryPrinter) columnAliases(a *pg_query.Alias) {
	if a != nil && len(a.Colnames) > 0 {
		q.d.byte('(')
		for i, c := range a.Colnames {
			if i > 0 {
				q.d.str(", ")
			}
			q.d.str(exec.QuoteIdent(c.GetString_().GetSval()))
		}
		q.d.byte(')')
	}
}

// relationName is generate_relation_name: the relation's name,
// qualified by its schema unless the session's search path finds it
// first (a WITH query's name as it is).
func (q *queryPrinter) relationName(rv *pg_query.RangeVar) string {
	name := exec.QuoteIdent(rv.Relname)
	schema := rv.Schemaname
	if schema == "" {
		for _, c := range q.b.ctes {
			if c.def.Ctename == rv.Relname {
				return name
			}
		}
		schema = q.schemaOf(rv.Relname, q.b.searchPath)
	}
	if schema == "" || q.schemaOf(rv.Relname, q.visible) == schema {
		return name
	}
	return exec.QuoteIdent(schema) + "." + name
}

// schemaOf is the first schema of path holding a relation name.
func (q *queryPrinter) schemaOf(name string, path []string) string {
	if q.b.cat.Table(PgCatalogSchema, name) != nil || q.b.cat.View(PgCatalogSchema, name) != nil {
		return PgCatalogSchema
	}
	for _, s := range path {
		if q.b.cat.Table(s, name) != nil || q.b.cat.View(s, name) != nil {
			return s
		}
	}
	return ""
}

// sublink is get_sublink_expr: a subquery in an expression, its query
// indented from the current level.
func (q *queryPrinter) sublink(d *deparser, n *sublinkNote) {
	if q.err != nil {
		return
	}
	sub, ok := n.expr.(*SubqueryExpr)
	if !ok {
		d.str("(SubPlan)")
		return
	}
	link := n.link
	if link.SubLinkType == pg_query.SubLinkType_ARRAY_SUBLINK {
		d.str("ARRAY(")
	} else {
		d.byte('(')
	}
	needParen := true
	switch link.SubLinkType {
	case pg_query.SubLinkType_EXISTS_SUBLINK:
		d.str("EXISTS ")
	case pg_query.SubLinkType_ANY_SUBLINK, pg_query.SubLinkType_ALL_SUBLINK:
		if sub.Probe != nil {
			d.expr(sub.Probe, true)
		}
		op := sub.Op.String()
		switch {
		case link.SubLinkType == pg_query.SubLinkType_ANY_SUBLINK && op == "=":
			d.str(" IN ")
		case link.SubLinkType == pg_query.SubLinkType_ANY_SUBLINK:
			d.str(" " + op + " ANY ")
		default:
			d.str(" " + op + " ALL ")
		}
	default:
		needParen = false
	}
	if needParen {
		d.byte('(')
	}
	capture := &outerCapture{}
	if err := q.selectStmt(link.Subselect.GetSelectStmt(), n.scope, capture, nil, false, d.indentLevel); err != nil {
		q.err = err
	}
	if needParen {
		d.str("))")
	} else {
		d.byte(')')
	}
}

// subquery prints a subquery expression: through the query printer,
// or, outside a query (a CHECK cannot hold one), as a placeholder.
func (d *deparser) subquery(x *SubqueryExpr) {
	if n, ok := d.notes.subLinkOf(x); ok && d.query != nil {
		d.query(d, n)
		return
	}
	d.str("(SubPlan)")
}

// windowClause is get_rule_windowclause: the named windows, each bound
// in the query level's scope.
func (q *queryPrinter) windowClause(s *pg_query.SelectStmt, sc *scope, exprs []Expr, cols []ResultColumn) error {
	d := q.d
	for i, n := range s.WindowClause {
		w := n.GetWindowDef()
		if w.Refname != "" || w.FrameOptions&frameNonDefault != 0 {
			return pgerr.Unsupported("printing this WINDOW clause is not supported")
		}
		if i == 0 {
			d.keyword(" WINDOW ", -prettyIndentStd, prettyIndentStd, 1)
		} else {
			d.str(", ")
		}
		partition := make([]Expr, len(w.PartitionClause))
		for j, p := range w.PartitionClause {
			e, err := q.outputOrExpr(p, sc, exprs, cols, ctxWindowDef)
			if err != nil {
				return err
			}
			partition[j] = e
		}
		order := make([]SortKey, len(w.OrderClause))
		for j, o := range w.OrderClause {
			sb := o.GetSortBy()
			e, err := q.outputOrExpr(sb.Node, sc, exprs, cols, ctxWindowDef)
			if err != nil {
				return err
			}
			desc, nullsFirst := sortOrder(sb)
			order[j] = SortKey{Expr: e, Desc: desc, NullsFirst: nullsFirst}
		}
		d.str(exec.QuoteIdent(w.Name) + " AS ")
		d.windowSpec("", partition, order, "")
	}
	return nil
}
