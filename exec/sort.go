package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/catalog"
)

// NewSort orders its whole input by keys (a sink, then a source): it
// materializes the input, encodes normalized keys (see sort_key.go),
// stable-sorts row numbers by them and emits the rows in order, in
// batches. Equal keys keep their input order. An input larger than
// work_mem is sorted in runs on disk and merged (external_sort.go), in
// the same order.
func NewSort(in Operator, keys []SortKey) Operator {
	return &sortOp{in: in, keys: keys}
}

type sortOp struct {
	in   Operator
	keys []SortKey

	ctx     *Context
	sorted  []arrow.Array
	emitted int
	done    bool
	out     *Batch

	charge memoryCharge
	// parts are the input batches held for the current run.
	parts    []*Batch
	partRows int
	runs     []*sortRun
	// runBatchRows is the rows per batch of the runs written.
	runBatchRows int
	merger       *runMerger
	report       MemoryReport
	// keepKeys makes the sort emit every row's normalized key as a last
	// bytea column, by which a parallel sort merges its pipelines' sorted
	// streams (parallel_sort.go).
	keepKeys bool
}

func (s *sortOp) Types() []catalog.Type { return s.in.Types() }

func (s *sortOp) Open(ctx *Context) error {
	// A re-open (the inner side of a nested loop, a correlated subquery)
	// starts from nothing: not from the last run's rows, runs or merger.
	s.reset()
	s.ctx, s.done, s.emitted = ctx, false, 0
	s.report = MemoryReport{Kind: ReportSort}
	return s.in.Open(ctx)
}

// MemoryReport says how the last run sorted (EXPLAIN ANALYZE).
func (s *sortOp) MemoryReport() MemoryReport { return s.report }

func (s *sortOp) sortAll() error {
	types := s.in.Types()
	for {
		b, err := s.in.Next()
		if err != nil {
			return err
		}
		if b == nil {
			break
		}
		if err := s.ctx.Ctx.Err(); err != nil {
			return err
		}
		p := compactTyped(s.ctx.Mem, types, b)
		// The rows, and the keys and row numbers sorting them takes.
		size := arraysSize(p.Cols) + 24*int64(p.Len)
		if err := s.charge.add(s.ctx, size); err != nil {
			// The server's memory is short: spill what the sort holds
			// and try again.
			if err := s.spillRun(); err != nil {
				p.Release()
				return err
			}
			if err := s.charge.add(s.ctx, size); err != nil {
				// Not even this batch fits: it becomes a run of its own,
				// held only while it is written.
				s.parts, s.partRows = []*Batch{p}, p.Len
				if err := s.spillRun(); err != nil {
					return err
				}
				continue
			}
		}
		s.parts = append(s.parts, p)
		s.partRows += p.Len
		// Sorting the held parts, in memory or into a run, first copies
		// them into one batch (takeParts), and sorting in memory then
		// copies that in order: the parts may take half of work_mem.
		if s.ctx.overWorkMem(2 * s.charge.held) {
			if err := s.spillRun(); err != nil {
				return err
			}
		}
	}
	if s.runs == nil {
		return s.sortInMemory(types)
	}
	if err := s.spillRun(); err != nil {
		return err
	}
	runs := s.runs
	s.runs = nil
	s.report.PeakMemory = s.charge.peak
	m, err := mergeRuns(s.ctx, runTypes(types), runs, s.runBatchRows, &s.report.DiskBytes)
	if err != nil {
		return err
	}
	s.merger = m
	return nil
}

// sortInMemory sorts the held parts in memory ("quicksort", as EXPLAIN
// says in PostgreSQL's words, though it is a radix sort: sort_radix.go).
func (s *sortOp) sortInMemory(types []catalog.Type) error {
	n := s.partRows
	cols, err := s.takeParts(types)
	if err != nil {
		return err
	}
	defer releaseAll(cols)
	order, sk, err := sortOrderKeys(s.ctx, s.keys, cols, n)
	if err != nil {
		return err
	}
	s.sorted = make([]arrow.Array, len(cols), len(cols)+1)
	for c, t := range types {
		s.sorted[c] = take(s.ctx.Mem, t, cols[c], order)
	}
	if s.keepKeys {
		s.sorted = append(s.sorted, sortKeyColumn(s.ctx, sk, order))
	}
	s.report.PeakMemory = s.charge.peak
	return nil
}

// takeParts concatenates the held parts into one dense batch the caller
// owns.
func (s *sortOp) takeParts(types []catalog.Type) ([]arrow.Array, error) {
	sets := make([][]arrow.Array, len(s.parts))
	for i, p := range s.parts {
		sets[i] = p.Cols
	}
	cols, err := concatColumns(s.ctx, types, sets)
	s.releaseParts()
	return cols, err
}

