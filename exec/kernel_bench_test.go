package exec

import (
	"context"
	"math/rand"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/internal/cputime"
)

// Kernel micro-benchmarks and allocation guards. Each kernel has a plan
// builder (kernelPlans) over in-memory records; BenchmarkKernels times it
// over 1M rows with allocation counts, and TestKernelAllocsPerBatch
// drains it over many 1024-row batches and bounds the allocations per
// batch. Allocation counts are deterministic where times are not: a
// kernel that starts allocating per row (1024 a batch) fails the guard
// long before anyone notices it in a timing.

// kernelPlan builds one kernel's plan over recs (whose types are types)
// and says how many rows it must return for rows input rows.
type kernelPlan struct {
	name  string
	data  func(rows, per int) ([]catalog.Type, []arrow.Record)
	build func(types []catalog.Type, recs []arrow.Record) Operator
	// perBatch bounds the allocations per 1024-row input batch: about
	// twice what the kernel makes (a pool emptied by a GC costs a few
	// more), far below the 1024 of an allocation per row.
	perBatch float64
}

// recordsScan scans recs.
func recordsScan(types []catalog.Type, recs []arrow.Record) Operator {
	return NewScan(types, func(*Context) (RecordSource, error) { return &sliceSource{recs: recs}, nil })
}

// keyValues builds rows of an int8 key (i % mod, shuffled when shuffle)
// and an int8 value.
func keyValues(mod int, shuffle bool) func(rows, per int) ([]catalog.Type, []arrow.Record) {
	return func(rows, per int) ([]catalog.Type, []arrow.Record) {
		schema := arrow.NewSchema([]arrow.Field{{Name: "k", Type: arrow.PrimitiveTypes.Int64}, {Name: "v", Type: arrow.PrimitiveTypes.Int64}}, nil)
		rng := rand.New(rand.NewSource(4))
		var recs []arrow.Record
		for done := 0; done < rows; done += per {
			n := min(per, rows-done)
			rb := array.NewRecordBuilder(memory.NewGoAllocator(), schema)
			for i := 0; i < n; i++ {
				k := (done + i) % mod
				if shuffle {
					k = rng.Intn(mod)
				}
				rb.Field(0).(*array.Int64Builder).Append(int64(k))
				rb.Field(1).(*array.Int64Builder).Append(int64(done + i))
			}
			recs = append(recs, rb.NewRecordBatch())
			rb.Release()
		}
		return []catalog.Type{catalog.TypeInt8, catalog.TypeInt8}, recs
	}
}

// comments builds rows of a varchar(79) like TPC-H's o_comment, words
// drawn at random; one in a few hundred holds "special" then "requests".
func comments(rows, per int) ([]catalog.Type, []arrow.Record) {
	t := catalog.VarcharType(79)
	schema := arrow.NewSchema([]arrow.Field{{Name: "c", Type: t.ArrowType(), Nullable: true}}, nil)
	// dbgen's text grammar draws from some 180 words: each of these is
	// in about one comment in ten.
	words := strings.Fields("furiously quickly carefully blithely slyly fluffily express regular final ironic pending bold silent unusual even ruthless " +
		"deposits accounts packages requests theodolites instructions asymptotes dependencies excuses platelets pinto foxes ideas dolphins " +
		"sleep wake nag haggle cajole detect integrate use boost affix are was will could might about above across after against along " +
		"among around at before behind beneath beside besides between beyond by despite during except for from in inside into near of " +
		"special")
	rng := rand.New(rand.NewSource(5))
	var recs []arrow.Record
	var buf []byte
	for done := 0; done < rows; done += per {
		n := min(per, rows-done)
		rb := array.NewRecordBuilder(memory.NewGoAllocator(), schema)
		sb := rb.Field(0).(*array.StringBuilder)
		for i := 0; i < n; i++ {
			if (done+i)%97 == 0 {
				sb.AppendNull()
				continue
			}
			buf = buf[:0]
			for len(buf) < 20+rng.Intn(50) {
				buf = append(buf, words[rng.Intn(len(words))]...)
				buf = append(buf, ' ')
			}
			sb.BinaryBuilder.Append(buf)
		}
		recs = append(recs, rb.NewRecordBatch())
		rb.Release()
	}
	return []catalog.Type{t}, recs
}

