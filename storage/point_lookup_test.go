package storage

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/internal/cputime"
)

// accountsTable is pgbench_accounts: a primary key in load order.
func accountsTable() *catalog.Table {
	return &catalog.Table{
		Schema: "public",
		Name:   "accounts",
		Columns: []catalog.Column{
			{Name: "aid", Type: catalog.TypeInt4, NotNull: true},
			{Name: "bid", Type: catalog.TypeInt4},
			{Name: "abalance", Type: catalog.TypeInt4},
			{Name: "filler", Type: catalog.BpcharType(84)},
		},
		PrimaryKey: []int{0},
	}
}

// accountsRecord returns accounts aid from+1 .. from+n.
func accountsRecord(tbl *catalog.Table, from, n int) arrow.Record {
	fields := make([]arrow.Field, len(tbl.Columns))
	for i, c := range tbl.Columns {
		fields[i] = arrow.Field{Name: c.Name, Type: c.Type.ArrowType(), Nullable: true}
	}
	b := array.NewRecordBuilder(memory.DefaultAllocator, arrow.NewSchema(fields, nil))
	defer b.Release()
	filler := strings.Repeat(" ", 84)
	for aid := from + 1; aid <= from+n; aid++ {
		b.Field(0).(*array.Int32Builder).Append(int32(aid))
		b.Field(1).(*array.Int32Builder).Append(int32(aid / 100000))
		b.Field(2).(*array.Int32Builder).Append(int32(aid % 1000))
		b.Field(3).(*array.StringBuilder).Append(filler)
	}
	return b.NewRecordBatch()
}

// BenchmarkPointLookup is the storage half of pgbench -S: `SELECT
// abalance FROM accounts WHERE aid = $1` over 1M rows flushed to one
// segment, as a Scan with the equality pushed down.
func BenchmarkPointLookup(b *testing.B) {
	const rows, batch = 1 << 20, 1 << 16
	s := openTest(b, b.TempDir(), Options{Compaction: CompactionPolicy{Disabled: true}})
	defer s.Close()
	tbl := accountsTable()
	mustCreate(b, s, tbl)
	for from := 0; from < rows; from += batch {
		mustInsert(b, s, tbl, accountsRecord(tbl, from, batch))
	}
	if err := s.Checkpoint(); err != nil {
		b.Fatal(err)
	}
	snap := s.Snapshot()
	for _, c := range []struct {
		name string
		cols []int
	}{{"abalance", []int{2}}, {"all", []int{0, 1, 2, 3}}} {
		b.Run(c.name, func(b *testing.B) {
			i := 0
			cpu := cputime.Process()
			for b.Loop() {
				aid := int32(i*7919%rows + 1)
				i++
				r, err := snap.Scan(tbl, c.cols, []Predicate{{Column: 0, Op: Eq, Value: aid}})
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				for {
					rec, err := r.Next()
					if err != nil {
						b.Fatal(err)
					}
					if rec == nil {
						break
					}
					n += int(rec.NumRows())
				}
				r.Close()
				if n != 1 {
					b.Fatalf("aid %d: %d rows", aid, n)
				}
			}
			b.ReportMetric(float64(cputime.Process()-cpu)/float64(b.N), "cpu-ns/op")
		})
	}
}

// lookupTable has key columns of every type an equality narrows, sorted
// in load order (ascending pages: binary search), descending, unsorted,
// with duplicates and with runs of NULLs.
func lookupTable() *catalog.Table {
	return &catalog.Table{
		Schema: "public",
		Name:   "lk",
		Columns: []catalog.Column{
			{Name: "id", Type: catalog.TypeInt8, NotNull: true},
			{Name: "k4", Type: catalog.TypeInt4},      // r/3, NULL in runs
			{Name: "desc4", Type: catalog.TypeInt4},   // descending
			{Name: "k2", Type: catalog.TypeInt2},      // unsorted
			{Name: "d", Type: catalog.TypeDate},       // r/10
			{Name: "ts", Type: catalog.TypeTimestamp}, // ascending
			{Name: "t", Type: catalog.TypeText},       // r/2 as text, sorted
			{Name: "by", Type: catalog.TypeBytea},     // unsorted
			{Name: "v", Type: catalog.TypeText},       // payload with NULLs
			{Name: "n8", Type: catalog.TypeInt8},      // unsorted with NULLs
			{Name: "st", Type: catalog.TypeText},      // three values and NULLs: pages in code form
		},
		PrimaryKey: []int{0},
	}
}

