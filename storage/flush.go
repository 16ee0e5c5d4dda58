package storage

import (
	"fmt"
	"path/filepath"
	"slices"

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
//  4. delete the flushed events from SQLite.
//
// A crash before 2 leaves an unreferenced file and the events, which are
// replayed; a crash between 2 and 4 leaves events that the manifest's
// FlushedSeq marks as flushed, so open skips and removes them. A failure
// before 2 changes nothing.
func (ns *namespace) flushTable(id int64) error {
	st := ns.state.Load()
	ts := st.byID[id]
	if ts == nil || (len(ts.inserts) == 0 && len(ts.deletes) == 0) {
		return nil
	}
	old := ts.manifest
	m := &Manifest{
		Version:     old.Version + 1,
		TableID:     id,
		FlushedSeq:  st.seq,
		NextSegment: old.NextSegment,
	}

	// The deletions of the tail, by row id, with the latest deletion seq.
	deleted := make(map[int64]uint64)
	for _, d := range ts.deletes {
		for _, r := range d.ids {
			deleted[r] = max(deleted[r], d.seq)
		}
	}

	// Live tail rows: those not deleted after they were inserted.
	var live []arrow.Record
	defer func() {
		for _, r := range live {
			r.Release()
		}
	}()
	ncol := len(ts.table.Columns)
	for _, ins := range ts.inserts {
		ids := ins.rec.Column(ncol).(*array.Int64).Int64Values()
		keep := liveRows(ids, ins.seq, deleted)
		switch {
		case keep == nil:
			ins.rec.Retain()
			live = append(live, ins.rec)
		case len(keep) > 0:
			live = append(live, takeRecord(ins.rec, keep))
		}
	}

	segments := make([]*Segment, 0, len(old.Segments)+1)
	if len(deleted) > 0 {
		marked, err := ns.markDeleted(ts, deleted)
		if err != nil {
			return err
		}
		segments = append(segments, marked...)
	} else {
		segments = append(segments, old.Segments...)
	}

	if len(live) > 0 {
		file := filepath.Join(segmentDataDir, fmt.Sprintf("%06d.parquet", m.NextSegment))
		m.NextSegment++
		seg, err := writeSegment(filepath.Join(ts.dir, file), ts.table, live, ns.store.opts.RowGroupRows)
		if err != nil {
			return fmt.Errorf("flush %s.%s: %w", ns.name, ts.table.Name, err)
		}
		seg.File = file
		segments = append(segments, seg)
	}
	m.Segments = segments
	if err := publishManifest(ts.dir, m); err != nil {
		return fmt.Errorf("flush %s.%s: publish manifest: %w", ns.name, ts.table.Name, err)
	}
	m.decode(ts.table)

	nts := *ts
	nts.manifest = m
	nts.inserts, nts.deletes, nts.tailRows = nil, nil, 0
	nst := st.clone()
	nst.tables[ts.table.Name] = &nts
	nst.byID[id] = &nts
	ns.state.Store(nst)
	ns.store.stats.flushes.Add(1)

	ns.pruneDeletes(id)
	// Best effort: if this fails the manifest still marks them flushed.
	ns.db.Exec(`DELETE FROM events WHERE table_id = ? AND seq <= ? AND op IN (?, ?)`, id, m.FlushedSeq, opInsert, opDelete)
	return nil
}

// liveRows returns the positions of ids not deleted after insertSeq, or
// nil when every row is live.
func liveRows(ids []int64, insertSeq uint64, deleted map[int64]uint64) []int32 {
	if len(deleted) == 0 {
		return nil
	}
	var keep []int32
	dead := false
	for i, r := range ids {
		if d, ok := deleted[r]; ok && d > insertSeq {
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
	if !dead {
		return nil
	}
	if keep == nil {
		keep = []int32{}
	}
	return keep
}

// markDeleted returns the table's segments with the deleted row ids added
// to the delete markers of the segment holding their live version. Only
// segments whose row-id range covers a deleted id are read.
func (ns *namespace) markDeleted(ts *tableState, deleted map[int64]uint64) ([]*Segment, error) {
	old := ts.manifest.Segments
	out := make([]*Segment, len(old))
	copy(out, old)
	if len(old) == 0 {
		return out, nil
	}
	sorted := make([]int64, 0, len(deleted))
	for r := range deleted {
		sorted = append(sorted, r)
	}
	slices.Sort(sorted)
	for i, seg := range old {
		lo, _ := slices.BinarySearch(sorted, seg.MinRowID)
		if lo == len(sorted) || sorted[lo] > seg.MaxRowID {
			continue
		}
		sf, err := ns.store.files.open(filepath.Join(ts.dir, seg.File))
		if err != nil {
			return nil, err
		}
		leaf, ok := sf.leaves[rowIDColumn]
		if !ok {
			return nil, fmt.Errorf("segment %s has no %s column", seg.File, rowIDColumn)
		}
		var hits []int64
		for _, rg := range sf.pf.RowGroups() {
			ids, err := readRowIDs(rg, leaf)
			if err != nil {
				return nil, err
			}
			for _, r := range ids {
				if _, ok := deleted[r]; ok {
					if _, gone := slices.BinarySearch(seg.Deleted, r); !gone {
						hits = append(hits, r)
					}
				}
			}
		}
		if len(hits) == 0 {
			continue
		}
		ns2 := *seg
		ns2.Deleted = mergeSorted(seg.Deleted, hits)
		out[i] = &ns2
	}
	return out, nil
}

// mergeSorted returns the sorted union of a (sorted) and b.
func mergeSorted(a, b []int64) []int64 {
	out := make([]int64, 0, len(a)+len(b))
	out = append(out, a...)
	out = append(out, b...)
	slices.Sort(out)
	return slices.Compact(out)
}

// pruneDeletes forgets deletion seqs that no transaction can conflict
// with any more: those at or below every active transaction's base.
func (ns *namespace) pruneDeletes(table int64) {
	m := ns.lastDelete[table]
	if len(m) == 0 {
		return
	}
	cutoff := ns.store.oldestBase(ns.name, ns.state.Load().seq)
	ns.lastDeleteMu.Lock()
	defer ns.lastDeleteMu.Unlock()
	for r, seq := range m {
		if seq <= cutoff {
			delete(m, r)
		}
	}
}
