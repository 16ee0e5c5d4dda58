package planner

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// Row-value comparisons, (a, b) op (c, d), are bound as PostgreSQL
// defines them, element by element from the left:
//
//	(a, b) = (c, d)    a = c AND b = d
//	(a, b) <> (c, d)   a <> c OR b <> d
//	(a, b) < (c, d)    a < c OR (a = c AND b < d)      (<=, >, >= alike,
//	                                                    the last pair <=/>=)
//	(a, b) IS DISTINCT FROM (c, d)   a IS DISTINCT FROM c OR b IS ...
//	(a, b) IN ((1, 2), (3, 4))       (a, b) = (1, 2) OR (a, b) = (3, 4)
//	(a, b) IS NULL                   a IS NULL AND b IS NULL
//
// Three-valued logic makes the expansions exact: the comparison stops at
// the first pair that is unequal or NULL, and a NULL pair there makes the
// result NULL, just as NULL AND/OR do here. An element is evaluated more
// than once in the ordering forms, so a volatile element (random()) is
// refused rather than silently run twice.

// rowOperands returns the elements of a row constructor, (a, b) or
// ROW(a), or nil when n is not one.
func rowOperands(n *pg_query.Node) []*pg_query.Node {
	if n == nil {
		return nil
	}
	if r := n.GetRowExpr(); r != nil {
		if r.Args == nil {
			return []*pg_query.Node{}
		}
		return r.Args
	}
	return nil
}

func isRow(n *pg_query.Node) bool { return n != nil && n.GetRowExpr() != nil }

// rowConstructorPair tells an operator between two row constructors,
// expanded element by element, from one between record values (a row
// constructor beside a record-valued expression), which compares records
// (bind_record.go). A row constructor beside a subquery is the former,
// and refused.
func rowConstructorPair(l, r *pg_query.Node) bool {
	if isRow(l) && isRow(r) {
		return true
	}
	return isRow(l) && r.GetSubLink() != nil || isRow(r) && l.GetSubLink() != nil
}

// bindRowPairs binds the elements of two rows, which must have as many.
func (b *binder) bindRowPairs(l, r *pg_query.Node, sc *scope, ctx exprContext, loc int32) ([]Expr, []Expr, error) {
	if !isRow(l) || !isRow(r) {
		other := l
		if isRow(l) {
			other = r
		}
		if other.GetSubLink() != nil {
			return nil, nil, b.errAt(pgerr.FeatureNotSupported, loc, "comparing a row constructor with a subquery is not supported")
		}
		// bindAExpr sends a row constructor beside any other value to
		// the record comparisons.
		return nil, nil, b.errAt(pgerr.FeatureNotSupported, loc, "comparing a row constructor with a value that is not a row constructor is not supported")
	}
	// t.* in a row constructor is t's columns (bindRowArgs).
	ls, err := b.bindRowArgs(rowOperands(l), sc, ctx)
	if err != nil {
		return nil, nil, err
	}
	rs, err := b.bindRowArgs(rowOperands(r), sc, ctx)
	if err != nil {
		return nil, nil, err
	}
	if len(ls) != len(rs) {
		return nil, nil, b.errAt(pgerr.SyntaxError, loc, "unequal number of entries in row expressions")
	}
	if len(ls) == 0 {
		return nil, nil, b.errAt(pgerr.FeatureNotSupported, loc, "cannot compare rows of zero length")
	}
	return ls, rs, nil
}

// bindRowComparison binds l op r over two row constructors.
func (b *binder) bindRowComparison(op string, l, r *pg_query.Node, sc *scope, ctx exprContext, loc int32) (Expr, error) {
	ls, rs, err := b.bindRowPairs(l, r, sc, ctx, loc)
	if err != nil {
		return nil, err
	}
	return b.rowComparison(op, ls, rs, loc)
}

