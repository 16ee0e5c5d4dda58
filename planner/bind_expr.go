package planner

import (
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
)

// exprContext is the clause an expression appears in; it decides whether
// aggregates are allowed and how errors read.
type exprContext uint8

const (
	ctxSelect exprContext = iota
	ctxWhere
	ctxHaving
	ctxOrderBy
	ctxGroupBy
	ctxJoinOn
	ctxValues
	ctxLimit
	ctxAggArg
	ctxDML
	ctxReturning
	ctxDefault
	// ctxWindowArg binds a window function's arguments and
	// ctxWindowDef its PARTITION BY and ORDER BY keys: aggregates of the
	// query are allowed there, window functions are not.
	ctxWindowArg
	ctxWindowDef
	// ctxFrameRows, ctxFrameRange and ctxFrameGroups bind a window
	// frame's offset (bind_window_frame.go).
	ctxFrameRows
	ctxFrameRange
	ctxFrameGroups
	// ctxAggFilter binds an aggregate's FILTER condition: neither
	// aggregates nor window functions are allowed there.
	ctxAggFilter
	// ctxCheck binds a CHECK constraint: over its table's row, without
	// aggregates, window functions, subqueries or parameters.
	ctxCheck
	// ctxFromFunc binds the arguments of a function called in FROM.
	ctxFromFunc
	// ctxIndexExpr and ctxIndexPred bind an index's expression key
	// columns and its predicate (bind_index_expr.go).
	ctxIndexExpr
	ctxIndexPred
)

var contextName = map[exprContext]string{
	ctxWhere: "WHERE", ctxGroupBy: "GROUP BY", ctxJoinOn: "JOIN conditions", ctxValues: "VALUES",
	ctxLimit: "LIMIT", ctxDML: "UPDATE", ctxAggArg: "aggregate function calls", ctxReturning: "RETURNING", ctxDefault: "DEFAULT expressions",
	ctxHaving: "HAVING", ctxWindowDef: "window definitions", ctxAggFilter: "FILTER", ctxCheck: "check constraints",
	ctxFromFunc: "functions in FROM", ctxFrameRows: "window ROWS", ctxFrameRange: "window RANGE", ctxFrameGroups: "window GROUPS",
	ctxIndexExpr: "index expressions", ctxIndexPred: "index predicates",
}

// noSubqueryIn names the contexts where a subquery is refused, as
// PostgreSQL's "cannot use subquery in ..." says.
var noSubqueryIn = map[exprContext]string{ctxDefault: "DEFAULT expression", ctxCheck: "check constraint",
	ctxIndexExpr: "index expression", ctxIndexPred: "index predicate"}

func (b *binder) errAt(code string, loc int32, format string, args ...any) *pgerr.Error {
	return pgerr.New(code, format, args...).WithPosition(position(b.query, loc))
}

