package storage

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/pgerr"
)

// Compaction merges a table's small segments (many small commits flushed
// one by one) and its delete-heavy ones into large segments holding only
// live rows, in segmentOrder. Every row keeps its row id, so deletions,
// which name row ids, mean the same before and after.
//
// It never blocks readers and blocks the writer only for the manifest
// swap:
//
//  1. off the writer, from the table's state at the start (a snapshot),
//     pick the input segments, read their live rows, sort them and write
//     the output segments (synced, referenced by no manifest yet);
//  2. on the writer, rebase onto the current manifest, which flushes may
//     have replaced meanwhile: replace exactly the input segments by the
//     outputs, and carry over into the outputs' deletion vectors the
//     rows deleted from the inputs since step 1 (their row ids mapped to
//     positions in the outputs); the tail's unflushed deletions keep
//     applying by row id. Publish a new manifest version with the same
//     FlushedSeq as the current one, then the new state.
//
// An error anywhere before the publication changes nothing (the outputs
// are removed). The input files and old manifests are never deleted:
// snapshots still read them, and garbage collection decides when no
// retained manifest does. One compaction per table runs at a time.

// CompactionPolicy says when the background compaction of a table runs
// and what it merges. Zero fields take their defaults.
type CompactionPolicy struct {
	// Disabled turns background compaction off (tests); Store.Compact
	// (VACUUM) still compacts.
	Disabled bool
	// SmallRows: a segment with fewer live rows is small. Default one
	// row group (Options.RowGroupRows): the segments of a large load's
	// flush (chunks of flushChunkBytes, a row group or more of all but
	// the widest rows) are written once, not merged again right after
	// (on TPC-H lineitem that rewrite cost a third as much CPU as the
	// COPY itself).
	SmallRows int64
	// MaxSmall: after a flush, a table with more small segments than this
	// is compacted in the background. Default 8.
	MaxSmall int
	// DeletedFraction: a segment with a larger share of deleted rows is
	// delete-heavy, which also starts a background compaction. Default 0.2.
	DeletedFraction float64
	// TargetRows bounds the live rows of one output segment (the rows of
	// one output are sorted in memory). Default 8 row groups.
	TargetRows int64
}

// CompactOptions are the options of Store.Compact.
type CompactOptions struct {
	// Full rewrites every segment regardless of the thresholds (VACUUM
	// FULL).
	Full bool
	// Progress, when set, is called on the caller's goroutine after each
	// group of segments is merged, with the groups merged so far, the
	// groups in all and the live rows written so far: VACUUM's progress
	// notices.
	Progress func(merged, groups int, rows int64)
}

// CompactResult tells what a compaction did.
type CompactResult struct {
	SegmentsBefore, SegmentsAfter int
	// Inputs and Outputs count the segments replaced and written.
	Inputs, Outputs int
	// LiveRows is the rows written; DeletedRowsRemoved the deleted rows of
	// the inputs that are no longer stored.
	LiveRows, DeletedRowsRemoved int64
}

func (s *Store) compactionPolicy() CompactionPolicy {
	p := s.opts.Compaction
	rg := int64(s.opts.RowGroupRows)
	if p.SmallRows <= 0 {
		p.SmallRows = rg
	}
	if p.MaxSmall <= 0 {
		p.MaxSmall = 8
	}
	if p.DeletedFraction <= 0 {
		p.DeletedFraction = 0.2
	}
	if p.TargetRows <= 0 {
		p.TargetRows = 8 * rg
	}
	return p
}

// compactor runs the store's compactions: one at a time per table,
// background ones on their own goroutines, all stopped by Close.
type compactor struct {
	mu     sync.Mutex
	closed bool
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	tables map[int64]*sync.Mutex   // held while a compaction of the table runs
	retry  map[int64]*retryBackoff // tables whose background compaction failed (backoff.go)
	// panicked is told of a compaction that panicked, which may leave
	// the files it wrote (orphan_sweep.go).
	panicked func()

	// beforeSwap, when set (tests), runs between writing a compaction's
	// outputs and its swap on the writer.
	beforeSwap func(table int64)
}

