package planner

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
)

var aggregateFuncs = map[string]exec.AggFunc{
	"count": exec.AggCount, "sum": exec.AggSum, "avg": exec.AggAvg, "min": exec.AggMin, "max": exec.AggMax,
	"bool_and": exec.AggBoolAnd, "bool_or": exec.AggBoolOr, "every": exec.AggBoolAnd,
}

func (b *binder) bindFuncCall(f *pg_query.FuncCall, sc *scope, ctx exprContext) (Expr, error) {
	name := strings.ToLower(f.Funcname[len(f.Funcname)-1].GetString_().Sval)
	if f.Over != nil {
		return b.bindWindowCall(f, name, sc, ctx)
	}
	if isWindowFuncName(name) {
		return nil, b.errAt(pgerr.WrongObjectType, f.Location, "window function %s requires an OVER clause", name)
	}
	if agg, ok := aggregateFuncs[name]; ok {
		return b.bindAggregate(f, name, agg, sc, ctx)
	}
	if f.AggStar || f.AggDistinct || len(f.AggOrder) > 0 || f.AggFilter != nil {
		return nil, b.errAt(pgerr.WrongObjectType, f.Location, "%s is not an aggregate function", name)
	}
	args := make([]Expr, len(f.Args))
	for i, a := range f.Args {
		e, err := b.bindExpr(a, sc, ctx)
		if err != nil {
			return nil, err
		}
		args[i] = e
	}
	if e, ok, err := b.sessionFunc(name, args, f.Location); ok {
		return e, err
	}
	if hf, ok := b.opts.HostFuncs[name]; ok && len(args) >= hf.MinArgs && len(args) <= len(hf.Args) {
		for i := range args {
			var err error
			if args[i], err = b.coerce(args[i], hf.Args[i], f.Location); err != nil {
				return nil, err
			}
		}
		return &HostCall{Name: name, Args: args, T: hf.Result, Fn: hf.Fn}, nil
	}
	return b.scalarFunc(name, args, f.Location)
}

// scalarFunc resolves a scalar function by name and argument types.
func (b *binder) scalarFunc(name string, args []Expr, loc int32) (Expr, error) {
	if name == "concat" || name == "concat_ws" {
		// concat prints its arguments with their types' output functions,
		// which for boolean is t/f, not the true/false of a cast to text.
		for i, a := range args {
			if a.Type().Kind == catalog.Bool {
				args[i] = &CaseExpr{T: catalog.TypeText, Whens: []CaseWhen{
					{Cond: a, Then: &Const{Value: "t", T: catalog.TypeText}},
					{Cond: &NotExpr{Arg: a}, Then: &Const{Value: "f", T: catalog.TypeText}},
				}}
			}
		}
	}
	ts := make([]catalog.Type, len(args))
	for i, a := range args {
		ts[i] = a.Type()
	}
	result, want, err := exec.FuncResultType(name, ts)
	if err != nil {
		pe := pgerr.From(err)
		if pe.Code == pgerr.UndefinedFunction {
			names := make([]string, len(ts))
			for i, t := range ts {
				names[i] = t.String()
			}
			e := b.errAt(pgerr.UndefinedFunction, loc, "function %s(%s) does not exist", name, strings.Join(names, ", "))
			e.Hint = "No function matches the given name and argument types. You might need to add explicit type casts."
			return nil, e
		}
		return nil, withPos(err, position(b.query, loc))
	}
	for i := range args {
		if i < len(want) && want[i] != args[i].Type() {
			if args[i], err = b.coerce(args[i], want[i], loc); err != nil {
				return nil, err
			}
		}
	}
	// Some result types depend on a constant argument (the scale of
	// round(x, 2)): ask exec with the constants in place.
	probe := make([]exec.Expr, len(args))
	for i, a := range args {
		v := catalog.Datum(nil)
		if c, ok := a.(*Const); ok {
			v = c.Value
		}
		probe[i] = exec.Literal(v, a.Type())
	}
	if f, err := exec.Func(name, probe); err == nil {
		result = f.Type()
	}
	return &FuncExpr{Name: name, Args: args, T: result}, nil
}

