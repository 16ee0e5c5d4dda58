package exec

import (
	"testing"

	"github.com/pqdb/pqdb/catalog"
)

// Records through the operators that copy, gather, hash and sort
// columns, on a checked allocator (no leaks), batches of 3 rows with a
// junk row selected around. The SQL-level behaviour, checked against
// PostgreSQL, is in sqltests/testdata/records.slt.

var recIntText = catalog.RecordOf([]catalog.RecordField{{Name: "a", Type: catalog.TypeInt4}, {Name: "b", Type: catalog.TypeText}})

func recordRows() [][]catalog.Datum {
	r := func(a, b catalog.Datum) catalog.Datum { return catalog.RecordValue{a, b} }
	return [][]catalog.Datum{
		row(r(int32(2), "x"), int32(1)),
		row(nil, int32(2)),
		row(r(nil, nil), int32(3)),
		row(r(int32(1), nil), int32(4)),
		row(r(int32(2), "x"), int32(5)),
		row(r(int32(1), "y"), int32(6)),
		row(nil, int32(7)),
	}
}

func TestRecordsSortDistinctGroup(t *testing.T) {
	types := []catalog.Type{recIntText, catalog.TypeInt4}
	rec := ColumnRef(0, recIntText)

	src := source(types, recordRows())
	src.sel = true
	sorted := collect(t, NewSort(src, []SortKey{{Expr: rec}, {Expr: ColumnRef(1, catalog.TypeInt4)}}))
	var order []catalog.Datum
	for _, r := range sorted {
		order = append(order, r[1])
	}
	// record_cmp: field by field, NULL fields last; NULL records last.
	want := []catalog.Datum{int32(6), int32(4), int32(1), int32(5), int32(3), int32(2), int32(7)}
	assertRows(t, [][]catalog.Datum{order}, [][]catalog.Datum{want})

	src = source(types, recordRows())
	src.sel = true
	groups := collect(t, NewHashAggregate(src, []Expr{rec}, []Aggregate{{Func: AggCountStar, Type: catalog.TypeInt8}}))
	if len(groups) != 5 {
		t.Fatalf("groups: %s", fmtRows(groups))
	}
	counts := map[string]int64{}
	for _, g := range groups {
		k := "NULL"
		if g[0] != nil {
			k = formatText(recIntText, g[0])
		}
		counts[k] = g[1].(int64)
	}
	for k, n := range map[string]int64{"(2,x)": 2, "NULL": 2, "(,)": 1, "(1,)": 1, "(1,y)": 1} {
		if counts[k] != n {
			t.Errorf("group %s: %d rows, want %d (%v)", k, counts[k], n, counts)
		}
	}
}

func TestRecordExpressions(t *testing.T) {
	types := []catalog.Type{recIntText, catalog.TypeInt4}
	rec := ColumnRef(0, recIntText)
	cases := []struct {
		name string
		e    Expr
		want []catalog.Datum
	}{
		{"field a", RecordField(rec, 0), []catalog.Datum{int32(2), nil, nil, int32(1), int32(2), int32(1), nil}},
		{"field b", RecordField(rec, 1), []catalog.Datum{"x", nil, nil, nil, "x", "y", nil}},
		{"is null", IsNull(rec), []catalog.Datum{false, true, true, false, false, false, true}},
		{"is not null", IsNotNull(rec), []catalog.Datum{true, false, false, false, true, true, false}},
		{"datum is null", DatumIsNull(rec, false), []catalog.Datum{false, true, false, false, false, false, true}},
		{"to text", must(Cast(rec, catalog.TypeText)), []catalog.Datum{"(2,x)", nil, "(,)", "(1,)", "(2,x)", "(1,y)", nil}},
		{"to_jsonb", must(Func("to_jsonb", []Expr{rec})), []catalog.Datum{`{"a": 2, "b": "x"}`, nil, `{"a": null, "b": null}`, `{"a": 1, "b": null}`, `{"a": 2, "b": "x"}`, `{"a": 1, "b": "y"}`, nil}},
		{"row_to_json", must(Func("row_to_json", []Expr{rec})), []catalog.Datum{`{"a":2,"b":"x"}`, nil, `{"a":null,"b":null}`, `{"a":1,"b":null}`, `{"a":2,"b":"x"}`, `{"a":1,"b":"y"}`, nil}},
		{"= itself", must(Binary(OpEq, rec, rec)), []catalog.Datum{true, nil, true, true, true, true, nil}},
	}
	for _, c := range cases {
		got, err := evalExpr(t, c.e, types, recordRows())
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		assertRows(t, [][]catalog.Datum{got}, [][]catalog.Datum{c.want})
	}

	// ROW(b, a) with a presence column: NULL where it is NULL.
	swapped := catalog.RecordOf([]catalog.RecordField{{Name: "f1", Type: catalog.TypeText}, {Name: "f2", Type: catalog.TypeInt4}})
	fields := []Expr{RecordField(rec, 1), RecordField(rec, 0)}
	got, err := evalExpr(t, Row(fields, swapped, rec), types, recordRows())
	if err != nil {
		t.Fatal(err)
	}
	want := []catalog.Datum{catalog.RecordValue{"x", int32(2)}, nil, catalog.RecordValue{nil, nil}, catalog.RecordValue{nil, int32(1)},
		catalog.RecordValue{"x", int32(2)}, catalog.RecordValue{"y", int32(1)}, nil}
	assertRows(t, [][]catalog.Datum{got}, [][]catalog.Datum{want})
}

func TestRecordTakeAndAppend(t *testing.T) {
	ctx := checkedCtx(t)
	vals := make([]catalog.Datum, 0)
	for _, r := range recordRows() {
		vals = append(vals, r[0])
	}
	a, err := datumsToArray(ctx.Mem, recIntText, vals)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Release()
	taken := takeNullable(ctx.Mem, recIntText, a, []int32{5, -1, 1, 0})
	defer taken.Release()
	ap := newColumnAppender(ctx.Mem, recIntText, 0)
	for i := 0; i < taken.Len(); i++ {
		ap.appendFrom(taken, i)
	}
	ap.appendNull()
	out := ap.finish()
	defer out.Release()
	var got []catalog.Datum
	for i := 0; i < out.Len(); i++ {
		got = append(got, datumAt(out, recIntText, i))
	}
	want := []catalog.Datum{catalog.RecordValue{int32(1), "y"}, nil, nil, catalog.RecordValue{int32(2), "x"}, nil}
	assertRows(t, [][]catalog.Datum{got}, [][]catalog.Datum{want})
	if kindTypeOf(out) != recIntText {
		t.Errorf("kindTypeOf: %v", kindTypeOf(out))
	}
}
