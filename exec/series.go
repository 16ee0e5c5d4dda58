package exec

import (
	"math"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/numeric"
	"github.com/pqdb/pqdb/pgerr"
)

// generate_series and generate_subscripts, as PostgreSQL 15 has them:
//
//	generate_series(int4, int4 [, int4])          setof int4
//	generate_series(int8, int8 [, int8])          setof int8
//	generate_series(numeric, numeric [, numeric]) setof numeric
//	generate_series(timestamp, timestamp, interval)     setof timestamp
//	generate_series(timestamptz, timestamptz, interval) setof timestamptz
//	generate_subscripts(anyarray, int4 [, bool])  setof int4
//
// A series is start, start+step, ... while it has not passed stop. Its
// size is computed when the batch is expanded and its elements when they
// are gathered, so a series of any length streams: integers and numerics
// as start + k*step, which is what PostgreSQL's repeated addition gives
// (the first numeric element is start itself, with start's own scale);
// timestamps by repeated addition, since adding months depends on the day
// reached (Jan 31 + 1 month + 1 month is Mar 29). An integer series ends
// where the next value would overflow.

func init() {
	registerSetFunc(&setFuncDef{resolve: resolveSeries, build: buildSeries}, "generate_series")
	registerSetFunc(&setFuncDef{
		resolve: func(ts []catalog.Type) ([]catalog.Type, []catalog.Type, error) {
			if (len(ts) != 2 && len(ts) != 3) || ts[0].Kind != catalog.Array || !canCastImplicitly(ts[1], catalog.TypeInt4) ||
				(len(ts) == 3 && ts[2].Kind != catalog.Bool && ts[2].Kind != catalog.Unknown) {
				return nil, nil, errNoFunction("generate_subscripts", ts)
			}
			want := []catalog.Type{ts[0], catalog.TypeInt4, catalog.TypeBool}[:len(ts)]
			return want, []catalog.Type{catalog.TypeInt4}, nil
		},
		build: func(args []Expr, _ []catalog.Type) func(*Context, []arrow.Array, *Batch) (setRows, error) {
			first := int64(args[0].Type().LowerBound())
			return func(ctx *Context, arrays []arrow.Array, b *Batch) (setRows, error) {
				return expandSubscripts(ctx, arrays, b, first)
			}
		},
	}, "generate_subscripts")
}

// canCastImplicitly is the resolver's test for integer parameters: an
// integer no wider than to, or an unknown literal.
func canCastImplicitly(t, to catalog.Type) bool {
	switch t.Kind {
	case catalog.Unknown, catalog.Int2:
		return true
	case catalog.Int4:
		return to.Kind != catalog.Int2
	case catalog.Int8:
		return to.Kind == catalog.Int8
	}
	return false
}

// resolveSeries picks generate_series' overload as PostgreSQL's resolver
// does for these candidates: a date, timestamp or interval argument means
// the timestamp ones (timestamptz unless a timestamp is given), otherwise
// the widest number given; all arguments unknown is ambiguous.
func resolveSeries(ts []catalog.Type) ([]catalog.Type, []catalog.Type, error) {
	if len(ts) != 2 && len(ts) != 3 {
		return nil, nil, errNoFunction("generate_series", ts)
	}
	known, datetime, tz, notz, i8, num := 0, false, false, false, false, false
	for i, t := range ts {
		switch t.Kind {
		case catalog.Unknown:
			continue
		case catalog.Date:
			datetime = datetime || i < 2
		case catalog.TimestampTZ:
			datetime, tz = datetime || i < 2, true
		case catalog.Timestamp:
			datetime, notz = datetime || i < 2, true
		case catalog.Interval:
			datetime = datetime || i == 2
		case catalog.Int2, catalog.Int4:
		case catalog.Int8:
			i8 = true
		case catalog.Numeric:
			num = true
		default:
			return nil, nil, errNoFunction("generate_series", ts)
		}
		known++
	}
	if known == 0 || (len(ts) == 3 && known == 1 && ts[2].Kind == catalog.Interval) {
		e := pgerr.New(pgerr.AmbiguousFunction, "function %s is not unique", callSignature("generate_series", ts))
		e.Hint = "Could not choose a best candidate function. You might need to add explicit type casts."
		return nil, nil, e
	}
	pick := func(t catalog.Type) ([]catalog.Type, []catalog.Type, error) {
		want := []catalog.Type{t, t, t}[:len(ts)]
		return want, []catalog.Type{t}, nil
	}
	if datetime {
		if len(ts) != 3 {
			return nil, nil, errNoFunction("generate_series", ts)
		}
		t := catalog.TypeTimestampTZ
		if notz && !tz {
			t = catalog.TypeTimestamp
		}
		for i, a := range ts {
			ok := a.Kind == catalog.Unknown || (i < 2 && a.Kind != catalog.Interval && !a.IsNumeric()) || (i == 2 && a.Kind == catalog.Interval)
			if !ok || (t.Kind == catalog.Timestamp && a.Kind == catalog.TimestampTZ) {
				return nil, nil, errNoFunction("generate_series", ts)
			}
		}
		return []catalog.Type{t, t, catalog.TypeInterval}, []catalog.Type{t}, nil
	}
	switch {
	case num:
		return pick(catalog.TypeNumeric)
	case i8:
		return pick(catalog.TypeInt8)
	}
	return pick(catalog.TypeInt4)
}

