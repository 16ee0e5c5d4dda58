package storage

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"io/fs"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/pqdb/pqdb/catalog"

	"github.com/pqdb/pqdb/pgerr"
)

// TestTimeTravelMatchesEveryCommit commits random inserts, updates and
// deletes with flushes in between (row groups and flushes cut at small
// sizes), remembers the table after every commit, and reads the table as
// of every commit seq, before and after a restart: each read must equal
// what was committed then.
func TestTimeTravelMatchesEveryCommit(t *testing.T) { timeTravelModel(t, false, 0) }

// TestFaultsLoseNothing runs the same workload while a quarter of the
// steps that make files durable fail (creating segments, event files and
// deletion vectors, writing and publishing manifests, syncing
// directories), so flushes, compactions and collections fail at every
// point: commits still succeed, reads stay right, and once the faults
// stop every commit's state and the whole history are there, also after
// a restart.
func TestFaultsLoseNothing(t *testing.T) { timeTravelModel(t, true, 0) }

// TestBulkCommitFaultsLoseNothing is TestFaultsLoseNothing with every
// transaction's rows beyond its latest batch spilled, so each commit of
// more than one batch is a bulk commit (bulk_commit.go), flushed before it
// is published, with failures injected into those flushes too.
func TestBulkCommitFaultsLoseNothing(t *testing.T) { timeTravelModel(t, true, 1) }

// TestBulkCommitTimeTravel is TestTimeTravelMatchesEveryCommit with bulk
// commits.
func TestBulkCommitTimeTravel(t *testing.T) { timeTravelModel(t, false, 1) }

