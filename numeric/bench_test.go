package numeric

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// typical returns n values of about 12 digits with scale 2.
func typical(n int) [][]byte {
	r := rand.New(rand.NewPCG(7, 8))
	out := make([][]byte, n)
	for i := range out {
		v := r.Int64N(1_000_000_000_000) - 500_000_000_000
		s := strconv.FormatInt(v/100, 10) + "." + strconv.FormatInt(abs64(v%100)+100, 10)[1:]
		out[i], _ = Parse(nil, s)
	}
	return out
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

func benchBinary(b *testing.B, f func(c *Calc, dst, x, y []byte) ([]byte, error)) {
	vals := typical(1024)
	var c Calc
	dst := make([]byte, 0, 64)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		x, y := vals[i&1023], vals[(i*7+3)&1023]
		var err error
		dst, err = f(&c, dst[:0], x, y)
		if err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAdd(b *testing.B) { benchBinary(b, (*Calc).Add) }
func BenchmarkSub(b *testing.B) { benchBinary(b, (*Calc).Sub) }
func BenchmarkMul(b *testing.B) { benchBinary(b, (*Calc).Mul) }
func BenchmarkDiv(b *testing.B) { benchBinary(b, (*Calc).Div) }
func BenchmarkMod(b *testing.B) { benchBinary(b, (*Calc).Mod) }

func BenchmarkCompare(b *testing.B) {
	vals := typical(1024)
	b.ReportAllocs()
	s := 0
	for i := 0; i < b.N; i++ {
		s += Compare(vals[i&1023], vals[(i*7+3)&1023])
	}
	_ = s
}

func BenchmarkAppendKey(b *testing.B) {
	vals := typical(1024)
	dst := make([]byte, 0, 64)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		dst = AppendKey(dst[:0], vals[i&1023])
	}
}

func BenchmarkRound(b *testing.B) {
	vals := typical(1024)
	var c Calc
	dst := make([]byte, 0, 64)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		dst, _ = c.Round(dst[:0], vals[i&1023], 1)
	}
}

func BenchmarkSumAdd(b *testing.B) {
	vals := typical(1024)
	var s Sum
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		s.Add(vals[i&1023])
	}
	out, err := s.Append(nil)
	if err != nil || len(out) == 0 {
		b.Fatal(err)
	}
}

func BenchmarkSumAvgFinal(b *testing.B) {
	vals := typical(1024)
	var s Sum
	for _, v := range vals {
		s.Add(v)
	}
	var c Calc
	dst := make([]byte, 0, 64)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		dst, _ = s.AppendAvg(&c, dst[:0])
	}
}

func BenchmarkParse(b *testing.B) {
	vals := typical(1024)
	strs := make([]string, len(vals))
	for i, v := range vals {
		strs[i] = String(v)
	}
	dst := make([]byte, 0, 64)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var err error
		dst, err = Parse(dst[:0], strs[i&1023])
		if err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendText(b *testing.B) {
	vals := typical(1024)
	dst := make([]byte, 0, 64)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		dst = AppendText(dst[:0], vals[i&1023])
	}
}

func BenchmarkToFloat64(b *testing.B) {
	vals := typical(1024)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := ToFloat64(vals[i&1023]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFromInt64(b *testing.B) {
	dst := make([]byte, 0, 64)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		dst = FromInt64(dst[:0], int64(i)*7919)
	}
}

func BenchmarkSqrt(b *testing.B) {
	vals := typical(1024)
	var c Calc
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		v := vals[i&1023]
		if signOf(v) == SignNeg {
			v, _ = c.Abs(nil, v)
		}
		c.Sqrt(nil, v)
	}
}

// TestHotPathsDoNotAllocate pins the zero-allocation promise.
func TestHotPathsDoNotAllocate(t *testing.T) {
	vals := typical(64)
	var c Calc
	var s Sum
	dst := make([]byte, 0, 128)
	strs := make([]string, len(vals))
	for i, v := range vals {
		strs[i] = String(v)
	}
	for _, v := range vals {
		s.Add(v)
	}
	i := 0
	ops := map[string]func(){
		"Add":         func() { dst, _ = c.Add(dst[:0], vals[i%64], vals[(i+5)%64]) },
		"Sub":         func() { dst, _ = c.Sub(dst[:0], vals[i%64], vals[(i+5)%64]) },
		"Mul":         func() { dst, _ = c.Mul(dst[:0], vals[i%64], vals[(i+5)%64]) },
		"Div":         func() { dst, _ = c.Div(dst[:0], vals[i%64], vals[(i+5)%64]) },
		"DivTrunc":    func() { dst, _ = c.DivTrunc(dst[:0], vals[i%64], vals[(i+5)%64]) },
		"Mod":         func() { dst, _ = c.Mod(dst[:0], vals[i%64], vals[(i+5)%64]) },
		"Round":       func() { dst, _ = c.Round(dst[:0], vals[i%64], 1) },
		"Ceil":        func() { dst, _ = c.Ceil(dst[:0], vals[i%64]) },
		"ApplyTypmod": func() { dst, _ = c.ApplyTypmod(dst[:0], vals[i%64], 20, 1) },
		"Parse":       func() { dst, _ = Parse(dst[:0], strs[i%64]) },
		"AppendText":  func() { dst = AppendText(dst[:0], vals[i%64]) },
		"AppendKey":   func() { dst = AppendKey(dst[:0], vals[i%64]) },
		"ToFloat64":   func() { _, _ = ToFloat64(vals[i%64]) },
		"SumAdd":      func() { s.Add(vals[i%64]) },
		"SumAppend":   func() { dst, _ = s.Append(dst[:0]) },
		"SumAvg":      func() { dst, _ = s.AppendAvg(&c, dst[:0]) },
	}
	for name, f := range ops {
		for i = 0; i < 200; i++ { // warm up
			f()
		}
		if n := testing.AllocsPerRun(500, func() { i++; f() }); n != 0 {
			t.Errorf("%s: %v allocs per call", name, n)
		}
	}
}

// BenchmarkFromDecimal128 converts prices of a numeric(15,2) column, as
// a comparison with an unconstrained numeric does for each row: from
// their digits, and by way of their text.
func BenchmarkFromDecimal128(b *testing.B) {
	vals := make([]uint64, 1024)
	for i := range vals {
		vals[i] = uint64(i)*99_991 + 90_000
	}
	for _, way := range []struct {
		name string
		conv func([]byte, int64, uint64, int32) ([]byte, error)
	}{{"digits", FromDecimal128}, {"text", fromDecimal128Text}} {
		b.Run(way.name, func(b *testing.B) {
			var buf []byte
			for b.Loop() {
				for _, v := range vals {
					buf, _ = way.conv(buf[:0], 0, v, 2)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(vals)), "ns/value")
		})
	}
}
