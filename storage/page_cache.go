package storage

import (
	"bytes"
	"slices"
	"sort"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/pqdb/pqdb/catalog"
)

// A point lookup reads one page per column, and decoding it whole costs
// far more than the row it wants: a page holds some 128 KiB of values,
// zstd-compressed and delta- or dictionary-encoded. So a read of a few
// pages of a segment (pageReadMaxPages, per column) goes through decoded
// pages, each decoded on its own and offered to the store's cache
// (cache_pages.go), and copies only the rows it wants out of them; a
// lookup that finds its pages cached decodes nothing. A page whose
// values never decrease (the usual key page: segments are written in
// key order) is marked ascending when decoded, and an equality narrows
// it (page_narrow.go) by binary search instead of a comparison per row.
//
// A byte-string column's page is read that way only when it is at hand
// (a key column's, which its equality decoded): decoded, a page of
// dictionary codes can be many times its size, and only the rows wanted
// are copied out of it otherwise (range_decode.go).
//
// A rowGroupReader holds a reference to every decoded page it used until
// it is released, so the pages it decoded but the cache did not admit
// are decoded once per row group read, like the others.

// pageReadMaxPages is the most pages of one column chunk a read takes
// through decoded pages; a read of more decodes them in one pass as
// before (page_read.go), as a scan of a large part of a row group gains
// nothing from the cache and would flush it.
const pageReadMaxPages = 4

// heldPage is a decoded page a rowGroupReader holds a reference to.
type heldPage struct {
	leaf, k int
	page    *decodedPage
}

// pagedColumn is what a read through decoded pages knows of column leaf
// of the row group: its chunk and offset index.
type pagedColumn struct {
	leaf  int
	chunk *parquet.FileColumnChunk
	locs  []format.PageLocation
	p     physical
	dt    arrow.DataType
	// codes: its pages are read in code form (code_pages.go).
	codes bool
}

// pagedColumnOf returns column leaf (laid out as p, read as dt) for a
// read of ranges through decoded pages, with the runs of pages those
// ranges touch; ok is false when the read should decode its pages in one
// pass instead (no cache, no offset index, too many pages).
func (r *rowGroupReader) pagedColumnOf(leaf int, p physical, dt arrow.DataType, ranges []rowRange, runsTo []pageRun) (pc pagedColumn, runs []pageRun, ok bool) {
	if r.sf == nil || ranges == nil {
		return pc, nil, false
	}
	locs := pageLocations(r.pf, r.g, leaf)
	if locs == nil {
		return pc, nil, false
	}
	chunk, isFile := r.rg.ColumnChunks()[leaf].(*parquet.FileColumnChunk)
	if !isFile {
		return pc, nil, false
	}
	runs, ok = pageRunsUpTo(runsTo, locs, ranges, r.rg.NumRows(), pageReadMaxPages)
	if !ok {
		return pc, nil, false
	}
	return pagedColumn{leaf: leaf, chunk: chunk, locs: locs, p: p, dt: dt}, runs, true
}

// countPages counts the pages runs read of pc's chunk in r.counts, as a
// read decoding them would, once per column: a key column read after
// its equality narrowed the ranges was counted then.
func (r *rowGroupReader) countPages(pc *pagedColumn, runs []pageRun) {
	r.mu.Lock()
	counted := slices.Contains(r.countedLeaves, pc.leaf)
	r.mu.Unlock()
	if counted {
		return
	}
	read := 0
	for _, run := range runs {
		read += run.last - run.first + 1
	}
	r.counts.pages(read, len(pc.locs)-read)
}

