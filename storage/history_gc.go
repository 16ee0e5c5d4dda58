package storage

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"time"
)

// History retention and garbage collection.
//
// Nothing published is deleted while a read may need it: the manifest
// versions time travel needs, the segments and deletion vectors they
// name and the event files stay until the history retention
// (Options.HistoryRetention) has passed them. The horizon of a namespace is the newest commit at or before
// now - retention, lowered to the oldest snapshot an active transaction
// reads; the state at the horizon, and everything after, stay readable.
// After each flush and at every Checkpoint the writer collects a table:
//
//   - manifest versions older than the one in effect at the horizon are
//     deleted, and so are the segment, deletion-vector and event files
//     that only they named (a file still named by a kept version stays);
//   - between the horizon and the versions active snapshots may read,
//     one version per thinSpan commits stays: time travel replays the
//     events after the newest kept one, so it needs no more;
//   - event files whose events all precede that version are dropped from
//     the current manifest (a new version with the same FlushedSeq, like
//     a compaction's), and runs of small event files are merged
//     (mergeEventFiles);
//   - commits before the horizon leave the commit log.
//
// A collection publishes before it deletes, so a crash in between leaves
// only unreferenced files, which the orphan sweep after the next open
// removes (orphan_sweep.go).

// defaultHistoryRetention is how long history stays when Options do not
// say.
const defaultHistoryRetention = 24 * time.Hour

// historyRetention is the store's retention; a negative one keeps all.
func (s *Store) historyRetention() time.Duration {
	if s.opts.HistoryRetention == 0 {
		return defaultHistoryRetention
	}
	return max(s.opts.HistoryRetention, 0)
}

// historyHorizon returns the oldest commit seq of ns whose state must
// stay readable, and the oldest seq an active transaction's snapshot
// reads (the horizon is at most that).
func (ns *namespace) historyHorizon(st *nsState) (horizon, active uint64) {
	active = ns.store.oldestBase(ns.name, st.seq)
	if ns.store.opts.HistoryRetention < 0 {
		return 0, active
	}
	horizon = ns.commits.horizon(time.Now().Add(-ns.store.historyRetention()).UnixMicro())
	return min(horizon, active), active
}

// thinSpan is how many commits apart the manifest versions kept for time
// travel between the horizon and the active snapshots are at least: a
// read as of a time in between replays the events after the newest kept
// version at or before it, so this bounds what it replays, while a
// table flushing every few seconds keeps a version per thinSpan commits
// instead of every one.
const thinSpan = 1024

// collectHistory deletes what the retention no longer needs of the
// tables ids of ns, or of all its tables when ids is nil (on the writer
// goroutine). Failures are logged: the files stay for a later attempt.
func (ns *namespace) collectHistory(ids []int64) {
	st := ns.state.Load()
	horizon, active := ns.historyHorizon(st)
	all := ids == nil
	if all {
		for id := range st.byID {
			ids = append(ids, id)
		}
	}
	for _, id := range ids {
		if err := ns.collectTable(id, horizon, active, all); err != nil {
			ns.store.objects.noteFailedJob()
			slog.Warn("collecting old table versions failed", "schema", ns.name, "table", st.byID[id].table.Name, "err", err)
		}
	}
	// A flush writes the times of its tail's commits (event files).
	horizon = min(horizon, ns.state.Load().oldestTailSeq())
	if first, _, ok := ns.commits.oldest(); ok && first < horizon {
		ns.commits.pruneBefore(horizon)
		ns.db.Exec(`DELETE FROM commits WHERE seq < ?`, horizon)
	}
	// At a checkpoint (all tables), delete the flushed events the next
	// commit would have (flushed_events.go).
	if all {
		if through, err := ns.deleteFlushedPrefix(ns.db); err == nil {
			ns.deletedFlushedPrefix(through)
		}
	}
	// Give the pages of deleted events and commits back to the file
	// system (writer.sqlite is created with auto_vacuum=INCREMENTAL),
	// every vacuumEvery collections (each a transaction, with an fsync, on
	// the writer); at a checkpoint also move the log into the database
	// file and truncate it, so that the files shrink at once.
	ns.collections++
	if all || ns.collections%vacuumEvery == 0 {
		ns.db.Exec(`PRAGMA incremental_vacuum`)
	}
	if all {
		ns.db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	}
}

// vacuumEvery is how many history collections (one per flush) run an
// incremental vacuum of the writer's database between checkpoints.
const vacuumEvery = 16

