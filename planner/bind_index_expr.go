package planner

import (
	"slices"
	"strconv"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/catalog/pgcatalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
)

// Expression and partial indexes. An index's expression key columns and
// its predicate are kept as SQL text (catalog.Index.Exprs, Predicate),
// like CHECK constraints, and bound over a row of the table wherever
// they are used: CREATE INDEX validates them as DefineIndex does, the
// engine compiles them (IndexKeyExprs) for storage to enforce a unique
// one, and the catalog functions print them as ruleutils does
// (DeparseIndexColumn, DeparseIndexPredicate).

// bindIndexExpr binds an index expression (pred false) or predicate over
// a row of t: no aggregates, window or set-returning functions,
// subqueries or parameters, only immutable functions, and a predicate
// must be boolean.
func (b *binder) bindIndexExpr(t *catalog.Table, n *pg_query.Node, pred bool) (Expr, error) {
	_, sc := tableScope(t, t.Name)
	sc.cols = sc.cols[:len(t.Columns)] // no row id
	ctx, what := ctxIndexExpr, "expression"
	if pred {
		ctx, what = ctxIndexPred, "predicate"
	}
	nParams := len(b.params)
	e, err := b.bindExpr(n, sc, ctx)
	if err != nil {
		return nil, err
	}
	if len(b.params) > nParams || contains[*Param](e) {
		return nil, pgerr.New(pgerr.UndefinedParameter, "there is no parameter $1")
	}
	if pred {
		if e, err = b.coerceBool(e, "WHERE"); err != nil {
			if pe := pgerr.From(err); pe.Position == 0 {
				return nil, pe.WithPosition(position(b.query, exprLocation(n, -1)))
			}
			return nil, err
		}
	} else {
		e = b.resolveUnknown(e)
	}
	if mutable(e) {
		return nil, pgerr.New(pgerr.InvalidObjectDefinition, "functions in index %s must be marked IMMUTABLE", what)
	}
	return e, nil
}

// mutable reports whether e calls something that is not IMMUTABLE in
// PostgreSQL: a stable or volatile function, a session function, or a
// cast or operator whose result depends on the session's TimeZone or
// DateStyle (the date and time types' text forms, timestamptz against
// the zone-less types).
func mutable(e Expr) bool {
	found := false
	walkExpr(e, func(n Expr) {
		switch x := n.(type) {
		case *FuncExpr:
			found = found || !immutableFunc(x)
		case *HostCall, *SubqueryExpr:
			found = true
		case *CastExpr:
			found = found || zoneDependentCast(x.Arg.Type(), x.T)
		case *BinExpr:
			l, r := x.L.Type().Kind, x.R.Type().Kind
			found = found || l != r && (l == catalog.TimestampTZ || r == catalog.TimestampTZ)
		}
	})
	return found
}

// immutableFunc reports whether PostgreSQL's function behind call f is
// immutable: pg_proc says so for the overload of f's argument types,
// else pqdb's registry does (for what pqdb binds to functions of its
// own).
func immutableFunc(f *FuncExpr) bool {
	args := make([]uint32, len(f.Args))
	for i, a := range f.Args {
		args[i] = a.Type().OID()
	}
	if v := pgcatalog.ProcVolatility(f.Name, args); v != 0 {
		return v == 'i'
	}
	return exec.FuncVolatility(f.Name) == exec.Immutable
}

// zoneDependentCast reports whether a cast from one type to another
// reads the session's TimeZone, DateStyle or IntervalStyle, or the
// catalog, which makes PostgreSQL's cast function stable: text to or
// from a date or time type, timestamptz to or from the zone-less ones,
// and an enum to or from anything else.
func zoneDependentCast(from, to catalog.Type) bool {
	dated := func(t catalog.Type) bool {
		switch t.Kind {
		case catalog.Date, catalog.Time, catalog.Timestamp, catalog.TimestampTZ, catalog.Interval:
			return true
		}
		return false
	}
	texty := func(t catalog.Type) bool {
		switch t.Kind {
		case catalog.Text, catalog.Varchar, catalog.Bpchar:
			return true
		}
		return false
	}
	switch {
	case from.Kind == to.Kind:
		return false
	case from.Kind == catalog.Enum || to.Kind == catalog.Enum:
		// enum_in and enum_out are stable.
		return true
	case dated(from) && texty(to), texty(from) && dated(to):
		return true
	case from.Kind == catalog.TimestampTZ || to.Kind == catalog.TimestampTZ:
		return dated(from) && dated(to)
	}
	return false
}

