package exec

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/internal/cputime"
)

// rightForms are the build-preserving kinds and the kinds they equal
// with the inputs swapped.
var rightForms = []struct {
	name         string
	kind, mirror JoinKind
}{
	{"right", JoinRight, JoinLeft},
	{"right semi", JoinRightSemi, JoinSemi},
	{"right anti", JoinRightAnti, JoinAnti},
}

// textLess is probe.text < build.text over a joined row whose build
// columns start at build: true, false, or NULL when either text is NULL
// (spillRows has some).
func textLess(probe, build int) Expr {
	return must(Binary(OpLt, ColumnRef(probe+1, tText), ColumnRef(build+1, tText)))
}

// TestHashRightJoinsMatchSwappedJoins checks each right kind against the
// left kind it mirrors, run with the inputs swapped: keys with NULLs and
// duplicates on both sides, residuals true, false and NULL, empty sides,
// sizes straddling a batch of 1024 rows and batches of one row, in memory
// and partitioned to disk.
func TestHashRightJoinsMatchSwappedJoins(t *testing.T) {
	keys := []Expr{ColumnRef(0, tInt)}
	type size struct{ probe, build, batch int }
	sizes := []size{{0, 0, 1024}, {5, 0, 1024}, {0, 5, 1024}, {1, 1, 1024}, {7, 9, 1}, {40, 30, 1},
		{1023, 1024, 1024}, {1024, 1023, 1024}, {1025, 1025, 1024}, {3000, 1025, 1024}}
	n := len(spillTypes)
	for _, sz := range sizes {
		for _, skew := range []bool{false, true} {
			for _, f := range rightForms {
				for _, withResidual := range []bool{false, true} {
					t.Run(fmt.Sprintf("%dx%d/b%d/%v/%s/%v", sz.probe, sz.build, sz.batch, skew, f.name, withResidual), func(t *testing.T) {
						probe, build := spillRows(sz.probe, skew), spillRows(sz.build, !skew)
						// Shift the build keys so that some keys match
						// nothing on either side.
						for _, r := range build {
							if k, ok := r[0].(int32); ok {
								r[0] = k + 10
							}
						}
						var res, mirrorRes Expr
						if withResidual {
							res, mirrorRes = textLess(0, n), textLess(n, 0)
						}
						src := func(rows [][]catalog.Datum, sel bool) *rowsSource {
							s := spillSource(rows, sel)
							s.per = sz.batch
							return s
						}
						ctx := func(workMem int64) *Context {
							c := spillCtx(t, workMem)
							c.BatchRows = sz.batch
							return c
						}
						want := runSpilled(t, ctx(0), NewHashJoin(src(build, false), src(probe, false), keys, keys, f.mirror, mirrorRes, false))
						if f.kind == JoinRight {
							// The mirror emits build ++ probe.
							for i, r := range want {
								want[i] = append(append([]catalog.Datum{}, r[n:]...), r[:n]...)
							}
						}
						want = sortRows(want)
						got := runSpilled(t, ctx(0), NewHashJoin(src(probe, true), src(build, false), keys, keys, f.kind, res, false))
						if !reflect.DeepEqual(sortRows(got), want) {
							t.Fatalf("differs: %d rows, want %d\n got: %v\nwant: %v", len(got), len(want), fmtRows(got[:min(len(got), 8)]), fmtRows(want[:min(len(want), 8)]))
						}
						if sz.batch == 1 {
							return
						}
						op := NewHashJoin(src(probe, true), src(build, false), keys, keys, f.kind, res, false)
						got = runSpilled(t, ctx(4<<10), op)
						if !reflect.DeepEqual(sortRows(got), want) {
							t.Fatalf("grace join differs: %d rows, want %d\n got: %v\nwant: %v", len(got), len(want), fmtRows(got[:min(len(got), 8)]), fmtRows(want[:min(len(want), 8)]))
						}
						if r := op.(*hashJoinOp).MemoryReport(); sz.build >= 1000 && (!r.Spilled || r.Batches < spillPartitions) {
							t.Fatalf("report %+v", r)
						}
					})
				}
			}
		}
	}
}

