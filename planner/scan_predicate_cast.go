package planner

import (
	"cmp"
	"math"

	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/numeric"
	"github.com/pqdb/pqdb/storage"
)

// A comparison of a column with a value of the column's kind but another
// modifier reaches the scan with the column under a cast: PostgreSQL
// resolves char(4) = 'ab' and char(4) IN ('ab', 'cd') over bpchar
// without a length, numeric(30,2) = 1.5 over unconstrained numeric and
// real = 1.5 over double precision, and so does pqdb's binder (its
// unconstrained numeric of a constant is a decimal of the constant's
// scale, or var-scale). Each of
// those casts keeps the order and equality of the column's values, so
// the comparison is one of the column's own values with the value mapped
// back into the column's representation (castKeyValue); a value that
// falls between two of the column's values maps to the neighbour that
// keeps the comparison's rows, and an equality with such a value, which
// no row satisfies, gives no predicate.

// keyCast reports whether castKeyValue maps values of a cast from
// type from to type to.
func keyCast(from, to catalog.Type) bool {
	switch {
	case from.Kind == catalog.Bpchar && to.Kind == catalog.Bpchar:
		// A cast to a shorter char(n) truncates; to bpchar or a longer
		// one it only pads, which comparisons ignore.
		return to.Typmod < 0 || from.Typmod >= 0 && to.Typmod >= from.Typmod
	case from.Kind == catalog.Numeric && to.Kind == catalog.Numeric && to.Typmod < 0:
		// To unconstrained numeric, var-scale or a decimal of at least
		// the column's scale: the column's values unrounded.
		return to.IsVarNumeric() || !from.IsVarNumeric() && to.Scale >= from.Scale
	case from.Kind == catalog.Float4 && to.Kind == catalog.Float8:
		return true
	}
	return false
}

// castKeyValue maps "col::to op v" (col of type from, v of type to) to
// "col op' v'", v' of type from; false when it cannot.
func castKeyValue(from, to catalog.Type, op storage.CompareOp, v catalog.Datum) (storage.CompareOp, catalog.Datum, bool) {
	if !keyCast(from, to) {
		return 0, nil, false
	}
	if d, ok := v.(decimal128.Num); ok {
		// A decimal of the cast's scale: its numeric value.
		n, err := numeric.FromDecimal128(nil, d.HighBits(), d.LowBits(), to.Scale)
		if err != nil {
			return 0, nil, false
		}
		v = n
	}
	switch v := v.(type) {
	case string: // bpchar
		return op, v, true
	case []byte: // numeric
		if from.IsVarNumeric() {
			return op, v, true
		}
		hi, lo, err := numeric.ToDecimal128(v, 0, from.Scale)
		if err != nil {
			return 0, nil, false
		}
		back, err := numeric.FromDecimal128(nil, hi, lo, from.Scale)
		if err != nil {
			return 0, nil, false
		}
		op, ok := roundedBound(op, numeric.Compare(back, v))
		return op, decimal128.New(hi, lo), ok
	case float64: // double precision to real
		r := float32(v)
		if math.IsNaN(v) {
			return op, r, true
		}
		// float32(v) rounds to nearest (to an infinity beyond the
		// largest float4): r is v's neighbour on one side.
		op, ok := roundedBound(op, cmp.Compare(float64(r), v))
		return op, r, ok
	}
	return 0, nil, false
}

// roundedBound is the comparison with r, a value of the column's type
// next to v with no column value between them, that holds for the same
// column values as op with v; c compares r with v. An equality with a v
// no column value equals has none.
func roundedBound(op storage.CompareOp, c int) (storage.CompareOp, bool) {
	if c == 0 {
		return op, true
	}
	switch op {
	case storage.Lt, storage.Le:
		if c > 0 {
			return storage.Lt, true // col < v ⟺ col < r, r just above v
		}
		return storage.Le, true // col < v ⟺ col ≤ r, r just below v
	case storage.Gt, storage.Ge:
		if c > 0 {
			return storage.Ge, true
		}
		return storage.Gt, true
	}
	return op, false
}
