package storage

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// pruneRow is one generated row of pruneTable, as Go values.
type pruneRow struct {
	id       int64
	i4       int32
	i4Null   bool
	f8       float64
	t        string
	tNull    bool
	d        int32
	n        int64 // numeric(12,2), unscaled
	u        [16]byte
	category string
}

func pruneTable() *catalog.Table {
	return &catalog.Table{
		Schema: "public",
		Name:   "pr",
		Columns: []catalog.Column{
			{Name: "id", Type: catalog.TypeInt8, NotNull: true},
			{Name: "i4", Type: catalog.TypeInt4},
			{Name: "f8", Type: catalog.TypeFloat8},
			{Name: "t", Type: catalog.TypeText},
			{Name: "d", Type: catalog.TypeDate},
			{Name: "n", Type: catalog.NumericType(12, 2)},
			{Name: "u", Type: catalog.TypeUUID},
			{Name: "c", Type: catalog.BpcharType(3)},
		},
		PrimaryKey: []int{0},
	}
}

// pruneRows generates rows [from, from+n): ids and dates ascending (so
// pages have narrow bounds), i4 NULL in long runs (whole NULL pages) and
// otherwise descending, floats with NaN, -0 and 0, text with non-ASCII
// bytes and NULLs.
func pruneRows(from, n int) []pruneRow {
	rows := make([]pruneRow, n)
	for k := range rows {
		r := from + k
		row := &rows[k]
		row.id = int64(r)
		row.i4 = int32(100000 - r)
		row.i4Null = (r/300)%4 == 1
		switch r % 97 {
		case 5:
			row.f8 = math.NaN()
		case 6:
			row.f8 = math.Copysign(0, -1)
		case 7:
			row.f8 = 0
		default:
			row.f8 = float64(r)/4 - 500
		}
		row.t = fmt.Sprintf("%c-%05d", []rune("aéü字z")[(r/1000)%5], r)
		row.tNull = r%13 == 0
		row.d = int32(r / 10)
		row.n = int64(r) * 125
		row.u[0], row.u[1], row.u[15] = byte(r>>8), byte(r), 0xff
		row.category = []string{"ab ", "a\x01 ", "b  "}[r%3]
	}
	return rows
}

func pruneRecord(tbl *catalog.Table, rows []pruneRow) arrow.Record {
	b := array.NewRecordBuilder(memory.DefaultAllocator, tailSchemaNoRowID(tbl))
	defer b.Release()
	for _, r := range rows {
		b.Field(0).(*array.Int64Builder).Append(r.id)
		if r.i4Null {
			b.Field(1).AppendNull()
		} else {
			b.Field(1).(*array.Int32Builder).Append(r.i4)
		}
		b.Field(2).(*array.Float64Builder).Append(r.f8)
		if r.tNull {
			b.Field(3).AppendNull()
		} else {
			b.Field(3).(*array.StringBuilder).Append(r.t)
		}
		b.Field(4).(*array.Date32Builder).Append(arrow.Date32(r.d))
		b.Field(5).(*array.Decimal128Builder).Append(decimal128.FromI64(r.n))
		b.Field(6).(*array.FixedSizeBinaryBuilder).Append(r.u[:])
		b.Field(7).(*array.StringBuilder).Append(r.category)
	}
	return b.NewRecordBatch()
}

