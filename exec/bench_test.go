package exec

import (
	"context"
	"math/rand"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/internal/cputime"
)

// lineitem builds a TPC-H-like lineitem slice: returnflag, linestatus,
// quantity, extendedprice, discount, tax (numeric(15,2)) and shipdate.
func lineitem(rows, per int) ([]catalog.Type, []arrow.Record) {
	n2 := catalog.NumericType(15, 2)
	types := []catalog.Type{catalog.BpcharType(1), catalog.BpcharType(1), n2, n2, n2, n2, catalog.TypeDate}
	fields := make([]arrow.Field, len(types))
	for i, t := range types {
		fields[i] = arrow.Field{Name: string(rune('a' + i)), Type: t.ArrowType(), Nullable: true}
	}
	schema := arrow.NewSchema(fields, nil)
	rng := rand.New(rand.NewSource(1))
	flags, status := []string{"A", "N", "R"}, []string{"F", "O"}
	start := daysFromCivil(1992, 1, 1)
	var recs []arrow.Record
	mem := memory.NewGoAllocator()
	for done := 0; done < rows; done += per {
		n := min(per, rows-done)
		b := array.NewRecordBuilder(mem, schema)
		for i := 0; i < n; i++ {
			b.Field(0).(*array.StringBuilder).Append(flags[rng.Intn(3)])
			b.Field(1).(*array.StringBuilder).Append(status[rng.Intn(2)])
			q := int64(rng.Intn(50) + 1)
			b.Field(2).(*array.Decimal128Builder).Append(decimal128.FromI64(q * 100))
			b.Field(3).(*array.Decimal128Builder).Append(decimal128.FromI64(q * int64(90000+rng.Intn(10000000)) / 100))
			b.Field(4).(*array.Decimal128Builder).Append(decimal128.FromI64(int64(rng.Intn(11))))
			b.Field(5).(*array.Decimal128Builder).Append(decimal128.FromI64(int64(rng.Intn(9))))
			b.Field(6).(*array.Date32Builder).Append(arrow.Date32(start + int64(rng.Intn(2500))))
		}
		recs = append(recs, b.NewRecord())
		b.Release()
	}
	return types, recs
}

type sliceSource struct {
	recs []arrow.Record
	i    int
}

func (s *sliceSource) Next() (arrow.Record, error) {
	if s.i >= len(s.recs) {
		return nil, nil
	}
	s.i++
	return s.recs[s.i-1], nil
}
func (s *sliceSource) Close() {}

// q1Plan is TPC-H Q1's shape: filter on shipdate, project the charge
// expressions, group by the two flags with decimal sums and averages.
func q1Plan(types []catalog.Type, recs []arrow.Record) Operator {
	scan := NewScan(types, func(*Context) (RecordSource, error) { return &sliceSource{recs: recs}, nil })
	n2 := types[2]
	one := Literal(dec("1", 2), n2)
	ext, disc, tax := ColumnRef(3, n2), ColumnRef(4, n2), ColumnRef(5, n2)
	cutoff := Literal(int32(daysFromCivil(1998, 9, 2)), catalog.TypeDate)
	filter := NewFilter(scan, must(Binary(OpLe, ColumnRef(6, catalog.TypeDate), cutoff)))
	discPrice := must(Binary(OpMul, ext, must(Binary(OpSub, one, disc))))
	charge := must(Binary(OpMul, discPrice, must(Binary(OpAdd, one, tax))))
	proj := NewProject(filter, []Expr{ColumnRef(0, types[0]), ColumnRef(1, types[1]), ColumnRef(2, n2), ext, disc, discPrice, charge})
	n := func(s int32) catalog.Type { return catalog.UnconstrainedNumeric(s) }
	return NewHashAggregate(proj, []Expr{ColumnRef(0, types[0]), ColumnRef(1, types[1])}, []Aggregate{
		{Func: AggSum, Arg: ColumnRef(2, n2), Type: n(2)},
		{Func: AggSum, Arg: ColumnRef(3, n2), Type: n(2)},
		{Func: AggSum, Arg: ColumnRef(5, discPrice.Type()), Type: n(4)},
		{Func: AggSum, Arg: ColumnRef(6, charge.Type()), Type: n(6)},
		{Func: AggAvg, Arg: ColumnRef(2, n2), Type: n(16)},
		{Func: AggAvg, Arg: ColumnRef(3, n2), Type: n(16)},
		{Func: AggAvg, Arg: ColumnRef(4, n2), Type: n(16)},
		{Func: AggCountStar, Type: catalog.TypeInt8},
	})
}

func TestQ1ShapeResult(t *testing.T) {
	types, recs := lineitem(50000, 8192)
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	rows := collect(t, q1Plan(types, recs))
	if len(rows) != 6 {
		t.Fatalf("%d groups", len(rows))
	}
	total := int64(0)
	for _, r := range rows {
		total += r[9].(int64)
	}
	if total == 0 || total > 50000 {
		t.Fatalf("count %d", total)
	}
}

func BenchmarkQ1Shape(b *testing.B) {
	const rows = 1 << 20
	types, recs := lineitem(rows, 1<<16)
	ctx := NewContext(context.Background())
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cputime.Process()
	for i := 0; i < b.N; i++ {
		if _, err := Collect(ctx, q1Plan(types, recs)); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/rows, "ns/row")
	// CPU time is the steadier figure on a shared machine.
	b.ReportMetric(float64(cputime.Process()-cpu0)/float64(b.N)/rows, "cpu-ns/row")
}

