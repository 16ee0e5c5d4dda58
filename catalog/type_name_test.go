package catalog

import (
	"testing"

	"github.com/pqdb/pqdb/pgerr"
)

func TestTypeByName(t *testing.T) {
	cases := []struct {
		name    string
		typmods []int32
		want    Type
	}{
		{"int", nil, TypeInt4},
		{"INTEGER", nil, TypeInt4},
		{"int4", nil, TypeInt4},
		{"bigint", nil, TypeInt8},
		{"smallint", nil, TypeInt2},
		{"real", nil, TypeFloat4},
		{"double  precision", nil, TypeFloat8},
		{"float", nil, TypeFloat8},
		{"float", []int32{24}, TypeFloat4},
		{"float", []int32{25}, TypeFloat8},
		{"decimal", []int32{10, 2}, NumericType(10, 2)},
		{"numeric", []int32{7}, NumericType(7, 0)},
		{"numeric", []int32{38, 38}, Type{Kind: Numeric, Typmod: 38<<16 | 38 + 4, Scale: 38}},
		{"numeric", []int32{5, -2}, Type{Kind: Numeric, Typmod: 5<<16 | 0x7FE + 4, Scale: VariableScale}},
		{"numeric", []int32{4, 6}, Type{Kind: Numeric, Typmod: 4<<16 | 6 + 4, Scale: VariableScale}},
		{"numeric", []int32{39, 2}, Type{Kind: Numeric, Typmod: 39<<16 | 2 + 4, Scale: VariableScale}},
		{"numeric", []int32{1000, -1000}, Type{Kind: Numeric, Typmod: 1000<<16 | 0x418 + 4, Scale: VariableScale}},
		{"numeric", nil, TypeNumeric},
		{"character varying", []int32{20}, VarcharType(20)},
		{"varchar", nil, VarcharType(-1)},
		{"char", nil, BpcharType(1)},
		{"character", []int32{3}, BpcharType(3)},
		{"bpchar", nil, BpcharType(-1)},
		{"boolean", nil, TypeBool},
		{"timestamp with time zone", nil, TypeTimestampTZ},
		{"timestamptz", nil, TypeTimestampTZ},
		{"timestamp", []int32{3}, Type{Kind: Timestamp, Typmod: 3}},
		{"time", []int32{9}, Type{Kind: Time, Typmod: 6}},
		{"interval", []int32{IntervalDay}, Type{Kind: Interval, Typmod: IntervalDay<<16 | 0xFFFF}},
		{"interval", []int32{0x7FFF, 2}, Type{Kind: Interval, Typmod: 0x7FFF<<16 | 2}},
		{"pg_catalog.text", nil, TypeText},
		{"jsonb", nil, TypeJSONB},
		{"name", nil, TypeName},
	}
	for _, c := range cases {
		got, err := TypeByName(c.name, c.typmods)
		if err != nil || got != c.want {
			t.Errorf("TypeByName(%q, %v) = %v, %v; want %v", c.name, c.typmods, got, err, c.want)
		}
	}
	errs := []struct {
		name    string
		typmods []int32
		code    string
		msg     string
	}{
		{"foo", nil, pgerr.UndefinedObject, `type "foo" does not exist`},
		{"numeric", []int32{0, 0}, pgerr.InvalidParameterValue, "NUMERIC precision 0 must be between 1 and 1000"},
		{"numeric", []int32{1001}, pgerr.InvalidParameterValue, "NUMERIC precision 1001 must be between 1 and 1000"},
		{"numeric", []int32{5, -1001}, pgerr.InvalidParameterValue, "NUMERIC scale -1001 must be between -1000 and 1000"},
		{"numeric", []int32{5, 1, 1}, pgerr.InvalidParameterValue, "invalid NUMERIC type modifier"},
		{"varchar", []int32{0}, pgerr.InvalidParameterValue, "length for type varchar must be at least 1"},
		{"text", []int32{5}, pgerr.SyntaxError, `type modifier is not allowed for type "text"`},
		{"foo[]", nil, pgerr.UndefinedObject, `type "foo[]" does not exist`},
	}
	for _, c := range errs {
		_, err := TypeByName(c.name, c.typmods)
		pe := pgerr.From(err)
		if err == nil || pe.Code != c.code || c.msg != "" && pe.Message != c.msg {
			t.Errorf("TypeByName(%q, %v): %v, want %s %q", c.name, c.typmods, err, c.code, c.msg)
		}
	}
}

