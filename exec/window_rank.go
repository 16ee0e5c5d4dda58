package exec

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// The ranking functions: they read only the partition and peer-group
// layout, never a frame.

// evalRank computes row_number, rank, dense_rank (bigint), percent_rank
// and cume_dist (double precision) as PostgreSQL defines them:
// percent_rank is (rank - 1) / (partition rows - 1), 0 for a partition of
// one row; cume_dist is (rows up to the current row's last peer) /
// (partition rows).
func (w *windowOp) evalRank(f WindowExpr, lay *windowLayout) arrow.Array {
	mem, n := w.ctx.Mem, lay.n
	if f.Func == WinPercentRank || f.Func == WinCumeDist {
		out := newFixedBuilder[float64](mem, n)
		for i := range n {
			size := float64(lay.partEnd[i] - lay.partStart[i])
			if f.Func == WinCumeDist {
				out.vals[i] = float64(lay.peerEnd[i]-lay.partStart[i]) / size
			} else if size > 1 {
				out.vals[i] = float64(lay.peerStart[i]-lay.partStart[i]) / (size - 1)
			}
		}
		return out.finish(catalog.TypeFloat8)
	}
	out := newFixedBuilder[int64](mem, n)
	dense := int64(0)
	for i := range n {
		switch f.Func {
		case WinRowNumber:
			out.vals[i] = int64(int32(i)-lay.partStart[i]) + 1
		case WinRank:
			out.vals[i] = int64(lay.peerStart[i]-lay.partStart[i]) + 1
		default:
			if i == int(lay.partStart[i]) {
				dense = 0
			}
			if i == int(lay.peerStart[i]) {
				dense++
			}
			out.vals[i] = dense
		}
	}
	return out.finish(catalog.TypeInt8)
}

// evalNtile computes ntile(n) (integer) with PostgreSQL's state machine:
// the argument is read at a partition's first row and, while it is NULL
// (the result then is NULL), at each next row; once it is not, the
// partition's row count is dealt into n buckets, the first (rows mod n)
// of them one row larger, and the rows from there on numbered by bucket.
func (w *windowOp) evalNtile(f WindowExpr, b *Batch, lay *windowLayout) (arrow.Array, error) {
	arg, err := f.Args[0].Eval(w.ctx, b)
	if err != nil {
		return nil, err
	}
	defer arg.Release()
	vals, valid := fixedValues[int32](arg), validityOf(arg)
	out := newFixedBuilder[int32](w.ctx.Mem, lay.n)
	var ntile, perBucket, boundary, remainder int64
	for i := range lay.n {
		if i == int(lay.partStart[i]) {
			ntile = 0
		}
		if ntile == 0 {
			if !valid.valid(i) {
				out.setNull(i)
				continue
			}
			buckets := int64(vals[i])
			if buckets <= 0 {
				out.finish(catalog.TypeInt4).Release()
				return nil, pgerr.New(pgerr.InvalidArgumentForNtile, "argument of ntile must be greater than zero")
			}
			total := int64(lay.partEnd[i] - lay.partStart[i])
			ntile, perBucket, remainder = 1, 0, 0
			boundary = total / buckets
			if boundary <= 0 {
				boundary = 1
			} else {
				remainder = total % buckets
				if remainder != 0 {
					boundary++
				}
			}
		}
		perBucket++
		if boundary < perBucket {
			if remainder != 0 && ntile == remainder {
				remainder = 0
				boundary--
			}
			ntile++
			perBucket = 1
		}
		out.vals[i] = int32(ntile)
	}
	return out.finish(catalog.TypeInt4), nil
}