// TestPagePruningDifferential loads the same rows into a store that
// prunes by bloom filters and page indexes and one that does not
// (Options.NoPruning), with small row groups and pages, deletes some
// rows and leaves some in the tail; then, for each predicate shape, the
// pruned scan must return every live row that satisfies the predicate
// (scans never filter rows: it may return more), and the selective ones
// must skip something.
func TestPagePruningDifferential(t *testing.T) {
	defer func(n int) { segmentPageBytes = n }(segmentPageBytes)
	segmentPageBytes = 1024
	tbl := pruneTable()
	const n, rowGroup = 6000, 2000
	all := pruneRows(0, n+100)
	stores := make([]*Store, 2)
	deleted := map[int64]bool{}
	for i, noPruning := range []bool{false, true} {
		s := openTest(t, t.TempDir(), Options{RowGroupRows: rowGroup, NoPruning: noPruning})
		defer s.Close()
		mustCreate(t, s, tbl)
		mustInsert(t, s, tbl, pruneRecord(tbl, all[:n/2]))
		mustInsert(t, s, tbl, pruneRecord(tbl, all[n/2:n]))
		if err := s.Checkpoint(); err != nil {
			t.Fatal(err)
		}
		// Delete rows by id, some at page and row group boundaries.
		_, ids := scanAll(t, s.Snapshot(), tbl)
		var del []int64
		for _, id := range []int64{0, 127, 128, 1234, 1999, 2000, 2001, 4500, 5999} {
			del = append(del, ids[fmt.Sprint(id)])
			deleted[id] = true
		}
		tx := s.Begin()
		if err := tx.Delete(tbl, del); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			if err := s.Checkpoint(); err != nil {
				t.Fatal(err)
			}
		}
		mustInsert(t, s, tbl, pruneRecord(tbl, all[n:]))
		stores[i] = s
	}
	if pages := segmentPages(t, stores[0], tbl, "id"); pages < 10 {
		t.Fatalf("the id column has %d pages per row group, want many", pages)
	}
	live, _ := scanIDs(t, stores[1], tbl, nil, 0)
	if len(live) != n+100-len(deleted) {
		t.Fatalf("%d live rows", len(live))
	}
	dec := func(v int64) decimal128.Num { return decimal128.FromI64(v) }
	uuid := func(r int) [16]byte { return pruneRows(r, 1)[0].u }
	cases := []struct {
		name  string
		preds []Predicate
		match func(r *pruneRow) bool
		skips bool
	}{
		{"pk eq", []Predicate{{Column: 0, Op: Eq, Value: int64(1500)}}, func(r *pruneRow) bool { return r.id == 1500 }, true},
		{"pk eq deleted", []Predicate{{Column: 0, Op: Eq, Value: int64(1234)}}, func(r *pruneRow) bool { return r.id == 1234 }, true},
		{"pk eq page boundary", []Predicate{{Column: 0, Op: Eq, Value: int64(2002)}}, func(r *pruneRow) bool { return r.id == 2002 }, true},
		{"pk eq tail", []Predicate{{Column: 0, Op: Eq, Value: int64(6050)}}, func(r *pruneRow) bool { return r.id == 6050 }, true},
		{"pk eq absent", []Predicate{{Column: 0, Op: Eq, Value: int64(-7)}}, func(r *pruneRow) bool { return false }, true},
		{"pk in", []Predicate{{Column: 0, Op: In, Values: []catalog.Datum{int64(5), nil, int64(2500), int64(5998), int64(99999)}}},
			func(r *pruneRow) bool { return slices.Contains([]int64{5, 2500, 5998}, r.id) }, true},
		{"pk between", []Predicate{{Column: 0, Op: Ge, Value: int64(1900)}, {Column: 0, Op: Le, Value: int64(2100)}},
			func(r *pruneRow) bool { return r.id >= 1900 && r.id <= 2100 }, true},
		{"i4 is null", []Predicate{{Column: 1, Op: IsNull}}, func(r *pruneRow) bool { return r.i4Null }, true},
		{"i4 is not null", []Predicate{{Column: 1, Op: IsNotNull}}, func(r *pruneRow) bool { return !r.i4Null }, true},
		{"i4 eq with NULLs around", []Predicate{{Column: 1, Op: Eq, Value: int32(100000 - 4444)}}, func(r *pruneRow) bool { return !r.i4Null && r.i4 == 100000-4444 }, true},
		{"i4 in", []Predicate{{Column: 1, Op: In, Values: []catalog.Datum{int32(100000 - 10), int32(100000 - 310), int32(100000 - 5990)}}},
			func(r *pruneRow) bool {
				return !r.i4Null && slices.Contains([]int32{100000 - 10, 100000 - 310, 100000 - 5990}, r.i4)
			}, true},
		{"date eq", []Predicate{{Column: 4, Op: Eq, Value: int32(333)}}, func(r *pruneRow) bool { return r.d == 333 }, true},
		{"i4 lt", []Predicate{{Column: 1, Op: Lt, Value: int32(95000)}}, func(r *pruneRow) bool { return !r.i4Null && r.i4 < 95000 }, true},
		{"float gt keeps NaN", []Predicate{{Column: 2, Op: Gt, Value: float64(900)}}, func(r *pruneRow) bool { return r.f8 > 900 || math.IsNaN(r.f8) }, false},
		{"float eq zero", []Predicate{{Column: 2, Op: Eq, Value: float64(0)}}, func(r *pruneRow) bool { return r.f8 == 0 }, false},
		{"float eq negative zero", []Predicate{{Column: 2, Op: Eq, Value: math.Copysign(0, -1)}}, func(r *pruneRow) bool { return r.f8 == 0 }, false},
		{"text prefix", []Predicate{{Column: 3, Op: Ge, Value: "ü"}, {Column: 3, Op: Lt, Value: "ý"}},
			func(r *pruneRow) bool { return !r.tNull && r.t >= "ü" && r.t < "ý" }, true},
		{"text eq non-ASCII", []Predicate{{Column: 3, Op: Eq, Value: "字-03001"}}, func(r *pruneRow) bool { return !r.tNull && r.t == "字-03001" }, true},
		{"text eq absent within page bounds", []Predicate{{Column: 3, Op: Eq, Value: "é-01500x"}}, func(r *pruneRow) bool { return false }, true},
		{"pk in absent within bounds", []Predicate{{Column: 0, Op: In, Values: []catalog.Datum{int64(1234), int64(1999)}}}, func(r *pruneRow) bool { return false }, true},
		{"text is null", []Predicate{{Column: 3, Op: IsNull}}, func(r *pruneRow) bool { return r.tNull }, false},
		{"date range", []Predicate{{Column: 4, Op: Gt, Value: int32(300)}, {Column: 4, Op: Lt, Value: int32(310)}},
			func(r *pruneRow) bool { return r.d > 300 && r.d < 310 }, true},
		{"numeric eq", []Predicate{{Column: 5, Op: Eq, Value: dec(3333 * 125)}}, func(r *pruneRow) bool { return r.n == 3333*125 }, true},
		{"numeric in", []Predicate{{Column: 5, Op: In, Values: []catalog.Datum{dec(10 * 125), dec(4000 * 125)}}},
			func(r *pruneRow) bool { return r.n == 10*125 || r.n == 4000*125 }, true},
		{"uuid eq", []Predicate{{Column: 6, Op: Eq, Value: uuid(4321)}}, func(r *pruneRow) bool { return r.u == uuid(4321) }, true},
		{"char(n) never prunes", []Predicate{{Column: 7, Op: Lt, Value: "ab "}}, func(r *pruneRow) bool { return r.category < "ab " }, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, batch := range []int{0, 1, 7} {
				got, counts := scanIDs(t, stores[0], tbl, c.preds, batch)
				unpruned, _ := scanIDs(t, stores[1], tbl, c.preds, batch)
				for _, r := range all {
					if !c.match(&r) || deleted[r.id] {
						continue
					}
					if !got[r.id] || !unpruned[r.id] {
						t.Errorf("batch %d: row %d matches but a scan lost it (pruned %v, unpruned %v)", batch, r.id, got[r.id], unpruned[r.id])
					}
				}
				for id := range got {
					if !live[id] {
						t.Errorf("batch %d: the pruned scan returned row %d, which is not live", batch, id)
					}
				}
				skipped := counts.SegmentsSkipped.Load() + counts.RowGroupsSkipped.Load() + counts.PagesSkipped.Load()
				if c.skips && skipped == 0 {
					t.Errorf("nothing skipped: %+v", counts)
				}
			}
		})
	}
	// A point lookup of the primary key decodes one page per column of
	// one row group: the bloom filters skip the others.
	_, counts := scanIDs(t, stores[0], tbl, []Predicate{{Column: 0, Op: Eq, Value: int64(3001)}}, 0)
	if got := counts.RowGroups.Load(); got != 1 {
		t.Errorf("point lookup read %d row groups", got)
	}
	if got, cols := counts.Pages.Load(), int64(len(tbl.Columns)+1); got > 2*cols {
		t.Errorf("point lookup decoded %d pages of %d columns", got, cols)
	}
	if counts.BytesRead.Load()+counts.PagesCached.Load() == 0 || counts.FileCacheHits.Load()+counts.FileOpens.Load() == 0 {
		t.Errorf("point lookup counted no bytes or files: %+v", counts)
	}
}

