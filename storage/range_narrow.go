package storage

import (
	"math"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/catalog"
)

// Narrowing by a range.
//
// A range of a column the segment is not sorted by (TPC-H Q4's quarter of
// order dates, in orders written in key order) leaves some of its rows in
// every page of the other columns, so the page index skips nothing, and
// the scan decoded every row of every column for the filter above to keep
// one in thirty. A byte-string column built a value per row. So a range
// narrows the row ranges as an equality does (page_narrow.go): its column
// is decoded first, and when at most a quarter of the rows fall inside it
// the other columns copy out only those. Integers, dates, times and
// timestamps compare as their stored values, so the narrowing drops only
// rows the filter above would drop.

// Only a scan that reads a byte-string column besides the range's takes
// it: integer columns decode their pages whole either way, and cutting
// them to the many short ranges a range of an unsorted column keeps
// (Q6's year of ship dates, every seventh row) cost more than the filter
// above that would have dropped the rows.

// readsBytesBeside reports whether the scan reads a byte-string column
// other than column.
func (r *scanReader) readsBytesBeside(column int) bool {
	for _, c := range r.cols {
		if c == column || c < 0 || c >= len(r.ts.table.Columns) {
			continue
		}
		if layoutOf(r.ts.table.Columns[c].Type).byteArray() {
			return true
		}
	}
	return false
}

// maxRangeDensity is the largest share of a column's bounds a range may
// span (valueRange.density) for a scan to try narrowing by it.
const maxRangeDensity = 0.5

// valueRange is what a column's comparisons with constants admit: the
// non-NULL values in [lo, hi] (none when lo > hi).
type valueRange struct {
	column int
	lo, hi int64
}

// rangeNarrowable reports whether narrowByRange decides a range of a
// column of type t.
func rangeNarrowable(t catalog.Type) bool {
	switch t.Kind {
	case catalog.Int2, catalog.Int4, catalog.Int8, catalog.Date, catalog.Time, catalog.Timestamp, catalog.TimestampTZ:
		return true
	}
	return false
}

// columnRanges returns, in the order of their columns' first
// appearance, the range the Lt, Le, Gt and Ge predicates of preds on
// integer-domain columns admit together.
func columnRanges(preds []boundedPredicate) []valueRange {
	var out []valueRange
	for i := range preds {
		p := &preds[i]
		if p.dom != domInt || p.op != Lt && p.op != Le && p.op != Gt && p.op != Ge {
			continue
		}
		k := slices.IndexFunc(out, func(r valueRange) bool { return r.column == p.column })
		if k < 0 {
			out = append(out, valueRange{column: p.column, lo: math.MinInt64, hi: math.MaxInt64})
			k = len(out) - 1
		}
		v, r := p.value.i, &out[k]
		switch p.op {
		case Ge:
			r.lo = max(r.lo, v)
		case Gt:
			if v == math.MaxInt64 {
				r.lo, r.hi = 1, 0 // nothing is above it
			} else {
				r.lo = max(r.lo, v+1)
			}
		case Le:
			r.hi = min(r.hi, v)
		case Lt:
			if v == math.MinInt64 {
				r.lo, r.hi = 1, 0
			} else {
				r.hi = min(r.hi, v-1)
			}
		}
	}
	return out
}

// density estimates the share of the rows with statistics cb (nil: none)
// that r admits, as the share of the values between their bounds that r
// spans; without bounds, all of them.
func (r valueRange) density(cb *columnBounds) float64 {
	if r.lo > r.hi {
		return 0
	}
	if cb == nil || !cb.has || cb.max.i < cb.min.i {
		return 1
	}
	lo, hi := max(r.lo, cb.min.i), min(r.hi, cb.max.i)
	if lo > hi {
		return 0
	}
	return (float64(hi) - float64(lo) + 1) / (float64(cb.max.i) - float64(cb.min.i) + 1)
}

// narrowByRange narrows rr's row ranges (all rows when nil) to the rows
// whose value in column leaf (of type t) is in r, when at most a quarter
// of them are; ok is false otherwise and rr's ranges stay. Either way rr
// keeps the column it decoded for readColumn.
func (rr *rowGroupReader) narrowByRange(leaf int, t catalog.Type, r valueRange) (ranges []rowRange, ok bool, err error) {
	from := rr.ranges
	if from == nil {
		from = []rowRange{{0, rr.rg.NumRows()}}
	}
	arr, err := rr.readColumn(leaf, t)
	if err != nil {
		return nil, false, err
	}
	// Past a quarter of the rows the positions are not needed: the
	// narrowing does not pay.
	match, handled := rangePositions(arr, r, arr.Len()/4+1)
	if !handled {
		arr.Release()
		return nil, false, nil
	}
	ranges, ok = rr.narrowToPositions(leaf, t, arr, match, from)
	return ranges, ok, nil
}

// rangePositions returns the positions of arr's non-NULL values in r,
// or only the first limit of them when there are more; handled is false
// for an array type it does not know.
func rangePositions(arr arrow.Array, r valueRange, limit int) (out []int32, handled bool) {
	if r.lo > r.hi {
		return nil, true
	}
	switch a := arr.(type) {
	case *array.Int16:
		return rangeInts(a.Int16Values(), arr, r, limit), true
	case *array.Int32:
		return rangeInts(a.Int32Values(), arr, r, limit), true
	case *array.Date32:
		return rangeInts(a.Date32Values(), arr, r, limit), true
	case *array.Int64:
		return rangeInts(a.Int64Values(), arr, r, limit), true
	case *array.Time64:
		return rangeInts(a.Time64Values(), arr, r, limit), true
	case *array.Timestamp:
		return rangeInts(a.TimestampValues(), arr, r, limit), true
	}
	return nil, false
}

// rangeInts returns the positions of the non-NULL values of vs (the
// values of arr) in r, lo <= hi, the first limit of them at most: v is in
// it when v-lo, wrapped to an unsigned word, is at most hi-lo, one
// comparison per value.
func rangeInts[T int16 | int32 | int64 | arrow.Date32 | arrow.Time64 | arrow.Timestamp](vs []T, arr arrow.Array, r valueRange, limit int) []int32 {
	var out []int32
	nulls := arr.NullN() > 0
	lo, span := uint64(r.lo), uint64(r.hi)-uint64(r.lo)
	for i, v := range vs {
		if uint64(int64(v))-lo <= span && (!nulls || arr.IsValid(i)) {
			if len(out) == limit {
				break
			}
			out = append(out, int32(i))
		}
	}
	return out
}
