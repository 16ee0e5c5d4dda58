package numeric

import (
	"bytes"
	"math"
	"math/rand/v2"
	"testing"
)

// TestFromSmallDecimalMatchesText: a decimal128 converted from its
// digits is, byte for byte, the value converted by way of its text, for
// magnitudes from zero to the fast path's limit (and past it, where the
// text path answers), both signs, and every scale up to 24, around each
// multiple of four.
func TestFromSmallDecimalMatchesText(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 13))
	mags := []uint64{0, 1, 9, 10, 99, 100, 9999, 10000, 10001, 123456789, 100000000, 1e12, 1e15 - 1, 1e16, math.MaxUint64/1000 - 1, math.MaxUint64 / 1000, math.MaxUint64 - 1}
	for range 2000 {
		mags = append(mags, rng.Uint64N(1<<uint(1+rng.IntN(63))))
	}
	for _, u := range mags {
		for scale := int32(0); scale <= 24; scale++ {
			for _, neg := range []bool{false, true} {
				hi, lo := int64(0), u
				if neg && u != 0 {
					hi, lo = -1, -u
				}
				want, err := fromDecimal128Text(nil, hi, lo, scale)
				if err != nil {
					t.Fatal(err)
				}
				got, err := FromDecimal128(nil, hi, lo, scale)
				if err != nil {
					t.Fatal(err)
				}
				if _, fast := fromSmallDecimal(nil, hi, lo, scale); fast != (u < math.MaxUint64/1000) {
					t.Fatalf("%d at scale %d: from its digits %v", u, scale, fast)
				}
				if !bytes.Equal(got, want) {
					t.Fatalf("%d (negative %v) at scale %d: %x, by text %x (%s)", u, neg, scale, got, want, AppendText(nil, want))
				}
			}
		}
	}
}
