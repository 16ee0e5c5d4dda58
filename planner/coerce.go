package planner

import (
	"time"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
)

// numericRank orders the number types by Postgres' implicit promotion:
// an operator on two different number types runs in the higher one.
var numericRank = map[catalog.Kind]int{
	catalog.Int2: 1, catalog.Int4: 2, catalog.Int8: 3, catalog.Numeric: 4, catalog.Float4: 5, catalog.Float8: 6,
}

func isDateTime(k catalog.Kind) bool {
	return k == catalog.Date || k == catalog.Timestamp || k == catalog.TimestampTZ
}

// typeCategory is pg_type.typcategory of a kind, and preferredType its
// typispreferred: select_common_type and function resolution work by them.
func typeCategory(k catalog.Kind) byte {
	switch k {
	case catalog.Bool:
		return 'B'
	case catalog.Int2, catalog.Int4, catalog.Int8, catalog.Float4, catalog.Float8, catalog.Numeric, catalog.Oid,
		catalog.RegProc, catalog.RegProcedure, catalog.RegClass, catalog.RegType, catalog.RegNamespace, catalog.RegRole,
		catalog.RegOper, catalog.RegOperator, catalog.RegConfig, catalog.RegDictionary, catalog.RegCollation:
		return 'N'
	case catalog.Text, catalog.Varchar, catalog.Bpchar, catalog.Name:
		return 'S'
	case catalog.Date, catalog.Time, catalog.Timestamp, catalog.TimestampTZ:
		return 'D'
	case catalog.Interval:
		return 'T'
	case catalog.Unknown:
		return 'X'
	case catalog.Char, catalog.PgNodeTree:
		return 'Z'
	case catalog.Array:
		return 'A'
	case catalog.Enum:
		return 'E'
	}
	return 'U'
}

func preferredType(k catalog.Kind) bool {
	switch k {
	case catalog.Bool, catalog.Float8, catalog.Oid, catalog.Text, catalog.TimestampTZ, catalog.Interval:
		return true
	}
	return false
}

// implicitCasts are the pg_cast rows with castcontext 'i' between
// different types pqdb has.
var implicitCasts = map[catalog.Kind][]catalog.Kind{
	catalog.Int2:          {catalog.Int4, catalog.Int8, catalog.Float4, catalog.Float8, catalog.Numeric, catalog.Oid},
	catalog.Int4:          append([]catalog.Kind{catalog.Int8, catalog.Float4, catalog.Float8, catalog.Numeric}, oidKinds...),
	catalog.Int8:          append([]catalog.Kind{catalog.Float4, catalog.Float8, catalog.Numeric}, oidKinds...),
	catalog.Oid:           regKinds,
	catalog.RegProc:       {catalog.Oid},
	catalog.RegProcedure:  {catalog.Oid},
	catalog.RegClass:      {catalog.Oid},
	catalog.RegType:       {catalog.Oid},
	catalog.RegNamespace:  {catalog.Oid},
	catalog.RegRole:       {catalog.Oid},
	catalog.RegOper:       {catalog.Oid},
	catalog.RegOperator:   {catalog.Oid},
	catalog.RegConfig:     {catalog.Oid},
	catalog.RegDictionary: {catalog.Oid},
	catalog.RegCollation:  {catalog.Oid},
	catalog.PgNodeTree:    {catalog.Text},
	catalog.Float4:        {catalog.Float8},
	catalog.Numeric:       {catalog.Float4, catalog.Float8},
	catalog.Text:          {catalog.Varchar, catalog.Bpchar, catalog.Name, catalog.RegClass},
	catalog.Varchar:       {catalog.Text, catalog.Bpchar, catalog.Name, catalog.RegClass},
	catalog.Bpchar:        {catalog.Text, catalog.Varchar, catalog.Name},
	catalog.Name:          {catalog.Text},
	catalog.Char:          {catalog.Text},
	catalog.Date:          {catalog.Timestamp, catalog.TimestampTZ},
	catalog.Timestamp:     {catalog.TimestampTZ},
	catalog.Time:          {catalog.Interval},
}

