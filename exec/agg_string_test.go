package exec

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
)

// select g, string_agg(s, dl order by id), string_agg(s::bytea, dl::bytea order by id) from d group by g
func TestStringAgg(t *testing.T) {
	want := pgLines(`
1|ac+e,b|\x61632b652c62
2|b,d,a|\x622c642c61
3|NULL|NULL`)
	bytea := catalog.TypeBytea
	aggs := func() []Aggregate {
		return []Aggregate{
			{Func: AggStringAgg, Arg: aggCol(colS), Arg2: aggCol(colDl), Type: tText},
			{Func: AggStringAgg, Arg: must(Cast(aggCol(colS), bytea)), Arg2: must(Cast(aggCol(colDl), bytea)), Type: bytea},
		}
	}
	for _, per := range []int{1, 2, 3, 100} {
		assertLines(t, "string_agg", runAggs(t, per, aggs()), want)
	}
}

// string_agg is not splittable (partitions are claimed in no fixed
// order), but its states merge as PostgreSQL 16's string_agg_combine
// does: concatenated, each keeping the delimiter in front of its first
// value.
func TestStringAggMerge(t *testing.T) {
	mk := func(vals, delims []catalog.Datum) aggState {
		ctx := checkedCtx(t)
		st, err := newAggState(Aggregate{Func: AggStringAgg, Arg: ColumnRef(0, tText), Arg2: ColumnRef(1, tText), Type: tText}, nil)
		if err != nil {
			t.Fatal(err)
		}
		st.grow(1)
		v, _ := datumsToArray(ctx.Mem, tText, vals)
		d, _ := datumsToArray(ctx.Mem, tText, delims)
		defer v.Release()
		defer d.Release()
		if err := st.update([]arrow.Array{v, d}, identitySel(len(vals)), make([]int32, len(vals))); err != nil {
			t.Fatal(err)
		}
		return st
	}
	a := mk([]catalog.Datum{"a", nil, "b"}, []catalog.Datum{",", ",", ";"})
	b := mk([]catalog.Datum{"c", "d"}, []catalog.Datum{"+", nil})
	if err := a.merge(b, []int32{0}); err != nil {
		t.Fatal(err)
	}
	ctx := checkedCtx(t)
	res, err := a.finish(ctx.Mem)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	if got := datumAt(res, tText, 0); got != "a;b+cd" {
		t.Errorf("merged string_agg: %v", got)
	}
}

// select id, string_agg(s, dl) over (partition by g order by x) from d
func TestStringAggWindow(t *testing.T) {
	src := source(aggTestTypes, aggTestRows(t))
	src.sel = true
	win := NewWindow(src, []Expr{aggCol(colG)}, []SortKey{{Expr: aggCol(colX)}}, []WindowExpr{
		{Func: WinAggregate, Agg: AggStringAgg, Args: []Expr{aggCol(colS), aggCol(colDl)}, Type: tText},
	})
	got := map[int32]catalog.Datum{}
	for _, r := range collect(t, win) {
		got[r[colID].(int32)] = r[len(aggTestTypes)]
	}
	want := map[int32]catalog.Datum{1: "b,a+e", 2: "b", 3: "b,a+ec", 4: "b,a+ec", 5: "b,a,d", 6: nil, 7: "b,a+e", 8: "b,a", 9: "b"}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("id %d: got %v, want %v", id, got[id], w)
		}
	}
}
