package storage

import (
	"cmp"
	"slices"

	"github.com/parquet-go/parquet-go"
)

// selectRows decides, for row group g of segment seg that its manifest
// statistics did not exclude, which rows the scan decodes: nil for all,
// else the row ranges an index scan's lookup (index_scan.go) or the page
// index leaves (see page_index.go). skip is true when the index, a bloom
// filter, the page index or a dictionary (dictionary_filter.go) excludes
// every row; the skip is counted.
func (r *scanReader) selectRows(seg *Segment, g int, rg parquet.RowGroup) (ranges []rowRange, skip bool, err error) {
	r.dictFilters = r.dictFilters[:0]
	if r.index != nil {
		if ranges, skip, ok, err := r.indexRanges(seg, g); ok || err != nil {
			return ranges, skip, err
		}
	}
	if len(r.preds) == 0 || r.store.opts.NoPruning {
		return nil, false, nil
	}
	cols := r.pruneColumns(seg, g)
	for i := range r.preds {
		if v := cols[i].bloomValue; v != nil && r.groupBloomExcludes(seg, g, rg, cols[i].leaf, &r.preds[i], v) {
			r.counts.bloomSkip()
			return nil, true, nil
		}
	}
	rows := rg.NumRows()
	r.allRows[0] = rowRange{0, rows}
	ranges = matchingRows(r.file.pf, g, rows, r.preds, cols, r.allRows[:])
	switch {
	case len(ranges) == 0:
		r.counts.rowGroup(true)
		return nil, true, nil
	case len(ranges) == 1 && ranges[0] == rowRange{0, rows}:
		ranges = nil
	}
	if skip, err := r.dictionaryFilters(g, rg, cols); skip || err != nil {
		return nil, skip, err
	}
	return ranges, false, nil
}

// groupBloomExcludes reports whether the bloom filter of column leaf in
// row group g of seg rules out every value of p's equalities: through
// the filters kept on seg, kept now if they can be (segment_key_filters.go),
// or else read from the file.
func (r *scanReader) groupBloomExcludes(seg *Segment, g int, rg parquet.RowGroup, leaf int, p *boundedPredicate, value func(bound) (parquet.Value, bool)) bool {
	eq := p.equalities()
	if len(eq) == 0 || len(eq) > bloomMaxProbes {
		return false
	}
	name := r.ts.table.Columns[p.column].Name
	cf, ok := keyFiltersOf(seg, name)
	if !ok {
		cf, ok = r.store.keepKeyFilters(seg, r.file.pf, leaf, name)
	}
	if !ok || cf.inFile {
		return bloomExcludes(rg, leaf, eq, value)
	}
	return g < len(cf.filters) && filtersExclude(cf.filters[g], eq, value)
}

// keyFiltersExclude reports whether the filters kept on seg rule out
// every value of one of the scan's equalities in each row group that
// the zone maps do not already exclude, so that the scan need not enter
// the segment; zoned and bloomed are then the row groups each excluded.
func (r *scanReader) keyFiltersExclude(seg *Segment) (excluded bool, zoned, bloomed int) {
	if seg.filters == nil || seg.filters.Load() == nil || r.store.opts.NoPruning {
		return false, 0, 0
	}
	for i := range r.preds {
		p := &r.preds[i]
		eq := p.equalities()
		if len(eq) == 0 {
			continue
		}
		c := r.ts.table.Columns[p.column]
		value := segmentBloomValue(c.Type)
		cf, ok := keyFiltersOf(seg, c.Name)
		if value == nil || !ok || len(cf.filters) == 0 || len(cf.filters) != len(seg.bounds) {
			continue
		}
		zoned, bloomed = 0, 0
		for g, f := range cf.filters {
			if r.excluded(seg, seg.bounds[g]) {
				zoned++
			} else if filtersExclude(f, eq, value) {
				bloomed++
			} else {
				break
			}
		}
		if zoned+bloomed == len(cf.filters) {
			return true, zoned, bloomed
		}
	}
	return false, 0, 0
}

// pruneColumns describes the predicates' columns in the current segment
// file for row group g.
func (r *scanReader) pruneColumns(seg *Segment, g int) []pruneColumn {
	r.pruneBuf = slices.Grow(r.pruneBuf[:0], len(r.preds))[:len(r.preds)]
	cols := r.pruneBuf
	clear(cols)
	for i := range r.preds {
		c := r.ts.table.Columns[r.preds[i].column]
		leaf, ok := r.file.leaves[c.Name]
		if !ok {
			cols[i].leaf = -1
			continue
		}
		cols[i] = pruneColumn{leaf: leaf, pageBound: segmentPageBound(c.Type), bloomValue: segmentBloomValue(c.Type)}
		if r.preds[i].dom == domFloat && !r.nanFree(seg, g, c.Name) {
			// Parquet leaves NaN out of page bounds, and NaN is above
			// every float in PostgreSQL's order.
			cols[i].pageBound = nil
		}
	}
	return cols
}

// nanFree reports whether the manifest statistics of row group g prove
// the float column name free of NaN: they hold bounds only then.
func (r *scanReader) nanFree(seg *Segment, g int, name string) bool {
	cb := groupBounds(seg, g, name)
	return cb != nil && (cb.has || cb.nulls == cb.rows)
}