// bindExpr binds a parse-tree expression over sc.
func (b *binder) bindExpr(n *pg_query.Node, sc *scope, ctx exprContext) (Expr, error) {
	switch x := n.Node.(type) {
	case *pg_query.Node_ColumnRef:
		return b.bindColumnRef(x.ColumnRef, sc)
	case *pg_query.Node_AConst:
		return b.bindConst(x.AConst)
	case *pg_query.Node_ParamRef:
		return b.bindParam(x.ParamRef)
	case *pg_query.Node_AExpr:
		e, err := b.bindAExpr(x.AExpr, sc, ctx)
		if err == nil && b.deparse != nil {
			b.noteOperator(e, x.AExpr)
		}
		return e, err
	case *pg_query.Node_BoolExpr:
		args := make([]Expr, len(x.BoolExpr.Args))
		for i, a := range x.BoolExpr.Args {
			e, err := b.bindExpr(a, sc, ctx)
			if err != nil {
				return nil, err
			}
			if args[i], err = b.coerceBoolOp(e, x.BoolExpr.Boolop); err != nil {
				return nil, err
			}
		}
		switch x.BoolExpr.Boolop {
		case pg_query.BoolExprType_AND_EXPR:
			return &BoolExpr{And: true, Args: args}, nil
		case pg_query.BoolExprType_OR_EXPR:
			return &BoolExpr{Args: args}, nil
		}
		return &NotExpr{Arg: args[0]}, nil
	case *pg_query.Node_NullTest:
		if isRow(x.NullTest.Arg) {
			return b.bindRowNullTest(x.NullTest, sc, ctx)
		}
		arg, err := b.bindExpr(x.NullTest.Arg, sc, ctx)
		if err != nil {
			return nil, err
		}
		return &NullTest{Arg: b.resolveUnknown(arg), Not: x.NullTest.Nulltesttype == pg_query.NullTestType_IS_NOT_NULL}, nil
	case *pg_query.Node_BooleanTest:
		e, err := b.bindBooleanTest(x.BooleanTest, sc, ctx)
		if err == nil && b.deparse != nil {
			b.noteBooleanTest(e, x.BooleanTest)
		}
		return e, err
	case *pg_query.Node_TypeCast:
		e, err := b.bindTypeCast(x.TypeCast, sc, ctx)
		if err == nil && b.deparse != nil {
			b.noteTypeCast(e, x.TypeCast)
		}
		return e, err
	case *pg_query.Node_FuncCall:
		e, err := b.bindFuncCall(x.FuncCall, sc, ctx)
		if err == nil && x.FuncCall.Funcformat == pg_query.CoercionForm_COERCE_SQL_SYNTAX {
			b.noteSQLSyntax(e)
		}
		if err == nil && b.deparse != nil && x.FuncCall.Over != nil {
			b.deparse.windows[e] = x.FuncCall.Over
		}
		return e, err
	case *pg_query.Node_CaseExpr:
		e, err := b.bindCase(x.CaseExpr, sc, ctx)
		if err == nil && x.CaseExpr.Arg != nil {
			b.noteSQLSyntax(e)
		}
		if err == nil && containsSetCall(e) {
			return nil, b.errNoSetCallIn("CASE", x.CaseExpr.Location)
		}
		return e, err
	case *pg_query.Node_CoalesceExpr:
		args, t, err := b.bindCommon(x.CoalesceExpr.Args, sc, ctx, "COALESCE")
		if err != nil {
			return nil, err
		}
		e := &CoalesceExpr{Args: args, T: t}
		if containsSetCall(e) {
			return nil, b.errNoSetCallIn("COALESCE", x.CoalesceExpr.Location)
		}
		return e, nil
	case *pg_query.Node_MinMaxExpr:
		args, t, err := b.bindCommon(x.MinMaxExpr.Args, sc, ctx, strings.ToUpper(minMaxName(x.MinMaxExpr.Op)))
		if err != nil {
			return nil, err
		}
		return &FuncExpr{Name: minMaxName(x.MinMaxExpr.Op), Args: args, T: t}, nil
	case *pg_query.Node_SubLink:
		e, err := b.bindSubLink(x.SubLink, sc, ctx)
		if err == nil && b.deparse != nil {
			b.noteSubLink(e, x.SubLink, sc)
		}
		return e, err
	case *pg_query.Node_SqlvalueFunction:
		e, err := b.bindSQLValueFunction(x.SqlvalueFunction)
		if err == nil && b.deparse != nil {
			b.noteKeyword(e, sqlValueKeyword(x.SqlvalueFunction))
		}
		return e, err
	case *pg_query.Node_AArrayExpr:
		return b.bindArrayExpr(x.AArrayExpr, sc, ctx, nil)
	case *pg_query.Node_RowExpr:
		return b.bindRow(x.RowExpr, sc, ctx)
	case *pg_query.Node_AIndirection:
		return b.bindIndirection(x.AIndirection, sc, ctx)
	case *pg_query.Node_GroupingFunc:
		return b.bindGroupingFunc(x.GroupingFunc, sc, ctx)
	case *pg_query.Node_CollateClause:
		return b.bindCollate(x.CollateClause, sc, ctx)
	}
	return nil, pgerr.Unsupported("expression %s is not supported", statementName(n))
}

func minMaxName(op pg_query.MinMaxOp) string {
	if op == pg_query.MinMaxOp_IS_GREATEST {
		return "greatest"
	}
	return "least"
}

func (b *binder) bindColumnRef(ref *pg_query.ColumnRef, sc *scope) (Expr, error) {
	if isStar(ref) && len(ref.Fields) == 2 {
		// t.* as a value: the whole row (bind_record.go).
		table := ref.Fields[0].GetString_().GetSval()
		if e, err := sc.wholeRow(table, ref.Location, b.query); e != nil || err != nil {
			return e, err
		}
		return nil, sc.missingTable(table, ref.Location, b.query)
	}
	var names []string
	for _, f := range ref.Fields {
		s := f.GetString_()
		if s == nil {
			return nil, b.errAt(pgerr.SyntaxError, ref.Location, "row expansion via \"*\" is not supported here")
		}
		names = append(names, s.Sval)
	}
	switch len(names) {
	case 1:
		// A column, or else a whole-row reference to a FROM item.
		if e, err := sc.lookup("", names[0], ref.Location, b.query); e != nil || err != nil {
			return e, err
		}
		if e, err := sc.wholeRow(names[0], ref.Location, b.query); e != nil || err != nil {
			return e, err
		}
		return sc.resolve("", names[0], ref.Location, b.query)
	case 2:
		return sc.resolve(names[0], names[1], ref.Location, b.query)
	case 3:
		return sc.resolve(names[1], names[2], ref.Location, b.query)
	}
	return nil, b.errAt(pgerr.SyntaxError, ref.Location, "improper qualified name (too many dotted names): %s", strings.Join(names, "."))
}