func buildSeries(_ []Expr, result []catalog.Type) func(*Context, []arrow.Array, *Batch) (setRows, error) {
	t := result[0]
	return func(ctx *Context, args []arrow.Array, b *Batch) (setRows, error) {
		switch t.Kind {
		case catalog.Int4, catalog.Int8:
			return expandIntSeries(t, args, b)
		case catalog.Numeric:
			return expandNumericSeries(args, b)
		}
		return expandTimestampSeries(ctx, t, args, b)
	}
}

func errZeroStep() error {
	return pgerr.New(pgerr.InvalidParameterValue, "step size cannot equal zero")
}

// seriesBounds reads the rows of a batch whose three bounds are all
// present (a series with no step has step 1); f gets each.
func seriesRows(args []arrow.Array, b *Batch, f func(i int32) error) error {
	valid := make([]validity, len(args))
	for k, a := range args {
		valid[k] = validityOf(a)
	}
	for _, i := range rowsOf(b) {
		ok := true
		for _, v := range valid {
			ok = ok && v.valid(int(i))
		}
		if ok {
			if err := f(i); err != nil {
				return err
			}
		}
	}
	return nil
}

// intSeries is a batch of integer series: row i's set is start[i] +
// k*step[i] for k below n[i].
type intSeries struct {
	t           catalog.Type
	start, step []int64
	n           []int64
}

// int64sOf copies an int4 or int8 argument: the series outlives its
// arguments, which SetFunc.expandBatch releases once expanded.
func int64sOf(a arrow.Array, t catalog.Type) []int64 {
	if t.Kind == catalog.Int8 {
		return slices.Clone(fixedValues[int64](a))
	}
	v := fixedValues[int32](a)
	out := make([]int64, len(v))
	for i, x := range v {
		out[i] = int64(x)
	}
	return out
}

func expandIntSeries(t catalog.Type, args []arrow.Array, b *Batch) (setRows, error) {
	start, stop := int64sOf(args[0], t), int64sOf(args[1], t)
	s := &intSeries{t: t, start: start, step: make([]int64, b.Len), n: make([]int64, b.Len)}
	var step []int64
	if len(args) == 3 {
		step = int64sOf(args[2], t)
	}
	err := seriesRows(args, b, func(i int32) error {
		st := int64(1)
		if step != nil {
			st = step[i]
		}
		if st == 0 {
			return errZeroStep()
		}
		s.step[i] = st
		var span, by uint64
		switch {
		case st > 0 && stop[i] >= start[i]:
			span, by = uint64(stop[i]-start[i]), uint64(st)
		case st < 0 && stop[i] <= start[i]:
			span, by = uint64(start[i]-stop[i]), -uint64(st)
		default:
			return nil
		}
		s.n[i] = int64(min(span/by, math.MaxInt64-1)) + 1
		return nil
	})
	return s, err
}

func (s *intSeries) counts(rows []int32, dst []int64) {
	for k, r := range rows {
		dst[k] = s.n[r]
	}
}

func (s *intSeries) gather(mem memory.Allocator, rows []int32, elems []int64) ([]arrow.Array, error) {
	if s.t.Kind == catalog.Int4 {
		out := newFixedBuilder[int32](mem, len(rows))
		for k, r := range rows {
			if elems[k] < 0 {
				out.setNull(k)
				continue
			}
			out.vals[k] = int32(s.start[r] + elems[k]*s.step[r])
		}
		return []arrow.Array{out.finish(s.t)}, nil
	}
	out := newFixedBuilder[int64](mem, len(rows))
	for k, r := range rows {
		if elems[k] < 0 {
			out.setNull(k)
			continue
		}
		out.vals[k] = s.start[r] + elems[k]*s.step[r]
	}
	return []arrow.Array{out.finish(s.t)}, nil
}

func (s *intSeries) release() {}

// numericSeries is a batch of numeric series, kept as their encodings.
type numericSeries struct {
	start, step [][]byte
	n           []int64
	calc        numeric.Calc
	// k, prod and val are scratch encodings reused across rows.
	k, prod, val []byte
}

