package exec

import (
	"time"

	"bytes"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// AggFunc is an aggregate function.
type AggFunc uint8

const (
	AggCountStar AggFunc = iota
	AggCount
	AggSum
	AggAvg
	AggMin
	AggMax
	AggBoolAnd
	AggBoolOr
	// AggStringAgg is string_agg(text, text) and string_agg(bytea,
	// bytea): Arg is the value, Arg2 the delimiter (agg_string.go).
	AggStringAgg
	// bit_and, bit_or and bit_xor of int2, int4 or int8 (agg_bits.go).
	AggBitAnd
	AggBitOr
	AggBitXor
	// The variances and standard deviations of one argument
	// (agg_stats.go): var_samp (variance), var_pop, stddev_samp (stddev),
	// stddev_pop.
	AggVarSamp
	AggVarPop
	AggStddevSamp
	AggStddevPop
	// The regression aggregates of two float8 arguments, Arg the
	// dependent Y and Arg2 the independent X (agg_regr.go).
	AggCorr
	AggCovarPop
	AggCovarSamp
	AggRegrAvgX
	AggRegrAvgY
	AggRegrCount
	AggRegrIntercept
	AggRegrR2
	AggRegrSlope
	AggRegrSxx
	AggRegrSxy
	AggRegrSyy
	// The ordered-set aggregates (agg_ordered_set.go): Arg is the WITHIN
	// GROUP sort expression, OrderBy[0] its direction and Direct the
	// fraction of the percentiles.
	AggPercentileCont
	AggPercentileDisc
	AggMode
	// AggArrayAgg is array_agg(x): the values in input order, NULLs
	// included (agg_array.go).
	AggArrayAgg
	// json_agg(x), jsonb_agg(x), json_object_agg(k, v) and
	// jsonb_object_agg(k, v) (agg_json.go): values converted as to_json
	// and to_jsonb convert them, in input order, NULLs as JSON null.
	AggJSONAgg
	AggJSONBAgg
	AggJSONObjectAgg
	AggJSONBObjectAgg
	// AggAnyValue is the value of the first row of its group, NULL
	// included: the planner groups by a table's primary key and reads
	// the columns that depend on it so (agg_any_value.go). SQL cannot
	// call it.
	AggAnyValue
)

var aggFuncNames = [...]string{
	AggCountStar: "count", AggCount: "count", AggSum: "sum", AggAvg: "avg", AggMin: "min", AggMax: "max",
	AggBoolAnd: "bool_and", AggBoolOr: "bool_or", AggStringAgg: "string_agg",
	AggBitAnd: "bit_and", AggBitOr: "bit_or", AggBitXor: "bit_xor",
	AggVarSamp: "var_samp", AggVarPop: "var_pop", AggStddevSamp: "stddev_samp", AggStddevPop: "stddev_pop",
	AggCorr: "corr", AggCovarPop: "covar_pop", AggCovarSamp: "covar_samp", AggRegrAvgX: "regr_avgx",
	AggRegrAvgY: "regr_avgy", AggRegrCount: "regr_count", AggRegrIntercept: "regr_intercept",
	AggRegrR2: "regr_r2", AggRegrSlope: "regr_slope", AggRegrSxx: "regr_sxx", AggRegrSxy: "regr_sxy",
	AggRegrSyy: "regr_syy", AggPercentileCont: "percentile_cont", AggPercentileDisc: "percentile_disc",
	AggMode: "mode", AggArrayAgg: "array_agg",
	AggJSONAgg: "json_agg", AggJSONBAgg: "jsonb_agg", AggJSONObjectAgg: "json_object_agg", AggJSONBObjectAgg: "jsonb_object_agg",
	AggAnyValue: "any_value",
}

// String is the aggregate's SQL name.
func (f AggFunc) String() string {
	if int(f) < len(aggFuncNames) {
		return aggFuncNames[f]
	}
	return "aggregate"
}

// IsOrderedSet reports whether f is an ordered-set aggregate, called
// with WITHIN GROUP (ORDER BY ...).
func (f AggFunc) IsOrderedSet() bool {
	return f == AggPercentileCont || f == AggPercentileDisc || f == AggMode
}

// Splittable reports whether f computes in partial states that merge
// into the state of all their rows, as ParallelHashAggregate needs.
// string_agg concatenates in input order, which partial states over
// partitions claimed in no fixed order would not keep, and an
// ordered-set aggregate sorts all its rows at once (PostgreSQL 15 runs
// neither in parallel).
func (f AggFunc) Splittable() bool {
	return f != AggStringAgg && f != AggArrayAgg && !f.isJSONAgg() && !f.IsOrderedSet()
}

// collectsNulls reports whether f folds rows whose argument is NULL
// (array_agg, json_agg, jsonb_agg), so that with DISTINCT one NULL row
// is kept.
func (f AggFunc) collectsNulls() bool {
	return f == AggArrayAgg || f == AggJSONAgg || f == AggJSONBAgg
}

// Splittable reports whether the aggregate can run in partial states
// that merge: its function is (AggFunc.Splittable), and it has neither
// DISTINCT nor ORDER BY.
func (a Aggregate) Splittable() bool {
	return a.Func.Splittable() && !a.Distinct && len(a.OrderBy) == 0
}

// Aggregate is one aggregate call of a grouping. Type is its result type
// as PostgreSQL resolves it: count → int8; sum(int2/int4) → int8;
// sum(int8) and sum(numeric) → numeric; sum(float) → the float; avg of
// integers or numeric → numeric (var scale when Type is, as PostgreSQL's:
// see varnumeric_agg.go);
// avg(float) → float8; min/max → the argument's type. Aggregates over no
// rows are NULL except count, which is 0.
//
// Arg2 is the second argument of the two-argument aggregates. Filter
// (FILTER (WHERE ...)) keeps the rows where it is true. OrderBy orders
// the rows an aggregate folds (string_agg(x, ',' ORDER BY y)); for an
// ordered-set aggregate it holds the WITHIN GROUP direction of Arg.
// Direct is an ordered-set aggregate's direct argument (the fraction of
// percentile_cont), over the input but constant in each group.
// Distinct folds each distinct argument list once per group.
type Aggregate struct {
	Func     AggFunc
	Arg      Expr
	Arg2     Expr
	Direct   Expr
	Filter   Expr
	OrderBy  []SortKey
	Distinct bool
	Type     catalog.Type
	// EnumLabels are the labels, in sort order, of an enum argument: min
	// and max order by them, and so does DISTINCT the rows it keeps.
	EnumLabels []string
}

// aggState holds one aggregate's running state for every group.
// update folds row rows[k] of the arguments args (Arg, then Arg2; nil
// for count(*)) into group groups[k], in that order; it is called once
// per batch, and loops over the rows itself. merge folds group g of from,
// a state of the same aggregate over other rows, into group groups[g],
// and skips the groups g whose groups[g] is negative; from stays as it
// was, to finish its other groups (parallel_hash_aggregate.go).
// copyGroup makes the empty group to a copy of group from (a window's
// running frame goes on from the previous peer group's state).
// finish returns the result of every group.
type aggState interface {
	grow(groups int)
	update(args []arrow.Array, rows, groups []int32) error
	merge(from aggState, groups []int32) error
	copyGroup(from, to int32)
	finish(mem memory.Allocator) (arrow.Array, error)
}

// distinctOrder gives a DISTINCT aggregate PostgreSQL's order of rows:
// sorted by its ORDER BY keys, then by its arguments (which alone order
// it when it has no ORDER BY), the order in which PostgreSQL sorts them
// to drop the duplicates. It matters where the result depends on the
// order: string_agg, and float sums and statistics, whose rounding does.
func distinctOrder(a Aggregate) Aggregate {
	if !a.Distinct || !orderSensitive(a) {
		return a
	}
	a.OrderBy = append([]SortKey(nil), a.OrderBy...)
	for _, e := range []Expr{a.Arg, a.Arg2} {
		if e != nil && e.Type().Kind == catalog.Enum && a.EnumLabels != nil {
			e = EnumRank(e, a.EnumLabels)
		}
		if e != nil {
			a.OrderBy = append(a.OrderBy, SortKey{Expr: e})
		}
	}
	return a
}

// orderSensitive reports whether an aggregate's result can depend on the
// order of its rows.
func orderSensitive(a Aggregate) bool {
	switch a.Func {
	case AggStringAgg, AggArrayAgg, AggJSONAgg, AggJSONBAgg, AggJSONObjectAgg, AggJSONBObjectAgg:
		return true
	case AggSum, AggAvg, AggVarSamp, AggVarPop, AggStddevSamp, AggStddevPop:
		k := a.Arg.Type().Kind
		return k == catalog.Float4 || k == catalog.Float8
	case AggCorr, AggCovarPop, AggCovarSamp, AggRegrAvgX, AggRegrAvgY, AggRegrIntercept,
		AggRegrR2, AggRegrSlope, AggRegrSxx, AggRegrSxy, AggRegrSyy:
		return true
	}
	return false
}

// newAggState makes the state of an aggregate: its function's, wrapped
// to sort the rows first when it has an ORDER BY. loc is the session's
// zone, in which json_agg prints timestamptz values (nil: UTC).
func newAggState(a Aggregate, loc *time.Location) (aggState, error) {
	if a.Func.IsOrderedSet() {
		return newOrderedSetState(a)
	}
	s, err := newPlainAggState(a, loc)
	if err != nil || len(a.OrderBy) == 0 {
		return s, err
	}
	return newSortedAggState(s, a), nil
}

// newPlainAggState makes the state of an aggregate's function, which
// folds rows in the order update gives them.
func newPlainAggState(a Aggregate, loc *time.Location) (aggState, error) {
	var at catalog.Type
	if a.Arg != nil {
		at = a.Arg.Type()
	}
	switch a.Func {
	case AggAnyValue:
		return newAnyValueState(at), nil
	case AggCountStar, AggCount:
		return &countState{star: a.Func == AggCountStar}, nil
	case AggSum, AggAvg:
		avg := a.Func == AggAvg
		switch at.Kind {
		case catalog.Int2:
			return &intSumState[int16]{avg: avg, out: a.Type}, nil
		case catalog.Int4:
			return &intSumState[int32]{avg: avg, out: a.Type}, nil
		case catalog.Int8:
			return &intSumState[int64]{avg: avg, out: a.Type}, nil
		case catalog.Numeric:
			if at.IsVarNumeric() {
				return &varSumState{avg: avg}, nil
			}
			return &decSumState{avg: avg, in: at, out: a.Type}, nil
		case catalog.Float4:
			return &floatSumState[float32]{avg: avg, out: a.Type}, nil
		case catalog.Float8:
			return &floatSumState[float64]{avg: avg, out: a.Type}, nil
		case catalog.Interval:
			if !avg {
				return &intervalSumState{out: a.Type}, nil
			}
		}
	case AggMin, AggMax:
		if at.Kind == catalog.Enum {
			return newMinMaxEnum(at, a.Func == AggMax, a.EnumLabels)
		}
		return newMinMaxState(at, a.Func == AggMax)
	case AggBoolAnd, AggBoolOr:
		if at.Kind == catalog.Bool {
			return &boolAggState{and: a.Func == AggBoolAnd}, nil
		}
	case AggStringAgg:
		return newStringAggState(a)
	case AggArrayAgg:
		return newArrayAggState(a)
	case AggJSONAgg, AggJSONBAgg, AggJSONObjectAgg, AggJSONBObjectAgg:
		return newJSONAggState(a, loc)
	case AggBitAnd, AggBitOr, AggBitXor:
		return newBitAggState(a.Func, at)
	case AggVarSamp, AggVarPop, AggStddevSamp, AggStddevPop:
		return newVarianceState(a.Func, at)
	case AggCorr, AggCovarPop, AggCovarSamp, AggRegrAvgX, AggRegrAvgY, AggRegrCount, AggRegrIntercept,
		AggRegrR2, AggRegrSlope, AggRegrSxx, AggRegrSxy, AggRegrSyy:
		return newRegrState(a)
	}
	return nil, errNoAggregate(a.Func, at)
}

func errNoAggregate(f AggFunc, args ...catalog.Type) error {
	names := make([]string, len(args))
	for i, t := range args {
		names[i] = t.String()
	}
	return pgerr.New(pgerr.UndefinedFunction, "function %s(%s) does not exist", f, strings.Join(names, ", "))
}

type countState struct {
	star bool
	n    []int64
}

func (s *countState) grow(g int) { s.n = growTo(s.n, g) }

func (s *countState) merge(from aggState, groups []int32) error {
	for g, n := range from.(*countState).n {
		if t := groups[g]; t >= 0 {
			s.n[t] += n
		}
	}
	return nil
}

func (s *countState) update(args []arrow.Array, rows, groups []int32) error {
	if s.star || args[0].NullN() == 0 {
		for _, g := range groups {
			s.n[g]++
		}
		return nil
	}
	v := validityOf(args[0])
	for k, i := range rows {
		if v.valid(int(i)) {
			s.n[groups[k]]++
		}
	}
	return nil
}

func (s *countState) copyGroup(from, to int32) { s.n[to] = s.n[from] }

func (s *countState) finish(mem memory.Allocator) (arrow.Array, error) {
	b := newFixedBuilder[int64](mem, len(s.n))
	copy(b.vals, s.n)
	return b.finish(catalog.TypeInt8), nil
}

// growTo returns s extended to length n (s itself when it is already
// that long). The new elements are zero even where they reuse capacity:
// operators keep per-group state in slices that a re-open truncates to
// [:0] (a correlated subquery re-opens its plan for every outer row), and
// what an earlier run left behind in the capacity must not become the
// next run's starting state.
func growTo[T any](s []T, n int) []T {
	if n <= len(s) {
		return s
	}
	if n <= cap(s) {
		old := len(s)
		s = s[:n]
		clear(s[old:])
		return s
	}
	out := make([]T, n, max(n, 2*cap(s)))
	copy(out, s)
	return out
}

// sumAndCount is the running sum of each group and how many rows it has
// seen; a group without rows aggregates to NULL.
type sumAndCount[S any] struct {
	sum   []S
	count []int64
}

func (s *sumAndCount[S]) grow(g int) {
	s.sum = growTo(s.sum, g)
	s.count = growTo(s.count, g)
}

func (s *sumAndCount[S]) copyGroup(from, to int32) {
	s.sum[to], s.count[to] = s.sum[from], s.count[from]
}

// mergeSums folds the sums and counts of from into s; add reports false
// when a sum overflows.
func (s *sumAndCount[S]) mergeSums(from *sumAndCount[S], groups []int32, add func(a, b S) (S, bool)) bool {
	for g, n := range from.count {
		t := groups[g]
		if n == 0 || t < 0 {
			continue
		}
		if s.count[t] == 0 {
			// Take the partial sum as it is (a float -0 stays -0).
			s.sum[t], s.count[t] = from.sum[g], n
			continue
		}
		sum, ok := add(s.sum[t], from.sum[g])
		if !ok {
			return false
		}
		s.sum[t] = sum
		s.count[t] += n
	}
	return true
}

// valueAndSeen is the current value of each group (min, max, bool_and...)
// and whether any row has set it.
type valueAndSeen[T any] struct {
	val  []T
	seen []bool
}

func (s *valueAndSeen[T]) grow(g int) {
	s.val = growTo(s.val, g)
	s.seen = growTo(s.seen, g)
}

// copyGroup copies a value (a state whose values are buffers it writes
// into has its own).
func (s *valueAndSeen[T]) copyGroup(from, to int32) {
	s.val[to], s.seen[to] = s.val[from], s.seen[from]
}

// mergeValues folds the values of from into s; pick combines the current
// value with another and returns the result.
func (s *valueAndSeen[T]) mergeValues(from *valueAndSeen[T], groups []int32, pick func(cur, other T) T) {
	for g, seen := range from.seen {
		t := groups[g]
		if !seen || t < 0 {
			continue
		}
		if !s.seen[t] {
			s.val[t], s.seen[t] = from.val[g], true
			continue
		}
		s.val[t] = pick(s.val[t], from.val[g])
	}
}

// finishGroups builds the result column of a sum-like aggregate: value(g)
// for each group with rows, NULL for the others.
func finishGroups[R fixedWidth](mem memory.Allocator, t catalog.Type, count []int64, value func(g int) R) arrow.Array {
	b := newFixedBuilder[R](mem, len(count))
	for g, n := range count {
		if n == 0 {
			b.setNull(g)
			continue
		}
		b.vals[g] = value(g)
	}
	return b.finish(t)
}

// finishSums is finishGroups of the running values themselves: a sum
// that is its own result (no rescale, no average) is copied as a whole.
func finishSums[R fixedWidth](mem memory.Allocator, t catalog.Type, count []int64, sums []R) arrow.Array {
	b := newFixedBuilder[R](mem, len(count))
	copy(b.vals, sums)
	for g, n := range count {
		if n == 0 {
			b.vals[g] = *new(R)
			b.setNull(g)
		}
	}
	return b.finish(t)
}

// intSumState sums integers exactly in 128 bits (sum(int8) can exceed
// int64; PostgreSQL's numeric result does not overflow there).
type intSumState[T int16 | int32 | int64] struct {
	avg bool
	out catalog.Type
	sumAndCount[decimal128.Num]
}

func (s *intSumState[T]) update(args []arrow.Array, rows, groups []int32) error {
	arg := args[0]
	vals := fixedValues[T](arg)
	v := validityOf(arg)
	for k, i := range rows {
		if !v.valid(int(i)) {
			continue
		}
		g := groups[k]
		s.sum[g] = s.sum[g].Add(decimal128.FromI64(int64(vals[i])))
		s.count[g]++
		if s.out.Kind == catalog.Int8 && !decFits64(s.sum[g]) {
			return errIntegerOutOfRange(catalog.Int8)
		}
	}
	return nil
}

func (s *intSumState[T]) merge(from aggState, groups []int32) error {
	int8Out := s.out.Kind == catalog.Int8
	ok := s.mergeSums(&from.(*intSumState[T]).sumAndCount, groups, func(a, b decimal128.Num) (decimal128.Num, bool) {
		z := a.Add(b)
		return z, !int8Out || decFits64(z)
	})
	if !ok {
		return errIntegerOutOfRange(catalog.Int8)
	}
	return nil
}

func (s *intSumState[T]) finish(mem memory.Allocator) (arrow.Array, error) {
	if s.out.IsVarNumeric() {
		return finishVarFromCounts(mem, s.sum, 0, s.count, s.avg), nil
	}
	if s.out.Kind == catalog.Int8 {
		return finishGroups(mem, s.out, s.count, func(g int) int64 { return int64(s.sum[g].LowBits()) }), nil
	}
	return finishGroups(mem, s.out, s.count, func(g int) decimal128.Num {
		if s.avg {
			v, _ := decDiv(s.sum[g], 0, decimal128.FromI64(s.count[g]), 0, s.out.Scale)
			return v
		}
		v, _ := decScaleUp(s.sum[g], s.out.Scale)
		return v
	}), nil
}

type decSumState struct {
	avg     bool
	in, out catalog.Type
	err     error
	sumAndCount[decimal128.Num]
	// part and counted are scratch for updateFew.
	part, counted []int64
}

// fewSumGroups is the most groups for which updateFew keeps per-batch
// int64 partial sums.
const fewSumGroups = 256

// sumLanes is how many partial sums and counts updateFew keeps per
// group. Consecutive rows of one group (with few groups, most are) add
// into different lanes, so that each addition need not wait for the
// last one's store to the same place.
const sumLanes = 4

func (s *decSumState) update(args []arrow.Array, rows, groups []int32) error {
	arg := args[0]
	vals := fixedValues[decimal128.Num](arg)
	if arg.NullN() == 0 && len(s.sum) <= fewSumGroups && len(rows) <= maxBatchRows {
		return s.updateFew(vals, rows, groups)
	}
	v := validityOf(arg)
	for k, i := range rows {
		if !v.valid(int(i)) {
			continue
		}
		g := groups[k]
		sum, ok := decAdd(s.sum[g], vals[i])
		if !ok {
			return errNumericOverflow()
		}
		s.sum[g] = sum
		s.count[g]++
	}
	return nil
}

// updateFew adds a batch without NULLs into few groups. Values below
// 2^46 in magnitude (nearly all) go to per-group int64 partial sums
// (sumLanes of them), which cannot overflow over the at most 2^16 rows
// of a batch; the others are added in 128 bits at once.
func (s *decSumState) updateFew(vals []decimal128.Num, rows, groups []int32) error {
	n := len(s.sum) * sumLanes
	if cap(s.part) < n {
		s.part = make([]int64, n, fewSumGroups*sumLanes)
		s.counted = make([]int64, n, fewSumGroups*sumLanes)
	}
	part, counted := s.part[:n], s.counted[:n]
	clear(part)
	clear(counted)
	for k, i := range rows {
		g := int(groups[k])*sumLanes + k&(sumLanes-1)
		counted[g]++
		a := int64(vals[i].LowBits())
		if vals[i].HighBits() == a>>63 && uint64(a+1<<46) < 1<<47 {
			part[g] += a
			continue
		}
		sum, ok := decAdd(s.sum[groups[k]], vals[i])
		if !ok {
			return errNumericOverflow()
		}
		s.sum[groups[k]] = sum
	}
	for g := range s.sum {
		for l := g * sumLanes; l < (g+1)*sumLanes; l++ {
			s.count[g] += counted[l]
			if part[l] == 0 {
				continue
			}
			sum, ok := decAdd(s.sum[g], decimal128.FromI64(part[l]))
			if !ok {
				return errNumericOverflow()
			}
			s.sum[g] = sum
		}
	}
	return nil
}

func (s *decSumState) merge(from aggState, groups []int32) error {
	if !s.mergeSums(&from.(*decSumState).sumAndCount, groups, decAdd) {
		return errNumericOverflow()
	}
	return nil
}

func (s *decSumState) finish(mem memory.Allocator) (arrow.Array, error) {
	if s.out.IsVarNumeric() {
		return finishVarFromCounts(mem, s.sum, s.in.Scale, s.count, s.avg), nil
	}
	if !s.avg && s.in.Scale == s.out.Scale {
		return finishSums(mem, s.out, s.count, s.sum), nil
	}
	return finishGroups(mem, s.out, s.count, func(g int) decimal128.Num {
		if s.avg {
			v, _ := decDiv(s.sum[g], s.in.Scale, decimal128.FromI64(s.count[g]), 0, s.out.Scale)
			return v
		}
		v, _ := decRescale(s.sum[g], s.in.Scale, s.out.Scale)
		return v
	}), nil
}

type floatSumState[T float32 | float64] struct {
	avg bool
	out catalog.Type
	sumAndCount[float64]
}

func (s *floatSumState[T]) update(args []arrow.Array, rows, groups []int32) error {
	arg := args[0]
	vals := fixedValues[T](arg)
	v := validityOf(arg)
	for k, i := range rows {
		if !v.valid(int(i)) {
			continue
		}
		g := groups[k]
		if s.count[g] == 0 && !s.avg {
			// sum starts from the first value, as PostgreSQL's float8pl
			// does (0 + -0 would turn a sum of -0 into 0); avg starts
			// from 0, as its float8_accum does.
			s.sum[g] = float64(vals[i])
		} else {
			s.sum[g] += float64(vals[i])
		}
		s.count[g]++
	}
	return nil
}

func (s *floatSumState[T]) merge(from aggState, groups []int32) error {
	s.mergeSums(&from.(*floatSumState[T]).sumAndCount, groups, func(a, b float64) (float64, bool) { return a + b, true })
	return nil
}

func (s *floatSumState[T]) finish(mem memory.Allocator) (arrow.Array, error) {
	if s.out.Kind == catalog.Float4 {
		return finishGroups(mem, s.out, s.count, func(g int) float32 { return float32(s.sum[g]) }), nil
	}
	if !s.avg {
		return finishSums(mem, s.out, s.count, s.sum), nil
	}
	return finishGroups(mem, s.out, s.count, func(g int) float64 { return s.sum[g] / float64(s.count[g]) }), nil
}

type intervalSumState struct {
	out catalog.Type
	sumAndCount[arrow.MonthDayNanoInterval]
}

func (s *intervalSumState) update(args []arrow.Array, rows, groups []int32) error {
	arg := args[0]
	vals := fixedValues[arrow.MonthDayNanoInterval](arg)
	v := validityOf(arg)
	for k, i := range rows {
		if !v.valid(int(i)) {
			continue
		}
		g := groups[k]
		s.sum[g].Months += vals[i].Months
		s.sum[g].Days += vals[i].Days
		s.sum[g].Nanoseconds += vals[i].Nanoseconds
		s.count[g]++
	}
	return nil
}

func (s *intervalSumState) merge(from aggState, groups []int32) error {
	s.mergeSums(&from.(*intervalSumState).sumAndCount, groups, func(a, b arrow.MonthDayNanoInterval) (arrow.MonthDayNanoInterval, bool) {
		return arrow.MonthDayNanoInterval{Months: a.Months + b.Months, Days: a.Days + b.Days, Nanoseconds: a.Nanoseconds + b.Nanoseconds}, true
	})
	return nil
}

func (s *intervalSumState) finish(mem memory.Allocator) (arrow.Array, error) {
	return finishSums(mem, s.out, s.count, s.sum), nil
}

type boolAggState struct {
	and bool
	valueAndSeen[bool]
}

func (s *boolAggState) update(args []arrow.Array, rows, groups []int32) error {
	arg := args[0]
	v := boolViewOf(arg)
	for k, i := range rows {
		if !v.valid(int(i)) {
			continue
		}
		g := groups[k]
		x := v.value(int(i))
		if !s.seen[g] {
			s.val[g], s.seen[g] = x, true
			continue
		}
		if s.and {
			s.val[g] = s.val[g] && x
		} else {
			s.val[g] = s.val[g] || x
		}
	}
	return nil
}

func (s *boolAggState) merge(from aggState, groups []int32) error {
	s.mergeValues(&from.(*boolAggState).valueAndSeen, groups, func(cur, other bool) bool {
		if s.and {
			return cur && other
		}
		return cur || other
	})
	return nil
}

func (s *boolAggState) finish(mem memory.Allocator) (arrow.Array, error) {
	b := newBoolBuilder(mem, len(s.val))
	for g, x := range s.val {
		if !s.seen[g] {
			b.setNull(g)
			continue
		}
		b.set(g, x)
	}
	return b.finish(), nil
}

func newMinMaxState(t catalog.Type, isMax bool) (aggState, error) {
	if t.IsVarNumeric() {
		return &minMaxVarNum{t: t, max: isMax}, nil
	}
	switch t.Kind {
	case catalog.Array:
		if t.Elem == catalog.Enum {
			return nil, pgerr.Unsupported("min and max of arrays of enum type %s are not supported", t.ElemType())
		}
		return &minMaxArray{t: t, max: isMax}, nil
	case catalog.Int2:
		return &minMaxFixed[int16]{t: t, max: isMax, cmp: cmpOrdered[int16]}, nil
	case catalog.Int4, catalog.Date:
		return &minMaxFixed[int32]{t: t, max: isMax, cmp: cmpOrdered[int32]}, nil
	case catalog.Int8, catalog.Time, catalog.Timestamp, catalog.TimestampTZ, catalog.Xid8, catalog.Tid, catalog.PgLsn:
		return &minMaxFixed[int64]{t: t, max: isMax, cmp: cmpOrdered[int64]}, nil
	case catalog.Oid, catalog.RegProc, catalog.RegProcedure, catalog.RegClass, catalog.RegType, catalog.RegNamespace, catalog.RegRole, catalog.RegOper, catalog.RegOperator, catalog.RegConfig, catalog.RegDictionary, catalog.RegCollation:
		// xid and cid have no min or max: their ids wrap around.
		return &minMaxFixed[uint32]{t: t, max: isMax, cmp: cmpOrdered[uint32]}, nil
	case catalog.Float4:
		return &minMaxFixed[float32]{t: t, max: isMax, cmp: floatCmp[float32]}, nil
	case catalog.Float8:
		return &minMaxFixed[float64]{t: t, max: isMax, cmp: floatCmp[float64]}, nil
	case catalog.Numeric:
		return &minMaxFixed[decimal128.Num]{t: t, max: isMax, cmp: func(a, b decimal128.Num) int { return a.Cmp(b) }}, nil
	case catalog.Interval:
		return &minMaxFixed[arrow.MonthDayNanoInterval]{t: t, max: isMax, cmp: intervalCmp}, nil
	case catalog.UUID:
		return &minMaxFixed[[16]byte]{t: t, max: isMax, cmp: func(a, b [16]byte) int { return bytes.Compare(a[:], b[:]) }}, nil
	case catalog.Bool:
		return &boolAggState{and: !isMax}, nil
	}
	if physicalOf(t) == physVarlen {
		return &minMaxVarlen{t: t, max: isMax, pad: t.Kind == catalog.Bpchar}, nil
	}
	return nil, pgerr.New(pgerr.UndefinedFunction, "function min(%s) does not exist", t)
}

func cmpOrdered[T orderedNum](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

type minMaxFixed[T fixedWidth] struct {
	t   catalog.Type
	max bool
	cmp func(a, b T) int
	valueAndSeen[T]
}

func (s *minMaxFixed[T]) update(args []arrow.Array, rows, groups []int32) error {
	arg := args[0]
	vals := fixedValues[T](arg)
	v := validityOf(arg)
	want := -1
	if s.max {
		want = 1
	}
	for k, i := range rows {
		if !v.valid(int(i)) {
			continue
		}
		g := groups[k]
		if !s.seen[g] || s.cmp(vals[i], s.val[g]) == want {
			s.val[g], s.seen[g] = vals[i], true
		}
	}
	return nil
}

func (s *minMaxFixed[T]) merge(from aggState, groups []int32) error {
	want := -1
	if s.max {
		want = 1
	}
	s.mergeValues(&from.(*minMaxFixed[T]).valueAndSeen, groups, func(cur, other T) T {
		if s.cmp(other, cur) == want {
			return other
		}
		return cur
	})
	return nil
}

func (s *minMaxFixed[T]) finish(mem memory.Allocator) (arrow.Array, error) {
	b := newFixedBuilder[T](mem, len(s.val))
	for g := range s.val {
		if !s.seen[g] {
			b.setNull(g)
			continue
		}
		b.vals[g] = s.val[g]
	}
	return b.finish(s.t), nil
}

type minMaxVarlen struct {
	t   catalog.Type
	max bool
	pad bool
	valueAndSeen[string]
}

func (s *minMaxVarlen) update(args []arrow.Array, rows, groups []int32) error {
	arg := args[0]
	v := varlenViewOf(arg)
	for k, i := range rows {
		if !v.valid(int(i)) {
			continue
		}
		g := groups[k]
		x := v.bytes(int(i))
		if s.seen[g] {
			a, cur := x, s.val[g]
			if s.pad {
				a, cur = trimTrailingSpaces(a), strings.TrimRight(cur, " ")
			}
			c := strings.Compare(bytesAsString(a), cur)
			if (s.max && c <= 0) || (!s.max && c >= 0) {
				continue
			}
		}
		// Copy: the batch's memory goes away after this call.
		s.val[g], s.seen[g] = string(x), true
	}
	return nil
}

func (s *minMaxVarlen) merge(from aggState, groups []int32) error {
	s.mergeValues(&from.(*minMaxVarlen).valueAndSeen, groups, func(cur, other string) string {
		a, b := other, cur
		if s.pad {
			a, b = strings.TrimRight(a, " "), strings.TrimRight(b, " ")
		}
		if c := strings.Compare(a, b); (s.max && c > 0) || (!s.max && c < 0) {
			return other
		}
		return cur
	})
	return nil
}

func (s *minMaxVarlen) finish(mem memory.Allocator) (arrow.Array, error) {
	return finishVarlenValues(mem, s.t, &s.valueAndSeen), nil
}

// finishVarlenValues builds the result column of a varlen min or max:
// each group's value, NULL where no row set one.
func finishVarlenValues[T string | []byte](mem memory.Allocator, t catalog.Type, s *valueAndSeen[T]) arrow.Array {
	b := newVarlenBuilder(mem, len(s.val), 0)
	for g, x := range s.val {
		if !s.seen[g] {
			b.appendNull()
			continue
		}
		appendVarlen(b, x)
	}
	return b.finish(t)
}
