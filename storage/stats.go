package storage

import (
	"bytes"
	"encoding/base64"
	"math"
	"math/big"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/internal/prefixword"
	"github.com/pqdb/pqdb/numeric"
)

// ColumnStats summarizes one column of one row group. Min and Max are
// encoded as text so that manifests stay plain JSON: integers (and every
// type stored as an integer) in decimal, floats with strconv, decimal128
// numerics as their unscaled integer, var-scale numerics as numeric_out
// text (ordered by numeric.Compare: NaN above Infinity), byte strings in
// base64.
type ColumnStats struct {
	Nulls     int64  `json:"nulls"`
	HasBounds bool   `json:"has_bounds,omitempty"`
	Min       string `json:"min,omitempty"`
	Max       string `json:"max,omitempty"`
}

// statDomain is the ordered set a column's bounds live in.
type statDomain uint8

const (
	domNone statDomain = iota // no ordering pqdb prunes with (interval)
	domInt
	domFloat
	domDecimal
	domBytes
	domVarNumeric // numeric encodings in bound.b, ordered by numeric.Compare
)

func domainOf(t catalog.Type) statDomain {
	if t.IsVarNumeric() {
		return domVarNumeric
	}
	switch t.Kind {
	case catalog.Bool, catalog.Int2, catalog.Int4, catalog.Int8, catalog.Oid, catalog.RegProc, catalog.RegProcedure, catalog.RegClass, catalog.RegType, catalog.RegNamespace, catalog.RegRole, catalog.RegOper, catalog.RegOperator, catalog.RegConfig, catalog.RegDictionary, catalog.RegCollation, catalog.Xid, catalog.Cid,
		catalog.Date, catalog.Time, catalog.Timestamp, catalog.TimestampTZ, catalog.Xid8, catalog.Tid, catalog.PgLsn:
		return domInt
	case catalog.Float4, catalog.Float8:
		return domFloat
	case catalog.Numeric:
		return domDecimal
	case catalog.Interval, catalog.Array, catalog.JSON, catalog.JSONB:
		// jsonb orders by value, not by its text ('1.0' = '1'); json
		// has no order at all.
		return domNone
	}
	return domBytes
}

// bound is one decoded Min or Max in its domain.
type bound struct {
	i int64
	f float64
	d decimal128.Num
	b []byte
}

func compareBounds(dom statDomain, x, y bound) int {
	switch dom {
	case domInt:
		switch {
		case x.i < y.i:
			return -1
		case x.i > y.i:
			return 1
		}
		return 0
	case domFloat:
		switch {
		case x.f < y.f:
			return -1
		case x.f > y.f:
			return 1
		}
		return 0
	case domDecimal:
		return x.d.Cmp(y.d)
	case domVarNumeric:
		return numeric.Compare(x.b, y.b)
	}
	return bytes.Compare(x.b, y.b)
}

func encodeBound(dom statDomain, v bound) string {
	switch dom {
	case domInt:
		return strconv.FormatInt(v.i, 10)
	case domFloat:
		return strconv.FormatFloat(v.f, 'g', -1, 64)
	case domDecimal:
		return v.d.BigInt().String()
	case domVarNumeric:
		return string(numeric.AppendText(nil, v.b))
	}
	return base64.StdEncoding.EncodeToString(v.b)
}

func decodeBound(dom statDomain, s string) (bound, bool) {
	switch dom {
	case domInt:
		i, err := strconv.ParseInt(s, 10, 64)
		return bound{i: i}, err == nil
	case domFloat:
		f, err := strconv.ParseFloat(s, 64)
		return bound{f: f}, err == nil
	case domDecimal:
		b, ok := new(big.Int).SetString(s, 10)
		if !ok {
			return bound{}, false
		}
		return bound{d: decimal128.FromBigInt(b)}, true
	case domVarNumeric:
		b, err := numeric.Parse(nil, s)
		return bound{b: b}, err == nil
	case domBytes:
		b, err := base64.StdEncoding.DecodeString(s)
		return bound{b: b}, err == nil
	}
	return bound{}, false
}

