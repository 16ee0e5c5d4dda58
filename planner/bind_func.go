package planner

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
)

func (b *binder) bindFuncCall(f *pg_query.FuncCall, sc *scope, ctx exprContext) (Expr, error) {
	name := strings.ToLower(f.Funcname[len(f.Funcname)-1].GetString_().Sval)
	if f.Over != nil {
		return b.bindWindowCall(f, name, sc, ctx)
	}
	if f.AggWithinGroup && hypotheticalSetFuncs[name] {
		return nil, b.errAt(pgerr.FeatureNotSupported, f.Location, "hypothetical-set aggregate %s is not supported", name)
	}
	if isWindowFuncName(name) {
		return nil, b.errAt(pgerr.WrongObjectType, f.Location, "window function %s requires an OVER clause", name)
	}
	if agg, ok := aggregateFuncs[name]; ok {
		return b.bindAggregate(f, name, agg, sc, ctx)
	}
	if exec.IsSetFunc(name) {
		return b.bindSetCallExpr(f, name, sc, ctx)
	}
	if err := b.notAggregate(f, name, sc); err != nil {
		return nil, err
	}
	args := make([]Expr, len(f.Args))
	var argNames []string
	for i, a := range f.Args {
		if na := a.GetNamedArgExpr(); na != nil {
			a = na.Arg
			if argNames == nil {
				argNames = make([]string, len(f.Args))
			}
			argNames[i] = na.Name
		}
		e, err := b.bindExpr(a, sc, ctx)
		if err != nil {
			return nil, err
		}
		args[i] = e
	}
	if argNames != nil {
		var err error
		if args, err = b.namedArgs(name, args, argNames, f.Location); err != nil {
			return nil, err
		}
	}
	if e, ok, err := b.sessionFunc(name, args, f.Location); ok {
		return e, err
	}
	if e, ok, err := b.enumFunc(name, args, f.Location); ok {
		return e, err
	}
	if hf, ok := b.opts.HostFuncs[HostOverloadKey(name, argTypes(args))]; ok {
		return b.hostCall(name, hf, args, f.Location)
	}
	if hf, ok := b.opts.HostFuncs[name]; ok && len(args) >= hf.MinArgs && len(args) <= len(hf.Args) {
		return b.hostCall(name, hf, args, f.Location)
	}
	return b.scalarFunc(name, args, f.Location)
}

// HostOverloadKey is the key of Options.HostFuncs under which the
// engine declares its overload of function name for exactly the
// argument types args (age(xid) beside exec's age of timestamps).
func HostOverloadKey(name string, args []catalog.Type) string {
	parts := make([]string, len(args))
	for i, t := range args {
		parts[i] = t.String()
	}
	return name + "(" + strings.Join(parts, ", ") + ")"
}

func argTypes(args []Expr) []catalog.Type {
	ts := make([]catalog.Type, len(args))
	for i, a := range args {
		ts[i] = a.Type()
	}
	return ts
}

// hostCall binds a call of the host function hf.
func (b *binder) hostCall(name string, hf HostFunc, args []Expr, loc int32) (Expr, error) {
	for i := range args {
		if hf.Args[i].Kind == catalog.Unknown {
			// An argument of any type (PostgreSQL's "any"): the
			// function looks at the value's Go type; a literal is
			// text.
			args[i] = b.resolveUnknown(args[i])
			continue
		}
		var err error
		if args[i], err = b.coerce(args[i], hf.Args[i], loc); err != nil {
			return nil, err
		}
	}
	return &HostCall{Name: name, Args: args, T: hf.Result, Fn: hf.Fn}, nil
}

// namedArgs puts the arguments of a call in named (or mixed) notation in
// parameter order, filling the parameters left out with their defaults.
func (b *binder) namedArgs(name string, args []Expr, names []string, loc int32) ([]Expr, error) {
	params, defaults := exec.FuncParams(name)
	notFound := func() error {
		parts := make([]string, len(args))
		for i, a := range args {
			parts[i] = a.Type().String()
			if names[i] != "" {
				parts[i] = names[i] + " => " + parts[i]
			}
		}
		e := b.errAt(pgerr.UndefinedFunction, loc, "function %s(%s) does not exist", name, strings.Join(parts, ", "))
		e.Hint = "No function matches the given name and argument types. You might need to add explicit type casts."
		return e
	}
	out := make([]Expr, len(params))
	for i, a := range args {
		pos := i
		if names[i] != "" {
			pos = -1
			for k, p := range params {
				if p == names[i] {
					pos = k
				}
			}
		}
		if pos < 0 || pos >= len(params) {
			return nil, notFound()
		}
		if out[pos] != nil {
			return nil, b.errAt(pgerr.SyntaxError, loc, "argument name \"%s\" used more than once", names[i])
		}
		out[pos] = a
	}
	firstDefault := len(params) - len(defaults)
	// trailing parameters left out that have no default: a shorter
	// overload may take the call (make_timestamptz without a zone)
	for len(out) > 0 && out[len(out)-1] == nil && len(out)-1 < firstDefault {
		out = out[:len(out)-1]
	}
	for k := range out {
		if out[k] != nil {
			continue
		}
		if k < firstDefault {
			return nil, notFound()
		}
		d := defaults[k-firstDefault]
		out[k] = &Const{Value: d.Value, T: d.Type}
	}
	return out, nil
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