// context returns the context that Close cancels.
func (c *compactor) context() context.Context {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ctx == nil {
		c.ctx, c.cancel = context.WithCancel(context.Background())
	}
	return c.ctx
}

// tableLock returns the mutex held while a compaction of table runs.
func (c *compactor) tableLock(table int64) *sync.Mutex {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tables == nil {
		c.tables = map[int64]*sync.Mutex{}
	}
	m := c.tables[table]
	if m == nil {
		m = new(sync.Mutex)
		c.tables[table] = m
	}
	return m
}

// spawn runs fn on a new goroutine unless the store is closing or a
// compaction of table is running. A panic in fn is logged, not raised.
func (c *compactor) spawn(table int64, fn func(ctx context.Context)) {
	ctx := c.context()
	lock := c.tableLock(table)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed || !lock.TryLock() {
		return
	}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		defer lock.Unlock()
		defer func() {
			if p := recover(); p != nil {
				c.panicked()
				slog.Error("background compaction panicked", "table", table, "panic", p, "stack", string(debug.Stack()))
			}
		}()
		fn(ctx)
	}()
}

// stop cancels the running compactions and waits for them; no new
// background compaction starts after.
func (c *compactor) stop() {
	c.context() // makes c.cancel
	c.mu.Lock()
	c.closed = true
	c.cancel()
	c.mu.Unlock()
	c.wg.Wait()
}

// compactAfterFlush starts a background compaction of table id when the
// policy asks for one (runs on the writer, right after a flush).
func (ns *namespace) compactAfterFlush(id int64) {
	ns.compactIfDue(id, ns.store.compactionPolicy())
}

// compactIfDue starts a background compaction of table id when pol asks
// for one (on the writer).
func (ns *namespace) compactIfDue(id int64, pol CompactionPolicy) {
	if pol.Disabled {
		return
	}
	ts := ns.state.Load().byID[id]
	c := &ns.store.compactor
	if ts == nil || !compactionDue(ts.manifest, pol) || !c.retryDue(id, time.Now()) {
		return
	}
	c.spawn(id, func(ctx context.Context) {
		_, err := ns.compact(ctx, id, CompactOptions{})
		// The event files' merges wait for the table's compaction
		// (history_gc.go).
		defer ns.mergeDueEventFiles(ctx, id)
		switch {
		case err == nil:
			if c.compactionSucceeded(id) {
				slog.Info("background compaction succeeded after failing", "schema", ns.name, "table", ts.table.Name)
			}
		case ctx.Err() == nil && !errors.Is(err, errCompactionObsolete):
			if c.compactionFailed(id) {
				slog.Warn("background compaction failed; it is retried after later flushes, with backoff", "schema", ns.name, "table", ts.table.Name, "err", err)
			}
		}
	})
}

// Compact flushes the tail of table schema.name and compacts its
// segments: with opts.Full every segment is rewritten, otherwise its
// small and delete-heavy ones are merged (CompactionPolicy). It waits
// for a compaction of the table already running.
func (s *Store) Compact(schema, name string, opts CompactOptions) (CompactResult, error) {
	ns := s.namespace(schema)
	if ns == nil {
		return CompactResult{}, pgerr.New(pgerr.InvalidSchemaName, "schema %q does not exist", schema)
	}
	ts := ns.state.Load().tables[name]
	if ts == nil {
		return CompactResult{}, pgerr.New(pgerr.UndefinedTable, "relation %q does not exist", name)
	}
	id := ts.table.ID
	if err := ns.do(func() error { return ns.flushTable(id) }); err != nil {
		return CompactResult{}, err
	}
	lock := s.compactor.tableLock(id)
	lock.Lock()
	defer lock.Unlock()
	res, err := ns.compact(s.compactor.context(), id, opts)
	if errors.Is(err, errCompactionObsolete) {
		err = pgerr.New(pgerr.UndefinedTable, "relation %q does not exist", name)
	}
	return res, err
}