// TestHashRightJoinRows spells out what each right kind emits.
func TestHashRightJoinRows(t *testing.T) {
	types := []catalog.Type{tInt, tText}
	// The build (the preserved side): keys with a duplicate, a NULL key
	// and a key no probe row has.
	build := func() Operator {
		return source(types, [][]catalog.Datum{{int32(1), "m"}, {int32(2), "m"}, {int32(2), nil}, {nil, "m"}, {int32(4), "m"}})
	}
	probe := func() Operator {
		return source(types, [][]catalog.Datum{{int32(2), "a"}, {int32(1), "z"}, {nil, "a"}, {int32(2), "b"}, {int32(3), "a"}})
	}
	keys := []Expr{ColumnRef(0, tInt)}
	// probe.text < build.text: NULL for the build row (2, NULL).
	res := textLess(0, 2)
	cases := []struct {
		name     string
		kind     JoinKind
		residual Expr
		want     [][]catalog.Datum
	}{
		{"right", JoinRight, nil, [][]catalog.Datum{
			{int32(2), "a", int32(2), "m"}, {int32(2), "a", int32(2), nil},
			{int32(1), "z", int32(1), "m"},
			{int32(2), "b", int32(2), "m"}, {int32(2), "b", int32(2), nil},
			{nil, nil, nil, "m"}, {nil, nil, int32(4), "m"},
		}},
		{"right residual", JoinRight, res, [][]catalog.Datum{
			{int32(2), "a", int32(2), "m"}, {int32(2), "b", int32(2), "m"},
			{nil, nil, int32(1), "m"}, {nil, nil, int32(2), nil}, {nil, nil, nil, "m"}, {nil, nil, int32(4), "m"},
		}},
		{"right semi", JoinRightSemi, nil, [][]catalog.Datum{{int32(1), "m"}, {int32(2), "m"}, {int32(2), nil}}},
		{"right semi residual", JoinRightSemi, res, [][]catalog.Datum{{int32(2), "m"}}},
		{"right anti", JoinRightAnti, nil, [][]catalog.Datum{{nil, "m"}, {int32(4), "m"}}},
		{"right anti residual", JoinRightAnti, res, [][]catalog.Datum{{int32(1), "m"}, {int32(2), nil}, {nil, "m"}, {int32(4), "m"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := collect(t, NewHashJoin(probe(), build(), keys, keys, c.kind, c.residual, false))
			assertRows(t, got, c.want)
		})
	}
}

// TestHashRightJoinStopsProbing checks that a right semi or anti join
// stops reading its probe side once every build row has matched, and
// that an empty build reads none of it.
func TestHashRightJoinStopsProbing(t *testing.T) {
	types := []catalog.Type{tInt}
	keys := []Expr{ColumnRef(0, tInt)}
	var probeRows [][]catalog.Datum
	for i := range 100 {
		probeRows = append(probeRows, []catalog.Datum{int32(i % 5)})
	}
	for _, kind := range []JoinKind{JoinRightSemi, JoinRightAnti, JoinRight} {
		for _, build := range [][][]catalog.Datum{{{int32(1)}, {int32(2)}, {int32(1)}}, nil} {
			probe := source(types, probeRows)
			got := collect(t, NewHashJoin(probe, source(types, build), keys, keys, kind, nil, false))
			switch {
			case len(build) == 0 && (probe.pos != 0 || len(got) != 0):
				t.Errorf("kind %d: empty build read %d probe rows, emitted %d", kind, probe.pos, len(got))
			case len(build) > 0 && kind != JoinRight && probe.pos > 3*probe.per:
				t.Errorf("kind %d: read %d probe rows after every build row matched", kind, probe.pos)
			case len(build) > 0 && kind == JoinRight && probe.pos != len(probeRows):
				t.Errorf("right join read %d probe rows of %d", probe.pos, len(probeRows))
			}
		}
	}
}

// BenchmarkHashJoinPreservedSide joins a preserved side of 16k rows with
// another of 1M rows (16 rows per preserved key, half the preserved keys
// matching) as the planner used to, hashing the big side, and as it does
// now, hashing the preserved one: semi and left joins, and a semi join
// with a residual (Q21's l2.l_suppkey <> l1.l_suppkey).
func BenchmarkHashJoinPreservedSide(b *testing.B) {
	const bigRows, smallRows = 1 << 20, 1 << 14
	mk := func(n, mod, scale int) []arrow.Record {
		schema := arrow.NewSchema([]arrow.Field{{Name: "k", Type: arrow.PrimitiveTypes.Int64}, {Name: "v", Type: arrow.PrimitiveTypes.Int64}}, nil)
		var recs []arrow.Record
		for done := 0; done < n; done += 1 << 16 {
			m := min(1<<16, n-done)
			rb := array.NewRecordBuilder(memory.NewGoAllocator(), schema)
			for i := 0; i < m; i++ {
				rb.Field(0).(*array.Int64Builder).Append(int64((done+i)%mod) * int64(scale))
				rb.Field(1).(*array.Int64Builder).Append(int64(i % 7))
			}
			recs = append(recs, rb.NewRecord())
			rb.Release()
		}
		return recs
	}
	small, big := mk(smallRows, smallRows/16, 2), mk(bigRows, smallRows/16, 1)
	types := []catalog.Type{catalog.TypeInt8, catalog.TypeInt8}
	scan := func(recs []arrow.Record) Operator {
		return NewScan(types, func(*Context) (RecordSource, error) { return &sliceSource{recs: recs}, nil })
	}
	key := []Expr{ColumnRef(0, catalog.TypeInt8)}
	vNe := func(a, c int) Expr {
		return must(Binary(OpNe, ColumnRef(a, catalog.TypeInt8), ColumnRef(c, catalog.TypeInt8)))
	}
	cases := []struct {
		name string
		join func() Operator
	}{
		{"semi/build-big", func() Operator { return NewHashJoin(scan(small), scan(big), key, key, JoinSemi, nil, false) }},
		{"semi/build-small", func() Operator { return NewHashJoin(scan(big), scan(small), key, key, JoinRightSemi, nil, false) }},
		{"semi-residual/build-big", func() Operator {
			return NewHashJoin(scan(small), scan(big), key, key, JoinSemi, vNe(1, 3), false)
		}},
		{"semi-residual/build-small", func() Operator {
			return NewHashJoin(scan(big), scan(small), key, key, JoinRightSemi, vNe(3, 1), false)
		}},
		{"left/build-big", func() Operator { return NewHashJoin(scan(small), scan(big), key, key, JoinLeft, nil, false) }},
		{"left/build-small", func() Operator { return NewHashJoin(scan(big), scan(small), key, key, JoinRight, nil, false) }},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			ctx := NewContext(context.Background())
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := cputime.Process()
			for i := 0; i < b.N; i++ {
				if err := Drain(ctx, c.join(), func(*Batch) error { return nil }); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(cputime.Process()-cpu0)/float64(b.N)/bigRows, "cpu-ns/big-row")
		})
	}
}
