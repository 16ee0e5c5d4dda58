package storage

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
)

// TestTailBatchesSkipped commits a hundred single-row batches that stay
// in the tail, updates and deletes some, and checks that a scan with
// predicates returns exactly the rows of the batches their bounds admit:
// every matching live row, and none of the batches ruled out.
func TestTailBatchesSkipped(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	for k := range int64(100) {
		mustInsert(t, s, tbl, kvRecord([]int64{k}, []string{"v"}))
	}
	// Move key 10 to 510 and delete key 20.
	_, ids := scanAll(t, s.Snapshot(), tbl)
	tx := s.Begin()
	tx.Snapshot()
	if err := tx.Update(tbl, []int64{ids["10"]}, kvRecord([]int64{510}, []string{"moved"})); err != nil {
		t.Fatal(err)
	}
	if err := tx.Delete(tbl, []int64{ids["20"]}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	keysOf := func(preds ...Predicate) []int64 {
		t.Helper()
		r, err := s.Snapshot().Scan(tbl, []int{0}, preds)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		var out []int64
		for {
			rec, err := r.Next()
			if err != nil {
				t.Fatal(err)
			}
			if rec == nil {
				return out
			}
			out = append(out, rec.Column(0).(*array.Int64).Int64Values()...)
		}
	}
	for _, c := range []struct {
		name  string
		preds []Predicate
		want  int // rows returned
	}{
		{"equal", []Predicate{{Column: 0, Op: Eq, Value: int64(57)}}, 1},
		{"equal to a moved key", []Predicate{{Column: 0, Op: Eq, Value: int64(510)}}, 1},
		{"equal to a moved key's old value", []Predicate{{Column: 0, Op: Eq, Value: int64(10)}}, 0},
		{"equal to a deleted key", []Predicate{{Column: 0, Op: Eq, Value: int64(20)}}, 0},
		{"in", []Predicate{{Column: 0, Op: In, Values: []any{int64(3), int64(97), int64(1000)}}}, 2},
		{"range", []Predicate{{Column: 0, Op: Ge, Value: int64(90)}, {Column: 0, Op: Lt, Value: int64(95)}}, 5},
		{"no predicate", nil, 99},
		{"other column", []Predicate{{Column: 1, Op: Eq, Value: "moved"}}, 1},
	} {
		if got := keysOf(c.preds...); len(got) != c.want {
			t.Errorf("%s: got keys %v, want %d rows", c.name, got, c.want)
		}
	}
}
