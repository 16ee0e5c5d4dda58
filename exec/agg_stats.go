package exec

import (
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/numeric"
)

// The variances and standard deviations: var_samp (variance), var_pop,
// stddev_samp (stddev) and stddev_pop, as PostgreSQL 15 computes them.
//
//	float4, float8 → float8: float8_accum's Youngs-Cramer sums N, Sx and
//	    Sxx (float4 values widened first), operation for operation, with
//	    its overflow check (22003) and its NaN rules; partial states
//	    combine as float8_combine does.
//	int2, int4, int8, numeric → numeric: exact sums of the values and
//	    of their squares (numeric.Sum), then numeric_stddev_internal's
//	    arithmetic (numeric.Sum.Variance), so every digit is
//	    PostgreSQL's; any NaN or infinity gives NaN.
//
// The sample statistics are NULL below two values, the population ones
// below one. Products are converted to float64 before they are added so
// that the compiler cannot fuse them into a multiply-add, which would
// round differently from PostgreSQL.

func newVarianceState(fn AggFunc, t catalog.Type) (aggState, error) {
	switch t.Kind {
	case catalog.Float4:
		return &floatVarState[float32]{fn: fn}, nil
	case catalog.Float8:
		return &floatVarState[float64]{fn: fn}, nil
	case catalog.Int2:
		return &numVarState{fn: fn, read: intReader[int16]}, nil
	case catalog.Int4:
		return &numVarState{fn: fn, read: intReader[int32]}, nil
	case catalog.Int8:
		return &numVarState{fn: fn, read: intReader[int64]}, nil
	case catalog.Numeric:
		if t.IsVarNumeric() {
			return &numVarState{fn: fn, read: varNumReader}, nil
		}
		scale := t.Scale
		return &numVarState{fn: fn, read: func(a arrow.Array) numericReader { return decimalReader(a, scale) }}, nil
	}
	return nil, errNoAggregate(fn, t)
}

// youngsCramer is the state of float8_accum: N, Sx and Sxx per group.
type youngsCramer struct {
	n, sx, sxx []float64
}

func (s *youngsCramer) grow(g int) {
	s.n = growTo(s.n, g)
	s.sx = growTo(s.sx, g)
	s.sxx = growTo(s.sxx, g)
}

func (s *youngsCramer) copyGroup(from, to int32) {
	s.n[to], s.sx[to], s.sxx[to] = s.n[from], s.sx[from], s.sxx[from]
}

// add folds x into group g as float8_accum does.
func (s *youngsCramer) add(g int32, x float64) error {
	n0, sx0 := s.n[g], s.sx[g]
	n, sx, sxx := n0+1, sx0+x, s.sxx[g]
	if n0 > 0 {
		tmp := float64(x*n) - sx
		sxx += float64(tmp*tmp) / float64(n*n0)
		if math.IsInf(sx, 0) || math.IsInf(sxx, 0) {
			if !math.IsInf(sx0, 0) && !math.IsInf(x, 0) {
				return errFloatOutOfRange(catalog.Float8)
			}
			sxx = math.NaN()
		}
	} else if math.IsNaN(x) || math.IsInf(x, 0) {
		sxx = math.NaN()
	}
	s.n[g], s.sx[g], s.sxx[g] = n, sx, sxx
	return nil
}

// merge folds the groups of f into s as float8_combine does.
func (s *youngsCramer) merge(f *youngsCramer, groups []int32) error {
	for g, n2 := range f.n {
		t := groups[g]
		if n2 == 0 || t < 0 {
			continue
		}
		n1 := s.n[t]
		if n1 == 0 {
			s.n[t], s.sx[t], s.sxx[t] = n2, f.sx[g], f.sxx[g]
			continue
		}
		sx1, sx2, sxx1, sxx2 := s.sx[t], f.sx[g], s.sxx[t], f.sxx[g]
		n := n1 + n2
		sx, err := float8Pl(sx1, sx2)
		if err != nil {
			return err
		}
		tmp := sx1/n1 - sx2/n2
		sxx := sxx1 + sxx2 + float64(float64(float64(n1*n2)*tmp)*tmp)/n
		if math.IsInf(sxx, 0) && !math.IsInf(sxx1, 0) && !math.IsInf(sxx2, 0) {
			return errFloatOutOfRange(catalog.Float8)
		}
		s.n[t], s.sx[t], s.sxx[t] = n, sx, sxx
	}
	return nil
}

