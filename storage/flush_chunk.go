package storage

import (
	"runtime"
	"slices"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/pgerr"
)

// Flush chunks.
//
// A flush writes a table's live tail rows in chunks (flushedState), each
// sorted into a segment of its own, and holds a chunk's records in memory
// until its segment is written. A chunk ends at Options.FlushRows rows or
// flushChunkBytes of Arrow data, whichever comes first: the row count
// alone let a chunk of wide rows hold gigabytes.
//
// Rows usually arrive in segment order already (a bulk load in key order;
// row ids, which order a table without a key, only grow), if not always
// record after record: when each record is in order and no two
// interleave, the chunk is written from its records as they are, put in
// order, never concatenated into one record and gathered in order, which
// held the chunk twice more. A table with index files still gets the
// concatenation, which writeIndexFiles takes. So does a chunk of less
// than orderedChunkBytes: concatenating it costs little, while proving its
// records in order compares rows pairwise, each comparison building a
// two-row record, which for a tail of many one-row commits (pgbench's
// TPC-B flushes 256 of them at a time) cost the writer, and every commit
// queued behind it, more than the flush's writes.

// flushChunkBytes is the most Arrow data of live rows a flush chunk holds
// (tests lower it).
var flushChunkBytes int64 = 32 << 20

// orderedChunkBytes is the least Arrow data of a flush chunk written from
// its records as they are, when they are in order: a fraction of a whole
// chunk, so that tests lowering flushChunkBytes reach that path too.
func orderedChunkBytes() int64 { return flushChunkBytes / 8 }

// chunkFull reports whether the live records of a flush chunk, rows rows
// and bytes bytes of Arrow data (recordBytes) in all, make a whole chunk.
func (ns *namespace) chunkFull(rows int, bytes int64) bool {
	return rows >= ns.store.opts.FlushRows || bytes >= flushChunkBytes
}

// recordsBytes is the Arrow data of recs, as recordBytes counts it.
func recordsBytes(recs []arrow.Record) int64 {
	var n int64
	for _, rec := range recs {
		n += recordBytes(rec)
	}
	return n
}

// writeChunkSegment writes the live rows of a flush chunk of table ts in
// state st, in segment order, to the new segment file (relative to the
// table's prefix) with its index files, and returns its description.
func (ns *namespace) writeChunkSegment(st *nsState, ts *tableState, file string, live []arrow.Record) (*Segment, error) {
	key := tableFile(ts.prefix, file)
	indexes := indexesOf(st, ts.table)
	if len(indexes) == 0 && recordsBytes(live) >= orderedChunkBytes() {
		ordered, err := inSegmentOrder(ts, live)
		if err != nil {
			return nil, err
		}
		if ordered != nil {
			seg, err := writeSegment(ns.store.objects, key, ts.table, ordered, ns.store.opts.RowGroupRows, tableIndexes(st, ts.table)...)
			if err != nil {
				return nil, err
			}
			seg.File = file
			return seg, nil
		}
	}
	rows, err := sortRows(ts.table, ts.schema, live)
	if err != nil {
		return nil, err
	}
	defer rows.Release()
	seg, err := writeSegment(ns.store.objects, key, ts.table, []arrow.Record{rows}, ns.store.opts.RowGroupRows, tableIndexes(st, ts.table)...)
	if err != nil {
		return nil, err
	}
	seg.File = file
	if err := writeIndexFiles(ns.store.objects, ts.prefix, ts.table, indexes, seg, rows); err != nil {
		return nil, err
	}
	return seg, nil
}

