package storage

import (
	"math"
	"slices"

	"github.com/pqdb/pqdb/catalog"
)

// EstimatedDistinct bounds, without reading data, the number of distinct
// non-NULL values of column col of t, for the planner's join-size
// estimates. For a column stored as an integer (the integer types, bool,
// dates, times, timestamps) no more values fit than max-min+1 over the
// bounds of every flushed segment, and the unflushed rows (the writer's
// tail, the transaction's own rows), which have no statistics, add at
// most one value each. ok is false when there is no such bound: another
// kind of column, no segment with bounds, or a segment that lacks bounds
// for the column or predates it.
func (s *Snapshot) EstimatedDistinct(t *catalog.Table, col int) (n int64, ok bool) {
	if col < 0 || col >= len(t.Columns) {
		return 0, false
	}
	ts := s.tableState(t)
	if ts == nil || domainOf(t.Columns[col].Type) != domInt {
		return 0, false
	}
	name := t.Columns[col].Name
	var lo, hi int64
	seen := false
	for _, seg := range ts.manifest.Segments {
		j := slices.Index(seg.Columns, name)
		if j < 0 || j >= len(seg.segBounds) {
			return 0, false
		}
		b := seg.segBounds[j]
		if b.nulls >= 0 && b.nulls == b.rows {
			continue // all NULL: no value
		}
		if !b.has {
			return 0, false
		}
		if !seen || b.min.i < lo {
			lo = b.min.i
		}
		if !seen || b.max.i > hi {
			hi = b.max.i
		}
		seen = true
	}
	if !seen {
		return 0, false
	}
	var unflushed int64
	count := func(ins []tailInsert) {
		for _, i := range ins {
			unflushed += i.numRows()
		}
	}
	count(ts.inserts)
	if p := s.pending[t.ID]; p != nil {
		count(p.inserts)
	}
	// hi-lo computed unsigned cannot overflow: it is below 2^64.
	span := uint64(hi) - uint64(lo)
	if span >= math.MaxInt64-uint64(unflushed) {
		return math.MaxInt64, true
	}
	return int64(span) + 1 + unflushed, true
}
