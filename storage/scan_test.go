package storage

import (
	"os"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/pqdb/pqdb/catalog"
)

func countRows(t testing.TB, snap *Snapshot, tbl *catalog.Table, cols []int, preds []Predicate) int {
	t.Helper()
	r, err := snap.Scan(tbl, cols, preds)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	n := 0
	for {
		rec, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		if rec == nil {
			return n
		}
		if rec.NumRows() > MaxBatchRows {
			t.Fatalf("record of %d rows", rec.NumRows())
		}
		n += int(rec.NumRows())
	}
}

func TestPruning(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{RowGroupRows: 250})
	defer s.Close()
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	kvSegments(t, s, tbl, 3, 1000)
	snap := s.Snapshot()
	cases := []struct {
		preds           []Predicate
		rows            int
		segSkip, rgSkip int64
	}{
		{nil, 3000, 0, 0},
		{[]Predicate{{Column: 0, Op: Ge, Value: int64(2500)}}, 500, 2, 2},
		{[]Predicate{{Column: 0, Op: Gt, Value: int64(2999)}}, 0, 3, 0},
		{[]Predicate{{Column: 0, Op: Lt, Value: int64(250)}}, 250, 2, 3},
		{[]Predicate{{Column: 0, Op: Le, Value: int64(250)}}, 251, 2, 2}, // the second row group narrowed to its first row (range_narrow.go)
		{[]Predicate{{Column: 0, Op: Eq, Value: int64(1600)}}, 1, 2, 3},  // narrowed to the key's row (page_narrow.go)
		{[]Predicate{{Column: 1, Op: Eq, Value: "s1"}}, 1000, 2, 0},
		{[]Predicate{{Column: 0, Op: Ge, Value: int64(500)}, {Column: 1, Op: Lt, Value: "s1"}}, 500, 2, 2},
	}
	// A scan partitioned four ways counts what it skipped once, as a
	// plain scan does; the rows of the row groups read and of those
	// skipped add up to the segments' 3000.
	for _, parts := range []int{0, 4} {
		for i, c := range cases {
			before := s.Stats()
			var n int
			if parts == 0 {
				n = countRows(t, snap, tbl, []int{0, 1}, c.preds)
			} else {
				n = len(partitionRows(t, snap, tbl, c.preds, parts, true))
			}
			if n != c.rows {
				t.Errorf("case %d, %d partitions: %d rows, want %d", i, parts, n, c.rows)
			}
			after := s.Stats()
			if got := after.SegmentsSkipped - before.SegmentsSkipped; got != c.segSkip {
				t.Errorf("case %d, %d partitions: skipped %d segments, want %d", i, parts, got, c.segSkip)
			}
			if got := after.RowGroupsSkipped - before.RowGroupsSkipped; got != c.rgSkip {
				t.Errorf("case %d, %d partitions: skipped %d row groups, want %d", i, parts, got, c.rgSkip)
			}
			skipped, read := after.RowsSkipped-before.RowsSkipped, after.RowsRead-before.RowsRead
			if skipped != c.segSkip*1000+c.rgSkip*250 || skipped+read != 3000 {
				t.Errorf("case %d, %d partitions: %d rows skipped and %d read", i, parts, skipped, read)
			}
		}
	}
	if n := snap.EstimatedRows(tbl); n != 3000 {
		t.Errorf("EstimatedRows = %d", n)
	}
	// Closing a scan early stops its decoding goroutine.
	before := runtime.NumGoroutine()
	for i := 0; i < 20; i++ {
		r, err := snap.Scan(tbl, []int{0, 1}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if rec, err := r.Next(); err != nil || rec == nil {
			t.Fatalf("first record: %v %v", rec, err)
		}
		r.Close()
	}
	if after := runtime.NumGoroutine(); after > before+2 {
		t.Errorf("goroutines: %d before, %d after early closes", before, after)
	}
	// Deleted rows of a pruned-in row group stay hidden.
	_, ids := scanAll(t, snap, tbl)
	tx := s.Begin()
	tx.Delete(tbl, []int64{ids["2600"]})
	tx.Commit()
	if n := countRows(t, s.Snapshot(), tbl, []int{0}, []Predicate{{Column: 0, Op: Ge, Value: int64(2500)}}); n != 499 {
		t.Fatalf("%d rows after delete", n)
	}
}

