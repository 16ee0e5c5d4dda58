package storage

import (
	"cmp"
	"fmt"
	"io"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/pgerr"
)

// Bulk commits.
//
// A transaction whose pending rows spilled (pending_spill.go) commits
// them without holding them in memory: its tableCommit lists the spilled
// batches (tableCommit.spilled) beside the rows still in memory, and the
// writer reads them back one batch at a time for each step:
//
//  1. prepare checks their keys batch by batch against other commits
//     (the transaction's own key checks already found duplicates among
//     its rows); it adds them to the committed key indexes only where an
//     index holds every row (a computed constraint's), since a plain
//     constraint's index holds only the tail, and these rows are
//     published flushed (a concurrent insert of one of the keys then
//     fails at its commit, as documented for keys);
//  2. persist logs them as insert events, one batch at a time, in the
//     commit's SQLite transaction as any commit's rows: the commit is
//     durable, and replayed after a crash, exactly as before;
//  3. before the commit is published, the table is flushed from the
//     prepared state, whose tail holds the spilled batches: flushedState
//     writes its live rows in sorted segments of about FlushRows rows or
//     flushChunkBytes (flush_chunk.go), with their event files, and
//     publishes the manifest; the state published then has the table
//     flushed, its tail empty, so no snapshot ever holds a spilled batch.
//
// A bulk commit is a group of its own, so the flush covers its seq and
// no later one. The flush follows the durable commit like any flush: a
// crash before its manifest is published replays the events (and open
// sweeps the unpublished files); after it, open drops the events the
// manifest covers. If the flush fails, the rows are read into the tail
// instead and the flush retried later, as for a failed flush.
//
// A transaction that commits to several schemas keeps its rows spilled
// too: each part's writer writes the flush before the decision and
// publishes it after (cross_bulk.go).

// bulk reports whether the commit holds spilled rows.
func (r *commitRequest) bulk() bool {
	return slices.ContainsFunc(r.c.tables, func(tc *tableCommit) bool { return len(tc.spilled) > 0 })
}

// eachSpilled calls fn with every spilled batch of tc, read back one at a
// time; fn must not keep rec.
func (tc *tableCommit) eachSpilled(fn func(rec arrow.Record) error) error {
	for _, b := range tc.spilled {
		rec, err := b.read()
		if err != nil {
			return pgerr.New(pgerr.IoError, "could not read pending rows of table %q: %v", tc.table.Name, err)
		}
		err = fn(rec)
		rec.Release()
		if err != nil {
			return err
		}
	}
	return nil
}

// goneRowsSpilled is goneRows for a commit with spilled rows: whether
// each of tc.deletes is deleted for good rather than replaced by one of
// its inserted rows, reading the spilled batches one at a time.
func (tc *tableCommit) goneRowsSpilled() ([]bool, error) {
	if len(tc.deletes) == 0 {
		return nil, nil
	}
	gone := make([]bool, len(tc.deletes))
	for i := range gone {
		gone[i] = true
	}
	ncol := len(tc.table.Columns)
	replaced := func(rec arrow.Record) error {
		for _, id := range rec.Column(ncol).(*array.Int64).Int64Values() {
			if i, ok := slices.BinarySearch(tc.deletes, id); ok {
				gone[i] = false
			}
		}
		return nil
	}
	for _, rec := range tc.inserts {
		replaced(rec)
	}
	return gone, tc.eachSpilled(replaced)
}

// batchesOf calls fn with tableCommits that split tc's inserted rows in
// parts, spilled batches read one at a time: the first part carries the
// in-memory rows, every part tc's deletions, or only the first when
// deletesOnce is set.
func (tc *tableCommit) batchesOf(deletesOnce bool, fn func(part *tableCommit) error) error {
	first := *tc
	first.spilled = nil
	if err := fn(&first); err != nil {
		return err
	}
	return tc.eachSpilled(func(rec arrow.Record) error {
		part := first
		part.inserts = []arrow.Record{rec}
		if deletesOnce {
			part.deletes, part.bases, part.gone = nil, nil, nil
		}
		return fn(&part)
	})
}

// checkKeysOf is checkCommitKeys for a commit that may hold spilled rows.
// Each part is checked against the committed keys with tc's deletions
// freeing theirs.
func (ns *namespace) checkKeysOf(st, nst *nsState, tc *tableCommit) error {
	if len(tc.spilled) == 0 {
		return ns.checkCommitKeys(st, nst, tc)
	}
	return tc.batchesOf(false, func(part *tableCommit) error { return ns.checkCommitKeys(st, nst, part) })
}

// maintainKeysOf is maintainKeys for a commit that may hold spilled rows.
// The committed key index of a plain constraint holds only the tail's
// keys (the segments' are probed in the files), and flushBulk publishes
// the spilled rows flushed, so only an index of a computed constraint,
// which holds every row, needs their keys; without one they are skipped
// (tc.keysSkipped), and flushBulk adds them if it has to keep the rows in
// the tail after all. The deletions are applied once, before any row is
// added: an update keeps its row ids, so removing them again would drop
// new keys.
func (ns *namespace) maintainKeysOf(id int64, tc *tableCommit) {
	if len(tc.spilled) == 0 {
		ns.maintainKeys(id, tc)
		return
	}
	if !ns.hasWholeKeyIndex(id) {
		first := *tc
		first.spilled = nil
		ns.maintainKeys(id, &first)
		tc.keysSkipped = true
		return
	}
	err := tc.batchesOf(true, func(part *tableCommit) error {
		ns.maintainKeys(id, part)
		return nil
	})
	if err != nil {
		// A batch could not be read back: the key indexes are rebuilt from
		// the committed rows when next used.
		ns.keyMu.Lock()
		delete(ns.keys, id)
		ns.keyMu.Unlock()
	}
}