func (b *binder) bindConst(c *pg_query.A_Const) (Expr, error) {
	if c.Isnull {
		return &Const{T: catalog.TypeUnknown}, nil
	}
	switch v := c.Val.(type) {
	case *pg_query.A_Const_Ival:
		return &Const{Value: v.Ival.Ival, T: catalog.TypeInt4}, nil
	case *pg_query.A_Const_Fval:
		return b.numericLiteral(v.Fval.Fval, c.Location)
	case *pg_query.A_Const_Sval:
		return &Const{Value: v.Sval.Sval, T: catalog.TypeUnknown, Loc: c.Location}, nil
	case *pg_query.A_Const_Boolval:
		return &Const{Value: v.Boolval.Boolval, T: catalog.TypeBool}, nil
	case *pg_query.A_Const_Bsval:
		return nil, b.errAt(pgerr.FeatureNotSupported, c.Location, "bit string literals are not supported")
	}
	return &Const{T: catalog.TypeUnknown}, nil
}

// numericLiteral types a number token as Postgres' make_const does: an
// integer that fits int4 is int4 (the parser folds the sign of
// -2147483648 into the token), one that fits int8 is int8, anything else
// numeric.
func (b *binder) numericLiteral(s string, loc int32) (Expr, error) {
	if !strings.ContainsAny(s, ".eE") {
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			if int64(int32(i)) == i {
				return &Const{Value: int32(i), T: catalog.TypeInt4}, nil
			}
			return &Const{Value: i, T: catalog.TypeInt8}, nil
		}
	}
	// A literal that fits decimal128 has one scale, the digits it was
	// written with; a longer one is var-scale numeric.
	t := catalog.TypeNumeric
	if scale, ok := literalScale(s); ok {
		t = catalog.UnconstrainedNumeric(scale)
	}
	v, err := catalog.ParseText(t, s)
	if err != nil {
		return nil, withPos(err, position(b.query, loc))
	}
	return &Const{Value: v, T: t}, nil
}

func withPos(err error, pos int32) error {
	pe := pgerr.From(err)
	if pe.Position == 0 && pos > 0 {
		return pe.WithPosition(pos)
	}
	return pe
}

func (b *binder) bindParam(p *pg_query.ParamRef) (Expr, error) {
	i := int(p.Number) - 1
	if i < 0 || i >= 65535 || b.opts.NoParams {
		return nil, b.errAt(pgerr.UndefinedParameter, p.Location, "there is no parameter $%d", p.Number)
	}
	for len(b.params) <= i {
		b.params = append(b.params, catalog.TypeUnknown)
	}
	return &Param{Index: i, T: b.params[i]}, nil
}

