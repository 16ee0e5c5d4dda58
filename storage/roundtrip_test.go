package storage

import (
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/parquet-go/parquet-go/format"
)

func TestRoundTripAllTypes(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{RowGroupRows: 300})
	tbl := allTypesTable("every")
	mustCreate(t, s, tbl)
	want := rowsOf([]arrow.Record{allTypesRecord(tbl, 0, 1000)})
	mustInsert(t, s, tbl, allTypesRecord(tbl, 0, 600))
	mustInsert(t, s, tbl, allTypesRecord(tbl, 600, 400))

	check := func(stage string, s *Store) {
		t.Helper()
		got, _ := scanAll(t, s.Snapshot(), tbl)
		if len(got) != len(want) {
			t.Fatalf("%s: %d rows, want %d", stage, len(got), len(want))
		}
		for k, w := range want {
			if got[k] != w {
				t.Fatalf("%s: row %s\n got %s\nwant %s", stage, k, got[k], w)
			}
		}
	}
	check("tail", s)
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	st := s.namespace("public").state.Load().tables["every"]
	if len(st.inserts) != 0 || len(st.manifest.Segments) != 1 || len(st.manifest.Segments[0].RowGroups) != 4 {
		t.Fatalf("after checkpoint: %d tail batches, manifest %+v", len(st.inserts), st.manifest)
	}
	check("segment", s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTest(t, dir, Options{})
	defer s.Close()
	tbl = s.Snapshot().Table("public", "every")
	if tbl == nil {
		t.Fatal("table lost on reopen")
	}
	check("reopened", s)
}

// Records that are slices of larger ones (non-zero array offsets) store
// and read back like any other.
func TestSlicedRecords(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	tbl := allTypesTable("every")
	tbl.PrimaryKey = []int{0}
	mustCreate(t, s, tbl)
	full := allTypesRecord(tbl, 0, 100)
	mustInsert(t, s, tbl, full.NewSlice(10, 30))
	mustInsert(t, s, tbl, full.NewSlice(50, 51))
	want := rowsOf([]arrow.Record{full.NewSlice(10, 30), full.NewSlice(50, 51)})
	for _, stage := range []string{"tail", "segment"} {
		got, _ := scanAll(t, s.Snapshot(), tbl)
		if len(got) != len(want) {
			t.Fatalf("%s: %d rows, want %d", stage, len(got), len(want))
		}
		for k, w := range want {
			if got[k] != w {
				t.Fatalf("%s: row %s\n got %s\nwant %s", stage, k, got[k], w)
			}
		}
		if err := s.Checkpoint(); err != nil {
			t.Fatal(err)
		}
	}
	// The key of a sliced row is found as a duplicate.
	tx := s.Begin()
	defer tx.Rollback()
	wantCode(t, tx.Insert(tbl, full.NewSlice(20, 21)), "23505")
}

// A batch larger than one insert event is logged in slices and replayed
// whole.
func TestLargeBatchReplay(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	tbl := benchTable()
	mustCreate(t, s, tbl)
	n := maxEventRows*2 + 123
	mustInsert(t, s, tbl, benchRecord(tbl, 0, n))
	rows, _ := scanAll(t, s.Snapshot(), tbl)
	if len(rows) != n || rows["131000"] == "" {
		t.Fatalf("%d rows in the tail", len(rows))
	}
	s.crash()
	s = openTest(t, dir, Options{})
	defer s.Close()
	if got := countRows(t, s.Snapshot(), tbl, []int{0}, nil); got != n {
		t.Fatalf("%d rows replayed, want %d", got, n)
	}
	if got := len(s.namespace("public").state.Load().tables["bench"].inserts); got != 3 {
		t.Fatalf("%d tail batches, want 3", got)
	}
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	// Row groups of 128k rows come back in slices of MaxBatchRows.
	if got := countRows(t, s.Snapshot(), tbl, []int{0, 3}, nil); got != n {
		t.Fatalf("%d rows after flush, want %d", got, n)
	}
	rows, _ = scanAll(t, s.Snapshot(), tbl)
	if len(rows) != n || rows["131000"] == "" {
		t.Fatalf("%d rows after flush", len(rows))
	}
}

// Row groups large enough for the segment writer to choose PLAIN for the
// mostly distinct byte-string columns (chooseEncodings), with NULLs
// every 7th row, small pages and records that straddle row groups and
// segmentValueRows, read back equal, and the chunks are PLAIN.
func TestRoundTripAllTypesPlainColumns(t *testing.T) {
	defer func(n int) { segmentPageBytes = n }(segmentPageBytes)
	segmentPageBytes = 4 << 10
	dir := t.TempDir()
	const rows = 3*segmentValueRows + 17
	s := openTest(t, dir, Options{RowGroupRows: plainMinRows + 5})
	tbl := allTypesTable("every")
	mustCreate(t, s, tbl)
	want := rowsOf([]arrow.Record{allTypesRecord(tbl, 0, rows)})
	for lo := 0; lo < rows; lo += 7001 {
		mustInsert(t, s, tbl, allTypesRecord(tbl, lo, min(7001, rows-lo)))
	}
	must(t, s.Checkpoint())
	check := func(stage string, s *Store) {
		t.Helper()
		got, _ := scanAll(t, s.Snapshot(), tbl)
		if len(got) != len(want) {
			t.Fatalf("%s: %d rows, want %d", stage, len(got), len(want))
		}
		for k, w := range want {
			if got[k] != w {
				t.Fatalf("%s: row %s\n got %s\nwant %s", stage, k, got[k], w)
			}
		}
	}
	check("segment", s)
	ts := s.Snapshot().tableState(tbl)
	if len(ts.manifest.Segments) != 1 || len(ts.manifest.Segments[0].RowGroups) != 4 {
		t.Fatalf("manifest %+v", ts.manifest)
	}
	sf, err := s.files.open(tableFile(ts.prefix, ts.manifest.Segments[0].File))
	if err != nil {
		t.Fatal(err)
	}
	md := sf.pf.Metadata()
	for _, name := range []string{"t", "vc", "js", "by", "vn"} {
		for g := range md.RowGroups {
			cm := &md.RowGroups[g].Columns[sf.leaves[name]].MetaData
			if cm.DictionaryPageOffset != 0 || slices.Contains(cm.Encoding, format.RLEDictionary) {
				t.Errorf("column %s, row group %d: encodings %v, want PLAIN", name, g, cm.Encoding)
			}
		}
	}
	must(t, s.Close())
	s = openTest(t, dir, Options{})
	defer s.Close()
	check("reopened", s)
}
