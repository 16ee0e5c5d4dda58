package planner

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
)

// ProjectSet runs set-returning functions over its input (PostgreSQL's
// ProjectSet and Function Scan): each input row is repeated once per row
// of its longest set (no row when every set is empty), followed by the
// functions' columns side by side, NULL past a set's end, and with
// Ordinality a last int8 column numbering each input row's rows from 1.
//
// A select list's set-returning calls bind to ProjectSets above the
// aggregation and window functions and below DISTINCT, ORDER BY and
// LIMIT, one per nesting level as in PostgreSQL (generate_series(1,
// generate_series(1, 3)) runs the inner call in the lower one). A
// function in FROM is a ProjectSet over one empty row, or over the items
// before it when it reads their columns (a function in FROM is
// implicitly LATERAL); ROWS FROM (f(), g()) and unnest(a, b) zip
// several functions in one.
type ProjectSet struct {
	Input      Node
	Funcs      []*SetCall
	Ordinality bool
	// FromItem marks functions called in FROM (EXPLAIN's Function Scan).
	FromItem bool
}

// SetCall is one function of a ProjectSet: a set-returning function, or
// (Scalar) a function in FROM that returns one value, which is a set of
// one row (NULL included).
type SetCall struct {
	Name   string
	Args   []Expr
	Types  []catalog.Type
	Scalar bool
	// Fields are the columns a column definition list gives a function
	// returning records (bind_column_definition.go); nil for others.
	Fields []catalog.RecordField
	// Expand splits the function's one column of records into their
	// fields, which Types lists (bind_record_set.go).
	Expand bool
}

func (c *SetCall) String() string {
	if c.Scalar {
		return c.Args[0].String()
	}
	return c.Name + "(" + joinExprs(c.Args, ", ") + ")"
}

func (n *ProjectSet) Types() []catalog.Type {
	ts := append([]catalog.Type(nil), n.Input.Types()...)
	for _, f := range n.Funcs {
		ts = append(ts, f.Types...)
	}
	if n.Ordinality {
		ts = append(ts, catalog.TypeInt8)
	}
	return ts
}

// isSetCall tells a select-list call of a set-returning function, which
// bindProjectSet replaces by a column of a ProjectSet.
func isSetCall(e Expr) bool {
	f, ok := e.(*FuncExpr)
	return ok && exec.IsSetFunc(f.Name)
}

func containsSetCall(e Expr) bool {
	found := false
	walkExpr(e, func(n Expr) { found = found || isSetCall(n) })
	return found
}

// bindSetCallExpr binds a set-returning call where an expression stands:
// allowed in the select list (and ORDER BY), as one column, which is a
// record of the set's columns when it has several.
func (b *binder) bindSetCallExpr(f *pg_query.FuncCall, name string, sc *scope, ctx exprContext) (Expr, error) {
	switch ctx {
	case ctxAggArg, ctxWindowArg:
		what := "aggregate"
		if ctx == ctxWindowArg {
			what = "window"
		}
		e := b.errAt(pgerr.FeatureNotSupported, f.Location, "%s function calls cannot contain set-returning function calls", what)
		e.Hint = "You might be able to move the set-returning function into a LATERAL FROM item."
		return nil, e
	case ctxFromFunc:
		return nil, b.errAt(pgerr.FeatureNotSupported, f.Location, "set-returning functions must appear at top level of FROM")
	}
	if ctx != ctxSelect && ctx != ctxOrderBy {
		where := contextName[ctx]
		if where == "" {
			where = "this context"
		}
		return nil, b.errAt(pgerr.FeatureNotSupported, f.Location, "set-returning functions are not allowed in %s", where)
	}
	call, names, err := b.bindSetCall(f, name, sc, ctx)
	if err != nil {
		return nil, err
	}
	if len(call.Types) == 1 {
		return &FuncExpr{Name: name, Args: call.Args, T: call.Types[0]}, nil
	}
	// A set of several columns is, as one value, a record of them
	// ((information_schema._pg_expandarray(indkey)).n); bindProjectSet
	// builds it from the ProjectSet's columns.
	fields := make([]catalog.RecordField, len(call.Types))
	for i, t := range call.Types {
		fields[i] = catalog.RecordField{Name: names[i], Type: t}
	}
	return &FuncExpr{Name: name, Args: call.Args, T: catalog.RecordOf(fields)}, nil
}

