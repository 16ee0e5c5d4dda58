package planner

import (
	"math"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
)

// Array syntax binds to exec's array functions (exec/array_funcs.go):
// ARRAY[...] to pqdb_array, a[i] to pqdb_array_subscript, a[i:j] to
// pqdb_array_slice, x op ANY/ALL (array) to pqdb_any_<op>/pqdb_all_<op>,
// and the array operators || @> <@ && to array_cat, array_append,
// array_prepend, arraycontains, arraycontained and arrayoverlap, the
// functions pg_operator binds them to. pqdb's arrays are one-dimensional;
// multi-dimensional syntax is refused with 0A000.

// bindArrayExpr binds ARRAY[e1, ...]: the elements take their common type
// (select_common_type), as transformArrayExpr does.
func (b *binder) bindArrayExpr(x *pg_query.A_ArrayExpr, sc *scope, ctx exprContext, cast *catalog.Type) (Expr, error) {
	if len(x.Elements) == 0 {
		if cast != nil && cast.Kind == catalog.Array {
			return &Const{Value: catalog.ArrayValue{}, T: *cast}, nil
		}
		e := b.errAt(pgerr.IndeterminateDatatype, x.Location, "cannot determine type of empty array")
		e.Hint = "Explicitly cast to the desired type, for example ARRAY[]::integer[]."
		return nil, e
	}
	elems := make([]Expr, len(x.Elements))
	ts := make([]catalog.Type, len(x.Elements))
	for i, n := range x.Elements {
		if n.GetAArrayExpr() != nil {
			return nil, b.errAt(pgerr.FeatureNotSupported, x.Location, "multidimensional arrays are not supported")
		}
		e, err := b.bindExpr(n, sc, ctx)
		if err != nil {
			return nil, err
		}
		if e.Type().Kind == catalog.Array {
			return nil, b.errAt(pgerr.FeatureNotSupported, x.Location, "multidimensional arrays are not supported")
		}
		elems[i], ts[i] = e, e.Type()
	}
	et, err := commonType(ts, "ARRAY")
	if err != nil {
		return nil, withPos(err, position(b.query, x.Location))
	}
	if cast != nil && cast.Kind == catalog.Array && allUnknown(ts) {
		// ARRAY['1', '2']::int[] reads the literals as the elements of the
		// target type, as PostgreSQL pushes the cast into the elements
		// (the explicit cast above then applies a length).
		et = noTypmod(cast.ElemType())
	}
	at, err := catalog.ArrayOfChecked(et)
	if err != nil {
		return nil, withPos(err, position(b.query, x.Location))
	}
	for i := range elems {
		if elems[i], err = b.coerceCommon(elems[i], et, "ARRAY", x.Location); err != nil {
			return nil, err
		}
	}
	return &FuncExpr{Name: "pqdb_array", Args: elems, T: at}, nil
}

func allUnknown(ts []catalog.Type) bool {
	for _, t := range ts {
		if t.Kind != catalog.Unknown {
			return false
		}
	}
	return true
}

// bindIndirection binds subscripts: a[i] and a[i:j] (bounds may be left
// out).
func (b *binder) bindIndirection(x *pg_query.A_Indirection, sc *scope, ctx exprContext) (Expr, error) {
	for _, n := range x.Indirection {
		if n.GetAIndices() == nil {
			// A field selection, (r).f (bind_record.go).
			return b.bindFieldIndirection(x, sc, ctx)
		}
	}
	arg, err := b.bindExpr(x.Arg, sc, ctx)
	if err != nil {
		return nil, err
	}
	return b.bindIndirectionOver(arg, x, sc, ctx)
}

