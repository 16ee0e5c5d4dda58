package exec

import (
	"context"
	"fmt"
	"math/rand"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// selectTestColumn builds n values of type t with NULLs every nullEvery
// rows (none when 0): small values around the constants the tests
// compare with, and for numerics of more than 18 digits some beyond
// int64.
func selectTestColumn(t catalog.Type, n, nullEvery int, rng *rand.Rand) arrow.Array {
	b := array.NewBuilder(memory.NewGoAllocator(), t.ArrowType())
	defer b.Release()
	for i := 0; i < n; i++ {
		if nullEvery > 0 && i%nullEvery == 0 {
			b.AppendNull()
			continue
		}
		v := int64(rng.Intn(21) - 10)
		switch bb := b.(type) {
		case *array.Int16Builder:
			bb.Append(int16(v))
		case *array.Int32Builder:
			bb.Append(int32(v))
		case *array.Date32Builder:
			bb.Append(arrow.Date32(v))
		case *array.Int64Builder:
			bb.Append(v)
		case *array.TimestampBuilder:
			bb.Append(arrow.Timestamp(v))
		case *array.Decimal128Builder:
			d := decimal128.FromI64(v)
			if t.Precision() > 18 && rng.Intn(10) == 0 {
				// Beyond int64, either sign (a column of up to 18 digits
				// holds none: its comparisons take the int64 loops).
				d = decimal128.New(v, uint64(rng.Int63()))
			}
			bb.Append(d)
		}
	}
	return b.NewArray()
}

// selectTestConst is the constant c as a datum of type t.
func selectTestConst(t catalog.Type, c int64) catalog.Datum {
	switch t.Kind {
	case catalog.Int2:
		return int16(c)
	case catalog.Int4, catalog.Date:
		return int32(c)
	case catalog.Numeric:
		if c == 99 {
			return decimal128.New(-3, 12345) // a constant beyond int64
		}
		return decimal128.FromI64(c)
	}
	return int64(c)
}

// TestSelectConstCompare checks that filtering by a comparison with a
// constant selects exactly the rows where the comparison evaluated as an
// expression is true, for every type with a selecting kernel, every
// operator, batches straddling 1024 rows, with and without NULLs and an
// incoming selection, alone and in conjunctions.
func TestSelectConstCompare(t *testing.T) {
	types := []catalog.Type{catalog.TypeInt2, catalog.TypeInt4, catalog.TypeDate, catalog.TypeInt8,
		{Kind: catalog.Timestamp, Typmod: -1}, catalog.NumericType(15, 2), catalog.NumericType(38, 2)}
	ops := []BinaryOp{OpEq, OpNe, OpLt, OpLe, OpGt, OpGe}
	ctx := NewContext(context.Background())
	rng := rand.New(rand.NewSource(9))
	for _, typ := range types {
		for _, n := range []int{0, 1, 1023, 1024, 1025} {
			for _, nullEvery := range []int{0, 3} {
				x := selectTestColumn(typ, n, nullEvery, rng)
				y := selectTestColumn(typ, n, 5, rng)
				b := &Batch{Cols: []arrow.Array{x, y}, Len: n}
				var sel []int32
				for i := 0; i < n; i += 2 {
					sel = append(sel, int32(i))
				}
				for _, op := range ops {
					// One comparison with a rebound value serves every
					// constant, as a kept plan's runs do.
					var cur catalog.Datum
					rebound := must(Binary(op, ColumnRef(0, typ), Rebound(typ, func() catalog.Datum { return cur })))
					if _, ok := rebound.(*reboundCompare); !ok {
						t.Fatalf("%s/%s: %T, not a reboundCompare", typ, op, rebound)
					}
					for _, c := range []int64{-3, 0, 4, 99} {
						name := fmt.Sprintf("%s/%d/%d/%s/%d", typ, n, nullEvery, op, c)
						cur = selectTestConst(typ, c)
						col := ColumnRef(0, typ)
						pred := must(Binary(op, col, Literal(selectTestConst(typ, c), typ)))
						if _, ok := pred.(*constCompare); !ok {
							t.Fatalf("%s: %T, not a constCompare", name, pred)
						}
						k, err := compareKernel(op, typ, typ)
						if err != nil {
							t.Fatal(err)
						}
						plain := &binaryExpr{l: col, r: Literal(selectTestConst(typ, c), typ), t: catalog.TypeBool, kernel: k}
						other := must(Binary(OpLe, ColumnRef(1, typ), col)) // no constant: evaluated
						for _, in := range []*Batch{b, {Cols: b.Cols, Len: n, Sel: sel}} {
							checkSelect(t, ctx, name, pred, plain, in)
							checkSelect(t, ctx, name+"/and", And(pred, other, pred), And(plain, other, plain), in)
							checkSelect(t, ctx, name+"/and-first", And(other, pred), And(other, plain), in)
							checkSelect(t, ctx, name+"/rebound", rebound, plain, in)
							checkSelect(t, ctx, name+"/rebound-and", And(other, rebound), And(other, plain), in)
						}
					}
					cur = nil
					null := must(Binary(op, ColumnRef(0, typ), Literal(nil, typ)))
					checkSelect(t, ctx, fmt.Sprintf("%s/%d/%d/%s/NULL", typ, n, nullEvery, op), rebound, null, b)
				}
				x.Release()
				y.Release()
			}
		}
	}
}

// checkSelect compares SelectTrue of pred with the rows where want,
// evaluated as a boolean expression, is true.
func checkSelect(t *testing.T, ctx *Context, name string, pred, want Expr, b *Batch) {
	t.Helper()
	got, err := SelectTrue(ctx, pred, b, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, err := want.Eval(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Release()
	v := boolViewOf(a)
	var exp []int32
	for _, i := range rowsOf(b) {
		if v.valid(int(i)) && v.value(int(i)) {
			exp = append(exp, i)
		}
	}
	if !slices.Equal(got, exp) && !(len(got) == 0 && len(exp) == 0) {
		t.Fatalf("%s (selection %v): selected %d rows, want %d", name, b.Sel != nil, len(got), len(exp))
	}
	// Appending after rows already in dst keeps them.
	pre := []int32{-7}
	got2, err := SelectTrue(ctx, pred, b, pre)
	if err != nil {
		t.Fatal(err)
	}
	if got2[0] != -7 || !slices.Equal(got2[1:], got) {
		t.Fatalf("%s: appending to a non-empty selection changed it", name)
	}
}

// TestSelectConstCompareFallsBack keeps comparisons without a selecting
// kernel (a NULL constant, a constant on the left, text) as plain
// expressions.
func TestSelectConstCompareFallsBack(t *testing.T) {
	for _, e := range []Expr{
		must(Binary(OpLt, ColumnRef(0, catalog.TypeInt4), Literal(nil, catalog.TypeInt4))),
		must(Binary(OpLt, Literal(int32(1), catalog.TypeInt4), ColumnRef(0, catalog.TypeInt4))),
		must(Binary(OpLt, ColumnRef(0, catalog.TypeText), Literal("a", catalog.TypeText))),
	} {
		if _, ok := e.(*constCompare); ok {
			t.Errorf("%T selects directly", e)
		}
	}
}

// TestSelectPairCompare checks that filtering by a comparison of two
// columns of one integer, date or timestamp type selects exactly the rows
// where the comparison evaluated as an expression is true, for every
// operator, batches straddling 1024 rows, with and without NULLs on
// either side and an incoming selection, alone and in conjunctions.
func TestSelectPairCompare(t *testing.T) {
	types := []catalog.Type{catalog.TypeInt2, catalog.TypeInt4, catalog.TypeDate, catalog.TypeInt8, {Kind: catalog.Timestamp, Typmod: -1}}
	ops := []BinaryOp{OpEq, OpNe, OpLt, OpLe, OpGt, OpGe}
	ctx := NewContext(context.Background())
	rng := rand.New(rand.NewSource(10))
	for _, typ := range types {
		for _, n := range []int{0, 1, 1023, 1024, 1025} {
			for _, nulls := range [][2]int{{0, 0}, {3, 0}, {0, 4}} {
				x := selectTestColumn(typ, n, nulls[0], rng)
				y := selectTestColumn(typ, n, nulls[1], rng)
				b := &Batch{Cols: []arrow.Array{x, y}, Len: n}
				var sel []int32
				for i := 0; i < n; i += 3 {
					sel = append(sel, int32(i))
				}
				for _, op := range ops {
					name := fmt.Sprintf("%s/%d/%v/%s", typ, n, nulls, op)
					pred := must(Binary(op, ColumnRef(0, typ), ColumnRef(1, typ)))
					if _, ok := pred.(*pairCompare); !ok {
						t.Fatalf("%s: %T, not a pairCompare", name, pred)
					}
					k, err := compareKernel(op, typ, typ)
					if err != nil {
						t.Fatal(err)
					}
					plain := &binaryExpr{l: ColumnRef(0, typ), r: ColumnRef(1, typ), t: catalog.TypeBool, kernel: k}
					other := must(Binary(OpGe, ColumnRef(0, typ), Literal(selectTestConst(typ, -4), typ)))
					for _, in := range []*Batch{b, {Cols: b.Cols, Len: n, Sel: sel}} {
						checkSelect(t, ctx, name, pred, plain, in)
						checkSelect(t, ctx, name+"/and", And(other, pred), And(other, plain), in)
						checkSelect(t, ctx, name+"/and-first", And(pred, other), And(plain, other), in)
					}
				}
				x.Release()
				y.Release()
			}
		}
	}
}