// TestBloomFilterSkipsRowGroups: an equality on a primary key whose row
// groups' bounds overlap is decided by the bloom filters.
func TestBloomFilterSkipsRowGroups(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{RowGroupRows: 100})
	defer s.Close()
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	// Even keys in one segment, odd keys in another: row group bounds of
	// the two overlap.
	for _, from := range []int64{0, 1} {
		var keys []int64
		var vals []string
		for k := from; k < 1000; k += 2 {
			keys, vals = append(keys, k), append(vals, "v")
		}
		mustInsert(t, s, tbl, kvRecord(keys, vals))
		if err := s.Checkpoint(); err != nil {
			t.Fatal(err)
		}
	}
	got, counts := scanIDs(t, s, tbl, []Predicate{{Column: 0, Op: Eq, Value: int64(501)}}, 0)
	if !got[501] {
		t.Fatal("key 501 lost")
	}
	if b, rg := counts.RowGroupsBloomSkipped.Load(), counts.RowGroups.Load(); b != 1 || rg != 1 {
		t.Errorf("bloom filters skipped %d row groups, %d read", b, rg)
	}
	_, counts = scanIDs(t, s, tbl, []Predicate{{Column: 0, Op: In, Values: []catalog.Datum{int64(2), int64(3)}}}, 0)
	if rg := counts.RowGroups.Load(); rg != 2 {
		t.Errorf("IN of two keys read %d row groups", rg)
	}
}

