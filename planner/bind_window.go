package planner

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
)

// Window functions: the binding of f(...) OVER (...) calls into Window
// plan nodes.
//
// A window call binds to a WinRef, which, like AggRef, never survives
// binding: its arguments and its PARTITION BY / ORDER BY keys are bound
// over the FROM row where aggregates of the query are allowed (so that
// sum(count(*)) OVER () and rank() OVER (ORDER BY sum(x)) read the
// aggregate's output after aggRewriter) and window calls are not. After
// WHERE, GROUP BY / aggregates and HAVING, bindWindows gathers the WinRefs
// of the select list and ORDER BY, makes one Window node per distinct
// (PARTITION BY, ORDER BY) pair, stacked, and replaces each WinRef by a
// reference to its column. DISTINCT, ORDER BY and LIMIT come above, as
// in PostgreSQL.
//
// Every built-in window function of PostgreSQL and every aggregate is
// accepted, with any frame (bind_window_frame.go).

// windowFuncs are the window functions exec.NewWindow computes, besides
// the aggregates.
var windowFuncs = map[string]exec.WindowFunc{
	"row_number": exec.WinRowNumber, "rank": exec.WinRank, "dense_rank": exec.WinDenseRank,
	"percent_rank": exec.WinPercentRank, "cume_dist": exec.WinCumeDist, "ntile": exec.WinNtile,
	"lag": exec.WinLag, "lead": exec.WinLead,
	"first_value": exec.WinFirstValue, "last_value": exec.WinLastValue, "nth_value": exec.WinNthValue,
}

func isWindowFuncName(name string) bool {
	_, ok := windowFuncs[name]
	return ok
}

// WindowCall is one window function of a Window node: Func (Agg for an
// aggregate) over Args, of result type T, with its frame. Args holds the
// call's arguments, then, for an aggregate with FILTER (WHERE ...)
// (Filtered), its condition, then the frame's expressions (FrameSpec), so
// that every rule that maps a node's expressions maps them too.
type WindowCall struct {
	Func     exec.WindowFunc
	Agg      exec.AggFunc
	Name     string
	Args     []Expr
	Filtered bool
	Frame    FrameSpec
	T        catalog.Type
}

// callArgs is the call's own arguments.
func (c *WindowCall) callArgs() []Expr {
	n := len(c.Args) - c.Frame.exprCount()
	if c.Filtered {
		n--
	}
	return c.Args[:n]
}

// filter is the FILTER condition (nil without one).
func (c *WindowCall) filter() Expr {
	if !c.Filtered {
		return nil
	}
	return c.Args[len(c.Args)-c.Frame.exprCount()-1]
}

func (c *WindowCall) String() string {
	filter := ""
	if f := c.filter(); f != nil {
		filter = " FILTER (WHERE " + f.String() + ")"
	}
	text := joinExprs(c.callArgs(), ", ")
	if c.Func == exec.WinAggregate && c.Agg == exec.AggCountStar {
		text = "*"
	}
	s := c.Name + "(" + text + ")" + filter
	if fr := c.frameClauseText(); fr != "" {
		s += " (" + fr + ")"
	}
	return s
}

// WinRef stands for a window call while the binder builds the Window
// nodes; it never survives binding.
type WinRef struct {
	Call        WindowCall
	PartitionBy []Expr
	OrderBy     []SortKey
}

func (e *WinRef) Type() catalog.Type { return e.Call.T }

func (e *WinRef) String() string {
	return e.Call.String() + " OVER (" + windowSpecText(e.PartitionBy, e.OrderBy) + ")"
}

func windowSpecText(partition []Expr, order []SortKey) string {
	var parts []string
	if len(partition) > 0 {
		parts = append(parts, "PARTITION BY "+joinExprs(partition, ", "))
	}
	if len(order) > 0 {
		parts = append(parts, "ORDER BY "+sortKeysText(order))
	}
	return strings.Join(parts, " ")
}

func sortKeysText(keys []SortKey) string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k.Expr.String()
		if k.Desc {
			out[i] += " DESC"
		}
		if k.NullsFirst != k.Desc {
			if k.NullsFirst {
				out[i] += " NULLS FIRST"
			} else {
				out[i] += " NULLS LAST"
			}
		}
	}
	return strings.Join(out, ", ")
}