// errCompactionObsolete: the table was dropped or rewritten while it was
// being compacted.
var errCompactionObsolete = errors.New("table changed during compaction")

// compactionDue reports whether the background policy compacts m.
func compactionDue(m *Manifest, pol CompactionPolicy) bool {
	small := 0
	for _, seg := range m.Segments {
		if deleteHeavy(seg, pol) {
			return true
		}
		if seg.Rows-seg.DeletedRows < pol.SmallRows {
			small++
		}
	}
	return small > pol.MaxSmall
}

func deleteHeavy(seg *Segment, pol CompactionPolicy) bool {
	return seg.DeletedRows > 0 && float64(seg.DeletedRows) > pol.DeletedFraction*float64(seg.Rows)
}

// planCompaction groups the segments of m to merge, each group into one
// output of at most about pol.TargetRows live rows, in manifest order.
// Without full, only small and delete-heavy segments are taken, and a
// group of one segment only when it is delete-heavy.
func planCompaction(m *Manifest, pol CompactionPolicy, full bool) [][]*Segment {
	var groups [][]*Segment
	var cur []*Segment
	var rows int64
	done := func() {
		if len(cur) > 1 || len(cur) == 1 && (full || deleteHeavy(cur[0], pol)) {
			groups = append(groups, cur)
		}
		cur, rows = nil, 0
	}
	for _, seg := range m.Segments {
		live := seg.Rows - seg.DeletedRows
		if !full && live >= pol.SmallRows && !deleteHeavy(seg, pol) {
			continue
		}
		if len(cur) > 0 && rows+live > pol.TargetRows {
			done()
		}
		cur = append(cur, seg)
		rows += live
	}
	done()
	return groups
}

// compactOutput is one merged segment, written but not yet published.
type compactOutput struct {
	inputs []*Segment
	seg    *Segment // nil when the inputs hold no live row
	// inputIDs are the row ids of every position of each input; byID the
	// output's positions in row-id order, to map rows deleted meanwhile.
	inputIDs [][]int64
	ids      []int64
	byID     []int32
}

// compact runs one compaction of table id (the caller holds the table's
// compaction lock).
func (ns *namespace) compact(ctx context.Context, id int64, opts CompactOptions) (res CompactResult, err error) {
	defer ns.store.stats.timed(&ns.store.stats.compactNanos)()
	s := ns.store
	ts := ns.state.Load().byID[id]
	if ts == nil {
		return res, errCompactionObsolete
	}
	base := ts.manifest
	res.SegmentsBefore, res.SegmentsAfter = len(base.Segments), len(base.Segments)
	groups := planCompaction(base, s.compactionPolicy(), opts.Full)
	if len(groups) == 0 {
		return res, nil
	}
	var outs []*compactOutput
	var written int64
	// publishing is set once the swap starts to publish: from then on a
	// failure may have left the new manifest current on disk, so the
	// outputs must stay.
	publishing := false
	defer func() {
		if err == nil {
			return
		}
		s.stats.compactFailures.Add(1)
		s.objects.noteFailedJob()
		if publishing {
			return
		}
		for _, o := range outs {
			if o.seg != nil {
				s.objects.remove(tableFile(ts.prefix, o.seg.File))
				for _, x := range o.seg.Indexes {
					s.objects.remove(tableFile(ts.prefix, x.File))
				}
			}
		}
	}()
	for k, g := range groups {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		file := path.Join(segmentDataDir, fmt.Sprintf("c%012d-%03d-%s.parquet", base.Version, k, newFileTag()))
		o, err := ns.mergeSegments(ctx, ts, g, file)
		if o != nil {
			outs = append(outs, o)
		}
		if err != nil {
			return res, fmt.Errorf("compact %s.%s: %w", ns.name, ts.table.Name, err)
		}
		if opts.Progress != nil {
			if o != nil && o.seg != nil {
				written += o.seg.Rows
			}
			opts.Progress(k+1, len(groups), written)
		}
	}
	if hook := s.compactor.beforeSwap; hook != nil {
		hook(id)
	}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	err = ns.do(func() (serr error) {
		// The swap runs on the writer goroutine: a panic in it must not
		// take the writer, and the process, down.
		defer func() {
			if p := recover(); p != nil {
				slog.Error("compaction swap panicked", "schema", ns.name, "table", ts.table.Name, "panic", p, "stack", string(debug.Stack()))
				serr = fmt.Errorf("compaction swap panicked: %v", p)
			}
		}()
		res, serr = ns.swapCompacted(id, outs, &publishing)
		return serr
	})
	if err != nil {
		return res, err
	}
	for _, o := range outs {
		res.Inputs += len(o.inputs)
		for _, in := range o.inputs {
			res.DeletedRowsRemoved += in.DeletedRows
		}
		if o.seg != nil {
			res.Outputs++
			res.LiveRows += o.seg.Rows
		}
	}
	s.stats.compactions.Add(1)
	s.stats.compactedInputs.Add(int64(res.Inputs))
	return res, nil
}

