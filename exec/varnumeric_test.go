package exec

import (
	"bufio"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/numeric"
	"github.com/pqdb/pqdb/pgerr"
)

// testdata/varnumeric_pg15.txt holds PostgreSQL 15's results for the var
// numeric kernels (recorded by testdata/record_varnumeric.py).

type pgCase struct {
	args []string
	want string
}

func loadVarNumericPG15(t *testing.T) map[string][]pgCase {
	t.Helper()
	f, err := os.Open("testdata/varnumeric_pg15.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][]pgCase{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		parts := strings.Split(sc.Text(), "\t")
		op := parts[0]
		out[op] = append(out[op], pgCase{args: parts[1 : len(parts)-1], want: parts[len(parts)-1]})
	}
	return out
}

// parseDatum reads a test value of type t.
func parseDatum(t *testing.T, ty catalog.Type, s string) catalog.Datum {
	t.Helper()
	switch {
	case ty.IsVarNumeric():
		v, err := numeric.Parse(nil, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	case ty.Kind == catalog.Numeric:
		v, err := catalog.ParseNumeric(ty, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	case ty.Kind == catalog.Int4:
		v, err := strconv.ParseInt(s, 10, 32)
		if err != nil {
			t.Fatal(err)
		}
		return int32(v)
	case ty.Kind == catalog.Float8:
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	case ty.Kind == catalog.Float4:
		v, err := strconv.ParseFloat(s, 32)
		if err != nil {
			t.Fatal(err)
		}
		return float32(v)
	}
	t.Fatalf("no test parser for %s", ty)
	return nil
}

// runPGCases evaluates build over the cases' arguments (of types types)
// and compares with PostgreSQL's text results: rows that succeed in
// PostgreSQL together, in batches of per rows (each with a junk
// unselected row), and each erroring row alone for its SQLSTATE.
func runPGCases(t *testing.T, cases []pgCase, types []catalog.Type, build func(args []Expr) (Expr, error)) {
	t.Helper()
	cols := make([]Expr, len(types))
	for i, ty := range types {
		cols[i] = ColumnRef(i, ty)
	}
	e, err := build(cols)
	if err != nil {
		t.Fatal(err)
	}
	var okRows [][]catalog.Datum
	var okCases []pgCase
	for _, c := range cases {
		r := make([]catalog.Datum, len(types))
		for i, ty := range types {
			r[i] = parseDatum(t, ty, c.args[i])
		}
		if strings.HasPrefix(c.want, "ERROR ") {
			src := source(types, [][]catalog.Datum{r})
			src.sel = true
			_, err := Collect(checkedCtx(t), NewProject(src, []Expr{e}))
			if err == nil || pgerr.CodeOf(err) != strings.TrimPrefix(c.want, "ERROR ") {
				t.Errorf("%v: got error %v, want %s", c.args, err, c.want)
			}
			continue
		}
		okRows = append(okRows, r)
		okCases = append(okCases, c)
	}
	for _, per := range []int{3, 64, 1 << 12} {
		src := source(types, okRows)
		src.sel, src.per = true, per
		out, err := Collect(checkedCtx(t), NewProject(src, []Expr{e}))
		if err != nil {
			t.Fatalf("per %d: %v", per, err)
		}
		for i, r := range out {
			got := "NULL"
			if r[0] != nil {
				got = formatText(e.Type(), r[0])
			}
			if got != okCases[i].want {
				t.Errorf("per %d: %v: got %s, want %s", per, okCases[i].args, got, okCases[i].want)
			}
		}
	}
}

func TestVarNumericPG15(t *testing.T) {
	all := loadVarNumericPG15(t)
	num := catalog.TypeNumeric
	nn := []catalog.Type{num, num}
	bin := func(op BinaryOp) func([]Expr) (Expr, error) {
		return func(a []Expr) (Expr, error) { return Binary(op, a[0], a[1]) }
	}
	fn := func(name string) func([]Expr) (Expr, error) {
		return func(a []Expr) (Expr, error) { return Func(name, a) }
	}
	cast := func(to catalog.Type) func([]Expr) (Expr, error) {
		return func(a []Expr) (Expr, error) { return Cast(a[0], to) }
	}
	type spec struct {
		types []catalog.Type
		build func([]Expr) (Expr, error)
	}
	specs := map[string]spec{
		"add": {nn, bin(OpAdd)}, "sub": {nn, bin(OpSub)}, "mul": {nn, bin(OpMul)},
		"div": {nn, bin(OpDiv)}, "mod": {nn, bin(OpMod)},
		"neg":   {[]catalog.Type{num}, func(a []Expr) (Expr, error) { return Negate(a[0]) }},
		"power": {nn, fn("power")}, "logb": {nn, fn("log")}, "divf": {nn, fn("div")},
		"round2":       {[]catalog.Type{num, catalog.TypeInt4}, fn("round")},
		"trunc2":       {[]catalog.Type{num, catalog.TypeInt4}, fn("trunc")},
		"to_int2":      {[]catalog.Type{num}, cast(catalog.TypeInt2)},
		"to_int4":      {[]catalog.Type{num}, cast(catalog.TypeInt4)},
		"to_int8":      {[]catalog.Type{num}, cast(catalog.TypeInt8)},
		"to_float4":    {[]catalog.Type{num}, cast(catalog.TypeFloat4)},
		"to_float8":    {[]catalog.Type{num}, cast(catalog.TypeFloat8)},
		"from_float8":  {[]catalog.Type{catalog.TypeFloat8}, cast(num)},
		"from_float4":  {[]catalog.Type{catalog.TypeFloat4}, cast(num)},
		"div_dec":      {[]catalog.Type{catalog.NumericType(20, 2), catalog.NumericType(12, 3)}, bin(OpDiv)},
		"mul_dec_wide": {[]catalog.Type{catalog.NumericType(30, 10), catalog.NumericType(30, 10)}, bin(OpMul)},
		"cmp": {nn, func(a []Expr) (Expr, error) {
			// sign of the comparison, as an int4: CASE WHEN a<b THEN -1
			// WHEN a=b THEN 0 ELSE 1 END
			lt, err := Binary(OpLt, a[0], a[1])
			if err != nil {
				return nil, err
			}
			eq, err := Binary(OpEq, a[0], a[1])
			if err != nil {
				return nil, err
			}
			i4 := catalog.TypeInt4
			return Case([]When{{Cond: lt, Then: Literal(int32(-1), i4)}, {Cond: eq, Then: Literal(int32(0), i4)}}, Literal(int32(1), i4), i4), nil
		}},
	}
	for _, f := range []string{"abs", "ceil", "floor", "sign", "round", "trunc", "sqrt", "exp", "ln", "log", "log10", "scale", "min_scale", "trim_scale"} {
		specs[f] = spec{[]catalog.Type{num}, fn(f)}
	}
	ops := make([]string, 0, len(all))
	for op := range all {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	for _, op := range ops {
		cases := all[op]
		t.Run(op, func(t *testing.T) {
			if op == "to_typmod" {
				byTypmod := map[string][]pgCase{}
				for _, c := range cases {
					if c.args[0] == "NaN" {
						// numeric(p,s) is decimal128 in pqdb, which has
						// no NaN: the cast is 0A000 where PostgreSQL
						// keeps NaN.
						continue
					}
					byTypmod[c.args[1]] = append(byTypmod[c.args[1]], pgCase{args: c.args[:1], want: c.want})
				}
				for tm, cs := range byTypmod {
					p, _ := strconv.Atoi(strings.Split(tm, ",")[0])
					s, _ := strconv.Atoi(strings.Split(tm, ",")[1])
					if s < 0 {
						continue // negative scales are not a pqdb type
					}
					runPGCases(t, cs, []catalog.Type{num}, cast(catalog.NumericType(int32(p), int32(s))))
				}
				return
			}
			sp, ok := specs[op]
			if !ok {
				t.Skip("checked by its own test")
			}
			runPGCases(t, cases, sp.types, sp.build)
		})
	}
}

// varNumAggRows is the input of the agg lines of varnumeric_pg15.txt
// (AGG_ROWS in record_varnumeric.py).
var varNumAggRows = [][2]string{
	{"1", "1.5"}, {"1", "1.50"}, {"1", "2"}, {"2", "0.1"}, {"2", "NaN"}, {"3", "Infinity"},
	{"3", "5"}, {"4", "-1.25"}, {"4", "3.333"}, {"4", "12345678901234567890.5"}, {"5", ""},
	{"6", "Infinity"}, {"6", "-Infinity"}, {"7", "1"}, {"7", "2"}, {"7", "2"},
}

func varNumRows(t *testing.T, in [][2]string, vt catalog.Type) [][]catalog.Datum {
	rows := make([][]catalog.Datum, len(in))
	for i, r := range in {
		g, _ := strconv.Atoi(r[0])
		var x catalog.Datum
		if r[1] != "" {
			x = parseDatum(t, vt, r[1])
		}
		rows[i] = []catalog.Datum{int32(g), x}
	}
	return rows
}

func textRows(t *testing.T, types []catalog.Type, rows [][]catalog.Datum) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		parts := make([]string, len(r))
		for j, d := range r {
			parts[j] = "NULL"
			if d != nil {
				parts[j] = formatText(types[j], d)
			}
		}
		out[i] = strings.Join(parts, "\t")
	}
	sort.Strings(out)
	return out
}

func wantLines(cases []pgCase) []string {
	out := make([]string, len(cases))
	for i, c := range cases {
		out[i] = strings.Join(append(append([]string(nil), c.args...), c.want), "\t")
	}
	sort.Strings(out)
	return out
}

func TestVarNumericAggregatesPG15(t *testing.T) {
	all := loadVarNumericPG15(t)
	num, i4, i8 := catalog.TypeNumeric, catalog.TypeInt4, catalog.TypeInt8
	types := []catalog.Type{i4, num}
	rows := varNumRows(t, varNumAggRows, num)
	x := ColumnRef(1, num)
	aggs := func() []Aggregate {
		return []Aggregate{
			{Func: AggSum, Arg: x, Type: num},
			{Func: AggAvg, Arg: x, Type: num},
			{Func: AggMin, Arg: x, Type: num},
			{Func: AggMax, Arg: x, Type: num},
			{Func: AggCount, Arg: x, Type: i8},
		}
	}
	outTypes := []catalog.Type{i4, num, num, num, num, i8}
	want := wantLines(all["agg"])
	for _, per := range []int{1, 3, 100} {
		src := source(types, rows)
		src.sel, src.per = true, per
		got := textRows(t, outTypes, collect(t, NewHashAggregate(src, []Expr{ColumnRef(0, i4)}, aggs())))
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("per %d:\n got %q\nwant %q", per, got, want)
		}
	}
	// Parallel: two pipelines whose partial states merge.
	a, b := source(types, rows[:8]), source(types, rows[8:])
	a.per, b.per = 2, 3
	g := []Expr{ColumnRef(0, i4)}
	got := textRows(t, outTypes, collect(t, NewParallelHashAggregate([]Operator{a, b}, [][]Expr{g, g}, [][]Aggregate{aggs(), aggs()})))
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("parallel:\n got %q\nwant %q", got, want)
	}

	// avg of int4 and of decimal128 numeric(10,2) are var numeric.
	intRows := varNumRows(t, [][2]string{{"1", "1"}, {"1", "2"}, {"2", "7"}, {"2", "-3"}, {"2", "5"},
		{"3", "2147483647"}, {"3", "2147483647"}, {"4", ""}}, i4)
	decT := catalog.NumericType(10, 2)
	decRows := varNumRows(t, [][2]string{{"1", "1.25"}, {"1", "2.50"}, {"1", "3.00"}, {"2", "-7.77"},
		{"3", "0.01"}, {"3", "0.02"}, {"3", "0.02"}}, decT)
	for _, c := range []struct {
		name string
		t    catalog.Type
		rows [][]catalog.Datum
	}{{"avg_int4", i4, intRows}, {"avg_dec", decT, decRows}} {
		src := source([]catalog.Type{i4, c.t}, c.rows)
		src.sel = true
		got := textRows(t, []catalog.Type{i4, num}, collect(t, NewHashAggregate(src, []Expr{ColumnRef(0, i4)},
			[]Aggregate{{Func: AggAvg, Arg: ColumnRef(1, c.t), Type: num}})))
		if w := wantLines(all[c.name]); strings.Join(got, "\n") != strings.Join(w, "\n") {
			t.Fatalf("%s:\n got %q\nwant %q", c.name, got, w)
		}
	}
}

