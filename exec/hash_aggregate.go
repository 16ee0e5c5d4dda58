package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// NewHashAggregate groups its input by groupBy and computes aggs per
// group. It is a sink: the first Next consumes the whole input, then the
// groups are emitted in batches of group columns followed by aggregate
// columns, in order of first appearance. Without groupBy it emits exactly
// one row, even for empty input (count = 0, other aggregates NULL).
func NewHashAggregate(in Operator, groupBy []Expr, aggs []Aggregate) Operator {
	return &hashAggOp{in: in, groupBy: groupBy, aggs: aggs, types: aggregateTypes(groupBy, aggs)}
}

func aggregateTypes(groupBy []Expr, aggs []Aggregate) []catalog.Type {
	types := typesOf(groupBy)
	for _, a := range aggs {
		types = append(types, a.Type)
	}
	return types
}

type hashAggOp struct {
	in      Operator
	groupBy []Expr
	aggs    []Aggregate
	types   []catalog.Type

	ctx    *Context
	groups *groupedAggregation
	groupedOutput
}

func (h *hashAggOp) Types() []catalog.Type { return h.types }

func (h *hashAggOp) Open(ctx *Context) error {
	h.ctx = ctx
	h.groupedOutput.reset()
	g, err := newGroupedAggregation(h.groupBy, h.aggs)
	if err != nil {
		return err
	}
	h.groups = g
	return h.in.Open(ctx)
}

func (h *hashAggOp) Next() (*Batch, error) {
	h.release()
	if !h.built {
		h.built = true
		if err := h.groups.consume(h.ctx, h.in); err != nil {
			return nil, err
		}
		h.result = h.groups.finish(h.ctx.Mem)
		h.groups = nil
	}
	return h.emit(h.ctx.MaxBatchRows()), nil
}

func (h *hashAggOp) Close() {
	h.groupedOutput.close()
	h.groups = nil
	h.in.Close()
}

// groupedAggregation is the running state of a hash aggregation: the
// groups seen so far and every aggregate's state per group. Two of them
// over disjoint inputs merge into the aggregation of both inputs.
type groupedAggregation struct {
	groupBy  []Expr
	aggs     []Aggregate
	table    *hashTable
	states   []aggState
	distinct []*hashTable // per aggregate, for DISTINCT: (group, value) pairs seen
	ngroups  int
	groupIDs []int32 // scratch: the group of each row of a batch
}

func newGroupedAggregation(groupBy []Expr, aggs []Aggregate) (*groupedAggregation, error) {
	g := &groupedAggregation{
		groupBy:  groupBy,
		aggs:     aggs,
		table:    newHashTable(typesOf(groupBy)),
		states:   make([]aggState, len(aggs)),
		distinct: make([]*hashTable, len(aggs)),
	}
	for i, a := range aggs {
		s, err := newAggState(a)
		if err != nil {
			return nil, err
		}
		g.states[i] = s
		if a.Distinct && a.Arg != nil {
			g.distinct[i] = newHashTable([]catalog.Type{catalog.TypeInt4, a.Arg.Type()})
		}
	}
	if len(groupBy) == 0 {
		g.setGroups(1)
	}
	return g, nil
}

func (g *groupedAggregation) setGroups(n int) {
	if n == g.ngroups {
		return
	}
	g.ngroups = n
	for _, s := range g.states {
		s.grow(n)
	}
}

// consume folds every batch of in into the groups.
func (g *groupedAggregation) consume(ctx *Context, in Operator) error {
	for {
		b, err := in.Next()
		if err != nil {
			return err
		}
		if b == nil {
			return nil
		}
		if err := ctx.Ctx.Err(); err != nil {
			return err
		}
		if err := g.add(ctx, b); err != nil {
			return err
		}
	}
}

// add folds one batch into the groups.
func (g *groupedAggregation) add(ctx *Context, b *Batch) error {
	rows := rowsOf(b)
	if cap(g.groupIDs) < len(rows) {
		g.groupIDs = make([]int32, len(rows), max(len(rows), maxBatchRows))
	}
	groups := g.groupIDs[:len(rows)]
	if len(g.groupBy) == 0 {
		clear(groups)
	} else {
		keys, err := evalAll(ctx, g.groupBy, b)
		if err != nil {
			return err
		}
		g.table.find(keys, rows, groups, true)
		releaseAll(keys)
		g.setGroups(g.table.len())
	}
	for i, a := range g.aggs {
		if a.Func == AggCountStar {
			if err := g.states[i].update(nil, rows, groups); err != nil {
				return err
			}
			continue
		}
		arg, err := a.Arg.Eval(ctx, b)
		if err != nil {
			return err
		}
		r, gs := rows, groups
		if g.distinct[i] != nil {
			r, gs = firstSeen(ctx, g.distinct[i], arg, b.Len, rows, groups)
		}
		err = g.states[i].update(arg, r, gs)
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
func firstSeen(ctx *Context, t *hashTable, arg arrow.Array, n int, rows, groups []int32) ([]int32, []int32) {
	gb := newFixedBuilder[int32](ctx.Mem, n)
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

// merge folds the groups of o, an aggregation of the same groupBy and
// aggregates over other rows, into g. DISTINCT aggregates cannot merge:
// their per-group value sets are not kept in mergeable form.
func (g *groupedAggregation) merge(mem memory.Allocator, o *groupedAggregation) error {
	for _, d := range g.distinct {
		if d != nil {
			return internalf("merge of DISTINCT aggregates")
		}
	}
	target := make([]int32, o.ngroups)
	if len(g.groupBy) > 0 {
		keys := o.table.keyArrays(mem)
		g.table.find(keys, identitySel(o.ngroups), target, true)
		releaseAll(keys)
		g.setGroups(g.table.len())
	}
	for i, s := range g.states {
		if err := s.merge(o.states[i], target); err != nil {
			return err
		}
	}
	return nil
}

// finish returns the result columns: group keys, then aggregates.
func (g *groupedAggregation) finish(mem memory.Allocator) []arrow.Array {
	cols := make([]arrow.Array, 0, len(g.groupBy)+len(g.states))
	if len(g.groupBy) > 0 {
		cols = append(cols, g.table.keyArrays(mem)...)
	}
	for _, s := range g.states {
		cols = append(cols, s.finish(mem))
	}
	return cols
}

// groupedOutput emits the finished columns of an aggregation in batches.
type groupedOutput struct {
	result  []arrow.Array
	emitted int
	built   bool
	out     *Batch
}

func (o *groupedOutput) reset() {
	o.close()
	o.emitted, o.built = 0, false
}

// emit returns the next batch of at most limit result rows, or nil
// after the last.
func (o *groupedOutput) emit(limit int) *Batch {
	total := 0
	if len(o.result) > 0 {
		total = o.result[0].Len()
	}
	if o.emitted >= total {
		return nil
	}
	end := min(total, o.emitted+limit)
	cols := make([]arrow.Array, len(o.result))
	for i, c := range o.result {
		cols[i] = array.NewSlice(c, int64(o.emitted), int64(end))
	}
	o.out = &Batch{Cols: cols, Len: end - o.emitted}
	o.emitted = end
	return o.out
}

func (o *groupedOutput) release() {
	if o.out != nil {
		o.out.Release()
		o.out = nil
	}
}

func (o *groupedOutput) close() {
	o.release()
	releaseAll(o.result)
	o.result = nil
}
