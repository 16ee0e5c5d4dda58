package exec

import (
	"encoding/binary"
	"hash/maphash"
	"math"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/numeric"
)

// hashTable maps composite keys to dense group numbers 0, 1, 2, ... It is
// the core of hash aggregation, DISTINCT, hash joins and IN (subquery).
//
// Keys are stored column-wise in typed keyColumns. A batch is processed
// in vectorized passes (DuckDB's scheme): hash every row, walk each row
// to the first slot whose stored hash matches, then compare the
// candidates column by column in one typed loop per column; rows whose
// keys differ continue probing in the next pass. Interface calls happen
// per column per pass, never per row, except when a new group is added.
//
// A slot holds its group's number and the top 32 bits of its hash (a
// tag, see slotOf), so that a probe reads one random cache line to skip
// the groups whose hash differs, not the slot and then the group's hash.
//
// NULL is an ordinary key value here (GROUP BY and DISTINCT treat NULLs
// as equal); joins drop rows with NULL keys before they reach the table.
type hashTable struct {
	cols   []keyColumn
	hashes []uint64 // per group
	slots  []uint64 // slotOf(hash, group); 0 = empty
	mask   uint64

	// scratch, reused across batches
	h, pos         []uint64
	pending, next  []int32
	cand, candRows []int32
	candGroups     []int32
	eq             []bool
	claimed        []bool // firstOfNewGroups: new groups already claimed
	// distinct is firstSeen's scratch, for a DISTINCT aggregate's table.
	distinct struct{ groups, ids, rows, kept []int32 }

	// packers, when set, pack every key into a packedKey (see
	// hashtable_packed.go); groupKeys are then the groups' packed keys
	// and hashes their hashes.
	packers   []keyPacker
	groupKeys []packedKey
	packed    []packedKey // scratch: the packed keys of a batch
	newRows   []int32     // scratch: the rows of the groups findPacked adds

	// direct, when set, finds the groups of one integer key column by
	// position instead of by hash (hashtable_direct.go); the slots are
	// then rebuilt only when the table leaves direct mode.
	direct *directMap
}

func newHashTable(types []catalog.Type) *hashTable {
	t := &hashTable{cols: make([]keyColumn, len(types)), packers: packLayout(types)}
	for i, ty := range types {
		t.cols[i] = newKeyColumn(ty)
	}
	t.resize(1024)
	return t
}

func (t *hashTable) len() int {
	if t.direct != nil {
		return t.direct.n
	}
	return len(t.hashes)
}

func (t *hashTable) resize(nslots int) {
	t.slots = make([]uint64, nslots)
	t.mask = uint64(nslots - 1)
	for g, h := range t.hashes {
		p := h & t.mask
		for t.slots[p] != 0 {
			p = (p + 1) & t.mask
		}
		t.slots[p] = slotOf(h, int32(g))
	}
}

// slotOf is the slot entry of group g whose key hashes to h: the hash's
// top 32 bits over g+1, never 0. Slot positions come from the hash's low
// bits, so the tag tells apart most hashes that share a position.
func slotOf(h uint64, g int32) uint64 {
	return h&^0xffffffff | uint64(uint32(g+1))
}

// tagMatches reports whether slot s may hold the key hashing to h.
func tagMatches(s, h uint64) bool { return (s^h)>>32 == 0 }

// slotGroup is the group of a non-empty slot.
func slotGroup(s uint64) int32 { return int32(uint32(s)) - 1 }

var hashSeed = maphash.MakeSeed()

// hashBytes hashes a key string; short ones (most grouping keys: flags,
// codes, names) are folded directly instead of calling maphash.
func hashBytes(p []byte) uint64 {
	n := len(p)
	if n <= 8 {
		// Overlapping loads cover every byte without a loop (wyhash's trick).
		var w uint64
		switch {
		case n >= 4:
			w = uint64(binary.LittleEndian.Uint32(p)) | uint64(binary.LittleEndian.Uint32(p[n-4:]))<<32
		case n > 0:
			w = uint64(p[0]) | uint64(p[n/2])<<8 | uint64(p[n-1])<<16
		}
		return mix64(w ^ uint64(n)<<59)
	}
	return maphash.Bytes(hashSeed, p)
}