func TestVarNumericDistinctSortPG15(t *testing.T) {
	all := loadVarNumericPG15(t)
	num := catalog.TypeNumeric
	// The values of record_varnumeric.py's VALS, in that order.
	in := []string{"0", "0.00", "1", "-1", "1.5", "1.50", "-2.25", "3.14159", "0.000001",
		"12345678901234567890.123456789", "-98765432109876543210987654321098765432.1",
		"100", "7", "-0.5", "2", "9999.9999", "0.1", "1e-20", "NaN", "Infinity", "-Infinity"}
	var rows [][]catalog.Datum
	for _, s := range in {
		rows = append(rows, []catalog.Datum{parseDatum(t, num, s)})
	}
	want := all["sorted_distinct"][0].want
	for _, per := range []int{2, 7, 100} {
		src := source([]catalog.Type{num}, rows)
		src.sel, src.per = true, per
		x := ColumnRef(0, num)
		// Two sort keys: the numeric one must decide on its own.
		got := collect(t, NewSort(NewProject(NewDistinct(src), []Expr{x, Literal(int32(0), catalog.TypeInt4)}),
			[]SortKey{{Expr: x}, {Expr: ColumnRef(1, catalog.TypeInt4), Desc: true}}))
		parts := make([]string, len(got))
		for i, r := range got {
			parts[i] = formatText(num, r[0])
		}
		if s := strings.Join(parts, " "); s != want {
			t.Fatalf("per %d:\n got %s\nwant %s", per, s, want)
		}
		// DESC NULLS FIRST reverses it.
		src.pos = 0
		got = collect(t, NewSort(NewDistinct(src), []SortKey{{Expr: x, Desc: true, NullsFirst: true}}))
		if len(got) != len(parts) || formatText(num, got[0][0]) != "NaN" || formatText(num, got[len(got)-1][0]) != "-Infinity" {
			t.Fatalf("desc: %v", got)
		}
	}
	// A hash join matches 1.5 with 1.50 and NaN with NaN.
	l := source([]catalog.Type{num}, [][]catalog.Datum{{parseDatum(t, num, "1.5")}, {parseDatum(t, num, "NaN")}, {parseDatum(t, num, "2")}})
	r := source([]catalog.Type{num}, [][]catalog.Datum{{parseDatum(t, num, "1.50")}, {parseDatum(t, num, "NaN")}, {parseDatum(t, num, "3")}})
	got := collect(t, NewHashJoin(l, r, []Expr{ColumnRef(0, num)}, []Expr{ColumnRef(0, num)}, JoinInner, nil, false))
	if s := textRows(t, []catalog.Type{num, num}, got); strings.Join(s, ";") != "1.5\t1.50;NaN\tNaN" {
		t.Fatalf("join: %q", s)
	}
}

