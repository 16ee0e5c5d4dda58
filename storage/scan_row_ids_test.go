package storage

import (
	"fmt"
	"maps"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/catalog"
)

// TestScanWithoutRowIDs: a scan told to omit row ids (OmitRowIDs) returns
// the scanned columns only, and the rows a scan with them returns, in
// every state that hides rows: none deleted, rows deleted in segments'
// deletion vectors (by position), by the committed tail and by the
// scanning transaction (by id, so the row groups still decode the row
// ids), with its own inserts in the tail; in one scan and in partitions,
// whole and by key ranges, at a record size that cuts row groups (7 rows
// of 16).
func TestScanWithoutRowIDs(t *testing.T) {
	s, tbl, deleteKeys := kvThreeSegments(t)
	preds := [][]Predicate{nil, {{Column: 0, Op: Ge, Value: int64(95)}, {Column: 0, Op: Lt, Value: int64(130)}}, {{Column: 0, Op: Eq, Value: int64(150)}}}
	check := func(when string, snap *Snapshot) {
		t.Helper()
		for i, p := range preds {
			want := scanValues(t, snap, tbl, p, false, 1)
			for _, parts := range []int{1, 3} {
				if got := scanValues(t, snap, tbl, p, true, parts); !maps.Equal(got, want) {
					t.Errorf("%s, predicates %d, %d partitions: %d rows without row ids, %d with", when, i, parts, len(got), len(want))
				}
			}
		}
	}
	check("nothing deleted", s.Snapshot())
	// Deleted in a deletion vector (flushed).
	tx := s.Begin()
	deleteKeys(tx, 3, 97, 150)
	must(t, tx.Commit())
	must(t, s.Checkpoint())
	check("deletion vectors", s.Snapshot())
	// Deleted by the committed tail.
	tx = s.Begin()
	deleteKeys(tx, 4, 98, 151, 299)
	must(t, tx.Commit())
	check("tail deletions", s.Snapshot())
	// Deleted, and inserted, by the scanning transaction.
	tx = s.Begin()
	deleteKeys(tx, 5, 99, 152)
	must(t, tx.Insert(tbl, kvRows(10, 1000, "own")))
	check("own deletions and inserts", tx.Snapshot())
	tx.Rollback()
	if n := len(scanValues(t, s.Snapshot(), tbl, nil, true, 1)); n != 300-7 {
		t.Errorf("%d rows, want %d", n, 300-7)
	}
}

// kvThreeSegments opens a store (closed with the test) with row groups of
// 16 rows, holding a kv table loaded in three segments of 100 keys each
// (0..299, in key order), and returns a function that deletes keys in a
// transaction.
func kvThreeSegments(t *testing.T) (*Store, *catalog.Table, func(tx *Txn, keys ...int)) {
	t.Helper()
	s := openTest(t, t.TempDir(), Options{RowGroupRows: 16})
	t.Cleanup(func() { s.Close() })
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	kvSegments(t, s, tbl, 3, 100)
	_, ids := scanAll(t, s.Snapshot(), tbl)
	return s, tbl, func(tx *Txn, keys ...int) {
		t.Helper()
		var del []int64
		for _, k := range keys {
			del = append(del, ids[fmt.Sprint(k)])
		}
		must(t, tx.Delete(tbl, del))
	}
}

// scanValues scans tbl's columns with preds, in parts partitions, with
// or without row ids (omit), at 7 rows a record, and returns the rows by
// key: "k|v". Records without row ids must hold the two columns only;
// records with them, three.
func scanValues(t *testing.T, snap *Snapshot, tbl *catalog.Table, preds []Predicate, omit bool, parts int) map[string]string {
	t.Helper()
	readers, err := snap.ScanPartitions(tbl, []int{0, 1}, preds, parts)
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{}
	for _, r := range readers {
		if omit {
			r.(RowIDOmitter).OmitRowIDs()
		}
		r.(BatchSizer).SetMaxBatchRows(7)
		eachRecord(t, r, func(rec arrow.Record) {
			if want := map[bool]int64{true: 2, false: 3}[omit]; rec.NumCols() != want {
				t.Fatalf("record of %d columns, want %d", rec.NumCols(), want)
			}
			k, v := rec.Column(0).(*array.Int64), rec.Column(1).(*array.String)
			for i := range int(rec.NumRows()) {
				key := fmt.Sprint(k.Value(i))
				if _, dup := rows[key]; dup {
					t.Fatalf("key %s twice", key)
				}
				rows[key] = key + "|" + v.Value(i)
			}
		})
	}
	return rows
}

// TestDenseRowIDsComputed: the segments of a load in key order are
// marked dense, and scans of them compute the row ids they would decode:
// with and without row ids in the records, whole and narrowed by
// predicates, across row groups (16 rows), with rows deleted by the tail
// and in deletion vectors, they return what the same scans return with
// the ids decoded.
func TestDenseRowIDsComputed(t *testing.T) {
	s, tbl, deleteKeys := kvThreeSegments(t)
	ns := s.namespace("public")
	commitDeletion := func(keys ...int) {
		t.Helper()
		tx := s.Begin()
		deleteKeys(tx, keys...)
		must(t, tx.Commit())
	}
	commitDeletion(3, 40, 260)
	must(t, s.Checkpoint())         // deletion vectors
	commitDeletion(4, 17, 150, 299) // the tail's deletions, by id
	segs := ns.state.Load().byID[tbl.ID].manifest.Segments
	for i, seg := range segs {
		if !seg.DenseRowIDs {
			t.Fatalf("segment %d of a load in key order not marked dense", i)
		}
	}
	preds := [][]Predicate{nil, {{Column: 0, Op: Ge, Value: int64(15)}, {Column: 0, Op: Lt, Value: int64(170)}}, {{Column: 0, Op: Eq, Value: int64(150)}}, {{Column: 0, Op: Eq, Value: int64(151)}}}
	type result struct {
		rows, values map[string]string
		ids          map[string]int64
	}
	scan := func() []result {
		var out []result
		for _, p := range preds {
			rows, ids := scanAllWhere(t, s.Snapshot(), tbl, p)
			out = append(out, result{rows, scanValues(t, s.Snapshot(), tbl, p, true, 1), ids})
		}
		return out
	}
	computed := scan()
	if n := len(computed[0].rows); n != 300-7 {
		t.Errorf("%d rows, want %d", n, 300-7)
	}
	for _, k := range []int{3, 4, 17, 40, 150, 260, 299} {
		if _, ok := computed[0].rows[fmt.Sprint(k)]; ok {
			t.Errorf("deleted key %d scanned", k)
		}
	}
	must(t, ns.do(func() error {
		for _, seg := range segs {
			seg.DenseRowIDs = false
		}
		return nil
	}))
	decoded := scan()
	for i := range preds {
		c, d := computed[i], decoded[i]
		if !maps.Equal(c.rows, d.rows) || !maps.Equal(c.values, d.values) || !maps.Equal(c.ids, d.ids) {
			t.Errorf("predicates %d: computed ids give %d rows (%d values), decoded %d (%d)", i, len(c.rows), len(c.values), len(d.rows), len(d.values))
		}
	}
}
