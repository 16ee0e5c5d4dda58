package storage

import (
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	iceio "github.com/apache/iceberg-go/io"
	"github.com/parquet-go/parquet-go"

	"github.com/pqdb/pqdb/catalog"
)

// intervalRecord holds rows of testdata/interval_fixed16's table iv
// (id int PRIMARY KEY, i interval, a interval[]): those of ids from to to
// of the formula below, and, with extremes, its rows 3001 and 3002. A
// pqdb that stored intervals as 16 raw bytes wrote the fixture from
//
//	INSERT INTO iv SELECT g, CASE WHEN g % 7 = 0 THEN NULL ELSE make_interval(g % 3, g % 13, 0,
//	  g % 31 - 15, 0, 0, (g * 1.000001) - 500) END, CASE WHEN g % 5 = 0 THEN NULL ELSE
//	  ARRAY[make_interval(0, 0, 0, g), NULL, interval '-1 day 00:00:00.5'] END
//	  FROM generate_series(1, 3000) g;
//	INSERT INTO iv VALUES (3001, interval '-178956970 years -7 mons', NULL),
//	  (3002, interval '2147483647 days 2562047:47:16.854775', '{}');
//	CHECKPOINT;
//
// (PostgreSQL 15 gives the same md5 of the rows' text as that pqdb).
func intervalRecord(tbl *catalog.Table, from, to int, extremes bool) arrow.Record {
	fields := make([]arrow.Field, len(tbl.Columns))
	for i, c := range tbl.Columns {
		fields[i] = arrow.Field{Name: c.Name, Type: c.Type.ArrowType(), Nullable: !c.NotNull}
	}
	b := array.NewRecordBuilder(memory.DefaultAllocator, arrow.NewSchema(fields, nil))
	defer b.Release()
	ids := b.Field(0).(*array.Int32Builder)
	ivs := b.Field(1).(*array.MonthDayNanoIntervalBuilder)
	lists := b.Field(2).(*array.ListBuilder)
	elems := lists.ValueBuilder().(*array.MonthDayNanoIntervalBuilder)
	const us = 1000 // nanoseconds
	for g := from; g <= to; g++ {
		ids.Append(int32(g))
		if g%7 == 0 {
			ivs.AppendNull()
		} else {
			ivs.Append(arrow.MonthDayNanoInterval{Months: int32(g%3*12 + g%13), Days: int32(g%31 - 15), Nanoseconds: (int64(g)*1_000_001 - 500_000_000) * us})
		}
		if g%5 == 0 {
			lists.AppendNull()
		} else {
			lists.Append(true)
			elems.Append(arrow.MonthDayNanoInterval{Days: int32(g)})
			elems.AppendNull()
			elems.Append(arrow.MonthDayNanoInterval{Days: -1, Nanoseconds: 500_000 * us})
		}
	}
	if extremes {
		ids.Append(3001)
		ivs.Append(arrow.MonthDayNanoInterval{Months: -178956970*12 - 7})
		lists.AppendNull()
		ids.Append(3002)
		ivs.Append(arrow.MonthDayNanoInterval{Days: 2147483647, Nanoseconds: 9223372036854775 * us})
		lists.Append(true)
	}
	return b.NewRecordBatch()
}

// intervalRows renders the records' rows as scanAll does.
func intervalRows(recs ...arrow.Record) map[string]string {
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	return rowsOf(recs)
}

