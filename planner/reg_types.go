package planner

import (
	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
)

// Casts between the reg* types (regclass, regtype, ...) and text go
// through their input and output functions, which read the session's
// catalog and so are the engine's host functions (catalog/type_reg.go
// explains the design): regclassin reads a name into an OID and
// regclassout prints one, and likewise for each reg* type. A literal is
// read once, here, as PostgreSQL's parser does: 'pg_class'::regclass is
// a constant OID, and a name that does not exist is an error pointing
// at the literal. Every other cast of a reg* value (to and from oid and
// the integers) is the executor's, which treats the values as oid.

// regInputFunc and regOutputFunc name the host functions that read and
// print values of the reg* kind k.
func regInputFunc(k catalog.Kind) string {
	return catalog.Type{Kind: k}.String() + "in"
}

func regOutputFunc(k catalog.Kind) string {
	return catalog.Type{Kind: k}.String() + "out"
}

// regCast binds a cast of e to t that needs a reg* type's input or
// output function; ok is false for every other cast.
func (b *binder) regCast(e Expr, t catalog.Type, loc int32) (_ Expr, ok bool, _ error) {
	from := e.Type()
	switch {
	case catalog.IsRegKind(t.Kind) && (from.IsString() || from.Kind == catalog.Unknown):
		if p, isParam := e.(*Param); isParam && from.Kind == catalog.Unknown {
			// A parameter the client sends as text: read as text,
			// then as the reg* type.
			b.params[p.Index] = catalog.TypeText
			e = &Param{Index: p.Index, T: catalog.TypeText}
		}
		out, err := b.regFuncCall(regInputFunc(t.Kind), e, t, loc)
		if c, isConst := e.(*Const); isConst && err == nil && t.Kind == catalog.RegClass {
			b.noteRegclassName(c)
		}
		return out, true, err
	case catalog.IsRegKind(from.Kind) && t.IsString():
		out, err := b.regFuncCall(regOutputFunc(from.Kind), e, catalog.TypeText, loc)
		if err != nil || t == catalog.TypeText {
			return out, true, err
		}
		out, err = b.coerce(out, t, loc)
		return out, true, err
	case from.IsArray() && catalog.IsRegKind(from.Elem) && (t.IsString() || t.IsArray() && t.ElemType().IsString()):
		// An array of reg* values prints, and casts to an array of
		// strings, through its elements' output function, as
		// pgcli's proargtypes::regtype[]::text[] reads type names.
		out, err := b.regArrayOutput(e, from.ElemType(), loc)
		if err != nil || t == out.Type() {
			return out, true, err
		}
		out, err = b.coerce(out, t, loc)
		return out, true, err
	}
	return nil, false, nil
}

// regArrayOutput is the text[] of the elements of e, an array of the
// reg* type elem, each printed by elem's output function.
func (b *binder) regArrayOutput(e Expr, elem catalog.Type, loc int32) (Expr, error) {
	name := regOutputFunc(elem.Kind)
	hf, ok := b.opts.HostFuncs[name]
	if !ok {
		return nil, b.errAt(pgerr.FeatureNotSupported, loc, "type %s is not supported here", elem)
	}
	each := func(ctx *exec.Context, args []catalog.Datum) (catalog.Datum, error) {
		if args[0] == nil {
			return nil, nil
		}
		in := args[0].(catalog.ArrayValue)
		out := make(catalog.ArrayValue, len(in))
		for i, v := range in {
			if v == nil {
				continue
			}
			var err error
			if out[i], err = hf.Fn(ctx, []catalog.Datum{v}); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	t := catalog.ArrayOf(catalog.TypeText)
	if c, isConst := e.(*Const); isConst {
		v, err := each(nil, []catalog.Datum{c.Value})
		if err != nil {
			return nil, withPos(err, position(b.query, loc))
		}
		return &Const{Value: v, T: t}, nil
	}
	return &HostCall{Name: name, Args: []Expr{e}, T: t, Fn: each}, nil
}

// regFuncCall calls the host function name on e, which yields type t: at
// bind time when e is a constant, at run time otherwise.
func (b *binder) regFuncCall(name string, e Expr, t catalog.Type, loc int32) (Expr, error) {
	hf, ok := b.opts.HostFuncs[name]
	if !ok {
		return nil, b.errAt(pgerr.FeatureNotSupported, loc, "type %s is not supported here", t)
	}
	if c, isConst := e.(*Const); isConst {
		if c.Value == nil {
			return &Const{T: t}, nil
		}
		v, err := hf.Fn(nil, []catalog.Datum{c.Value})
		if err != nil {
			if c.Loc > 0 {
				loc = c.Loc
			}
			return nil, withPos(err, position(b.query, loc))
		}
		return &Const{Value: v, T: t}, nil
	}
	if e.Type().Kind != hf.Args[0].Kind {
		var err error
		if e, err = b.coerce(e, hf.Args[0], loc); err != nil {
			return nil, err
		}
	}
	return &HostCall{Name: name, Args: []Expr{e}, T: t, Fn: hf.Fn}, nil
}
