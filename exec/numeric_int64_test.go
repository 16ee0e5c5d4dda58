package exec

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// TestNumericInt64PathMatchesExact checks numeric +, - and * around the
// edges of the int64 fast path against exact big.Int arithmetic.
func TestNumericInt64PathMatchesExact(t *testing.T) {
	edges := []string{"0", "1", "-1", "2147483647", "-2147483648", "2147483648", "-2147483649", "4611686018427387903", "-4611686018427387903",
		"4611686018427387904", "-4611686018427387904", "9223372036854775807", "1000000000000000000", "99999999999999999999999999999999999"}
	limit := new(big.Int).Exp(big.NewInt(10), big.NewInt(38), nil)
	for _, sc := range [][2]int32{{0, 0}, {2, 2}, {2, 0}, {0, 4}} {
		types := []catalog.Type{catalog.UnconstrainedNumeric(sc[0]), catalog.UnconstrainedNumeric(sc[1])}
		for _, op := range []BinaryOp{OpAdd, OpSub, OpMul} {
			e := must(Binary(op, ColumnRef(0, types[0]), ColumnRef(1, types[1])))
			rs := e.Type().Scale
			for _, xs := range edges {
				for _, ys := range edges {
					x, _ := new(big.Int).SetString(xs, 10)
					y, _ := new(big.Int).SetString(ys, 10)
					var want *big.Int
					switch op {
					case OpMul:
						want = new(big.Int).Mul(x, y)
					default:
						a := new(big.Int).Mul(x, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(rs-sc[0])), nil))
						b := new(big.Int).Mul(y, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(rs-sc[1])), nil))
						if op == OpAdd {
							want = a.Add(a, b)
						} else {
							want = a.Sub(a, b)
						}
					}
					row := []catalog.Datum{decimal128.FromBigInt(x), decimal128.FromBigInt(y)}
					// A second row of zeros keeps the batch from being all edge values.
					got, err := evalExpr(t, e, types, [][]catalog.Datum{row, {decimal128.Num{}, decimal128.Num{}}})
					if new(big.Int).Abs(want).Cmp(limit) >= 0 {
						if err == nil {
							t.Errorf("%s %v %s (scales %v): got %v, want overflow", xs, op, ys, sc, got[0])
						}
						continue
					}
					if err != nil {
						t.Errorf("%s %v %s (scales %v): %v", xs, op, ys, sc, err)
						continue
					}
					if g := got[0].(decimal128.Num).BigInt(); g.Cmp(want) != 0 {
						t.Errorf("%s %v %s (scales %v): got %s, want %s", xs, op, ys, sc, g, want)
					}
				}
			}
		}
	}
}

// TestNumericCompareMatchesExact checks numeric comparisons of one scale,
// inside and outside int64, against big.Int.
func TestNumericCompareMatchesExact(t *testing.T) {
	edges := []string{"0", "-1", "1", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
		"-9223372036854775809", "18446744073709551616", "-99999999999999999999999999999999999"}
	ty := catalog.UnconstrainedNumeric(2)
	types := []catalog.Type{ty, ty}
	for _, op := range []BinaryOp{OpEq, OpNe, OpLt, OpLe, OpGt, OpGe} {
		e := must(Binary(op, ColumnRef(0, ty), ColumnRef(1, ty)))
		for _, xs := range edges {
			for _, ys := range edges {
				x, _ := new(big.Int).SetString(xs, 10)
				y, _ := new(big.Int).SetString(ys, 10)
				got, err := evalExpr(t, e, types, [][]catalog.Datum{{decimal128.FromBigInt(x), decimal128.FromBigInt(y)}, {nil, decimal128.Num{}}})
				if err != nil {
					t.Fatal(err)
				}
				if want := opHolds(op, x.Cmp(y)); got[0] != want || got[1] != nil {
					t.Errorf("%s %v %s: got %v, want %v", xs, op, ys, got, want)
				}
			}
		}
	}
}

