package planner

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
)

// Aggregate calls: f(args), f(DISTINCT args), f(args ORDER BY keys),
// f(direct) WITHIN GROUP (ORDER BY arg) for the ordered-set aggregates,
// each optionally FILTER (WHERE cond), bind to an AggRef. Arguments,
// ORDER BY keys and direct arguments are bound where aggregates are not
// allowed (they belong to the aggregate's input); the FILTER condition
// where neither aggregates nor window functions are. Each function's
// argument types resolve as PostgreSQL's pg_aggregate entries do, with
// PostgreSQL's errors (42883 for no match, 42725 for an ambiguous
// unknown literal).
//
// aggRewriter (bind_select.go) checks that a direct argument reads only
// grouped columns; exec evaluates it over the input rows, where it is
// then constant in each group.

var aggregateFuncs = map[string]exec.AggFunc{
	"count": exec.AggCount, "sum": exec.AggSum, "avg": exec.AggAvg, "min": exec.AggMin, "max": exec.AggMax,
	"bool_and": exec.AggBoolAnd, "bool_or": exec.AggBoolOr, "every": exec.AggBoolAnd,
	"string_agg": exec.AggStringAgg, "array_agg": exec.AggArrayAgg,
	"json_agg": exec.AggJSONAgg, "jsonb_agg": exec.AggJSONBAgg,
	"json_object_agg": exec.AggJSONObjectAgg, "jsonb_object_agg": exec.AggJSONBObjectAgg,
	"bit_and": exec.AggBitAnd, "bit_or": exec.AggBitOr, "bit_xor": exec.AggBitXor,
	"stddev": exec.AggStddevSamp, "stddev_samp": exec.AggStddevSamp, "stddev_pop": exec.AggStddevPop,
	"variance": exec.AggVarSamp, "var_samp": exec.AggVarSamp, "var_pop": exec.AggVarPop,
	"corr": exec.AggCorr, "covar_pop": exec.AggCovarPop, "covar_samp": exec.AggCovarSamp,
	"regr_avgx": exec.AggRegrAvgX, "regr_avgy": exec.AggRegrAvgY, "regr_count": exec.AggRegrCount,
	"regr_intercept": exec.AggRegrIntercept, "regr_r2": exec.AggRegrR2, "regr_slope": exec.AggRegrSlope,
	"regr_sxx": exec.AggRegrSxx, "regr_sxy": exec.AggRegrSxy, "regr_syy": exec.AggRegrSyy,
	"percentile_cont": exec.AggPercentileCont, "percentile_disc": exec.AggPercentileDisc, "mode": exec.AggMode,
}

// hypotheticalSetFuncs are PostgreSQL's hypothetical-set aggregates,
// rank(args) WITHIN GROUP (ORDER BY ...) and so on, which pqdb does not
// compute.
var hypotheticalSetFuncs = map[string]bool{"rank": true, "dense_rank": true, "percent_rank": true, "cume_dist": true}

