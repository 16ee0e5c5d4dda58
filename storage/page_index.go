package storage

import (
	"bytes"
	"encoding/binary"
	"math"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/pqdb/pqdb/catalog"
)

// Within a row group that its statistics do not exclude, a scan reads
// only the pages that can hold a matching row. Every file pqdb writes
// carries a page index: per column chunk, a column index (each page's
// min, max, NULL count) and an offset index (each page's offset and
// first row). The predicates' columns' column indexes give the row ranges
// that can match: the rows of the pages no predicate excludes,
// intersected over predicates. Each scanned column then decodes just the
// pages overlapping those ranges (its pages have row boundaries of their
// own) and is cut to the ranges' rows, so every column holds the same
// rows and each row keeps its position in the row group.

// rowRange is the rows [lo, hi) of a row group, by position.
type rowRange struct{ lo, hi int64 }

// rangeRows is the number of rows in ranges.
func rangeRows(ranges []rowRange) int64 {
	var n int64
	for _, r := range ranges {
		n += r.hi - r.lo
	}
	return n
}

// pruneColumn is what pruning knows of a predicate's column in one file.
type pruneColumn struct {
	leaf int // -1: the file lacks the column
	// pageBound decodes a column index min or max into the predicate's
	// domain; nil when the column's page bounds are not usable.
	pageBound func(raw []byte) (bound, bool)
	// bloomValue makes the Parquet value whose hash the column's bloom
	// filter holds for an equality's bound; nil when the column's filter
	// (if any) is not usable.
	bloomValue func(b bound) (parquet.Value, bool)
}

// pageIndexOf returns the column index and page locations of column leaf
// in row group g, or false when the file has no usable page index for it.
func pageIndexOf(pf *parquet.File, g, leaf int) (*format.ColumnIndex, []format.PageLocation, bool) {
	md := pf.Metadata()
	if g >= len(md.RowGroups) || leaf < 0 || leaf >= len(md.RowGroups[g].Columns) {
		return nil, nil, false
	}
	locs := pageLocations(pf, g, leaf)
	cis := pf.ColumnIndexes()
	j := g*len(md.RowGroups[g].Columns) + leaf
	if locs == nil || j >= len(cis) || md.RowGroups[g].Columns[leaf].ColumnIndexOffset == 0 {
		return nil, nil, false
	}
	ci := &cis[j]
	n := len(locs)
	if len(ci.NullPages) != n || len(ci.MinValues) != n || len(ci.MaxValues) != n || len(ci.NullCounts) != 0 && len(ci.NullCounts) != n {
		return nil, nil, false
	}
	return ci, locs, true
}

// pageLocations returns the offset index of column leaf in row group g:
// its pages' offsets and first rows, or nil when the file has none.
func pageLocations(pf *parquet.File, g, leaf int) []format.PageLocation {
	md := pf.Metadata()
	if g >= len(md.RowGroups) || leaf < 0 || leaf >= len(md.RowGroups[g].Columns) || md.RowGroups[g].Columns[leaf].OffsetIndexOffset == 0 {
		return nil
	}
	ois := pf.OffsetIndexes()
	j := g*len(md.RowGroups[g].Columns) + leaf
	if j >= len(ois) || len(ois[j].PageLocations) == 0 || ois[j].PageLocations[0].FirstRowIndex != 0 {
		return nil
	}
	return ois[j].PageLocations
}

// pageEnd is the row after the last of page i.
func pageEnd(locs []format.PageLocation, i int, rows int64) int64 {
	if i+1 < len(locs) {
		return locs[i+1].FirstRowIndex
	}
	return rows
}

