package storage

import (
	"math"
	"slices"

	"github.com/pqdb/pqdb/catalog"
)

// The planner's column statistics, read from the manifest without
// touching data: each segment carries, per column, its row groups'
// NULL counts and minimum and maximum (ColumnStats) and a HyperLogLog
// sketch of its distinct values (Segment.Sketches, hll.go), all made by
// the segment writer as it writes the file (flush, bulk commit,
// compaction) or, for segments written before sketches, by ANALYZE
// (analyze.go). Rows not flushed yet (the writer's tail, a transaction's
// own rows) have no statistics: an estimate takes them to be like the
// flushed rows.

// EstimatedDistinct estimates, without reading data, the number of
// distinct non-NULL values of column col of t, for the planner's
// selectivity and join-size estimates. With a sketch in every flushed
// segment holding a value of the column it is the merged sketches'
// estimate (within a few percent), capped for a column stored as an
// integer (the integer types, bool, dates, times, timestamps) by
// max-min+1 over the segments' bounds; the unflushed rows add values in
// the proportion the flushed rows hold them (a key's every row, a flag's
// none). Without sketches, a column stored as an integer is bounded by
// max-min+1 alone, each unflushed row adding at most one value. ok is
// false when there is no estimate: no segment holds a value of the
// column, or one that does predates the column or lacks both a sketch
// and (for an integer) bounds.
func (s *Snapshot) EstimatedDistinct(t *catalog.Table, col int) (n int64, ok bool) {
	if col < 0 || col >= len(t.Columns) {
		return 0, false
	}
	ts := s.tableState(t)
	if ts == nil {
		return 0, false
	}
	name := t.Columns[col].Name
	bounded := domainOf(t.Columns[col].Type) == domInt
	sketched := true
	var lo, hi int64
	var valued int64 // flushed rows holding a value (deleted ones too, as the sketches count them)
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
		valued += b.rows - max(b.nulls, 0)
		if j >= len(seg.Sketches) || seg.Sketches[j] == nil {
			sketched = false
		}
		switch {
		case !bounded:
		case !b.has:
			bounded = false
		case !seen:
			lo, hi = b.min.i, b.max.i
		default:
			lo, hi = min(lo, b.min.i), max(hi, b.max.i)
		}
		seen = true
	}
	if !seen {
		return 0, false
	}
	unflushed := s.unflushedRows(ts, t)
	// hi-lo computed unsigned cannot overflow: it is below 2^64.
	span := uint64(hi) - uint64(lo)
	if sketched {
		if est, ok := ts.manifest.mergedDistinct(name); ok {
			if bounded && float64(span)+1 < est {
				est = float64(span) + 1
			}
			est += float64(unflushed) * min(1, est/float64(max(valued, 1)))
			return int64(math.Round(max(est, 1))), true
		}
	}
	if !bounded {
		return 0, false
	}
	if span >= math.MaxInt64-uint64(unflushed) {
		return math.MaxInt64, true
	}
	return int64(span) + 1 + unflushed, true
}

// unflushedRows counts the rows t has in the writer's tail and in the
// snapshot's transaction, which no segment statistics cover.
func (s *Snapshot) unflushedRows(ts *tableState, t *catalog.Table) int64 {
	var n int64
	count := func(ins []tailInsert) {
		for _, i := range ins {
			n += i.numRows()
		}
	}
	count(ts.inserts)
	if p := s.pending[t.ID]; p != nil {
		count(p.inserts)
	}
	return n
}

// mergedDistinct is the estimate of the merged sketches of column name
// over m's segments; false when m has none or one is malformed.
func (m *Manifest) mergedDistinct(name string) (float64, bool) {
	est, ok := m.distinct[name]
	return est, ok && !math.IsNaN(est)
}

// mergeSketches merges the sketches of segs, column by column (by name),
// and returns each column's estimate: NaN when a sketch is malformed.
func mergeSketches(segs []*Segment) map[string]float64 {
	var merged map[string]*ndvSketch
	for _, seg := range segs {
		for j, b := range seg.Sketches {
			if b == nil || j >= len(seg.Columns) {
				continue
			}
			if merged == nil {
				merged = map[string]*ndvSketch{}
			}
			sk := merged[seg.Columns[j]]
			if sk == nil {
				sk = new(ndvSketch)
				merged[seg.Columns[j]] = sk
			}
			if sk.mergeMarshaled(b) != nil {
				sk.unusable = true
			}
		}
	}
	if merged == nil {
		return nil
	}
	out := make(map[string]float64, len(merged))
	for name, sk := range merged {
		if sk.unusable {
			out[name] = math.NaN()
		} else {
			out[name] = sk.estimate()
		}
	}
	return out
}

