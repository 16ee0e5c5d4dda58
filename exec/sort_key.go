package exec

import (
	"encoding/binary"
	"math"
	"math/bits"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/pqdb/pqdb/catalog"
)

// SortKey is one ORDER BY item. PostgreSQL sorts NULLs as larger than
// every value, so its default is NULLS LAST for ASC and NULLS FIRST for
// DESC; the planner sets NullsFirst explicitly either way.
type SortKey struct {
	Expr       Expr
	Desc       bool
	NullsFirst bool
}

// Sorting compares normalized keys: every row's ORDER BY values are
// encoded into one byte string whose bytewise order is the requested
// order (DuckDB's approach). Comparisons are then one bytes.Compare, with
// no per-comparison dispatch on types, directions or NULL placement.
//
// Each key contributes a NULL-marker byte (placing NULLs first or last,
// independent of direction), then, for non-NULL values, an encoding in
// ascending order that is bit-inverted for DESC: int4, int8, dates,
// times, timestamps and numeric(p,s) as a length header and the fewest
// bytes of their magnitude (putMagnitudeKey), other integers big-endian
// with the sign bit flipped, floats by IEEE bits rearranged (NaN largest,
// -0 = 0), strings with 0x00 escaped and a 0x00 0x00 terminator so that a
// prefix sorts first.

// sortKeys holds the encoded keys of n rows in one arena.
type sortKeys struct {
	arena   []byte
	offsets []int32 // n+1
}

func (s *sortKeys) key(i int) []byte { return s.arena[s.offsets[i]:s.offsets[i+1]] }

// encodeSortKeys encodes the keys of rows 0..n-1 of the dense columns cols
// (already evaluated key expressions).
func encodeSortKeys(keys []SortKey, cols []arrow.Array, n int) *sortKeys {
	lengths := make([]int32, n)
	for c, k := range keys {
		addKeyLengths(k.Expr.Type(), cols[c], lengths)
	}
	sk := &sortKeys{offsets: make([]int32, n+1)}
	total := int32(0)
	for i, l := range lengths {
		sk.offsets[i] = total
		total += l
	}
	sk.offsets[n] = total
	sk.arena = make([]byte, total)
	cursor := lengths // reuse: cursor[i] = write position of row i
	copy(cursor, sk.offsets[:n])
	for c, k := range keys {
		encodeKeyColumn(k, cols[c], sk.arena, cursor)
	}
	return sk
}

func addKeyLengths(t catalog.Type, a arrow.Array, lengths []int32) {
	v := validityOf(a)
	switch physicalOf(t) {
	case physList, physStruct:
		ak := compositeKeysOf(t, a)
		for i := range lengths {
			lengths[i]++
			if v.valid(i) {
				lengths[i] += escapedKeyLength(ak.key(i))
			}
		}
		return
	case physVarlen:
		vv, k := varlenViewOf(a), varlenKeyOf(t)
		for i := range lengths {
			lengths[i]++
			if !v.valid(i) {
				continue
			}
			p := k.of(vv.bytes(i))
			n := int32(len(p) + 2)
			for _, c := range p {
				if c == 0 {
					n++
				}
			}
			lengths[i] += n
		}
		return
	}
	switch {
	case t.Kind == catalog.Numeric:
		vals := fixedValues[decimal128.Num](a)
		for i := range lengths {
			lengths[i]++
			if v.valid(i) {
				_, hi, lo := numericMagnitude(vals[i])
				lengths[i] += 1 + magnitudeLen(hi, lo)
			}
		}
		return
	case int32Keyed(t.Kind):
		addIntKeyLengths(fixedValues[int32](a), v, lengths)
		return
	case int64Keyed(t.Kind):
		addIntKeyLengths(fixedValues[int64](a), v, lengths)
		return
	}
	w := int32(1)
	if physicalOf(t) == physFixed {
		w = int32(fixedWidthOf(t.Kind))
	}
	for i := range lengths {
		lengths[i]++
		if v.valid(i) {
			lengths[i] += w
		}
	}
}