// TestNumericCastSameScale checks that a cast keeping the scale keeps the
// values, and still checks a tighter precision.
func TestNumericCastSameScale(t *testing.T) {
	from := catalog.NumericType(15, 2)
	v := dec("1234567.89", 2)
	for _, to := range []catalog.Type{catalog.UnconstrainedNumeric(2), catalog.NumericType(20, 2)} {
		got, err := evalExpr(t, must(Cast(ColumnRef(0, from), to)), []catalog.Type{from}, [][]catalog.Datum{{v}, {nil}})
		if err != nil || got[0] != v || got[1] != nil {
			t.Errorf("cast to %v: %v, %v", to, got, err)
		}
	}
	_, err := evalExpr(t, must(Cast(ColumnRef(0, from), catalog.NumericType(8, 2))), []catalog.Type{from}, [][]catalog.Datum{{v}})
	wantCode(t, err, pgerr.NumericValueOutOfRange)
}

// TestNumericSumMatchesExact sums values inside and outside the int64
// partial sums of few groups, with and without NULLs, against big.Int.
func TestNumericSumMatchesExact(t *testing.T) {
	ty := catalog.NumericType(38, 2)
	values := []string{"1", "-70368744177663", "70368744177664", "-70368744177664", "123456789012345678901234", "-5", "99"}
	for _, withNulls := range []bool{false, true} {
		var rows [][]catalog.Datum
		want := map[int32]*big.Int{}
		for i := range 3000 {
			g := int32(i % 3)
			if withNulls && i%5 == 0 {
				rows = append(rows, []catalog.Datum{g, nil})
				continue
			}
			x, _ := new(big.Int).SetString(values[i%len(values)], 10)
			rows = append(rows, []catalog.Datum{g, decimal128.FromBigInt(x)})
			if want[g] == nil {
				want[g] = new(big.Int)
			}
			want[g].Add(want[g], x)
		}
		src := source([]catalog.Type{tInt, ty}, rows)
		src.per = 1000
		got := collect(t, NewHashAggregate(src, []Expr{ColumnRef(0, tInt)}, []Aggregate{{Func: AggSum, Arg: ColumnRef(1, ty), Type: catalog.UnconstrainedNumeric(2)}}))
		if len(got) != 3 {
			t.Fatalf("%d groups", len(got))
		}
		for _, r := range got {
			if s := r[1].(decimal128.Num).BigInt(); s.Cmp(want[r[0].(int32)]) != 0 {
				t.Errorf("nulls %v, group %v: sum %s, want %s", withNulls, r[0], s, want[r[0].(int32)])
			}
		}
	}
}

// TestNumericConstOperandMatchesColumn checks the constant-operand
// kernels (a literal on either side of +, - and *) against the same
// arithmetic with the constant as a column, over columns of small values,
// NULLs, values off the int64 path and values whose result overflows, at
// batch sizes around the kernels' loops.
func TestNumericConstOperandMatchesColumn(t *testing.T) {
	consts := []string{"1", "-1", "0", "1.1", "-250000.05", "4611686018427387903", "99999999999999999999999999999999999"}
	small := []string{"0.04", "-17.5", "905.01", "1", "0"}
	big := []string{"4611686018427387904", "-99999999999999999999999999999999999", "9223372036854775807"}
	for _, sc := range [][2]int32{{0, 2}, {2, 2}, {2, 0}, {1, 4}} {
		for _, op := range []BinaryOp{OpAdd, OpSub, OpMul} {
			for _, cs := range consts {
				for _, constRight := range []bool{false, true} {
					for _, n := range []int{1, 7, 1500} {
						for _, withBig := range []bool{false, true} {
							ct, yt := catalog.UnconstrainedNumeric(sc[0]), catalog.UnconstrainedNumeric(sc[1])
							c := dec(cs, sc[0])
							rows := make([][]catalog.Datum, n)
							for i := range rows {
								var v catalog.Datum = dec(small[i%len(small)], sc[1])
								switch {
								case i%5 == 3:
									v = nil
								case withBig && i == n/2:
									v = dec(big[i%len(big)], 0)
								}
								rows[i] = []catalog.Datum{v, c}
							}
							types := []catalog.Type{yt, ct}
							lit, col := Literal(c, ct), ColumnRef(1, ct)
							y := ColumnRef(0, yt)
							l1, r1, l2, r2 := lit, y, col, y
							if constRight {
								l1, r1, l2, r2 = y, lit, y, col
							}
							e := must(Binary(op, l1, r1))
							if _, ok := numericConstKernel(op, l1, r1, sc[0], sc[1], e.Type().Scale, nil); !ok && len(cs) < 12 {
								t.Fatalf("%s %v: no constant kernel", cs, op)
							}
							per := []int{3, n}[n%2]
							got, gerr := evalExprPer(t, e, types, rows, per)
							want, werr := evalExprPer(t, must(Binary(op, l2, r2)), types, rows, per)
							name := fmt.Sprintf("%s %v (const right %v, scales %v, n %d, big %v)", cs, op, constRight, sc, n, withBig)
							if (gerr == nil) != (werr == nil) {
								t.Fatalf("%s: error %v, want %v", name, gerr, werr)
							}
							if gerr != nil {
								continue
							}
							for i := range want {
								if got[i] != want[i] {
									t.Fatalf("%s: row %d: got %v, want %v", name, i, got[i], want[i])
								}
							}
						}
					}
				}
			}
		}
	}
}