// datumBound converts a predicate value (a catalog.Datum of the column's
// type) to a bound in dom, or reports false when it cannot be compared.
func datumBound(dom statDomain, d catalog.Datum) (bound, bool) {
	if dom == domVarNumeric {
		return varNumericDatumBound(d)
	}
	switch v := d.(type) {
	case bool:
		if v {
			return bound{i: 1}, true
		}
		return bound{i: 0}, true
	case int16:
		return bound{i: int64(v)}, true
	case int32:
		return bound{i: int64(v)}, true
	case int64:
		return bound{i: v}, true
	case uint32:
		return bound{i: int64(v)}, true
	case float32:
		if math.IsNaN(float64(v)) {
			return bound{}, false
		}
		return bound{f: float64(v)}, true
	case float64:
		if math.IsNaN(v) {
			return bound{}, false
		}
		return bound{f: v}, true
	case decimal128.Num:
		return bound{d: v}, true
	case string:
		return bound{b: []byte(v)}, true
	case []byte:
		return bound{b: v}, true
	case [16]byte:
		return bound{b: v[:]}, true
	}
	return bound{}, false
}

// maxStatBytes caps the length of byte-string bounds kept in manifests.
const maxStatBytes = 256

// statsAcc accumulates the statistics of one column over several slices
// of Arrow arrays (a row group spans the records it was cut from).
type statsAcc struct {
	dom      statDomain
	nulls    int64
	have     bool // at least one non-NULL value was seen
	bad      bool // some value has no usable bound (NaN, over-long string)
	min, max bound
}

func newStatsAcc(t catalog.Type) statsAcc { return statsAcc{dom: domainOf(t)} }

// add folds arr[lo:hi] into the accumulator.
func (acc *statsAcc) add(arr arrow.Array, lo, hi int) {
	var mn, mx bound
	var nulls int
	have, ok := false, true
	if acc.dom == domVarNumeric {
		// Binary like bytea, but ordered as numbers, not bytes.
		nulls, have = varNumericBounds(arr.(*array.Binary), lo, hi, &mn, &mx)
	} else {
		nulls, have, ok = sliceBounds(arr, lo, hi, &mn, &mx)
	}
	acc.nulls += int64(nulls)
	if !ok {
		acc.bad = true
	}
	if !have || acc.bad || acc.dom == domNone {
		return
	}
	if !acc.have {
		acc.min, acc.max, acc.have = mn, mx, true
		return
	}
	if compareBounds(acc.dom, mn, acc.min) < 0 {
		acc.min = mn
	}
	if compareBounds(acc.dom, mx, acc.max) > 0 {
		acc.max = mx
	}
}

func (acc *statsAcc) result() ColumnStats {
	st := ColumnStats{Nulls: acc.nulls}
	if acc.have && !acc.bad && acc.dom != domNone {
		st.HasBounds = true
		st.Min = encodeBound(acc.dom, acc.min)
		st.Max = encodeBound(acc.dom, acc.max)
	}
	return st
}

// sliceBounds computes the NULL count and the bounds of arr[lo:hi]. have
// is false when every value is NULL; ok is false when some value has no
// usable bound.
func sliceBounds(arr arrow.Array, lo, hi int, mn, mx *bound) (nulls int, have, ok bool) {
	nulls = nullsIn(arr, lo, hi)
	ok = true
	valid := func(i int) bool { return arr.IsValid(i) }
	ints := func(get func(int) int64) {
		for i := lo; i < hi; i++ {
			if valid(i) {
				v := get(i)
				if !have {
					mn.i, mx.i, have = v, v, true
				}
				mn.i, mx.i = min(mn.i, v), max(mx.i, v)
			}
		}
	}
	floats := func(get func(int) float64) {
		for i := lo; i < hi; i++ {
			if valid(i) {
				v := get(i)
				if math.IsNaN(v) {
					ok = false
					return
				}
				if !have {
					mn.f, mx.f, have = v, v, true
				}
				mn.f, mx.f = min(mn.f, v), max(mx.f, v)
			}
		}
	}
	switch a := arr.(type) {
	case *array.Boolean:
		ints(func(i int) int64 {
			if a.Value(i) {
				return 1
			}
			return 0
		})
	case *array.Int16:
		have = intStats(a.Int16Values(), arr, lo, hi, mn, mx)
	case *array.Int32:
		have = intStats(a.Int32Values(), arr, lo, hi, mn, mx)
	case *array.Uint32:
		have = intStats(a.Uint32Values(), arr, lo, hi, mn, mx)
	case *array.Date32:
		have = intStats(a.Date32Values(), arr, lo, hi, mn, mx)
	case *array.Int64:
		have = intStats(a.Int64Values(), arr, lo, hi, mn, mx)
	case *array.Time64:
		have = intStats(a.Time64Values(), arr, lo, hi, mn, mx)
	case *array.Timestamp:
		have = intStats(a.TimestampValues(), arr, lo, hi, mn, mx)
	case *array.Float32:
		vs := a.Float32Values()
		floats(func(i int) float64 { return float64(vs[i]) })
	case *array.Float64:
		vs := a.Float64Values()
		floats(func(i int) float64 { return vs[i] })
	case *array.Decimal128:
		vs := a.Values()
		for i := lo; i < hi; i++ {
			if valid(i) {
				v := vs[i]
				if !have {
					mn.d, mx.d, have = v, v, true
				}
				if v.Less(mn.d) {
					mn.d = v
				}
				if v.Greater(mx.d) {
					mx.d = v
				}
			}
		}
	case *array.String:
		have = varBytesStats(a.ValueOffsets(), a.ValueBytes(), arr, lo, hi, mn, mx)
	case *array.Binary:
		have = varBytesStats(a.ValueOffsets(), a.ValueBytes(), arr, lo, hi, mn, mx)
	case *array.FixedSizeBinary:
		have = bytesStats(a.Value, arr, lo, hi, mn, mx)
	default:
		ok = false
	}
	if have && (len(mn.b) > maxStatBytes || len(mx.b) > maxStatBytes) {
		ok = false
	}
	return nulls, have, ok
}

