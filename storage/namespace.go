package storage

import (
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/pgerr"
)

// namespace is one schema: its SQLite database, its committed state and
// the goroutine that owns both. Every write to the namespace (commit,
// flush publication) runs on that goroutine, one at a time, a flush's
// files being written off it (flush_background.go); readers load the
// current state pointer and never wait for it.
type namespace struct {
	store *Store
	name  string
	dir   string // the local directory of its SQLite database
	// prefix is the key prefix of its tables' objects (objects.go).
	prefix string
	db     *sql.DB
	stmts  writerStatements // the commit path's, prepared in db (writer_statements.go)

	state     atomic.Pointer[nsState]
	nextRowID atomic.Int64

	reqs chan *request
	quit chan struct{}
	done chan struct{}

	// dropped is set by the writer when it accepts the namespace's drop;
	// the writer stops right after, and requests still waiting fail with
	// 3F000 instead of a shutdown error.
	dropped   atomic.Bool
	closeOnce sync.Once
	closeErr  error

	sweepState // the orphan sweep (orphan_sweep.go)

	// lastDelete is changed only by the writer goroutine, under
	// lastDeleteMu, which sessions read it under (LockRows).
	lastDeleteMu sync.RWMutex
	lastDelete   map[int64]*deletionSeqs // table → row id → seq of its last deletion
	// Owned by the writer goroutine.
	flushDue   map[int64]*retryBackoff // tables whose flush failed and must be retried (backoff.go)
	flushRetry *time.Timer             // fires when the earliest of those retries is due
	idleTidy   *time.Timer             // fires once the writer has been idle Options.IdleTidy
	// flushing holds the tables whose flush is being written off the
	// writer; flushWritten brings each one's outcome back to the writer
	// (flush_background.go).
	flushing     map[int64]bool
	flushWritten chan *backgroundFlush
	// crashed is why the writer stopped after a panic (writer_panic.go);
	// written before done is closed, read after.
	crashed *pgerr.Error
	// failed, once set, fails every later commit: the database holds a
	// prepared part that could not be discarded (cross_commit.go), which
	// only open can resolve.
	failed error
	// frozen, once set, fails every later manifest publication: a bulk
	// commit's logged manifest, which only open can publish, must stay
	// the next version (bulk_commit.go).
	frozen error
	// unresolved are committed cross-schema parts whose prepared row the
	// next SQLite transaction deletes (prepared.go).
	unresolved []preparedRow
	// counters are the id counters' values stored in the database
	// (commit_counters.go).
	counters storedCounters
	// eventsFlushed notes a flush published since the last deletion of
	// flushed row events, which the next commit's SQLite transaction
	// deletes up to the oldest tail batch; eventsDeletedThrough is the
	// seq the last deletion went up to (flushed_events.go).
	eventsFlushed        bool
	eventsDeletedThrough uint64
	// collections counts history collections, for the incremental vacuum
	// that runs every vacuumEvery of them (history_gc.go).
	collections int

	keyMu sync.RWMutex
	keys  map[int64]map[string]*keyIndex // table → column set → index; built lazily, maintained by the writer
	// keyEpoch is odd while commits whose keys are in keys are neither
	// published nor undone; keysSettled is closed when they settle
	// (cross_commit_keys.go).
	keyEpoch    atomic.Uint64
	keysSettled atomic.Pointer[chan struct{}]

	seqMu sync.Mutex
	seqs  map[int64]*seqValue // current values of the committed sequences, by id (see sequence_values.go)

	commits commitLog // commit times and transaction ids by seq (commit_log.go)

	// denseRowIDs remembers, by segment path, whether a segment's row
	// ids are its positions plus MinRowID (flush.go, newlyDeleted).
	denseMu     sync.Mutex
	denseRowIDs map[string]bool

	// historyMu guards what time travel and history collection learned
	// of immutable history: manifest versions' FlushedSeqs and the files
	// they name, and tables' creating commits.
	historyMu   sync.Mutex
	flushedSeqs map[manifestKey]uint64
	namedFiles  map[manifestKey]namedFiles
	created     map[int64]uint64
}

// request is work for the writer goroutine: a function to run, or a
// commit (commits queued together are grouped into one SQLite
// transaction).
type request struct {
	run    func() error
	commit *commitRequest
	reply  chan error
	// besideFlushes lets run go while flushes are being written off the
	// writer; other requests wait for them first (flush_background.go).
	besideFlushes bool
}

// maxCommitGroup bounds how many queued commits share one SQLite
// transaction.
const maxCommitGroup = 256

// do runs fn on the writer goroutine, once no flush is being written off
// it, and returns its error.
func (ns *namespace) do(fn func() error) error {
	return ns.doRequest(&request{run: fn, reply: make(chan error, 1)})
}

