package exec

import (
	"bytes"
	"container/heap"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
)

// NewTopN is ORDER BY keys LIMIT limit without sorting everything: it
// keeps the best limit rows seen so far in a max-heap of normalized keys
// and emits them in order at the end. Ties keep input order, so the
// result equals Sort followed by Limit.
func NewTopN(in Operator, keys []SortKey, limit int64) Operator {
	return &topNOp{in: in, keys: keys, limit: limit}
}

type topNOp struct {
	in    Operator
	keys  []SortKey
	limit int64

	ctx    *Context
	sorter *sortOp
	done   bool
}

// topEntry is a candidate row: its key (copied out of the batch), its
// arrival number for stable ties, and where its values live.
type topEntry struct {
	key   []byte
	seq   int64
	batch *keptBatch
	row   int32
}

type keptBatch struct {
	b    *Batch // dense, owned
	refs int
}

type topHeap []topEntry

func (h topHeap) Len() int { return len(h) }

// Less puts the worst entry on top: the largest key, or the latest of
// equal keys.
func (h topHeap) Less(i, j int) bool {
	c := bytes.Compare(h[i].key, h[j].key)
	if c != 0 {
		return c > 0
	}
	return h[i].seq > h[j].seq
}
func (h topHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *topHeap) Push(x any)   { *h = append(*h, x.(topEntry)) }
func (h *topHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}

func (t *topNOp) Types() []catalog.Type { return t.in.Types() }

func (t *topNOp) Open(ctx *Context) error {
	t.ctx, t.done, t.sorter = ctx, false, nil
	return t.in.Open(ctx)
}

func (t *topNOp) consume() ([]arrow.Array, error) {
	types := t.in.Types()
	var h topHeap
	var kept []*keptBatch
	defer func() {
		for _, k := range kept {
			if k.refs > 0 {
				k.b.Release()
			}
		}
	}()
	exprs := make([]Expr, len(t.keys))
	for i, k := range t.keys {
		exprs[i] = k.Expr
	}
	seq := int64(0)
	for t.limit > 0 {
		b, err := t.in.Next()
		if err != nil {
			return nil, err
		}
		if b == nil {
			break
		}
		if err := t.ctx.Ctx.Err(); err != nil {
			return nil, err
		}
		dense := compactTyped(t.ctx.Mem, types, b)
		kcols, err := evalAll(t.ctx, exprs, dense)
		if err != nil {
			dense.Release()
			return nil, err
		}
		sk := encodeSortKeys(t.keys, kcols, dense.Len)
		releaseAll(kcols)
		kb := &keptBatch{b: dense}
		for i := 0; i < dense.Len; i++ {
			key := sk.key(i)
			if int64(len(h)) == t.limit {
				if bytes.Compare(key, h[0].key) >= 0 {
					seq++
					continue
				}
				old := heap.Pop(&h).(topEntry)
				old.batch.refs--
				if old.batch.refs == 0 && old.batch != kb {
					old.batch.b.Release()
				}
			}
			heap.Push(&h, topEntry{key: slices.Clone(key), seq: seq, batch: kb, row: int32(i)})
			kb.refs++
			seq++
		}
		if kb.refs == 0 {
			dense.Release()
		} else {
			kept = append(kept, kb)
		}
		// Forget batches that lost all their rows.
		live := kept[:0]
		for _, k := range kept {
			if k.refs > 0 {
				live = append(live, k)
			}
		}
		kept = live
	}
	// Order the survivors best first and gather their values.
	entries := []topEntry(h)
	slices.SortFunc(entries, func(a, b topEntry) int {
		if c := bytes.Compare(a.key, b.key); c != 0 {
			return c
		}
		return int(a.seq - b.seq)
	})
	cols := make([]arrow.Array, len(types))
	for c, ty := range types {
		app := newColumnAppender(t.ctx.Mem, ty, len(entries))
		for _, e := range entries {
			app.appendFrom(e.batch.b.Cols[c], int(e.row))
		}
		cols[c] = app.finish()
	}
	return cols, nil
}

func (t *topNOp) Next() (*Batch, error) {
	if !t.done {
		t.done = true
		cols, err := t.consume()
		if err != nil {
			return nil, err
		}
		t.sorter = &sortOp{ctx: t.ctx, sorted: cols, done: true}
	}
	if t.sorter == nil {
		return nil, nil
	}
	t.sorter.release()
	return t.sorter.emit()
}

func (t *topNOp) Close() {
	if t.sorter != nil {
		t.sorter.release()
		releaseAll(t.sorter.sorted)
		t.sorter = nil
	}
	t.in.Close()
}
