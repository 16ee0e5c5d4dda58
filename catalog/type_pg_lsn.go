package catalog

import (
	"strconv"

	"github.com/pqdb/pqdb/pgerr"
)

// pg_lsn (OID 3220) is a position in the write-ahead log, a 64-bit number
// printed as two hexadecimal halves, "16/B374D848". pqdb has no
// write-ahead log of PostgreSQL's kind; the type exists for the functions
// and clients that name it. Its Datum is the number held as an xid8's is
// (OrderedUint64).

// lsnIn reads a pg_lsn as pg_lsn_in does: one to eight hexadecimal
// digits, "/", one to eight more, nothing else.
func lsnIn(s string) (int64, error) {
	hi, rest, ok := lsnHalf(s)
	if ok && len(rest) > 0 && rest[0] == '/' {
		var lo uint64
		if lo, rest, ok = lsnHalf(rest[1:]); ok && rest == "" {
			return OrderedUint64(hi<<32 | lo), nil
		}
	}
	return 0, pgerr.New(pgerr.InvalidTextRepresentation, "invalid input syntax for type pg_lsn: \"%s\"", s)
}

// lsnHalf reads the one to eight hexadecimal digits s starts with.
func lsnHalf(s string) (uint64, string, bool) {
	var v uint64
	n := 0
	for n < len(s) && isHexDigit(s[n]) {
		d, _ := hexValue(s[n])
		v = v<<4 | uint64(d)
		n++
	}
	return v, s[n:], n > 0 && n <= 8
}

func appendLsnText(b []byte, k int64) []byte {
	v := Uint64OfOrdered(k)
	b = appendUpperHex(b, v>>32)
	b = append(b, '/')
	return appendUpperHex(b, v&0xFFFFFFFF)
}

// appendUpperHex appends v in upper-case hexadecimal, as "%X" prints it.
func appendUpperHex(b []byte, v uint64) []byte {
	start := len(b)
	b = strconv.AppendUint(b, v, 16)
	for i := start; i < len(b); i++ {
		if b[i] >= 'a' {
			b[i] -= 'a' - 'A'
		}
	}
	return b
}