// hashRows fills t.h with the key hash of each row.
func (t *hashTable) hashRows(keys []arrow.Array, rows []int32) {
	t.h = resizeU64(t.h, len(rows))
	for k := range t.h {
		t.h[k] = 0x9e3779b97f4a7c15
	}
	for c, col := range t.cols {
		col.hash(keys[c], rows, t.h)
	}
}

// find sets groups[k] to the group of row rows[k], inserting new groups
// when insert is set and otherwise reporting -1 for unseen keys. It
// returns how many groups were added.
func (t *hashTable) find(keys []arrow.Array, rows []int32, groups []int32, insert bool) int {
	if t.direct != nil {
		if n, ok := t.findDirect(keys, rows, groups, insert); ok {
			return n
		}
		t.leaveDirect()
	}
	if insert && 2*(len(t.hashes)+len(rows)) > len(t.slots) {
		n := len(t.slots)
		for 2*(len(t.hashes)+len(rows)) > n {
			n *= 2
		}
		t.resize(n)
	}
	if t.packers != nil {
		if t.packRows(keys, rows) {
			return t.findPacked(keys, rows, groups, insert)
		}
		t.unpack()
	}
	t.hashRows(keys, rows)
	t.pos = resizeU64(t.pos, len(rows))
	t.pending = t.pending[:0]
	for k, h := range t.h {
		t.pos[k] = h & t.mask
		t.pending = append(t.pending, int32(k))
	}
	added := 0
	for len(t.pending) > 0 {
		t.cand, t.candRows, t.candGroups = t.cand[:0], t.candRows[:0], t.candGroups[:0]
		for _, k := range t.pending {
			h := t.h[k]
			p := t.pos[k]
			for {
				s := t.slots[p]
				if s == 0 {
					if insert {
						g := int32(len(t.hashes))
						t.hashes = appendDoubling(t.hashes, h)
						t.newRows = append(t.newRows, rows[k])
						t.slots[p] = slotOf(h, g)
						groups[k] = g
						added++
					} else {
						groups[k] = -1
					}
					break
				}
				if tagMatches(s, h) {
					t.cand = append(t.cand, k)
					t.candRows = append(t.candRows, rows[k])
					t.candGroups = append(t.candGroups, slotGroup(s))
					break
				}
				p = (p + 1) & t.mask
			}
			t.pos[k] = p
		}
		// The groups this round added have their keys stored before any
		// candidate is compared with them.
		t.appendNewKeys(keys)
		if len(t.cand) == 0 {
			break
		}
		t.eq = t.eq[:0]
		for range t.cand {
			t.eq = append(t.eq, true)
		}
		for c, col := range t.cols {
			col.equal(keys[c], t.candRows, t.candGroups, t.eq)
		}
		t.next = t.next[:0]
		for j, k := range t.cand {
			if t.eq[j] {
				groups[k] = t.candGroups[j]
				continue
			}
			t.pos[k] = (t.pos[k] + 1) & t.mask
			t.next = append(t.next, k)
		}
		t.pending, t.next = t.next, t.pending
	}
	return added
}

// keyArrays returns the stored keys as columns, one row per group.
func (t *hashTable) keyArrays(mem memory.Allocator) []arrow.Array {
	out := make([]arrow.Array, len(t.cols))
	for i, c := range t.cols {
		out[i] = c.array(mem)
	}
	return out
}

// A hash table's per-group slices grow by doubling: append's growth of
// large slices (a quarter at a time) copied a table of a hundred
// thousand groups some thirty times over as it filled.

// appendDoubling appends v to s, doubling its capacity when it is full.
func appendDoubling[T any](s []T, v T) []T {
	if len(s) == cap(s) {
		s = reserveDoubling(s, 1)
	}
	return append(s, v)
}