// setCallColumns are the types of the columns the select-list set call f
// adds to its ProjectSet: one, f's own, unless f stands for the record of
// a set of several columns.
func setCallColumns(f *FuncExpr) []catalog.Type {
	if f.T.Kind == catalog.Record {
		ts := make([]catalog.Type, len(f.Args))
		for i, a := range f.Args {
			ts[i] = a.Type()
		}
		if _, result, _, err := exec.SetFuncResolve(f.Name, ts); err == nil && len(result) > 1 {
			return result
		}
	}
	return []catalog.Type{f.T}
}

// errNoSetCallIn refuses a set-returning call inside a conditional
// expression, which would run it for rows the condition skips.
func (b *binder) errNoSetCallIn(what string, loc int32) error {
	e := b.errAt(pgerr.FeatureNotSupported, loc, "set-returning functions are not allowed in %s", what)
	e.Hint = "You might be able to move the set-returning function into a LATERAL FROM item."
	return e
}

// bindSetCall binds a call of the set-returning function name: its
// arguments, cast to the overload's types. It also returns the names of
// the set's columns.
func (b *binder) bindSetCall(f *pg_query.FuncCall, name string, sc *scope, ctx exprContext) (*SetCall, []string, error) {
	if f.AggStar || f.AggDistinct || len(f.AggOrder) > 0 || f.AggFilter != nil || f.Over != nil {
		what := "DISTINCT"
		switch {
		case f.AggStar:
			return nil, nil, b.noSuchFunc(name, nil, f.Location)
		case len(f.AggOrder) > 0:
			what = "ORDER BY"
		case f.AggFilter != nil:
			what = "FILTER"
		case f.Over != nil:
			what = "OVER"
		}
		return nil, nil, b.errAt(pgerr.WrongObjectType, f.Location, "%s specified, but %s is not an aggregate function", what, name)
	}
	args := make([]Expr, len(f.Args))
	for i, a := range f.Args {
		if a.GetNamedArgExpr() != nil {
			return nil, nil, b.errAt(pgerr.FeatureNotSupported, f.Location, "named arguments of %s are not supported", name)
		}
		e, err := b.bindExpr(a, sc, ctx)
		if err != nil {
			return nil, nil, err
		}
		if containsSetCall(e) && ctx == ctxFromFunc {
			return nil, nil, b.errAt(pgerr.FeatureNotSupported, f.Location, "set-returning functions must appear at top level of FROM")
		}
		args[i] = e
	}
	ts := make([]catalog.Type, len(args))
	for i, a := range args {
		ts[i] = a.Type()
	}
	want, result, names, err := exec.SetFuncResolve(name, ts)
	if err != nil {
		return nil, nil, withPos(err, position(b.query, f.Location))
	}
	for i := range args {
		if args[i].Type() != want[i] {
			if args[i], err = b.coerce(args[i], want[i], f.Location); err != nil {
				return nil, nil, err
			}
		}
	}
	return &SetCall{Name: name, Args: args, Types: result}, names, nil
}

