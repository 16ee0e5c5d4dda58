package exec

import (
	"context"
	"fmt"
	"testing"

	"github.com/pqdb/pqdb/catalog"
)

// BenchmarkRecursiveUnionSeries is WITH RECURSIVE t(n) AS (SELECT 1 UNION
// ALL SELECT n+1 FROM t WHERE n < N): N iterations of one row each, the
// per-iteration cost of re-opening the recursive term.
func BenchmarkRecursiveUnionSeries(b *testing.B) {
	i4 := catalog.TypeInt4
	for _, limit := range []int32{1000, 10000} {
		b.Run(fmt.Sprint(limit), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				wt := NewWorkTable([]catalog.Type{i4})
				add, _ := Binary(OpAdd, ColumnRef(0, i4), Literal(int32(1), i4))
				lt, _ := Binary(OpLt, ColumnRef(0, i4), Literal(limit, i4))
				rec := NewProject(NewFilter(NewWorkTableScan(wt), lt), []Expr{add})
				op := NewRecursiveUnion(NewValues([][]Expr{{Literal(int32(1), i4)}}, []catalog.Type{i4}), rec, wt, true)
				ctx := NewContext(context.Background())
				n := 0
				if err := Drain(ctx, op, func(b *Batch) error { n += b.NumRows(); return nil }); err != nil || n != int(limit) {
					b.Fatal(err, n)
				}
			}
		})
	}
}
