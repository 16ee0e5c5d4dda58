package storage

import (
	"maps"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
)

// partitionRows reads every partition of a scan, one after the other or
// each on its own goroutine, and returns the rows of all of them
// (rendered by rowsOf), failing on a row returned twice.
func partitionRows(t *testing.T, snap *Snapshot, tbl *catalog.Table, preds []Predicate, n int, concurrent bool) map[string]string {
	t.Helper()
	readers, err := snap.ScanPartitions(tbl, []int{0, 1}, preds, n)
	if err != nil {
		t.Fatal(err)
	}
	if len(readers) != n {
		t.Fatalf("%d readers, want %d", len(readers), n)
	}
	parts := make([]map[string]string, n)
	errs := make([]error, n)
	read := func(i int) {
		r := readers[i]
		defer r.Close()
		var recs []arrow.Record
		defer func() {
			for _, rec := range recs {
				rec.Release()
			}
		}()
		for {
			rec, err := r.Next()
			if err != nil {
				errs[i] = err
				return
			}
			if rec == nil {
				break
			}
			rec.Retain()
			recs = append(recs, rec)
		}
		parts[i] = rowsOf(recs)
	}
	var wg sync.WaitGroup
	for i := range readers {
		if !concurrent {
			read(i)
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			read(i)
		}()
	}
	wg.Wait()
	all := map[string]string{}
	for i, part := range parts {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		for k, v := range part {
			if _, dup := all[k]; dup {
				t.Fatalf("row %s returned by two partitions", k)
			}
			all[k] = v
		}
	}
	return all
}

// scanRows returns the rows of a plain Scan, rendered by rowsOf.
func scanRows(t *testing.T, snap *Snapshot, tbl *catalog.Table, preds []Predicate) map[string]string {
	t.Helper()
	r, err := snap.Scan(tbl, []int{0, 1}, preds)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var recs []arrow.Record
	for {
		rec, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		if rec == nil {
			break
		}
		rec.Retain()
		defer rec.Release()
		recs = append(recs, rec)
	}
	return rowsOf(recs)
}

func TestScanPartitionsCoverScan(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{RowGroupRows: 250})
	defer s.Close()
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	kvSegments(t, s, tbl, 3, 1000)
	mustInsert(t, s, tbl, kvRows(100, 5000, "tail"))
	_, ids := scanAll(t, s.Snapshot(), tbl)
	tx := s.Begin()
	defer tx.Rollback()
	if err := tx.Delete(tbl, []int64{ids["10"], ids["1500"], ids["5001"]}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Insert(tbl, kvRows(10, 7000, "mine")); err != nil {
		t.Fatal(err)
	}
	snap := tx.Snapshot()
	for _, preds := range [][]Predicate{nil, {{Column: 0, Op: Ge, Value: int64(1200)}}} {
		want := scanRows(t, snap, tbl, preds)
		if preds == nil && len(want) != 3000+100+10-3 {
			t.Fatalf("scan has %d rows", len(want))
		}
		for _, n := range []int{2, 3, 5, 20} {
			got := partitionRows(t, snap, tbl, preds, n, n%2 == 0)
			if !maps.Equal(got, want) {
				t.Errorf("%d partitions, preds %v: %d rows, want the scan's %d", n, preds, len(got), len(want))
			}
		}
	}
	if _, err := snap.ScanPartitions(tbl, []int{0}, nil, 0); err == nil {
		t.Error("ScanPartitions with 0 partitions succeeded")
	}
}
