package planner

import (
	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
)

// A date compared with a timestamp constant is compared as a date.
//
// date + interval is a timestamp, so TPC-H's l_shipdate < date
// '1996-01-01' + interval '3' month compares l_shipdate::timestamp, the
// date's midnight, with a timestamp constant: a cast per row, and a
// predicate storage cannot prune segments, row groups or pages with. With
// D the constant's day, the comparison is one of the date itself with D:
//
//	d::timestamp <  c   is  d < D  when c is D's midnight, else d <= D
//	d::timestamp <= c   is  d <= D
//	d::timestamp >  c   is  d > D
//	d::timestamp >= c   is  d >= D when c is D's midnight, else d > D
//	d::timestamp =  c   is  d = D  when c is D's midnight
//
// An infinite date casts to the infinite timestamp of its sign, which
// compares with a finite c as the date's extreme representation compares
// with D, and NULL stays NULL; an infinite c is left alone. The cast's
// error for a date past the last timestamp (in the year 294247) is not
// raised by the date comparison.

// dateComparison rewrites b, a comparison of a date cast to timestamp
// with a timestamp constant, as the comparison of the date with a date
// constant; false when b is not one.
func dateComparison(b *BinExpr) (Expr, bool) {
	op, castSide, constSide := b.Op, b.L, b.R
	if _, ok := b.L.(*Const); ok {
		op, castSide, constSide = commuted(b.Op), b.R, b.L
	}
	switch op {
	case exec.OpLt, exec.OpLe, exec.OpGt, exec.OpGe, exec.OpEq:
	default:
		return nil, false
	}
	cast, ok := castSide.(*CastExpr)
	k, kok := constSide.(*Const)
	if !ok || !kok || cast.T.Kind != catalog.Timestamp || cast.Arg.Type().Kind != catalog.Date || k.T.Kind != catalog.Timestamp {
		return nil, false
	}
	us, ok := k.Value.(int64)
	if !ok || us == catalog.TimestampInfinity || us == catalog.TimestampNegInfinity {
		return nil, false
	}
	day, midnight := catalog.TimestampDay(us)
	switch {
	case op == exec.OpLt && !midnight:
		op = exec.OpLe
	case op == exec.OpGe && !midnight:
		op = exec.OpGt
	case op == exec.OpEq && !midnight:
		return nil, false
	}
	d := &Const{Value: int32(day), T: catalog.TypeDate}
	return &BinExpr{Op: op, L: cast.Arg, R: d, T: catalog.TypeBool}, true
}