func (s *sortOp) releaseParts() {
	for _, p := range s.parts {
		p.Release()
	}
	s.parts, s.partRows = nil, 0
}

// spillRun sorts the held parts and writes them as a run.
func (s *sortOp) spillRun() error {
	if len(s.parts) == 0 {
		return nil
	}
	types := s.in.Types()
	batchRows := s.mergeBatchRows()
	s.runBatchRows = batchRows
	n := s.partRows
	cols, err := s.takeParts(types)
	if err != nil {
		return err
	}
	defer releaseAll(cols)
	run, err := writeSortRun(s.ctx, s.keys, types, cols, n, batchRows)
	s.charge.free(s.ctx)
	if err != nil {
		return err
	}
	s.runs = append(s.runs, run)
	s.report.Spilled = true
	s.report.DiskBytes += run.bytes
	return nil
}

// mergeBatchRows is the rows per batch of a run: small enough that a
// merge holding a batch of mergeFanIn runs stays within work_mem, by the
// input's average row size.
func (s *sortOp) mergeBatchRows() int {
	limit := s.ctx.MaxBatchRows()
	if s.ctx.WorkMem <= 0 || s.partRows == 0 {
		return limit
	}
	rowBytes := max(s.charge.held/int64(s.partRows), 1)
	return int(min(int64(limit), max(64, s.ctx.WorkMem/mergeFanIn/rowBytes)))
}

// sortOrderKeys returns the row numbers of the dense batch cols in key
// order, and the rows' encoded keys.
func sortOrderKeys(ctx *Context, keys []SortKey, cols []arrow.Array, n int) ([]int32, *sortKeys, error) {
	exprs := make([]Expr, len(keys))
	for i, k := range keys {
		exprs[i] = k.Expr
	}
	kcols, err := evalAll(ctx, exprs, &Batch{Cols: cols, Len: n})
	if err != nil {
		return nil, nil, err
	}
	defer releaseAll(kcols)
	sk := encodeSortKeys(keys, kcols, n)
	return sk.order(n), sk, nil
}

func (s *sortOp) Next() (*Batch, error) {
	s.release()
	if !s.done {
		s.done = true
		if err := s.sortAll(); err != nil {
			return nil, err
		}
	}
	if s.merger != nil {
		return s.emitMerged()
	}
	return s.emit()
}

// emitMerged returns the next merged batch, without its key column
// unless the sort keeps keys.
func (s *sortOp) emitMerged() (*Batch, error) {
	b, err := s.merger.next(s.ctx.MaxBatchRows())
	if err != nil || b == nil {
		return nil, err
	}
	if s.keepKeys {
		return b, nil // valid until the merger's next batch, as ours are
	}
	s.out = withoutKey(b)
	return s.out, nil
}

// withoutKey is a merged batch without its last column, the key: a batch
// of its own, holding references to the columns.
func withoutKey(b *Batch) *Batch {
	cols := b.Cols[:len(b.Cols)-1]
	for _, c := range cols {
		c.Retain()
	}
	return &Batch{Cols: append([]arrow.Array(nil), cols...), Len: b.Len}
}

func (s *sortOp) emit() (*Batch, error) {
	if len(s.sorted) == 0 || s.emitted >= s.sorted[0].Len() {
		return nil, nil
	}
	if err := s.ctx.Ctx.Err(); err != nil {
		return nil, err
	}
	total := s.sorted[0].Len()
	end := min(total, s.emitted+s.ctx.MaxBatchRows())
	cols := make([]arrow.Array, len(s.sorted))
	for i, c := range s.sorted {
		cols[i] = array.NewSlice(c, int64(s.emitted), int64(end))
	}
	s.out = &Batch{Cols: cols, Len: end - s.emitted}
	s.emitted = end
	return s.out, nil
}

func (s *sortOp) release() {
	if s.out != nil {
		s.out.Release()
		s.out = nil
	}
}

func (s *sortOp) Close() {
	s.reset()
	if s.in != nil {
		s.in.Close()
	}
}

// reset gives back what the last run held: its sorted rows, held parts,
// runs and merger, and their memory.
func (s *sortOp) reset() {
	s.release()
	releaseAll(s.sorted)
	s.sorted = nil
	s.releaseParts()
	if s.merger != nil {
		s.merger.close()
		s.merger = nil
	}
	for _, r := range s.runs {
		r.remove(s.ctx)
	}
	s.runs = nil
	if s.ctx != nil {
		s.charge.free(s.ctx)
	}
	s.charge = memoryCharge{}
}
