package exec

import (
	"bytes"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/catalog"
)

// External merge sort: a sort whose input outgrows work_mem sorts it in
// runs of at most work_mem, writes each sorted run to a spill file with
// its rows' normalized keys (sort_key.go) as an extra bytea column, and
// then merges the runs by those keys, ties going to the earlier run.
// Runs cover consecutive stretches of the input and each run is sorted
// stably, so the merge yields exactly the order of the in-memory sort.
// Keys are encoded once, when a run is written: an ORDER BY on a
// volatile expression is not evaluated twice.
//
// A merge reads one batch of every run at a time. Runs are written in
// batches sized so that mergeFanIn of them fit in work_mem; with more
// runs than that, a pass merges consecutive groups of mergeFanIn runs
// into longer runs (keeping their order) until one pass can merge them
// all.

// mergeFanIn is the most runs one merge reads at once.
const mergeFanIn = 32

// sortRun is one sorted run on disk.
type sortRun = spillFile

// runTypes are the columns of a run file: the input's, then the key.
func runTypes(in []catalog.Type) []catalog.Type {
	return append(append([]catalog.Type(nil), in...), catalog.TypeBytea)
}

// writeSortRun sorts the dense columns cols (n rows) and writes them as
// a run in batches of batchRows rows.
func writeSortRun(ctx *Context, keys []SortKey, types []catalog.Type, cols []arrow.Array, n, batchRows int) (*sortRun, error) {
	order, sk, err := sortOrderKeys(ctx, keys, cols, n)
	if err != nil {
		return nil, err
	}
	w, err := newSpillWriter(ctx, runTypes(types))
	if err != nil {
		return nil, err
	}
	out := make([]arrow.Array, len(types)+1)
	for s := 0; s < n; s += batchRows {
		idx := order[s:min(n, s+batchRows)]
		for c, t := range types {
			out[c] = take(ctx.Mem, t, cols[c], idx)
		}
		out[len(types)] = sortKeyColumn(ctx, sk, idx)
		err := w.write(out, len(idx))
		releaseAll(out)
		if err != nil {
			w.abandon()
			return nil, err
		}
	}
	return w.finish()
}

// sortKeyColumn is the bytea column of the keys of rows idx, in that order.
func sortKeyColumn(ctx *Context, sk *sortKeys, idx []int32) arrow.Array {
	kb := newVarlenBuilder(ctx.Mem, len(idx), 0)
	for _, r := range idx {
		kb.appendBytes(sk.key(int(r)))
	}
	return kb.finish(catalog.TypeBytea)
}

// runMerger merges sorted runs into one sorted stream of batches that
// keep the key column last.
type runMerger struct {
	ctx   *Context
	types []catalog.Type // run columns, key last
	runs  []*runCursor
	heap  []int32 // run indexes, a min-heap by (current key, run index)
	out   []arrow.Array
	picks []int32 // scratch: per output row, its run
}

// runCursor is a run or stream being read: its current batch and
// position.
type runCursor struct {
	rd    Operator
	b     *Batch
	keys  varlenView
	pos   int
	start int // first row of b not yet emitted
}

func (c *runCursor) key() []byte { return c.keys.bytes(c.pos) }

// advance reads the run's next batch; b is nil at the run's end.
func (c *runCursor) advance() error {
	b, err := c.rd.Next()
	if err != nil {
		return err
	}
	c.b, c.pos, c.start = b, 0, 0
	if b != nil {
		c.keys = varlenViewOf(b.Cols[len(b.Cols)-1])
	}
	return nil
}

// newRunMerger merges runs, each run's file removed once read.
func newRunMerger(ctx *Context, types []catalog.Type, runs []*sortRun) (*runMerger, error) {
	streams := make([]Operator, len(runs))
	for i, r := range runs {
		streams[i] = newSpillReader(r, true)
	}
	for _, s := range streams {
		if err := s.Open(ctx); err != nil {
			for _, s := range streams {
				s.Close()
			}
			return nil, err
		}
	}
	return newStreamMerger(ctx, types, streams)
}

// newStreamMerger merges sorted streams, open operators whose batches
// carry their rows' keys as a last column; ties go to the earlier
// stream. The merger owns the streams: it closes them, also when it
// fails to start.
func newStreamMerger(ctx *Context, types []catalog.Type, streams []Operator) (*runMerger, error) {
	m := &runMerger{ctx: ctx, types: types, runs: make([]*runCursor, len(streams))}
	for i, s := range streams {
		m.runs[i] = &runCursor{rd: s}
	}
	for i, c := range m.runs {
		if err := c.advance(); err != nil {
			m.close()
			return nil, err
		}
		if c.b != nil {
			m.heap = append(m.heap, int32(i))
		}
	}
	for i := len(m.heap)/2 - 1; i >= 0; i-- {
		m.down(i)
	}
	return m, nil
}