// lookupValue is column c of generated row r at version (an update's
// new image has another version).
func lookupValue(c, r, version int) catalog.Datum {
	h := uint64(r)*0x9e3779b97f4a7c15 + uint64(version)*0xbf58476d1ce4e5b9
	h ^= h >> 31
	switch c {
	case 0:
		return int64(r)
	case 1:
		if (r/700)%5 == 2 {
			return nil
		}
		return int32(r/3 + version*100000)
	case 2:
		return int32(-r / 2)
	case 3:
		return int16(h % 300)
	case 4:
		return int32(r / 10)
	case 5:
		return int64(r)*1000 + int64(version)
	case 6:
		return fmt.Sprintf("k%06d", r/2+version*1000000)
	case 7:
		return []byte{byte(h), byte(h>>8) % 4}
	case 8:
		if r%11 == 0 {
			return nil
		}
		return fmt.Sprintf("v%d-%d", r, version)
	case 9:
		if h%7 == 0 {
			return nil
		}
		return int64(h % 500)
	default:
		if r%13 == 0 {
			return nil
		}
		return [...]string{"open", "", "closed after a long review by several people"}[(h+uint64(version))%3]
	}
}

func lookupRecord(tbl *catalog.Table, rows []int, version int) arrow.Record {
	b := array.NewRecordBuilder(memory.DefaultAllocator, tailSchemaNoRowID(tbl))
	defer b.Release()
	for _, r := range rows {
		for c := range tbl.Columns {
			v := lookupValue(c, r, version)
			if v == nil {
				b.Field(c).AppendNull()
				continue
			}
			switch f := b.Field(c).(type) {
			case *array.Int16Builder:
				f.Append(v.(int16))
			case *array.Int32Builder:
				f.Append(v.(int32))
			case *array.Int64Builder:
				f.Append(v.(int64))
			case *array.Date32Builder:
				f.Append(arrow.Date32(v.(int32)))
			case *array.TimestampBuilder:
				f.Append(arrow.Timestamp(v.(int64)))
			case *array.StringBuilder:
				f.Append(v.(string))
			case *array.BinaryBuilder:
				f.Append(v.([]byte))
			default:
				panic(fmt.Sprintf("column %d: builder %T", c, f))
			}
		}
	}
	return b.NewRecordBatch()
}

// datumAt is row i of arr as lookupValue makes it, or nil for NULL.
func datumAt(arr arrow.Array, i int) catalog.Datum {
	if arr.IsNull(i) {
		return nil
	}
	switch a := arr.(type) {
	case *array.Int16:
		return a.Value(i)
	case *array.Int32:
		return a.Value(i)
	case *array.Int64:
		return a.Value(i)
	case *array.Date32:
		return int32(a.Value(i))
	case *array.Timestamp:
		return int64(a.Value(i))
	case *array.String:
		return a.Value(i)
	case *array.Binary:
		return slices.Clone(a.Value(i))
	}
	panic(fmt.Sprintf("array %T", arr))
}

// scannedRow is a row a scan returned: its row id, its values (nil for
// NULL) and its text.
type scannedRow struct {
	id   int64
	vals []catalog.Datum
	text string
}

// lookupScan returns the rows of snap's scan of every column of tbl with
// preds, read in batches of batch rows (0: the default).
func lookupScan(t *testing.T, snap *Snapshot, tbl *catalog.Table, preds []Predicate, batch int) []scannedRow {
	t.Helper()
	cols := make([]int, len(tbl.Columns))
	for i := range cols {
		cols[i] = i
	}
	r, err := snap.Scan(tbl, cols, preds)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if batch > 0 {
		r.(BatchSizer).SetMaxBatchRows(batch)
	}
	var out []scannedRow
	for {
		rec, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		if rec == nil {
			return out
		}
		ids := rec.Column(len(cols)).(*array.Int64)
		for i := range int(rec.NumRows()) {
			row := scannedRow{id: ids.Value(i)}
			var parts []string
			for c := range cols {
				row.vals = append(row.vals, datumAt(rec.Column(c), i))
				parts = append(parts, rec.Column(c).ValueStr(i))
			}
			row.text = strings.Join(parts, "|")
			out = append(out, row)
		}
	}
}

