package exec

import (
	"errors"
	"reflect"
	"testing"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// TestRegexpSplitEdges checks PostgreSQL 15's split rules (answers taken
// from it) through both forms: regexp_split_to_array as an expression and
// regexp_split_to_table in a ProjectSet, over a batch with a selection
// vector and a leak-checking allocator.
func TestRegexpSplitEdges(t *testing.T) {
	cases := []struct {
		s, p string
		want []string
	}{
		{"hello world", `\s*`, []string{"h", "e", "l", "l", "o", "w", "o", "r", "l", "d"}},
		{"  a  b ", `\s*`, []string{"", "a", "b", ""}},
		{"  a  b ", `\s+`, []string{"", "a", "b", ""}},
		{"", "x", []string{""}},
		{"", "", []string{""}},
		{"abc", "", []string{"a", "b", "c"}},
		{"abc", "x*", []string{"a", "b", "c"}},
		{"abc", "(?=b)", []string{"a", "bc"}},
		{"abc", "^", []string{"abc"}},
		{"abc", "$", []string{"abc"}},
		{"a", "a", []string{"", ""}},
		{"aaa", "a*", []string{"", ""}},
		{"aaa", "a", []string{"", "", "", ""}},
		{"a1b22c", `(\d)+`, []string{"a", "b", "c"}},
		{"añb€c", "", []string{"a", "ñ", "b", "€", "c"}},
		{"x€y€€z", "€", []string{"x", "y", "", "z"}},
	}
	types := []catalog.Type{catalog.TypeText, catalog.TypeText}
	var rows [][]catalog.Datum
	for _, c := range cases {
		rows = append(rows, row(c.s, c.p))
	}
	rows = append(rows, row(nil, "a"), row("a", nil))

	arrays, err := evalExpr(t, must(Func("regexp_split_to_array", []Expr{ColumnRef(0, catalog.TypeText), ColumnRef(1, catalog.TypeText)})), types, rows)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		want := catalog.ArrayValue{}
		for _, w := range c.want {
			want = append(want, w)
		}
		if !reflect.DeepEqual(arrays[i], want) {
			t.Errorf("regexp_split_to_array(%q, %q) = %v, want %v", c.s, c.p, arrays[i], want)
		}
	}
	if arrays[len(cases)] != nil || arrays[len(cases)+1] != nil {
		t.Errorf("NULL arguments: %v", arrays[len(cases):])
	}

	f, err := NewSetFunc("regexp_split_to_table", []Expr{ColumnRef(0, catalog.TypeText), ColumnRef(1, catalog.TypeText)})
	if err != nil {
		t.Fatal(err)
	}
	src := source(types, rows)
	src.sel = true
	out := collect(t, NewProjectSet(src, []*SetFunc{f}, true))
	got := map[string][]string{}
	for _, r := range out {
		k := r[0].(string) + "\x00" + r[1].(string)
		if int(r[3].(int64)) != len(got[k])+1 {
			t.Fatalf("ordinality out of order: %v", r)
		}
		got[k] = append(got[k], r[2].(string))
	}
	for _, c := range cases {
		if g := got[c.s+"\x00"+c.p]; !reflect.DeepEqual(g, c.want) {
			t.Errorf("regexp_split_to_table(%q, %q) = %q, want %q", c.s, c.p, g, c.want)
		}
	}
}

// regexp_match refuses g with PostgreSQL's hint; the other functions
// have none.
func TestRegexpGlobalRefused(t *testing.T) {
	for _, c := range []struct{ fn, hint string }{
		{"regexp_match", "Use the regexp_matches function instead."},
		{"regexp_split_to_array", ""},
	} {
		e := must(Func(c.fn, []Expr{ColumnRef(0, catalog.TypeText), ColumnRef(1, catalog.TypeText), ColumnRef(2, catalog.TypeText)}))
		_, err := evalExpr(t, e, []catalog.Type{catalog.TypeText, catalog.TypeText, catalog.TypeText}, [][]catalog.Datum{row("abc", "b", "g")})
		var pe *pgerr.Error
		if !errors.As(err, &pe) || pe.Code != pgerr.InvalidParameterValue || pe.Message != c.fn+`() does not support the "global" option` || pe.Hint != c.hint {
			t.Errorf("%s: %#v", c.fn, err)
		}
	}
}

// A bad pattern in a later row of a batch frees what the set had built.
func TestRegexpSetErrorReleases(t *testing.T) {
	types := []catalog.Type{catalog.TypeText, catalog.TypeText}
	for _, fn := range []string{"regexp_matches", "regexp_split_to_table"} {
		f, err := NewSetFunc(fn, []Expr{ColumnRef(0, catalog.TypeText), ColumnRef(1, catalog.TypeText)})
		if err != nil {
			t.Fatal(err)
		}
		src := source(types, [][]catalog.Datum{row("abc", "b"), row("abc", "(")})
		_, err = Collect(checkedCtx(t), NewProjectSet(src, []*SetFunc{f}, false))
		if pgerr.CodeOf(err) != pgerr.InvalidRegularExpression {
			t.Errorf("%s: %v", fn, err)
		}
	}
}