// doBesideFlushes is do for an fn that neither flushes nor publishes
// manifests nor changes the catalog, so it need not wait for flushes
// being written (storing a sequence's position, building a key index).
func (ns *namespace) doBesideFlushes(fn func() error) error {
	return ns.doRequest(&request{run: fn, reply: make(chan error, 1), besideFlushes: true})
}

func (ns *namespace) doRequest(r *request) error {
	select {
	case ns.reqs <- r:
	case <-ns.done:
		return ns.stoppedErr()
	}
	select {
	case err := <-r.reply:
		return err
	case <-ns.done:
		// The writer replies before it stops (the request that drops the
		// namespace does both), and select picks randomly among ready cases.
		select {
		case err := <-r.reply:
			return err
		default:
		}
		return ns.stoppedErr()
	}
}

var errStoreClosed = pgerr.New(pgerr.AdminShutdown, "terminating connection due to administrator command: storage is closed")

// commit hands c to the writer and waits until it is durable.
func (ns *namespace) commit(c *nsCommit) error {
	reply := make(chan error, 1)
	r := &request{commit: &commitRequest{c: c, reply: reply}}
	select {
	case ns.reqs <- r:
	case <-ns.done:
		return ns.stoppedErr()
	}
	select {
	case err := <-reply:
		return err
	case <-ns.done:
		select {
		case err := <-reply:
			return err
		default:
		}
		return ns.stoppedErr()
	}
}

// stoppedErr is the error of a request the writer will never run.
func (ns *namespace) stoppedErr() error {
	if ns.crashed != nil {
		return ns.crashed
	}
	if ns.dropped.Load() {
		return pgerr.New(pgerr.InvalidSchemaName, "schema %q does not exist", ns.name)
	}
	return errStoreClosed
}

func (ns *namespace) loop() {
	defer close(ns.done)
	defer ns.abandonFlushes()
	defer ns.recoverWriter()
	var group []*commitRequest
	for {
		select {
		case r := <-ns.reqs:
			if r.commit == nil {
				if !r.besideFlushes {
					ns.awaitFlushes()
				}
				r.reply <- r.run()
				if ns.dropped.Load() {
					return
				}
				ns.flushOverdue()
				ns.armIdleTidy()
				continue
			}
			// Take every commit already queued into the same group.
			group = append(group[:0], r.commit)
			var other *request
		drain:
			for len(group) < maxCommitGroup {
				select {
				case r2 := <-ns.reqs:
					if r2.commit == nil {
						other = r2
						break drain
					}
					group = append(group, r2.commit)
				default:
					break drain
				}
			}
			ns.commitGroup(group)
			if other != nil {
				if !other.besideFlushes {
					ns.awaitFlushes()
				}
				other.reply <- other.run()
				if ns.dropped.Load() {
					return
				}
			}
			ns.flushOverdue()
			ns.armIdleTidy()
		case f := <-ns.flushWritten:
			if ns.quitting() {
				// The flush came in as the writer stops: it publishes
				// nothing more (abandonFlushes), though select may take
				// this case before the quit one.
				ns.abandonFlush(f)
				return
			}
			ns.finishFlush(f)
			ns.flushOverdue()
			ns.armIdleTidy()
		case <-ns.flushRetry.C:
			ns.flushOverdue()
		case <-ns.idleTidy.C:
			ns.tidy()
		case <-ns.quit:
			return
		}
	}
}

// quitting reports whether the writer has been told to stop.
func (ns *namespace) quitting() bool {
	select {
	case <-ns.quit:
		return true
	default:
		return false
	}
}

// maxTailBatches bounds the number of tail batches of a table: many
// small commits would otherwise make every scan walk thousands of tiny
// records (a point lookup then costs more in the tail than in the
// segments: pgbench's TPC-B ran 2-4 times faster with 512 than with
// 4096, before each batch carried its leading key's bounds inline,
// tail_bounds.go). The flushes this costs are small, and compaction
// merges their segments; with the inline bounds, 1024 batches made
// TPC-B 6% faster than 512 at 4 clients and 3% at 16 (half as many
// flushes and compactions), and 2048 no faster than 1024.
const maxTailBatches = 1024

// flushOverdue starts flushing the tables whose tails outgrew
// Options.FlushRows or maxTailBatches, or hold back the deletion of
// flushed events by more than maxEventLag commits (flushed_events.go),
// or whose earlier flush failed, off the writer (flush_background.go).
// A failure leaves the events in SQLite and the table marked for another
// attempt once its backoff has passed (backoff.go); the writer's retry
// timer wakes it then if no request does.
func (ns *namespace) flushOverdue() {
	st := ns.state.Load()
	now := time.Now()
	for id, ts := range st.byID {
		batches := len(ts.inserts) + len(ts.deletes)
		retry := ns.flushDue[id]
		if retry != nil && !retry.due(now) {
			continue
		}
		if ts.tailRows > int64(ns.store.opts.FlushRows) || batches > maxTailBatches || retry != nil ||
			(batches > 0 && ts.oldestTailSeq()+maxEventLag < st.seq) {
			ns.startFlush(id)
		}
	}
	ns.scheduleFlushRetry(now)
}

