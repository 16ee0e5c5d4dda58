package exec

import (
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// ColumnRef reads column index of the input batch, zero copy.
func ColumnRef(index int, t catalog.Type) Expr { return &columnRef{index: index, t: t} }

type columnRef struct {
	index int
	t     catalog.Type
}

func (c *columnRef) Type() catalog.Type { return c.t }

func (c *columnRef) Eval(_ *Context, b *Batch) (arrow.Array, error) {
	if c.index < 0 || c.index >= len(b.Cols) {
		return nil, internalf("column %d out of range (batch has %d)", c.index, len(b.Cols))
	}
	a := b.Cols[c.index]
	a.Retain()
	return a, nil
}

// Literal is a constant broadcast to every row; v == nil is NULL of type t.
func Literal(v catalog.Datum, t catalog.Type) Expr { return &literal{v: v, t: t} }

type literal struct {
	v catalog.Datum
	t catalog.Type
	// wide is the value broadcast to a full batch, built once and shared
	// read-only by every evaluation (each gets a zero-copy slice). It
	// lives on the Go heap, outside any Context's allocator, because it
	// outlives statements. one is the value as a one-row array, built on
	// first use the same way: a kept plan of constants (SELECT 1) or a
	// VALUES row evaluates it for one row on every run.
	wide atomic.Pointer[arrow.Array]
	one  atomic.Pointer[arrow.Array]
}

func (l *literal) Type() catalog.Type { return l.t }

func (l *literal) Eval(ctx *Context, b *Batch) (arrow.Array, error) {
	// Small batches (a VALUES row, a folded constant) build their few
	// rows directly: a literal evaluated once would otherwise pay for a
	// whole batch-wide copy.
	if b.Len == 1 && l.cacheable() {
		return l.oneRow()
	}
	if b.Len < minCachedLiteralRows || b.Len > maxBatchRows || !l.cacheable() {
		return constantArray(ctx.Mem, l.t, l.v, b.Len)
	}
	if w := l.wide.Load(); w != nil {
		return array.NewSlice(*w, 0, int64(b.Len)), nil
	}
	w, err := constantArray(goHeap, l.t, l.v, maxBatchRows)
	if err != nil {
		return nil, err
	}
	l.wide.Store(&w)
	return array.NewSlice(w, 0, int64(b.Len)), nil
}

// oneRow returns the value as a one-row array, shared read-only by every
// evaluation (each gets its own reference).
func (l *literal) oneRow() (arrow.Array, error) {
	if a := l.one.Load(); a != nil {
		(*a).Retain()
		return *a, nil
	}
	a, err := constantArray(goHeap, l.t, l.v, 1)
	if err != nil {
		return nil, err
	}
	if !l.one.CompareAndSwap(nil, &a) {
		a.Release()
		a = *l.one.Load()
	}
	a.Retain()
	return a, nil
}

// minCachedLiteralRows is the smallest batch for which a literal builds
// (or reuses) its batch-wide copy.
const minCachedLiteralRows = 256

// cacheable reports whether a batch-wide copy of the value is small
// enough to keep (long strings would cost 64k copies).
func (l *literal) cacheable() bool {
	switch v := l.v.(type) {
	case string:
		return len(v) <= 64
	case []byte:
		return len(v) <= 64
	}
	return true
}

// goHeap allocates memory the garbage collector reclaims.
var goHeap = memory.NewGoAllocator()

// literalValue reports whether e is a constant, and its value; kernels use
// it to precompile work such as a LIKE pattern.
func literalValue(e Expr) (catalog.Datum, bool) {
	if l, ok := e.(*literal); ok {
		return l.v, true
	}
	return nil, false
}

// OuterRef reads column index of the outer row level steps out from the
// innermost one (0 = the query directly enclosing the subquery).
func OuterRef(level, index int, t catalog.Type) Expr {
	return &outerRef{level: level, index: index, t: t}
}

type outerRef struct {
	level, index int
	t            catalog.Type
}

func (o *outerRef) Type() catalog.Type { return o.t }

func (o *outerRef) Eval(ctx *Context, b *Batch) (arrow.Array, error) {
	lvl := len(ctx.Outer) - 1 - o.level
	if lvl < 0 || o.index >= len(ctx.Outer[lvl]) {
		return nil, internalf("outer reference %d.%d has no outer row", o.level, o.index)
	}
	return constantArray(ctx.Mem, o.t, ctx.Outer[lvl][o.index], b.Len)
}

// Rebound is a value constant within one run of the operators but not
// from run to run: a parameter of a kept plan whose operators run again
// with the next execution's values (the planner's rebindable lowering).
// Eval reads value when the batch comes; nil is NULL of type t.
func Rebound(t catalog.Type, value func() catalog.Datum) Expr {
	return &rebound{t: t, value: value}
}

type rebound struct {
	t     catalog.Type
	value func() catalog.Datum
}

func (r *rebound) Type() catalog.Type { return r.t }

func (r *rebound) Eval(ctx *Context, b *Batch) (arrow.Array, error) {
	return constantArray(ctx.Mem, r.t, r.value(), b.Len)
}
