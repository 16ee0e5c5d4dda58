package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/catalog"
)

// NewHashAggregate groups its input by groupBy and computes aggs per
// group. It is a sink: the first Next consumes the whole input, then the
// groups are emitted in batches of group columns followed by aggregate
// columns, in order of first appearance. Without groupBy it emits exactly
// one row, even for empty input (count = 0, other aggregates NULL).
func NewHashAggregate(in Operator, groupBy []Expr, aggs []Aggregate) Operator {
	types := typesOf(groupBy)
	for _, a := range aggs {
		types = append(types, a.Type)
	}
	return &hashAggOp{in: in, groupBy: groupBy, aggs: aggs, types: types}
}

type hashAggOp struct {
	in      Operator
	groupBy []Expr
	aggs    []Aggregate
	types   []catalog.Type

	ctx      *Context
	table    *hashTable
	states   []aggState
	distinct []*hashTable // per aggregate, for DISTINCT: (group, value) pairs seen
	result   []arrow.Array
	emitted  int
	built    bool
	out      *Batch
}

func (h *hashAggOp) Types() []catalog.Type { return h.types }

func (h *hashAggOp) Open(ctx *Context) error {
	h.ctx, h.built, h.emitted = ctx, false, 0
	h.table = newHashTable(typesOf(h.groupBy))
	h.states = make([]aggState, len(h.aggs))
	h.distinct = make([]*hashTable, len(h.aggs))
	for i, a := range h.aggs {
		s, err := newAggState(a)
		if err != nil {
			return err
		}
		h.states[i] = s
		if a.Distinct && a.Arg != nil {
			h.distinct[i] = newHashTable([]catalog.Type{catalog.TypeInt4, a.Arg.Type()})
		}
	}
	return h.in.Open(ctx)
}

func (h *hashAggOp) consume() error {
	groups := make([]int32, 0, maxBatchRows)
	ngroups := 0
	if len(h.groupBy) == 0 {
		ngroups = 1
		for _, s := range h.states {
			s.grow(1)
		}
	}
	for {
		b, err := h.in.Next()
		if err != nil {
			return err
		}
		if b == nil {
			break
		}
		if err := h.ctx.Ctx.Err(); err != nil {
			return err
		}
		rows := rowsOf(b)
		groups = groups[:len(rows)]
		if len(h.groupBy) == 0 {
			for k := range groups {
				groups[k] = 0
			}
		} else {
			keys, err := evalAll(h.ctx, h.groupBy, b)
			if err != nil {
				return err
			}
			h.table.find(keys, rows, groups, true)
			releaseAll(keys)
			if n := h.table.len(); n != ngroups {
				ngroups = n
				for _, s := range h.states {
					s.grow(n)
				}
			}
		}
		if err := h.update(b, rows, groups); err != nil {
			return err
		}
	}
	cols := make([]arrow.Array, 0, len(h.types))
	if len(h.groupBy) > 0 {
		cols = append(cols, h.table.keyArrays(h.ctx.Mem)...)
	}
	for _, s := range h.states {
		cols = append(cols, s.finish(h.ctx.Mem))
	}
	h.result = cols
	return nil
}

func (h *hashAggOp) update(b *Batch, rows, groups []int32) error {
	for i, a := range h.aggs {
		if a.Func == AggCountStar {
			if err := h.states[i].update(nil, rows, groups); err != nil {
				return err
			}
			continue
		}
		arg, err := a.Arg.Eval(h.ctx, b)
		if err != nil {
			return err
		}
		r, g := rows, groups
		if h.distinct[i] != nil {
			r, g = h.firstSeen(h.distinct[i], arg, b.Len, rows, groups)
		}
		err = h.states[i].update(arg, r, g)
		arg.Release()
		if err != nil {
			return err
		}
	}
	return nil
}

// firstSeen keeps the rows whose (group, value) pair the DISTINCT table
// has not seen before; NULL values are dropped here too, since every
// aggregate ignores them.
func (h *hashAggOp) firstSeen(t *hashTable, arg arrow.Array, n int, rows, groups []int32) ([]int32, []int32) {
	gb := newFixedBuilder[int32](h.ctx.Mem, n)
	for k, i := range rows {
		gb.vals[i] = groups[k]
	}
	garr := gb.finish(catalog.TypeInt4)
	defer garr.Release()
	before := t.len()
	ids := make([]int32, len(rows))
	t.find([]arrow.Array{garr, arg}, rows, ids, true)
	v := validityOf(arg)
	var keptRows, keptGroups []int32
	for k, id := range ids {
		if int(id) >= before && v.valid(int(rows[k])) {
			before = int(id) + 1 // ids are dense: later duplicates are smaller
			keptRows = append(keptRows, rows[k])
			keptGroups = append(keptGroups, groups[k])
		}
	}
	return keptRows, keptGroups
}

func (h *hashAggOp) Next() (*Batch, error) {
	h.release()
	if !h.built {
		h.built = true
		if err := h.consume(); err != nil {
			return nil, err
		}
	}
	total := 0
	if len(h.result) > 0 {
		total = h.result[0].Len()
	}
	if h.emitted >= total {
		return nil, nil
	}
	end := min(total, h.emitted+maxBatchRows)
	cols := make([]arrow.Array, len(h.result))
	for i, c := range h.result {
		cols[i] = array.NewSlice(c, int64(h.emitted), int64(end))
	}
	h.out = &Batch{Cols: cols, Len: end - h.emitted}
	h.emitted = end
	return h.out, nil
}

func (h *hashAggOp) release() {
	if h.out != nil {
		h.out.Release()
		h.out = nil
	}
}

func (h *hashAggOp) Close() {
	h.release()
	releaseAll(h.result)
	h.result = nil
	h.table, h.states, h.distinct = nil, nil, nil
	h.in.Close()
}
