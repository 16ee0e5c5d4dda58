package storage

import (
	"cmp"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/pgerr"
)

// Bulk commits.
//
// A transaction whose pending rows spilled (pending_spill.go) commits
// them without holding them in memory: its tableCommit lists the spilled
// batches (tableCommit.spilled) beside the rows still in memory, and the
// writer reads them back one batch at a time for each step. A table into
// which a transaction preferring bulk commits (PreferBulk: COPY FROM)
// inserted at least preferBulkRows rows takes the same path with its
// rows in memory (tableCommit.bulk). Either way the rows go to Parquet
// once, never through SQLite:
//
//  1. prepare checks their keys batch by batch against other commits
//     (the transaction's own key checks already found duplicates among
//     its rows; a table without key constraints reads no batch back for
//     it); it adds them to the committed key indexes only where an
//     index holds every row (a computed constraint's), since a plain
//     constraint's index holds only the tail, and these rows are
//     published flushed (a concurrent insert of one of the keys then
//     fails at its commit, as documented for keys);
//  2. the writer flushes each such table from the prepared state, whose
//     tail holds the spilled batches, the earlier commits' tail and the
//     commit's rows in memory, but only writes the flush (writeFlush):
//     sorted segments of about FlushRows rows or flushChunkBytes
//     (flush_chunk.go), their index files, the deletion vectors and the
//     event files (with the commit's time, stamped before), all synced;
//     nothing names them yet. A chunk of only the commit's rows gets no
//     event file: an insertion reference to its segment stands for
//     them (event_files.go);
//  3. persist writes the commit's SQLite transaction, the commit point,
//     as any commit's, except that for each flushed table it logs one
//     opBulkManifest event holding the manifest that lists those files
//     (the size of the table's manifest, kilobytes, whatever the number
//     of rows) instead of the table's row events;
//  4. the manifest is published (publishFlush), then the state, whose
//     table is flushed, its tail empty, so no snapshot ever holds a
//     spilled batch.
//
// A crash before step 3 is durable leaves files no manifest names, which
// the orphan sweep after the next open removes (orphan_sweep.go), as it
// removes an interrupted flush's; a
// failed SQLite transaction removes them at once (discardBulkFlushes).
// A crash between 3 and 4 leaves the event: open publishes its manifest
// before it replays the table (publishLoggedFlushes), the files being
// durable, and replays only the events after it. After 4, open deletes
// the event like the flushed row events. The manifest is the one the
// writer would have published: the writer runs nothing between 3 and 4,
// so it is the successor of the version current on disk.
//
// If writing the flush fails (step 2), the table's rows are logged as
// insert events instead, as for an ordinary commit, read into the tail
// after the commit (keepSpilledInTail), and flushed again later. If the
// publication fails (step 4), one more SQLite transaction replaces the
// event by the rows (relogRows) before they are read into the tail, so
// that SQLite holds them as the tail's durability again; should that
// fail too, the namespace stops: it refuses commits (failed) and every
// further manifest publication (frozen), which could otherwise take the
// logged manifest's version, until a restart publishes it.
//
// A bulk commit is a group of its own, so the flush covers its seq and
// no later one.
//
// Cross-schema parts.
//
// A transaction that spilled rows (pending_spill.go) and commits to
// several schemas keeps them spilled through its parts
// (cross_commit.go), as a bulk commit does: prepare
// checks their keys one batch at a time; then the part's writer writes
// the flush of each table with spilled rows (writeBulkFlushes:
// segments, index, deletion and event files, no manifest yet) before it
// persists the part as prepared, which logs each such table's manifest
// (opBulkManifest) instead of its rows. So the slow half of the flush
// runs before the decision and outside the store's publish lock, and no
// row goes through SQLite. On commit the writer publishes those
// manifests (publishBulkFlushes) before the state, so the state
// published has the tables flushed and never holds a spilled batch; on
// abort it removes the files it wrote (discardBulkFlushes), and the
// abort deletes the part's events with the manifests. A crash before
// the decision leaves the files unreferenced, which the orphan sweep
// removes once open has discarded the part; after it, open commits the part and publishes
// the logged manifests (publishLoggedFlushes). A flush that could not be
// written logged the rows instead, and one that could not be published
// logs them then (relogRows); either way the rows are read into the tail
// (keepSpilledInTail), to be flushed again later.

// bulkStage names a point in a bulk commit for tests.
type bulkStage uint8

const (
	bulkWritten bulkStage = iota // flush files written, SQLite transaction not yet
	bulkDurable                  // SQLite transaction durable, manifest not published
)

// bulkCrashHook, when set (by tests), is asked at each stage of a
// (single-schema) bulk commit; if it returns true the writer stops
// there, as if the process died: it writes and undoes nothing more,
// fails the commit and refuses further work (ns.failed, ns.frozen).
var bulkCrashHook atomic.Pointer[func(bulkStage) bool]

