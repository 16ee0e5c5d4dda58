package storage

import (
	"encoding/binary"
	"math"
	"math/bits"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/jsonb"
	"github.com/pqdb/pqdb/numeric"
)

// keyBatch holds the encoded keys of every row of one record: row i's key
// is buf[ends[i-1]:ends[i]]. Two keys are equal exactly when their SQL
// values are equal under the type's btree equality, as a PostgreSQL
// unique index compares them (keyKindOf): floats are canonicalized, so
// -0 = 0 and NaN = NaN; intervals are compared by their span, so '1 day'
// = '24 hours'; var-scale numerics are numeric.AppendKey keys, so 1.5 =
// 1.50; jsonb values are jsonb.AppendKey keys, so '{"a": 1.0}' = '{"a":
// 1}'; char(n) values ignore trailing spaces; arrays are compared element
// by element. Encoding runs column by column, so the type switch is per
// column, not per row; the buffers are reused across records.
type keyBatch struct {
	buf  []byte
	ends []int
	pos  []int
	null []bool // row i has a NULL in a key column

	// Per key column whose keys are derived from its values (keyKindOf):
	// the values' keys, and where each row's ends.
	nkeys [][]byte
	nends [][]int
	json  jsonb.Parser
	jbuf  []byte
}

// keyKind is how the key of a column's values is made.
type keyKind uint8

const (
	keyRaw        keyKind = iota // the value's bytes (floats canonical, intervals by span)
	keyVarNumeric                // numeric.AppendKey of the numeric encoding
	keyJSONB                     // jsonb.AppendKey of the parsed text
	keyBpchar                    // the text without trailing spaces
	keyArray                     // appendListKeys
)

// keyKindOf is how the key of a column of type t is made.
func keyKindOf(t catalog.Type) keyKind {
	switch {
	case t.Kind == catalog.Array:
		return keyArray
	case t.IsVarNumeric():
		return keyVarNumeric
	case t.Kind == catalog.JSONB:
		return keyJSONB
	case t.Kind == catalog.Bpchar:
		return keyBpchar
	}
	return keyRaw
}

// columnTypes returns the types of the columns cols of tbl.
func columnTypes(tbl *catalog.Table, cols []int) []catalog.Type {
	types := make([]catalog.Type, len(cols))
	for j, c := range cols {
		types[j] = tbl.Columns[c].Type
	}
	return types
}

func uvarintLen(x uint64) int { return (bits.Len64(x|1) + 6) / 7 }

// encode encodes the columns cols of every row of rec, of the types types
// (aligned with cols).
func (kb *keyBatch) encode(rec arrow.Record, cols []int, types []catalog.Type) {
	n := int(rec.NumRows())
	kb.ends = resize(kb.ends, n)
	kb.pos = resize(kb.pos, n)
	kb.null = resize(kb.null, n)
	if len(kb.nkeys) < len(cols) {
		kb.nkeys = append(kb.nkeys, make([][]byte, len(cols)-len(kb.nkeys))...)
		kb.nends = append(kb.nends, make([][]int, len(cols)-len(kb.nends))...)
	}
	sizes := kb.ends
	for j, c := range cols {
		arr := rec.Column(c)
		if arr.NullN() > 0 {
			bm, off := arr.NullBitmapBytes(), arr.Data().Offset()
			for i := range n {
				if bitutil.BitIsNotSet(bm, off+i) {
					kb.null[i] = true
				}
			}
		}
		if kind := keyKindOf(types[j]); kind != keyRaw {
			keys, ends := kb.deriveKeys(kb.nkeys[j][:0], kb.nends[j][:0], arr, types[j], kind)
			start := 0
			for i := range n {
				l := ends[i] - start
				start = ends[i]
				sizes[i] += uvarintLen(uint64(l)) + l
			}
			kb.nkeys[j], kb.nends[j] = keys, ends
			continue
		}
		switch a := arr.(type) {
		case *array.String:
			for i := range n {
				l := a.ValueLen(i)
				sizes[i] += uvarintLen(uint64(l)) + l
			}
		case *array.Binary:
			for i := range n {
				l := a.ValueLen(i)
				sizes[i] += uvarintLen(uint64(l)) + l
			}
		case *array.Boolean:
			for i := range n {
				sizes[i]++
			}
		default:
			w := arr.DataType().(arrow.FixedWidthDataType).BitWidth() / 8
			for i := range n {
				sizes[i] += w
			}
		}
	}
	total := 0
	for i := range n {
		kb.pos[i] = total
		total += sizes[i]
		kb.ends[i] = total
	}
	if cap(kb.buf) < total {
		kb.buf = make([]byte, total)
	}
	kb.buf = kb.buf[:total]
	buf, pos := kb.buf, kb.pos
	for j, c := range cols {
		arr := rec.Column(c)
		if keyKindOf(types[j]) != keyRaw {
			keys, ends := kb.nkeys[j], kb.nends[j]
			start := 0
			for i := range n {
				v := keys[start:ends[i]]
				start = ends[i]
				p := pos[i] + binary.PutUvarint(buf[pos[i]:], uint64(len(v)))
				pos[i] = p + copy(buf[p:], v)
			}
			continue
		}
		switch a := arr.(type) {
		case *array.String:
			for i := range n {
				v := a.Value(i)
				p := pos[i] + binary.PutUvarint(buf[pos[i]:], uint64(len(v)))
				pos[i] = p + copy(buf[p:], v)
			}
		case *array.Binary:
			for i := range n {
				v := a.Value(i)
				p := pos[i] + binary.PutUvarint(buf[pos[i]:], uint64(len(v)))
				pos[i] = p + copy(buf[p:], v)
			}
		case *array.Boolean:
			for i := range n {
				if a.Value(i) {
					buf[pos[i]] = 1
				} else {
					buf[pos[i]] = 0
				}
				pos[i]++
			}
		case *array.Float64:
			for i, v := range a.Float64Values() {
				binary.LittleEndian.PutUint64(buf[pos[i]:], canonicalFloat64(v))
				pos[i] += 8
			}
		case *array.Float32:
			for i, v := range a.Float32Values() {
				binary.LittleEndian.PutUint32(buf[pos[i]:], canonicalFloat32(v))
				pos[i] += 4
			}
		case *array.MonthDayNanoInterval:
			for i, v := range a.MonthDayNanoIntervalValues() {
				days, us := catalog.IntervalSpan(v)
				binary.LittleEndian.PutUint64(buf[pos[i]:], uint64(days))
				binary.LittleEndian.PutUint64(buf[pos[i]+8:], uint64(us))
				pos[i] += 16
			}
		default:
			w := arr.DataType().(arrow.FixedWidthDataType).BitWidth() / 8
			raw := fixedBytes(arr, w)
			for i := range n {
				pos[i] += copy(buf[pos[i]:], raw[i*w:(i+1)*w])
			}
		}
	}
}