// openNamespace opens the namespace stored in dir, replaying the events
// committed after each table's last flush, and starts its writer.
func openNamespace(s *Store, dir string) (*namespace, error) {
	db, err := openWriterDB(filepath.Join(dir, writerDBName))
	if err != nil {
		return nil, err
	}
	ns := &namespace{
		store:        s,
		dir:          dir,
		db:           db,
		reqs:         make(chan *request),
		quit:         make(chan struct{}),
		done:         make(chan struct{}),
		lastDelete:   map[int64]*deletionSeqs{},
		flushDue:     map[int64]*retryBackoff{},
		flushRetry:   stoppedTimer(),
		idleTidy:     stoppedTimer(),
		flushing:     map[int64]bool{},
		flushWritten: make(chan *backgroundFlush),
		keys:         map[int64]map[string]*keyIndex{},
		seqs:         map[int64]*seqValue{},
		flushedSeqs:  map[manifestKey]uint64{},
		namedFiles:   map[manifestKey]namedFiles{},
		denseRowIDs:  map[string]bool{},
		created:      map[int64]uint64{},
	}
	if err := ns.load(); err != nil {
		db.Close()
		return nil, err
	}
	if ns.stmts, err = prepareWriterStatements(db); err != nil {
		db.Close()
		return nil, err
	}
	if err := ns.startSweep(); err != nil {
		db.Close()
		return nil, err
	}
	go ns.loop()
	return ns, nil
}

func (ns *namespace) load() error {
	if err := ns.db.QueryRow(`SELECT name FROM namespace`).Scan(&ns.name); err != nil {
		return fmt.Errorf("namespace in %s has no name: %w", ns.dir, err)
	}
	if err := ns.recoverPrepared(); err != nil {
		return fmt.Errorf("recover schema %s: %w", ns.name, err)
	}
	tag, err := readMeta(ns.db, objectTagKey)
	if err != nil {
		return err
	}
	ns.prefix = objectPrefix(filepath.Base(ns.dir), tag)
	st := newNSState(ns.name, ns.prefix)
	seq, err := readMeta(ns.db, "seq")
	if err != nil {
		return err
	}
	next, err := readMeta(ns.db, "next_row_id")
	if err != nil {
		return err
	}
	if next < 1 {
		next = 1
	}
	ns.counters.rowIDs = next
	if hwm, err := readMeta(ns.db, "next_object_id"); err != nil {
		return err
	} else {
		ns.store.raiseObjectID(hwm)
		ns.counters.objectIDs = hwm
	}
	if err := loadObjects(ns.db, st); err != nil {
		return err
	}
	if hi, err := ns.commits.load(ns.db); err != nil {
		return err
	} else {
		ns.store.raiseTxID(hi + 1)
	}
	// The newest commit's row is the namespace's seq (commit_counters.go);
	// databases written before kept it in meta as well.
	st.seq = max(uint64(seq), ns.commits.newest())
	if oid, err := readMeta(ns.db, schemaOIDKey); err != nil {
		return err
	} else if oid > 0 {
		st.oid = uint32(oid)
		ns.store.raiseObjectID(oid + 1)
	}
	var spilled []replaySpill
	for id, ts := range st.byID {
		ns.store.raiseObjectID(id + 1)
		m, err := ns.store.objects.loadManifest(ts.prefix, ts.table)
		if err != nil {
			return err
		}
		if m, err = ns.publishLoggedFlushes(ts, m); err != nil {
			return fmt.Errorf("recover table %s.%s: %w", ns.name, ts.table.Name, err)
		}
		ts.manifest = m
		for _, seg := range m.Segments {
			next = max(next, seg.MaxRowID+1)
		}
		hi, spill, err := ns.replay(ts)
		if err != nil {
			return fmt.Errorf("replay table %s.%s: %w", ns.name, ts.table.Name, err)
		}
		if spill != nil {
			spilled = append(spilled, replaySpill{id, spill})
		}
		next = max(next, hi+1)
		// Events a published manifest already covers were flushed; a
		// crash may have stopped before they were removed.
		if err := deleteFlushedEvents(ns.db, id, m.FlushedSeq); err != nil {
			return err
		}
	}
	for _, ix := range st.indexes {
		ns.store.raiseObjectID(ix.ID + 1)
	}
	for _, v := range st.views {
		ns.store.raiseObjectID(v.ID + 1)
	}
	for _, u := range st.types {
		for _, id := range u.OIDs() {
			ns.store.raiseObjectID(id + 1)
		}
	}
	if err := ns.loadSequenceValues(st); err != nil {
		return err
	}
	ns.nextRowID.Store(next)
	ns.state.Store(st)
	ns.removeOrphans(st)
	ns.flushReplayed(spilled)
	// Index files a crash kept a CREATE INDEX from building (index_files.go).
	if err := ns.syncIndexFiles(&nsState{}, st); err != nil {
		ns.store.objects.noteFailedJob()
		slog.Warn("building index files failed", "schema", ns.name, "err", err)
	}
	return nil
}