// bindProjectSet puts the select list's set-returning calls into
// ProjectSets over node, one per nesting level, and replaces each call by
// a reference to its column. PostgreSQL evaluates a set-returning
// function that GROUP BY names below the grouping; pqdb refuses that.
func bindProjectSet(node Node, exprs, groups []Expr) (Node, []Expr, error) {
	for _, g := range groups {
		if containsSetCall(g) {
			return nil, nil, pgerr.Unsupported("set-returning functions in GROUP BY are not supported")
		}
	}
	for {
		// The calls of this level: those whose arguments hold no other.
		ready := map[string]bool{}
		for _, e := range exprs {
			walkExpr(e, func(n Expr) {
				if isSetCall(n) && !anyChild(n, containsSetCall) {
					ready[exprKey(n)] = true
				}
			})
		}
		if len(ready) == 0 {
			return node, exprs, nil
		}
		ps := &ProjectSet{Input: node}
		next := len(node.Types())
		cols := map[string]int{}
		out := make([]Expr, len(exprs))
		for i, e := range exprs {
			out[i] = mapExpr(e, func(n Expr) Expr {
				k := exprKey(n)
				if !isSetCall(n) || !ready[k] {
					return n
				}
				f := n.(*FuncExpr)
				types := setCallColumns(f)
				c, ok := cols[k]
				if !ok {
					c = next
					cols[k] = c
					next += len(types)
					ps.Funcs = append(ps.Funcs, &SetCall{Name: f.Name, Args: f.Args, Types: types})
				}
				if len(types) == 1 {
					return &ColRef{Index: c, T: f.T, Name: f.Name}
				}
				fields := make([]Expr, len(types))
				for j, t := range types {
					fields[j] = &ColRef{Index: c + j, T: t, Name: f.T.Fields()[j].Name}
				}
				return &RowExpr{Args: fields, T: f.T}
			})
		}
		node, exprs = ps, out
	}
}

func anyChild(e Expr, f func(Expr) bool) bool {
	for _, c := range children(e) {
		if f(c) {
			return true
		}
	}
	return false
}

