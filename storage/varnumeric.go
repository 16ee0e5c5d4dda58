package storage

import (
	"encoding/binary"
	"fmt"
	"slices"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/parquet-go/parquet-go"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/numeric"
	"github.com/pqdb/pqdb/pgerr"
)

// Var-scale numeric columns (catalog.TypeNumeric: each value with its own
// display scale, any precision, NaN and ±Infinity) are Arrow binary arrays
// of numeric-package encodings in records, the tail and insert events. In
// segments they are BYTE_ARRAY columns annotated STRING holding the text
// numeric_out prints (numeric.AppendText): no Parquet DECIMAL can hold
// them (no fixed scale, no NaN or infinities, precision beyond 38), and
// text keeps every digit and the display scale ('1.50' stays 1.50), so
// DuckDB, Spark or Trino read the exact values and can cast them. The
// flush prints each value into a scratch buffer reused across row groups;
// the scan parses each page's text (a dictionary once per column chunk)
// into a reused buffer before laying it out as Arrow.
//
// Parquet's own min/max of such a column are byte-wise string bounds
// ("10" < "9.5"), right for the STRING column other engines see but not
// for numeric order, so pqdb never prunes with them: it keeps its own
// bounds in the manifest, computed with numeric.Compare (domVarNumeric).
// Keys use numeric.AppendKey, so 1.5 and 1.50 are one key.

// varNumericTextMax is an upper bound of the length of numeric_out's text
// for encoding v (a sign, the integer digits, a point, dscale digits).
func varNumericTextMax(v []byte) int {
	if len(v) < numeric.HeaderSize {
		return 0
	}
	weight := int(int16(binary.BigEndian.Uint16(v[2:])))
	dscale := int(binary.BigEndian.Uint16(v[6:]))
	return 10 + max(weight+1, 1)*4 + dscale
}

// appendVarNumericValues appends one BYTE_ARRAY parquet value per row of
// a[lo:hi] holding the value's text, printed into scratch; null is the
// value for NULL rows, def the definition level of the others.
func appendVarNumericValues(dst []parquet.Value, scratch []byte, a *array.Binary, lo, hi int, null parquet.Value, def, leaf int) ([]parquet.Value, []byte) {
	hasNulls := a.NullN() > 0
	// Size scratch once so that values already emitted keep pointing into
	// it (and no row group after the first allocates).
	need := 0
	for i := lo; i < hi; i++ {
		if !hasNulls || a.IsValid(i) {
			need += varNumericTextMax(a.Value(i))
		}
	}
	scratch = slices.Grow(scratch, need)
	for i := lo; i < hi; i++ {
		if hasNulls && a.IsNull(i) {
			dst = append(dst, null)
			continue
		}
		start := len(scratch)
		scratch = numeric.AppendText(scratch, a.Value(i))
		dst = append(dst, parquet.ByteArrayValue(scratch[start:len(scratch):len(scratch)]).Level(0, def, leaf))
	}
	return dst, scratch
}

// varNumericParser turns the text values of a segment column's pages back
// into numeric encodings, reusing its buffers across pages.
type varNumericParser struct {
	data []byte
	offs []uint32

	// The parsed dictionary of the column chunk, keyed by its text.
	dictSrc   *byte
	dictN     int
	dictData  []byte
	dictOffs  []uint32
	dictReady bool
}

// parse converts the values srcData[srcOffs[k]:srcOffs[k+1]] and returns
// the encodings in the same offset layout (starting at 0). The result is
// valid until the next call of parse.
func (p *varNumericParser) parse(srcData []byte, srcOffs []uint32) ([]byte, []uint32, error) {
	var err error
	p.data, p.offs, err = parseVarNumerics(p.data[:0], p.offs[:0], srcData, srcOffs)
	return p.data, p.offs, err
}

