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
	// The frame's value functions (window_value.go): first_value(x),
	// last_value(x) and nth_value(x, n).
	WinFirstValue
	WinLastValue
	WinNthValue
	// The ranking functions of window_rank.go besides the three above:
	// percent_rank(), cume_dist() and ntile(n).
	WinPercentRank
	WinCumeDist
	WinNtile
	// WinAggregate is an aggregate (Agg) used as a window function.
	WinAggregate
)

// WindowExpr is one window function call. Frame is its frame clause (see
// WindowFrame; DefaultFrame when it has none): aggregates and the value
// functions see the rows of their frame, the other functions the whole
// partition. An aggregate's Filter (FILTER (WHERE ...)) keeps the rows
// of its frames where it is true.
type WindowExpr struct {
	Func   WindowFunc
	Agg    AggFunc
	Args   []Expr
	Filter Expr
	Type   catalog.Type
	Frame  WindowFrame
	// EnumLabels are as Aggregate.EnumLabels, for aggregates over an
	// enum.
	EnumLabels []string
}

// NewWindow computes window functions that share one PARTITION BY and
// ORDER BY. It is a sink: it materializes its input, orders it by
// (partition keys, order keys) and emits the input columns in that order
// followed by one column per function. Plans with several window
// specifications stack several Window operators.
func NewWindow(in Operator, partitionBy []Expr, orderBy []SortKey, funcs []WindowExpr) Operator {
	types := append([]catalog.Type(nil), in.Types()...)
	funcs = append([]WindowExpr(nil), funcs...)
	for i, f := range funcs {
		types = append(types, f.Type)
		if f.Frame.End == BoundUnboundedPreceding {
			funcs[i].Frame = DefaultFrame
		}
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
	// charge is the materialized input, charged to the statement (a
	// window does not spill).
	charge memoryCharge
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
	if w.ctx != nil {
		w.charge.free(w.ctx)
	}
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
	cols, n, err := materialize(w.ctx, w.in, &w.charge)
	if err != nil {
		return nil, err
	}
	defer releaseAll(cols)
	keys := make([]SortKey, 0, len(w.partitionBy)+len(w.orderBy))
	for _, p := range w.partitionBy {
		keys = append(keys, SortKey{Expr: p})
	}
	keys = append(keys, w.orderBy...)
	order, _, err := sortOrderKeys(w.ctx, keys, cols, n)
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
	// As PostgreSQL, a bad frame offset is an error whether or not the
	// function reads its frame: the frame is computed anyway.
	frames, err := w.computeFrames(f.Frame, b, lay)
	if err != nil {
		return nil, err
	}
	switch f.Func {
	case WinRowNumber, WinRank, WinDenseRank, WinPercentRank, WinCumeDist:
		return w.evalRank(f, lay), nil
	case WinNtile:
		return w.evalNtile(f, b, lay)
	case WinLag, WinLead:
		return w.evalOffset(f, b, lay)
	}
	switch f.Func {
	case WinFirstValue, WinLastValue, WinNthValue:
		return w.evalFrameValue(f, b, frames)
	case WinAggregate:
		return w.evalAggregate(f, b, frames)
	}
	return nil, pgerr.Unsupported("window function %d is not supported", f.Func)
}
