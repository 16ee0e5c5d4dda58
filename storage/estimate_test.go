package storage

import (
	"fmt"
	"math"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
)

// TestEstimatedDistinct: an integer column's distinct values are bounded
// by the span of its segments' bounds plus one per unflushed row; a text
// column, or a table with no flushed segment, has no bound.
func TestEstimatedDistinct(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{RowGroupRows: 250})
	defer s.Close()
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	mustInsert(t, s, tbl, kvRows(10, 5, "a"))
	if _, ok := s.Snapshot().EstimatedDistinct(tbl, 0); ok {
		t.Error("a bound without segments")
	}
	mustInsert(t, s, tbl, kvRows(1000, 100, "b"))
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	// The sketches estimate 1010 keys (5..14, 100..1099), within the
	// span's bound of 1095.
	wantDistinct(t, s, tbl, 0, 980, 1040, "flushed")
	mustInsert(t, s, tbl, kvRows(3, 5000, "c"))
	wantDistinct(t, s, tbl, 0, 983, 1043, "3 unflushed rows")
	wantDistinct(t, s, tbl, 1, 2, 2, "flushed") // a and b

	// Without sketches (segments written before them), the span bounds
	// an integer column, and a text column has no estimate.
	stripSketches(t, s, tbl)
	if n, ok := s.Snapshot().EstimatedDistinct(tbl, 0); !ok || n != 1098 {
		t.Errorf("k without sketches, with 3 unflushed rows: %d %v, want 1098 (5..1099, and 3)", n, ok)
	}
	if _, ok := s.Snapshot().EstimatedDistinct(tbl, 1); ok {
		t.Error("a bound for a text column without sketches")
	}
}

