package exec

import (
	"bytes"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// Comparisons work on two operands of the same type (the planner casts)
// and return NULL when either side is NULL. Orders are PostgreSQL's:
// strings compare byte-wise (the C collation), char(n) ignores trailing
// spaces, floats put NaN above every other value and treat NaN = NaN,
// intervals compare by their length with a month worth 30 days.

func newCompare(op BinaryOp, l, r Expr) (Expr, error) {
	lt, rt := l.Type(), r.Type()
	k, err := compareKernel(op, lt, rt)
	if err != nil {
		return nil, err
	}
	if e := newConstCompare(op, l, r, k); e != nil {
		return e, nil // it also selects rows in filters (filter_select.go)
	}
	return &binaryExpr{l: l, r: r, t: catalog.TypeBool, kernel: k}, nil
}

func compareKernel(op BinaryOp, lt, rt catalog.Type) (binaryKernel, error) {
	if lt.HasEnum() || rt.HasEnum() {
		return enumEqualityKernel(op, lt, rt)
	}
	if lt.Kind == catalog.Record || rt.Kind == catalog.Record {
		if lt.Kind != rt.Kind {
			return nil, errOperatorDoesNotExist(op.String(), lt, rt)
		}
		if err := CheckRecordsComparable(lt, rt); err != nil {
			return nil, err
		}
		return recordCompare(op, lt, rt), nil
	}
	if lt.Kind == catalog.Array || rt.Kind == catalog.Array {
		if lt != rt {
			return nil, errOperatorDoesNotExist(op.String(), lt, rt)
		}
		return arrayCompare(op, lt), nil
	}
	if lt.Kind == catalog.Numeric && rt.Kind == catalog.Numeric && (lt.IsVarNumeric() || rt.IsVarNumeric()) {
		return varNumericCompare(op, lt, rt), nil
	}
	if isJSONKind(lt.Kind) || isJSONKind(rt.Kind) {
		// jsonb compares as jsonb (jsonb_order.go); json has no comparisons.
		if lt.Kind != catalog.JSONB || rt.Kind != catalog.JSONB {
			return nil, errOperatorDoesNotExist(op.String(), lt, rt)
		}
		return jsonbCompare(op), nil
	}
	if physicalOf(lt) == physVarlen && physicalOf(rt) == physVarlen &&
		lt.Kind != catalog.Numeric && rt.Kind != catalog.Numeric &&
		(lt.Kind == catalog.Bytea) == (rt.Kind == catalog.Bytea) {
		return varlenCompare(op, lt.Kind == catalog.Bpchar, rt.Kind == catalog.Bpchar), nil
	}
	if k, ok, err := xidCompareKernel(op, lt, rt); ok {
		return k, err
	}
	same := lt.Kind == rt.Kind ||
		(isTimestampKind(lt.Kind) && isTimestampKind(rt.Kind))
	if !same {
		return nil, errOperatorDoesNotExist(op.String(), lt, rt)
	}
	switch lt.Kind {
	case catalog.Bool:
		return boolCompare(op), nil
	case catalog.Int2:
		return orderedCompare[int16](op), nil
	case catalog.Int4, catalog.Date:
		return orderedCompare[int32](op), nil
	case catalog.Int8, catalog.Time, catalog.Timestamp, catalog.TimestampTZ, catalog.Xid8, catalog.Tid, catalog.PgLsn:
		return orderedCompare[int64](op), nil
	case catalog.Oid, catalog.RegProc, catalog.RegProcedure, catalog.RegClass, catalog.RegType, catalog.RegNamespace, catalog.RegRole, catalog.RegOper, catalog.RegOperator, catalog.RegConfig, catalog.RegDictionary, catalog.RegCollation, catalog.Xid, catalog.Cid:
		return orderedCompare[uint32](op), nil
	case catalog.Float4:
		return cmpCompare(op, floatCmp[float32]), nil
	case catalog.Float8:
		return cmpCompare(op, floatCmp[float64]), nil
	case catalog.Numeric:
		if lt.Scale == rt.Scale {
			return decimalCompare(op), nil
		}
		s1, s2 := lt.Scale, rt.Scale
		return cmpCompare(op, func(a, b decimal128.Num) int { return decCmpScaled(a, s1, b, s2) }), nil
	case catalog.Interval:
		return cmpCompare(op, intervalCmp), nil
	case catalog.UUID:
		return cmpCompare(op, func(a, b [16]byte) int { return bytes.Compare(a[:], b[:]) }), nil
	}
	return nil, errOperatorDoesNotExist(op.String(), lt, rt)
}

// opHolds maps a three-way comparison result to the truth of op.
func opHolds(op BinaryOp, c int) bool {
	switch op {
	case OpEq:
		return c == 0
	case OpNe:
		return c != 0
	case OpLt:
		return c < 0
	case OpLe:
		return c <= 0
	case OpGt:
		return c > 0
	}
	return c >= 0
}

type orderedNum interface {
	~int16 | ~int32 | ~int64 | ~uint32
}

func orderedCompare[T orderedNum](op BinaryOp) binaryKernel {
	return func(mem memory.Allocator, xa, ya arrow.Array, b *Batch) (arrow.Array, error) {
		x, y := fixedValues[T](xa), fixedValues[T](ya)
		out := newBoolBuilder(mem, b.Len)
		out.nullMask = combineNulls(mem, b.Len, xa, ya)
		bits := out.vals.bits
		rows := rowsOf(b)
		// The NULL rows compute garbage that the validity bitmap hides.
		switch op {
		case OpEq:
			for _, i := range rows {
				if x[i] == y[i] {
					bits[i>>3] |= 1 << (i & 7)
				}
			}
		case OpNe:
			for _, i := range rows {
				if x[i] != y[i] {
					bits[i>>3] |= 1 << (i & 7)
				}
			}
		case OpLt:
			for _, i := range rows {
				if x[i] < y[i] {
					bits[i>>3] |= 1 << (i & 7)
				}
			}
		case OpLe:
			for _, i := range rows {
				if x[i] <= y[i] {
					bits[i>>3] |= 1 << (i & 7)
				}
			}
		case OpGt:
			for _, i := range rows {
				if x[i] > y[i] {
					bits[i>>3] |= 1 << (i & 7)
				}
			}
		case OpGe:
			for _, i := range rows {
				if x[i] >= y[i] {
					bits[i>>3] |= 1 << (i & 7)
				}
			}
		}
		return out.finish(), nil
	}
}

func cmpCompare[T fixedWidth](op BinaryOp, cmp func(a, b T) int) binaryKernel {
	return func(mem memory.Allocator, xa, ya arrow.Array, b *Batch) (arrow.Array, error) {
		x, y := fixedValues[T](xa), fixedValues[T](ya)
		out := newBoolBuilder(mem, b.Len)
		out.nullMask = combineNulls(mem, b.Len, xa, ya)
		for _, i := range rowsOf(b) {
			if out.isNull(int(i)) {
				continue
			}
			out.set(int(i), opHolds(op, cmp(x[i], y[i])))
		}
		return out.finish(), nil
	}
}

// decimalCompare compares numerics of one scale, as int64s when both
// fit (nearly always), else in 128 bits.
func decimalCompare(op BinaryOp) binaryKernel {
	return func(mem memory.Allocator, xa, ya arrow.Array, b *Batch) (arrow.Array, error) {
		x, y := fixedValues[decimal128.Num](xa), fixedValues[decimal128.Num](ya)
		out := newBoolBuilder(mem, b.Len)
		out.nullMask = combineNulls(mem, b.Len, xa, ya)
		nulls := out.bm.buf != nil
		for _, i := range rowsOf(b) {
			if nulls && out.isNull(int(i)) {
				continue
			}
			p, q := int64(x[i].LowBits()), int64(y[i].LowBits())
			var c int
			switch {
			case x[i].HighBits() != p>>63 || y[i].HighBits() != q>>63:
				c = x[i].Cmp(y[i])
			case p < q:
				c = -1
			case p > q:
				c = 1
			}
			out.set(int(i), opHolds(op, c))
		}
		return out.finish(), nil
	}
}

func boolCompare(op BinaryOp) binaryKernel {
	return func(mem memory.Allocator, xa, ya arrow.Array, b *Batch) (arrow.Array, error) {
		x, y := boolViewOf(xa), boolViewOf(ya)
		out := newBoolBuilder(mem, b.Len)
		out.nullMask = combineNulls(mem, b.Len, xa, ya)
		for _, i := range rowsOf(b) {
			c := boolToInt(x.value(int(i))) - boolToInt(y.value(int(i)))
			out.set(int(i), opHolds(op, c))
		}
		return out.finish(), nil
	}
}

func boolToInt(v bool) int {
	if v {
		return 1
	}
	return 0
}

func varlenCompare(op BinaryOp, lPad, rPad bool) binaryKernel {
	return func(mem memory.Allocator, xa, ya arrow.Array, b *Batch) (arrow.Array, error) {
		x, y := varlenViewOf(xa), varlenViewOf(ya)
		out := newBoolBuilder(mem, b.Len)
		out.nullMask = combineNulls(mem, b.Len, xa, ya)
		for _, i := range rowsOf(b) {
			if out.isNull(int(i)) {
				continue
			}
			p, q := x.bytes(int(i)), y.bytes(int(i))
			if lPad {
				p = trimTrailingSpaces(p)
			}
			if rPad {
				q = trimTrailingSpaces(q)
			}
			var holds bool
			switch op {
			case OpEq:
				holds = string(p) == string(q)
			case OpNe:
				holds = string(p) != string(q)
			default:
				holds = opHolds(op, bytes.Compare(p, q))
			}
			out.set(int(i), holds)
		}
		return out.finish(), nil
	}
}

func trimTrailingSpaces(p []byte) []byte {
	n := len(p)
	for n > 0 && p[n-1] == ' ' {
		n--
	}
	return p[:n]
}

// floatCmp orders floats as PostgreSQL does: NaN equals NaN and is greater
// than everything else, -0 equals 0.
func floatCmp[T float32 | float64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	case a == b:
		return 0
	}
	an, bn := a != a, b != b
	switch {
	case an && bn:
		return 0
	case an:
		return 1
	}
	return -1
}

func intervalCmp(a, b arrow.MonthDayNanoInterval) int {
	da, ua := catalog.IntervalSpan(a)
	db, ub := catalog.IntervalSpan(b)
	switch {
	case da < db:
		return -1
	case da > db:
		return 1
	case ua < ub:
		return -1
	case ua > ub:
		return 1
	}
	return 0
}

// decCmpScaled compares numerics of different scales.
func decCmpScaled(a decimal128.Num, sa int32, b decimal128.Num, sb int32) int {
	if sa < sb {
		if v, ok := decScaleUp(a, sb-sa); ok {
			return v.Cmp(b)
		}
		return a.Sign()
	}
	if v, ok := decScaleUp(b, sa-sb); ok {
		return a.Cmp(v)
	}
	return -b.Sign()
}