func (b *binder) bindAExpr(a *pg_query.A_Expr, sc *scope, ctx exprContext) (Expr, error) {
	opName := ""
	if len(a.Name) > 0 {
		opName = a.Name[len(a.Name)-1].GetString_().Sval
	}
	bindSide := func(n *pg_query.Node) (Expr, error) {
		if n == nil {
			return nil, nil
		}
		return b.bindExpr(n, sc, ctx)
	}
	bindSides := func() (Expr, Expr, error) {
		l, err := bindSide(a.Lexpr)
		if err != nil {
			return nil, nil, err
		}
		r, err := bindSide(a.Rexpr)
		return l, r, err
	}
	switch a.Kind {
	case pg_query.A_Expr_Kind_AEXPR_OP:
		if rowConstructorPair(a.Lexpr, a.Rexpr) {
			return b.bindRowComparison(opName, a.Lexpr, a.Rexpr, sc, ctx, a.Location)
		}
		l, r, err := bindSides()
		if err != nil {
			return nil, err
		}
		if l == nil {
			return b.unary(opName, r, a.Location)
		}
		return b.operator(opName, l, r, a.Location)
	case pg_query.A_Expr_Kind_AEXPR_DISTINCT, pg_query.A_Expr_Kind_AEXPR_NOT_DISTINCT:
		if rowConstructorPair(a.Lexpr, a.Rexpr) {
			return b.bindRowDistinct(a, sc, ctx)
		}
		l, r, err := bindSides()
		if err != nil {
			return nil, err
		}
		if l, r, err = b.unify(l, r, "=", a.Location); err != nil {
			return nil, err
		}
		return &DistinctFrom{L: l, R: r, Not: a.Kind == pg_query.A_Expr_Kind_AEXPR_NOT_DISTINCT}, nil
	case pg_query.A_Expr_Kind_AEXPR_NULLIF:
		l, r, err := bindSides()
		if err != nil {
			return nil, err
		}
		t := nullIfType(l.Type(), r.Type())
		if l.Type().Kind == catalog.Unknown && r.Type().Kind != catalog.Unknown {
			// The literal is read as the operator's argument type, which
			// has no modifier: NULLIF('a', char4_col) is 'a', unpadded.
			if l, err = b.coerce(l, noTypmod(r.Type()), a.Location); err != nil {
				return nil, err
			}
		}
		if l, r, err = b.unify(l, r, "=", a.Location); err != nil {
			return nil, err
		}
		return &NullIfExpr{L: l, R: r, T: t}, nil
	case pg_query.A_Expr_Kind_AEXPR_IN:
		if isRow(a.Lexpr) {
			return b.bindRowIn(a, opName, sc, ctx)
		}
		l, err := bindSide(a.Lexpr)
		if err != nil {
			return nil, err
		}
		items := a.Rexpr.GetList().GetItems()
		if l.Type().Kind == catalog.Record {
			return b.bindRecordIn(l, items, opName, sc, ctx, a.Location)
		}
		if len(items) == 1 {
			// Postgres reads x IN (a) as x = a (and NOT IN as <>), with
			// that operator's argument types rather than the common
			// type of a list: char(4) IN (text) compares as text.
			r, err := b.bindExpr(items[0], sc, ctx)
			if err != nil {
				return nil, err
			}
			return b.comparison(opName, l, r, a.Location)
		}
		list := make([]Expr, len(items))
		for i, it := range items {
			if list[i], err = b.bindExpr(it, sc, ctx); err != nil {
				return nil, err
			}
		}
		all := append([]Expr{l}, list...)
		ts := make([]catalog.Type, len(all))
		for i, e := range all {
			ts[i] = e.Type()
		}
		t, err := commonType(ts, "IN")
		if err != nil {
			return nil, withPos(err, position(b.query, a.Location))
		}
		// As PostgreSQL: the list takes the common type, and the left
		// operand is compared with it by the = operator of the two types
		// (int4 IN (real, ...) compares in double precision).
		cmp := t
		if lt := l.Type(); lt.Kind != catalog.Unknown && lt != t {
			if ct, err := comparisonType(lt, t); err == nil {
				cmp = ct
			}
		}
		for i := range all {
			if i > 0 {
				if all[i], err = b.coerce(all[i], t, a.Location); err != nil {
					return nil, err
				}
			}
			if all[i], err = b.coerce(all[i], cmp, a.Location); err != nil {
				return nil, err
			}
		}
		return &InList{Arg: all[0], List: all[1:], Not: opName == "<>"}, nil
	case pg_query.A_Expr_Kind_AEXPR_LIKE, pg_query.A_Expr_Kind_AEXPR_ILIKE, pg_query.A_Expr_Kind_AEXPR_SIMILAR:
		// x SIMILAR TO p [ESCAPE e] arrives as x ~ similar_to_escape(p [, e]).
		l, r, err := bindSides()
		if err != nil {
			return nil, err
		}
		return b.operator(opName, l, r, a.Location)
	case pg_query.A_Expr_Kind_AEXPR_BETWEEN, pg_query.A_Expr_Kind_AEXPR_NOT_BETWEEN,
		pg_query.A_Expr_Kind_AEXPR_BETWEEN_SYM, pg_query.A_Expr_Kind_AEXPR_NOT_BETWEEN_SYM:
		return b.bindBetween(a, sc, ctx)
	case pg_query.A_Expr_Kind_AEXPR_OP_ANY, pg_query.A_Expr_Kind_AEXPR_OP_ALL:
		arr := a.Rexpr.GetAArrayExpr()
		if arr == nil || len(arr.Elements) == 0 {
			return b.bindQuantified(a, opName, sc, ctx)
		}
		if (opName == "=" && a.Kind == pg_query.A_Expr_Kind_AEXPR_OP_ANY) || (opName == "<>" && a.Kind == pg_query.A_Expr_Kind_AEXPR_OP_ALL) {
			in := &pg_query.A_Expr{Kind: pg_query.A_Expr_Kind_AEXPR_IN, Name: a.Name, Lexpr: a.Lexpr,
				Rexpr: &pg_query.Node{Node: &pg_query.Node_List{List: &pg_query.List{Items: arr.Elements}}}, Location: a.Location}
			return b.bindAExpr(in, sc, ctx)
		}
		return b.bindQuantified(a, opName, sc, ctx)
	}
	return nil, b.errAt(pgerr.FeatureNotSupported, a.Location, "operator kind %s is not supported", strings.TrimPrefix(a.Kind.String(), "AEXPR_"))
}

func (b *binder) bindBetween(a *pg_query.A_Expr, sc *scope, ctx exprContext) (Expr, error) {
	x, err := b.bindExpr(a.Lexpr, sc, ctx)
	if err != nil {
		return nil, err
	}
	bounds := a.Rexpr.GetList().GetItems()
	lo, err := b.bindExpr(bounds[0], sc, ctx)
	if err != nil {
		return nil, err
	}
	hi, err := b.bindExpr(bounds[1], sc, ctx)
	if err != nil {
		return nil, err
	}
	not := a.Kind == pg_query.A_Expr_Kind_AEXPR_NOT_BETWEEN || a.Kind == pg_query.A_Expr_Kind_AEXPR_NOT_BETWEEN_SYM
	sym := a.Kind == pg_query.A_Expr_Kind_AEXPR_BETWEEN_SYM || a.Kind == pg_query.A_Expr_Kind_AEXPR_NOT_BETWEEN_SYM
	in := func(lo, hi Expr) (Expr, error) {
		if not {
			l, err := b.operator("<", x, lo, a.Location)
			if err != nil {
				return nil, err
			}
			h, err := b.operator(">", x, hi, a.Location)
			if err != nil {
				return nil, err
			}
			return &BoolExpr{Args: []Expr{l, h}}, nil
		}
		l, err := b.operator(">=", x, lo, a.Location)
		if err != nil {
			return nil, err
		}
		h, err := b.operator("<=", x, hi, a.Location)
		if err != nil {
			return nil, err
		}
		return &BoolExpr{And: true, Args: []Expr{l, h}}, nil
	}
	e, err := in(lo, hi)
	if err != nil || !sym {
		return e, err
	}
	e2, err := in(hi, lo)
	if err != nil {
		return nil, err
	}
	if not {
		return &BoolExpr{And: true, Args: []Expr{e, e2}}, nil
	}
	return &BoolExpr{Args: []Expr{e, e2}}, nil
}

