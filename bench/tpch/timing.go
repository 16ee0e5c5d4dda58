package tpch

import (
	"slices"
)

// Median is the middle of the measured figures, times or rates (the mean
// of the two middle ones for an even count), which ignores one cold or
// disturbed run.
func Median[T ~int64 | ~float64](times []T) T {
	if len(times) == 0 {
		return 0
	}
	s := slices.Clone(times)
	slices.Sort(s)
	mid := len(s) / 2
	if len(s)%2 == 1 {
		return s[mid]
	}
	return (s[mid-1] + s[mid]) / 2
}