// indexColumnName is the name CREATE INDEX gives an expression key
// column (FigureIndexColname): a function's name, a cast's type name,
// else "expr".
func (b *binder) indexColumnName(n *pg_query.Node) string {
	if name, strength := b.figureColname(n); strength > 0 {
		return name
	}
	return "expr"
}

// uniqueColumnNames numbers names repeated among an index's columns, as
// ChooseIndexColumnNames does: expr, expr1, expr2.
func uniqueColumnNames(names []string) []string {
	out := make([]string, len(names))
	taken := map[string]bool{}
	for i, name := range names {
		cur := name
		for k := 1; taken[cur]; k++ {
			cur = name + strconv.Itoa(k)
		}
		taken[cur] = true
		out[i] = cur
	}
	return out
}

// storedIndexExpr reads back an index expression or predicate, bound
// over a row of t.
func (b *binder) storedIndexExpr(t *catalog.Table, text string, pred bool) (Expr, error) {
	val, err := parseStoredExpr(text)
	if err != nil {
		return nil, pgerr.New(pgerr.InternalError, "cannot read an expression of an index of \"%s\": %v", t.Name, err)
	}
	b.storedDefinition++
	defer func() { b.storedDefinition-- }()
	return b.bindIndexExpr(t, val, pred)
}

// IndexKeyPlan is what storage needs to enforce an index with
// expression key columns or a predicate: its key columns and predicate
// bound over a row of its table, and the key columns' names as a unique
// violation's detail prints them.
type IndexKeyPlan struct {
	Names []string
	Types []catalog.Type
	keys  []Expr
	pred  Expr // nil for none
}

// Lower returns the plan's key expressions and predicate (nil for none)
// over a batch of the table's rows. Each caller lowers its own, so that
// no evaluation state is shared between goroutines.
func (p *IndexKeyPlan) Lower() ([]exec.Expr, exec.Expr, error) {
	keys, err := LowerExprs(p.keys, nil)
	if err != nil || p.pred == nil {
		return keys, nil, err
	}
	pred, err := LowerExprs([]Expr{p.pred}, nil)
	if err != nil {
		return nil, nil, err
	}
	return keys, pred[0], nil
}

