package planner

import (
	"slices"
	"strings"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
)

// deparse_expr.go prints bound expressions as PostgreSQL 15's ruleutils.c
// prints its analyzed trees (pg_get_expr, pg_get_constraintdef, the
// expressions of pg_get_viewdef): every operator parenthesized (or, in
// pretty mode, only where precedence needs it), constants labelled with
// their type unless they read back as that type ('x'::text, but 42 and
// true), implicit coercions shown under operators and function calls
// ((v)::text <> ''::text) and hidden at the top and under AND/OR/NOT.
//
// The bound tree knows each node's type, which the text as written does
// not. What binding forgets (that a cast was written, that now() was
// spelled CURRENT_TIMESTAMP, the query text of a subquery) the binder
// notes in deparseNotes while it binds for display.

// Pretty-printing constants of ruleutils.c.
const (
	prettyIndentStd  = 8
	prettyIndentJoin = 4
	prettyIndentVar  = 4
	prettyIndentMax  = 40
)

// deparser is ruleutils.c's deparse_context: the text printed so far
// and how to print what follows.
type deparser struct {
	buf []byte
	// prettyParen drops the parentheses precedence makes needless
	// (PRETTYFLAG_PAREN); indentation (PRETTYFLAG_INDENT) is always on,
	// as in every printer PostgreSQL's catalog functions use.
	prettyParen bool
	indentLevel int
	notes       *deparseNotes
	// hostFuncs are the engine's functions, which print reg* values.
	hostFuncs map[string]HostFunc
	// userTypes finds enums and domains, whose names print qualified
	// by their schema unless it is on the search path (visible).
	userTypes func(oid uint32) *catalog.UserType
	visible   []string
	// domains marks the columns (ColRef indexes) of a domain: under an
	// operator they read as a cast to the domain's base type.
	domains map[int]catalog.Type
	// names prints the columns of the expression's input level: ColRef
	// i; outer prints OuterRef i through the enclosing levels.
	names []string
	outer func(d *deparser, i int)
	// query prints a subquery (set by the query printer).
	query func(d *deparser, n *sublinkNote)
}

func (d *deparser) str(s string) { d.buf = append(d.buf, s...) }
func (d *deparser) byte(c byte)  { d.buf = append(d.buf, c) }
func (d *deparser) text() string { return string(d.buf) }
func (d *deparser) trimSpaces() {
	for len(d.buf) > 0 && d.buf[len(d.buf)-1] == ' ' {
		d.buf = d.buf[:len(d.buf)-1]
	}
}

// keyword is appendContextKeyword: str on a new line at the current
// indentation (plus indentPlus), the level changed by indentBefore
// before and indentAfter after.
func (d *deparser) keyword(str string, indentBefore, indentAfter, indentPlus int) {
	d.indentLevel += indentBefore
	d.trimSpaces()
	d.byte('\n')
	amount := max(d.indentLevel, 0) + indentPlus
	if d.indentLevel >= prettyIndentMax {
		amount = prettyIndentMax + (d.indentLevel-prettyIndentMax)/(prettyIndentStd/2)
		amount %= prettyIndentMax
		amount += indentPlus
	}
	d.str(strings.Repeat(" ", amount))
	d.str(str)
	d.indentLevel += indentAfter
	if d.indentLevel < 0 {
		d.indentLevel = 0
	}
}

// The node kinds of ruleutils.c that decide parentheses (isSimpleNode).
type nodeKind uint8

const (
	kindSimple nodeKind = iota // Var, Const, Param, function-like, CASE
	kindOp                     // OpExpr
	kindBool                   // BoolExpr
	kindTest                   // NullTest, DistinctExpr, SubLink
	kindCast                   // a cast (FuncExpr with a cast format, RelabelType, CoerceViaIO)
	kindOther                  // ScalarArrayOpExpr and the rest
)

