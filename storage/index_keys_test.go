package storage

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// modKeys is an IndexKeysFunc standing in for the engine's: the index
// "a_mod" keys uTable's rows by a % 10 and holds those whose b is not
// NULL, as CREATE UNIQUE INDEX a_mod ON u ((a % 10)) WHERE b IS NOT NULL
// would.
func modKeys(_ *Snapshot, _ *catalog.Table, ix *catalog.Index) (*IndexKeys, error) {
	compute := func(rec arrow.Record) ([]arrow.Array, []bool, error) {
		a, b := rec.Column(1).(*array.Int64), rec.Column(2)
		kb := array.NewInt64Builder(memory.DefaultAllocator)
		defer kb.Release()
		holds := make([]bool, a.Len())
		for i := range a.Len() {
			holds[i] = b.IsValid(i)
			switch {
			case !holds[i]:
				kb.Append(-1) // anything: the index does not hold the row
			case a.IsNull(i):
				kb.AppendNull()
			default:
				kb.Append(a.Value(i) % 10)
			}
		}
		return []arrow.Array{kb.NewArray()}, holds, nil
	}
	return &IndexKeys{Names: []string{"(a % 10)"}, Types: []catalog.Type{catalog.TypeInt8}, Compute: compute}, nil
}

func computedIndex(tbl *catalog.Table) *catalog.Index {
	return &catalog.Index{Schema: tbl.Schema, Name: "a_mod", Table: tbl.Name, Columns: []string{""}, Unique: true,
		Exprs: []catalog.IndexExpr{{SQL: "a % 10", Name: "expr", Type: catalog.TypeInt8}}, Predicate: "b IS NOT NULL"}
}

const modViolation = `duplicate key value violates unique constraint "a_mod"`

func TestComputedIndexKeys(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{IndexKeys: modKeys})
	tbl := uTable("u")
	mustCreate(t, s, tbl)
	mustInsert(t, s, tbl, uRecord(uRow{1, 1, "x"}, uRow{2, 11, nil}, uRow{3, nil, "y"}, uRow{4, nil, "z"}))

	// Creating the index checks the rows it holds: 1 and 11 share a
	// key, but 11's row is outside the predicate.
	tx := s.Begin()
	if err := tx.CreateIndex(computedIndex(tbl)); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	check := func(s *Store) {
		t.Helper()
		tx := s.Begin()
		defer tx.Rollback()
		wantUnique(t, tx.Insert(tbl, uRecord(uRow{5, 21, "w"})), modViolation, "Key ((a % 10))=(1) already exists.")
		wantUnique(t, tx.Insert(tbl, uRecord(uRow{5, 5, "w"}, uRow{6, 15, "v"})), modViolation, "Key ((a % 10))=(5) already exists.")
		if err := tx.Insert(tbl, uRecord(uRow{7, 31, nil}, uRow{8, nil, "n"})); err != nil {
			t.Fatal(err)
		}
		c, err := tx.Conflicts(tbl, uRecord(uRow{9, 41, "c"}, uRow{10, 41, nil}), []string{"a_mod"})
		if err != nil {
			t.Fatal(err)
		}
		if c[0].Holder < 0 || c[1].Holder >= 0 {
			t.Fatalf("conflicts %+v", c)
		}
	}
	check(s)

	// The key index is rebuilt from the segments after a restart.
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = openTest(t, dir, Options{IndexKeys: modKeys})
	check(s)

	// Without IndexKeys, such an index cannot be enforced.
	s.Close()
	s = openTest(t, dir, Options{})
	defer s.Close()
	tx = s.Begin()
	defer tx.Rollback()
	wantCode(t, tx.Insert(tbl, uRecord(uRow{5, 5, "w"})), "0A000")
}
