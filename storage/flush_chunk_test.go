package storage

import (
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
)

// TestFlushChunksByBytes commits bulk loads whose chunks end at
// flushChunkBytes (FlushRows set far above), with batches of 10 rows and a
// chunk of exactly 4 batches: one row short of a chunk, exactly one, one
// over, and many. Keys come ascending (each chunk written from its
// records as they are), descending within and across batches (sorted),
// in ascending batches given in descending order (records put in order)
// and interleaved (sorted). Each segment must hold at most a chunk, in
// key order, and the table must equal the model after the commit, after a
// restart and after a crash.
func TestFlushChunksByBytes(t *testing.T) {
	defer func(n int64) { flushChunkBytes = n }(flushChunkBytes)
	const batch = 10
	flushChunkBytes = spilledBatchBytes(t, batch)*4 - 1
	orders := map[string]func(rows, lo, i int) int64{
		"ascending":  func(rows, lo, i int) int64 { return int64(lo + i) },
		"descending": func(rows, lo, i int) int64 { return int64(rows - lo - i) },
		// Batches ascend within, the last batch first.
		"batches-reversed": func(rows, lo, i int) int64 { return int64(rows - lo - batch + i) },
		// Batch b holds b, b+nb, b+2nb, ...: each ascends, all interleave.
		"interleaved": func(rows, lo, i int) int64 { return int64(lo/batch + i*(rows/batch+1)) },
	}
	for _, rows := range []int{39, 40, 41, 250} {
		for name, key := range orders {
			t.Run(fmt.Sprintf("%d-%s", rows, name), func(t *testing.T) {
				dir := t.TempDir()
				opts := Options{SpillBytes: 1, FlushRows: 1 << 20, RowGroupRows: 16}
				s := openTest(t, dir, opts)
				tbl := kvTable("kv")
				mustCreate(t, s, tbl)
				model := map[string]string{}
				tx := s.Begin()
				for lo := 0; lo < rows; lo += batch {
					n := min(batch, rows-lo)
					keys := make([]int64, n)
					vals := make([]string, n)
					for i := range keys {
						keys[i] = key(rows, lo, i)
						vals[i] = fmt.Sprintf("v%04d", lo+i) // one size: every batch has the same bytes
						model[strconv.FormatInt(keys[i], 10)] = fmt.Sprintf("%d|%s", keys[i], vals[i])
					}
					must(t, tx.Insert(tbl, kvRecord(keys, vals)))
				}
				if len(model) != rows {
					t.Fatalf("the %s keys repeat: %d distinct of %d", name, len(model), rows)
				}
				must(t, tx.Commit())
				if s.Stats().BulkCommits != 1 {
					t.Fatalf("%d bulk commits, want 1", s.Stats().BulkCommits)
				}
				check := func(s *Store, when string) {
					t.Helper()
					ts := s.namespace("public").state.Load().byID[tbl.ID]
					got, ids := scanAll(t, s.Snapshot(), tbl)
					if !maps.Equal(got, model) {
						t.Fatalf("%s: %d rows, want %d", when, len(got), len(model))
					}
					if len(ts.inserts) > 0 {
						return // replayed into the tail, not flushed yet
					}
					keyOf := map[int64]int64{}
					for k, id := range ids {
						keyOf[id], _ = strconv.ParseInt(k, 10, 64)
					}
					var total int64
					for _, seg := range ts.manifest.Segments {
						if seg.Rows > 4*batch {
							t.Errorf("%s: segment %s holds %d rows, above a chunk", when, seg.File, seg.Rows)
						}
						total += seg.Rows
						rowIDs, err := segmentRowIDs(s, ts.prefix, seg)
						if err != nil {
							t.Fatal(err)
						}
						keys := make([]int64, len(rowIDs))
						for i, id := range rowIDs {
							keys[i] = keyOf[id]
						}
						if !slices.IsSorted(keys) {
							t.Errorf("%s: segment %s is out of key order: %v", when, seg.File, keys)
						}
					}
					if want := (rows + 4*batch - 1) / (4 * batch); total != int64(rows) || len(ts.manifest.Segments) != want {
						t.Errorf("%s: %d segments of %d rows, want %d of %d", when, len(ts.manifest.Segments), total, want, rows)
					}
				}
				check(s, "after the commit")
				must(t, s.Close())
				s = openTest(t, dir, opts)
				check(s, "after a restart")
				s.crash()
				s = openTest(t, dir, opts)
				defer s.Close()
				check(s, "after a crash")
			})
		}
	}
}