// scanIDs scans every column of tbl with preds and returns the ids (its
// first column) returned and what the scan counted.
func scanIDs(t *testing.T, s *Store, tbl *catalog.Table, preds []Predicate, batch int) (map[int64]bool, *ScanCounts) {
	t.Helper()
	cols := make([]int, len(tbl.Columns))
	for i := range cols {
		cols[i] = i
	}
	return scanColumnIDs(t, s, tbl, cols, preds, batch)
}

// scanColumnIDs is scanIDs of the columns cols, the first of them the ids.
func scanColumnIDs(t *testing.T, s *Store, tbl *catalog.Table, cols []int, preds []Predicate, batch int) (map[int64]bool, *ScanCounts) {
	t.Helper()
	r, err := s.Snapshot().Scan(tbl, cols, preds)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	counts := new(ScanCounts)
	r.(CountingScan).CountInto(counts)
	if batch > 0 {
		r.(BatchSizer).SetMaxBatchRows(batch)
	}
	ids := map[int64]bool{}
	for {
		rec, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		if rec == nil {
			return ids, counts
		}
		for _, id := range rec.Column(0).(*array.Int64).Int64Values() {
			if ids[id] {
				t.Fatalf("row %d returned twice", id)
			}
			ids[id] = true
		}
	}
}

// segmentPages is the number of pages of column name in the first row
// group of tbl's first segment.
func segmentPages(t *testing.T, s *Store, tbl *catalog.Table, name string) int {
	t.Helper()
	ts := s.Snapshot().tableState(tbl)
	sf, err := s.files.open(tableFile(ts.prefix, ts.manifest.Segments[0].File))
	if err != nil {
		t.Fatal(err)
	}
	defer sf.release()
	return len(pageLocations(sf.pf, 0, sf.leaves[name]))
}

