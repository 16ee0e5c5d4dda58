package storage

import (
	"bytes"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/catalog"
)

// A point lookup's key page still holds thousands of rows, whose pages
// in the other columns lie across several of theirs. So before decoding
// the scanned columns, a scan with an equality (Eq or In) on an integer,
// date, time, text or bytea column decodes that column's pages first and
// narrows the row ranges to the rows whose value is one of the
// predicate's: every other column then decodes only the pages holding
// those rows (one each, for a lookup by key). Equality in those types is
// equality of the stored value (integers, instants, bytes: text compares
// byte-wise under every collation pqdb has), so the narrowing drops only
// rows the filter above would drop.

// narrowable reports whether narrowRanges decides equality on a column
// of type t.
func narrowable(t catalog.Type) bool {
	switch t.Kind {
	case catalog.Int2, catalog.Int4, catalog.Int8, catalog.Date, catalog.Time, catalog.Timestamp, catalog.TimestampTZ,
		catalog.Text, catalog.Varchar, catalog.Name, catalog.Bytea:
		return true
	}
	return false
}

// narrowRanges returns the row ranges of rr (all rows when nil) whose
// value in column leaf (of type t) satisfies p, an equality; ok is false
// when narrowing would not pay (most rows match) and rr's ranges stay.
// Either way rr keeps the column it decoded for readColumn.
func (rr *rowGroupReader) narrowRanges(leaf int, t catalog.Type, p *boundedPredicate) (ranges []rowRange, ok bool, err error) {
	eq := p.equalities()
	if eq == nil || !narrowable(t) {
		return nil, false, nil
	}
	from := rr.ranges
	if from == nil {
		from = []rowRange{{0, rr.rg.NumRows()}}
	}
	var runsInline [2]pageRun
	if pc, runs, ok := rr.pagedColumnOf(leaf, chunkLayout(t, rr.rg.ColumnChunks()[leaf]), t.ArrowType(), from, runsInline[:0]); ok {
		return rr.narrowPages(&pc, runs, t, p, from)
	}
	arr, err := rr.readColumn(leaf, t)
	if err != nil {
		return nil, false, err
	}
	match, handled := equalPositions(arr, eq, p.members)
	if !handled {
		arr.Release()
		return nil, false, nil
	}
	ranges, ok = rr.narrowToPositions(leaf, t, arr, match, from)
	return ranges, ok, nil
}

// narrowToPositions narrows rr's ranges from (its ranges, or all rows)
// to the rows at positions match of arr, column leaf's values in from,
// when they are at most a quarter of them; ok is false otherwise. Either
// way rr keeps arr for readColumn.
func (rr *rowGroupReader) narrowToPositions(leaf int, t catalog.Type, arr arrow.Array, match []int32, from []rowRange) (ranges []rowRange, ok bool) {
	if len(match) > arr.Len()/4 {
		// The column is decoded: readColumn returns it as it is.
		rr.narrowed = &narrowedColumn{leaf: leaf, t: t, arr: arr}
		return nil, false
	}
	// The column's rows in the narrowed ranges are these: keep them for
	// readColumn rather than decoding its pages again.
	if match == nil {
		match = []int32{} // no row: not "all of arr"
	}
	rr.narrowed = &narrowedColumn{leaf: leaf, t: t, arr: arr, keep: match}
	// Map positions in arr (the rows of from, one range after another)
	// back to rows of the row group. A range starts at each gap between
	// positions, or where from's ranges meet: at most that many, counted
	// first so that the ranges are one allocation (a runtime filter's
	// scattered keys keep a range per row).
	starts := len(from)
	for k := 1; k < len(match); k++ {
		if match[k] != match[k-1]+1 {
			starts++
		}
	}
	ranges = make([]rowRange, 0, min(starts, len(match)))
	j, base := 0, int64(0)
	for _, pos := range match {
		for int64(pos) >= base+from[j].hi-from[j].lo {
			base += from[j].hi - from[j].lo
			j++
		}
		row := from[j].lo + int64(pos) - base
		if n := len(ranges); n > 0 && ranges[n-1].hi == row {
			ranges[n-1].hi++
		} else {
			ranges = append(ranges, rowRange{row, row + 1})
		}
	}
	return ranges, true
}

