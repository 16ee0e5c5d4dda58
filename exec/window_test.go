package exec

import (
	"testing"

	"github.com/pqdb/pqdb/catalog"
)

// Expected rows from PostgreSQL 15:
//
//	with t(g, x, v) as (values ('a',1,10),('a',2,20),('a',2,30),('a',3,null),
//	  ('b',5,7),('b',null,8),(null,1,1))
//	select g, x, v, row_number() over w, rank() over w, dense_rank() over w,
//	  sum(v) over w, count(*) over w, count(v) over w, avg(v) over w,
//	  min(v) over w, max(v) over (partition by g), lag(v) over w,
//	  lead(v, 2, -1) over w, first_value(v) over w
//	from t window w as (partition by g order by x)
func TestWindowFunctions(t *testing.T) {
	src := source([]catalog.Type{tText, tInt, tInt}, [][]catalog.Datum{
		{"b", int32(5), int32(7)}, {"a", int32(1), int32(10)}, {nil, int32(1), int32(1)}, {"a", int32(2), int32(20)},
		{"b", nil, int32(8)}, {"a", int32(2), int32(30)}, {"a", int32(3), nil},
	})
	src.sel = true
	g, x, v := ColumnRef(0, tText), ColumnRef(1, tInt), ColumnRef(2, tInt)
	n16 := catalog.UnconstrainedNumeric(16)
	win := NewWindow(src, []Expr{g}, []SortKey{{Expr: x}}, []WindowExpr{
		{Func: WinRowNumber, Type: tI8},
		{Func: WinRank, Type: tI8},
		{Func: WinDenseRank, Type: tI8},
		{Func: WinAggregate, Agg: AggSum, Args: []Expr{v}, Type: tI8},
		{Func: WinAggregate, Agg: AggCountStar, Type: tI8},
		{Func: WinAggregate, Agg: AggCount, Args: []Expr{v}, Type: tI8},
		{Func: WinAggregate, Agg: AggAvg, Args: []Expr{v}, Type: n16},
		{Func: WinAggregate, Agg: AggMin, Args: []Expr{v}, Type: tInt},
		{Func: WinAggregate, Agg: AggMax, Args: []Expr{v}, Type: tInt, Frame: WholePartitionFrame},
		{Func: WinLag, Args: []Expr{v}, Type: tInt},
		{Func: WinLead, Args: []Expr{v, i4(2), i4(-1)}, Type: tInt},
		{Func: WinFirstValue, Args: []Expr{v}, Type: tInt},
	})
	got := collect(t, win)
	d := func(s string) catalog.Datum { return dec(s, 16) }
	want := [][]catalog.Datum{
		{"a", int32(1), int32(10), int64(1), int64(1), int64(1), int64(10), int64(1), int64(1), d("10"), int32(10), int32(30), nil, int32(30), int32(10)},
		{"a", int32(2), int32(20), int64(2), int64(2), int64(2), int64(60), int64(3), int64(3), d("20"), int32(10), int32(30), int32(10), nil, int32(10)},
		{"a", int32(2), int32(30), int64(3), int64(2), int64(2), int64(60), int64(3), int64(3), d("20"), int32(10), int32(30), int32(20), int32(-1), int32(10)},
		{"a", int32(3), nil, int64(4), int64(4), int64(3), int64(60), int64(4), int64(3), d("20"), int32(10), int32(30), int32(30), int32(-1), int32(10)},
		{"b", int32(5), int32(7), int64(1), int64(1), int64(1), int64(7), int64(1), int64(1), d("7"), int32(7), int32(8), nil, int32(-1), int32(7)},
		{"b", nil, int32(8), int64(2), int64(2), int64(2), int64(15), int64(2), int64(2), d("7.5"), int32(7), int32(8), int32(7), int32(-1), int32(7)},
		{nil, int32(1), int32(1), int64(1), int64(1), int64(1), int64(1), int64(1), int64(1), d("1"), int32(1), int32(1), nil, int32(-1), int32(1)},
	}
	assertRows(t, got, want)
}

func TestWindowWithoutPartitionOrOrder(t *testing.T) {
	src := source([]catalog.Type{tInt}, [][]catalog.Datum{{int32(3)}, {int32(1)}, {int32(2)}})
	got := collect(t, NewWindow(src, nil, nil, []WindowExpr{
		{Func: WinAggregate, Agg: AggSum, Args: []Expr{ColumnRef(0, tInt)}, Type: tI8},
		{Func: WinRowNumber, Type: tI8},
	}))
	assertRows(t, got, [][]catalog.Datum{{int32(3), int64(6), int64(1)}, {int32(1), int64(6), int64(2)}, {int32(2), int64(6), int64(3)}})
	empty := collect(t, NewWindow(source([]catalog.Type{tInt}, nil), nil, nil, []WindowExpr{{Func: WinRowNumber, Type: tI8}}))
	assertRows(t, empty, nil)
}
