package storage

import (
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/compress/snappy"
	"github.com/parquet-go/parquet-go/encoding"

	"github.com/pqdb/pqdb/catalog"
)

// A segment's byte-string columns are dictionary encoded by default
// (defaultEncoding), which pays where values repeat: codes of a few bits
// instead of the strings, and predicates decided once per distinct value
// (dictionary_filter.go). Where nearly every value is distinct (comments,
// names, identifiers), the dictionary is the column itself plus a code per
// row, and building it is a hash-map insert per value, which made such a
// column the costliest of a flush. So the segment writer looks at the
// first row group before it creates the file: a byte-string column whose
// sample is mostly distinct is written PLAIN in the whole segment
// (chooseEncodings). The choice is per file and only changes how pages
// are encoded, never what they hold; readers handle both (a dictionary
// chunk may fall back to plain pages anyway).

const (
	// encodingSampleRuns runs of encodingSampleRun consecutive rows, spread
	// evenly over the first row group, are the sample. Runs rather than
	// single rows, so that a column sorted into runs of equal values is
	// seen to repeat.
	encodingSampleRuns = 16
	encodingSampleRun  = 64

	// plainMinRows is the smallest first row group whose mostly distinct
	// byte-string columns are written PLAIN: a smaller one's dictionary
	// costs little to build, and keeps dictionary filtering exact.
	plainMinRows = 8 << 10
)

// Pages are compressed per column (segmentCompressed). Integers, dates,
// decimals and dictionary codes are already bit-packed by their encodings,
// so zstd finds little left in them (1.0x on SF1 lineitem's prices, dates
// and flags; 2-3x on sorted keys such as l_orderkey) and stores its blocks
// raw, which decode at the speed of a copy: they keep the writer's zstd.
// Byte strings (comments, names, JSON) are where the bytes and the
// decompression are: on SF1's l_comment and o_comment SNAPPY pages are
// 10% larger than zstd-fastest's (2.77x and 3.10x against 3.07x and
// 3.41x) and decode 2-3 times as fast, which TPC-H Q13's scan of
// o_comment spends most of its decompression on. Both are codecs every
// Parquet reader knows.
var segmentBytesCodec compress.Codec = &snappy.Codec{}

// segmentCompressed returns the segment column node n, of type t, with
// its page codec where that is not the writer's default (zstd).
func segmentCompressed(n parquet.Node, t catalog.Type) parquet.Node {
	if n.Leaf() && layoutOf(t).byteArray() && t.Kind != catalog.Array {
		return parquet.Compressed(n, segmentBytesCodec)
	}
	return n
}

// chooseEncodings returns the encoding of each column of the segment whose
// first row group is pieces (of rows rows): nil, the layout's default,
// except PLAIN for byte-string columns whose sample holds at least
// encodingSampleRun non-NULL values, more than half of them distinct.
func (sw *segmentWriter) chooseEncodings(pieces []segmentPiece, rows int) []encoding.Encoding {
	encs := make([]encoding.Encoding, sw.ncol)
	if rows < plainMinRows {
		return encs
	}
	seen := make(map[string]struct{}, encodingSampleRuns*encodingSampleRun)
	for c := 0; c < sw.ncol; c++ {
		if layoutOf(sw.types[c]).byteArray() && sw.types[c].Kind != catalog.Array {
			clear(seen)
			// Too few non-NULL values say nothing: keep the default.
			if distinct, sampled := sampleDistinct(seen, pieces, c, rows); sampled >= encodingSampleRun && distinct*2 > sampled {
				encs[c] = &parquet.Plain
			}
		}
	}
	return encs
}

// sampleDistinct counts the distinct non-NULL values of column c (a
// string or binary column) in the sample runs of pieces, adding them to
// seen, and how many values it looked at.
func sampleDistinct(seen map[string]struct{}, pieces []segmentPiece, c, rows int) (distinct, sampled int) {
	stride := rows / encodingSampleRuns
	next := 0 // first row of the next run, counted over all pieces
	base := 0 // rows of the pieces before p
	for _, p := range pieces {
		n := p.hi - p.lo
		arr := p.rec.Column(c)
		for next < base+n {
			lo := p.lo + next - base
			hi := min(p.hi, lo+encodingSampleRun)
			for i := lo; i < hi; i++ {
				if arr.IsNull(i) {
					continue
				}
				var v string
				switch a := arr.(type) {
				case *array.String:
					v = a.Value(i)
				case *array.Binary:
					b := a.Value(i)
					v = unsafe.String(unsafe.SliceData(b), len(b)) // seen outlives no record
				default:
					return 0, 0
				}
				seen[v] = struct{}{}
				sampled++
			}
			next += stride
		}
		base += n
	}
	return len(seen), sampled
}
