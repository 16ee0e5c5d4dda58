package jsonb

import (
	"bytes"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/pqdb/pqdb/numeric"
	"github.com/pqdb/pqdb/pgerr"
)

// Unit tests for what the PostgreSQL cases cannot reach from SQL: the
// binary input, the Builder API, the encoding's own promises.

func mustParse(t *testing.T, s string) Value {
	t.Helper()
	v, err := Parse([]byte(s))
	if err != nil {
		t.Fatalf("Parse(%q): %v", s, err)
	}
	return v
}

func TestRecv(t *testing.T) {
	var ps Parser
	v := mustParse(t, `{"a": [1, "é"]}`)
	wire := AppendSend(nil, v)
	if wire[0] != 1 || string(wire[1:]) != `{"a": [1, "é"]}` {
		t.Fatalf("send = %q", wire)
	}
	got, err := ps.Recv(nil, wire)
	if err != nil || !bytes.Equal(got, v) {
		t.Fatalf("recv = % x, %v", got, err)
	}
	for _, c := range []struct {
		msg  []byte
		code string
		text string
	}{
		{nil, pgerr.ProtocolViolation, "insufficient data left in message"},
		{[]byte{2, '1'}, pgerr.InternalError, "unsupported jsonb version number 2"},
		{[]byte{1, '"', 0xC3, 0x28, '"'}, pgerr.CharacterNotInRepertoire, `invalid byte sequence for encoding "UTF8": 0xc3 0x28`},
		{[]byte{1, '"', 0xE2, 0x82}, pgerr.CharacterNotInRepertoire, `invalid byte sequence for encoding "UTF8": 0xe2 0x82`},
		{[]byte{1, '1', 0}, pgerr.CharacterNotInRepertoire, `invalid byte sequence for encoding "UTF8": 0x00`},
		{[]byte{1, '[', '1'}, pgerr.InvalidTextRepresentation, "invalid input syntax for type json"},
	} {
		_, err := ps.Recv(nil, c.msg)
		var pe *pgerr.Error
		if err == nil || !asPgErr(err, &pe) || pe.Code != c.code || pe.Message != c.text {
			t.Errorf("Recv(% x) = %v, want %s %s", c.msg, err, c.code, c.text)
		}
	}
	if err := RecvJSON([]byte(`{"a" :1}`)); err != nil {
		t.Errorf("RecvJSON: %v", err)
	}
}

func asPgErr(err error, pe **pgerr.Error) bool {
	e, ok := err.(*pgerr.Error)
	*pe = e
	return ok
}

// TestSmallIntMatchesNumericIn checks the parser's integer fast path
// against numeric_in's encoding.
func TestSmallIntMatchesNumericIn(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	cases := []string{"0", "-0", "1", "-1", "10000", "100000000", "-99990000", "999999999999999999", "-999999999999999999", "123456789012345678"}
	for i := 0; i < 2000; i++ {
		n := r.Int64N(1e18) >> uint(r.IntN(60))
		if r.IntN(2) == 0 {
			n = -n
		}
		cases = append(cases, strconv.FormatInt(n, 10))
	}
	for _, s := range cases {
		n, ok := smallInt([]byte(s))
		if !ok {
			t.Fatalf("smallInt(%q) refused", s)
		}
		fast := numeric.FromInt64(nil, n)
		slow, err := numeric.Parse(nil, s)
		if err != nil || !bytes.Equal(fast, slow) {
			t.Fatalf("%s: fast % x, numeric_in % x (%v)", s, fast, slow, err)
		}
	}
	for _, s := range []string{"1234567890123456789", "1.5", "1e2", "-"} {
		if _, ok := smallInt([]byte(s)); ok {
			t.Errorf("smallInt(%q) accepted", s)
		}
	}
}