// TestFlushChunkFailsThenCrash fails the bulk commit's flush at the
// segment of its second chunk: the commit still succeeds with its rows in
// the tail, and a crash before any later flush replays them, exactly.
func TestFlushChunkFailsThenCrash(t *testing.T) {
	defer func(n int64) { flushChunkBytes = n }(flushChunkBytes)
	const batch = 10
	flushChunkBytes = spilledBatchBytes(t, batch) * 2
	dir := t.TempDir()
	opts := Options{SpillBytes: 1, FlushRows: 1 << 20, RowGroupRows: 16}
	s := openTest(t, dir, opts)
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	var created atomic.Int32 // chunks are written concurrently
	hook := func(op, path string) error {
		if op != "create" || !strings.Contains(path, segmentDataDir+string(filepath.Separator)) {
			return nil
		}
		if created.Add(1) == 2 {
			return errors.New("injected failure")
		}
		return nil
	}
	faultHook.Store(&hook)
	tx := s.Begin()
	for lo := int64(0); lo < 60; lo += batch {
		must(t, tx.Insert(tbl, kvRows(batch, lo, "bulk")))
	}
	must(t, tx.Commit())
	faultHook.Store(nil)
	if segments := created.Load(); segments < 2 {
		t.Fatalf("the flush created %d segments, want the failure at the second", segments)
	}
	check := func(s *Store) {
		t.Helper()
		rows, _ := scanAll(t, s.Snapshot(), tbl)
		if len(rows) != 60 || rows["0"] != "0|bulk" || rows["59"] != "59|bulk" {
			t.Fatalf("%d rows (want 60), 0=%q 59=%q", len(rows), rows["0"], rows["59"])
		}
	}
	check(s)
	s.crash()
	s = openTest(t, dir, opts)
	defer s.Close()
	check(s)
	must(t, s.Checkpoint())
	check(s)
}

// TestInSegmentOrder checks which chunks are written from their records
// as they are: records each in order, not interleaving, in any order of
// the records; empty records are left out.
func TestInSegmentOrder(t *testing.T) {
	tbl := kvTable("kv")
	ts := &tableState{table: tbl, schema: tailSchema(tbl)}
	rec := func(keys ...int64) arrow.Record {
		r := kvRecord(keys, make([]string, len(keys)))
		defer r.Release()
		ids := make([]int64, len(keys))
		for i := range ids {
			ids[i] = int64(100 + i)
		}
		return withRowIDs(tailSchema(tbl), r, ids)
	}
	firstKeys := func(recs []arrow.Record) []int64 {
		var out []int64
		for _, r := range recs {
			out = append(out, keyColumn(r)[0])
		}
		return out
	}
	for _, c := range []struct {
		name string
		recs [][]int64
		want []int64 // first keys of the records as ordered; nil: no order
	}{
		{"ascending", [][]int64{{1, 2}, {3, 4}, {5}}, []int64{1, 3, 5}},
		{"reversed", [][]int64{{5, 6}, {3, 4}, {1, 2}}, []int64{1, 3, 5}},
		{"last-first", [][]int64{{9}, {1, 2}, {3, 4}}, []int64{1, 3, 9}},
		{"touching", [][]int64{{1, 2}, {2, 3}}, nil},
		{"unsorted-record", [][]int64{{1, 2}, {4, 3}}, nil},
		{"interleaved", [][]int64{{1, 3}, {2, 4}}, nil},
		{"with-empty", [][]int64{{3}, {}, {1}}, []int64{1, 3}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var recs []arrow.Record
			for _, keys := range c.recs {
				recs = append(recs, rec(keys...))
			}
			defer releaseAll(recs)
			got, err := inSegmentOrder(ts, recs)
			if err != nil {
				t.Fatal(err)
			}
			if (got == nil) != (c.want == nil) || got != nil && !slices.Equal(firstKeys(got), c.want) {
				t.Fatalf("got %v, want %v", firstKeys(got), c.want)
			}
		})
	}
}

