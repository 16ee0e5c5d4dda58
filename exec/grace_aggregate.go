package exec

import (
	"github.com/pqdb/pqdb/catalog"

	"github.com/apache/arrow-go/v18/arrow"
)

// Grace hash aggregation. A hash aggregate whose table outgrows work_mem
// (or finds the server's memory limit reached) freezes its table: from
// then on, rows of groups already in the table still fold into them, and
// rows of any other group are written, as they came, to one of
// spillPartitions files chosen by bits of their key's hash. Every group
// is therefore wholly in the table or wholly in one partition, with its
// rows in input order, so every aggregate — DISTINCT, ORDER BY in the
// call, the ordered-set aggregates and the ones that depend on input
// order — computes what it computes in memory. Once the input ends the
// table's groups are emitted, then each partition is aggregated by a
// hashAggOp of its own reading the file, one level deeper, which spills
// in turn by the next bits of the hash.
//
// Partitioning by the hash cannot split a single key: a partition that
// holds one huge group (or keys that share maxSpillLevel*4 bits of hash)
// stops spilling at maxSpillLevel and is aggregated in memory, bounded
// only by the server's memory limit. Each level consumes at least one
// batch into its table before it may freeze, so every level makes
// progress and the recursion ends.

// spillPartitions is the fan-out of one level of partitioning; its log2,
// partitionBits, bits of the hash choose a partition per level.
const (
	partitionBits   = 4
	spillPartitions = 1 << partitionBits
	// maxSpillLevel bounds the depth of partitioning (16^6 partitions).
	maxSpillLevel = 6
)

// partitionOf is the partition at level of a row with key hash h: bits
// from the top down, away from the low bits hash tables index slots by.
func partitionOf(h uint64, level int) int {
	return int(h >> (64 - partitionBits*(level+1)) & (spillPartitions - 1))
}

// aggSpill is a hash aggregate's spilling state.
type aggSpill struct {
	charge memoryCharge
	// writers, while the table is frozen, are the partitions being
	// written; nil before.
	writers []*spillWriter
	// pending are the finished partitions not yet aggregated; child the
	// one being aggregated.
	pending []*spillFile
	child   *hashAggOp
	report  MemoryReport
	// scratch
	found, foundGroups, missing []int32
	parts                       [spillPartitions][]int32
	spillCtx                    *Context
}

func (s *aggSpill) reset(ctx *Context) {
	s.close()
	s.charge = memoryCharge{}
	s.spillCtx = ctx
	s.report = MemoryReport{Kind: ReportHash, Batches: 1}
}

// MemoryReport is the aggregate's batches (itself and every partition it
// aggregated), its peak memory and what it wrote to disk.
func (h *hashAggOp) MemoryReport() MemoryReport {
	if len(h.groupBy) == 0 {
		return MemoryReport{}
	}
	r := h.report
	r.PeakMemory = max(r.PeakMemory, h.charge.peak)
	return r
}

func (h *hashAggOp) canSpill() bool { return len(h.groupBy) > 0 && h.level < maxSpillLevel }

// consume folds every batch of the input into the table, freezing it and
// spilling once it is too large.
func (h *hashAggOp) consume() error {
	g := h.groups
	if err := eachBatch(h.ctx, h.in, h.add); err != nil {
		return err
	}
	if err := h.finishPartitions(); err != nil {
		return err
	}
	return g.settleDirect(h.ctx)
}

// add folds one batch into the table, or into the table and the
// partitions once it is frozen. A large batch that could take the table
// past work_mem goes in chunks of accountRows rows, so that the table
// cannot outgrow work_mem by more than a chunk's groups before it
// freezes. (Chunks are selections of the batch: their expressions
// compute columns of the batch's length, which is why batches far from
// the limit go whole.)
func (h *hashAggOp) add(b *Batch) error {
	if h.ctx.WorkMem <= 0 || !h.canSpill() || b.NumRows() <= accountRows || !h.ctx.overHashMem(h.charge.held+4*arraysSize(b.Cols)) {
		return h.addChunk(b)
	}
	rows := rowsOf(b)
	for s := 0; s < len(rows); s += accountRows {
		chunk := Batch{Cols: b.Cols, Len: b.Len, Sel: rows[s:min(len(rows), s+accountRows)]}
		if err := h.addChunk(&chunk); err != nil {
			return err
		}
	}
	return nil
}

// accountRows is how many rows a hash aggregate adds between checks of
// its memory.
const accountRows = 4096

func (h *hashAggOp) addChunk(b *Batch) error {
	if h.writers != nil {
		return h.addSpilling(b)
	}
	if err := h.groups.add(h.ctx, b); err != nil {
		return err
	}
	return h.account()
}