// exprs lists the arguments, then the partition keys, then the order keys.
func (e *WinRef) exprs() []Expr {
	out := append([]Expr(nil), e.Call.Args...)
	out = append(out, e.PartitionBy...)
	for _, k := range e.OrderBy {
		out = append(out, k.Expr)
	}
	return out
}

// withExprs is a copy of e with the expressions exprs lists replaced.
func (e *WinRef) withExprs(es []Expr) *WinRef {
	c := &WinRef{Call: e.Call}
	na, np := len(e.Call.Args), len(e.PartitionBy)
	c.Call.Args = append([]Expr(nil), es[:na]...)
	c.PartitionBy = append([]Expr(nil), es[na:na+np]...)
	c.OrderBy = make([]SortKey, len(e.OrderBy))
	for i, k := range e.OrderBy {
		c.OrderBy[i] = SortKey{Expr: es[na+np+i], Desc: k.Desc, NullsFirst: k.NullsFirst}
	}
	return c
}

// forEachExpr calls fn for every expression of the node.
func (n *Window) forEachExpr(fn func(Expr)) {
	for _, p := range n.PartitionBy {
		fn(p)
	}
	for _, k := range n.OrderBy {
		fn(k.Expr)
	}
	for _, f := range n.Funcs {
		for _, a := range f.Args {
			fn(a)
		}
	}
}

// mapExprs replaces every expression of the node by fn of it.
func (n *Window) mapExprs(fn func(Expr) Expr) {
	for i, p := range n.PartitionBy {
		n.PartitionBy[i] = fn(p)
	}
	for i, k := range n.OrderBy {
		n.OrderBy[i].Expr = fn(k.Expr)
	}
	for i := range n.Funcs {
		args := make([]Expr, len(n.Funcs[i].Args))
		for j, a := range n.Funcs[i].Args {
			args[j] = fn(a)
		}
		n.Funcs[i].Args = args
	}
}

func hasWindow(e Expr) bool { return contains[*WinRef](e) }

// windowSpec is a window definition with any reference to a named window
// resolved.
type windowSpec struct {
	partition, order       []*pg_query.Node
	frame                  int32
	startOffset, endOffset *pg_query.Node
	loc                    int32
}

// setWindowClause makes s's WINDOW clause the one OVER name refers to,
// until the returned function restores the enclosing one.
func (b *binder) setWindowClause(s *pg_query.SelectStmt) (func(), error) {
	saved := b.windowClause
	restore := func() { b.windowClause = saved }
	seen := map[string]bool{}
	for _, n := range s.WindowClause {
		w := n.GetWindowDef()
		if seen[w.Name] {
			restore()
			return nil, b.errAt(pgerr.WindowingError, w.Location, "window \"%s\" is already defined", w.Name)
		}
		seen[w.Name] = true
	}
	b.windowClause = s.WindowClause
	return restore, nil
}

// resolveWindow resolves an OVER clause (or a WINDOW clause entry, named)
// against the query's WINDOW clause, with PostgreSQL's rules for copying a
// named window.
func (b *binder) resolveWindow(def *pg_query.WindowDef, depth int) (windowSpec, error) {
	spec := windowSpec{partition: def.PartitionClause, order: def.OrderClause, frame: def.FrameOptions,
		startOffset: def.StartOffset, endOffset: def.EndOffset, loc: def.Location}
	ref := def.Refname
	if ref == "" && def.Name != "" && depth == 0 {
		// OVER w: the named window as it is.
		base, err := b.namedWindow(def.Name, def.Location, depth)
		if err != nil {
			return windowSpec{}, err
		}
		base.loc = def.Location
		return base, nil
	}
	if ref == "" {
		return spec, nil
	}
	base, err := b.namedWindow(ref, def.Location, depth)
	if err != nil {
		return windowSpec{}, err
	}
	if len(def.PartitionClause) > 0 {
		return windowSpec{}, b.errAt(pgerr.WindowingError, def.Location, "cannot override PARTITION BY clause of window \"%s\"", ref)
	}
	spec.partition = base.partition
	if len(base.order) > 0 {
		if len(def.OrderClause) > 0 {
			return windowSpec{}, b.errAt(pgerr.WindowingError, def.Location, "cannot override ORDER BY clause of window \"%s\"", ref)
		}
		spec.order = base.order
	}
	if base.frame&frameNonDefault != 0 {
		return windowSpec{}, b.errAt(pgerr.WindowingError, def.Location, "cannot copy window \"%s\" because it has a frame clause", ref)
	}
	return spec, nil
}

