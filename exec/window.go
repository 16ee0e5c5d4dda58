package exec

import (
	"bytes"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// WindowFunc is a window function.
type WindowFunc uint8

const (
	WinRowNumber WindowFunc = iota
	WinRank
	WinDenseRank
	// WinLag and WinLead read Args[0] offset rows before/after the current
	// row in its partition; Args[1] (optional) is a constant offset
	// (default 1) and Args[2] (optional) the default value.
	WinLag
	WinLead
	WinFirstValue
	// WinAggregate is an aggregate (Agg) used as a window function.
	WinAggregate
)

// WindowExpr is one window function call. Frame semantics are
// PostgreSQL's defaults: with an ORDER BY, aggregates and first_value see
// the rows from the partition start through the current row's last peer
// (RANGE UNBOUNDED PRECEDING); without one, or with WholePartition set
// (ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING), the whole
// partition. An aggregate's Filter (FILTER (WHERE ...)) keeps the rows
// of its frames where it is true.
type WindowExpr struct {
	Func           WindowFunc
	Agg            AggFunc
	Args           []Expr
	Filter         Expr
	Type           catalog.Type
	WholePartition bool
}

// NewWindow computes window functions that share one PARTITION BY and
// ORDER BY. It is a sink: it materializes its input, orders it by
// (partition keys, order keys) and emits the input columns in that order
// followed by one column per function. Plans with several window
// specifications stack several Window operators.
func NewWindow(in Operator, partitionBy []Expr, orderBy []SortKey, funcs []WindowExpr) Operator {
	types := append([]catalog.Type(nil), in.Types()...)
	for _, f := range funcs {
		types = append(types, f.Type)
	}
	return &windowOp{in: in, partitionBy: partitionBy, orderBy: orderBy, funcs: funcs, types: types}
}

type windowOp struct {
	in          Operator
	partitionBy []Expr
	orderBy     []SortKey
	funcs       []WindowExpr
	types       []catalog.Type

	ctx    *Context
	result *sortOp // emits the finished columns
	done   bool
}

func (w *windowOp) Types() []catalog.Type { return w.types }

func (w *windowOp) Open(ctx *Context) error {
	w.ctx, w.done, w.result = ctx, false, nil
	return w.in.Open(ctx)
}

func (w *windowOp) Next() (*Batch, error) {
	if !w.done {
		w.done = true
		cols, err := w.compute()
		if err != nil {
			return nil, err
		}
		w.result = &sortOp{ctx: w.ctx, sorted: cols, done: true}
	}
	if w.result == nil {
		return nil, nil
	}
	w.result.release()
	return w.result.emit()
}

func (w *windowOp) Close() {
	if w.result != nil {
		w.result.release()
		releaseAll(w.result.sorted)
		w.result = nil
	}
	w.in.Close()
}

// windowLayout describes the sorted rows: partition and peer-group
// boundaries, as start offsets.
type windowLayout struct {
	n          int
	partStart  []int32 // per row: first row of its partition
	partEnd    []int32 // per row: one past the last row of its partition
	peerStart  []int32 // per row: first row of its peer group
	peerEnd    []int32 // per row: one past the last peer
	peerGroups []int32 // per row: peer-group number within the whole input
}

func (w *windowOp) compute() ([]arrow.Array, error) {
	inTypes := w.in.Types()
	cols, n, err := materialize(w.ctx, w.in)
	if err != nil {
		return nil, err
	}
	defer releaseAll(cols)
	keys := make([]SortKey, 0, len(w.partitionBy)+len(w.orderBy))
	for _, p := range w.partitionBy {
		keys = append(keys, SortKey{Expr: p})
	}
	keys = append(keys, w.orderBy...)
	order, err := sortOrder(w.ctx, keys, cols, n)
	if err != nil {
		return nil, err
	}
	out := make([]arrow.Array, 0, len(w.types))
	for c, t := range inTypes {
		out = append(out, take(w.ctx.Mem, t, cols[c], order))
	}
	sorted := &Batch{Cols: out, Len: n}
	lay, err := w.layout(sorted)
	if err != nil {
		releaseAll(out)
		return nil, err
	}
	for _, f := range w.funcs {
		col, err := w.evalFunc(f, sorted, lay)
		if err != nil {
			releaseAll(out)
			return nil, err
		}
		out = append(out, col)
		sorted.Cols = out[:len(inTypes)]
	}
	return out, nil
}

func (w *windowOp) layout(b *Batch) (*windowLayout, error) {
	n := b.Len
	lay := &windowLayout{n: n,
		partStart: make([]int32, n), partEnd: make([]int32, n),
		peerStart: make([]int32, n), peerEnd: make([]int32, n), peerGroups: make([]int32, n)}
	encode := func(keys []SortKey) (*sortKeys, error) {
		if len(keys) == 0 {
			return nil, nil
		}
		exprs := make([]Expr, len(keys))
		for i, k := range keys {
			exprs[i] = k.Expr
		}
		kc, err := evalAll(w.ctx, exprs, b)
		if err != nil {
			return nil, err
		}
		defer releaseAll(kc)
		return encodeSortKeys(keys, kc, n), nil
	}
	pkeys := make([]SortKey, len(w.partitionBy))
	for i, p := range w.partitionBy {
		pkeys[i] = SortKey{Expr: p}
	}
	pk, err := encodeKeysOrNil(encode, pkeys)
	if err != nil {
		return nil, err
	}
	ok, err := encodeKeysOrNil(encode, w.orderBy)
	if err != nil {
		return nil, err
	}
	same := func(k *sortKeys, i, j int) bool { return k == nil || bytes.Equal(k.key(i), k.key(j)) }
	group := int32(-1)
	for i := 0; i < n; {
		// one partition
		pe := i + 1
		for pe < n && same(pk, i, pe) {
			pe++
		}
		for j := i; j < pe; {
			qe := j + 1
			for qe < pe && same(ok, j, qe) {
				qe++
			}
			group++
			for r := j; r < qe; r++ {
				lay.peerStart[r], lay.peerEnd[r], lay.peerGroups[r] = int32(j), int32(qe), group
			}
			j = qe
		}
		for r := i; r < pe; r++ {
			lay.partStart[r], lay.partEnd[r] = int32(i), int32(pe)
		}
		i = pe
	}
	return lay, nil
}

func encodeKeysOrNil(encode func([]SortKey) (*sortKeys, error), keys []SortKey) (*sortKeys, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	return encode(keys)
}

func (w *windowOp) evalFunc(f WindowExpr, b *Batch, lay *windowLayout) (arrow.Array, error) {
	mem := w.ctx.Mem
	n := lay.n
	switch f.Func {
	case WinRowNumber, WinRank, WinDenseRank:
		out := newFixedBuilder[int64](mem, n)
		dense := int64(0)
		for i := 0; i < n; i++ {
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
		return out.finish(catalog.TypeInt8), nil
	case WinLag, WinLead, WinFirstValue:
		return w.evalOffset(f, b, lay)
	case WinAggregate:
		return w.evalAggregate(f, b, lay)
	}
	return nil, pgerr.Unsupported("window function %d is not supported", f.Func)
}

// evalOffset computes lag, lead and first_value by gathering rows.
func (w *windowOp) evalOffset(f WindowExpr, b *Batch, lay *windowLayout) (arrow.Array, error) {
	if len(f.Args) == 0 {
		return nil, internalf("window function needs an argument")
	}
	val, err := castTo(f.Args[0], f.Type)
	if err != nil {
		return nil, err
	}
	arg, err := val.Eval(w.ctx, b)
	if err != nil {
		return nil, err
	}
	defer arg.Release()
	offset := int64(1)
	if len(f.Args) > 1 {
		o, ok := literalInt(f.Args[1])
		if !ok {
			return nil, pgerr.Unsupported("the offset of lag and lead must be a constant")
		}
		offset = o
	}
	idx := make([]int32, lay.n)
	useDefault := make([]bool, lay.n)
	for i := 0; i < lay.n; i++ {
		var j int64
		switch f.Func {
		case WinLag:
			j = int64(i) - offset
		case WinLead:
			j = int64(i) + offset
		default:
			j = int64(lay.partStart[i])
		}
		if j < int64(lay.partStart[i]) || j >= int64(lay.partEnd[i]) {
			idx[i] = -1
			useDefault[i] = true
			continue
		}
		idx[i] = int32(j)
	}
	gathered := takeNullable(w.ctx.Mem, f.Type, arg, idx)
	if len(f.Args) < 3 {
		return gathered, nil
	}
	def, err := castTo(f.Args[2], f.Type)
	if err != nil {
		gathered.Release()
		return nil, err
	}
	defArr, err := def.Eval(w.ctx, b)
	if err != nil {
		gathered.Release()
		return nil, err
	}
	defer defArr.Release()
	defer gathered.Release()
	pick := make([]int16, lay.n)
	for i := range pick {
		if useDefault[i] {
			pick[i] = 1
		}
	}
	return choose(w.ctx.Mem, f.Type, []arrow.Array{gathered, defArr}, pick), nil
}

// evalAggregate computes an aggregate over each row's frame with the
// aggregate's grouping state, folding the rows in frame order as
// PostgreSQL's window aggregation does. With the whole partition as the
// frame each partition is one group. A running frame (the partition's
// start through the current row's last peer) gives each peer group its
// own group, which starts as a copy of the previous peer group's state
// and folds the group's rows: one update per peer group, so the float
// sums and the statistics round exactly as row-by-row accumulation does.
func (w *windowOp) evalAggregate(f WindowExpr, b *Batch, lay *windowLayout) (arrow.Array, error) {
	a := Aggregate{Func: f.Agg, Type: f.Type}
	if len(f.Args) > 0 {
		a.Arg = f.Args[0]
	}
	if len(f.Args) > 1 {
		a.Arg2 = f.Args[1]
	}
	st, err := newAggState(a)
	if err != nil {
		return nil, err
	}
	var args []arrow.Array
	defer func() { releaseAll(args) }()
	for _, e := range f.Args {
		v, err := e.Eval(w.ctx, b)
		if err != nil {
			return nil, err
		}
		args = append(args, v)
	}
	rows := identitySel(lay.n)
	if f.Filter != nil {
		p, err := f.Filter.Eval(w.ctx, b)
		if err != nil {
			return nil, err
		}
		v := boolViewOf(p)
		kept := make([]int32, 0, lay.n)
		for i := range lay.n {
			if v.valid(i) && v.value(i) {
				kept = append(kept, int32(i))
			}
		}
		p.Release()
		rows = kept
	}
	// groupOf[r] is the group whose result row r gets.
	var groupOf []int32
	if f.WholePartition || len(w.orderBy) == 0 {
		groupOf = make([]int32, lay.n)
		part := int32(-1)
		for i := range lay.n {
			if i == int(lay.partStart[i]) {
				part++
			}
			groupOf[i] = part
		}
		st.grow(int(part + 1))
		groups := make([]int32, len(rows))
		for k, r := range rows {
			groups[k] = groupOf[r]
		}
		if err := st.update(args, rows, groups); err != nil {
			return nil, err
		}
	} else {
		groupOf = lay.peerGroups
		if lay.n > 0 {
			st.grow(int(lay.peerGroups[lay.n-1]) + 1)
		}
		groups := make([]int32, len(rows))
		for k, r := range rows {
			groups[k] = groupOf[r]
		}
		// rows is ascending: k walks it peer group by peer group.
		k := 0
		for i := 0; i < lay.n; i = int(lay.peerEnd[i]) {
			g := lay.peerGroups[i]
			if i != int(lay.partStart[i]) {
				st.copyGroup(g-1, g)
			}
			end := k
			for end < len(rows) && int(rows[end]) < int(lay.peerEnd[i]) {
				end++
			}
			if end > k {
				if err := st.update(args, rows[k:end], groups[k:end]); err != nil {
					return nil, err
				}
			}
			k = end
		}
	}
	res, err := st.finish(w.ctx.Mem)
	if err != nil {
		return nil, err
	}
	defer res.Release()
	return take(w.ctx.Mem, f.Type, res, groupOf), nil
}
