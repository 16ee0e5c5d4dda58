package storage

import (
	"encoding/binary"
	"errors"
	"unsafe"

	"github.com/parquet-go/bitpack"
)

// Decoding DELTA_BINARY_PACKED integers.
//
// The format (Parquet's Encodings.md): a header of the block size, the
// miniblocks per block, the value count and the first value, then blocks
// of a minimum delta and one bit width per miniblock, each miniblock
// holding its values' deltas minus the minimum, bit-packed. Integer
// columns of segments are written so, and parquet-go decodes them into a
// page buffer of its own, zeroed first, which the column decoder then
// copied into the column: three passes over every value of a scan, and
// most of its memory traffic. decodeDelta writes the values straight into
// the column's buffer. A miniblock is unpacked into a small buffer that
// stays in the CPU's cache, with parquet-go's bitpack package (vectorized
// on amd64), and its prefix sum is written out. Arithmetic wraps in the
// physical type's width, as writers compute the deltas.

var errDeltaData = errors.New("malformed DELTA_BINARY_PACKED data")

// deltaMiniBlockMax bounds the values of one miniblock the decoder
// accepts; writers use 32 (parquet-go, Arrow) or 64.
const deltaMiniBlockMax = 1024

// deltaInt is the physical width a delta stream is decoded in.
type deltaInt interface{ ~int32 | ~int64 }

// decodeDelta decodes the n values of the DELTA_BINARY_PACKED stream src
// into dst[:n], or, when dst is nil, into wide[:2n] as decimal128s (each
// value's low word, then its sign), returning an error if src holds fewer
// or is malformed. scratch is the caller's buffer for a miniblock's
// deltas; the (possibly grown) buffer is returned for the next call.
func decodeDelta[T deltaInt](dst []T, wide []int64, src []byte, n int, scratch []T) ([]T, error) {
	blockSize, src, ok := deltaUvarint(src)
	if !ok {
		return scratch, errDeltaData
	}
	miniBlocks, src, ok := deltaUvarint(src)
	if !ok || miniBlocks == 0 || blockSize%miniBlocks != 0 {
		return scratch, errDeltaData
	}
	total, src, ok := deltaUvarint(src)
	if !ok || total < uint64(n) {
		return scratch, errDeltaData
	}
	first, src, ok := deltaVarint(src)
	if !ok {
		return scratch, errDeltaData
	}
	perMini := int(blockSize / miniBlocks)
	if perMini == 0 || perMini%8 != 0 || perMini > deltaMiniBlockMax || miniBlocks > deltaMiniBlockMax {
		return scratch, errDeltaData
	}
	if n == 0 {
		return scratch, nil
	}
	last := T(first)
	if dst != nil {
		dst = dst[:n]
		dst[0] = last
	} else {
		wide = wide[:2*n]
		wide[0], wide[1] = int64(last), int64(last)>>63
	}
	out := 1
	// padding: bitpack reads up to this many bytes past a miniblock.
	const padding = bitpack.PaddingInt64
	if cap(scratch) < perMini {
		scratch = make([]T, perMini)
	}
	deltas := scratch[:perMini]
	// tail is a miniblock copied where it lacks the padding (the last of a
	// stream); a usual one (32 values of up to 64 bits) fits on the stack.
	var tailInline [32*8 + padding]byte
	tail := tailInline[:0]
	for out < n {
		minDelta, rest, ok := deltaVarint(src)
		if !ok || len(rest) < int(miniBlocks) {
			return scratch, errDeltaData
		}
		widths := rest[:miniBlocks]
		src = rest[miniBlocks:]
		for _, w := range widths {
			if out >= n {
				break
			}
			if uintptr(w) > 8*unsafe.Sizeof(last) {
				return scratch, errDeltaData
			}
			size := perMini * int(w) / 8
			k := min(perMini, n-out)
			if w == 0 {
				clear(deltas[:k])
			} else {
				if len(src) < size && len(src) < (k*int(w)+7)/8 {
					return scratch, errDeltaData
				}
				packed := src[:min(size, len(src))]
				if len(src) < size+padding {
					tail = append(tail[:0], packed...)
					for len(tail) < size+padding {
						tail = append(tail, 0)
					}
					packed = tail
				} else {
					packed = src[:size+padding]
				}
				bitpack.Unpack(deltas, packed, uint(w))
			}
			src = src[min(size, len(src)):]
			if dst != nil {
				last = prefixSum(dst[out:out+k], deltas, T(minDelta), last)
			} else {
				last = prefixSumWide(wide[2*out:2*(out+k)], deltas, T(minDelta), last)
			}
			out += k
		}
	}
	return scratch, nil
}

// prefixSum writes the running sum of last and m + d[i] into o, and
// returns the last value written. A function of its own, not inlined:
// inside decodeDelta's loop the loop counter lived on the stack, and the
// loop ran at a third of the speed.
//
//go:noinline
func prefixSum[T deltaInt](o, d []T, m, last T) T {
	d = d[:len(o)]
	i := 0
	// Four at a time, summed among themselves first (sums4), so that
	// the chain of additions through last is one per four values.
	for ; i+4 <= len(o); i += 4 {
		a, b, c, e := sums4(d[i:i+4:i+4], m)
		y := o[i : i+4 : i+4]
		y[0], y[1], y[2], y[3] = last+a, last+b, last+c, last+e
		last += e
	}
	for ; i < len(o); i++ {
		last += m + d[i]
		o[i] = last
	}
	return last
}

// sums4 returns the running sums of m + x[k] over four deltas x.
func sums4[T deltaInt](x []T, m T) (a, b, c, e T) {
	a = x[0] + m
	b = a + x[1] + m
	c = b + x[2] + m
	e = c + x[3] + m
	return a, b, c, e
}

// prefixSumWide is prefixSum writing each value as a decimal128's two
// words: the value, then its sign.
//
//go:noinline
func prefixSumWide[T deltaInt](words []int64, d []T, m, last T) T {
	d = d[:len(words)/2]
	i := 0
	// Four at a time, as prefixSum.
	for ; i+4 <= len(d); i += 4 {
		a, b, c, e := sums4(d[i:i+4:i+4], m)
		va, vb, vc, ve := int64(last+a), int64(last+b), int64(last+c), int64(last+e)
		w := words[2*i : 2*i+8 : 2*i+8]
		w[0], w[1], w[2], w[3] = va, va>>63, vb, vb>>63
		w[4], w[5], w[6], w[7] = vc, vc>>63, ve, ve>>63
		last += e
	}
	for ; i < len(d); i++ {
		last += m + d[i]
		w := words[2*i : 2*i+2 : 2*i+2]
		w[0], w[1] = int64(last), int64(last)>>63
	}
	return last
}

func deltaUvarint(b []byte) (uint64, []byte, bool) {
	v, n := binary.Uvarint(b)
	if n <= 0 {
		return 0, b, false
	}
	return v, b[n:], true
}

func deltaVarint(b []byte) (int64, []byte, bool) {
	v, n := binary.Varint(b)
	if n <= 0 {
		return 0, b, false
	}
	return v, b[n:], true
}
