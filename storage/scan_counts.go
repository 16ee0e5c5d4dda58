package storage

import "sync/atomic"

// ScanCounts adds up what scans read and what their predicates let them
// skip, for EXPLAIN ANALYZE: segments (a table's Parquet files) and row
// groups skipped by statistics, bloom filters or dictionaries
// (RowGroupsBloomSkipped and RowGroupsDictionarySkipped count the latter
// two among RowGroupsSkipped), the rows of the row groups read that
// dictionary codes dropped (RowsDictionaryFiltered, dictionary_filter.go),
// pages of the row groups read
// (PagesSkipped: left undecoded thanks to the page index; PagesCached:
// found decoded in the cache, cache_pages.go), the bytes of
// pages read (BytesCached of them served from the cache's blocks rather
// than the file), and the open-file cache's hits and misses (a miss opens
// a segment and reads its footer and page index). The scans of one plan
// node, run once per loop, share one.
type ScanCounts struct {
	Segments, SegmentsSkipped   atomic.Int64
	RowGroups, RowGroupsSkipped atomic.Int64
	RowGroupsBloomSkipped       atomic.Int64
	RowGroupsDictionarySkipped  atomic.Int64
	RowsDictionaryFiltered      atomic.Int64
	Pages, PagesSkipped         atomic.Int64
	PagesCached                 atomic.Int64
	BytesRead, BytesCached      atomic.Int64
	FileCacheHits, FileOpens    atomic.Int64
	// IndexFiles and IndexPages count the index files an index scan
	// looked rows up in and the pages of them it decoded (index_scan.go).
	IndexFiles, IndexPages atomic.Int64
}

// Merge adds what from counted to c.
func (c *ScanCounts) Merge(from *ScanCounts) {
	c.Segments.Add(from.Segments.Load())
	c.SegmentsSkipped.Add(from.SegmentsSkipped.Load())
	c.RowGroups.Add(from.RowGroups.Load())
	c.RowGroupsSkipped.Add(from.RowGroupsSkipped.Load())
	c.RowGroupsBloomSkipped.Add(from.RowGroupsBloomSkipped.Load())
	c.RowGroupsDictionarySkipped.Add(from.RowGroupsDictionarySkipped.Load())
	c.RowsDictionaryFiltered.Add(from.RowsDictionaryFiltered.Load())
	c.Pages.Add(from.Pages.Load())
	c.PagesSkipped.Add(from.PagesSkipped.Load())
	c.PagesCached.Add(from.PagesCached.Load())
	c.BytesRead.Add(from.BytesRead.Load())
	c.BytesCached.Add(from.BytesCached.Load())
	c.FileCacheHits.Add(from.FileCacheHits.Load())
	c.FileOpens.Add(from.FileOpens.Load())
	c.IndexFiles.Add(from.IndexFiles.Load())
	c.IndexPages.Add(from.IndexPages.Load())
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

// bloomSkip counts a row group skipped by a bloom filter.
func (c *ScanCounts) bloomSkip() {
	if c != nil {
		c.RowGroupsSkipped.Add(1)
		c.RowGroupsBloomSkipped.Add(1)
	}
}

// dictionarySkip counts a row group skipped because a dictionary holds
// no value its predicate admits.
func (c *ScanCounts) dictionarySkip() {
	if c != nil {
		c.RowGroupsSkipped.Add(1)
		c.RowGroupsDictionarySkipped.Add(1)
	}
}

// dictionaryFiltered counts n rows dropped by their dictionary codes.
func (c *ScanCounts) dictionaryFiltered(n int64) {
	if c != nil && n > 0 {
		c.RowsDictionaryFiltered.Add(n)
	}
}

// pages counts the pages of a column chunk decoded and left undecoded.
func (c *ScanCounts) pages(read, skipped int) {
	if c != nil {
		c.Pages.Add(int64(read))
		c.PagesSkipped.Add(int64(skipped))
	}
}

// pageCached counts a page found decoded in the cache.
func (c *ScanCounts) pageCached() {
	if c != nil {
		c.PagesCached.Add(1)
	}
}

// bytes counts n bytes read from a file.
func (c *ScanCounts) bytes(n int) {
	if c != nil && n > 0 {
		c.BytesRead.Add(int64(n))
	}
}

// cachedBytes counts n bytes of pages served from cached blocks.
func (c *ScanCounts) cachedBytes(n int) {
	if c != nil && n > 0 {
		c.BytesCached.Add(int64(n))
	}
}

// fileOpen counts a segment found open in the file cache, or opened.
func (c *ScanCounts) fileOpen(hit bool) {
	switch {
	case c == nil:
	case hit:
		c.FileCacheHits.Add(1)
	default:
		c.FileOpens.Add(1)
	}
}