// collectTable collects the history of one table before horizon, and
// thins the manifest versions between horizon and active (history_gc.go).
// A run of event files due to merge is merged at once when now is set (a
// checkpoint), else off the writer (mergeEventFilesSoon).
func (ns *namespace) collectTable(id int64, horizon, active uint64, now bool) error {
	ts := ns.state.Load().byID[id]
	if ts == nil {
		return nil
	}
	versions, err := ns.manifestVersions(ts)
	if err != nil {
		return err
	}
	// keep is the first version to keep: the one in effect at the horizon.
	keep := 0
	for i, v := range versions {
		if v.flushedSeq <= horizon {
			keep = i
		}
	}
	// Event files are needed from the kept version's FlushedSeq on; with
	// no version at or before the horizon, from the table's creation.
	keptFlushed := uint64(0)
	if len(versions) > 0 && versions[keep].flushedSeq <= horizon {
		keptFlushed = versions[keep].flushedSeq
	}
	cur := ts.manifest
	expired := 0
	for expired < len(cur.Events) && cur.Events[expired].ToSeq <= keptFlushed {
		expired++
	}
	if expired > 0 {
		if err := ns.publishEvents(ts, slices.Clone(cur.Events[expired:])); err != nil {
			return err
		}
		ts = ns.state.Load().byID[id]
	}
	if now {
		if err := ns.mergeEventFiles(ts); err != nil {
			return err
		}
	} else {
		ns.mergeEventFilesSoon(ts)
	}
	ts = ns.state.Load().byID[id]
	removed, retained := thinVersions(versions, keep, active)
	if len(removed) == 0 {
		return nil
	}
	kept, err := ns.filesOf(ts, retained, true)
	if err != nil {
		return err
	}
	old, err := ns.filesOf(ts, removed, true)
	if err != nil {
		return err
	}
	var garbage []string
	for f := range old {
		if !kept[f] {
			garbage = append(garbage, f)
		}
	}
	for _, v := range removed {
		garbage = append(garbage, manifestDir+"/"+fmt.Sprintf(manifestPattern, v.version))
	}
	for _, f := range garbage {
		key := tableFile(ts.prefix, f)
		ns.store.files.forget(func(p string) bool { return p == key })
		ns.forgetSegment(key)
		if err := ns.store.objects.remove(key); err != nil {
			return err
		}
	}
	ns.historyMu.Lock()
	for _, v := range removed {
		delete(ns.flushedSeqs, manifestKey{id, v.version})
		delete(ns.namedFiles, manifestKey{id, v.version})
	}
	ns.historyMu.Unlock()
	ns.store.stats.historyFilesRemoved.Add(int64(len(garbage)))
	if l := ns.store.lake; l != nil {
		l.note(ts.prefix, ts.manifest.Version) // expire their Iceberg snapshots
	}
	return nil
}

// thinVersions splits a table's retained manifest versions into those
// to remove and those to keep: every version before keep (the one in
// effect at the horizon); then, up to the versions an active snapshot
// may read (from the first with the FlushedSeq in effect at active on,
// as a compaction publishes versions with equal FlushedSeqs), all but
// one per thinSpan commits. The horizon's version, those active
// snapshots read and the current one always stay.
func thinVersions(versions []manifestVersion, keep int, active uint64) (removed, retained []manifestVersion) {
	if len(versions) == 0 {
		return nil, nil
	}
	protect := 0
	for i, v := range versions {
		if v.flushedSeq <= active {
			protect = i
		}
	}
	for protect > 0 && versions[protect-1].flushedSeq == versions[protect].flushedSeq {
		protect--
	}
	removed = append(removed, versions[:keep]...)
	retained = append(retained, versions[keep])
	if keep == len(versions)-1 {
		return removed, retained
	}
	protect = min(max(protect, keep+1), len(versions)-1)
	last := versions[keep].flushedSeq
	for _, v := range versions[keep+1 : protect] {
		if v.flushedSeq < last+thinSpan {
			removed = append(removed, v)
			continue
		}
		retained = append(retained, v)
		last = v.flushedSeq
	}
	return removed, append(retained, versions[protect:]...)
}

// publishEvents publishes ts's manifest with its event files replaced by
// events (fewer, expired ones dropped, or merged), as a new version with
// the same FlushedSeq. The files it no longer lists stay while an older
// retained version names them (collectTable deletes them after).
func (ns *namespace) publishEvents(ts *tableState, events []*EventFile) error {
	m := *ts.manifest
	m.Events = events
	return ns.republish(ts, &m)
}

// republish publishes m, ts's manifest with its files changed but not its
// data (the same FlushedSeq), as ts's next version, and a state with it
// (writer goroutine).
func (ns *namespace) republish(ts *tableState, m *Manifest) error {
	if ns.frozen != nil { // a bulk commit's manifest comes first (bulk_commit.go)
		return ns.frozen
	}
	m.Version = ts.manifest.Version + 1
	if err := ns.store.objects.publishManifest(ts.prefix, m); err != nil {
		return err
	}
	st := ns.state.Load()
	nts := *st.byID[ts.table.ID]
	nts.manifest = m
	nst := st.clone()
	nst.tables[nts.table.Name] = &nts
	nst.byID[nts.table.ID] = &nts
	ns.state.Store(nst)
	return nil
}

