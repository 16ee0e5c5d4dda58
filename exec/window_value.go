package exec

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/pgerr"
)

// The value functions: lag and lead read a row at an offset in the
// partition; first_value, last_value and nth_value a row of the frame.

// evalOffset computes lag and lead by gathering rows.
func (w *windowOp) evalOffset(f WindowExpr, b *Batch, lay *windowLayout) (arrow.Array, error) {
	if len(f.Args) == 0 {
		return nil, internalf("window function needs an argument")
	}
	// The offset is read at each row, as PostgreSQL does: a NULL one
	// gives NULL (not the default).
	offsets, offValid := []int32{1}, validity{}
	constOff := len(f.Args) < 2
	if !constOff {
		o, err := f.Args[1].Eval(w.ctx, b)
		if err != nil {
			return nil, err
		}
		defer o.Release()
		offsets, offValid = fixedValues[int32](o), validityOf(o)
	}
	idx := make([]int32, lay.n)
	useDefault := make([]bool, lay.n)
	for i := 0; i < lay.n; i++ {
		offset := int64(offsets[0])
		if !constOff {
			if !offValid.valid(i) {
				idx[i] = -1
				continue
			}
			offset = int64(offsets[i])
		}
		j := int64(i) + offset
		if f.Func == WinLag {
			j = int64(i) - offset
		}
		if j < int64(lay.partStart[i]) || j >= int64(lay.partEnd[i]) {
			idx[i] = -1
			useDefault[i] = true
			continue
		}
		idx[i] = int32(j)
	}
	var deflt Expr
	if len(f.Args) > 2 {
		deflt = f.Args[2]
	}
	return w.gather(f, b, idx, useDefault, deflt)
}

// gather takes row idx[i] of the first argument for each row (NULL for
// -1), or the value of deflt at the rows useDefault marks.
func (w *windowOp) gather(f WindowExpr, b *Batch, idx []int32, useDefault []bool, deflt Expr) (arrow.Array, error) {
	val, err := castTo(f.Args[0], f.Type)
	if err != nil {
		return nil, err
	}
	arg, err := val.Eval(w.ctx, b)
	if err != nil {
		return nil, err
	}
	defer arg.Release()
	gathered := takeNullable(w.ctx.Mem, f.Type, arg, idx)
	if deflt == nil {
		return gathered, nil
	}
	defer gathered.Release()
	def, err := castTo(deflt, f.Type)
	if err != nil {
		return nil, err
	}
	defArr, err := def.Eval(w.ctx, b)
	if err != nil {
		return nil, err
	}
	defer defArr.Release()
	pick := make([]int16, len(idx))
	for i := range pick {
		if useDefault[i] {
			pick[i] = 1
		}
	}
	return choose(w.ctx.Mem, f.Type, []arrow.Array{gathered, defArr}, pick), nil
}

// evalFrameValue computes first_value, last_value and nth_value: the
// first, last or n-th row of each row's frame after its exclusion, NULL
// when the frame has no such row. nth_value's n is read at each row, as
// PostgreSQL does (NULL gives NULL; below 1 is an error).
func (w *windowOp) evalFrameValue(f WindowExpr, b *Batch, fr *frameRows) (arrow.Array, error) {
	n := fr.lay.n
	idx := make([]int32, n)
	var nth []int64
	if f.Func == WinNthValue {
		a, err := f.Args[1].Eval(w.ctx, b)
		if err != nil {
			return nil, err
		}
		vals, valid := fixedValues[int32](a), validityOf(a)
		nth = make([]int64, n)
		for i := range n {
			switch {
			case !valid.valid(i):
				nth[i] = -1
			case vals[i] <= 0:
				a.Release()
				return nil, pgerr.New(pgerr.InvalidArgumentForNthValue, "argument of nth_value must be greater than zero")
			default:
				nth[i] = int64(vals[i])
			}
		}
		a.Release()
	}
	for i := range n {
		idx[i] = -1
		switch f.Func {
		case WinFirstValue:
			fr.segments(i, func(from, to int32) {
				if idx[i] < 0 {
					idx[i] = from
				}
			})
		case WinLastValue:
			fr.segments(i, func(from, to int32) { idx[i] = to - 1 })
		default:
			left := nth[i]
			fr.segments(i, func(from, to int32) {
				if left > 0 && left <= int64(to-from) {
					idx[i] = from + int32(left) - 1
				}
				left -= int64(to - from)
			})
		}
	}
	return w.gather(f, b, idx, nil, nil)
}