func (b *binder) bindBooleanTest(t *pg_query.BooleanTest, sc *scope, ctx exprContext) (Expr, error) {
	arg, err := b.bindExpr(t.Arg, sc, ctx)
	if err != nil {
		return nil, err
	}
	if arg, err = b.coerceBool(arg, "IS TRUE"); err != nil {
		return nil, err
	}
	tr := &Const{Value: true, T: catalog.TypeBool}
	fa := &Const{Value: false, T: catalog.TypeBool}
	switch t.Booltesttype {
	case pg_query.BoolTestType_IS_TRUE:
		return &DistinctFrom{L: arg, R: tr, Not: true}, nil
	case pg_query.BoolTestType_IS_NOT_TRUE:
		return &DistinctFrom{L: arg, R: tr}, nil
	case pg_query.BoolTestType_IS_FALSE:
		return &DistinctFrom{L: arg, R: fa, Not: true}, nil
	case pg_query.BoolTestType_IS_NOT_FALSE:
		return &DistinctFrom{L: arg, R: fa}, nil
	case pg_query.BoolTestType_IS_UNKNOWN:
		return &NullTest{Arg: arg}, nil
	}
	return &NullTest{Arg: arg, Not: true}, nil
}

func (b *binder) bindTypeCast(tc *pg_query.TypeCast, sc *scope, ctx exprContext) (Expr, error) {
	if isRecordTypeName(tc.TypeName) {
		return b.castToRecord(tc, sc, ctx)
	}
	t, err := b.typeFromName(tc.TypeName)
	if err != nil {
		if rt, ok := b.tableRowType(tc.TypeName); ok && pgerr.CodeOf(err) == pgerr.UndefinedObject {
			return b.castToRowType(tc, rt, sc, ctx)
		}
		return nil, err
	}
	var arg Expr
	if ae := tc.Arg.GetAArrayExpr(); ae != nil {
		arg, err = b.bindArrayExpr(ae, sc, ctx, &t)
	} else {
		arg, err = b.bindExpr(tc.Arg, sc, ctx)
	}
	if err != nil {
		return nil, err
	}
	if t.Kind == catalog.Numeric && t.Typmod < 0 {
		if scale, ok := naturalScale(arg); ok {
			t = catalog.UnconstrainedNumeric(scale)
		}
	}
	loc := tc.Location
	if c, ok := arg.(*Const); ok && c.Loc > 0 {
		loc = c.Loc
	}
	if d := b.domainOf(tc.TypeName); d != nil {
		return b.castToDomain(arg, d, loc)
	}
	return b.castTo(arg, t, loc)
}

// naturalScale is the one display scale every value of e has when cast to
// unconstrained numeric, if there is one: a numeric's own (VariableScale
// when its values differ), 0 for an integer, the digits a string literal
// was written with. Other values (floats, text columns) keep each its
// own scale (the cast's type stays var-scale numeric).
func naturalScale(e Expr) (int32, bool) {
	t := e.Type()
	switch {
	case t.Kind == catalog.Numeric:
		return t.Scale, true
	case t.IsInteger():
		return 0, true
	}
	if c, ok := e.(*Const); ok && c.Value != nil {
		switch v := c.Value.(type) {
		case string:
			return literalScale(strings.TrimSpace(v))
		}
	}
	return 0, false
}

// literalScale counts the fractional digits of a decimal number as
// written (1.50 → 2, 1e-3 → 3, 12 → 0). It reports false for anything
// but [sign] digits [. digits] [e [sign] digits], and for a number whose
// digits do not fit decimal128 (MaxNumericPrecision digits in all).
func literalScale(s string) (int32, bool) {
	mant, exp := s, 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, err := strconv.Atoi(s[i+1:])
		if err != nil || e > 1000 || e < -1000 {
			return 0, false
		}
		mant, exp = s[:i], e
	}
	mant = strings.TrimLeft(mant, "+-")
	intPart, frac, _ := strings.Cut(mant, ".")
	if intPart == "" && frac == "" || strings.Trim(intPart, "0123456789") != "" || strings.Trim(frac, "0123456789") != "" {
		return 0, false
	}
	intDigits := len(strings.TrimLeft(intPart, "0")) + exp
	scale := max(len(frac)-exp, 0)
	if scale > catalog.MaxNumericPrecision || max(intDigits, 0)+scale > catalog.MaxNumericPrecision {
		return 0, false
	}
	return int32(scale), true
}

