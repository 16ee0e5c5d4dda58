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

func (s *varSumState) copyGroup(from, to int32) {
	s.sums[to].Reset()
	s.sums[to].Merge(&s.sums[from])
}

func (s *varSumState) update(args []arrow.Array, rows, groups []int32) error {
	arg := args[0]
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
		t := groups[g]
		if t < 0 || f.sums[g].Count() == 0 {
			continue
		}
		s.sums[t].Merge(&f.sums[g])
	}
	return nil
}

func (s *varSumState) finish(mem memory.Allocator) (arrow.Array, error) {
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
	return out.finish(catalog.TypeNumeric), nil
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

func (s *minMaxVarNum) update(args []arrow.Array, rows, groups []int32) error {
	arg := args[0]
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

// copyGroup copies the bytes: update rewrites a group's buffer in place.
func (s *minMaxVarNum) copyGroup(from, to int32) {
	s.val[to], s.seen[to] = append(s.val[to][:0], s.val[from]...), s.seen[from]
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

func (s *minMaxVarNum) finish(mem memory.Allocator) (arrow.Array, error) {
	return finishVarlenValues(mem, s.t, &s.valueAndSeen), nil
}