// kindOf classifies e as PostgreSQL's tree for it would be; shown says
// whether an implicit cast at e would be printed.
func (d *deparser) kindOf(e Expr, shown bool) nodeKind {
	switch x := e.(type) {
	case *BinExpr:
		return kindOp
	case *NegExpr:
		if _, ok := negatedConst(x); ok {
			return kindSimple
		}
		return kindOp
	case *BoolExpr, *NotExpr:
		return kindBool
	case *NullTest, *SubqueryExpr:
		return kindTest
	case *InList:
		return d.kindOf(d.inListForm(x), shown)
	case *FuncExpr:
		if _, ok := quantifiedForm(x); ok {
			return kindOther
		}
		if _, ok := d.notes.operatorOf(x); ok {
			return kindOp
		}
	case *DistinctFrom:
		if _, ok := d.notes.booleanTestOf(x); !ok && x.Not {
			return kindBool // printed as NOT (a IS DISTINCT FROM b)
		}
		return kindTest
	case *arrayOp:
		return kindOther // ScalarArrayOpExpr: parenthesized under any parent
	case *CastExpr:
		if d.castShown(x, shown) {
			return kindCast
		}
		return d.kindOf(x.Arg, false)
	case *Const:
		if arg, ok := d.notes.explicitArg(x); ok && !isLiteral(arg) {
			return kindCast
		}
	}
	return kindSimple
}

// isLiteral reports whether e is a literal not yet typed: a cast of it
// reads back as a constant of the cast's type ('7'::integer is 7).
func isLiteral(e Expr) bool {
	c, ok := e.(*Const)
	return ok && c.T.Kind == catalog.Unknown
}

// castShown reports whether cast c prints: a written cast always
// (unless PostgreSQL's tree would have no node for it), an implicit one
// where ruleutils shows implicit coercions. A cast between two forms of
// one type (numeric(10,2) to numeric, varchar(10) to varchar), which
// pqdb's binder inserts for its own representation, is no cast in
// PostgreSQL's tree.
func (d *deparser) castShown(c *CastExpr, showImplicit bool) bool {
	_, explicit := d.notes.explicitArg(c)
	from := c.Arg.Type()
	if sameType(from, c.T) && !(explicit && c.T.Typmod >= 0 && c.T.Typmod != from.Typmod) {
		return false
	}
	return explicit || showImplicit
}

// operand is an operand of op as PostgreSQL's tree has it: pqdb's binder
// casts the narrower of two integer (or float) operands to the wider
// type, where PostgreSQL has an operator for the pair (int48gt,
// float48pl) and no cast.
func (d *deparser) operand(op exec.BinaryOp, e Expr) Expr {
	if op >= exec.OpConcat && e.Type().Kind == catalog.Varchar {
		// LIKE and || take text, to which PostgreSQL's parser casts a
		// varchar operand.
		return &CastExpr{Arg: e, T: catalog.TypeText}
	}
	c, ok := e.(*CastExpr)
	if ok && op == exec.OpConcat && c.T.Kind == catalog.Text && !c.Arg.Type().IsString() && c.Arg.Type().Kind != catalog.Unknown {
		if _, explicit := d.notes.explicitArg(c); !explicit {
			// text || anynonarray (anytextcat) takes the value as it is.
			return c.Arg
		}
	}
	if !ok || op == exec.OpMod || op > exec.OpGe {
		return e
	}
	if _, explicit := d.notes.explicitArg(c); explicit {
		return e
	}
	from, to := c.Arg.Type(), c.T
	if from.IsInteger() && to.IsInteger() || from.Kind == catalog.Float4 && to.Kind == catalog.Float8 {
		return c.Arg
	}
	if op.IsComparison() && isDateTime(from.Kind) && isDateTime(to.Kind) {
		// date, timestamp and timestamptz compare with each other.
		return c.Arg
	}
	return e
}

// isSimple is ruleutils.c's isSimpleNode: whether e, under parent
// (first: as parent's first operand), needs no parentheses in pretty
// mode.
func (d *deparser) isSimple(e, parent Expr, first bool) bool {
	kind := d.kindOf(e, true)
	pkind := kindSimple
	if parent != nil {
		pkind = d.kindOf(parent, true)
	}
	switch kind {
	case kindSimple:
		return true
	case kindCast:
		if c, ok := e.(*CastExpr); ok {
			return d.isSimple(c.Arg, e, true)
		}
		return true
	case kindOp:
		if pkind == kindOp {
			op, pop := d.binaryOpName(e), d.binaryOpName(parent)
			if op == "" || pop == "" {
				return false
			}
			lo, hi := strings.Contains("+-", op[:1]), strings.Contains("*/%", op[:1])
			plo, phi := strings.Contains("+-", pop[:1]), strings.Contains("*/%", pop[:1])
			if !(lo || hi) || !(plo || phi) {
				return false
			}
			if hi && plo {
				return true
			}
			if lo && phi {
				return false
			}
			return first
		}
		fallthrough
	case kindTest:
		switch pkind {
		case kindCast:
			return false
		case kindBool:
			return true
		}
		return parentOwnsParens(parent)
	case kindBool:
		switch pkind {
		case kindBool:
			child, par := boolType(e), boolType(parent)
			switch child {
			case "NOT", "AND":
				return par == "AND" || par == "OR"
			case "OR":
				return par == "OR"
			}
			return false
		case kindCast:
			return false
		}
		return parentOwnsParens(parent)
	}
	return false
}

