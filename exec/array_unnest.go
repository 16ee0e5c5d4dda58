package exec

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
)

// NewProjectSet evaluates set-returning unnest(array) calls of a select
// list (PostgreSQL's ProjectSet): each input row becomes as many rows as
// its longest array has elements (none for NULL or empty arrays), the
// input columns repeated on each, followed by one column per array
// holding its k-th element (NULL past its end). unnest in FROM is the
// same over a one-row input; ordinality adds a last int8 column numbering
// each input row's output rows from 1 (WITH ORDINALITY).
func NewProjectSet(in Operator, arrays []Expr, ordinality bool) Operator {
	types := append([]catalog.Type(nil), in.Types()...)
	for _, a := range arrays {
		types = append(types, a.Type().ElemType())
	}
	if ordinality {
		types = append(types, catalog.TypeInt8)
	}
	return &projectSetOp{in: in, arrays: arrays, types: types, ordinality: ordinality}
}

type projectSetOp struct {
	in         Operator
	arrays     []Expr
	types      []catalog.Type
	ordinality bool
	ctx        *Context

	// The input batch being expanded: its arrays, and the position (an
	// index into its active rows, and an element number) to resume at.
	cur   *Batch
	lists []arrow.Array
	views []listView
	row   int
	elem  int
	out   *Batch
}

func (p *projectSetOp) Types() []catalog.Type { return p.types }

func (p *projectSetOp) Open(ctx *Context) error {
	p.ctx, p.cur, p.row, p.elem = ctx, nil, 0, 0
	return p.in.Open(ctx)
}

func (p *projectSetOp) Next() (*Batch, error) {
	p.releaseOut()
	limit := p.ctx.MaxBatchRows()
	for {
		if p.cur == nil {
			b, err := p.in.Next()
			if err != nil || b == nil {
				return nil, err
			}
			if err := p.ctx.Ctx.Err(); err != nil {
				return nil, err
			}
			lists, err := evalAll(p.ctx, p.arrays, b)
			if err != nil {
				return nil, err
			}
			p.cur, p.lists, p.row, p.elem = b, lists, 0, 0
			p.views = make([]listView, len(lists))
			for i, l := range lists {
				p.views[i] = listViewOf(l)
			}
		}
		// Collect up to limit output rows: input row and element number.
		var rowIdx []int32
		var ords []int64
		elemIdx := make([][]int32, len(p.arrays))
		active := rowsOf(p.cur)
		for p.row < len(active) && len(rowIdx) < limit {
			i := int(active[p.row])
			n := 0
			for _, v := range p.views {
				if v.valid(i) {
					lo, hi := v.bounds(i)
					n = max(n, hi-lo)
				}
			}
			for ; p.elem < n && len(rowIdx) < limit; p.elem++ {
				rowIdx = append(rowIdx, int32(i))
				ords = append(ords, int64(p.elem+1))
				for a, v := range p.views {
					e := int32(-1)
					if v.valid(i) {
						if lo, hi := v.bounds(i); p.elem < hi-lo {
							e = int32(lo + p.elem)
						}
					}
					elemIdx[a] = append(elemIdx[a], e)
				}
			}
			if p.elem >= n {
				p.row, p.elem = p.row+1, 0
			}
		}
		done := p.row >= len(active)
		if len(rowIdx) == 0 {
			if done {
				p.dropInput()
			}
			continue
		}
		cols := make([]arrow.Array, 0, len(p.types))
		nIn := len(p.cur.Cols)
		for c := 0; c < nIn; c++ {
			cols = append(cols, take(p.ctx.Mem, p.types[c], p.cur.Cols[c], rowIdx))
		}
		for a, v := range p.views {
			cols = append(cols, takeNullable(p.ctx.Mem, p.types[nIn+a], v.values, elemIdx[a]))
		}
		if p.ordinality {
			ob := newFixedBuilder[int64](p.ctx.Mem, len(ords))
			copy(ob.vals, ords)
			cols = append(cols, ob.finish(catalog.TypeInt8))
		}
		if done {
			// The input batch stays valid until the input's next Next.
			p.dropInput()
		}
		p.out = &Batch{Cols: cols, Len: len(rowIdx)}
		return p.out, nil
	}
}

func (p *projectSetOp) dropInput() {
	releaseAll(p.lists)
	p.cur, p.lists, p.views = nil, nil, nil
}

func (p *projectSetOp) releaseOut() {
	if p.out != nil {
		p.out.Release()
		p.out = nil
	}
}

func (p *projectSetOp) Close() {
	p.releaseOut()
	if p.cur != nil {
		p.dropInput()
	}
	p.in.Close()
}
