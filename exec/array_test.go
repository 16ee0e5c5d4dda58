package exec

import (
	"testing"

	"github.com/pqdb/pqdb/catalog"
)

var intArr = catalog.ArrayOf(catalog.TypeInt4)

func arr(vals ...catalog.Datum) catalog.ArrayValue { return append(catalog.ArrayValue{}, vals...) }

// arrayRows are the inputs of the kernel tests; the source puts a NULL
// junk row before each batch and selects around it.
var arrayRows = [][]catalog.Datum{
	{arr(int32(1), int32(2), int32(3))},
	{arr()},
	{nil},
	{arr(int32(4), nil)},
	{arr(int32(2), int32(1))},
}

func TestArrayKernels(t *testing.T) {
	col := ColumnRef(0, intArr)
	cases := []struct {
		name string
		e    Expr
		want []catalog.Datum
	}{
		{"subscript", must(Func("pqdb_array_subscript", []Expr{col, Literal(int32(2), catalog.TypeInt4)})),
			[]catalog.Datum{int32(2), nil, nil, nil, int32(1)}},
		{"slice", must(Func("pqdb_array_slice", []Expr{col, Literal(int32(2), catalog.TypeInt4), Literal(int32(9), catalog.TypeInt4)})),
			[]catalog.Datum{arr(int32(2), int32(3)), arr(), nil, arr(nil), arr(int32(1))}},
		{"cardinality", must(Func("cardinality", []Expr{col})),
			[]catalog.Datum{int32(3), int32(0), nil, int32(2), int32(2)}},
		{"append", must(Func("array_append", []Expr{col, Literal(int32(7), catalog.TypeInt4)})),
			[]catalog.Datum{arr(int32(1), int32(2), int32(3), int32(7)), arr(int32(7)), arr(int32(7)), arr(int32(4), nil, int32(7)), arr(int32(2), int32(1), int32(7))}},
		{"any", must(Func("pqdb_any_eq", []Expr{Literal(int32(1), catalog.TypeInt4), col})),
			[]catalog.Datum{true, false, nil, nil, true}},
		{"all", must(Func("pqdb_all_gt", []Expr{Literal(int32(3), catalog.TypeInt4), col})),
			[]catalog.Datum{false, true, nil, false, true}},
		{"contains", must(Func("arraycontains", []Expr{col, Literal(arr(int32(1)), intArr)})),
			[]catalog.Datum{true, false, nil, false, true}},
		{"remove", must(Func("array_remove", []Expr{col, Literal(nil, catalog.TypeInt4)})),
			[]catalog.Datum{arr(int32(1), int32(2), int32(3)), arr(), nil, arr(int32(4)), arr(int32(2), int32(1))}},
		{"to text[]", must(Cast(col, catalog.ArrayOf(catalog.TypeText))),
			[]catalog.Datum{arr("1", "2", "3"), arr(), nil, arr("4", nil), arr("2", "1")}},
		{"to text", must(Cast(col, catalog.TypeText)),
			[]catalog.Datum{"{1,2,3}", "{}", nil, "{4,NULL}", "{2,1}"}},
		{"compare", must(Binary(OpLt, col, Literal(arr(int32(2)), intArr))),
			[]catalog.Datum{true, true, nil, false, false}},
		{"constructor", must(Func("pqdb_array", []Expr{Literal(int32(9), catalog.TypeInt4), must(Func("cardinality", []Expr{col}))})),
			[]catalog.Datum{arr(int32(9), int32(3)), arr(int32(9), int32(0)), arr(int32(9), nil), arr(int32(9), int32(2)), arr(int32(9), int32(2))}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := evalExpr(t, c.e, []catalog.Type{intArr}, arrayRows)
			if err != nil {
				t.Fatal(err)
			}
			assertRows(t, [][]catalog.Datum{got}, [][]catalog.Datum{c.want})
		})
	}
}

// Sorting, DISTINCT and grouping by arrays, and unnest and array_agg
// across batch boundaries (the source emits three rows per batch).
func TestArrayOperators(t *testing.T) {
	sorted := collect(t, NewSort(source([]catalog.Type{intArr}, arrayRows), []SortKey{{Expr: ColumnRef(0, intArr)}}))
	assertRows(t, sorted, [][]catalog.Datum{{arr()}, {arr(int32(1), int32(2), int32(3))}, {arr(int32(2), int32(1))}, {arr(int32(4), nil)}, {nil}})

	dup := append(append([][]catalog.Datum{}, arrayRows...), arrayRows...)
	if got := collect(t, NewDistinct(source([]catalog.Type{intArr}, dup))); len(got) != len(arrayRows) {
		t.Fatalf("distinct: %v", fmtRows(got))
	}

	unnested := collect(t, NewProjectSet(source([]catalog.Type{intArr}, arrayRows), unnestOf(t, ColumnRef(0, intArr)), false))
	var elems []catalog.Datum
	for _, r := range unnested {
		elems = append(elems, r[1])
	}
	assertRows(t, [][]catalog.Datum{elems}, [][]catalog.Datum{{int32(1), int32(2), int32(3), int32(4), nil, int32(2), int32(1)}})

	src := source([]catalog.Type{catalog.TypeInt4}, [][]catalog.Datum{{int32(1)}, {int32(2)}, {nil}, {int32(1)}, {int32(5)}})
	agg := collect(t, NewHashAggregate(src, []Expr{Literal(int32(0), catalog.TypeInt4)}, []Aggregate{{Func: AggArrayAgg, Arg: ColumnRef(0, catalog.TypeInt4), Type: intArr}}))
	assertRows(t, agg, [][]catalog.Datum{{int32(0), arr(int32(1), int32(2), nil, int32(1), int32(5))}})
}

func unnestOf(t *testing.T, arrays ...Expr) []*SetFunc {
	var out []*SetFunc
	for _, a := range arrays {
		f, err := NewSetFunc("unnest", []Expr{a})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, f)
	}
	return out
}

// unnest WITH ORDINALITY, with output batches smaller than one row's
// elements.
func TestProjectSetSmallBatches(t *testing.T) {
	ctx := checkedCtx(t)
	ctx.BatchRows = 2
	src := source([]catalog.Type{catalog.TypeInt4, intArr}, [][]catalog.Datum{
		{int32(1), arr(int32(10), int32(11), int32(12))}, {int32(2), nil}, {int32(3), arr(int32(30))},
	})
	src.sel = true
	rows, err := Collect(ctx, NewProjectSet(src, unnestOf(t, ColumnRef(1, intArr)), true))
	if err != nil {
		t.Fatal(err)
	}
	var got [][]catalog.Datum
	for _, r := range rows {
		got = append(got, []catalog.Datum{r[0], r[2], r[3]})
	}
	assertRows(t, got, [][]catalog.Datum{
		{int32(1), int32(10), int64(1)}, {int32(1), int32(11), int64(2)}, {int32(1), int32(12), int64(3)}, {int32(3), int32(30), int64(1)},
	})
}