// mergeSegments reads the live rows of inputs (their deletion vectors
// applied; the tail's deletions are not: they keep applying by row id),
// sorts them and writes them to file. It runs off the writer.
func (ns *namespace) mergeSegments(ctx context.Context, ts *tableState, inputs []*Segment, file string) (*compactOutput, error) {
	o := &compactOutput{inputs: inputs}
	for _, in := range inputs {
		ids, err := segmentRowIDs(ns.store, ts.prefix, in)
		if err != nil {
			return o, err
		}
		o.inputIDs = append(o.inputIDs, ids)
	}
	view := &tableState{table: ts.table, prefix: ts.prefix, schema: ts.schema, manifest: &Manifest{TableID: ts.table.ID, Segments: inputs}}
	cols := make([]int, len(ts.table.Columns))
	for i := range cols {
		cols[i] = i
	}
	r, err := newScan(ns.store, view, nil, cols, nil)
	if err != nil {
		return o, err
	}
	defer r.leaveSegment()
	var recs []arrow.Record
	defer func() {
		for _, rec := range recs {
			rec.Release()
		}
	}()
	for {
		if err := ctx.Err(); err != nil {
			return o, err
		}
		rec, err := r.nextSegmentRecord()
		if err != nil {
			return o, err
		}
		if rec == nil {
			break
		}
		recs = append(recs, rec)
	}
	if len(recs) == 0 {
		return o, nil
	}
	rows, err := sortRows(ts.table, r.schema, recs)
	if err != nil {
		return o, err
	}
	defer rows.Release()
	seg, err := writeSegment(ns.store.objects, tableFile(ts.prefix, file), ts.table, []arrow.Record{rows}, ns.store.opts.RowGroupRows, tableIndexes(ns.state.Load(), ts.table)...)
	if err != nil {
		return o, err
	}
	seg.File = file
	o.seg = seg
	if err := writeIndexFiles(ns.store.objects, ts.prefix, ts.table, indexesOf(ns.state.Load(), ts.table), seg, rows); err != nil {
		return o, err
	}
	o.ids = slices.Clone(rows.Column(len(ts.table.Columns)).(*array.Int64).Int64Values())
	o.byID = make([]int32, len(o.ids))
	for i := range o.byID {
		o.byID[i] = int32(i)
	}
	slices.SortFunc(o.byID, func(a, b int32) int { return cmp.Compare(o.ids[a], o.ids[b]) })
	return o, nil
}

// position returns the position of row id r in the output, if present.
func (o *compactOutput) position(r int64) (uint32, bool) {
	i, ok := slices.BinarySearchFunc(o.byID, r, func(p int32, r int64) int { return cmp.Compare(o.ids[p], r) })
	if !ok {
		return 0, false
	}
	return uint32(o.byID[i]), true
}

