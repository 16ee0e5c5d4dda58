package storage

import (
	"fmt"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// lineitemTable is TPC-H's lineitem as bench/tpch creates it: every
// column nullable, so every Parquet column is OPTIONAL.
func lineitemTable() *catalog.Table {
	dec := catalog.NumericType(15, 2)
	return &catalog.Table{Schema: "public", Name: "lineitem", Columns: []catalog.Column{
		{Name: "l_orderkey", Type: catalog.TypeInt8},
		{Name: "l_partkey", Type: catalog.TypeInt8},
		{Name: "l_suppkey", Type: catalog.TypeInt8},
		{Name: "l_linenumber", Type: catalog.TypeInt4},
		{Name: "l_quantity", Type: dec},
		{Name: "l_extendedprice", Type: dec},
		{Name: "l_discount", Type: dec},
		{Name: "l_tax", Type: dec},
		{Name: "l_returnflag", Type: catalog.BpcharType(1)},
		{Name: "l_linestatus", Type: catalog.BpcharType(1)},
		{Name: "l_shipdate", Type: catalog.TypeDate},
		{Name: "l_commitdate", Type: catalog.TypeDate},
		{Name: "l_receiptdate", Type: catalog.TypeDate},
		{Name: "l_shipinstruct", Type: catalog.BpcharType(25)},
		{Name: "l_shipmode", Type: catalog.BpcharType(10)},
		{Name: "l_comment", Type: catalog.VarcharType(44)},
	}}
}

// lineitemRecord builds rows [from, from+n) of lineitemTable, followed by
// the row-id column, with values shaped like dbgen's: keys ascending,
// small numerics, dates over seven years, flags and modes from short
// lists, and a comment of 10-43 characters that rarely repeats. With
// nullEvery > 0, column 1 + r%15 of row r is NULL where r%nullEvery == 0.
func lineitemRecord(tbl *catalog.Table, from, n, nullEvery int) arrow.Record {
	mem := memory.DefaultAllocator
	fields := make([]arrow.Field, 0, len(tbl.Columns)+1)
	for _, c := range tbl.Columns {
		fields = append(fields, arrow.Field{Name: c.Name, Type: c.Type.ArrowType(), Nullable: true})
	}
	fields = append(fields, arrow.Field{Name: rowIDColumn, Type: arrow.PrimitiveTypes.Int64})
	b := array.NewRecordBuilder(mem, arrow.NewSchema(fields, nil))
	defer b.Release()
	instructs := []string{"DELIVER IN PERSON        ", "COLLECT COD              ", "NONE                     ", "TAKE BACK RETURN         "}
	modes := []string{"REG AIR   ", "AIR       ", "RAIL      ", "SHIP      ", "TRUCK     ", "MAIL      ", "FOB       "}
	words := []string{"furiously", "quickly", "carefully", "blithely", "regular", "final", "ironic", "pending", "deposits", "accounts", "packages", "requests", "slyly", "express", "special"}
	var comment []byte
	x := uint64(from)*2654435761 + 1
	rnd := func() uint64 { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x }
	for r := from; r < from+n; r++ {
		nullCol := -1
		if nullEvery > 0 && r%nullEvery == 0 {
			nullCol = 1 + r%15
		}
		qty := int64(rnd()%50 + 1)
		ship := arrow.Date32(8036 + rnd()%2526)
		comment = comment[:0]
		want := 10 + int(rnd()%34)
		for len(comment) < want {
			comment = append(comment, words[rnd()%uint64(len(words))]...)
			comment = append(comment, ' ')
		}
		vals := []any{
			int64(r/4 + 1), int64(rnd()%200000 + 1), int64(rnd()%10000 + 1), int32(r%4 + 1),
			decimal128.FromI64(qty * 100), decimal128.FromI64(qty * int64(90000+rnd()%10000)),
			decimal128.FromI64(int64(rnd() % 11)), decimal128.FromI64(int64(rnd() % 9)),
			[]string{"R", "A", "N"}[rnd()%3], []string{"O", "F"}[rnd()%2],
			ship, ship + arrow.Date32(rnd()%60) - 30, ship + arrow.Date32(rnd()%30) + 1,
			instructs[rnd()%4], modes[rnd()%7], comment[:want],
			int64(r + 1),
		}
		for c, v := range vals {
			if c == nullCol {
				b.Field(c).AppendNull()
				continue
			}
			switch v := v.(type) {
			case int64:
				b.Field(c).(*array.Int64Builder).Append(v)
			case int32:
				b.Field(c).(*array.Int32Builder).Append(v)
			case decimal128.Num:
				b.Field(c).(*array.Decimal128Builder).Append(v)
			case string:
				b.Field(c).(*array.StringBuilder).Append(v)
			case []byte:
				b.Field(c).(*array.StringBuilder).BinaryBuilder.Append(v)
			case arrow.Date32:
				b.Field(c).(*array.Date32Builder).Append(v)
			}
		}
	}
	return b.NewRecordBatch()
}

// BenchmarkFlushLineitem writes 1M lineitem rows (eight records of 128k,
// as eight COPY statements leave them) to one segment through the
// segment writer, as a flush does.
func BenchmarkFlushLineitem(b *testing.B) {
	const rows, batch = 1 << 20, 128 << 10
	tbl := lineitemTable()
	var recs []arrow.Record
	for from := 0; from < rows; from += batch {
		recs = append(recs, lineitemRecord(tbl, from, batch, 0))
	}
	dir := b.TempDir()
	objects := localObjects(b, dir)
	var before, after syscall.Rusage
	var size int64
	syscall.Getrusage(syscall.RUSAGE_SELF, &before)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		key := fmt.Sprintf("%d.parquet", i)
		seg, err := writeSegment(objects, key, tbl, recs, defaultRowGroupRows)
		if err != nil {
			b.Fatal(err)
		}
		if seg.Rows != rows {
			b.Fatalf("%d rows", seg.Rows)
		}
		fi, err := os.Stat(objects.path(key))
		if err != nil {
			b.Fatal(err)
		}
		size = fi.Size()
		os.Remove(objects.path(key))
	}
	b.StopTimer()
	syscall.Getrusage(syscall.RUSAGE_SELF, &after)
	cpu := time.Duration(after.Utime.Nano() + after.Stime.Nano() - before.Utime.Nano() - before.Stime.Nano())
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(rows)/float64(b.N), "cpu-ns/row")
	b.ReportMetric(float64(size)/(1<<20), "file-MiB")
}

