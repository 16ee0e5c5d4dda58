package storagebench

import (
	"fmt"
	"strconv"
	"strings"
)

// ScanCounts are the storage counters pqdb's EXPLAIN ANALYZE prints under
// each scan ("Row Groups Read: 3"), summed over the plan's scans. Has says
// which of them the plan printed at all.
type ScanCounts struct {
	SegmentsRead, SegmentsSkipped   int64
	RowGroupsRead, RowGroupsSkipped int64
	RowGroupsBloomSkipped           int64 // among RowGroupsSkipped
	PagesRead, PagesSkipped         int64
	BytesRead                       int64
	Has                             bool
}

// parseScanCounts reads the counters from the lines of an EXPLAIN ANALYZE
// text plan.
func parseScanCounts(lines []string) (ScanCounts, error) {
	var c ScanCounts
	fields := map[string]*int64{
		"Segments Read":                      &c.SegmentsRead,
		"Segments Skipped":                   &c.SegmentsSkipped,
		"Row Groups Read":                    &c.RowGroupsRead,
		"Row Groups Skipped":                 &c.RowGroupsSkipped,
		"Row Groups Skipped by Bloom Filter": &c.RowGroupsBloomSkipped,
		"Pages Read":                         &c.PagesRead,
		"Pages Skipped":                      &c.PagesSkipped,
		"Bytes Read":                         &c.BytesRead,
	}
	for _, line := range lines {
		key, value, ok := strings.Cut(strings.TrimSpace(line), ": ")
		field := fields[key]
		if !ok || field == nil {
			continue
		}
		n, err := strconv.ParseInt(value, 10, 64)
		if err != nil {
			return c, fmt.Errorf("EXPLAIN ANALYZE line %q: %w", line, err)
		}
		*field += n
		c.Has = true
	}
	return c, nil
}

// readOfTotal writes how many of all the units a scan read.
func readOfTotal(read, skipped int64) string {
	return fmt.Sprintf("%s of %s", thousands(read), thousands(read+skipped))
}