// parentOwnsParens reports whether parent prints its operands between
// separators of its own: function calls, CASE, COALESCE, ARRAY[...].
func parentOwnsParens(parent Expr) bool {
	switch parent.(type) {
	case *FuncExpr, *HostCall, *AggRef, *CoalesceExpr, *NullIfExpr, *CaseExpr, *RowExpr:
		return true
	}
	return false
}

func boolType(e Expr) string {
	switch x := e.(type) {
	case *NotExpr:
		return "NOT"
	case *BoolExpr:
		if x.And {
			return "AND"
		}
		return "OR"
	}
	return ""
}

// binaryOpName is get_simple_binary_op_name: the operator of a binary
// operator expression, "" for anything else.
func (d *deparser) binaryOpName(e Expr) string {
	switch x := e.(type) {
	case *BinExpr:
		return x.Op.String()
	case *FuncExpr:
		if op, ok := d.notes.operatorOf(x); ok && len(x.Args) == 2 {
			return op
		}
	}
	return ""
}

// exprParen is get_rule_expr_paren.
func (d *deparser) exprParen(e Expr, showImplicit bool, parent Expr, first bool) {
	need := d.prettyParen && !d.isSimple(e, parent, first)
	if need {
		d.byte('(')
	}
	d.expr(e, showImplicit)
	if need {
		d.byte(')')
	}
}

// open and close are the parentheses an operator prints around itself
// unless in pretty mode.
func (d *deparser) open() {
	if !d.prettyParen {
		d.byte('(')
	}
}

func (d *deparser) close() {
	if !d.prettyParen {
		d.byte(')')
	}
}

