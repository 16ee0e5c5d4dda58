package storage

import (
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/parquet-go/parquet-go"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// RecordReader yields the records of a scan.
type RecordReader interface {
	// Next returns the next non-empty record of at most MaxBatchRows rows
	// (or the size set with SetMaxBatchRows), or nil, nil at the end. The record stays valid until the next call
	// to Next or Close.
	Next() (arrow.Record, error)
	Close()
}

// pendingTable is a transaction's uncommitted rows of one table, as seen
// by its own snapshots. Seqs are pending seqs (above every commit seq).
type pendingTable struct {
	inserts []tailInsert
	deletes []tailDelete
}

// scanReader reads a table's live rows: first its Parquet segments (row
// group by row group, pruned by statistics, minus deleted rows), then the
// unflushed tail and the transaction's own rows.
//
// A row version inserted at seq i is deleted when some deletion of its
// row id has a seq greater than i. Segment rows were inserted at or
// before the manifest's FlushedSeq and every tail deletion is later, so
// any tail deletion of their id hides them; their own delete markers
// cover deletions flushed earlier.
type scanReader struct {
	store   *Store
	ts      *tableState
	cols    []int
	preds   []boundedPredicate
	schema  *arrow.Schema
	columns *arrow.Schema // schema without the row id
	deleted scanDeletions
	// noRowIDs leaves the row id column out of the records
	// (scan_row_ids.go).
	noRowIDs bool
	// denseIDsBuf holds the computed row ids of a row group's rows read
	// for the deletions only (scan_row_ids.go).
	denseIDsBuf []int64
	// inserts are the committed tail's insertions, then own those of the
	// scan's transaction, read after them.
	inserts, own []tailInsert

	seg    int
	rg     int
	file   *segmentFile
	leaves []int // per output column: leaf in the current segment, or -1
	ridLf  int
	ins    int
	cur    arrow.Record // the current whole record
	slice  arrow.Record // the part of cur last returned, when cur is large
	off    int64        // rows of cur already returned
	batchLimit
	// counts, when set, adds up the segments and row groups read and
	// skipped (CountInto).
	counts *ScanCounts

	// Segment row groups are decoded by a producer goroutine one row group
	// ahead of the consumer, so decoding overlaps with the consumer's work,
	// from the first record of asyncScanRows rows or more, or the second
	// record, on; until then (a point lookup's only record) Next decodes
	// them itself, sparing the lookup a goroutine and two hand-offs.
	syncRecords int
	results     chan scanResult
	stop        chan struct{}
	segsDone    bool

	// part selects this reader's share of a partitioned scan.
	part scanPart
	// index, when set, finds segment rows through a secondary index's
	// files (index_scan.go).
	index *indexScan

	// The deletion vector of segment dvSeg (liveSegmentRows).
	dvSeg *Segment
	dv    *roaring.Bitmap

	// dictFilters are the verdicts of predicates on the dictionaries of
	// the row group being read (dictionary_filter.go).
	dictFilters []dictionaryFilter

	// unique, when on, makes the scan a unique lookup (scan_unique.go).
	unique uniqueLookup

	// group and groupFile are readGroup's row group reader and its view
	// of the segment file, kept here rather than allocated per row group
	// (a point lookup's columns would move them to the heap anyway):
	// readGroup calls never overlap, and each releases what it held.
	group     rowGroupReader
	groupFile cachedFileReader

	// Scratch that row group reads reuse, so that a point lookup's
	// pruning and decoding allocate only what they return: the
	// predicates' columns (pruneColumns), a row group's whole range
	// (selectRows), the decoded columns (readGroup) and the leaves
	// (enterSegment).
	pruneBuf     []pruneColumn
	allRows      [1]rowRange
	colsBuf      []arrow.Array
	pruneInline  [2]pruneColumn
	colsInline   [4]arrow.Array
	leavesInline [4]int
}

type scanResult struct {
	rec arrow.Record
	err error
}

func newScan(s *Store, ts *tableState, pending *pendingTable, cols []int, preds []Predicate) (*scanReader, error) {
	return newBoundedScan(s, ts, pending, cols, preparePredicates(ts.table, preds))
}

// newBoundedScan is newScan with its predicates prepared, which scans
// may share: nothing changes them.
func newBoundedScan(s *Store, ts *tableState, pending *pendingTable, cols []int, preds []boundedPredicate) (*scanReader, error) {
	r, err := newSegmentScan(s, ts, cols, preds)
	if err != nil {
		return nil, err
	}
	r.inserts = ts.inserts
	r.deleted.committed = ts.committedDeletions()
	if pending == nil {
		return r, nil
	}
	if len(pending.deletes) > 0 {
		r.deleted.own = newDeletionSeqs(pending.deletes)
	}
	r.own = pending.inserts
	return r, nil
}

// newSegmentScan reads the rows of ts's segments that their own deletion
// vectors leave, ignoring the tail's inserts and deletions.
func newSegmentScan(s *Store, ts *tableState, cols []int, preds []boundedPredicate) (*scanReader, error) {
	tbl := ts.table
	for _, c := range cols {
		if c < 0 || c >= len(tbl.Columns) {
			return nil, pgerr.New(pgerr.InternalError, "scan of %s: no column %d", tbl.Name, c)
		}
	}
	r := &scanReader{
		store: s,
		ts:    ts,
		cols:  cols,
		preds: preds,
	}
	if s.opts.CountScans {
		r.counts = &s.scanTotals
	}
	r.leaves, r.pruneBuf, r.colsBuf = r.leavesInline[:0], r.pruneInline[:0], r.colsInline[:0]
	r.schema, r.columns = ts.scanSchema(cols)
	return r, nil
}

func (r *scanReader) Close() {
	if r.slice != nil {
		r.slice.Release()
		r.slice = nil
	}
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	if r.results != nil && !r.segsDone {
		close(r.stop)
		for res := range r.results {
			if res.rec != nil {
				res.rec.Release()
			}
		}
		r.segsDone = true
	}
	if r.results == nil {
		r.leaveSegment() // no producer owns the segment
	}
}

// asyncScanRows is the size of the first segment record after which a
// scan decodes ahead on a producer goroutine.
const asyncScanRows = 4096

// MaxBatchRows is the most rows a scan record holds by default: row
// groups and tail batches larger than this are returned in slices.
const MaxBatchRows = 64 * 1024

// BatchSizer is a RecordReader whose record size can be set: the readers
// of Scan and ScanPartitions are. The executor sets its per-statement
// batch size, which tests lower to a few rows to exercise batch
// boundaries.
type BatchSizer interface {
	// SetMaxBatchRows makes Next return records of at most n rows (n > 0).
	// It is called before the first Next.
	SetMaxBatchRows(n int)
}

// batchLimit is the record size of a reader that is a BatchSizer:
// MaxBatchRows unless SetMaxBatchRows set another.
type batchLimit struct {
	maxRows int64 // when positive, replaces MaxBatchRows
}

func (b *batchLimit) SetMaxBatchRows(n int) {
	if n > 0 {
		b.maxRows = int64(n)
	}
}

func (b *batchLimit) batchRows() int64 {
	if b.maxRows > 0 {
		return b.maxRows
	}
	return MaxBatchRows
}

func (r *scanReader) Next() (arrow.Record, error) {
	if r.slice != nil {
		r.slice.Release()
		r.slice = nil
	}
	if r.cur != nil && r.off < r.cur.NumRows() {
		return r.nextSlice(), nil
	}
	rec, err := r.nextRecord()
	if rec == nil || err != nil {
		return rec, err
	}
	if rec.NumRows() <= r.batchRows() {
		r.off = rec.NumRows()
		return rec, nil
	}
	r.off = 0
	return r.nextSlice(), nil
}

// nextSlice returns the next batchRows rows of r.cur.
func (r *scanReader) nextSlice() arrow.Record {
	hi := min(r.cur.NumRows(), r.off+r.batchRows())
	r.slice = r.cur.NewSlice(r.off, hi)
	r.off = hi
	return r.slice
}

// nextRecord replaces r.cur by the next whole record of the scan.
func (r *scanReader) nextRecord() (arrow.Record, error) {
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	if r.unique.on {
		return r.nextUnique()
	}
	if !r.segsDone {
		if len(r.ts.manifest.Segments) == 0 {
			r.segsDone = true
		} else if r.results == nil {
			rec, err := r.nextSegmentRecord()
			if err != nil {
				r.Close()
				return nil, err
			}
			if rec != nil {
				if r.syncRecords++; rec.NumRows() >= asyncScanRows || r.syncRecords > 1 {
					r.results = make(chan scanResult, 1)
					r.stop = make(chan struct{})
					go r.produce()
				}
				r.cur = rec
				return rec, nil
			}
			r.leaveSegment()
			r.segsDone = true
		} else {
			res, ok := <-r.results
			if ok {
				if res.err != nil {
					r.Close()
					return nil, res.err
				}
				r.cur = res.rec
				return res.rec, nil
			}
			r.segsDone = true
		}
	}
	return r.nextTail()
}

// produce sends the scan's segment records to r.results until the
// segments are exhausted, an error occurs, or r.stop is closed.
func (r *scanReader) produce() {
	defer close(r.results)
	defer r.leaveSegment()
	for {
		var rec arrow.Record
		err := catchPanic(func() (err error) {
			atPanicSite(siteScanProducer)
			rec, err = r.nextSegmentRecord()
			return err
		})
		if rec == nil && err == nil {
			return
		}
		select {
		case r.results <- scanResult{rec, err}:
		case <-r.stop:
			if rec != nil {
				rec.Release()
			}
			return
		}
		if err != nil {
			return
		}
	}
}

// nextSegmentRecord decodes the next row group that survives pruning and
// has live rows, or returns nil at the end of the segments.
func (r *scanReader) nextSegmentRecord() (arrow.Record, error) {
	segs := r.ts.manifest.Segments
	for r.seg < len(segs) {
		seg := segs[r.seg]
		if r.file == nil {
			// Segments are walked by every reader of a partitioned scan;
			// the first counts them, and the row groups they skip.
			if r.excluded(seg, seg.segBounds) {
				if r.part.tail() {
					r.store.stats.segmentSkipped(seg.Rows)
					r.counts.segment(true)
				}
				r.seg++
				continue
			}
			if out, zoned, bloomed := r.keyFiltersExclude(seg); out {
				if r.part.tail() {
					r.store.stats.segmentSkipped(seg.Rows)
					r.store.stats.rowGroupsSkipped.Add(int64(zoned + bloomed))
					r.counts.segment(true)
					for range zoned {
						r.counts.rowGroup(true)
					}
					for range bloomed {
						r.counts.bloomSkip()
					}
				}
				r.seg++
				continue
			}
			if err := r.enterSegment(seg); err != nil {
				return nil, err
			}
			if r.part.tail() {
				r.counts.segment(false)
			}
		}
		groups := r.file.pf.RowGroups()
		if r.rg >= len(groups) {
			r.leaveSegment()
			r.seg++
			continue
		}
		g := r.rg
		r.rg++
		if g < len(seg.bounds) && r.excluded(seg, seg.bounds[g]) {
			if r.part.tail() {
				r.store.stats.rowGroupSkipped(groups[g].NumRows())
				r.counts.rowGroup(true)
			}
			continue
		}
		if !r.part.takes() {
			continue
		}
		ranges, skip, err := r.selectRows(seg, g, groups[g])
		if err != nil {
			return nil, err
		}
		if skip {
			r.store.stats.rowGroupSkipped(groups[g].NumRows())
			continue
		}
		rec, err := r.readGroup(seg, g, groups[g], ranges)
		if err != nil {
			return nil, err
		}
		r.store.stats.rowGroupRead(groups[g].NumRows())
		r.counts.rowGroup(false)
		if rec == nil {
			continue
		}
		if rec.NumRows() == 0 {
			rec.Release()
			continue
		}
		return rec, nil
	}
	return nil, nil
}

// nextTail returns the next unflushed (or pending) record with live rows.
func (r *scanReader) nextTail() (arrow.Record, error) {
	if !r.part.tail() {
		return nil, nil
	}
	ncol := len(r.ts.table.Columns)
	for r.ins < len(r.inserts)+len(r.own) {
		var ins tailInsert
		if r.ins < len(r.inserts) {
			ins = r.inserts[r.ins]
		} else {
			ins = r.own[r.ins-len(r.inserts)]
		}
		r.ins++
		if ins.excluded(r.preds) {
			continue
		}
		rec, err := ins.load() // a transaction's spilled rows come back one batch at a time
		if err != nil {
			return nil, pgerr.New(pgerr.IoError, "could not read pending rows of table %q: %v", r.ts.table.Name, err)
		}
		ids := rec.Column(ncol).(*array.Int64).Int64Values()
		keep := liveRows(ids, ins.seq, r.deleted)
		if keep != nil && len(keep) == 0 {
			rec.Release()
			continue
		}
		r.cur = r.tailRows(rec, keep)
		rec.Release() // r.cur holds the columns it needs
		if r.cur.NumRows() == 0 {
			r.cur.Release()
			r.cur = nil
			continue
		}
		return r.cur, nil
	}
	return nil, nil
}

// tailRows is the record of rec, a tail batch, that the scan returns:
// its columns (and the row ids, unless omitted), the rows at keep copied
// out, or all of them lent (keep nil): a batch's arrays are never
// modified.
func (r *scanReader) tailRows(rec arrow.Record, keep []int32) arrow.Record {
	ncol := len(r.ts.table.Columns)
	cols := make([]arrow.Array, 0, len(r.cols)+1)
	for _, c := range r.cols {
		cols = append(cols, rec.Column(c))
	}
	if !r.noRowIDs {
		cols = append(cols, rec.Column(ncol))
	}
	if keep == nil {
		return array.NewRecordBatch(r.outSchema(), cols, rec.NumRows())
	}
	for i, a := range cols {
		cols[i] = takeArray(a, keep)
	}
	out := array.NewRecordBatch(r.outSchema(), cols, int64(len(keep)))
	for _, a := range cols {
		a.Release()
	}
	return out
}

// excluded reports whether the statistics bounds (aligned with
// seg.Columns) prove that no row satisfies all predicates.
func (r *scanReader) excluded(seg *Segment, bounds []columnBounds) bool {
	for i := range r.preds {
		p := &r.preds[i]
		name := r.ts.table.Columns[p.column].Name
		j := slices.Index(seg.Columns, name)
		if j < 0 || j >= len(bounds) {
			continue
		}
		if p.excludes(&bounds[j]) {
			return true
		}
	}
	return false
}

func (r *scanReader) enterSegment(seg *Segment) error {
	sf, err := r.store.files.openCounting(tableFile(r.ts.prefix, seg.File), r.counts)
	if err != nil {
		return pgerr.New(pgerr.IoError, "could not open segment of table %q: %v", r.ts.table.Name, err)
	}
	r.leaveSegment()
	r.file, r.rg = sf, 0
	r.leaves = r.leaves[:0]
	for _, c := range r.cols {
		leaf, ok := sf.leaves[r.ts.table.Columns[c].Name]
		if !ok {
			leaf = -1
		}
		r.leaves = append(r.leaves, leaf)
	}
	leaf, ok := sf.leaves[rowIDColumn]
	if !ok {
		return pgerr.New(pgerr.DataCorrupted, "segment %s of table %q has no %s column", seg.File, r.ts.table.Name, rowIDColumn)
	}
	r.ridLf = leaf
	return nil
}

// leaveSegment releases the segment file the scan was reading, if any.
func (r *scanReader) leaveSegment() {
	if r.file != nil {
		r.file.release()
		r.file = nil
	}
}

// readGroup decodes the requested columns and row ids of one row group,
// all its rows or those of ranges (selectRows), and drops its deleted
// rows.
func (r *scanReader) readGroup(seg *Segment, g int, prg parquet.RowGroup, ranges []rowRange) (arrow.Record, error) {
	r.groupFile = cachedFileReader{sf: r.file, counts: r.counts}
	rr := &r.group
	*rr = rowGroupReader{pf: r.file.pf, file: &r.groupFile, g: g, rg: prg, ranges: ranges, counts: r.counts, sf: r.file}
	if err := r.narrow(seg, rr); err != nil {
		return nil, pgerr.New(pgerr.DataCorrupted, "could not read segment %s of table %q: %v", seg.File, r.ts.table.Name, err)
	}
	defer rr.release()
	if err := r.dropDeletedRanges(seg, g, rr); err != nil {
		return nil, pgerr.New(pgerr.DataCorrupted, "could not read deleted rows of segment %s of table %q: %v", seg.File, r.ts.table.Name, err)
	}
	if rr.ranges != nil && len(rr.ranges) == 0 {
		return nil, nil // no row to decode
	}
	ranges = rr.ranges
	n := int(rr.numRows())
	read := n
	withIDs := r.needRowIDs()
	denseIDs := withIDs && seg.DenseRowIDs // computed, not decoded
	ncols := len(r.cols)
	if withIDs && !denseIDs {
		ncols++
	}
	var cols []arrow.Array
	var err error
	if n <= inlineDecodeRows {
		// Room for the row ids, decoded or computed (appended below).
		r.colsBuf = slices.Grow(r.colsBuf[:0], len(r.cols)+1)[:len(r.cols)+1]
		cols, err = decodeColumnsInline(r.colsBuf[:ncols], func(i int) (arrow.Array, error) { return r.groupColumn(rr, read, i) })
		defer clear(r.colsBuf) // the record holds the columns it keeps
	} else {
		cols, err = decodeColumns(ncols, func(i int) (arrow.Array, error) { return r.groupColumn(rr, read, i) })
	}
	if err != nil {
		return nil, pgerr.New(pgerr.DataCorrupted, "could not read segment %s of table %q: %v", seg.File, r.ts.table.Name, err)
	}
	var ids []int64
	switch {
	case denseIDs && r.noRowIDs: // for the deletions only
		r.denseIDsBuf = denseRowIDs(r.denseIDsBuf[:0], seg.MinRowID+r.groupStart(g), ranges, read)
		ids = r.denseIDsBuf
	case denseIDs:
		ids = denseRowIDs(nil, seg.MinRowID+r.groupStart(g), ranges, read)
		cols = append(cols, int64Array(ids))
	case withIDs:
		ids = cols[len(r.cols)].(*array.Int64).Int64Values()
	}
	keep, err := r.liveRangeRows(seg, g, ranges, read, ids)
	if err != nil {
		for _, a := range cols {
			a.Release()
		}
		return nil, pgerr.New(pgerr.DataCorrupted, "could not read deleted rows of segment %s of table %q: %v", seg.File, r.ts.table.Name, err)
	}
	if withIDs && r.noRowIDs && !denseIDs {
		// Decoded for the deletions only.
		cols[len(r.cols)].Release()
		cols = cols[:len(r.cols)]
	}
	if keep != nil {
		for i, a := range cols {
			cols[i] = takeArray(a, keep)
			a.Release()
		}
		n = len(keep)
	}
	rec := array.NewRecordBatch(r.outSchema(), cols, int64(n))
	for _, a := range cols {
		a.Release()
	}
	return rec, nil
}

// groupColumn decodes column i of the row group rr reads (read rows):
// the scan's column i, or the row ids after them.
func (r *scanReader) groupColumn(rr *rowGroupReader, read, i int) (arrow.Array, error) {
	t, leaf := catalog.TypeInt8, r.ridLf
	if i < len(r.cols) {
		t, leaf = r.ts.table.Columns[r.cols[i]].Type, r.leaves[i]
	}
	if leaf < 0 {
		return array.MakeArrayOfNull(memory.DefaultAllocator, t.ArrowType(), read), nil
	}
	return rr.readColumn(leaf, t)
}

// liveSegmentRows returns the positions (among rows) of the live rows of
// row group g of seg, rows rows from position first on whose row ids are
// ids (nil when the scan checks no deletion by id: needRowIDs), or nil
// when all are live. Rows in the
// segment's deletion vector are found by walking the bitmap over the
// group's range of positions (liveSelection); rows deleted by the tail
// (or the transaction) by their ids.
func (r *scanReader) liveSegmentRows(seg *Segment, g int, first int64, rows int, ids []int64) ([]int32, error) {
	var keep []int32
	if seg.DeletedRows > 0 {
		dv, err := r.segmentDeletions(seg)
		if err != nil {
			return nil, err
		}
		keep = liveSelection(dv, r.groupStart(g)+first, rows)
	}
	if r.deleted.empty() {
		return keep, nil
	}
	if keep != nil {
		out := keep[:0]
		for _, i := range keep {
			if !r.deleted.has(ids[i]) {
				out = append(out, i)
			}
		}
		return out, nil
	}
	dead := false
	for i, id := range ids {
		if r.deleted.has(id) {
			if !dead {
				dead = true
				keep = make([]int32, i, len(ids))
				for j := range keep {
					keep[j] = int32(j)
				}
			}
			continue
		}
		if dead {
			keep = append(keep, int32(i))
		}
	}
	return keep, nil
}

// segmentDeletions returns the deletion vector of seg, the current
// segment, loading it on first use.
func (r *scanReader) segmentDeletions(seg *Segment) (*roaring.Bitmap, error) {
	if r.dvSeg != seg {
		dv, err := r.store.deletedPositions(r.ts.prefix, seg)
		if err != nil {
			return nil, err
		}
		r.dvSeg, r.dv = seg, dv
	}
	return r.dv, nil
}

// dropDeletedRanges removes from rr's narrowed ranges those whose every
// row seg's deletion vector deletes, before the remaining columns are
// decoded: a point lookup of a key updated since the segment was written
// finds its old version there, and would otherwise decode every column
// of the row only to drop it. Ranges with some live row stay whole; the
// rows deleted in them are dropped after decoding (liveRangeRows). The
// columns rr already holds for the ranges (narrowing's and dictionary
// filters') are cut to the rows of the ranges kept.
func (r *scanReader) dropDeletedRanges(seg *Segment, g int, rr *rowGroupReader) error {
	if len(rr.ranges) == 0 || seg.DeletedRows == 0 {
		return nil
	}
	dv, err := r.segmentDeletions(seg)
	if err != nil {
		return err
	}
	start := uint64(r.groupStart(g))
	var kept []rowRange
	for i, x := range rr.ranges {
		if !allDeleted(dv, start+uint64(x.lo), start+uint64(x.hi)) {
			if kept != nil {
				kept = append(kept, x)
			}
		} else if kept == nil {
			kept = append(make([]rowRange, 0, len(rr.ranges)-1), rr.ranges[:i]...)
		}
	}
	if kept == nil {
		return nil
	}
	if rr.narrowed != nil || len(rr.selected) > 0 {
		keep := make([]int32, 0, rangeRows(kept))
		pos, k := int32(0), 0
		for _, x := range rr.ranges {
			n := int32(x.hi - x.lo)
			if k < len(kept) && kept[k] == x {
				for i := range n {
					keep = append(keep, pos+i)
				}
				k++
			}
			pos += n
		}
		rr.narrowKept(keep)
	}
	rr.ranges = kept
	return nil
}

// groupStart is the position in the current segment file of the first row
// of its row group g.
func (r *scanReader) groupStart(g int) int64 { return r.file.groupStarts[g] }
