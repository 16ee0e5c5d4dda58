package planner

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// ProjectSet expands set-returning unnest(array) calls (PostgreSQL's
// ProjectSet node): each input row is repeated once per element of its
// longest array (no row for NULL or empty arrays), and its output is the
// input's columns followed by one element column per array, NULL past
// an array's end. A select list's unnest calls bind to it above the
// aggregation and window functions and below DISTINCT, ORDER BY and
// LIMIT, as in PostgreSQL; unnest in FROM is a ProjectSet over one row.
type ProjectSet struct {
	Input  Node
	Arrays []Expr
	// Ordinality adds a last column numbering each input row's output
	// rows from 1 (FROM unnest(...) WITH ORDINALITY).
	Ordinality bool
}

func (n *ProjectSet) Types() []catalog.Type {
	ts := append([]catalog.Type(nil), n.Input.Types()...)
	for _, a := range n.Arrays {
		ts = append(ts, a.Type().ElemType())
	}
	if n.Ordinality {
		ts = append(ts, catalog.TypeInt8)
	}
	return ts
}

// unnestFunc is the name a select-list unnest call binds to until
// bindProjectSet replaces it by a column of a ProjectSet.
const unnestFunc = "unnest"

// bindUnnestCall binds unnest(array) where set-returning functions may
// stand: the select list.
func (b *binder) bindUnnestCall(f *pg_query.FuncCall, sc *scope, ctx exprContext) (Expr, error) {
	switch ctx {
	case ctxAggArg, ctxWindowArg:
		what := "aggregate"
		if ctx == ctxWindowArg {
			what = "window"
		}
		e := b.errAt(pgerr.FeatureNotSupported, f.Location, "%s function calls cannot contain set-returning function calls", what)
		e.Hint = "You might be able to move the set-returning function into a LATERAL FROM item."
		return nil, e
	}
	if ctx != ctxSelect && ctx != ctxOrderBy {
		where := contextName[ctx]
		if where == "" {
			where = "this context"
		}
		return nil, b.errAt(pgerr.FeatureNotSupported, f.Location, "set-returning functions are not allowed in %s", where)
	}
	if len(f.Args) != 1 || f.AggStar || f.AggDistinct || len(f.AggOrder) > 0 || f.AggFilter != nil {
		return nil, b.errAt(pgerr.FeatureNotSupported, f.Location, "unnest with more than one argument is not supported")
	}
	arg, err := b.unnestArg(f, sc, ctx)
	if err != nil {
		return nil, err
	}
	return &FuncExpr{Name: unnestFunc, Args: []Expr{arg}, T: arg.Type().ElemType()}, nil
}

// unnestArg binds unnest's array argument; an untyped literal cannot be
// read as an array of unknown elements.
func (b *binder) unnestArg(f *pg_query.FuncCall, sc *scope, ctx exprContext) (Expr, error) {
	arg, err := b.bindExpr(f.Args[0], sc, ctx)
	if err != nil {
		return nil, err
	}
	t := arg.Type()
	if t.Kind == catalog.Unknown {
		e := b.errAt(pgerr.AmbiguousFunction, f.Location, "function unnest(unknown) is not unique")
		e.Hint = "Could not choose a best candidate function. You might need to add explicit type casts."
		return nil, e
	}
	if t.Kind != catalog.Array {
		e := b.errAt(pgerr.UndefinedFunction, f.Location, "function unnest(%s) does not exist", t)
		e.Hint = "No function matches the given name and argument types. You might need to add explicit type casts."
		return nil, e
	}
	for _, c := range children(arg) {
		if isUnnest(c) {
			return nil, b.errAt(pgerr.FeatureNotSupported, f.Location, "nested set-returning functions are not supported")
		}
	}
	return arg, nil
}

func isUnnest(e Expr) bool {
	f, ok := e.(*FuncExpr)
	return ok && f.Name == unnestFunc
}

