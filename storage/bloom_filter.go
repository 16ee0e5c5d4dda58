package storage

import (
	"encoding/binary"
	"math"
	"slices"

	"github.com/parquet-go/parquet-go"

	"github.com/pqdb/pqdb/catalog"
)

// Segments carry a split-block bloom filter per row group on each column
// of the primary key and of every unique index over plain columns
// (bloomColumns): the columns point lookups and key checks ask for by
// equality. An Eq or In predicate skips a row group whose filter holds
// none of its values. A filter answers for the hash of a value's Parquet
// form, so it is asked only where equal values have one form: integers,
// dates and times, fixed-scale decimals, text under byte-wise equality,
// bytea and uuid. Floats (0 = -0 hash apart), var-scale numerics
// (1.5 = 1.50), char(n) and enums compared by anything but their label
// never are.

// bloomColumns are the columns a segment of tbl keeps bloom filters for,
// given the table's indexes.
func bloomColumns(tbl *catalog.Table, indexes []*catalog.Index) []int {
	var cols []int
	add := func(c int) {
		if c >= 0 && c < len(tbl.Columns) && segmentBloomValue(tbl.Columns[c].Type) != nil && !slices.Contains(cols, c) {
			cols = append(cols, c)
		}
	}
	for _, c := range tbl.PrimaryKey {
		add(c)
	}
	for _, ix := range indexes {
		if !ix.Unique || ix.Table != tbl.Name || len(ix.Exprs) > 0 {
			continue
		}
		for _, name := range ix.Columns {
			add(tbl.ColumnIndex(name))
		}
	}
	return cols
}

// segmentBloomValue returns how an equality's bound on a segment column
// of type t becomes the Parquet value its bloom filter hashed, or nil
// when the column's filter must not be asked.
func segmentBloomValue(t catalog.Type) func(b bound) (parquet.Value, bool) {
	switch t.Kind {
	case catalog.Int2, catalog.Int4, catalog.Date:
		return func(b bound) (parquet.Value, bool) {
			return parquet.Int32Value(int32(b.i)), b.i >= math.MinInt32 && b.i <= math.MaxInt32
		}
	case catalog.Int8, catalog.Time, catalog.Timestamp, catalog.TimestampTZ:
		return func(b bound) (parquet.Value, bool) { return parquet.Int64Value(b.i), true }
	case catalog.Numeric:
		switch layoutOf(t) {
		case physDecimal32:
			return func(b bound) (parquet.Value, bool) {
				if !b.d.FitsInPrecision(9) {
					return parquet.Value{}, false
				}
				return parquet.Int32Value(int32(b.d.LowBits())), true
			}
		case physDecimal64:
			return func(b bound) (parquet.Value, bool) {
				if !b.d.FitsInPrecision(18) {
					return parquet.Value{}, false
				}
				return parquet.Int64Value(int64(b.d.LowBits())), true
			}
		case physDecimal128:
			return func(b bound) (parquet.Value, bool) {
				var be [16]byte
				binary.BigEndian.PutUint64(be[:8], uint64(b.d.HighBits()))
				binary.BigEndian.PutUint64(be[8:], b.d.LowBits())
				return parquet.FixedLenByteArrayValue(be[:]), true
			}
		}
	case catalog.Text, catalog.Varchar, catalog.Name, catalog.Bytea, catalog.Bpchar:
		// char(n): only equalities on padded values get here.
		return func(b bound) (parquet.Value, bool) { return parquet.ByteArrayValue(b.b), true }
	case catalog.UUID:
		return func(b bound) (parquet.Value, bool) { return parquet.FixedLenByteArrayValue(b.b), len(b.b) == 16 }
	}
	return nil
}

// bloomMaxProbes is the longest list of values a row group's bloom
// filter is asked about: a runtime join filter may hand over tens of
// thousands, which would cost a probe each in every row group while
// hardly any row group lacks them all.
const bloomMaxProbes = 4096

// bloomExcludes reports whether the bloom filter of column leaf in row
// group rg proves that the row group holds none of the values eq; a
// column without a filter, a value it cannot be asked for or a filter
// that fails to read excludes nothing, and so does a list longer than
// bloomMaxProbes.
func bloomExcludes(rg parquet.RowGroup, leaf int, eq []bound, value func(bound) (parquet.Value, bool)) bool {
	bf := columnBloom(rg, leaf)
	if bf == nil {
		return false
	}
	return noneMayHold(eq, value, func(v parquet.Value) bool {
		hit, err := bf.Check(v)
		return hit || err != nil
	})
}

// columnBloom returns the bloom filter of column leaf in rg, or nil when
// it has none (or rg is not a file's).
func columnBloom(rg parquet.RowGroup, leaf int) parquet.BloomFilter {
	chunks := rg.ColumnChunks()
	if leaf < 0 || leaf >= len(chunks) {
		return nil
	}
	fc, ok := chunks[leaf].(*parquet.FileColumnChunk)
	if !ok {
		return nil
	}
	return fc.BloomFilter()
}

// noneMayHold reports whether mayHold rules out every value of eq, made
// into Parquet values by value: a value it cannot make, or a list longer
// than bloomMaxProbes, rules nothing out.
func noneMayHold(eq []bound, value func(bound) (parquet.Value, bool), mayHold func(parquet.Value) bool) bool {
	if len(eq) == 0 || len(eq) > bloomMaxProbes {
		return false
	}
	for _, b := range eq {
		v, ok := value(b)
		if !ok || mayHold(v) {
			return false
		}
	}
	return true
}
