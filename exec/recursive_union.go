package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/catalog"
)

// WorkTable is the working table of a recursive union: the rows its
// previous iteration produced, which the recursive term reads through a
// WorkTableScan. The recursive union owns the batches; they stay valid
// for the whole of the iteration that reads them.
type WorkTable struct {
	types   []catalog.Type
	batches []*Batch // dense (no selection)
}

// NewWorkTable returns an empty working table of rows of the given types,
// for one NewRecursiveUnion and the WorkTableScans of its recursive term.
func NewWorkTable(types []catalog.Type) *WorkTable { return &WorkTable{types: types} }

func (w *WorkTable) release() {
	for _, b := range w.batches {
		b.Release()
	}
	w.batches = nil
}

// NewWorkTableScan reads the working table wt from its start every time
// it is opened (PostgreSQL's WorkTable Scan). Its batches are the working
// table's own, passed on without copying.
func NewWorkTableScan(wt *WorkTable) Operator { return &workTableScan{wt: wt} }

type workTableScan struct {
	wt  *WorkTable
	ctx *Context
	pos int
	out Batch
}

func (s *workTableScan) Types() []catalog.Type { return s.wt.types }

func (s *workTableScan) Open(ctx *Context) error {
	s.ctx, s.pos = ctx, 0
	return nil
}

func (s *workTableScan) Next() (*Batch, error) {
	if err := s.ctx.Ctx.Err(); err != nil {
		return nil, err
	}
	if s.pos >= len(s.wt.batches) {
		return nil, nil
	}
	s.out = *s.wt.batches[s.pos]
	s.pos++
	return &s.out, nil
}

func (s *workTableScan) Close() {}

// NewRecursiveUnion is WITH RECURSIVE's evaluation (PostgreSQL's Recursive
// Union): it passes on the rows of nonRec, then runs rec again and again,
// each run reading through WorkTableScans of wt the rows the previous run
// (the first time: nonRec) produced, until a run produces no row. rec is
// re-opened for every iteration, so everything under it starts afresh,
// except what keeps its state across re-opens in the Context: a hash join
// whose build side does not read the working table builds once.
//
// With all false (UNION) a row equal to one already produced, NULLs equal,
// is dropped and not fed back, which ends the recursion over cyclic data;
// a hash table of every row produced decides. Otherwise (UNION ALL) every
// row is kept and nothing but the two latest iterations' rows is held.
//
// Output streams: every batch is passed on as soon as it is made, so a
// LIMIT above stops an otherwise endless recursion, and ctx.Ctx is checked
// once per batch so that a cancelled statement stops one. Memory is the
// working table (the previous iteration's rows), the rows of the current
// iteration, and for UNION the hash table.
func NewRecursiveUnion(nonRec, rec Operator, wt *WorkTable, all bool) Operator {
	return &recursiveUnionOp{nonRec: nonRec, rec: rec, wt: wt, all: all}
}

const (
	phaseNonRecursive = iota
	phaseRecursive
	phaseDone
)

type recursiveUnionOp struct {
	nonRec, rec Operator
	wt          *WorkTable
	all         bool

	ctx     *Context
	phase   int
	recOpen bool
	// next collects the rows of the running iteration (dense, owned);
	// they become the working table of the following one.
	next   []*Batch
	table  *hashTable
	groups []int32
	keep   []int32
	out    Batch
}

func (u *recursiveUnionOp) Types() []catalog.Type { return u.wt.types }

func (u *recursiveUnionOp) Open(ctx *Context) error {
	u.ctx, u.phase = ctx, phaseNonRecursive
	u.releaseRows()
	u.table = nil
	if !u.all {
		u.table = newHashTable(u.wt.types)
	}
	return u.nonRec.Open(ctx)
}

func (u *recursiveUnionOp) releaseRows() {
	for _, b := range u.next {
		b.Release()
	}
	u.next = nil
	u.wt.release()
}

func (u *recursiveUnionOp) Next() (*Batch, error) {
	for {
		if err := u.ctx.Ctx.Err(); err != nil {
			return nil, err
		}
		var b *Batch
		var err error
		switch u.phase {
		case phaseNonRecursive:
			b, err = u.nonRec.Next()
		case phaseRecursive:
			b, err = u.rec.Next()
		default:
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		if b == nil {
			if err := u.nextIteration(); err != nil {
				return nil, err
			}
			continue
		}
		sel := b.Sel
		if !u.all {
			if sel = u.newRows(b); len(sel) == 0 {
				continue
			}
		}
		kept := compactTyped(u.ctx.Mem, u.wt.types, &Batch{Cols: b.Cols, Len: b.Len, Sel: sel})
		u.next = append(u.next, kept)
		u.out = Batch{Cols: kept.Cols, Len: kept.Len}
		return &u.out, nil
	}
}

// newRows returns the active rows of b not produced before (the first of
// equal rows within b), adding them to the hash table.
func (u *recursiveUnionOp) newRows(b *Batch) []int32 {
	rows := rowsOf(b)
	u.groups = growTo(u.groups[:0], len(rows))
	before := u.table.len()
	u.table.find(b.Cols, rows, u.groups, true)
	u.keep = u.table.firstOfNewGroups(u.keep[:0], rows, u.groups, before)
	return u.keep
}

// nextIteration ends the running term: its rows become the working table
// and the recursive term is opened over them, or, when it produced none,
// the union is done.
func (u *recursiveUnionOp) nextIteration() error {
	if u.recOpen {
		u.recOpen = false
		u.rec.Close()
	}
	u.wt.release()
	batches, err := coalesceBatches(u.ctx, u.wt.types, u.next)
	u.next = nil
	if err != nil {
		u.phase = phaseDone
		return err
	}
	u.wt.batches = batches
	if len(batches) == 0 {
		u.phase = phaseDone
		return nil
	}
	u.phase = phaseRecursive
	u.recOpen = true
	return u.rec.Open(u.ctx)
}

func (u *recursiveUnionOp) Close() {
	if u.recOpen {
		u.recOpen = false
		u.rec.Close()
	}
	u.nonRec.Close()
	u.releaseRows()
	u.table = nil
}

// coalesceBatches merges runs of small dense batches into batches of up
// to ctx.MaxBatchRows() rows, so that an iteration whose rows came in many
// small pieces (a selective filter, a join's sparse matches) is read back
// in full batches. It takes ownership of bs.
func coalesceBatches(ctx *Context, types []catalog.Type, bs []*Batch) ([]*Batch, error) {
	limit := ctx.MaxBatchRows()
	var out []*Batch
	for i := 0; i < len(bs); {
		j, n := i, 0
		for j < len(bs) && n+bs[j].Len <= limit {
			n += bs[j].Len
			j++
		}
		if j <= i+1 {
			// A batch alone, or one that is full already.
			out = append(out, bs[i])
			i++
			continue
		}
		merged := &Batch{Cols: make([]arrow.Array, len(types)), Len: n}
		for c := range types {
			parts := make([]arrow.Array, j-i)
			for k := i; k < j; k++ {
				parts[k-i] = bs[k].Cols[c]
			}
			a, err := array.Concatenate(parts, ctx.Mem)
			if err != nil {
				merged.Release()
				for _, b := range append(out, bs[i:]...) {
					b.Release()
				}
				return nil, internalf("concatenate: %v", err)
			}
			merged.Cols[c] = a
		}
		for k := i; k < j; k++ {
			bs[k].Release()
		}
		out = append(out, merged)
		i = j
	}
	return out, nil
}