// reserveDoubling returns s with room for n more elements, at least
// doubling its capacity when it grows.
func reserveDoubling[T any](s []T, n int) []T {
	if cap(s)-len(s) >= n {
		return s
	}
	out := make([]T, len(s), max(2*cap(s), len(s)+n))
	copy(out, s)
	return out
}

func resizeU64(s []uint64, n int) []uint64 {
	if cap(s) < n {
		return make([]uint64, n)
	}
	return s[:n]
}

func mix64(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}

const nullHash = 0x5bd1e9955bd1e995

// keyColumn holds the distinct values of one key column.
type keyColumn interface {
	// hash mixes the hash of row rows[k] of a into h[k].
	hash(a arrow.Array, rows []int32, h []uint64)
	// equal clears eq[k] where row rows[k] of a differs from group
	// groups[k]'s stored key.
	equal(a arrow.Array, rows []int32, groups []int32, eq []bool)
	appendRow(a arrow.Array, row int32)
	array(mem memory.Allocator) arrow.Array
}

// appendKeyRows appends the keys of rows of a to col, in one loop where
// col has one.
func appendKeyRows(col keyColumn, a arrow.Array, rows []int32) {
	if c, ok := col.(interface{ appendRows(arrow.Array, []int32) }); ok {
		c.appendRows(a, rows)
		return
	}
	for _, r := range rows {
		col.appendRow(a, r)
	}
}

func newKeyColumn(t catalog.Type) keyColumn {
	switch t.Kind {
	case catalog.Array, catalog.Record:
		return &arrayKeyColumn{t: t}
	case catalog.Bool:
		return &boolKeys{t: t}
	case catalog.Int2:
		return &fixedKeys[int16]{t: t}
	case catalog.Int4, catalog.Date:
		return &fixedKeys[int32]{t: t}
	case catalog.Int8, catalog.Time, catalog.Timestamp, catalog.TimestampTZ, catalog.Xid8, catalog.Tid, catalog.PgLsn:
		return &fixedKeys[int64]{t: t}
	case catalog.Oid, catalog.RegProc, catalog.RegProcedure, catalog.RegClass, catalog.RegType, catalog.RegNamespace, catalog.RegRole, catalog.RegOper, catalog.RegOperator, catalog.RegConfig, catalog.RegDictionary, catalog.RegCollation, catalog.Xid, catalog.Cid:
		return &fixedKeys[uint32]{t: t}
	case catalog.Float4:
		return &fixedKeys[float32]{t: t, float: true}
	case catalog.Float8:
		return &fixedKeys[float64]{t: t, float: true}
	case catalog.Numeric:
		if t.IsVarNumeric() {
			return &varlenKeys{t: t, varlenKey: varlenKeyOf(t)}
		}
		return &fixedKeys[decimal128.Num]{t: t}
	case catalog.Interval:
		return &fixedKeys[arrow.MonthDayNanoInterval]{t: t, span: true}
	case catalog.UUID:
		return &fixedKeys[[16]byte]{t: t}
	}
	return &varlenKeys{t: t, varlenKey: varlenKeyOf(t)}
}

type comparableFixed interface {
	~int16 | ~int32 | ~int64 | ~uint32 | ~float32 | ~float64 |
		decimal128.Num | arrow.MonthDayNanoInterval | [16]byte
}

type fixedKeys[T comparableFixed] struct {
	t     catalog.Type
	float bool // normalise -0 and NaN so equal floats hash equal
	// span compares intervals by their span, as interval_eq does: '1
	// day' and '24 hours' are one key.
	span bool
	vals []T
	null []bool
}

// bitsOf folds a fixed-width value to 64 bits for hashing.
func bitsOf[T comparableFixed](v T) uint64 {
	switch unsafe.Sizeof(v) {
	case 2:
		return uint64(*(*uint16)(unsafe.Pointer(&v)))
	case 4:
		return uint64(*(*uint32)(unsafe.Pointer(&v)))
	case 8:
		return *(*uint64)(unsafe.Pointer(&v))
	}
	p := (*[2]uint64)(unsafe.Pointer(&v))
	return mix64(p[0]) ^ p[1]
}

