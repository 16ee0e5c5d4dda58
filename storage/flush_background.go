package storage

import (
	"fmt"
	"log/slog"
	"math"
	"slices"

	"github.com/pqdb/pqdb/catalog"
)

// Flushes written off the writer.
//
// A flush the writer starts on its own (a tail outgrew Options.FlushRows
// or maxTailBatches) spends most of its time sorting and encoding the
// tail's rows into Parquet and syncing the files. Run on the writer, it
// held up every commit of the namespace: in pgbench's TPC-B a quarter of
// the writer's time, while sessions holding row locks waited for their
// commits. So the writer only starts it: it hands the current published
// state, which is immutable, to a goroutine that writes the segments,
// index files, deletion vectors and event file of that state's tail
// (writeFlushFiles, step 1 of flushTable), while the writer goes on
// committing. The goroutine sends the unpublished manifest back, and the
// writer publishes it between two commit groups (step 2), with the state
// whose tail keeps what was committed meanwhile: the commits after the
// manifest's FlushedSeq, a suffix of the tail, since commits only append
// to it. Their deletions hide rows of the new segments by id, as any
// tail deletion hides a segment's rows; the tail's key indexes are
// rebuilt from that suffix.
//
// At most one flush per table is in flight. Whatever else publishes a
// table's manifest or flushes it on the writer waits for the flushes in
// flight first (awaitFlushes): synchronous flushes (CHECKPOINT, VACUUM,
// ANALYZE, Close), bulk commits, commits with catalog changes, and the
// requests run on the writer (compaction swaps, cross-schema parts,
// dropping the schema), except those that touch no manifest
// (doBesideFlushes: storing a sequence's position, building a key
// index), which a flush of a few hundred milliseconds would hold up.
// So a flush finds its table's manifest as it left it; should it not
// (flushStillApplies), it is not published: its files are removed and
// the table, still overdue, is flushed again. The commit log keeps the
// commits of every unflushed tail (oldestTailSeq), whose times the
// event files record. A crash before the publication leaves files no
// manifest names, which open sweeps, and the events, which it replays;
// after it, the order of flushTable holds.

// backgroundFlush is the outcome of a flush written off the writer.
type backgroundFlush struct {
	id   int64
	from *nsState  // the state whose tail was written
	m    *Manifest // the manifest naming the files; nil if the tail was empty
	err  error
}

// flushWrittenHook, set by tests, runs when a background flush has
// written its files, before the writer gets its manifest.
var flushWrittenHook func(ns *namespace, m *Manifest)

// startFlush starts writing table id's tail off the writer, unless a
// flush of it is in flight already (writer goroutine).
func (ns *namespace) startFlush(id int64) {
	if ns.flushing[id] {
		return
	}
	if ns.frozen != nil { // no manifest may be published
		ns.flushFailed(id, ns.frozen)
		return
	}
	st := ns.state.Load()
	ns.flushing[id] = true
	go func() {
		var m *Manifest
		err := catchPanic(func() (err error) {
			atPanicSite(siteFlushWrite)
			m, err = ns.writeFlushFiles(st, id, ns.loggedCommit)
			return err
		})
		if hook := flushWrittenHook; hook != nil {
			hook(ns, m)
		}
		ns.flushWritten <- &backgroundFlush{id: id, from: st, m: m, err: err}
	}()
}

// awaitFlushes waits for every flush in flight and publishes it (writer
// goroutine).
func (ns *namespace) awaitFlushes() {
	for len(ns.flushing) > 0 {
		ns.finishFlush(<-ns.flushWritten)
	}
}

// abandonFlushes waits for the flushes in flight and publishes none of
// them, removing their files: the writer stops.
func (ns *namespace) abandonFlushes() {
	for len(ns.flushing) > 0 {
		ns.abandonFlush(<-ns.flushWritten)
	}
}

// abandonFlush ends the flush f without publishing it: its files go.
func (ns *namespace) abandonFlush(f *backgroundFlush) {
	delete(ns.flushing, f.id)
	if f.m != nil {
		ns.discardFlush(f.from.byID[f.id], f.m)
	}
}

// finishFlush publishes the flush f, written off the writer, if its table
// is still as f found it apart from later commits, else removes its
// files (writer goroutine).
func (ns *namespace) finishFlush(f *backgroundFlush) {
	delete(ns.flushing, f.id)
	if f.err != nil {
		ns.flushFailed(f.id, f.err)
		return
	}
	if f.m == nil {
		ns.flushSucceeded(f.id)
		return
	}
	cur := ns.state.Load()
	if !flushStillApplies(f.from, cur, f.id) || ns.frozen != nil {
		ns.discardFlush(f.from.byID[f.id], f.m)
		return
	}
	nst, err := ns.publishFlushedPrefix(f.from, cur, f.id, f.m)
	if err != nil {
		ns.flushFailed(f.id, err)
		return
	}
	ns.flushedPrefix(nst, f.id)
	ns.settleFlush(f.id)
	ns.noteFlushedEvents()
	ns.collectHistory([]int64{f.id})
	ns.flushSucceeded(f.id)
}