// swapCompacted replaces the compacted inputs by the outputs in the
// table's current manifest and publishes it (on the writer). It sets
// *publishing right before it starts publishing.
func (ns *namespace) swapCompacted(id int64, outs []*compactOutput, publishing *bool) (CompactResult, error) {
	var res CompactResult
	st := ns.state.Load()
	ts := st.byID[id]
	if ts == nil {
		return res, errCompactionObsolete
	}
	cur := ts.manifest
	res.SegmentsBefore = len(cur.Segments)
	m := &Manifest{
		Version:     cur.Version + 1,
		TableID:     id,
		FlushedSeq:  cur.FlushedSeq, // the tail is untouched
		NextSegment: cur.NextSegment,
		Events:      cur.Events, // compaction changes no row, so no history
	}
	byFile := make(map[string]int, len(cur.Segments))
	for i, seg := range cur.Segments {
		byFile[seg.File] = i
	}
	// replaced[i] is the output that takes the place of current segment
	// i (its first input), or -1 for a later input of that output.
	replaced := map[int]int{}
	for k, o := range outs {
		newlyDeleted := roaring.New()
		for j, in := range o.inputs {
			i, ok := byFile[in.File]
			if !ok {
				return res, errCompactionObsolete
			}
			if j == 0 {
				replaced[i] = k
			} else {
				replaced[i] = -1
			}
			now := cur.Segments[i]
			if now == in {
				continue
			}
			// Rows of the input deleted since the compaction read it: they
			// are live in the output and must be deleted there.
			then, err := ns.store.deletedPositions(ts.prefix, in)
			if err != nil {
				return res, err
			}
			later, err := ns.store.deletedPositions(ts.prefix, now)
			if err != nil {
				return res, err
			}
			added := roaring.AndNot(later, then)
			it := added.Iterator()
			for it.HasNext() {
				pos := it.Next()
				if int(pos) >= len(o.inputIDs[j]) {
					return res, fmt.Errorf("deletion vector of segment %s holds position %d beyond its rows", in.File, pos)
				}
				if p, ok := o.position(o.inputIDs[j][pos]); ok {
					newlyDeleted.Add(p)
				}
			}
		}
		if o.seg != nil && !newlyDeleted.IsEmpty() {
			seg, err := ns.store.objects.withDeletionVector(ts.prefix, o.seg, m.Version, newlyDeleted)
			if err != nil {
				return res, err
			}
			o.seg = seg
		}
	}
	for i, seg := range cur.Segments {
		k, isInput := replaced[i]
		switch {
		case !isInput:
			if len(seg.LegacyDeleted) > 0 {
				bm, err := ns.store.deletedPositions(ts.prefix, seg)
				if err != nil {
					return res, err
				}
				if seg, err = ns.store.objects.withDeletionVector(ts.prefix, seg, m.Version, bm.Clone()); err != nil {
					return res, err
				}
			}
			m.Segments = append(m.Segments, seg)
		case k >= 0 && outs[k].seg != nil:
			m.Segments = append(m.Segments, outs[k].seg)
		}
	}
	segs, _, err := ns.completeIndexFiles(ts, indexesOf(st, ts.table), m.Segments)
	if err != nil {
		return res, err
	}
	m.Segments = segs
	if ns.frozen != nil { // a bulk commit's manifest comes first (bulk_commit.go)
		return res, ns.frozen
	}
	*publishing = true
	if err := ns.store.objects.publishManifest(ts.prefix, m); err != nil {
		return res, fmt.Errorf("compact %s.%s: publish manifest: %w", ns.name, ts.table.Name, err)
	}
	m.decode(ts.table)
	nts := *ts
	nts.manifest = m
	nst := st.clone()
	nst.tables[ts.table.Name] = &nts
	nst.byID[id] = &nts
	ns.state.Store(nst)
	res.SegmentsAfter = len(m.Segments)
	return res, nil
}