func expandNumericSeries(args []arrow.Array, b *Batch) (setRows, error) {
	s := &numericSeries{start: make([][]byte, b.Len), step: make([][]byte, b.Len), n: make([]int64, b.Len)}
	views := make([]varlenView, len(args))
	for k, a := range args {
		views[k] = varlenViewOf(a)
	}
	zero := numeric.Zero(nil)
	one := numeric.FromInt64(nil, 1)
	err := seriesRows(args, b, func(i int32) error {
		start, stop := views[0].bytes(int(i)), views[1].bytes(int(i))
		step := one
		if len(views) == 3 {
			step = views[2].bytes(int(i))
		}
		for k, v := range [][]byte{start, stop, step} {
			what := [...]string{"start value", "stop value", "step size"}[k]
			if numeric.IsNaN(v) {
				return pgerr.New(pgerr.InvalidParameterValue, "%s cannot be NaN", what)
			}
			if numeric.IsInf(v, 0) {
				return pgerr.New(pgerr.InvalidParameterValue, "%s cannot be infinity", what)
			}
		}
		dir := numeric.Compare(step, zero)
		if dir == 0 {
			return errZeroStep()
		}
		s.start[int(i)] = append([]byte(nil), start...)
		s.step[int(i)] = append([]byte(nil), step...)
		if c := numeric.Compare(stop, start); c != 0 && c != dir {
			return nil
		}
		span, err := s.calc.Sub(nil, stop, start)
		if err != nil {
			return err
		}
		q, err := s.calc.DivTrunc(nil, span, step)
		if err != nil {
			return err
		}
		n, err := numeric.ToInt64(q)
		if err != nil || n == math.MaxInt64 {
			n = math.MaxInt64 - 1
		}
		s.n[int(i)] = n + 1
		return nil
	})
	return s, err
}

func (s *numericSeries) counts(rows []int32, dst []int64) {
	for k, r := range rows {
		dst[k] = s.n[r]
	}
}

func (s *numericSeries) gather(mem memory.Allocator, rows []int32, elems []int64) ([]arrow.Array, error) {
	out := newVarlenBuilder(mem, len(rows), 0)
	for k, r := range rows {
		e := elems[k]
		switch {
		case e < 0:
			out.appendNull()
		case e == 0:
			out.appendBytes(s.start[r])
		default:
			s.k = numeric.FromInt64(s.k[:0], e)
			var err error
			s.prod, err = s.calc.Mul(s.prod[:0], s.k, s.step[r])
			if err == nil {
				s.val, err = s.calc.Add(s.val[:0], s.start[r], s.prod)
			}
			if err != nil {
				out.finish(catalog.TypeNumeric).Release()
				return nil, err
			}
			out.appendBytes(s.val)
		}
	}
	return []arrow.Array{out.finish(catalog.TypeNumeric)}, nil
}

func (s *numericSeries) release() {}

// timestampSeries is a batch of timestamp series. Elements are computed
// by repeated addition from the last one gathered, which is where
// ProjectSet asks next, except where a step is a fixed number of
// microseconds: no months, and no days unless they are added in a session
// zone with daylight saving.
type timestampSeries struct {
	t           catalog.Type
	start, stop []int64
	step        []arrow.MonthDayNanoInterval
	n           []int64
	add         func(ts int64, iv arrow.MonthDayNanoInterval) (int64, bool)
	fixedDays   bool
	// the cursor: row, element number and its value
	curRow  int32
	curElem int64
	curTs   int64
}

