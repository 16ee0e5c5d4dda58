package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/catalog"
)

// JoinKind says which rows a join emits.
type JoinKind uint8

const (
	// JoinInner emits every matching (left, right) pair.
	JoinInner JoinKind = iota
	// JoinLeft also emits each unmatched left row with NULLs on the right.
	JoinLeft
	// JoinFull also emits, after the whole left input, each right row
	// that matched no left row, with NULLs on the left.
	JoinFull
	// JoinSemi emits each left row that has a match, once (EXISTS, IN).
	JoinSemi
	// JoinAnti emits each left row without a match (NOT EXISTS).
	JoinAnti
	// JoinAntiNullAware is NOT IN: like JoinAnti, but a NULL key on the
	// right means no row can be proven absent, so nothing is emitted, and
	// a left row with a NULL key is emitted only when the right is empty.
	JoinAntiNullAware
	// JoinRight, JoinRightSemi and JoinRightAnti preserve the right input,
	// which a hash join builds on, instead of the left one it probes with
	// (join_right.go): JoinRight emits every matching pair and then each
	// right row that matched no left row, with NULLs on the left;
	// JoinRightSemi each right row that has a match, once; JoinRightAnti
	// each right row without one. The last two emit the right columns only.
	JoinRight
	JoinRightSemi
	JoinRightAnti
)

// leftOnly: the join emits left rows, left columns only.
func (k JoinKind) leftOnly() bool {
	return k == JoinSemi || k == JoinAnti || k == JoinAntiNullAware
}

// rightOnly: the join emits right rows, right columns only.
func (k JoinKind) rightOnly() bool { return k == JoinRightSemi || k == JoinRightAnti }

// marksRight: the join tracks which right rows matched, and emits right
// rows once the left input is exhausted.
func (k JoinKind) marksRight() bool { return k == JoinFull || k >= JoinRight }

// keepsUnmatchedRight: the join emits right rows that matched nothing.
func (k JoinKind) keepsUnmatchedRight() bool {
	return k == JoinFull || k == JoinRight || k == JoinRightAnti
}

// pairSource enumerates candidate (left row, right row) pairs for the
// current left batch, at most max at a time; it returns empty slices when
// the batch is exhausted.
type pairSource interface {
	start(ctx *Context, b *Batch) error
	next(li, ri []int32, max int) ([]int32, []int32)
}

// joinCore is the probe side shared by the hash and nested-loop joins: it
// turns candidate pairs into output batches, applies the residual
// predicate, and emits the unmatched rows of outer, semi and anti joins
// once a left batch is exhausted. The right side is materialized.
type joinCore struct {
	kind       JoinKind
	residual   Expr
	left       Operator
	leftTypes  []catalog.Type
	rightTypes []catalog.Type
	types      []catalog.Type
	pairs      pairSource

	ctx      *Context
	right    []arrow.Array // materialized right side
	rightLen int
	cur      *Batch // current left batch, borrowed from left
	matched  []bool // by left row index
	li, ri   []int32
	sel      []int32
	// selectedBatch's scratch: the right row gathered to each left row,
	// and the selection vector of the batch it made.
	spread, keptSel []int32
	out             *Batch
	borrowed        Batch
	nullKey         []bool // JoinAntiNullAware: left rows (by index) whose key is NULL
	// Kinds that mark the right (marksRight): right rows (by index) that
	// matched some left row, how many did, and the next right row to
	// consider for the tail of right rows emitted after the left input.
	rightMatched  []bool
	rightMatchedN int
	tailAt        int
	// shareTail, for a right kind probing a build shared by parallel
	// pipelines, merges this pipeline's marks with the others' once its
	// left input ended (SharedJoinBuild.endProbe): only the last pipeline
	// gets the merged marks and emits the tail. tailMerged: this
	// pipeline's marks are merged.
	shareTail  func(marks []bool, n int) ([]bool, bool)
	tailMerged bool
	emptyRight bool // JoinAntiNullAware: right side had no rows
	rightNull  bool // JoinAntiNullAware: right side had a NULL key
}