// regKinds are oid's alias types, and oidKinds oid with them: pg_cast
// has implicit casts between oid and each alias both ways, and from int4
// and int8 to each.
var (
	regKinds = []catalog.Kind{catalog.RegProc, catalog.RegProcedure, catalog.RegClass, catalog.RegType, catalog.RegNamespace, catalog.RegRole,
		catalog.RegOper, catalog.RegOperator, catalog.RegConfig, catalog.RegDictionary, catalog.RegCollation}
	oidKinds = append([]catalog.Kind{catalog.Oid}, regKinds...)
)

// canCoerceImplicitly is Postgres' can_coerce_type in COERCION_IMPLICIT
// for one argument: the same type, an unknown literal, or an implicit cast.
func canCoerceImplicitly(from, to catalog.Kind) bool {
	if from == to || from == catalog.Unknown {
		return true
	}
	for _, k := range implicitCasts[from] {
		if k == to {
			return true
		}
	}
	return false
}

// commonType is Postgres' select_common_type followed by
// select_common_typmod: the type that all of ts (the arms of a CASE, the
// arguments of COALESCE, GREATEST and LEAST, a UNION column, a VALUES
// column, an IN list) are coerced to. Unknown literals take the type of
// the others; among types of one category the first is kept unless a
// later one is reachable from it by an implicit cast but not the other
// way round, and a preferred type (text, float8, timestamptz) is never
// left; all unknown is text. The type modifier survives only when every
// input has the result type with the same modifier.
func commonType(ts []catalog.Type, what string) (catalog.Type, error) {
	for _, t := range ts {
		if t.Kind == catalog.Record {
			return commonRecordType(ts, what)
		}
		if t.Kind == catalog.Array {
			if at, err := commonArrayType(ts, what); err != nil || at.Kind == catalog.Array {
				return at, err
			}
			break
		}
	}
	var out catalog.Type
	known := false
	for _, t := range ts {
		if t.Kind == catalog.Unknown || (known && t.Kind == out.Kind && t.Enum == out.Enum) {
			continue
		}
		switch {
		case !known:
			out, known = t, true
		case typeCategory(t.Kind) != typeCategory(out.Kind):
			return catalog.Type{}, pgerr.New(pgerr.DatatypeMismatch, "%s types %s and %s cannot be matched", what, noTypmod(out), noTypmod(t))
		case !preferredType(out.Kind) && canCoerceImplicitly(out.Kind, t.Kind) && !canCoerceImplicitly(t.Kind, out.Kind):
			out = t
		}
	}
	if !known {
		return catalog.TypeText, nil
	}
	// select_common_typmod.
	typmod := ts[0].Typmod
	for _, t := range ts {
		if t.Kind != out.Kind || t.Typmod != typmod {
			typmod = -1
			break
		}
	}
	switch out.Kind {
	case catalog.Numeric:
		if typmod >= 0 {
			return ts[0], nil
		}
		// Unconstrained numeric: every value keeps its own display
		// scale. When all inputs have one (integers have scale 0), so
		// does the result; otherwise values carry their scales.
		scale := int32(-2)
		for _, t := range ts {
			s := int32(0)
			switch {
			case t.Kind == catalog.Numeric:
				s = t.Scale
			case !t.IsInteger():
				continue
			}
			if scale != -2 && s != scale || s == catalog.VariableScale {
				return catalog.TypeNumeric, nil
			}
			scale = s
		}
		return catalog.UnconstrainedNumeric(max(scale, 0)), nil
	case catalog.Varchar:
		if typmod >= 0 {
			return catalog.VarcharType(typmod - 4), nil
		}
		return catalog.VarcharType(-1), nil
	case catalog.Bpchar:
		if typmod >= 0 {
			return catalog.BpcharType(typmod - 4), nil
		}
		return catalog.BpcharType(-1), nil
	}
	return catalog.Type{Kind: out.Kind, Typmod: typmod, Scale: out.Scale, Enum: out.Enum}, nil
}

// noTypmod is t as format_type_be names it in messages: without modifier.
func noTypmod(t catalog.Type) catalog.Type {
	if t.Vector {
		return t // int2vector and oidvector have no modifier
	}
	if t.Kind == catalog.Array {
		return catalog.ArrayOf(noTypmod(t.ElemType()))
	}
	if t.Kind == catalog.Numeric {
		return catalog.UnconstrainedNumeric(t.Scale)
	}
	if t.Kind == catalog.Record {
		return t // a record has no modifier; its name is its row type's
	}
	return catalog.Type{Kind: t.Kind, Typmod: -1, Enum: t.Enum}
}

