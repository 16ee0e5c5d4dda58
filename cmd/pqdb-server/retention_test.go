package main

import (
	"testing"
	"time"
)

// TestParseRetention: --history-retention reads Go durations and days;
// 0 keeps the least history storage allows, forever all of it; anything
// else is refused.
func TestParseRetention(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"24h": 24 * time.Hour, "90m": 90 * time.Minute, "7d": 7 * 24 * time.Hour,
		"1.5d": 36 * time.Hour, "0": 1, "0d": 1, "forever": -1,
	} {
		if got, err := parseRetention(in); err != nil || got != want {
			t.Errorf("parseRetention(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-1h", "-2d", "soon", "7 days"} {
		if got, err := parseRetention(in); err == nil {
			t.Errorf("parseRetention(%q) = %v, want an error", in, got)
		}
	}
}