func joinTypes(kind JoinKind, l, r []catalog.Type) []catalog.Type {
	switch {
	case kind.leftOnly():
		return l
	case kind.rightOnly():
		return r
	}
	return append(append([]catalog.Type(nil), l...), r...)
}

// materialize drains the opened op into one dense batch that the caller
// owns. With charge, the rows are charged to the statement as they come
// (memory_account.go): an operator that cannot spill fails with 53200
// when the server's memory is short; it frees the charge when it lets
// the rows go.
func materialize(ctx *Context, op Operator, charge *memoryCharge) ([]arrow.Array, int, error) {
	types := op.Types()
	var parts []*Batch
	defer func() {
		for _, p := range parts {
			p.Release()
		}
	}()
	n := 0
	err := func() error {
		for {
			b, err := op.Next()
			if err != nil || b == nil {
				return err
			}
			if err := ctx.Ctx.Err(); err != nil {
				return err
			}
			p := compactTyped(ctx.Mem, types, b)
			parts = append(parts, p)
			n += b.NumRows()
			if charge != nil {
				if err := charge.add(ctx, arraysSize(p.Cols)); err != nil {
					return err
				}
			}
		}
	}()
	if err != nil {
		return nil, 0, err
	}
	sets := make([][]arrow.Array, len(parts))
	for i, p := range parts {
		sets[i] = p.Cols
	}
	cols, err := concatColumns(ctx, types, sets)
	return cols, n, err
}

// concatColumns concatenates column sets of the given types, in order,
// into one: a column of no rows for none, the set itself (retained) for
// one.
func concatColumns(ctx *Context, types []catalog.Type, sets [][]arrow.Array) ([]arrow.Array, error) {
	cols := make([]arrow.Array, len(types))
	for c, t := range types {
		switch len(sets) {
		case 0:
			cols[c] = nullArray(ctx.Mem, t, 0)
		case 1:
			sets[0][c].Retain()
			cols[c] = sets[0][c]
		default:
			arrs := make([]arrow.Array, len(sets))
			for i, s := range sets {
				arrs[i] = s[c]
			}
			cat, err := array.Concatenate(arrs, ctx.Mem)
			if err != nil {
				releaseAll(cols)
				return nil, internalf("concatenate: %v", err)
			}
			cols[c] = cat
		}
	}
	return cols, nil
}

// newJoinCore is the joinCore of a join of left and right whose pairs
// come from pairs, filtered by pred (nil for none).
func newJoinCore(kind JoinKind, left, right Operator, pred Expr, pairs pairSource) joinCore {
	return joinCore{
		kind: kind, residual: pred, left: left,
		leftTypes: left.Types(), rightTypes: right.Types(),
		types: joinTypes(kind, left.Types(), right.Types()),
		pairs: pairs,
	}
}

func (j *joinCore) Types() []catalog.Type { return j.types }

func (j *joinCore) releaseOut() {
	if j.out != nil {
		j.out.Release()
		j.out = nil
	}
}

func (j *joinCore) Next() (*Batch, error) {
	j.releaseOut()
	for {
		if j.cur == nil {
			if j.rightDecided() {
				return j.endTail(), nil
			}
			b, err := j.left.Next()
			if err != nil {
				return nil, err
			}
			if b == nil {
				if j.kind.marksRight() {
					return j.endTail(), nil
				}
				return nil, nil
			}
			if err := j.ctx.Ctx.Err(); err != nil {
				return nil, err
			}
			if err := j.pairs.start(j.ctx, b); err != nil {
				return nil, err
			}
			j.cur = b
			j.matched = growTo(j.matched[:0], b.Len)
			for i := range j.matched {
				j.matched[i] = false
			}
		}
		j.li, j.ri = j.pairs.next(j.li[:0], j.ri[:0], j.ctx.MaxBatchRows())
		if len(j.li) == 0 {
			out, err := j.finishLeftBatch()
			j.cur = nil
			if err != nil {
				return nil, err
			}
			if out != nil {
				return out, nil
			}
			continue
		}
		out, err := j.emitPairs()
		if err != nil {
			return nil, err
		}
		if out != nil {
			return out, nil
		}
	}
}