// floatKeyBits maps a float to bits that are equal exactly when
// PostgreSQL calls the floats equal (-0 = 0, NaN = NaN).
func floatKeyBits[T comparableFixed](v T) uint64 {
	if unsafe.Sizeof(v) == 8 {
		f := *(*float64)(unsafe.Pointer(&v))
		switch {
		case f == 0:
			return 0
		case f != f:
			return 0x7ff8000000000001
		}
		return math.Float64bits(f)
	}
	f := *(*float32)(unsafe.Pointer(&v))
	switch {
	case f == 0:
		return 0
	case f != f:
		return 0x7fc00001
	}
	return uint64(math.Float32bits(f))
}

// spanOf is an interval key's span (catalog.IntervalSpan): days and
// microseconds within the day.
func spanOf[T comparableFixed](v T) (days, us int64) {
	return catalog.IntervalSpan(*(*arrow.MonthDayNanoInterval)(unsafe.Pointer(&v)))
}

func (c *fixedKeys[T]) hash(a arrow.Array, rows []int32, h []uint64) {
	vals := fixedValues[T](a)
	v := validityOf(a)
	if v.bits == nil && !c.float && !c.span {
		for k, i := range rows {
			h[k] = mix64(h[k] ^ bitsOf(vals[i]))
		}
		return
	}
	for k, i := range rows {
		if !v.valid(int(i)) {
			h[k] = mix64(h[k] ^ nullHash)
			continue
		}
		if c.float {
			h[k] = mix64(h[k] ^ floatKeyBits(vals[i]))
			continue
		}
		if c.span {
			days, us := spanOf(vals[i])
			h[k] = mix64(h[k] ^ mix64(uint64(days)) ^ uint64(us))
			continue
		}
		h[k] = mix64(h[k] ^ bitsOf(vals[i]))
	}
}

func (c *fixedKeys[T]) equal(a arrow.Array, rows []int32, groups []int32, eq []bool) {
	vals := fixedValues[T](a)
	v := validityOf(a)
	for k, i := range rows {
		g := groups[k]
		if n := !v.valid(int(i)); n || c.null[g] {
			if n != c.null[g] {
				eq[k] = false
			}
			continue
		}
		if c.float {
			if floatKeyBits(vals[i]) != floatKeyBits(c.vals[g]) {
				eq[k] = false
			}
			continue
		}
		if c.span {
			da, ua := spanOf(vals[i])
			db, ub := spanOf(c.vals[g])
			if da != db || ua != ub {
				eq[k] = false
			}
			continue
		}
		if vals[i] != c.vals[g] {
			eq[k] = false
		}
	}
}

func (c *fixedKeys[T]) appendRow(a arrow.Array, row int32) {
	if a.IsNull(int(row)) {
		var zero T
		c.vals = append(c.vals, zero)
		c.null = append(c.null, true)
		return
	}
	c.vals = append(c.vals, fixedValues[T](a)[row])
	c.null = append(c.null, false)
}

func (c *fixedKeys[T]) appendRows(a arrow.Array, rows []int32) {
	vals := fixedValues[T](a)
	v := validityOf(a)
	c.vals, c.null = reserveDoubling(c.vals, len(rows)), reserveDoubling(c.null, len(rows))
	for _, i := range rows {
		if !v.valid(int(i)) {
			var zero T
			c.vals = append(c.vals, zero)
			c.null = append(c.null, true)
			continue
		}
		c.vals = append(c.vals, vals[i])
		c.null = append(c.null, false)
	}
}

func (c *fixedKeys[T]) array(mem memory.Allocator) arrow.Array {
	b := newFixedBuilder[T](mem, len(c.vals))
	copy(b.vals, c.vals)
	for i, n := range c.null {
		if n {
			b.setNull(i)
		}
	}
	return b.finish(c.t)
}

type boolKeys struct {
	t    catalog.Type
	vals []int8 // 0 false, 1 true, -1 NULL
}

func boolKey(v boolView, i int) int8 {
	if !v.valid(i) {
		return -1
	}
	if v.value(i) {
		return 1
	}
	return 0
}

