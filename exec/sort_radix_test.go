package exec

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// keysOf lays out keys as sortKeys.
func keysOf(keys [][]byte) *sortKeys {
	sk := &sortKeys{offsets: make([]int32, len(keys)+1)}
	for i, k := range keys {
		sk.arena = append(sk.arena, k...)
		sk.offsets[i+1] = int32(len(sk.arena))
	}
	return sk
}

// radixTestKeys draws n keys of one shape: keys sharing long prefixes,
// keys that are prefixes of others (and empty ones), keys nested in
// each other up to 300 bytes, many duplicates,
// bytes across the whole range, and runs of equal length around the
// insertion sort's threshold.
func radixTestKeys(rng *rand.Rand, shape string, n int) [][]byte {
	keys := make([][]byte, n)
	for i := range keys {
		switch shape {
		case "shared prefix":
			k := []byte("Brand#")
			k = append(k, byte('1'+rng.IntN(5)), byte('1'+rng.IntN(5)))
			keys[i] = append(k, byte(rng.IntN(3)))
		case "prefixes":
			keys[i] = bytes.Repeat([]byte{0x41}, rng.IntN(12))
			if rng.IntN(3) == 0 {
				keys[i] = append(keys[i], 0x00)
			}
		case "nested":
			// Each a prefix of the longer ones: every round of the sort
			// sets the shortest apart.
			keys[i] = bytes.Repeat([]byte{0x61}, rng.IntN(300))
		case "duplicates":
			keys[i] = []byte{byte(rng.IntN(4)), 0xff, byte(rng.IntN(2))}
		default: // random
			k := make([]byte, rng.IntN(6))
			for j := range k {
				k[j] = byte(rng.IntN(256))
			}
			keys[i] = k
		}
	}
	return keys
}

// TestRadixOrderMatchesStableSort: the radix sort orders rows as a stable
// comparison sort of their keys does, equal keys in row order, for row
// counts below, at and above the insertion sort's threshold.
func TestRadixOrderMatchesStableSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	for _, shape := range []string{"shared prefix", "prefixes", "nested", "duplicates", "random"} {
		for _, n := range []int{0, 1, 2, radixInsertionRows - 1, radixInsertionRows, radixInsertionRows + 1, 300, 20000} {
			t.Run(fmt.Sprint(shape, " ", n), func(t *testing.T) {
				keys := radixTestKeys(rng, shape, n)
				want := make([]int32, n)
				for i := range want {
					want[i] = int32(i)
				}
				slices.SortStableFunc(want, func(a, b int32) int { return bytes.Compare(keys[a], keys[b]) })
				if got := keysOf(keys).order(n); !slices.Equal(got, want) {
					t.Fatalf("order differs from a stable sort's")
				}
			})
		}
	}
}

// BenchmarkSortKeysOrder orders keys shaped like TPC-H Q16's ORDER BY
// count DESC, p_brand, p_type, p_size: few distinct counts, brands that
// share a prefix.
func BenchmarkSortKeysOrder(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	keys := make([][]byte, 18000)
	for i := range keys {
		k := []byte{1, byte(0xff - rng.IntN(20)), 1}
		k = append(k, fmt.Sprintf("Brand#%d%d", 1+rng.IntN(5), 1+rng.IntN(5))...)
		k = append(k, 0, 0, 1)
		k = append(k, fmt.Sprintf("PROMO BRUSHED %d", rng.IntN(30))...)
		keys[i] = append(k, 0, 0, 1, byte(rng.IntN(50)))
	}
	sk := keysOf(keys)
	b.ResetTimer()
	for range b.N {
		sk.order(len(keys))
	}
}