// parseDict is parse for a dictionary page: the chunk's one dictionary is
// parsed once and reused by each of its data pages.
func (p *varNumericParser) parseDict(srcData []byte, srcOffs []uint32) ([]byte, []uint32, error) {
	src := unsafe.SliceData(srcData)
	if p.dictReady && p.dictSrc == src && p.dictN == len(srcOffs) {
		return p.dictData, p.dictOffs, nil
	}
	var err error
	p.dictData, p.dictOffs, err = parseVarNumerics(p.dictData[:0], p.dictOffs[:0], srcData, srcOffs)
	p.dictSrc, p.dictN, p.dictReady = src, len(srcOffs), err == nil
	return p.dictData, p.dictOffs, err
}

func parseVarNumerics(data []byte, offs []uint32, srcData []byte, srcOffs []uint32) ([]byte, []uint32, error) {
	offs = append(offs, 0)
	for k := 0; k+1 < len(srcOffs); k++ {
		text := srcData[srcOffs[k]:srcOffs[k+1]]
		var err error
		if data, err = numeric.ParseBytes(data, text); err != nil {
			return data, offs, fmt.Errorf("numeric column value %q: %w", text, err)
		}
		offs = append(offs, uint32(len(data)))
	}
	return data, offs, nil
}

// varNumericBounds computes the NULL count and the numeric-order bounds
// of a[lo:hi] (Arrow binary of encodings). A bound whose encoding exceeds
// maxStatBytes is widened to the end of the order (-Infinity for the
// minimum, NaN for the maximum), so the other bound still prunes.
func varNumericBounds(a *array.Binary, lo, hi int, mn, mx *bound) (nulls int, have bool) {
	nulls = nullsIn(a, lo, hi)
	var lo1, hi1 []byte
	for i := lo; i < hi; i++ {
		if !a.IsValid(i) {
			continue
		}
		v := a.Value(i)
		if !have {
			lo1, hi1, have = v, v, true
			continue
		}
		if numeric.Compare(v, lo1) < 0 {
			lo1 = v
		}
		if numeric.Compare(v, hi1) > 0 {
			hi1 = v
		}
	}
	if !have {
		return nulls, false
	}
	if len(lo1) > maxStatBytes {
		mn.b = numeric.NegInf(nil)
	} else {
		mn.b = slices.Clone(lo1)
	}
	if len(hi1) > maxStatBytes {
		mx.b = numeric.NaN(nil)
	} else {
		mx.b = slices.Clone(hi1)
	}
	return nulls, true
}

// varNumericDatumBound converts a predicate value on a var numeric column
// to a bound: the encoding ([]byte, normalized as numeric_recv would) or
// an integer. Anything else (a decimal128.Num, whose scale is unknown
// here, a float, text) is not used for pruning.
func varNumericDatumBound(d catalog.Datum) (bound, bool) {
	switch v := d.(type) {
	case []byte:
		var c numeric.Calc
		b, err := c.Recv(nil, v)
		return bound{b: b}, err == nil
	case int16:
		return bound{b: numeric.FromInt64(nil, int64(v))}, true
	case int32:
		return bound{b: numeric.FromInt64(nil, int64(v))}, true
	case int64:
		return bound{b: numeric.FromInt64(nil, v)}, true
	}
	return bound{}, false
}

// checkVarNumerics verifies that every value of a var numeric column is a
// canonical encoding (what the numeric package produces); anything else
// would corrupt keys, statistics and segments.
func checkVarNumerics(tbl *catalog.Table, col int, arr arrow.Array) error {
	a, ok := arr.(*array.Binary)
	if !ok {
		return nil // checkRecord rejects the type
	}
	for i := 0; i < a.Len(); i++ {
		if a.IsValid(i) && !numeric.IsCanonical(a.Value(i)) {
			return pgerr.New(pgerr.InternalError, "column %q of %q: row %d holds no valid numeric value", tbl.Columns[col].Name, tbl.Name, i)
		}
	}
	return nil
}