// EstimatedNullFraction estimates the fraction of t's rows whose column
// col is NULL, from the flushed segments' NULL counts (live rows
// weighted alike); false when a segment has none for the column (it
// predates it), the column is an array (whose Parquet NULL counts count
// NULL elements), or nothing is flushed.
func (s *Snapshot) EstimatedNullFraction(t *catalog.Table, col int) (float64, bool) {
	if col < 0 || col >= len(t.Columns) || t.Columns[col].Type.Kind == catalog.Array {
		return 0, false
	}
	ts := s.tableState(t)
	if ts == nil {
		return 0, false
	}
	name := t.Columns[col].Name
	var nulls, rows float64
	for _, seg := range ts.manifest.Segments {
		j := slices.Index(seg.Columns, name)
		if j < 0 || j >= len(seg.segBounds) || seg.segBounds[j].nulls < 0 {
			return 0, false
		}
		live := liveShare(seg)
		nulls += live * float64(seg.segBounds[j].nulls)
		rows += live * float64(seg.Rows)
	}
	if rows == 0 {
		return 0, false
	}
	return nulls / rows, true
}

// liveShare is the share of seg's rows not deleted: its deleted rows are
// taken to hold values like the others.
func liveShare(seg *Segment) float64 {
	if seg.Rows == 0 {
		return 0
	}
	return float64(seg.Rows-seg.DeletedRows) / float64(seg.Rows)
}

// EstimatedRangeFraction estimates the fraction of t's rows whose column
// col satisfies every comparison of preds (each Lt, Le, Gt or Ge on col:
// one or both sides of a range), from the bounds of every row group of
// every flushed segment: within a row group, its non-NULL values are
// taken as spread evenly between its minimum and maximum (integers as
// the integers between, others as a continuum), NULLs never satisfy a
// comparison, and live rows weigh alike. Row groups are small enough
// (RowGroupRows) that a skewed column's groups, sorted by it or not,
// still draw a coarse histogram. ok is false for another kind of
// predicate, a column not ordered as numbers (text, bytea, uuid, var-scale
// numeric, interval, json), a row group without bounds, or nothing
// flushed.
func (s *Snapshot) EstimatedRangeFraction(t *catalog.Table, col int, preds []Predicate) (float64, bool) {
	if col < 0 || col >= len(t.Columns) || len(preds) == 0 {
		return 0, false
	}
	ts := s.tableState(t)
	if ts == nil {
		return 0, false
	}
	dom := domainOf(t.Columns[col].Type)
	if dom != domInt && dom != domFloat && dom != domDecimal {
		return 0, false
	}
	bps := preparePredicates(t, preds)
	if len(bps) != len(preds) {
		return 0, false
	}
	// The range [lo, hi]: an integer's strict bounds are moved to the
	// next integer in; a continuum's strictness weighs nothing.
	lo, hi := math.Inf(-1), math.Inf(1)
	for _, p := range bps {
		v := boundPosition(dom, p.value)
		if p.column != col || math.IsNaN(v) {
			return 0, false
		}
		switch p.op {
		case Gt:
			if dom == domInt {
				v++
			}
			lo = max(lo, v)
		case Ge:
			lo = max(lo, v)
		case Lt:
			if dom == domInt {
				v--
			}
			hi = min(hi, v)
		case Le:
			hi = min(hi, v)
		default:
			return 0, false
		}
	}
	name := t.Columns[col].Name
	var matched, rows float64
	for _, seg := range ts.manifest.Segments {
		j := slices.Index(seg.Columns, name)
		if j < 0 {
			return 0, false
		}
		live := liveShare(seg)
		for _, g := range seg.bounds {
			if j >= len(g) {
				return 0, false
			}
			cb := &g[j]
			rows += live * float64(cb.rows)
			if cb.nulls < 0 {
				return 0, false
			}
			values := float64(cb.rows - cb.nulls)
			if values == 0 {
				continue
			}
			if !cb.has {
				return 0, false
			}
			matched += live * values * spreadFraction(dom, boundPosition(dom, cb.min), boundPosition(dom, cb.max), lo, hi)
		}
	}
	if rows == 0 || math.IsNaN(matched) {
		return 0, false // nothing flushed, or an infinite float bound
	}
	return matched / rows, true
}

// boundPosition places b on the real line, in the order of its domain
// (a decimal by its unscaled integer: every value of a column has the
// column's scale).
func boundPosition(dom statDomain, b bound) float64 {
	switch dom {
	case domInt:
		return float64(b.i)
	case domFloat:
		return b.f
	case domDecimal:
		return b.d.ToFloat64(0)
	}
	return math.NaN()
}

// spreadFraction is the share of values spread evenly over [mn, mx]
// that lie in [lo, hi]: for integers, of the integers in both.
func spreadFraction(dom statDomain, mn, mx, lo, hi float64) float64 {
	a, b := max(lo, mn), min(hi, mx)
	switch {
	case a > b:
		return 0
	case dom == domInt:
		return (b - a + 1) / (mx - mn + 1)
	case mx == mn:
		return 1 // a == b == mn: the range holds the one value
	}
	return (b - a) / (mx - mn)
}
