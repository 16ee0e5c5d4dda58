package numeric

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/pqdb/pqdb/pgerr"
)

func mustParse(t testing.TB, s string) []byte {
	t.Helper()
	b, err := Parse(nil, s)
	if err != nil {
		t.Fatalf("Parse(%q): %v", s, err)
	}
	return b
}

func TestEncodingLayout(t *testing.T) {
	b := mustParse(t, "-1234.50")
	want := []byte{0, 2, 0, 0, 0x40, 0, 0, 2, 0x04, 0xD2, 0x13, 0x88}
	if !bytes.Equal(b, want) {
		t.Fatalf("got % x want % x", b, want)
	}
	if !IsCanonical(b) {
		t.Fatal("not canonical")
	}
	if z := mustParse(t, "0.000"); !bytes.Equal(z, []byte{0, 0, 0, 0, 0, 0, 0, 3}) {
		t.Fatalf("zero: % x", z)
	}
	if n := mustParse(t, "nan"); !bytes.Equal(n, []byte{0, 0, 0, 0, 0xC0, 0, 0, 0}) {
		t.Fatalf("nan: % x", n)
	}
}

// randValue returns a random encoded value (finite mostly).
func randValue(r *rand.Rand) []byte {
	g := &gen{r: r}
	b, err := Parse(nil, g.num())
	if err != nil {
		panic(err)
	}
	return b
}

func TestKeyOrderAndEquality(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	vals := make([][]byte, 0, 600)
	for i := 0; i < 600; i++ {
		vals = append(vals, randValue(r))
	}
	// values equal with different scales, and prefix-related negatives
	for _, s := range []string{"1.5", "1.50", "-1.5", "-1.55", "-1.5000", "-1.00005", "1.00005", "0", "0.00", "-0.0", "10000", "1e4", "-10000.0001"} {
		vals = append(vals, mustParse(t, s))
	}
	for _, a := range vals {
		ka := AppendKey(nil, a)
		for _, b := range vals {
			kb := AppendKey(nil, b)
			c := Compare(a, b)
			if kc := bytes.Compare(ka, kb); kc != c {
				t.Fatalf("Compare(%s, %s) = %d but key compare = %d", String(a), String(b), c, kc)
			}
			if Compare(b, a) != -c {
				t.Fatalf("Compare not antisymmetric for %s, %s", String(a), String(b))
			}
		}
	}
}