func expandTimestampSeries(ctx *Context, t catalog.Type, args []arrow.Array, b *Batch) (setRows, error) {
	// Copies: ProjectSet gathers elements after the arguments are
	// released, across output batches.
	s := &timestampSeries{t: t, start: slices.Clone(fixedValues[int64](args[0])), stop: slices.Clone(fixedValues[int64](args[1])),
		step: slices.Clone(fixedValues[arrow.MonthDayNanoInterval](args[2])), n: make([]int64, b.Len), curRow: -1, fixedDays: true,
		add: func(ts int64, iv arrow.MonthDayNanoInterval) (int64, bool) {
			return timestampAddInterval(ts, iv.Months, iv.Days, iv.Nanoseconds/1000)
		}}
	if loc := ctx.location(); t.Kind == catalog.TimestampTZ && !isUTC(loc) {
		// timestamptz adds months and days to the wall-clock time of
		// the session's zone.
		z := sessionZone(loc)
		s.fixedDays = false
		s.add = func(ts int64, iv arrow.MonthDayNanoInterval) (int64, bool) {
			return timestamptzAddInterval(z, ts, iv.Months, iv.Days, iv.Nanoseconds/1000)
		}
	}
	err := seriesRows(args, b, func(i int32) error {
		iv := s.step[i]
		if iv.Months == 0 && iv.Days == 0 && iv.Nanoseconds == 0 {
			return errZeroStep()
		}
		start, stop := s.start[i], s.stop[i]
		// PostgreSQL 15 loops until memory runs out on an infinite
		// bound; pqdb refuses it as numeric's generate_series does.
		if tsInfiniteSign(start) != 0 {
			return pgerr.New(pgerr.InvalidParameterValue, "start value cannot be infinity")
		}
		if tsInfiniteSign(stop) != 0 {
			return pgerr.New(pgerr.InvalidParameterValue, "stop value cannot be infinity")
		}
		if s.fixed(iv) {
			// A fixed number of microseconds apart: the count is a
			// division.
			by := int64(iv.Days)*microsPerDay + iv.Nanoseconds/1000
			switch {
			case by > 0 && stop >= start:
				s.n[i] = (stop-start)/by + 1
			case by < 0 && stop <= start:
				s.n[i] = (start-stop)/(-by) + 1
			}
			return nil
		}
		// Months, or zoned days: count by walking the series (at most
		// some millions of steps across the whole timestamp range).
		forward := iv.Months > 0 || (iv.Months == 0 && int64(iv.Days)*microsPerDay+iv.Nanoseconds/1000 > 0)
		n, ts := int64(0), start
		for (forward && ts <= stop) || (!forward && ts >= stop) {
			n++
			next, ok := s.add(ts, iv)
			if !ok {
				break
			}
			if next == ts {
				return errZeroStep()
			}
			ts = next
		}
		s.n[i] = n
		return nil
	})
	return s, err
}

func (s *timestampSeries) counts(rows []int32, dst []int64) {
	for k, r := range rows {
		dst[k] = s.n[r]
	}
}

func (s *timestampSeries) fixed(iv arrow.MonthDayNanoInterval) bool {
	return iv.Months == 0 && (iv.Days == 0 || s.fixedDays)
}

// at returns element e of row r's series.
func (s *timestampSeries) at(r int32, e int64) int64 {
	iv := s.step[r]
	if s.fixed(iv) {
		return s.start[r] + e*(int64(iv.Days)*microsPerDay+iv.Nanoseconds/1000)
	}
	if s.curRow != r || s.curElem > e {
		s.curRow, s.curElem, s.curTs = r, 0, s.start[r]
	}
	for s.curElem < e {
		s.curTs, _ = s.add(s.curTs, iv)
		s.curElem++
	}
	return s.curTs
}

func (s *timestampSeries) gather(mem memory.Allocator, rows []int32, elems []int64) ([]arrow.Array, error) {
	out := newFixedBuilder[int64](mem, len(rows))
	for k, r := range rows {
		if elems[k] < 0 {
			out.setNull(k)
			continue
		}
		out.vals[k] = s.at(r, elems[k])
	}
	return []arrow.Array{out.finish(s.t)}, nil
}

func (s *timestampSeries) release() {}

// expandSubscripts is generate_subscripts(array, dim [, reverse]): the
// subscripts of dimension dim, from first (the array type's first
// subscript), lowest first or (reverse) highest first; an empty set for a
// NULL array or a dimension it does not have.
func expandSubscripts(_ *Context, args []arrow.Array, b *Batch, first int64) (setRows, error) {
	s := &intSeries{t: catalog.TypeInt4, start: make([]int64, b.Len), step: make([]int64, b.Len), n: make([]int64, b.Len)}
	v := listViewOf(args[0])
	dims := fixedValues[int32](args[1])
	var rev boolView
	if len(args) == 3 {
		rev = boolViewOf(args[2])
	}
	err := seriesRows(args[:2], b, func(i int32) error {
		// pqdb's arrays have one dimension.
		lo, hi := v.bounds(int(i))
		if dims[i] != 1 || !v.valid(int(i)) || hi == lo {
			return nil
		}
		lo, hi = int(first), int(first)+hi-lo-1
		s.start[i], s.step[i], s.n[i] = int64(lo), 1, int64(hi-lo+1)
		if len(args) == 3 && rev.valid(int(i)) && rev.value(int(i)) {
			s.start[i], s.step[i] = int64(hi), -1
		}
		return nil
	})
	return s, err
}

// NewSeries is generate_series(start, stop, step) over one row: a source
// of integers (tests and internal plans use it).
func NewSeries(start, stop, step Expr) Operator {
	f, err := NewSetFunc("generate_series", []Expr{start, stop, step})
	if err != nil {
		panic(err)
	}
	return NewProjectSet(NewValues([][]Expr{{}}, nil), []*SetFunc{f}, false)
}
