package exec

import (
	"math"
	"strconv"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// Cast converts e to type to with PostgreSQL's explicit-cast rules:
//
//   - integers narrow with a range check (22003); float → integer rounds
//     to nearest, ties to even (rint); numeric → integer rounds half away
//     from zero; numeric → numeric(p,s) rounds half away from zero and
//     checks the precision (22003 "numeric field overflow").
//   - anything → text prints the type's output form and text → anything
//     reads its input form, with catalog's I/O functions (cast_text.go).
//   - varchar(n) truncates to n characters; char(n) pads with spaces or
//     truncates; char → text drops trailing spaces.
//   - int4 ↔ bool; date ↔ timestamp ↔ timestamptz, timestamp(tz) → date
//     and time (cast_datetime.go): timestamptz meets the others, and
//     text, in the session's zone.
//   - time(p), timestamp(p) and intervals with fields or a precision
//     round and cut as their modifiers say (datetime_typmod.go).
//
// Pairs without a cast are 42846 (cannot cast type).
func Cast(e Expr, to catalog.Type) (Expr, error) {
	if e.Type() == to {
		return e, nil
	}
	if hasDatetimeTypmod(to) {
		return castToDatetimeTypmod(e, to)
	}
	return castExpr(e, to)
}

// castExpr is the cast of e to to, a modifier of to aside: a kernel of
// the pair of types, made for the session's zone where the cast reads it
// (castReadsZone).
func castExpr(e Expr, to catalog.Type) (Expr, error) {
	from := e.Type()
	k, err := castKernel(from, to, time.UTC)
	if err != nil {
		return nil, err
	}
	if castReadsZone(from, to) {
		return &zonedExpr{args: []Expr{e}, t: to, kernelFor: func(loc *time.Location) (funcKernel, error) {
			k, err := castKernel(from, to, loc)
			if err != nil {
				return nil, err
			}
			return func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
				if k == nil {
					// timestamp and timestamptz in UTC: the values
					// stay, but not their Arrow type, which tells
					// the zone.
					return relabel(a[0], to), nil
				}
				return k(mem, a[0], b)
			}, nil
		}}, nil
	}
	if k == nil {
		return &retypedExpr{Expr: e, t: to}, nil
	}
	return &unaryExpr{arg: e, t: to, kernel: k}, nil
}

// castReadsZone reports whether a cast depends on the session's TimeZone:
// between timestamptz and the types without a zone, timestamptz to text,
// and text to date, timestamp or timestamptz (whose input reads 'now',
// 'today' and times without a zone in it), also element by element.
func castReadsZone(from, to catalog.Type) bool {
	if from.Kind == catalog.Record && to.Kind == catalog.Record {
		ff, tf := from.Fields(), to.Fields()
		for j := range ff {
			if j < len(tf) && castReadsZone(ff[j].Type, tf[j].Type) {
				return true
			}
		}
		return false
	}
	if from.Kind == catalog.Record {
		return to.IsString() && recordPrintsZone(from)
	}
	if from.Kind == catalog.Array && to.Kind == catalog.Array {
		return castReadsZone(from.ElemType(), to.ElemType())
	}
	elem := func(t catalog.Type) catalog.Kind {
		if t.Kind == catalog.Array {
			return t.ElemType().Kind
		}
		return t.Kind
	}
	fk, tk := elem(from), elem(to)
	switch {
	case from.IsString() || fk == catalog.Unknown:
		return tk == catalog.Date || tk == catalog.Timestamp || tk == catalog.TimestampTZ
	case to.IsString():
		return fk == catalog.TimestampTZ
	case fk == catalog.TimestampTZ:
		return tk == catalog.Date || tk == catalog.Timestamp || tk == catalog.Time
	case tk == catalog.TimestampTZ:
		return fk == catalog.Date || fk == catalog.Timestamp
	}
	return false
}

// CastAssign converts e to type to as an assignment (INSERT, UPDATE, COPY)
// does: like Cast, except that a string too long for varchar(n) or
// char(n) is an error (22001) unless only spaces would be cut.
func CastAssign(e Expr, to catalog.Type) (Expr, error) {
	if to.Length() < 0 || !(to.Kind == catalog.Varchar || to.Kind == catalog.Bpchar) {
		return Cast(e, to)
	}
	from := e.Type()
	if from == to {
		return e, nil
	}
	inner := e
	if !from.IsString() {
		var err error
		if inner, err = Cast(e, catalog.TypeText); err != nil {
			return nil, err
		}
	}
	trim := inner.Type().Kind == catalog.Bpchar && to.Kind != catalog.Bpchar
	return &unaryExpr{arg: inner, t: to, kernel: func(mem memory.Allocator, xa arrow.Array, b *Batch) (arrow.Array, error) {
		x := varlenViewOf(xa)
		n := int(to.Length())
		return mapToVarlen(mem, to, xa, b, func(dst []byte, i int) ([]byte, error) {
			p := x.bytes(i)
			if trim {
				p = trimTrailingSpaces(p)
			}
			cut := charOffset(p, n)
			for _, c := range p[cut:] {
				if c != ' ' {
					return nil, pgerr.New(pgerr.StringDataRightTruncation, "value too long for type %s", to)
				}
			}
			return fitLength(append(dst, p[:cut]...), to), nil
		})
	}}, nil
}