func kernelPlans() []kernelPlan {
	n2 := catalog.NumericType(15, 2)
	date := func(y, m, d int64) Expr { return Literal(int32(daysFromCivil(y, m, d)), catalog.TypeDate) }
	_, customers := keyValues(1<<30, false)(1<<17, 1<<16)
	return []kernelPlan{
		{name: "FilterQ6", data: lineitem, perBatch: 24, build: func(types []catalog.Type, recs []arrow.Record) Operator {
			// TPC-H Q6's predicate over lineitem's shipdate, discount
			// and quantity.
			ship, disc, qty := ColumnRef(6, catalog.TypeDate), ColumnRef(4, n2), ColumnRef(2, n2)
			return NewFilter(recordsScan(types, recs), And(
				must(Binary(OpGe, ship, date(1994, 1, 1))),
				must(Binary(OpLt, ship, date(1995, 1, 1))),
				must(Binary(OpGe, disc, Literal(dec("0.05", 2), n2))),
				must(Binary(OpLe, disc, Literal(dec("0.07", 2), n2))),
				must(Binary(OpLt, qty, Literal(dec("24", 2), n2))),
			))
		}},
		{name: "FilterCompare", data: lineitem, perBatch: 16, build: func(types []catalog.Type, recs []arrow.Record) Operator {
			return NewFilter(recordsScan(types, recs), must(Binary(OpLe, ColumnRef(6, catalog.TypeDate), date(1998, 9, 2))))
		}},
		{name: "NotLike", data: comments, perBatch: 24, build: func(types []catalog.Type, recs []arrow.Record) Operator {
			return NewFilter(recordsScan(types, recs), must(Binary(OpNotLike, ColumnRef(0, types[0]), Literal("%special%requests%", catalog.TypeText))))
		}},
		{name: "Project", data: lineitem, perBatch: 80, build: func(types []catalog.Type, recs []arrow.Record) Operator {
			// Q1's charge: extendedprice * (1 - discount) * (1 + tax).
			one := Literal(dec("1", 2), n2)
			ext, disc, tax := ColumnRef(3, n2), ColumnRef(4, n2), ColumnRef(5, n2)
			discPrice := must(Binary(OpMul, ext, must(Binary(OpSub, one, disc))))
			return NewProject(recordsScan(types, recs), []Expr{must(Binary(OpMul, discPrice, must(Binary(OpAdd, one, tax))))})
		}},
		{name: "AggregateLowCardinality", data: lineitem, perBatch: 16, build: func(types []catalog.Type, recs []arrow.Record) Operator {
			// Q1's grouping: two char(1) flags, six groups.
			return NewHashAggregate(recordsScan(types, recs), []Expr{ColumnRef(0, types[0]), ColumnRef(1, types[1])}, []Aggregate{
				{Func: AggSum, Arg: ColumnRef(2, n2), Type: catalog.UnconstrainedNumeric(2)},
				{Func: AggAvg, Arg: ColumnRef(3, n2), Type: catalog.UnconstrainedNumeric(16)},
				{Func: AggCountStar, Type: catalog.TypeInt8},
			})
		}},
		{name: "AggregateHighCardinality", data: keyValues(1<<17, true), perBatch: 16, build: func(types []catalog.Type, recs []arrow.Record) Operator {
			return NewHashAggregate(recordsScan(types, recs), []Expr{ColumnRef(0, catalog.TypeInt8)},
				[]Aggregate{{Func: AggSum, Arg: ColumnRef(1, catalog.TypeInt8), Type: catalog.UnconstrainedNumeric(0)}})
		}},
		{name: "HashJoinBuild", data: keyValues(1<<30, false), perBatch: 16, build: func(types []catalog.Type, recs []arrow.Record) Operator {
			// Every row goes to the build side; the probe side is one row.
			_, probe := keyValues(1, false)(1, 1)
			return NewHashJoin(recordsScan(types, probe), recordsScan(types, recs),
				[]Expr{ColumnRef(0, catalog.TypeInt8)}, []Expr{ColumnRef(0, catalog.TypeInt8)}, JoinInner, nil, false)
		}},
		{name: "HashJoinProbe", data: keyValues(1<<30, false), perBatch: 24, build: func(types []catalog.Type, recs []arrow.Record) Operator {
			// Every row probes a build side of 4096 keys; one in four
			// matches.
			_, build := keyValues(1<<30, false)(4096, 4096)
			var keys []Expr
			keys = append(keys, must(Binary(OpMul, ColumnRef(0, catalog.TypeInt8), Literal(int64(4), catalog.TypeInt8))))
			return NewHashJoin(recordsScan(types, recs), recordsScan(types, build),
				[]Expr{ColumnRef(0, catalog.TypeInt8)}, keys, JoinInner, nil, false)
		}},
		{name: "HashJoinProbeLarge", data: keyValues(1<<17, true), perBatch: 40, build: func(types []catalog.Type, recs []arrow.Record) Operator {
			// Q13's join: every row probes a build side of 131072 keys
			// (customers, a table beyond the L2 cache) and matches once.
			// The build's allocations (some 1200, none per row) count
			// against the probe's 64 batches.
			return NewHashJoin(recordsScan(types, recs), recordsScan(types, customers),
				[]Expr{ColumnRef(0, catalog.TypeInt8)}, []Expr{ColumnRef(0, catalog.TypeInt8)}, JoinInner, nil, false)
		}},
		{name: "Sort", data: keyValues(1<<30, true), perBatch: 16, build: func(types []catalog.Type, recs []arrow.Record) Operator {
			return NewSort(recordsScan(types, recs), []SortKey{{Expr: ColumnRef(0, catalog.TypeInt8)}})
		}},
		{name: "TopN", data: keyValues(1<<30, true), perBatch: 32, build: func(types []catalog.Type, recs []arrow.Record) Operator {
			return NewTopN(recordsScan(types, recs), []SortKey{{Expr: ColumnRef(0, catalog.TypeInt8), Desc: true}}, 10)
		}},
	}
}

