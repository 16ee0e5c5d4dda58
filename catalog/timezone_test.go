package catalog

import (
	"testing"
	"time"
)

// A ZoneCursor remembers offset periods; it must answer as Zone does,
// also when consecutive values jump across transitions, in either
// direction, and for the zones without periods (UTC, fixed offsets,
// dynamic abbreviations).
func TestZoneCursorAgreesWithZone(t *testing.T) {
	for _, name := range []string{"America/New_York", "Australia/Lord_Howe", "Europe/Moscow", "Asia/Kolkata", "UTC", "UTC+3", "EST", "MSK"} {
		z, err := LookupZone(name)
		if err != nil {
			t.Fatal(err)
		}
		c := NewZoneCursor(z)
		start := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
		const step = 1789 * 29 * 1e6 // apart, not aligned with transitions
		for k, us := 0, start; us < start+150*365*86400e6; k, us = k+1, us+step {
			probe := us
			if k%3 == 2 {
				probe = start + (us-start)/2 // jump back
			}
			if got, want := c.ToLocal(probe), z.ToLocal(probe); got != want {
				t.Fatalf("%s: ToLocal(%d) = %d, want %d", name, probe, got, want)
			}
			if got, want := c.ToUTC(probe), z.ToUTC(probe); got != want {
				t.Fatalf("%s: ToUTC(%d) = %d, want %d", name, probe, got, want)
			}
		}
	}
}
