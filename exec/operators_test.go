package exec

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"slices"
	"sort"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

var (
	tInt  = catalog.TypeInt4
	tText = catalog.TypeText
	tI8   = catalog.TypeInt8
)

// sortRows orders rows by their printed form, for order-free comparison.
func sortRows(rows [][]catalog.Datum) [][]catalog.Datum {
	sort.SliceStable(rows, func(i, j int) bool { return fmtRows(rows[i:i+1]) < fmtRows(rows[j:j+1]) })
	return rows
}

func TestHashAggregateGroupsWithNulls(t *testing.T) {
	src := source([]catalog.Type{tText, tInt}, [][]catalog.Datum{
		{"a", int32(1)}, {nil, int32(2)}, {"b", nil}, {"a", int32(3)},
		{nil, int32(4)}, {"b", int32(5)}, {"a", int32(3)},
	})
	src.sel = true
	x := ColumnRef(1, tInt)
	agg := NewHashAggregate(src, []Expr{ColumnRef(0, tText)}, []Aggregate{
		{Func: AggCountStar, Type: tI8},
		{Func: AggCount, Arg: x, Type: tI8},
		{Func: AggSum, Arg: x, Type: tI8},
		{Func: AggCount, Arg: x, Distinct: true, Type: tI8},
		{Func: AggMin, Arg: x, Type: tInt},
		{Func: AggMax, Arg: ColumnRef(0, tText), Type: tText},
		{Func: AggAvg, Arg: x, Type: catalog.UnconstrainedNumeric(16)},
	})
	got := sortRows(collect(t, agg))
	want := [][]catalog.Datum{
		{nil, int64(2), int64(2), int64(6), int64(2), int32(2), nil, dec("3", 16)},
		{"a", int64(3), int64(3), int64(7), int64(2), int32(1), "a", dec("2.3333333333333333", 16)},
		{"b", int64(2), int64(1), int64(5), int64(1), int32(5), "b", dec("5", 16)},
	}
	assertRows(t, got, sortRows(want))
}

func TestHashAggregateEmptyInput(t *testing.T) {
	x := ColumnRef(0, tInt)
	aggs := []Aggregate{
		{Func: AggCountStar, Type: tI8},
		{Func: AggSum, Arg: x, Type: tI8},
		{Func: AggMax, Arg: x, Type: tInt},
		{Func: AggBoolAnd, Arg: must(Binary(OpGt, x, i4(0))), Type: catalog.TypeBool},
	}
	// No GROUP BY: exactly one row, count 0, the rest NULL.
	got := collect(t, NewHashAggregate(source([]catalog.Type{tInt}, nil), nil, aggs))
	assertRows(t, got, [][]catalog.Datum{{int64(0), nil, nil, nil}})
	// With GROUP BY: no rows.
	got = collect(t, NewHashAggregate(source([]catalog.Type{tInt}, nil), []Expr{x}, aggs))
	assertRows(t, got, nil)
}

func TestHashAggregateSums(t *testing.T) {
	n2 := catalog.NumericType(12, 2)
	src := source([]catalog.Type{tI8, n2, catalog.TypeFloat8}, [][]catalog.Datum{
		{int64(9223372036854775807), dec("1.10", 2), 1.5},
		{int64(9223372036854775807), dec("2.25", 2), 2.5},
		{nil, nil, nil},
	})
	got := collect(t, NewHashAggregate(src, nil, []Aggregate{
		{Func: AggSum, Arg: ColumnRef(0, tI8), Type: catalog.UnconstrainedNumeric(0)},
		{Func: AggSum, Arg: ColumnRef(1, n2), Type: catalog.UnconstrainedNumeric(2)},
		{Func: AggAvg, Arg: ColumnRef(1, n2), Type: catalog.UnconstrainedNumeric(16)},
		{Func: AggAvg, Arg: ColumnRef(2, catalog.TypeFloat8), Type: catalog.TypeFloat8},
		{Func: AggSum, Arg: ColumnRef(1, n2), Distinct: true, Type: catalog.UnconstrainedNumeric(2)},
	}))
	assertRows(t, got, [][]catalog.Datum{{
		dec("18446744073709551614", 0), dec("3.35", 2), dec("1.675", 16), 2.0, dec("3.35", 2),
	}})
	// sum(int4) into int8 overflows only past int8.
	big := source([]catalog.Type{tI8}, [][]catalog.Datum{{int64(1) << 62}, {int64(1) << 62}})
	_, err := Collect(checkedCtx(t), NewHashAggregate(big, nil, []Aggregate{{Func: AggSum, Arg: ColumnRef(0, tI8), Type: tI8}}))
	wantCode(t, err, pgerr.NumericValueOutOfRange)
}

