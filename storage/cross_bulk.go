package storage

import (
	"os"
	"path/filepath"
)

// Cross-schema parts with spilled rows.
//
// A transaction that spilled rows (pending_spill.go) and commits to
// several schemas keeps them spilled through its parts
// (cross_commit.go), as a bulk commit does (bulk_commit.go): prepare
// checks their keys and persist logs them one batch at a time. Then the
// part's writer, still holding the part, writes the flush of each table
// with spilled rows (writeFlush: segments, index, deletion and event
// files, no manifest yet) before it reports the part prepared, so the
// slow half of the flush runs before the decision and outside the
// store's publish lock. On commit it publishes those manifests
// (publishFlush) before the state, so the state published has the
// tables flushed and never holds a spilled batch; on abort it removes
// the files it wrote. A crash before the decision leaves the files
// unreferenced, which open sweeps; after it, open commits the part and
// replays its events (replay_spill.go). A flush that could not be
// written or published reads the rows into the tail instead
// (keepSpilledInTail), to be flushed again later.

// partFlush is the flush written for one table of a prepared part: its
// manifest, or why it could not be written.
type partFlush struct {
	tc  *tableCommit
	m   *Manifest
	err error
}

// writePartFlushes writes the flushes of pc's tables with spilled rows
// from the state pc leads to.
func (ns *namespace) writePartFlushes(pc *preparedCommit) []partFlush {
	var out []partFlush
	meta := ns.metaWith(pc)
	for _, tc := range pc.req.c.tables {
		if len(tc.spilled) == 0 {
			continue
		}
		m, err := ns.writeFlush(pc.nst, tc.table.ID, meta)
		out = append(out, partFlush{tc: tc, m: m, err: err})
	}
	if len(out) > 0 {
		ns.store.stats.bulkCommits.Add(1)
	}
	return out
}

// publishPartFlushes publishes the flushes of a committed part on cur,
// the state it leads to, and returns the state with those tables
// flushed.
func (ns *namespace) publishPartFlushes(cur *nsState, flushes []partFlush) (*nsState, []bulkFlushed, error) {
	var flushed []bulkFlushed
	for _, f := range flushes {
		id := f.tc.table.ID
		err := f.err
		if err == nil {
			var nst *nsState
			var m *Manifest
			if nst, m, err = ns.publishFlush(cur, id, f.m); err == nil {
				cur = nst
				flushed = append(flushed, bulkFlushed{id, m})
				continue
			}
		}
		if cur, err = ns.keepSpilledInTail(cur, f.tc, err); err != nil {
			return nil, nil, err
		}
	}
	return cur, flushed, nil
}

// discardPartFlushes removes the files written for the flushes of a part
// that did not commit; st is the state the part was prepared on.
func (ns *namespace) discardPartFlushes(st *nsState, flushes []partFlush) {
	for _, f := range flushes {
		ts := st.byID[f.tc.table.ID]
		if f.m == nil || ts == nil {
			continue
		}
		kept, written := map[string]bool{}, map[string]bool{}
		ts.manifest.dataFiles(kept, true)
		f.m.dataFiles(written, true)
		for file := range written {
			if !kept[file] {
				os.Remove(filepath.Join(ts.dir, file))
			}
		}
	}
}
