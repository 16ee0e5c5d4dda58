package storage

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// okTable has a primary key and one column of each kind index files
// hold as order keys.
func okTable() *catalog.Table {
	return &catalog.Table{
		Schema: "public",
		Name:   "ok",
		Columns: []catalog.Column{
			{Name: "id", Type: catalog.TypeInt8, NotNull: true},
			{Name: "f", Type: catalog.TypeFloat8},
			{Name: "c", Type: catalog.BpcharType(4)},
			{Name: "n", Type: catalog.TypeNumeric},
			{Name: "j", Type: catalog.Type{Kind: catalog.JSONB, Typmod: -1}},
			{Name: "a", Type: catalog.ArrayOf(catalog.TypeInt4)},
		},
		PrimaryKey: []int{0},
	}
}

// okPools are the values (as text) of okTable's columns f .. a; rows
// take them at random, or NULL.
var okPools = [][]string{
	{"NaN", "-0", "0", "Infinity", "-Infinity", "1.5", "-1.5", "2.25", "1e300", "0.1", "7", "-100", "3", "4", "5", "6"},
	{"ab", "ab  ", "a", "", " a", "b!", "abcd", "ABC", "a b", "zz", "b", "c", "d", "e"},
	{"NaN", "Infinity", "-Infinity", "0", "0.00", "1.5", "1.50", "-1.5", "1e20", "123456789012345678901.5", "0.0001", "-7", "42", "43"},
	{"null", "1", "1.0", `"a"`, "[]", "{}", "[1, 2]", `{"a": 1}`, `{"a": 1.0}`, "true", "[null]", `{"b": [1]}`, `""`, "false"},
	{"{}", "{1}", "{1,2}", "{1,NULL}", "{NULL}", "{2}", "{1,2,3}", "{-1}", "{0,0}", "{3}", "{4}", "{5}"},
}

// okDatum parses text as a value of column c of tbl.
func okDatum(t *testing.T, tbl *catalog.Table, c int, text string) catalog.Datum {
	t.Helper()
	d, err := catalog.ParseText(tbl.Columns[c].Type, text)
	if err != nil {
		t.Fatalf("%s %q: %v", tbl.Columns[c].Type, text, err)
	}
	return d
}

// okRecord returns rows with ids [from, from+n) of random pool values.
func okRecord(t *testing.T, tbl *catalog.Table, rng *rand.Rand, from, n int) arrow.Record {
	fields := make([]arrow.Field, len(tbl.Columns))
	for i, c := range tbl.Columns {
		fields[i] = arrow.Field{Name: c.Name, Type: c.Type.ArrowType(), Nullable: true}
	}
	b := array.NewRecordBuilder(memory.DefaultAllocator, arrow.NewSchema(fields, nil))
	defer b.Release()
	for id := from; id < from+n; id++ {
		b.Field(0).(*array.Int64Builder).Append(int64(id))
		for c := 1; c < len(tbl.Columns); c++ {
			if c == 1 && id%997 == 0 {
				b.Field(c).(*array.Float64Builder).Append(1234.5) // a rare value
				continue
			}
			if rng.IntN(20) == 0 {
				b.Field(c).AppendNull()
				continue
			}
			pool := okPools[c-1]
			if err := catalog.AppendDatum(b.Field(c), okDatum(t, tbl, c, pool[rng.IntN(len(pool))])); err != nil {
				t.Fatal(err)
			}
		}
	}
	return b.NewRecordBatch()
}

// okMatchingIDs reads r to its end and returns the ids of its rows whose
// values satisfy preds, compared by order keys (whose order
// TestOrderKeysPG15 checks against PostgreSQL's), sorted.
func okMatchingIDs(t *testing.T, r RecordReader, tbl *catalog.Table, preds []Predicate) []int64 {
	t.Helper()
	defer r.Close()
	// The predicates' values' keys, made once.
	predKeys := make([][][]byte, len(preds))
	for i, p := range preds {
		for _, v := range append([]catalog.Datum{p.Value}, p.Values...) {
			if v == nil {
				continue
			}
			k, ok := orderKeyOf(tbl.Columns[p.Column].Type, v)
			if !ok {
				t.Fatalf("no key for %v", v)
			}
			predKeys[i] = append(predKeys[i], k)
		}
	}
	var ids []int64
	for {
		rec, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		if rec == nil {
			break
		}
		keys := make([]*array.Binary, len(preds))
		for j, p := range preds {
			keys[j] = orderKeyArray(rec.Column(p.Column), tbl.Columns[p.Column].Type).(*array.Binary)
			defer keys[j].Release()
		}
		for i := range int(rec.NumRows()) {
			ok := true
			for j, p := range preds {
				null := keys[j].IsNull(i)
				switch p.Op {
				case IsNull:
					ok = ok && null
				case In:
					ok = ok && !null && slices.ContainsFunc(predKeys[j], func(k []byte) bool { return bytes.Equal(keys[j].Value(i), k) })
				default:
					if null {
						ok = false
						break
					}
					cmp := bytes.Compare(keys[j].Value(i), predKeys[j][0])
					ok = ok && map[CompareOp]bool{Eq: cmp == 0, Lt: cmp < 0, Le: cmp <= 0, Gt: cmp > 0, Ge: cmp >= 0}[p.Op]
				}
			}
			if ok {
				ids = append(ids, rec.Column(0).(*array.Int64).Value(i))
			}
		}
	}
	slices.Sort(ids)
	return ids
}