// page returns page k of pc, decoded: held already, cached, or decoded
// now and offered to the cache. The reader holds it until release.
func (r *rowGroupReader) page(pc *pagedColumn, k int) (*decodedPage, error) {
	r.mu.Lock()
	for _, h := range r.held {
		if h.leaf == pc.leaf && h.k == k {
			r.mu.Unlock()
			return h.page, nil
		}
	}
	r.mu.Unlock()
	key := pageKey{g: int32(r.g), leaf: int32(pc.leaf), k: int32(k)}
	pg := r.sf.cache.cachedPage(r.sf, key)
	if pg != nil && (pg.p != pc.p || !arrow.TypeEqual(pg.arr.DataType(), pc.dt) && !(pc.codes && codeForm(pg.arr, pc.dt))) {
		// Read with another type than whoever cached it, or in code form
		// by a reader that wants the values: decode our own.
		pg.release()
		pg = nil
	}
	if pg != nil {
		r.counts.pageCached()
	} else {
		lo, hi := pc.locs[k].FirstRowIndex, pageEnd(pc.locs, k, r.rg.NumRows())
		run := pageRun{first: k, last: k, lo: lo, hi: hi}
		if pc.codes {
			dec := codePageDecoder{p: pc.p, dt: pc.dt}
			if err := r.decodeRun(&dec, pc.chunk, pc.locs, run); err != nil {
				if dec.arr != nil {
					dec.arr.Release()
				}
				return nil, err
			}
			pg = &decodedPage{arr: dec.arr, p: pc.p}
		} else {
			dec := newColumnDecoder(pc.p, int(hi-lo))
			if err := r.decodeRun(&dec, pc.chunk, pc.locs, run); err != nil {
				return nil, err
			}
			pg = &decodedPage{arr: dec.finish(pc.dt), p: pc.p}
		}
		pg.ascending = ascendingValues(pg.arr)
		r.sf.cache.offerPage(r.sf, key, pg)
	}
	r.mu.Lock()
	if r.held == nil {
		r.held = r.heldInline[:0]
	}
	r.held = append(r.held, heldPage{leaf: pc.leaf, k: k, page: pg})
	r.mu.Unlock()
	return pg, nil
}

// pagesAtHand reports whether the pages of runs of pc are held by the
// reader or cached, so that reading them decodes nothing.
func (r *rowGroupReader) pagesAtHand(pc *pagedColumn, runs []pageRun) bool {
	for _, run := range runs {
		for k := run.first; k <= run.last; k++ {
			r.mu.Lock()
			held := slices.ContainsFunc(r.held, func(h heldPage) bool { return h.leaf == pc.leaf && h.k == k })
			r.mu.Unlock()
			if !held && !r.sf.cache.hasPage(r.sf, pageKey{g: int32(r.g), leaf: int32(pc.leaf), k: int32(k)}) {
				return false
			}
		}
	}
	return true
}

// releasePages drops the reader's references to decoded pages.
func (r *rowGroupReader) releasePages() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, h := range r.held {
		h.page.release()
	}
	r.held = nil
}

// pageSpan is rows [lo, hi) of page k, by position in the page.
type pageSpan struct {
	k      int
	lo, hi int
}

// pageSpans splits ranges (sorted, disjoint, within the rows of runs)
// into their parts in each page of runs, in row order, appended to out.
func pageSpans(out []pageSpan, locs []format.PageLocation, runs []pageRun, ranges []rowRange, rows int64) []pageSpan {
	j := 0
	for _, run := range runs {
		for k := run.first; k <= run.last; k++ {
			lo, hi := locs[k].FirstRowIndex, pageEnd(locs, k, rows)
			for j < len(ranges) && ranges[j].hi <= lo {
				j++
			}
			for i := j; i < len(ranges) && ranges[i].lo < hi; i++ {
				a, b := max(ranges[i].lo, lo), min(ranges[i].hi, hi)
				if a < b {
					out = append(out, pageSpan{k: k, lo: int(a - lo), hi: int(b - lo)})
				}
			}
		}
	}
	return out
}