func TestBuilder(t *testing.T) {
	var b Builder
	num, _ := numeric.Parse(nil, "1.50")
	nan := numeric.NaN(nil)
	b.BeginObject()
	b.Key([]byte("b"))
	b.Numeric(num)
	b.Key([]byte("a"))
	b.BeginArray()
	b.Null()
	b.Bool(true)
	b.String([]byte("x\ny"))
	b.Numeric(nan)
	b.Value(mustParse(t, `{"z": [], "y": {}}`))
	if err := b.End(); err != nil {
		t.Fatal(err)
	}
	b.Key([]byte("b")) // the last duplicate wins
	b.Bool(false)
	b.Key([]byte(""))
	b.Numeric(numeric.PosInf(nil))
	if err := b.End(); err != nil {
		t.Fatal(err)
	}
	v := Value(b.Finish(nil))
	want := `{"": "Infinity", "a": [null, true, "x\ny", "NaN", {"y": {}, "z": []}], "b": false}`
	if v.String() != want || !Valid(v) {
		t.Fatalf("built %s (valid %v), want %s", v, Valid(v), want)
	}
	// The builder is reset and reusable.
	b.String([]byte("again"))
	if s := Value(b.Finish(nil)).String(); s != `"again"` {
		t.Fatalf("reuse gave %s", s)
	}
	// Scalar constructors.
	for _, c := range []struct {
		v    []byte
		want string
	}{
		{AppendNull(nil), "null"}, {AppendBool(nil, true), "true"}, {AppendBool(nil, false), "false"},
		{AppendString(nil, []byte("a\"b")), `"a\"b"`}, {AppendNumeric(nil, num), "1.50"},
		{AppendNumeric(nil, numeric.NegInf(nil)), `"-Infinity"`},
	} {
		if got := Value(c.v).String(); got != c.want || !Valid(c.v) {
			t.Errorf("constructor gave %s, want %s", got, c.want)
		}
	}
}

func TestBuilderMisuse(t *testing.T) {
	for name, f := range map[string]func(b *Builder){
		"value for key":   func(b *Builder) { b.BeginObject(); b.Null() },
		"key in array":    func(b *Builder) { b.BeginArray(); b.Key([]byte("a")) },
		"two keys":        func(b *Builder) { b.BeginObject(); b.Key([]byte("a")); b.Key([]byte("b")) },
		"end without":     func(b *Builder) { b.End() },
		"finish open":     func(b *Builder) { b.BeginArray(); b.Finish(nil) },
		"finish empty":    func(b *Builder) { b.Finish(nil) },
		"two top values":  func(b *Builder) { b.Null(); b.Null() },
		"dangling key":    func(b *Builder) { b.BeginObject(); b.Key([]byte("a")); b.End() },
		"key at top":      func(b *Builder) { b.Key([]byte("a")) },
		"value after top": func(b *Builder) { b.BeginArray(); b.End(); b.Bool(true) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			var b Builder
			f(&b)
		}()
	}
}

func TestValidRejectsDamage(t *testing.T) {
	v := mustParse(t, `{"a": [1, "x", {"b": null}], "bb": true}`)
	if !Valid(v) {
		t.Fatal("valid value rejected")
	}
	for i := range v {
		for _, delta := range []byte{1, 0x10, 0x80} {
			bad := bytes.Clone(v)
			bad[i] += delta
			if Valid(bad) {
				// Some edits still give a valid value (a changed
				// character inside a string); it must then read back.
				if _, err := Parse(AppendText(nil, bad)); err != nil {
					t.Errorf("damaged % x is valid but prints unparsable %s", bad, AppendText(nil, bad))
				}
			}
		}
		if Valid(v[:i]) {
			t.Errorf("prefix of %d bytes accepted", i)
		}
	}
	// A non-canonical width is rejected.
	wide := []byte{tagArray | 1<<tagWidthShft, 1, 0, 1, 0, tagNull}
	if Valid(wide) {
		t.Error("two-byte offsets for one byte of data accepted")
	}
}

