package exec

import (
	"math"
	"testing"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

func TestIntegerArithmetic(t *testing.T) {
	i4, i2, i8 := catalog.TypeInt4, catalog.TypeInt2, catalog.TypeInt8
	cases := []struct {
		name string
		op   BinaryOp
		t    catalog.Type
		x, y catalog.Datum
		want catalog.Datum
		code string
	}{
		{"add", OpAdd, i4, int32(2), int32(3), int32(5), ""},
		{"add null", OpAdd, i4, nil, int32(3), nil, ""},
		{"add overflow int4", OpAdd, i4, int32(math.MaxInt32), int32(1), nil, pgerr.NumericValueOutOfRange},
		{"sub overflow int2", OpSub, i2, int16(math.MinInt16), int16(1), nil, pgerr.NumericValueOutOfRange},
		{"mul overflow int8", OpMul, i8, int64(math.MaxInt64 / 2), int64(3), nil, pgerr.NumericValueOutOfRange},
		{"mul min*-1 int8", OpMul, i8, int64(math.MinInt64), int64(-1), nil, pgerr.NumericValueOutOfRange},
		{"mul int2", OpMul, i2, int16(-300), int16(100), int16(-30000), ""},
		{"div truncates", OpDiv, i4, int32(-7), int32(2), int32(-3), ""},
		{"div by zero", OpDiv, i4, int32(1), int32(0), nil, pgerr.DivisionByZero},
		{"div min/-1", OpDiv, i4, int32(math.MinInt32), int32(-1), nil, pgerr.NumericValueOutOfRange},
		{"mod sign", OpMod, i4, int32(-7), int32(3), int32(-1), ""},
		{"mod by zero", OpMod, i8, int64(7), int64(0), nil, pgerr.DivisionByZero},
		{"mod -1", OpMod, i8, int64(math.MinInt64), int64(-1), int64(0), ""},
		{"null div zero", OpDiv, i4, nil, int32(0), nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := must(Binary(c.op, ColumnRef(0, c.t), ColumnRef(1, c.t)))
			got, err := evalExpr(t, e, []catalog.Type{c.t, c.t}, [][]catalog.Datum{{c.x, c.y}})
			if c.code != "" {
				wantCode(t, err, c.code)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got[0] != c.want {
				t.Fatalf("got %v want %v", got[0], c.want)
			}
		})
	}
}

func TestDivisionByZeroOnlyOnSelectedRows(t *testing.T) {
	i4 := catalog.TypeInt4
	// The junk row of each batch (x=0) is unselected: no error.
	src := source([]catalog.Type{i4}, [][]catalog.Datum{{int32(1)}, {int32(2)}, {int32(0)}, {int32(4)}})
	src.sel = true
	x := ColumnRef(0, i4)
	div := must(Binary(OpDiv, Literal(int32(100), i4), x))
	ne := must(Binary(OpNe, x, Literal(int32(0), i4)))
	// WHERE x <> 0 then 100/x: the zero row is filtered away.
	rows := collect(t, NewProject(NewFilter(src, ne), []Expr{div}))
	assertRows(t, rows, [][]catalog.Datum{{int32(100)}, {int32(50)}, {int32(25)}})
	// CASE WHEN x <> 0 THEN 100/x END never divides by zero.
	src.pos = 0
	c := Case([]When{{Cond: ne, Then: div}}, nil, i4)
	rows = collect(t, NewProject(src, []Expr{c}))
	assertRows(t, rows, [][]catalog.Datum{{int32(100)}, {int32(50)}, {nil}, {int32(25)}})
	// x <> 0 AND 100/x > 30 does not either.
	gt := must(Binary(OpGt, div, Literal(int32(30), i4)))
	rows = collect(t, NewProject(src, []Expr{And(ne, gt)}))
	assertRows(t, rows, [][]catalog.Datum{{true}, {true}, {false}, {false}})
	// Without a guard it fails.
	_, err := Collect(checkedCtx(t), NewProject(src, []Expr{div}))
	wantCode(t, err, pgerr.DivisionByZero)
}

func TestFloatArithmetic(t *testing.T) {
	f8 := catalog.TypeFloat8
	e := must(Binary(OpDiv, ColumnRef(0, f8), ColumnRef(1, f8)))
	got, err := evalExpr(t, e, []catalog.Type{f8, f8}, [][]catalog.Datum{{1.0, 4.0}, {math.NaN(), 0.0}})
	if err != nil {
		t.Fatal(err)
	}
	if got[0] != 0.25 || !math.IsNaN(got[1].(float64)) {
		t.Fatalf("got %v", got)
	}
	_, err = evalExpr(t, e, []catalog.Type{f8, f8}, [][]catalog.Datum{{1.0, 0.0}})
	wantCode(t, err, pgerr.DivisionByZero)
	m := must(Binary(OpMul, ColumnRef(0, f8), ColumnRef(1, f8)))
	_, err = evalExpr(t, m, []catalog.Type{f8, f8}, [][]catalog.Datum{{1e300, 1e300}})
	wantCode(t, err, pgerr.NumericValueOutOfRange)
	_, err = Binary(OpMod, ColumnRef(0, f8), ColumnRef(1, f8))
	wantCode(t, err, pgerr.UndefinedFunction)
}

func TestNumericArithmetic(t *testing.T) {
	n2, n3 := catalog.NumericType(10, 2), catalog.NumericType(12, 3)
	cases := []struct {
		name      string
		op        BinaryOp
		x, y      string
		want      string
		wantScale int32
		code      string
	}{
		{"add aligns scales", OpAdd, "1.25", "0.005", "1.255", 3, ""},
		{"sub", OpSub, "1.00", "2.125", "-1.125", 3, ""},
		{"mul adds scales", OpMul, "1.25", "-2.000", "-2.50000", 5, ""},
		// Division is var-scale numeric (select_div_scale); results
		// as PostgreSQL 15 prints them.
		{"div scale 16", OpDiv, "10.00", "3.000", "3.3333333333333333", catalog.VariableScale, ""},
		{"div rounds half away", OpDiv, "-2.00", "3.000", "-0.66666666666666666667", catalog.VariableScale, ""},
		{"div by zero", OpDiv, "1.00", "0.000", "", catalog.VariableScale, pgerr.DivisionByZero},
		{"mod", OpMod, "7.50", "2.000", "1.500", 3, ""},
		{"mul overflow", OpMul, "99999999999999999999.00", "99999999999999999999.000", "", 5, pgerr.NumericValueOutOfRange},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := must(Binary(c.op, ColumnRef(0, n2), ColumnRef(1, n3)))
			if e.Type().Scale != c.wantScale || e.Type().Kind != catalog.Numeric {
				t.Fatalf("type %v scale %d, want scale %d", e.Type(), e.Type().Scale, c.wantScale)
			}
			got, err := evalExpr(t, e, []catalog.Type{n2, n3}, [][]catalog.Datum{{dec(c.x, 2), dec(c.y, 3)}})
			if c.code != "" {
				wantCode(t, err, c.code)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.wantScale == catalog.VariableScale {
				if s := formatText(e.Type(), got[0]); s != c.want {
					t.Fatalf("got %s want %s", s, c.want)
				}
				return
			}
			if got[0] != dec(c.want, c.wantScale) {
				t.Fatalf("got %v", fmtRows([][]catalog.Datum{got}))
			}
		})
	}
}