// castTo is an explicit cast (CAST, ::, typed literal).
func (b *binder) castTo(e Expr, t catalog.Type, loc int32) (Expr, error) {
	if c, ok := e.(*Const); ok && c.T.Kind == catalog.Unknown {
		if t.Kind == catalog.Array && t.ElemType().Length() >= 0 && c.Value != nil {
			// As for a scalar: read the elements unconstrained, then cut
			// or pad them with the explicit cast's rule.
			lit, err := b.coerce(e, noTypmod(t), loc)
			if err != nil {
				return nil, err
			}
			return &CastExpr{Arg: lit, T: t}, nil
		}
		if t.Length() >= 0 && c.Value != nil {
			// Postgres reads the literal as varchar or bpchar, then
			// applies the length with an explicit cast's rule: 'abc'::char
			// is 'a', not an error.
			lit, err := b.coerce(e, noTypmod(t), loc)
			if err != nil {
				return nil, err
			}
			return &CastExpr{Arg: lit, T: t}, nil
		}
		return b.coerce(e, t, loc)
	}
	if p, ok := e.(*Param); ok && p.T.Kind == catalog.Unknown {
		return b.coerce(e, t, loc)
	}
	if e.Type() == t {
		return e, nil
	}
	if t.HasEnum() {
		return b.coerceToEnum(e, t, loc, true)
	}
	if out, ok, err := b.regCast(e, t, loc); ok {
		return out, err
	}
	if _, err := exec.Cast(exec.Literal(nil, e.Type()), t); err != nil {
		return nil, withPos(err, position(b.query, loc))
	}
	return &CastExpr{Arg: e, T: t}, nil
}

func (b *binder) typeFromName(tn *pg_query.TypeName) (catalog.Type, error) {
	if len(tn.ArrayBounds) > 0 {
		elem := &pg_query.TypeName{Names: tn.Names, Typmods: tn.Typmods, Typemod: tn.Typemod, Location: tn.Location}
		if d := b.domainOf(elem); d != nil {
			return catalog.Type{}, b.errAt(pgerr.FeatureNotSupported, tn.Location, "arrays of domain %s are not supported", d.Name)
		}
		et, err := b.typeFromName(elem)
		if err != nil {
			if pe := pgerr.From(err); pe.Code == pgerr.UndefinedObject {
				pe.Message = strings.TrimSuffix(pe.Message, `" does not exist`) + `[]" does not exist`
			}
			return catalog.Type{}, err
		}
		t, err := catalog.ArrayOfChecked(et)
		if err != nil {
			return catalog.Type{}, withPos(err, position(b.query, tn.Location))
		}
		return t, nil
	}
	if tn.Setof || tn.PctType {
		return catalog.Type{}, b.errAt(pgerr.FeatureNotSupported, tn.Location, "this type syntax is not supported")
	}
	var name string
	for _, n := range tn.Names {
		if s := n.GetString_(); s != nil && s.Sval != "pg_catalog" {
			if name != "" {
				name += "."
			}
			name += s.Sval
		}
	}
	var mods []int32
	for _, m := range tn.Typmods {
		c := m.GetAConst()
		if c == nil {
			return catalog.Type{}, b.errAt(pgerr.SyntaxError, tn.Location, "type modifiers must be simple constants or identifiers")
		}
		iv, ok := c.Val.(*pg_query.A_Const_Ival)
		if !ok {
			return catalog.Type{}, b.errAt(pgerr.SyntaxError, tn.Location, "type modifiers must be simple constants or identifiers")
		}
		mods = append(mods, iv.Ival.Ival)
	}
	if name == "char" {
		// pg_query reads SQL's char and char(n) as bpchar: a type
		// named char here was written "char", PostgreSQL's one-byte
		// type.
		if len(mods) > 0 {
			return catalog.Type{}, b.errAt(pgerr.SyntaxError, tn.Location, "type modifier is not allowed for type \"char\"")
		}
		return catalog.TypeChar, nil
	}
	t, err := b.resolveTypeName(name, mods, tn.Location)
	if err != nil {
		if ut, ok, uerr := b.userTypeOf(tn); ok {
			return ut, uerr
		}
		return catalog.Type{}, withPos(err, position(b.query, tn.Location))
	}
	return t, nil
}

