package exec

import (
	"math"
	"math/rand"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
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
