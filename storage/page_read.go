package storage

import (
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/pqdb/pqdb/catalog"
)

// countingFile is the io.ReaderAt a scan reads a Parquet file's pages
// through: it adds the bytes read to the scan's counts and, when limit is
// positive, reads nothing at or past limit, so that a page reader's
// read-ahead (a buffer of up to ReadBufferSize) stops at the last page it
// was asked for.
type countingFile struct {
	r      io.ReaderAt
	limit  int64
	counts *ScanCounts
}

func (f *countingFile) ReadAt(p []byte, off int64) (int, error) {
	clipped := false
	if f.limit > 0 {
		if off >= f.limit {
			return 0, io.EOF
		}
		if rest := f.limit - off; int64(len(p)) > rest {
			p, clipped = p[:rest], true
		}
	}
	n, err := f.r.ReadAt(p, off)
	f.counts.bytes(n)
	if err == nil && clipped {
		err = io.EOF
	}
	return n, err
}

// rowGroupReader decodes columns of one row group of an open Parquet
// file: every row, or only the rows of ranges (sorted, disjoint), in
// which case each column decodes just the pages that overlap them.
type rowGroupReader struct {
	pf     *parquet.File
	file   io.ReaderAt
	g      int
	rg     parquet.RowGroup
	ranges []rowRange // nil: every row
	counts *ScanCounts
	// narrowed is the column narrowRanges decoded to narrow ranges.
	narrowed *narrowedColumn
	// selected are the columns selectByCodes gathered for the rows of
	// ranges (dictionary_filter.go).
	selected []narrowedColumn

	// sf, when set, is the segment file pf is, whose decoded pages a
	// read of a few pages takes from and offers to the store's cache;
	// held are those the reader used (page_cache.go). Columns are read
	// in parallel: mu guards held and countedLeaves.
	sf   *segmentFile
	mu   sync.Mutex
	held []heldPage
	// countedLeaves are the columns whose pages narrowPages counted.
	countedLeaves []int
	// heldInline and countedInline back held and countedLeaves while
	// they are short, as they are in a point lookup.
	heldInline    [4]heldPage
	countedInline [2]int
	// matchInline and rangesInline back narrowPages' matches in a page
	// and the ranges it returns (which become ranges) while they are
	// few, as a lookup's are.
	matchInline  [4]int32
	rangesInline [2]rowRange
	// rangeRows are the row numbers of rangesListed, listed once for all
	// the columns cutToRanges cuts (under mu while columns are read;
	// selectByCodes sets them before).
	rangeRows    []int32
	rangesListed []rowRange
}

// numRows is the number of rows each column read returns.
func (r *rowGroupReader) numRows() int64 {
	if r.ranges == nil {
		return r.rg.NumRows()
	}
	return rangeRows(r.ranges)
}

// readLayout decodes column leaf, whose values are laid out as p, into an
// Arrow array of type dt.
func (r *rowGroupReader) readLayout(leaf int, p physical, dt arrow.DataType) (arrow.Array, error) {
	rows := r.rg.NumRows()
	locs := pageLocations(r.pf, r.g, leaf)
	chunk, ok := r.rg.ColumnChunks()[leaf].(*parquet.FileColumnChunk)
	if !ok {
		return nil, fmt.Errorf("column %d is not read from a file", leaf)
	}
	if r.ranges == nil || locs == nil {
		r.counts.pages(len(locs), 0)
		if len(locs) > 0 { // then every row is read (r.ranges is nil)
			dec := newColumnDecoder(p, int(rows))
			ok, err := r.decodeDirect(&dec, chunk, locs, pageRun{first: 0, last: len(locs) - 1, lo: 0, hi: rows})
			if err != nil {
				return nil, err
			}
			if ok {
				return dec.finish(dt), nil
			}
		}
		arr, err := decodePages(chunk.PagesFrom(&countingFile{r: r.file, counts: r.counts}), int(rows), p, dt)
		if err != nil || r.ranges == nil {
			return arr, err
		}
		return r.cutToRanges(arr, []pageRun{{lo: 0, hi: rows}}), nil
	}
	// A byte-string column's page can decode to far more than its 128 KiB
	// of codes (a dictionary of long strings): it is read in code form
	// when its chunk's dictionary is small (code_pages.go), else, unless
	// it is at hand or small, only the ranges' values are copied out of
	// it, as below.
	var runsInline [2]pageRun
	if pc, runs, ok := r.pagedColumnOf(leaf, p, dt, r.ranges, runsInline[:0]); ok {
		switch {
		case !rangeDecodable(p, dt):
		case r.codePagesOf(&pc):
			pc.codes = true
		default:
			ok = r.pagesAtHand(&pc, runs) || smallPages(pc.locs, runs, rows)
		}
		if ok {
			r.countPages(&pc, runs)
			return r.readPages(&pc, runs, r.ranges)
		}
	}
	runs := pageRuns(locs, r.ranges, rows)
	var total int64
	read := 0
	for _, run := range runs {
		total += run.hi - run.lo
		read += run.last - run.first + 1
	}
	r.counts.pages(read, len(locs)-read)
	if rangeDecodable(p, dt) && !rangesAreRuns(r.ranges, runs) {
		// Copy only the values of the ranges' rows (range_decode.go).
		dec := newRangeBytesDecoder(r.ranges)
		for _, run := range runs {
			dec.row = run.lo
			if err := r.decodeRun(dec, chunk, locs, run); err != nil {
				return nil, err
			}
		}
		return dec.finish(dt), nil
	}
	dec := newColumnDecoder(p, int(total))
	for _, run := range runs {
		if err := r.decodeRun(&dec, chunk, locs, run); err != nil {
			return nil, err
		}
	}
	return r.cutToRanges(dec.finish(dt), runs), nil
}