func TestHashAggregateManyGroups(t *testing.T) {
	// Enough groups to force several table resizes and batches.
	var rows [][]catalog.Datum
	for i := 0; i < 20000; i++ {
		rows = append(rows, []catalog.Datum{int64(i % 7000), fmt.Sprintf("k%d", i%3)})
	}
	src := source([]catalog.Type{tI8, tText}, rows)
	src.per = 4096
	got := collect(t, NewHashAggregate(src, []Expr{ColumnRef(0, tI8), ColumnRef(1, tText)}, []Aggregate{{Func: AggCountStar, Type: tI8}}))
	// (i%7000, i%3) repeats with period 21000 > 20000: every pair unique
	// except none; count groups and total.
	total := int64(0)
	seen := map[string]bool{}
	for _, r := range got {
		total += r[2].(int64)
		k := fmt.Sprint(r[0], r[1])
		if seen[k] {
			t.Fatalf("duplicate group %s", k)
		}
		seen[k] = true
	}
	if total != 20000 || len(got) != 20000 {
		t.Fatalf("groups %d total %d", len(got), total)
	}
}

func joinInputs() (*rowsSource, *rowsSource) {
	left := source([]catalog.Type{tInt, tText}, [][]catalog.Datum{
		{int32(1), "l1"}, {int32(2), "l2"}, {nil, "lnull"}, {int32(3), "l3"}, {int32(2), "l2b"},
	})
	right := source([]catalog.Type{tInt, tText}, [][]catalog.Datum{
		{int32(2), "r2"}, {int32(2), "r2b"}, {int32(3), "r3"}, {nil, "rnull"}, {int32(4), "r4"},
	})
	left.sel = true
	return left, right
}

func TestHashJoinKinds(t *testing.T) {
	lk, rk := []Expr{ColumnRef(0, tInt)}, []Expr{ColumnRef(0, tInt)}
	cases := []struct {
		kind     JoinKind
		residual Expr
		want     [][]catalog.Datum
	}{
		{JoinInner, nil, [][]catalog.Datum{
			{int32(2), "l2", int32(2), "r2"}, {int32(2), "l2", int32(2), "r2b"},
			{int32(3), "l3", int32(3), "r3"},
			{int32(2), "l2b", int32(2), "r2"}, {int32(2), "l2b", int32(2), "r2b"},
		}},
		{JoinLeft, nil, [][]catalog.Datum{
			{int32(1), "l1", nil, nil},
			{int32(2), "l2", int32(2), "r2"}, {int32(2), "l2", int32(2), "r2b"},
			{nil, "lnull", nil, nil},
			{int32(3), "l3", int32(3), "r3"},
			{int32(2), "l2b", int32(2), "r2"}, {int32(2), "l2b", int32(2), "r2b"},
		}},
		{JoinSemi, nil, [][]catalog.Datum{{int32(2), "l2"}, {int32(3), "l3"}, {int32(2), "l2b"}}},
		{JoinAnti, nil, [][]catalog.Datum{{int32(1), "l1"}, {nil, "lnull"}}},
		// The right side has a NULL key: NOT IN is never true.
		{JoinAntiNullAware, nil, nil},
		// Residual: right name must not end in b.
		{JoinInner, must(Binary(OpNotLike, ColumnRef(3, tText), txt("%b"))), [][]catalog.Datum{
			{int32(2), "l2", int32(2), "r2"}, {int32(3), "l3", int32(3), "r3"}, {int32(2), "l2b", int32(2), "r2"},
		}},
		{JoinLeft, must(Binary(OpEq, ColumnRef(3, tText), txt("r3"))), [][]catalog.Datum{
			{int32(1), "l1", nil, nil}, {int32(2), "l2", nil, nil}, {nil, "lnull", nil, nil},
			{int32(3), "l3", int32(3), "r3"}, {int32(2), "l2b", nil, nil},
		}},
		{JoinSemi, must(Binary(OpEq, ColumnRef(3, tText), txt("r2b"))), [][]catalog.Datum{{int32(2), "l2"}, {int32(2), "l2b"}}},
		{JoinAnti, must(Binary(OpEq, ColumnRef(3, tText), txt("r2b"))), [][]catalog.Datum{{int32(1), "l1"}, {nil, "lnull"}, {int32(3), "l3"}}},
	}
	for i, c := range cases {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			left, right := joinInputs()
			got := collect(t, NewHashJoin(left, right, lk, rk, c.kind, c.residual, false))
			assertRows(t, sortRows(got), sortRows(c.want))
			if left.closed != 1 || right.closed != 1 {
				t.Fatalf("inputs closed %d/%d times", left.closed, right.closed)
			}
			// The nested-loop join with the equality as predicate agrees
			// (except NULL-aware anti, which needs keys).
			if c.kind == JoinAntiNullAware {
				return
			}
			left, right = joinInputs()
			pred := must(Binary(OpEq, ColumnRef(0, tInt), ColumnRef(2, tInt)))
			if c.residual != nil {
				pred = And(pred, c.residual)
			}
			got = collect(t, NewNestedLoopJoin(left, right, c.kind, pred))
			assertRows(t, sortRows(got), sortRows(c.want))
		})
	}
}