// bindFuncFrom binds a function in FROM: f(...), ROWS FROM (f(...),
// g(...)) or unnest(a, b, ...), [WITH ORDINALITY], over input (nil: one
// empty row), whose columns sc holds for the arguments (with the
// enclosing query's, for a correlated subquery). It returns the
// functions' columns.
func (b *binder) bindFuncFrom(rf *pg_query.RangeFunction, input Node, sc *scope) (Node, []scopeCol, error) {
	if input == nil {
		input = &Values{Rows: [][]Expr{{}}}
	}
	// Each call with its column definition list: ROWS FROM's are the
	// calls' own, a single function's follows the alias.
	var calls []*pg_query.Node
	var coldefs [][]*pg_query.Node
	for _, fn := range rf.Functions {
		items := fn.GetList().GetItems()
		calls = append(calls, items[0])
		var defs []*pg_query.Node
		if len(items) > 1 {
			defs = items[1].GetList().GetItems()
		}
		coldefs = append(coldefs, defs)
	}
	if len(rf.Coldeflist) > 0 {
		if len(calls) != 1 || rf.IsRowsfrom {
			return nil, nil, b.errAt(pgerr.SyntaxError, -1, "a column definition list is only allowed for functions returning \"record\"")
		}
		coldefs[0] = rf.Coldeflist
	}
	// unnest(a, b) in FROM is ROWS FROM (unnest(a), unnest(b)).
	if fc := calls[0].GetFuncCall(); len(calls) == 1 && fc != nil && funcName(fc) == "unnest" && len(fc.Args) > 1 {
		if len(coldefs[0]) > 0 {
			return nil, nil, b.errColumnDefinitionNotAllowed(coldefs[0])
		}
		calls, coldefs = nil, nil
		for i := range fc.Args {
			one := &pg_query.FuncCall{Funcname: fc.Funcname, Args: fc.Args[i : i+1], Location: fc.Location}
			calls = append(calls, &pg_query.Node{Node: &pg_query.Node_FuncCall{FuncCall: one}})
			coldefs = append(coldefs, nil)
		}
	}
	alias := ""
	if rf.Alias != nil {
		alias = rf.Alias.Aliasname
	}
	ps := &ProjectSet{Input: input, Ordinality: rf.Ordinality, FromItem: true}
	var cols []scopeCol
	for k, n := range calls {
		fc := n.GetFuncCall()
		if fc != nil {
			if _, ok := exec.RecordFuncOf(funcName(fc)); ok {
				call, fcols, err := b.bindRecordFuncFrom(fc, funcName(fc), coldefs[k], sc)
				if err != nil {
					return nil, nil, err
				}
				ps.Funcs = append(ps.Funcs, call)
				cols = append(cols, fcols...)
				continue
			}
		}
		if fc != nil && exec.IsSetFunc(funcName(fc)) {
			name := funcName(fc)
			call, names, err := b.bindSetCall(fc, name, sc, ctxFromFunc)
			if err != nil {
				return nil, nil, err
			}
			if len(call.Types) == 1 && call.Types[0].Kind == catalog.Record {
				if names, err = b.expandRecordSet(call, fc, coldefs[k]); err != nil {
					return nil, nil, err
				}
			} else if len(coldefs[k]) > 0 {
				return nil, nil, b.errColumnDefinitionNotAllowed(coldefs[k])
			}
			if names == nil {
				// One column named after the function, or the alias
				// when it is the only function.
				names = []string{name}
				if alias != "" && len(calls) == 1 {
					names[0] = alias
				}
			}
			ps.Funcs = append(ps.Funcs, call)
			for i, t := range call.Types {
				cols = append(cols, scopeCol{name: names[i], t: t})
			}
			continue
		}
		if len(coldefs[k]) > 0 {
			return nil, nil, b.errColumnDefinitionNotAllowed(coldefs[k])
		}
		e, err := b.bindExpr(n, sc, ctxFromFunc)
		if err != nil {
			return nil, nil, err
		}
		name := "?column?"
		if fc != nil {
			name = funcName(fc)
		}
		if alias != "" && len(calls) == 1 {
			name = alias
		}
		ps.Funcs = append(ps.Funcs, &SetCall{Args: []Expr{e}, Types: []catalog.Type{e.Type()}, Scalar: true})
		cols = append(cols, scopeCol{name: name, t: e.Type()})
	}
	if rf.Ordinality {
		cols = append(cols, scopeCol{name: "ordinality", t: catalog.TypeInt8})
	}
	if alias == "" {
		alias = cols[0].name
		if fc := calls[0].GetFuncCall(); fc != nil {
			alias = funcName(fc)
		}
	}
	for i := range cols {
		cols[i].table = alias
	}
	if err := applyColumnAliases(cols, rf.Alias); err != nil {
		return nil, nil, err
	}
	return ps, cols, nil
}

func funcName(fc *pg_query.FuncCall) string {
	return strings.ToLower(fc.Funcname[len(fc.Funcname)-1].GetString_().Sval)
}

// pruneProjectSet keeps the input columns asked for and those the
// functions read; every function is kept (each decides how many rows a
// row becomes).
func pruneProjectSet(x *ProjectSet, need map[int]bool) (Node, map[int]int) {
	nIn := len(x.Input.Types())
	nOut := len(x.Types()) - nIn
	want := map[int]bool{}
	for i := range need {
		if i < nIn {
			want[i] = true
		}
	}
	for _, f := range x.Funcs {
		for _, a := range f.Args {
			colsUsed(a, want)
		}
	}
	in, cm := prune(x.Input, want)
	x.Input = in
	for _, f := range x.Funcs {
		for i, a := range f.Args {
			f.Args[i] = remapCols(a, cm)
		}
	}
	m := map[int]int{}
	for o, nw := range cm {
		m[o] = nw
	}
	newIn := len(in.Types())
	for j := 0; j < nOut; j++ {
		m[nIn+j] = newIn + j
	}
	return x, m
}

// cloneSetCalls copies the calls of a ProjectSet (their argument lists
// are rewritten in place by the rules).
func cloneSetCalls(calls []*SetCall) []*SetCall {
	out := make([]*SetCall, len(calls))
	for i, c := range calls {
		cc := *c
		cc.Args = append([]Expr(nil), c.Args...)
		out[i] = &cc
	}
	return out
}