func TestAutomaticFlush(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{FlushRows: 100})
	defer s.Close()
	tbl := kvTable("kv")
	mustCreate(t, s, tbl)
	for i := 0; i < 5; i++ {
		mustInsert(t, s, tbl, kvRows(60, int64(i*60), "x"))
		settleFlushes(t, s) // flushes are written off the writer
	}
	if s.Stats().Flushes < 2 {
		t.Fatalf("flushes = %d, want at least 2", s.Stats().Flushes)
	}
	if n := countRows(t, s.Snapshot(), tbl, []int{0}, nil); n != 300 {
		t.Fatalf("%d rows", n)
	}
	// A scan of no columns (count(*)) still yields every row id.
	if n := countRows(t, s.Snapshot(), tbl, nil, nil); n != 300 {
		t.Fatalf("%d rows without columns", n)
	}
}

func TestSegmentIsPlainParquet(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	tbl := allTypesTable("every")
	mustCreate(t, s, tbl)
	mustInsert(t, s, tbl, allTypesRecord(tbl, 0, 100))
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	ts := s.namespace("public").state.Load().tables["every"]
	path := localFile(t, s, ts, ts.manifest.Segments[0].File)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	if pf.NumRows() != 100 || len(pf.Schema().Fields()) != len(tbl.Columns)+1 {
		t.Fatalf("rows %d fields %d", pf.NumRows(), len(pf.Schema().Fields()))
	}
	for i, f := range pf.Schema().Fields() {
		want := rowIDColumn
		if i < len(tbl.Columns) {
			want = tbl.Columns[i].Name
		}
		if f.Name() != want {
			t.Fatalf("parquet column %d is %q, want %q", i, f.Name(), want)
		}
	}
	logical := func(name string) *format.LogicalType {
		leaf, ok := pf.Schema().Lookup(name)
		if !ok {
			t.Fatalf("no column %s", name)
		}
		return leaf.Node.Type().LogicalType()
	}
	if _, ok := logical("d").Value.(*format.DateType); !ok {
		t.Errorf("date column: %v", logical("d"))
	}
	if d, ok := logical("n15").Value.(*format.DecimalType); !ok || d.Precision != 15 || d.Scale != 2 {
		t.Errorf("numeric(15,2) column: %v", logical("n15"))
	}
	if d, ok := logical("n").Value.(*format.DecimalType); !ok || d.Precision != 38 || d.Scale != 4 {
		t.Errorf("numeric column: %v", logical("n"))
	}
	if ts, ok := logical("ts").Value.(*format.TimestampType); !ok || ts.IsAdjustedToUTC {
		t.Errorf("timestamp column: %v", logical("ts"))
	} else if _, micros := ts.Unit.Value.(*format.MicroSeconds); !micros {
		t.Errorf("timestamp unit: %v", ts.Unit)
	}
	if ts, ok := logical("tz").Value.(*format.TimestampType); !ok || !ts.IsAdjustedToUTC {
		t.Errorf("timestamptz column: %v", logical("tz"))
	}
	if _, ok := logical("t").Value.(*format.StringType); !ok {
		t.Errorf("text column: %v", logical("t"))
	}
	if _, ok := logical("u").Value.(*format.UUIDType); !ok {
		t.Errorf("uuid column: %v", logical("u"))
	}
	// The generic row reader sees every row with its row id.
	r := parquet.NewReader(f, pf.Schema())
	defer r.Close()
	rid, _ := pf.Schema().Lookup(rowIDColumn)
	idCol, _ := pf.Schema().Lookup("id")
	rows := make([]parquet.Row, 100)
	n, _ := r.ReadRows(rows)
	if n != 100 {
		t.Fatalf("read %d rows", n)
	}
	for i, row := range rows[:n] {
		var id, rowID int64 = -1, -1
		for _, v := range row {
			switch v.Column() {
			case idCol.ColumnIndex:
				id = v.Int64()
			case rid.ColumnIndex:
				rowID = v.Int64()
			}
		}
		if id != int64(i) || rowID <= 0 {
			t.Fatalf("row %d: id %d row id %d", i, id, rowID)
		}
	}
}