// retypedExpr relabels a column whose physical form does not change
// (varchar → text, numeric typmod only widening).
type retypedExpr struct {
	Expr
	t catalog.Type
}

func (r *retypedExpr) Type() catalog.Type { return r.t }

func errCannotCast(from, to catalog.Type) error {
	return pgerr.New(pgerr.CannotCoerce, "cannot cast type %s to %s", from, to)
}

// castKernel is the kernel of a cast from from to to in zone loc (see
// castReadsZone); nil means the values stay as they are.
func castKernel(from, to catalog.Type, loc *time.Location) (unaryKernel, error) {
	if k, ok, err := jsonCastKernel(from, to); ok {
		return k, err
	}
	if from.HasEnum() || to.HasEnum() {
		return enumCastKernel(from, to)
	}
	fk, tk := from.Kind, to.Kind
	if fk == catalog.Record || tk == catalog.Record {
		// A record prints as record_out does; nothing else converts
		// to or from one (reading an anonymous record's text is
		// refused by its input function).
		switch {
		case fk == catalog.Record && to.IsString():
			return toTextKernel(from, to, loc)
		case fk == catalog.Record && tk == catalog.Record:
			return recordCast(from, to, loc)
		}
		return nil, errCannotCast(from, to)
	}
	if fk == catalog.Array && tk == catalog.Array {
		return arrayCast(from, to, loc)
	}
	if tk == catalog.Array && !(from.IsString() || fk == catalog.Unknown) || fk == catalog.Array && !to.IsString() {
		return nil, errCannotCast(from, to)
	}
	switch {
	case to.IsString() || tk == catalog.JSON || tk == catalog.JSONB:
		if from.IsString() || fk == catalog.Unknown || fk == catalog.JSON || fk == catalog.JSONB {
			// No length to fit and no trailing blanks to strip (char(n)
			// to char keeps them): the values stay as they are.
			if to.Length() < 0 && (fk != catalog.Bpchar || tk == catalog.Bpchar) {
				return nil, nil
			}
			return stringToString(from, to), nil
		}
		return toTextKernel(from, to, loc)
	case from.IsString() || fk == catalog.Unknown || fk == catalog.JSON || fk == catalog.JSONB:
		return fromTextKernel(from, to, loc)
	}
	switch {
	case from.IsNumeric() && to.IsNumeric():
		return numericCast(from, to)
	case fk == catalog.Int4 && tk == catalog.Bool:
		return mapFixedToBool(func(v int32) bool { return v != 0 }), nil
	case fk == catalog.Bool && tk == catalog.Int4:
		return boolToInt4, nil
	case fk == catalog.Date && isTimestampKind(tk):
		return dateToTimestamp(tk, loc), nil
	case isTimestampKind(fk) && isTimestampKind(tk):
		if fk == tk {
			return nil, nil // a modifier only
		}
		return timestampToTimestamp(fk, loc), nil
	case isTimestampKind(fk) && (tk == catalog.Date || tk == catalog.Time):
		return timestampToDateOrTime(fk, tk, loc), nil
	case fk == catalog.Time && tk == catalog.Interval:
		return mapFixed(from, to, func(us int64) (arrow.MonthDayNanoInterval, error) {
			return arrow.MonthDayNanoInterval{Nanoseconds: us * 1000}, nil
		}), nil
	case fk == tk && (fk == catalog.Interval || fk == catalog.Time):
		return nil, nil // a modifier only
	case fk == catalog.Xid8 && tk == catalog.Xid:
		// xid8 → xid keeps the low 32 bits, which the held form's
		// flipped top bit leaves alone (catalog.OrderedUint64).
		return mapFixed(from, to, func(v int64) (uint32, error) { return uint32(v), nil }), nil
	case catalog.IsOIDKind(fk) && catalog.IsOIDKind(tk):
		// oid and its reg* aliases are one uint32: a relabelling.
		return nil, nil
	case catalog.IsOIDKind(fk) && tk == catalog.Int8:
		return mapFixed(from, to, func(v uint32) (int64, error) { return int64(v), nil }), nil
	case catalog.IsOIDKind(fk) && tk == catalog.Int4:
		return mapFixed(from, to, func(v uint32) (int32, error) { return int32(v), nil }), nil
	case (fk == catalog.Int2 || fk == catalog.Int4 || fk == catalog.Int8) && catalog.IsOIDKind(tk):
		return intToOid(from, to), nil
	}
	return nil, errCannotCast(from, to)
}

