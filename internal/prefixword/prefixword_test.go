package prefixword

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// TestWordsOrderAsStrings: for strings of 0 to 11 bytes over a small
// alphabet with zero bytes (so prefixes, padding look-alikes and equal
// first words are common), a word below another belongs to a string
// below the other, and equal strings have equal words.
func TestWordsOrderAsStrings(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	str := func() []byte {
		b := make([]byte, r.IntN(12))
		for i := range b {
			b[i] = []byte{0, 1, 'a', 0xff}[r.IntN(4)]
		}
		return b
	}
	for range 200000 {
		a, b := str(), str()
		wa, wb := Of(a), Of(b)
		c := bytes.Compare(a, b)
		switch {
		case wa < wb && c >= 0, wa > wb && c <= 0, c == 0 && wa != wb:
			t.Fatalf("%q (%016x) against %q (%016x): strings compare %d", a, wa, b, wb, c)
		}
	}
}
