package storage

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// Time travel reads a table as it was at an earlier commit S of its
// namespace. Every published manifest version stays on disk while the
// history retention needs it (gc.go), and so do the event files of the
// flushes since, so the state at S is rebuilt like the state after a
// restart: the newest manifest version whose FlushedSeq is at or below
// S, plus the events in (FlushedSeq, S] replayed as its tail. For an S at
// or after the current manifest, the tail is the current one cut at S.
// A historic state is read with the same scan as the current one.
//
// The catalog is today's: a table reads with its current definition,
// which the historic data shares, because every change of a table's
// columns gives it a new id (see "Altering tables" in doc.go). A table
// whose id did not exist at S (created, or rewritten by ALTER TABLE,
// later) cannot be read as of S.

// AsOf names a point in the history: a time, or a commit seq of each
// schema (seqs count the commits of one schema).
type AsOf struct {
	Time  time.Time
	Seq   uint64
	BySeq bool
}

// String is the point as a user wrote it.
func (a AsOf) String() string {
	if a.BySeq {
		return "commit " + strconv.FormatUint(a.Seq, 10)
	}
	return a.Time.UTC().Format("2006-01-02 15:04:05.999999Z07")
}

// SnapshotAsOf returns a read-only snapshot of the store as of at: the
// current catalog, each table's rows as they were then.
func (s *Store) SnapshotAsOf(at AsOf) *Snapshot { return s.Snapshot().At(at) }

// At returns a read-only copy of s whose scans read each table's rows as
// of at; its catalog is s's, without a transaction's own changes.
func (s *Snapshot) At(at AsOf) *Snapshot {
	c := *s
	c.pending = nil
	c.asOf = &historicReads{at: at, states: map[int64]*tableState{}}
	return &c
}

// ScanAsOf is Scan of t's rows as of at (its definition is the
// snapshot's).
func (s *Snapshot) ScanAsOf(t *catalog.Table, at AsOf, cols []int, preds []Predicate) (RecordReader, error) {
	return s.At(at).Scan(t, cols, preds)
}

// historicReads is the time-travel part of a snapshot: the point it reads
// and the table states rebuilt for it so far.
type historicReads struct {
	at     AsOf
	mu     sync.Mutex
	states map[int64]*tableState
}

// AsOf reports the point in history the snapshot reads, if it is a
// time-travel snapshot.
func (s *Snapshot) AsOf() (AsOf, bool) {
	if s.asOf == nil {
		return AsOf{}, false
	}
	return s.asOf.at, true
}