// bindIndirectionOver binds the subscripts of x over arg, the value of
// x.Arg (or of the field selections before them).
func (b *binder) bindIndirectionOver(arg Expr, x *pg_query.A_Indirection, sc *scope, ctx exprContext) (Expr, error) {
	var err error
	if len(x.Indirection) != 1 || x.Indirection[0].GetAIndices() == nil {
		if len(x.Indirection) > 0 && x.Indirection[0].GetAIndices() == nil {
			return nil, pgerr.Unsupported("field selection after a subscript is not supported")
		}
		return nil, pgerr.Unsupported("multidimensional subscripts are not supported")
	}
	ind := x.Indirection[0].GetAIndices()
	t := arg.Type()
	if t.Kind == catalog.Unknown {
		t = catalog.ArrayOf(catalog.TypeText)
		if arg, err = b.coerce(arg, t, -1); err != nil {
			return nil, err
		}
	}
	if t.Kind != catalog.Array {
		return nil, pgerr.New(pgerr.DatatypeMismatch, "cannot subscript type %s because it does not support subscripting", t)
	}
	bound := func(n *pg_query.Node, dflt int32) (Expr, error) {
		if n == nil {
			return &Const{Value: dflt, T: catalog.TypeInt4}, nil
		}
		if t.Vector {
			// A vector's subscripts start at 0 (indoption[0]);
			// pqdb keeps its elements as an array's, from 1.
			n = pg_query.MakeAExprNode(pg_query.A_Expr_Kind_AEXPR_OP, []*pg_query.Node{pg_query.MakeStrNode("+")}, n, pg_query.MakeAConstIntNode(1, -1), -1)
		}
		e, err := b.bindExpr(n, sc, ctx)
		if err != nil {
			return nil, err
		}
		switch e.Type().Kind {
		case catalog.Int4:
			return e, nil
		case catalog.Unknown, catalog.Int2, catalog.Int8, catalog.Numeric, catalog.Float4, catalog.Float8:
			return b.assign(e, catalog.TypeInt4)
		}
		return nil, pgerr.New(pgerr.DatatypeMismatch, "array subscript must have type integer")
	}
	if !ind.IsSlice {
		i, err := bound(ind.Uidx, 0)
		if err != nil {
			return nil, err
		}
		return &FuncExpr{Name: "pqdb_array_subscript", Args: []Expr{arg, i}, T: t.ElemType()}, nil
	}
	lo, err := bound(ind.Lidx, 1)
	if err != nil {
		return nil, err
	}
	hi, err := bound(ind.Uidx, math.MaxInt32)
	if err != nil {
		return nil, err
	}
	return &FuncExpr{Name: "pqdb_array_slice", Args: []Expr{arg, lo, hi}, T: t}, nil
}