// intStats computes the bounds of the integers vs[lo:hi] of arr, as
// int64s (every T converts exactly).
func intStats[T int16 | int32 | uint32 | int64 | arrow.Date32 | arrow.Time64 | arrow.Timestamp](vs []T, arr arrow.Array, lo, hi int, mn, mx *bound) bool {
	have := false
	if arr.NullN() == 0 {
		if lo >= hi {
			return false
		}
		a, b := vs[lo], vs[lo]
		for _, v := range vs[lo:hi] {
			a, b = min(a, v), max(b, v)
		}
		mn.i, mx.i = int64(a), int64(b)
		return true
	}
	for i := lo; i < hi; i++ {
		if arr.IsValid(i) {
			v := int64(vs[i])
			if !have {
				mn.i, mx.i, have = v, v, true
			}
			mn.i, mx.i = min(mn.i, v), max(mx.i, v)
		}
	}
	return have
}

// bytesStats computes the bounds of the non-NULL values of arr[lo:hi],
// value(i) being the bytes of value i (a fixed-size binary array's).
func bytesStats(value func(int) []byte, arr arrow.Array, lo, hi int, mn, mx *bound) bool {
	var bb byteBounds
	for i := lo; i < hi; i++ {
		if arr.IsValid(i) {
			bb.add(value(i))
		}
	}
	return bb.result(mn, mx)
}

// varBytesStats is bytesStats of a string or binary array given its
// value offsets and bytes as ValueOffsets and ValueBytes return them,
// read directly rather than through a call per value.
func varBytesStats(offsets []int32, data []byte, arr arrow.Array, lo, hi int, mn, mx *bound) bool {
	noNulls := arr.NullN() == 0
	base := offsets[0]
	var bb byteBounds
	for i := lo; i < hi; i++ {
		if noNulls || arr.IsValid(i) {
			bb.add(data[offsets[i]-base : offsets[i+1]-base])
		}
	}
	return bb.result(mn, mx)
}

// byteBounds keeps the least and the greatest of the byte strings added.
// A value's first eight bytes, as a big-endian word (zero-padded), settle
// its comparison with a bound whose word differs: such words order as
// the strings do, and only equal ones leave the rest to compare.
type byteBounds struct {
	lowest, highest   []byte
	lowWord, highWord uint64
	have              bool
}

func (bb *byteBounds) add(v []byte) {
	w := prefixword.Of(v)
	if !bb.have {
		bb.lowest, bb.highest, bb.lowWord, bb.highWord, bb.have = v, v, w, w, true
		return
	}
	if w < bb.lowWord || w == bb.lowWord && bytes.Compare(v, bb.lowest) < 0 {
		bb.lowest, bb.lowWord = v, w
		return // below the minimum, so not above the maximum
	}
	if w > bb.highWord || w == bb.highWord && bytes.Compare(v, bb.highest) > 0 {
		bb.highest, bb.highWord = v, w
	}
}

// result stores copies of the bounds in mn and mx, if any value was
// added, and reports whether one was.
func (bb *byteBounds) result(mn, mx *bound) bool {
	if bb.have {
		mn.b = bytes.Clone(bb.lowest)
		mx.b = bytes.Clone(bb.highest)
	}
	return bb.have
}

func nullsIn(arr arrow.Array, lo, hi int) int {
	if arr.NullN() == 0 {
		return 0
	}
	n := 0
	for i := lo; i < hi; i++ {
		if arr.IsNull(i) {
			n++
		}
	}
	return n
}
