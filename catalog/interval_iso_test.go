package catalog

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
)

// TestIntervalISO: AppendIntervalISO prints what PostgreSQL 15 prints with
// IntervalStyle iso_8601 (the expected texts are PostgreSQL's), and
// ParseIntervalISO reads every printed value back exactly.
func TestIntervalISO(t *testing.T) {
	for _, c := range []struct {
		in, want string
	}{ // SET intervalstyle = iso_8601; SELECT in::interval::text
		{"0", "PT0S"},
		{"1 year 2 mons 3 days 04:05:06.789", "P1Y2M3DT4H5M6.789S"},
		{"-1 year -2 mons +3 days -04:05:06.000001", "P-1Y-2M3DT-4H-5M-6.000001S"},
		{"1 day -1 second", "P1DT-1S"},
		{"-0.5 seconds", "PT-0.5S"},
		{"178956970 years 7 mons", "P178956970Y7M"},
		{"-178956970 years -8 mons", "P-178956970Y-8M"},
		{"2147483647 days", "P2147483647D"},
		{"-2147483648 days", "P-2147483648D"},
		{"1 mon", "P1M"},
		{"-1 mon", "P-1M"},
		{"12:00", "PT12H"},
		{"-12:00", "PT-12H"},
		{"00:00:00.1", "PT0.1S"},
		{"1 year", "P1Y"},
		{"-3 days", "P-3D"},
		{"59.999999 seconds", "PT59.999999S"},
		{"1 hour -1 minute", "PT59M"},
		{"3 days 00:00:01", "P3DT1S"},
		{"-1 year +1 mon", "P-11M"},
		{"1 year -1 mon", "P11M"},
		{"-00:00:00.000001", "PT-0.000001S"},
		{"00:01", "PT1M"},
		{"-1 day +00:00:00.5", "P-1DT0.5S"},
	} {
		v, err := parseInterval(TypeInterval, c.in)
		if err != nil {
			t.Fatalf("%q: %v", c.in, err)
		}
		if got := string(AppendIntervalISO(nil, v)); got != c.want {
			t.Errorf("%q printed %q, PostgreSQL prints %q", c.in, got, c.want)
		}
		back, err := ParseIntervalISO([]byte(c.want))
		if err != nil || back != v {
			t.Errorf("%q read back as %+v (%v), want %+v", c.want, back, err, v)
		}
	}

	rng := rand.New(rand.NewPCG(7, 8))
	const maxMicros = math.MaxInt64 / 1000
	for i := range 200000 {
		v := arrow.MonthDayNanoInterval{Months: int32(rng.Uint32()), Days: int32(rng.Uint32())}
		switch i % 4 {
		case 0:
			v.Nanoseconds = (rng.Int64N(2*maxMicros+1) - maxMicros) * 1000
		case 1:
			v.Nanoseconds = (rng.Int64N(2_000_000) - 1_000_000) * 1000
		case 2:
			v.Months, v.Nanoseconds = 0, rng.Int64N(1000)*1000
		case 3:
			v.Days, v.Nanoseconds = 0, []int64{maxMicros, -maxMicros, 0, 1, -1}[rng.IntN(5)]*1000
		}
		text := AppendIntervalISO(nil, v)
		back, err := ParseIntervalISO(text)
		if err != nil || back != v {
			t.Fatalf("%+v printed %q, read back as %+v (%v)", v, text, back, err)
		}
	}

	for _, bad := range []string{"", "P", "PT", "P1", "P1X", "PT1D", "P1H", "P1M1Y", "P1D1D", "PT1S1M", "P1.5D", "PT1.S",
		"PT1.1234567S", "P--1D", "P1DT", "PT0S ", "P2147483648D", "P99999999999999999999Y", "PT9223372036854775807S"} {
		if v, err := ParseIntervalISO([]byte(bad)); err == nil {
			t.Errorf("%q read as %+v", bad, v)
		}
	}
}
