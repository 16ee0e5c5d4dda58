package storage

import (
	"fmt"
	"path"
	"testing"

	"github.com/pqdb/pqdb/pgerr"
)

// TestCrossCommitSpilledRows commits a transaction whose rows in two
// schemas spilled: committed, the published state has both tables
// flushed (no tail, no spilled batch) and every row; aborted by a key
// taken in one schema, neither has a row and no written file is left;
// crashed before or after the decision, open discards it (sweeping the
// files its flushes wrote) or publishes the manifests its parts logged.
func TestCrossCommitSpilledRows(t *testing.T) {
	const batches, per = 6, 40
	run := func(t *testing.T, s *Store) *Txn {
		ta := s.Snapshot().Table("a", "t")
		tb := s.Snapshot().Table("b", "t")
		tx := s.Begin()
		tx.Snapshot()
		for b := range batches {
			must(t, tx.Insert(ta, kvRows(per, int64(1000+b*per), "a")))
			must(t, tx.Insert(tb, kvRows(per, int64(1000+b*per), "b")))
		}
		if n, _ := spilledBatches(tx, ta.ID); n == 0 {
			t.Fatal("nothing spilled in a")
		}
		if n, _ := spilledBatches(tx, tb.ID); n == 0 {
			t.Fatal("nothing spilled in b")
		}
		return tx
	}
	tailless := func(t *testing.T, s *Store) {
		t.Helper()
		for _, name := range []string{"a", "b"} {
			ns := s.namespace(name)
			ts := ns.state.Load().tables["t"]
			if len(ts.inserts) != 0 {
				t.Fatalf("schema %s: %d tail batches after the commit", name, len(ts.inserts))
			}
		}
	}
	// rowsIn checks each table has want rows, the spilled ones among them
	// if bulk.
	rowsIn := func(t *testing.T, s *Store, want int, bulk bool) {
		t.Helper()
		snap := s.Snapshot()
		for _, name := range []string{"a", "b"} {
			rows := keysOf(t, snap, name)
			if len(rows) != want {
				t.Fatalf("schema %s: %d rows, want %d", name, len(rows), want)
			}
			if got := rows["1239"]; bulk && got != "1239|"+name || !bulk && got != "" {
				t.Fatalf("schema %s: row 1239 = %q", name, rows["1239"])
			}
		}
	}
	filesOf := func(t *testing.T, dir string) int {
		objects, err := testObjectStore(t, dir).list("")
		must(t, err)
		n := 0
		for _, o := range objects {
			if path.Ext(o.key) == ".parquet" {
				n++
			}
		}
		return n
	}
	opts := Options{SpillBytes: 1, FlushRows: 64, RowGroupRows: 16}

	t.Run("commit", func(t *testing.T) {
		dir := t.TempDir()
		s := openTest(t, dir, opts)
		ta, tb := twoSchemas(t, s)
		must(t, insertBoth(s, ta, tb, 1))
		before := s.Stats().BulkCommits
		must(t, run(t, s).Commit())
		if s.Stats().BulkCommits == before {
			t.Fatal("the parts were not committed as bulk commits")
		}
		tailless(t, s)
		rowsIn(t, s, 1+batches*per, true)
		wantCode(t, s.Begin().Insert(ta, kvRecord([]int64{1001}, []string{"dup"})), pgerr.UniqueViolation)
		s.crash()
		s = openTest(t, dir, Options{})
		defer s.Close()
		rowsIn(t, s, 1+batches*per, true)
	})

	t.Run("abort", func(t *testing.T) {
		dir := t.TempDir()
		s := openTest(t, dir, opts)
		ta, tb := twoSchemas(t, s)
		must(t, insertBoth(s, ta, tb, 1))
		must(t, s.Checkpoint())
		files := filesOf(t, dir)
		tx := run(t, s)
		mustInsert(t, s, tb, kvRecord([]int64{1100}, []string{"first"}))
		must(t, s.Checkpoint())
		files2 := filesOf(t, dir)
		wantCode(t, tx.Commit(), pgerr.UniqueViolation)
		if got := filesOf(t, dir); got != files2 {
			t.Fatalf("the aborted part left files: %d parquet files, %d before it (%d before the other commit)", got, files2, files)
		}
		snap := s.Snapshot()
		if ra, rb := keysOf(t, snap, "a"), keysOf(t, snap, "b"); len(ra) != 1 || len(rb) != 2 {
			t.Fatalf("after the abort: a %d rows, b %d rows", len(ra), len(rb))
		}
		s.Close()
	})

	for _, stage := range []crossStage{crossPrepared, crossDecided} {
		t.Run(fmt.Sprintf("crash at stage %d", stage), func(t *testing.T) {
			dir := t.TempDir()
			s := openTest(t, dir, opts)
			ta, tb := twoSchemas(t, s)
			must(t, insertBoth(s, ta, tb, 1))
			tx := run(t, s)
			s.cross.testHook = func(st crossStage) bool { return st == stage }
			tx.Commit()
			s.crash()
			s = openTest(t, dir, opts)
			defer s.Close()
			want, bulk := 1, stage == crossDecided
			if bulk {
				want += batches * per
			}
			rowsIn(t, s, want, bulk)
			tailless(t, s) // a replayed part spilled and was flushed at open
			// Open swept the flush files of a discarded part and
			// published those of a committed one.
			wantNoOrphans(t, s, dir, s.Snapshot().Table("a", "t"))
			wantNoOrphans(t, s, dir, s.Snapshot().Table("b", "t"))
			if bulk && filesOf(t, dir) == 0 {
				t.Fatal("no segment or event file after the committed part")
			}
			must(t, insertBoth(s, ta, tb, 2))
			must(t, insertBoth(s, ta, tb, 3))
			rowsIn(t, s, want+2, bulk)
		})
	}
}
