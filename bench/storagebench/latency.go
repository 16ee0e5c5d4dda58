package storagebench

import (
	"fmt"
	"slices"
	"time"
)

// LatencyStats summarizes the latencies of many equal operations.
type LatencyStats struct {
	Count                    int
	Mean, P50, P95, P99, Max time.Duration
}

// summarizeLatencies computes the statistics; percentiles are nearest-rank
// (the smallest latency that at least p% of the operations did not exceed).
// It sorts its argument.
func summarizeLatencies(d []time.Duration) LatencyStats {
	if len(d) == 0 {
		return LatencyStats{}
	}
	slices.Sort(d)
	var sum time.Duration
	for _, x := range d {
		sum += x
	}
	rank := func(p int) time.Duration {
		i := (p*len(d) + 99) / 100 // ceil(p/100 * n), 1-based
		return d[max(i, 1)-1]
	}
	return LatencyStats{
		Count: len(d),
		Mean:  sum / time.Duration(len(d)),
		P50:   rank(50),
		P95:   rank(95),
		P99:   rank(99),
		Max:   d[len(d)-1],
	}
}

// millis writes a latency in milliseconds with microsecond resolution.
func millis(d time.Duration) string {
	return fmt.Sprintf("%.3f ms", float64(d.Microseconds())/1000)
}

// seconds writes a duration in seconds.
func seconds(d time.Duration) string {
	return fmt.Sprintf("%.3f s", d.Seconds())
}

// perSecond writes a rate as a whole number with thousands separators.
func perSecond(n int64, d time.Duration) string {
	if d <= 0 {
		return "-"
	}
	return thousands(int64(float64(n) / d.Seconds()))
}

// thousands writes n with commas between groups of three digits.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