// smallStringPageRows is the most rows of a byte-string page that a read
// of a few of them decodes whole, and offers to the cache, rather than
// copying out only theirs: such a page (of a small table, or of a
// segment a short tail was flushed to) decodes to little, and OLTP
// lookups read the same ones again and again.
const smallStringPageRows = 1024

// smallPages reports whether every page of runs holds at most
// smallStringPageRows rows (locs: the chunk's page locations; rows: its
// row group's).
func smallPages(locs []format.PageLocation, runs []pageRun, rows int64) bool {
	for _, run := range runs {
		for k := run.first; k <= run.last; k++ {
			if pageEnd(locs, k, rows)-locs[k].FirstRowIndex > smallStringPageRows {
				return false
			}
		}
	}
	return true
}

// pageConsumer takes the pages of a column chunk one by one: a
// columnDecoder, a codeSelector (dictionary_filter.go) or a
// rangeBytesDecoder (range_decode.go).
type pageConsumer interface {
	page(page parquet.Page) error
	decodedRows() int // the rows of the pages taken so far
}

// decodeRun decodes the consecutive pages of run into dec.
func (r *rowGroupReader) decodeRun(dec pageConsumer, chunk *parquet.FileColumnChunk, locs []format.PageLocation, run pageRun) error {
	if cd, ok := dec.(*columnDecoder); ok {
		if ok, err := r.decodeDirect(cd, chunk, locs, run); err != nil || ok {
			return err
		}
	}
	limit := chunk.File().Size()
	if run.last+1 < len(locs) {
		limit = locs[run.last+1].Offset
	} else if md := &r.pf.Metadata().RowGroups[r.g].Columns[chunk.Column()].MetaData; md.DataPageOffset > 0 {
		start := md.DataPageOffset
		if md.DictionaryPageOffset > 0 && md.DictionaryPageOffset < start {
			start = md.DictionaryPageOffset
		}
		limit = start + md.TotalCompressedSize
	}
	pages := chunk.PagesFrom(&countingFile{r: r.file, limit: limit, counts: r.counts})
	defer pages.Close()
	if err := pages.SeekToRow(run.lo); err != nil {
		return err
	}
	want := dec.decodedRows() + int(run.hi-run.lo)
	for range run.last - run.first + 1 {
		page, err := pages.ReadPage()
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return err
		}
		err = dec.page(page)
		parquet.Release(page)
		if err != nil {
			return err
		}
	}
	if n := dec.decodedRows(); n != want {
		return fmt.Errorf("pages of rows %d to %d hold %d rows", run.lo, run.hi, n-want+int(run.hi-run.lo))
	}
	return nil
}

// pageRun is the consecutive pages first..last of a column chunk, holding
// its rows [lo, hi).
type pageRun struct {
	first, last int
	lo, hi      int64
}

// pageRuns returns the runs of the pages (of a chunk with page locations
// locs and rows rows) that overlap ranges.
func pageRuns(locs []format.PageLocation, ranges []rowRange, rows int64) []pageRun {
	runs, _ := pageRunsUpTo(nil, locs, ranges, rows, len(locs))
	return runs
}

// pageRunsUpTo is pageRuns appending to runs (a caller's scratch), that
// gives up, returning false, once the runs hold more than maxPages pages.
// It finds the page of a range's first row by binary search over the
// pages, and the next range to look at by binary search over the ranges,
// past the pages taken: a point lookup costs a few steps, and so does
// each page of a fragmented selection (a range per stretch of matching
// rows, thousands to a row group).
func pageRunsUpTo(runs []pageRun, locs []format.PageLocation, ranges []rowRange, rows int64, maxPages int) ([]pageRun, bool) {
	pages, j, k := 0, 0, 0
	for j < len(ranges) && k < len(locs) {
		// Pages before k are taken; the range's rows there with them.
		k = max(k, pageOf(locs, k, ranges[j].lo))
		for ; k < len(locs) && locs[k].FirstRowIndex < ranges[j].hi; k++ {
			if pages++; pages > maxPages {
				return nil, false
			}
			hi := pageEnd(locs, k, rows)
			if n := len(runs); n > 0 && runs[n-1].last == k-1 {
				runs[n-1].last, runs[n-1].hi = k, hi
				continue
			}
			runs = append(runs, pageRun{first: k, last: k, lo: locs[k].FirstRowIndex, hi: hi})
		}
		if k == 0 {
			break // an empty range before the first page's rows
		}
		j = firstEndingAfter(ranges, j+1, pageEnd(locs, k-1, rows))
	}
	return runs, true
}