// timeTravelModel runs random commits against a model; spillBytes is
// Options.SpillBytes, and when set each row is inserted in its own batch.
//
// It returns how many insertion references the table's last manifest
// lists (event_files.go).
func timeTravelModel(t *testing.T, faults bool, spillBytes int64) (refs int) {
	dir := t.TempDir()
	opts := Options{FlushRows: 7, RowGroupRows: 3, SpillBytes: spillBytes}
	s := openTest(t, dir, opts)
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	tbl = s.Snapshot().Table("public", "kv")
	if faults {
		var mu sync.Mutex
		frng := rand.New(rand.NewPCG(3, 4))
		injected := 0
		hook := func(op, path string) error {
			if op == "read" {
				return nil // a write fault
			}
			mu.Lock()
			defer mu.Unlock()
			if frng.IntN(4) == 0 {
				injected++
				return fmt.Errorf("injected %s failure on %s", op, path)
			}
			return nil
		}
		faultHook.Store(&hook)
		defer func() {
			faultHook.Store(nil)
			if injected == 0 {
				t.Error("no fault was injected")
			}
		}()
	}

	rng := rand.New(rand.NewPCG(7, 9))
	model := map[string]string{}
	history := map[uint64]map[string]string{} // seq → rows then
	next := int64(0)
	seqNow := func() uint64 { return s.namespace("public").state.Load().seq }
	history[seqNow()] = map[string]string{}
	var events []string // the history expected: seq|op|row id|before|after
	for step := 0; step < 60; step++ {
		tx := s.Begin()
		before, ids := scanAll(t, tx.Snapshot(), tbl)
		var inserted []string
		var changed []string
		switch op := rng.IntN(3); {
		case op == 0 || len(ids) < 3:
			n := 1 + rng.IntN(5)
			keys := make([]int64, n)
			vals := make([]string, n)
			for i := range keys {
				keys[i] = next
				vals[i] = fmt.Sprintf("v%d.%d", next, step)
				next++
			}
			if spillBytes == 0 {
				if err := tx.Insert(tbl, kvRecord(keys, vals)); err != nil {
					t.Fatal(err)
				}
			}
			for i := range keys {
				if spillBytes == 0 {
					break
				}
				if err := tx.Insert(tbl, kvRecord(keys[i:i+1], vals[i:i+1])); err != nil {
					t.Fatal(err)
				}
			}
			for i, k := range keys {
				model[strconv.FormatInt(k, 10)] = fmt.Sprintf("%d|%s", k, vals[i])
				inserted = append(inserted, strconv.FormatInt(k, 10))
			}
		case op == 1:
			for k, id := range ids {
				if rng.IntN(3) == 0 {
					kk, _ := strconv.ParseInt(k, 10, 64)
					v := fmt.Sprintf("u%d.%d", kk, step)
					if err := tx.Update(tbl, []int64{id}, kvRecord([]int64{kk}, []string{v})); err != nil {
						t.Fatal(err)
					}
					model[k] = fmt.Sprintf("%d|%s", kk, v)
					changed = append(changed, k)
				}
			}
		default:
			for k, id := range ids {
				if rng.IntN(4) == 0 {
					if err := tx.Delete(tbl, []int64{id}); err != nil {
						t.Fatal(err)
					}
					delete(model, k)
					changed = append(changed, k)
				}
			}
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		seq := seqNow()
		history[seq] = maps.Clone(model)
		_, after := scanAll(t, s.Snapshot(), tbl)
		for _, k := range inserted {
			events = append(events, fmt.Sprintf("%d|INSERT|%d|NULL|%s", seq, after[k], model[k]))
		}
		for _, k := range changed {
			if v, ok := model[k]; ok {
				events = append(events, fmt.Sprintf("%d|UPDATE|%d|%s|%s", seq, ids[k], before[k], v))
			} else {
				events = append(events, fmt.Sprintf("%d|DELETE|%d|%s|NULL", seq, ids[k], before[k]))
			}
		}
		if step%17 == 0 {
			if err := s.Checkpoint(); err != nil && !faults {
				t.Fatal(err)
			}
		}
	}
	faultHook.Store(nil)
	if st := s.Stats(); spillBytes != 0 && st.BulkCommits < 10 {
		t.Fatalf("%d bulk commits (%d batches spilled): the bulk path was not exercised", st.BulkCommits, st.SpilledBatches)
	}
	if faults {
		// Die with whatever the failures left on disk, as kill -9 would.
		s.crash()
		orphan := segmentDataDir + "/999999-orphan.parquet"
		if err := testObjectStore(t, dir).put(testTablePrefix(t, dir, tbl)+"/"+orphan, []byte("cut off")); err != nil {
			t.Fatal(err)
		}
		s = openTest(t, dir, opts)
		if tableObjectExists(t, dir, tbl, orphan) {
			t.Errorf("open kept the unreferenced %s", orphan)
		}
	}
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	check := func(s *Store) {
		t.Helper()
		if got := historyOf(t, s.Snapshot(), tbl); !slices.Equal(sortedCopy(got), sortedCopy(events)) {
			t.Fatalf("history:\n got %v\nwant %v", got, events)
		}
		for seq, want := range history {
			snap := s.SnapshotAsOf(AsOf{Seq: seq, BySeq: true})
			got, _ := scanAll(t, snap, tbl)
			if !maps.Equal(got, want) {
				t.Fatalf("as of commit %d: got %d rows %v, want %d rows %v", seq, len(got), got, len(want), want)
			}
		}
	}
	check(s)
	// Dozens of flushes, but event files are merged by tiers (insertion
	// references, segments, are not).
	m := s.namespace("public").state.Load().byID[tbl.ID].manifest
	files := 0
	for _, f := range m.Events {
		if f.Inserted != nil {
			refs++
		} else {
			files++
		}
	}
	if files >= 2*eventMergeFanIn {
		t.Errorf("%d event files after %d flushes", files, m.Version)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTest(t, dir, opts)
	defer s.Close()
	check(s)
	// Commit 1 created the table; before it the table did not exist.
	_, err := s.SnapshotAsOf(AsOf{Seq: 0, BySeq: true}).Scan(tbl, []int{0}, nil)
	wantCode(t, err, pgerr.UndefinedTable)
	return refs
}

// TestHistoryCollectionBoundsDisk updates the same rows in many small
// commits, flushing often, with a retention that keeps no history: the
// table's files stay bounded by the live data (old manifest versions,
// event files and segments are collected), reads stay right, also after
// a restart, and a read of an expired commit fails with 72000.
func TestHistoryCollectionBoundsDisk(t *testing.T) {
	dir := t.TempDir()
	opts := Options{FlushRows: 4, RowGroupRows: 4, HistoryRetention: time.Nanosecond}
	s := openTest(t, dir, opts)
	want := map[string]string{}
	tbl := updatedInTurn(t, s, 150, func(step int) {
		k := step%6 + 1
		want[strconv.Itoa(k)] = fmt.Sprintf("%d|v%d", k, step)
		if step%10 == 9 {
			must(t, s.Checkpoint())
		}
	})
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	tableDir := filepath.Join(dir, "public", strconv.FormatInt(tbl.ID, 10))
	files := 0
	filepath.WalkDir(tableDir, func(_ string, d fs.DirEntry, _ error) error {
		if d != nil && !d.IsDir() {
			files++
		}
		return nil
	})
	// Without collection, 150 commits flushed every few leave hundreds
	// of manifests, segments and event files.
	if files > 40 {
		t.Errorf("table directory holds %d files after collection", files)
	}
	got, _ := scanAll(t, s.Snapshot(), tbl)
	if !maps.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	_, err := s.SnapshotAsOf(AsOf{Seq: 3, BySeq: true}).Scan(tbl, []int{0}, nil)
	wantCode(t, err, pgerr.SnapshotTooOld)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTest(t, dir, opts)
	defer s.Close()
	got, _ = scanAll(t, s.Snapshot(), tbl)
	if !maps.Equal(got, want) {
		t.Fatalf("after restart: got %v, want %v", got, want)
	}
}

// historyOf renders the history of tbl: seq|operation|row id|before|after.
func historyOf(t *testing.T, snap *Snapshot, tbl *catalog.Table) []string {
	t.Helper()
	r, err := snap.History(tbl, []int{0, 3, 4, 5, 6})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	image := func(a arrow.Array, i int) string {
		st := a.(*array.Struct)
		if st.IsNull(i) {
			return "NULL"
		}
		var parts []string
		for f := 0; f < st.NumField(); f++ {
			parts = append(parts, st.Field(f).ValueStr(i))
		}
		return strings.Join(parts, "|")
	}
	var out []string
	for {
		rec, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		if rec == nil {
			return out
		}
		for i := 0; i < int(rec.NumRows()); i++ {
			out = append(out, fmt.Sprintf("%s|%s|%s|%s|%s", rec.Column(0).ValueStr(i), rec.Column(1).ValueStr(i),
				rec.Column(2).ValueStr(i), image(rec.Column(3), i), image(rec.Column(4), i)))
		}
	}
}

func sortedCopy(xs []string) []string { return slices.Sorted(slices.Values(xs)) }

// TestWriterDatabaseShrinks: the events of a large commit leave
// writer.sqlite once flushed, and a checkpoint gives their space back.
func TestWriterDatabaseShrinks(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	defer s.Close()
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	tbl = s.Snapshot().Table("public", "kv")
	const n = 200_000
	keys := make([]int64, n)
	vals := make([]string, n)
	for i := range keys {
		keys[i] = int64(i)
		vals[i] = fmt.Sprintf("a value long enough to take some room %d", i)
	}
	mustInsert(t, s, tbl, kvRecord(keys, vals))
	size := func() int64 {
		var total int64
		for _, f := range []string{"writer.sqlite", "writer.sqlite-wal"} {
			if st, err := os.Stat(filepath.Join(dir, "public", f)); err == nil {
				total += st.Size()
			}
		}
		return total
	}
	before := size()
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	after := size()
	if before < 5<<20 || after > before/10 {
		t.Fatalf("writer.sqlite and its log: %d bytes before the checkpoint, %d after", before, after)
	}
}

// TestThinVersions: versions before the horizon's go; between it and
// what active snapshots read, one per thinSpan commits stays; the
// horizon's, the active ones (all with the FlushedSeq in effect, as
// compaction repeats it) and the current one always stay.
func TestThinVersions(t *testing.T) {
	var vs []manifestVersion
	for i, fs := range []uint64{10, 500, 900, 1100, 1200, 2500, 3000, 3000, 3100, 3200} {
		vs = append(vs, manifestVersion{version: int64(i + 1), flushedSeq: fs})
	}
	names := func(xs []manifestVersion) (out []int64) {
		for _, x := range xs {
			out = append(out, x.version)
		}
		return out
	}
	for _, c := range []struct {
		keep          int
		active        uint64
		removed, kept []int64
	}{
		// Horizon at v2 (seq 500), a snapshot at 3050 reads v7 or v8.
		{keep: 1, active: 3050, removed: []int64{1, 3, 4, 5}, kept: []int64{2, 6, 7, 8, 9, 10}},
		// No active snapshot older than the current state.
		{keep: 0, active: 3200, removed: []int64{2, 3, 5, 7, 8, 9}, kept: []int64{1, 4, 6, 10}},
		// The horizon is the current version.
		{keep: 9, active: 3200, removed: []int64{1, 2, 3, 4, 5, 6, 7, 8, 9}, kept: []int64{10}},
		// An active snapshot before every version keeps them all.
		{keep: 0, active: 5, removed: nil, kept: []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
	} {
		removed, kept := thinVersions(vs, c.keep, c.active)
		if !slices.Equal(names(removed), c.removed) || !slices.Equal(names(kept), c.kept) {
			t.Errorf("keep %d, active %d: removed %v, kept %v; want %v, %v", c.keep, c.active, names(removed), names(kept), c.removed, c.kept)
		}
	}
}

// TestEventMergesBounded: event files whose merge would read more than
// maxEventMergeRows rows into memory (a bulk commit's million-row files)
// are left as they are; smaller ones of a tier still merge, with the
// insertion references among them.
func TestEventMergesBounded(t *testing.T) {
	events := func(n int, rows int64) []*EventFile {
		var out []*EventFile
		for i := range n {
			out = append(out, &EventFile{Segment: Segment{File: fmt.Sprintf("_events/missing-%d.parquet", i), Rows: rows}, FromSeq: uint64(i), ToSeq: uint64(i)})
		}
		return out
	}
	if run, ok := dueEventRun(events(eventMergeFanIn, maxEventMergeRows/4)); ok {
		t.Fatalf("files too large to merge are due: %d of them", len(run.files))
	}
	small := events(eventMergeFanIn+2, 2000)
	ref := &EventFile{Segment: Segment{File: "data/segment.parquet"}, FromSeq: 3, ToSeq: 3, Inserted: &InsertRef{}}
	small = append(small[:4], append([]*EventFile{ref}, small[4:]...)...)
	run, ok := dueEventRun(small)
	if !ok || len(run.files) != eventMergeFanIn || len(run.refs) != 1 || len(run.span) != eventMergeFanIn+1 || run.span[0] != small[0] || run.span[4] != ref {
		t.Fatalf("files of one small tier: run %+v (due %v), want the first %d with the reference among them", run, ok, eventMergeFanIn)
	}
}

// TestEventFilesMergeOffTheWriter: runs of small event files that flushes
// leave are merged by background goroutines, and the writer publishes
// the merged files: the table ends with few event files, its history
// reads the same before and after they land, and after a restart.
func TestEventFilesMergeOffTheWriter(t *testing.T) {
	dir := t.TempDir()
	opts := Options{FlushRows: 2, RowGroupRows: 4, HistoryRetention: -1}
	s := openTest(t, dir, opts)
	const keys, steps = 6, 160
	tbl := updatedInTurn(t, s, steps, nil)
	first := sortedCopy(historyOf(t, s.Snapshot(), tbl))
	if len(first) != keys+steps {
		t.Fatalf("%d history rows, want %d", len(first), keys+steps)
	}
	events := func() []*EventFile { return s.namespace("public").state.Load().byID[tbl.ID].manifest.Events }
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		if _, due := dueEventRun(events()); !due {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d event files, with runs to merge left", len(events()))
		}
	}
	// Over fifty flushes, each a file or more: merged eight by eight.
	if n := len(events()); n > 2*eventMergeFanIn {
		t.Fatalf("%d event files after the merges", n)
	}
	if got := sortedCopy(historyOf(t, s.Snapshot(), tbl)); !slices.Equal(got, first) {
		t.Fatalf("history changed when the merges landed:\n%v\nwant\n%v", got, first)
	}
	must(t, s.Close())
	s = openTest(t, dir, opts)
	defer s.Close()
	if got := sortedCopy(historyOf(t, s.Snapshot(), tbl)); !slices.Equal(got, first) {
		t.Fatalf("history after a restart differs:\n%v\nwant\n%v", got, first)
	}
}

// updatedInTurn creates table kv in s with keys 1 to 6, then updates them
// in turn, key step%6+1 to "v<step>" in a commit of its own, for steps
// steps, calling after (if not nil) after each; it returns the table.
func updatedInTurn(t *testing.T, s *Store, steps int, after func(step int)) *catalog.Table {
	t.Helper()
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	tbl = s.Snapshot().Table("public", "kv")
	keys := []int64{1, 2, 3, 4, 5, 6}
	mustInsert(t, s, tbl, kvRecord(keys, []string{"a", "b", "c", "d", "e", "f"}))
	for step := range steps {
		tx := s.Begin()
		_, ids := scanAll(t, tx.Snapshot(), tbl)
		k := keys[step%len(keys)]
		must(t, tx.Update(tbl, []int64{ids[strconv.FormatInt(k, 10)]}, kvRecord([]int64{k}, []string{fmt.Sprintf("v%d", step)})))
		must(t, tx.Commit())
		if after != nil {
			after(step)
		}
	}
	return tbl
}