// readPages returns the rows of ranges of pc, copied out of its decoded
// pages (runs are the pages ranges touch).
func (r *rowGroupReader) readPages(pc *pagedColumn, runs []pageRun, ranges []rowRange) (arrow.Array, error) {
	var spansInline [2]pageSpan
	var piecesInline [2]arraySpan
	spans := pageSpans(spansInline[:0], pc.locs, runs, ranges, r.rg.NumRows())
	pieces := piecesInline[:0]
	for _, s := range spans {
		pg, err := r.page(pc, s.k)
		if err != nil {
			return nil, err
		}
		pieces = append(pieces, arraySpan{arr: pg.arr, lo: s.lo, hi: s.hi})
	}
	// A copy, never a slice of a cached page: what a scan returns is its
	// reader's to keep.
	return concatSpans(pc.dt, pieces), nil
}

// narrowPages is narrowRanges (page_narrow.go) through decoded pages:
// the rows of from whose value in pc's column equals one of p's, found by
// binary search in ascending pages. When it does not narrow, it keeps
// the column's rows of from for readColumn; when it does, the reader
// holds the pages they are in.
func (r *rowGroupReader) narrowPages(pc *pagedColumn, runs []pageRun, t catalog.Type, p *boundedPredicate, from []rowRange) (ranges []rowRange, ok bool, err error) {
	eq := p.equalities()
	r.countPages(pc, runs)
	ranges = r.rangesInline[:0]
	var considered, matched int
	var spansInline [2]pageSpan
	for _, s := range pageSpans(spansInline[:0], pc.locs, runs, from, r.rg.NumRows()) {
		pg, err := r.page(pc, s.k)
		if err != nil {
			return nil, false, err
		}
		base := pc.locs[s.k].FirstRowIndex
		considered += s.hi - s.lo
		var match []int32
		if pg.ascending {
			match = ascendingEqualPositions(r.matchInline[:0], pg.arr, s.lo, s.hi, eq)
		} else {
			slice := array.NewSlice(pg.arr, int64(s.lo), int64(s.hi))
			var handled bool
			match, handled = equalPositions(slice, eq, p.members)
			slice.Release()
			if !handled {
				return nil, false, nil
			}
			for i := range match {
				match[i] += int32(s.lo)
			}
		}
		matched += len(match)
		for _, pos := range match {
			row := base + int64(pos)
			if n := len(ranges); n > 0 && ranges[n-1].hi == row {
				ranges[n-1].hi++
			} else {
				ranges = append(ranges, rowRange{row, row + 1})
			}
		}
	}
	r.mu.Lock()
	if r.countedLeaves == nil {
		r.countedLeaves = r.countedInline[:0]
	}
	r.countedLeaves = append(r.countedLeaves, pc.leaf)
	r.mu.Unlock()
	if matched <= considered/4 {
		// The column's rows of ranges are copied from the held pages if
		// the scan reads it (readLayout).
		return ranges, true, nil
	}
	arr, err := r.readPages(pc, runs, from)
	if err != nil {
		return nil, false, err
	}
	r.narrowed = &narrowedColumn{leaf: pc.leaf, t: t, arr: arr}
	return nil, false, nil
}

// ascendingValues reports whether arr, a decoded page, holds no NULL and
// integer or byte-string values that never decrease.
func ascendingValues(arr arrow.Array) bool {
	if arr.NullN() > 0 {
		return false
	}
	switch a := arr.(type) {
	case *array.Int16:
		return slices.IsSorted(a.Int16Values())
	case *array.Int32:
		return slices.IsSorted(a.Int32Values())
	case *array.Date32:
		return slices.IsSorted(a.Date32Values())
	case *array.Int64:
		return slices.IsSorted(a.Int64Values())
	case *array.Time64:
		return slices.IsSorted(a.Time64Values())
	case *array.Timestamp:
		return slices.IsSorted(a.TimestampValues())
	case *array.String:
		for i := 1; i < a.Len(); i++ {
			if a.Value(i-1) > a.Value(i) {
				return false
			}
		}
		return true
	case *array.Binary:
		for i := 1; i < a.Len(); i++ {
			if bytes.Compare(a.Value(i-1), a.Value(i)) > 0 {
				return false
			}
		}
		return true
	}
	return false
}