// coerceCommon converts an input of a CASE, COALESCE, set operation, ...
// to the common type t: Postgres' coerce_to_common_type, which allows
// only implicit coercions.
func (b *binder) coerceCommon(e Expr, t catalog.Type, what string, loc int32) (Expr, error) {
	if from := e.Type(); !canCoerceImplicitly(from.Kind, t.Kind) || from.HasEnum() && from.Enum != t.Enum {
		return nil, b.errAt(pgerr.CannotCoerce, loc, "%s could not convert type %s to %s", what, noTypmod(from), noTypmod(t))
	}
	return b.coerce(e, t, loc)
}

// coerce converts e to t implicitly: untyped literals are read as t at
// plan time, untyped parameters take type t, anything else gets a cast.
func (b *binder) coerce(e Expr, t catalog.Type, loc int32) (Expr, error) {
	if e.Type() == t {
		return e, nil
	}
	if t.HasEnum() {
		return b.coerceToEnum(e, t, loc, false)
	}
	if out, ok, err := b.regCast(e, t, loc); ok {
		return out, err
	}
	switch x := e.(type) {
	case *Const:
		if x.Value == nil {
			return &Const{T: t}, nil
		}
		if x.T.Kind == catalog.Unknown {
			return b.readLiteral(x, x.Value.(string), t, loc, nil)
		}
	case *Param:
		if x.T.Kind == catalog.Unknown {
			b.params[x.Index] = t
			return &Param{Index: x.Index, T: t}, nil
		}
	}
	if _, err := exec.Cast(exec.Literal(nil, e.Type()), t); err != nil {
		return nil, withPos(err, position(b.query, loc))
	}
	return &CastExpr{Arg: e, T: t}, nil
}

// readLiteral reads the text s of literal x as a value of type t, checked
// by check when there is one; an error points at the literal (or at loc
// when it has no position).
func (b *binder) readLiteral(x *Const, s string, t catalog.Type, loc int32, check func(catalog.Datum) error) (Expr, error) {
	v, err := catalog.ParseTextIn(t, s, b.location())
	if err == nil && catalog.IsClockInput(s) {
		if b.opts.ReadClock != nil {
			b.opts.ReadClock(len(b.views) > 0)
		}
		b.noteClockLiteral(x, t, v)
	}
	if err == nil && check != nil {
		err = check(v)
	}
	if err != nil {
		if x.Loc > 0 {
			loc = x.Loc
		}
		return nil, withPos(err, position(b.query, loc))
	}
	return &Const{Value: v, T: t}, nil
}

// assign converts e for storing in a column of type t (INSERT, UPDATE):
// Postgres' assignment coercion, which also allows narrowing number casts
// and reading any type into a string column.
func (b *binder) assign(e Expr, t catalog.Type) (Expr, error) {
	return b.assignColumn(e, t, "")
}

// assignColumn is assign for storing in the column named column, which
// PostgreSQL's error names.
func (b *binder) assignColumn(e Expr, t catalog.Type, column string) (Expr, error) {
	from := e.Type()
	if from.Kind != catalog.Unknown && from != t {
		ok := from.Kind == t.Kind && from.Enum == t.Enum ||
			catalog.IsOIDKind(from.Kind) && (catalog.IsOIDKind(t.Kind) || t.IsInteger()) ||
			from.IsInteger() && catalog.IsOIDKind(t.Kind) ||
			(numericRank[from.Kind] > 0 && numericRank[t.Kind] > 0) ||
			t.IsString() ||
			(isDateTime(from.Kind) && isDateTime(t.Kind)) ||
			// json ↔ jsonb are assignment casts in pg_cast.
			(from.Kind == catalog.JSON && t.Kind == catalog.JSONB) || (from.Kind == catalog.JSONB && t.Kind == catalog.JSON)
		if !ok {
			if column != "" {
				column = `"` + column + `" `
			}
			e := pgerr.New(pgerr.DatatypeMismatch, "column %sis of type %s but expression is of type %s", column, t, from)
			e.Hint = "You will need to rewrite or cast the expression."
			return nil, e
		}
	}
	out, err := b.coerce(e, t, -1)
	if c, ok := out.(*CastExpr); ok && err == nil {
		c.Assign = true
	}
	return out, err
}

