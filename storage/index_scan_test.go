package storage

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/parquet-go/parquet-go"

	"github.com/pqdb/pqdb/catalog"
)

// ixTable has a primary key (the segments' order) and four unordered
// columns to index: k int4, s text, d date, all with NULLs, and u int8,
// unique.
func ixTable() *catalog.Table {
	return &catalog.Table{
		Schema: "public",
		Name:   "ix",
		Columns: []catalog.Column{
			{Name: "id", Type: catalog.TypeInt8, NotNull: true},
			{Name: "k", Type: catalog.TypeInt4},
			{Name: "s", Type: catalog.TypeText},
			{Name: "d", Type: catalog.TypeDate},
			{Name: "u", Type: catalog.TypeInt8},
		},
		PrimaryKey: []int{0},
	}
}

// ixRecord returns rows with ids [from, from+n); version changes every
// non-key value (an update's new image).
func ixRecord(tbl *catalog.Table, from, n, version int) arrow.Record {
	fields := make([]arrow.Field, len(tbl.Columns))
	for i, c := range tbl.Columns {
		fields[i] = arrow.Field{Name: c.Name, Type: c.Type.ArrowType(), Nullable: true}
	}
	b := array.NewRecordBuilder(memory.DefaultAllocator, arrow.NewSchema(fields, nil))
	defer b.Release()
	for id := from; id < from+n; id++ {
		h := uint64(id)*0x9e3779b97f4a7c15 + uint64(version)*0xbf58476d1ce4e5b9
		h ^= h >> 29
		b.Field(0).(*array.Int64Builder).Append(int64(id))
		if h%37 == 0 {
			b.Field(1).AppendNull()
		} else {
			b.Field(1).(*array.Int32Builder).Append(int32(h % 400))
		}
		if h%41 == 1 {
			b.Field(2).AppendNull()
		} else {
			b.Field(2).(*array.StringBuilder).Append(fmt.Sprintf("s%03d", (h>>8)%250))
		}
		if h%43 == 2 {
			b.Field(3).AppendNull()
		} else {
			b.Field(3).(*array.Date32Builder).Append(arrow.Date32((h >> 16) % 90))
		}
		b.Field(4).(*array.Int64Builder).Append(ixUnique(id, version))
	}
	return b.NewRecordBatch()
}

// ixUnique is the u column of row id: a permutation of the ids.
func ixUnique(id, version int) int64 {
	return int64(uint32(id)*2654435761) + int64(version)<<32
}

// holds reports whether row i of rec (ixTable's columns) satisfies preds,
// as the SQL filter above a scan would.
func holds(rec arrow.Record, i int, preds []Predicate) bool {
	for _, p := range preds {
		col := rec.Column(p.Column)
		if p.Op == IsNull {
			if !col.IsNull(i) {
				return false
			}
			continue
		}
		if col.IsNull(i) {
			return false
		}
		var cmp func(v catalog.Datum) int
		switch a := col.(type) {
		case *array.Int32:
			x := a.Value(i)
			cmp = func(v catalog.Datum) int { return compareOrdered(x, v.(int32)) }
		case *array.Date32:
			x := int32(a.Value(i))
			cmp = func(v catalog.Datum) int { return compareOrdered(x, v.(int32)) }
		case *array.String:
			x := a.Value(i)
			cmp = func(v catalog.Datum) int { return compareOrdered(x, v.(string)) }
		case *array.Int64:
			x := a.Value(i)
			cmp = func(v catalog.Datum) int { return compareOrdered(x, v.(int64)) }
		}
		ok := false
		switch p.Op {
		case Eq:
			ok = cmp(p.Value) == 0
		case Lt:
			ok = cmp(p.Value) < 0
		case Le:
			ok = cmp(p.Value) <= 0
		case Gt:
			ok = cmp(p.Value) > 0
		case Ge:
			ok = cmp(p.Value) >= 0
		case In:
			ok = slices.ContainsFunc(p.Values, func(v catalog.Datum) bool { return v != nil && cmp(v) == 0 })
		}
		if !ok {
			return false
		}
	}
	return true
}

