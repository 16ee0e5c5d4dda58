package storage

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/catalog"
)

// lookupKey scans snap's kv rows whose key is k, as a scan with the key
// pushed down (the rows it returns that hold another key are dropped, as
// the filter above a scan drops them), and returns their values.
func lookupKey(t *testing.T, snap *Snapshot, tbl *catalog.Table, k int64) []string {
	t.Helper()
	r, err := snap.Scan(tbl, []int{0, 1}, []Predicate{{Column: 0, Op: Eq, Value: k}})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	eachRecord(t, r, func(rec arrow.Record) {
		keys, vals := rec.Column(0).(*array.Int64), rec.Column(1).(*array.String)
		for i := range keys.Len() {
			if keys.Value(i) == k {
				out = append(out, vals.Value(i))
			}
		}
	})
	return out
}

// TestUniqueLookupFindsTheLiveVersion: a key lookup finds the one live
// version of a key whose versions pile up in the tail (hot keys updated
// commit after commit), sit in segments (flushed), or are deleted, as the
// plain order finds it, inside a transaction that deleted rows too.
func TestUniqueLookupFindsTheLiveVersion(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	want := map[int64]string{}
	ids := map[int64]int64{}
	put := func(tx *Txn, k int64, v string) {
		got, err := tx.InsertIDs(tbl, kvRecord([]int64{k}, []string{v}))
		if err != nil {
			t.Fatal(err)
		}
		want[k], ids[k] = v, got[0]
	}
	tx := s.Begin()
	for k := int64(1); k <= 200; k++ {
		put(tx, k, fmt.Sprint("first ", k))
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 400 {
		if i == 150 || i == 300 {
			if err := s.Checkpoint(); err != nil {
				t.Fatal(err)
			}
		}
		k := int64(1 + rng.IntN(5)) // a hot key
		if i%3 == 0 {
			k = int64(1 + rng.IntN(200))
		}
		tx := s.Begin()
		if id, ok := ids[k]; ok {
			if err := tx.Delete(tbl, []int64{id}); err != nil {
				t.Fatal(err)
			}
			delete(want, k)
			delete(ids, k)
		}
		if i%17 != 0 { // now and then a key is deleted for good
			put(tx, k, fmt.Sprint("version ", i))
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	// A batch of several rows stays in the tail: its row is copied out.
	tx = s.Begin()
	var keys []int64
	var vals []string
	for k := int64(300); k < 310; k++ {
		keys, vals = append(keys, k), append(vals, fmt.Sprint("batch ", k))
		want[k] = vals[len(vals)-1]
	}
	got, err := tx.InsertIDs(tbl, kvRecord(keys, vals))
	if err != nil {
		t.Fatal(err)
	}
	for i, k := range keys {
		ids[k] = got[i]
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	check := func(snap *Snapshot, want map[int64]string) {
		t.Helper()
		for k := int64(0); k <= 311; k++ {
			got := lookupKey(t, snap, tbl, k)
			uniqueLookups = false
			plain := lookupKey(t, snap, tbl, k)
			uniqueLookups = true
			v, ok := want[k]
			switch {
			case ok && (len(got) != 1 || got[0] != v):
				t.Errorf("key %d: got %q, want %q", k, got, v)
			case !ok && len(got) != 0:
				t.Errorf("key %d: got %q, want none", k, got)
			}
			if fmt.Sprint(got) != fmt.Sprint(plain) {
				t.Errorf("key %d: unique lookup %q, plain scan %q", k, got, plain)
			}
		}
	}
	check(s.Snapshot(), want)

	// A transaction's own deletions hide rows from its lookups; once it
	// inserted a row, its lookups take the plain order.
	tx = s.Begin()
	defer tx.Rollback()
	own := map[int64]string{}
	for k, v := range want {
		own[k] = v
	}
	for _, k := range []int64{1, 2, 100} {
		if id, ok := ids[k]; ok {
			if err := tx.Delete(tbl, []int64{id}); err != nil {
				t.Fatal(err)
			}
			delete(own, k)
		}
	}
	check(tx.Snapshot(), own)
	if _, err := tx.InsertIDs(tbl, kvRecord([]int64{1}, []string{"own"})); err != nil {
		t.Fatal(err)
	}
	own[1] = "own"
	check(tx.Snapshot(), own)
}