// IndexKeyExprs binds the keys and predicate of ix, an index of t, from
// their stored text.
func IndexKeyExprs(cat Catalog, t *catalog.Table, ix *catalog.Index) (p *IndexKeyPlan, err error) {
	defer recoverDeparse(&err)
	b := deparseBinder(cat, tableOptions(t, Options{}))
	p = &IndexKeyPlan{keys: make([]Expr, len(ix.Columns)), Names: make([]string, len(ix.Columns)), Types: make([]catalog.Type, len(ix.Columns))}
	for i, col := range ix.Columns {
		if e, ok := ix.KeyExpr(i); ok {
			if p.keys[i], err = b.storedIndexExpr(t, e.SQL, false); err != nil {
				return nil, err
			}
			p.Names[i] = indexColumnText(b, t, p.keys[i], true)
		} else {
			k := t.ColumnIndex(col)
			if k < 0 {
				return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" does not exist", col)
			}
			p.keys[i] = &ColRef{Index: k, T: t.Columns[k].Type, Name: col}
			p.Names[i] = exec.QuoteIdent(col)
		}
		p.Types[i] = p.keys[i].Type()
	}
	if ix.Predicate != "" {
		if p.pred, err = b.storedIndexExpr(t, ix.Predicate, true); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// indexColumnText prints an index's expression key column e of t as
// pg_get_indexdef does: in parentheses unless it looks like a function
// call.
func indexColumnText(b *binder, t *catalog.Table, e Expr, pretty bool) string {
	d := tableDeparser(b, t, existingSchemas(b.cat, b.opts.SearchPath), pretty)
	d.expr(e, false)
	if looksLikeFunction(b, e) {
		return d.text()
	}
	return "(" + d.text() + ")"
}

// looksLikeFunction reports whether e prints as a function call, which
// pg_get_indexdef does not parenthesize (looks_like_function): a call,
// in SQL syntax too (EXTRACT(...)), but not what pqdb binds operators,
// array syntax and AT TIME ZONE to.
func looksLikeFunction(b *binder, e Expr) bool {
	switch x := e.(type) {
	case *FuncExpr:
		if _, ok := b.deparse.operatorOf(x); ok {
			return false
		}
		if _, ok := quantifiedForm(x); ok {
			return false
		}
		switch x.Name {
		case "pqdb_array", "pqdb_array_subscript", "pqdb_array_slice", "timezone":
			return false
		}
		return true
	case *CoalesceExpr, *NullIfExpr:
		return true
	}
	return false
}

// DeparseIndexColumn prints the i-th key column of ix, an index of t, as
// pg_get_indexdef(index, i+1, pretty) does; an expression column of the
// whole definition is printed as with pretty false.
func DeparseIndexColumn(cat Catalog, t *catalog.Table, ix *catalog.Index, i int, pretty bool, opts Options) (text string, err error) {
	e, ok := ix.KeyExpr(i)
	if !ok {
		return exec.QuoteIdent(ix.Columns[i]), nil
	}
	defer recoverDeparse(&err)
	b := deparseBinder(cat, tableOptions(t, opts))
	x, err := b.storedIndexExpr(t, e.SQL, false)
	if err != nil {
		return "", err
	}
	return indexColumnText(b, t, x, pretty), nil
}

// DeparseIndexPredicate prints the predicate of ix, an index of t, as
// pg_get_expr prints pg_index.indpred (and pg_get_indexdef after WHERE).
func DeparseIndexPredicate(cat Catalog, t *catalog.Table, ix *catalog.Index, pretty bool, opts Options) (text string, err error) {
	defer recoverDeparse(&err)
	b := deparseBinder(cat, tableOptions(t, opts))
	p, err := b.storedIndexExpr(t, ix.Predicate, true)
	if err != nil {
		return "", err
	}
	d := tableDeparser(b, t, existingSchemas(b.cat, opts.SearchPath), pretty)
	d.expr(p, false)
	return d.text(), nil
}

// DeparseIndexExprs prints the expressions of ix, an index of t, as
// pg_get_expr prints pg_index.indexprs: a comma-separated list.
func DeparseIndexExprs(cat Catalog, t *catalog.Table, ix *catalog.Index, pretty bool, opts Options) (text string, err error) {
	defer recoverDeparse(&err)
	b := deparseBinder(cat, tableOptions(t, opts))
	for k, e := range ix.Exprs {
		x, err := b.storedIndexExpr(t, e.SQL, false)
		if err != nil {
			return "", err
		}
		d := tableDeparser(b, t, existingSchemas(b.cat, opts.SearchPath), pretty)
		d.expr(x, false)
		if k > 0 {
			text += ", "
		}
		text += d.text()
	}
	return text, nil
}

// indexReadsColumn reports whether an expression or the predicate of ix
// names column col.
func indexReadsColumn(ix *catalog.Index, col string) bool {
	for _, e := range ix.Exprs {
		if exprReadsColumn(e.SQL, col) {
			return true
		}
	}
	return ix.Predicate != "" && exprReadsColumn(ix.Predicate, col)
}

// checkRetypedIndexExprs refuses ALTER COLUMN TYPE of a column an index
// expression or predicate of t reads: PostgreSQL rebuilds such an index
// over the new type, which pqdb does not.
func (b *binder) checkRetypedIndexExprs(t *catalog.Table, col string) error {
	for _, ix := range b.cat.Indexes(t.Schema) {
		if ix.Table == t.Name && indexReadsColumn(ix, col) {
			return pgerr.Unsupported("cannot alter type of column \"%s\" because index \"%s\" computes its keys from it", col, ix.Name)
		}
	}
	return nil
}

// renameIndexColumn returns the new definitions of the indexes of t (as
// renamed) whose expressions or predicate name column old, naming new
// instead, with their plain columns renamed too (the definitions replace
// the ones storage renames).
func (b *binder) renameIndexColumn(t *catalog.Table, old, new string) ([]*catalog.Index, error) {
	var out []*catalog.Index
	for _, ix := range b.cat.Indexes(t.Schema) {
		if ix.Table != t.Name || !indexReadsColumn(ix, old) {
			continue
		}
		c := *ix
		c.Columns, c.Include, c.Exprs = slices.Clone(ix.Columns), slices.Clone(ix.Include), slices.Clone(ix.Exprs)
		for _, cols := range [][]string{c.Columns, c.Include} {
			for i, name := range cols {
				if name == old {
					cols[i] = new
				}
			}
		}
		for k, e := range c.Exprs {
			text, err := renameExprColumn(e.SQL, old, new)
			if err != nil {
				return nil, err
			}
			c.Exprs[k].SQL = text
		}
		if c.Predicate != "" {
			text, err := renameExprColumn(c.Predicate, old, new)
			if err != nil {
				return nil, err
			}
			c.Predicate = text
		}
		out = append(out, &c)
	}
	return out, nil
}

// ON CONFLICT inference compares an index's expressions and predicate
// with the conflict target's as canonical texts: each bound over a row
// of the table and printed as pg_get_expr would, so that lower(email)
// and LOWER( email ) match. An expression's text starts with a NUL byte,
// which no column name holds.

// inferenceBinder is a binder that prints what it binds over t.
func (b *binder) inferenceBinder(t *catalog.Table) *binder {
	return deparseBinder(b.cat, tableOptions(t, b.opts))
}

// canonicalExpr prints e, bound by db over a row of t, for comparison.
func canonicalExpr(db *binder, t *catalog.Table, e Expr) string {
	d := tableDeparser(db, t, nil, true)
	d.expr(e, false)
	return d.text()
}

// inferenceExpr is the canonical text of an ON CONFLICT target's
// expression element.
func (b *binder) inferenceExpr(t *catalog.Table, n *pg_query.Node) (string, error) {
	db := b.inferenceBinder(t)
	db.query = b.query
	e, err := db.bindIndexExpr(t, n, false)
	if err != nil {
		return "", err
	}
	return "\x00" + canonicalExpr(db, t, e), nil
}

// inferencePredicate is the conjuncts of an ON CONFLICT target's WHERE
// clause.
func (b *binder) inferencePredicate(t *catalog.Table, n *pg_query.Node) ([]conjunct, error) {
	db := b.inferenceBinder(t)
	db.query = b.query
	e, err := db.bindIndexExpr(t, n, true)
	if err != nil {
		return nil, err
	}
	var out []conjunct
	for _, c := range splitAnd(e) {
		out = append(out, newConjunct(db, t, c))
	}
	return out, nil
}

// indexInferenceElems are the key elements of ix, an index of t, as
// inference compares them (column names, expressions' canonical texts),
// and its predicate's conjuncts.
func (b *binder) indexInferenceElems(t *catalog.Table, ix *catalog.Index) ([]string, []conjunct, error) {
	if !ix.Computed() {
		return ix.Columns, nil, nil
	}
	db := b.inferenceBinder(t)
	elems := make([]string, len(ix.Columns))
	for i, col := range ix.Columns {
		elems[i] = col
		if e, ok := ix.KeyExpr(i); ok {
			x, err := db.storedIndexExpr(t, e.SQL, false)
			if err != nil {
				return nil, nil, err
			}
			elems[i] = "\x00" + canonicalExpr(db, t, x)
		}
	}
	var pred []conjunct
	if ix.Predicate != "" {
		p, err := db.storedIndexExpr(t, ix.Predicate, true)
		if err != nil {
			return nil, nil, err
		}
		for _, c := range splitAnd(p) {
			pred = append(pred, newConjunct(db, t, c))
		}
	}
	return elems, pred, nil
}