// bulkCrashAt reports whether bulkCrashHook stops the commit p at stage;
// if so it stops the writer and fails p.
func (ns *namespace) bulkCrashAt(stage bulkStage, p *preparedCommit) bool {
	hook := bulkCrashHook.Load()
	if hook == nil || !(*hook)(stage) {
		return false
	}
	ns.failed, ns.frozen = errStoreClosed, errStoreClosed
	ns.settleKeys()
	p.req.reply <- errStoreClosed
	return true
}

// preferBulkRows is how many rows a transaction that prefers bulk
// commits (PreferBulk) inserts into a table for its commit to flush the
// table (tests lower it).
var preferBulkRows int64 = 64 << 10

// PreferBulk makes each table into which t inserts at least
// preferBulkRows rows (net of the rows it deletes again) commit as a
// bulk commit, even if none of them spilled: its rows are written to
// segments at commit rather than logged and kept in the tail. COPY FROM
// asks for it: a load of that many rows would be flushed soon anyway,
// and so its rows go to Parquet once and never through SQLite. It is as
// safe as any bulk commit: the flush covers the table's whole tail as of
// the commit, which is a group of its own, and the state that publishes
// the commit publishes the table flushed.
func (t *Txn) PreferBulk() { t.preferBulk = true }

// flushesAtCommit reports whether the commit flushes tc's table (a bulk
// commit): it spilled rows, or many for a transaction preferring it.
func (tc *tableCommit) flushesAtCommit() bool { return tc.bulk || len(tc.spilled) > 0 }

// insertedRows is the number of rows tc inserts, in memory and spilled.
func (tc *tableCommit) insertedRows() int64 {
	var n int64
	for _, rec := range tc.inserts {
		n += rec.NumRows()
	}
	for _, b := range tc.spilled {
		n += b.rows
	}
	return n
}

// bulk reports whether the commit is a bulk commit.
func (r *commitRequest) bulk() bool {
	return slices.ContainsFunc(r.c.tables, (*tableCommit).flushesAtCommit)
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
// freeing theirs. A table without key constraints has nothing to check,
// so its spilled batches (a whole COPY's rows) are not read back for it.
func (ns *namespace) checkKeysOf(st, nst *nsState, tc *tableCommit) error {
	if len(tc.spilled) == 0 {
		return ns.checkCommitKeys(st, nst, tc)
	}
	if cons, err := constraintsOf(ns.store, nst, tc.table); err != nil || len(cons) == 0 {
		return err
	}
	return tc.batchesOf(false, func(part *tableCommit) error { return ns.checkCommitKeys(st, nst, part) })
}

// maintainKeysOf is maintainKeys for a commit that may hold spilled rows.
// The committed key index of a plain constraint holds only the tail's
// keys (the segments' are probed in the files), and a bulk commit
// publishes the spilled rows flushed, so only an index of a computed
// constraint, which holds every row, needs their keys; without one they
// are skipped (tc.keysSkipped), and keepSpilledInTail adds them if the
// rows stay in the tail after all. The deletions are applied once, before any row is
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
		err = logRecord(event, tc.table.ID, rec)
		rec.Release()
		if err != nil {
			return err
		}
	}
	return nil
}

// bulkFlushed is a table a bulk commit flushed, with its new manifest.
type bulkFlushed struct {
	id int64
	m  *Manifest
}

// bulkFlush is the flush written for one table of a bulk commit before
// its SQLite transaction: its manifest, or why it could not be written.
type bulkFlush struct {
	tc     *tableCommit
	prefix string // the key prefix of the table's objects
	m      *Manifest
	err    error
}

// writeBulkFlushes stamps p's commit time and writes, from the state p
// leads to, the flushes of the tables a bulk commit flushes (step 2;
// none if p is not one). A table whose flush was written gets it in
// tc.flushed, which persist logs instead of its rows.
func (ns *namespace) writeBulkFlushes(p *preparedCommit) []bulkFlush {
	if !p.req.bulk() {
		return nil
	}
	c := p.req.c
	c.at = ns.commits.stamp() // the event files record it
	meta := ns.metaWith(p)
	var out []bulkFlush
	for _, tc := range c.tables {
		if !tc.flushesAtCommit() {
			continue
		}
		m, err := ns.writeFlush(p.nst, tc.table.ID, meta)
		if err == nil && m == nil {
			err = fmt.Errorf("flush %s.%s: nothing to flush", ns.name, tc.table.Name)
		}
		if err != nil {
			m = nil
		}
		tc.flushed = m
		out = append(out, bulkFlush{tc: tc, prefix: p.nst.byID[tc.table.ID].prefix, m: m, err: err})
	}
	if len(out) > 0 {
		ns.store.stats.bulkCommits.Add(1)
	}
	return out
}