func (b *binder) namedWindow(name string, loc int32, depth int) (windowSpec, error) {
	if depth < 32 {
		for _, n := range b.windowClause {
			if w := n.GetWindowDef(); w.Name == name {
				return b.resolveWindow(w, depth+1)
			}
		}
	}
	return windowSpec{}, b.errAt(pgerr.UndefinedObject, loc, "window \"%s\" does not exist", name)
}

// bindWindowCall binds f(...) OVER (...).
func (b *binder) bindWindowCall(f *pg_query.FuncCall, name string, sc *scope, ctx exprContext) (Expr, error) {
	switch ctx {
	case ctxSelect, ctxOrderBy:
	case ctxWindowArg:
		return nil, b.errAt(pgerr.WindowingError, f.Location, "window function calls cannot be nested")
	case ctxFrameRows, ctxFrameRange, ctxFrameGroups:
		return nil, b.errAt(pgerr.WindowingError, f.Location, "window functions are not allowed in window definitions")
	case ctxAggArg:
		return nil, b.errAt(pgerr.GroupingError, f.Location, "aggregate function calls cannot contain window function calls")
	default:
		what := contextName[ctx]
		if what == "" {
			what = "this context"
		}
		return nil, b.errAt(pgerr.WindowingError, f.Location, "window functions are not allowed in %s", what)
	}
	agg, isAgg := aggregateFuncs[name]
	fn, isWin := windowFuncs[name]
	switch {
	case !isAgg && !isWin:
		// A scalar function, or none: PostgreSQL says which.
		args := make([]Expr, len(f.Args))
		for i, a := range f.Args {
			var err error
			if args[i], err = b.bindExpr(a, sc, ctxWindowArg); err != nil {
				return nil, err
			}
		}
		if _, ok := b.opts.HostFuncs[name]; !ok {
			if _, err := b.scalarFunc(name, args, f.Location); err != nil {
				return nil, err
			}
		}
		return nil, b.errAt(pgerr.WrongObjectType, f.Location, "OVER specified, but %s is not a window function nor an aggregate function", name)
	case f.AggWithinGroup && isAgg && agg.IsOrderedSet():
		return nil, b.errAt(pgerr.FeatureNotSupported, f.Location, "OVER is not supported for ordered-set aggregate %s", name)
	case f.AggWithinGroup && isAgg:
		return nil, b.withinGroupNoSuchFunc(f, name, sc)
	case isAgg && agg.IsOrderedSet():
		// mode(x) OVER (): the error of the call without OVER.
		return b.bindOrderedSet(f, name, agg, sc)
	case f.AggDistinct:
		return nil, b.errAt(pgerr.FeatureNotSupported, f.Location, "DISTINCT is not implemented for window functions")
	case len(f.AggOrder) > 0:
		return nil, b.errAt(pgerr.FeatureNotSupported, f.Location, "aggregate ORDER BY is not implemented for window functions")
	case f.AggFilter != nil && !isAgg:
		return nil, b.errAt(pgerr.FeatureNotSupported, f.Location, "FILTER is not implemented for non-aggregate window functions")
	case f.AggStar && name != "count":
		return nil, b.noSuchFunc(name, nil, f.Location)
	}
	spec, err := b.resolveWindow(f.Over, 0)
	if err != nil {
		return nil, err
	}
	args := make([]Expr, len(f.Args))
	for i, a := range f.Args {
		if args[i], err = b.bindExpr(a, sc, ctxWindowArg); err != nil {
			return nil, err
		}
	}
	call := WindowCall{Name: name}
	if isAgg {
		call.Func, call.Agg = exec.WinAggregate, agg
		switch {
		case f.AggStar:
			call.Agg, call.T = exec.AggCountStar, catalog.TypeInt8
		case name == "count" && len(args) == 0:
			return nil, b.errAt(pgerr.WrongObjectType, f.Location, "count(*) must be used to call a parameterless aggregate function")
		default:
			if call.Args, call.T, err = b.aggregateCall(name, agg, args, f.Location); err != nil {
				return nil, err
			}
		}
		if f.AggFilter != nil {
			filter, err := b.aggregateFilter(f.AggFilter, sc)
			if err != nil {
				return nil, err
			}
			call.Args, call.Filtered = append(call.Args, filter), true
		}
	} else {
		call.Func = fn
		if err := b.windowFuncArgs(&call, args, f.Location); err != nil {
			return nil, err
		}
	}
	w := &WinRef{Call: call}
	for _, p := range spec.partition {
		e, err := b.bindExpr(p, sc, ctxWindowDef)
		if err != nil {
			return nil, err
		}
		w.PartitionBy = append(w.PartitionBy, b.resolveUnknown(e))
	}
	for _, o := range spec.order {
		sb := o.GetSortBy()
		if len(sb.UseOp) > 0 {
			return nil, b.errAt(pgerr.FeatureNotSupported, sb.Location, "ORDER BY ... USING is not supported")
		}
		e, err := b.bindExpr(sb.Node, sc, ctxWindowDef)
		if err != nil {
			return nil, err
		}
		desc, nf := sortOrder(sb)
		w.OrderBy = append(w.OrderBy, SortKey{Expr: b.resolveUnknown(e), Desc: desc, NullsFirst: nf})
	}
	frame, frameExprs, err := b.bindFrame(spec, w.OrderBy, sc)
	if err != nil {
		return nil, err
	}
	w.Call.Frame, w.Call.Args = frame, append(w.Call.Args, frameExprs...)
	return w, nil
}

