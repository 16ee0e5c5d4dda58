package numeric

import (
	"bytes"
	"testing"
)

// FuzzParse checks that Parse never panics, that what it accepts is
// canonical, and that AppendText then Parse gives back the same encoding.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"0", "-0.000", "1.5", " +.5e3 ", "5.", "NaN", "-inf", "Infinity", "1e-16383",
		"123456789012345678901234567890.000001", "9999.9999", "1e131071", "0.0001e4", "x", "", "1e 5", "1.2.3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := Parse(nil, s)
		if err != nil {
			return
		}
		if !IsCanonical(b) {
			t.Fatalf("Parse(%q) gave a non-canonical % x", s, b)
		}
		txt := AppendText(nil, b)
		b2, err := Parse(nil, string(txt))
		if err != nil {
			t.Fatalf("Parse(AppendText(%q) = %q): %v", s, txt, err)
		}
		if !bytes.Equal(b, b2) {
			t.Fatalf("round trip of %q via %q: % x vs % x", s, txt, b, b2)
		}
	})
}

// FuzzRecv checks binary input: Validate and Recv agree, Recv's output is
// canonical, survives a text round trip, and its key orders consistently.
func FuzzRecv(f *testing.F) {
	f.Add([]byte{0, 2, 0, 0, 0x40, 0, 0, 2, 0x04, 0xD2, 0x13, 0x88})
	f.Add([]byte{0, 0, 0, 0, 0xC0, 0, 0, 0})
	f.Add([]byte{0, 4, 0, 1, 0, 0, 0, 2, 0, 0, 0, 12, 0x13, 0x89, 0, 0})
	f.Add([]byte{0, 1, 0x7F, 0xFF, 0, 0, 0x3F, 0xFF, 0x27, 0x0F})
	f.Add([]byte{0, 1, 0, 0, 0, 0})
	var c Calc
	f.Fuzz(func(t *testing.T, in []byte) {
		verr := Validate(in)
		out, err := c.Recv(nil, in)
		if verr != nil {
			if err == nil {
				t.Fatalf("Validate rejects but Recv accepts % x", in)
			}
			return
		}
		if err != nil {
			return // overflow after normalization
		}
		if !IsCanonical(out) {
			t.Fatalf("Recv(% x) = % x, not canonical", in, out)
		}
		txt := AppendText(nil, out)
		back, err := Parse(nil, string(txt))
		if err != nil || !bytes.Equal(back, out) {
			t.Fatalf("text round trip of % x via %q: % x %v", out, txt, back, err)
		}
		one := mustParse(t, "1")
		if Compare(out, one) != bytes.Compare(AppendKey(nil, out), AppendKey(nil, one)) {
			t.Fatalf("key order disagrees for %s", txt)
		}
	})
}

// FuzzArith checks that the arithmetic never panics on parsed operands and
// that a + b - b == a and (a * b) / b compares sensibly.
func FuzzArith(f *testing.F) {
	f.Add("1.5", "2.25")
	f.Add("-99999999.99999999", "0.0001")
	f.Add("NaN", "Infinity")
	f.Add("1e100", "-1e-100")
	var c Calc
	f.Fuzz(func(t *testing.T, x, y string) {
		a, err1 := Parse(nil, x)
		b, err2 := Parse(nil, y)
		if err1 != nil || err2 != nil || isSpecial(a) || isSpecial(b) {
			return
		}
		s, err := c.Add(nil, a, b)
		if err != nil {
			return
		}
		d, err := c.Sub(nil, s, b)
		if err != nil {
			return
		}
		if Compare(d, a) != 0 {
			t.Fatalf("(%s + %s) - %s = %s", x, y, y, String(d))
		}
		c.Mul(nil, a, b)
		c.Div(nil, a, b)
		c.Mod(nil, a, b)
		c.DivTrunc(nil, a, b)
		c.Round(nil, a, int32(len(y)%20-5))
	})
}
