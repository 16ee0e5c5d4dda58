package planner

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// The binder binds a stored definition for display (deparse.go) with
// deparseNotes: what the bound tree forgets of how the text was written,
// and PostgreSQL's tree keeps, is noted beside it while binding. Binding
// for execution notes nothing (b.deparse is nil).

// deparseNotes records, while binding for display, what the bound tree
// forgets of how an expression was written.
type deparseNotes struct {
	// explicit maps the result of a written cast (x::t, CAST(x AS t))
	// to the expression cast; for a literal folded into a constant of
	// the type, to that literal.
	explicit map[Expr]Expr
	// keywords maps the calls of SQL's value functions to their
	// keyword (CURRENT_TIMESTAMP, CURRENT_DATE, ...).
	keywords map[Expr]string
	// sublinks maps subquery expressions to the subquery as written and
	// the scope it was bound in, for printing it as a query.
	sublinks map[Expr]*sublinkNote
	// syntax holds the calls written in SQL's own syntax
	// (SUBSTRING(x FROM 1), POSITION(a IN b)) and the simple CASEs
	// (CASE x WHEN 1 ...), which print so again.
	syntax map[Expr]bool
	// operators maps the calls pqdb binds an operator to (textregexeq,
	// jsonb_object_field) to the operator written (~, ->); booleanTests
	// the forms IS [NOT] TRUE/FALSE/UNKNOWN bind to, to their keywords.
	operators    map[Expr]string
	booleanTests map[Expr]string
	// windows maps the window calls to their OVER clause as written,
	// which may name a window of the WINDOW clause.
	windows map[Expr]*pg_query.WindowDef
}

func newDeparseNotes() *deparseNotes {
	return &deparseNotes{explicit: map[Expr]Expr{}, keywords: map[Expr]string{}, sublinks: map[Expr]*sublinkNote{}, syntax: map[Expr]bool{},
		operators: map[Expr]string{}, booleanTests: map[Expr]string{}, windows: map[Expr]*pg_query.WindowDef{}}
}

// noteSQLSyntax records that e was written in SQL's syntax.
func (b *binder) noteSQLSyntax(e Expr) {
	if b.deparse != nil && e != nil {
		b.deparse.syntax[e] = true
	}
}

func (n *deparseNotes) sqlSyntax(e Expr) bool { return n != nil && n.syntax[e] }

// noteExplicitCast records that e is the value of a cast written over
// arg; a no-op unless the binder binds for display.
func (b *binder) noteExplicitCast(e, arg Expr) {
	if b.deparse != nil && e != nil {
		b.deparse.explicit[e] = arg
	}
}

// noteTypeCast records that e is the value of the written cast tc: over
// the cast node's argument, or, where binding folded the cast into a
// constant, over the literal written.
func (b *binder) noteTypeCast(e Expr, tc *pg_query.TypeCast) {
	switch x := e.(type) {
	case *CastExpr:
		b.noteExplicitCast(e, x.Arg)
	case *Const:
		if a := tc.Arg.GetAArrayExpr(); a != nil && len(a.Elements) == 0 {
			// ARRAY[]::t[], which binding folds into '{}'.
			b.deparse.keywords[e] = "ARRAY[]::" + x.T.String()
		} else if c := tc.Arg.GetAConst(); c != nil {
			// 5::bigint is the cast of an integer, '7'::int a literal
			// read as the type; 5::int no cast at all.
			if arg, err := b.bindConst(c); err == nil && arg.Type().Kind != x.T.Kind {
				b.noteExplicitCast(e, arg)
			}
		}
	}
}

// sqlValueKeyword is how ruleutils.c prints a SQL value function.
func sqlValueKeyword(f *pg_query.SQLValueFunction) string {
	kw := strings.TrimPrefix(f.Op.String(), "SVFOP_")
	if strings.HasSuffix(kw, "_N") {
		return strings.TrimSuffix(kw, "_N") + "(" + itoa(int64(f.Typmod)) + ")"
	}
	return kw
}

// noteKeyword records that e was written as the SQL keyword kw.
func (b *binder) noteKeyword(e Expr, kw string) {
	if b.deparse != nil && e != nil {
		b.deparse.keywords[e] = kw
	}
}

// explicitArg is the expression a written cast yielding e was over.
func (n *deparseNotes) explicitArg(e Expr) (Expr, bool) {
	if n == nil {
		return nil, false
	}
	arg, ok := n.explicit[e]
	return arg, ok
}

func (n *deparseNotes) keywordOf(e Expr) (string, bool) {
	if n == nil {
		return "", false
	}
	kw, ok := n.keywords[e]
	return kw, ok
}

// sublinkNote is a subquery expression as written, with the scope of
// the query level it was bound in.
type sublinkNote struct {
	expr  Expr
	link  *pg_query.SubLink
	scope *scope
}

// noteSubLink records the subquery e was bound from.
func (b *binder) noteSubLink(e Expr, s *pg_query.SubLink, sc *scope) {
	if b.deparse != nil {
		b.deparse.sublinks[e] = &sublinkNote{expr: e, link: s, scope: sc}
	}
}

func (n *deparseNotes) subLinkOf(e Expr) (*sublinkNote, bool) {
	if n == nil {
		return nil, false
	}
	s, ok := n.sublinks[e]
	return s, ok
}

// noteOperator records that e, if a call, was written as the operator
// of a.
func (b *binder) noteOperator(e Expr, a *pg_query.A_Expr) {
	if _, call := e.(*FuncExpr); !call || len(a.Name) == 0 {
		return
	}
	switch a.Kind {
	case pg_query.A_Expr_Kind_AEXPR_OP, pg_query.A_Expr_Kind_AEXPR_LIKE, pg_query.A_Expr_Kind_AEXPR_ILIKE, pg_query.A_Expr_Kind_AEXPR_SIMILAR:
		b.deparse.operators[e] = a.Name[len(a.Name)-1].GetString_().GetSval()
	}
}

func (n *deparseNotes) operatorOf(e Expr) (string, bool) {
	if n == nil {
		return "", false
	}
	op, ok := n.operators[e]
	return op, ok && op != ""
}

// noteBooleanTest records that e was written as the test t.
func (b *binder) noteBooleanTest(e Expr, t *pg_query.BooleanTest) {
	b.deparse.booleanTests[e] = map[pg_query.BoolTestType]string{
		pg_query.BoolTestType_IS_TRUE: " IS TRUE", pg_query.BoolTestType_IS_NOT_TRUE: " IS NOT TRUE",
		pg_query.BoolTestType_IS_FALSE: " IS FALSE", pg_query.BoolTestType_IS_NOT_FALSE: " IS NOT FALSE",
		pg_query.BoolTestType_IS_UNKNOWN: " IS UNKNOWN", pg_query.BoolTestType_IS_NOT_UNKNOWN: " IS NOT UNKNOWN",
	}[t.Booltesttype]
}

func (n *deparseNotes) booleanTestOf(e Expr) (string, bool) {
	if n == nil {
		return "", false
	}
	kw, ok := n.booleanTests[e]
	return kw, ok && kw != ""
}