// drainRows runs op to its end and returns the rows it returned.
func drainRows(ctx *Context, op Operator) (int, error) {
	n := 0
	err := Drain(ctx, op, func(b *Batch) error { n += b.NumRows(); return nil })
	return n, err
}

func BenchmarkKernels(b *testing.B) {
	const rows = 1 << 20
	for _, k := range kernelPlans() {
		b.Run(k.name, func(b *testing.B) {
			types, recs := k.data(rows, 1<<16)
			ctx := NewContext(context.Background())
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := cputime.Process()
			for i := 0; i < b.N; i++ {
				if _, err := drainRows(ctx, k.build(types, recs)); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(cputime.Process()-cpu0)/float64(b.N)/rows, "cpu-ns/row")
		})
	}
}

// TestKernelAllocsPerBatch bounds each kernel's allocations per 1024-row
// batch over 64 batches (the plan's construction and its few result
// batches included).
func TestKernelAllocsPerBatch(t *testing.T) {
	const batches, per = 64, 1024
	for _, k := range kernelPlans() {
		t.Run(k.name, func(t *testing.T) {
			types, recs := k.data(batches*per, per)
			ctx := NewContext(context.Background())
			allocs := testing.AllocsPerRun(3, func() {
				if _, err := drainRows(ctx, k.build(types, recs)); err != nil {
					t.Fatal(err)
				}
			})
			if got := allocs / batches; got > k.perBatch {
				t.Errorf("%.1f allocations per %d-row batch, want at most %.0f", got, per, k.perBatch)
			} else {
				t.Logf("%.1f allocations per batch (bound %.0f)", got, k.perBatch)
			}
		})
	}
}

// TestKernelResults checks the answers the benchmarked plans give at
// batch sizes straddling a 1024-row boundary, against the same plan run
// as one batch.
func TestKernelResults(t *testing.T) {
	for _, k := range kernelPlans() {
		t.Run(k.name, func(t *testing.T) {
			const rows = 5000
			types, whole := k.data(rows, rows)
			want := collect(t, k.build(types, whole))
			for _, per := range []int{1, 1023, 1024, 1025} {
				_, recs := k.data(rows, per)
				got := collect(t, k.build(types, recs))
				if !slices.Equal(printedRows(got, k.name != "Sort" && k.name != "TopN"), printedRows(want, k.name != "Sort" && k.name != "TopN")) {
					t.Fatalf("batches of %d rows: %d rows differ from one batch's %d", per, len(got), len(want))
				}
			}
		})
	}
}

// printedRows prints each of rows, in order or, for operators whose output
// order is unspecified, sorted.
func printedRows(rows [][]catalog.Datum, sorted bool) []string {
	keys := make([]string, len(rows))
	for i := range rows {
		keys[i] = fmtRows(rows[i : i+1])
	}
	if sorted {
		slices.Sort(keys)
	}
	return keys
}
