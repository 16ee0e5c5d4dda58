package pgcopy

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/internal/cputime"
)

// lineitemTypes are the columns of TPC-H's lineitem.
var lineitemTypes = []catalog.Type{
	catalog.TypeInt8, catalog.TypeInt8, catalog.TypeInt8, catalog.TypeInt4,
	catalog.NumericType(15, 2), catalog.NumericType(15, 2), catalog.NumericType(15, 2), catalog.NumericType(15, 2),
	catalog.BpcharType(1), catalog.BpcharType(1),
	catalog.TypeDate, catalog.TypeDate, catalog.TypeDate,
	catalog.BpcharType(25), catalog.BpcharType(10), catalog.VarcharType(44),
}

// lineitemCSV returns n lineitem-like CSV rows.
func lineitemCSV(n int) []byte {
	var b bytes.Buffer
	instr := []string{"DELIVER IN PERSON", "COLLECT COD", "NONE", "TAKE BACK RETURN"}
	modes := []string{"TRUCK", "MAIL", "REG AIR", "AIR", "FOB", "RAIL", "SHIP"}
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "%d,%d,%d,%d,%d.00,%d.%02d,0.0%d,0.0%d,%c,%c,199%d-0%d-1%d,199%d-0%d-2%d,199%d-0%d-0%d,%s,%s,\"carefully final, deposits %d\"\n",
			i/4+1, i*7%200000+1, i*13%10000+1, i%7+1, i%50+1, 900+i%100000, i%100, i%10, i%9,
			"RAN"[i%3], "OF"[i%2], 2+i%7, 1+i%9, i%10, 2+i%7, 1+i%9, i%9, 2+i%7, 1+i%9, 1+i%9,
			instr[i%4], modes[i%7], i)
	}
	return b.Bytes()
}

// BenchmarkLineitemCSV reads 1M lineitem rows from CSV (a 100k-row block
// repeated ten times) and reports rows per second.
func BenchmarkLineitemCSV(b *testing.B) {
	block := lineitemCSV(100_000)
	const repeats = 10
	b.SetBytes(int64(len(block) * repeats))
	b.ReportAllocs()
	b.ResetTimer()
	rows := 0
	for n := 0; n < b.N; n++ {
		readers := make([]io.Reader, repeats)
		for k := range readers {
			readers[k] = bytes.NewReader(block)
		}
		rd := NewReader(io.MultiReader(readers...), lineitemTypes, DefaultOptions(CSV), memory.DefaultAllocator)
		for {
			rec, err := rd.Next()
			if err != nil {
				b.Fatal(err)
			}
			if rec == nil {
				break
			}
			rows += int(rec.NumRows())
			rec.Release()
		}
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}

// lineitemAs converts lineitem CSV to format f with the Writer.
func lineitemAs(tb testing.TB, csv []byte, f Format) []byte {
	tb.Helper()
	rd := NewReader(bytes.NewReader(csv), lineitemTypes, DefaultOptions(CSV), memory.DefaultAllocator)
	var out bytes.Buffer
	w := NewWriter(&out, lineitemTypes, DefaultOptions(f), nil)
	for {
		rec, err := rd.Next()
		if err != nil {
			tb.Fatal(err)
		}
		if rec == nil {
			break
		}
		if err := w.Write(rec); err != nil {
			tb.Fatal(err)
		}
		rec.Release()
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return out.Bytes()
}

// lineitemInputs caches lineitemInput's results by format.
var lineitemInputs = map[Format][]byte{}

// lineitemInput returns 500k lineitem rows in format f: a 100k-row block
// repeated five times (binary: one header and trailer around the tuples).
func lineitemInput(b *testing.B, f Format) []byte {
	if data, ok := lineitemInputs[f]; ok {
		return data
	}
	data := makeLineitemInput(b, f)
	lineitemInputs[f] = data
	return data
}

func makeLineitemInput(b *testing.B, f Format) []byte {
	const block, repeats = 100_000, 5
	data := lineitemCSV(block)
	if f != CSV {
		data = lineitemAs(b, data, f)
	}
	if f != Binary {
		return bytes.Repeat(data, repeats)
	}
	header, tuples := data[:19], data[19:len(data)-2]
	out := append([]byte{}, header...)
	for range repeats {
		out = append(out, tuples...)
	}
	return append(out, 0xff, 0xff)
}

// benchmarkLineitem reads data in format f with the given workers and
// reports rows per second, and the CPU time per row (which a busy
// machine distorts less than the rate).
func benchmarkLineitem(b *testing.B, f Format, workers int) {
	data := lineitemInput(b, f)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	cpu := time.Duration(cputime.Process())
	defer func() {
		b.ReportMetric(float64(time.Duration(cputime.Process())-cpu)/float64(b.N*500_000), "cpu-ns/row")
	}()
	rows := 0
	for n := 0; n < b.N; n++ {
		rd := NewReader(bytes.NewReader(data), lineitemTypes, DefaultOptions(f), memory.DefaultAllocator)
		rd.SetWorkers(workers)
		for {
			rec, err := rd.Next()
			if err != nil {
				b.Fatal(err)
			}
			if rec == nil {
				break
			}
			rows += int(rec.NumRows())
			rec.Release()
		}
		rd.Close()
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkLineitem500k reads 500k lineitem rows in each format, on one
// goroutine and with GOMAXPROCS workers.
func BenchmarkLineitem500k(b *testing.B) {
	for _, f := range []Format{CSV, Text, Binary} {
		for _, workers := range []int{1, runtime.GOMAXPROCS(0)} {
			b.Run(fmt.Sprintf("%s/workers=%d", f, workers), func(b *testing.B) { benchmarkLineitem(b, f, workers) })
		}
	}
}

// BenchmarkLineitemSmall reads 10k lineitem CSV rows, within one chunk:
// with workers the Reader only scans the rows once more before decoding
// them on the caller's goroutine.
func BenchmarkLineitemSmall(b *testing.B) {
	data := lineitemCSV(10_000)
	for _, workers := range []int{1, runtime.GOMAXPROCS(0)} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for n := 0; n < b.N; n++ {
				rd := NewReader(bytes.NewReader(data), lineitemTypes, DefaultOptions(CSV), memory.DefaultAllocator)
				rd.SetWorkers(workers)
				for {
					rec, err := rd.Next()
					if err != nil {
						b.Fatal(err)
					}
					if rec == nil {
						break
					}
					rec.Release()
				}
				rd.Close()
			}
		})
	}
}