// resolveUnknown gives an untyped literal or parameter that nothing
// constrained the type text, as Postgres does for output columns.
func (b *binder) resolveUnknown(e Expr) Expr {
	if e.Type().Kind != catalog.Unknown {
		return e
	}
	out, err := b.coerce(e, catalog.TypeText, -1)
	if err != nil {
		return e
	}
	return out
}

// coerceBool requires a boolean condition (WHERE, HAVING, ON, ...).
func (b *binder) coerceBool(e Expr, clause string) (Expr, error) {
	t := e.Type()
	if t.Kind == catalog.Bool {
		return e, nil
	}
	if t.Kind == catalog.Unknown {
		return b.coerce(e, catalog.TypeBool, -1)
	}
	return nil, pgerr.New(pgerr.DatatypeMismatch, "argument of %s must be type boolean, not type %s", clause, t)
}

func (b *binder) coerceBoolOp(e Expr, op pg_query.BoolExprType) (Expr, error) {
	name := map[pg_query.BoolExprType]string{pg_query.BoolExprType_AND_EXPR: "AND", pg_query.BoolExprType_OR_EXPR: "OR", pg_query.BoolExprType_NOT_EXPR: "NOT"}[op]
	return b.coerceBool(e, name)
}

// unify coerces the operands of a comparison to one type.
func (b *binder) unify(l, r Expr, op string, loc int32) (Expr, Expr, error) {
	lt, rt := l.Type(), r.Type()
	if lt.Kind == catalog.Record || rt.Kind == catalog.Record {
		return b.unifyRecords(l, r, op, loc)
	}
	var err error
	switch {
	case lt.Kind == catalog.Unknown && rt.Kind != catalog.Unknown:
		if l, err = b.coerce(l, literalTypeBeside(l, rt), loc); err != nil {
			return nil, nil, err
		}
		lt = l.Type()
	case rt.Kind == catalog.Unknown && lt.Kind != catalog.Unknown:
		if r, err = b.coerce(r, literalTypeBeside(r, lt), loc); err != nil {
			return nil, nil, err
		}
		rt = r.Type()
	}
	var t catalog.Type
	switch {
	case lt == rt:
		if lt.Kind != catalog.Unknown {
			return l, r, nil
		}
		t = catalog.TypeText
	default:
		var err error
		t, err = comparisonType(lt, rt)
		if err != nil {
			return nil, nil, b.noOperator(op, lt, rt, loc)
		}
	}
	if l, err = b.coerce(l, t, loc); err != nil {
		return nil, nil, err
	}
	if r, err = b.coerce(r, t, loc); err != nil {
		return nil, nil, err
	}
	return l, r, nil
}

// literalTypeBeside is the type an untyped literal takes beside an operand
// of type t. PostgreSQL resolves the operator on t's type, not on its
// modifier, so the literal is never cut to t's length, scale or precision:
// 'abcdef' = a varchar(3) column is false (not an error), '1.249' beside a
// numeric(10,2) keeps its three digits, '12:00:00.4' beside a timestamp(0)
// keeps its fraction.
func literalTypeBeside(lit Expr, t catalog.Type) catalog.Type {
	if catalog.IsRegKind(t.Kind) {
		// The reg* types have no operators: PostgreSQL compares them
		// as oid, so the literal is read as an oid (1259::regclass =
		// 'pg_class' is invalid input for oid).
		return catalog.TypeOid
	}
	if t.Kind == catalog.PgNodeTree {
		// Nor has pg_node_tree, which compares as text.
		return catalog.TypeText
	}
	if t.Kind == catalog.Numeric {
		if s, ok := naturalScale(lit); ok {
			return catalog.UnconstrainedNumeric(s)
		}
		return catalog.TypeNumeric
	}
	return noTypmod(t)
}

