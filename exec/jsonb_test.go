package exec

import (
	"context"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

var (
	tJSONB = catalog.TypeJSONB
	tJSON  = catalog.TypeJSON
)

func jsonbLit(s string) Expr { return Literal(s, tJSONB) }

// jsonbRows are stored jsonb texts; the source puts a junk row before each
// batch of three and selects around it.
var jsonbRows = [][]catalog.Datum{
	{`{"a": 1, "b": [1, "x", null]}`},
	{`[1, 2, 3]`},
	{nil},
	{`"a"`},
	{`{"a": null}`},
}

// TestJSONBKernels evaluates the operators and functions over a jsonb
// column: NULL rows stay NULL, missing keys and indexes are NULL, and
// each row is computed from its own value across batch boundaries.
func TestJSONBKernels(t *testing.T) {
	col := ColumnRef(0, tJSONB)
	text := func(s string) Expr { return Literal(s, catalog.TypeText) }
	path := Literal(catalog.ArrayValue{"b", "1"}, textArray)
	cases := []struct {
		name string
		e    Expr
		want []catalog.Datum
	}{
		{"->", must(Func("jsonb_object_field", []Expr{col, text("a")})), []catalog.Datum{"1", nil, nil, nil, "null"}},
		{"->>", must(Func("jsonb_object_field_text", []Expr{col, text("a")})), []catalog.Datum{"1", nil, nil, nil, nil}},
		{"-> int", must(Func("jsonb_array_element", []Expr{col, Literal(int32(-1), catalog.TypeInt4)})), []catalog.Datum{nil, "3", nil, `"a"`, nil}},
		{"#>", must(Func("jsonb_extract_path", []Expr{col, path})), []catalog.Datum{`"x"`, nil, nil, nil, nil}},
		{"#>> variadic", must(Func("jsonb_extract_path_text", []Expr{col, text("b"), text("1")})), []catalog.Datum{"x", nil, nil, nil, nil}},
		{"?", must(Func("jsonb_exists", []Expr{col, text("a")})), []catalog.Datum{true, false, nil, true, true}},
		{"@>", must(Func("jsonb_contains", []Expr{col, jsonbLit(`{"b": ["x"]}`)})), []catalog.Datum{true, false, nil, false, false}},
		{"||", must(Func("jsonb_concat", []Expr{col, jsonbLit(`{"c": 1.0}`)})),
			[]catalog.Datum{`{"a": 1, "b": [1, "x", null], "c": 1.0}`, `[1, 2, 3, {"c": 1.0}]`, nil, `["a", {"c": 1.0}]`, `{"a": null, "c": 1.0}`}},
		{"typeof", must(Func("jsonb_typeof", []Expr{col})), []catalog.Datum{"object", "array", nil, "string", "object"}},
		{"strip_nulls", must(Func("jsonb_strip_nulls", []Expr{col})), []catalog.Datum{`{"a": 1, "b": [1, "x", null]}`, `[1, 2, 3]`, nil, `"a"`, `{}`}},
		{"to_json", must(Func("to_json", []Expr{col})), []catalog.Datum{`{"a": 1, "b": [1, "x", null]}`, `[1, 2, 3]`, nil, `"a"`, `{"a": null}`}},
		{"build_array", must(Func("jsonb_build_array", []Expr{col, Literal(nil, catalog.TypeInt4)})),
			[]catalog.Datum{`[{"a": 1, "b": [1, "x", null]}, null]`, `[[1, 2, 3], null]`, `[null, null]`, `["a", null]`, `[{"a": null}, null]`}},
		{"=", must(Binary(OpEq, col, jsonbLit(`"a"`))), []catalog.Datum{false, false, nil, true, false}},
		{"to text", must(Cast(col, catalog.TypeText)), []catalog.Datum{`{"a": 1, "b": [1, "x", null]}`, `[1, 2, 3]`, nil, `"a"`, `{"a": null}`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := evalExpr(t, c.e, []catalog.Type{tJSONB}, jsonbRows)
			if err != nil {
				t.Fatal(err)
			}
			assertRows(t, [][]catalog.Datum{got}, [][]catalog.Datum{c.want})
		})
	}
}

// TestJSONKernels: the json functions read the text as written.
func TestJSONKernels(t *testing.T) {
	col := ColumnRef(0, tJSON)
	rows := [][]catalog.Datum{{`{"a": 1, "a": [2,  3]}`}, {nil}, {` [ "x" ] `}}
	cases := []struct {
		name string
		e    Expr
		want []catalog.Datum
	}{
		{"->", must(Func("json_object_field", []Expr{col, Literal("a", catalog.TypeText)})), []catalog.Datum{`[2,  3]`, nil, nil}},
		{"->> int", must(Func("json_array_element_text", []Expr{col, Literal(int32(0), catalog.TypeInt4)})), []catalog.Datum{nil, nil, "x"}},
		{"typeof", must(Func("json_typeof", []Expr{col})), []catalog.Datum{"object", nil, "array"}},
		{"to jsonb", must(Cast(col, tJSONB)), []catalog.Datum{`{"a": [2, 3]}`, nil, `["x"]`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := evalExpr(t, c.e, []catalog.Type{tJSON}, rows)
			if err != nil {
				t.Fatal(err)
			}
			assertRows(t, [][]catalog.Datum{got}, [][]catalog.Datum{c.want})
		})
	}
	if _, err := Binary(OpEq, col, col); pgerr.CodeOf(err) != pgerr.UndefinedFunction {
		t.Fatalf("json = json: %v", err)
	}
}

// TestJSONBGroupingAndOrder: equal jsonb values that print differently
// are one group, one DISTINCT row and one join key; ORDER BY follows
// jsonb's btree order, not the text's.
func TestJSONBGroupingAndOrder(t *testing.T) {
	rows := [][]catalog.Datum{{`1`}, {`[]`}, {`1.0`}, {nil}, {`{"a": 1.50}`}, {`"b"`}, {`{"a": 1.5}`}, {`[[]]`}, {`null`}}
	src := source([]catalog.Type{tJSONB}, rows)
	got := collect(t, NewSort(NewHashAggregate(src, []Expr{ColumnRef(0, tJSONB)},
		[]Aggregate{{Func: AggCountStar, Type: catalog.TypeInt8}}), []SortKey{{Expr: ColumnRef(0, tJSONB)}}))
	want := [][]catalog.Datum{{`[]`, int64(1)}, {`null`, int64(1)}, {`"b"`, int64(1)}, {`1`, int64(2)},
		{`[[]]`, int64(1)}, {`{"a": 1.50}`, int64(2)}, {nil, int64(1)}}
	assertRows(t, got, want)

	got = collect(t, NewDistinct(source([]catalog.Type{tJSONB}, rows)))
	if len(got) != 7 {
		t.Fatalf("DISTINCT kept %d rows: %v", len(got), fmtRows(got))
	}
}

// TestJSONAggregates: json_agg and jsonb_agg keep NULLs as null, the
// object aggregates keep (json) or deduplicate (jsonb) keys, a group
// without rows is NULL, and a NULL key is 22023.
func TestJSONAggregates(t *testing.T) {
	types := []catalog.Type{catalog.TypeInt4, catalog.TypeText, catalog.TypeInt4}
	rows := [][]catalog.Datum{
		{int32(1), "b", int32(1)}, {int32(1), "a", nil}, {int32(2), "c", int32(3)}, {int32(1), "b", int32(4)},
	}
	g, k, v := ColumnRef(0, catalog.TypeInt4), ColumnRef(1, catalog.TypeText), ColumnRef(2, catalog.TypeInt4)
	aggs := []Aggregate{
		{Func: AggJSONAgg, Arg: v, Type: tJSON},
		{Func: AggJSONBAgg, Arg: v, Type: tJSONB},
		{Func: AggJSONObjectAgg, Arg: k, Arg2: v, Type: tJSON},
		{Func: AggJSONBObjectAgg, Arg: k, Arg2: v, Type: tJSONB},
		{Func: AggJSONBAgg, Arg: v, Type: tJSONB, Filter: Literal(false, catalog.TypeBool)},
	}
	got := collect(t, NewSort(NewHashAggregate(source(types, rows), []Expr{g}, aggs), []SortKey{{Expr: ColumnRef(0, catalog.TypeInt4)}}))
	want := [][]catalog.Datum{
		{int32(1), `[1, null, 4]`, `[1, null, 4]`, `{ "b" : 1, "a" : null, "b" : 4 }`, `{"a": null, "b": 4}`, nil},
		{int32(2), `[3]`, `[3]`, `{ "c" : 3 }`, `{"c": 3}`, nil},
	}
	assertRows(t, got, want)

	_, err := Collect(checkedCtx(t), NewHashAggregate(source(types, rows), nil,
		[]Aggregate{{Func: AggJSONBObjectAgg, Arg: v, Arg2: k, Type: tJSONB}}))
	wantCode(t, err, pgerr.InvalidParameterValue)
}

// TestJSONBCasts: the casts from jsonb take scalars of their kind; text
// to jsonb canonicalizes; the pairs PostgreSQL has no cast for are 42846.
func TestJSONBCasts(t *testing.T) {
	rows := [][]catalog.Datum{{`2.5`}, {nil}, {`-7`}}
	for _, c := range []struct {
		to   catalog.Type
		want []catalog.Datum
	}{
		{catalog.TypeInt4, []catalog.Datum{int32(3), nil, int32(-7)}},
		{catalog.TypeFloat8, []catalog.Datum{2.5, nil, -7.0}},
		{catalog.TypeJSON, []catalog.Datum{`2.5`, nil, `-7`}},
	} {
		got, err := evalExpr(t, must(Cast(ColumnRef(0, tJSONB), c.to)), []catalog.Type{tJSONB}, rows)
		if err != nil {
			t.Fatalf("jsonb to %s: %v", c.to, err)
		}
		assertRows(t, [][]catalog.Datum{got}, [][]catalog.Datum{c.want})
	}
	got, err := evalExpr(t, must(Cast(ColumnRef(0, catalog.TypeText), tJSONB)), []catalog.Type{catalog.TypeText},
		[][]catalog.Datum{{`{"b":1, "a" : [1e1]}`}, {nil}})
	if err != nil {
		t.Fatal(err)
	}
	assertRows(t, [][]catalog.Datum{got}, [][]catalog.Datum{{`{"a": [10], "b": 1}`, nil}})

	_, err = evalExpr(t, must(Cast(ColumnRef(0, tJSONB), catalog.TypeBool)), []catalog.Type{tJSONB}, rows)
	wantCode(t, err, pgerr.InvalidParameterValue)
	for _, pair := range [][2]catalog.Type{{tJSON, catalog.TypeInt4}, {catalog.TypeInt4, tJSONB}, {tJSONB, catalog.TypeDate}} {
		if _, err := Cast(ColumnRef(0, pair[0]), pair[1]); pgerr.CodeOf(err) != pgerr.CannotCoerce {
			t.Errorf("cast %s to %s: %v", pair[0], pair[1], err)
		}
	}
}

// TestJSONBKernelsDoNotAllocatePerValue: the allocations of a kernel over
// a batch do not grow with its rows (only its buffers grow, by doubling).
func TestJSONBKernelsDoNotAllocatePerValue(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector drops pooled parsers and builders at random, so the kernels allocate per value under it")
	}
	exprs := map[string]Expr{
		"->":      must(Func("jsonb_object_field", []Expr{ColumnRef(0, tJSONB), Literal("a", catalog.TypeText)})),
		"||":      must(Func("jsonb_concat", []Expr{ColumnRef(0, tJSONB), jsonbLit(`{"z": 1}`)})),
		"=":       must(Binary(OpEq, ColumnRef(0, tJSONB), jsonbLit(`{"a": 1}`))),
		"to_json": must(Func("to_jsonb", []Expr{ColumnRef(0, tJSONB)})),
	}
	allocs := func(e Expr, n int) float64 {
		vals := make([]catalog.Datum, n)
		for i := range vals {
			vals[i] = `{"a": [1, 2, {"b": "x"}], "c": 1.50}`
		}
		ctx := NewContext(context.Background())
		ctx.Mem = memory.NewGoAllocator()
		col, err := datumsToArray(ctx.Mem, tJSONB, vals)
		if err != nil {
			t.Fatal(err)
		}
		b := &Batch{Cols: []arrow.Array{col}, Len: n}
		return testing.AllocsPerRun(5, func() {
			out, err := e.Eval(ctx, b)
			if err != nil {
				t.Fatal(err)
			}
			out.Release()
		})
	}
	for name, e := range exprs {
		small, large := allocs(e, 100), allocs(e, 10000)
		if large-small > 40 {
			t.Errorf("%s: %.0f allocations for 100 rows, %.0f for 10000", name, small, large)
		}
	}
}