// Event files are merged like the levels of an LSM tree, so that a
// table has a few of them however many flushes wrote its history: when
// eventMergeFanIn consecutive files are of one size tier (rows in
// [1024·8^(t-1), 1024·8^t)), they become one file of the next tier.
// Every event is rewritten once per tier, and a manifest lists fewer
// than eventMergeFanIn files per tier. An insertion reference (a
// segment, event_files.go) is never merged: a run merges the files around
// it, and it follows the merged file, which covers its seqs too. A merge reads its inputs into
// memory, so files stop merging once a merge would hold more than
// maxEventMergeRows rows (the tier of a large flush's file): a table's
// history then lists a file per million or so events.
const (
	eventMergeFanIn   = 8
	maxEventMergeRows = 1 << 20
)

// eventTier is the size tier of an event file of rows rows.
func eventTier(rows int64) int {
	t := 0
	for rows >= 1024 {
		rows /= eventMergeFanIn
		t++
	}
	return t
}

// eventRun is a run of event files to merge: span, consecutive entries
// of a manifest's events, of which files are the event files of one tier
// and refs the insertion references among them.
type eventRun struct {
	span, files, refs []*EventFile
}

// dueEventRun returns the oldest run of eventMergeFanIn consecutive event
// files of one tier in events, if there is one.
func dueEventRun(events []*EventFile) (eventRun, bool) {
	for i := 0; i+eventMergeFanIn <= len(events); {
		if events[i].Inserted != nil { // a segment, never rewritten as events
			i++
			continue
		}
		// The run: files of events[i]'s tier, and the references among them.
		tier, j := eventTier(events[i].Rows), i+1
		r := eventRun{files: []*EventFile{events[i]}}
		for ; j < len(events) && len(r.files) < eventMergeFanIn; j++ {
			if events[j].Inserted != nil {
				r.refs = append(r.refs, events[j])
				continue
			}
			if eventTier(events[j].Rows) != tier {
				break
			}
			r.files = append(r.files, events[j])
		}
		var rows int64
		for _, ev := range r.files {
			rows += ev.Rows
		}
		if len(r.files) < eventMergeFanIn || rows > maxEventMergeRows {
			i++
			continue
		}
		r.span = slices.Clone(events[i:j])
		return r, true
	}
	return eventRun{}, false
}

// writeMergedEvents reads run of ts's event files and writes them as one.
func (ns *namespace) writeMergedEvents(ts *tableState, run eventRun) (*EventFile, error) {
	from, to := run.files[0].FromSeq, run.files[len(run.files)-1].ToSeq
	commits := map[uint64]commitMeta{}
	ins, del, err := ns.readEvents(ts, run.files, from, to, commits)
	if err != nil {
		return nil, err
	}
	defer releaseTail(ins)
	return ns.writeEventFile(ts, ins, del, ts.manifest.Version+1, from, to, func(seq uint64) (commitMeta, bool) {
		c, ok := commits[seq]
		return c, ok
	})
}

// publishMergedEvents publishes table id's manifest with merged in place
// of run (the merged file covers the references' seqs too: they follow
// it), if the manifest still lists run where it did (writer goroutine).
func (ns *namespace) publishMergedEvents(id int64, run eventRun, merged *EventFile) (bool, error) {
	ts := ns.state.Load().byID[id]
	if ts == nil {
		return false, nil
	}
	evs := ts.manifest.Events
	i := slices.IndexFunc(evs, func(ev *EventFile) bool { return sameEventFile(ev, run.span[0]) })
	j := i + len(run.span)
	if i < 0 || j > len(evs) || !slices.EqualFunc(evs[i:j], run.span, sameEventFile) {
		return false, nil
	}
	events := append(append(slices.Clone(evs[:i]), merged), run.refs...)
	return true, ns.publishEvents(ts, append(events, evs[j:]...))
}

// sameEventFile reports whether a and b are one manifest entry.
func sameEventFile(a, b *EventFile) bool {
	return a.File == b.File && a.FromSeq == b.FromSeq && a.ToSeq == b.ToSeq
}