// hasWholeKeyIndex reports whether table id has a committed key index
// that holds every row's key (keyIndex.whole).
func (ns *namespace) hasWholeKeyIndex(id int64) bool {
	ns.keyMu.RLock()
	defer ns.keyMu.RUnlock()
	for _, idx := range ns.keys[id] {
		if idx.whole {
			return true
		}
	}
	return false
}

// spilledTail returns tc's spilled batches as tail entries of commit seq.
func (tc *tableCommit) spilledTail(seq uint64) ([]tailInsert, int64) {
	out := make([]tailInsert, len(tc.spilled))
	var rows int64
	for i, b := range tc.spilled {
		out[i] = tailInsert{seq: seq, spilled: b}
		rows += b.rows
	}
	return out, rows
}

// persistSpilled logs tc's spilled batches as insert events through event.
func (tc *tableCommit) persistSpilled(event func(op int, table int64, ids, payload []byte) error) error {
	var buf []byte // the SQLite driver copies a bound blob, so one buffer serves all
	for _, b := range tc.spilled {
		if b.rows <= maxEventRows {
			// The spill file holds the batch as one IPC stream of the
			// tail's schema: an insert event's payload as it is.
			buf = slices.Grow(buf[:0], int(b.size))[:b.size]
			payload := buf
			if n, err := b.file.f.ReadAt(payload, b.off); n < len(payload) {
				return fmt.Errorf("read spilled rows: %w", cmp.Or(err, io.ErrUnexpectedEOF))
			}
			if err := event(opInsert, tc.table.ID, nil, payload); err != nil {
				return err
			}
			continue
		}
		rec, err := b.read()
		if err != nil {
			return err
		}
		for lo := int64(0); lo < rec.NumRows(); lo += maxEventRows {
			part := rec.NewSlice(lo, min(rec.NumRows(), lo+maxEventRows))
			payload, err := encodeRecord(part)
			part.Release()
			if err == nil {
				err = event(opInsert, tc.table.ID, nil, payload)
			}
			if err != nil {
				rec.Release()
				return err
			}
		}
		rec.Release()
	}
	return nil
}

// bulkFlushed is a table a bulk commit flushed, with its new manifest.
type bulkFlushed struct {
	id int64
	m  *Manifest
}

// flushBulk flushes, from the durable but unpublished state cur, each
// table to which the bulk commit p wrote spilled rows, and returns the
// state to publish. A table whose flush fails gets its spilled rows read
// into its tail instead, and is flushed again later; if they cannot be
// read either, the namespace stops taking commits (the commit is durable
// and a restart replays it) and flushBulk fails.
func (ns *namespace) flushBulk(cur *nsState, p *preparedCommit) (*nsState, []bulkFlushed, error) {
	c := p.req.c
	meta := ns.metaWith(p)
	ns.store.stats.bulkCommits.Add(1)
	var flushed []bulkFlushed
	for _, tc := range c.tables {
		if len(tc.spilled) == 0 {
			continue
		}
		id := tc.table.ID
		nst, m, err := ns.flushedState(cur, id, meta)
		if err == nil {
			cur = nst
			flushed = append(flushed, bulkFlushed{id, m})
			continue
		}
		if cur, err = ns.keepSpilledInTail(cur, tc, err); err != nil {
			return nil, nil, err
		}
	}
	return cur, flushed, nil
}

// metaWith is loggedCommit, and the time and transaction id of p for
// its own seq, not logged yet.
func (ns *namespace) metaWith(p *preparedCommit) func(uint64) (commitMeta, bool) {
	c := p.req.c
	return func(seq uint64) (commitMeta, bool) {
		if seq == p.seq {
			return commitMeta{at: c.at, txid: c.txid}, true
		}
		return ns.loggedCommit(seq)
	}
}

// keepSpilledInTail is what a commit does when the flush of tc's spilled
// rows failed with err: it reads them into the table's tail in cur (and
// the key indexes, if they skipped them), to be flushed again later.
func (ns *namespace) keepSpilledInTail(cur *nsState, tc *tableCommit, err error) (*nsState, error) {
	id := tc.table.ID
	ns.flushFailed(id, err)
	ts := *cur.byID[id]
	ts.inserts = slices.Clone(ts.inserts)
	var loaded []arrow.Record
	for i, ins := range ts.inserts {
		if ins.spilled == nil {
			continue
		}
		rec, rerr := ins.spilled.read()
		if rerr != nil {
			ns.failed = pgerr.New(pgerr.IoError, "schema %q: a commit could not be flushed nor read back (%v, %v); restart the server", ns.name, err, rerr)
			return nil, ns.failed
		}
		ts.inserts[i] = committedTail(ins.seq, rec)
		loaded = append(loaded, rec)
	}
	if tc.keysSkipped {
		// The rows stay in the tail, whose keys the indexes hold.
		ns.maintainKeys(id, &tableCommit{table: tc.table, inserts: loaded})
	}
	cur = cur.clone()
	cur.byID[id] = &ts
	cur.tables[ts.table.Name] = &ts
	return cur, nil
}