// TestParquetFilesPagePruning: read_parquet narrows row groups to pages
// by a file's page index too, and returns every matching row.
func TestParquetFilesPagePruning(t *testing.T) {
	defer func(n int) { segmentPageBytes = n }(segmentPageBytes)
	segmentPageBytes = 1024
	tbl := pruneTable()
	rows := pruneRows(0, 3000)
	dir := t.TempDir()
	path := dir + "/f.parquet"
	rec := pruneRecord(tbl, rows)
	defer rec.Release()
	ids := array.NewInt64Builder(memory.DefaultAllocator)
	for i := range rows {
		ids.Append(int64(i))
	}
	rid := ids.NewArray()
	defer rid.Release()
	full := array.NewRecordBatch(arrow.NewSchema(append(rec.Schema().Fields(), arrow.Field{Name: rowIDColumn, Type: arrow.PrimitiveTypes.Int64}), nil),
		append(rec.Columns(), rid), rec.NumRows())
	defer full.Release()
	if _, err := writeSegment(localObjects(t, dir), "f.parquet", tbl, []arrow.Record{full}, 1000); err != nil {
		t.Fatal(err)
	}
	pf, err := OpenParquetFiles("read_parquet", []string{path})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		preds []Predicate
		match func(r *pruneRow) bool
	}{
		{"id eq", []Predicate{{Column: 0, Op: Eq, Value: int64(1500)}}, func(r *pruneRow) bool { return r.id == 1500 }},
		{"id between", []Predicate{{Column: 0, Op: Ge, Value: int64(990)}, {Column: 0, Op: Le, Value: int64(1010)}}, func(r *pruneRow) bool { return r.id >= 990 && r.id <= 1010 }},
		{"i4 is not null", []Predicate{{Column: 1, Op: IsNotNull}}, func(r *pruneRow) bool { return !r.i4Null }},
		{"text range", []Predicate{{Column: 3, Op: Ge, Value: "é-01500"}, {Column: 3, Op: Lt, Value: "é-01600"}}, func(r *pruneRow) bool { return !r.tNull && r.t >= "é-01500" && r.t < "é-01600" }},
	}
	for _, c := range cases {
		s, err := pf.Scan([]int{0, 1, 3}, c.preds)
		if err != nil {
			t.Fatal(err)
		}
		counts := new(ScanCounts)
		s.CountInto(counts)
		s.SetMaxBatchRows(7)
		got := map[int64]bool{}
		for {
			rec, err := s.Next()
			if err != nil {
				t.Fatal(err)
			}
			if rec == nil {
				break
			}
			for _, id := range rec.Column(0).(*array.Int64).Int64Values() {
				got[id] = true
			}
		}
		s.Close()
		for _, r := range rows {
			if c.match(&r) && !got[r.id] {
				t.Errorf("%s: row %d lost", c.name, r.id)
			}
		}
		if counts.PagesSkipped.Load() == 0 {
			t.Errorf("%s: no page skipped: %+v", c.name, counts)
		}
	}
}

// TestNarrowingTriesEveryEquality: a scan with two IN lists, the first
// admitting every value of its column (a join on two keys hands a
// runtime filter for each, TPC-H Q9's every supplier beside a few parts)
// and the second a few rows', decodes only the rows of the second: the
// equalities are tried until one narrows, the one admitting the smaller
// share of its column's values first.
func TestNarrowingTriesEveryEquality(t *testing.T) {
	defer func(n int) { segmentPageBytes = n }(segmentPageBytes)
	segmentPageBytes = 1024
	tbl := pruneTable()
	const n = 6000
	s := openTest(t, t.TempDir(), Options{RowGroupRows: 2000})
	defer s.Close()
	mustCreate(t, s, tbl)
	mustInsert(t, s, tbl, pruneRecord(tbl, pruneRows(0, n)))
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	var every []catalog.Datum
	for v := 100000 - n; v <= 100000; v++ {
		every = append(every, int32(v))
	}
	few := []catalog.Datum{int64(5), int64(2500), int64(4500), int64(5998)}
	for _, preds := range [][]Predicate{
		{{Column: 1, Op: In, Values: every}, {Column: 0, Op: In, Values: few}},
		{{Column: 0, Op: In, Values: few}, {Column: 1, Op: In, Values: every}},
	} {
		got, counts := scanIDs(t, s, tbl, preds, 0)
		want := map[int64]bool{5: true, 2500: true, 4500: true, 5998: true}
		if !maps.Equal(got, want) {
			t.Errorf("predicates on columns %d, %d: the scan returned %d rows, want the %d of the second list", preds[0].Column, preds[1].Column, len(got), len(want))
		}
		if pages := counts.Pages.Load(); pages > int64(len(want)*(len(tbl.Columns)+2)) {
			t.Errorf("predicates on columns %d, %d: %d pages decoded for %d rows", preds[0].Column, preds[1].Column, pages, len(want))
		}
	}
}