// expr is get_rule_expr.
func (d *deparser) expr(e Expr, showImplicit bool) {
	if kw, ok := d.notes.keywordOf(e); ok {
		d.str(kw)
		return
	}
	switch x := e.(type) {
	case *ColRef:
		name := exec.QuoteIdent(x.Name)
		if x.Index < len(d.names) {
			name = d.names[x.Index]
		}
		if base, ok := d.domains[x.Index]; ok && showImplicit {
			// PostgreSQL's tree reads a domain's value as its base
			// type under an operator or call.
			d.open()
			d.str(name)
			d.close()
			d.str("::" + d.typeName(base))
			return
		}
		d.str(name)
	case *OuterRef:
		if d.outer != nil {
			d.outer(d, x.Index)
		} else {
			d.str("$outer")
		}
	case *Param:
		d.str("$" + itoa(int64(x.Index+1)))
	case *Const:
		if arg, ok := d.notes.explicitArg(x); ok && !isLiteral(arg) {
			d.coercion(arg, x.T, e)
			return
		}
		d.constant(x, 0)
	case *NegExpr:
		if c, ok := negatedConst(x); ok {
			d.constant(c, 0)
			return
		}
		d.open()
		d.str("- ")
		d.exprParen(x.Arg, true, e, true)
		d.close()
	case *BinExpr:
		d.open()
		d.exprParen(d.operand(x.Op, x.L), true, e, true)
		d.str(" " + x.Op.String() + " ")
		d.exprParen(d.operand(x.Op, x.R), true, e, false)
		d.close()
	case *BoolExpr:
		d.open()
		sep := " OR "
		if x.And {
			sep = " AND "
		}
		for i, a := range x.Args {
			if i > 0 {
				d.str(sep)
			}
			d.exprParen(a, false, e, i == 0)
		}
		d.close()
	case *NotExpr:
		d.open()
		d.str("NOT ")
		d.exprParen(x.Arg, false, e, true)
		d.close()
	case *NullTest:
		d.open()
		d.exprParen(x.Arg, true, e, true)
		if kw, ok := d.notes.booleanTestOf(x); ok {
			d.str(kw)
		} else if x.Not {
			d.str(" IS NOT NULL")
		} else {
			d.str(" IS NULL")
		}
		d.close()
	case *DistinctFrom:
		if kw, ok := d.notes.booleanTestOf(x); ok {
			d.open()
			d.exprParen(x.L, true, e, true)
			d.str(kw)
			d.close()
			return
		}
		if x.Not {
			// PostgreSQL's tree for IS NOT DISTINCT FROM is NOT over
			// IS DISTINCT FROM.
			d.expr(&NotExpr{Arg: &DistinctFrom{L: x.L, R: x.R}}, showImplicit)
			return
		}
		d.open()
		d.exprParen(x.L, true, e, true)
		d.str(" IS DISTINCT FROM ")
		d.exprParen(x.R, true, e, false)
		d.close()
	case *InList:
		d.expr(d.inListForm(x), true)
	case *arrayOp:
		d.open()
		d.exprParen(x.Arg, true, e, true)
		d.str(" " + x.Op + " " + x.Quant + " (")
		switch {
		case x.Array != nil:
			d.exprParen(x.Array, true, e, false)
		case x.ArrayCast != nil:
			d.open()
			d.str("ARRAY[")
			d.list(x.Elems)
			d.str("]")
			d.close()
			d.str("::" + d.typeName(*x.ArrayCast))
		default:
			d.str("ARRAY[")
			d.list(x.Elems)
			d.byte(']')
		}
		d.str(")")
		d.close()
	case *CastExpr:
		if !d.castShown(x, showImplicit) {
			d.exprParen(x.Arg, false, e, true)
			return
		}
		if c, ok := x.Arg.(*Const); ok && c.Value != nil && c.T.IsString() && x.T.IsString() {
			if _, explicit := d.notes.explicitArg(x); !explicit {
				// A string literal the binder typed first as one type
				// and then cast: PostgreSQL's parser types it as the
				// cast's type directly.
				text := string(catalog.AppendDatumText(nil, c.T, c.Value))
				if v, err := catalog.ParseText(x.T, text); err == nil {
					d.constant(&Const{Value: v, T: x.T}, 0)
					return
				}
			}
		}
		d.coercion(x.Arg, x.T, e)
	case *DomainCheck:
		d.expr(x.Arg, showImplicit)
	case *FuncExpr:
		if op, ok := d.notes.operatorOf(x); ok && len(x.Args) <= 2 {
			d.operatorCall(op, x)
			return
		}
		if d.notes.sqlSyntax(x) && d.sqlSyntaxCall(x) {
			return
		}
		if d.arraySyntax(x) {
			return
		}
		switch x.Name {
		case "greatest", "least":
			d.str(strings.ToUpper(x.Name) + "(")
			d.list(x.Args)
			d.byte(')')
			return
		}
		if variadicAny[x.Name] {
			// Their arguments are of type "any": PostgreSQL's parser
			// casts none of them.
			args := make([]Expr, len(x.Args))
			for i, a := range x.Args {
				args[i] = a
				if c, ok := a.(*CastExpr); ok && !d.castShown(c, false) {
					args[i] = c.Arg
				}
			}
			d.call(x.Name, args)
			return
		}
		d.call(x.Name, x.Args)
	case *HostCall:
		d.call(x.Name, x.Args)
	case *CoalesceExpr:
		d.str("COALESCE(")
		d.list(x.Args)
		d.byte(')')
	case *NullIfExpr:
		d.str("NULLIF(")
		d.list([]Expr{x.L, x.R})
		d.byte(')')
	case *CaseExpr:
		d.caseExpr(x)
	case *AggRef:
		d.aggregate(x)
	case *RowExpr:
		if x.Table != "" {
			d.str(exec.QuoteIdent(x.Table) + ".*")
			return
		}
		d.str("ROW(")
		d.list(x.Args)
		d.byte(')')
	case *FieldSelect:
		d.byte('(')
		d.expr(x.Arg, true)
		d.str(").")
		fields := x.Arg.Type().Fields()
		if x.Index < len(fields) {
			d.str(exec.QuoteIdent(fields[x.Index].Name))
		}
	case *SubqueryExpr:
		d.subquery(x)
	case *WinRef:
		d.window(x)
	case *GroupingRef:
		d.str("GROUPING(")
		d.list(x.Args)
		d.byte(')')
	default:
		// A node the printer does not know prints as EXPLAIN shows it.
		d.str(e.String())
	}
}

