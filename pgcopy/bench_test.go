package pgcopy

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/pqdb/pqdb/catalog"
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
