package storage

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// eachEventRecord gives the rows of a tail's events in commit order, each
// commit's deletions before its insertions, with each row's own commit:
// whether runs of small insertions come as one record or each alone, and
// whatever the sizes of the insertions (one row, many, past
// eventBatchRows) and how deletions interleave with them.
func TestEventRowsInCommitOrder(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	ns := s.namespace("public")
	tbl := kvTable("t")
	rng := rand.New(rand.NewSource(5))
	for _, shape := range []string{"one-row", "mixed", "large"} {
		var ins []tailInsert
		var del []tailDelete
		var want []string
		next := int64(0)
		for seq := uint64(1); seq <= 3000; seq++ {
			if rng.Intn(4) == 0 {
				ids := []int64{rng.Int63n(1000), rng.Int63n(1000)}
				del = append(del, tailDelete{seq: seq, ids: ids})
				for _, id := range ids {
					want = append(want, fmt.Sprintf("%d delete %d NULL NULL %d", seq, seq*10, id))
				}
			}
			if rng.Intn(3) == 0 {
				continue
			}
			n := 1
			switch {
			case shape == "mixed":
				n = 1 + rng.Intn(40)
			case shape == "large" && seq%1000 == 0:
				n = eventBatchRows + 3
			}
			keys, vals, ids := make([]int64, n), make([]string, n), make([]int64, n)
			for i := range n {
				keys[i], vals[i], ids[i] = next, fmt.Sprint("v", next), 100000+next
				if next%7 == 0 {
					vals[i] = "NULL"
				}
				want = append(want, fmt.Sprintf("%d insert %d %d %s %d", seq, seq*10, keys[i], vals[i], ids[i]))
				next++
			}
			ins = append(ins, tailInsert{seq: seq, rec: withRowIDs(tailSchema(tbl), kvRecord(keys, vals), ids)})
		}
		var got []string
		records := 0
		err := ns.eachEventRecord(tbl, ins, del, func(seq uint64) (commitMeta, bool) {
			return commitMeta{at: int64(seq * 10), txid: int64(seq)}, true
		}, func(rec arrow.Record) error {
			defer rec.Release()
			records++
			if rec.NumRows() > eventBatchRows {
				t.Fatalf("%s: a record of %d rows", shape, rec.NumRows())
			}
			seqs := rec.Column(0).(*array.Int64)
			ats := rec.Column(1).(*array.Timestamp)
			txids := rec.Column(2).(*array.Int64)
			ops := rec.Column(3).(*array.String)
			keys := rec.Column(4).(*array.Int64)
			vals := rec.Column(5).(*array.String)
			rids := rec.Column(6).(*array.Int64)
			for i := range int(rec.NumRows()) {
				k, v := "NULL", "NULL"
				if keys.IsValid(i) {
					k = fmt.Sprint(keys.Value(i))
				}
				if vals.IsValid(i) {
					v = vals.Value(i)
				}
				if txids.Value(i) != seqs.Value(i) {
					t.Fatalf("%s: row of seq %d has the transaction id %d", shape, seqs.Value(i), txids.Value(i))
				}
				got = append(got, fmt.Sprintf("%d %s %d %s %s %d", seqs.Value(i), ops.Value(i), int64(ats.Value(i)), k, v, rids.Value(i)))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			for i := range min(len(got), len(want)) {
				if got[i] != want[i] {
					t.Fatalf("%s: row %d is %q, want %q (%d rows, want %d)", shape, i, got[i], want[i], len(got), len(want))
				}
			}
			t.Fatalf("%s: %d rows, want %d", shape, len(got), len(want))
		}
		if records > (len(ins)+len(del))/100 {
			t.Errorf("%s: %d records for %d insertions and %d deletions: runs of small events were not put together", shape, records, len(ins), len(del))
		}
	}
}

// BenchmarkEventFileOfOneRowCommits writes the history of an OLTP flush:
// 512 commits that each delete one row and insert one (TPC-B's
// UPDATEs).
func BenchmarkEventFileOfOneRowCommits(b *testing.B) {
	s := openTest(b, b.TempDir(), Options{})
	defer s.Close()
	tbl := kvTable("t")
	mustCreate(b, s, tbl)
	ns := s.namespace("public")
	ts := ns.state.Load().tables["t"]
	var ins []tailInsert
	var del []tailDelete
	for seq := uint64(1); seq <= 512; seq++ {
		k := int64(seq)
		del = append(del, tailDelete{seq: seq, ids: []int64{k}})
		ins = append(ins, tailInsert{seq: seq, rec: withRowIDs(ts.schema, kvRecord([]int64{k}, []string{"value"}), []int64{1000 + k})})
	}
	meta := func(seq uint64) (commitMeta, bool) { return commitMeta{at: int64(seq), txid: int64(seq)}, true }
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := ns.writeEventFile(ts, ins, del, int64(i+2), 0, 512, meta); err != nil {
			b.Fatal(err)
		}
	}
}
