package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/numeric"
)

// Aggregates with var-scale numeric results, as PostgreSQL computes them:
//
//	sum(var numeric)             var: exact, the largest input display scale
//	avg(var numeric)             var: sum / count with numeric division
//	avg(decimal128 numeric)      var: the decimal sum (fast path) divided
//	                             once per group by the count
//	avg(int2/int4/int8)          var: the exact integer sum / count
//	min/max(var numeric)         var: numeric.Compare order, the value
//	                             as it was (1.50 stays 1.50)
//
// Partial states of parallel aggregation merge exactly (numeric.Sum.Merge).

// varSumState is sum or avg over var numeric input, one numeric.Sum per
// group.
type varSumState struct {
	avg  bool
	sums []numeric.Sum
	calc numeric.Calc
}

func (s *varSumState) grow(g int) { s.sums = growTo(s.sums, g) }

func (s *varSumState) update(arg arrow.Array, rows, groups []int32) error {
	v := varlenViewOf(arg)
	for k, i := range rows {
		if !v.valid(int(i)) {
			continue
		}
		s.sums[groups[k]].Add(v.bytes(int(i)))
	}
	return nil
}

func (s *varSumState) merge(from aggState, groups []int32) error {
	f := from.(*varSumState)
	for g := range f.sums {
		if f.sums[g].Count() == 0 {
			continue
		}
		s.sums[groups[g]].Merge(&f.sums[g])
	}
	return nil
}

func (s *varSumState) finish(mem memory.Allocator) arrow.Array {
	out := newVarlenBuilder(mem, len(s.sums), len(s.sums)*12)
	for g := range s.sums {
		sum := &s.sums[g]
		if sum.Count() == 0 {
			out.appendNull()
			continue
		}
		var r []byte
		var err error
		if s.avg {
			r, err = sum.AppendAvg(&s.calc, out.space(varNumHint))
		} else {
			r, err = sum.Append(out.space(varNumHint))
		}
		if err != nil {
			// Only a sum beyond the numeric format (10^131072) fails;
			// finish has no error path, so such a group is NULL.
			out.appendNull()
			continue
		}
		out.commit(r)
	}
	return out.finish(catalog.TypeNumeric)
}

// finishVarFromCounts builds a var numeric aggregate column from exact
// per-group sums held as decimal128 at scale sumScale: sum, or with avg
// the sum divided by the count with numeric division.
func finishVarFromCounts(mem memory.Allocator, sums []decimal128.Num, sumScale int32, count []int64, avg bool) arrow.Array {
	var c numeric.Calc
	var num, den []byte
	out := newVarlenBuilder(mem, len(count), len(count)*12)
	for g, n := range count {
		if n == 0 {
			out.appendNull()
			continue
		}
		v := sums[g]
		var err error
		num, err = numeric.FromDecimal128(num[:0], v.HighBits(), v.LowBits(), sumScale)
		if err != nil {
			out.appendNull()
			continue
		}
		if !avg {
			out.appendBytes(num)
			continue
		}
		den = numeric.FromInt64(den[:0], n)
		r, err := c.Div(out.space(varNumHint), num, den)
		if err != nil {
			out.appendNull()
			continue
		}
		out.commit(r)
	}
	return out.finish(catalog.TypeNumeric)
}

// minMaxVarNum is min or max over var numeric.
type minMaxVarNum struct {
	t   catalog.Type
	max bool
	valueAndSeen[[]byte]
}

func (s *minMaxVarNum) update(arg arrow.Array, rows, groups []int32) error {
	v := varlenViewOf(arg)
	want := -1
	if s.max {
		want = 1
	}
	for k, i := range rows {
		if !v.valid(int(i)) {
			continue
		}
		g := groups[k]
		x := v.bytes(int(i))
		// numeric_smaller/numeric_larger keep the new value on a tie
		// (1.5 then 1.50 gives 1.50).
		if s.seen[g] && numeric.Compare(x, s.val[g]) == -want {
			continue
		}
		// Copy into the group's own buffer: the batch's memory goes away
		// after this call.
		s.val[g], s.seen[g] = append(s.val[g][:0], x...), true
	}
	return nil
}

func (s *minMaxVarNum) merge(from aggState, groups []int32) error {
	want := -1
	if s.max {
		want = 1
	}
	s.mergeValues(&from.(*minMaxVarNum).valueAndSeen, groups, func(cur, other []byte) []byte {
		if numeric.Compare(other, cur) == -want {
			return cur
		}
		return other
	})
	return nil
}

func (s *minMaxVarNum) finish(mem memory.Allocator) arrow.Array {
	return finishVarlenValues(mem, s.t, &s.valueAndSeen)
}

// addVarNumDatums adds two var numeric Datums (window frames combining
// partial sums; per peer group, not per row of a kernel).
func addVarNumDatums(a, b []byte) []byte {
	var c numeric.Calc
	r, err := c.Add(nil, a, b)
	if err != nil {
		return numeric.NaN(nil)
	}
	return r
}

// avgDatum divides a window frame's sum (a var numeric []byte or a
// decimal128 at scale sumScale) by its count with numeric division, for
// a var numeric avg.
func avgDatum(sum catalog.Datum, sumScale int32, count int64) catalog.Datum {
	var num []byte
	switch s := sum.(type) {
	case []byte:
		num = s
	case decimal128.Num:
		var err error
		if num, err = numeric.FromDecimal128(nil, s.HighBits(), s.LowBits(), sumScale); err != nil {
			return nil
		}
	default:
		return nil
	}
	var c numeric.Calc
	r, err := c.Div(nil, num, numeric.FromInt64(nil, count))
	if err != nil {
		return nil
	}
	return r
}
