package exec

import (
	"bytes"
	"cmp"
	"math"
	"math/big"
	"math/rand"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// TestNumericSortKeysOrder encodes numeric values (around zero, at the
// byte boundaries of their magnitude, and at decimal128's ends), each
// followed by an int key, ascending and descending: the keys must order
// as the values, then the ints, so the numeric key is also prefix-free.
func TestNumericSortKeysOrder(t *testing.T) {
	var vals []decimal128.Num
	for _, x := range []int64{0, 1, -1, 2, -2, 127, 128, -128, -129, 255, 256, -255, -256, -257, 65535, 65536, -65536, -65537, math.MaxInt64, math.MinInt64, math.MinInt64 + 1} {
		vals = append(vals, decimal128.FromI64(x))
	}
	two64 := new(big.Int).Lsh(big.NewInt(1), 64)
	for _, b := range []*big.Int{two64, new(big.Int).Neg(two64), new(big.Int).Sub(two64, big.NewInt(1)), new(big.Int).Neg(new(big.Int).Add(two64, big.NewInt(1)))} {
		vals = append(vals, decimal128.FromBigInt(b))
	}
	vals = append(vals, decimal128.MaxDecimal128, decimal128.MaxDecimal128.Negate(), decimal128.New(math.MinInt64, 0), decimal128.New(math.MaxInt64, math.MaxUint64))
	rng := rand.New(rand.NewSource(1))
	for range 300 {
		v := decimal128.New(rng.Int63n(3)-1, rng.Uint64()>>(rng.Intn(64)))
		vals = append(vals, v)
	}
	n := len(vals) * 2
	nb := array.NewDecimal128Builder(memory.DefaultAllocator, &arrow.Decimal128Type{Precision: 38, Scale: 2})
	ib := array.NewInt32Builder(memory.DefaultAllocator)
	for i := range n {
		nb.Append(vals[i%len(vals)])
		ib.Append(int32(rng.Intn(3) - 1))
	}
	cols := []arrow.Array{nb.NewArray(), ib.NewArray()}
	defer releaseAll(cols)
	numType := catalog.NumericType(38, 2)
	for _, desc := range []bool{false, true} {
		keys := []SortKey{{Expr: ColumnRef(0, numType), Desc: desc}, {Expr: ColumnRef(1, tInt)}}
		sk := encodeSortKeys(keys, cols, n)
		nums := cols[0].(*array.Decimal128)
		ints := cols[1].(*array.Int32)
		for i := range n {
			for j := range n {
				want := nums.Value(i).Cmp(nums.Value(j))
				if desc {
					want = -want
				}
				if want == 0 {
					want = cmp.Compare(ints.Value(i), ints.Value(j))
				}
				if got := bytes.Compare(sk.key(i), sk.key(j)); got != want {
					t.Fatalf("desc %v: keys of (%v, %d) and (%v, %d) compare %d, want %d", desc,
						nums.Value(i).BigInt(), ints.Value(i), nums.Value(j).BigInt(), ints.Value(j), got, want)
				}
			}
		}
	}
}