// TestNumericMulRowsMatchesExact checks numericMulRows on batches without
// NULLs against exact big.Int products: factors on both sides of 2^31, of
// either sign, 128-bit ones (some with a small low word), under a
// selection that skips rows.
func TestNumericMulRowsMatchesExact(t *testing.T) {
	edges := []int64{0, 1, -1, 1<<31 - 1, -1 << 31, 1 << 31, -1<<31 - 1, 1 << 40, -(1 << 40), 123456789, -987654}
	rng := rand.New(rand.NewPCG(3, 5))
	for _, n := range []int{1, 7, 64, 1000} {
		for _, mode := range []string{"small", "edges", "wide"} {
			x, y := make([]decimal128.Num, n), make([]decimal128.Num, n)
			for i := range n {
				switch mode {
				case "small":
					x[i], y[i] = decimal128.FromI64(rng.Int64N(1<<31)-1<<30), decimal128.FromI64(rng.Int64N(1<<20))
				case "edges":
					x[i], y[i] = decimal128.FromI64(edges[rng.IntN(len(edges))]), decimal128.FromI64(edges[rng.IntN(len(edges))])
				case "wide":
					// 128-bit values, some whose low word alone looks small.
					x[i], y[i] = decimal128.New(int64(rng.IntN(3)-1), rng.Uint64()), decimal128.FromI64(rng.Int64N(100))
					if i%2 == 0 {
						x[i] = decimal128.New(int64(rng.IntN(2)*2-1), uint64(rng.IntN(1000)))
					}
				}
			}
			var rows []int32
			for i := range n {
				if i%3 != 1 || n == 1 {
					rows = append(rows, int32(i))
				}
			}
			out := newFixedBuilder[decimal128.Num](memory.DefaultAllocator, n)
			ok := numericMulRows(x, y, out.vals, rows, out)
			limit := new(big.Int).Exp(big.NewInt(10), big.NewInt(38), nil)
			overflow := false
			for _, i := range rows {
				want := new(big.Int).Mul(x[i].BigInt(), y[i].BigInt())
				if new(big.Int).Abs(want).Cmp(limit) >= 0 {
					overflow = true
					continue
				}
				if ok && out.vals[i].BigInt().Cmp(want) != 0 {
					t.Fatalf("%s n=%d row %d: %s * %s = %s, want %s", mode, n, i, x[i].BigInt(), y[i].BigInt(), out.vals[i].BigInt(), want)
				}
			}
			if ok == overflow {
				t.Fatalf("%s n=%d: reported %v with an overflow %v", mode, n, ok, overflow)
			}
			out.finish(catalog.UnconstrainedNumeric(0)).Release()
		}
	}
}
