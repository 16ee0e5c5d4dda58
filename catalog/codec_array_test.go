package catalog

import (
	"bytes"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/pqdb/pqdb/pgerr"
)

// Expected texts are array_out's on PostgreSQL 15.
func TestArrayTextRoundTrip(t *testing.T) {
	cases := []struct {
		typ      Type
		in, want string
	}{
		{ArrayOf(TypeInt4), "{1,2,NULL}", "{1,2,NULL}"},
		{ArrayOf(TypeInt4), " { 1 , 2 } ", "{1,2}"},
		{ArrayOf(TypeInt4), "{}", "{}"},
		{ArrayOf(TypeInt4), `{1,"2"}`, "{1,2}"},
		{ArrayOf(TypeText), `{"a b","c\"d", "", NULL, "NULL", null, x\,y}`, `{"a b","c\"d","",NULL,"NULL",NULL,"x,y"}`},
		{ArrayOf(TypeText), `{a b ,  c}`, `{"a b",c}`},
		{ArrayOf(TypeBytea), `{"\\x01"}`, `{"\\x01"}`},
		{ArrayOf(TypeBool), `{t,false}`, `{t,f}`},
		{ArrayOf(TypeDate), `{2026-01-02}`, `{2026-01-02}`},
		{ArrayOf(TypeNumeric), `{1.50,2}`, `{1.50,2}`},
		{ArrayOf(NumericType(5, 2)), `{1.5,NULL}`, `{1.50,NULL}`},
		{ArrayOf(TypeUUID), `{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}`, `{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}`},
		{ArrayOf(TypeInterval), `{"1 day 02:00:00",-1}`, `{"1 day 02:00:00",-00:00:01}`},
		{ArrayOf(TypeTimestampTZ), `{"2026-01-02 03:04:05+02"}`, `{"2026-01-02 01:04:05+00"}`},
		{ArrayOf(TypeJSONB), `{"{\"a\": [1, 2]}",null}`, `{"{\"a\": [1, 2]}",NULL}`},
		{ArrayOf(BpcharType(3)), `{a,"b c"}`, `{"a  ","b c"}`},
		{ArrayOf(TypeFloat8), `{1.5,NaN,-Infinity}`, `{1.5,NaN,-Infinity}`},
	}
	for _, c := range cases {
		d, err := ParseText(c.typ, c.in)
		if err != nil {
			t.Fatalf("%s: %v", c.in, err)
		}
		if got := string(AppendDatumText(nil, c.typ, d)); got != c.want {
			t.Errorf("%s: got %s, want %s", c.in, got, c.want)
		}
		bin := AppendDatumBinary(nil, c.typ, d)
		back, err := ParseBinary(c.typ, bin)
		if err != nil {
			t.Fatalf("%s binary: %v", c.in, err)
		}
		if got := string(AppendDatumText(nil, c.typ, back)); got != c.want {
			t.Errorf("%s binary: got %s, want %s", c.in, got, c.want)
		}
		// The column codecs agree with the Datum ones.
		for _, format := range []int16{FormatText, FormatBinary} {
			dec, err := NewColumnDecoder(c.typ, format, time.UTC)
			if err != nil {
				t.Fatal(err)
			}
			b := array.NewBuilder(memory.DefaultAllocator, c.typ.ArrowType())
			dec.Bind(b)
			raw := []byte(c.in)
			if format == FormatBinary {
				raw = bin
			}
			if err := dec.Append(raw); err != nil {
				t.Fatalf("%s decoder: %v", c.in, err)
			}
			col := b.NewArray()
			enc, err := NewColumnEncoder(c.typ, format, time.UTC)
			if err != nil {
				t.Fatal(err)
			}
			enc.Bind(col)
			out := enc.Append(nil, 0)
			want := []byte(c.want)
			if format == FormatBinary {
				want = bin
			}
			if !bytes.Equal(out, want) {
				t.Errorf("%s format %d: encoder wrote %q, want %q", c.in, format, out, want)
			}
		}
	}
}

// Expected errors are array_in's on PostgreSQL 15.
func TestArrayTextErrors(t *testing.T) {
	cases := []struct{ in, code, detail string }{
		{"{1,,2}", pgerr.InvalidTextRepresentation, `Unexpected "," character.`},
		{"1,2", pgerr.InvalidTextRepresentation, `Array value must start with "{" or dimension information.`},
		{"{1,2", pgerr.InvalidTextRepresentation, "Unexpected end of input."},
		{"{1,2}x", pgerr.InvalidTextRepresentation, "Junk after closing right brace."},
		{`{ab"c}`, pgerr.InvalidTextRepresentation, "Unexpected array element."},
		{"{{1,2},{3,4}}", pgerr.FeatureNotSupported, ""},
		{"[0:1]={1,2}", pgerr.FeatureNotSupported, ""},
	}
	for _, c := range cases {
		_, err := ParseText(ArrayOf(TypeInt4), c.in)
		e := pgerr.From(err)
		if err == nil || e.Code != c.code || c.detail != "" && e.Detail != c.detail {
			t.Errorf("%s: got %v (%s, %q)", c.in, err, e.Code, e.Detail)
		}
	}
}

func TestArrayTypes(t *testing.T) {
	it, err := TypeByName("int[]", nil)
	if err != nil || it != ArrayOf(TypeInt4) || it.OID() != OIDInt4Array || it.String() != "integer[]" {
		t.Fatalf("int[]: %v %v %d %s", it, err, it.OID(), it)
	}
	vt, err := TypeByName("_varchar", []int32{10})
	if err != nil || vt.String() != "character varying(10)[]" || vt.OID() != OIDVarcharArray {
		t.Fatalf("_varchar(10): %v %v", vt, err)
	}
	if bt, ok := TypeByOID(OIDTextArray); !ok || bt != ArrayOf(TypeText) {
		t.Fatalf("TypeByOID(_text) = %v", bt)
	}
	_, err = ParseBinary(ArrayOf(TypeInt8), AppendDatumBinary(nil, ArrayOf(TypeInt4), ArrayValue{int32(1)}))
	if pgerr.CodeOf(err) != pgerr.DatatypeMismatch {
		t.Fatalf("element type mismatch: %v", err)
	}
}

// array_in never panics, and what it reads prints and reads back the same.
func FuzzArrayText(f *testing.F) {
	for _, s := range []string{"{}", "{1,2}", `{"a b","c\"d",NULL}`, " { x , y } ", "{{1}}", "{1,,2}", `{"\\x"}`} {
		f.Add(s)
	}
	t := ArrayOf(TypeText)
	f.Fuzz(func(tt *testing.T, s string) {
		d, err := ParseText(t, s)
		if err != nil {
			return
		}
		out := string(AppendDatumText(nil, t, d))
		back, err := ParseText(t, out)
		if err != nil {
			tt.Fatalf("%q printed as %q, which does not read back: %v", s, out, err)
		}
		if again := string(AppendDatumText(nil, t, back)); again != out {
			tt.Fatalf("%q: %q then %q", s, out, again)
		}
	})
}