func intToOid(from, to catalog.Type) unaryKernel {
	errRange := pgerr.New(pgerr.NumericValueOutOfRange, "OID out of range")
	switch from.Kind {
	case catalog.Int2:
		return mapFixed(from, to, func(v int16) (uint32, error) { return uint32(int32(v)), nil })
	case catalog.Int4:
		return mapFixed(from, to, func(v int32) (uint32, error) { return uint32(v), nil })
	}
	return mapFixed(from, to, func(v int64) (uint32, error) {
		if v < math.MinInt32 || v > math.MaxUint32 {
			return 0, errRange
		}
		return uint32(v), nil
	})
}

func mapFixedToBool[A fixedWidth](f func(A) bool) unaryKernel {
	return func(mem memory.Allocator, xa arrow.Array, b *Batch) (arrow.Array, error) {
		x := fixedValues[A](xa)
		out := newBoolBuilder(mem, b.Len)
		out.nullMask = combineNulls(mem, b.Len, xa)
		for _, i := range rowsOf(b) {
			out.set(int(i), f(x[i]))
		}
		return out.finish(), nil
	}
}

func boolToInt4(mem memory.Allocator, xa arrow.Array, b *Batch) (arrow.Array, error) {
	v := boolViewOf(xa)
	out := newFixedBuilder[int32](mem, b.Len)
	out.nullMask = combineNulls(mem, b.Len, xa)
	for _, i := range rowsOf(b) {
		if v.value(int(i)) {
			out.vals[i] = 1
		}
	}
	return out.finish(catalog.TypeInt4), nil
}

// ---- numbers ----

func intRange(k catalog.Kind) (int64, int64) {
	switch k {
	case catalog.Int2:
		return math.MinInt16, math.MaxInt16
	case catalog.Int4:
		return math.MinInt32, math.MaxInt32
	}
	return math.MinInt64, math.MaxInt64
}

func numericCast(from, to catalog.Type) (unaryKernel, error) {
	if from.IsVarNumeric() && to.IsVarNumeric() && (to.Precision() < 0 || to.Typmod == from.Typmod) {
		// No modifier to apply, or the values already obey it.
		return nil, nil
	}
	if from.IsVarNumeric() || to.IsVarNumeric() {
		return varNumericCast(from, to), nil
	}
	switch from.Kind {
	case catalog.Int2:
		return numFrom[int16](from, to, func(v int16) int64 { return int64(v) }), nil
	case catalog.Int4:
		return numFrom[int32](from, to, func(v int32) int64 { return int64(v) }), nil
	case catalog.Int8:
		return numFrom[int64](from, to, func(v int64) int64 { return v }), nil
	case catalog.Float4:
		return floatFrom[float32](from, to), nil
	case catalog.Float8:
		return floatFrom[float64](from, to), nil
	}
	if from.Scale == to.Scale && to.Kind == catalog.Numeric {
		if p := to.Precision(); p < 0 || (from.Precision() >= 0 && from.Precision() <= p) {
			// Same scale, no tighter precision: the values stay as they are.
			return nil, nil
		}
	}
	return decimalFrom(from, to), nil
}

// numFrom converts integers.
func numFrom[A int16 | int32 | int64](from, to catalog.Type, widen func(A) int64) unaryKernel {
	lo, hi := intRange(to.Kind)
	errRange := errIntegerOutOfRange(to.Kind)
	switch to.Kind {
	case catalog.Int2:
		return mapFixed(from, to, func(v A) (int16, error) {
			w := widen(v)
			if w < lo || w > hi {
				return 0, errRange
			}
			return int16(w), nil
		})
	case catalog.Int4:
		return mapFixed(from, to, func(v A) (int32, error) {
			w := widen(v)
			if w < lo || w > hi {
				return 0, errRange
			}
			return int32(w), nil
		})
	case catalog.Int8:
		return mapFixed(from, to, func(v A) (int64, error) { return widen(v), nil })
	case catalog.Float4:
		return mapFixed(from, to, func(v A) (float32, error) { return float32(widen(v)), nil })
	case catalog.Float8:
		return mapFixed(from, to, func(v A) (float64, error) { return float64(widen(v)), nil })
	}
	return mapFixed(from, to, func(v A) (decimal128.Num, error) {
		d, ok := decScaleUp(decimal128.FromI64(widen(v)), to.Scale)
		if !ok {
			return d, errNumericFieldOverflow(to)
		}
		return d, checkNumericPrecision(d, to)
	})
}