func (b *binder) bindCase(c *pg_query.CaseExpr, sc *scope, ctx exprContext) (Expr, error) {
	var arg Expr
	var err error
	if c.Arg != nil {
		if arg, err = b.bindExpr(c.Arg, sc, ctx); err != nil {
			return nil, err
		}
	}
	var conds, results []Expr
	for _, w := range c.Args {
		cw := w.GetCaseWhen()
		cond, err := b.bindExpr(cw.Expr, sc, ctx)
		if err != nil {
			return nil, err
		}
		if arg != nil {
			if cond, err = b.operator("=", arg, cond, cw.Location); err != nil {
				return nil, err
			}
		} else if cond, err = b.coerceBool(cond, "CASE/WHEN"); err != nil {
			return nil, err
		}
		res, err := b.bindExpr(cw.Result, sc, ctx)
		if err != nil {
			return nil, err
		}
		conds, results = append(conds, cond), append(results, res)
	}
	var elseExpr Expr
	if c.Defresult != nil {
		if elseExpr, err = b.bindExpr(c.Defresult, sc, ctx); err != nil {
			return nil, err
		}
	}
	// As in Postgres' transformCaseExpr, the ELSE result (a NULL of type
	// unknown when there is none) comes first in select_common_type, so
	// CASE WHEN c THEN text_col ELSE varchar_col END is varchar.
	ts := []catalog.Type{catalog.TypeUnknown}
	if elseExpr != nil {
		ts[0] = elseExpr.Type()
	}
	for _, r := range results {
		ts = append(ts, r.Type())
	}
	t, err := commonType(ts, "CASE")
	if err != nil {
		return nil, withPos(err, position(b.query, c.Location))
	}
	// Postgres' planner drops WHEN arms with a constant false or NULL
	// condition and ends the CASE at a constant true one before the
	// result is described; a CASE left with only its ELSE is that
	// expression, modifier included.
	only := elseExpr
	for i, cond := range conds {
		c, ok := cond.(*Const)
		if !ok {
			only = nil
			break
		}
		if v, _ := c.Value.(bool); v {
			only = results[i]
			break
		}
	}
	base := t
	if only != nil && only.Type().Kind == t.Kind && only.Type().Enum == t.Enum {
		t = only.Type()
	}
	// The arms that are never taken keep the unmodified common type.
	target := func(e Expr) catalog.Type {
		if e == only {
			return t
		}
		return base
	}
	out := &CaseExpr{T: t}
	for i := range conds {
		then, err := b.coerceCommon(results[i], target(results[i]), "CASE/WHEN", c.Location)
		if err != nil {
			return nil, err
		}
		out.Whens = append(out.Whens, CaseWhen{Cond: conds[i], Then: then})
	}
	if elseExpr != nil {
		if out.Else, err = b.coerceCommon(elseExpr, target(elseExpr), "CASE/ELSE", c.Location); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// bindCommon binds arguments that must share one type (COALESCE,
// GREATEST, LEAST) and coerces them to it.
func (b *binder) bindCommon(nodes []*pg_query.Node, sc *scope, ctx exprContext, what string) ([]Expr, catalog.Type, error) {
	args := make([]Expr, len(nodes))
	ts := make([]catalog.Type, len(nodes))
	for i, n := range nodes {
		e, err := b.bindExpr(n, sc, ctx)
		if err != nil {
			return nil, catalog.Type{}, err
		}
		args[i], ts[i] = e, e.Type()
	}
	t, err := commonType(ts, what)
	if err != nil {
		return nil, catalog.Type{}, err
	}
	if what == "COALESCE" {
		// Postgres' planner drops NULL arguments and those after a
		// constant before the result is described, and a COALESCE left
		// with one argument is that argument, modifier included:
		// COALESCE(NULL, v) is v's varchar(n).
		var kept []Expr
		for _, a := range args {
			if c, ok := a.(*Const); ok {
				if c.Value == nil {
					continue
				}
				kept = append(kept, a)
				break
			}
			kept = append(kept, a)
		}
		if len(kept) == 1 && kept[0].Type().Kind == t.Kind {
			t = kept[0].Type()
		}
	}
	for i := range args {
		if args[i], err = b.coerceCommon(args[i], t, what, -1); err != nil {
			return nil, catalog.Type{}, err
		}
	}
	return args, t, nil
}

func (b *binder) bindSQLValueFunction(f *pg_query.SQLValueFunction) (Expr, error) {
	if e, ok := b.sqlValueFunc(f.Op); ok {
		return e, nil
	}
	switch f.Op {
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_DATE:
		return b.scalarFunc("current_date", nil, f.Location)
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP:
		return b.scalarFunc("now", nil, f.Location)
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP_N:
		return b.clockWithPrecision("now", "timestamptz", f)
	case pg_query.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP:
		return b.scalarFunc("localtimestamp", nil, f.Location)
	case pg_query.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP_N:
		return b.clockWithPrecision("localtimestamp", "timestamp", f)
	case pg_query.SQLValueFunctionOp_SVFOP_LOCALTIME:
		return b.scalarFunc("localtime", nil, f.Location)
	case pg_query.SQLValueFunctionOp_SVFOP_LOCALTIME_N:
		return b.clockWithPrecision("localtime", "time", f)
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIME, pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIME_N:
		return nil, b.errAt(pgerr.FeatureNotSupported, f.Location, "current_time is not supported: pqdb has no type time with time zone (use localtime)")
	}
	return nil, b.errAt(pgerr.FeatureNotSupported, f.Location, "%s is not supported", strings.ToLower(strings.TrimPrefix(f.Op.String(), "SVFOP_")))
}

// clockWithPrecision is CURRENT_TIMESTAMP(p), LOCALTIMESTAMP(p) or
// LOCALTIME(p): the clock function fn rounded to p fractional digits, as
// a cast to typeName(p) rounds, with PostgreSQL's warning for p above 6
// (without a position: PostgreSQL raises it when it reads the clock).
func (b *binder) clockWithPrecision(fn, typeName string, f *pg_query.SQLValueFunction) (Expr, error) {
	t, warn, err := catalog.ResolveTypeName(typeName, []int32{f.Typmod})
	if err != nil {
		return nil, err
	}
	if warn != nil {
		b.notify(warn)
	}
	clock, err := b.scalarFunc(fn, nil, f.Location)
	if err != nil {
		return nil, err
	}
	return b.castTo(clock, t, f.Location)
}

func (b *binder) bindSubLink(s *pg_query.SubLink, sc *scope, ctx exprContext) (Expr, error) {
	if what, ok := noSubqueryIn[ctx]; ok {
		return nil, b.errAt(pgerr.FeatureNotSupported, s.Location, "cannot use subquery in %s", what)
	}
	sel := s.Subselect.GetSelectStmt()
	capture := &outerCapture{}
	node, cols, err := b.bindSelect(sel, sc, capture)
	if err != nil {
		return nil, err
	}
	sub := &SubqueryExpr{Plan: node}
	switch s.SubLinkType {
	case pg_query.SubLinkType_EXISTS_SUBLINK:
		sub.Mode, sub.T = exec.SubqueryExists, catalog.TypeBool
	case pg_query.SubLinkType_ARRAY_SUBLINK:
		if len(cols) != 1 {
			return nil, b.errAt(pgerr.SyntaxError, s.Location, "subquery must return only one column")
		}
		if sub.Plan, sub.T, err = arraySubqueryPlan(node, cols[0].Type); err != nil {
			return nil, withPos(err, position(b.query, s.Location))
		}
		sub.Mode = exec.SubqueryScalar
	case pg_query.SubLinkType_EXPR_SUBLINK:
		if len(cols) != 1 {
			return nil, b.errAt(pgerr.SyntaxError, s.Location, "subquery must return only one column")
		}
		sub.Mode, sub.T = exec.SubqueryScalar, cols[0].Type
		b.noteSubqueryName(s, cols[0].Name)
	case pg_query.SubLinkType_ANY_SUBLINK, pg_query.SubLinkType_ALL_SUBLINK:
		all := s.SubLinkType == pg_query.SubLinkType_ALL_SUBLINK
		op := "="
		if len(s.OperName) > 0 {
			op = s.OperName[len(s.OperName)-1].GetString_().Sval
		}
		kind := "ANY"
		if all {
			kind = "ALL"
		}
		cmp, ok := comparisonOps[op]
		if !ok {
			return nil, b.errAt(pgerr.FeatureNotSupported, s.Location, "%s %s (subquery) is not supported", op, kind)
		}
		if len(cols) != 1 {
			return nil, b.errAt(pgerr.SyntaxError, s.Location, "subquery has too many columns")
		}
		probe, err := b.bindExpr(s.Testexpr, sc, ctx)
		if err != nil {
			return nil, err
		}
		// x op ANY (subquery) compares with the operator of x's and the
		// column's types (char(4) against text compares as text), not in
		// the common type of an IN list.
		t := cols[0].Type
		if pt := probe.Type(); pt.Kind != catalog.Unknown && pt != t {
			if t, err = comparisonType(pt, t); err != nil {
				return nil, b.noOperator(op, pt, cols[0].Type, s.Location)
			}
		}
		if probe, err = b.coerce(probe, t, s.Location); err != nil {
			return nil, err
		}
		if cols[0].Type != t {
			sub.Plan = &Project{Input: node, Exprs: []Expr{&CastExpr{Arg: &ColRef{Index: 0, T: cols[0].Type}, T: t}}}
		}
		sub.Mode, sub.T, sub.Probe, sub.Op = exec.SubqueryAny, catalog.TypeBool, probe, cmp
		switch {
		case all && cmp == exec.OpNe:
			// x <> ALL (S) is NOT (x = ANY (S)) in three-valued logic,
			// which probes a hash table.
			sub.Mode, sub.Op = exec.SubqueryIn, exec.OpEq
			sub.OuterCols = capture.cols
			return &NotExpr{Arg: sub}, nil
		case all:
			sub.Mode = exec.SubqueryAll
		case cmp == exec.OpEq:
			sub.Mode = exec.SubqueryIn
		}
	default:
		return nil, b.errAt(pgerr.FeatureNotSupported, s.Location, "%s subqueries are not supported", strings.ToLower(strings.TrimSuffix(s.SubLinkType.String(), "_SUBLINK")))
	}
	sub.OuterCols = capture.cols
	return sub, nil
}
