package storage

import (
	"database/sql"
	"encoding/json"
	"log/slog"
	"math/bits"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// nsCommit is the part of one transaction that touches one namespace.
type nsCommit struct {
	ddl    []*ddlOp
	tables []*tableCommit
	// seqVals are the positions of sequences the transaction created and
	// drew values from before committing, by id; other new sequences
	// start unused.
	seqVals map[int64]seqPos
	// txid is the committing transaction's id, at its commit time (Unix
	// microseconds, set when it is persisted); both go to the commit log.
	txid, at int64
}

// tableCommit is the net row change of a transaction to one table.
type tableCommit struct {
	table *catalog.Table
	// deletes are committed row ids the transaction deleted (or replaced),
	// sorted; bases[i] is the seq of the snapshot deletes[i] was read in.
	deletes []int64
	bases   []uint64
	// gone[i] reports that deletes[i] is deleted rather than replaced by
	// a new version (nil: none is); see goneRows.
	gone    []bool
	inserts []arrow.Record // table columns + _row_id
	// spilled are more inserted batches, in the transaction's spill file
	// (a bulk commit: see bulk_commit.go); keysSkipped says the committed
	// key indexes were not given their keys (maintainKeysOf).
	spilled     []*spilledBatch
	keysSkipped bool
	// bulk: the table is flushed at commit though nothing spilled (a
	// transaction preferring bulk commits inserted many rows into it);
	// flushed is the manifest of the flush a bulk commit wrote for the
	// table before persisting, which persist logs instead of the rows.
	bulk    bool
	flushed *Manifest
	// changes says which constraints' keys the inserts may hold anew.
	changes keyChanges
}

// commitRequest is one transaction's commit waiting for the writer.
type commitRequest struct {
	c     *nsCommit
	reply chan error
}

// quietsFlushes reports whether r is committed only with no flush in
// flight (flush_background.go): a bulk commit, which flushes its tables
// itself, and a commit changing the catalog, which may drop or redefine
// a table being flushed.
func (r *commitRequest) quietsFlushes() bool {
	return r.bulk() || len(r.c.ddl) > 0
}

// preparedCommit is a validated commit, applied to the writer's memory
// but not yet durable.
type preparedCommit struct {
	req     *commitRequest
	st, nst *nsState
	seq     uint64
	// priorDeletes holds, per table, the deletion seqs the commit
	// replaced in lastDelete (0: none), for undo to put back.
	priorDeletes map[int64]priorDeletes
}

// priorDeletes are the lastDelete entries of rows before a commit:
// seqs[i] of rows[i] among the small deletions (deletionSeqs.few), and
// whether the commit added large deletions (runs, dropped whole).
type priorDeletes struct {
	rows []int64
	seqs []uint64
	run  bool
}

// commitGroup commits the requests as consecutive seqs in one SQLite
// transaction (group commit: concurrent sessions share one fsync). Each
// request is validated against the state left by the ones before it; a
// request that fails validation gets its error and the others proceed.
// Replies are sent only after the SQLite transaction is durable.
func (ns *namespace) commitGroup(reqs []*commitRequest) {
	if i := slices.IndexFunc(reqs, (*commitRequest).bulk); i >= 0 && len(reqs) > 1 {
		// A bulk commit is flushed before it is published: alone, so the
		// flush covers no later commit (bulk_commit.go).
		if i > 0 {
			ns.commitGroup(reqs[:i])
		}
		ns.commitGroup(reqs[i : i+1])
		if i+1 < len(reqs) {
			ns.commitGroup(reqs[i+1:])
		}
		return
	}
	if ns.failed != nil {
		for _, r := range reqs {
			r.reply <- ns.failed
		}
		return
	}
	if slices.ContainsFunc(reqs, (*commitRequest).quietsFlushes) {
		ns.awaitFlushes()
	}
	base := ns.state.Load()
	cur := base
	var done []*preparedCommit
	ns.unsettleKeys()
	for _, r := range reqs {
		p, err := ns.prepare(cur, r)
		if err != nil {
			r.reply <- err
			continue
		}
		done = append(done, p)
		cur = p.nst
	}
	if len(done) == 0 {
		ns.settleKeys()
		return
	}
	bulk := len(done) == 1 && done[0].req.bulk()
	var flushes []bulkFlush
	if bulk {
		// Its flush files first: the SQLite transaction then names them
		// instead of logging the rows (bulk_commit.go).
		flushes = ns.writeBulkFlushes(done[0])
		if ns.bulkCrashAt(bulkWritten, done[0]) {
			return
		}
	}
	if err := ns.persistGroup(done); err != nil {
		ns.discardBulkFlushes(base, flushes)
		ns.undo(done)
		ns.settleKeys()
		err = pgerr.New(pgerr.IoError, "could not commit to schema %q: %v", ns.name, err)
		for _, p := range done {
			p.req.reply <- err
		}
		return
	}
	var flushed []bulkFlushed
	if bulk {
		if ns.bulkCrashAt(bulkDurable, done[0]) {
			return
		}
		var err error
		if cur, flushed, err = ns.publishBulkFlushes(done[0], cur, flushes); err != nil {
			ns.settleKeys()
			done[0].req.reply <- err
			return
		}
	}
	ns.publish(base, cur, done)
	for _, f := range flushed {
		ns.flushedTail(cur, f.id)
	}
	ns.settleKeys()
	ns.afterPublish(base, cur, len(done))
	for _, f := range flushed {
		ns.afterFlush(f.id, f.m)
	}
	if len(flushed) > 0 {
		// A bulk commit flushed the table and deleted its earlier row
		// events: move the log into the database and truncate it, so
		// that it does not stay the size of a load (one whose flush
		// failed logs its rows) or of the tail.
		ns.db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	}
	for _, p := range done {
		p.req.reply <- nil
	}
}

// publish makes the durable commits done, which took the state from base
// to cur, visible: sequence positions first, then the state pointer.
func (ns *namespace) publish(base, cur *nsState, done []*preparedCommit) {
	ns.addSequenceValues(base, cur, done)
	for _, p := range done {
		ns.commits.add(p.seq, p.req.c.at, p.req.c.txid)
	}
	ns.state.Store(cur)
	ns.dropSequenceValues(base, cur)
}

// afterPublish counts n published commits and cleans up after them: the
// files of dropped tables and key indexes no constraint uses any more.
func (ns *namespace) afterPublish(base, cur *nsState, n int) {
	ns.store.stats.commits.Add(int64(n))
	ns.store.stats.commitGroups.Add(1)
	ns.store.stats.groupSizes[min(bits.Len(uint(max(n, 1)-1)), groupSizeBuckets-1)].Add(1)
	for id, ts := range base.byID {
		if cur.byID[id] == nil {
			ns.dropTableFiles(id, ts)
		}
	}
	if len(base.indexes) != len(cur.indexes) || !sameIndexes(base, cur) {
		ns.pruneKeyIndexes(cur)
		if err := ns.syncIndexFiles(base, cur); err != nil {
			ns.store.objects.noteFailedJob()
			slog.Warn("building index files failed", "schema", ns.name, "err", err)
		}
	}
}

// prepare validates r against st and returns the state after it. It
// records the commit's deletions and keys in the writer's memory, which
// undo reverts if the group does not become durable.
func (ns *namespace) prepare(st *nsState, r *commitRequest) (*preparedCommit, error) {
	c := r.c
	nst := st.clone()
	for _, op := range c.ddl {
		if err := nst.apply(op); err != nil {
			return nil, err
		}
	}
	seq := st.seq + 1
	for _, tc := range c.tables {
		if nst.byID[tc.table.ID] == nil {
			return nil, pgerr.New(pgerr.UndefinedTable, "relation %q does not exist", tc.table.Name)
		}
		if ld := ns.lastDelete[tc.table.ID]; ld != nil {
			for i, r := range tc.deletes {
				if err := changedAfter(ld.get(r), tc.bases[i]); err != nil {
					return nil, err
				}
			}
		}
		if err := ns.checkKeysOf(st, nst, tc); err != nil {
			return nil, err
		}
	}
	if err := ns.checkNewIndexes(st, nst, c); err != nil {
		return nil, err
	}

	p := &preparedCommit{req: r, st: st, nst: nst, seq: seq}
	nst.seq = seq
	for _, tc := range c.tables {
		id := tc.table.ID
		ts := *nst.byID[id]
		if len(tc.deletes) > 0 {
			ts.deletes = append(ts.deletes, tailDelete{seq: seq, ids: tc.deletes})
			ts.tailRows += int64(len(tc.deletes))
			ns.noteDeletes(p, id, tc.deletes, tc.gone, seq)
		}
		lead := tailLead(tc.table)
		for _, rec := range tc.inserts {
			rec.Retain()
			ts.inserts = append(ts.inserts, committedTail(seq, rec, lead))
			ts.tailRows += rec.NumRows()
		}
		if len(tc.spilled) > 0 {
			// Never published: the bulk commit flushes them first.
			spilled, rows := tc.spilledTail(seq)
			ts.inserts = append(slices.Clip(ts.inserts), spilled...)
			ts.tailRows += rows
		}
		nst.byID[id] = &ts
		nst.tables[ts.table.Name] = &ts
		ns.maintainKeysOf(id, tc)
	}
	return p, nil
}

// checkNewIndexes verifies the committed rows of tables that c gives a
// unique index without changing their rows (the others are checked with
// their rows).
func (ns *namespace) checkNewIndexes(st, nst *nsState, c *nsCommit) error {
	for _, op := range c.ddl {
		if op.kind != ddlCreateIndex || !op.index.Unique || nst.indexes[op.index.Name] != op.index {
			continue
		}
		ts := nst.tables[op.index.Table]
		if ts == nil || slices.ContainsFunc(c.tables, func(tc *tableCommit) bool { return tc.table.ID == ts.table.ID }) {
			continue
		}
		if err := ns.checkCommitKeys(st, nst, &tableCommit{table: ts.table}); err != nil {
			return err
		}
	}
	return nil
}

// noteDeletes records seq as the last deletion of rows of table (marked
// rowGone where gone says so), keeping what it replaces in p for undo.
func (ns *namespace) noteDeletes(p *preparedCommit, table int64, rows []int64, gone []bool, seq uint64) {
	ns.lastDeleteMu.Lock()
	defer ns.lastDeleteMu.Unlock()
	ld := ns.lastDelete[table]
	if ld == nil {
		ld = &deletionSeqs{keepRuns: true}
		ns.lastDelete[table] = ld
	}
	if p.priorDeletes == nil {
		p.priorDeletes = map[int64]priorDeletes{}
	}
	prior := p.priorDeletes[table]
	if len(rows) >= manyDeletes {
		prior.run = true
	} else {
		prior.rows = slices.Concat(prior.rows, rows)
		for _, r := range rows {
			prior.seqs = append(prior.seqs, ld.few[r])
		}
	}
	ld.add(seq, rows, gone)
	p.priorDeletes[table] = prior
}

// undo reverts the in-memory effects of prepared commits that did not
// become durable: their deletion seqs and key index changes.
func (ns *namespace) undo(done []*preparedCommit) {
	ns.lastDeleteMu.Lock()
	for _, p := range slices.Backward(done) {
		for table, prior := range p.priorDeletes {
			ld := ns.lastDelete[table]
			if prior.run {
				ld.dropRun(p.seq)
			}
			for i := len(prior.rows) - 1; i >= 0; i-- {
				if r, seq := prior.rows[i], prior.seqs[i]; seq == 0 {
					delete(ld.few, r)
				} else {
					ld.few[r] = seq
				}
			}
		}
	}
	ns.lastDeleteMu.Unlock()
	for _, p := range done {
		for _, tc := range p.req.c.tables {
			for _, rec := range tc.inserts {
				rec.Release()
			}
		}
		ns.keyMu.Lock()
		for _, tc := range p.req.c.tables {
			delete(ns.keys, tc.table.ID) // rebuilt from committed data on next use
		}
		ns.keyMu.Unlock()
	}
}

// persistGroup writes the events and catalog changes of the prepared
// commits in one SQLite transaction, which is durable when it returns.
func (ns *namespace) persistGroup(done []*preparedCommit) error {
	return ns.commitPersisted(func(tx *sql.Tx) error {
		for _, p := range done {
			if err := ns.persist(tx, p.st, p.nst, p.seq, p.req.c); err != nil {
				return err
			}
			if err := deleteDroppedTableEvents(tx, p.st, p.nst); err != nil {
				return err
			}
		}
		return nil
	})
}

// writeTx runs fn in one transaction of the writer's database and
// commits it; an error rolls it back.
func (ns *namespace) writeTx(fn func(tx *sql.Tx) error) error {
	tx, err := ns.db.Begin()
	if err != nil {
		return err
	}
	// A panic in fn rolls the transaction back too: the writer stops on
	// it (writer_panic.go), and nothing of the work may become durable.
	done := false
	defer func() {
		if !done {
			tx.Rollback()
		}
	}()
	if err := fn(tx); err != nil {
		return err
	}
	done = true
	return tx.Commit()
}

// commitPersisted runs persist, which persists commits, in one
// transaction that also stores the id counters the commits advanced
// (commit_counters.go) and folds in the resolutions of prepared parts
// waiting for a transaction (prepared.go) and the removal of flushed
// events (flushed_events.go).
func (ns *namespace) commitPersisted(persist func(tx *sql.Tx) error) error {
	var eventsDeleted uint64
	var counters storedCounters
	err := ns.writeTx(func(tx *sql.Tx) error {
		if err := persist(tx); err != nil {
			return err
		}
		var err error
		if counters, err = ns.writeCounters(tx); err != nil {
			return err
		}
		// Best effort, as the flush's own deletion was: the commit does
		// not fail for it, and the next one tries again.
		eventsDeleted, _ = ns.deleteFlushedPrefix(tx)
		return ns.resolveQueued(tx)
	})
	if err == nil {
		ns.counters = counters
		ns.resolvedQueued()
		ns.deletedFlushedPrefix(eventsDeleted)
	}
	return err
}

// deleteDroppedTableEvents deletes the row events of the tables a commit
// from st to nst dropped. A prepared cross-schema part keeps them until
// it is resolved (prepared.go), so that an abort finds them.
func deleteDroppedTableEvents(tx *sql.Tx, st, nst *nsState) error {
	for id := range st.byID {
		if nst.byID[id] == nil {
			if _, err := tx.Exec(`DELETE FROM events WHERE table_id = ? AND `+flushedOps, id); err != nil {
				return err
			}
		}
	}
	return nil
}

// persist writes one commit's events and catalog changes into tx.
func (ns *namespace) persist(tx *sql.Tx, st, nst *nsState, seq uint64, c *nsCommit) error {
	if c.at == 0 { // a bulk commit stamps it before it writes its flush
		c.at = ns.commits.stamp()
	}
	if _, err := ns.stmts.exec(tx, insertCommitSQL, seq, c.at, c.txid); err != nil {
		return err
	}
	ord := 0
	event := ns.eventLogger(tx, seq, c.at, &ord)
	for _, op := range c.ddl {
		js, err := json.Marshal(ddlHistory(op))
		if err != nil {
			return err
		}
		if err := event(opDDL, ddlObjectID(op), nil, js); err != nil {
			return err
		}
	}
	if err := persistCatalogDiff(tx, st, nst); err != nil {
		return err
	}
	if err := persistSchemaDef(tx, st, nst); err != nil {
		return err
	}
	if err := persistTypeDiff(tx, st, nst); err != nil {
		return err
	}
	if err := persistSequenceDiff(tx, st, nst, c.seqVals); err != nil {
		return err
	}
	for _, tc := range c.tables {
		var err error
		if tc.flushed != nil {
			// Its rows are in the flush files written before: log the
			// manifest naming them (bulk_commit.go).
			err = logBulkManifest(tc.table.ID, tc.flushed, event)
		} else {
			err = tc.logRows(event)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// eventLogger returns a function that logs events of commit seq, at time
// at, into tx, numbering them from *ord + 1.
func (ns *namespace) eventLogger(tx *sql.Tx, seq uint64, at int64, ord *int) func(op int, table int64, ids, payload []byte) error {
	return func(op int, table int64, ids, payload []byte) error {
		*ord++
		_, err := ns.stmts.exec(tx, insertEventSQL, seq, *ord, at, op, table, ids, payload)
		return err
	}
}

// logRows logs tc's row changes through event: its deletions with its
// first in-memory batch of inserted rows as one change event (when that
// batch is one event's worth), then its other inserted rows, in memory
// and spilled. Deletions no batch took are logged on their own.
func (tc *tableCommit) logRows(event func(op int, table int64, ids, payload []byte) error) error {
	var ids []byte
	if len(tc.deletes) > 0 {
		ids = encodeIDs(tc.deletes)
	}
	for _, rec := range tc.inserts {
		if ids != nil && rec.NumRows() <= maxEventRows {
			if err := logPart(event, opChange, tc.table.ID, ids, rec); err != nil {
				return err
			}
			ids = nil
			continue
		}
		if err := logRecord(event, tc.table.ID, rec); err != nil {
			return err
		}
	}
	if ids != nil {
		if err := event(opDelete, tc.table.ID, ids, nil); err != nil {
			return err
		}
	}
	return tc.persistSpilled(event)
}

// maxEventRows is the most rows one insert event holds.
const maxEventRows = 64 * 1024

// logRecord logs rec's rows through event as insert events of table.
// Large batches are logged in slices of maxEventRows rows, to keep each
// event far below SQLite's blob size limit; others as they are, since a
// slice would cost an OLTP commit's one-row batch a tenth of its
// encoding.
func logRecord(event func(op int, table int64, ids, payload []byte) error, table int64, rec arrow.Record) error {
	if rec.NumRows() <= maxEventRows {
		return logPart(event, opInsert, table, nil, rec)
	}
	for lo := int64(0); lo < rec.NumRows(); lo += maxEventRows {
		part := rec.NewSlice(lo, min(rec.NumRows(), lo+maxEventRows))
		err := logPart(event, opInsert, table, nil, part)
		part.Release()
		if err != nil {
			return err
		}
	}
	return nil
}

// logPart logs part as one event of table: op, with the deleted row ids
// ids (opChange) or none (opInsert).
func logPart(event func(op int, table int64, ids, payload []byte) error, op int, table int64, ids []byte, part arrow.Record) error {
	payload, err := encodeRecord(part)
	if err != nil {
		return err
	}
	return event(op, table, ids, payload)
}

// persistCatalogDiff stores the objects that differ between st and nst.
func persistCatalogDiff(tx *sql.Tx, st, nst *nsState) error {
	for id := range st.byID {
		if nst.byID[id] == nil {
			if err := deleteObject(tx, id); err != nil {
				return err
			}
		}
	}
	for id, ts := range nst.byID {
		if old := st.byID[id]; old == nil || old.table != ts.table {
			if err := putObject(tx, id, kindTable, ts.table.Name, ts.table); err != nil {
				return err
			}
		}
	}
	for name, v := range st.views {
		if nv := nst.views[name]; nv != v {
			if err := deleteObject(tx, v.ID); err != nil {
				return err
			}
		}
	}
	for name, v := range nst.views {
		if ov := st.views[name]; ov != v {
			if err := putObject(tx, v.ID, kindView, v.Name, v); err != nil {
				return err
			}
		}
	}
	for name, ix := range st.indexes {
		if nx := nst.indexes[name]; nx != ix {
			if err := deleteObject(tx, ix.ID); err != nil {
				return err
			}
		}
	}
	for name, ix := range nst.indexes {
		if ox := st.indexes[name]; ox != ix {
			if err := putObject(tx, ix.ID, kindIndex, ix.Name, ix); err != nil {
				return err
			}
		}
	}
	return nil
}

// ddlHistory is the JSON recorded in the event log for a catalog change.
func ddlHistory(op *ddlOp) any {
	kinds := map[ddlKind]string{
		ddlCreateTable: "create_table", ddlDropTable: "drop_table",
		ddlCreateView: "create_view", ddlDropView: "drop_view",
		ddlCreateIndex: "create_index", ddlDropIndex: "drop_index",
		ddlCreateSequence: "create_sequence", ddlAlterSequence: "alter_sequence",
		ddlDropSequence: "drop_sequence", ddlAlterTable: "alter_table",
		ddlRewriteTable: "rewrite_table", ddlAlterView: "alter_view",
		ddlAlterIndex: "alter_index", ddlCommentSchema: "comment_schema",
		ddlCreateType: "create_type", ddlAlterType: "alter_type", ddlDropType: "drop_type",
	}
	h := map[string]any{"op": kinds[op.kind]}
	switch {
	case op.table != nil:
		h["table"] = op.table
	case op.view != nil:
		h["view"] = op.view
	case op.index != nil:
		h["index"] = op.index
	case op.seq != nil:
		h["sequence"] = op.seq
	case op.utype != nil:
		h["type"] = op.utype
	default:
		h["name"] = op.name
		h["id"] = op.id
	}
	return h
}

func ddlObjectID(op *ddlOp) int64 {
	switch {
	case op.table != nil:
		return op.table.ID
	case op.view != nil:
		return op.view.ID
	case op.index != nil:
		return op.index.ID
	case op.seq != nil:
		return op.seq.ID
	case op.utype != nil:
		return op.utype.ID
	}
	return op.id
}

// dropTableFiles removes a dropped table's files and in-memory indexes.
// The catalog change is already durable, and open removes directories of
// unknown tables, so a failure here only delays the cleanup.
func (ns *namespace) dropTableFiles(id int64, ts *tableState) {
	ns.lastDeleteMu.Lock()
	delete(ns.lastDelete, id)
	ns.lastDeleteMu.Unlock()
	delete(ns.flushDue, id)
	ns.keyMu.Lock()
	delete(ns.keys, id)
	ns.keyMu.Unlock()
	prefix := ts.prefix + "/"
	ns.store.files.forget(func(p string) bool { return strings.HasPrefix(p, prefix) })
	ns.store.objects.removeAll(ts.prefix)
}

// sameIndexes reports whether a and b hold the same index definitions.
func sameIndexes(a, b *nsState) bool {
	for name, ix := range a.indexes {
		if bx := b.indexes[name]; bx != ix {
			return false
		}
	}
	return true
}
