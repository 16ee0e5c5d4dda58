package storage

import "math/bits"

// intMembers answers "is x one of these integers" for the values of an
// In predicate (a runtime join filter hands over up to 2^20) while a
// page's key column is narrowed row by row (page_narrow.go). A binary
// search over the bounds costs tens of nanoseconds a row; a bitmap over
// the keys' span, or an open-addressing hash set when the span is too
// wide for one, costs a few.
type intMembers struct {
	lo, hi int64
	bitmap []uint64 // bit x-lo, when the span is small
	slots  []int64  // hash set: the keys, empty slots hold empty
	used   []bool
	shift  uint
}

// intMembersOf is the set of sorted, distinct integer bounds vals, made
// once per predicate and probed by every row the scan narrows: a bitmap
// when its words are no more than four per key, or when it is small
// enough to stay in the cache (minBitmapWords) whatever the keys. A
// join's runtime filter of a few hundred part keys (TPC-H Q17) spans a
// few thousand words, and the hash set it got instead cost most of the
// query.
func intMembersOf(vals []bound) *intMembers {
	keys := make([]int64, len(vals))
	for i, b := range vals {
		keys[i] = b.i
	}
	return newIntMembers(keys, max(4*len(keys), minBitmapWords))
}

// minBitmapWords is the most words (256 KiB) a predicate's bitmap takes
// whatever its number of keys.
const minBitmapWords = 32 << 10

// newIntMembers builds the set of keys (sorted, distinct) for probing
// rows values: a bitmap when its words are no more than the rows, so that
// building it costs no more than probing them.
func newIntMembers(keys []int64, rows int) *intMembers {
	m := &intMembers{lo: keys[0], hi: keys[len(keys)-1]}
	if span := uint64(m.hi - m.lo); span>>6 <= uint64(max(rows, len(keys))) {
		m.bitmap = make([]uint64, span>>6+1)
		for _, k := range keys {
			d := uint64(k - m.lo)
			m.bitmap[d>>6] |= 1 << (d & 63)
		}
		return m
	}
	size := 1 << bits.Len(uint(2*len(keys)))
	m.slots, m.used = make([]int64, size), make([]bool, size)
	m.shift = uint(64 - bits.TrailingZeros(uint(size)))
	for _, k := range keys {
		i := m.slot(k)
		for m.used[i] {
			i = (i + 1) & (size - 1)
		}
		m.slots[i], m.used[i] = k, true
	}
	return m
}

// slot is the home slot of x: Fibonacci hashing, the top bits of a
// multiplication.
func (m *intMembers) slot(x int64) int {
	return int(uint64(x) * 0x9E3779B97F4A7C15 >> m.shift)
}

// has reports whether x is one of the keys.
func (m *intMembers) has(x int64) bool {
	if x < m.lo || x > m.hi {
		return false
	}
	if m.bitmap != nil {
		d := uint64(x - m.lo)
		return m.bitmap[d>>6]&(1<<(d&63)) != 0
	}
	mask := len(m.slots) - 1
	for i := m.slot(x); m.used[i]; i = (i + 1) & mask {
		if m.slots[i] == x {
			return true
		}
	}
	return false
}