func TestAntiJoinNullAware(t *testing.T) {
	left := source([]catalog.Type{tInt}, [][]catalog.Datum{{int32(1)}, {nil}, {int32(2)}})
	right := source([]catalog.Type{tInt}, [][]catalog.Datum{{int32(2)}})
	k := []Expr{ColumnRef(0, tInt)}
	got := collect(t, NewHashJoin(left, right, k, k, JoinAntiNullAware, nil, false))
	// 1 NOT IN (2) is true; NULL NOT IN (2) is NULL.
	assertRows(t, got, [][]catalog.Datum{{int32(1)}})
	left.pos = 0
	empty := source([]catalog.Type{tInt}, nil)
	got = collect(t, NewHashJoin(left, empty, k, k, JoinAntiNullAware, nil, false))
	assertRows(t, got, [][]catalog.Datum{{int32(1)}, {nil}, {int32(2)}})
}

func TestHashJoinLargeFanOut(t *testing.T) {
	// 300 x 300 rows with one key: 90000 pairs, more than one batch.
	var l, r [][]catalog.Datum
	for i := 0; i < 300; i++ {
		l = append(l, []catalog.Datum{int32(7), int32(i)})
		r = append(r, []catalog.Datum{int32(7), int32(i)})
	}
	ls, rs := source([]catalog.Type{tInt, tInt}, l), source([]catalog.Type{tInt, tInt}, r)
	ls.per, rs.per = 100, 1000
	count := 0
	batches := 0
	err := Drain(checkedCtx(t), NewHashJoin(ls, rs, []Expr{ColumnRef(0, tInt)}, []Expr{ColumnRef(0, tInt)}, JoinInner, nil, false), func(b *Batch) error {
		count += b.NumRows()
		batches++
		if b.NumRows() > maxBatchRows {
			return errors.New("batch too large")
		}
		return nil
	})
	if err != nil || count != 90000 || batches < 2 {
		t.Fatalf("count %d batches %d err %v", count, batches, err)
	}
}

func TestCrossJoin(t *testing.T) {
	l := source([]catalog.Type{tInt}, [][]catalog.Datum{{int32(1)}, {int32(2)}})
	r := source([]catalog.Type{tText}, [][]catalog.Datum{{"a"}, {"b"}, {"c"}})
	got := collect(t, NewNestedLoopJoin(l, r, JoinInner, nil))
	if len(got) != 6 || got[0][0] != int32(1) || got[5][1] != "c" {
		t.Fatalf("got %v", fmtRows(got))
	}
}

func sortInput() *rowsSource {
	s := source([]catalog.Type{tInt, tText}, [][]catalog.Datum{
		{int32(3), "c"}, {nil, "n1"}, {int32(1), "a"}, {int32(3), "c2"}, {int32(-5), "m"}, {nil, "n2"}, {int32(1), "a2"},
	})
	s.sel = true
	return s
}

func TestSortNullsAndStability(t *testing.T) {
	k := ColumnRef(0, tInt)
	got := collect(t, NewSort(sortInput(), []SortKey{{Expr: k}}))
	assertRows(t, got, [][]catalog.Datum{
		{int32(-5), "m"}, {int32(1), "a"}, {int32(1), "a2"}, {int32(3), "c"}, {int32(3), "c2"}, {nil, "n1"}, {nil, "n2"},
	})
	got = collect(t, NewSort(sortInput(), []SortKey{{Expr: k, Desc: true, NullsFirst: true}}))
	assertRows(t, got, [][]catalog.Datum{
		{nil, "n1"}, {nil, "n2"}, {int32(3), "c"}, {int32(3), "c2"}, {int32(1), "a"}, {int32(1), "a2"}, {int32(-5), "m"},
	})
	got = collect(t, NewSort(sortInput(), []SortKey{{Expr: k, NullsFirst: true}, {Expr: ColumnRef(1, tText), Desc: true}}))
	assertRows(t, got, [][]catalog.Datum{
		{nil, "n2"}, {nil, "n1"}, {int32(-5), "m"}, {int32(1), "a2"}, {int32(1), "a"}, {int32(3), "c2"}, {int32(3), "c"},
	})
}

