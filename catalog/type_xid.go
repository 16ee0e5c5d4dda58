package catalog

import (
	"encoding/binary"
	"math"
	"strconv"
)

// xid (OID 28) and cid (OID 29) are 32-bit transaction and command ids,
// held as uint32 as oid is; xid8 (OID 5069) is a 64-bit transaction id
// (epoch and xid). pqdb has no per-row transaction ids: these types exist
// for the catalogs' columns (relfrozenxid, datfrozenxid, ...), for the
// functions that return them (pg_current_xact_id) and for clients that
// read them.
//
// PostgreSQL 15 reads xid and cid with strtoul and xid8 with strtou64,
// without checking what follows the number: 'abc'::xid is 0, '0x10'::xid
// is 16, '-1'::xid is 4294967295. xidIn and xid8In do the same.
//
// An xid8 is held as an int64 whose top bit is flipped (OrderedUint64),
// so that the executor's int64 comparisons, sorting and statistics order
// it as the unsigned number it is; pg_lsn is held the same way.

// OrderedUint64 is the int64 that holds the unsigned value v of an xid8
// or pg_lsn: v with its top bit flipped, so that int64 order is v's order.
func OrderedUint64(v uint64) int64 { return int64(v ^ 1<<63) }

// Uint64OfOrdered is the unsigned value an xid8 or pg_lsn Datum holds.
func Uint64OfOrdered(k int64) uint64 { return uint64(k) ^ 1<<63 }

// xidIn reads an xid or cid as xidin and cidin do: strtoul truncated to
// 32 bits.
func xidIn(s string) uint32 { return uint32(strtoul(s)) }

// xid8In reads an xid8 as xid8in does.
func xid8In(s string) int64 { return OrderedUint64(strtoul(s)) }

// strtoul is C's strtoul with base 0 on a 64-bit platform: leading white
// space, an optional sign, then a hexadecimal (0x), octal (0) or decimal
// number, read up to the first character that is not a digit; no digits
// give 0, an overflow the largest value, and a minus sign negates the
// result modulo 2^64.
func strtoul(s string) uint64 {
	i := 0
	for i < len(s) && isCSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	base := uint64(10)
	switch {
	case i+2 < len(s) && s[i] == '0' && (s[i+1] == 'x' || s[i+1] == 'X') && isHexDigit(s[i+2]):
		base, i = 16, i+2
	case i < len(s) && s[i] == '0':
		base = 8
	}
	var v uint64
	overflow := false
	for ; i < len(s); i++ {
		d, ok := hexValue(s[i])
		if !ok || uint64(d) >= base {
			break
		}
		if v > (math.MaxUint64-uint64(d))/base {
			overflow = true
		}
		v = v*base + uint64(d)
	}
	if overflow {
		return math.MaxUint64
	}
	if neg {
		return -v
	}
	return v
}

func isCSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

func appendXid8Text(b []byte, k int64) []byte { return strconv.AppendUint(b, Uint64OfOrdered(k), 10) }

// appendOrderedUint64Binary is xid8send and pg_lsn_send: the value's 8
// bytes.
func appendOrderedUint64Binary(b []byte, k int64) []byte {
	return binary.BigEndian.AppendUint64(b, Uint64OfOrdered(k))
}