func encodeKeyColumn(k SortKey, a arrow.Array, arena []byte, cursor []int32) {
	t := k.Expr.Type()
	v := validityOf(a)
	nullByte, valueByte := byte(2), byte(1)
	if k.NullsFirst {
		nullByte = 0
	}
	var inv byte
	if k.Desc {
		inv = 0xff
	}
	// put writes the NULL marker; it reports whether a value follows.
	put := func(i int) bool {
		if !v.valid(i) {
			arena[cursor[i]] = nullByte
			cursor[i]++
			return false
		}
		arena[cursor[i]] = valueByte
		cursor[i]++
		return true
	}
	n := len(cursor)
	if t.Kind == catalog.Array || t.Kind == catalog.Record {
		ak := compositeKeysOf(t, a)
		for i := 0; i < n; i++ {
			if put(i) {
				cursor[i] = putEscapedKey(arena, cursor[i], ak.key(i), inv)
			}
		}
		return
	}
	if t.IsVarNumeric() {
		encodeVarlenSortKeys(t, a, arena, cursor, inv, put)
		return
	}
	switch {
	case int32Keyed(t.Kind):
		putIntKeys(fixedValues[int32](a), arena, cursor, inv, put)
		return
	case int64Keyed(t.Kind):
		putIntKeys(fixedValues[int64](a), arena, cursor, inv, put)
		return
	}
	switch t.Kind {
	case catalog.Bool:
		bv := boolViewOf(a)
		for i := 0; i < n; i++ {
			if put(i) {
				arena[cursor[i]] = byte(boolToInt(bv.value(i))) ^ inv
				cursor[i]++
			}
		}
	case catalog.Int2:
		vals := fixedValues[int16](a)
		for i := 0; i < n; i++ {
			if put(i) {
				binary.BigEndian.PutUint16(arena[cursor[i]:], uint16(vals[i])^0x8000^uint16(inv)<<8^uint16(inv))
				cursor[i] += 2
			}
		}
	case catalog.Oid, catalog.RegProc, catalog.RegProcedure, catalog.RegClass, catalog.RegType, catalog.RegNamespace, catalog.RegRole, catalog.RegOper, catalog.RegOperator, catalog.RegConfig, catalog.RegDictionary, catalog.RegCollation, catalog.Xid, catalog.Cid:
		vals := fixedValues[uint32](a)
		x := uint32(0)
		if inv != 0 {
			x = math.MaxUint32
		}
		for i := 0; i < n; i++ {
			if put(i) {
				binary.BigEndian.PutUint32(arena[cursor[i]:], vals[i]^x)
				cursor[i] += 4
			}
		}
	case catalog.Float4:
		vals := fixedValues[float32](a)
		x := uint32(0)
		if inv != 0 {
			x = math.MaxUint32
		}
		for i := 0; i < n; i++ {
			if put(i) {
				binary.BigEndian.PutUint32(arena[cursor[i]:], orderedFloat32(vals[i])^x)
				cursor[i] += 4
			}
		}
	case catalog.Float8:
		vals := fixedValues[float64](a)
		x := uint64(0)
		if inv != 0 {
			x = math.MaxUint64
		}
		for i := 0; i < n; i++ {
			if put(i) {
				binary.BigEndian.PutUint64(arena[cursor[i]:], orderedFloat64(vals[i])^x)
				cursor[i] += 8
			}
		}
	case catalog.Numeric:
		vals := fixedValues[decimal128.Num](a)
		for i := 0; i < n; i++ {
			if put(i) {
				cursor[i] = putNumericKey(arena, cursor[i], vals[i], inv)
			}
		}
	case catalog.Interval:
		vals := fixedValues[arrow.MonthDayNanoInterval](a)
		x := uint64(0)
		if inv != 0 {
			x = math.MaxUint64
		}
		for i := 0; i < n; i++ {
			if put(i) {
				days, us := catalog.IntervalSpan(vals[i])
				binary.BigEndian.PutUint64(arena[cursor[i]:], uint64(days)^(1<<63)^x)
				binary.BigEndian.PutUint64(arena[cursor[i]+8:], uint64(us)^x)
				cursor[i] += 16
			}
		}
	case catalog.UUID:
		vals := fixedValues[[16]byte](a)
		for i := 0; i < n; i++ {
			if put(i) {
				for j := 0; j < 16; j++ {
					arena[int(cursor[i])+j] = vals[i][j] ^ inv
				}
				cursor[i] += 16
			}
		}
	default:
		encodeVarlenSortKeys(t, a, arena, cursor, inv, put)
	}
}

// Integers and numeric(p,s) values are keyed by a header byte and the
// fewest big-endian bytes of their magnitude (putMagnitudeKey): small
// values, as most counts, ids, dates and prices are, take a few bytes
// rather than eight or sixteen: a key is shorter, so a radix sort has
// fewer bytes to go through (sort_radix.go), and the first eight bytes of
// a row's keys, which decide most comparisons of an aggregate's ORDER BY
// (prefixword.Of), reach past them.

// int32Keyed and int64Keyed report the kinds whose int32 or int64
// values are keyed as integers.
func int32Keyed(k catalog.Kind) bool { return k == catalog.Int4 || k == catalog.Date }

func int64Keyed(k catalog.Kind) bool {
	switch k {
	case catalog.Int8, catalog.Time, catalog.Timestamp, catalog.TimestampTZ, catalog.Xid8, catalog.Tid, catalog.PgLsn:
		return true
	}
	return false
}

// intMagnitude is the magnitude putMagnitudeKey keys an integer by: v,
// or its complement when v < 0.
func intMagnitude(v int64) uint64 {
	if v < 0 {
		return ^uint64(v)
	}
	return uint64(v)
}

