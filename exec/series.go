package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// NewSeries is generate_series(start, stop, step) as a source: the
// integers from start towards stop by step, in batches. The bounds are
// expressions over no input (constants, parameters, outer references),
// evaluated when the operator opens; a NULL bound gives no rows. t is int4
// or int8.
func NewSeries(start, stop, step Expr, t catalog.Type) Operator {
	return &seriesOp{bounds: [3]Expr{start, stop, step}, t: t}
}

type seriesOp struct {
	bounds           [3]Expr
	t                catalog.Type
	ctx              *Context
	next, stop, step int64
	done             bool
	out              arrow.Array
}

func (s *seriesOp) Types() []catalog.Type { return []catalog.Type{s.t} }

func (s *seriesOp) Open(ctx *Context) error {
	s.ctx, s.done = ctx, false
	one := &Batch{Len: 1}
	var v [3]int64
	for i, e := range s.bounds {
		a, err := e.Eval(ctx, one)
		if err != nil {
			return err
		}
		d := datumAt(a, e.Type(), 0)
		a.Release()
		if d == nil {
			s.done = true
			return nil
		}
		switch x := d.(type) {
		case int32:
			v[i] = int64(x)
		case int64:
			v[i] = x
		}
	}
	if v[2] == 0 {
		return pgerr.New(pgerr.InvalidParameterValue, "step size cannot equal zero")
	}
	s.next, s.stop, s.step = v[0], v[1], v[2]
	return nil
}

func (s *seriesOp) Next() (*Batch, error) {
	s.release()
	if s.done || (s.step > 0 && s.next > s.stop) || (s.step < 0 && s.next < s.stop) {
		return nil, nil
	}
	if err := s.ctx.Ctx.Err(); err != nil {
		return nil, err
	}
	n, limit := 0, s.ctx.MaxBatchRows()
	var out arrow.Array
	if s.t.Kind == catalog.Int4 {
		b := array.NewInt32Builder(s.ctx.Mem)
		b.Reserve(limit)
		for ; n < limit && s.more(); n++ {
			b.UnsafeAppend(int32(s.next))
			s.advance()
		}
		out = b.NewArray()
		b.Release()
	} else {
		b := array.NewInt64Builder(s.ctx.Mem)
		b.Reserve(limit)
		for ; n < limit && s.more(); n++ {
			b.UnsafeAppend(s.next)
			s.advance()
		}
		out = b.NewArray()
		b.Release()
	}
	s.out = out
	return &Batch{Cols: []arrow.Array{out}, Len: n}, nil
}

func (s *seriesOp) more() bool {
	return !s.done && (s.step > 0 && s.next <= s.stop || s.step < 0 && s.next >= s.stop)
}

// advance moves to the next value, ending the series instead of
// overflowing.
func (s *seriesOp) advance() {
	n := s.next + s.step
	if (s.step > 0 && n < s.next) || (s.step < 0 && n > s.next) {
		s.done = true
		return
	}
	s.next = n
}

func (s *seriesOp) release() {
	if s.out != nil {
		s.out.Release()
		s.out = nil
	}
}

func (s *seriesOp) Close() { s.release() }
