package exec

import (
	"bytes"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// Arrays compare, sort, group and hash by one normalized key per row: the
// sort keys of its elements in order (each starts with a marker byte, 1
// for a value and 2 for NULL, and is prefix-free), then a 0 byte. Under
// bytes.Compare this is PostgreSQL's array order (btarraycmp for
// one-dimensional arrays): element by element, a NULL element above
// every value and equal to another NULL, and a shorter array below a
// longer one it is a prefix of. Equal arrays have equal keys (1.5 and
// 1.50, -0 and 0, NaN and NaN, char(n) padding), so the key also serves
// equality and hashing.

// arrayKeys holds the keys of the rows of one List column; a NULL row has
// an empty key.
type arrayKeys struct {
	arena   []byte
	offsets []int32
}

func (k *arrayKeys) key(i int) []byte { return k.arena[k.offsets[i]:k.offsets[i+1]] }

func arrayKeysOf(t catalog.Type, a arrow.Array) *arrayKeys {
	v := listViewOf(a)
	n := a.Len()
	var elems *sortKeys
	if lo, hi := int(v.offsets[0]), int(v.offsets[n]); hi > lo || v.values.Len() > 0 {
		elems = encodeSortKeys([]SortKey{{Expr: Literal(nil, t.ElemType())}}, []arrow.Array{v.values}, v.values.Len())
	}
	out := &arrayKeys{offsets: make([]int32, n+1)}
	for i := 0; i < n; i++ {
		if v.valid(i) {
			lo, hi := v.bounds(i)
			for j := lo; j < hi; j++ {
				out.arena = append(out.arena, elems.key(j)...)
			}
			out.arena = append(out.arena, 0)
		}
		out.offsets[i+1] = int32(len(out.arena))
	}
	return out
}

// arrayCompare is the comparison kernel of two arrays of one type.
func arrayCompare(op BinaryOp, t catalog.Type) binaryKernel {
	keys := func(a arrow.Array) *arrayKeys { return arrayKeysOf(t, a) }
	return keyCompare(op, keys, keys)
}

// keyCompare is the comparison kernel of two columns of values that
// order as their memcomparable keys (arrays, records), made per side by
// xKeys and yKeys.
func keyCompare(op BinaryOp, xKeys, yKeys func(arrow.Array) *arrayKeys) binaryKernel {
	return func(mem memory.Allocator, xa, ya arrow.Array, b *Batch) (arrow.Array, error) {
		x, y := xKeys(xa), yKeys(ya)
		out := newBoolBuilder(mem, b.Len)
		out.nullMask = combineNulls(mem, b.Len, xa, ya)
		for _, i := range rowsOf(b) {
			if out.isNull(int(i)) {
				continue
			}
			out.set(int(i), opHolds(op, bytes.Compare(x.key(int(i)), y.key(int(i)))))
		}
		return out.finish(), nil
	}
}

// compareArrayDatums orders two non-NULL ArrayValues of type t.
func compareArrayDatums(t catalog.Type, a, b catalog.ArrayValue) int {
	et := t.ElemType()
	for i := 0; i < len(a) && i < len(b); i++ {
		switch x, y := a[i], b[i]; {
		case x == nil && y == nil:
		case x == nil:
			return 1
		case y == nil:
			return -1
		default:
			if c := compareDatums(et, x, y); c != 0 {
				return c
			}
		}
	}
	return len(a) - len(b)
}

// arrayKeyColumn is the hash-table keyColumn of an array column: rows are
// told apart by their keys; each group keeps its first row for output.
type arrayKeyColumn struct {
	t       catalog.Type
	null    []bool
	arena   []byte
	offsets []int32
	values  *columnAppender
	done    arrow.Array
}

// keysOf computes the keys of a afresh on each call: a batch's arrays
// may be recycled, so no key outlives the call.
// Records use it too, with their own keys (record_keys.go).
func (c *arrayKeyColumn) keysOf(a arrow.Array) *arrayKeys { return compositeKeysOf(c.t, a) }

func (c *arrayKeyColumn) hash(a arrow.Array, rows []int32, h []uint64) {
	k := c.keysOf(a)
	for j, i := range rows {
		if a.IsNull(int(i)) {
			h[j] = mix64(h[j] ^ nullHash)
			continue
		}
		h[j] = mix64(h[j] ^ hashBytes(k.key(int(i))))
	}
}

func (c *arrayKeyColumn) equal(a arrow.Array, rows []int32, groups []int32, eq []bool) {
	k := c.keysOf(a)
	for j, i := range rows {
		g := groups[j]
		if n := a.IsNull(int(i)); n || c.null[g] {
			if n != c.null[g] {
				eq[j] = false
			}
			continue
		}
		if !bytes.Equal(k.key(int(i)), c.arena[c.offsets[g]:c.offsets[g+1]]) {
			eq[j] = false
		}
	}
}

func (c *arrayKeyColumn) appendRow(a arrow.Array, row int32) {
	if c.values == nil {
		c.values = newColumnAppender(memory.DefaultAllocator, c.t, 0)
		c.offsets = []int32{0}
	}
	k := c.keysOf(a)
	c.null = append(c.null, a.IsNull(int(row)))
	c.arena = append(c.arena, k.key(int(row))...)
	c.offsets = append(c.offsets, int32(len(c.arena)))
	c.values.appendFrom(a, int(row))
}

func (c *arrayKeyColumn) array(mem memory.Allocator) arrow.Array {
	if c.values == nil {
		return nullArray(mem, c.t, 0)
	}
	if c.done == nil {
		c.done = c.values.finish()
	}
	return take(mem, c.t, c.done, identitySel(c.done.Len()))
}
