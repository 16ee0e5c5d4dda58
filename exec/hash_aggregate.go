package exec

import (
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// NewHashAggregate groups its input by groupBy and computes aggs per
// group. It is a sink: the first Next consumes the whole input, then the
// groups are emitted in batches of group columns followed by aggregate
// columns, in the hash table's group order (no order a query may rely
// on). Without groupBy it emits exactly
// one row, even for empty input (count = 0, other aggregates NULL).
// With groupBy, a table that outgrows work_mem spills the rows of new
// groups to partition files and aggregates them afterwards
// (grace_aggregate.go).
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
	// level is the depth of partitioning of a partition's aggregation
	// (0 for the operator the plan made).
	level int

	ctx    *Context
	groups *groupedAggregation
	groupedOutput
	aggSpill
}

func (h *hashAggOp) Types() []catalog.Type { return h.types }

func (h *hashAggOp) Open(ctx *Context) error {
	h.ctx = ctx
	h.groupedOutput.reset()
	h.aggSpill.reset(ctx)
	g, err := newGroupedAggregation(h.groupBy, h.aggs, ctx.location())
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
		if err := h.consume(); err != nil {
			return nil, err
		}
		result, rows, err := h.groups.finish(h.ctx.Mem)
		h.groups = nil
		if err != nil {
			return nil, err
		}
		h.setResult(result, rows)
	}
	if b := h.emit(h.ctx.MaxBatchRows()); b != nil {
		return b, nil
	}
	return h.nextPartition()
}

func (h *hashAggOp) Close() {
	h.groupedOutput.close()
	h.groups = nil
	h.aggSpill.close()
	h.in.Close()
}

// groupedAggregation is the running state of a hash aggregation: the
// groups seen so far and every aggregate's state per group. Two of them
// over disjoint inputs merge into the aggregation of both inputs.
type groupedAggregation struct {
	groupBy  []Expr
	aggs     []Aggregate
	inputs   [][]Expr // per aggregate: what its update reads (aggInputs)
	table    *hashTable
	states   []aggState
	distinct []*hashTable // per aggregate, for DISTINCT: (group, arguments) seen
	ngroups  int
	groupIDs []int32       // scratch: the group of each row of a batch
	keptRows []int32       // scratch: the rows a FILTER keeps
	keptIDs  []int32       // scratch: their groups
	args     []arrow.Array // scratch: an aggregate's evaluated inputs
	// collected estimates the bytes of the values that aggregates keeping
	// their inputs (array_agg, string_agg, ORDER BY, the ordered-set
	// aggregates) hold, for memSize.
	collected int64
}

// collectsValues reports whether a keeps the values it is given, not
// only a fixed-size state per group.
func collectsValues(a Aggregate) bool {
	switch a.Func {
	case AggStringAgg, AggArrayAgg, AggJSONAgg, AggJSONBAgg, AggJSONObjectAgg, AggJSONBObjectAgg:
		return true
	}
	return a.Func.IsOrderedSet() || len(a.OrderBy) > 0
}

// memSize estimates the memory the aggregation holds: its groups' keys,
// a state per group and aggregate, DISTINCT tables and collected values.
func (g *groupedAggregation) memSize() int64 {
	n := g.table.memSize() + int64(g.ngroups)*int64(len(g.aggs))*aggStateBytes + g.collected
	for _, d := range g.distinct {
		if d != nil {
			n += d.memSize()
		}
	}
	for _, s := range g.states {
		if v, ok := s.(valueHolder); ok {
			n += v.heldBytes()
		}
	}
	return n
}

// valueHolder is a state that holds its groups' values, as keys are
// held: the bytes they take count toward the aggregation's memory.
type valueHolder interface{ heldBytes() int64 }

// aggStateBytes is what a group's state of one aggregate takes, roughly:
// a sum or count with its flags.
const aggStateBytes = 24

