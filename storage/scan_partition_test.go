package storage

import (
	"fmt"
	"maps"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
)

// partitionRows reads every partition of a scan and returns the rows of
// all of them (rendered by rowsOf), failing on a row returned twice.
func partitionRows(t *testing.T, snap *Snapshot, tbl *catalog.Table, preds []Predicate, n int) (map[string]string, []int) {
	t.Helper()
	readers, err := snap.ScanPartitions(tbl, []int{0, 1}, preds, n)
	if err != nil {
		t.Fatal(err)
	}
	if len(readers) != n {
		t.Fatalf("%d readers, want %d", len(readers), n)
	}
	all := map[string]string{}
	counts := make([]int, n)
	for i, r := range readers {
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
			recs = append(recs, rec)
			counts[i] += int(rec.NumRows())
		}
		part := rowsOf(recs)
		for _, rec := range recs {
			rec.Release()
		}
		r.Close()
		for k, v := range part {
			if _, dup := all[k]; dup {
				t.Fatalf("row %s returned by two partitions", k)
			}
			all[k] = v
		}
	}
	return all, counts
}

func scanRows(t *testing.T, snap *Snapshot, tbl *catalog.Table, preds []Predicate) map[string]string {
	t.Helper()
	m, _ := partitionRows(t, snap, tbl, preds, 1)
	return m
}

func TestScanPartitionsCoverScan(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{RowGroupRows: 250})
	defer s.Close()
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	for seg := 0; seg < 3; seg++ {
		mustInsert(t, s, tbl, kvRows(1000, int64(seg*1000), fmt.Sprint("s", seg)))
		if err := s.Checkpoint(); err != nil {
			t.Fatal(err)
		}
	}
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
			got, counts := partitionRows(t, snap, tbl, preds, n)
			if !maps.Equal(got, want) {
				t.Errorf("%d partitions, preds %v: %d rows, want the scan's %d", n, preds, len(got), len(want))
			}
			if preds == nil && n <= 3 {
				for i, c := range counts {
					if c == 0 {
						t.Errorf("%d partitions: partition %d is empty", n, i)
					}
				}
			}
		}
	}
	if _, err := snap.ScanPartitions(tbl, []int{0}, nil, 0); err == nil {
		t.Error("ScanPartitions with 0 partitions succeeded")
	}
}