// account charges the table's growth and freezes it when it is past
// work_mem or the server's memory is short.
func (h *hashAggOp) account() error {
	size := h.groups.memSize()
	if delta := size - h.charge.held; delta > 0 {
		if err := h.charge.add(h.ctx, delta); err != nil {
			if !h.canSpill() {
				return err
			}
			h.writers = make([]*spillWriter, spillPartitions)
			return nil
		}
	}
	if h.canSpill() && h.ctx.overHashMem(h.charge.held) {
		h.writers = make([]*spillWriter, spillPartitions)
	}
	return nil
}

// addSpilling folds the rows of b whose group is in the frozen table into
// it and writes the others to their partitions.
func (h *hashAggOp) addSpilling(b *Batch) error {
	g := h.groups
	rows := rowsOf(b)
	keys, err := evalAll(h.ctx, h.groupBy, b)
	if err != nil {
		return err
	}
	defer releaseAll(keys)
	groups := growTo(g.groupIDs[:0], len(rows))
	g.groupIDs = groups
	g.table.find(keys, rows, groups, false)
	h.found, h.foundGroups, h.missing = h.found[:0], h.foundGroups[:0], h.missing[:0]
	for k, grp := range groups {
		if grp >= 0 {
			h.found = append(h.found, rows[k])
			h.foundGroups = append(h.foundGroups, grp)
		} else {
			h.missing = append(h.missing, rows[k])
		}
	}
	if len(h.found) > 0 {
		if err := g.addRows(h.ctx, b, h.found, h.foundGroups); err != nil {
			return err
		}
	}
	if len(h.missing) == 0 {
		return nil
	}
	return h.writePartitions(keys, b.Cols, h.missing)
}

// writePartitions writes rows of cols to the partitions their keys hash
// to.
func (h *hashAggOp) writePartitions(keys, cols []arrow.Array, rows []int32) error {
	return spillByHash(h.ctx, h.groups.table, keys, cols, rows, h.level, h.in.Types(), h.writers, &h.parts)
}

// spillByHash writes rows of cols to writers[partition of their key's
// hash at level], making writers as needed; parts is scratch.
func spillByHash(ctx *Context, t *hashTable, keys, cols []arrow.Array, rows []int32, level int, types []catalog.Type, writers []*spillWriter, parts *[spillPartitions][]int32) error {
	t.hashRows(keys, rows)
	for p := range parts {
		parts[p] = parts[p][:0]
	}
	for k, r := range rows {
		p := partitionOf(t.h[k], level)
		parts[p] = append(parts[p], r)
	}
	for p, idx := range parts {
		if err := writeTo(ctx, writers, p, types, cols, idx); err != nil {
			return err
		}
	}
	return nil
}

// finishPartitions closes the partitions written for reading.
func (s *aggSpill) finishPartitions() error {
	for p, w := range s.writers {
		if w == nil {
			continue
		}
		s.writers[p] = nil
		f, err := w.finish()
		if err != nil {
			return err
		}
		s.report.Spilled = true
		s.report.DiskBytes += f.bytes
		s.pending = append(s.pending, f)
	}
	s.writers = nil
	return nil
}

// nextPartition emits the groups of the partitions, one partition after
// another; nil after the last.
func (h *hashAggOp) nextPartition() (*Batch, error) {
	for {
		if h.child != nil {
			b, err := h.child.Next()
			if err != nil || b != nil {
				return b, err
			}
			h.closeChild()
		}
		if len(h.pending) == 0 {
			return nil, nil
		}
		// The table's memory is not needed any more.
		h.charge.free(h.ctx)
		f := h.pending[0]
		h.pending = h.pending[1:]
		h.child = &hashAggOp{in: newSpillReader(f, true), groupBy: h.groupBy, aggs: h.aggs, types: h.types, level: h.level + 1}
		if err := h.child.Open(h.ctx); err != nil {
			return nil, err
		}
	}
}

// closeChild closes the partition's aggregation, adding its report to
// the parent's.
func (s *aggSpill) closeChild() {
	if s.child == nil {
		return
	}
	r := s.child.MemoryReport()
	s.report.Batches += r.Batches
	s.report.DiskBytes += r.DiskBytes
	s.report.PeakMemory = max(s.report.PeakMemory, r.PeakMemory)
	s.child.Close()
	s.child = nil
}

func (s *aggSpill) close() {
	s.closeChild()
	for _, w := range s.writers {
		if w != nil {
			w.abandon()
		}
	}
	s.writers = nil
	for _, f := range s.pending {
		f.remove(s.spillCtx)
	}
	s.pending = nil
	if s.spillCtx != nil {
		s.report.PeakMemory = max(s.report.PeakMemory, s.charge.peak)
		s.charge.free(s.spillCtx)
	}
}