// endTail is rightTail once the left input has ended. A pipeline
// probing a shared build merges its marks first, and emits the tail only
// if it is the last pipeline to end.
func (j *joinCore) endTail() *Batch {
	if j.shareTail != nil && !j.tailMerged {
		j.tailMerged = true
		marks, last := j.shareTail(j.rightMatched, j.rightLen)
		if !last {
			j.tailAt = j.rightLen
			return nil
		}
		j.rightMatched = marks
	}
	return j.rightTail()
}

// rightTail emits, a batch at a time, the right rows that the kind
// emits after the whole left input: those that matched no left row, with
// NULLs on the left (full and right joins) or alone (right anti join),
// or those that matched (right semi join); nil when none remain.
func (j *joinCore) rightTail() *Batch {
	var ri []int32
	limit := j.ctx.MaxBatchRows()
	want := j.kind == JoinRightSemi // the matched rows, or the others
	for ; j.tailAt < j.rightLen && len(ri) < limit; j.tailAt++ {
		if (j.rightMatched != nil && j.rightMatched[j.tailAt]) == want {
			ri = append(ri, int32(j.tailAt))
		}
	}
	if len(ri) == 0 {
		return nil
	}
	cols := make([]arrow.Array, 0, len(j.types))
	if !j.kind.rightOnly() {
		for _, t := range j.leftTypes {
			cols = append(cols, nullArray(j.ctx.Mem, t, len(ri)))
		}
	}
	for c, t := range j.rightTypes {
		cols = append(cols, take(j.ctx.Mem, t, j.right[c], ri))
	}
	j.out = &Batch{Cols: cols, Len: len(ri)}
	return j.out
}

// rightDecided reports whether no further left row can change what a
// join that preserves its right side emits, so that the rest of the left
// input need not be read: the right side is empty, or every right row of
// a right semi or anti join has matched.
func (j *joinCore) rightDecided() bool {
	switch {
	case j.kind == JoinRight:
		return j.rightLen == 0
	case j.kind.rightOnly():
		return j.rightMatchedN == j.rightLen
	}
	return false
}

// rightMarks returns the right rows' match marks, made on first use.
func (j *joinCore) rightMarks() []bool {
	if j.rightMatched == nil {
		j.rightMatched = make([]bool, j.rightLen)
	}
	return j.rightMatched
}

// markRight records that right row r matched.
func (j *joinCore) markRight(marks []bool, r int32) {
	if !marks[r] {
		marks[r] = true
		j.rightMatchedN++
	}
}

// markRightMatched records, for the kinds that mark the right, that the
// right rows of the given pairs (positions sel into ri, or all of ri when
// all) found a match.
func (j *joinCore) markRightMatched(ri, sel []int32, all bool) {
	if !j.kind.marksRight() {
		return
	}
	marks := j.rightMarks()
	if all {
		for _, r := range ri {
			j.markRight(marks, r)
		}
		return
	}
	for _, k := range sel {
		j.markRight(marks, ri[k])
	}
}

// emitPairs handles one block of candidate pairs.
func (j *joinCore) emitPairs() (*Batch, error) {
	if j.residual == nil && (j.kind.leftOnly() || j.kind.rightOnly()) {
		for _, l := range j.li {
			j.matched[l] = true
		}
		j.markRightMatched(j.ri, nil, true)
		return nil, nil
	}
	joined := j.joinedBatch(j.li, j.ri)
	if j.residual != nil {
		sel, err := SelectTrue(j.ctx, j.residual, joined, j.sel[:0])
		if err != nil {
			joined.Release()
			return nil, err
		}
		j.sel = sel
		for _, k := range sel {
			j.matched[j.li[k]] = true
		}
		j.markRightMatched(j.ri, sel, false)
		if j.kind.leftOnly() || j.kind.rightOnly() || len(sel) == 0 {
			joined.Release()
			return nil, nil
		}
		joined.Sel = sel
	} else {
		for _, l := range j.li {
			j.matched[l] = true
		}
		j.markRightMatched(j.ri, nil, true)
	}
	j.out = joined
	return joined, nil
}