func compareOrdered[T int32 | int64 | string](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// matchingIDs reads r to its end and returns the ids of the rows that
// satisfy preds, sorted.
func matchingIDs(t *testing.T, r RecordReader, preds []Predicate) []int64 {
	t.Helper()
	var ids []int64
	eachRecord(t, r, func(rec arrow.Record) {
		for i := range int(rec.NumRows()) {
			if holds(rec, i, preds) {
				ids = append(ids, rec.Column(0).(*array.Int64).Value(i))
			}
		}
	})
	slices.Sort(ids)
	return ids
}

// randomIndexPreds returns predicates on the leading key of the index
// over column lead (1 = k, 2 = s, 3 = d, 4 = u), and sometimes on
// another column.
func randomIndexPreds(rng *rand.Rand, lead int) []Predicate {
	val := func(c int) catalog.Datum {
		switch c {
		case 1:
			return int32(rng.IntN(420) - 10)
		case 2:
			return fmt.Sprintf("s%03d", rng.IntN(260))
		case 4:
			if rng.IntN(2) == 0 {
				return int64(rng.Uint32())
			}
			return ixUnique(rng.IntN(5600), 0)
		default:
			return int32(rng.IntN(95))
		}
	}
	var preds []Predicate
	switch rng.IntN(5) {
	case 0, 1:
		preds = append(preds, Predicate{Column: lead, Op: Eq, Value: val(lead)})
	case 2:
		var vs []catalog.Datum
		for range 1 + rng.IntN(4) {
			vs = append(vs, val(lead))
		}
		preds = append(preds, Predicate{Column: lead, Op: In, Values: vs})
	case 3:
		lo, hi := val(lead), val(lead)
		preds = append(preds, Predicate{Column: lead, Op: Ge, Value: lo}, Predicate{Column: lead, Op: Lt, Value: hi})
	case 4:
		preds = append(preds, Predicate{Column: lead, Op: IsNull})
	}
	if rng.IntN(3) == 0 {
		other := 1 + (lead+rng.IntN(2))%3
		preds = append(preds, Predicate{Column: other, Op: Eq, Value: val(other)})
	}
	return preds
}

// TestIndexScanMatchesScan builds secondary indexes over segments that
// existed before them and segments flushed and compacted after, with
// deletions, updates and a tail, and checks, for random predicates, that
// an index scan finds exactly the rows a full scan does; also across a
// restart, after compaction, and that DROP INDEX takes the files away.
func TestIndexScanMatchesScan(t *testing.T) {
	defer func(n int) { segmentPageBytes = n }(segmentPageBytes)
	segmentPageBytes = 1024
	dir := t.TempDir()
	s := openTest(t, dir, Options{RowGroupRows: 700, Compaction: CompactionPolicy{Disabled: true}})
	defer func() { s.Close() }()
	tbl := ixTable()
	mustCreate(t, s, tbl)
	mustInsert(t, s, tbl, ixRecord(tbl, 0, 2500, 0))
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	mustInsert(t, s, tbl, ixRecord(tbl, 2500, 1700, 0))
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	indexes := []*catalog.Index{
		{Schema: "public", Name: "ix_k", Table: "ix", Columns: []string{"k"}},
		{Schema: "public", Name: "ix_s_d", Table: "ix", Columns: []string{"s", "d"}},
		{Schema: "public", Name: "ix_d", Table: "ix", Columns: []string{"d"}, Method: "hash"},
		{Schema: "public", Name: "ix_u", Table: "ix", Columns: []string{"u"}, Unique: true},
	}
	tx := s.Begin()
	for _, ix := range indexes {
		if err := tx.CreateIndex(ix); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	checkIndexFiles(t, s, tbl, 4)

	// Updates and deletions of segment rows, flushed and in the tail,
	// and rows only in the tail.
	_, ids := scanAll(t, s.Snapshot(), tbl)
	del := func(from, to, step int) {
		var rids []int64
		for id := from; id < to; id += step {
			rids = append(rids, ids[fmt.Sprint(id)])
		}
		tx := s.Begin()
		if err := tx.Delete(tbl, rids); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	del(0, 4200, 7)
	mustInsert(t, s, tbl, ixRecord(tbl, 4200, 900, 0))
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	checkIndexFiles(t, s, tbl, 4)
	del(3, 4200, 11)
	mustInsert(t, s, tbl, ixRecord(tbl, 5100, 300, 1))

	rng := rand.New(rand.NewPCG(9, 9))
	check := func(stage string) {
		t.Helper()
		snap := s.Snapshot()
		cols := []int{0, 1, 2, 3, 4}
		var filesRead int64
		for q := range 150 {
			ix := indexes[q%len(indexes)]
			preds := randomIndexPreds(rng, tbl.ColumnIndex(ix.Columns[0]))
			full, err := snap.Scan(tbl, cols, nil)
			if err != nil {
				t.Fatal(err)
			}
			want := matchingIDs(t, full, preds)
			r, err := snap.ScanIndex(tbl, ix, cols, preds)
			if err != nil {
				t.Fatal(err)
			}
			var counts ScanCounts
			r.(CountingScan).CountInto(&counts)
			r.(BatchSizer).SetMaxBatchRows(1 + rng.IntN(300))
			got := matchingIDs(t, r, preds)
			if !slices.Equal(got, want) {
				t.Fatalf("%s: %s %+v: index scan found %d rows %v, full scan %d %v", stage, ix.Name, preds, len(got), got, len(want), want)
			}
			filesRead += counts.IndexFiles.Load()
		}
		if filesRead == 0 {
			t.Fatalf("%s: no index file read", stage)
		}
	}
	check("after updates")

	if _, err := s.Compact("public", "ix", CompactOptions{Full: true}); err != nil {
		t.Fatal(err)
	}
	checkIndexFiles(t, s, tbl, 4)
	check("after compaction")

	mustInsert(t, s, tbl, ixRecord(tbl, 5400, 200, 2))
	s.Close()
	s = openTest(t, dir, Options{RowGroupRows: 700, Compaction: CompactionPolicy{Disabled: true}})
	check("after restart")

	// A selective lookup reads few of the table's row groups.
	snap := s.Snapshot()
	r, err := snap.ScanIndex(tbl, indexes[0], []int{0, 1}, []Predicate{{Column: 1, Op: Eq, Value: int32(77)}})
	if err != nil {
		t.Fatal(err)
	}
	var counts ScanCounts
	r.(CountingScan).CountInto(&counts)
	matchingIDs(t, r, nil)
	if counts.IndexPages.Load() == 0 || counts.RowGroupsSkipped.Load() == 0 {
		t.Fatalf("lookup read %d index pages, skipped %d row groups", counts.IndexPages.Load(), counts.RowGroupsSkipped.Load())
	}

	tx = s.Begin()
	if err := tx.DropIndex("public", "ix_k"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	checkIndexFiles(t, s, tbl, 3)
}

// checkIndexFiles checks that every segment of tbl lists n index files
// and that they exist.
func checkIndexFiles(t *testing.T, s *Store, tbl *catalog.Table, n int) {
	t.Helper()
	ts := s.Snapshot().tableState(tbl)
	if len(ts.manifest.Segments) == 0 {
		t.Fatal("no segments")
	}
	for _, seg := range ts.manifest.Segments {
		if len(seg.Indexes) != n {
			t.Fatalf("segment %s has index files %+v, want %d", seg.File, seg.Indexes, n)
		}
		for _, x := range seg.Indexes {
			if _, err := os.Stat(localFile(t, s, ts, x.File)); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// BenchmarkSecondaryLookup looks rows of a million up by unordered
// secondary keys, one row by a unique key (u) and about 45 by a
// two-column key (s, d): through the keys' index files ("index") and by
// the segments' own statistics, page index and equality narrowing
// ("scan", what a lookup cost before index files).
func BenchmarkSecondaryLookup(b *testing.B) {
	const rows, batch = 1 << 20, 1 << 16
	s := openTest(b, b.TempDir(), Options{Compaction: CompactionPolicy{Disabled: true}})
	defer s.Close()
	tbl := ixTable()
	mustCreate(b, s, tbl)
	for from := 0; from < rows; from += batch {
		mustInsert(b, s, tbl, ixRecord(tbl, from, batch, 0))
	}
	ixSD := &catalog.Index{Schema: "public", Name: "ix_s_d", Table: "ix", Columns: []string{"s", "d"}}
	ixU := &catalog.Index{Schema: "public", Name: "ix_u", Table: "ix", Columns: []string{"u"}}
	tx := s.Begin()
	for _, ix := range []*catalog.Index{ixSD, ixU} {
		if err := tx.CreateIndex(ix); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	if err := s.Checkpoint(); err != nil {
		b.Fatal(err)
	}
	if _, err := s.Compact("public", "ix", CompactOptions{Full: true}); err != nil {
		b.Fatal(err)
	}
	snap := s.Snapshot()
	cols := []int{0, 1, 2, 3, 4}
	for _, c := range []struct {
		name  string
		ix    *catalog.Index
		preds []Predicate
	}{
		{"unique", ixU, []Predicate{{Column: 4, Op: Eq, Value: ixUnique(777777, 0)}}},
		{"two-column", ixSD, []Predicate{{Column: 2, Op: Eq, Value: "s123"}, {Column: 3, Op: Eq, Value: int32(45)}}},
	} {
		want := -1
		for _, mode := range []string{"scan", "index"} {
			b.Run(c.name+"/"+mode, func(b *testing.B) {
				var pages int64
				for b.Loop() {
					var r RecordReader
					var err error
					if mode == "index" {
						r, err = snap.ScanIndex(tbl, c.ix, cols, c.preds)
					} else {
						r, err = snap.Scan(tbl, cols, c.preds)
					}
					if err != nil {
						b.Fatal(err)
					}
					var counts ScanCounts
					r.(CountingScan).CountInto(&counts)
					n := 0
					for {
						rec, err := r.Next()
						if err != nil {
							b.Fatal(err)
						}
						if rec == nil {
							break
						}
						for i := range int(rec.NumRows()) {
							if holds(rec, i, c.preds) {
								n++
							}
						}
					}
					r.Close()
					if want < 0 {
						want = n
					} else if n != want {
						b.Fatalf("%s found %d rows, want %d", mode, n, want)
					}
					pages = counts.Pages.Load() + counts.IndexPages.Load()
				}
				b.ReportMetric(float64(pages), "pages/op")
				b.ReportMetric(float64(want), "rows/op")
			})
		}
	}
}

// TestUniqueIndexBloomFilters: segments keep bloom filters on the key
// columns of unique indexes (for key checks and lookups), not on other
// indexed columns, and a lookup of an absent key skips row groups by them.
func TestUniqueIndexBloomFilters(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{RowGroupRows: 500})
	defer s.Close()
	tbl := ixTable()
	mustCreate(t, s, tbl)
	tx := s.Begin()
	for _, ix := range []*catalog.Index{
		{Schema: "public", Name: "ix_u", Table: "ix", Columns: []string{"u"}, Unique: true},
		{Schema: "public", Name: "ix_k", Table: "ix", Columns: []string{"k"}},
	} {
		if err := tx.CreateIndex(ix); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	mustInsert(t, s, tbl, ixRecord(tbl, 0, 2000, 0))
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	ts := s.Snapshot().tableState(tbl)
	sf, err := s.files.open(tableFile(ts.prefix, ts.manifest.Segments[0].File))
	if err != nil {
		t.Fatal(err)
	}
	defer sf.release()
	for g, rg := range sf.pf.RowGroups() {
		for name, want := range map[string]bool{"id": true, "u": true, "k": false} {
			fc := rg.ColumnChunks()[sf.leaves[name]].(*parquet.FileColumnChunk)
			if got := fc.BloomFilter() != nil; got != want {
				t.Errorf("row group %d column %s: bloom filter %v, want %v", g, name, got, want)
			}
		}
	}
	r, err := s.Snapshot().Scan(tbl, []int{0}, []Predicate{{Column: 4, Op: Eq, Value: int64(12345)}})
	if err != nil {
		t.Fatal(err)
	}
	var counts ScanCounts
	r.(CountingScan).CountInto(&counts)
	matchingIDs(t, r, nil)
	if counts.RowGroupsBloomSkipped.Load() == 0 {
		t.Errorf("no row group skipped by a bloom filter")
	}
}

// TestIndexFilesAfterFailedBuild: when building the index files of a
// committed CREATE INDEX fails, index scans read the segments in full
// (the same rows), and the files are built by the next flush, or at open
// when no flush comes.
func TestIndexFilesAfterFailedBuild(t *testing.T) {
	dir := t.TempDir()
	opts := Options{RowGroupRows: 300, Compaction: CompactionPolicy{Disabled: true}}
	s := openTest(t, dir, opts)
	defer func() { s.Close() }()
	tbl := ixTable()
	mustCreate(t, s, tbl)
	mustInsert(t, s, tbl, ixRecord(tbl, 0, 1000, 0))
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	hook := func(op, path string) error {
		if op == "read" {
			return nil // a write fault
		}
		if strings.Contains(path, string(filepath.Separator)+indexDir+string(filepath.Separator)) {
			return fmt.Errorf("injected failure writing %s", path)
		}
		return nil
	}
	faultHook.Store(&hook)
	ix := &catalog.Index{Schema: "public", Name: "ix_k", Table: "ix", Columns: []string{"k"}}
	tx := s.Begin()
	if err := tx.CreateIndex(ix); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		faultHook.Store(nil)
		t.Fatal(err)
	}
	faultHook.Store(nil)
	checkIndexFiles(t, s, tbl, 0)
	one := ixRecord(tbl, 123, 1, 0)
	preds := []Predicate{{Column: 1, Op: Eq, Value: one.Column(1).(*array.Int32).Value(0)}}
	one.Release()
	lookup := func() {
		t.Helper()
		full, err := s.Snapshot().Scan(tbl, []int{0, 1}, nil)
		if err != nil {
			t.Fatal(err)
		}
		want := matchingIDs(t, full, preds)
		r, err := s.Snapshot().ScanIndex(tbl, ix, []int{0, 1}, preds)
		if err != nil {
			t.Fatal(err)
		}
		if got := matchingIDs(t, r, preds); !slices.Equal(got, want) || len(want) == 0 {
			t.Fatalf("index scan found %v, full scan %v", got, want)
		}
	}
	lookup()
	s.Close()
	s = openTest(t, dir, opts)
	checkIndexFiles(t, s, tbl, 1)
	lookup()

	// A second index whose build fails gets its files at the next flush.
	faultHook.Store(&hook)
	ix2 := &catalog.Index{Schema: "public", Name: "ix_s", Table: "ix", Columns: []string{"s"}}
	tx = s.Begin()
	if err := tx.CreateIndex(ix2); err != nil {
		t.Fatal(err)
	}
	err := tx.Commit()
	faultHook.Store(nil)
	if err != nil {
		t.Fatal(err)
	}
	checkIndexFiles(t, s, tbl, 1)
	mustInsert(t, s, tbl, ixRecord(tbl, 1000, 10, 0))
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	checkIndexFiles(t, s, tbl, 2)
}