// list prints expressions separated by commas, implicit casts shown.
func (d *deparser) list(es []Expr) {
	for i, a := range es {
		if i > 0 {
			d.str(", ")
		}
		d.expr(a, true)
	}
}

// call is get_func_expr for a plain call.
func (d *deparser) call(name string, args []Expr) {
	d.str(exec.QuoteIdent(name) + "(")
	d.list(args)
	d.byte(')')
}

// coercion is get_coercion_expr: arg printed as a cast to t.
func (d *deparser) coercion(arg Expr, t catalog.Type, node Expr) {
	if c, ok := arg.(*Const); ok && c.T.Kind == catalog.Unknown {
		d.constant(&Const{Value: c.Value, T: t}, -1)
	} else if c, ok := arg.(*Const); ok && sameType(c.T, t) && c.T.Typmod < 0 {
		d.constant(c, -1)
	} else if neg, ok := arg.(*NegExpr); ok && isConstNeg(neg, t) {
		c, _ := negatedConst(neg)
		d.constant(c, -1)
	} else {
		d.open()
		d.exprParen(arg, false, node, true)
		d.close()
	}
	d.str("::" + d.typeName(t))
}

func isConstNeg(n *NegExpr, t catalog.Type) bool {
	c, ok := negatedConst(n)
	return ok && sameType(c.T, t) && c.T.Typmod < 0
}

func sameType(a, b catalog.Type) bool { return a.Kind == b.Kind && a.Elem == b.Elem }

// negatedConst is -c of a numeric literal as the one constant
// PostgreSQL's grammar folds it into.
func negatedConst(n *NegExpr) (*Const, bool) {
	c, ok := n.Arg.(*Const)
	if !ok || c.Value == nil {
		return nil, false
	}
	switch v := c.Value.(type) {
	case int16:
		return &Const{Value: -v, T: c.T}, true
	case int32:
		return &Const{Value: -v, T: c.T}, true
	case int64:
		return &Const{Value: -v, T: c.T}, true
	case float64:
		return &Const{Value: -v, T: c.T}, true
	}
	if c.T.Kind == catalog.Numeric {
		text := string(catalog.AppendDatumText(nil, c.T, c.Value))
		v, err := catalog.ParseText(c.T, "-"+text)
		if err == nil {
			return &Const{Value: v, T: c.T}, true
		}
	}
	return nil, false
}

// constant is get_const_expr: showType -1 prints the value alone, 0
// labels it unless it reads back as its type, 1 always labels it. The
// type prints without its modifier unless the constant came from a
// written cast: a column's DEFAULT 'x' is 'x'::character varying, as
// PostgreSQL's coercion to the column's length is an implicit call.
func (d *deparser) constant(c *Const, showType int) {
	t := c.T
	if _, explicit := d.notes.explicitArg(c); !explicit && showType >= 0 {
		t = withoutTypmod(t)
	}
	if t.Kind == catalog.Unknown {
		t = catalog.TypeText
	}
	if c.Value == nil {
		d.str("NULL")
		if showType >= 0 {
			d.str("::" + d.typeName(t))
		}
		return
	}
	text := string(catalog.AppendDatumText(nil, t, c.Value))
	if hf, ok := d.hostFuncs[regOutputFunc(t.Kind)]; ok && catalog.IsRegKind(t.Kind) {
		if v, err := hf.Fn(nil, []catalog.Datum{c.Value}); err == nil {
			if s, ok := v.(string); ok {
				text = s
			}
		}
	}
	if t.Kind == catalog.Bpchar && c.T.Typmod != t.Typmod {
		// The literal, not yet padded to the column's length.
		text = strings.TrimRight(text, " ")
	}
	label := true
	switch t.Kind {
	case catalog.Int4:
		if !strings.HasPrefix(text, "-") {
			d.str(text)
			label = false
		} else {
			d.str(quoteLiteral(text))
		}
	case catalog.Numeric:
		if text != "" && text[0] >= '0' && text[0] <= '9' && strings.ContainsAny(text, "eE.") {
			d.str(text)
			label = t.Typmod >= 0
		} else {
			d.str(quoteLiteral(text))
		}
	case catalog.Bool:
		if c.Value.(bool) {
			d.str("true")
		} else {
			d.str("false")
		}
		label = false
	default:
		d.str(quoteLiteral(text))
	}
	if showType < 0 {
		return
	}
	if label || showType > 0 {
		d.str("::" + d.typeName(t))
	}
}