func TestSortKeyEncodingOrders(t *testing.T) {
	// Strings with prefixes and NUL bytes, floats with NaN and -0,
	// numerics, dates: the encoding must order like the comparators.
	check := func(ty catalog.Type, vals []catalog.Datum) {
		t.Helper()
		rows := make([][]catalog.Datum, len(vals))
		for i, v := range vals {
			rows[i] = []catalog.Datum{v}
		}
		for _, desc := range []bool{false, true} {
			got := collect(t, NewSort(source([]catalog.Type{ty}, rows), []SortKey{{Expr: ColumnRef(0, ty), Desc: desc, NullsFirst: desc}}))
			for i := 1; i < len(got); i++ {
				a, b := got[i-1][0], got[i][0]
				if a == nil || b == nil {
					continue
				}
				c := compareDatums(ty, a, b)
				if (!desc && c > 0) || (desc && c < 0) {
					t.Fatalf("%s desc=%v: %v before %v", ty, desc, a, b)
				}
			}
		}
	}
	check(tText, []catalog.Datum{"b", "a", "ab", "a\x00b", "", "a\x00", nil, "abc", "é"})
	check(catalog.TypeFloat8, []catalog.Datum{1.5, -2.0, 0.0, -0.0, nanF(), infF(-1), infF(1), 1e-300, -1e300})
	check(catalog.NumericType(20, 2), []catalog.Datum{dec("1.00", 2), dec("-1.50", 2), dec("0", 2), dec("123456789012345678.99", 2), dec("-123456789012345678.99", 2)})
	check(catalog.TypeDate, []catalog.Datum{int32(10), int32(-10), int32(0), nil})
	check(catalog.TypeInt2, []catalog.Datum{int16(-32768), int16(32767), int16(0), int16(-1)})
	check(catalog.BpcharType(3), []catalog.Datum{"a  ", "a", "ab ", " a "})
}

func TestTopNEqualsSortLimit(t *testing.T) {
	var rows [][]catalog.Datum
	for i := 0; i < 5000; i++ {
		v := catalog.Datum(int32((i * 7919) % 1000))
		if i%97 == 0 {
			v = nil
		}
		rows = append(rows, []catalog.Datum{v, int32(i)})
	}
	keys := []SortKey{{Expr: ColumnRef(0, tInt), Desc: true, NullsFirst: false}}
	for _, limit := range []int64{0, 1, 10, 333, 6000} {
		s1 := source([]catalog.Type{tInt, tInt}, rows)
		s1.per = 700
		s2 := source([]catalog.Type{tInt, tInt}, rows)
		s2.per = 700
		top := collect(t, NewTopN(s1, keys, limit))
		ref := collect(t, NewLimit(NewSort(s2, keys), limit, 0))
		assertRows(t, top, ref)
	}
}

func TestLimitOffset(t *testing.T) {
	var rows [][]catalog.Datum
	for i := 0; i < 10; i++ {
		rows = append(rows, []catalog.Datum{int32(i)})
	}
	src := source([]catalog.Type{tInt}, rows)
	src.sel = true
	got := collect(t, NewLimit(src, 3, 4))
	assertRows(t, got, [][]catalog.Datum{{int32(4)}, {int32(5)}, {int32(6)}})
	src.pos = 0
	got = collect(t, NewLimit(src, -1, 8))
	assertRows(t, got, [][]catalog.Datum{{int32(8)}, {int32(9)}})
	got = collect(t, NewLimit(src, 0, 0))
	assertRows(t, got, nil)
}

func TestDistinctAndUnion(t *testing.T) {
	a := source([]catalog.Type{tInt, tText}, [][]catalog.Datum{{int32(1), "x"}, {nil, nil}, {int32(1), "x"}, {int32(2), "y"}})
	b := source([]catalog.Type{tInt, tText}, [][]catalog.Datum{{nil, nil}, {int32(2), "y"}, {int32(3), "z"}})
	a.sel = true
	got := collect(t, NewUnion([]Operator{a, b}, false))
	assertRows(t, got, [][]catalog.Datum{{int32(1), "x"}, {nil, nil}, {int32(2), "y"}, {int32(3), "z"}})
	a.pos, b.pos = 0, 0
	got = collect(t, NewUnion([]Operator{a, b}, true))
	if len(got) != 7 {
		t.Fatalf("union all: %d rows", len(got))
	}
}

