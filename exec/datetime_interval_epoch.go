package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// extract(epoch from interval) counts a year as 365.25 days and a month
// as 30 days, as PostgreSQL does: for the widest intervals (178 million
// years) that is more microseconds than an int64 holds, the scaled
// integer every other field is computed as (fieldValue), so this field
// is computed in 128 bits.

// intervalEpoch is extract(epoch from v) in microseconds.
func intervalEpoch(v arrow.MonthDayNanoInterval) decimal128.Num {
	months := int64(v.Months)
	secs := (months/12)*31557600 + (months%12)*30*86400 + int64(v.Days)*86400
	return decimal128.FromI64(secs).Mul(decimal128.FromI64(microsPerSecond)).Add(decimal128.FromI64(v.Nanoseconds / 1000))
}

// intervalEpochKernel is extractKernel's for the epoch of an interval
// as t, float8 (date_part) or decimal128 at scale 6; extractKernel's var
// numeric loop computes it with intervalEpoch too.
func intervalEpochKernel(t, src catalog.Type, z *catalog.ZoneCursor) funcKernel {
	if t.Kind == catalog.Float8 {
		return intervalEpochFixed(t, src, z, func(n decimal128.Num) float64 { return decToFloat(n, 6) })
	}
	return intervalEpochFixed(t, src, z, func(n decimal128.Num) decimal128.Num { return n })
}

// intervalEpochFixed is intervalEpochKernel into a fixed-width column:
// convert makes its value of the epoch.
func intervalEpochFixed[T fixedWidth](t, src catalog.Type, z *catalog.ZoneCursor, convert func(decimal128.Num) T) funcKernel {
	return func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
		r := newPartsReader(a[0], src, z)
		out := newFixedBuilder[T](mem, b.Len)
		out.nullMask = combineNulls(mem, b.Len, a[0])
		for _, i := range rowsOf(b) {
			if !out.isNull(int(i)) {
				out.vals[i] = convert(intervalEpoch(r.at(int(i)).iv))
			}
		}
		return out.finish(t), nil
	}
}
