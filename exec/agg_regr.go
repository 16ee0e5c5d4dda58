package exec

import (
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// The SQL:2003 regression aggregates of (Y, X), both float8: corr,
// covar_pop, covar_samp, regr_avgx, regr_avgy, regr_count,
// regr_intercept, regr_r2, regr_slope, regr_sxx, regr_sxy and regr_syy.
// A row where either argument is NULL is skipped. They fold
// float8_regr_accum's Youngs-Cramer sums N, Sx, Sxx, Sy, Syy and Sxy
// operation for operation (with its overflow check and NaN rules),
// combine partial states as float8_regr_combine does, and finish with
// PostgreSQL's final functions: NULL for no rows (regr_count is 0), and
// the spec's NULLs and 1s for vertical and horizontal lines.
// regr_count only counts, as PostgreSQL's int8inc_float8_float8, so it
// never overflows.

func newRegrState(a Aggregate) (aggState, error) {
	if a.Arg == nil || a.Arg2 == nil || a.Arg.Type().Kind != catalog.Float8 || a.Arg2.Type().Kind != catalog.Float8 {
		var ts []catalog.Type
		for _, e := range []Expr{a.Arg, a.Arg2} {
			if e != nil {
				ts = append(ts, e.Type())
			}
		}
		return nil, errNoAggregate(a.Func, ts...)
	}
	if a.Func == AggRegrCount {
		return &regrCountState{}, nil
	}
	return &regrState{fn: a.Func}, nil
}

type regrCountState struct{ countState }

func (s *regrCountState) update(args []arrow.Array, rows, groups []int32) error {
	vy, vx := validityOf(args[0]), validityOf(args[1])
	for k, i := range rows {
		if vy.valid(int(i)) && vx.valid(int(i)) {
			s.n[groups[k]]++
		}
	}
	return nil
}

func (s *regrCountState) merge(from aggState, groups []int32) error {
	return s.countState.merge(&from.(*regrCountState).countState, groups)
}

type regrState struct {
	fn                       AggFunc
	n, sx, sxx, sy, syy, sxy []float64
}

func (s *regrState) grow(g int) {
	for _, p := range []*[]float64{&s.n, &s.sx, &s.sxx, &s.sy, &s.syy, &s.sxy} {
		*p = growTo(*p, g)
	}
}

func (s *regrState) copyGroup(from, to int32) {
	for _, v := range [][]float64{s.n, s.sx, s.sxx, s.sy, s.syy, s.sxy} {
		v[to] = v[from]
	}
}

func (s *regrState) update(args []arrow.Array, rows, groups []int32) error {
	ys, xs := fixedValues[float64](args[0]), fixedValues[float64](args[1])
	vy, vx := validityOf(args[0]), validityOf(args[1])
	for k, i := range rows {
		if !vy.valid(int(i)) || !vx.valid(int(i)) {
			continue
		}
		if err := s.add(groups[k], ys[i], xs[i]); err != nil {
			return err
		}
	}
	return nil
}

// add folds (y, x) into group g as float8_regr_accum does.
func (s *regrState) add(g int32, y, x float64) error {
	n0, sx0, sy0 := s.n[g], s.sx[g], s.sy[g]
	n, sx, sy := n0+1, sx0+x, sy0+y
	sxx, syy, sxy := s.sxx[g], s.syy[g], s.sxy[g]
	if n0 > 0 {
		tmpX := float64(x*n) - sx
		tmpY := float64(y*n) - sy
		scale := 1.0 / float64(n*n0)
		sxx += float64(float64(tmpX*tmpX) * scale)
		syy += float64(float64(tmpY*tmpY) * scale)
		sxy += float64(float64(tmpX*tmpY) * scale)
		if math.IsInf(sx, 0) || math.IsInf(sxx, 0) || math.IsInf(sy, 0) || math.IsInf(syy, 0) || math.IsInf(sxy, 0) {
			if ((math.IsInf(sx, 0) || math.IsInf(sxx, 0)) && !math.IsInf(sx0, 0) && !math.IsInf(x, 0)) ||
				((math.IsInf(sy, 0) || math.IsInf(syy, 0)) && !math.IsInf(sy0, 0) && !math.IsInf(y, 0)) ||
				(math.IsInf(sxy, 0) && !math.IsInf(sx0, 0) && !math.IsInf(x, 0) && !math.IsInf(sy0, 0) && !math.IsInf(y, 0)) {
				return errFloatOutOfRange(catalog.Float8)
			}
			if math.IsInf(sxx, 0) {
				sxx = math.NaN()
			}
			if math.IsInf(syy, 0) {
				syy = math.NaN()
			}
			if math.IsInf(sxy, 0) {
				sxy = math.NaN()
			}
		}
	} else {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			sxx, sxy = math.NaN(), math.NaN()
		}
		if math.IsNaN(y) || math.IsInf(y, 0) {
			syy, sxy = math.NaN(), math.NaN()
		}
	}
	s.n[g], s.sx[g], s.sxx[g], s.sy[g], s.syy[g], s.sxy[g] = n, sx, sxx, sy, syy, sxy
	return nil
}

