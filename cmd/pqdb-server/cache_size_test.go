package main

import "testing"

// TestParseCacheSize: --cache-size takes sizes with units (a bare number
// is kB, as for memory settings); 0 is storage's "no cache", -1, since
// storage reads 0 as its default; anything else is refused.
func TestParseCacheSize(t *testing.T) {
	for in, want := range map[string]int64{"512MB": 512 << 20, "2GB": 2 << 30, "64kB": 64 << 10, "1024": 1 << 20, "0": -1} {
		if got, err := parseCacheSize(in); err != nil || got != want {
			t.Errorf("parseCacheSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-5MB", "lots"} {
		if got, err := parseCacheSize(in); err == nil {
			t.Errorf("parseCacheSize(%q) = %d, want an error", in, got)
		}
	}
}