func (b *binder) bindAggregate(f *pg_query.FuncCall, name string, agg exec.AggFunc, sc *scope, ctx exprContext) (Expr, error) {
	switch ctx {
	case ctxSelect, ctxHaving, ctxOrderBy, ctxWindowArg, ctxWindowDef:
	case ctxAggArg:
		return nil, b.errAt(pgerr.GroupingError, f.Location, "aggregate function calls cannot be nested")
	default:
		return nil, b.errAt(pgerr.GroupingError, f.Location, "aggregate functions are not allowed in %s", contextName[ctx])
	}
	if len(f.AggOrder) > 0 || f.AggFilter != nil || f.AggWithinGroup {
		return nil, b.errAt(pgerr.FeatureNotSupported, f.Location, "ORDER BY, FILTER and WITHIN GROUP in aggregates are not supported")
	}
	if f.AggStar {
		if name != "count" {
			return nil, b.errAt(pgerr.WrongObjectType, f.Location, "%s(*) must be used to call a parameterless aggregate function", name)
		}
		return &AggRef{Agg: exec.AggCountStar, T: catalog.TypeInt8}, nil
	}
	if len(f.Args) != 1 {
		return nil, b.errAt(pgerr.UndefinedFunction, f.Location, "function %s with %d arguments does not exist", name, len(f.Args))
	}
	// The argument belongs to the aggregate's input, not to an outer
	// aggregate: bind it where aggregates are not allowed.
	arg, err := b.bindExpr(f.Args[0], sc, ctxAggArg)
	if err != nil {
		return nil, err
	}
	arg, t, err := b.aggregateArg(name, agg, arg, f.Location)
	if err != nil {
		return nil, err
	}
	return &AggRef{Agg: agg, Arg: arg, Dis: f.AggDistinct, T: t}, nil
}

// aggregateArg settles the type of an aggregate's bound argument and
// returns it with the aggregate's result type.
func (b *binder) aggregateArg(name string, agg exec.AggFunc, arg Expr, loc int32) (Expr, catalog.Type, error) {
	if arg.Type().Kind == catalog.Unknown {
		if name == "count" || name == "min" || name == "max" {
			arg = b.resolveUnknown(arg)
		} else {
			return nil, catalog.Type{}, b.errAt(pgerr.AmbiguousFunction, loc, "function %s(unknown) is not unique", name)
		}
	}
	t, err := aggregateType(agg, arg.Type())
	if err != nil {
		return nil, catalog.Type{}, withPos(err, position(b.query, loc))
	}
	if (agg == exec.AggMin || agg == exec.AggMax) && t.Kind != arg.Type().Kind {
		if arg, err = b.coerce(arg, t, loc); err != nil {
			return nil, catalog.Type{}, err
		}
	}
	if agg == exec.AggBoolAnd || agg == exec.AggBoolOr {
		if arg, err = b.coerceBool(arg, name); err != nil {
			return nil, catalog.Type{}, err
		}
	}
	return arg, t, nil
}

// aggregateType is the result type of an aggregate over arg, as in
// Postgres' pg_aggregate: sum of int2/int4 is int8, sum of int8 and avg of
// integers are numeric, and so on.
func aggregateType(agg exec.AggFunc, arg catalog.Type) (catalog.Type, error) {
	switch agg {
	case exec.AggCount, exec.AggCountStar:
		return catalog.TypeInt8, nil
	case exec.AggMin, exec.AggMax:
		// pg_aggregate has min/max over text and bpchar but not varchar
		// or name, which are read as text; an aggregate's result has no
		// type modifier.
		switch arg.Kind {
		case catalog.Varchar, catalog.Name, catalog.Text:
			return catalog.TypeText, nil
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
	}
	return catalog.Type{}, pgerr.New(pgerr.UndefinedFunction, "function %s(%s) does not exist", aggNames[agg], arg)
}