func TestCorrelatedSubquery(t *testing.T) {
	// SELECT x, (SELECT count(*) FROM inner WHERE inner.y = outer.x),
	//        EXISTS (SELECT 1 FROM inner WHERE y = x) FROM outer
	outer := source([]catalog.Type{tInt}, [][]catalog.Datum{{int32(1)}, {int32(2)}, {nil}, {int32(3)}})
	outer.sel = true
	inner := source([]catalog.Type{tInt}, [][]catalog.Datum{{int32(2)}, {int32(3)}, {int32(3)}, {nil}})
	innerPlan := func() Operator {
		return NewFilter(inner, must(Binary(OpEq, ColumnRef(0, tInt), OuterRef(0, 0, tInt))))
	}
	count := Subquery(SubqueryScalar, NewHashAggregate(innerPlan(), nil, []Aggregate{{Func: AggCountStar, Type: tI8}}),
		nil, OpEq, []Expr{ColumnRef(0, tInt)}, tI8, true)
	exists := Subquery(SubqueryExists, innerPlan(), nil, OpEq, []Expr{ColumnRef(0, tInt)}, catalog.TypeBool, false)
	got := collect(t, NewProject(outer, []Expr{ColumnRef(0, tInt), count, exists}))
	assertRows(t, got, [][]catalog.Datum{
		{int32(1), int64(0), false}, {int32(2), int64(1), true}, {nil, int64(0), false}, {int32(3), int64(2), true},
	})
	if inner.opened < 4 || inner.opened != inner.closed {
		t.Fatalf("inner opened %d closed %d", inner.opened, inner.closed)
	}
}

func TestSubqueryInAnyAll(t *testing.T) {
	probe := source([]catalog.Type{tInt}, [][]catalog.Datum{{int32(1)}, {int32(2)}, {nil}, {int32(5)}})
	probe.sel = true
	set := func(vals ...catalog.Datum) Operator {
		rows := make([][]catalog.Datum, len(vals))
		for i, v := range vals {
			rows[i] = []catalog.Datum{v}
		}
		return source([]catalog.Type{tInt}, rows)
	}
	x := ColumnRef(0, tInt)
	bt := catalog.TypeBool
	in := Subquery(SubqueryIn, set(int32(2), int32(3)), x, OpEq, nil, bt, false)
	inNull := Subquery(SubqueryIn, set(int32(2), nil), x, OpEq, nil, bt, false)
	inEmpty := Subquery(SubqueryIn, set(), x, OpEq, nil, bt, false)
	anyLt := Subquery(SubqueryAny, set(int32(2), int32(3)), x, OpLt, nil, bt, false)
	allLt := Subquery(SubqueryAll, set(int32(2), int32(3)), x, OpLt, nil, bt, false)
	allEmpty := Subquery(SubqueryAll, set(), x, OpLt, nil, bt, false)
	got := collect(t, NewProject(probe, []Expr{in, inNull, inEmpty, anyLt, allLt, allEmpty}))
	assertRows(t, got, [][]catalog.Datum{
		{false, nil, false, true, true, true},
		{true, true, false, true, false, true},
		{nil, nil, false, nil, nil, true},
		{false, nil, false, false, false, true},
	})
	// More than one row for a scalar subquery is 21000.
	probe.pos = 0
	sc := Subquery(SubqueryScalar, set(int32(1), int32(2)), nil, OpEq, nil, tInt, false)
	_, err := Collect(checkedCtx(t), NewProject(probe, []Expr{sc}))
	wantCode(t, err, pgerr.CardinalityViolation)
}

// recordSource serves prepared records.
type recordSource struct {
	recs []arrow.Record
	i    int
}

func (r *recordSource) Next() (arrow.Record, error) {
	if r.i >= len(r.recs) {
		return nil, nil
	}
	r.i++
	return r.recs[r.i-1], nil
}
func (r *recordSource) Close() {
	for _, rec := range r.recs {
		rec.Release()
	}
}

