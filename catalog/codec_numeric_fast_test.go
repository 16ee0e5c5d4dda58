package catalog

import (
	"encoding/binary"
	"math/rand"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/pqdb/pqdb/pgerr"
)

// numericResult renders a parse's outcome for comparisons.
func numericResult(n decimal128.Num, err error) string {
	if err != nil {
		pe := pgerr.From(err)
		return pe.Code + " " + pe.Message
	}
	return n.BigInt().String()
}

// TestNumericFastPaths checks that the fast paths of numeric input read
// every value as the general path does: text against the same text with
// a leading space (which only the general path takes), binary against the
// same value with leading zero base-10000 digits (more than the fast path
// takes).
func TestNumericFastPaths(t *testing.T) {
	rnd := rand.New(rand.NewSource(1))
	types := []Type{NumericType(15, 2), NumericType(5, 0), NumericType(18, 18), NumericType(38, 10), NumericType(10, 4), NumericType(3, 3)}
	digits := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteByte(byte('0' + rnd.Intn(10)))
		}
		return b.String()
	}
	fast := 0
	for i := 0; i < 20000; i++ {
		typ := types[rnd.Intn(len(types))]
		s := digits(rnd.Intn(12))
		if rnd.Intn(3) > 0 {
			s += "." + digits(rnd.Intn(8))
		}
		s = []string{"", "-", "+"}[rnd.Intn(3)] + s
		if _, ok := numericTextFast(typ, s); ok {
			fast++
		}
		got := numericResult(parseNumericText(typ, s))
		want := strings.Replace(numericResult(parseNumericText(typ, " "+s)), `" `+s+`"`, `"`+s+`"`, 1)
		if got != want {
			t.Fatalf("%s %q: got %s, want %s", typ, s, got, want)
		}

		// The binary form: base-10000 digits of the integer v·10^-scale.
		v := rnd.Int63n(1_000_000_000_000)
		weightShift := rnd.Intn(5) - 2
		var groups []uint16
		for x := v; x > 0; x /= 10000 {
			groups = append([]uint16{uint16(x % 10000)}, groups...)
		}
		sign := uint16(numericPos)
		if rnd.Intn(2) == 0 {
			sign = numericNeg
		}
		encode := func(groups []uint16, weight int) []byte {
			b := binary.BigEndian.AppendUint16(nil, uint16(len(groups)))
			b = binary.BigEndian.AppendUint16(b, uint16(int16(weight)))
			b = binary.BigEndian.AppendUint16(b, sign)
			b = binary.BigEndian.AppendUint16(b, 4)
			for _, g := range groups {
				b = binary.BigEndian.AppendUint16(b, g)
			}
			return b
		}
		weight := len(groups) - 1 + weightShift
		padded := append(make([]uint16, 5), groups...)
		got = numericResult(parseNumericBinary(typ, encode(groups, weight)))
		want = numericResult(parseNumericBinary(typ, encode(padded, weight+5)))
		if got != want {
			t.Fatalf("%s %v weight %d: got %s, want %s", typ, groups, weight, got, want)
		}
	}
	if fast < 5000 {
		t.Errorf("only %d of the values took the fast path", fast)
	}
}
