package numeric

import "encoding/binary"

// Compare returns -1, 0 or 1 as a is less than, equal to or greater than b
// (cmp_numerics): a total order in which NaN equals NaN and sorts above
// everything, +Infinity included, and -Infinity sorts below every finite
// value. Display scale does not matter: 1.5 and 1.50 are equal.
func Compare(a, b []byte) int {
	sa, sb := signOf(a), signOf(b)
	if sa&signSpecialMask == signSpecialMask {
		switch sa {
		case SignNaN:
			if sb == SignNaN {
				return 0
			}
			return 1
		case SignPInf:
			if sb == SignNaN {
				return -1
			}
			if sb == SignPInf {
				return 0
			}
			return 1
		default: // -Infinity
			if sb == SignNInf {
				return 0
			}
			return -1
		}
	}
	if sb&signSpecialMask == signSpecialMask {
		if sb == SignNInf {
			return 1
		}
		return -1
	}
	na, nb := ndigitsOf(a), ndigitsOf(b)
	if na == 0 {
		if nb == 0 {
			return 0
		}
		if sb == SignNeg {
			return 1
		}
		return -1
	}
	if nb == 0 {
		if sa == SignPos {
			return 1
		}
		return -1
	}
	if sa == SignPos {
		if sb == SignNeg {
			return 1
		}
		return cmpAbsEnc(a, b)
	}
	if sb == SignPos {
		return -1
	}
	return cmpAbsEnc(b, a)
}

// cmpAbsEnc compares the absolute values of two finite, normalized
// encodings.
func cmpAbsEnc(a, b []byte) int {
	wa, wb := weightOf(a), weightOf(b)
	if wa != wb {
		if wa > wb {
			return 1
		}
		return -1
	}
	// Same weight, normalized digits: compare digit strings; the longer
	// one wins a tie on the common prefix (its extra digits are nonzero).
	da, db := a[HeaderSize:], b[HeaderSize:]
	n := minInt(len(da), len(db))
	for i := 0; i < n; i += 2 {
		x := binary.BigEndian.Uint16(da[i:])
		y := binary.BigEndian.Uint16(db[i:])
		if x != y {
			if x > y {
				return 1
			}
			return -1
		}
	}
	switch {
	case len(da) > len(db):
		return 1
	case len(da) < len(db):
		return -1
	}
	return 0
}

// Equal reports whether a and b are equal as numerics (Compare == 0).
func Equal(a, b []byte) bool { return Compare(a, b) == 0 }

// Key class bytes; their order is the order of the classes.
const (
	keyNegInf = 0x00
	keyNeg    = 0x01
	keyZero   = 0x02
	keyPos    = 0x03
	keyPosInf = 0x04
	keyNaN    = 0x05
)

// AppendKey appends a key for a: two values have equal keys exactly when
// Compare says they are equal (display scale is ignored, as hash_numeric
// ignores it), and keys compare under bytes.Compare as the values do under
// Compare, so a key serves for hashing, grouping and sorting.
//
// Layout: a class byte (-Infinity, negative, zero, positive, +Infinity,
// NaN in that order); for a positive value then the weight biased by
// 0x8000 and the base-10000 digits, each as a big-endian uint16; for a
// negative value the weight as 0x7FFF-weight, each digit as 9999-digit,
// and a 0xFFFF terminator (so that of two negatives sharing a digit
// prefix the longer, larger in magnitude, sorts first).
func AppendKey(dst, a []byte) []byte {
	switch signOf(a) {
	case SignNaN:
		return append(dst, keyNaN)
	case SignPInf:
		return append(dst, keyPosInf)
	case SignNInf:
		return append(dst, keyNegInf)
	}
	n := ndigitsOf(a)
	if n == 0 {
		return append(dst, keyZero)
	}
	w := weightOf(a)
	if signOf(a) == SignPos {
		dst = append(dst, keyPos)
		dst = binary.BigEndian.AppendUint16(dst, uint16(w+0x8000))
		return append(dst, a[HeaderSize:HeaderSize+2*n]...)
	}
	dst = append(dst, keyNeg)
	dst = binary.BigEndian.AppendUint16(dst, uint16(0x7FFF-w))
	for i := 0; i < n; i++ {
		dst = binary.BigEndian.AppendUint16(dst, uint16(9999-digitOf(a, i)))
	}
	return append(dst, 0xFF, 0xFF)
}