// satisfying returns the rows that satisfy preds (Eq and In), as the
// filter above a scan keeps them, by row id; a row id twice fails.
func satisfying(t *testing.T, rows []scannedRow, preds []Predicate) map[int64]string {
	t.Helper()
	out := map[int64]string{}
rows:
	for _, row := range rows {
		for _, p := range preds {
			want := p.Values
			if p.Op == Eq {
				want = []catalog.Datum{p.Value}
			}
			v := row.vals[p.Column]
			if v == nil || !slices.ContainsFunc(want, func(w catalog.Datum) bool { return w != nil && reflect.DeepEqual(v, w) }) {
				continue rows
			}
		}
		if _, dup := out[row.id]; dup {
			t.Fatalf("row id %d returned twice", row.id)
		}
		out[row.id] = row.text
	}
	return out
}

// TestPointLookupMatchesScan compares equality lookups (which go through
// decoded pages, cached or not, and binary search in ascending pages)
// with a full scan filtered the same way, over small pages and row
// groups so that keys straddle page and row group boundaries, with
// deleted and updated rows in segments (deletion vectors), in the tail
// and in a transaction's own changes.
func TestPointLookupMatchesScan(t *testing.T) {
	defer func(n int) { segmentPageBytes = n }(segmentPageBytes)
	segmentPageBytes = 1024
	tbl := lookupTable()
	const n = 6000
	for _, cache := range []struct {
		name string
		size int64
	}{{"cached", 0}, {"uncached", -1}} {
		t.Run(cache.name, func(t *testing.T) {
			s := openTest(t, t.TempDir(), Options{RowGroupRows: 1000, CacheSize: cache.size, Compaction: CompactionPolicy{Disabled: true}})
			defer s.Close()
			mustCreate(t, s, tbl)
			seq := func(lo, hi int) []int {
				var out []int
				for r := lo; r < hi; r++ {
					out = append(out, r)
				}
				return out
			}
			mustInsert(t, s, tbl, lookupRecord(tbl, seq(0, n/2), 0))
			mustInsert(t, s, tbl, lookupRecord(tbl, seq(n/2, n), 0))
			if err := s.Checkpoint(); err != nil {
				t.Fatal(err)
			}
			idOf := func(snap *Snapshot, rows []int) []int64 {
				var out []int64
				for _, r := range rows {
					preds := []Predicate{{Column: 0, Op: Eq, Value: int64(r)}}
					for id := range satisfying(t, lookupScan(t, snap, tbl, preds, 0), preds) {
						out = append(out, id)
					}
				}
				return out
			}
			change := func(del, upd []int) {
				snap := s.Snapshot()
				tx := s.Begin()
				if err := tx.Delete(tbl, idOf(snap, del)); err != nil {
					t.Fatal(err)
				}
				if err := tx.Update(tbl, idOf(snap, upd), lookupRecord(tbl, upd, 1)); err != nil {
					t.Fatal(err)
				}
				if err := tx.Commit(); err != nil {
					t.Fatal(err)
				}
			}
			// Flushed deletions and updates (deletion vectors, a second
			// segment), then unflushed ones and new rows (the tail).
			change([]int{0, 255, 256, 999, 1000, 2998}, []int{1, 511, 512, 1001, 4000})
			if err := s.Checkpoint(); err != nil {
				t.Fatal(err)
			}
			change([]int{3, 767, 768, 5999}, []int{2, 1500, 4001})
			mustInsert(t, s, tbl, lookupRecord(tbl, seq(n, n+50), 0))
			if pages := segmentPages(t, s, tbl, "k4"); pages < 3 {
				t.Fatalf("k4 has %d pages per row group, want several", pages)
			}
			tx := s.Begin()
			defer tx.Rollback()
			snaps := map[string]*Snapshot{"committed": s.Snapshot()}
			if err := tx.Insert(tbl, lookupRecord(tbl, seq(n+50, n+60), 0)); err != nil {
				t.Fatal(err)
			}
			if err := tx.Delete(tbl, idOf(s.Snapshot(), []int{5, 2000})); err != nil {
				t.Fatal(err)
			}
			snaps["own changes"] = tx.Snapshot()

			// Values of rows at and around page and row group
			// boundaries, updated rows' old and new values, absent ones.
			var probe []int
			for _, b := range []int{0, 128, 256, 384, 512, 768, 1000, 1024, 2000, 3000, 4000, 5000, 5999, n, n + 50} {
				probe = append(probe, b-1, b, b+1)
			}
			for r := 7; r < n+60; r += 397 {
				probe = append(probe, r)
			}
			for name, snap := range snaps {
				full := lookupScan(t, snap, tbl, nil, 0)
				if len(full) < n-20 {
					t.Fatalf("%s: full scan has %d rows", name, len(full))
				}
				for c := range tbl.Columns {
					var vals []catalog.Datum
					seen := map[string]bool{}
					for _, r := range probe {
						for version := range 2 {
							if v := lookupValue(c, r, version); v != nil && !seen[fmt.Sprint(v)] {
								seen[fmt.Sprint(v)] = true
								vals = append(vals, v)
							}
						}
					}
					check := func(preds []Predicate, batches ...int) {
						t.Helper()
						want := satisfying(t, full, preds)
						for _, batch := range batches {
							got := satisfying(t, lookupScan(t, snap, tbl, preds, batch), preds)
							if !reflect.DeepEqual(got, want) {
								t.Fatalf("%s: %+v (batch %d): lookup returned %v, a full scan %v", name, preds, batch, got, want)
							}
						}
					}
					for _, v := range vals {
						check([]Predicate{{Column: c, Op: Eq, Value: v}}, 0)
					}
					for i := 0; i+2 < len(vals); i += 5 {
						check([]Predicate{{Column: c, Op: In, Values: []catalog.Datum{vals[i+2], nil, vals[i]}}}, 0, 1)
					}
				}
			}
		})
	}
}

