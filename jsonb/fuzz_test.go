package jsonb

import (
	"bytes"
	"testing"
)

var fuzzSeeds = []string{
	`null`, `true`, `-0.0`, `1e400`, `1.50`, `"a\u00e9\ud83d\ude00\n"`, `[]`, `{}`, `[1,[2,[3]],{"a":null}]`,
	`{"b":1,"a":2,"b":3,"":[{}]}`, `{"a":{"b":{"c":[1,2,"x"]}}}`, `[1,2`, `"\u0000"`, `{"a" 1}`, `  [ true , false ] `,
	`[[],[[]],{}]`, `{"aa":1,"b":2}`, `123456789012345678901234567890.5`, `[-1,0,1e-5,"1"]`,
}

// FuzzParse checks that what Parse accepts is a valid canonical Value that
// survives AppendText and AppendPretty round trips byte for byte, and that
// json_in and the json functions' parser agree with it.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	var ps Parser
	var d JSONDoc
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ps.Append(nil, []byte(s))
		if err != nil {
			return
		}
		if !Valid(v) {
			t.Fatalf("Parse(%q) = % x, not valid", s, v)
		}
		txt := AppendText(nil, v)
		v2, err := Parse(txt)
		if err != nil {
			t.Fatalf("Parse(AppendText(%q) = %q): %v", s, txt, err)
		}
		if !bytes.Equal(v, v2) {
			t.Fatalf("round trip of %q via %q: % x vs % x", s, txt, v, v2)
		}
		pretty := AppendPretty(nil, v)
		v3, err := Parse(pretty)
		if err != nil || !bytes.Equal(v, v3) {
			t.Fatalf("pretty round trip of %q via %q: %v", s, pretty, err)
		}
		if err := ValidateJSON([]byte(s)); err != nil {
			t.Fatalf("jsonb accepts %q but json does not: %v", s, err)
		}
		if err := d.Parse([]byte(s)); err != nil {
			t.Fatalf("jsonb accepts %q but JSONDoc does not: %v", s, err)
		}
		if Compare(v, v2) != 0 || !Contains(v, v) {
			t.Fatalf("%q is not equal to itself or does not contain itself", s)
		}
	})
}

// FuzzCompare checks that Compare is antisymmetric and agrees with
// AppendKey and Equal, and that equal values contain each other.
func FuzzCompare(f *testing.F) {
	for i, s := range fuzzSeeds {
		f.Add(s, fuzzSeeds[(i*7+3)%len(fuzzSeeds)])
	}
	f.Add("1", "1.0")
	f.Add("[]", "1")
	f.Add(`{"a":[1]}`, `{"a":[1.00]}`)
	f.Fuzz(func(t *testing.T, x, y string) {
		a, err := Parse([]byte(x))
		if err != nil {
			return
		}
		b, err := Parse([]byte(y))
		if err != nil {
			return
		}
		c := Compare(a, b)
		if r := Compare(b, a); r != -c {
			t.Fatalf("Compare(%s, %s) = %d but reversed %d", a, b, c, r)
		}
		if k := bytes.Compare(AppendKey(nil, a), AppendKey(nil, b)); k != c {
			t.Fatalf("Compare(%s, %s) = %d but keys compare %d", a, b, c, k)
		}
		if Equal(a, b) != (c == 0) {
			t.Fatalf("Equal(%s, %s) disagrees with Compare %d", a, b, c)
		}
		if c == 0 && (!Contains(a, b) || !Contains(b, a)) {
			t.Fatalf("equal %s and %s do not contain each other", a, b)
		}
	})
}

// FuzzOps runs the operators that build values on fuzzed input and checks
// that what they make is valid and keeps their promises.
func FuzzOps(f *testing.F) {
	for i, s := range fuzzSeeds {
		f.Add(s, fuzzSeeds[(i*5+1)%len(fuzzSeeds)], "a", i-3)
	}
	f.Fuzz(func(t *testing.T, x, y, key string, idx int) {
		a, err := Parse([]byte(x))
		if err != nil {
			return
		}
		b, err := Parse([]byte(y))
		if err != nil {
			return
		}
		check := func(what string) func(out []byte, err error) Value {
			return func(out []byte, err error) Value {
				if err != nil {
					return nil
				}
				if !Valid(out) {
					t.Fatalf("%s of %s, %s: invalid % x", what, a, b, out)
				}
				return Value(out)
			}
		}
		k := []byte(key)
		if r := check("concat")(Concat(nil, a, b)); r != nil && a.Kind() == KindObject && b.Kind() == KindObject && !Contains(r, b) {
			t.Fatalf("%s || %s = %s does not contain the right side", a, b, r)
		}
		if r := check("delete key")(DeleteKey(nil, a, k)); r != nil && Exists(r, k) {
			t.Fatalf("%s - %q = %s still has it", a, key, r)
		}
		check("delete index")(DeleteIndex(nil, a, idx))
		path := [][]byte{k, []byte("0"), k}
		check("set")(Set(nil, a, path, nil, b, true))
		check("set")(Set(nil, a, path[:1], nil, b, false))
		check("insert")(Insert(nil, a, path[:2], nil, b, idx%2 == 0))
		check("delete path")(DeletePath(nil, a, path, nil))
		if r := check("strip")(StripNulls(nil, a)); r != nil && !Contains(a, r) && a.Kind() == KindObject {
			t.Fatalf("strip_nulls(%s) = %s is not contained in it", a, r)
		}
		if got, ok := Path(a, path[:1]); ok && !Valid(got) {
			t.Fatalf("path result invalid")
		}
		if got, ok := ArrayElement(a, idx); ok && !Valid(got) {
			t.Fatalf("element result invalid")
		}
	})
}
