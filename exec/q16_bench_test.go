package exec

import (
	"context"
	"fmt"
	"math/rand"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/internal/cputime"
)

// q16Input is rows rows shaped like TPC-H Q16's aggregate input (at SF1,
// 118k rows of (p_brand, p_type, p_size, ps_suppkey) in 18k groups of the
// first three): 25 brands, 150 types and 8 sizes, so that 120k rows fall
// into some 29k groups.
func q16Input(rows int) ([]catalog.Type, []arrow.Record) {
	types := []catalog.Type{catalog.BpcharType(10), catalog.VarcharType(25), catalog.TypeInt4, catalog.TypeInt8}
	fields := make([]arrow.Field, len(types))
	for i, t := range types {
		fields[i] = arrow.Field{Name: string(rune('a' + i)), Type: t.ArrowType(), Nullable: true}
	}
	schema := arrow.NewSchema(fields, nil)
	syl1 := []string{"STANDARD", "SMALL", "MEDIUM", "LARGE", "ECONOMY", "PROMO"}
	syl2 := []string{"ANODIZED", "BURNISHED", "PLATED", "POLISHED", "BRUSHED"}
	syl3 := []string{"TIN", "NICKEL", "BRASS", "STEEL", "COPPER"}
	sizes := []int32{49, 14, 23, 45, 19, 3, 36, 9}
	rng := rand.New(rand.NewSource(16))
	var recs []arrow.Record
	mem := memory.NewGoAllocator()
	for done := 0; done < rows; done += 1 << 13 {
		n := min(1<<13, rows-done)
		b := array.NewRecordBuilder(mem, schema)
		for range n {
			b.Field(0).(*array.StringBuilder).Append(fmt.Sprintf("Brand#%d%d", rng.Intn(5)+1, rng.Intn(5)+1))
			b.Field(1).(*array.StringBuilder).Append(syl1[rng.Intn(6)] + " " + syl2[rng.Intn(5)] + " " + syl3[rng.Intn(5)])
			b.Field(2).(*array.Int32Builder).Append(sizes[rng.Intn(8)])
			b.Field(3).(*array.Int64Builder).Append(int64(rng.Intn(10000) + 1))
		}
		recs = append(recs, b.NewRecord())
		b.Release()
	}
	return types, recs
}

// BenchmarkQ16Shape groups Q16's input by three keys, two of them
// strings, with count(DISTINCT) of the fourth column.
func BenchmarkQ16Shape(b *testing.B) {
	const rows = 120_000
	types, recs := q16Input(rows)
	for _, distinct := range []bool{true, false} {
		b.Run(fmt.Sprintf("distinct=%v", distinct), func(b *testing.B) {
			ctx := NewContext(context.Background())
			b.ReportAllocs()
			cpu0 := cputime.Process()
			for b.Loop() {
				agg := NewHashAggregate(NewScan(types, func(*Context) (RecordSource, error) { return &sliceSource{recs: recs}, nil }),
					[]Expr{ColumnRef(0, types[0]), ColumnRef(1, types[1]), ColumnRef(2, types[2])},
					[]Aggregate{{Func: AggCount, Arg: ColumnRef(3, types[3]), Distinct: distinct, Type: catalog.TypeInt8}})
				n := 0
				if err := Drain(ctx, agg, func(bt *Batch) error { n += bt.NumRows(); return nil }); err != nil || n < 15_000 {
					b.Fatal(n, err)
				}
			}
			b.ReportMetric(float64(cputime.Process()-cpu0)/float64(b.N)/rows, "cpu-ns/row")
		})
	}
}

// BenchmarkSortQ16Output sorts Q16's result, some 18k groups, by its
// ORDER BY: a small count descending, then the three group keys.
func BenchmarkSortQ16Output(b *testing.B) {
	const rows = 18_000
	types, recs := q16Input(rows)
	for _, r := range recs {
		// The fourth column becomes the per-group count: 1 to 12.
		vals := r.Column(3).(*array.Int64).Int64Values()
		for i := range vals {
			vals[i] = vals[i]%12 + 1
		}
	}
	ctx := NewContext(context.Background())
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cputime.Process()
	for b.Loop() {
		s := NewSort(NewScan(types, func(*Context) (RecordSource, error) { return &sliceSource{recs: recs}, nil }),
			[]SortKey{{Expr: ColumnRef(3, types[3]), Desc: true}, {Expr: ColumnRef(0, types[0])}, {Expr: ColumnRef(1, types[1])}, {Expr: ColumnRef(2, types[2])}})
		if err := Drain(ctx, s, func(*Batch) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(cputime.Process()-cpu0)/float64(b.N)/rows, "cpu-ns/row")
}