// BenchmarkHashJoinProbe joins 1M probe rows against 100k build rows on
// an int8 key (every probe row matches once).
func BenchmarkHashJoinProbe(b *testing.B) {
	const probeRows, buildRows = 1 << 20, 100_000
	mk := func(n, mod int) []arrow.Record {
		schema := arrow.NewSchema([]arrow.Field{{Name: "k", Type: arrow.PrimitiveTypes.Int64}, {Name: "v", Type: arrow.PrimitiveTypes.Int64}}, nil)
		var recs []arrow.Record
		for done := 0; done < n; done += 1 << 16 {
			m := min(1<<16, n-done)
			rb := array.NewRecordBuilder(memory.NewGoAllocator(), schema)
			for i := 0; i < m; i++ {
				rb.Field(0).(*array.Int64Builder).Append(int64((done + i) % mod))
				rb.Field(1).(*array.Int64Builder).Append(int64(i))
			}
			recs = append(recs, rb.NewRecord())
			rb.Release()
		}
		return recs
	}
	probe, build := mk(probeRows, buildRows), mk(buildRows, buildRows)
	types := []catalog.Type{catalog.TypeInt8, catalog.TypeInt8}
	ctx := NewContext(context.Background())
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cputime.Process()
	for i := 0; i < b.N; i++ {
		l := NewScan(types, func(*Context) (RecordSource, error) { return &sliceSource{recs: probe}, nil })
		r := NewScan(types, func(*Context) (RecordSource, error) { return &sliceSource{recs: build}, nil })
		j := NewHashJoin(l, r, []Expr{ColumnRef(0, catalog.TypeInt8)}, []Expr{ColumnRef(0, catalog.TypeInt8)}, JoinInner, nil, false)
		n := 0
		if err := Drain(ctx, j, func(bt *Batch) error { n += bt.NumRows(); return nil }); err != nil || n != probeRows {
			b.Fatal(n, err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(cputime.Process()-cpu0)/float64(b.N)/probeRows, "cpu-ns/row")
}

// BenchmarkSort sorts 1M rows by a float8 key.
func BenchmarkSort(b *testing.B) {
	const rows = 1 << 20
	schema := arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Float64}}, nil)
	rng := rand.New(rand.NewSource(2))
	var recs []arrow.Record
	for done := 0; done < rows; done += 1 << 16 {
		rb := array.NewRecordBuilder(memory.NewGoAllocator(), schema)
		for i := 0; i < 1<<16; i++ {
			rb.Field(0).(*array.Float64Builder).Append(rng.NormFloat64())
		}
		recs = append(recs, rb.NewRecord())
		rb.Release()
	}
	types := []catalog.Type{catalog.TypeFloat8}
	ctx := NewContext(context.Background())
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cputime.Process()
	for i := 0; i < b.N; i++ {
		s := NewSort(NewScan(types, func(*Context) (RecordSource, error) { return &sliceSource{recs: recs}, nil }),
			[]SortKey{{Expr: ColumnRef(0, catalog.TypeFloat8)}})
		if err := Drain(ctx, s, func(*Batch) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(cputime.Process()-cpu0)/float64(b.N)/rows, "cpu-ns/row")
}

// BenchmarkHashAggregateHighCardinality groups 1M rows into 500k groups
// of an int8 key with a sum.
func BenchmarkHashAggregateHighCardinality(b *testing.B) {
	const rows = 1 << 20
	schema := arrow.NewSchema([]arrow.Field{{Name: "k", Type: arrow.PrimitiveTypes.Int64}, {Name: "v", Type: arrow.PrimitiveTypes.Int64}}, nil)
	rng := rand.New(rand.NewSource(3))
	var recs []arrow.Record
	for done := 0; done < rows; done += 1 << 16 {
		rb := array.NewRecordBuilder(memory.NewGoAllocator(), schema)
		for i := 0; i < 1<<16; i++ {
			rb.Field(0).(*array.Int64Builder).Append(rng.Int63n(500_000))
			rb.Field(1).(*array.Int64Builder).Append(int64(i))
		}
		recs = append(recs, rb.NewRecord())
		rb.Release()
	}
	types := []catalog.Type{catalog.TypeInt8, catalog.TypeInt8}
	ctx := NewContext(context.Background())
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cputime.Process()
	for i := 0; i < b.N; i++ {
		agg := NewHashAggregate(NewScan(types, func(*Context) (RecordSource, error) { return &sliceSource{recs: recs}, nil }),
			[]Expr{ColumnRef(0, catalog.TypeInt8)},
			[]Aggregate{{Func: AggSum, Arg: ColumnRef(1, catalog.TypeInt8), Type: catalog.UnconstrainedNumeric(0)}})
		n := 0
		if err := Drain(ctx, agg, func(bt *Batch) error { n += bt.NumRows(); return nil }); err != nil || n < 400_000 {
			b.Fatal(n, err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(cputime.Process()-cpu0)/float64(b.N)/rows, "cpu-ns/row")
}

// BenchmarkValuesLiterals is INSERT ... VALUES with 2,000 rows of an
// integer, a short string and a numeric(10,2) literal: each literal is
// evaluated once, on a one-row batch.
func BenchmarkValuesLiterals(b *testing.B) {
	types := []catalog.Type{catalog.TypeInt4, catalog.TypeText, catalog.NumericType(10, 2)}
	rows := make([][]Expr, 2000)
	for i := range rows {
		rows[i] = []Expr{
			Literal(int32(i), types[0]),
			Literal("x"+string(rune('a'+i%26)), types[1]),
			Literal(decimal128.FromI64(int64(i)*100+50), types[2]),
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		err := Drain(NewContext(context.Background()), NewValues(rows, types), func(bt *Batch) error {
			n += bt.Len
			return nil
		})
		if err != nil || n != len(rows) {
			b.Fatalf("%d rows, %v", n, err)
		}
	}
}