// groupBounds returns the manifest statistics of column name in row
// group g of seg; nil when it has none.
func groupBounds(seg *Segment, g int, name string) *columnBounds {
	if g >= len(seg.bounds) {
		return nil
	}
	for j, c := range seg.Columns {
		if c == name && j < len(seg.bounds[g]) {
			return &seg.bounds[g][j]
		}
	}
	return nil
}

// liveRangeRows is liveSegmentRows over the rows of ranges of row group g
// (all of them when ranges is nil), rows in all, ids holding their row
// ids one range after another (nil when the scan checks no deletion by
// id: needRowIDs): positions among them, or nil when all are live.
func (r *scanReader) liveRangeRows(seg *Segment, g int, ranges []rowRange, rows int, ids []int64) ([]int32, error) {
	if ranges == nil {
		return r.liveSegmentRows(seg, g, 0, rows, ids)
	}
	var keep []int32
	dead := false
	base := 0
	for _, rr := range ranges {
		n := int(rr.hi - rr.lo)
		var rangeIDs []int64
		if ids != nil {
			rangeIDs = ids[base : base+n]
		}
		k, err := r.liveSegmentRows(seg, g, rr.lo, n, rangeIDs)
		if err != nil {
			return nil, err
		}
		switch {
		case k != nil && !dead:
			dead = true
			keep = make([]int32, base, rows)
			for i := range keep {
				keep[i] = int32(i)
			}
			fallthrough
		case k != nil:
			for _, i := range k {
				keep = append(keep, int32(base)+i)
			}
		case dead:
			for i := range n {
				keep = append(keep, int32(base+i))
			}
		}
		base += n
	}
	return keep, nil
}

// narrow narrows rr's row ranges, of row group g of seg, by an equality
// or range predicate on a column of the segment that narrowRanges or
// narrowByRange can decide (page_narrow.go, range_narrow.go) and no
// dictionary filter reads, then by the codes of the columns whose
// dictionaries filter (dictionary_filter.go).
func (r *scanReader) narrow(seg *Segment, rr *rowGroupReader) error {
	if r.store.opts.NoPruning {
		return nil
	}
	if err := r.narrowByValues(seg, rr); err != nil {
		return err
	}
	for i := range r.dictFilters {
		if rr.ranges != nil && len(rr.ranges) == 0 {
			return nil
		}
		if _, err := rr.selectByCodes(&r.dictFilters[i]); err != nil {
			return err
		}
	}
	return nil
}

// narrowByValues is narrow's step through narrowRanges and
// narrowByRange (range_narrow.go). It tries the equalities and ranges in
// the order of the share of the column's values they admit
// (equalityDensity, valueRange.density), until one narrows: a runtime
// filter of a join on two keys may hold every value of one (TPC-H Q9's
// suppliers, beside a twentieth of its parts), and decoding that column
// first only to find every row matching costs as much as the narrowing
// saves.
func (r *scanReader) narrowByValues(seg *Segment, rr *rowGroupReader) error {
	type candidate struct {
		p       *boundedPredicate // an equality, or nil for rng
		rng     valueRange
		leaf    int
		density float64
	}
	var inline [4]candidate
	cands := inline[:0]
	leafOf := func(column int) (int, bool) {
		leaf, ok := r.file.leaves[r.ts.table.Columns[column].Name]
		return leaf, ok && !r.dictionaryFiltered(leaf)
	}
	for i := range r.preds {
		p := &r.preds[i]
		c := r.ts.table.Columns[p.column]
		if p.equalities() == nil || !narrowable(c.Type) {
			continue
		}
		if leaf, ok := leafOf(p.column); ok {
			cands = append(cands, candidate{p: p, leaf: leaf, density: p.equalityDensity(groupBounds(seg, rr.g, c.Name), rr.rg.NumRows())})
		}
	}
	for _, v := range columnRanges(r.preds) {
		c := r.ts.table.Columns[v.column]
		if !rangeNarrowable(c.Type) || !r.readsBytesBeside(v.column) {
			continue
		}
		// A range over most of the bounds keeps most rows (Q1's ship
		// dates but the last three months): not worth a look.
		d := v.density(groupBounds(seg, rr.g, c.Name))
		if leaf, ok := leafOf(v.column); ok && d <= maxRangeDensity {
			cands = append(cands, candidate{rng: v, leaf: leaf, density: d})
		}
	}
	if len(cands) > 1 {
		slices.SortStableFunc(cands, func(a, b candidate) int { return cmp.Compare(a.density, b.density) })
	}
	for _, cd := range cands {
		// The column a candidate before decoded without narrowing is
		// kept for readColumn only while no other one is tried.
		rr.releaseNarrowed()
		var ranges []rowRange
		var ok bool
		var err error
		if cd.p != nil {
			ranges, ok, err = rr.narrowRanges(cd.leaf, r.ts.table.Columns[cd.p.column].Type, cd.p)
		} else {
			ranges, ok, err = rr.narrowByRange(cd.leaf, r.ts.table.Columns[cd.rng.column].Type, cd.rng)
		}
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if ranges == nil {
			ranges = []rowRange{} // no row matches: read none
		}
		rr.ranges = ranges
		return nil
	}
	return nil
}