// comparisonType is the type two different known types compare in.
func comparisonType(a, b catalog.Type) (catalog.Type, error) {
	switch {
	case a.Kind == catalog.Array || b.Kind == catalog.Array:
		// The array comparisons take two arrays of one type (anyarray):
		// no cross-type operator, no implicit cast between array types.
		if a.Kind != b.Kind || a.Elem != b.Elem || a.Enum != b.Enum {
			return catalog.Type{}, pgerr.New(pgerr.UndefinedFunction, "no common type")
		}
		return catalog.ArrayOf(noTypmod(a.ElemType())), nil
	case a.Kind == b.Kind:
		switch a.Kind {
		case catalog.Numeric:
			if a.IsVarNumeric() || b.IsVarNumeric() {
				return catalog.TypeNumeric, nil
			}
			return catalog.UnconstrainedNumeric(max(a.Scale, b.Scale)), nil
		case catalog.Bpchar:
			return catalog.BpcharType(-1), nil
		case catalog.Varchar:
			return catalog.TypeText, nil
		case catalog.Enum:
			if a.Enum != b.Enum {
				return catalog.Type{}, pgerr.New(pgerr.UndefinedFunction, "no common type")
			}
		}
		return catalog.Type{Kind: a.Kind, Typmod: -1, Enum: a.Enum}, nil
	case catalog.IsOIDKind(a.Kind) && (catalog.IsOIDKind(b.Kind) || b.IsInteger()),
		catalog.IsOIDKind(b.Kind) && a.IsInteger():
		// oid's operators take two oids; the integers and the reg*
		// types reach oid by implicit casts (int8 → oid fails for
		// values out of range, as in PostgreSQL).
		return catalog.TypeOid, nil
	case numericRank[a.Kind] > 0 && numericRank[b.Kind] > 0:
		t := a
		if numericRank[b.Kind] > numericRank[a.Kind] {
			t = b
		}
		if t.Kind == catalog.Float4 {
			// PostgreSQL has cross-type float4/float8 operators and
			// prefers float8, the preferred type of its category: real
			// compared with any other number is compared as double
			// precision (16777217 = 16777216::real is false).
			return catalog.TypeFloat8, nil
		}
		if t.Kind == catalog.Numeric {
			if a.IsVarNumeric() || b.IsVarNumeric() {
				return catalog.TypeNumeric, nil
			}
			return catalog.UnconstrainedNumeric(max(a.Scale, b.Scale)), nil
		}
		return t, nil
	case a.IsString() && b.IsString(),
		// "char" and pg_node_tree have no operators with the string
		// types: they reach text's by their implicit casts.
		reachesText(a.Kind) && b.IsString(), reachesText(b.Kind) && a.IsString():
		return catalog.TypeText, nil
	case isDateTime(a.Kind) && isDateTime(b.Kind):
		if a.Kind == catalog.TimestampTZ || b.Kind == catalog.TimestampTZ {
			return catalog.TypeTimestampTZ, nil
		}
		return catalog.TypeTimestamp, nil
	}
	return catalog.Type{}, pgerr.New(pgerr.UndefinedFunction, "no common type")
}

// reachesText reports whether k is one of the types that have no string
// operators of their own but an implicit cast to text.
func reachesText(k catalog.Kind) bool { return k == catalog.Char || k == catalog.PgNodeTree }

func (b *binder) noOperator(op string, l, r catalog.Type, loc int32) error {
	e := b.errAt(pgerr.UndefinedFunction, loc, "operator does not exist: %s %s %s", l, op, r)
	e.Hint = "No operator matches the given name and argument types. You might need to add explicit type casts."
	return e
}

var comparisonOps = map[string]exec.BinaryOp{
	"=": exec.OpEq, "<>": exec.OpNe, "!=": exec.OpNe, "<": exec.OpLt, "<=": exec.OpLe, ">": exec.OpGt, ">=": exec.OpGe,
}

var arithmeticOps = map[string]exec.BinaryOp{
	"+": exec.OpAdd, "-": exec.OpSub, "*": exec.OpMul, "/": exec.OpDiv, "%": exec.OpMod,
}

var likeOps = map[string]exec.BinaryOp{
	"~~": exec.OpLike, "!~~": exec.OpNotLike, "~~*": exec.OpILike, "!~~*": exec.OpNotILike,
}

// regexOps are the POSIX regular expression match operators, bound to
// the functions that implement them in pg_operator (SIMILAR TO is ~ with
// the pattern converted by similar_to_escape).
var regexOps = map[string]string{
	"~": "textregexeq", "!~": "textregexne", "~*": "texticregexeq", "!~*": "texticregexne",
}

