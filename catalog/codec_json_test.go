package catalog

import (
	"bytes"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/jsonb"
	"github.com/pqdb/pqdb/pgerr"
)

// TestJSONInputErrors checks that json and jsonb input fail with
// PostgreSQL 15's whole error: SQLSTATE, message, DETAIL and CONTEXT, as
// psql -v VERBOSITY=verbose printed them.
func TestJSONInputErrors(t *testing.T) {
	cases := []struct {
		typ                 Type
		in                  string
		code, detail, where string
	}{
		{TypeJSONB, `{"a" 1}`, pgerr.InvalidTextRepresentation, `Expected ":", but found "1".`, `JSON data, line 1: {"a" 1...`},
		{TypeJSON, `[1,2`, pgerr.InvalidTextRepresentation, `The input string ended unexpectedly.`, `JSON data, line 1: [1,2`},
		{TypeJSONB, `"\u0000"`, pgerr.UntranslatableCharacter, `\u0000 cannot be converted to text.`, `JSON data, line 1: "\u0000...`},
	}
	for _, c := range cases {
		_, err := ParseText(c.typ, c.in)
		pe, ok := err.(*pgerr.Error)
		if !ok || pe.Code != c.code || pe.Detail != c.detail || pe.Where != c.where {
			t.Errorf("ParseText(%s, %q) = %#v, want %s / %q / %q", c.typ, c.in, err, c.code, c.detail, c.where)
		}
	}
	// json checks syntax only: \u0000 passes (and is kept verbatim).
	if d, err := ParseText(TypeJSON, `"\u0000"`); err != nil || d != `"\u0000"` {
		t.Errorf(`json "\u0000": %v, %v`, d, err)
	}
}

// TestJSONBReceive checks jsonb_recv: the version byte, the canonical text,
// and PostgreSQL's errors (an empty message is 08P01 from pq_getmsgint, an
// unknown version XX000 from elog).
func TestJSONBReceive(t *testing.T) {
	d, err := ParseBinary(TypeJSONB, append([]byte{1}, `{"b":1,"a":[1.50,1e2],"b":2}`...))
	if err != nil || d != `{"a": [1.50, 100], "b": 2}` {
		t.Fatalf("jsonb_recv: %v, %v", d, err)
	}
	for _, c := range []struct {
		wire []byte
		code string
	}{
		{nil, pgerr.ProtocolViolation},
		{[]byte{2, '1'}, pgerr.InternalError},
		{[]byte{1, '{'}, pgerr.InvalidTextRepresentation},
		{[]byte{1, 0xff}, pgerr.CharacterNotInRepertoire},
	} {
		if _, err := ParseBinary(TypeJSONB, c.wire); pgerr.CodeOf(err) != c.code {
			t.Errorf("jsonb_recv(%x): %v, want %s", c.wire, err, c.code)
		}
	}
	if _, err := ParseBinary(TypeJSON, []byte(`{"a" 1}`)); pgerr.CodeOf(err) != pgerr.InvalidTextRepresentation {
		t.Errorf("json_recv of bad JSON: %v", err)
	}
}

// TestJSONBSendIsAppendSend checks that sending a stored jsonb value as
// its version byte and stored text is jsonb_send of the value.
func TestJSONBSendIsAppendSend(t *testing.T) {
	for _, in := range []string{`{"b": [1, {"c": null}], "a": 1.50}`, `"x\"y"`, `[]`, `-0.0e3`} {
		stored, err := ParseText(TypeJSONB, in)
		if err != nil {
			t.Fatal(err)
		}
		v, err := jsonb.Parse([]byte(in))
		if err != nil {
			t.Fatal(err)
		}
		want := jsonb.AppendSend(nil, v)
		if got := AppendDatumBinary(nil, TypeJSONB, stored); !bytes.Equal(got, want) {
			t.Errorf("%s: sent %q, jsonb_send %q", in, got, want)
		}
	}
}

// TestJSONColumnDecoder reads a column of values with one decoder, in
// both formats: jsonb is stored canonical, json verbatim.
func TestJSONColumnDecoder(t *testing.T) {
	mem := memory.NewGoAllocator()
	for _, c := range []struct {
		typ    Type
		format int16
		in     []string
		want   []string
	}{
		{TypeJSONB, FormatText, []string{`{"b":2,"a":1}`, `[1.0, "é"]`}, []string{`{"a": 1, "b": 2}`, `[1.0, "é"]`}},
		{TypeJSONB, FormatBinary, []string{"\x01{\"b\":2,\"a\":1}", "\x01 true "}, []string{`{"a": 1, "b": 2}`, `true`}},
		{TypeJSON, FormatText, []string{`{"b":2,"a":1}`}, []string{`{"b":2,"a":1}`}},
		{TypeJSON, FormatBinary, []string{` [1, 2] `}, []string{` [1, 2] `}},
	} {
		dec, err := NewColumnDecoder(c.typ, c.format, nil)
		if err != nil {
			t.Fatal(err)
		}
		b := array.NewStringBuilder(mem)
		dec.Bind(b)
		for _, v := range c.in {
			if err := dec.Append([]byte(v)); err != nil {
				t.Fatalf("%s %q: %v", c.typ, v, err)
			}
		}
		got := b.NewStringArray()
		for i, w := range c.want {
			if got.Value(i) != w {
				t.Errorf("%s format %d: %q read as %q, want %q", c.typ, c.format, c.in[i], got.Value(i), w)
			}
		}
		if err := dec.Append([]byte("\x01{")); pgerr.CodeOf(err) != pgerr.InvalidTextRepresentation {
			t.Errorf("%s format %d: bad value: %v", c.typ, c.format, err)
		}
	}
}
