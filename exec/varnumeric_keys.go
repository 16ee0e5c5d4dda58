package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/numeric"
)

// Var-scale numeric keys for hashing, grouping, joins, DISTINCT, set
// operations and sorting: values are compared through numeric.AppendKey,
// which is equal for equal values whatever their display scale (1.5 and
// 1.50 are one group, as hash_numeric makes them in PostgreSQL) and
// orders like numeric.Compare under bytes.Compare (NaN above +Infinity).

// varNumKeys is the keyColumn of var numeric: it stores each group's
// normalized key for comparing and the first value seen, as PostgreSQL
// outputs it, for the key column of the result.
type varNumKeys struct {
	t            catalog.Type
	keyOff, orig []int32
	keys, vals   []byte
	null         []bool
	scratch      []byte
}

func (c *varNumKeys) hash(a arrow.Array, rows []int32, h []uint64) {
	v := varlenViewOf(a)
	for k, i := range rows {
		if !v.valid(int(i)) {
			h[k] = mix64(h[k] ^ nullHash)
			continue
		}
		c.scratch = numeric.AppendKey(c.scratch[:0], v.bytes(int(i)))
		h[k] = mix64(h[k] ^ hashBytes(c.scratch))
	}
}

func (c *varNumKeys) equal(a arrow.Array, rows []int32, groups []int32, eq []bool) {
	v := varlenViewOf(a)
	for k, i := range rows {
		g := groups[k]
		if n := !v.valid(int(i)); n || c.null[g] {
			if n != c.null[g] {
				eq[k] = false
			}
			continue
		}
		c.scratch = numeric.AppendKey(c.scratch[:0], v.bytes(int(i)))
		if string(c.scratch) != string(c.keys[c.keyOff[g]:c.keyOff[g+1]]) {
			eq[k] = false
		}
	}
}

func (c *varNumKeys) appendRow(a arrow.Array, row int32) {
	if len(c.keyOff) == 0 {
		c.keyOff = append(c.keyOff, 0)
		c.orig = append(c.orig, 0)
	}
	v := varlenViewOf(a)
	if !v.valid(int(row)) {
		c.null = append(c.null, true)
	} else {
		c.null = append(c.null, false)
		p := v.bytes(int(row))
		c.keys = numeric.AppendKey(c.keys, p)
		c.vals = append(c.vals, p...)
	}
	c.keyOff = append(c.keyOff, int32(len(c.keys)))
	c.orig = append(c.orig, int32(len(c.vals)))
}

func (c *varNumKeys) array(mem memory.Allocator) arrow.Array {
	b := newVarlenBuilder(mem, len(c.null), len(c.vals))
	for g, n := range c.null {
		if n {
			b.appendNull()
			continue
		}
		b.appendBytes(c.vals[c.orig[g]:c.orig[g+1]])
	}
	return b.finish(c.t)
}

// varNumSortKeyLengths adds the encoded sort key length of each row of a
// var numeric column: the escaped numeric.AppendKey plus a terminator.
func varNumSortKeyLengths(a arrow.Array, lengths []int32) {
	v := varlenViewOf(a)
	var scratch []byte
	for i := range lengths {
		lengths[i]++
		if !v.valid(i) {
			continue
		}
		scratch = numeric.AppendKey(scratch[:0], v.bytes(i))
		n := int32(len(scratch) + 2)
		for _, c := range scratch {
			if c == 0 {
				n++
			}
		}
		lengths[i] += n
	}
}

// encodeVarNumSortKeys writes the keys of a var numeric column after the
// NULL marker put writes; the key is escaped like a string (0x00 as
// 0x00 0x01, then 0x00 0x00) so that it is prefix-free and the next sort
// column cannot change its order.
func encodeVarNumSortKeys(a arrow.Array, arena []byte, cursor []int32, inv byte, put func(int) bool) {
	v := varlenViewOf(a)
	var scratch []byte
	for i := range cursor {
		if !put(i) {
			continue
		}
		scratch = numeric.AppendKey(scratch[:0], v.bytes(i))
		w := cursor[i]
		for _, c := range scratch {
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
		cursor[i] = w + 2
	}
}
