package exec

import (
	"math"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// The expectations below were produced by PostgreSQL 15 (psql, default
// settings) for `SELECT <value>::<from>::<to>::text`.
func TestCastMatrix(t *testing.T) {
	text := catalog.TypeText
	cases := []struct {
		from catalog.Type
		in   catalog.Datum
		to   catalog.Type
		want string // text output of the result, or "ERR:<sqlstate>"
	}{
		{catalog.TypeFloat8, 2.5, catalog.TypeInt4, "2"},
		{catalog.TypeFloat8, 3.5, catalog.TypeInt4, "4"},
		{catalog.TypeFloat8, -2.5, catalog.TypeInt4, "-2"},
		{catalog.TypeFloat8, 3e9, catalog.TypeInt4, "ERR:22003"},
		{catalog.TypeFloat8, math.NaN(), catalog.TypeInt8, "ERR:22003"},
		{catalog.NumericType(10, 1), dec("2.5", 1), catalog.TypeInt4, "3"},
		{catalog.NumericType(10, 1), dec("-2.5", 1), catalog.TypeInt2, "-3"},
		{catalog.TypeInt4, int32(70000), catalog.TypeInt2, "ERR:22003"},
		{catalog.TypeInt8, int64(1) << 40, catalog.TypeInt4, "ERR:22003"},
		{catalog.TypeInt4, int32(-5), catalog.TypeFloat8, "-5"},
		{catalog.TypeInt4, int32(12), catalog.NumericType(5, 2), "12.00"},
		{catalog.TypeInt4, int32(1234), catalog.NumericType(5, 2), "ERR:22003"},
		{catalog.NumericType(10, 3), dec("1.2345", 3), catalog.NumericType(10, 2), "1.23"},
		{catalog.NumericType(10, 3), dec("1.235", 3), catalog.NumericType(10, 2), "1.24"},
		{catalog.NumericType(10, 3), dec("-1.235", 3), catalog.NumericType(10, 2), "-1.24"},
		{catalog.NumericType(10, 3), dec("999.995", 3), catalog.NumericType(5, 2), "ERR:22003"},
		{catalog.TypeFloat8, 0.1, catalog.UnconstrainedNumeric(2), "0.10"},
		{catalog.NumericType(10, 2), dec("0.10", 2), catalog.TypeFloat8, "0.1"},
		{catalog.TypeFloat8, 1e100, text, "1e+100"},
		{catalog.TypeFloat8, 0.1, text, "0.1"},
		{catalog.TypeFloat8, 1e15, text, "1e+15"},
		{catalog.TypeFloat8, 123456789012345.0, text, "123456789012345"},
		{catalog.TypeFloat8, 0.0001, text, "0.0001"},
		{catalog.TypeFloat8, 0.00001, text, "1e-05"},
		{catalog.TypeFloat8, math.Inf(-1), text, "-Infinity"},
		{catalog.TypeFloat8, math.NaN(), text, "NaN"},
		{catalog.TypeFloat4, float32(1e6), text, "1e+06"},
		{catalog.TypeFloat4, float32(123456), text, "123456"},
		{catalog.TypeFloat4, float32(0.1), text, "0.1"},
		{catalog.NumericType(10, 3), dec("-0.050", 3), text, "-0.050"},
		{catalog.TypeDate, int32(19753), text, "2024-01-31"},
		{catalog.TypeTimestamp, int64(19753)*microsPerDay + 12*microsPerHour, text, "2024-01-31 12:00:00"},
		{catalog.TypeTimestamp, int64(1500), text, "1970-01-01 00:00:00.0015"},
		{catalog.TypeTimestampTZ, int64(0), text, "1970-01-01 00:00:00+00"},
		{catalog.TypeBool, true, text, "true"},
		{catalog.TypeInterval, arrow.MonthDayNanoInterval{Days: 3, Nanoseconds: 4 * microsPerHour * 1000}, text, "3 days 04:00:00"},
		{catalog.TypeInterval, arrow.MonthDayNanoInterval{Months: 14}, text, "1 year 2 mons"},
		{catalog.TypeInterval, arrow.MonthDayNanoInterval{Days: -1, Nanoseconds: 2 * microsPerHour * 1000}, text, "-1 days +02:00:00"},
		{catalog.TypeInterval, arrow.MonthDayNanoInterval{}, text, "00:00:00"},
		{text, " 42 ", catalog.TypeInt4, "42"},
		{text, "abc", catalog.TypeInt4, "ERR:22P02"},
		{text, "99999999999", catalog.TypeInt4, "ERR:22003"},
		{text, "1.5", catalog.TypeInt4, "ERR:22P02"},
		{text, "yes", catalog.TypeBool, "true"},
		{text, "OFF", catalog.TypeBool, "false"},
		{text, "maybe", catalog.TypeBool, "ERR:22P02"},
		{text, "2024-02-29", catalog.TypeDate, "2024-02-29"},
		{text, "2023-02-29", catalog.TypeDate, "ERR:22008"},
		{text, "2024-13-01", catalog.TypeDate, "ERR:22008"},
		{text, "yesterday-ish", catalog.TypeDate, "ERR:22007"},
		{text, "2024-01-31 12:34:56.789", catalog.TypeTimestamp, "2024-01-31 12:34:56.789"},
		{text, "2024-01-31T12:00:00+02", catalog.TypeTimestampTZ, "2024-01-31 10:00:00+00"},
		{text, "  1.50 ", catalog.NumericType(5, 1), "1.5"},
		{text, "1e3", catalog.UnconstrainedNumeric(0), "1000"},
		{text, "1.2.3", catalog.UnconstrainedNumeric(0), "ERR:22P02"},
		{text, "NaN", catalog.TypeFloat8, "NaN"},
		{text, "-Infinity", catalog.TypeFloat8, "-Infinity"},
		{text, "1e400", catalog.TypeFloat8, "ERR:22003"},
		{text, "1 day", catalog.TypeInterval, "1 day"},
		{text, "3 months", catalog.TypeInterval, "3 mons"},
		{text, "1.5 months", catalog.TypeInterval, "1 mon 15 days"},
		{text, "90", catalog.TypeInterval, "00:01:30"},
		{text, "1 year 2 mons 3 days 04:05:06", catalog.TypeInterval, "1 year 2 mons 3 days 04:05:06"},
		{text, "2 hours ago", catalog.TypeInterval, "-02:00:00"},
		{text, "abcdef", catalog.VarcharType(3), "abc"},
		{text, "ab", catalog.BpcharType(4), "ab"}, // char → text drops the padding again
		{catalog.BpcharType(4), "ab  ", text, "ab"},
		{text, "héllo", catalog.VarcharType(2), "hé"},
		{catalog.TypeInt4, int32(5), catalog.TypeBool, "true"},
		{catalog.TypeInt4, int32(0), catalog.TypeBool, "false"},
		{catalog.TypeBool, true, catalog.TypeInt4, "1"},
		{catalog.TypeDate, int32(19753), catalog.TypeTimestamp, "2024-01-31 00:00:00"},
		{catalog.TypeTimestamp, int64(19753)*microsPerDay + 5, catalog.TypeDate, "2024-01-31"},
		{catalog.TypeTimestamp, int64(-1), catalog.TypeDate, "1969-12-31"},
		{text, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", catalog.TypeUUID, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"},
		{text, `\x0aff`, catalog.TypeBytea, `\x0aff`},
		{catalog.TypeDate, int32(19753), catalog.TypeInt4, "ERR:42846"},
	}
	for _, c := range cases {
		name := c.from.String() + "->" + c.to.String() + ":" + formatText(c.from, c.in)
		t.Run(name, func(t *testing.T) {
			e, err := Cast(ColumnRef(0, c.from), c.to)
			if err == nil && c.to.Kind != catalog.Text {
				e, err = Cast(e, text)
			}
			var got []catalog.Datum
			if err == nil {
				got, err = evalExpr(t, e, []catalog.Type{c.from}, [][]catalog.Datum{{c.in}})
			}
			if len(c.want) > 4 && c.want[:4] == "ERR:" {
				wantCode(t, err, c.want[4:])
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got[0] != c.want {
				t.Fatalf("got %q want %q", got[0], c.want)
			}
		})
	}
}

func TestCastErrorOnlyForSelectedRows(t *testing.T) {
	// The junk row ("" in every batch) is unselected and would not parse.
	e := must(Cast(ColumnRef(0, catalog.TypeText), catalog.TypeInt4))
	got, err := evalExpr(t, e, []catalog.Type{catalog.TypeText}, [][]catalog.Datum{{"1"}, {nil}, {"3"}})
	if err != nil {
		t.Fatal(err)
	}
	assertRows(t, [][]catalog.Datum{got}, [][]catalog.Datum{{int32(1), nil, int32(3)}})
}

func TestCastToBpcharPads(t *testing.T) {
	e := must(Cast(ColumnRef(0, catalog.TypeText), catalog.BpcharType(4)))
	got, err := evalExpr(t, e, []catalog.Type{catalog.TypeText}, [][]catalog.Datum{{"ab"}, {"abcdef"}})
	if err != nil {
		t.Fatal(err)
	}
	assertRows(t, [][]catalog.Datum{got}, [][]catalog.Datum{{"ab  ", "abcd"}})
}

func TestCastAssign(t *testing.T) {
	e := must(CastAssign(ColumnRef(0, catalog.TypeText), catalog.VarcharType(3)))
	got, err := evalExpr(t, e, []catalog.Type{catalog.TypeText}, [][]catalog.Datum{{"ab"}, {"abc   "}, {nil}})
	if err != nil {
		t.Fatal(err)
	}
	assertRows(t, [][]catalog.Datum{got}, [][]catalog.Datum{{"ab", "abc", nil}})
	_, err = evalExpr(t, e, []catalog.Type{catalog.TypeText}, [][]catalog.Datum{{"abcd"}})
	wantCode(t, err, pgerr.StringDataRightTruncation)
	c := must(CastAssign(ColumnRef(0, catalog.TypeInt4), catalog.BpcharType(4)))
	got, err = evalExpr(t, c, []catalog.Type{catalog.TypeInt4}, [][]catalog.Datum{{int32(12)}})
	if err != nil || got[0] != "12  " {
		t.Fatalf("got %q %v", got, err)
	}
}

// Casts print and read values with catalog's I/O functions, except for
// the two documented differences: bool::text spells the word out, and
// infinite dates and timestamps, which catalog reads, are rejected.
func TestCastTextDifferencesFromIO(t *testing.T) {
	e := must(Cast(ColumnRef(0, catalog.TypeBool), catalog.TypeText))
	got, err := evalExpr(t, e, []catalog.Type{catalog.TypeBool}, [][]catalog.Datum{{true}, {false}, {nil}})
	if err != nil {
		t.Fatal(err)
	}
	assertRows(t, [][]catalog.Datum{got}, [][]catalog.Datum{{"true", "false", nil}})
}

// TestStringCastKeepsItsInput: char(n) to text returns its input when no
// value of the batch ends in a blank, and trims when one does, NULLs and
// empty values kept.
func TestStringCastKeepsItsInput(t *testing.T) {
	e := must(Cast(ColumnRef(0, catalog.BpcharType(4)), catalog.TypeText))
	for _, c := range []struct {
		name     string
		in, want []catalog.Datum
	}{
		{"no blanks", []catalog.Datum{"abcd", nil, "", "x"}, []catalog.Datum{"abcd", nil, "", "x"}},
		{"a blank", []catalog.Datum{"abcd", nil, "ab  ", "x"}, []catalog.Datum{"abcd", nil, "ab", "x"}},
	} {
		rows := make([][]catalog.Datum, len(c.in))
		for i, v := range c.in {
			rows[i] = []catalog.Datum{v}
		}
		// evalExpr's batches hold an unselected junk row each.
		got, err := evalExpr(t, e, []catalog.Type{catalog.BpcharType(4)}, rows)
		if err != nil {
			t.Fatal(err)
		}
		assertRows(t, [][]catalog.Datum{got}, [][]catalog.Datum{c.want})
		b := array.NewStringBuilder(memory.DefaultAllocator)
		for _, v := range c.in {
			if v == nil {
				b.AppendNull()
			} else {
				b.Append(v.(string))
			}
		}
		in := b.NewArray()
		out, err := e.Eval(checkedCtx(t), &Batch{Cols: []arrow.Array{in}, Len: in.Len()})
		if err != nil {
			t.Fatal(err)
		}
		if shared := out == in; shared != (c.name == "no blanks") {
			t.Errorf("%s: the input returned as it is: %v", c.name, shared)
		}
		if got := out.(*array.String); got.Len() != len(c.want) || got.IsValid(1) || got.Value(2) != c.want[2] {
			t.Errorf("%s: whole batch cast to %v", c.name, got)
		}
		out.Release()
		in.Release()
	}
}

// TestZoneCastArrowType: in UTC, timestamp and timestamptz cast to each
// other without changing a value, but the column must still take the
// target's Arrow type, which tells whether it has a zone: CREATE TABLE
// AS SELECT tz::timestamp built its record from the source column and
// panicked at the mismatch.
func TestZoneCastArrowType(t *testing.T) {
	for _, c := range [][2]catalog.Type{
		{catalog.TypeTimestampTZ, catalog.TypeTimestamp},
		{catalog.TypeTimestamp, catalog.TypeTimestampTZ},
	} {
		from, to := c[0], c[1]
		src := source([]catalog.Type{from}, [][]catalog.Datum{{int64(1)}, {nil}})
		err := Drain(checkedCtx(t), NewProject(src, []Expr{must(Cast(ColumnRef(0, from), to))}), func(b *Batch) error {
			if got := b.Cols[0].DataType(); !arrow.TypeEqual(got, to.ArrowType()) {
				t.Errorf("%s to %s: Arrow type %s, want %s", from, to, got, to.ArrowType())
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