// BenchmarkScanLineitem scans the numeric, flag and date columns of 1M
// lineitem rows (Q1's) from segments, to weigh the segment writer's
// encodings on the read side.
func BenchmarkScanLineitem(b *testing.B) {
	const rows = 1 << 20
	s := openTest(b, b.TempDir(), Options{})
	defer s.Close()
	tbl := lineitemTable()
	mustCreate(b, s, tbl)
	for from := 0; from < rows; from += 128 << 10 {
		rec := lineitemRecord(tbl, from, 128<<10, 0)
		cols := rec.Columns()[:16]
		mustInsert(b, s, tbl, array.NewRecordBatch(tailSchemaNoRowID(tbl), cols, rec.NumRows()))
	}
	if err := s.Checkpoint(); err != nil {
		b.Fatal(err)
	}
	snap := s.Snapshot()
	var before, after syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &before)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if n := countRows(b, snap, tbl, []int{4, 5, 6, 7, 8, 9, 10}, nil); n != rows {
			b.Fatalf("%d rows", n)
		}
	}
	b.StopTimer()
	syscall.Getrusage(syscall.RUSAGE_SELF, &after)
	cpu := time.Duration(after.Utime.Nano() + after.Stime.Nano() - before.Utime.Nano() - before.Stime.Nano())
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(rows)/float64(b.N), "cpu-ns/row")
}
