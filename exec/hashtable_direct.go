package exec

import (
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// Direct-mapped grouping. Grouping by one integer column whose values
// lie in a range not much wider than their number (ids, keys: TPC-H
// Q13's c_custkey, Q18's l_orderkey) needs no hashing: a hash table in
// direct mode finds a key's group at position key-base of an array,
// with one random access to a small array instead of two (the slot, then
// the group's key) to larger ones. It is DuckDB's perfect hash
// aggregate, decided as the rows come rather than from statistics.
//
// The array is cut into chunks of directChunk positions, each allocated
// when a key first falls in it. Growing the map to a wider range of keys
// then moves only the chunks' pointers, never the groups, and a range
// whose keys come in clusters (each pipeline's share of a table stored
// in key order: TPC-H Q18's l_orderkey) takes memory for the clusters
// alone. A whole array sized by doubling took up to four times the span
// and copied it at each doubling: for Q18, a quarter of the query's time
// went to clearing and copying it.
//
// The table still stores every group's key as it adds the group, but
// not its hash, packed key or slot (hashes stays empty): when a batch
// brings a key too far from the others (the range would outgrow
// maxDirectSpan, or be too sparse for its size: directSpanFits), the
// table leaves direct mode for good by computing the groups' hashes and
// packed keys from the stored keys and rebuilding its slots, and hashes
// that batch and every later one. Groups are numbered by their first
// row, in row order, as findPacked numbers them.
//
// A hash join's build on one integer key column takes direct mode too
// when its probe keys are integers (hash_join.go): a probe then finds
// its key's rows with one load (TPC-H Q13's join on c_custkey probed
// 1.5 million times). Such a table stays in direct mode when pipelines
// share it (shareForProbes), each prober with scratch of its own.

const (
	// maxDirectSpan bounds the positions of a direct map (4 bytes each).
	maxDirectSpan = 1 << 24
	// A chunk of a direct map holds directChunk positions: 16 KiB, small
	// enough that a table of a few keys clears little, large enough
	// that the chunks' pointers of a map of maxDirectSpan positions (32
	// KiB) stay in cache.
	directChunkBits = 12
	directChunk     = 1 << directChunkBits
	// smallDirectSpan is the span a direct map may take whatever its
	// density: the first batches of keys that come in no order are
	// sparse in the range the whole input then fills.
	smallDirectSpan = 1 << 20
	// Up to denseDirectSpan a map must hold a group per
	// sparseDirectDensity positions, past it one per directDensity:
	// keys that stay few and far apart (TPC-H Q4's l_orderkey, which a
	// runtime filter thins out) would otherwise have every pipeline clear
	// and copy tens of megabytes to do a small hash table's work.
	denseDirectSpan     = 1 << 22
	sparseDirectDensity = 64
	directDensity       = 16
)

// directSpanFits reports whether a direct map of span positions may
// hold up to groups groups.
func directSpanFits(span, groups uint64) bool {
	switch {
	case span <= smallDirectSpan:
		return true
	case span <= denseDirectSpan:
		return span <= sparseDirectDensity*groups
	}
	return span <= maxDirectSpan && span <= directDensity*groups
}

// directMap is a hash table's direct mode: position i = k-base holds
// the group of key k plus one (0: none), at chunks[i/directChunk][i%
// directChunk] (a nil chunk holds none); nullGroup is the group of NULL
// (-1: none).
type directMap struct {
	base      int64
	chunks    []*directChunkArray
	allocated int // non-nil chunks, for memSize
	n         int // the table's groups
	nullGroup int32
	// scratch
	vals []int64
}

type directChunkArray [directChunk]int32

// span is the number of positions the map covers.
func (d *directMap) span() uint64 { return uint64(len(d.chunks)) << directChunkBits }

// useDirect puts a new table of one integer key column in direct mode.
func (t *hashTable) useDirect(types []catalog.Type) {
	if directKeys(types) && t.len() == 0 {
		t.direct = &directMap{nullGroup: -1}
	}
}

// directKeys reports whether keys of types are one column of int2, int4
// or int8, which a direct map reads (directMap.load).
func directKeys(types []catalog.Type) bool {
	if len(types) != 1 {
		return false
	}
	switch types[0].Kind {
	case catalog.Int2, catalog.Int4, catalog.Int8:
		return true
	}
	return false
}

// leaveDirect rebuilds the hashes and slots of a table in direct mode,
// which then finds keys by hashing.
func (t *hashTable) leaveDirect() {
	if t.direct == nil {
		return
	}
	t.hashes = make([]uint64, t.direct.n)
	t.direct = nil
	t.rehashStored()
	n := 1024
	for 2*t.len() > n {
		n *= 2
	}
	t.resize(n)
}

// findDirect is find for a table in direct mode; ok is false, with
// nothing changed, when the batch's keys do not fit the map (or are not
// integers), and the table must leave direct mode.
func (t *hashTable) findDirect(keys []arrow.Array, rows []int32, groups []int32, insert bool) (added int, ok bool) {
	d := t.direct
	col := keys[0]
	if !d.load(col, rows) {
		return 0, false
	}
	if insert && !d.cover(col, rows, t.len()+len(rows)) {
		return 0, false
	}
	t.newRows = t.newRows[:0]
	valid := validityOf(col)
	for k, r := range rows {
		if !valid.valid(int(r)) {
			if d.nullGroup < 0 && insert {
				d.nullGroup = int32(d.n + len(t.newRows))
				t.newRows = append(t.newRows, r)
			}
			groups[k] = d.nullGroup
			continue
		}
		v := d.vals[k]
		i := uint64(v) - uint64(d.base) // exact when v >= d.base
		if v < d.base || i >= d.span() {
			groups[k] = -1 // only a lookup gets here: insert covered the keys
			continue
		}
		c := d.chunks[i>>directChunkBits]
		if c == nil {
			if !insert {
				groups[k] = -1
				continue
			}
			c = new(directChunkArray)
			d.chunks[i>>directChunkBits] = c
			d.allocated++
		}
		g := c[i&(directChunk-1)] - 1
		if g < 0 && insert {
			g = int32(d.n + len(t.newRows))
			c[i&(directChunk-1)] = g + 1
			t.newRows = append(t.newRows, r)
		}
		groups[k] = g
	}
	added = len(t.newRows)
	t.addDirectGroups(keys)
	return added, true
}

// load reads the key of every row into d.vals (a NULL's is unread); false
// when the column is not of an integer type direct mode takes.
func (d *directMap) load(col arrow.Array, rows []int32) bool {
	d.vals = growTo(d.vals[:0], len(rows))
	switch a := col.(type) {
	case *array.Int64:
		v := a.Int64Values()
		for k, r := range rows {
			d.vals[k] = v[r]
		}
	case *array.Int32:
		v := a.Int32Values()
		for k, r := range rows {
			d.vals[k] = int64(v[r])
		}
	case *array.Int16:
		v := a.Int16Values()
		for k, r := range rows {
			d.vals[k] = int64(v[r])
		}
	default:
		return false
	}
	return true
}

// cover grows the map to hold every non-NULL key of rows (their values
// in d.vals), for a table that may then hold up to groups groups; false,
// with the map unchanged, when the span would be too wide.
func (d *directMap) cover(col arrow.Array, rows []int32, groups int) bool {
	lo, hi, any := int64(0), int64(0), false
	valid := validityOf(col)
	for k, r := range rows {
		if !valid.valid(int(r)) {
			continue
		}
		v := d.vals[k]
		if !any {
			lo, hi, any = v, v, true
			continue
		}
		lo, hi = min(lo, v), max(hi, v)
	}
	if !any {
		return true
	}
	if len(d.chunks) == 0 {
		span := uint64(hi) - uint64(lo) + 1 // no overflow past 2^64: checked below
		if hi-lo < 0 || !directSpanFits(span, uint64(groups)) {
			return false
		}
		d.base = lo
		d.chunks = make([]*directChunkArray, (span+directChunk-1)>>directChunkBits)
		return true
	}
	if lo >= d.base && uint64(hi)-uint64(d.base) < d.span() {
		return true
	}
	// The base moves by whole chunks, so that the chunks keep their
	// positions.
	below := uint64(0) // chunks added below the base
	if lo < d.base {
		below = (uint64(d.base) - uint64(lo) + directChunk - 1) >> directChunkBits
	}
	base := d.base - int64(below<<directChunkBits)
	if base > d.base || below > maxDirectSpan>>directChunkBits {
		return false // the new base would fall below math.MinInt64
	}
	top := max(uint64(hi)-uint64(base)+1, uint64(d.base)-uint64(base)+d.span())
	n := (top + directChunk - 1) >> directChunkBits
	if top == 0 || n > maxDirectSpan>>directChunkBits || !directSpanFits(n<<directChunkBits, uint64(groups)) {
		return false
	}
	if below == 0 {
		// Keys that come in order extend the map a chunk at a time:
		// append keeps that linear.
		d.chunks = append(d.chunks, make([]*directChunkArray, n-uint64(len(d.chunks)))...)
		return true
	}
	chunks := make([]*directChunkArray, n)
	copy(chunks[below:], d.chunks)
	d.chunks, d.base = chunks, base
	return true
}

// addDirectGroups stores the keys of the groups findDirect added (their
// first rows in t.newRows). Their hashes and packed keys wait for
// leaveDirect: a direct map finds groups by key alone.
func (t *hashTable) addDirectGroups(keys []arrow.Array) {
	if len(t.newRows) == 0 {
		return
	}
	t.direct.n += len(t.newRows)
	for c, col := range t.cols {
		appendKeyRows(col, keys[c], t.newRows)
	}
	t.newRows = t.newRows[:0]
}

// rehashStored computes every group's hash, and its packed key in a
// packed table, from its stored key, as findPacked or hashRows would
// have: what a table leaving direct mode skipped. A key that does not
// pack leaves the table with column-wise keys (unpack).
func (t *hashTable) rehashStored() {
	if t.len() == 0 {
		return
	}
	stored := t.keyArrays(memory.DefaultAllocator)
	defer releaseAll(stored)
	rows := identitySel(t.len())
	if t.packers != nil && t.packRows(stored, rows) {
		t.groupKeys = append(t.groupKeys[:0], t.packed...)
		for g, k := range t.groupKeys {
			t.hashes[g] = k.hash()
		}
		return
	}
	t.packers, t.groupKeys, t.packed = nil, nil, nil
	t.hashRows(stored, rows)
	copy(t.hashes, t.h)
}

// sharedGroups finds the groups of o whose keys t holds too, both tables
// in direct mode: for each such group g not yet merged it sets target[g]
// to t's group of the key and merged[g], and it returns how many it
// found. Only the chunks allocated in both maps over the same keys are
// compared position by position: pipelines that aggregate a table
// stored in key order each see ranges of keys of their own, and share
// only the chunks at the ranges' edges.
func (t *hashTable) sharedGroups(o *hashTable, target []int32, merged []bool) int {
	a, b := t.direct, o.direct
	n := 0
	if a.nullGroup >= 0 && b.nullGroup >= 0 && !merged[b.nullGroup] {
		target[b.nullGroup], merged[b.nullGroup] = a.nullGroup, true
		n++
	}
	for ci, c := range b.chunks {
		if c == nil {
			continue
		}
		first := b.base + int64(ci)<<directChunkBits // the chunk's first key
		last := first + (directChunk - 1)
		if last < first {
			last = math.MaxInt64
		}
		if !a.chunkAt(first) && !a.chunkAt(last) {
			continue // a's chunks over these keys (at most two) are unallocated
		}
		for j, og := range c {
			if og == 0 || merged[og-1] {
				continue
			}
			if tg := a.groupOf(first + int64(j)); tg >= 0 {
				target[og-1], merged[og-1] = tg, true
				n++
			}
		}
	}
	return n
}

// chunkOf returns the chunk of key k and k's position in it; the chunk
// is nil when the map has none allocated there.
func (d *directMap) chunkOf(k int64) (*directChunkArray, int) {
	i := uint64(k) - uint64(d.base)
	if k < d.base || i >= d.span() {
		return nil, 0
	}
	return d.chunks[i>>directChunkBits], int(i & (directChunk - 1))
}

// chunkAt reports whether the chunk of key k is allocated.
func (d *directMap) chunkAt(k int64) bool {
	c, _ := d.chunkOf(k)
	return c != nil
}

// groupOf is the group of key k, or -1.
func (d *directMap) groupOf(k int64) int32 {
	c, at := d.chunkOf(k)
	if c == nil {
		return -1
	}
	return c[at] - 1
}