// aggInputs lists the expressions an aggregate's update reads, in order:
// Arg, Arg2, then its ORDER BY keys (an ordered-set aggregate sorts Arg
// itself).
func aggInputs(a Aggregate) []Expr {
	var es []Expr
	for _, e := range []Expr{a.Arg, a.Arg2} {
		if e != nil {
			es = append(es, e)
		}
	}
	if !a.Func.IsOrderedSet() {
		for _, k := range a.OrderBy {
			es = append(es, k.Expr)
		}
	}
	return es
}

// aggArgCount is how many of aggInputs are arguments (the rest are
// ORDER BY keys).
func aggArgCount(a Aggregate) int {
	n := 0
	if a.Arg != nil {
		n++
	}
	if a.Arg2 != nil {
		n++
	}
	return n
}

func newGroupedAggregation(groupBy []Expr, aggs []Aggregate, loc *time.Location) (*groupedAggregation, error) {
	aggs = append([]Aggregate(nil), aggs...)
	for i := range aggs {
		aggs[i] = distinctOrder(aggs[i])
	}
	g := &groupedAggregation{
		groupBy:  groupBy,
		aggs:     aggs,
		inputs:   make([][]Expr, len(aggs)),
		table:    newHashTable(typesOf(groupBy)),
		states:   make([]aggState, len(aggs)),
		distinct: make([]*hashTable, len(aggs)),
	}
	for i, a := range aggs {
		s, err := newAggState(a, loc)
		if err != nil {
			return nil, err
		}
		g.states[i] = s
		g.inputs[i] = aggInputs(a)
		if a.Distinct && a.Arg != nil {
			g.distinct[i] = newHashTable(append([]catalog.Type{catalog.TypeInt4}, typesOf(g.inputs[i][:aggArgCount(a)])...))
		}
	}
	g.shareSums()
	if len(groupBy) == 0 {
		g.setGroups(1)
	}
	g.table.useDirect(typesOf(groupBy))
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
	if err := eachBatch(ctx, in, func(b *Batch) error { return g.add(ctx, b) }); err != nil {
		return err
	}
	return g.settleDirect(ctx)
}

