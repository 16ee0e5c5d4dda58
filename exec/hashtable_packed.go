package exec

import (
	"encoding/binary"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// Narrow keys — flags, codes, small integers, dates, booleans, bigint
// ids — are the common grouping and join keys. When every key column fits
// in a few bits, a hashTable packs each row's whole key into 128 bits:
// hashing is one mix and comparing one equality of two words, in a single
// probing pass, instead of a typed pass per column and candidate round.
//
// Short strings are packed by value: a table starts packed when its types
// allow it, and the first batch with a string too long to pack switches
// it to the column-wise representation for good (its groups are rehashed
// from the stored keys, which both representations keep). A 64-bit
// integer takes a whole word; its NULL flag takes a bit left over by the
// other columns, and where none is left (two bigints: a join's keys, never
// NULL) the first NULL switches the table to column-wise keys the same way.

type packedKey [2]uint64

// keyPacker places one key column in a packedKey: width bits at bit off
// of word word, the top one of them marking NULL for 2- and 4-byte kinds.
// An 8-byte kind's value takes the whole word and its NULL flag is bit
// nullOff of word nullWord, when hasNullBit.
type keyPacker struct {
	kind              physicalKind
	word, off         uint
	width             uint
	pad               bool // char(n): trailing spaces do not count
	fixedBytes        int  // byte width of fixed-width kinds
	hasNullBit        bool
	nullWord, nullOff uint
}

type physicalKind uint8

const (
	packBool physicalKind = iota
	packFixed
	packVarlen
)

// maxPackedString is the longest string (after char(n) trimming) that a
// packed key holds: 7 bytes plus a length byte in one word.
const maxPackedString = 7

// packLayout returns how to pack keys of the given types, or nil when
// they do not fit in a packedKey.
func packLayout(types []catalog.Type) []keyPacker {
	var out []keyPacker
	var used [2]uint // bits taken of each word
	word, off := uint(0), uint(0)
	for _, t := range types {
		p := keyPacker{}
		switch t.Kind {
		case catalog.Bool:
			p.kind, p.width = packBool, 2
		case catalog.Int2:
			p.kind, p.width, p.fixedBytes = packFixed, 17, 2
		case catalog.Int4, catalog.Date, catalog.Oid, catalog.RegProc, catalog.RegProcedure, catalog.RegClass, catalog.RegType, catalog.RegNamespace, catalog.RegRole, catalog.RegOper, catalog.RegOperator, catalog.RegConfig, catalog.RegDictionary, catalog.RegCollation, catalog.Xid, catalog.Cid:
			p.kind, p.width, p.fixedBytes = packFixed, 33, 4
		case catalog.Int8, catalog.Time, catalog.Timestamp, catalog.TimestampTZ:
			p.kind, p.width, p.fixedBytes = packFixed, 64, 8
		case catalog.Text, catalog.Varchar, catalog.Bpchar, catalog.Name, catalog.Char, catalog.Aclitem, catalog.PgNodeTree, catalog.Enum:
			p.kind, p.width, p.pad = packVarlen, 64, t.Kind == catalog.Bpchar
		default:
			return nil
		}
		if off+p.width > 64 {
			word, off = word+1, 0
		}
		if word > 1 {
			return nil
		}
		p.word, p.off = word, off
		off += p.width
		used[word] = off
		out = append(out, p)
	}
	// The NULL flags of 8-byte kinds go where bits are left.
	for i := range out {
		if out[i].fixedBytes != 8 {
			continue
		}
		for w := range used {
			if used[w] < 64 {
				out[i].hasNullBit, out[i].nullWord, out[i].nullOff = true, uint(w), used[w]
				used[w]++
				break
			}
		}
	}
	return out
}

// pack ORs column a's part of the key of row rows[k] into keys[k]. It
// reports false when a string is too long to pack.
func (p *keyPacker) pack(a arrow.Array, rows []int32, keys []packedKey) bool {
	w, off := p.word, p.off
	switch p.kind {
	case packBool:
		v := boolViewOf(a)
		for k, i := range rows {
			keys[k][w] |= uint64(boolKey(v, int(i))+2) << off
		}
	case packFixed:
		v := validityOf(a)
		nullBit := uint64(1) << (p.width - 1)
		if p.fixedBytes == 2 {
			vals := fixedValues[int16](a)
			for k, i := range rows {
				x := uint64(uint16(vals[i]))
				if !v.valid(int(i)) {
					x = nullBit
				}
				keys[k][w] |= x << off
			}
			return true
		}
		if p.fixedBytes == 8 {
			return p.pack64(a, rows, keys)
		}
		vals := fixedValues[uint32](a)
		for k, i := range rows {
			x := uint64(vals[i])
			if !v.valid(int(i)) {
				x = nullBit
			}
			keys[k][w] |= x << off
		}
	case packVarlen:
		return p.packVarlen(a, rows, keys)
	}
	return true
}

// packVarlen packs a string column: its bytes, then its length in the
// top byte (0xff for NULL), a word of its own.
func (p *keyPacker) packVarlen(a arrow.Array, rows []int32, keys []packedKey) bool {
	v := varlenViewOf(a)
	w := p.word
	nulls := v.bits != nil
	for k, i := range rows {
		if nulls && !v.valid(int(i)) {
			keys[k][w] = 0xff << 56
			continue
		}
		lo, hi := int(v.offsets[i]), int(v.offsets[i+1])
		if p.pad {
			for hi > lo && v.data[hi-1] == ' ' {
				hi--
			}
		}
		n := hi - lo
		if n > maxPackedString {
			return false
		}
		var x uint64
		if lo+8 <= len(v.data) {
			// One load of the word the string starts, masked to its bytes.
			x = binary.LittleEndian.Uint64(v.data[lo:]) & (1<<(8*n) - 1)
		} else {
			for j, c := range v.data[lo:hi] {
				x |= uint64(c) << (8 * j)
			}
		}
		keys[k][w] = x | uint64(n)<<56
	}
	return true
}

// pack64 packs an 8-byte column, which takes its whole word. It reports
// false for a NULL when the layout left no bit for its flag.
func (p *keyPacker) pack64(a arrow.Array, rows []int32, keys []packedKey) bool {
	vals := fixedValues[int64](a)
	w := p.word
	if a.NullN() == 0 {
		for k, i := range rows {
			keys[k][w] = uint64(vals[i])
		}
		return true
	}
	v := validityOf(a)
	for k, i := range rows {
		if v.valid(int(i)) {
			keys[k][w] = uint64(vals[i])
			continue
		}
		if !p.hasNullBit {
			return false
		}
		keys[k][p.nullWord] |= 1 << p.nullOff
	}
	return true
}

func (k packedKey) hash() uint64 {
	return mix64(k[0] ^ mix64(k[1]^0x9e3779b97f4a7c15))
}

// packRows fills t.packed with the packed key of every row, reporting
// false when some row's key does not pack.
func (t *hashTable) packRows(keys []arrow.Array, rows []int32) bool {
	if cap(t.packed) < len(rows) {
		// By need, doubling: a table of a few keys (an IN list's, a
		// small build's) packs them in a few bytes, not a batch's
		// megabyte, zeroed on every allocation.
		t.packed = make([]packedKey, len(rows), max(len(rows), 2*cap(t.packed)))
	}
	t.packed = t.packed[:len(rows)]
	clear(t.packed)
	for c := range t.packers {
		if !t.packers[c].pack(keys[c], rows, t.packed) {
			return false
		}
	}
	return true
}

// probeChunk is how many rows findPacked probes together: enough slots
// and keys in flight to overlap their cache misses, few enough that the
// cache lines of the first pass are still in L1 for the second.
const probeChunk = 256

// findPacked is find for a packed table whose rows t.packRows packed.
// A table of a few groups compares each key with every group's
// (findTiny). A larger one probes each chunk of rows in passes with no
// branches between the loads, so that the processor overlaps their cache
// misses: every row's first slot, then the key of every group whose tag
// matched. The rows these leave open (a new key, a collision) take the
// probing loop (probePacked), in row order, so groups are numbered by
// their first row.
func (t *hashTable) findPacked(keys []arrow.Array, rows []int32, groups []int32, insert bool) int {
	added, base := 0, 0
	t.newRows = t.newRows[:0]
	defer t.appendNewKeys(keys)
	for base < len(t.packed) && len(t.groupKeys) <= tinyGroups {
		base += t.findTiny(t.packed[base:], groups[base:], insert)
		if base < len(t.packed) {
			// A key the table does not hold yet.
			groups[base] = t.probePacked(keys, rows[base], t.packed[base], t.packed[base].hash(), insert)
			added++
			base++
		}
	}
	var hashes, slots [probeChunk]uint64
	var open [probeChunk]int32
	for ; base < len(t.packed); base += probeChunk {
		chunk := t.packed[base:min(len(t.packed), base+probeChunk)]
		for j, key := range chunk {
			h := key.hash()
			hashes[j] = h
			slots[j] = t.slots[h&t.mask]
		}
		nopen := 0
		for j, key := range chunk {
			s := slots[j]
			switch {
			case s == 0 && !insert:
				groups[base+j] = -1
			case s != 0 && tagMatches(s, hashes[j]) && t.groupKeys[slotGroup(s)] == key:
				groups[base+j] = slotGroup(s)
			default:
				open[nopen] = int32(j)
				nopen++
			}
		}
		for _, j := range open[:nopen] {
			k := base + int(j)
			before := len(t.groupKeys)
			groups[k] = t.probePacked(keys, rows[k], chunk[j], hashes[j], insert)
			added += len(t.groupKeys) - before
		}
	}
	return added
}

// probePacked returns the group of the packed key key, hashing to h, of
// row row: probing from its first slot, and adding a group for it when
// the table holds none and insert is set (otherwise -1).
func (t *hashTable) probePacked(keys []arrow.Array, row int32, key packedKey, h uint64, insert bool) int32 {
	p := h & t.mask
	for {
		s := t.slots[p]
		if s == 0 {
			if !insert {
				return -1
			}
			g := int32(len(t.hashes))
			t.hashes = appendDoubling(t.hashes, h)
			t.groupKeys = appendDoubling(t.groupKeys, key)
			t.newRows = append(t.newRows, row)
			t.slots[p] = slotOf(h, g)
			return g
		}
		if tagMatches(s, h) {
			if g := slotGroup(s); t.groupKeys[g] == key {
				return g
			}
		}
		p = (p + 1) & t.mask
	}
}

// appendNewKeys stores the keys of the groups a findPacked added, from
// the rows it listed in t.newRows, column by column. Nothing reads the
// stored keys of a packed table while it finds.
func (t *hashTable) appendNewKeys(keys []arrow.Array) {
	if len(t.newRows) == 0 {
		return
	}
	for c, col := range t.cols {
		appendKeyRows(col, keys[c], t.newRows)
	}
	t.newRows = t.newRows[:0]
}

// unpack switches t to column-wise keys: the groups are rehashed from
// their stored keys the way hashRows hashes rows.
func (t *hashTable) unpack() {
	t.packers, t.groupKeys, t.packed = nil, nil, nil
	if len(t.hashes) == 0 {
		return
	}
	stored := t.keyArrays(memory.DefaultAllocator)
	t.hashRows(stored, identitySel(len(t.hashes)))
	releaseAll(stored)
	copy(t.hashes, t.h)
	t.resize(len(t.slots))
}