// withoutTypmod is t with no modifier, as an implicitly coerced constant
// is typed.
func withoutTypmod(t catalog.Type) catalog.Type {
	if t.Kind == catalog.Numeric || t.Kind == catalog.Varchar || t.Kind == catalog.Bpchar ||
		t.Kind == catalog.Time || t.Kind == catalog.Timestamp || t.Kind == catalog.TimestampTZ || t.Kind == catalog.Interval {
		t.Typmod = -1
	}
	return t
}

// quoteLiteral is simple_quote_literal under standard_conforming_strings.
func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// inListForm is x IN (...) as PostgreSQL's parser builds it: the
// elements that read no column as x = ANY (ARRAY[...]) (when there are
// two or more), each other one as its own comparison, ORed (for NOT IN:
// <> ALL, ANDed).
func (d *deparser) inListForm(x *InList) Expr {
	var consts, vars []Expr
	for _, e := range x.List {
		if readsColumns(e) {
			vars = append(vars, e)
		} else {
			consts = append(consts, e)
		}
	}
	if len(consts) < 2 {
		vars, consts = x.List, nil
	}
	op, quant := exec.OpEq, "ANY"
	if x.Not {
		op, quant = exec.OpNe, "ALL"
	}
	var parts []Expr
	if consts != nil {
		ao := &arrayOp{Arg: x.Arg, Op: op.String(), Quant: quant, Elems: consts}
		if probe := d.varcharProbe(x.Arg); probe != nil {
			if elems, ok := stringConsts(consts, catalog.Type{Kind: catalog.Varchar, Typmod: -1}); ok {
				// A varchar IN list of literals: PostgreSQL types the
				// literals as varchar and compares text = ANY of the
				// array cast to text[].
				text := catalog.ArrayOf(catalog.TypeText)
				ao.Arg, ao.Elems, ao.ArrayCast = &CastExpr{Arg: probe, T: catalog.TypeText}, elems, &text
			}
		}
		parts = append(parts, ao)
	}
	for _, v := range vars {
		parts = append(parts, &BinExpr{Op: op, L: x.Arg, R: d.uncoerced(v, x.Arg.Type()), T: catalog.TypeBool})
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return &BoolExpr{And: x.Not, Args: parts}
}

// uncoerced is e without the implicit casts the binder put on it to
// bring it to a list's common type, where e is of type t underneath:
// PostgreSQL compares each column of an IN list on its own.
func (d *deparser) uncoerced(e Expr, t catalog.Type) Expr {
	base := e
	for {
		c, ok := base.(*CastExpr)
		if !ok {
			break
		}
		if _, explicit := d.notes.explicitArg(c); explicit {
			break
		}
		base = c.Arg
	}
	if sameType(base.Type(), t) {
		return base
	}
	return e
}

// arrayOp is PostgreSQL's ScalarArrayOpExpr: Arg Op ANY/ALL (Array), or
// over an ARRAY[...] of Elems, the form IN lists print in.
type arrayOp struct {
	Arg   Expr
	Op    string
	Quant string
	Array Expr
	Elems []Expr
	// ArrayCast, when set, is the type the ARRAY[...] is cast to.
	ArrayCast *catalog.Type
}

// varcharProbe is the varchar value an IN list's probe compares, or nil
// for a probe of another type (or a written cast).
func (d *deparser) varcharProbe(e Expr) Expr {
	if c, ok := e.(*CastExpr); ok && c.T.Kind == catalog.Text {
		if _, explicit := d.notes.explicitArg(c); !explicit {
			e = c.Arg
		}
	}
	if e.Type().Kind == catalog.Varchar {
		return e
	}
	return nil
}

// stringConsts are es, string constants, as constants of type t.
func stringConsts(es []Expr, t catalog.Type) ([]Expr, bool) {
	out := make([]Expr, len(es))
	for i, e := range es {
		for {
			c, ok := e.(*CastExpr)
			if !ok {
				break
			}
			e = c.Arg
		}
		c, ok := e.(*Const)
		if !ok || !c.T.IsString() && c.T.Kind != catalog.Unknown {
			return nil, false
		}
		out[i] = &Const{Value: c.Value, T: t}
	}
	return out, true
}

func (e *arrayOp) Type() catalog.Type { return catalog.TypeBool }
func (e *arrayOp) String() string     { return "" }

func readsColumns(e Expr) bool {
	found := false
	walkExpr(e, func(x Expr) {
		switch x.(type) {
		case *ColRef, *OuterRef:
			found = true
		}
	})
	return found
}

// caseExpr prints CASE as ruleutils.c does, one WHEN per line; a
// simple CASE (CASE x WHEN 1 ...) as it was written.
func (d *deparser) caseExpr(x *CaseExpr) {
	var arg Expr
	if d.notes.sqlSyntax(x) {
		for i, w := range x.Whens {
			eq, ok := w.Cond.(*BinExpr)
			if !ok || eq.Op != exec.OpEq || i > 0 && exprKey(eq.L) != exprKey(arg) {
				arg = nil
				break
			}
			arg = eq.L
		}
	}
	d.keyword("CASE", 0, prettyIndentVar, 0)
	if arg != nil {
		d.byte(' ')
		d.expr(arg, true)
	}
	for _, w := range x.Whens {
		d.keyword("WHEN ", 0, 0, 0)
		if arg != nil {
			d.expr(w.Cond.(*BinExpr).R, false)
		} else {
			d.expr(w.Cond, false)
		}
		d.str(" THEN ")
		d.expr(w.Then, true)
	}
	d.keyword("ELSE ", 0, 0, 0)
	if x.Else != nil {
		d.expr(x.Else, true)
	} else {
		d.constant(&Const{T: x.T}, 0)
	}
	d.keyword("END", -prettyIndentVar, 0, 0)
}

// sortKeys prints ORDER BY keys with their non-default directions.
func (d *deparser) sortKeys(keys []SortKey) {
	for i, k := range keys {
		if i > 0 {
			d.str(", ")
		}
		d.sortGroupExpr(k.Expr)
		if k.Desc {
			d.str(" DESC")
			if !k.NullsFirst {
				d.str(" NULLS LAST")
			}
		} else if k.NullsFirst {
			d.str(" NULLS FIRST")
		}
	}
}

// typeName is format_type: a user type qualified by its schema unless
// the search path finds it.
func (d *deparser) typeName(t catalog.Type) string {
	if d.userTypes == nil || t.Kind != catalog.Enum && !(t.Kind == catalog.Array && t.Elem == catalog.Enum) {
		return t.String()
	}
	u := d.userTypes(t.Enum.OID)
	if u == nil || slices.Contains(d.visible, u.Schema) {
		return t.String()
	}
	return exec.QuoteIdent(u.Schema) + "." + t.String()
}

// variadicAny are the functions whose arguments are VARIADIC "any".
var variadicAny = map[string]bool{"concat": true, "concat_ws": true, "format": true, "num_nulls": true, "num_nonnulls": true,
	"json_build_object": true, "jsonb_build_object": true, "json_build_array": true, "jsonb_build_array": true}

// sortGroupExpr is get_rule_sortgroupclause for an expression: a
// constant with its type, a column bare, a function call (a cast
// function among them) in parentheses of its own.
func (d *deparser) sortGroupExpr(e Expr) {
	switch x := e.(type) {
	case *Const:
		d.constant(x, 1)
		return
	case *ColRef, *OuterRef:
		d.expr(e, true)
		return
	}
	need := d.prettyParen
	switch x := e.(type) {
	case *HostCall, *AggRef, *WinRef:
		need = true
	case *FuncExpr:
		_, op := d.notes.operatorOf(x)
		need = need || !op
	case *CastExpr:
		// A cast between string types relabels the value; the others
		// call a cast function.
		need = need || d.castShown(x, true) && !(x.T.IsString() && x.Arg.Type().IsString())
	}
	if need {
		d.byte('(')
	}
	d.expr(e, true)
	if need {
		d.byte(')')
	}
}