// mergeEventRun writes run of ts's event files as one file and publishes
// it through onWriter, which runs its function on the writer goroutine;
// the file is removed unless it was published. It reports whether it
// was.
func (ns *namespace) mergeEventRun(ts *tableState, run eventRun, onWriter func(func() error) error) (bool, error) {
	merged, err := ns.writeMergedEvents(ts, run)
	if err != nil {
		return false, err
	}
	published := false
	err = onWriter(func() (err error) {
		published, err = ns.publishMergedEvents(ts.table.ID, run, merged)
		return err
	})
	if !published {
		ns.store.objects.remove(tableFile(ts.prefix, merged.File))
	}
	return published, err
}

// mergeEventFiles merges the oldest due run of ts's event files, if
// there is one (writer goroutine, at a checkpoint).
func (ns *namespace) mergeEventFiles(ts *tableState) error {
	run, ok := dueEventRun(ts.manifest.Events)
	if !ok {
		return nil
	}
	_, err := ns.mergeEventRun(ts, run, func(publish func() error) error { return publish() })
	return err
}

// mergeEventFilesSoon merges ts's due runs of event files off the
// writer: reading eight files and writing one held every commit queued
// behind a flush (a tenth of the writer's time in pgbench's TPC-B). A
// background job of the compactor runs mergeDueEventFiles; while a
// compaction of the table runs (the compactor runs one job per table),
// that compaction's job merges them when it is done.
func (ns *namespace) mergeEventFilesSoon(ts *tableState) {
	if _, ok := dueEventRun(ts.manifest.Events); ok {
		ns.store.compactor.spawn(ts.table.ID, func(ctx context.Context) { ns.mergeDueEventFiles(ctx, ts.table.ID) })
	}
}

// mergeDueEventFiles merges the due runs of event files of table id, one
// after another, off the writer (a job of the compactor): it writes each
// merged file, and the writer publishes it if the manifest still lists
// the run, else it is removed and the job ends.
func (ns *namespace) mergeDueEventFiles(ctx context.Context, id int64) {
	for ctx.Err() == nil {
		ts := ns.state.Load().byID[id]
		if ts == nil {
			return
		}
		run, ok := dueEventRun(ts.manifest.Events)
		if !ok {
			return
		}
		published, err := ns.mergeEventRun(ts, run, ns.do)
		if err != nil {
			ns.store.objects.noteFailedJob()
			slog.Warn("merging event files failed", "schema", ns.name, "table", ts.table.Name, "err", err)
		}
		if !published {
			return
		}
	}
}

// filesOf returns the files, relative to the table directory, that ts's
// current manifest and the manifest versions name (with their event
// files when events is set).
func (ns *namespace) filesOf(ts *tableState, versions []manifestVersion, events bool) (map[string]bool, error) {
	files := map[string]bool{}
	ts.manifest.dataFiles(files, events)
	for _, v := range versions {
		if v.version == ts.manifest.Version {
			continue
		}
		named, err := ns.versionFiles(ts, v.version)
		if err != nil {
			return nil, err
		}
		for _, f := range named.data {
			files[f] = true
		}
		if events {
			for _, f := range named.events {
				files[f] = true
			}
		}
	}
	return files, nil
}

// namedFiles are the files one manifest version names: its data files
// (segments, deletion vectors, index files) and its event files.
type namedFiles struct{ data, events []string }

// versionFiles returns the files manifest version of ts's table names,
// read once and remembered (a version never changes): every flush's
// history collection asks for those of all retained versions, and
// reading them anew cost a flush more than writing its segment (a
// table's manifests are tens of kilobytes of JSON each, and tens are
// retained).
func (ns *namespace) versionFiles(ts *tableState, version int64) (namedFiles, error) {
	key := manifestKey{ts.table.ID, version}
	ns.historyMu.Lock()
	named, ok := ns.namedFiles[key]
	ns.historyMu.Unlock()
	if ok {
		return named, nil
	}
	m, err := ns.store.objects.readManifest(ts.prefix, version, ts.table)
	if err != nil {
		return namedFiles{}, err
	}
	data, events := map[string]bool{}, map[string]bool{}
	m.dataFiles(data, false)
	for _, f := range m.Events {
		events[f.File] = true
	}
	named = namedFiles{data: slices.Collect(maps.Keys(data)), events: slices.Collect(maps.Keys(events))}
	ns.historyMu.Lock()
	ns.namedFiles[key] = named
	ns.historyMu.Unlock()
	return named, nil
}

// dataFiles adds to files the files m names, relative to the table
// directory: segments, their deletion vectors and index files, and its
// event files when events is set.
func (m *Manifest) dataFiles(files map[string]bool, events bool) {
	for _, seg := range m.Segments {
		files[seg.File] = true
		if seg.DeletesFile != "" {
			files[seg.DeletesFile] = true
		}
		for _, x := range seg.Indexes {
			files[x.File] = true
		}
	}
	if events {
		for _, f := range m.Events {
			files[f.File] = true
		}
	}
}