func TestSortKeyOrder(t *testing.T) {
	// Every pair of a varied pool: the key order is Compare's.
	var pool []Value
	for _, s := range []string{"null", `""`, `"a"`, `"ab"`, "0", "-0.5", "-5", "-50", "-5.05", "5", "50", "5.05",
		"1e-5", "-1e-5", "1e100", "false", "true", "[]", "[null]", "[[]]", "[1,2]", `[1,"a"]`, "{}", `{"a":1}`, `{"b":0}`,
		`{"a":1,"b":2}`, `{"aa":[]}`, `[{}]`, `[{"a":null}]`, "123456789.123456789", "123456789.12345679", "-123456789.123456789"} {
		pool = append(pool, mustParse(t, s))
	}
	for _, a := range pool {
		for _, b := range pool {
			if c, k := Compare(a, b), bytes.Compare(AppendKey(nil, a), AppendKey(nil, b)); c != k {
				t.Errorf("Compare(%s, %s) = %d, keys %d", a, b, c, k)
			}
		}
	}
}

// TestNoAllocations checks that navigation returns sub-slices and that,
// once warm, the operators, the json functions and the output allocate
// nothing but what dst needs.
func TestNoAllocations(t *testing.T) {
	v := mustParse(t, `{"a": {"b": [10, 20, {"c": "x"}]}, "d": "e", "n": null}`)
	w := mustParse(t, `[1, 2]`)
	j := []byte(`{"a": {"b": [10, 20, {"c": "x"}]}, "d": "e"}`)
	str := []byte(`"x\u0041"`)
	arr := []byte(`[1, "\u0041", {}]`)
	key := []byte("d")
	path := [][]byte{[]byte("a"), []byte("b")}
	deep := [][]byte{[]byte("a"), []byte("b"), []byte("-1"), []byte("c")}
	var dst []byte
	var d JSONDoc
	var ps Parser
	for name, f := range map[string]func(){
		"navigate": func() {
			r, ok := Path(v, deep)
			if !ok || r.Kind() != KindString {
				t.Fatal("path")
			}
			if _, ok := ObjectField(v, key); !ok {
				t.Fatal("field")
			}
			dst, _ = AppendAsText(dst[:0], r)
		},
		"predicates": func() {
			if !Contains(v, v) || !Exists(v, key) || Compare(v, w) == 0 {
				t.Fatal("predicates")
			}
		},
		"parse":       func() { dst, _ = ps.Append(dst[:0], j) },
		"text":        func() { dst = AppendText(dst[:0], v) },
		"pretty":      func() { dst = AppendPretty(dst[:0], v) },
		"key":         func() { dst = AppendKey(dst[:0], v) },
		"concat":      func() { dst, _ = Concat(dst[:0], v, w) },
		"delete key":  func() { dst, _ = DeleteKey(dst[:0], v, key) },
		"delete idx":  func() { dst, _ = DeleteIndex(dst[:0], w, 0) },
		"set":         func() { dst, _ = Set(dst[:0], v, path, nil, w, true) },
		"strip":       func() { dst, _ = StripNulls(dst[:0], v) },
		"validate":    func() { _ = ValidateJSON(j) },
		"json field":  func() { _, _, _ = JSONField(j, key) },
		"json path":   func() { _, _, _ = JSONPath(j, path) },
		"json text":   func() { dst, _, _ = AppendJSONAsText(dst[:0], str) },
		"json each":   func() { _, _ = d.Each(j) },
		"json elems":  func() { _, _ = d.ArrayElements(arr, true) },
		"json strip":  func() { dst, _ = JSONStripNulls(dst[:0], j) },
		"json length": func() { _, _ = JSONArrayLength(arr) },
		"json typeof": func() { _, _ = JSONTypeOf(j) },
	} {
		f()
		if n := testing.AllocsPerRun(50, f); n != 0 {
			t.Errorf("%s: %v allocations", name, n)
		}
	}
}