// joinedBatch gathers left ++ right columns for the given pairs; a right
// index of -1 gives NULLs.
func (j *joinCore) joinedBatch(li, ri []int32) *Batch {
	if j.residual == nil && j.keepsLeftRows(li) {
		return j.selectedBatch(li, ri)
	}
	cols := make([]arrow.Array, 0, len(j.leftTypes)+len(j.rightTypes))
	for c, t := range j.leftTypes {
		cols = append(cols, take(j.ctx.Mem, t, j.cur.Cols[c], li))
	}
	for c, t := range j.rightTypes {
		cols = append(cols, takeNullable(j.ctx.Mem, t, j.right[c], ri))
	}
	return &Batch{Cols: cols, Len: len(li)}
}

// keepsLeftRows reports whether pairs with left rows li leave the left
// batch's columns as they are (selectedBatch): each left row is in at
// most one pair, in order (a join on the right side's unique key), and
// they are at least half the batch, so that the columns' other rows are
// few enough to carry along.
func (j *joinCore) keepsLeftRows(li []int32) bool {
	if len(li) == 0 || 2*len(li) < j.cur.Len {
		return false
	}
	for k := 1; k < len(li); k++ {
		if li[k] <= li[k-1] {
			return false
		}
	}
	return true
}

// selectedBatch is joinedBatch for pairs whose left rows keepsLeftRows:
// the left columns unchanged, each right column gathered to the left
// row of its pair, and the pairs' left rows as the selection vector. The
// rows outside it repeat a right row of the pairs rather than being NULL,
// so that the columns stay free of NULLs where the right side's are.
// Joins after joins carry their left columns along without copying them.
func (j *joinCore) selectedBatch(li, ri []int32) *Batch {
	n := j.cur.Len
	j.spread = growTo(j.spread[:0], n)
	for i := range j.spread {
		j.spread[i] = ri[0]
	}
	for k, l := range li {
		j.spread[l] = ri[k]
	}
	j.keptSel = append(j.keptSel[:0], li...)
	cols := make([]arrow.Array, 0, len(j.leftTypes)+len(j.rightTypes))
	for c := range j.leftTypes {
		j.cur.Cols[c].Retain()
		cols = append(cols, j.cur.Cols[c])
	}
	for c, t := range j.rightTypes {
		cols = append(cols, takeNullable(j.ctx.Mem, t, j.right[c], j.spread))
	}
	return &Batch{Cols: cols, Len: n, Sel: j.keptSel}
}

// finishLeftBatch emits what depends on a whole left batch being probed:
// the unmatched rows of a left join and the rows of semi and anti joins.
func (j *joinCore) finishLeftBatch() (*Batch, error) {
	b := j.cur
	var keep []int32
	switch j.kind {
	case JoinInner, JoinRight, JoinRightSemi, JoinRightAnti:
		return nil, nil
	case JoinSemi:
		for _, i := range rowsOf(b) {
			if j.matched[i] {
				keep = append(keep, i)
			}
		}
	case JoinAnti, JoinLeft, JoinFull:
		for _, i := range rowsOf(b) {
			if !j.matched[i] {
				keep = append(keep, i)
			}
		}
	case JoinAntiNullAware:
		if j.emptyRight {
			keep = rowsOf(b)
			break
		}
		if j.rightNull {
			return nil, nil
		}
		for _, i := range rowsOf(b) {
			if !j.matched[i] && (j.nullKey == nil || !j.nullKey[i]) {
				keep = append(keep, i)
			}
		}
	}
	if len(keep) == 0 {
		return nil, nil
	}
	if j.kind == JoinLeft || j.kind == JoinFull {
		ri := make([]int32, len(keep))
		for k := range ri {
			ri[k] = -1
		}
		j.out = j.joinedBatch(keep, ri)
		return j.out, nil
	}
	// Semi and anti joins pass left rows through by selection, zero copy.
	j.borrowed = Batch{Cols: b.Cols, Len: b.Len, Sel: keep}
	return &j.borrowed, nil
}

func (j *joinCore) closeCore() {
	j.releaseOut()
	j.rightMatched, j.rightMatchedN, j.tailAt, j.tailMerged = nil, 0, 0, false
	releaseAll(j.right)
	j.right = nil
	j.cur = nil
	j.left.Close()
}