// addIntKeyLengths adds the key lengths of the integers vals (after the
// NULL marker) to lengths.
func addIntKeyLengths[T int32 | int64](vals []T, v validity, lengths []int32) {
	for i := range lengths {
		lengths[i]++
		if v.valid(i) {
			lengths[i] += 1 + magnitudeLen(0, intMagnitude(int64(vals[i])))
		}
	}
}

// putIntKeys writes the keys of the integers vals of the rows put keeps
// (see putMagnitudeKey) at their cursors, which it moves past them.
func putIntKeys[T int32 | int64](vals []T, arena []byte, cursor []int32, inv byte, put func(int) bool) {
	for i := range cursor {
		if put(i) {
			v := int64(vals[i])
			cursor[i] = putMagnitudeKey(arena, cursor[i], v < 0, 0, intMagnitude(v), inv)
		}
	}
}

// putNumericKey writes the key of a numeric(p,s) value v (a decimal of
// the column's one scale) at arena[w:] and returns the position after it.
func putNumericKey(arena []byte, w int32, v decimal128.Num, inv byte) int32 {
	neg, hi, lo := numericMagnitude(v)
	return putMagnitudeKey(arena, w, neg, hi, lo, inv)
}

// putMagnitudeKey writes, each byte XORed with inv, the key of a value
// whose magnitude is the 128-bit hi:lo (the value if neg is false, its
// complement if true): 0x80+len and the magnitude's fewest big-endian
// bytes for a value >= 0; 0x7f-len and the complement of those bytes for
// a value < 0. A longer magnitude lies further from zero, so keys order
// as the values; the header fixes the length, so the key is prefix-free.
func putMagnitudeKey(arena []byte, w int32, neg bool, hi, lo uint64, inv byte) int32 {
	n := magnitudeLen(hi, lo)
	var buf [16]byte
	binary.BigEndian.PutUint64(buf[:8], hi)
	binary.BigEndian.PutUint64(buf[8:], lo)
	header, flip := 0x80+byte(n), inv
	if neg {
		header, flip = 0x7f-byte(n), ^inv
	}
	arena[w] = header ^ inv
	for j, c := range buf[16-n:] {
		arena[int(w)+1+j] = c ^ flip
	}
	return w + 1 + n
}

// numericMagnitude splits v into its sign and the bits of v (v >= 0) or
// of ^v (v < 0), a non-negative number either way.
func numericMagnitude(v decimal128.Num) (neg bool, hi, lo uint64) {
	hi, lo = uint64(v.HighBits()), v.LowBits()
	if v.HighBits() < 0 {
		return true, ^hi, ^lo
	}
	return false, hi, lo
}

// magnitudeLen is the fewest bytes that hold the 128-bit number hi:lo.
func magnitudeLen(hi, lo uint64) int32 {
	if hi != 0 {
		return int32(16 - bits.LeadingZeros64(hi)/8)
	}
	return int32(8 - bits.LeadingZeros64(lo)/8)
}

// encodeVarlenSortKeys writes the keys (varlenKey) of a varlen column,
// var numeric included, after the NULL marker put writes, escaped (0x00 as 0x00 0x01, then 0x00 0x00) so that
// the key is prefix-free and the next sort column cannot change its
// order.
func encodeVarlenSortKeys(t catalog.Type, a arrow.Array, arena []byte, cursor []int32, inv byte, put func(int) bool) {
	vv, k := varlenViewOf(a), varlenKeyOf(t)
	for i := range cursor {
		if !put(i) {
			continue
		}
		cursor[i] = putEscapedKey(arena, cursor[i], k.of(vv.bytes(i)), inv)
	}
}

// putEscapedKey writes p at arena[w:] with 0x00 escaped as 0x00 0x01 and
// a 0x00 0x00 terminator, each byte XORed with inv, and returns the
// position after it.
func putEscapedKey(arena []byte, w int32, p []byte, inv byte) int32 {
	for _, c := range p {
		if c == 0 {
			arena[w] = 0 ^ inv
			arena[w+1] = 1 ^ inv
			w += 2
			continue
		}
		arena[w] = c ^ inv
		w++
	}
	arena[w] = inv
	arena[w+1] = inv
	return w + 2
}

// escapedKeyLength is the length putEscapedKey writes for p.
func escapedKeyLength(p []byte) int32 {
	n := int32(len(p) + 2)
	for _, c := range p {
		if c == 0 {
			n++
		}
	}
	return n
}

func orderedFloat64(f float64) uint64 {
	switch {
	case f == 0:
		f = 0
	case f != f:
		return math.MaxUint64 // NaN sorts above +Inf
	}
	b := math.Float64bits(f)
	if b>>63 != 0 {
		return ^b
	}
	return b | 1<<63
}

func orderedFloat32(f float32) uint32 {
	switch {
	case f == 0:
		f = 0
	case f != f:
		return math.MaxUint32
	}
	b := math.Float32bits(f)
	if b>>31 != 0 {
		return ^b
	}
	return b | 1<<31
}
