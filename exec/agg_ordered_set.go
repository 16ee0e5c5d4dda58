package exec

import (
	"bytes"
	"math"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// The ordered-set aggregates, f(direct) WITHIN GROUP (ORDER BY Arg), as
// PostgreSQL's orderedsetaggs.c computes them over the non-NULL values
// of Arg sorted in the WITHIN GROUP order (OrderBy[0]'s direction):
//
//	percentile_cont(float8) (float8 | interval) → the sorted type: the
//	    value at fraction p of the way, interpolated between the two
//	    nearest rows (float8_lerp, interval_lerp);
//	percentile_disc(float8) (any sortable type) → that type: the first
//	    value whose position reaches p (row ceil(p*N));
//	mode() (any sortable type) → that type: the most frequent value,
//	    the first in sort order among equally frequent ones (equal as
//	    the type's = operator says, which is equal sort keys).
//
// The fraction, the direct argument, is constant within a group; a NULL
// fraction gives NULL, one outside [0, 1] the 22003 error (also for a
// group without rows, as in PostgreSQL), and a group without values is
// NULL. The values are buffered and sorted once all rows have arrived
// (see agg_order.go); the states do not merge (AggFunc.Splittable).

// directState is a state with a direct argument, set from the first row
// of each group that update sees.
type directState interface {
	setDirect(d arrow.Array, rows, groups []int32)
	hasDirect(g int32) bool
}

type orderedSetState struct {
	fn  AggFunc
	t   catalog.Type // the result's
	key SortKey      // the WITHIN GROUP sort, of the buffered values
	buf rowBuffer

	ngroups  int
	frac     []float64
	fracNull []bool
	fracSet  []bool
}

func newOrderedSetState(a Aggregate) (aggState, error) {
	if a.Arg == nil || len(a.OrderBy) != 1 {
		return nil, internalf("ordered-set aggregate %s without its WITHIN GROUP argument", a.Func)
	}
	in := a.Arg.Type()
	switch a.Func {
	case AggPercentileCont:
		if in.Kind != catalog.Float8 && in.Kind != catalog.Interval {
			return nil, errNoAggregate(a.Func, catalog.TypeFloat8, in)
		}
		fallthrough
	case AggPercentileDisc:
		if a.Direct == nil || a.Direct.Type().Kind != catalog.Float8 {
			return nil, internalf("%s needs a float8 fraction", a.Func)
		}
	}
	key := a.OrderBy[0]
	key.Expr = a.Arg
	return &orderedSetState{fn: a.Func, t: a.Type, key: key, buf: rowBuffer{types: []catalog.Type{in}}}, nil
}

func (s *orderedSetState) grow(g int) {
	s.ngroups = g
	s.frac = growTo(s.frac, g)
	s.fracNull = growTo(s.fracNull, g)
	s.fracSet = growTo(s.fracSet, g)
}

func (s *orderedSetState) update(args []arrow.Array, rows, groups []int32) error {
	s.buf.add(args[:1], rows, groups, true)
	return nil
}

func (s *orderedSetState) setDirect(d arrow.Array, rows, groups []int32) {
	vals := fixedValues[float64](d)
	v := validityOf(d)
	for k, i := range rows {
		g := groups[k]
		if s.fracSet[g] {
			continue
		}
		s.fracSet[g] = true
		if !v.valid(int(i)) {
			s.fracNull[g] = true
			continue
		}
		s.frac[g] = vals[i]
	}
}

func (s *orderedSetState) hasDirect(g int32) bool { return s.fracSet[g] }

func (s *orderedSetState) merge(aggState, []int32) error {
	return internalf("merge of ordered-set aggregate %s", s.fn)
}

// copyGroup is never called: ordered-set aggregates are no window
// functions.
func (s *orderedSetState) copyGroup(from, to int32) {}

// fraction returns group g's fraction, false for a NULL one, or the
// error of one outside [0, 1].
func (s *orderedSetState) fraction(g int) (float64, bool, error) {
	if !s.fracSet[g] || s.fracNull[g] {
		return 0, false, nil
	}
	p := s.frac[g]
	if p < 0 || p > 1 || math.IsNaN(p) {
		return 0, false, pgerr.New(pgerr.NumericValueOutOfRange, "percentile value %s is not between 0 and 1", percentileText(p))
	}
	return p, true, nil
}

// percentileText formats f as PostgreSQL's snprintf does with %g.
func percentileText(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	return strconv.FormatFloat(f, 'g', 6, 64)
}

func (s *orderedSetState) finish(mem memory.Allocator) (arrow.Array, error) {
	cols, err := s.buf.columns()
	if err != nil {
		return nil, err
	}
	vals := cols[0]
	order, groups, sk := sortGroupRows([]SortKey{s.key}, cols, s.buf.groups)
	s.buf.groups = nil
	// start[g], end[g]: the span of group g in order.
	start, end := make([]int32, s.ngroups), make([]int32, s.ngroups)
	for i := len(groups) - 1; i >= 0; i-- {
		start[groups[i]] = int32(i)
	}
	for i, g := range groups {
		end[g] = int32(i + 1)
	}
	if s.fn == AggPercentileCont {
		return s.finishCont(mem, vals, order, start, end)
	}
	// pick[g] is the row of the result, -1 for NULL.
	pick := make([]int32, s.ngroups)
	for g := range pick {
		pick[g] = -1
		n := int64(end[g] - start[g])
		switch s.fn {
		case AggPercentileDisc:
			p, ok, err := s.fraction(g)
			if err != nil {
				return nil, err
			}
			if !ok || n == 0 {
				continue
			}
			row := int64(math.Ceil(p * float64(n)))
			pick[g] = order[int64(start[g])+max(row-1, 0)]
		case AggMode:
			if n == 0 {
				continue
			}
			best, bestFreq := start[g], int32(0)
			for i := start[g]; i < end[g]; {
				j := i + 1
				for j < end[g] && bytes.Equal(sk.key(int(order[j])), sk.key(int(order[i]))) {
					j++
				}
				if j-i > bestFreq {
					best, bestFreq = i, j-i
				}
				i = j
			}
			pick[g] = order[best]
		}
	}
	return takeNullable(mem, s.t, vals, pick), nil
}

// finishCont computes percentile_cont: between the values at rows
// floor(p*(N-1)) and ceil(p*(N-1)) of the group, lo + (hi - lo) *
// proportion.
func (s *orderedSetState) finishCont(mem memory.Allocator, vals arrow.Array, order, start, end []int32) (arrow.Array, error) {
	type span struct {
		lo, hi int32 // rows of vals; hi < 0 when lo is the result
		pct    float64
	}
	spans := make([]span, s.ngroups)
	valid := make([]bool, s.ngroups)
	for g := range spans {
		p, ok, err := s.fraction(g)
		if err != nil {
			return nil, err
		}
		n := int64(end[g] - start[g])
		if !ok || n == 0 {
			continue
		}
		pos := p * float64(n-1)
		first, second := int64(math.Floor(pos)), int64(math.Ceil(pos))
		sp := span{lo: order[int64(start[g])+first], hi: -1}
		if second != first {
			sp.hi, sp.pct = order[int64(start[g])+second], pos-float64(first)
		}
		spans[g], valid[g] = sp, true
	}
	if s.t.Kind == catalog.Interval {
		iv := fixedValues[arrow.MonthDayNanoInterval](vals)
		out := newFixedBuilder[arrow.MonthDayNanoInterval](mem, s.ngroups)
		for g, sp := range spans {
			if !valid[g] {
				out.setNull(g)
				continue
			}
			if sp.hi < 0 {
				out.vals[g] = iv[sp.lo]
				continue
			}
			v, err := intervalLerp(iv[sp.lo], iv[sp.hi], sp.pct)
			if err != nil {
				out.finish(s.t).Release()
				return nil, err
			}
			out.vals[g] = v
		}
		return out.finish(s.t), nil
	}
	fv := fixedValues[float64](vals)
	out := newFixedBuilder[float64](mem, s.ngroups)
	for g, sp := range spans {
		switch {
		case !valid[g]:
			out.setNull(g)
		case sp.hi < 0:
			out.vals[g] = fv[sp.lo]
		default:
			lo, hi := fv[sp.lo], fv[sp.hi]
			out.vals[g] = lo + float64(sp.pct*(hi-lo))
		}
	}
	return out.finish(catalog.TypeFloat8), nil
}

// intervalLerp is interval_lerp: lo + (hi - lo) * pct with
// PostgreSQL's interval_mi, interval_mul and interval_pl.
func intervalLerp(lo, hi arrow.MonthDayNanoInterval, pct float64) (arrow.MonthDayNanoInterval, error) {
	diff, err := intervalAddSign(hi, lo, -1)
	if err != nil {
		return diff, err
	}
	m, err := intervalMul(diff, pct)
	if err != nil {
		return m, err
	}
	return intervalAddSign(m, lo, 1)
}

// intervalAddSign is a + sign*b with the overflow checks of interval_pl
// and interval_mi.
func intervalAddSign(a, b arrow.MonthDayNanoInterval, sign int64) (arrow.MonthDayNanoInterval, error) {
	m := int64(a.Months) + sign*int64(b.Months)
	d := int64(a.Days) + sign*int64(b.Days)
	if m != int64(int32(m)) || d != int64(int32(d)) {
		return arrow.MonthDayNanoInterval{}, pgerr.New(pgerr.DatetimeFieldOverflow, "interval out of range")
	}
	return arrow.MonthDayNanoInterval{Months: int32(m), Days: int32(d), Nanoseconds: a.Nanoseconds + sign*b.Nanoseconds}, nil
}
