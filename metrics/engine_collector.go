package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/pqdb/pqdb/engine"
)

// engineCollector exports engine.Stats, read when Prometheus scrapes.
type engineCollector struct{ eng *engine.Engine }

// engineMetric is one exported figure of engine.Stats.
type engineMetric struct {
	desc  *prometheus.Desc
	kind  prometheus.ValueType
	value func(engine.Stats) int64
}

// figure describes the metric name of kind, whose value reads a figure
// of engine.Stats.
func figure(kind prometheus.ValueType, name, help string, value func(engine.Stats) int64) engineMetric {
	return engineMetric{prometheus.NewDesc(name, help, nil, nil), kind, value}
}

const (
	gauge   = prometheus.GaugeValue
	counter = prometheus.CounterValue
)

var engineMetrics = []engineMetric{
	figure(gauge, "pqdb_sessions", "Sessions open.", func(s engine.Stats) int64 { return s.Sessions }),
	figure(gauge, "pqdb_memory_used_bytes", "Bytes running statements hold (sorts, hash tables, buffers), counted against --memory-limit.",
		func(s engine.Stats) int64 { return s.MemoryUsed }),
	figure(gauge, "pqdb_memory_limit_bytes", "--memory-limit; 0 without one.", func(s engine.Stats) int64 { return s.MemoryLimit }),
	figure(counter, "pqdb_commits_total", "Commits made durable.", func(s engine.Stats) int64 { return s.Storage.Commits }),
	figure(counter, "pqdb_commit_groups_total", "SQLite transactions that made the commits durable (commits per group: the group-commit size).",
		func(s engine.Stats) int64 { return s.Storage.CommitGroups }),
	figure(counter, "pqdb_bulk_commits_total", "Commits whose rows went straight to Parquet (COPY, spilled transactions).",
		func(s engine.Stats) int64 { return s.Storage.BulkCommits }),
	figure(counter, "pqdb_flushes_total", "Flushes of tables' unflushed rows to Parquet segments.", func(s engine.Stats) int64 { return s.Storage.Flushes }),
	figure(counter, "pqdb_compactions_total", "Compactions published.", func(s engine.Stats) int64 { return s.Storage.Compactions }),
	figure(counter, "pqdb_compacted_segments_total", "Segments compactions replaced.", func(s engine.Stats) int64 { return s.Storage.SegmentsMerged }),
	figure(counter, "pqdb_compaction_failures_total", "Compactions that failed and changed nothing.", func(s engine.Stats) int64 { return s.Storage.CompactFailures }),
	figure(counter, "pqdb_orphan_sweeps_total", "Tables whose objects were listed to find files no manifest names, after a crash or a failed write.",
		func(s engine.Stats) int64 { return s.Storage.OrphanSweeps }),
	figure(counter, "pqdb_segments_skipped_total", "Segments scans skipped by their statistics without opening them.",
		func(s engine.Stats) int64 { return s.Storage.SegmentsSkipped }),
	figure(counter, "pqdb_row_groups_read_total", "Row groups scans read.", func(s engine.Stats) int64 { return s.Storage.RowGroupsRead }),
	figure(counter, "pqdb_row_groups_skipped_total", "Row groups scans skipped by their statistics.", func(s engine.Stats) int64 { return s.Storage.RowGroupsSkipped }),
	figure(counter, "pqdb_rows_read_total", "Rows of the row groups scans read.", func(s engine.Stats) int64 { return s.Storage.RowsRead }),
	figure(counter, "pqdb_rows_skipped_total", "Rows of the segments and row groups scans skipped by statistics, bloom filters, dictionaries and page indexes.",
		func(s engine.Stats) int64 { return s.Storage.RowsSkipped }),
	figure(counter, "pqdb_pages_read_total", "Parquet pages scans decoded.", func(s engine.Stats) int64 { return s.Storage.PagesRead }),
	figure(counter, "pqdb_pages_skipped_total", "Parquet pages scans left undecoded by the page index.", func(s engine.Stats) int64 { return s.Storage.PagesSkipped }),
	figure(counter, "pqdb_pages_cached_total", "Parquet pages scans found decoded in the cache.", func(s engine.Stats) int64 { return s.Storage.PagesCached }),
	figure(counter, "pqdb_bytes_read_total", "Bytes scans read from segment files.", func(s engine.Stats) int64 { return s.Storage.BytesRead }),
	figure(counter, "pqdb_bytes_cached_total", "Bytes scans found in the cache's blocks (the hit ratio: cached / (read + cached)).",
		func(s engine.Stats) int64 { return s.Storage.BytesCached }),
	figure(counter, "pqdb_segment_opens_total", "Segment files scans opened.", func(s engine.Stats) int64 { return s.Storage.FileOpens }),
	figure(counter, "pqdb_segment_open_hits_total", "Segment files scans found open in the cache.", func(s engine.Stats) int64 { return s.Storage.FileCacheHits }),
	figure(counter, "pqdb_spilled_batches_total", "Batches of transactions' inserted rows moved to temporary files.",
		func(s engine.Stats) int64 { return s.Storage.SpilledBatches }),
}

var (
	groupSizeDesc = prometheus.NewDesc("pqdb_commit_group_size", "Commits per SQLite transaction that made them durable (group commit).", nil, nil)
	flushTimeDesc = prometheus.NewDesc("pqdb_flush_seconds_total", "Time flushes spent writing their segments and files.", nil, nil)
	compactDesc   = prometheus.NewDesc("pqdb_compaction_seconds_total", "Time compactions ran.", nil, nil)
)

func (c engineCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, m := range engineMetrics {
		ch <- m.desc
	}
	ch <- groupSizeDesc
	ch <- flushTimeDesc
	ch <- compactDesc
}

func (c engineCollector) Collect(ch chan<- prometheus.Metric) {
	stats := c.eng.Stats()
	for _, m := range engineMetrics {
		ch <- prometheus.MustNewConstMetric(m.desc, m.kind, float64(m.value(stats)))
	}
	// Storage counts groups by size in powers of two: the histogram's
	// buckets are cumulative.
	buckets := map[float64]uint64{}
	var groups uint64
	for k, n := range stats.Storage.CommitGroupSizes {
		groups += uint64(n)
		buckets[float64(uint(1)<<k)] = groups
	}
	ch <- prometheus.MustNewConstHistogram(groupSizeDesc, groups, float64(stats.Storage.Commits), buckets)
	ch <- prometheus.MustNewConstMetric(flushTimeDesc, prometheus.CounterValue, stats.Storage.FlushTime.Seconds())
	ch <- prometheus.MustNewConstMetric(compactDesc, prometheus.CounterValue, stats.Storage.CompactionTime.Seconds())
}