// notAggregate is the error for aggregate syntax on a function that is
// no aggregate (nil when the call has none): that no function of these
// arguments exists, or that the one that does is no aggregate.
func (b *binder) notAggregate(f *pg_query.FuncCall, name string, sc *scope) error {
	what := ""
	switch {
	case f.AggDistinct:
		what = "DISTINCT"
	case len(f.AggOrder) > 0 && !f.AggWithinGroup:
		what = "ORDER BY"
	case f.AggFilter != nil:
		what = "FILTER"
	case f.AggStar:
		return b.noSuchFunc(name, nil, f.Location)
	case f.AggWithinGroup:
		// PostgreSQL looks for a function of the direct and the ordered
		// arguments, which a plain function never is.
		return b.withinGroupNoSuchFunc(f, name, sc)
	default:
		return nil
	}
	args := make([]Expr, len(f.Args))
	for i, a := range f.Args {
		var err error
		if args[i], err = b.bindExpr(a, sc, ctxAggArg); err != nil {
			return err
		}
	}
	if _, ok := b.opts.HostFuncs[name]; !ok {
		if _, ok, err := b.sessionFunc(name, args, f.Location); !ok {
			if _, err := b.scalarFunc(name, args, f.Location); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
	}
	return b.errAt(pgerr.WrongObjectType, f.Location, "%s specified, but %s is not an aggregate function", what, name)
}

// noSuchFunc is PostgreSQL's 42883 for a function of these argument
// types.
func (b *binder) noSuchFunc(name string, args []Expr, loc int32) error {
	return b.noSuchWindowFunc(name, args, loc)
}

// withinGroupNoSuchFunc is the 42883 error for f(direct) WITHIN GROUP
// (ORDER BY keys) when no function takes those arguments.
func (b *binder) withinGroupNoSuchFunc(f *pg_query.FuncCall, name string, sc *scope) error {
	var args []Expr
	for _, a := range f.Args {
		e, err := b.bindExpr(a, sc, ctxAggArg)
		if err != nil {
			return err
		}
		args = append(args, e)
	}
	for _, o := range f.AggOrder {
		e, err := b.bindExpr(o.GetSortBy().Node, sc, ctxAggArg)
		if err != nil {
			return err
		}
		args = append(args, e)
	}
	return b.noSuchFunc(name, args, f.Location)
}

func (b *binder) bindAggregate(f *pg_query.FuncCall, name string, agg exec.AggFunc, sc *scope, ctx exprContext) (Expr, error) {
	switch ctx {
	case ctxSelect, ctxHaving, ctxOrderBy, ctxWindowArg, ctxWindowDef:
	case ctxAggArg:
		return nil, b.errAt(pgerr.GroupingError, f.Location, "aggregate function calls cannot be nested")
	default:
		return nil, b.errAt(pgerr.GroupingError, f.Location, "aggregate functions are not allowed in %s", contextName[ctx])
	}
	if f.AggWithinGroup || agg.IsOrderedSet() {
		return b.bindOrderedSet(f, name, agg, sc)
	}
	ref := &AggRef{Agg: agg, Dis: f.AggDistinct}
	if f.AggStar {
		if name != "count" {
			return nil, b.noSuchFunc(name, nil, f.Location)
		}
		ref.Agg, ref.T = exec.AggCountStar, catalog.TypeInt8
	} else {
		raw := make([]Expr, len(f.Args))
		for i, a := range f.Args {
			// The arguments belong to the aggregate's input, not to an
			// outer aggregate: bind them where aggregates are not allowed.
			var err error
			if raw[i], err = b.bindExpr(a, sc, ctxAggArg); err != nil {
				return nil, err
			}
		}
		if name == "count" && len(raw) == 0 {
			return nil, b.errAt(pgerr.WrongObjectType, f.Location, "count(*) must be used to call a parameterless aggregate function")
		}
		var err error
		if ref.Args, ref.T, err = b.aggregateCall(name, agg, raw, f.Location); err != nil {
			return nil, err
		}
		if ref.Order, err = b.aggregateOrder(f.AggOrder, sc, raw, f.AggDistinct); err != nil {
			return nil, err
		}
	}
	var err error
	if ref.Filter, err = b.aggregateFilter(f.AggFilter, sc); err != nil {
		return nil, err
	}
	return ref, nil
}

// aggregateOrder binds the ORDER BY inside an aggregate call. With
// DISTINCT every key must be one of the (uncoerced) arguments.
func (b *binder) aggregateOrder(order []*pg_query.Node, sc *scope, args []Expr, distinct bool) ([]SortKey, error) {
	var keys []SortKey
	for _, o := range order {
		sb := o.GetSortBy()
		if len(sb.UseOp) > 0 {
			return nil, b.errAt(pgerr.FeatureNotSupported, sb.Location, "ORDER BY ... USING is not supported")
		}
		e, err := b.bindExpr(sb.Node, sc, ctxAggArg)
		if err != nil {
			return nil, err
		}
		e = b.resolveUnknown(e)
		if distinct {
			found := false
			for _, a := range args {
				found = found || exprKey(b.resolveUnknown(a)) == exprKey(e)
			}
			if !found {
				return nil, b.errAt(pgerr.InvalidColumnReference, exprLocation(sb.Node, sb.Location),
					"in an aggregate with DISTINCT, ORDER BY expressions must appear in argument list")
			}
		}
		if err := b.checkSortable(e, exprLocation(sb.Node, sb.Location)); err != nil {
			return nil, err
		}
		desc, nf := sortOrder(sb)
		keys = append(keys, SortKey{Expr: e, Desc: desc, NullsFirst: nf})
	}
	return keys, nil
}

// checkSortable rejects sorting by a type without an ordering operator.
func (b *binder) checkSortable(e Expr, loc int32) error {
	if e.Type().Kind == catalog.JSON {
		err := b.errAt(pgerr.UndefinedFunction, loc, "could not identify an ordering operator for type json")
		err.Hint = "Use an explicit ordering operator or modify the query."
		return err
	}
	return nil
}

// exprLocation is the location of a parse node when it has one, else
// def.
func exprLocation(n *pg_query.Node, def int32) int32 {
	switch x := n.Node.(type) {
	case *pg_query.Node_ColumnRef:
		return x.ColumnRef.Location
	case *pg_query.Node_AConst:
		return x.AConst.Location
	case *pg_query.Node_TypeCast:
		return x.TypeCast.Location
	case *pg_query.Node_FuncCall:
		return x.FuncCall.Location
	case *pg_query.Node_AExpr:
		return x.AExpr.Location
	}
	return def
}

// aggregateFilter binds FILTER (WHERE cond); nil when there is none.
func (b *binder) aggregateFilter(n *pg_query.Node, sc *scope) (Expr, error) {
	if n == nil {
		return nil, nil
	}
	e, err := b.bindExpr(n, sc, ctxAggFilter)
	if err != nil {
		return nil, err
	}
	if e, err = b.coerceBool(e, "FILTER"); err != nil {
		return nil, withPos(err, position(b.query, exprLocation(n, -1)))
	}
	return e, nil
}

// aggregateCall resolves a plain (not ordered-set) aggregate over bound
// arguments: the arguments coerced to the function's parameter types,
// and its result type.
func (b *binder) aggregateCall(name string, agg exec.AggFunc, args []Expr, loc int32) ([]Expr, catalog.Type, error) {
	switch agg {
	case exec.AggStringAgg:
		return b.stringAggArgs(name, args, loc)
	case exec.AggArrayAgg:
		return b.arrayAggArgs(name, args, loc)
	case exec.AggJSONAgg, exec.AggJSONBAgg, exec.AggJSONObjectAgg, exec.AggJSONBObjectAgg:
		return b.jsonAggArgs(name, agg, args, loc)
	case exec.AggCorr, exec.AggCovarPop, exec.AggCovarSamp, exec.AggRegrAvgX, exec.AggRegrAvgY, exec.AggRegrCount,
		exec.AggRegrIntercept, exec.AggRegrR2, exec.AggRegrSlope, exec.AggRegrSxx, exec.AggRegrSxy, exec.AggRegrSyy:
		if len(args) != 2 {
			return nil, catalog.Type{}, b.noSuchFunc(name, args, loc)
		}
		out := make([]Expr, 2)
		for i, a := range args {
			if !canCoerceImplicitly(a.Type().Kind, catalog.Float8) {
				return nil, catalog.Type{}, b.noSuchFunc(name, args, loc)
			}
			var err error
			if out[i], err = b.coerce(a, catalog.TypeFloat8, loc); err != nil {
				return nil, catalog.Type{}, err
			}
		}
		if agg == exec.AggRegrCount {
			return out, catalog.TypeInt8, nil
		}
		return out, catalog.TypeFloat8, nil
	}
	if len(args) != 1 {
		return nil, catalog.Type{}, b.noSuchFunc(name, args, loc)
	}
	arg, t, err := b.aggregateArg(name, agg, args[0], loc)
	if err != nil {
		return nil, catalog.Type{}, err
	}
	return []Expr{arg}, t, nil
}

// stringAggArgs resolves string_agg(text, text) or string_agg(bytea,
// bytea): unknown literals take the other argument's type, text when
// both are unknown.
func (b *binder) stringAggArgs(name string, args []Expr, loc int32) ([]Expr, catalog.Type, error) {
	if len(args) != 2 {
		return nil, catalog.Type{}, b.noSuchFunc(name, args, loc)
	}
	t := catalog.TypeText
	for _, a := range args {
		if a.Type().Kind == catalog.Bytea {
			t = catalog.TypeBytea
		}
	}
	out := make([]Expr, 2)
	for i, a := range args {
		if !canCoerceImplicitly(a.Type().Kind, t.Kind) {
			return nil, catalog.Type{}, b.noSuchFunc(name, args, loc)
		}
		var err error
		if out[i], err = b.coerce(a, t, loc); err != nil {
			return nil, catalog.Type{}, err
		}
	}
	return out, t, nil
}

// aggregateArg settles the type of a one-argument aggregate's bound
// argument and returns it with the aggregate's result type.
func (b *binder) aggregateArg(name string, agg exec.AggFunc, arg Expr, loc int32) (Expr, catalog.Type, error) {
	if arg.Type().Kind == catalog.Unknown {
		switch agg {
		case exec.AggCount, exec.AggMin, exec.AggMax:
			arg = b.resolveUnknown(arg)
		case exec.AggBoolAnd, exec.AggBoolOr:
			// Their one candidate takes boolean.
		case exec.AggVarSamp, exec.AggVarPop, exec.AggStddevSamp, exec.AggStddevPop:
			// All candidates are numbers: the preferred float8 wins.
			var err error
			if arg, err = b.coerce(arg, catalog.TypeFloat8, loc); err != nil {
				return nil, catalog.Type{}, err
			}
		default:
			err := b.errAt(pgerr.AmbiguousFunction, loc, "function %s(unknown) is not unique", name)
			err.Hint = "Could not choose a best candidate function. You might need to add explicit type casts."
			return nil, catalog.Type{}, err
		}
	}
	if agg == exec.AggBoolAnd || agg == exec.AggBoolOr {
		if k := arg.Type().Kind; k != catalog.Bool && k != catalog.Unknown {
			return nil, catalog.Type{}, b.noSuchFunc(name, []Expr{arg}, loc)
		}
		var err error
		if arg, err = b.coerce(arg, catalog.TypeBool, loc); err != nil {
			return nil, catalog.Type{}, err
		}
		return arg, catalog.TypeBool, nil
	}
	t, err := aggregateType(agg, arg.Type())
	if err != nil {
		if pe, ok := err.(*pgerr.Error); ok && pe.Code == pgerr.UndefinedFunction {
			return nil, catalog.Type{}, b.noSuchFunc(name, []Expr{arg}, loc)
		}
		return nil, catalog.Type{}, withPos(err, position(b.query, loc))
	}
	if (agg == exec.AggMin || agg == exec.AggMax) && t.Kind != arg.Type().Kind {
		if arg, err = b.coerce(arg, t, loc); err != nil {
			return nil, catalog.Type{}, err
		}
	}
	return arg, t, nil
}

// aggregateType is the result type of a one-argument aggregate over arg,
// as in PostgreSQL's pg_aggregate: sum of int2/int4 is int8, sum of int8
// and avg of integers are numeric, and so on.
func aggregateType(agg exec.AggFunc, arg catalog.Type) (catalog.Type, error) {
	switch agg {
	case exec.AggCount, exec.AggCountStar:
		return catalog.TypeInt8, nil
	case exec.AggMin, exec.AggMax:
		// pg_aggregate has min/max over text and bpchar but not varchar
		// or name, which are read as text; an aggregate's result has no
		// type modifier. There are none over boolean, bytea, uuid, json
		// and jsonb.
		switch arg.Kind {
		case catalog.Varchar, catalog.Name, catalog.Text:
			return catalog.TypeText, nil
		case catalog.Bool, catalog.Bytea, catalog.UUID, catalog.JSON, catalog.JSONB, catalog.Record:
			return catalog.Type{}, pgerr.New(pgerr.UndefinedFunction, "function %s(%s) does not exist", agg, arg)
		}
		return noTypmod(arg), nil
	case exec.AggBoolAnd, exec.AggBoolOr:
		return catalog.TypeBool, nil
	case exec.AggSum:
		switch arg.Kind {
		case catalog.Int2, catalog.Int4:
			return catalog.TypeInt8, nil
		case catalog.Int8:
			return catalog.UnconstrainedNumeric(0), nil
		case catalog.Numeric:
			return catalog.UnconstrainedNumeric(arg.Scale), nil
		case catalog.Float4, catalog.Float8, catalog.Interval:
			return arg, nil
		}
	case exec.AggAvg:
		switch arg.Kind {
		case catalog.Int2, catalog.Int4, catalog.Int8, catalog.Numeric:
			// sum / count with numeric division's scale, which depends
			// on the values: each result keeps its own display scale.
			return catalog.TypeNumeric, nil
		case catalog.Float4, catalog.Float8:
			return catalog.TypeFloat8, nil
		case catalog.Interval:
			return arg, nil
		}
	case exec.AggBitAnd, exec.AggBitOr, exec.AggBitXor:
		switch arg.Kind {
		case catalog.Int2, catalog.Int4, catalog.Int8:
			return arg, nil
		}
	case exec.AggVarSamp, exec.AggVarPop, exec.AggStddevSamp, exec.AggStddevPop:
		switch arg.Kind {
		case catalog.Int2, catalog.Int4, catalog.Int8, catalog.Numeric:
			// numeric_stddev_internal's scale depends on the values.
			return catalog.TypeNumeric, nil
		case catalog.Float4, catalog.Float8:
			return catalog.TypeFloat8, nil
		}
	}
	return catalog.Type{}, pgerr.New(pgerr.UndefinedFunction, "function %s(%s) does not exist", agg, arg)
}

// bindOrderedSet binds f(direct) WITHIN GROUP (ORDER BY arg):
//
//	percentile_cont(float8) WITHIN GROUP (float8 or interval) → that type
//	percentile_disc(float8) WITHIN GROUP (anyelement) → anyelement
//	mode() WITHIN GROUP (anyelement) → anyelement
//
// The array forms (percentile_cont(float8[]), ...) are not supported:
// pqdb has no array types.
func (b *binder) bindOrderedSet(f *pg_query.FuncCall, name string, agg exec.AggFunc, sc *scope) (Expr, error) {
	wantDirect := 1
	if agg == exec.AggMode {
		wantDirect = 0
	}
	if !f.AggWithinGroup {
		if f.AggStar {
			return nil, b.noSuchFunc(name, nil, f.Location)
		}
		// The function of these arguments exists only when they are all
		// of an ordered-set aggregate's.
		var args []Expr
		for _, a := range f.Args {
			e, err := b.bindExpr(a, sc, ctxAggArg)
			if err != nil {
				return nil, err
			}
			args = append(args, e)
		}
		if len(args) == wantDirect+1 {
			return nil, b.errAt(pgerr.WrongObjectType, f.Location, "WITHIN GROUP is required for ordered-set aggregate %s", name)
		}
		return nil, b.noSuchFunc(name, args, f.Location)
	}
	if !agg.IsOrderedSet() || len(f.Args) != wantDirect || len(f.AggOrder) != 1 {
		return nil, b.withinGroupNoSuchFunc(f, name, sc)
	}
	for _, a := range f.Args {
		if a.GetAArrayExpr() != nil {
			return nil, b.errAt(pgerr.FeatureNotSupported, f.Location, "%s of an array of fractions is not supported: pqdb has no array types", name)
		}
	}
	var direct Expr
	if wantDirect > 0 {
		d, err := b.bindExpr(f.Args[0], sc, ctxAggArg)
		if err != nil {
			return nil, err
		}
		direct = d
	}
	sb := f.AggOrder[0].GetSortBy()
	if len(sb.UseOp) > 0 {
		return nil, b.errAt(pgerr.FeatureNotSupported, sb.Location, "ORDER BY ... USING is not supported")
	}
	arg, err := b.bindExpr(sb.Node, sc, ctxAggArg)
	if err != nil {
		return nil, err
	}
	argLoc := exprLocation(sb.Node, f.Location)
	signature := func() error {
		if direct == nil {
			return b.noSuchFunc(name, []Expr{arg}, f.Location)
		}
		return b.noSuchFunc(name, []Expr{direct, arg}, f.Location)
	}
	if direct != nil {
		if !canCoerceImplicitly(direct.Type().Kind, catalog.Float8) {
			return nil, signature()
		}
	}
	var t catalog.Type
	switch {
	case agg == exec.AggPercentileCont && arg.Type().Kind == catalog.Interval:
		t = catalog.TypeInterval
	case agg == exec.AggPercentileCont:
		if !canCoerceImplicitly(arg.Type().Kind, catalog.Float8) {
			return nil, signature()
		}
		t = catalog.TypeFloat8
	default:
		if arg.Type().Kind == catalog.Unknown {
			return nil, b.errUnknownPolymorphic(f.Location)
		}
		if err := b.checkSortable(arg, argLoc); err != nil {
			return nil, err
		}
		t = noTypmod(arg.Type())
	}
	if arg, err = b.coerce(arg, t, argLoc); err != nil {
		return nil, err
	}
	if direct != nil {
		if direct, err = b.coerce(direct, catalog.TypeFloat8, f.Location); err != nil {
			return nil, err
		}
	}
	desc, nf := sortOrder(sb)
	ref := &AggRef{Agg: agg, Args: []Expr{arg}, Direct: direct, Order: []SortKey{{Expr: arg, Desc: desc, NullsFirst: nf}}, T: t}
	if ref.Filter, err = b.aggregateFilter(f.AggFilter, sc); err != nil {
		return nil, err
	}
	return ref, nil
}
