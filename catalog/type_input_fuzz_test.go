package catalog

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pqdb/pqdb/pgerr"
)

// inputTypes are the types FuzzTypeInput reads: every kind of the type
// table (kindInfo) but record, which has no input of its own, then the
// modifiers that change what an input function does, then an array of
// each of those, then the vector types.
var inputTypes = func() []Type {
	var ts []Type
	for k := range kindInfo {
		switch kind := Kind(k); kind {
		case Array, Record:
		case Numeric:
			ts = append(ts, TypeNumeric)
		default:
			ts = append(ts, Type{Kind: kind, Typmod: -1})
		}
	}
	ts = append(ts, NumericType(10, 2), NumericType(3, -1), NumericType(40, 5), UnconstrainedNumeric(6),
		VarcharType(3), BpcharType(3),
		Type{Kind: Time, Typmod: 0}, Type{Kind: Timestamp, Typmod: 2}, Type{Kind: TimestampTZ, Typmod: 0},
		Type{Kind: Interval, Typmod: (IntervalHour|IntervalMinute)<<16 | intervalFullPrecision})
	for _, t := range ts {
		if a, err := ArrayOfChecked(t); err == nil {
			ts = append(ts, a)
		}
	}
	return append(ts, TypeInt2Vector, TypeOidVector)
}()

// FuzzTypeInput feeds arbitrary bytes to the input and the receive
// function of one of inputTypes, as a literal or parameter reaches them
// (ParseTextIn, ParseBinary) and as COPY and Bind do (a ColumnDecoder).
// They must return a value or a *pgerr.Error with the SQLSTATE of the
// problem, never panic nor let out an error without one (XX000); both
// ways must accept the same inputs and read the same values; and a value
// they accept must print and read back as itself.
func FuzzTypeInput(f *testing.F) {
	seeds := []string{"1", "-1.5e3", "2024-01-31 12:00:00+05", "1 day 02:03", "P1Y", `{"a":[1]}`, `\x0102`, "infinity",
		"Jan 31 2024 BC", "12:00 pm", "{1,NULL,\"x y\"}", "(1,2)", "16/B374D848", "=r/postgres", "NaN", "t"}
	for i, typ := range inputTypes {
		for _, s := range seeds {
			f.Add(uint8(i), []byte(s))
			// The binary form of a value the input function reads seeds
			// the receive function.
			if d, err := ParseText(typ, s); err == nil {
				f.Add(uint8(i), AppendDatumBinary(nil, typ, d))
			}
		}
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, i uint8, data []byte) {
		typ := inputTypes[int(i)%len(inputTypes)]
		for _, format := range []int16{FormatText, FormatBinary} {
			var d Datum
			var err error
			if format == FormatText {
				d, err = ParseTextIn(typ, string(data), ny)
			} else {
				d, err = ParseBinary(typ, data)
			}
			checkInputError(t, typ, format, data, err)
			col, decoded, colErr := decodePrinted(typ, format, data, ny)
			checkInputError(t, typ, format, data, colErr)
			if decoded && (err == nil) != (colErr == nil) {
				t.Fatalf("%s format %d %q: parse %v, column decoder %v", typ, format, data, err, colErr)
			}
			if err != nil {
				continue
			}
			out := string(AppendDatumTextIn(nil, typ, d, ny))
			if decoded && col != out {
				t.Fatalf("%s format %d %q: parse prints %q, column decoder %q", typ, format, data, out, col)
			}
			back, err := ParseTextIn(typ, out, ny)
			if err != nil {
				t.Fatalf("%s format %d %q printed as %q, which does not read back: %v", typ, format, data, out, err)
			}
			if again := string(AppendDatumTextIn(nil, typ, back, ny)); again != out {
				t.Fatalf("%s format %d %q printed as %q, which reads back as %q", typ, format, data, out, again)
			}
			bin := AppendDatumBinary(nil, typ, d)
			if back, err := ParseBinary(typ, bin); pgerr.CodeOf(err) == pgerr.FeatureNotSupported {
				// a type without a receive function (aclitem)
			} else if err != nil {
				t.Fatalf("%s format %d %q sent as %x, which is not received: %v", typ, format, data, bin, err)
			} else if again := string(AppendDatumTextIn(nil, typ, back, ny)); again != out {
				t.Fatalf("%s format %d %q sent as %x, which is received as %q, not %q", typ, format, data, bin, again, out)
			}
		}
	})
}

// checkInputError fails t if err, an input function's error, is not a
// *pgerr.Error with the SQLSTATE of the problem. Only jsonb's receive
// function may fail with internal_error, as PostgreSQL's elog does at an
// unknown version byte.
func checkInputError(t *testing.T, typ Type, format int16, data []byte, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var pe *pgerr.Error
	if !errors.As(err, &pe) || pe.Code == "" || pe.Code == pgerr.InternalError && !strings.HasPrefix(pe.Message, "unsupported jsonb version number") {
		t.Fatalf("%s format %d %q: error without a SQLSTATE: %v", typ, format, data, err)
	}
}

// decodePrinted reads raw through a ColumnDecoder of typ and prints it
// with typ's text encoder; decoded is false for a type no column holds.
func decodePrinted(typ Type, format int16, raw []byte, loc *time.Location) (text string, decoded bool, err error) {
	if _, err := NewColumnDecoder(typ, format, loc); err != nil {
		return "", false, nil
	}
	col, err := decodeColumn(typ, format, raw, loc)
	if err != nil {
		return "", true, err
	}
	defer col.Release()
	enc, err := NewColumnEncoder(typ, FormatText, loc)
	if err != nil {
		return "", true, err
	}
	enc.Bind(col)
	return string(enc.Append(nil, 0)), true, nil
}