// bindProjectSet puts the select list's unnest calls into a ProjectSet
// over node and replaces each by a reference to its element column.
// PostgreSQL evaluates a set-returning function that GROUP BY names below
// the grouping; pqdb refuses that.
func bindProjectSet(node Node, exprs, groups []Expr) (Node, []Expr, error) {
	for _, g := range groups {
		if contains[*FuncExpr](g) {
			found := false
			walkExpr(g, func(n Expr) { found = found || isUnnest(n) })
			if found {
				return nil, nil, pgerr.Unsupported("set-returning functions in GROUP BY are not supported")
			}
		}
	}
	ps := &ProjectSet{Input: node}
	nIn := len(node.Types())
	cols := map[string]int{}
	for _, e := range exprs {
		walkExpr(e, func(n Expr) {
			if isUnnest(n) {
				k := exprKey(n)
				if _, ok := cols[k]; !ok {
					cols[k] = nIn + len(ps.Arrays)
					ps.Arrays = append(ps.Arrays, n.(*FuncExpr).Args[0])
				}
			}
		})
	}
	if len(ps.Arrays) == 0 {
		return node, exprs, nil
	}
	out := make([]Expr, len(exprs))
	for i, e := range exprs {
		out[i] = mapExpr(e, func(n Expr) Expr {
			if isUnnest(n) {
				return &ColRef{Index: cols[exprKey(n)], T: n.Type(), Name: "unnest"}
			}
			return n
		})
	}
	return ps, out, nil
}

// bindUnnestFrom binds unnest(array, ...) [WITH ORDINALITY] in FROM: the
// arrays side by side, NULL past the end of the shorter ones, expanding
// each row of input (nil: one row of no columns), whose columns sc holds.
// It returns the function's columns.
func (b *binder) bindUnnestFrom(rf *pg_query.RangeFunction, fc *pg_query.FuncCall, input Node, sc *scope) (Node, []scopeCol, error) {
	if input == nil {
		input = &Values{Rows: [][]Expr{{}}}
	}
	if len(fc.Args) == 0 {
		return nil, nil, b.noSuchFunc("unnest", nil, fc.Location)
	}
	alias := "unnest"
	if rf.Alias != nil {
		alias = rf.Alias.Aliasname
	}
	ps := &ProjectSet{Input: input, Ordinality: rf.Ordinality}
	var cols []scopeCol
	for i := range fc.Args {
		one := &pg_query.FuncCall{Funcname: fc.Funcname, Args: fc.Args[i : i+1], Location: fc.Location}
		arg, err := b.unnestArg(one, sc, ctxValues)
		if err != nil {
			return nil, nil, err
		}
		ps.Arrays = append(ps.Arrays, arg)
		name := "unnest"
		if len(fc.Args) == 1 && rf.Alias != nil {
			// A function returning one column is named by its alias.
			name = alias
		}
		cols = append(cols, scopeCol{table: alias, name: name, t: arg.Type().ElemType()})
	}
	if rf.Ordinality {
		cols = append(cols, scopeCol{table: alias, name: "ordinality", t: catalog.TypeInt8})
	}
	if err := applyColumnAliases(cols, rf.Alias); err != nil {
		return nil, nil, err
	}
	return ps, cols, nil
}

// pruneProjectSet keeps the input columns asked for and those the arrays
// read; every array is kept (each decides how many rows a row becomes).
func pruneProjectSet(x *ProjectSet, need map[int]bool) (Node, map[int]int) {
	nIn := len(x.Input.Types())
	want := map[int]bool{}
	for i := range need {
		if i < nIn {
			want[i] = true
		}
	}
	for _, a := range x.Arrays {
		colsUsed(a, want)
	}
	in, cm := prune(x.Input, want)
	x.Input = in
	for i, a := range x.Arrays {
		x.Arrays[i] = remapCols(a, cm)
	}
	m := map[int]int{}
	for o, nw := range cm {
		m[o] = nw
	}
	newIn := len(in.Types())
	for j := range x.Arrays {
		m[nIn+j] = newIn + j
	}
	if x.Ordinality {
		m[nIn+len(x.Arrays)] = newIn + len(x.Arrays)
	}
	return x, m
}

// unnestInFrom returns the call of a FROM item that is unnest(...) [WITH
// ORDINALITY], not LATERAL, ROWS FROM or with a column definition list.
func unnestInFrom(rf *pg_query.RangeFunction) *pg_query.FuncCall {
	if rf.Lateral || rf.IsRowsfrom || len(rf.Functions) != 1 || len(rf.Coldeflist) > 0 {
		return nil
	}
	items := rf.Functions[0].GetList().GetItems()
	if len(items) == 0 {
		return nil
	}
	fc := items[0].GetFuncCall()
	if fc == nil || fc.Funcname[len(fc.Funcname)-1].GetString_().Sval != unnestFunc {
		return nil
	}
	return fc
}