// flushStillApplies reports whether a flush of table id written from
// state from may be published on cur: the table is the same, with the
// same manifest and indexes, and its tail is from's followed by later
// commits.
func flushStillApplies(from, cur *nsState, id int64) bool {
	fts, cts := from.byID[id], cur.byID[id]
	if fts == nil || cts == nil || fts.table != cts.table || fts.manifest != cts.manifest {
		return false
	}
	if !sameIndexesOf(from, cur, fts.table) {
		return false
	}
	n, d := len(fts.inserts), len(fts.deletes)
	if len(cts.inserts) < n || len(cts.deletes) < d {
		return false
	}
	if n > 0 && cts.inserts[n-1].rec != fts.inserts[n-1].rec {
		return false
	}
	if d > 0 && !sameDeletes(cts.deletes[d-1:d], fts.deletes[d-1:d]) {
		return false
	}
	return true
}

// sameIndexesOf reports whether table has the same indexes in a and b.
func sameIndexesOf(a, b *nsState, table *catalog.Table) bool {
	x, y := indexesOf(a, table), indexesOf(b, table)
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if x[i] != y[i] {
			return false
		}
	}
	return true
}

// publishFlushedPrefix publishes m, written from state from, and returns
// cur with table id's manifest m and its tail cut to the commits after
// from: step 2 of flushTable for a flush written off the writer.
func (ns *namespace) publishFlushedPrefix(from, cur *nsState, id int64, m *Manifest) (*nsState, error) {
	fts, cts := from.byID[id], cur.byID[id]
	if err := ns.store.objects.publishManifest(cts.prefix, m); err != nil {
		return nil, fmt.Errorf("flush %s.%s: publish manifest: %w", ns.name, cts.table.Name, err)
	}
	m.decode(cts.table)
	nts := *cts
	nts.manifest = m
	nts.inserts = slices.Clip(cts.inserts[len(fts.inserts):])
	nts.deletes = slices.Clip(cts.deletes[len(fts.deletes):])
	nts.tailRows = cts.tailRows - fts.tailRows
	if len(nts.inserts) == 0 {
		nts.inserts = nil
	}
	if len(nts.deletes) == 0 {
		nts.deletes = nil
	}
	nst := cur.clone()
	nst.tables[nts.table.Name] = &nts
	nst.byID[id] = &nts
	return nst, nil
}

// flushedPrefix publishes nst, in which a prefix of table id's tail was
// flushed, with the table's tail key indexes rebuilt from the rest of
// the tail, at once for key lookups as flushedTail does (writer
// goroutine, no commit in flight). An index that cannot be rebuilt is
// dropped, to be built again on its next use.
func (ns *namespace) flushedPrefix(nst *nsState, id int64) {
	ts := nst.byID[id]
	rebuilt := map[string]*keyIndex{}
	ns.keyMu.RLock()
	for sig, idx := range ns.keys[id] {
		if idx.whole {
			continue
		}
		fresh := idx.emptied()
		if err := fresh.replay(ts.inserts, ts.deletes, len(ts.table.Columns)); err != nil {
			fresh = nil
		}
		rebuilt[sig] = fresh
	}
	ns.keyMu.RUnlock()
	ns.keyMu.Lock()
	defer ns.keyMu.Unlock()
	ns.state.Store(nst)
	for sig, idx := range rebuilt {
		if idx == nil {
			delete(ns.keys[id], sig)
		} else {
			ns.keys[id][sig] = idx
		}
	}
}

// discardFlush removes the files a flush of ts's tail wrote for manifest
// m, which will not be published.
func (ns *namespace) discardFlush(ts *tableState, m *Manifest) {
	kept, written := map[string]bool{}, map[string]bool{}
	ts.manifest.dataFiles(kept, true)
	m.dataFiles(written, true)
	for file := range written {
		if !kept[file] {
			if err := ns.store.objects.remove(tableFile(ts.prefix, file)); err != nil {
				slog.Warn("removing an unpublished flush's file failed", "schema", ns.name, "file", file, "err", err)
			}
		}
	}
}

// oldestTailSeq is the seq of the oldest commit in a table's unflushed
// tail, or past st.seq when every tail is empty: the commit log keeps the
// commits from there on for the flushes' event files.
func (st *nsState) oldestTailSeq() uint64 {
	oldest := st.seq + 1
	for _, ts := range st.byID {
		oldest = min(oldest, ts.oldestTailSeq())
	}
	return oldest
}

// oldestTailSeq is the seq of ts's oldest unflushed batch, or the
// largest seq when its tail is empty.
func (ts *tableState) oldestTailSeq() uint64 {
	oldest := uint64(math.MaxUint64)
	if len(ts.inserts) > 0 {
		oldest = ts.inserts[0].seq
	}
	if len(ts.deletes) > 0 {
		oldest = min(oldest, ts.deletes[0].seq)
	}
	return oldest
}
