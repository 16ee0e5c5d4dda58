package exec

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/pqdb/pqdb/catalog"
)

// TestDecimalSumFewGroups: sums and averages of numeric values over few
// groups (updateFew's lanes of int64 partial sums, and the 128-bit
// additions of values past 2^46) equal exact sums, for small and large
// values of both signs in batches of one to thousands of rows.
func TestDecimalSumFewGroups(t *testing.T) {
	n38 := catalog.NumericType(38, 0)
	rng := rand.New(rand.NewPCG(5, 6))
	var rows [][]catalog.Datum
	sums := map[int32]*big.Int{}
	counts := map[int32]int64{}
	for i := range 7000 {
		g := int32(rng.IntN(3))
		v := rng.Int64N(2_000_001) - 1_000_000
		if i%10 == 3 {
			v = rng.Int64N(1<<60) - 1<<59 // past the int64 lanes' bound
		}
		rows = append(rows, []catalog.Datum{g, decimal128.FromI64(v)})
		if sums[g] == nil {
			sums[g] = new(big.Int)
		}
		sums[g].Add(sums[g], big.NewInt(v))
		counts[g]++
	}
	for _, per := range []int{1, 3, 1000, 4096} {
		src := source([]catalog.Type{tInt, n38}, rows)
		src.per = per
		agg := NewHashAggregate(src, []Expr{ColumnRef(0, tInt)}, []Aggregate{
			{Func: AggSum, Arg: ColumnRef(1, n38), Type: catalog.UnconstrainedNumeric(0)},
			{Func: AggCountStar, Type: catalog.TypeInt8},
		})
		got := collect(t, agg)
		if len(got) != len(sums) {
			t.Fatalf("batches of %d: %d groups", per, len(got))
		}
		for _, r := range got {
			g := r[0].(int32)
			sum := r[1].(decimal128.Num).BigInt()
			if sum.Cmp(sums[g]) != 0 || r[2].(int64) != counts[g] {
				t.Fatalf("batches of %d, group %d: sum %s count %d, want %s %d", per, g, sum, r[2], sums[g], counts[g])
			}
		}
	}
}
