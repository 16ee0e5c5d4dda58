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

// edgeInts are integers around zero, at the byte boundaries of their
// magnitude, and at int64's ends.
var edgeInts = []int64{0, 1, -1, 2, -2, 127, 128, -128, -129, 255, 256, -255, -256, -257, 65535, 65536, -65536, -65537,
	math.MaxInt32, math.MinInt32, math.MaxInt64, math.MinInt64, math.MinInt64 + 1}

// checkKeysOrder encodes the key column (first, ascending then
// descending) followed by a small int tie-breaker and checks that every
// pair of rows' keys compares as compare says their values do, then as
// the tie-breakers: the first key is also prefix-free.
func checkKeysOrder(t *testing.T, typ catalog.Type, col arrow.Array, compare func(i, j int) int) {
	t.Helper()
	n := col.Len()
	rng := rand.New(rand.NewSource(2))
	ib := array.NewInt32Builder(memory.DefaultAllocator)
	for range n {
		ib.Append(int32(rng.Intn(3) - 1))
	}
	ties := ib.NewInt32Array()
	defer ties.Release()
	cols := []arrow.Array{col, ties}
	for _, desc := range []bool{false, true} {
		keys := []SortKey{{Expr: ColumnRef(0, typ), Desc: desc}, {Expr: ColumnRef(1, tInt)}}
		sk := encodeSortKeys(keys, cols, n)
		for i := range n {
			for j := range n {
				want := compare(i, j)
				if desc {
					want = -want
				}
				if want == 0 {
					want = cmp.Compare(ties.Value(i), ties.Value(j))
				}
				if got := bytes.Compare(sk.key(i), sk.key(j)); got != want {
					t.Fatalf("%s desc %v: keys of rows %d and %d compare %d, want %d", typ, desc, i, j, got, want)
				}
			}
		}
	}
}

// TestNumericSortKeysOrder: numeric(38,2) keys, from around zero to
// decimal128's ends, order as the values.
func TestNumericSortKeysOrder(t *testing.T) {
	var vals []decimal128.Num
	for _, x := range edgeInts {
		vals = append(vals, decimal128.FromI64(x))
	}
	two64 := new(big.Int).Lsh(big.NewInt(1), 64)
	for _, b := range []*big.Int{two64, new(big.Int).Neg(two64), new(big.Int).Sub(two64, big.NewInt(1)), new(big.Int).Neg(new(big.Int).Add(two64, big.NewInt(1)))} {
		vals = append(vals, decimal128.FromBigInt(b))
	}
	vals = append(vals, decimal128.MaxDecimal128, decimal128.MaxDecimal128.Negate(), decimal128.New(math.MinInt64, 0), decimal128.New(math.MaxInt64, math.MaxUint64))
	rng := rand.New(rand.NewSource(1))
	for range 300 {
		vals = append(vals, decimal128.New(rng.Int63n(3)-1, rng.Uint64()>>(rng.Intn(64))))
	}
	b := array.NewDecimal128Builder(memory.DefaultAllocator, &arrow.Decimal128Type{Precision: 38, Scale: 2})
	for i := range 2 * len(vals) {
		b.Append(vals[i%len(vals)])
	}
	col := b.NewDecimal128Array()
	defer col.Release()
	checkKeysOrder(t, catalog.NumericType(38, 2), col, func(i, j int) int { return col.Value(i).Cmp(col.Value(j)) })
}

// TestIntegerSortKeysOrder: int8, timestamp, int4 and date keys, at
// their magnitudes' byte boundaries and their types' ends, order as the
// values.
func TestIntegerSortKeysOrder(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	var vals []int64
	for range 2 {
		vals = append(vals, edgeInts...)
	}
	for range 200 {
		vals = append(vals, int64(rng.Uint64())>>rng.Intn(64))
	}
	b64 := array.NewInt64Builder(memory.DefaultAllocator)
	b32 := array.NewInt32Builder(memory.DefaultAllocator)
	for _, v := range vals {
		b64.Append(v)
		b32.Append(int32(v))
	}
	c64, c32 := b64.NewInt64Array(), b32.NewInt32Array()
	defer c64.Release()
	defer c32.Release()
	for _, typ := range []catalog.Type{catalog.TypeInt8, catalog.TypeTimestamp} {
		checkKeysOrder(t, typ, c64, func(i, j int) int { return cmp.Compare(c64.Value(i), c64.Value(j)) })
	}
	for _, typ := range []catalog.Type{catalog.TypeInt4, catalog.TypeDate} {
		checkKeysOrder(t, typ, c32, func(i, j int) int { return cmp.Compare(c32.Value(i), c32.Value(j)) })
	}
}