// float8Pl is float8_pl: a + b, an error where finite values overflow.
func float8Pl(a, b float64) (float64, error) {
	r := a + b
	if math.IsInf(r, 0) && !math.IsInf(a, 0) && !math.IsInf(b, 0) {
		return 0, errFloatOutOfRange(catalog.Float8)
	}
	return r, nil
}

type floatVarState[T float32 | float64] struct {
	fn AggFunc
	youngsCramer
}

func (s *floatVarState[T]) update(args []arrow.Array, rows, groups []int32) error {
	vals := fixedValues[T](args[0])
	v := validityOf(args[0])
	for k, i := range rows {
		if !v.valid(int(i)) {
			continue
		}
		if err := s.add(groups[k], float64(vals[i])); err != nil {
			return err
		}
	}
	return nil
}

func (s *floatVarState[T]) merge(from aggState, groups []int32) error {
	return s.youngsCramer.merge(&from.(*floatVarState[T]).youngsCramer, groups)
}

func (s *floatVarState[T]) finish(mem memory.Allocator) (arrow.Array, error) {
	b := newFixedBuilder[float64](mem, len(s.n))
	sample := s.fn == AggVarSamp || s.fn == AggStddevSamp
	for g, n := range s.n {
		if n == 0 || (sample && n <= 1) {
			b.setNull(g)
			continue
		}
		d := n
		if sample {
			d = n - 1
		}
		r := s.sxx[g] / d
		if s.fn == AggStddevSamp || s.fn == AggStddevPop {
			r = math.Sqrt(r)
		}
		b.vals[g] = r
	}
	return b.finish(catalog.TypeFloat8), nil
}

// numericReader reads row i of a column as a numeric encoding, which
// may be written into (and must be used before the next call with) buf.
type numericReader func(buf []byte, i int) []byte

func intReader[T int16 | int32 | int64](a arrow.Array) numericReader {
	vals := fixedValues[T](a)
	return func(buf []byte, i int) []byte { return numeric.FromInt64(buf[:0], int64(vals[i])) }
}

func varNumReader(a arrow.Array) numericReader {
	v := varlenViewOf(a)
	return func(_ []byte, i int) []byte { return v.bytes(i) }
}

func decimalReader(a arrow.Array, scale int32) numericReader {
	vals := fixedValues[decimal128.Num](a)
	return func(buf []byte, i int) []byte {
		// A decimal128 of a numeric(p,s) column always fits numeric.
		b, _ := numeric.FromDecimal128(buf[:0], vals[i].HighBits(), vals[i].LowBits(), scale)
		return b
	}
}

// numVarState is a variance of integers or numerics: one exact
// numeric.Sum of values and squares per group.
type numVarState struct {
	fn   AggFunc
	read func(arrow.Array) numericReader
	sums []numeric.Sum
	buf  []byte
	calc numeric.Calc
}

func (s *numVarState) grow(g int) {
	old := len(s.sums)
	s.sums = growTo(s.sums, g)
	for i := old; i < g; i++ {
		s.sums[i].TrackSquares()
	}
}

func (s *numVarState) update(args []arrow.Array, rows, groups []int32) error {
	v := validityOf(args[0])
	read := s.read(args[0])
	if cap(s.buf) < 64 {
		s.buf = make([]byte, 0, 64)
	}
	for k, i := range rows {
		if !v.valid(int(i)) {
			continue
		}
		s.sums[groups[k]].Add(read(s.buf, int(i)))
	}
	return nil
}

func (s *numVarState) merge(from aggState, groups []int32) error {
	f := from.(*numVarState)
	for g := range f.sums {
		if t := groups[g]; t >= 0 && f.sums[g].Count() > 0 {
			s.sums[t].Merge(&f.sums[g])
		}
	}
	return nil
}

func (s *numVarState) copyGroup(from, to int32) {
	s.sums[to].Reset()
	s.sums[to].Merge(&s.sums[from])
}

func (s *numVarState) finish(mem memory.Allocator) (arrow.Array, error) {
	sample := s.fn == AggVarSamp || s.fn == AggStddevSamp
	stddev := s.fn == AggStddevSamp || s.fn == AggStddevPop
	out := newVarlenBuilder(mem, len(s.sums), len(s.sums)*16)
	for g := range s.sums {
		r, ok, err := s.sums[g].Variance(&s.calc, out.space(varNumHint), sample, stddev)
		if err != nil {
			out.finish(catalog.TypeNumeric).Release()
			return nil, err
		}
		if !ok {
			out.appendNull()
			continue
		}
		out.commit(r)
	}
	return out.finish(catalog.TypeNumeric), nil
}