// inSegmentOrder returns the records of recs with rows, in an order that
// puts all their rows in segment order (sortRows's), or nil if there is
// none: when a record is out of order itself, or two interleave. A bulk
// commit's tail puts the rows it held in memory, its last, before those
// it spilled, so the records are ordered by their first rows first.
func inSegmentOrder(ts *tableState, recs []arrow.Record) ([]arrow.Record, error) {
	// sortRows returns a single record itself when it is in order.
	ordered := func(rec arrow.Record) (bool, error) {
		out, err := sortRows(ts.table, ts.schema, []arrow.Record{rec})
		if err != nil {
			return false, err
		}
		defer out.Release()
		return out == rec, nil
	}
	// before reports whether row i of a is not after row j of b.
	before := func(a arrow.Record, i int64, b arrow.Record, j int64) (bool, error) {
		pair, err := rowPair(ts.schema, a, i, b, j)
		if err != nil {
			return false, err
		}
		defer pair.Release()
		return ordered(pair)
	}
	out := make([]arrow.Record, 0, len(recs))
	for _, rec := range recs {
		if rec.NumRows() == 0 {
			continue
		}
		if ok, err := ordered(rec); !ok || err != nil {
			return nil, err
		}
		// Insertion by first row: a chunk has a few records, mostly in
		// order already.
		at := len(out)
		for at > 0 {
			ok, err := before(out[at-1], 0, rec, 0)
			if err != nil {
				return nil, err
			}
			if ok {
				break
			}
			at--
		}
		out = slices.Insert(out, at, rec)
	}
	for i := 1; i < len(out); i++ {
		ok, err := before(out[i-1], out[i-1].NumRows()-1, out[i], 0)
		if !ok || err != nil {
			return nil, err
		}
	}
	return out, nil
}

// rowPair returns row i of a followed by row j of b.
func rowPair(schema *arrow.Schema, a arrow.Record, i int64, b arrow.Record, j int64) (arrow.Record, error) {
	cols := make([]arrow.Array, schema.NumFields())
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for c := range cols {
		x := array.NewSlice(a.Column(c), i, i+1)
		y := array.NewSlice(b.Column(c), j, j+1)
		col, err := concatArrays([]arrow.Array{x, y})
		x.Release()
		y.Release()
		if err != nil {
			return nil, err
		}
		cols[c] = col
	}
	return array.NewRecordBatch(schema, cols, 2), nil
}

// chunkWriteWorkers is how many of a flush's chunks are written at once.
// A segment's columns are encoded in parallel within a row group
// (segmentWriter.flushGroup), but each row group waits for its slowest
// column and is then written out alone, which kept a bulk commit of
// lineitem at about 1.4 cores; a second chunk fills those gaps. A flush
// then holds the records of three chunks at most, two being written and
// one being gathered; more writers would only hold more.
var chunkWriteWorkers = min(2, runtime.GOMAXPROCS(0))

// chunkWrites runs the writes of a flush's chunks, at most
// chunkWriteWorkers at once, and hands back their segments and event
// files in the order the chunks were submitted. Its methods are called
// from the flush's goroutine only.
type chunkWrites struct {
	slots   chan struct{}
	results []chan chunkWritten
	err     atomic.Bool // some write failed: submit no more
}

// chunkWritten is what one chunk's write produced.
type chunkWritten struct {
	seg *Segment // nil for a chunk without live rows
	efs []*EventFile
	err error
}

func newChunkWrites() *chunkWrites {
	return &chunkWrites{slots: make(chan struct{}, chunkWriteWorkers)}
}

// submit starts write once a slot is free.
func (w *chunkWrites) submit(write func() (*Segment, []*EventFile, error)) {
	done := make(chan chunkWritten, 1)
	w.results = append(w.results, done)
	w.slots <- struct{}{}
	go func() {
		defer func() { <-w.slots }()
		var r chunkWritten
		defer func() { done <- r }()
		defer func() {
			// A panic here would end the process, not the flush.
			if p := recover(); p != nil {
				r.err = pgerr.FromPanic(p)
			}
			if r.err != nil {
				w.err.Store(true)
			}
		}()
		r.seg, r.efs, r.err = write()
	}()
}

// submitted is how many writes were submitted.
func (w *chunkWrites) submitted() int { return len(w.results) }

// failed reports whether a write already failed, so the flush can stop
// reading its tail.
func (w *chunkWrites) failed() bool { return w.err.Load() }

// wait waits for every submitted write and returns their segments and
// event files in order, or the first error. Later calls return nothing.
func (w *chunkWrites) wait() ([]*Segment, []*EventFile, error) {
	var segs []*Segment
	var efs []*EventFile
	var errs []error
	for _, done := range w.results {
		r := <-done
		if r.err != nil {
			errs = append(errs, r.err)
			continue
		}
		if r.seg != nil {
			segs = append(segs, r.seg)
		}
		efs = append(efs, r.efs...)
	}
	w.results = nil
	if len(errs) > 0 {
		return nil, nil, errs[0]
	}
	return segs, efs, nil
}
