package exec

import (
	"math"
	"math/rand"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// The wire layer prints values with catalog's output functions; a cast to
// text must print exactly the same, so the two are checked against each
// other here, in both directions where parsing applies. (bool is the one
// intended difference: boolout prints t/f, but bool::text is true/false.)
func TestTextFormatMatchesCatalog(t *testing.T) {
	cases := []struct {
		t catalog.Type
		d catalog.Datum
	}{
		{catalog.TypeFloat8, 0.1}, {catalog.TypeFloat8, 1e100}, {catalog.TypeFloat8, -1.5e-7},
		{catalog.TypeFloat8, 123456789012345.0}, {catalog.TypeFloat8, 1234567890123456.0},
		{catalog.TypeFloat8, math.Inf(1)}, {catalog.TypeFloat8, math.NaN()}, {catalog.TypeFloat8, 100.0},
		{catalog.TypeFloat4, float32(3.14)}, {catalog.TypeFloat4, float32(1e7)}, {catalog.TypeFloat4, float32(1e-5)},
		{catalog.NumericType(10, 3), dec("-12.340", 3)}, {catalog.UnconstrainedNumeric(0), dec("12345678901234567890123", 0)},
		{catalog.UnconstrainedNumeric(5), dec("0.00001", 5)},
		{catalog.TypeDate, int32(19753)}, {catalog.TypeDate, int32(-800000)},
		{catalog.TypeTimestamp, int64(1706702400123456)}, {catalog.TypeTimestamp, int64(-1)},
		{catalog.TypeTimestampTZ, int64(1706702400000000)},
		{catalog.TypeTime, int64(45296789000)},
		{catalog.TypeInterval, arrow.MonthDayNanoInterval{Months: 14, Days: 3, Nanoseconds: 14706000000000}},
		{catalog.TypeInterval, arrow.MonthDayNanoInterval{Days: -1, Nanoseconds: 7200000000000}},
		{catalog.TypeInterval, arrow.MonthDayNanoInterval{Months: -13, Nanoseconds: -1000}},
		{catalog.TypeInterval, arrow.MonthDayNanoInterval{}},
		{catalog.TypeInt8, int64(math.MinInt64)},
		{catalog.TypeBytea, []byte{0, 1, 0xab}},
		{catalog.TypeUUID, [16]byte{0xa0, 0xee, 0xbc, 0x99, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}},
	}
	for _, c := range cases {
		want := string(catalog.AppendDatumText(nil, c.t, c.d))
		got := FormatText(c.t, c.d)
		if got != want {
			t.Errorf("%s %v: exec prints %q, catalog prints %q", c.t, c.d, got, want)
			continue
		}
		if c.t.Kind == catalog.Float8 && math.IsNaN(c.d.(float64)) {
			continue
		}
		back, err := ParseText(c.t, got)
		if err != nil {
			t.Errorf("%s: parse %q: %v", c.t, got, err)
			continue
		}
		if FormatText(c.t, back) != got {
			t.Errorf("%s: %q reads back as %q", c.t, got, FormatText(c.t, back))
		}
	}
}

// Float output must agree with catalog's on random values of every
// magnitude, including the large ones where shortest digits can be ties.
func TestFloatTextMatchesCatalogRandom(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	for i := 0; i < 100000; i++ {
		var f float64
		switch i % 3 {
		case 0:
			f = math.Float64frombits(rng.Uint64())
		case 1:
			f = rng.NormFloat64() * math.Pow(10, float64(rng.Intn(40)-20))
		default:
			f = float64(rng.Intn(100000)) / float64(1+rng.Intn(1000))
		}
		if got, want := FormatText(catalog.TypeFloat8, f), string(catalog.AppendDatumText(nil, catalog.TypeFloat8, f)); got != want {
			t.Fatalf("float8 %v: exec %s, catalog %s", math.Float64bits(f), got, want)
		}
		g := float32(f)
		if got, want := FormatText(catalog.TypeFloat4, g), string(catalog.AppendDatumText(nil, catalog.TypeFloat4, g)); got != want {
			t.Fatalf("float4 %v: exec %s, catalog %s", g, got, want)
		}
	}
}

// Text input must agree with catalog's input functions (which the wire
// layer uses for literals and parameters) on valid and invalid inputs.
// Infinite dates and timestamps are the known difference: exec has no
// representation for them and reports 0A000.
func TestParseTextMatchesCatalog(t *testing.T) {
	cases := []struct {
		t   catalog.Type
		ins []string
	}{
		{catalog.TypeInt4, []string{"1", " 2 ", "+3", "-0", "abc", "", "1e3", "0x10", "2147483648", "-2147483648", " 1 2", "1_000", "١"}},
		{catalog.TypeInt2, []string{"32767", "32768", "-32769"}},
		{catalog.TypeFloat8, []string{"1.5", "  -2e10 ", "NaN", "nan", "inf", "-Infinity", "1e400", "1e-400", "0x1p3", "", ".5", "5.", "+.5e+1", "infinity"}},
		{catalog.TypeBool, []string{"t", "TRUE", "yes", "y", "on", "of", "off", "1", "0", "2", "  true  ", "tru", "n", "no"}},
		{catalog.NumericType(5, 2), []string{"1.005", "-1.005", "999.994", "999.995", "1e2", "1e3", ".5", "5.", "abc", "  12  ", "+1.2", "1.2.3", "1e-3", "NaN"}},
		{catalog.UnconstrainedNumeric(3), []string{"12345678901234567890.1234", "0.0005", "-0.0005"}},
		{catalog.TypeDate, []string{"2024-01-31", "2024-02-30", "0001-01-01 BC", " 2024-1-5 ", "20240131", "2024-01-31 10:00", "epoch", "Jan 5 2024", "2024/01/31", "01/31/2024", "5 January 2024"}},
		{catalog.TypeTimestamp, []string{"2024-01-31 12:34:56.789", "2024-01-31T12:00:00", "2024-01-31 24:00:00", "2024-01-31 12:00:00+02", "2024-01-31 1:2:3", "2024-01-31", "2024-01-31 12:00:00.1234567", "epoch"}},
		{catalog.TypeTimestampTZ, []string{"2024-01-31 12:00:00+02", "2024-01-31 12:00:00-05:30", "2024-01-31 12:00:00Z", "2024-01-31 12:00:00 UTC", "2024-01-31"}},
		{catalog.TypeTime, []string{"12:34:56", "12:34", "24:00:00", "25:00:00", "12:34:56.5"}},
		{catalog.TypeInterval, []string{"1 day", "3 months", "1.5 months", "90", "1 year 2 mons 3 days 04:05:06", "2 hours ago", "@ 1 minute", "-1 day +2 hours", "1 week", "1.5 days", "100:00:00", "1 day 2:03", "P1Y2M", "10 seconds", "0.5 sec", "1 mon -1 days", "abc", "", "1 fortnight", "-2 days -00:30:00", "1 millisecond", "2 decades"}},
		{catalog.TypeUUID, []string{"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "{a0eebc999c0b4ef8bb6d6bb9bd380a11}", "xyz"}},
		{catalog.TypeBytea, []string{`\x0aff`, `abc`, `a\\b`, `\001x`, `\x0`, `\xzz`}},
	}
	for _, c := range cases {
		for _, in := range c.ins {
			a, ea := ParseText(c.t, in)
			b, eb := catalog.ParseText(c.t, in)
			sa, sb := "", ""
			if ea != nil {
				sa = "ERR " + pgerr.CodeOf(ea)
			} else {
				sa = FormatText(c.t, a)
			}
			if eb != nil {
				sb = "ERR " + pgerr.CodeOf(eb)
			} else {
				sb = FormatText(c.t, b)
			}
			if sa != sb {
				t.Errorf("%s %q: exec %s (%v) | catalog %s (%v)", c.t, in, sa, ea, sb, eb)
			}
		}
	}
}