func TestDecimal128(t *testing.T) {
	cases := []struct {
		hi    int64
		lo    uint64
		scale int32
		want  string
	}{
		{0, 12345, 2, "123.45"},
		{-1, uint64(math.MaxUint64) - 12344, 2, "-123.45"},
		{0, 0, 3, "0.000"},
		{0, 5, -3, "5000"},
		{0x7FFFFFFFFFFFFFFF, math.MaxUint64, 0, "170141183460469231731687303715884105727"},
		{-0x8000000000000000, 0, 0, "-170141183460469231731687303715884105728"},
		{0, 1, 38, "0.00000000000000000000000000000000000001"},
	}
	for _, c := range cases {
		b, err := FromDecimal128(nil, c.hi, c.lo, c.scale)
		if err != nil {
			t.Fatal(err)
		}
		if got := String(b); got != c.want {
			t.Errorf("FromDecimal128(%d,%d,%d) = %s want %s", c.hi, c.lo, c.scale, got, c.want)
		}
		hi, lo, err := ToDecimal128(b, 0, c.scale)
		if err != nil {
			t.Fatalf("ToDecimal128(%s): %v", c.want, err)
		}
		if hi != c.hi || lo != c.lo {
			t.Errorf("round trip of %s: got %d,%d", c.want, hi, lo)
		}
	}
	// rounding half away from zero
	for _, c := range []struct {
		in    string
		scale int32
		hi    int64
		lo    uint64
	}{
		{"1.005", 2, 0, 101}, {"-1.005", 2, -1, uint64(math.MaxUint64) - 100}, {"1.004", 2, 0, 100},
		{"123.5", 0, 0, 124}, {"0.5", 0, 0, 1}, {"0.4", 0, 0, 0}, {"1234", -2, 0, 12},
		{"0.00001", 2, 0, 0}, {"99.5", 0, 0, 100},
	} {
		hi, lo, err := ToDecimal128(mustParse(t, c.in), 0, c.scale)
		if err != nil || hi != c.hi || lo != c.lo {
			t.Errorf("ToDecimal128(%s, %d) = %d,%d,%v want %d,%d", c.in, c.scale, hi, lo, err, c.hi, c.lo)
		}
	}
	if _, _, err := ToDecimal128(mustParse(t, "1e40"), 0, 0); pgerr.CodeOf(err) != pgerr.NumericValueOutOfRange {
		t.Errorf("1e40: %v", err)
	}
	if _, _, err := ToDecimal128(mustParse(t, "999.995"), 5, 2); pgerr.CodeOf(err) != pgerr.NumericValueOutOfRange {
		t.Errorf("999.995 into (5,2): %v", err)
	}
	if _, _, err := ToDecimal128(mustParse(t, "NaN"), 0, 0); pgerr.CodeOf(err) != pgerr.FeatureNotSupported {
		t.Errorf("NaN: %v", err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 2000; i++ {
		hi, lo := int64(r.Uint64()>>uint(r.IntN(64))), r.Uint64()
		if r.IntN(2) == 0 {
			hi = -hi
		}
		scale := int32(r.IntN(40))
		b, err := FromDecimal128(nil, hi, lo, scale)
		if err != nil {
			t.Fatal(err)
		}
		h2, l2, err := ToDecimal128(b, 0, scale)
		if err != nil || h2 != hi || l2 != lo {
			t.Fatalf("round trip %d:%d/%d via %s: %d:%d %v", hi, lo, scale, String(b), h2, l2, err)
		}
	}
}

func TestIntConversions(t *testing.T) {
	for _, v := range []int64{0, 1, -1, 9999, 10000, -10000, 123456789, math.MaxInt64, math.MinInt64, math.MaxInt32, math.MinInt32, 100000000} {
		b := FromInt64(nil, v)
		if String(b) != strconv.FormatInt(v, 10) || !IsCanonical(b) {
			t.Errorf("FromInt64(%d) = %s % x", v, String(b), b)
		}
		got, err := ToInt64(b)
		if err != nil || got != v {
			t.Errorf("ToInt64(%d) = %d, %v", v, got, err)
		}
		if !bytes.Equal(b, mustParse(t, strconv.FormatInt(v, 10))) {
			t.Errorf("FromInt64(%d) differs from Parse", v)
		}
	}
}

func TestRecv(t *testing.T) {
	var c Calc
	// unnormalized: leading and trailing zero digits, digits past dscale
	in := []byte{0, 4, 0, 1, 0, 0, 0, 2, 0, 0, 0, 12, 0x13, 0x89, 0, 0}
	out, err := c.Recv(nil, in)
	if err != nil {
		t.Fatal(err)
	}
	if String(out) != "12.50" || !IsCanonical(out) {
		t.Fatalf("Recv gave %s % x", String(out), out)
	}
	bad := map[string][]byte{
		pgerr.ProtocolViolation:           {0, 1, 0, 0, 0, 0, 0, 0},
		pgerr.InvalidBinaryRepresentation: {0, 0, 0, 0, 0x80, 0, 0, 0},
	}
	for code, b := range bad {
		if _, err := c.Recv(nil, b); pgerr.CodeOf(err) != code {
			t.Errorf("Recv(% x): %v, want %s", b, err, code)
		}
	}
	if err := Validate([]byte{0, 1, 0, 0, 0, 0, 0, 0, 0x27, 0x10}); err == nil {
		t.Error("digit 10000 accepted")
	}
	if err := Validate([]byte{0, 0, 0, 0, 0, 0, 0x40, 0}); err == nil {
		t.Error("dscale 0x4000 accepted")
	}
	if err := Validate([]byte{0, 0, 0, 0, 0, 0, 0, 0, 0}); err == nil {
		t.Error("trailing byte accepted")
	}
	// digits far below the display scale truncate to zero
	if out, err := c.Recv(nil, []byte{0, 2, 0x80, 0, 0, 0, 0, 5, 0, 0, 0, 1}); err != nil || String(out) != "0.00000" {
		t.Errorf("tiny value: %s %v", String(out), err)
	}
}

func TestSumMerge(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	var c Calc
	var all, a, b Sum
	all.TrackSquares()
	a.TrackSquares()
	b.TrackSquares()
	acc := mustParse(t, "0")
	for i := 0; i < 30000; i++ {
		v := randValue(r)
		if isSpecial(v) {
			continue
		}
		all.Add(v)
		if i%3 == 0 {
			a.Add(v)
		} else {
			b.Add(v)
		}
		var err error
		acc, err = c.Add(nil, acc, v)
		if err != nil {
			t.Fatal(err)
		}
	}
	a.Merge(&b)
	s1, _ := all.Append(nil)
	s2, _ := a.Append(nil)
	if String(s1) != String(acc) || String(s2) != String(acc) {
		t.Fatalf("sum %s / merged %s / added %s", String(s1), String(s2), String(acc))
	}
	v1, _, _ := all.Variance(&c, nil, true, true)
	v2, _, _ := a.Variance(&c, nil, true, true)
	if String(v1) != String(v2) {
		t.Fatalf("stddev %s vs %s", String(v1), String(v2))
	}
	if all.Count() != a.Count() {
		t.Fatal("counts differ")
	}
}

func TestApplyTypmodDetail(t *testing.T) {
	var c Calc
	_, err := c.ApplyTypmod(nil, mustParse(t, "1000"), 5, 2)
	pe, ok := err.(*pgerr.Error)
	if !ok || pe.Code != pgerr.NumericValueOutOfRange || pe.Message != "numeric field overflow" ||
		pe.Detail != "A field with precision 5, scale 2 must round to an absolute value less than 10^3." {
		t.Fatalf("%#v", err)
	}
}

// TestConcurrentCalcs runs the replayed cases on several goroutines, each
// with its own Calc, to show that Calcs share no mutable state (run with
// -race).
func TestConcurrentCalcs(t *testing.T) {
	cases := readCases(t)
	if testing.Short() {
		cases = cases[:2000]
	}
	const workers = 4
	errs := make(chan string, workers)
	for w := 0; w < workers; w++ {
		go func(w int) {
			var c Calc
			for i := w; i < len(cases); i += workers {
				k := cases[i]
				if got := evalCase(&c, k.op, k.args); got != normalizeExpected(k.op, k.want) {
					errs <- k.op + " " + k.want + " got " + got
					return
				}
			}
			errs <- ""
		}(w)
	}
	for w := 0; w < workers; w++ {
		if e := <-errs; e != "" {
			t.Error(e)
		}
	}
}