// stripSketches publishes tbl's manifest again without its segments'
// sketches, as it was before segments carried them.
func stripSketches(t testing.TB, s *Store, tbl *catalog.Table) {
	t.Helper()
	ns := s.namespace(tbl.Schema)
	err := ns.do(func() error {
		cur := ns.state.Load().byID[tbl.ID]
		m := *cur.manifest
		m.Segments = nil
		for _, seg := range cur.manifest.Segments {
			old := *seg
			old.Sketches = nil
			m.Segments = append(m.Segments, &old)
		}
		m.decode(cur.table)
		return ns.republish(cur, &m)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// kvValues are n rows of kv: keys from, from+1, ..., values "v<i % distinct>",
// every nullEvery-th NULL (none when 0).
func kvValues(n int, from int64, distinct, nullEvery int) arrow.Record {
	keys := make([]int64, n)
	vals := make([]string, n)
	for i := range keys {
		keys[i] = from + int64(i)
		vals[i] = fmt.Sprintf("v%d", (int(from)+i)%distinct)
		if nullEvery > 0 && i%nullEvery == 0 {
			vals[i] = "NULL"
		}
	}
	return kvRecord(keys, vals)
}

// wantDistinct checks the estimate of kv's column col.
func wantDistinct(t *testing.T, s *Store, tbl *catalog.Table, col int, lo, hi int64, when string) {
	t.Helper()
	if n, ok := s.Snapshot().EstimatedDistinct(tbl, col); !ok || n < lo || n > hi {
		t.Errorf("%s: %s estimated at %d distinct (%v), want %d-%d", when, tbl.Columns[col].Name, n, ok, lo, hi)
	}
}

// TestEstimatedDistinctFromSketches: a text column's distinct values
// are estimated from its segments' sketches, which every way of writing
// a segment makes and which survive a restart, a compaction and the
// replay of unflushed commits after a crash; unflushed rows add values
// in the flushed rows' proportion.
func TestEstimatedDistinctFromSketches(t *testing.T) {
	dir := t.TempDir()
	opts := Options{RowGroupRows: 250, Compaction: noCompaction}
	s := openTest(t, dir, opts)
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	for i := range 3 {
		mustInsert(t, s, tbl, kvValues(1000, int64(i*1000), 37, 0))
		mustCheckpoint(t, s)
	}
	wantDistinct(t, s, tbl, 1, 35, 39, "flushed")
	wantDistinct(t, s, tbl, 0, 3000, 3000, "flushed") // the sketch's estimate capped by the bounds
	mustInsert(t, s, tbl, kvValues(300, 3000, 37, 0))
	wantDistinct(t, s, tbl, 1, 35, 42, "300 unflushed rows")
	wantDistinct(t, s, tbl, 0, 3300, 3300, "300 unflushed rows")
	s.Close()

	s = openTest(t, dir, opts)
	wantDistinct(t, s, tbl, 1, 35, 39, "reopened")
	if _, err := s.Compact("public", "kv", CompactOptions{Full: true}); err != nil {
		t.Fatal(err)
	}
	for _, seg := range currentManifest(s, tbl).Segments {
		if lacksSketches(seg) {
			t.Fatalf("compacted segment %s has no sketches", seg.File)
		}
	}
	wantDistinct(t, s, tbl, 1, 35, 39, "compacted")
	// 500 rows of 10 new values, committed but not flushed when the
	// process dies: replayed at open, then flushed.
	mustInsert(t, s, tbl, kvValues(500, 10_000, 10, 0))
	s.crash()
	s = openTest(t, dir, opts)
	defer s.Close()
	mustCheckpoint(t, s)
	// v0..v9 are among v0..v36 already: still 37 values, now 3800 keys.
	wantDistinct(t, s, tbl, 1, 35, 39, "replayed")
	wantDistinct(t, s, tbl, 0, 3650, 3950, "replayed")

	// A bulk commit writes its segments itself.
	bulk := kvTable("bulk")
	mustCreate(t, s, bulk)
	b := openTest(t, t.TempDir(), Options{SpillBytes: 1, FlushRows: 400, RowGroupRows: 100})
	defer b.Close()
	mustCreate(t, b, bulk)
	tx := b.Begin()
	for i := range 10 {
		must(t, tx.Insert(bulk, kvValues(100, int64(i*100), 55, 0)))
	}
	must(t, tx.Commit())
	ts := b.namespace("public").state.Load().byID[bulk.ID]
	if len(ts.inserts) != 0 || len(ts.manifest.Segments) < 2 {
		t.Fatalf("the bulk commit left %d batches and %d segments", len(ts.inserts), len(ts.manifest.Segments))
	}
	wantDistinct(t, b, bulk, 1, 52, 58, "bulk commit")
}

// TestEstimatedFractions: a range's fraction comes from the row groups'
// bounds (both sides of a range together), the NULL fraction from their
// NULL counts; a column without numeric bounds has no range fraction.
func TestEstimatedFractions(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{RowGroupRows: 100, Compaction: noCompaction})
	defer s.Close()
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	if _, ok := s.Snapshot().EstimatedRangeFraction(tbl, 0, []Predicate{{Column: 0, Op: Lt, Value: int64(5)}}); ok {
		t.Error("a fraction without segments")
	}
	mustInsert(t, s, tbl, kvValues(1000, 0, 10, 4)) // k 0..999, a quarter of v NULL
	mustCheckpoint(t, s)
	snap := s.Snapshot()
	for _, c := range []struct {
		preds []Predicate
		want  float64
	}{
		{[]Predicate{{Op: Ge, Value: int64(100)}, {Op: Lt, Value: int64(300)}}, 0.2},
		{[]Predicate{{Op: Gt, Value: int64(899)}}, 0.1},
		{[]Predicate{{Op: Le, Value: int64(899)}}, 0.9},
		{[]Predicate{{Op: Gt, Value: int64(5000)}}, 0},
		{[]Predicate{{Op: Gt, Value: int64(500)}, {Op: Lt, Value: int64(400)}}, 0},
	} {
		f, ok := snap.EstimatedRangeFraction(tbl, 0, c.preds)
		if !ok || math.Abs(f-c.want) > 0.005 {
			t.Errorf("%+v: %.4f %v, want %.4f", c.preds, f, ok, c.want)
		}
	}
	if _, ok := snap.EstimatedRangeFraction(tbl, 1, []Predicate{{Column: 1, Op: Lt, Value: "v5"}}); ok {
		t.Error("a range fraction of text")
	}
	if _, ok := snap.EstimatedRangeFraction(tbl, 0, []Predicate{{Op: Eq, Value: int64(5)}}); ok {
		t.Error("an equality's fraction")
	}
	if f, ok := snap.EstimatedNullFraction(tbl, 1); !ok || f != 0.25 {
		t.Errorf("NULL fraction of v %v %v, want 0.25", f, ok)
	}
	if f, ok := snap.EstimatedNullFraction(tbl, 0); !ok || f != 0 {
		t.Errorf("NULL fraction of k %v %v, want 0", f, ok)
	}
	// Deleted rows weigh nothing: delete the keys under 500.
	_, ids := scanAll(t, snap, tbl)
	var dead []int64
	for k, id := range ids {
		var key int
		fmt.Sscan(k, &key)
		if key < 500 {
			dead = append(dead, id)
		}
	}
	mustDelete(t, s, tbl, dead...)
	mustCheckpoint(t, s)
	// One segment, half deleted: its rows count for half (the rows deleted
	// are taken to be like the others).
	if f, ok := s.Snapshot().EstimatedRangeFraction(tbl, 0, []Predicate{{Op: Lt, Value: int64(100)}}); !ok || math.Abs(f-0.1) > 0.005 {
		t.Errorf("after deletes: %v %v", f, ok)
	}
}

// TestSpreadFraction: values spread evenly between a minimum and a
// maximum, integers or a continuum.
func TestSpreadFraction(t *testing.T) {
	inf := math.Inf(1)
	for _, c := range []struct {
		dom                  statDomain
		mn, mx, lo, hi, want float64
	}{
		{domInt, 1, 10, 3, 4, 0.2},
		{domInt, 1, 10, -inf, 0, 0},
		{domInt, 5, 5, 5, 5, 1},
		{domFloat, 0, 10, 2.5, 5, 0.25},
		{domFloat, 0, 10, -inf, inf, 1},
		{domFloat, 3, 3, 0, 3, 1},
		{domFloat, 3, 3, 4, 5, 0},
		{domDecimal, 100, 300, 150, inf, 0.75},
	} {
		if got := spreadFraction(c.dom, c.mn, c.mx, c.lo, c.hi); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%+v: %v", c, got)
		}
	}
}
