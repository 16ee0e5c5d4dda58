package storage

import (
	"encoding/binary"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/numeric"
)

// Order keys: an index file cannot bound a key column by its own Parquet
// statistics when the column's stored values do not sort as PostgreSQL's
// btree does (floats hide NaN from page bounds and -0 = 0; char(n) keeps
// the blanks its comparisons ignore; decimals beyond 18 digits and
// var-scale numerics have no usable page bounds; bool, interval, jsonb
// and arrays have none at all). Such a column is stored in the index
// file as the order key of each value instead: a byte string whose
// bytewise order is the type's btree order and whose equality is its
// btree equality, NULL staying NULL. The lookup encodes its predicates'
// values the same way (orderKeyOf), so page bounds, binary search and
// equality narrowing over the key column are exact byte comparisons.
//
// Keys by type (each on its own: a key column holds one type):
//   - bool: 0 or 1;
//   - integers, dates, times, timestamps (in arrays): the value as a
//     big-endian int64 with its sign bit flipped; oid-like types as a
//     big-endian uint32;
//   - float4 and float8: the value as a float64 (float4 widens exactly),
//     -0 as 0 and every NaN as one NaN, its bits big-endian with the
//     sign bit flipped for positives and all bits for negatives, so NaN
//     sorts above +Infinity, as in PostgreSQL;
//   - decimal128 numerics (one scale per column): the unscaled integer
//     big-endian with its sign bit flipped; var-scale numerics:
//     numeric.AppendKey (1.5 = 1.50, NaN above +Infinity);
//   - char(n): the text without trailing blanks ('ab' = 'ab  '); text,
//     varchar, name, "char", bytea, uuid: their bytes (storage's text
//     order); enum: the label's bytes (equal labels, but not the enum's
//     declared order: orderKeysSort says no);
//   - interval: its span (catalog.IntervalSpan: days, then microseconds
//     of the day) as two flipped-sign big-endian int64s, so '1 day' =
//     '24 hours' as PostgreSQL's interval_cmp has it;
//   - jsonb: jsonb.AppendKey of the parsed value (jsonb's btree order);
//   - arrays: per element 0x01 and the element's key escaped (0x00 as
//     0x00 0xFF) and ended by 0x00 0x01, or 0x02 for a NULL element,
//     then 0x00: element by element, a NULL above any value, a prefix
//     below the longer array, as PostgreSQL's array_cmp orders
//     one-dimensional arrays.

// orderKeyable reports whether values of type t have order keys.
func orderKeyable(t catalog.Type) bool {
	switch t.Kind {
	case catalog.Array:
		return t.Elem != catalog.Array && orderKeyable(t.ElemType())
	case catalog.JSON, catalog.Record, catalog.Unknown, catalog.Void:
		return false
	}
	return true
}

// orderKeysSort reports whether the order keys of t sort as its values;
// otherwise (enums, arrays of enums) they decide only equality.
func orderKeysSort(t catalog.Type) bool { return !t.HasEnum() }

// orderKeys makes order keys: after appendKeys, row i's key is
// buf[ends[i-1]:ends[i]] (empty for NULL).
type orderKeys struct {
	buf  []byte
	ends []int
	// jsonb keys are made as the writer's key constraints make them
	// (keyBatch.appendJSONBKey: jsonb.AppendKey, in jsonb's order).
	jsonbKeys keyBatch
}

// key returns row i's key.
func (k *orderKeys) key(i int) []byte {
	start := 0
	if i > 0 {
		start = k.ends[i-1]
	}
	return k.buf[start:k.ends[i]]
}

