package jsonb

import (
	"bytes"
	"encoding/binary"
)

// Value is one encoded jsonb value (see the package documentation for the
// layout). Every element, object value and navigation result is a
// sub-slice of its container, itself a complete Value.
type Value []byte

// Kind is the type of a jsonb value. The constants are in PostgreSQL's
// jbvType order, the order Compare puts unequal kinds in.
type Kind uint8

// The kinds of jsonb values.
const (
	KindNull Kind = iota
	KindString
	KindNumber
	KindBool
	KindArray
	KindObject
)

// String returns the kind's name as jsonb_typeof prints it.
func (k Kind) String() string {
	switch k {
	case KindNull:
		return "null"
	case KindString:
		return "string"
	case KindNumber:
		return "number"
	case KindBool:
		return "boolean"
	case KindArray:
		return "array"
	case KindObject:
		return "object"
	}
	return "invalid"
}

// Tag bytes. The low nibble says what the node is; for containers the high
// nibble selects the width of the count and offset fields (widthCode).
const (
	tagNull   = 0x00
	tagFalse  = 0x01
	tagTrue   = 0x02
	tagNumber = 0x03
	tagString = 0x04
	tagArray  = 0x05
	tagObject = 0x06

	tagKindMask  = 0x0F
	tagWidthShft = 4
)

// kindOfTag maps a tag's low nibble to its Kind.
var kindOfTag = [16]Kind{
	tagNull:   KindNull,
	tagFalse:  KindBool,
	tagTrue:   KindBool,
	tagNumber: KindNumber,
	tagString: KindString,
	tagArray:  KindArray,
	tagObject: KindObject,
}

// Kind returns the value's kind.
func (v Value) Kind() Kind { return kindOfTag[v[0]&tagKindMask] }

// IsScalar reports whether v is a string, number, boolean or null.
func (v Value) IsScalar() bool { return v[0]&tagKindMask < tagArray }

// Bool returns a boolean value's truth (false for any other kind).
func (v Value) Bool() bool { return v[0] == tagTrue }

// Str returns a string value's UTF-8 bytes, unescaped.
func (v Value) Str() []byte { return v[1:] }

// Numeric returns a number value's numeric encoding (package numeric).
func (v Value) Numeric() []byte { return v[1:] }

// widthOfTag returns the byte width of a container's count and offsets.
func widthOfTag(tag byte) int { return 1 << (tag >> tagWidthShft) }

// readWidth reads an unsigned little-endian integer of width w at b.
func readWidth(b []byte, w int) int {
	switch w {
	case 1:
		return int(b[0])
	case 2:
		return int(binary.LittleEndian.Uint16(b))
	default:
		return int(binary.LittleEndian.Uint32(b))
	}
}

// container is a decoded container header: where its parts start.
type container struct {
	v     Value
	w     int // width of the count and each offset
	n     int // elements, or pairs for an object
	table int // offset of the end-offset table
	data  int // offset of the children's bytes
}

func openContainer(v Value) container {
	w := widthOfTag(v[0])
	n := readWidth(v[1:], w)
	entries := n
	if v[0]&tagKindMask == tagObject {
		entries = 2 * n
	}
	table := 1 + w
	return container{v: v, w: w, n: n, table: table, data: table + entries*w}
}

// end returns the end offset (relative to data) of child j.
func (c *container) end(j int) int { return readWidth(c.v[c.table+j*c.w:], c.w) }

// child returns child j: for an array element j, for an object key j
// (j < n) or the value of pair j-n.
func (c *container) child(j int) []byte {
	start := 0
	if j > 0 {
		start = c.end(j - 1)
	}
	return c.v[c.data+start : c.data+c.end(j)]
}

// Len returns the number of elements of an array or pairs of an object,
// and 0 for a scalar.
func (v Value) Len() int {
	switch v[0] & tagKindMask {
	case tagArray, tagObject:
		return readWidth(v[1:], widthOfTag(v[0]))
	}
	return 0
}

// Elem returns element i of an array (0 <= i < Len). O(1).
func (v Value) Elem(i int) Value {
	c := openContainer(v)
	return Value(c.child(i))
}

// Key returns the key of pair i of an object (0 <= i < Len), unescaped.
// Pairs are in jsonb key order: shorter keys first, then bytewise.
func (v Value) Key(i int) []byte {
	c := openContainer(v)
	return c.child(i)
}

// Field returns the value of pair i of an object (0 <= i < Len).
func (v Value) Field(i int) Value {
	c := openContainer(v)
	return Value(c.child(c.n + i))
}

// compareKeys orders object keys as jsonb stores them: by length, then
// bytewise (lengthCompareJsonbString).
func compareKeys(a, b []byte) int {
	if len(a) != len(b) {
		if len(a) < len(b) {
			return -1
		}
		return 1
	}
	return bytes.Compare(a, b)
}

// lookup finds key in an object by binary search; it returns the pair's
// index or -1.
func (v Value) lookup(key []byte) int {
	c := openContainer(v)
	lo, hi := 0, c.n
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		d := compareKeys(c.child(mid), key)
		if d == 0 {
			return mid
		}
		if d < 0 {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return -1
}

// Lookup returns the value of key in an object, if v is an object that
// has it.
func (v Value) Lookup(key []byte) (Value, bool) {
	if v[0]&tagKindMask != tagObject {
		return nil, false
	}
	i := v.lookup(key)
	if i < 0 {
		return nil, false
	}
	return v.Field(i), true
}
