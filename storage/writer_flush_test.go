package storage

import (
	"fmt"
	"testing"
	"time"

	"github.com/pqdb/pqdb/catalog"
)

// TestFlushDeletesInDenseAndSparseSegments flushes tail deletions into
// the deletion vectors of two segments: one whose row ids are its
// positions plus MinRowID (loaded in key order: the deleted ids map to
// positions) and one whose ids run backwards (loaded in descending key
// order: its ids are read and looked up). Rows are updated twice, in
// separate commits, and deleted; the table must equal the model after
// the flush, after a second round and after a crash.
func TestFlushDeletesInDenseAndSparseSegments(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	model := map[string]string{}
	put := func(k int64, v string) { model[fmt.Sprint(k)] = fmt.Sprintf("%d|%s", k, v) }
	// Dense: keys 0..299 inserted ascending, one commit, one segment.
	mustInsert(t, s, tbl, kvRows(300, 0, "dense"))
	for k := int64(0); k < 300; k++ {
		put(k, "dense")
	}
	must(t, s.Checkpoint())
	// Sparse: keys 1000..1299 inserted descending; the segment is in key
	// order, so its ids descend.
	keys := make([]int64, 300)
	vals := make([]string, 300)
	for i := range keys {
		keys[i] = 1299 - int64(i)
		vals[i] = "sparse"
		put(keys[i], "sparse")
	}
	mustInsert(t, s, tbl, kvRecord(keys, vals))
	must(t, s.Checkpoint())

	ns := s.namespace("public")
	segs := ns.state.Load().byID[tbl.ID].manifest.Segments
	if len(segs) != 2 {
		t.Fatalf("%d segments, want 2", len(segs))
	}
	round := func(tag string, pick func(k int64) bool) {
		t.Helper()
		_, ids := scanAll(t, s.Snapshot(), tbl)
		for pass := range 2 { // each picked row twice, in two commits
			tx := s.Begin()
			for _, base := range []int64{0, 1000} {
				for k := base; k < base+300; k++ {
					if !pick(k) {
						continue
					}
					v := fmt.Sprintf("%s%d", tag, pass)
					must(t, tx.Update(tbl, []int64{ids[fmt.Sprint(k)]}, kvRecord([]int64{k}, []string{v})))
					put(k, v)
				}
			}
			must(t, tx.Commit())
		}
		tx := s.Begin()
		for _, k := range []int64{7 + int64(len(tag)), 1007 + int64(len(tag)), 299, 1000} {
			if id, ok := ids[fmt.Sprint(k)]; ok && model[fmt.Sprint(k)] != "" {
				must(t, tx.Delete(tbl, []int64{id}))
				delete(model, fmt.Sprint(k))
			}
		}
		must(t, tx.Commit())
		must(t, s.Checkpoint())
		wantScanned(t, s.Snapshot(), tbl, model, tag)
	}
	if !segs[0].DenseRowIDs || segs[1].DenseRowIDs {
		t.Fatalf("segments marked dense: %v, %v; want the one loaded in key order only", segs[0].DenseRowIDs, segs[1].DenseRowIDs)
	}
	round("a", func(k int64) bool { return k%7 == 3 })
	dense := func(seg *Segment) (bool, bool) {
		ns.denseMu.Lock()
		defer ns.denseMu.Unlock()
		d, ok := ns.denseRowIDs[tableFile(ns.state.Load().byID[tbl.ID].prefix, seg.File)]
		return d, ok
	}
	if d, ok := dense(segs[1]); ok && d {
		t.Errorf("the segment loaded in descending key order taken for dense")
	}
	// A segment written before manifests said so: its ids are read to
	// learn that they are dense.
	segs = ns.state.Load().byID[tbl.ID].manifest.Segments
	must(t, ns.do(func() error { segs[0].DenseRowIDs = false; return nil }))
	round("bb", func(k int64) bool { return k%5 == 1 })
	if d, ok := dense(segs[0]); !ok || !d {
		t.Errorf("the segment loaded in key order, unmarked: dense %v (known %v), want dense", d, ok)
	}

	s.crash()
	s = openTest(t, dir, Options{})
	defer s.Close()
	wantScanned(t, s.Snapshot(), tbl, model, "after a crash")
}

