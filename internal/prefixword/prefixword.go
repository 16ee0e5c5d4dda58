// Package prefixword orders byte strings by a machine word first.
//
// The first eight bytes of a byte string, read as a big-endian word and
// padded with zero bytes, order as the strings do wherever the words
// differ: comparing two words settles most comparisons of keys and
// values with one instruction, and only strings whose words are equal
// (equal first eight bytes, or a shorter string that is a prefix of the
// other up to its zero padding) need their bytes compared. Sorting
// (exec's sort keys) and column bounds (storage's statistics) both
// compare so.
package prefixword

import "encoding/binary"

// Of is the first eight bytes of b as a big-endian word, zero-padded
// when b is shorter.
func Of(b []byte) uint64 {
	if len(b) >= 8 {
		return binary.BigEndian.Uint64(b)
	}
	var buf [8]byte
	copy(buf[:], b)
	return binary.BigEndian.Uint64(buf[:])
}