// floatFrom converts floats; to integers it rounds like rint().
func floatFrom[A float32 | float64](from, to catalog.Type) unaryKernel {
	errRange := errIntegerOutOfRange(to.Kind)
	lo, hi := intRange(to.Kind)
	toInt := func(v A) (int64, error) {
		f := math.RoundToEven(float64(v))
		// hi+1 is exact in float64 for every integer type; compare below it.
		if math.IsNaN(f) || f < float64(lo) || f >= -float64(lo) {
			return 0, errRange
		}
		w := int64(f)
		if w < lo || w > hi {
			return 0, errRange
		}
		return w, nil
	}
	switch to.Kind {
	case catalog.Int2:
		return mapFixed(from, to, func(v A) (int16, error) { w, err := toInt(v); return int16(w), err })
	case catalog.Int4:
		return mapFixed(from, to, func(v A) (int32, error) { w, err := toInt(v); return int32(w), err })
	case catalog.Int8:
		return mapFixed(from, to, func(v A) (int64, error) { return toInt(v) })
	case catalog.Float4:
		return mapFixed(from, to, func(v A) (float32, error) {
			f := float32(v)
			if math.IsInf(float64(f), 0) && !math.IsInf(float64(v), 0) {
				return 0, errFloatOutOfRange(catalog.Float4)
			}
			if f == 0 && v != 0 {
				return 0, pgerr.New(pgerr.NumericValueOutOfRange, "value out of range: underflow")
			}
			return f, nil
		})
	case catalog.Float8:
		return mapFixed(from, to, func(v A) (float64, error) { return float64(v), nil })
	}
	digits := 15
	if from.Kind == catalog.Float4 {
		digits = 6
	}
	return mapFixed(from, to, func(v A) (decimal128.Num, error) {
		f := float64(v)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return decimal128.Num{}, pgerr.Unsupported("cannot convert %s to numeric", strconv.FormatFloat(f, 'g', -1, 64))
		}
		// PostgreSQL converts through the float's text form with DBL_DIG
		// (FLT_DIG) significant digits, so 0.1::float8::numeric is 0.1.
		var buf [32]byte
		return catalog.ParseNumeric(to, string(strconv.AppendFloat(buf[:0], f, 'e', digits-1, 64)))
	})
}

func decimalFrom(from, to catalog.Type) unaryKernel {
	s := from.Scale
	switch to.Kind {
	case catalog.Int2, catalog.Int4, catalog.Int8:
		lo, hi := intRange(to.Kind)
		errRange := errIntegerOutOfRange(to.Kind)
		toInt := func(v decimal128.Num) (int64, error) {
			r, _ := decRescale(v, s, 0)
			if !decFits64(r) {
				return 0, errRange
			}
			w := int64(r.LowBits())
			if w < lo || w > hi {
				return 0, errRange
			}
			return w, nil
		}
		switch to.Kind {
		case catalog.Int2:
			return mapFixed(from, to, func(v decimal128.Num) (int16, error) { w, err := toInt(v); return int16(w), err })
		case catalog.Int4:
			return mapFixed(from, to, func(v decimal128.Num) (int32, error) { w, err := toInt(v); return int32(w), err })
		}
		return mapFixed(from, to, toInt)
	case catalog.Float4:
		return mapFixed(from, to, func(v decimal128.Num) (float32, error) { return float32(decToFloat(v, s)), nil })
	case catalog.Float8:
		return mapFixed(from, to, func(v decimal128.Num) (float64, error) { return decToFloat(v, s), nil })
	}
	return mapFixed(from, to, func(v decimal128.Num) (decimal128.Num, error) {
		r, ok := decRescale(v, s, to.Scale)
		if !ok {
			return r, errNumericFieldOverflow(to)
		}
		return r, checkNumericPrecision(r, to)
	})
}

// decToFloat converts exactly-rounded: one division of two exactly
// representable values when possible, else through the decimal string.
func decToFloat(v decimal128.Num, scale int32) float64 {
	if decFits64(v) {
		n := int64(v.LowBits())
		if n > -(1<<53) && n < 1<<53 && scale >= 0 && scale <= 22 {
			return float64(n) / math.Pow10(int(scale))
		}
	}
	var buf [48]byte
	f, _ := strconv.ParseFloat(string(catalog.AppendDatumText(buf[:0], catalog.UnconstrainedNumeric(scale), v)), 64)
	return f
}
