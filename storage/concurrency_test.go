package storage

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

func TestConcurrentCommits(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{FlushRows: 100})
	defer s.Close()
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	const workers, each = 8, 40
	runWorkers(t, workers, func(w int) error {
		for i := 0; i < each; i++ {
			k := int64(w*1000 + i)
			tx := s.Begin()
			tx.Snapshot()
			if err := tx.Insert(tbl, kvRecord([]int64{k}, []string{"w"})); err != nil {
				return err
			}
			if err := tx.Commit(); err != nil {
				return err
			}
		}
		return nil
	})
	rows, _ := scanAll(t, s.Snapshot(), tbl)
	if len(rows) != workers*each {
		t.Fatalf("%d rows, want %d", len(rows), workers*each)
	}
	st := s.Stats()
	t.Logf("%d commits in %d SQLite transactions", st.Commits, st.CommitGroups)
}

// runWorkers runs work(0) ... work(workers-1) at once and fails the test
// with the errors they return.
func runWorkers(t *testing.T, workers int, work func(w int) error) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := work(w); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

// Concurrent read-modify-write of one counter row: every increment that
// commits is kept, the others fail with 40001 and are retried.
func TestConcurrentIncrements(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{FlushRows: 50})
	defer s.Close()
	tbl := kvTable("counter")
	mustCreate(t, s, tbl)
	mustInsert(t, s, tbl, kvRecord([]int64{1}, []string{"0"}))
	const workers, each = 4, 25
	var mu sync.Mutex
	var retries int
	runWorkers(t, workers, func(int) error {
		for done := 0; done < each; {
			tx := s.Begin()
			v, id, err := readCounter(tx.Snapshot(), tbl)
			if err != nil {
				return err
			}
			if err := tx.Update(tbl, []int64{id}, kvRecord([]int64{1}, []string{strconv.Itoa(v + 1)})); err != nil {
				return err
			}
			err = tx.Commit()
			switch pgerr.CodeOf(err) {
			case "":
				done++
			case pgerr.TRSerializationFailure:
				mu.Lock()
				retries++
				mu.Unlock()
			default:
				return err
			}
		}
		return nil
	})
	rows, _ := scanAll(t, s.Snapshot(), tbl)
	if got, want := rows["1"], fmt.Sprintf("1|%d", workers*each); got != want {
		t.Fatalf("counter %q, want %q (%d retries)", got, want, retries)
	}
	if !strings.HasPrefix(rows["1"], "1|") || len(rows) != 1 {
		t.Fatalf("rows %v", rows)
	}
}

// readCounter reads the value and row id of the one row of a counter
// table (kv with its value as decimal text).
func readCounter(snap *Snapshot, tbl *catalog.Table) (int, int64, error) {
	r, err := snap.Scan(tbl, []int{1}, nil)
	if err != nil {
		return 0, 0, err
	}
	defer r.Close()
	rec, err := r.Next()
	if err != nil || rec == nil {
		return 0, 0, fmt.Errorf("counter row missing: %v", err)
	}
	v, _ := strconv.Atoi(rec.Column(0).(*array.String).Value(0))
	return v, rec.Column(1).(*array.Int64).Value(0), nil
}