var quantifiedNames = map[string]string{"=": "eq", "<>": "ne", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge"}

// bindQuantified binds x op ANY (array) and x op ALL (array).
func (b *binder) bindQuantified(a *pg_query.A_Expr, opName string, sc *scope, ctx exprContext) (Expr, error) {
	all := a.Kind == pg_query.A_Expr_Kind_AEXPR_OP_ALL
	l, err := b.bindExpr(a.Lexpr, sc, ctx)
	if err != nil {
		return nil, err
	}
	r, err := b.bindExpr(a.Rexpr, sc, ctx)
	if err != nil {
		return nil, err
	}
	sym, ok := quantifiedNames[opName]
	if !ok {
		return nil, b.errAt(pgerr.FeatureNotSupported, a.Location, "%s ANY/ALL is not supported", opName)
	}
	rt := r.Type()
	if rt.Kind == catalog.Unknown {
		lt := l.Type()
		if lt.Kind == catalog.Unknown {
			lt = catalog.TypeText
		}
		if r, err = b.coerce(r, catalog.ArrayOf(lt), a.Location); err != nil {
			return nil, err
		}
		rt = r.Type()
	}
	if rt.Kind != catalog.Array {
		return nil, b.errAt(pgerr.WrongObjectType, a.Location, "op ANY/ALL (array) requires array on right side")
	}
	// Compare in the type the operator of x's and the element's types
	// takes, as for a scalar comparison.
	probe := &Const{T: rt.ElemType()}
	lc, rc, err := b.unify(l, probe, opName, a.Location)
	if err != nil {
		return nil, err
	}
	ct := rc.Type()
	if ct.Kind == catalog.Enum && sym != "eq" && sym != "ne" {
		return nil, b.errAt(pgerr.FeatureNotSupported, a.Location, "%s ANY/ALL (array) on enum type %s is not supported", opName, ct)
	}
	if ct != rt.ElemType() {
		at := catalog.ArrayOf(ct)
		if r, err = b.coerce(r, at, a.Location); err != nil {
			return nil, err
		}
	}
	name := "pqdb_any_" + sym
	if all {
		name = "pqdb_all_" + sym
	}
	return b.scalarFunc(name, []Expr{lc, r}, a.Location)
}

// arrayOperator binds the operators with an array operand: || (array_cat,
// array_append, array_prepend), @>, <@ and &&. ok is false when neither
// side is an array.
func (b *binder) arrayOperator(op string, l, r Expr, loc int32) (Expr, bool, error) {
	lt, rt := l.Type(), r.Type()
	la, ra := lt.Kind == catalog.Array, rt.Kind == catalog.Array
	fn := map[string]string{"@>": "arraycontains", "<@": "arraycontained", "&&": "arrayoverlap"}[op]
	switch {
	case op == "||" && (la || ra):
		switch {
		case la && (ra || rt.Kind == catalog.Unknown), ra && lt.Kind == catalog.Unknown:
			fn = "array_cat"
		case la:
			fn = "array_append"
		default:
			fn = "array_prepend"
		}
	case fn != "" && lt.Kind == catalog.Unknown && rt.Kind == catalog.Unknown:
		// Several operators of pg_operator take two unknowns here.
		e := b.errAt(pgerr.AmbiguousFunction, loc, "operator is not unique: unknown %s unknown", op)
		e.Hint = "Could not choose a best candidate operator. You might need to add explicit type casts."
		return nil, true, e
	case fn != "" && (la || ra):
	default:
		return nil, false, nil
	}
	e, err := b.scalarFunc(fn, []Expr{l, r}, loc)
	if err != nil && pgerr.CodeOf(err) == pgerr.UndefinedFunction {
		return nil, true, b.noOperator(op, lt, rt, loc)
	}
	return e, true, err
}

// commonArrayType is the common type of array types: arrays of the
// elements' common type.
func commonArrayType(ts []catalog.Type, what string) (catalog.Type, error) {
	var elems []catalog.Type
	for _, t := range ts {
		switch t.Kind {
		case catalog.Array:
			elems = append(elems, t.ElemType())
		case catalog.Unknown:
		default:
			return catalog.Type{}, nil
		}
	}
	et, err := commonType(elems, what)
	if err != nil {
		return catalog.Type{}, err
	}
	return catalog.ArrayOf(et), nil
}

// arrayAggArgs resolves array_agg(anynonarray): an unknown literal is
// text; the result is an array of the argument's type.
func (b *binder) arrayAggArgs(name string, args []Expr, loc int32) ([]Expr, catalog.Type, error) {
	if len(args) != 1 {
		return nil, catalog.Type{}, b.noSuchFunc(name, args, loc)
	}
	arg := b.resolveUnknown(args[0])
	if arg.Type().Kind == catalog.Array {
		return nil, catalog.Type{}, b.errAt(pgerr.FeatureNotSupported, loc, "array_agg of arrays (multidimensional arrays) is not supported")
	}
	t, err := catalog.ArrayOfChecked(arg.Type())
	if err != nil {
		return nil, catalog.Type{}, withPos(err, position(b.query, loc))
	}
	return []Expr{arg}, t, nil
}

// arraySubqueryPlan is the plan of ARRAY(subquery) over the subquery's
// plan: array_agg of its one column in the order its rows come, or an
// empty array when there are none, evaluated as a scalar subquery.
func arraySubqueryPlan(node Node, t catalog.Type) (Node, catalog.Type, error) {
	if t.Kind == catalog.Array {
		return nil, catalog.Type{}, pgerr.Unsupported("multidimensional arrays are not supported")
	}
	if t.Kind == catalog.Unknown {
		t = catalog.TypeText
		node = &Project{Input: node, Exprs: []Expr{&CastExpr{Arg: &ColRef{Index: 0, T: catalog.TypeUnknown}, T: t}}}
	}
	at, err := catalog.ArrayOfChecked(t)
	if err != nil {
		return nil, catalog.Type{}, err
	}
	agg := &Aggregate{Input: node, Aggs: []*AggRef{{Agg: exec.AggArrayAgg, Args: []Expr{&ColRef{Index: 0, T: t}}, T: at}}}
	empty := &Const{Value: catalog.ArrayValue{}, T: at}
	return &Project{Input: agg, Exprs: []Expr{&CoalesceExpr{Args: []Expr{&ColRef{Index: 0, T: at}, empty}, T: at}}}, at, nil
}

// subscriptTarget splits an UPDATE target a[i] into the column's target
// and the subscript; sub is nil for a plain column. Slices and nested
// subscripts are refused.
func (b *binder) subscriptTarget(rt *pg_query.ResTarget) (*pg_query.ResTarget, *pg_query.Node, error) {
	if len(rt.Indirection) == 0 {
		return rt, nil, nil
	}
	ind := rt.Indirection[0].GetAIndices()
	if len(rt.Indirection) != 1 || ind == nil || ind.IsSlice {
		return nil, nil, b.errAt(pgerr.FeatureNotSupported, rt.Location, "assignment to a subfield, a slice or a multidimensional subscript is not supported")
	}
	return &pg_query.ResTarget{Name: rt.Name, Val: rt.Val, Location: rt.Location}, ind.Uidx, nil
}

// assignElement is the new value of an array column after SET a[i] = v,
// over its current value cur.
func (b *binder) assignElement(cur Expr, sub *pg_query.Node, v Expr, sc *scope, loc int32) (Expr, error) {
	t := cur.Type()
	if t.Kind != catalog.Array {
		return nil, b.errAt(pgerr.DatatypeMismatch, loc, "cannot subscript type %s because it does not support subscripting", t)
	}
	i, err := b.bindExpr(sub, sc, ctxDML)
	if err != nil {
		return nil, err
	}
	if i, err = b.assign(i, catalog.TypeInt4); err != nil {
		return nil, err
	}
	if v, err = b.assign(v, t.ElemType()); err != nil {
		return nil, err
	}
	return &FuncExpr{Name: "pqdb_array_set", Args: []Expr{cur, i, v}, T: t}, nil
}

// arraySyntaxString renders the internal functions array syntax binds to
// as the syntax, as EXPLAIN shows it (PostgreSQL's ruleutils does the
// same): ARRAY[...], a[i], a[i:j], x = ANY (a).
func arraySyntaxString(e *FuncExpr) (string, bool) {
	switch {
	case e.Name == "pqdb_array":
		return "ARRAY[" + joinExprs(e.Args, ", ") + "]", true
	case e.Name == "pqdb_array_subscript":
		return e.Args[0].String() + "[" + e.Args[1].String() + "]", true
	case e.Name == "pqdb_array_slice":
		return e.Args[0].String() + "[" + e.Args[1].String() + ":" + e.Args[2].String() + "]", true
	case strings.HasPrefix(e.Name, "pqdb_any_") || strings.HasPrefix(e.Name, "pqdb_all_"):
		quant, sym := strings.ToUpper(e.Name[5:8]), e.Name[9:]
		for op, s := range quantifiedNames {
			if s == sym && op != "!=" {
				return "(" + e.Args[0].String() + " " + op + " " + quant + " (" + e.Args[1].String() + "))", true
			}
		}
	}
	return "", false
}