// TestIntervalSegmentsOfOldLayout: segments store intervals as ISO 8601
// text; a data directory whose segments hold them as 16 raw bytes (an
// older pqdb's) reads the same values, beside new segments, and a full
// compaction rewrites them as text. The Iceberg table has the interval
// columns (as text, and a list of text), once no segment holds the old
// form.
func TestIntervalSegmentsOfOldLayout(t *testing.T) {
	if testObjects != "" {
		t.Skip("the fixture is a data directory")
	}
	dir := t.TempDir()
	copyTree(t, filepath.Join("testdata", "interval_fixed16"), dir)
	opts, fsys := icebergOptions(t, dir, Options{Compaction: noCompaction})
	s := openTest(t, dir, opts)
	defer s.Close()
	tbl := s.Snapshot().Table("public", "iv")
	if tbl == nil {
		t.Fatal("the fixture has no table iv")
	}
	segmentKinds := func() []parquet.Kind {
		t.Helper()
		ts := s.Snapshot().tableState(tbl)
		var kinds []parquet.Kind
		for _, seg := range ts.manifest.Segments {
			f, err := os.Open(localFile(t, s, ts, seg.File))
			if err != nil {
				t.Fatal(err)
			}
			st, _ := f.Stat()
			pf, err := parquet.OpenFile(f, st.Size())
			if err != nil {
				t.Fatal(err)
			}
			leaf, _ := pf.Schema().Lookup("i")
			kinds = append(kinds, leaf.Node.Type().Kind())
			f.Close()
		}
		return kinds
	}
	if got := segmentKinds(); len(got) != 1 || got[0] != parquet.FixedLenByteArray {
		t.Fatalf("the fixture's segments store intervals as %v", got)
	}
	wantScanned(t, s.Snapshot(), tbl, intervalRows(intervalRecord(tbl, 1, 3000, true)), "the old segment")

	rows := intervalRows(intervalRecord(tbl, 1, 3000, true), intervalRecord(tbl, 3003, 6000, false))
	added := intervalRecord(tbl, 3003, 6000, false)
	mustInsert(t, s, tbl, added)
	added.Release()
	mustCheckpoint(t, s)
	if got := segmentKinds(); len(got) != 2 || got[0] != parquet.FixedLenByteArray || got[1] != parquet.ByteArray {
		t.Fatalf("after a flush the segments store intervals as %v, want the old bytes and text", got)
	}
	wantScanned(t, s.Snapshot(), tbl, rows, "an old and a new segment")
	if got := icebergColumns(t, s, fsys, tbl); got != "id" {
		t.Fatalf("with an old segment, the Iceberg columns are %s", got)
	}

	if _, err := s.Compact("public", "iv", CompactOptions{Full: true}); err != nil {
		t.Fatal(err)
	}
	if got := segmentKinds(); len(got) != 1 || got[0] != parquet.ByteArray {
		t.Fatalf("after a full compaction the segments store intervals as %v, want text", got)
	}
	wantScanned(t, s.Snapshot(), tbl, rows, "after the compaction")
	mustCheckpoint(t, s) // publishes the compaction's version to Iceberg
	if got := icebergColumns(t, s, fsys, tbl); got != "id,i,a" {
		t.Fatalf("with no old segment, the Iceberg columns are %s", got)
	}

	// The history reads the event files, the fixture's in the old
	// layout: every insert's row, as inserted.
	r, err := s.Snapshot().History(tbl, []int{3, 6})
	if err != nil {
		t.Fatal(err)
	}
	inserted := map[string]string{}
	eachRecord(t, r, func(rec arrow.Record) {
		after := rec.Column(1).(*array.Struct)
		for i := range int(rec.NumRows()) {
			if op := rec.Column(0).ValueStr(i); op != "INSERT" {
				t.Fatalf("history: %s", op)
			}
			var parts []string
			for f := range after.NumField() {
				parts = append(parts, after.Field(f).ValueStr(i))
			}
			inserted[parts[0]] = strings.Join(parts, "|")
		}
	})
	if !maps.Equal(inserted, rows) {
		t.Fatalf("history: %d rows inserted, want %d, or other values", len(inserted), len(rows))
	}
	s.Close()
	s = openTest(t, dir, opts)
	wantScanned(t, s.Snapshot(), tbl, rows, "after a restart")
}

// icebergColumns reads tbl's current Iceberg snapshot with iceberg-go and
// returns its columns' names, comma-separated.
func icebergColumns(t *testing.T, s *Store, fsys iceio.IO, tbl *catalog.Table) string {
	t.Helper()
	at := icebergScan(t, s, fsys, tbl, 0)
	defer at.Release()
	var names []string
	for _, f := range at.Schema().Fields() {
		names = append(names, f.Name)
	}
	return strings.Join(names, ",")
}

// copyTree copies the files under src to dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