// appendKeys appends the key of every row of arr, a column of type t.
// The type switch is per array; NULL rows get empty keys.
func (k *orderKeys) appendKeys(arr arrow.Array, t catalog.Type) {
	n := arr.Len()
	each := func(put func(b []byte, i int) []byte) {
		for i := range n {
			if arr.IsValid(i) {
				k.buf = put(k.buf, i)
			}
			k.ends = append(k.ends, len(k.buf))
		}
	}
	switch a := arr.(type) {
	case *array.Boolean:
		each(func(b []byte, i int) []byte {
			if a.Value(i) {
				return append(b, 1)
			}
			return append(b, 0)
		})
	case *array.Int16:
		vs := a.Int16Values()
		each(func(b []byte, i int) []byte { return appendOrderedInt(b, int64(vs[i])) })
	case *array.Int32:
		vs := a.Int32Values()
		each(func(b []byte, i int) []byte { return appendOrderedInt(b, int64(vs[i])) })
	case *array.Int64:
		vs := a.Int64Values()
		each(func(b []byte, i int) []byte { return appendOrderedInt(b, vs[i]) })
	case *array.Date32:
		vs := a.Date32Values()
		each(func(b []byte, i int) []byte { return appendOrderedInt(b, int64(vs[i])) })
	case *array.Time64:
		vs := a.Time64Values()
		each(func(b []byte, i int) []byte { return appendOrderedInt(b, int64(vs[i])) })
	case *array.Timestamp:
		vs := a.TimestampValues()
		each(func(b []byte, i int) []byte { return appendOrderedInt(b, int64(vs[i])) })
	case *array.Uint32:
		vs := a.Uint32Values()
		each(func(b []byte, i int) []byte { return binary.BigEndian.AppendUint32(b, vs[i]) })
	case *array.Float32:
		vs := a.Float32Values()
		each(func(b []byte, i int) []byte { return appendOrderedFloat(b, float64(vs[i])) })
	case *array.Float64:
		vs := a.Float64Values()
		each(func(b []byte, i int) []byte { return appendOrderedFloat(b, vs[i]) })
	case *array.Decimal128:
		vs := a.Values()
		each(func(b []byte, i int) []byte {
			b = binary.BigEndian.AppendUint64(b, uint64(vs[i].HighBits())^1<<63)
			return binary.BigEndian.AppendUint64(b, vs[i].LowBits())
		})
	case *array.MonthDayNanoInterval:
		vs := a.MonthDayNanoIntervalValues()
		each(func(b []byte, i int) []byte {
			days, us := catalog.IntervalSpan(vs[i])
			return appendOrderedInt(appendOrderedInt(b, days), us)
		})
	case *array.String:
		switch t.Kind {
		case catalog.Bpchar:
			each(func(b []byte, i int) []byte { return append(b, strings.TrimRight(a.Value(i), " ")...) })
		case catalog.JSONB:
			each(func(b []byte, i int) []byte { return k.jsonbKeys.appendJSONBKey(b, a.Value(i)) })
		default:
			each(func(b []byte, i int) []byte { return append(b, a.Value(i)...) })
		}
	case *array.Binary:
		if t.IsVarNumeric() {
			each(func(b []byte, i int) []byte { return numeric.AppendKey(b, a.Value(i)) })
		} else {
			each(func(b []byte, i int) []byte { return append(b, a.Value(i)...) })
		}
	case *array.FixedSizeBinary:
		each(func(b []byte, i int) []byte { return append(b, a.Value(i)...) })
	case *array.List:
		k.appendListKeys(a, t.ElemType())
	default:
		// Unreachable for orderKeyable types; every row equal keeps
		// lookups a superset.
		each(func(b []byte, _ int) []byte { return b })
	}
}

// appendListKeys appends the key of each row of l, arrays of elem.
func (k *orderKeys) appendListKeys(l *array.List, elem catalog.Type) {
	var elems orderKeys
	child := l.ListValues()
	elems.appendKeys(child, elem)
	off, offs := l.Data().Offset(), l.Offsets()
	for i := 0; i < l.Len(); i++ {
		if l.IsValid(i) {
			for e := int(offs[off+i]); e < int(offs[off+i+1]); e++ {
				if child.IsNull(e) {
					k.buf = append(k.buf, 2)
					continue
				}
				k.buf = append(k.buf, 1)
				for _, c := range elems.key(e) {
					if c == 0 {
						k.buf = append(k.buf, 0, 0xFF)
					} else {
						k.buf = append(k.buf, c)
					}
				}
				k.buf = append(k.buf, 0, 1)
			}
			k.buf = append(k.buf, 0)
		}
		k.ends = append(k.ends, len(k.buf))
	}
}

// appendOrderedInt appends v big-endian with its sign bit flipped, so
// that keys sort as the integers do.
func appendOrderedInt(b []byte, v int64) []byte {
	return binary.BigEndian.AppendUint64(b, uint64(v)^1<<63)
}

// appendOrderedFloat appends the key of v: PostgreSQL's float order,
// -0 equal to 0 and NaN equal to itself and above +Infinity
// (canonicalFloat64 makes every NaN math.NaN(), a positive one).
func appendOrderedFloat(b []byte, v float64) []byte {
	bits := canonicalFloat64(v)
	if bits&(1<<63) != 0 {
		bits = ^bits
	} else {
		bits |= 1 << 63
	}
	return binary.BigEndian.AppendUint64(b, bits)
}

// orderKeyArray returns the order keys of arr, a column of type t, as a
// binary array, NULL where arr is.
func orderKeyArray(arr arrow.Array, t catalog.Type) arrow.Array {
	var k orderKeys
	k.appendKeys(arr, t)
	b := array.NewBinaryBuilder(memory.DefaultAllocator, arrow.BinaryTypes.Binary)
	defer b.Release()
	b.Reserve(arr.Len())
	b.ReserveData(len(k.buf))
	for i := range arr.Len() {
		if arr.IsNull(i) {
			b.AppendNull()
		} else {
			b.Append(k.key(i))
		}
	}
	return b.NewArray()
}

// orderKeyOf returns the order key of d, a value of type t in
// catalog.Datum's representation; false when d is NULL or not of t.
func orderKeyOf(t catalog.Type, d catalog.Datum) ([]byte, bool) {
	if d == nil || !orderKeyable(t) {
		return nil, false
	}
	b := array.NewBuilder(memory.DefaultAllocator, t.ArrowType())
	defer b.Release()
	if err := catalog.AppendDatum(b, d); err != nil {
		return nil, false
	}
	arr := b.NewArray()
	defer arr.Release()
	var k orderKeys
	k.appendKeys(arr, t)
	return k.key(0), true
}
