package exec

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
)

// Grace hash join. A hash join whose right (build) side outgrows work_mem
// while it is read (or finds the server's memory limit reached) writes
// the right rows, then all left rows, to spillPartitions pairs of files
// by bits of their key's hash, and joins each pair with a hashJoinOp of
// its own, one level deeper, which partitions again by the next bits if
// its right side is still too large (up to maxSpillLevel, where a
// partition of one huge key is joined in memory). Matching rows have
// equal keys, hence equal hashes, hence meet in the same pair, so each
// pair's join emits exactly the matches and unmatched rows of its keys:
//
//   - NULL keys never match. Left rows with one are unmatched: a left,
//     full or anti join emits them (they go to partition 0, where a join
//     leaves them unprobed), inner, semi and the right kinds of join drop
//     them. Right rows with one are emitted by full, right and right
//     anti joins (partition 0 again) and dropped otherwise.
//   - NOT IN (JoinAntiNullAware) emits nothing if any right key is NULL,
//     which is known once the right side is partitioned; otherwise a
//     left row with a NULL key is not emitted either (the right side is
//     not empty), and the other rows are a plain anti join's, partition
//     by partition. A partition whose right file is empty emits its left
//     rows, as the join of an empty right side does.
//
// Output order differs from the in-memory join's: partitions come one
// after another.

// graceJoin is a hash join's partitioned state.
type graceJoin struct {
	h           *hashJoinOp
	right, left [spillPartitions]*spillFile
	// rightNull: some right row has a NULL key.
	rightNull   bool
	partitioned bool  // the left side is partitioned too
	rightRows   int64 // rows in the right partitions
	part        int   // the next partition to join
	child       *hashJoinOp
	// hasher hashes keys as the right side's hash table does; parts is
	// scratch.
	hasher *hashTable
	parts  [spillPartitions][]int32
}

func (h *hashJoinOp) canSpill() bool { return h.level < maxSpillLevel }

// MemoryReport is the join's batches (1, or the partitions it joined),
// its peak memory and what it wrote to disk.
func (h *hashJoinOp) MemoryReport() MemoryReport {
	if h.shared != nil {
		return h.shared.MemoryReport()
	}
	r := h.report
	r.PeakMemory = max(r.PeakMemory, h.charge.peak)
	return r
}

// materializeRight reads the right input into dense batches, charging
// them; once they outgrow work_mem it partitions them and the rest of
// the input to files instead (h.grace) and returns nothing. The batches
// it returns are charged twice: buildTable concatenates them into one
// copy before it lets them go (concatenated), and for that moment the
// rows are held twice, which the server's memory limit must see. If the
// copy does not fit in it, the held batches are partitioned instead.
func (h *hashJoinOp) materializeRight() ([]*Batch, int, error) {
	types := h.rightOp.Types()
	var parts []*Batch
	release := func() {
		for _, p := range parts {
			p.Release()
		}
	}
	n := 0
	for {
		b, err := h.rightOp.Next()
		if err != nil {
			release()
			return nil, 0, err
		}
		if b == nil {
			err := h.charge.add(h.ctx, concatCopySize(parts))
			if err != nil && h.canSpill() {
				err = h.partitionRight(parts, true)
			}
			if err != nil || h.grace != nil {
				release()
				return nil, 0, err
			}
			return parts, n, nil
		}
		if err := h.ctx.Ctx.Err(); err != nil {
			release()
			return nil, 0, err
		}
		p := compactTyped(h.ctx.Mem, types, b)
		parts = append(parts, p)
		n += p.Len
		// The rows, their chain links and a share of the table.
		err = h.charge.add(h.ctx, arraysSize(p.Cols)+16*int64(p.Len))
		if h.sharedBy > 0 && (err != nil || h.ctx.overSharedHashMem(h.charge.held, h.sharedBy)) {
			release()
			return nil, 0, errPipelinesTooLarge // a shared build (join_shared_build.go)
		}
		if err != nil && !h.canSpill() {
			release()
			return nil, 0, err
		}
		if err != nil || h.canSpill() && h.ctx.overHashMem(h.charge.held) {
			err := h.partitionRight(parts, false)
			release()
			return nil, 0, err
		}
	}
}

// concatCopySize is what concatenating the held parts into one batch
// (concatColumns) allocates: nothing for one part, which it keeps.
func concatCopySize(parts []*Batch) int64 {
	if len(parts) <= 1 {
		return 0
	}
	n := int64(0)
	for _, p := range parts {
		n += arraysSize(p.Cols)
	}
	return n
}

// concatenated gives back the charge of the concatenation's copy once
// buildTable has let the parts go, leaving the copy charged in their
// place.
func (h *hashJoinOp) concatenated(parts []*Batch) {
	h.charge.giveBack(h.ctx, concatCopySize(parts))
}

// partitionRight writes the held parts, then the rest of the right input
// (none once inputDone), to the right partitions.
func (h *hashJoinOp) partitionRight(held []*Batch, inputDone bool) error {
	g := &graceJoin{h: h}
	h.grace = g
	h.report.Spilled = true
	h.report.Batches = spillPartitions
	writers := make([]*spillWriter, spillPartitions)
	defer abandonAll(writers)
	write := func(b *Batch) error {
		return g.partition(b, h.rightKeys, h.kind.keepsUnmatchedRight(), writers, true)
	}
	for _, p := range held {
		if err := write(p); err != nil {
			return err
		}
	}
	h.charge.free(h.ctx)
	if !inputDone {
		if err := eachBatch(h.ctx, h.rightOp, write); err != nil {
			return err
		}
	}
	if err := g.finish(writers, &g.right, h.rightOp.Types()); err != nil {
		return err
	}
	for _, f := range g.right {
		g.rightRows += f.rows
	}
	return nil
}