// TestFlushedEventsLeaveWithTheNextCommit checks that a flush the writer
// starts on its own (the tail outgrew FlushRows) leaves the flushed row
// events in SQLite for the next commit's transaction to delete, that
// they are gone after it, and that a crash between the two loses and
// duplicates nothing.
func TestFlushedEventsLeaveWithTheNextCommit(t *testing.T) {
	dir := t.TempDir()
	opts := Options{FlushRows: 10}
	s := openTest(t, dir, opts)
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	events := func(s *Store) int {
		t.Helper()
		var n int
		if err := s.namespace("public").db.QueryRow(`SELECT count(*) FROM events WHERE ` + tailOps).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	// flushed waits until the writer flushed the table after a commit.
	flushed := func(s *Store) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			ts := s.namespace("public").state.Load().byID[tbl.ID]
			if len(ts.inserts) == 0 && len(ts.deletes) == 0 {
				return
			}
			if time.Now().After(deadline) {
				t.Fatal("the tail was not flushed")
			}
			time.Sleep(time.Millisecond)
		}
	}
	mustInsert(t, s, tbl, kvRows(20, 0, "a"))
	flushed(s)
	// The flush is published, but its events wait for a commit (the
	// writer has run nothing since: the count is stable).
	if n := events(s); n != 1 {
		t.Fatalf("%d row events after the flush, want the 1 left for the next commit to delete", n)
	}
	mustInsert(t, s, tbl, kvRows(1, 100, "b")) // below FlushRows: stays in the tail
	if n := events(s); n != 1 {
		t.Fatalf("%d row events after the next commit, want only its own", n)
	}

	// A flush, then a crash before any commit: open must neither replay
	// the flushed events (the rows would be there twice) nor lose them.
	mustInsert(t, s, tbl, kvRows(20, 200, "c"))
	flushed(s)
	if n := events(s); n < 2 {
		t.Fatalf("%d row events after the second flush, want those it queued", n)
	}
	s.crash()
	s = openTest(t, dir, opts)
	defer s.Close()
	if n := events(s); n != 0 {
		t.Fatalf("%d row events after open, want 0: all were flushed", n)
	}
	got, _ := scanAll(t, s.Snapshot(), tbl)
	if len(got) != 41 || got["5"] != "5|a" || got["100"] != "100|b" || got["219"] != "219|c" {
		t.Fatalf("%d rows after a crash (want 41): 5=%q 100=%q 219=%q", len(got), got["5"], got["100"], got["219"])
	}
}

// TestFlushedEventsLeaveByPrefix checks that a commit deletes the flushed
// row events before the oldest batch of any table's tail, and only
// those: a table's flushed events after another's unflushed batch wait;
// that a table holding them back for more than maxEventLag commits is
// flushed for it, after which they go; and that a crash then loses
// nothing.
func TestFlushedEventsLeaveByPrefix(t *testing.T) {
	defer func(old uint64) { maxEventLag = old }(maxEventLag)
	maxEventLag = 1 << 20
	dir := t.TempDir()
	s := openTest(t, dir, Options{FlushRows: 10})
	a, b, c := kvTable("a"), kvTable("b"), kvTable("c")
	for _, tbl := range []*catalog.Table{a, b, c} {
		mustCreate(t, s, tbl)
	}
	events := func(tbl *catalog.Table) int {
		t.Helper()
		var n int
		if err := s.namespace("public").db.QueryRow(`SELECT count(*) FROM events WHERE table_id = ? AND `+tailOps, tbl.ID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	flushed := func(tbl *catalog.Table) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
			ts := s.namespace("public").state.Load().byID[tbl.ID]
			if len(ts.inserts) == 0 && len(ts.deletes) == 0 {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("the tail of %s was not flushed", tbl.Name)
			}
		}
	}
	models := map[*catalog.Table]map[string]string{a: {}, b: {}, c: {}}
	insert := func(tbl *catalog.Table, n int, from int64) {
		t.Helper()
		mustInsert(t, s, tbl, kvRows(n, from, tbl.Name))
		for k := from; k < from+int64(n); k++ {
			models[tbl][fmt.Sprint(k)] = fmt.Sprintf("%d|%s", k, tbl.Name)
		}
	}

	insert(a, 20, 0) // flushed at once, before b has a tail
	flushed(a)
	insert(b, 1, 0) // below FlushRows: the oldest tail batch from here on
	for i := range 3 {
		insert(a, 20, int64(100*(i+1)))
		flushed(a)
	}
	insert(c, 1, 0)
	if n := events(a); n != 3 {
		t.Fatalf("%d row events of a, want the 3 flushed after b's batch (the one before it deleted)", n)
	}
	if n := events(b); n != 1 {
		t.Fatalf("%d row events of b, want its unflushed batch", n)
	}

	// b now holds the deletion back by more than maxEventLag commits:
	// the next commit flushes it, and the one after deletes a's events
	// and b's before c's batches.
	must(t, s.namespace("public").do(func() error { maxEventLag = 2; return nil })) // on the writer, which reads it
	insert(c, 1, 1)
	flushed(b)
	insert(c, 1, 2)
	if na, nb, nc := events(a), events(b), events(c); na != 0 || nb != 0 || nc != 3 {
		t.Fatalf("row events of a, b, c: %d, %d, %d; want 0, 0 and c's 3 unflushed", na, nb, nc)
	}

	s.crash()
	s = openTest(t, dir, Options{FlushRows: 10})
	defer s.Close()
	for tbl, model := range models {
		wantScanned(t, s.Snapshot(), tbl, model, "after a crash: "+tbl.Name)
	}
}
