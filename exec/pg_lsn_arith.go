package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// lsnDiffType is the result of pg_lsn - pg_lsn (pg_lsn_mi): the bytes
// between two log positions, a numeric as the difference of two uint64
// may not fit int8.
var lsnDiffType = catalog.UnconstrainedNumeric(0)

// lsnDiff computes pg_lsn - pg_lsn.
func lsnDiff(mem memory.Allocator, xa, ya arrow.Array, b *Batch) (arrow.Array, error) {
	x, y := fixedValues[int64](xa), fixedValues[int64](ya)
	out := newFixedBuilder[decimal128.Num](mem, b.Len)
	out.nullMask = combineNulls(mem, b.Len, xa, ya)
	for _, i := range rowsOf(b) {
		l, r := catalog.Uint64OfOrdered(x[i]), catalog.Uint64OfOrdered(y[i])
		if l >= r {
			out.vals[i] = decimal128.FromU64(l - r)
		} else {
			out.vals[i] = decimal128.FromU64(r - l).Negate()
		}
	}
	return out.finish(lsnDiffType), nil
}