// deriveKeys appends the key of each row of arr, a column of type t whose
// keys are of kind, to keys and its end to ends (NULLs have empty keys).
func (kb *keyBatch) deriveKeys(keys []byte, ends []int, arr arrow.Array, t catalog.Type, kind keyKind) ([]byte, []int) {
	if kind == keyArray {
		return appendListKeys(keys, ends, arr.(*array.List), t.ElemType())
	}
	for i := 0; i < arr.Len(); i++ {
		if arr.IsValid(i) {
			switch kind {
			case keyVarNumeric:
				keys = numeric.AppendKey(keys, arr.(*array.Binary).Value(i))
			case keyJSONB:
				keys = kb.appendJSONBKey(keys, arr.(*array.String).Value(i))
			case keyBpchar:
				keys = append(keys, strings.TrimRight(arr.(*array.String).Value(i), " ")...)
			}
		}
		ends = append(ends, len(keys))
	}
	return keys, ends
}

// appendJSONBKey appends the key of the stored jsonb text s.
func (kb *keyBatch) appendJSONBKey(dst []byte, s string) []byte {
	v, err := kb.json.Append(kb.jbuf[:0], unsafeBytes(s))
	if err != nil {
		// Stored jsonb text always parses; keep such a value distinct.
		v = jsonb.AppendString(kb.jbuf[:0], unsafeBytes(s))
	}
	kb.jbuf = v
	return jsonb.AppendKey(dst, jsonb.Value(v))
}

func canonicalFloat64(v float64) uint64 {
	switch {
	case v != v:
		return math.Float64bits(math.NaN())
	case v == 0:
		return 0
	}
	return math.Float64bits(v)
}

func canonicalFloat32(v float32) uint32 {
	switch {
	case v != v:
		return math.Float32bits(float32(math.NaN()))
	case v == 0:
		return 0
	}
	return math.Float32bits(v)
}

// key returns row i's encoded key; it is valid until the next encode.
func (kb *keyBatch) key(i int) []byte {
	start := 0
	if i > 0 {
		start = kb.ends[i-1]
	}
	return kb.buf[start:kb.ends[i]]
}

// resize returns s with length n and every element zero, reusing its
// storage when it is large enough.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// appendListKeys appends the key of each row of an array column to keys
// and its end to ends: the element count, then per element 0 for NULL or
// 1 and the element's key (length-prefixed), so that equal arrays (by
// element =) and only they have equal keys. elem is the elements' type.
func appendListKeys(keys []byte, ends []int, l *array.List, elem catalog.Type) ([]byte, []int) {
	child := l.ListValues()
	var elems keyBatch
	schema := arrow.NewSchema([]arrow.Field{{Name: "e", Type: child.DataType(), Nullable: true}}, nil)
	rec := array.NewRecordBatch(schema, []arrow.Array{child}, int64(child.Len()))
	elems.encode(rec, []int{0}, []catalog.Type{elem})
	rec.Release()
	off := l.Data().Offset()
	offs := l.Offsets()
	for i := 0; i < l.Len(); i++ {
		if l.IsValid(i) {
			lo, hi := int(offs[off+i]), int(offs[off+i+1])
			keys = binary.AppendUvarint(keys, uint64(hi-lo))
			for e := lo; e < hi; e++ {
				if child.IsNull(e) {
					keys = append(keys, 0)
					continue
				}
				k := elems.key(e)
				keys = append(keys, 1)
				keys = binary.AppendUvarint(keys, uint64(len(k)))
				keys = append(keys, k...)
			}
		}
		ends = append(ends, len(keys))
	}
	return keys, ends
}