// TestNumericModifiers checks that every numeric(p,s) PostgreSQL accepts
// keeps its modifiers (the typmods are PostgreSQL 15's RowDescription
// values) and is decimal128 exactly when 0 <= s <= p <= 38.
func TestNumericModifiers(t *testing.T) {
	for _, c := range []struct {
		p, s   int32
		typmod int32
		name   string
		isVar  bool
	}{
		{10, 2, 655366, "numeric(10,2)", false},
		{38, 0, 2490372, "numeric(38,0)", false},
		{5, -2, 329730, "numeric(5,-2)", true},
		{4, 6, 262154, "numeric(4,6)", true},
		{60, 10, 3932174, "numeric(60,10)", true},
		{1, -1000, 66588, "numeric(1,-1000)", true},
		{1000, 1000, 65537004, "numeric(1000,1000)", true},
	} {
		typ := NumericType(c.p, c.s)
		if typ.Typmod != c.typmod || typ.String() != c.name || typ.IsVarNumeric() != c.isVar ||
			typ.Precision() != c.p || typ.NumericScale() != c.s {
			t.Errorf("NumericType(%d, %d) = %+v %s (precision %d, scale %d); want typmod %d, %s, var %v",
				c.p, c.s, typ, typ, typ.Precision(), typ.NumericScale(), c.typmod, c.name, c.isVar)
		}
	}
}

func TestTypeByOID(t *testing.T) {
	for _, typ := range []Type{TypeBool, TypeInt2, TypeInt4, TypeInt8, TypeText, TypeUUID, TypeJSONB, TypeTimestampTZ} {
		got, ok := TypeByOID(typ.OID())
		if !ok || got != typ {
			t.Errorf("TypeByOID(%d) = %v, %v; want %v", typ.OID(), got, ok, typ)
		}
	}
	if got, ok := TypeByOID(OIDInt4Array); !ok || got != ArrayOf(TypeInt4) {
		t.Errorf("TypeByOID(_int4) = %v, %v", got, ok)
	}
	if _, ok := TypeByOID(OIDPointArray); ok {
		t.Errorf("TypeByOID(_point) should not be supported")
	}
}

// TestPgTypesGenerated checks a few generated pg_type rows against
// PostgreSQL 15.
func TestPgTypesGenerated(t *testing.T) {
	byOID := map[uint32]PgTypeRow{}
	for _, r := range PgTypes {
		byOID[r.OID] = r
	}
	if len(PgTypes) < 190 {
		t.Fatalf("only %d pg_type rows", len(PgTypes))
	}
	i4 := byOID[OIDInt4]
	if i4.Typname != "int4" || i4.Typlen != 4 || !i4.Typbyval || i4.Typarray != OIDInt4Array || i4.Typinput.Name != "int4in" || i4.Typcategory != 'N' {
		t.Errorf("int4 row: %+v", i4)
	}
	arr := byOID[OIDInt4Array]
	if arr.Typname != "_int4" || arr.Typelem != OIDInt4 || arr.Typcategory != 'A' || arr.Typlen != -1 {
		t.Errorf("_int4 row: %+v", arr)
	}
	if n := byOID[OIDName]; n.Typlen != 64 || n.Typcollation != 950 {
		t.Errorf("name row: %+v", n)
	}
	if ts := byOID[OIDTimestamptz]; ts.Typname != "timestamptz" || ts.Typalign != 'd' || !ts.Typispreferred || ts.Typmodin.Name != "timestamptztypmodin" {
		t.Errorf("timestamptz row: %+v", ts)
	}
	for k := range kindInfo {
		oid := kindInfo[k].oid
		if _, ok := byOID[oid]; !ok {
			t.Errorf("kind %d: OID %d has no pg_type row", k, oid)
		}
	}
}
