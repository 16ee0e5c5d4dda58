package planner

import (
	"time"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
)

// A numeric(p,s) column compared with a numeric constant is compared in
// its own type.
//
// A constant computed from an expression (TPC-H Q6's l_discount BETWEEN
// .06 - 0.01 AND .06 + 0.01, or the integer 24 compared with l_quantity)
// is numeric without a typmod, so the binder compares the column cast to
// numeric: a cast of each value before the comparison (to the
// variable-length form, or to a fixed scale pqdb picks for the
// expression), and storage cannot prune by it. Numeric comparison is by
// value, whatever the typmod, so when the constant converts to the
// column's type without rounding (0.05 to numeric(15,2) is 0.05; 0.055
// would be 0.06, and is left alone), comparing the column with the
// converted constant is the same comparison.

// numericComparison rewrites b, a comparison of a numeric(p,s) value cast
// to numeric with a numeric constant, as the comparison of the value with
// the constant in its own type; false when b is not one, or the constant
// does not fit that type exactly.
func numericComparison(b *BinExpr, loc *time.Location) (Expr, bool) {
	switch b.Op {
	case exec.OpEq, exec.OpNe, exec.OpLt, exec.OpLe, exec.OpGt, exec.OpGe:
	default:
		return nil, false
	}
	castSide, constSide, castLeft := b.L, b.R, true
	if _, ok := b.L.(*Const); ok {
		castSide, constSide, castLeft = b.R, b.L, false
	}
	cast, ok := castSide.(*CastExpr)
	k, kok := constSide.(*Const)
	if !ok || !kok || k.Value == nil || cast.T.Kind != catalog.Numeric || k.T.Kind != catalog.Numeric {
		return nil, false
	}
	// The cast must keep every value: to numeric without a typmod, in the
	// variable form or in a fixed scale no smaller than the column's.
	from := cast.Arg.Type()
	if from.Kind != catalog.Numeric || from.IsVarNumeric() || cast.T.Typmod >= 0 || k.T != cast.T ||
		!cast.T.IsVarNumeric() && cast.T.Scale < from.Scale {
		return nil, false
	}
	v, foldable, err := evalConst(&CastExpr{Arg: k, T: from}, loc)
	if !foldable || err != nil || v == nil {
		return nil, false
	}
	narrowed := &Const{Value: v, T: from}
	same, foldable, err := evalConst(&BinExpr{Op: exec.OpEq, L: &CastExpr{Arg: narrowed, T: k.T}, R: k, T: catalog.TypeBool}, loc)
	if !foldable || err != nil || same != true {
		return nil, false
	}
	if castLeft {
		return &BinExpr{Op: b.Op, L: cast.Arg, R: narrowed, T: b.T}, true
	}
	return &BinExpr{Op: b.Op, L: narrowed, R: cast.Arg, T: b.T}, true
}