func (m *runMerger) less(a, b int32) bool {
	if c := bytes.Compare(m.runs[a].key(), m.runs[b].key()); c != 0 {
		return c < 0
	}
	return a < b
}

func (m *runMerger) down(i int) {
	h := m.heap
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		small := l
		if r := l + 1; r < len(h) && m.less(h[r], h[l]) {
			small = r
		}
		if !m.less(h[small], h[i]) {
			return
		}
		h[i], h[small] = h[small], h[i]
		i = small
	}
}

// next returns the next merged batch of at most limit rows (nil at the
// end), valid until the next call. A batch ends early where a run's
// current batch ends, so that every output row is gathered from batches
// still held.
func (m *runMerger) next(limit int) (*Batch, error) {
	releaseAll(m.out)
	m.picks = m.picks[:0]
	exhausted := int32(-1)
	for len(m.heap) > 0 && len(m.picks) < limit {
		r := m.heap[0]
		c := m.runs[r]
		m.picks = append(m.picks, r)
		c.pos++
		if c.pos == c.b.Len {
			exhausted = r
			break
		}
		m.down(0)
	}
	if len(m.picks) == 0 {
		return nil, nil
	}
	if err := m.ctx.Ctx.Err(); err != nil {
		return nil, err
	}
	m.out = m.gather()
	if exhausted >= 0 {
		c := m.runs[exhausted]
		if err := c.advance(); err != nil {
			return nil, err
		}
		if c.b == nil {
			last := len(m.heap) - 1
			m.heap[0] = m.heap[last]
			m.heap = m.heap[:last]
		}
		m.down(0)
	}
	return &Batch{Cols: m.out, Len: len(m.picks)}, nil
}

// gather copies the picked rows, in pick order, into new columns: the
// rows each run contributed are a consecutive stretch of its current
// batch, so the stretches are concatenated and then permuted.
func (m *runMerger) gather() []arrow.Array {
	base := make([]int32, len(m.runs))
	var stretches [][]arrow.Array
	var single = -1
	total := int32(0)
	for r, c := range m.runs {
		if c.b == nil || c.pos == c.start {
			continue
		}
		base[r] = total
		total += int32(c.pos - c.start)
		slice := make([]arrow.Array, len(m.types))
		for i, col := range c.b.Cols {
			slice[i] = array.NewSlice(col, int64(c.start), int64(c.pos))
		}
		stretches = append(stretches, slice)
		single = r
	}
	if len(stretches) == 1 {
		m.runs[single].start = m.runs[single].pos
		return stretches[0] // the picks are the stretch, in order
	}
	joined, err := concatColumns(m.ctx, m.types, stretches)
	for _, s := range stretches {
		releaseAll(s)
	}
	if err != nil {
		panic(err) // concatenating columns of one type does not fail
	}
	defer releaseAll(joined)
	idx := make([]int32, len(m.picks))
	next := base
	for k, r := range m.picks {
		idx[k] = next[r]
		next[r]++
	}
	for _, c := range m.runs {
		c.start = c.pos
	}
	out := make([]arrow.Array, len(m.types))
	for i, t := range m.types {
		out[i] = take(m.ctx.Mem, t, joined[i], idx)
	}
	return out
}

func (m *runMerger) close() {
	releaseAll(m.out)
	m.out = nil
	for _, c := range m.runs {
		c.rd.Close()
	}
	m.runs, m.heap = nil, nil
}

// mergeRuns merges consecutive groups of mergeFanIn runs until at most
// mergeFanIn remain, and returns a merger over them.
func mergeRuns(ctx *Context, types []catalog.Type, runs []*sortRun, batchRows int, written *int64) (*runMerger, error) {
	for len(runs) > mergeFanIn {
		var merged []*sortRun
		for s := 0; s < len(runs); s += mergeFanIn {
			group := runs[s:min(len(runs), s+mergeFanIn)]
			if len(group) == 1 {
				merged = append(merged, group[0])
				continue
			}
			r, err := mergeToRun(ctx, types, group, batchRows)
			if err != nil {
				for _, r := range runs[s+len(group):] {
					r.remove(ctx)
				}
				return nil, err
			}
			*written += r.bytes
			merged = append(merged, r)
		}
		runs = merged
	}
	return newRunMerger(ctx, types, runs)
}

// mergeToRun merges runs into one new run; the old runs are removed.
func mergeToRun(ctx *Context, types []catalog.Type, runs []*sortRun, batchRows int) (*sortRun, error) {
	m, err := newRunMerger(ctx, types, runs)
	if err != nil {
		return nil, err
	}
	defer m.close()
	w, err := newSpillWriter(ctx, types)
	if err != nil {
		return nil, err
	}
	for {
		b, err := m.next(batchRows)
		if err == nil && b == nil {
			return w.finish()
		}
		if err == nil {
			err = w.write(b.Cols, b.Len)
		}
		if err != nil {
			w.abandon()
			return nil, err
		}
	}
}