// readState is the state a scan of t reads: the snapshot's, or for a
// time-travel snapshot the one rebuilt as of its point.
func (s *Snapshot) readState(t *catalog.Table) (*tableState, error) {
	ts := s.tableState(t)
	if ts == nil {
		return nil, pgerr.New(pgerr.UndefinedTable, "relation %q does not exist", t.Name)
	}
	h := s.asOf
	if h == nil {
		return ts, nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if old := h.states[t.ID]; old != nil {
		return old, nil
	}
	ns := s.store.namespace(t.Schema)
	if ns == nil {
		return nil, pgerr.New(pgerr.InvalidSchemaName, "schema %q does not exist", t.Schema)
	}
	seq, err := ns.seqOf(h.at, s.spaces[t.Schema].seq)
	if err != nil {
		return nil, err
	}
	old, err := ns.tableAsOf(ts, seq, h.at)
	if err != nil {
		return nil, err
	}
	h.states[t.ID] = old
	return old, nil
}

// seqOf is the commit seq of the namespace that at reads, at most cur.
func (ns *namespace) seqOf(at AsOf, cur uint64) (uint64, error) {
	if at.BySeq {
		if at.Seq > cur {
			return 0, pgerr.New(pgerr.InvalidParameterValue, "schema %q has no commit %d yet (its latest is %d)", ns.name, at.Seq, cur)
		}
		if first, _, ok := ns.commits.oldest(); ok && first > 1 && at.Seq < first {
			return 0, historyExpired(at)
		}
		return at.Seq, nil
	}
	first, _, ok := ns.commits.oldest()
	pruned := cur > 0 && (!ok || first > 1)
	seq, ok := ns.commits.seqAt(at.Time.UnixMicro(), pruned)
	if !ok {
		return 0, historyExpired(at)
	}
	return min(seq, cur), nil
}

// historyExpired is the error of a read older than the retained history,
// with PostgreSQL's code for a snapshot too old.
func historyExpired(at AsOf) error {
	e := pgerr.New(pgerr.SnapshotTooOld, "history as of %s is no longer retained", at)
	e.Hint = "The server keeps history for its --history-retention."
	return e
}

// tableAsOf rebuilds ts's table as of commit seq.
func (ns *namespace) tableAsOf(ts *tableState, seq uint64, at AsOf) (*tableState, error) {
	created, err := ns.createdSeq(ts.table.ID)
	if err != nil {
		return nil, err
	}
	if seq < created {
		e := pgerr.New(pgerr.UndefinedTable, "relation %q did not exist as of %s", ts.table.Name, at)
		e.Detail = fmt.Sprintf("It was created, or rewritten by ALTER TABLE, in commit %d of schema %q.", created, ns.name)
		return nil, e
	}
	old := *ts
	if seq >= ts.manifest.FlushedSeq {
		old.inserts = ts.inserts[:countUpTo(len(ts.inserts), func(i int) uint64 { return ts.inserts[i].seq }, seq)]
		old.deletes = ts.deletes[:countUpTo(len(ts.deletes), func(i int) uint64 { return ts.deletes[i].seq }, seq)]
		return &old, nil
	}
	m, err := ns.manifestAsOf(ts, seq)
	if err != nil {
		return nil, err
	}
	if m == nil {
		return nil, historyExpired(at)
	}
	if m.FlushedSeq < seq {
		i := slices.IndexFunc(ts.manifest.Events, func(f *EventFile) bool { return f.ToSeq > m.FlushedSeq })
		if i < 0 || ts.manifest.Events[i].FromSeq > m.FlushedSeq {
			return nil, historyExpired(at)
		}
	}
	ins, del, err := ns.readEvents(ts, ts.manifest.Events, m.FlushedSeq, seq, nil)
	if err != nil {
		return nil, err
	}
	old.manifest, old.inserts, old.deletes = m, ins, del
	return &old, nil
}

// countUpTo is how many of the n ascending seqs (seqAt(i)) are at most seq.
func countUpTo(n int, seqAt func(int) uint64, seq uint64) int {
	return sort.Search(n, func(i int) bool { return seqAt(i) > seq })
}

// manifestAsOf returns the newest retained manifest version of ts's table
// whose FlushedSeq is at most seq, the empty version 0 when the table was
// not flushed by then, or nil when that version is no longer retained.
func (ns *namespace) manifestAsOf(ts *tableState, seq uint64) (*Manifest, error) {
	versions, err := ns.manifestVersions(ts)
	if err != nil {
		return nil, err
	}
	best := -1
	for i, v := range versions {
		if v.flushedSeq <= seq {
			best = i
		}
	}
	if best < 0 {
		// Version 0 is empty: right when the table's first retained
		// version came after seq and its events since creation are kept
		// (the caller checks the events).
		if len(versions) > 0 && versions[0].version > 1 {
			return nil, nil
		}
		return &Manifest{TableID: ts.table.ID}, nil
	}
	return ns.store.objects.readManifest(ts.prefix, versions[best].version, ts.table)
}

// manifestVersion is one retained manifest version of a table.
type manifestVersion struct {
	version    int64
	flushedSeq uint64
}

// manifestVersions lists the retained manifest versions of ts's table in
// version order (FlushedSeq never decreases with the version). A
// version's FlushedSeq is read once and remembered: manifests are
// immutable.
func (ns *namespace) manifestVersions(ts *tableState) ([]manifestVersion, error) {
	versions, err := ns.store.objects.manifestVersions(ts.prefix)
	if err != nil {
		return nil, err
	}
	var out []manifestVersion
	for _, v := range versions {
		if v > ts.manifest.Version {
			// A version above the current one was written by a
			// publication that failed and could not tell whether it
			// landed: it did not count while this server ran.
			continue
		}
		fs, err := ns.flushedSeqOf(ts, v)
		if err != nil {
			return nil, err
		}
		out = append(out, manifestVersion{version: v, flushedSeq: fs})
	}
	return out, nil
}

// flushedSeqOf returns the FlushedSeq of a manifest version of ts's table.
func (ns *namespace) flushedSeqOf(ts *tableState, version int64) (uint64, error) {
	key := manifestKey{ts.table.ID, version}
	ns.historyMu.Lock()
	fs, ok := ns.flushedSeqs[key]
	ns.historyMu.Unlock()
	if ok {
		return fs, nil
	}
	if version == ts.manifest.Version {
		fs = ts.manifest.FlushedSeq
	} else {
		m, err := ns.store.objects.readManifest(ts.prefix, version, ts.table)
		if err != nil {
			return 0, err
		}
		fs = m.FlushedSeq
	}
	ns.historyMu.Lock()
	ns.flushedSeqs[key] = fs
	ns.historyMu.Unlock()
	return fs, nil
}

// manifestKey names one manifest version of one table.
type manifestKey struct {
	table   int64
	version int64
}

// createdSeq is the commit that created the table with id (its first
// catalog event), remembered once known.
func (ns *namespace) createdSeq(id int64) (uint64, error) {
	ns.historyMu.Lock()
	seq, ok := ns.created[id]
	ns.historyMu.Unlock()
	if ok {
		return seq, nil
	}
	var v *int64
	if err := ns.db.QueryRow(`SELECT min(seq) FROM events WHERE op = ? AND table_id = ?`, opDDL, id).Scan(&v); err != nil {
		return 0, err
	}
	if v != nil {
		seq = uint64(*v)
	}
	ns.historyMu.Lock()
	ns.created[id] = seq
	ns.historyMu.Unlock()
	return seq, nil
}