// add folds one batch into the groups.
func (g *groupedAggregation) add(ctx *Context, b *Batch) error {
	rows := rowsOf(b)
	if cap(g.groupIDs) < len(rows) {
		g.groupIDs = make([]int32, len(rows), max(len(rows), 2*cap(g.groupIDs)))
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
	return g.addRows(ctx, b, rows, groups)
}

// addRows folds rows of b, whose groups are known, into every aggregate.
func (g *groupedAggregation) addRows(ctx *Context, b *Batch, rows, groups []int32) error {
	for i, a := range g.aggs {
		if err := g.addAggregate(ctx, i, a, b, rows, groups); err != nil {
			return err
		}
	}
	return nil
}

// addAggregate folds the rows of one batch into aggregate i: the direct
// argument of an ordered-set aggregate from every row, the arguments
// from the rows FILTER keeps, once per distinct argument list with
// DISTINCT.
func (g *groupedAggregation) addAggregate(ctx *Context, i int, a Aggregate, b *Batch, rows, groups []int32) error {
	st := g.states[i]
	if _, shared := st.(*sharedSumState); shared {
		return nil // the aggregate keeping its sum reads the rows
	}
	if a.Direct != nil {
		d, err := a.Direct.Eval(ctx, b)
		if err != nil {
			return err
		}
		st.(directState).setDirect(d, rows, groups)
		d.Release()
	}
	if a.Filter != nil {
		var err error
		if rows, groups, err = g.filterRows(ctx, a.Filter, b, rows, groups); err != nil {
			return err
		}
	}
	args := g.args[:0]
	defer func() {
		releaseAll(args)
		clear(args)
		g.args = args[:0]
	}()
	for _, e := range g.inputs[i] {
		v, err := e.Eval(ctx, b)
		if err != nil {
			return err
		}
		args = append(args, v)
	}
	if collectsValues(a) && b.Len > 0 {
		// The values it keeps, in proportion to the rows it keeps them of.
		g.collected += arraysSize(args) * int64(len(rows)) / int64(b.Len)
	}
	if g.distinct[i] != nil {
		rows, groups = firstSeen(g.distinct[i], args[:aggArgCount(a)], b.Len, rows, groups, a.Func.collectsNulls())
	}
	if len(args) == 0 {
		return st.update(nil, rows, groups) // count(*)
	}
	return st.update(args, rows, groups)
}

// filterRows keeps the rows (and their groups) where pred is true, in
// scratch space valid until the next call.
func (g *groupedAggregation) filterRows(ctx *Context, pred Expr, b *Batch, rows, groups []int32) ([]int32, []int32, error) {
	p, err := pred.Eval(ctx, b)
	if err != nil {
		return nil, nil, err
	}
	defer p.Release()
	v := boolViewOf(p)
	kr, kg := g.keptRows[:0], g.keptIDs[:0]
	for k, i := range rows {
		if v.valid(int(i)) && v.value(int(i)) {
			kr = append(kr, i)
			kg = append(kg, groups[k])
		}
	}
	g.keptRows, g.keptIDs = kr, kg
	return kr, kg, nil
}

// settleDirect evaluates, once the input has ended, the direct argument
// of an ordered-set aggregate over no rows without GROUP BY: its one
// group saw no row to evaluate it on, and PostgreSQL still checks it
// (percentile_cont(2) over no rows is an error). Such an argument reads
// no input column, only constants, parameters and outer values.
func (g *groupedAggregation) settleDirect(ctx *Context) error {
	if len(g.groupBy) > 0 {
		return nil
	}
	for i, a := range g.aggs {
		ds, ok := g.states[i].(directState)
		if a.Direct == nil || !ok || ds.hasDirect(0) {
			continue
		}
		d, err := a.Direct.Eval(ctx, &Batch{Len: 1})
		if err != nil {
			return err
		}
		ds.setDirect(d, identitySel(1), []int32{0})
		d.Release()
	}
	return nil
}

// firstSeen keeps the rows whose (group, arguments) the DISTINCT table
// has not seen before; rows whose first argument is NULL are dropped
// here too, since the aggregates ignore them, unless keepNull (array_agg
// and json(b)_agg, which collect NULLs, once).
//
// The rows and groups it returns are t's scratch, valid until its next
// call: the aggregates' updates copy what they keep.
func firstSeen(t *hashTable, args []arrow.Array, n int, rows, groups []int32, keepNull bool) ([]int32, []int32) {
	d := &t.distinct
	d.groups = growTo(d.groups[:0], n)
	for k, i := range rows {
		d.groups[i] = groups[k]
	}
	garr := array.NewInt32Data(array.NewData(arrow.PrimitiveTypes.Int32, n, []*memory.Buffer{nil, memory.NewBufferBytes(arrow.Int32Traits.CastToBytes(d.groups))}, nil, 0, 0))
	defer garr.Release()
	before := t.len()
	d.ids = growTo(d.ids[:0], len(rows))
	ids := d.ids
	t.find(append([]arrow.Array{garr}, args...), rows, ids, true)
	// The first row of each new (group, arguments) key, wherever find
	// numbered it (see firstOfNewGroups).
	t.claimed = growTo(t.claimed[:0], t.len()-before)
	v := validityOf(args[0])
	keptRows, keptGroups := d.rows[:0], d.kept[:0]
	for k, id := range ids {
		if int(id) < before || t.claimed[int(id)-before] {
			continue
		}
		t.claimed[int(id)-before] = true
		if keepNull || v.valid(int(rows[k])) {
			keptRows = append(keptRows, rows[k])
			keptGroups = append(keptGroups, groups[k])
		}
	}
	d.rows, d.kept = keptRows, keptGroups
	return keptRows, keptGroups
}

// merge folds the groups of o, an aggregation of the same groupBy and
// aggregates over other rows, into g. Only splittable aggregates merge
// (Aggregate.Splittable): DISTINCT keeps no per-group value sets in
// mergeable form, and the others depend on the order of all rows.
func (g *groupedAggregation) merge(mem memory.Allocator, o *groupedAggregation) error {
	for _, a := range g.aggs {
		if !a.Splittable() {
			return internalf("merge of aggregate %s that is not splittable", a.Func)
		}
	}
	target := make([]int32, o.ngroups)
	if len(g.groupBy) > 0 {
		keys := o.table.keyArrays(mem)
		g.table.find(keys, identitySel(o.ngroups), target, true)
		releaseAll(keys)
		g.setGroups(g.table.len())
	}
	return g.mergeStates(o, target)
}

// mergeStates folds each group gr of o whose target[gr] is not negative
// into g's group target[gr]; o's states stay as they were.
func (g *groupedAggregation) mergeStates(o *groupedAggregation, target []int32) error {
	for i, s := range g.states {
		if err := s.merge(o.states[i], target); err != nil {
			return err
		}
	}
	return nil
}

// finish returns the result columns: group keys, then aggregates.
// finish returns the result columns and the number of groups (rows),
// which a result of no columns (SELECT 1 FROM t HAVING true) still has.
func (g *groupedAggregation) finish(mem memory.Allocator) ([]arrow.Array, int, error) {
	cols := make([]arrow.Array, 0, len(g.groupBy)+len(g.states))
	if len(g.groupBy) > 0 {
		cols = append(cols, g.table.keyArrays(mem)...)
	}
	for _, s := range g.states {
		c, err := s.finish(mem)
		if err != nil {
			releaseAll(cols)
			return nil, 0, err
		}
		cols = append(cols, c)
	}
	return cols, g.ngroups, nil
}

// groupedOutput emits the finished columns of an aggregation in batches,
// from one or more parts (the tables of a parallel aggregate in direct
// mode are finished separately: parallel_hash_aggregate.go), one part
// after another. A part is a Batch of the finished columns: its Len is
// the number of groups, known even without columns (SELECT 1 FROM t
// HAVING true), and its Sel, when set, the groups to emit (the others
// were merged into another part's).
type groupedOutput struct {
	finished []Batch
	part     int // the part emit reads
	emitted  int // rows of finished[part] emitted
	built    bool
	out      *Batch
}

func (o *groupedOutput) reset() {
	o.close()
	o.part, o.emitted, o.built = 0, 0, false
}

// setResult makes cols, of rows rows, the one part to emit.
func (o *groupedOutput) setResult(cols []arrow.Array, rows int) {
	o.finished = []Batch{{Cols: cols, Len: rows}}
}

// emit returns the next batch of at most limit result rows, or nil
// after the last.
func (o *groupedOutput) emit(limit int) *Batch {
	for o.part < len(o.finished) && o.emitted >= o.finished[o.part].NumRows() {
		o.part, o.emitted = o.part+1, 0
	}
	if o.part == len(o.finished) {
		return nil
	}
	p := &o.finished[o.part]
	end := min(p.NumRows(), o.emitted+limit)
	// The batch is the part's rows from, to; with a selection, the rows
	// between the first and last selected, and the selected ones.
	from, to := o.emitted, end
	var sel []int32
	if p.Sel != nil {
		from, to = int(p.Sel[o.emitted]), int(p.Sel[end-1])+1
		sel = make([]int32, end-o.emitted)
		for k, r := range p.Sel[o.emitted:end] {
			sel[k] = r - int32(from)
		}
	}
	cols := make([]arrow.Array, len(p.Cols))
	for i, c := range p.Cols {
		cols[i] = array.NewSlice(c, int64(from), int64(to))
	}
	o.out = &Batch{Cols: cols, Len: to - from, Sel: sel}
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
	for _, p := range o.finished {
		releaseAll(p.Cols)
	}
	o.finished = nil
}