const opEq = "="

// comparison binds l op r for a comparison operator.
func (b *binder) comparison(op string, l, r Expr, loc int32) (Expr, error) {
	if l.Type().Kind == catalog.Record || r.Type().Kind == catalog.Record {
		return b.recordComparison(op, l, r, loc)
	}
	if xid, ok, err := b.xidIntComparison(op, l, r, loc); ok {
		return xid, err
	}
	l, r, err := b.unify(l, r, op, loc)
	if err != nil {
		return nil, err
	}
	if err := b.checkComparison(op, l.Type(), r.Type(), loc); err != nil {
		return nil, err
	}
	return &BinExpr{Op: comparisonOps[op], L: l, R: r, T: catalog.TypeBool}, nil
}

// operator binds a binary operator.
func (b *binder) operator(op string, l, r Expr, loc int32) (Expr, error) {
	if _, ok := comparisonOps[op]; ok {
		return b.comparison(op, l, r, loc)
	}
	if e, ok, err := b.jsonbOperator(op, l, r, loc); ok {
		return e, err
	}
	if e, ok, err := b.arrayOperator(op, l, r, loc); ok {
		return e, err
	}
	if x, ok := likeOps[op]; ok {
		var err error
		if l, err = b.coerceString(l, loc); err != nil {
			return nil, err
		}
		if r, err = b.coerceString(r, loc); err != nil {
			return nil, err
		}
		return &BinExpr{Op: x, L: l, R: r, T: catalog.TypeBool}, nil
	}
	if op == "||" {
		return b.concat(l, r, loc)
	}
	if fn, ok := regexOps[op]; ok {
		lt, rt := l.Type(), r.Type()
		if !(lt.IsString() || lt.Kind == catalog.Unknown) || !(rt.IsString() || rt.Kind == catalog.Unknown) {
			return nil, b.noOperator(op, lt, rt, loc)
		}
		if n := lt.Length(); lt.Kind == catalog.Bpchar && n > 0 {
			// bpcharregexeq matches char(n) with its padding, which pqdb
			// stores without: pad it back.
			var err error
			if l, err = b.scalarFunc("rpad", []Expr{l, &Const{Value: n, T: catalog.TypeInt4}}, loc); err != nil {
				return nil, err
			}
		}
		return b.scalarFunc(fn, []Expr{l, r}, loc)
	}
	if _, ok := bitwiseOps[op]; ok {
		return b.bitwise(op, l, r, loc)
	}
	if op == "^" {
		// Exponentiation is the power function (float8 or numeric).
		return b.scalarFunc("power", []Expr{l, r}, loc)
	}
	x, ok := arithmeticOps[op]
	if !ok {
		return nil, b.errAt(pgerr.FeatureNotSupported, loc, "operator %s is not supported", op)
	}
	l, r = timeAsInterval(x, l, r)
	lt, rt := l.Type(), r.Type()
	var err error
	switch {
	case lt.Kind == catalog.Unknown && rt.Kind == catalog.Unknown:
		e := b.errAt(pgerr.AmbiguousFunction, loc, "operator is not unique: unknown %s unknown", op)
		e.Hint = "Could not choose a best candidate operator. You might need to add explicit type casts."
		return nil, e
	case lt.Kind == catalog.Unknown:
		if l, err = b.coerce(l, unknownOperandType(l, rt, x), loc); err != nil {
			return nil, err
		}
	case rt.Kind == catalog.Unknown:
		if r, err = b.coerce(r, unknownOperandType(r, lt, x), loc); err != nil {
			return nil, err
		}
	case numericRank[lt.Kind] > 0 && numericRank[rt.Kind] > 0 && lt.Kind != rt.Kind:
		// The lower-ranked side is promoted on its own: an integer becomes
		// a numeric of scale 0, as Postgres' int-to-numeric cast does, so
		// the operator's result scale is the one Postgres computes.
		t, _ := comparisonType(lt, rt)
		switch t.Kind {
		case catalog.Numeric:
			t = catalog.UnconstrainedNumeric(0)
		case catalog.Float4:
			// pg_operator has float4 and float8 arithmetic, mixed
			// float4/float8 (float48pl, ...) but no float4 with an
			// integer or numeric: those resolve to the float8 operator.
			t = catalog.TypeFloat8
		}
		if lt.Kind != t.Kind {
			if l, err = b.coerce(l, t, loc); err != nil {
				return nil, err
			}
		}
		if rt.Kind != t.Kind {
			if r, err = b.coerce(r, t, loc); err != nil {
				return nil, err
			}
		}
	case lt.Kind == catalog.Interval && rt.IsNumeric() && rt.Kind != catalog.Float8 && (x == exec.OpMul || x == exec.OpDiv):
		// interval * and / take float8 (interval_mul, interval_div); the
		// other numbers reach it by implicit cast.
		if r, err = b.coerce(r, catalog.TypeFloat8, loc); err != nil {
			return nil, err
		}
	case rt.Kind == catalog.Interval && lt.IsNumeric() && lt.Kind != catalog.Float8 && x == exec.OpMul:
		if l, err = b.coerce(l, catalog.TypeFloat8, loc); err != nil {
			return nil, err
		}
	case lt.Kind == catalog.Date && rt.IsInteger() && rt.Kind != catalog.Int4:
		r = &CastExpr{Arg: r, T: catalog.TypeInt4}
	case rt.Kind == catalog.Date && lt.IsInteger() && lt.Kind != catalog.Int4:
		l = &CastExpr{Arg: l, T: catalog.TypeInt4}
	}
	t, ok := binaryResult(x, l.Type(), r.Type())
	if !ok {
		return nil, b.noOperator(op, l.Type(), r.Type(), loc)
	}
	return &BinExpr{Op: x, L: l, R: r, T: t}, nil
}