// Expected values from PostgreSQL 15:
//
//	select ' 1e3 '::text::numeric, '-0.0500'::text::numeric, 'nan'::text::numeric,
//	       (1.50::numeric(5,2))::numeric, (-123.456::numeric(6,3))::numeric,
//	       greatest(1.5::numeric, 2::int4, 1.25::numeric(4,2))
//	→ 1000 | -0.0500 | NaN | 1.50 | -123.456 | 2
//	select 'abc'::text::numeric → 22P02
func TestVarNumericTextAndDecimalCasts(t *testing.T) {
	num, txt := catalog.TypeNumeric, catalog.TypeText
	e := must(Cast(ColumnRef(0, txt), num))
	got, err := evalExpr(t, e, []catalog.Type{txt}, [][]catalog.Datum{{" 1e3 "}, {"-0.0500"}, {"nan"}, {nil}})
	if err != nil {
		t.Fatal(err)
	}
	back := must(Cast(Literal(got[1], num), txt))
	txtOut, err := evalExpr(t, back, []catalog.Type{txt}, [][]catalog.Datum{{"x"}})
	if err != nil {
		t.Fatal(err)
	}
	if formatText(num, got[0]) != "1000" || formatText(num, got[1]) != "-0.0500" || formatText(num, got[2]) != "NaN" || got[3] != nil || txtOut[0] != "-0.0500" {
		t.Fatalf("got %v / %v", got, txtOut)
	}
	_, err = evalExpr(t, e, []catalog.Type{txt}, [][]catalog.Datum{{"abc"}})
	wantCode(t, err, pgerr.InvalidTextRepresentation)

	for _, c := range []struct {
		t    catalog.Type
		in   string
		want string
	}{{catalog.NumericType(5, 2), "1.50", "1.50"}, {catalog.NumericType(6, 3), "-123.456", "-123.456"}} {
		got, err := evalExpr(t, must(Cast(ColumnRef(0, c.t), num)), []catalog.Type{c.t}, [][]catalog.Datum{{dec(c.in, c.t.Scale)}})
		if err != nil || formatText(num, got[0]) != c.want {
			t.Fatalf("%s: got %v %v", c.in, got, err)
		}
	}
	g := must(Func("greatest", []Expr{Literal(parseDatum(t, num, "1.5"), num), Literal(int32(2), catalog.TypeInt4), Literal(dec("1.25", 2), catalog.NumericType(4, 2))}))
	if !g.Type().IsVarNumeric() {
		t.Fatalf("greatest type %v", g.Type())
	}
	got, err = evalExpr(t, g, []catalog.Type{txt}, [][]catalog.Datum{{"x"}})
	if err != nil || formatText(num, got[0]) != "2" {
		t.Fatalf("greatest: %v %v", got, err)
	}
}
