package exec

import (
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/numeric"
)

// The Julian day of a timestamp or timestamptz, extract(julian ...) and
// date_part('julian', ...), is PostgreSQL 15's DTK_JULIAN of
// timestamp_part_common: the day number date2j of the date (a
// timestamptz's in the session's zone) plus the time of day as a fraction
// of a day. extract computes the fraction in numeric, the microseconds of
// the day divided by those of a whole day with numeric_div's result
// scale, so the result's scale depends on the value (midnight gives
// 2458850.0000000000000000000000000000, noon 2458850.50000000000000000000)
// and the result is var-scale numeric. date_part computes it in float8
// in PostgreSQL's order of operations, so its last bits match. A date's
// Julian day is the plain day number (fieldValue). An infinite timestamp's
// Julian day is ±Infinity (datetime_infinite.go).

// julianDayOfEpoch is date2j(1970, 1, 1): day 0 of pqdb's day numbers.
const julianDayOfEpoch = 2440588

// julianHasFraction reports whether field of a value of kind k is the
// Julian day with a time fraction.
func julianHasFraction(field string, k catalog.Kind) bool {
	return field == "julian" && (k == catalog.Timestamp || k == catalog.TimestampTZ)
}

// julianKernel computes the Julian days of a timestamp or timestamptz
// column (src) as t: float8 for date_part, var numeric for extract.
func julianKernel(src, t catalog.Type, z *catalog.ZoneCursor) funcKernel {
	zoned := src.Kind == catalog.TimestampTZ
	if t.Kind == catalog.Float8 {
		return func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
			ts := fixedValues[int64](a[0])
			out := newFixedBuilder[float64](mem, b.Len)
			out.nullMask = combineNulls(mem, b.Len, a[0])
			for _, i := range rowsOf(b) {
				if out.isNull(int(i)) {
					continue
				}
				if inf := tsInfiniteSign(ts[i]); inf != 0 {
					out.vals[i] = math.Inf(inf)
					continue
				}
				day, tod, _ := wallClock(ts[i], zoned, z)
				// date2j + (seconds + fsec / 1000000.0) / SECS_PER_DAY
				secs := float64(tod/microsPerSecond) + float64(tod%microsPerSecond)/1000000.0
				out.vals[i] = float64(day+julianDayOfEpoch) + secs/86400
			}
			return out.finish(t), nil
		}
	}
	c := new(numeric.Calc)
	perDay := numeric.FromInt64(nil, microsPerDay)
	var jd, micros, frac []byte
	return func(mem memory.Allocator, a []arrow.Array, b *Batch) (arrow.Array, error) {
		ts := fixedValues[int64](a[0])
		return buildVarNumeric(mem, b, t, validityOf(a[0]), validity{}, func(dst []byte, i int) ([]byte, error) {
			switch tsInfiniteSign(ts[i]) {
			case 1:
				return numeric.PosInf(dst), nil
			case -1:
				return numeric.NegInf(dst), nil
			}
			day, tod, _ := wallClock(ts[i], zoned, z)
			micros = numeric.FromInt64(micros[:0], tod)
			var err error
			if frac, err = c.Div(frac[:0], micros, perDay); err != nil {
				return dst, err
			}
			jd = numeric.FromInt64(jd[:0], day+julianDayOfEpoch)
			return c.Add(dst, jd, frac)
		})
	}
}