func keyColumn(r arrow.Record) []int64 {
	return r.Column(0).(interface{ Int64Values() []int64 }).Int64Values()
}

// spilledBatchBytes is the Arrow size, as a flush counts it, of a batch of
// n kv rows read back from a spill file.
func spilledBatchBytes(t *testing.T, n int) int64 {
	sf, err := newSpillFile(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer sf.close()
	rec := kvRows(n, 0, "v0000")
	defer rec.Release()
	full := withRowIDs(tailSchema(kvTable("x")), rec, make([]int64, n))
	defer full.Release()
	b, err := sf.write(full)
	if err != nil {
		t.Fatal(err)
	}
	back, err := b.read()
	if err != nil {
		t.Fatal(err)
	}
	defer back.Release()
	return recordBytes(back)
}

// TestChunkWritesKeepOrder runs chunk writes that finish in the reverse
// of their order, two at a time: wait hands their segments and event
// files back in submission order. A failing write and a panicking one
// make wait return an error (the first in order) once every write ended,
// and failed reports it so the flush stops submitting.
func TestChunkWritesKeepOrder(t *testing.T) {
	defer func(n int) { chunkWriteWorkers = n }(chunkWriteWorkers)
	chunkWriteWorkers = 2
	w := newChunkWrites()
	const n = 6
	var running, most atomic.Int32
	for i := range n {
		w.submit(func() (*Segment, []*EventFile, error) {
			now := running.Add(1)
			defer running.Add(-1)
			for m := most.Load(); now > m && !most.CompareAndSwap(m, now); m = most.Load() {
			}
			time.Sleep(time.Duration(n-i) * time.Millisecond)
			file := fmt.Sprintf("s%d", i)
			return &Segment{File: file}, []*EventFile{{Segment: Segment{File: "e" + file}}}, nil
		})
	}
	if w.submitted() != n || w.failed() {
		t.Fatalf("submitted %d, failed %v", w.submitted(), w.failed())
	}
	segs, efs, err := w.wait()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i, seg := range segs {
		got = append(got, seg.File, efs[i].File)
	}
	if want := "s0 es0 s1 es1 s2 es2 s3 es3 s4 es4 s5 es5"; strings.Join(got, " ") != want {
		t.Errorf("order %v, want %s", got, want)
	}
	if m := most.Load(); m != 2 {
		t.Errorf("at most %d writes ran at once, want 2", m)
	}

	w = newChunkWrites()
	w.submit(func() (*Segment, []*EventFile, error) { return &Segment{File: "ok"}, nil, nil })
	w.submit(func() (*Segment, []*EventFile, error) { return nil, nil, errors.New("injected failure") })
	w.submit(func() (*Segment, []*EventFile, error) { panic("injected panic") })
	if _, _, err := w.wait(); err == nil || err.Error() != "injected failure" {
		t.Errorf("wait: %v, want the injected failure", err)
	}
	if !w.failed() {
		t.Error("failed() is false after a failed write")
	}
	w = newChunkWrites()
	w.submit(func() (*Segment, []*EventFile, error) { panic("injected panic") })
	if _, _, err := w.wait(); err == nil || !strings.Contains(err.Error(), "injected panic") {
		t.Errorf("wait after a panic: %v", err)
	}
}