func (c *boolKeys) hash(a arrow.Array, rows []int32, h []uint64) {
	v := boolViewOf(a)
	for k, i := range rows {
		h[k] = mix64(h[k] ^ uint64(boolKey(v, int(i))+2))
	}
}

func (c *boolKeys) equal(a arrow.Array, rows []int32, groups []int32, eq []bool) {
	v := boolViewOf(a)
	for k, i := range rows {
		if boolKey(v, int(i)) != c.vals[groups[k]] {
			eq[k] = false
		}
	}
}

func (c *boolKeys) appendRow(a arrow.Array, row int32) {
	c.vals = append(c.vals, boolKey(boolViewOf(a), int(row)))
}

func (c *boolKeys) appendRows(a arrow.Array, rows []int32) {
	v := boolViewOf(a)
	for _, i := range rows {
		c.vals = append(c.vals, boolKey(v, int(i)))
	}
}

func (c *boolKeys) array(mem memory.Allocator) arrow.Array {
	b := newBoolBuilder(mem, len(c.vals))
	for i, v := range c.vals {
		if v < 0 {
			b.setNull(i)
		}
		b.set(i, v == 1)
	}
	return b.finish()
}

// varlenKey makes the key of varlen values for hashing, grouping,
// joins, DISTINCT, set operations and sorting: the bytes, without
// trailing spaces for char(n); for var numeric numeric.AppendKey of them,
// which is equal for equal values whatever their display scale (1.5 and
// 1.50 are one group, as hash_numeric makes them in PostgreSQL) and
// orders like numeric.Compare under bytes.Compare (NaN above +Infinity);
// for jsonb jsonb.AppendKey of the parsed text (jsonb_order.go), likewise
// equal for equal values and in jsonb's btree order.
type varlenKey struct {
	pad     bool         // char(n): trailing spaces do not count
	num     bool         // var numeric
	jsonb   *jsonbReader // jsonb
	scratch []byte
}

func varlenKeyOf(t catalog.Type) varlenKey {
	k := varlenKey{pad: t.Kind == catalog.Bpchar, num: t.IsVarNumeric()}
	if t.Kind == catalog.JSONB {
		k.jsonb = new(jsonbReader)
	}
	return k
}

// derived reports whether keys are computed from the values rather than
// (trimmed) slices of them.
func (k *varlenKey) derived() bool { return k.num || k.jsonb != nil }

// appendDerived appends the computed key of the value p.
func (k *varlenKey) appendDerived(dst, p []byte) []byte {
	if k.jsonb != nil {
		return k.jsonb.appendKey(dst, p)
	}
	return numeric.AppendKey(dst, p)
}

// of returns the key of the value p, valid until the next call.
func (k *varlenKey) of(p []byte) []byte {
	if k.pad {
		p = trimTrailingSpaces(p)
	}
	if k.derived() {
		k.scratch = k.appendDerived(k.scratch[:0], p)
		return k.scratch
	}
	return p
}

// varlenKeys is the keyColumn of the varlen types, var numeric included.
// The first value seen of each group is kept as it came, for the key
// column of the result.
type varlenKeys struct {
	t catalog.Type
	varlenKey
	offsets []int32
	data    []byte
	null    []bool
	// With derived keys, group g's key is keys[keyOff[g]:keyOff[g+1]].
	keyOff []int32
	keys   []byte
}

func (c *varlenKeys) key(v varlenView, i int) []byte { return c.of(v.bytes(i)) }

func (c *varlenKeys) hash(a arrow.Array, rows []int32, h []uint64) {
	v := varlenViewOf(a)
	for k, i := range rows {
		if !v.valid(int(i)) {
			h[k] = mix64(h[k] ^ nullHash)
			continue
		}
		h[k] = mix64(h[k] ^ hashBytes(c.key(v, int(i))))
	}
}

func (c *varlenKeys) stored(g int32) []byte {
	return c.data[c.offsets[g]:c.offsets[g+1]]
}