// ascendingEqualPositions returns the positions in [lo, hi) of arr (a
// page ascendingValues holds true of) whose values equal one of eq
// (sorted bounds in arr's domain), ascending.
func ascendingEqualPositions(dst []int32, arr arrow.Array, lo, hi int, eq []bound) []int32 {
	switch a := arr.(type) {
	case *array.Int16:
		return ascendingInts(dst, a.Int16Values(), lo, hi, eq)
	case *array.Int32:
		return ascendingInts(dst, a.Int32Values(), lo, hi, eq)
	case *array.Date32:
		return ascendingInts(dst, a.Date32Values(), lo, hi, eq)
	case *array.Int64:
		return ascendingInts(dst, a.Int64Values(), lo, hi, eq)
	case *array.Time64:
		return ascendingInts(dst, a.Time64Values(), lo, hi, eq)
	case *array.Timestamp:
		return ascendingInts(dst, a.TimestampValues(), lo, hi, eq)
	case *array.String:
		return ascendingBytes(dst, func(i int) []byte { return unsafeBytes(a.Value(i)) }, lo, hi, eq)
	case *array.Binary:
		return ascendingBytes(dst, a.Value, lo, hi, eq)
	}
	return nil
}

func ascendingInts[T int16 | int32 | int64 | arrow.Date32 | arrow.Time64 | arrow.Timestamp](out []int32, vs []T, lo, hi int, eq []bound) []int32 {
	vs = vs[:hi]
	for _, b := range eq {
		want := T(b.i)
		if int64(want) != b.i {
			continue // beyond the column's type: no value equals it
		}
		i := firstAtLeast(vs, lo, hi, want)
		if i == hi || vs[i] != want {
			lo = i
			continue
		}
		for ; i < len(vs) && vs[i] == want; i++ {
			out = append(out, int32(i))
		}
		lo = i
	}
	return out
}

// firstAtLeast returns the first position in [lo, hi) of ascending vs
// whose value is at least want, or hi if none is. It guesses the position
// by interpolating between vs[lo] and vs[hi-1], gallops from the guess
// until the answer is bracketed, and searches the bracket by halves: a
// page of dense keys (a serial column, pgbench's aid) finds a key in one
// or two probes, where halving a page of thousands touches a cache line
// per step; skewed values cost at most twice a binary search.
func firstAtLeast[T int16 | int32 | int64 | arrow.Date32 | arrow.Time64 | arrow.Timestamp](vs []T, lo, hi int, want T) int {
	if lo >= hi || vs[lo] >= want {
		return lo
	}
	if vs[hi-1] < want {
		return hi
	}
	// vs[lo] < want <= vs[hi-1]: the answer is in (lo, hi-1].
	first, last := float64(vs[lo]), float64(vs[hi-1])
	p := lo + int(float64(hi-1-lo)*((float64(want)-first)/(last-first)))
	p = min(max(p, lo+1), hi-1)
	// Bracket the answer: vs[a] < want <= vs[b].
	a, b := lo, hi-1
	if vs[p] >= want {
		b = p
		for step := 1; ; step *= 2 {
			c := b - step
			if c <= lo {
				break
			}
			if vs[c] < want {
				a = c
				break
			}
			b = c
		}
	} else {
		a = p
		for step := 1; ; step *= 2 {
			c := a + step
			if c >= hi-1 {
				break
			}
			if vs[c] >= want {
				b = c
				break
			}
			a = c
		}
	}
	for a+1 < b {
		m := int(uint(a+b) >> 1)
		if vs[m] < want {
			a = m
		} else {
			b = m
		}
	}
	return b
}

func ascendingBytes(out []int32, value func(i int) []byte, lo, hi int, eq []bound) []int32 {
	for _, b := range eq {
		i := lo + sort.Search(hi-lo, func(i int) bool { return bytes.Compare(value(lo+i), b.b) >= 0 })
		for ; i < hi && bytes.Equal(value(i), b.b); i++ {
			out = append(out, int32(i))
		}
		lo = i
	}
	return out
}
