package storage

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
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
	keysOf := func(preds ...Predicate) []int64 { return scannedInts(t, s, tbl, 0, preds) }
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

// TestTailLeadBoundsAcrossBatches: scans with predicates on the leading
// key column (here the second column, int4) over a tail of batches of 1
// to 1,500 rows (the largest past maxLeadRows, bounded by the scan
// instead), in no key order, with keys below zero and probes at each
// batch's ends, return exactly the rows of the batches whose key range
// admits the predicate: every row that matches, and no batch ruled out.
func TestTailLeadBoundsAcrossBatches(t *testing.T) {
	// The batches a scan keeps are what this measures: a unique lookup
	// (scan_unique.go) would return the key's row alone.
	uniqueLookups = false
	defer func() { uniqueLookups = true }()
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	tbl := &catalog.Table{Schema: "public", Name: "lead", PrimaryKey: []int{1}, Columns: []catalog.Column{
		{Name: "v", Type: catalog.TypeText},
		{Name: "k", Type: catalog.TypeInt4, NotNull: true},
	}}
	mustCreate(t, s, tbl)
	if tailLead(tbl) != 1 {
		t.Fatalf("leading key column %d, want 1", tailLead(tbl))
	}
	schema := arrow.NewSchema([]arrow.Field{{Name: "v", Type: arrow.BinaryTypes.String, Nullable: true}, {Name: "k", Type: arrow.PrimitiveTypes.Int32}}, nil)
	rng := rand.New(rand.NewPCG(7, 11))
	var model []int32 // every key
	next := int32(-3000)
	var batches [][]int32
	for _, n := range []int{1, 3, 7, 1, 1500, 2, 64, 1, 5} {
		keys := make([]int32, n)
		for i := range keys {
			next += 1 + int32(rng.IntN(3))
			keys[i] = next
		}
		batches = append(batches, keys)
	}
	rng.Shuffle(len(batches), func(i, j int) { batches[i], batches[j] = batches[j], batches[i] })
	for _, keys := range batches {
		vb := array.NewStringBuilder(memory.DefaultAllocator)
		kb := array.NewInt32Builder(memory.DefaultAllocator)
		for _, k := range keys {
			vb.Append(fmt.Sprint("v", k))
		}
		kb.AppendValues(keys, nil)
		v, k := vb.NewArray(), kb.NewArray()
		mustInsert(t, s, tbl, array.NewRecordBatch(schema, []arrow.Array{v, k}, int64(len(keys))))
		model = append(model, keys...)
	}
	ins := s.namespace("public").state.Load().byID[tbl.ID].inserts
	if len(ins) != len(batches) || !ins[0].lead.has && len(batches[0]) <= maxLeadRows {
		t.Fatalf("%d tail batches (want %d), the first with inline bounds: %v", len(ins), len(batches), ins[0].lead.has)
	}
	keysOf := func(preds []Predicate) []int64 { return scannedInts(t, s, tbl, 1, preds) }
	ops := []CompareOp{Eq, Lt, Le, Gt, Ge, In}
	for trial := range 400 {
		var probe int32
		if trial%2 == 0 {
			probe = model[rng.IntN(len(model))] // a key that is there, often a batch's end
		} else {
			probe = int32(rng.IntN(int(next)+3200)) - 3100
		}
		op := ops[trial%len(ops)]
		p := Predicate{Column: 1, Op: op, Value: int64(probe)}
		keep := func(k int32) bool {
			switch op {
			case Eq:
				return k == probe
			case Lt:
				return k < probe
			case Le:
				return k <= probe
			case Gt:
				return k > probe
			case Ge:
				return k >= probe
			}
			return k == probe || k == probe+1 || k == -probe
		}
		if op == In {
			p = Predicate{Column: 1, Op: In, Values: []any{int64(probe), int64(probe + 1), int64(-probe)}}
		}
		// A batch is read when its range [lo, hi] admits the predicate:
		// one of its ends for an order comparison, some value within it
		// for equality and IN.
		var want []int64
		for _, keys := range batches {
			lo, hi := slices.Min(keys), slices.Max(keys)
			admits := false
			switch op {
			case Lt, Le:
				admits = keep(lo)
			case Gt, Ge:
				admits = keep(hi)
			default:
				for v := lo; v <= hi && !admits; v++ {
					admits = keep(v)
				}
			}
			if admits {
				for _, k := range keys {
					want = append(want, int64(k))
				}
			}
		}
		slices.Sort(want)
		if got := keysOf([]Predicate{p}); !slices.Equal(got, want) {
			t.Fatalf("%v %d: got %d keys %v, want %d: %v", op, probe, len(got), got, len(want), want)
		}
	}
}

// scannedInts scans column col (int4 or int8) of tbl with preds and
// returns its values, sorted.
func scannedInts(t *testing.T, s *Store, tbl *catalog.Table, col int, preds []Predicate) []int64 {
	t.Helper()
	r, err := s.Snapshot().Scan(tbl, []int{col}, preds)
	if err != nil {
		t.Fatal(err)
	}
	var out []int64
	eachRecord(t, r, func(rec arrow.Record) {
		switch a := rec.Column(0).(type) {
		case *array.Int64:
			out = append(out, a.Int64Values()...)
		case *array.Int32:
			for _, v := range a.Int32Values() {
				out = append(out, int64(v))
			}
		}
	})
	slices.Sort(out)
	return out
}
