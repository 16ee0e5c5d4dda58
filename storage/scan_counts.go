package storage

import "sync/atomic"

// ScanCounts adds up what scans read and what their predicates let them
// skip by statistics, for EXPLAIN ANALYZE: segments (a table's Parquet
// files) and row groups. The scans of one plan node, run once per loop,
// share one.
type ScanCounts struct {
	Segments, SegmentsSkipped   atomic.Int64
	RowGroups, RowGroupsSkipped atomic.Int64
}

// Merge adds what from counted to c.
func (c *ScanCounts) Merge(from *ScanCounts) {
	c.Segments.Add(from.Segments.Load())
	c.SegmentsSkipped.Add(from.SegmentsSkipped.Load())
	c.RowGroups.Add(from.RowGroups.Load())
	c.RowGroupsSkipped.Add(from.RowGroupsSkipped.Load())
}

// CountingScan is a RecordReader that can count into a ScanCounts: a
// table's scan and a scan of Parquet files are. CountInto is called
// before the first Next.
type CountingScan interface {
	CountInto(c *ScanCounts)
}

// CountInto makes the scan add what it reads and skips to c as it goes.
func (r *scanReader) CountInto(c *ScanCounts) { r.counts = c }

// segment counts a segment read, or skipped by its statistics; a nil
// ScanCounts counts nothing.
func (c *ScanCounts) segment(skipped bool) {
	switch {
	case c == nil:
	case skipped:
		c.SegmentsSkipped.Add(1)
	default:
		c.Segments.Add(1)
	}
}

// rowGroup counts a row group read, or skipped by its statistics.
func (c *ScanCounts) rowGroup(skipped bool) {
	switch {
	case c == nil:
	case skipped:
		c.RowGroupsSkipped.Add(1)
	default:
		c.RowGroups.Add(1)
	}
}