// merge folds the groups of from into s as float8_regr_combine does.
func (s *regrState) merge(from aggState, groups []int32) error {
	f := from.(*regrState)
	for g, n2 := range f.n {
		t := groups[g]
		if n2 == 0 || t < 0 {
			continue
		}
		n1 := s.n[t]
		if n1 == 0 {
			s.n[t], s.sx[t], s.sxx[t], s.sy[t], s.syy[t], s.sxy[t] = n2, f.sx[g], f.sxx[g], f.sy[g], f.syy[g], f.sxy[g]
			continue
		}
		n := n1 + n2
		sx, err := float8Pl(s.sx[t], f.sx[g])
		if err != nil {
			return err
		}
		tmp1 := s.sx[t]/n1 - f.sx[g]/n2
		sxx := s.sxx[t] + f.sxx[g] + float64(float64(float64(n1*n2)*tmp1)*tmp1)/n
		if math.IsInf(sxx, 0) && !math.IsInf(s.sxx[t], 0) && !math.IsInf(f.sxx[g], 0) {
			return errFloatOutOfRange(catalog.Float8)
		}
		sy, err := float8Pl(s.sy[t], f.sy[g])
		if err != nil {
			return err
		}
		tmp2 := s.sy[t]/n1 - f.sy[g]/n2
		syy := s.syy[t] + f.syy[g] + float64(float64(float64(n1*n2)*tmp2)*tmp2)/n
		if math.IsInf(syy, 0) && !math.IsInf(s.syy[t], 0) && !math.IsInf(f.syy[g], 0) {
			return errFloatOutOfRange(catalog.Float8)
		}
		sxy := s.sxy[t] + f.sxy[g] + float64(float64(float64(n1*n2)*tmp1)*tmp2)/n
		if math.IsInf(sxy, 0) && !math.IsInf(s.sxy[t], 0) && !math.IsInf(f.sxy[g], 0) {
			return errFloatOutOfRange(catalog.Float8)
		}
		s.n[t], s.sx[t], s.sxx[t], s.sy[t], s.syy[t], s.sxy[t] = n, sx, sxx, sy, syy, sxy
	}
	return nil
}

func (s *regrState) finish(mem memory.Allocator) (arrow.Array, error) {
	b := newFixedBuilder[float64](mem, len(s.n))
	for g, n := range s.n {
		r, ok := s.result(g, n)
		if !ok {
			b.setNull(g)
			continue
		}
		b.vals[g] = r
	}
	return b.finish(catalog.TypeFloat8), nil
}

// result is the final function of the aggregate for group g; false for
// NULL.
func (s *regrState) result(g int, n float64) (float64, bool) {
	if n < 1 {
		return 0, false
	}
	sx, sxx, sy, syy, sxy := s.sx[g], s.sxx[g], s.sy[g], s.syy[g], s.sxy[g]
	switch s.fn {
	case AggRegrSxx:
		return sxx, true
	case AggRegrSyy:
		return syy, true
	case AggRegrSxy:
		return sxy, true
	case AggRegrAvgX:
		return sx / n, true
	case AggRegrAvgY:
		return sy / n, true
	case AggCovarPop:
		return sxy / n, true
	case AggCovarSamp:
		if n < 2 {
			return 0, false
		}
		return sxy / (n - 1), true
	case AggCorr:
		if sxx == 0 || syy == 0 {
			return 0, false
		}
		return sxy / math.Sqrt(float64(sxx*syy)), true
	case AggRegrR2:
		if sxx == 0 {
			return 0, false
		}
		if syy == 0 {
			return 1, true
		}
		return float64(sxy*sxy) / float64(sxx*syy), true
	case AggRegrSlope:
		if sxx == 0 {
			return 0, false
		}
		return sxy / sxx, true
	case AggRegrIntercept:
		if sxx == 0 {
			return 0, false
		}
		return (sy - float64(sx*sxy)/sxx) / n, true
	}
	return 0, false
}
