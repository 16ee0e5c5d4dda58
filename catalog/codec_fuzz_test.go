package catalog

import (
	"testing"
	"time"
)

var fuzzTypes = []Type{
	TypeBool, TypeInt2, TypeInt4, TypeInt8, TypeOid, TypeFloat4, TypeFloat8,
	NumericType(10, 2), UnconstrainedNumeric(6), TypeText, VarcharType(3), BpcharType(3), TypeName,
	TypeBytea, TypeUUID, TypeDate, TypeTime, TypeTimestamp, TypeTimestampTZ, TypeInterval, TypeJSON, TypeJSONB,
}

// FuzzParse feeds arbitrary input to every input and receive function:
// they must return a value or a *pgerr.Error, never panic, and a value
// they accept must print and read back.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"1", "-1.5e3", "2024-01-31 12:00:00+05", "1 day 02:03", "P1Y", `{"a":[1]}`, `\x0102`, "infinity", "Jan 31 2024 BC", "12:00 pm"} {
		f.Add(s)
	}
	ny, _ := time.LoadLocation("America/New_York")
	f.Fuzz(func(t *testing.T, s string) {
		for _, typ := range fuzzTypes {
			d, err := ParseTextIn(typ, s, ny)
			if err == nil {
				out := string(AppendDatumTextIn(nil, typ, d, ny))
				if _, err := ParseTextIn(typ, out, ny); err != nil {
					t.Errorf("%s: %q printed as %q, which does not read back: %v", typ, s, out, err)
				}
			}
			if d, err := ParseBinary(typ, []byte(s)); err == nil {
				AppendDatumBinary(nil, typ, d)
			}
		}
	})
}