// publishBulkFlushes publishes the flushes of the durable commit p on
// cur, the state it leads to, and returns the state with those tables
// flushed (step 4). A table whose flush was not written, or could not be
// published, keeps its rows in its tail instead (spilled ones read back).
func (ns *namespace) publishBulkFlushes(p *preparedCommit, cur *nsState, flushes []bulkFlush) (*nsState, []bulkFlushed, error) {
	var flushed []bulkFlushed
	for _, f := range flushes {
		id := f.tc.table.ID
		err := f.err
		if err == nil {
			nst, m, perr := ns.publishFlush(cur, id, f.m)
			if perr == nil {
				cur = nst
				flushed = append(flushed, bulkFlushed{id, m})
				continue
			}
			if rerr := ns.relogRows(p, f.tc); rerr != nil {
				ns.frozen = pgerr.New(pgerr.IoError, "schema %q: a commit is durable but its flush could not be published (%v) nor its rows logged (%v); restart the server", ns.name, perr, rerr)
				ns.failed = ns.frozen
				return nil, nil, ns.failed
			}
			err = perr
		}
		if cur, err = ns.keepSpilledInTail(cur, f.tc, err); err != nil {
			return nil, nil, err
		}
	}
	return cur, flushed, nil
}

// relogRows replaces, in one durable SQLite transaction, the
// opBulkManifest event of tc in the durable commit p by tc's rows, as an
// ordinary commit logs them: its flush could not be published, so its
// rows go to the tail, which the event log must then hold.
func (ns *namespace) relogRows(p *preparedCommit, tc *tableCommit) error {
	return ns.writeTx(func(tx *sql.Tx) error {
		if _, err := tx.Exec(`DELETE FROM events WHERE seq = ? AND table_id = ? AND op = ?`, p.seq, tc.table.ID, opBulkManifest); err != nil {
			return err
		}
		var ord int
		if err := tx.QueryRow(`SELECT coalesce(max(ord), 0) FROM events WHERE seq = ?`, p.seq).Scan(&ord); err != nil {
			return err
		}
		tc.flushed = nil
		return tc.logRows(ns.eventLogger(tx, p.seq, p.req.c.at, &ord))
	})
}

// discardBulkFlushes removes the files written for the flushes of a
// commit that did not become durable; st is the state it was prepared on.
// A table the commit created has its directory removed whole.
func (ns *namespace) discardBulkFlushes(st *nsState, flushes []bulkFlush) {
	for _, f := range flushes {
		f.tc.flushed = nil
		if f.m == nil {
			continue
		}
		ts := st.byID[f.tc.table.ID]
		if ts == nil {
			ns.store.objects.removeAll(f.prefix)
			continue
		}
		kept, written := map[string]bool{}, map[string]bool{}
		ts.manifest.dataFiles(kept, true)
		f.m.dataFiles(written, true)
		for file := range written {
			if !kept[file] {
				ns.store.objects.remove(tableFile(ts.prefix, file))
			}
		}
	}
}

// logBulkManifest logs, through event, the opBulkManifest event of a
// table whose bulk commit wrote its flush: the manifest m to publish.
func logBulkManifest(table int64, m *Manifest, event func(op int, table int64, ids, payload []byte) error) error {
	js, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return event(opBulkManifest, table, nil, js)
}

// publishLoggedFlushes publishes, at open, the manifests that bulk
// commits after m, the current manifest of ts's table, logged but did not
// publish before a crash, and returns the current manifest then. Each
// must be the next version: the writer publishes nothing else in between
// (and nothing at all once a publication failed for good), so another
// means a manifest the commit's files are not in, and open fails rather
// than lose the commit's rows.
func (ns *namespace) publishLoggedFlushes(ts *tableState, m *Manifest) (*Manifest, error) {
	rows, err := ns.db.Query(`SELECT seq, payload FROM events WHERE table_id = ? AND op = ? AND seq > ? ORDER BY seq`,
		ts.table.ID, opBulkManifest, m.FlushedSeq)
	if err != nil {
		return nil, err
	}
	var logged []*Manifest
	for rows.Next() {
		var seq uint64
		var payload []byte
		if err := rows.Scan(&seq, &payload); err != nil {
			rows.Close()
			return nil, err
		}
		lm := new(Manifest)
		if err := json.Unmarshal(payload, lm); err != nil {
			rows.Close()
			return nil, fmt.Errorf("manifest of bulk commit %d: %w", seq, err)
		}
		if lm.FlushedSeq != seq || lm.TableID != ts.table.ID {
			rows.Close()
			return nil, fmt.Errorf("manifest of bulk commit %d is of table %d up to seq %d", seq, lm.TableID, lm.FlushedSeq)
		}
		logged = append(logged, lm)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, lm := range logged {
		if lm.Version != m.Version+1 {
			return nil, fmt.Errorf("bulk commit %d logged manifest version %d, but version %d is current", lm.FlushedSeq, lm.Version, m.Version)
		}
		if err := ns.store.objects.publishManifest(ts.prefix, lm); err != nil {
			return nil, fmt.Errorf("publish the manifest of bulk commit %d: %w", lm.FlushedSeq, err)
		}
		lm.decode(ts.table)
		m = lm
	}
	return m, nil
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
		ts.inserts[i] = committedTail(ins.seq, rec, tailLead(ts.table))
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