// replay rebuilds ts's tail from the events after its manifest's
// FlushedSeq and returns the highest row id seen. Inserted rows beyond
// the store's spill limit go to a spill file, returned (see
// replay_spill.go).
func (ns *namespace) replay(ts *tableState) (hi int64, spill *spillFile, err error) {
	rows, err := ns.db.Query(`SELECT seq, op, row_ids, payload FROM events
		WHERE table_id = ? AND seq > ? AND `+tailOps+` ORDER BY seq, ord`,
		ts.table.ID, ts.manifest.FlushedSeq)
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	defer func() {
		if err != nil && spill != nil {
			spill.close()
			spill = nil
		}
	}()
	var inMemory int64
	for rows.Next() {
		var seq uint64
		var op int
		var ids, payload []byte
		if err := rows.Scan(&seq, &op, &ids, &payload); err != nil {
			return 0, spill, err
		}
		if op == opDelete || op == opChange {
			list, err := decodeIDs(ids)
			if err != nil {
				return 0, spill, err
			}
			ts.deletes = append(ts.deletes, tailDelete{seq: seq, ids: list})
			ts.tailRows += int64(len(list))
		}
		if op == opInsert || op == opChange {
			rec, err := decodeRecord(payload)
			if err != nil {
				return 0, spill, err
			}
			for _, id := range rec.Column(int(rec.NumCols()) - 1).(*array.Int64).Int64Values() {
				hi = max(hi, id)
			}
			ts.tailRows += rec.NumRows()
			inMemory += recordBytes(rec)
			if spill == nil && ns.store.overSpillLimit(inMemory) {
				if spill, err = newSpillFile(ns.store.opts.TempDir); err != nil {
					rec.Release()
					return 0, nil, fmt.Errorf("replay beyond memory: %w", err)
				}
			}
			if spill == nil {
				ts.inserts = append(ts.inserts, committedTail(seq, rec, tailLead(ts.table)))
				continue
			}
			b, err := spill.writeEncoded(payload, rec.NumRows())
			rec.Release()
			if err != nil {
				return 0, spill, fmt.Errorf("replay beyond memory: %w", err)
			}
			ts.inserts = append(ts.inserts, tailInsert{seq: seq, spilled: b})
		}
	}
	return hi, spill, rows.Err()
}

// removeOrphans deletes the objects of tables that no longer exist
// (dropped before a crash removed their files).
func (ns *namespace) removeOrphans(st *nsState) {
	tables, err := ns.store.objects.children(ns.prefix + "/")
	if err != nil {
		return
	}
	for _, name := range tables {
		id, err := strconv.ParseInt(name, 10, 64)
		if err == nil && st.byID[id] == nil {
			ns.store.objects.removeAll(ns.prefix + "/" + name)
		}
	}
}

// flushAll flushes every table with an unflushed tail.
func (ns *namespace) flushAll() error {
	st := ns.state.Load()
	ids := make([]int64, 0, len(st.byID))
	for id, ts := range st.byID {
		if len(ts.inserts) > 0 || len(ts.deletes) > 0 {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	var errs []error
	for _, id := range ids {
		if err := ns.flushTable(id); err != nil {
			ns.flushFailed(id, err)
			errs = append(errs, err)
		} else {
			ns.flushSucceeded(id)
		}
	}
	ns.collectHistory(nil)
	return errors.Join(errs...)
}

// close stops the writer and the orphan sweep and closes the database.
// Closing the store and dropping the namespace may both close it; only
// the first call acts.
func (ns *namespace) close() error { return ns.shutdown(false) }

// closeClean is close at the end of a clean shutdown: the writer flushed
// what it could, so unless something failed the schema holds no
// orphans, which it records (orphan_sweep.go).
func (ns *namespace) closeClean() error { return ns.shutdown(true) }

func (ns *namespace) shutdown(clean bool) error {
	ns.closeOnce.Do(func() {
		close(ns.quit)
		<-ns.done
		ns.sweeping.Wait()
		if clean && !ns.dropped.Load() {
			ns.recordSweep()
		}
		ns.closeErr = ns.db.Close()
	})
	return ns.closeErr
}

// allocRowIDs reserves n consecutive row ids and returns the first.
func (ns *namespace) allocRowIDs(n int) int64 {
	return ns.nextRowID.Add(int64(n)) - int64(n)
}
