package jsonb

import (
	"encoding/binary"

	"github.com/pqdb/pqdb/numeric"
)

// AppendKey appends a sort key for v: two values have equal keys exactly
// when Compare says they are equal, and keys compare under bytes.Compare
// as the values do under Compare. So the key serves for hashing, GROUP BY,
// DISTINCT and sorting, where the encoding itself is not enough: jsonb
// '1.0' and '1' are equal but print differently, so their encodings
// differ.
//
// Layout: a top-level class byte (empty array, scalar, other array,
// object: the top-level order) and then the node; a node is a kind byte
// in Compare's kind order and its content:
//   - string: the bytes with 0x00 written as 0x00 0xFF, then 0x00 0x00;
//   - number: a class byte (negative, zero, positive); for a positive
//     number the weight biased by 0x8000 and each base-10000 digit plus
//     one, as big-endian uint16s, then 0x0000; for a negative one the
//     complements (0x7FFF-weight, 10000-digit) and 0xFFFF;
//   - boolean: 0 or 1;
//   - array: the element count as a big-endian uint32, then the elements;
//   - object: the pair count, then each key (as a string's content) and
//     value.
//
// Each part is self-delimiting (no part's key is a prefix of another's),
// so comparing keys byte by byte compares the values part by part in
// Compare's order, with the counts first where Compare puts them.
func AppendKey(dst []byte, v Value) []byte {
	switch {
	case v.IsScalar():
		dst = append(dst, keyTopScalar)
	case v[0]&tagKindMask == tagObject:
		dst = append(dst, keyTopObject)
	case v.Len() == 0:
		return append(dst, keyTopEmptyArray)
	default:
		dst = append(dst, keyTopArray)
	}
	return appendNodeKey(dst, v)
}

// Top-level classes, in Compare's top-level order.
const (
	keyTopEmptyArray = 0x01
	keyTopScalar     = 0x02
	keyTopArray      = 0x03
	keyTopObject     = 0x04
)

// Number classes.
const (
	keyNumNegInf = 0x00
	keyNumNeg    = 0x01
	keyNumZero   = 0x02
	keyNumPos    = 0x03
	keyNumPosInf = 0x04
	keyNumNaN    = 0x05
)

func appendNodeKey(dst []byte, v Value) []byte {
	k := v.Kind()
	dst = append(dst, byte(k))
	switch k {
	case KindNull:
		return dst
	case KindString:
		return appendStringKey(dst, v[1:])
	case KindNumber:
		return appendNumberKey(dst, v[1:])
	case KindBool:
		if v.Bool() {
			return append(dst, 1)
		}
		return append(dst, 0)
	}
	c := openContainer(v)
	dst = binary.BigEndian.AppendUint32(dst, uint32(c.n))
	if k == KindArray {
		for i := 0; i < c.n; i++ {
			dst = appendNodeKey(dst, Value(c.child(i)))
		}
		return dst
	}
	for i := 0; i < c.n; i++ {
		dst = appendStringKey(dst, c.child(i))
		dst = appendNodeKey(dst, Value(c.child(c.n+i)))
	}
	return dst
}

func appendStringKey(dst, s []byte) []byte {
	for _, c := range s {
		if c == 0 {
			dst = append(dst, 0, 0xFF)
		} else {
			dst = append(dst, c)
		}
	}
	return append(dst, 0, 0)
}

// appendNumberKey reads the numeric encoding (ndigits, weight, sign,
// dscale, digits; see package numeric).
func appendNumberKey(dst, num []byte) []byte {
	ndigits := int(int16(binary.BigEndian.Uint16(num)))
	weight := int(int16(binary.BigEndian.Uint16(num[2:])))
	sign := binary.BigEndian.Uint16(num[4:])
	switch sign {
	case numeric.SignNaN:
		return append(dst, keyNumNaN)
	case numeric.SignPInf:
		return append(dst, keyNumPosInf)
	case numeric.SignNInf:
		return append(dst, keyNumNegInf)
	}
	if ndigits == 0 {
		return append(dst, keyNumZero)
	}
	digits := num[numeric.HeaderSize:]
	if sign == numeric.SignPos {
		dst = append(dst, keyNumPos)
		dst = binary.BigEndian.AppendUint16(dst, uint16(weight+0x8000))
		for i := 0; i < ndigits; i++ {
			dst = binary.BigEndian.AppendUint16(dst, binary.BigEndian.Uint16(digits[2*i:])+1)
		}
		return append(dst, 0, 0)
	}
	dst = append(dst, keyNumNeg)
	dst = binary.BigEndian.AppendUint16(dst, uint16(0x7FFF-weight))
	for i := 0; i < ndigits; i++ {
		dst = binary.BigEndian.AppendUint16(dst, 10000-binary.BigEndian.Uint16(digits[2*i:]))
	}
	return append(dst, 0xFF, 0xFF)
}