func (b *binder) noSuchWindowFunc(name string, args []Expr, loc int32) error {
	names := make([]string, len(args))
	for i, a := range args {
		names[i] = a.Type().String()
		if a.Type().Kind == catalog.Unknown {
			names[i] = "unknown"
		}
	}
	e := b.errAt(pgerr.UndefinedFunction, loc, "function %s(%s) does not exist", name, strings.Join(names, ", "))
	e.Hint = "No function matches the given name and argument types. You might need to add explicit type casts."
	return e
}

// windowFuncArgs checks and types the arguments of a non-aggregate window
// function, setting call's Args and T: the ranking functions take none
// and are bigint; lag and lead take a value, an integer offset and a
// default of the value's type (their common type, as PostgreSQL's
// anycompatible), first_value a value, whose type they return (without
// its type modifier, as every polymorphic function's result).
func (b *binder) windowFuncArgs(call *WindowCall, args []Expr, loc int32) error {
	switch call.Func {
	case exec.WinRowNumber, exec.WinRank, exec.WinDenseRank:
		if len(args) != 0 {
			return b.noSuchWindowFunc(call.Name, args, loc)
		}
		call.T = catalog.TypeInt8
		return nil
	case exec.WinPercentRank, exec.WinCumeDist:
		if len(args) != 0 {
			return b.noSuchWindowFunc(call.Name, args, loc)
		}
		call.T = catalog.TypeFloat8
		return nil
	case exec.WinNtile:
		if len(args) != 1 || !b.isIntegerArg(args[0]) {
			return b.noSuchWindowFunc(call.Name, args, loc)
		}
		arg, err := b.coerce(args[0], catalog.TypeInt4, loc)
		if err != nil {
			return err
		}
		call.Args, call.T = []Expr{arg}, catalog.TypeInt4
		return nil
	case exec.WinFirstValue, exec.WinLastValue, exec.WinNthValue:
		want := 1
		if call.Func == exec.WinNthValue {
			want = 2
		}
		if len(args) != want || want == 2 && !b.isIntegerArg(args[1]) {
			return b.noSuchWindowFunc(call.Name, args, loc)
		}
		if args[0].Type().Kind == catalog.Unknown {
			return b.errUnknownPolymorphic(loc)
		}
		t := noTypmod(args[0].Type())
		arg, err := b.coerce(args[0], t, loc)
		if err != nil {
			return err
		}
		call.Args, call.T = []Expr{arg}, t
		if want == 2 {
			n, err := b.coerce(args[1], catalog.TypeInt4, loc)
			if err != nil {
				return err
			}
			call.Args = append(call.Args, n)
		}
		return nil
	}
	// lag, lead
	if len(args) < 1 || len(args) > 3 {
		return b.noSuchWindowFunc(call.Name, args, loc)
	}
	t := args[0].Type()
	if len(args) < 3 && t.Kind == catalog.Unknown {
		// lag(anyelement [, integer]); only the three-argument form is
		// anycompatible, which reads unknown as text.
		return b.errUnknownPolymorphic(loc)
	}
	if len(args) == 3 {
		ct, err := commonType([]catalog.Type{args[0].Type(), args[2].Type()}, call.Name)
		if err != nil {
			return withPos(err, position(b.query, loc))
		}
		t = ct
	}
	if t.Kind == catalog.Unknown {
		t = catalog.TypeText
	}
	// A polymorphic function's result has no type modifier.
	t = noTypmod(t)
	out := make([]Expr, len(args))
	var err error
	if out[0], err = b.coerce(args[0], t, loc); err != nil {
		return err
	}
	if len(args) > 1 {
		ot := args[1].Type()
		if ot.Kind != catalog.Unknown && !canCoerceImplicitly(ot.Kind, catalog.Int4) {
			return b.noSuchWindowFunc(call.Name, args, loc)
		}
		if out[1], err = b.coerce(args[1], catalog.TypeInt4, loc); err != nil {
			return err
		}
	}
	if len(args) > 2 {
		if out[2], err = b.coerceCommon(args[2], t, call.Name, loc); err != nil {
			return err
		}
	}
	call.Args, call.T = out, t
	return nil
}