// benchTable is (k int8, price numeric(15,2), day date, note text).
func benchTable() *catalog.Table {
	return &catalog.Table{Schema: "public", Name: "bench", Columns: []catalog.Column{
		{Name: "k", Type: catalog.TypeInt8, NotNull: true},
		{Name: "price", Type: catalog.NumericType(15, 2)},
		{Name: "day", Type: catalog.TypeDate},
		{Name: "note", Type: catalog.TypeText},
	}}
}

func benchRecord(tbl *catalog.Table, from, n int) arrow.Record {
	mem := memory.DefaultAllocator
	kb := array.NewInt64Builder(mem)
	pb := array.NewDecimal128Builder(mem, tbl.Columns[1].Type.ArrowType().(*arrow.Decimal128Type))
	db := array.NewDate32Builder(mem)
	sb := array.NewStringBuilder(mem)
	notes := []string{"deliver in person", "take back return", "none", "collect cod"}
	for i := from; i < from+n; i++ {
		kb.Append(int64(i))
		pb.Append(decimal128.FromI64(int64(i%100000) * 37))
		db.Append(arrow.Date32(8000 + i%2500))
		sb.Append(notes[i%len(notes)])
	}
	cols := []arrow.Array{kb.NewArray(), pb.NewArray(), db.NewArray(), sb.NewArray()}
	return array.NewRecordBatch(tailSchemaNoRowID(tbl), cols, int64(n))
}

func tailSchemaNoRowID(tbl *catalog.Table) *arrow.Schema {
	fields := make([]arrow.Field, len(tbl.Columns))
	for i, c := range tbl.Columns {
		fields[i] = arrow.Field{Name: c.Name, Type: c.Type.ArrowType(), Nullable: true}
	}
	return arrow.NewSchema(fields, nil)
}

func BenchmarkScan(b *testing.B) {
	const rows = 1 << 20
	s := openTest(b, b.TempDir(), Options{})
	defer s.Close()
	tbl := benchTable()
	mustCreate(b, s, tbl)
	for from := 0; from < rows; from += 1 << 16 {
		mustInsert(b, s, tbl, benchRecord(tbl, from, 1<<16))
	}
	if err := s.Checkpoint(); err != nil {
		b.Fatal(err)
	}
	snap := s.Snapshot()
	var before, after syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &before)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if n := countRows(b, snap, tbl, []int{0, 1, 2, 3}, nil); n != rows {
			b.Fatalf("%d rows", n)
		}
	}
	b.StopTimer()
	syscall.Getrusage(syscall.RUSAGE_SELF, &after)
	cpu := time.Duration(after.Utime.Nano() + after.Stime.Nano() - before.Utime.Nano() - before.Stime.Nano())
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	// CPU time per row is steadier than wall time on a shared machine.
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(rows)/float64(b.N), "cpu-ns/row")
}

// BenchmarkCommitOneRow measures durable single-row commits.
func BenchmarkCommitOneRow(b *testing.B) {
	s := openTest(b, b.TempDir(), Options{})
	defer s.Close()
	tbl := kvTable("kv")
	mustCreate(b, s, tbl)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		mustInsert(b, s, tbl, kvRecord([]int64{int64(i)}, []string{"v"}))
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commits/s")
}

// BenchmarkLoad measures bulk inserts of 64k-row batches, one commit
// each, including the flush to Parquet.
func BenchmarkLoad(b *testing.B) {
	const batch = 1 << 16
	s := openTest(b, b.TempDir(), Options{})
	defer s.Close()
	tbl := benchTable()
	mustCreate(b, s, tbl)
	recs := make([]arrow.Record, 16)
	for i := range recs {
		recs[i] = benchRecord(tbl, i*batch, batch)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, rec := range recs {
			mustInsert(b, s, tbl, rec)
		}
		if err := s.Checkpoint(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(recs)*batch*b.N)/b.Elapsed().Seconds(), "rows/s")
}