// TestIndexScanOrderKeys: indexes on floats, char(n), var-scale numeric,
// jsonb and arrays get index files of order keys, over segments of many
// small row groups and index files of many pages; for random =, IN,
// ranges and IS NULL an index scan finds exactly the rows a full scan
// does (equal values in different forms: NaN, -0, 'ab  ', 1.50, 1.0 in
// jsonb), before and after a compaction and a restart, and a selective
// lookup skips row groups.
func TestIndexScanOrderKeys(t *testing.T) {
	defer func(n int) { segmentPageBytes = n }(segmentPageBytes)
	segmentPageBytes = 1024
	dir := t.TempDir()
	opts := Options{RowGroupRows: 200, Compaction: CompactionPolicy{Disabled: true}}
	s := openTest(t, dir, opts)
	defer func() { s.Close() }()
	tbl := okTable()
	mustCreate(t, s, tbl)
	rng := rand.New(rand.NewPCG(4, 9))
	mustInsert(t, s, tbl, okRecord(t, tbl, rng, 0, 3000))
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	var indexes []*catalog.Index
	for _, c := range tbl.Columns[1:] {
		ix := &catalog.Index{Schema: "public", Name: "ok_" + c.Name, Table: "ok", Columns: []string{c.Name}}
		if !IndexFilesKept(tbl, ix) {
			t.Fatalf("%s: no index files for %s", ix.Name, c.Type)
		}
		indexes = append(indexes, ix)
	}
	// char(4), then jsonb: both order-keyed, the second because jsonb
	// does not sort in storage.
	composite := &catalog.Index{Schema: "public", Name: "ok_c_j", Table: "ok", Columns: []string{"c", "j"}}
	tx := s.Begin()
	for _, ix := range append(slices.Clip(indexes), composite) {
		if err := tx.CreateIndex(ix); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	mustInsert(t, s, tbl, okRecord(t, tbl, rng, 3000, 2000))
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	checkIndexFiles(t, s, tbl, len(indexes)+1)
	mustInsert(t, s, tbl, okRecord(t, tbl, rng, 5000, 300)) // the tail

	check := func(stage string) {
		t.Helper()
		snap := s.Snapshot()
		cols := []int{0, 1, 2, 3, 4, 5}
		var filesRead, pagesRead int64
		for q := range 100 {
			c := 1 + q%len(indexes)
			ix := indexes[c-1]
			val := func() catalog.Datum { pool := okPools[c-1]; return okDatum(t, tbl, c, pool[rng.IntN(len(pool))]) }
			var preds []Predicate
			switch rng.IntN(6) {
			case 0, 1:
				preds = []Predicate{{Column: c, Op: Eq, Value: val()}}
			case 2:
				preds = []Predicate{{Column: c, Op: In, Values: []catalog.Datum{val(), nil, val()}}}
			case 3:
				preds = []Predicate{{Column: c, Op: Ge, Value: val()}, {Column: c, Op: Lt, Value: val()}}
			case 4:
				preds = []Predicate{{Column: c, Op: Gt, Value: val()}, {Column: c, Op: Le, Value: val()}}
			case 5:
				preds = []Predicate{{Column: c, Op: IsNull}}
			}
			if q%6 == 5 {
				// Through the composite index, by both its columns.
				ix = composite
				preds = []Predicate{{Column: 2, Op: Eq, Value: okDatum(t, tbl, 2, okPools[1][rng.IntN(len(okPools[1]))])}}
				j := okDatum(t, tbl, 4, okPools[3][rng.IntN(len(okPools[3]))])
				if rng.IntN(2) == 0 {
					preds = append(preds, Predicate{Column: 4, Op: Eq, Value: j})
				} else {
					preds = append(preds, Predicate{Column: 4, Op: Ge, Value: j})
				}
			}
			full, err := snap.Scan(tbl, cols, nil)
			if err != nil {
				t.Fatal(err)
			}
			want := okMatchingIDs(t, full, tbl, preds)
			r, err := snap.ScanIndex(tbl, ix, cols, preds)
			if err != nil {
				t.Fatal(err)
			}
			var counts ScanCounts
			r.(CountingScan).CountInto(&counts)
			r.(BatchSizer).SetMaxBatchRows(1 + rng.IntN(300))
			got := okMatchingIDs(t, r, tbl, preds)
			if !slices.Equal(got, want) {
				t.Fatalf("%s: %s %+v: index scan found %d rows, full scan %d", stage, ix.Name, preds, len(got), len(want))
			}
			filesRead += counts.IndexFiles.Load()
			pagesRead += counts.IndexPages.Load()
		}
		if filesRead == 0 || pagesRead == 0 {
			t.Fatalf("%s: %d index files, %d pages read", stage, filesRead, pagesRead)
		}
	}
	check("flushed")

	// A lookup of a rare value reads a few index pages and skips row
	// groups.
	snap := s.Snapshot()
	r, err := snap.ScanIndex(tbl, indexes[0], []int{0, 1}, []Predicate{{Column: 1, Op: Eq, Value: 1234.5}})
	if err != nil {
		t.Fatal(err)
	}
	var counts ScanCounts
	r.(CountingScan).CountInto(&counts)
	if ids := okMatchingIDs(t, r, tbl, []Predicate{{Column: 1, Op: Eq, Value: 1234.5}}); len(ids) != 6 {
		t.Fatalf("rare value in %v", ids)
	}
	if counts.IndexPages.Load() == 0 || counts.RowGroupsSkipped.Load() == 0 {
		t.Fatalf("lookup read %d index pages, skipped %d row groups", counts.IndexPages.Load(), counts.RowGroupsSkipped.Load())
	}

	if _, err := s.Compact("public", "ok", CompactOptions{Full: true}); err != nil {
		t.Fatal(err)
	}
	checkIndexFiles(t, s, tbl, len(indexes)+1)
	check("compacted")
	s.Close()
	s = openTest(t, dir, opts)
	check("restarted")
}