// bindWindows puts the window calls of exprs (over node's output) into
// Window nodes stacked on node, one per distinct PARTITION BY and ORDER
// BY, and returns the stack with exprs rewritten to read the calls'
// columns. Identical calls share a column.
func bindWindows(node Node, exprs []Expr) (Node, []Expr) {
	type group struct {
		w    *Window
		cols map[string]int // call key → index in w.Funcs
	}
	var groups []*group
	byKey := map[string]*group{}
	for _, e := range exprs {
		walkExpr(e, func(n Expr) {
			w, ok := n.(*WinRef)
			if !ok {
				return
			}
			spec := &WinRef{PartitionBy: w.PartitionBy, OrderBy: w.OrderBy}
			sk := exprKey(spec)
			g := byKey[sk]
			if g == nil {
				g = &group{w: &Window{PartitionBy: w.PartitionBy, OrderBy: w.OrderBy}, cols: map[string]int{}}
				byKey[sk] = g
				groups = append(groups, g)
			}
			k := exprKey(w)
			if _, ok := g.cols[k]; !ok {
				g.cols[k] = len(g.w.Funcs)
				g.w.Funcs = append(g.w.Funcs, w.Call)
			}
		})
	}
	if len(groups) == 0 {
		return node, exprs
	}
	col := map[string]int{}
	for _, g := range groups {
		base := len(node.Types())
		for k, i := range g.cols {
			col[k] = base + i
		}
		g.w.Input = node
		node = g.w
	}
	out := make([]Expr, len(exprs))
	for i, e := range exprs {
		out[i] = mapExpr(e, func(n Expr) Expr {
			if w, ok := n.(*WinRef); ok {
				return &ColRef{Index: col[exprKey(w)], T: w.Type(), Name: w.Call.String()}
			}
			return n
		})
	}
	return node, out
}

// isIntegerArg reports whether an argument converts implicitly to
// integer (an untyped literal does).
func (b *binder) isIntegerArg(e Expr) bool {
	k := e.Type().Kind
	return k == catalog.Unknown || canCoerceImplicitly(k, catalog.Int4)
}

func (b *binder) errUnknownPolymorphic(loc int32) error {
	return b.errAt(pgerr.DatatypeMismatch, loc, "could not determine polymorphic type because input has type unknown")
}
