package storage

import (
	"fmt"
	"path"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// flushTable materializes the unflushed tail of a table (runs on the
// writer goroutine). The order of the steps is what makes it crash safe:
//
//  1. write the live tail rows to a new segment file and sync it;
//  2. publish a manifest that lists it, adds the tail's deletions as
//     delete markers of older segments, and records FlushedSeq = the
//     namespace's current seq;
//  3. publish the new in-memory state (empty tail);
//  4. delete the flushed events from SQLite (the event file written
//     before 2 keeps them for history), in the next commit's SQLite
//     transaction (flushed_events.go).
//
// A crash before 2 leaves an unreferenced file and the events, which are
// replayed; a crash between 2 and 4 leaves events that the manifest's
// FlushedSeq marks as flushed, so open skips and removes them. A failure
// before 2 changes nothing.
func (ns *namespace) flushTable(id int64) error {
	ns.awaitFlushes() // one in flight would publish the same manifest version
	nst, _, err := ns.flushedState(ns.state.Load(), id, ns.loggedCommit)
	if err != nil || nst == nil {
		return err
	}
	ns.flushedTail(nst, id)
	ns.settleFlush(id)
	ns.noteFlushedEvents()
	ns.collectHistory([]int64{id})
	return nil
}

// afterFlush finishes a flush of table id whose state, with manifest m,
// is published: compaction, pruning of deletion seqs, the flushed events'
// removal from SQLite, at once, and history collection.
func (ns *namespace) afterFlush(id int64, m *Manifest) {
	ns.settleFlush(id)
	// Best effort: if this fails the manifest still marks them flushed,
	// and the event file holds them.
	deleteFlushedEvents(ns.db, id, m.FlushedSeq)
	ns.collectHistory([]int64{id})
}

// settleFlush counts a published flush of table id, starts a compaction
// if the table needs one and prunes its deletion seqs.
func (ns *namespace) settleFlush(id int64) {
	ns.store.stats.flushes.Add(1)
	ns.compactAfterFlush(id)
	ns.pruneDeletes(id)
}

// flushedState writes the tail of table id in state st to segments and
// event files, publishes the manifest listing them (steps 1 and 2 of
// flushTable) and returns st with the table's tail emptied, not yet
// published, and the manifest; nil if the tail is empty. meta gives the
// commits' times and transaction ids for the event files.
//
// The live tail rows are written in chunks of about Options.FlushRows
// rows or fewer (flush_chunk.go), each sorted into its own segment with
// its own event file (all covering the same seqs), so a tail far larger
// than FlushRows (a bulk commit's, whose batches are in a spill file:
// bulk_commit.go) is never in memory at once.
func (ns *namespace) flushedState(st *nsState, id int64, meta func(uint64) (commitMeta, bool)) (*nsState, *Manifest, error) {
	m, err := ns.writeFlush(st, id, meta)
	if err != nil || m == nil {
		return nil, nil, err
	}
	return ns.publishFlush(st, id, m)
}

// writeFlush is step 1 of flushTable: it writes the tail of table id in
// state st to segments, index and event files, and returns the manifest
// listing them, not yet published (nil if the tail is empty). A
// cross-schema part writes its flush so before its decision, and
// publishes it after (bulk_commit.go, cross-schema parts).
func (ns *namespace) writeFlush(st *nsState, id int64, meta func(uint64) (commitMeta, bool)) (*Manifest, error) {
	if ns.frozen != nil { // it could not be published
		return nil, ns.frozen
	}
	return ns.writeFlushFiles(st, id, meta)
}

// writeFlushFiles is writeFlush without the writer's checks: it reads
// only st, which is immutable, and the store, so it also runs off the
// writer (flush_background.go).
func (ns *namespace) writeFlushFiles(st *nsState, id int64, meta func(uint64) (commitMeta, bool)) (_ *Manifest, err error) {
	defer ns.store.stats.timed(&ns.store.stats.flushNanos)()
	defer func() {
		if err != nil {
			ns.store.objects.noteFailedJob() // its files may remain (orphan_sweep.go)
		}
	}()
	ts := st.byID[id]
	if ts == nil || (len(ts.inserts) == 0 && len(ts.deletes) == 0) {
		return nil, nil
	}
	old := ts.manifest
	m := &Manifest{
		Version:     old.Version + 1,
		TableID:     id,
		FlushedSeq:  st.seq,
		NextSegment: old.NextSegment,
	}

	// The deletions of the tail, by row id, with the latest deletion seq.
	deleted := newDeletionSeqs(ts.deletes)
	deleted.freeze() // read by the chunks' writes and markDeleted at once

	// The older segments' new deletion vectors are written while the
	// chunks are: the files are independent, and each write waits on its
	// own fsyncs, which on the writer every queued commit waits for too.
	// No return leaves markDeleted running: a retry would write the same
	// files.
	type markedSegments struct {
		segs []*Segment
		err  error
	}
	marking := make(chan markedSegments, 1)
	go func() {
		var segs []*Segment
		err := catchPanic(func() (err error) {
			atPanicSite(siteFlushMarks)
			segs, err = ns.markDeleted(ts, deleted, m.Version)
			return err
		})
		marking <- markedSegments{segs, err}
	}()
	var marked *markedSegments
	awaitMarked := func() markedSegments {
		if marked == nil {
			r := <-marking
			marked = &r
		}
		return *marked
	}
	defer awaitMarked()
	// A chunk: the inserted batches (for the event file) and their live
	// rows: those not deleted after they were inserted (for the segment).
	// Chunks are written concurrently (chunkWrites), their files named
	// here, in order.
	var batch []tailInsert
	var live []arrow.Record
	var liveRowsN int
	var liveBytes int64
	dels := ts.deletes
	writes := newChunkWrites()
	defer func() { writes.wait() }()
	defer func() { releaseTail(batch); releaseAll(live) }()
	writeChunk := func() {
		chunkBatch, chunkLive, chunkDels := batch, live, dels
		batch, live, liveRowsN, liveBytes, dels = nil, nil, 0, 0, nil
		if len(chunkBatch) == 0 && len(chunkDels) == 0 && writes.submitted() > 0 {
			releaseAll(chunkLive)
			return
		}
		var file string
		if len(chunkLive) > 0 {
			file = path.Join(segmentDataDir, fmt.Sprintf("%06d-%s.parquet", m.NextSegment, newFileTag()))
			m.NextSegment++
		}
		writes.submit(func() (seg *Segment, efs []*EventFile, err error) {
			defer func() { releaseTail(chunkBatch); releaseAll(chunkLive) }()
			if file != "" {
				if seg, err = ns.writeChunkSegment(st, ts, file, chunkLive); err != nil {
					return nil, nil, fmt.Errorf("flush %s.%s: %w", ns.name, ts.table.Name, err)
				}
			}
			// One commit's rows all in seg are not written again (event_files.go).
			if efs, err = ns.writeChunkEvents(ts, chunkBatch, chunkDels, seg, m.Version, old.FlushedSeq, m.FlushedSeq, meta); err != nil {
				return seg, nil, fmt.Errorf("flush %s.%s: events: %w", ns.name, ts.table.Name, err)
			}
			return seg, efs, nil
		})
	}
	ncol := len(ts.table.Columns)
	for _, ins := range ts.inserts {
		if writes.failed() {
			break
		}
		rec, err := ins.load()
		if err != nil {
			return nil, fmt.Errorf("flush %s.%s: %w", ns.name, ts.table.Name, err)
		}
		batch = append(batch, tailInsert{seq: ins.seq, rec: rec})
		keep := liveRows(rec.Column(ncol).(*array.Int64).Int64Values(), ins.seq, scanDeletions{committed: deleted})
		switch {
		case keep == nil:
			rec.Retain()
			live = append(live, rec)
			liveRowsN += int(rec.NumRows())
			liveBytes += recordBytes(rec)
		case len(keep) > 0:
			live = append(live, takeRecord(rec, keep))
			liveRowsN += len(keep)
			liveBytes += recordBytes(live[len(live)-1])
		}
		if ns.chunkFull(liveRowsN, liveBytes) {
			writeChunk()
		}
	}
	if !writes.failed() {
		writeChunk()
	}
	segments, events, err := writes.wait()
	if err != nil {
		return nil, err
	}
	events = append(slices.Clip(old.Events), events...)
	mk := awaitMarked()
	if mk.err != nil {
		return nil, mk.err
	}
	segments = append(append(make([]*Segment, 0, len(mk.segs)+len(segments)), mk.segs...), segments...)
	segments, _, err = ns.completeIndexFiles(ts, indexesOf(st, ts.table), segments)
	if err != nil {
		return nil, err
	}
	m.Segments = segments
	m.Events = events
	return m, nil
}

// publishFlush is step 2 of flushTable: it publishes m, written by
// writeFlush from st, and returns st with table id's tail emptied, not
// yet published.
func (ns *namespace) publishFlush(st *nsState, id int64, m *Manifest) (*nsState, *Manifest, error) {
	ts := st.byID[id]
	if ns.frozen != nil {
		return nil, nil, ns.frozen
	}
	if err := ns.store.objects.publishManifest(ts.prefix, m); err != nil {
		return nil, nil, fmt.Errorf("flush %s.%s: publish manifest: %w", ns.name, ts.table.Name, err)
	}
	m.decode(ts.table)

	nts := *ts
	nts.manifest = m
	nts.inserts, nts.deletes, nts.tailRows = nil, nil, 0
	nst := st.clone()
	nst.tables[ts.table.Name] = &nts
	nst.byID[id] = &nts
	return nst, m, nil
}

// liveRows returns the positions of ids not deleted after insertSeq, or
// nil when every row is live.
func liveRows(ids []int64, insertSeq uint64, deleted scanDeletions) []int32 {
	if deleted.empty() {
		return nil
	}
	var keep []int32
	dead := false
	for i, r := range ids {
		if deleted.deletedAfter(r, insertSeq) {
			if !dead && i > 0 {
				keep = make([]int32, i, len(ids))
				for j := range keep {
					keep[j] = int32(j)
				}
			}
			dead = true
			continue
		}
		if dead {
			if keep == nil {
				keep = make([]int32, 0, len(ids)-i)
			}
			keep = append(keep, int32(i))
		}
	}
	if !dead {
		return nil
	}
	if keep == nil {
		// Every row is dead (an OLTP batch of one updated row): nothing
		// to allocate.
		return noLiveRows
	}
	return keep
}

// noLiveRows is liveRows' answer for a batch whose rows are all dead.
var noLiveRows = []int32{}

// markDeleted returns the table's segments for manifest version: a
// segment holding the live version of a deleted row id gets a new
// deletion vector file with the row's position added; the others keep
// theirs. Only segments whose row-id range covers a deleted id are read.
// A segment still carrying a legacy list of deleted row ids gets its
// first deletion vector file, so manifests are written in the new form
// only.
func (ns *namespace) markDeleted(ts *tableState, deleted *deletionSeqs, version int64) ([]*Segment, error) {
	old := ts.manifest.Segments
	out := make([]*Segment, len(old))
	copy(out, old)
	for i, seg := range old {
		covers := deleted.anyIn(seg.MinRowID, seg.MaxRowID)
		if !covers && len(seg.LegacyDeleted) == 0 {
			continue
		}
		prev, err := ns.store.deletedPositions(ts.prefix, seg)
		if err != nil {
			return nil, err
		}
		var hits []uint32
		if covers {
			if hits, err = ns.newlyDeleted(ts, seg, deleted, prev); err != nil {
				return nil, err
			}
		}
		if len(hits) == 0 && len(seg.LegacyDeleted) == 0 {
			continue
		}
		bm := prev.Clone()
		bm.AddMany(hits)
		if out[i], err = ns.store.objects.withDeletionVector(ts.prefix, seg, version, bm); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// newlyDeleted returns the positions in seg of the rows of ts's tail
// deletions (deleted indexes them) that prev, its deletion vector, does
// not hold yet. A segment whose row at position p has id MinRowID+p (a
// load in key order, whose ids grow with the key) maps each deleted id to
// its position; any other is read whole, its ids looked up one by one:
// for pgbench's accounts that cost each flush of a few hundred deletions
// a million-row read, on the writer, which every commit waited behind.
func (ns *namespace) newlyDeleted(ts *tableState, seg *Segment, deleted *deletionSeqs, prev *roaring.Bitmap) ([]uint32, error) {
	dense, err := ns.rowIDsDense(ts, seg)
	if err != nil {
		return nil, err
	}
	var hits []uint32
	if dense {
		for _, d := range ts.deletes {
			from, _ := slices.BinarySearch(d.ids, seg.MinRowID)
			for _, r := range d.ids[from:] {
				if r > seg.MaxRowID {
					break
				}
				if pos := uint32(r - seg.MinRowID); !prev.Contains(pos) {
					hits = append(hits, pos)
				}
			}
		}
		return hits, nil // an id deleted twice is added to the bitmap once
	}
	ids, err := segmentRowIDs(ns.store, ts.prefix, seg)
	if err != nil {
		return nil, err
	}
	for pos, r := range ids {
		if deleted.has(r) && !prev.Contains(uint32(pos)) {
			hits = append(hits, uint32(pos))
		}
	}
	return hits, nil
}

// rowIDsDense reports whether the row at each position p of seg has id
// seg.MinRowID+p: as its manifest entry says, else (a segment written
// before the entry said so) learned by reading its ids once per segment
// file (a segment never changes).
func (ns *namespace) rowIDsDense(ts *tableState, seg *Segment) (bool, error) {
	if seg.DenseRowIDs {
		return true, nil
	}
	if seg.MaxRowID-seg.MinRowID+1 != seg.Rows {
		return false, nil
	}
	path := tableFile(ts.prefix, seg.File)
	ns.denseMu.Lock()
	dense, ok := ns.denseRowIDs[path]
	ns.denseMu.Unlock()
	if ok {
		return dense, nil
	}
	ids, err := segmentRowIDs(ns.store, ts.prefix, seg)
	if err != nil {
		return false, err
	}
	dense = int64(len(ids)) == seg.Rows
	for p, r := range ids {
		if r != seg.MinRowID+int64(p) {
			dense = false
			break
		}
	}
	ns.denseMu.Lock()
	ns.denseRowIDs[path] = dense
	ns.denseMu.Unlock()
	return dense, nil
}

// forgetSegment drops what the namespace remembers of the segment file
// at path, which history collection deletes.
func (ns *namespace) forgetSegment(path string) {
	ns.denseMu.Lock()
	delete(ns.denseRowIDs, path)
	ns.denseMu.Unlock()
}

// pruneDeletes forgets deletion seqs that no transaction can conflict
// with any more: those at or below every active transaction's base.
func (ns *namespace) pruneDeletes(table int64) {
	ld := ns.lastDelete[table]
	if ld.empty() {
		return
	}
	cutoff := ns.store.oldestBase(ns.name, ns.state.Load().seq)
	ns.lastDeleteMu.Lock()
	defer ns.lastDeleteMu.Unlock()
	ld.dropThrough(cutoff)
}
