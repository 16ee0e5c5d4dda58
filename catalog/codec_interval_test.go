package catalog

import (
	"testing"

	"github.com/pqdb/pqdb/pgerr"
)

// TestIntervalMicrosecondsExact: interval input adds its microseconds up
// exactly, as PostgreSQL's tm_usec does, so that values past 2^53
// microseconds keep their last digits and print as they read, and an
// hour field too large for an int64 of microseconds is out of range
// rather than wrapped around into a small interval.
func TestIntervalMicrosecondsExact(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"2516717:26:19.768881", "2516717:26:19.768881"},
		{"-2516717:26:19.768881", "-2516717:26:19.768881"},
		{"9007199254.740993 seconds", "2501999:47:34.740993"},
		{"2501999 hours 47 min 34.740993 secs ago", "-2501999:47:34.740993"},
		{"1.5 weeks 0.25 days", "10 days 18:00:00"},
	} {
		d, err := ParseText(TypeInterval, c.in)
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
		} else if got := string(AppendDatumText(nil, TypeInterval, d)); got != c.want {
			t.Errorf("%q: %q, want %q", c.in, got, c.want)
		}
	}
	// 5124095576 hours are 2^64 - 109551616 microseconds.
	for _, in := range []string{"5124095576:00:00", "5124095576 hours", "99999999999999999999 us", "PT5124095576H"} {
		if d, err := ParseText(TypeInterval, in); pgerr.CodeOf(err) != pgerr.DatetimeFieldOverflow {
			t.Errorf("%q: %q, %v; want interval out of range", in, AppendDatumText(nil, TypeInterval, d), err)
		}
	}
}