func TestScanIsZeroCopyAndCancels(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	b := array.NewInt32Builder(mem)
	b.AppendValues([]int32{1, 2, 3}, nil)
	col := b.NewArray()
	b.Release()
	schema := arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Int32}}, nil)
	rec := array.NewRecord(schema, []arrow.Array{col}, 3)
	col.Release()
	scan := NewScan([]catalog.Type{tInt}, func(*Context) (RecordSource, error) {
		rec.Retain()
		return &recordSource{recs: []arrow.Record{rec}}, nil
	})
	ctx := NewContext(context.Background())
	ctx.Mem = mem
	err := Drain(ctx, scan, func(bt *Batch) error {
		if bt.Cols[0] != rec.Column(0) {
			return errors.New("scan copied the column")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithCancel(context.Background())
	cancel()
	ctx2 := NewContext(cctx)
	ctx2.Mem = mem
	_, err = Collect(ctx2, NewFilter(scan, Literal(true, catalog.TypeBool)))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
	rec.Release()
}

func TestValuesAndCompact(t *testing.T) {
	v := NewValues([][]Expr{{i4(1), txt("a")}, {Literal(nil, tInt), txt("b")}}, []catalog.Type{tInt, tText})
	got := collect(t, v)
	assertRows(t, got, [][]catalog.Datum{{int32(1), "a"}, {nil, "b"}})
	ctx := checkedCtx(t)
	src := sortInput()
	var compacted [][]catalog.Datum
	err := Drain(ctx, src, func(b *Batch) error {
		c := Compact(ctx.Mem, b)
		defer c.Release()
		if c.Sel != nil || c.Len != b.NumRows() {
			return errors.New("not dense")
		}
		for i := 0; i < c.Len; i++ {
			compacted = append(compacted, []catalog.Datum{datumAt(c.Cols[0], tInt, i), datumAt(c.Cols[1], tText, i)})
		}
		return nil
	})
	if err != nil || len(compacted) != 7 || compacted[0][1] != "c" {
		t.Fatalf("got %v %v", fmtRows(compacted), err)
	}
}

func TestLogicTruthTables(t *testing.T) {
	vals := []catalog.Datum{true, false, nil}
	var rows [][]catalog.Datum
	for _, a := range vals {
		for _, b := range vals {
			rows = append(rows, []catalog.Datum{a, b})
		}
	}
	bt := catalog.TypeBool
	a, b := ColumnRef(0, bt), ColumnRef(1, bt)
	src := source([]catalog.Type{bt, bt}, rows)
	src.sel = true
	got := collect(t, NewProject(src, []Expr{And(a, b), Or(a, b), Not(a), IsNull(a), IsNotNull(b), IsDistinctFrom(a, b, false), IsDistinctFrom(a, b, true)}))
	T, F := true, false
	want := [][]catalog.Datum{
		{T, T, F, F, T, F, T}, {F, T, F, F, T, T, F}, {nil, T, F, F, F, T, F},
		{F, T, T, F, T, T, F}, {F, F, T, F, T, F, T}, {F, nil, T, F, F, T, F},
		{nil, T, nil, T, T, T, F}, {F, nil, nil, T, T, T, F}, {nil, nil, nil, T, F, F, T},
	}
	assertRows(t, got, want)
}

func TestInListAndCoalesce(t *testing.T) {
	src := source([]catalog.Type{tInt}, [][]catalog.Datum{{int32(1)}, {int32(5)}, {nil}})
	src.sel = true
	x := ColumnRef(0, tInt)
	got := collect(t, NewProject(src, []Expr{
		InList(x, []Expr{i4(1), i4(2)}, false),
		InList(x, []Expr{i4(1), Literal(nil, tInt)}, true),
		Coalesce([]Expr{x, i4(9)}, tInt),
		must(NullIf(x, i4(5))),
	}))
	assertRows(t, got, [][]catalog.Datum{
		{true, false, int32(1), int32(1)},
		{false, nil, int32(5), nil},
		{nil, nil, int32(9), nil},
	})
}

func TestCompareKernels(t *testing.T) {
	bp := catalog.BpcharType(4)
	src := source([]catalog.Type{tText, tText, bp, catalog.TypeFloat8}, [][]catalog.Datum{
		{"abc", "abd", "ab  ", nanF()},
		{"b", "abc", "ab", 1.0},
		{"x", nil, "zz", 2.0},
	})
	src.sel = true
	a, b := ColumnRef(0, tText), ColumnRef(1, tText)
	f := ColumnRef(3, catalog.TypeFloat8)
	got := collect(t, NewProject(src, []Expr{
		must(Binary(OpLt, a, b)),
		must(Binary(OpEq, ColumnRef(2, bp), Literal("ab", bp))),
		must(Binary(OpGt, f, f8(1e308))),
		must(Binary(OpEq, f, Literal(nanF(), catalog.TypeFloat8))),
		must(Binary(OpLike, a, txt("a_c"))),
		must(Binary(OpILike, a, txt("A%"))),
		must(Binary(OpConcat, a, b)),
	}))
	assertRows(t, got, [][]catalog.Datum{
		{true, true, true, true, true, true, "abcabd"},
		{false, true, false, false, false, false, "babc"},
		{nil, false, false, false, false, false, nil},
	})
	// A pattern ending in its escape character fails when matching
	// reaches the escape with text left, as in PostgreSQL.
	_, err := evalConst(t, must(Binary(OpLike, txt("abc"), txt(`ab\`))))
	wantCode(t, err, pgerr.InvalidEscapeSequence)
	if got, err := evalConst(t, must(Binary(OpLike, txt("ab"), txt(`ab\`)))); err != nil || got != "false" {
		t.Errorf("'ab' LIKE 'ab\\': %s, %v, want false", got, err)
	}
	_, err = Binary(OpLt, a, i4(1))
	wantCode(t, err, pgerr.UndefinedFunction)
}

func TestLikePatterns(t *testing.T) {
	cases := []struct {
		s, p string
		want bool
	}{
		{"hello", "h%o", true}, {"hello", "h_llo", true}, {"hello", "%ll%", true}, {"hello", "%x%", false},
		{"héllo", "h_llo", true}, {"a%b", `a\%b`, true}, {"axb", `a\%b`, false}, {"", "%", true},
		{"abcabc", "%abc", true}, {"ab", "a_%_", false}, {"mississippi", "%iss%ipp%", true},
		{"PROMO BRUSHED", "PROMO%", true}, {"x special y requests", "%special%requests%", true},
	}
	for _, c := range cases {
		p, err := compileLike(c.p, false)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := p.match([]byte(c.s)); err != nil || got != c.want {
			t.Errorf("%q LIKE %q = %v", c.s, c.p, got)
		}
	}
	if !slices.Equal(appendLower(nil, []byte("ÀB")), []byte("àb")) {
		t.Fatal("lower")
	}
}

func TestSetOps(t *testing.T) {
	mk := func(vals ...catalog.Datum) *rowsSource {
		rows := make([][]catalog.Datum, len(vals))
		for i, v := range vals {
			rows[i] = []catalog.Datum{v}
		}
		return source([]catalog.Type{tInt}, rows)
	}
	l := func() *rowsSource { return mk(int32(1), int32(1), int32(1), int32(2), nil, nil, int32(3)) }
	r := func() *rowsSource { return mk(int32(1), int32(1), nil, int32(4)) }
	cases := []struct {
		kind SetOpKind
		all  bool
		want []catalog.Datum
	}{
		{SetIntersect, false, []catalog.Datum{int32(1), nil}},
		{SetIntersect, true, []catalog.Datum{int32(1), int32(1), nil}},
		{SetExcept, false, []catalog.Datum{int32(2), int32(3)}},
		{SetExcept, true, []catalog.Datum{int32(1), int32(2), nil, int32(3)}},
	}
	for _, c := range cases {
		// The second and third runs re-open the same operator, as a
		// correlated subquery does for each outer row: each run starts
		// from nothing, not from the counts and flags the last one left.
		op := NewSetOp(c.kind, l(), r(), c.all)
		for run := 0; run < 3; run++ {
			got := collect(t, op)
			var flat []catalog.Datum
			for _, row := range got {
				flat = append(flat, row[0])
			}
			if fmtRows([][]catalog.Datum{flat}) != fmtRows([][]catalog.Datum{c.want}) {
				t.Errorf("kind %d all %v run %d: got %v want %v", c.kind, c.all, run, flat, c.want)
			}
		}
	}
}

// TestGrowToZeroes: slices truncated to [:0] and grown again hand out
// zeroes, not what the capacity held from before.
func TestGrowToZeroes(t *testing.T) {
	s := growTo([]int64(nil), 5)
	for i := range s {
		s[i] = int64(i + 1)
	}
	s = growTo(s[:2], 5)
	if s[0] != 1 || s[1] != 2 || s[2] != 0 || s[3] != 0 || s[4] != 0 {
		t.Fatalf("got %v", s)
	}
}

func TestInListNonConstant(t *testing.T) {
	src := source([]catalog.Type{tInt, tInt}, [][]catalog.Datum{{int32(1), int32(1)}, {int32(2), nil}, {int32(3), int32(4)}})
	x, y := ColumnRef(0, tInt), ColumnRef(1, tInt)
	got := collect(t, NewProject(src, []Expr{InList(x, []Expr{y, i4(3)}, false), InList(x, []Expr{y}, true)}))
	assertRows(t, got, [][]catalog.Datum{{true, false}, {nil, nil}, {true, true}})
}

func TestVarlenBuilderGrowsPastHint(t *testing.T) {
	ctx := checkedCtx(t)
	b := newVarlenBuilder(ctx.Mem, 2, 0)
	var want []catalog.Datum
	for i := 0; i < 1000; i++ {
		if i%7 == 3 {
			b.appendNull()
			want = append(want, nil)
			continue
		}
		s := fmt.Sprintf("value-%d", i)
		b.appendString(s)
		want = append(want, s)
	}
	a := b.finish(tText)
	defer a.Release()
	for i, w := range want {
		if got := datumAt(a, tText, i); got != w {
			t.Fatalf("row %d: got %v want %v", i, got, w)
		}
	}
}

func TestScanDecodesDictionaries(t *testing.T) {
	ctx := checkedCtx(t)
	mem := ctx.Mem
	dt := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	bld := array.NewDictionaryBuilder(mem, dt).(*array.BinaryDictionaryBuilder)
	for _, s := range []string{"x", "y", "x"} {
		if err := bld.AppendString(s); err != nil {
			t.Fatal(err)
		}
	}
	bld.AppendNull()
	col := bld.NewArray()
	bld.Release()
	schema := arrow.NewSchema([]arrow.Field{{Name: "s", Type: dt, Nullable: true}}, nil)
	rec := array.NewRecord(schema, []arrow.Array{col}, 4)
	col.Release()
	scan := NewScan([]catalog.Type{tText}, func(*Context) (RecordSource, error) { return &recordSource{recs: []arrow.Record{rec}}, nil })
	rows, err := Collect(ctx, scan)
	if err != nil {
		t.Fatal(err)
	}
	assertRows(t, rows, [][]catalog.Datum{{"x"}, {"y"}, {"x"}, {nil}})
	bad := NewScan([]catalog.Type{tInt}, func(*Context) (RecordSource, error) {
		b := array.NewInt64Builder(mem)
		b.Append(1)
		c := b.NewArray()
		b.Release()
		r := array.NewRecord(arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Int64}}, nil), []arrow.Array{c}, 1)
		c.Release()
		return &recordSource{recs: []arrow.Record{r}}, nil
	})
	_, err = Collect(ctx, bad)
	wantCode(t, err, pgerr.InternalError)
}

// TestHashAggregateRandomized compares grouped sums and counts with a
// straightforward map-based computation over random data with NULLs.
func TestHashAggregateRandomized(t *testing.T) {
	rng := rand.New(rand.NewSource(9))
	type key struct {
		a    string
		b    int64
		aNil bool
		bNil bool
	}
	type acc struct{ count, nonNull, sum int64 }
	want := map[key]*acc{}
	var rows [][]catalog.Datum
	for i := 0; i < 30000; i++ {
		var a, b, v catalog.Datum
		k := key{}
		if rng.Intn(10) == 0 {
			k.aNil = true
		} else {
			k.a = fmt.Sprintf("g%d", rng.Intn(50))
			a = k.a
		}
		if rng.Intn(10) == 0 {
			k.bNil = true
		} else {
			k.b = int64(rng.Intn(20))
			b = k.b
		}
		if rng.Intn(5) != 0 {
			v = int32(rng.Intn(1000) - 500)
		}
		rows = append(rows, []catalog.Datum{a, b, v})
		w := want[k]
		if w == nil {
			w = &acc{}
			want[k] = w
		}
		w.count++
		if v != nil {
			w.nonNull++
			w.sum += int64(v.(int32))
		}
	}
	src := source([]catalog.Type{tText, tI8, tInt}, rows)
	src.per = 1000
	src.sel = true
	got := collect(t, NewHashAggregate(src, []Expr{ColumnRef(0, tText), ColumnRef(1, tI8)}, []Aggregate{
		{Func: AggCountStar, Type: tI8},
		{Func: AggCount, Arg: ColumnRef(2, tInt), Type: tI8},
		{Func: AggSum, Arg: ColumnRef(2, tInt), Type: tI8},
	}))
	if len(got) != len(want) {
		t.Fatalf("%d groups, want %d", len(got), len(want))
	}
	for _, r := range got {
		k := key{aNil: r[0] == nil, bNil: r[1] == nil}
		if !k.aNil {
			k.a = r[0].(string)
		}
		if !k.bNil {
			k.b = r[1].(int64)
		}
		w := want[k]
		if w == nil {
			t.Fatalf("unexpected group %v", r)
		}
		var sum catalog.Datum
		if w.nonNull > 0 {
			sum = w.sum
		}
		if r[2] != w.count || r[3] != w.nonNull || r[4] != sum {
			t.Fatalf("group %v: got %v", k, r)
		}
	}
}

func TestScanSlicesLargeRecords(t *testing.T) {
	ctx := checkedCtx(t)
	b := array.NewInt64Builder(ctx.Mem)
	n := 3*maxBatchRows + 5
	for i := 0; i < n; i++ {
		b.Append(int64(i))
	}
	col := b.NewArray()
	b.Release()
	rec := array.NewRecord(arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Int64}}, nil), []arrow.Array{col}, int64(n))
	col.Release()
	scan := NewScan([]catalog.Type{tI8}, func(*Context) (RecordSource, error) { return &recordSource{recs: []arrow.Record{rec}}, nil })
	total, batches := int64(0), 0
	err := Drain(ctx, NewFilter(scan, must(Binary(OpGe, ColumnRef(0, tI8), Literal(int64(0), tI8)))), func(bt *Batch) error {
		if bt.Len > maxBatchRows {
			return errors.New("batch too large")
		}
		for _, i := range rowsOf(bt) {
			total += fixedValues[int64](bt.Cols[0])[i]
		}
		batches++
		return nil
	})
	if err != nil || batches != 4 || total != int64(n)*int64(n-1)/2 {
		t.Fatalf("batches %d total %d err %v", batches, total, err)
	}
}
