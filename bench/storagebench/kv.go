package storagebench

import (
	"math/bits"
	"strconv"
)

// kvCreate is the point-lookup table, the same on pqdb and PostgreSQL.
const kvCreate = "CREATE TABLE kv (id bigint PRIMARY KEY, v int, pad text)"

// kvColumns are kv's columns as COPY sends them.
var kvColumns = []string{"id", "v", "pad"}

// kvLookup is the statement PKLookup times.
const kvLookup = "SELECT v FROM kv WHERE id = $1"

// mix64 is SplitMix64's finalizer: a fixed bijection of 64-bit words whose
// output looks random, so the loader and the checker derive the same row
// from an id without storing anything.
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// kvValue is the v column of row id: a non-negative int32.
func kvValue(id int64) int32 { return int32(mix64(uint64(id)) >> 33) }

// kvPadLen is the length of the pad column: 32 hex digits, which compress
// about as well as real identifiers do.
const kvPadLen = 32

// appendKVPad appends the pad column of row id to dst: two words of
// mix64 as 16 hex digits each.
func appendKVPad(dst []byte, id int64) []byte {
	const hex = "0123456789abcdef"
	for _, word := range [2]uint64{mix64(uint64(id) ^ 0x5bd1e995), mix64(^uint64(id))} {
		for shift := 60; shift >= 0; shift -= 4 {
			dst = append(dst, hex[word>>shift&0xf])
		}
	}
	return dst
}

// kvIDs maps load positions 0..rows-1 to ids 1..rows: in order, or shuffled
// by a stride coprime to rows, which visits every id once and spreads each
// COPY batch over the whole key range without holding a permutation.
type kvIDs struct {
	rows   uint64
	stride uint64 // 0: in order
}

func newKVIDs(rows int64, shuffled bool) kvIDs {
	ids := kvIDs{rows: uint64(rows)}
	if shuffled && rows > 2 {
		// Start near rows/φ, which spreads consecutive positions far apart,
		// and walk to a value coprime to rows.
		s := uint64(float64(rows)*0.6180339887) | 1
		for gcd(s, ids.rows) != 1 {
			s += 2
		}
		ids.stride = s % ids.rows
	}
	return ids
}

func (k kvIDs) at(pos int64) int64 {
	if k.stride == 0 {
		return pos + 1
	}
	hi, lo := bits.Mul64(uint64(pos), k.stride)
	return int64(bits.Rem64(hi, lo, k.rows)) + 1
}

func (k kvIDs) String() string {
	if k.stride == 0 {
		return "ids 1..N in order"
	}
	return "ids 1..N shuffled (position p gets id p*" + strconv.FormatUint(k.stride, 10) + " mod N + 1)"
}

func gcd(a, b uint64) uint64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// kvSource is the pgx.CopyFromSource of the kv rows at load positions
// [next, end). The values slice is reused; pgx encodes a row before asking
// for the next one.
type kvSource struct {
	ids       kvIDs
	next, end int64
	values    [3]any
	pad       []byte
}

func newKVSource(ids kvIDs, from, to int64) *kvSource {
	return &kvSource{ids: ids, next: from, end: to, pad: make([]byte, 0, kvPadLen)}
}

func (s *kvSource) Next() bool {
	if s.next >= s.end {
		return false
	}
	id := s.ids.at(s.next)
	s.next++
	s.pad = appendKVPad(s.pad[:0], id)
	s.values[0], s.values[1], s.values[2] = id, kvValue(id), string(s.pad)
	return true
}

func (s *kvSource) Values() ([]any, error) { return s.values[:], nil }

func (s *kvSource) Err() error { return nil }