// TestPointLookupEveryType reads rows of every column type by an
// equality on their id, twice (the second time from cached pages), and
// compares them with a full scan's: the rows are copied out of decoded
// pages of every layout, NULLs included.
func TestPointLookupEveryType(t *testing.T) {
	defer func(n int) { segmentPageBytes = n }(segmentPageBytes)
	segmentPageBytes = 1024
	const n = 3000
	for _, size := range []int64{0, -1} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			s := openTest(t, t.TempDir(), Options{RowGroupRows: 1000, CacheSize: size, Compaction: CompactionPolicy{Disabled: true}})
			defer s.Close()
			tbl := allTypesTable("every")
			mustCreate(t, s, tbl)
			mustInsert(t, s, tbl, allTypesRecord(tbl, 0, n))
			if err := s.Checkpoint(); err != nil {
				t.Fatal(err)
			}
			snap := s.Snapshot()
			all, _ := scanAll(t, snap, tbl)
			cols := make([]int, len(tbl.Columns))
			for i := range cols {
				cols[i] = i
			}
			lookup := func(preds []Predicate) map[string]string {
				r, err := snap.Scan(tbl, cols, preds)
				if err != nil {
					t.Fatal(err)
				}
				defer r.Close()
				var recs []arrow.Record
				for {
					rec, err := r.Next()
					if err != nil {
						t.Fatal(err)
					}
					if rec == nil {
						break
					}
					rec.Retain()
					defer rec.Release()
					recs = append(recs, rec)
				}
				// The row id column, last, is left out of the text.
				got := map[string]string{}
				for k, v := range rowsOf(recs) {
					got[k] = v[:strings.LastIndexByte(v, '|')]
				}
				return got
			}
			for pass := range 2 {
				for id := 0; id < n+5; id += 23 {
					ids := []int64{int64(id), int64(id/2 + 1), int64(n - 1 - id%700)}
					for _, preds := range [][]Predicate{
						{{Column: 0, Op: Eq, Value: ids[0]}},
						{{Column: 0, Op: In, Values: []catalog.Datum{ids[0], ids[1], ids[2]}}},
					} {
						want := map[string]string{}
						for _, x := range ids {
							if row, ok := all[fmt.Sprint(x)]; ok && (preds[0].Op == In || x == ids[0]) {
								want[fmt.Sprint(x)] = row
							}
						}
						if got := lookup(preds); !reflect.DeepEqual(got, want) {
							t.Fatalf("pass %d, %+v: got %v, want %v", pass, preds, got, want)
						}
					}
				}
			}
		})
	}
}