// storedKey is the key of group g.
func (c *varlenKeys) storedKey(g int32) []byte {
	if c.derived() {
		return c.keys[c.keyOff[g]:c.keyOff[g+1]]
	}
	s := c.stored(g)
	if c.pad {
		s = trimTrailingSpaces(s)
	}
	return s
}

func (c *varlenKeys) equal(a arrow.Array, rows []int32, groups []int32, eq []bool) {
	v := varlenViewOf(a)
	for k, i := range rows {
		g := groups[k]
		if n := !v.valid(int(i)); n || c.null[g] {
			if n != c.null[g] {
				eq[k] = false
			}
			continue
		}
		if string(c.key(v, int(i))) != string(c.storedKey(g)) {
			eq[k] = false
		}
	}
}

func (c *varlenKeys) appendRow(a arrow.Array, row int32) {
	c.appendViewRow(varlenViewOf(a), row)
}

func (c *varlenKeys) appendRows(a arrow.Array, rows []int32) {
	v := varlenViewOf(a)
	for _, r := range rows {
		c.appendViewRow(v, r)
	}
}

func (c *varlenKeys) appendViewRow(v varlenView, row int32) {
	if len(c.offsets) == 0 {
		c.offsets = append(c.offsets, 0)
		if c.derived() {
			c.keyOff = append(c.keyOff, 0)
		}
	}
	if !v.valid(int(row)) {
		c.null = appendDoubling(c.null, true)
	} else {
		c.null = appendDoubling(c.null, false)
		// Keep the original bytes (char(n) padding included) for output.
		p := v.bytes(int(row))
		c.data = append(reserveDoubling(c.data, len(p)), p...)
		if c.derived() {
			c.keys = c.appendDerived(c.keys, p)
		}
	}
	c.offsets = appendDoubling(c.offsets, int32(len(c.data)))
	if c.derived() {
		c.keyOff = append(c.keyOff, int32(len(c.keys)))
	}
}

func (c *varlenKeys) array(mem memory.Allocator) arrow.Array {
	b := newVarlenBuilder(mem, len(c.null), len(c.data))
	for g, n := range c.null {
		if n {
			b.appendNull()
			continue
		}
		b.appendBytes(c.stored(int32(g)))
	}
	return b.finish(c.t)
}

// firstOfNewGroups appends to keep the first row of each group that the
// find which numbered rows' groups added: those numbered before or
// above, where before is the table's length before that find. Only the
// first row of each new group is kept. find numbers new groups in its
// probing rounds, not in row order (a row that collided is inserted
// after later rows that did not), so a new group's number says nothing
// about where its first row is.
func (t *hashTable) firstOfNewGroups(keep, rows, groups []int32, before int) []int32 {
	t.claimed = t.claimed[:0]
	t.claimed = growTo(t.claimed, t.len()-before)
	for k, g := range groups {
		if int(g) < before || t.claimed[int(g)-before] {
			continue
		}
		t.claimed[int(g)-before] = true
		keep = append(keep, rows[k])
	}
	return keep
}

// shareForProbes readies a complete table for probes from several
// goroutines at once (join_shared_build.go): a probe that cannot pack its
// keys (a long string) would unpack the table in place, so a table with
// variable-length packed keys is unpacked now, once. A table in direct
// mode stays in it: a join's table is in direct mode only when its
// probes bring integer keys too (hash_join.go), which never make it leave.
func (t *hashTable) shareForProbes() {
	for _, p := range t.packers {
		if p.kind == packVarlen {
			t.unpack()
			return
		}
	}
}

// prober returns a view of t for one of several goroutines probing it at
// once (find with insert false): the groups, keys and slots are t's, the
// scratch its own. t must not change while probers are in use, and must
// have been readied by shareForProbes.
func (t *hashTable) prober() *hashTable {
	p := &hashTable{cols: t.cols, hashes: t.hashes, slots: t.slots, mask: t.mask, packers: t.packers, groupKeys: t.groupKeys}
	if d := t.direct; d != nil {
		// The map is read only; the probe's keys go to scratch of its own.
		p.direct = &directMap{base: d.base, chunks: d.chunks, n: d.n, nullGroup: d.nullGroup}
	}
	return p
}