// binaryResult is the type of l x r, and whether exec has an operator x
// for those operand types.
func binaryResult(x exec.BinaryOp, l, r catalog.Type) (catalog.Type, bool) {
	e, err := exec.Binary(x, exec.Literal(nil, l), exec.Literal(nil, r))
	if err != nil {
		return catalog.Type{}, false
	}
	return e.Type(), true
}

// timeAsInterval casts the time operand of an arithmetic operator x to
// interval when time has no operator of its own with the other operand's
// type: time reaches interval by an implicit cast, which resolves date -
// time, timestamp ± time, interval - time and time * 2 as PostgreSQL
// does. Operands of other types, or of time's own operators, are kept.
func timeAsInterval(x exec.BinaryOp, l, r Expr) (Expr, Expr) {
	lt, rt := l.Type(), r.Type()
	if (lt.Kind == catalog.Time) == (rt.Kind == catalog.Time) || lt.Kind == catalog.Unknown || rt.Kind == catalog.Unknown {
		return l, r
	}
	if _, ok := binaryResult(x, lt, rt); ok {
		return l, r
	}
	if lt.Kind == catalog.Time {
		return &CastExpr{Arg: l, T: catalog.TypeInterval}, r
	}
	return l, &CastExpr{Arg: r, T: catalog.TypeInterval}
}

// unknownOperandType is the type the untyped literal lit takes beside an
// operand of type t of an arithmetic operator: t without its modifier
// (literalTypeBeside), except that date and timestamp arithmetic reads it
// as an integer or an interval.
func unknownOperandType(lit Expr, t catalog.Type, op exec.BinaryOp) catalog.Type {
	switch t.Kind {
	case catalog.Date:
		if op == exec.OpAdd || op == exec.OpSub {
			return catalog.TypeInt4
		}
	case catalog.Timestamp, catalog.TimestampTZ:
		if op == exec.OpAdd || op == exec.OpSub {
			return catalog.TypeInterval
		}
	case catalog.Time:
		// time + interval; time - '...' is time - time.
		if op == exec.OpAdd {
			return catalog.TypeInterval
		}
	}
	return literalTypeBeside(lit, t)
}

func (b *binder) coerceString(e Expr, loc int32) (Expr, error) {
	t := e.Type()
	if t.Kind == catalog.Text || t.Kind == catalog.Varchar || t.Kind == catalog.Name {
		return e, nil
	}
	if t.Kind == catalog.Unknown || t.Kind == catalog.Bpchar || t.Kind == catalog.PgNodeTree {
		return b.coerce(e, catalog.TypeText, loc)
	}
	return nil, b.errAt(pgerr.UndefinedFunction, loc, "operator does not exist: %s ~~ text", t)
}