// pageOf returns the page of locs[from:] that holds row: the last whose
// first row is at most row (from itself when none is).
func pageOf(locs []format.PageLocation, from int, row int64) int {
	lo, hi := from+1, len(locs)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if locs[m].FirstRowIndex <= row {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo - 1
}

// firstEndingAfter returns the first of ranges[j:] (sorted, disjoint)
// that ends after row, or len(ranges).
func firstEndingAfter(ranges []rowRange, j int, row int64) int {
	lo, hi := j, len(ranges)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if ranges[m].hi > row {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

// cutRanges returns the rows of ranges from arr, which holds the rows of
// runs one after the other (every range lies within one run), releasing
// arr.
func cutRanges(arr arrow.Array, ranges []rowRange, runs []pageRun) arrow.Array {
	if rangesAreRuns(ranges, runs) {
		return arr
	}
	// at returns the position in arr of the row at position row.
	var base int64
	j := 0
	at := func(row int64) int64 {
		for row >= runs[j].hi {
			base += runs[j].hi - runs[j].lo
			j++
		}
		return base + row - runs[j].lo
	}
	if len(ranges) == 1 {
		lo := at(ranges[0].lo)
		out := array.NewSlice(arr, lo, lo+ranges[0].hi-ranges[0].lo)
		arr.Release()
		return out
	}
	keep := make([]int32, 0, rangeRows(ranges))
	for _, rr := range ranges {
		lo := at(rr.lo)
		for i := range rr.hi - rr.lo {
			keep = append(keep, int32(lo+i))
		}
	}
	out := takeArray(arr, keep)
	arr.Release()
	return out
}

// cutToRanges returns the rows of r.ranges from arr, which holds the rows
// of runs one after the other, releasing arr. A column decoded from the
// row group's first row on is cut by the ranges' row numbers, listed once
// for all the row group's columns: a fragmented selection (a dictionary
// filter's, a range per stretch of matching rows) is not walked range by
// range for every column.
func (r *rowGroupReader) cutToRanges(arr arrow.Array, runs []pageRun) arrow.Array {
	if len(runs) != 1 || runs[0].lo != 0 || len(r.ranges) < 2 {
		return cutRanges(arr, r.ranges, runs)
	}
	out := takeArray(arr, r.rangeRowNumbers())
	arr.Release()
	return out
}

// rangeRowNumbers returns the row numbers of r.ranges, listed once per
// ranges slice.
func (r *rowGroupReader) rangeRowNumbers() []int32 {
	r.mu.Lock()
	defer r.mu.Unlock()
	listed := r.rangesListed
	if len(listed) != len(r.ranges) || len(listed) > 0 && &listed[0] != &r.ranges[0] {
		rows := make([]int32, 0, rangeRows(r.ranges))
		for _, rr := range r.ranges {
			for row := rr.lo; row < rr.hi; row++ {
				rows = append(rows, int32(row))
			}
		}
		r.rangeRows, r.rangesListed = rows, r.ranges
	}
	return r.rangeRows
}

// readColumn decodes column leaf of catalog type t (see readColumn in
// segment_reader.go). An array column's pages do not start at row
// boundaries one can seek to by row, so it is decoded whole and cut.
func (r *rowGroupReader) readColumn(leaf int, t catalog.Type) (arrow.Array, error) {
	if nc := r.narrowed; nc != nil && nc.leaf == leaf && nc.t == t {
		if nc.keep == nil {
			nc.arr.Retain()
			return nc.arr, nil
		}
		return takeArray(nc.arr, nc.keep), nil
	}
	if arr := r.selectedColumn(leaf, t); arr != nil {
		return arr, nil
	}
	if t.Kind == catalog.Array {
		arr, err := readListColumn(r.rg, leaf, t)
		if err != nil || r.ranges == nil {
			return arr, err
		}
		return r.cutToRanges(arr, []pageRun{{lo: 0, hi: r.rg.NumRows()}}), nil
	}
	p := chunkLayout(t, r.rg.ColumnChunks()[leaf])
	if t.Kind == catalog.Unknown {
		p = physBytes
	}
	return r.readLayout(leaf, p, t.ArrowType())
}

// unslice returns a copy of arr that starts at its buffers' start,
// releasing arr.
func unslice(arr arrow.Array) arrow.Array {
	keep := make([]int32, arr.Len())
	for i := range keep {
		keep[i] = int32(i)
	}
	out := takeArray(arr, keep)
	arr.Release()
	return out
}
