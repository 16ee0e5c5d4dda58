package catalog

import (
	"encoding/binary"
	"math"
	"strconv"
	"strings"

	"github.com/pqdb/pqdb/pgerr"
)

// tid (OID 27) is a tuple's address: a block number and an offset in the
// block, printed "(block,offset)". pqdb has no such addresses (its rows
// live in Parquet segments); the type exists for clients and functions
// that name it. A tid is held as an int64 with the block in bits 16..47
// and the offset in bits 0..15, so that int64 order is PostgreSQL's
// (block first, then offset).

// TidDatum is the Datum of the tid (block, offset).
func TidDatum(block uint32, offset uint16) int64 { return int64(block)<<16 | int64(offset) }

func tidParts(k int64) (uint32, uint16) { return uint32(k >> 16), uint16(k) }

// tidIn reads a tid as tidin does: "(", a block number, ",", an offset,
// ")", with no white space; the numbers are read by strtoul and must fit
// 32 and 16 bits.
func tidIn(s string) (int64, error) {
	bad := func() (int64, error) {
		return 0, pgerr.New(pgerr.InvalidTextRepresentation, "invalid input syntax for type tid: \"%s\"", s)
	}
	if len(s) < 5 || s[0] != '(' || s[len(s)-1] != ')' {
		return bad()
	}
	comma := -1
	for i := 1; i < len(s)-1; i++ {
		if s[i] == ',' {
			if comma >= 0 {
				return bad()
			}
			comma = i
		}
	}
	if comma < 0 {
		return bad()
	}
	block, ok := tidBlock(s[1:comma])
	if !ok {
		return bad()
	}
	offset, ok := tidOffset(s[comma+1 : len(s)-1])
	if !ok {
		return bad()
	}
	return TidDatum(block, offset), nil
}

// tidBlock reads a tid's block number as tidin does, with strtoul: white
// space, a sign, decimal digits; a negative number that fits int32 is
// taken modulo 2^32.
func tidBlock(s string) (uint32, bool) {
	v, err := strconv.ParseInt(strings.TrimLeft(s, " \t\n\r\f\v"), 10, 64)
	if err != nil || v < math.MinInt32 || v > math.MaxUint32 {
		return 0, false
	}
	return uint32(v), true
}

// tidOffset reads a tid's offset as tidin does, with strtol: white
// space, a sign, decimal digits, from 0 to 65535.
func tidOffset(s string) (uint16, bool) {
	v, err := strconv.ParseInt(strings.TrimLeft(s, " \t\n\r\f\v"), 10, 64)
	if err != nil || v < 0 || v > math.MaxUint16 {
		return 0, false
	}
	return uint16(v), true
}

func appendTidText(b []byte, k int64) []byte {
	block, offset := tidParts(k)
	b = append(b, '(')
	b = strconv.AppendUint(b, uint64(block), 10)
	b = append(b, ',')
	b = strconv.AppendUint(b, uint64(offset), 10)
	return append(b, ')')
}

func appendTidBinary(b []byte, k int64) []byte {
	block, offset := tidParts(k)
	b = binary.BigEndian.AppendUint32(b, block)
	return binary.BigEndian.AppendUint16(b, offset)
}

func parseTidBinary(b []byte) (int64, error) {
	switch {
	case len(b) < 6:
		return 0, insufficientData()
	case len(b) > 6:
		return 0, trailingData()
	}
	return TidDatum(binary.BigEndian.Uint32(b), binary.BigEndian.Uint16(b[4:])), nil
}