// concat binds ||: if either side is a string, the other is converted to
// text (Postgres' anytextcat).
func (b *binder) concat(l, r Expr, loc int32) (Expr, error) {
	lt, rt := l.Type(), r.Type()
	if !(lt.IsString() || lt.Kind == catalog.Unknown || rt.IsString() || rt.Kind == catalog.Unknown) {
		return nil, b.noOperator("||", lt, rt, loc)
	}
	var err error
	if l, err = b.toText(l, loc); err != nil {
		return nil, err
	}
	if r, err = b.toText(r, loc); err != nil {
		return nil, err
	}
	return &BinExpr{Op: exec.OpConcat, L: l, R: r, T: catalog.TypeText}, nil
}

func (b *binder) toText(e Expr, loc int32) (Expr, error) {
	if e.Type().Kind == catalog.Text {
		return e, nil
	}
	return b.coerce(e, catalog.TypeText, loc)
}

// unary binds a prefix operator.
func (b *binder) unary(op string, e Expr, loc int32) (Expr, error) {
	switch op {
	case "+":
		if e.Type().Kind == catalog.Unknown {
			return b.coerce(e, catalog.TypeFloat8, loc)
		}
		if !e.Type().IsNumeric() && e.Type().Kind != catalog.Interval {
			return nil, b.errAt(pgerr.UndefinedFunction, loc, "operator does not exist: + %s", e.Type())
		}
		return e, nil
	case "-":
		if c, ok := e.(*Const); ok && c.Value != nil {
			// Fold negative literals here so -2147483648 stays an int4.
			switch v := c.Value.(type) {
			case int32:
				if v != -v || v == 0 {
					return &Const{Value: -v, T: c.T}, nil
				}
			case int64:
				if v == 2147483648 {
					return &Const{Value: int32(-2147483648), T: catalog.TypeInt4}, nil
				}
				if v != -v || v == 0 {
					return &Const{Value: -v, T: c.T}, nil
				}
			}
		}
		if e.Type().Kind == catalog.Unknown {
			var err error
			if e, err = b.coerce(e, catalog.TypeFloat8, loc); err != nil {
				return nil, err
			}
		}
		if _, err := exec.Negate(exec.Literal(nil, e.Type())); err != nil {
			return nil, b.errAt(pgerr.UndefinedFunction, loc, "operator does not exist: - %s", e.Type())
		}
		return &NegExpr{Arg: e}, nil
	case "~":
		return b.bitwiseNot(e, loc)
	}
	return nil, b.errAt(pgerr.FeatureNotSupported, loc, "prefix operator %s is not supported", op)
}

// location is the session time zone literals are read in.
func (b *binder) location() *time.Location {
	if b.opts.Location != nil {
		return b.opts.Location
	}
	return time.UTC
}

// nullIfType is the type of NULLIF(l, r): Postgres resolves the operator
// l = r and gives NULLIF the type its first argument is coerced to. The
// integer, float and datetime families have cross-type = operators, so the
// first argument keeps its type there (NULLIF(int4, int8) is int4); an
// unknown literal takes the other side's type; varchar has no = of its
// own and compares as text, except against char(n), whose bpchar = wins.
func nullIfType(l, r catalog.Type) catalog.Type {
	switch {
	case l.Kind == catalog.Unknown && r.Kind == catalog.Unknown:
		return catalog.TypeText
	case l.Kind == catalog.Unknown:
		l = noTypmod(r)
	case r.Kind == catalog.Unknown:
		r = l
	}
	switch l.Kind {
	case catalog.Varchar:
		if r.Kind == catalog.Bpchar {
			return catalog.BpcharType(-1)
		}
		return catalog.TypeText
	case catalog.Bpchar:
		if r.Kind == catalog.Text || r.Kind == catalog.Name {
			return catalog.TypeText
		}
	case catalog.Int2, catalog.Int4, catalog.Int8:
		switch r.Kind {
		case catalog.Numeric:
			return catalog.UnconstrainedNumeric(0)
		case catalog.Float4, catalog.Float8:
			return catalog.TypeFloat8
		}
	case catalog.Numeric:
		if r.Kind == catalog.Float4 || r.Kind == catalog.Float8 {
			return catalog.TypeFloat8
		}
	}
	return l
}
