package exec

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
)

// NewProjectSet runs set-returning functions over its input, as
// PostgreSQL's ProjectSet: each input row becomes as many rows as its
// longest set has (none when every set is empty), the input columns
// repeated on each, followed by the functions' columns side by side, each
// NULL past its own set's end. A select list's set-returning calls, a
// function in FROM (over a one-row input) and ROWS FROM (...) all run
// here; ordinality adds a last int8 column numbering each input row's
// output rows from 1 (WITH ORDINALITY).
//
// Output rows are produced in batches of at most the context's batch
// size, resuming inside an input row's sets where the previous batch
// stopped, so one row whose set has billions of rows streams.
func NewProjectSet(in Operator, funcs []*SetFunc, ordinality bool) Operator {
	types := append([]catalog.Type(nil), in.Types()...)
	for _, f := range funcs {
		types = append(types, f.types...)
	}
	if ordinality {
		types = append(types, catalog.TypeInt8)
	}
	return &projectSetOp{in: in, funcs: funcs, types: types, ordinality: ordinality}
}

type projectSetOp struct {
	in         Operator
	funcs      []*SetFunc
	types      []catalog.Type
	ordinality bool
	ctx        *Context

	// The input batch being expanded: each function's sets, their sizes
	// per active row, and the position (an index into the active rows,
	// and an element number) to resume at.
	cur    *Batch
	active []int32
	sets   []setRows
	counts [][]int64
	row    int
	elem   int64
	out    *Batch
}

func (p *projectSetOp) Types() []catalog.Type { return p.types }

func (p *projectSetOp) Open(ctx *Context) error {
	p.ctx, p.cur, p.row, p.elem = ctx, nil, 0, 0
	return p.in.Open(ctx)
}

// load expands the next input batch; false at the input's end.
func (p *projectSetOp) load() (bool, error) {
	b, err := p.in.Next()
	if err != nil || b == nil {
		return false, err
	}
	if err := p.ctx.Ctx.Err(); err != nil {
		return false, err
	}
	p.cur, p.active, p.row, p.elem = b, rowsOf(b), 0, 0
	p.sets = make([]setRows, len(p.funcs))
	p.counts = make([][]int64, len(p.funcs))
	for i, f := range p.funcs {
		s, err := f.expandBatch(p.ctx, b)
		if err != nil {
			p.dropInput()
			return false, err
		}
		p.sets[i] = s
		p.counts[i] = make([]int64, len(p.active))
		s.counts(p.active, p.counts[i])
	}
	return true, nil
}

func (p *projectSetOp) Next() (*Batch, error) {
	p.releaseOut()
	limit := p.ctx.MaxBatchRows()
	for {
		if p.cur == nil {
			ok, err := p.load()
			if !ok || err != nil {
				return nil, err
			}
		}
		// Collect up to limit output rows: input row and element number,
		// and each function's element (-1 past its set's end).
		var rowIdx []int32
		var ords []int64
		elems := make([][]int64, len(p.funcs))
		for p.row < len(p.active) && len(rowIdx) < limit {
			n := int64(0)
			for _, c := range p.counts {
				n = max(n, c[p.row])
			}
			i := p.active[p.row]
			for ; p.elem < n && len(rowIdx) < limit; p.elem++ {
				rowIdx = append(rowIdx, i)
				ords = append(ords, p.elem+1)
				for f, c := range p.counts {
					e := p.elem
					if e >= c[p.row] {
						e = -1
					}
					elems[f] = append(elems[f], e)
				}
			}
			if p.elem >= n {
				p.row, p.elem = p.row+1, 0
			}
		}
		done := p.row >= len(p.active)
		if len(rowIdx) == 0 {
			if done {
				p.dropInput()
			}
			continue
		}
		if err := p.ctx.Ctx.Err(); err != nil {
			return nil, err
		}
		cols := make([]arrow.Array, 0, len(p.types))
		nIn := len(p.cur.Cols)
		for c := 0; c < nIn; c++ {
			cols = append(cols, take(p.ctx.Mem, p.types[c], p.cur.Cols[c], rowIdx))
		}
		for f, s := range p.sets {
			fc, err := s.gather(p.ctx.Mem, rowIdx, elems[f])
			if err != nil {
				releaseAll(cols)
				return nil, err
			}
			cols = append(cols, fc...)
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
	for _, s := range p.sets {
		if s != nil {
			s.release()
		}
	}
	p.cur, p.active, p.sets, p.counts = nil, nil, nil, nil
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
