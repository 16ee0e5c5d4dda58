package planner

import "github.com/pqdb/pqdb/catalog"

// xidIntComparison binds xid = integer and xid <> integer, PostgreSQL's
// xideqint4 and xidneqint4: the only cross-type operators of xid, which
// has no cast from integer to reach xid = xid by (an int2 reaches int4
// by its implicit cast). ok is false for any other operands.
func (b *binder) xidIntComparison(op string, l, r Expr, loc int32) (Expr, bool, error) {
	rk := r.Type().Kind
	if l.Type().Kind != catalog.Xid || rk != catalog.Int4 && rk != catalog.Int2 {
		return nil, false, nil
	}
	r, err := b.coerce(r, catalog.TypeInt4, loc)
	if err != nil {
		return nil, true, err
	}
	if err := b.checkComparison(op, l.Type(), r.Type(), loc); err != nil {
		return nil, true, err
	}
	return &BinExpr{Op: comparisonOps[op], L: l, R: r, T: catalog.TypeBool}, true, nil
}
