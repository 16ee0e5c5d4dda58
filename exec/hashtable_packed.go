package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// Narrow keys — flags, codes, small integers, dates, booleans — are the
// common grouping keys. When every key column fits in a few bits, a
// hashTable packs each row's whole key into 128 bits: hashing is one mix
// and comparing one equality of two words, in a single probing pass,
// instead of a typed pass per column and candidate round.
//
// Short strings are packed by value: a table starts packed when its types
// allow it, and the first batch with a string too long to pack switches
// it to the column-wise representation for good (its groups are rehashed
// from the stored keys, which both representations keep).

type packedKey [2]uint64

// keyPacker places one key column in a packedKey: width bits at bit off
// of word word, the top one of them marking NULL for fixed-width kinds.
type keyPacker struct {
	kind       physicalKind
	word, off  uint
	width      uint
	pad        bool // char(n): trailing spaces do not count
	fixedBytes int  // byte width of fixed-width kinds
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
		out = append(out, p)
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
		vals := fixedValues[uint32](a)
		for k, i := range rows {
			x := uint64(vals[i])
			if !v.valid(int(i)) {
				x = nullBit
			}
			keys[k][w] |= x << off
		}
	case packVarlen:
		v := varlenViewOf(a)
		for k, i := range rows {
			if !v.valid(int(i)) {
				keys[k][w] = 0xff << 56
				continue
			}
			b := v.bytes(int(i))
			if p.pad {
				b = trimTrailingSpaces(b)
			}
			if len(b) > maxPackedString {
				return false
			}
			x := uint64(len(b)) << 56
			for j, c := range b {
				x |= uint64(c) << (8 * j)
			}
			keys[k][w] = x
		}
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
		t.packed = make([]packedKey, len(rows), max(len(rows), maxBatchRows))
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

// findPacked is find for a packed table whose rows t.packRows packed.
func (t *hashTable) findPacked(keys []arrow.Array, rows []int32, groups []int32, insert bool) int {
	added := 0
	for k, key := range t.packed {
		h := key.hash()
		p := h & t.mask
		for {
			s := t.slots[p]
			if s == 0 {
				if insert {
					g := int32(len(t.hashes))
					t.hashes = append(t.hashes, h)
					t.groupKeys = append(t.groupKeys, key)
					for c, col := range t.cols {
						col.appendRow(keys[c], rows[k])
					}
					t.slots[p] = g + 1
					groups[k] = g
					added++
				} else {
					groups[k] = -1
				}
				break
			}
			if t.hashes[s-1] == h && t.groupKeys[s-1] == key {
				groups[k] = s - 1
				break
			}
			p = (p + 1) & t.mask
		}
	}
	return added
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