// partitionLeft writes the whole left input to the left partitions.
func (g *graceJoin) partitionLeft() error {
	h := g.h
	g.partitioned = true
	if h.kind == JoinAntiNullAware && g.rightNull {
		return nil // NOT IN with a NULL on the right: no row
	}
	keepNull := h.kind == JoinLeft || h.kind == JoinFull || h.kind == JoinAnti
	writers := make([]*spillWriter, spillPartitions)
	defer abandonAll(writers)
	err := eachBatch(h.ctx, h.left, func(b *Batch) error {
		return g.partition(b, h.leftKeys, keepNull, writers, false)
	})
	if err != nil {
		return err
	}
	return g.finish(writers, &g.left, h.leftTypes)
}

// partition writes the rows of b to the partitions of their keys' hash,
// rows with a NULL key to partition 0 when keepNull and nowhere
// otherwise.
func (g *graceJoin) partition(b *Batch, keyExprs []Expr, keepNull bool, writers []*spillWriter, right bool) error {
	h := g.h
	keys, err := evalAll(h.ctx, keyExprs, b)
	if err != nil {
		return err
	}
	defer releaseAll(keys)
	types := h.leftTypes
	if right {
		types = h.rightTypes
	}
	all := rowsOf(b)
	rows := nonNullRows(keys, all, nil)
	if len(rows) < len(all) {
		if right {
			g.rightNull = true
		}
		if keepNull {
			nulls := make([]int32, 0, len(all)-len(rows))
			k := 0
			for _, r := range all {
				if k < len(rows) && rows[k] == r {
					k++
					continue
				}
				nulls = append(nulls, r)
			}
			if err := writeTo(h.ctx, writers, 0, types, b.Cols, nulls); err != nil {
				return err
			}
		}
	}
	if len(rows) == 0 {
		return nil
	}
	if g.hasher == nil {
		g.hasher = newHashTable(typesOf(h.rightKeys))
	}
	return spillByHash(h.ctx, g.hasher, keys, b.Cols, rows, h.level, types, writers, &g.parts)
}

// writeTo writes rows idx of cols to writers[p], making it when needed.
func writeTo(ctx *Context, writers []*spillWriter, p int, types []catalog.Type, cols []arrow.Array, idx []int32) error {
	if len(idx) == 0 {
		return nil
	}
	if writers[p] == nil {
		w, err := newSpillWriter(ctx, types)
		if err != nil {
			return err
		}
		writers[p] = w
	}
	return writers[p].writeRows(cols, idx)
}

// finish closes the writers into files (an empty file where nothing was
// written).
func (g *graceJoin) finish(writers []*spillWriter, files *[spillPartitions]*spillFile, types []catalog.Type) error {
	for p, w := range writers {
		if w == nil {
			files[p] = &spillFile{types: types}
			continue
		}
		writers[p] = nil
		f, err := w.finish()
		if err != nil {
			return err
		}
		files[p] = f
		g.h.report.DiskBytes += f.bytes
	}
	return nil
}

func abandonAll(writers []*spillWriter) {
	for _, w := range writers {
		if w != nil {
			w.abandon()
		}
	}
}

// next returns the next batch of the partitions' joins; nil after the
// last.
func (g *graceJoin) next() (*Batch, error) {
	h := g.h
	if !g.partitioned {
		if err := g.partitionLeft(); err != nil {
			return nil, err
		}
	}
	for {
		if g.child != nil {
			b, err := g.child.Next()
			if err != nil || b != nil {
				return b, err
			}
			g.closeChild()
		}
		if g.part == spillPartitions || h.kind == JoinAntiNullAware && g.rightNull {
			return nil, nil
		}
		p := g.part
		g.part++
		l, r := g.left[p], g.right[p]
		g.left[p], g.right[p] = nil, nil
		if l.rows == 0 && (r.rows == 0 || !h.kind.keepsUnmatchedRight()) {
			l.remove(h.ctx)
			r.remove(h.ctx)
			continue
		}
		level := h.level + 1
		if r.rows > 0 && r.rows == g.rightRows {
			// Every right row hashed alike: one key, most likely, which
			// more partitioning cannot split. Join it in memory.
			level = maxSpillLevel
		}
		g.child = newHashJoin(newSpillReader(l, true), newSpillReader(r, true), h.leftKeys, h.rightKeys, h.kind, h.residual, false, level)
		if err := g.child.Open(h.ctx); err != nil {
			return nil, err
		}
	}
}

// closeChild closes the partition's join, adding its report to the
// join's.
func (g *graceJoin) closeChild() {
	if g.child == nil {
		return
	}
	g.child.Close()
	r := g.child.MemoryReport()
	rep := &g.h.report
	rep.Batches += r.Batches - 1
	rep.DiskBytes += r.DiskBytes
	rep.PeakMemory = max(rep.PeakMemory, r.PeakMemory)
	g.child = nil
}

func (h *hashJoinOp) closeGrace() {
	g := h.grace
	if g == nil {
		return
	}
	g.closeChild()
	for p := range g.left {
		for _, f := range []*spillFile{g.left[p], g.right[p]} {
			if f != nil {
				f.remove(h.ctx)
			}
		}
	}
	h.grace = nil
}
