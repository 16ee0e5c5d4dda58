package planner

import (
	"github.com/pqdb/pqdb/catalog"
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
		return out, true, err
	case catalog.IsRegKind(from.Kind) && t.IsString():
		out, err := b.regFuncCall(regOutputFunc(from.Kind), e, catalog.TypeText, loc)
		if err != nil || t == catalog.TypeText {
			return out, true, err
		}
		out, err = b.coerce(out, t, loc)
		return out, true, err
	}
	return nil, false, nil
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