func (b *binder) rowComparison(op string, ls, rs []Expr, loc int32) (Expr, error) {
	if _, ok := comparisonOps[op]; !ok {
		// As PostgreSQL: the operator of the first pair decides the
		// error.
		e, err := b.operator(op, ls[0], rs[0], loc)
		if err != nil {
			return nil, err
		}
		if t := e.Type(); t.Kind != catalog.Bool {
			return nil, b.errAt(pgerr.DatatypeMismatch, loc, "row comparison operator must yield type boolean, not type %s", t)
		}
		return nil, b.errAt(pgerr.FeatureNotSupported, loc, "could not determine interpretation of row comparison operator %s", op)
	}
	if op == "!=" {
		op = "<>"
	}
	pairs := make([]Expr, len(ls))
	for i := range ls {
		c, err := b.comparison(op, ls[i], rs[i], loc)
		if err != nil {
			return nil, err
		}
		pairs[i] = c
	}
	switch op {
	case "=":
		return makeAnd(pairs), nil
	case "<>":
		return makeOr(pairs), nil
	}
	for _, e := range append(append([]Expr(nil), ls...), rs...) {
		if hasVolatile(e) {
			return nil, b.errAt(pgerr.FeatureNotSupported, loc, "a row comparison with %s over a volatile expression is not supported", op)
		}
	}
	// a op' c OR (a = c AND (b op' d OR (b = d AND ...))), where op' is
	// the strict form of op except on the last pair.
	strict := map[string]string{"<": "<", "<=": "<", ">": ">", ">=": ">"}[op]
	last := len(ls) - 1
	result := pairs[last]
	for i := last - 1; i >= 0; i-- {
		less, err := b.comparison(strict, ls[i], rs[i], loc)
		if err != nil {
			return nil, err
		}
		eq, err := b.comparison("=", ls[i], rs[i], loc)
		if err != nil {
			return nil, err
		}
		result = makeOr([]Expr{less, makeAnd([]Expr{eq, result})})
	}
	return result, nil
}

// bindRowDistinct binds (a, b) IS [NOT] DISTINCT FROM (c, d).
func (b *binder) bindRowDistinct(a *pg_query.A_Expr, sc *scope, ctx exprContext) (Expr, error) {
	ls, rs, err := b.bindRowPairs(a.Lexpr, a.Rexpr, sc, ctx, a.Location)
	if err != nil {
		return nil, err
	}
	not := a.Kind == pg_query.A_Expr_Kind_AEXPR_NOT_DISTINCT
	pairs := make([]Expr, len(ls))
	for i := range ls {
		l, r, err := b.unify(ls[i], rs[i], "=", a.Location)
		if err != nil {
			return nil, err
		}
		pairs[i] = &DistinctFrom{L: l, R: r, Not: not}
	}
	if not {
		return makeAnd(pairs), nil
	}
	return makeOr(pairs), nil
}

// bindRowIn binds (a, b) [NOT] IN ((1, 2), ...): the row compared with =
// (or <>) with each row of the list, ORed (or ANDed).
func (b *binder) bindRowIn(a *pg_query.A_Expr, opName string, sc *scope, ctx exprContext) (Expr, error) {
	items := a.Rexpr.GetList().GetItems()
	terms := make([]Expr, len(items))
	for i, it := range items {
		e, err := b.bindRowComparison(opName, a.Lexpr, it, sc, ctx, a.Location)
		if err != nil {
			return nil, err
		}
		terms[i] = e
	}
	if opName == "<>" {
		return makeAnd(terms), nil
	}
	return makeOr(terms), nil
}

// bindRowNullTest binds (a, b) IS [NOT] NULL: every element NULL (or
// every element not NULL), as PostgreSQL defines it for rows.
func (b *binder) bindRowNullTest(n *pg_query.NullTest, sc *scope, ctx exprContext) (Expr, error) {
	elems, err := b.bindRowArgs(rowOperands(n.Arg), sc, ctx)
	if err != nil {
		return nil, err
	}
	tests := make([]Expr, len(elems))
	for i, e := range elems {
		// A field that is a record is tested as a value, not by its
		// own fields.
		tests[i] = &NullTest{Arg: b.resolveUnknown(e), Not: n.Nulltesttype == pg_query.NullTestType_IS_NOT_NULL, Datum: true}
	}
	if len(tests) == 0 {
		return &Const{Value: n.Nulltesttype == pg_query.NullTestType_IS_NULL, T: catalog.TypeBool}, nil
	}
	return makeAnd(tests), nil
}

// makeOr joins disjuncts.
func makeOr(es []Expr) Expr {
	if len(es) == 1 {
		return es[0]
	}
	return &BoolExpr{Args: es}
}