// matchingRows narrows ranges (sorted, disjoint) to the rows of the pages
// of the predicates' columns that their column indexes do not exclude.
func matchingRows(pf *parquet.File, g int, rows int64, preds []boundedPredicate, cols []pruneColumn, ranges []rowRange) []rowRange {
	for i := range preds {
		pc := &cols[i]
		if pc.pageBound == nil {
			continue
		}
		ci, locs, ok := pageIndexOf(pf, g, pc.leaf)
		if !ok {
			continue
		}
		var keep []rowRange
		for k := range locs {
			lo, hi := locs[k].FirstRowIndex, pageEnd(locs, k, rows)
			if hi <= lo {
				continue
			}
			cb := columnBounds{rows: hi - lo, nulls: -1}
			if len(ci.NullCounts) == len(locs) {
				cb.nulls = ci.NullCounts[k]
			}
			if ci.NullPages[k] {
				cb.nulls = cb.rows
			} else {
				mn, ok1 := pc.pageBound(ci.MinValues[k])
				mx, ok2 := pc.pageBound(ci.MaxValues[k])
				cb.min, cb.max, cb.has = mn, mx, ok1 && ok2
			}
			if preds[i].excludes(&cb) {
				continue
			}
			if n := len(keep); n > 0 && keep[n-1].hi == lo {
				keep[n-1].hi = hi
			} else {
				keep = append(keep, rowRange{lo, hi})
			}
		}
		if len(ranges) == 1 && ranges[0] == (rowRange{0, rows}) {
			ranges = keep // the whole row group: the intersection is keep
		} else {
			ranges = intersectRanges(ranges, keep)
		}
		if len(ranges) == 0 {
			return nil
		}
	}
	return ranges
}

// intersectRanges returns the rows in both a and b (each sorted and
// disjoint).
func intersectRanges(a, b []rowRange) []rowRange {
	var out []rowRange
	for i, j := 0, 0; i < len(a) && j < len(b); {
		lo, hi := max(a[i].lo, b[j].lo), min(a[i].hi, b[j].hi)
		if lo < hi {
			out = append(out, rowRange{lo, hi})
		}
		if a[i].hi < b[j].hi {
			i++
		} else {
			j++
		}
	}
	return out
}

// segmentPageBound returns the decoder of column index bounds of a
// segment column of type t in the domain of its predicates, or nil where
// pqdb does not trust them: parquet-go orders a column index as its
// physical and logical type do, which matches pqdb's order for signed
// integers, times, decimals on INT32/INT64, byte strings and UUIDs. The
// pages of a FIXED_LEN_BYTE_ARRAY decimal have no bounds (parquet-go
// orders them unsigned), a var-scale numeric's text orders as text, and
// float pages may hold NaN, which Parquet leaves out of min and max (the
// caller passes floats only for row groups whose statistics prove them
// NaN-free).
func segmentPageBound(t catalog.Type) func(raw []byte) (bound, bool) {
	switch t.Kind {
	case catalog.Int2, catalog.Int4, catalog.Date:
		return plainInt32Bound
	case catalog.Int8, catalog.Time, catalog.Timestamp, catalog.TimestampTZ:
		return plainInt64Bound
	case catalog.Float4:
		return func(raw []byte) (bound, bool) {
			if len(raw) != 4 {
				return bound{}, false
			}
			f := float64(math.Float32frombits(binary.LittleEndian.Uint32(raw)))
			return bound{f: f}, !math.IsNaN(f)
		}
	case catalog.Float8:
		return func(raw []byte) (bound, bool) {
			if len(raw) != 8 {
				return bound{}, false
			}
			f := math.Float64frombits(binary.LittleEndian.Uint64(raw))
			return bound{f: f}, !math.IsNaN(f)
		}
	case catalog.Numeric:
		switch layoutOf(t) {
		case physDecimal32:
			return func(raw []byte) (bound, bool) {
				b, ok := plainInt32Bound(raw)
				return bound{d: decimal128.FromI64(b.i)}, ok
			}
		case physDecimal64:
			return func(raw []byte) (bound, bool) {
				b, ok := plainInt64Bound(raw)
				return bound{d: decimal128.FromI64(b.i)}, ok
			}
		}
	case catalog.Text, catalog.Varchar, catalog.Name, catalog.Bytea, catalog.Enum, catalog.UUID:
		return plainBytesBound
	}
	return nil
}

func plainInt32Bound(raw []byte) (bound, bool) {
	if len(raw) != 4 {
		return bound{}, false
	}
	return bound{i: int64(int32(binary.LittleEndian.Uint32(raw)))}, true
}

func plainInt64Bound(raw []byte) (bound, bool) {
	if len(raw) != 8 {
		return bound{}, false
	}
	return bound{i: int64(binary.LittleEndian.Uint64(raw))}, true
}

// plainBytesBound takes a byte string bound as it is. A max that a writer
// truncated is rounded up by incrementing its last byte, which fails for
// a run of 0xFF bytes (parquet-go then keeps the run, below the value):
// such a bound is refused.
func plainBytesBound(raw []byte) (bound, bool) {
	if len(raw) >= parquet.DefaultColumnIndexSizeLimit && len(bytes.Trim(raw, "\xff")) == 0 {
		return bound{}, false
	}
	return bound{b: raw}, true
}