// equalPositions returns the positions of arr's non-NULL values equal to
// one of eq (sorted bounds in arr's domain; members their set when they
// are integers, or nil); handled is false for an array type it does not
// know.
func equalPositions(arr arrow.Array, eq []bound, members *intMembers) (out []int32, handled bool) {
	switch a := arr.(type) {
	case *array.Int16:
		return equalInts(a.Int16Values(), arr, eq, members), true
	case *array.Int32:
		return equalInts(a.Int32Values(), arr, eq, members), true
	case *array.Date32:
		return equalInts(a.Date32Values(), arr, eq, members), true
	case *array.Int64:
		return equalInts(a.Int64Values(), arr, eq, members), true
	case *array.Time64:
		return equalInts(a.Time64Values(), arr, eq, members), true
	case *array.Timestamp:
		return equalInts(a.TimestampValues(), arr, eq, members), true
	case *array.String:
		for i := range a.Len() {
			if a.IsValid(i) && containsBytes(eq, unsafeBytes(a.Value(i))) {
				out = append(out, int32(i))
			}
		}
		return out, true
	case *array.Binary:
		for i := range a.Len() {
			if a.IsValid(i) && containsBytes(eq, a.Value(i)) {
				out = append(out, int32(i))
			}
		}
		return out, true
	}
	return nil, false
}

// equalInts returns the positions of the non-NULL values of vs (the
// values of arr) that equal one of eq, sorted integer bounds whose set is
// members (nil: made here).
func equalInts[T int16 | int32 | int64 | arrow.Date32 | arrow.Time64 | arrow.Timestamp](vs []T, arr arrow.Array, eq []bound, members *intMembers) []int32 {
	var out []int32
	nulls := arr.NullN() > 0
	if len(eq) == 1 {
		want := T(eq[0].i)
		if int64(want) != eq[0].i {
			return nil // beyond the column's type: no value equals it
		}
		for i, v := range vs {
			if v == want && (!nulls || arr.IsValid(i)) {
				out = append(out, int32(i))
			}
		}
		return out
	}
	if members == nil {
		members = intMembersOf(eq)
	}
	if bm := members.bitmap; bm != nil {
		// The bitmap's test inline: one comparison (x-lo wraps above
		// span for x below lo) and one bit per value. A join's runtime
		// filter of dense keys comes here for every value a scan reads.
		lo, span := members.lo, uint64(members.hi-members.lo)
		for i, v := range vs {
			d := uint64(int64(v) - lo)
			if d <= span && bm[d>>6]&(1<<(d&63)) != 0 && (!nulls || arr.IsValid(i)) {
				out = append(out, int32(i))
			}
		}
		return out
	}
	for i, v := range vs {
		if members.has(int64(v)) && (!nulls || arr.IsValid(i)) {
			out = append(out, int32(i))
		}
	}
	return out
}

// containsBytes reports whether v is one of eq (sorted byte strings).
func containsBytes(eq []bound, v []byte) bool {
	_, found := slices.BinarySearchFunc(eq, v, func(b bound, v []byte) int { return bytes.Compare(b.b, v) })
	return found
}

// narrowedColumn is the column narrowRanges decoded, with the positions
// of its rows in the narrowed ranges (nil: all of it, not narrowed).
type narrowedColumn struct {
	leaf int
	t    catalog.Type
	arr  arrow.Array
	keep []int32
}

// releaseNarrowed drops the column narrowRanges kept.
func (rr *rowGroupReader) releaseNarrowed() {
	if rr.narrowed != nil {
		rr.narrowed.arr.Release()
		rr.narrowed = nil
	}
}

// release drops the columns narrowRanges and selectByCodes kept.
func (rr *rowGroupReader) release() {
	rr.releaseNarrowed()
	rr.releaseSelected()
	rr.releasePages()
}
