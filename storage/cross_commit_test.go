package storage

import (
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// twoSchemas creates schemas a and b with a kv table t in each.
func twoSchemas(t testing.TB, s *Store) (ta, tb *catalog.Table) {
	t.Helper()
	tx := s.Begin()
	ta, tb = kvTable("t"), kvTable("t")
	ta.Schema, tb.Schema = "a", "b"
	for _, name := range []string{"a", "b"} {
		if err := tx.CreateSchema(name); err != nil {
			t.Fatal(err)
		}
	}
	for _, tbl := range []*catalog.Table{ta, tb} {
		if err := tx.CreateTable(tbl); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return ta, tb
}

// insertBoth inserts key k into both tables in one transaction.
func insertBoth(s *Store, ta, tb *catalog.Table, k int64) error {
	tx := s.Begin()
	for _, tbl := range []*catalog.Table{ta, tb} {
		rec := kvRecord([]int64{k}, []string{"v" + strconv.FormatInt(k, 10)})
		err := tx.Insert(tbl, rec)
		rec.Release()
		if err != nil {
			tx.Rollback()
			return err
		}
	}
	return tx.Commit()
}

// keysOf returns the keys of a kv table in snap.
func keysOf(t testing.TB, snap *Snapshot, schema string) map[string]string {
	t.Helper()
	tbl := snap.Table(schema, "t")
	if tbl == nil {
		t.Fatalf("table %s.t is missing", schema)
	}
	rows, _ := scanAll(t, snap, tbl)
	return rows
}

// A cross-schema commit whose part in one schema fails validation at
// commit (a concurrent commit took its key) commits nothing in the other,
// whichever of the two fails, also after a restart; both schemas take
// commits afterwards.
func TestCrossCommitFailureCommitsNothing(t *testing.T) {
	for _, failing := range []string{"a", "b"} {
		t.Run("fails in "+failing, func(t *testing.T) {
			dir := t.TempDir()
			s := openTest(t, dir, Options{})
			ta, tb := twoSchemas(t, s)
			tx := s.Begin()
			tx.Insert(ta, kvRecord([]int64{1}, []string{"x"}))
			tx.Insert(tb, kvRecord([]int64{1}, []string{"x"}))
			// DDL in both parts: the abort must restore the catalog too.
			na, nb := kvTable("n"), kvTable("n")
			na.Schema, nb.Schema = "a", "b"
			if err := tx.CreateTable(na); err != nil {
				t.Fatal(err)
			}
			if err := tx.CreateTable(nb); err != nil {
				t.Fatal(err)
			}
			taken := ta
			if failing == "b" {
				taken = tb
			}
			mustInsert(t, s, taken, kvRecord([]int64{1}, []string{"first"}))
			wantCode(t, tx.Commit(), pgerr.UniqueViolation)
			check := func(s *Store, when string) {
				snap := s.Snapshot()
				ra, rb := keysOf(t, snap, "a"), keysOf(t, snap, "b")
				if len(ra)+len(rb) != 1 || snap.Table("a", "n") != nil || snap.Table("b", "n") != nil {
					t.Fatalf("%s: a %v b %v, tables n %v %v", when, ra, rb, snap.Table("a", "n"), snap.Table("b", "n"))
				}
			}
			check(s, "after the failed commit")
			if err := insertBoth(s, ta, tb, 2); err != nil {
				t.Fatal(err)
			}
			s.crash()
			s = openTest(t, dir, Options{})
			defer s.Close()
			snap := s.Snapshot()
			if ra, rb := keysOf(t, snap, "a"), keysOf(t, snap, "b"); len(ra)+len(rb) != 3 || ra["2"] != "2|v2" || rb["2"] != "2|v2" {
				t.Fatalf("after restart: a %v b %v", ra, rb)
			}
			if snap.Table("a", "n") != nil || snap.Table("b", "n") != nil {
				t.Fatal("aborted tables exist after restart")
			}
			if err := insertBoth(s, ta, tb, 3); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// An aborted cross-schema part that dropped a table leaves the table and
// its unflushed rows, also after a restart.
func TestCrossCommitAbortKeepsDroppedTable(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	ta, tb := twoSchemas(t, s)
	if err := insertBoth(s, ta, tb, 1); err != nil {
		t.Fatal(err)
	}
	tx := s.Begin()
	if err := tx.DropTable("a", "t"); err != nil {
		t.Fatal(err)
	}
	tx.Insert(tb, kvRecord([]int64{2}, []string{"x"}))
	mustInsert(t, s, tb, kvRecord([]int64{2}, []string{"first"}))
	wantCode(t, tx.Commit(), pgerr.UniqueViolation)
	s.crash()
	s = openTest(t, dir, Options{})
	defer s.Close()
	if ra := keysOf(t, s.Snapshot(), "a"); ra["1"] != "1|v1" {
		t.Fatalf("a %v", ra)
	}
}

// A reader never sees one schema's half of a cross-schema commit: every
// snapshot holds the same keys in both tables, while cross-schema
// commits, single-schema commits and flushes run.
func TestCrossCommitSeenAtomically(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{FlushRows: 64})
	defer s.Close()
	ta, tb := twoSchemas(t, s)
	other := kvTable("other")
	other.Schema = "a"
	mustCreate(t, s, other)
	const writers, each = 4, 60
	var stop atomic.Bool
	var wg sync.WaitGroup
	var reads atomic.Int64
	readerErr := make(chan error, 4)
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				snap := s.Snapshot()
				ra, rb := keysOf(t, snap, "a"), keysOf(t, snap, "b")
				if len(ra) != len(rb) {
					readerErr <- fmt.Errorf("snapshot with %d rows in a.t and %d in b.t", len(ra), len(rb))
					return
				}
				for k := range ra {
					if _, ok := rb[k]; !ok {
						readerErr <- fmt.Errorf("key %s in a.t only", k)
						return
					}
				}
				reads.Add(1)
			}
		}()
	}
	runWorkers(t, writers, func(w int) error {
		for i := range each {
			k := int64(w*1000 + i)
			if err := insertBoth(s, ta, tb, k); err != nil {
				return err
			}
			tx := s.Begin()
			tx.Insert(other, kvRecord([]int64{k}, []string{"single"}))
			if err := tx.Commit(); err != nil {
				return err
			}
		}
		return nil
	})
	stop.Store(true)
	wg.Wait()
	close(readerErr)
	for err := range readerErr {
		t.Fatal(err)
	}
	if ra := keysOf(t, s.Snapshot(), "a"); len(ra) != writers*each {
		t.Fatalf("%d rows", len(ra))
	}
	t.Logf("%d consistent snapshots", reads.Load())
}

// Concurrent cross-schema read-modify-writes of one counter row in each
// schema: each increment commits in both or in neither (40001, retried).
func TestCrossCommitConcurrentIncrements(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{FlushRows: 50})
	defer s.Close()
	ta, tb := twoSchemas(t, s)
	if err := insertBoth(s, ta, tb, 1); err != nil {
		t.Fatal(err)
	}
	const workers, each = 4, 15
	runWorkers(t, workers, func(int) error {
		for done := 0; done < each; {
			tx := s.Begin()
			snap := tx.Snapshot()
			var err error
			for _, tbl := range []*catalog.Table{ta, tb} {
				v, id, rerr := readCounter(snap, tbl) // "v1" reads as 0
				if rerr != nil {
					return rerr
				}
				if err = tx.Update(tbl, []int64{id}, kvRecord([]int64{1}, []string{strconv.Itoa(v + 1)})); err != nil {
					return err
				}
			}
			err = tx.Commit()
			switch pgerr.CodeOf(err) {
			case "":
				done++
			case pgerr.TRSerializationFailure:
			default:
				return err
			}
		}
		return nil
	})
	snap := s.Snapshot()
	want := fmt.Sprintf("1|%d", workers*each)
	if ra, rb := keysOf(t, snap, "a"), keysOf(t, snap, "b"); ra["1"] != want || rb["1"] != want {
		t.Fatalf("a %v b %v, want %s", ra, rb, want)
	}
}

// A crash after every part is prepared but before the decision loses the
// transaction in both schemas; a crash after the decision keeps it in
// both. Recovery leaves each schema able to commit and reopen.
func TestCrossCommitCrashRecovery(t *testing.T) {
	for _, tc := range []struct {
		stage crossStage
		kept  bool
	}{{crossPrepared, false}, {crossDecided, true}} {
		t.Run(fmt.Sprintf("stage %d", tc.stage), func(t *testing.T) {
			dir := t.TempDir()
			s := openTest(t, dir, Options{})
			ta, tb := twoSchemas(t, s)
			if err := insertBoth(s, ta, tb, 1); err != nil {
				t.Fatal(err)
			}
			s.cross.testHook = func(st crossStage) bool { return st == tc.stage }
			tx := s.Begin()
			tx.Insert(ta, kvRecord([]int64{2}, []string{"x"}))
			tx.Insert(tb, kvRecord([]int64{2}, []string{"x"}))
			na, nb := kvTable("n"), kvTable("n")
			na.Schema, nb.Schema = "a", "b"
			tx.CreateTable(na)
			tx.CreateTable(nb)
			tx.Insert(na, kvRecord([]int64{7}, []string{"new"}))
			tx.Commit()
			s.crash()

			s = openTest(t, dir, Options{})
			check := func(when string) {
				snap := s.Snapshot()
				ra, rb := keysOf(t, snap, "a"), keysOf(t, snap, "b")
				_, ina := ra["2"]
				_, inb := rb["2"]
				hasN := snap.Table("a", "n") != nil
				if ina != tc.kept || inb != tc.kept || hasN != tc.kept || (snap.Table("b", "n") != nil) != tc.kept {
					t.Fatalf("%s: a %v b %v, tables n: %v %v; want kept=%v", when, ra, rb, hasN, snap.Table("b", "n") != nil, tc.kept)
				}
				if hasN {
					if rows, _ := scanAll(t, snap, snap.Table("a", "n")); rows["7"] != "7|new" {
						t.Fatalf("%s: a.n %v", when, rows)
					}
				}
			}
			check("after recovery")
			if err := insertBoth(s, ta, tb, 3); err != nil {
				t.Fatal(err)
			}
			s.crash()
			s = openTest(t, dir, Options{})
			defer s.Close()
			check("after a second restart")
			if ra := keysOf(t, s.Snapshot(), "a"); ra["3"] != "3|v3" {
				t.Fatalf("a %v", ra)
			}
			var n int
			s.roles.db.QueryRow(`SELECT count(*) FROM commit_decisions`).Scan(&n)
			if n != 0 {
				t.Fatalf("%d decisions left after recovery", n)
			}
		})
	}
}

// Decisions are pruned once every participant resolved its part.
func TestCrossCommitPrunesDecisions(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	ta, tb := twoSchemas(t, s)
	for k := range int64(5) {
		if err := insertBoth(s, ta, tb, k); err != nil {
			t.Fatal(err)
		}
	}
	preparedParts := func() (n int) {
		for _, name := range []string{"a", "b"} {
			var parts int
			s.namespace(name).db.QueryRow(`SELECT count(*) FROM prepared_commits`).Scan(&parts)
			n += parts
		}
		return n
	}
	// A committed part is marked resolved with its schema's next commit.
	if n := preparedParts(); n != 2 {
		t.Fatalf("%d prepared parts, want the last transaction's 2", n)
	}
	mustInsert(t, s, ta, kvRecord([]int64{100}, []string{"single"}))
	mustInsert(t, s, tb, kvRecord([]int64{100}, []string{"single"}))
	if n := preparedParts(); n != 0 {
		t.Fatalf("%d prepared parts left", n)
	}
	if err := insertBoth(s, ta, tb, 200); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.roles.db.QueryRow(`SELECT count(*) FROM commit_decisions`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	// Each decision deletes the resolved ones before it: its own remains.
	if n != 1 {
		t.Fatalf("%d decisions kept, want 1", n)
	}
}

// While a cross-schema part is prepared, a commit to its schema that
// takes one of its keys waits; it then fails with 23505 if the
// transaction committed and goes through if it aborted.
func TestCrossCommitHoldsConflictingCommits(t *testing.T) {
	for _, commits := range []bool{true, false} {
		t.Run(fmt.Sprintf("commits %v", commits), func(t *testing.T) {
			s := openTest(t, t.TempDir(), Options{})
			defer s.Close()
			ta, tb := twoSchemas(t, s)
			insertOne := func(tbl *catalog.Table, k int64) error {
				tx := s.Begin()
				if err := tx.Insert(tbl, kvRecord([]int64{k}, []string{"single"})); err != nil {
					return err
				}
				return tx.Commit()
			}
			later := make(chan error, 1)
			s.cross.testHook = func(st crossStage) bool {
				if st != crossPartPrepared || len(later) > 0 {
					return false
				}
				// a.t's part is prepared (b's is not yet).
				go func() { later <- insertOne(ta, 8) }()
				if !commits {
					// Take b's key before b prepares: its part fails.
					if err := insertOne(tb, 8); err != nil {
						t.Error(err)
					}
				}
				select {
				case err := <-later:
					t.Errorf("a commit went past a prepared part: %v", err)
					later <- err
				case <-time.After(200 * time.Millisecond):
				}
				return false
			}
			tx := s.Begin()
			tx.Insert(ta, kvRecord([]int64{8}, []string{"cross"}))
			tx.Insert(tb, kvRecord([]int64{8}, []string{"cross"}))
			err := tx.Commit()
			ra := keysOf(t, s.Snapshot(), "a")
			if commits {
				if err != nil {
					t.Fatal(err)
				}
				wantCode(t, <-later, pgerr.UniqueViolation)
				if ra["8"] != "8|cross" {
					t.Fatalf("a %v", ra)
				}
				return
			}
			wantCode(t, err, pgerr.UniqueViolation)
			if err := <-later; err != nil {
				t.Fatalf("the waiting commit after the abort: %v", err)
			}
			if ra := keysOf(t, s.Snapshot(), "a"); ra["8"] != "8|single" {
				t.Fatalf("a %v", ra)
			}
		})
	}
}
