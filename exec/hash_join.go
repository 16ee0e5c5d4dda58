package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
)

// NewHashJoin joins left and right on leftKeys[i] = rightKeys[i]. It
// builds a hash table on the right input (materialized on the first
// Next) and streams the left input through it. Output columns are left ++
// right (left only for semi and anti joins, right only for right semi
// and anti joins); residual, when not nil, is evaluated on the joined row
// and must be true for a pair to match. Rows with a NULL key never match.
// The right kinds (JoinRight, JoinRightSemi, JoinRightAnti) preserve the
// build side, so that a small preserved input is the one hashed
// (join_right.go).
//
// keepBuild says that the right input reads no outer value and calls
// nothing volatile, so that every run of the join within one statement
// builds the same table. A join inside a correlated subquery, re-opened
// for every outer row, then builds once per statement and keeps the build
// in the Context until Context.Release.
func NewHashJoin(left, right Operator, leftKeys, rightKeys []Expr, kind JoinKind, residual Expr, keepBuild bool) Operator {
	leftKeys, rightKeys = alignNumericKeys(leftKeys, rightKeys)
	return newHashJoin(left, right, leftKeys, rightKeys, kind, residual, keepBuild, 0)
}

// newHashJoin is NewHashJoin of aligned keys at a level of grace
// partitioning (grace_join.go).
func newHashJoin(left, right Operator, leftKeys, rightKeys []Expr, kind JoinKind, residual Expr, keepBuild bool, level int) *hashJoinOp {
	h := &hashJoinOp{rightOp: right, leftKeys: leftKeys, rightKeys: rightKeys, keepBuild: keepBuild, level: level}
	h.joinCore = newJoinCore(kind, left, right, residual, h)
	return h
}

type hashJoinOp struct {
	joinCore
	rightOp   Operator
	leftKeys  []Expr
	rightKeys []Expr
	keepBuild bool
	// filters, when set, are filled from the build before the left side
	// is opened (runtime_filter.go).
	filters []*RuntimeFilter

	// shared, for a join of a parallel plan's pipeline, is the build it
	// probes with the other pipelines (join_shared_build.go); prober is
	// its table with this join's own scratch. sharedBy, set on the join
	// that reads a shared build, is how many pipelines probe it: the
	// build fails instead of spilling once it outgrows their hash_mem
	// together.
	shared   *SharedJoinBuild
	acquired bool
	prober   *hashTable
	sharedBy int

	built bool
	build *joinBuild
	// level is the depth of grace partitioning of a partition's join (0
	// for the join the plan made); grace is set once the build side
	// outgrew work_mem and was partitioned.
	level  int
	charge memoryCharge
	grace  *graceJoin
	report MemoryReport

	// probe state for the current left batch
	probeRows   []int32
	probeGroups []int32
	k           int   // position in probeRows
	chain       int32 // next right row of probeRows[k]'s chain, -1 = advance
}

// joinBuild is the hashed right side of a hash join.
type joinBuild struct {
	cols   []arrow.Array
	n      int
	table  *hashTable
	first  []int32 // per group: first right row
	nextOf []int32 // per right row: next row of the same group, -1 at the end
	// unique: every group has one right row (a join on the right's key),
	// so first is each group's only row.
	unique bool
	// nullKey: some right row has a NULL key (rows with one are not in
	// the table).
	nullKey bool
}

func (b *joinBuild) release() { releaseAll(b.cols) }

func (h *hashJoinOp) Open(ctx *Context) error {
	h.closeGrace()
	h.ctx, h.built, h.cur = ctx, false, nil
	h.charge = memoryCharge{}
	h.report = MemoryReport{Kind: ReportHash, Batches: 1}
	h.rightMatched, h.rightMatchedN, h.tailAt, h.tailMerged = nil, 0, 0, false
	if h.shared != nil {
		// The left side opens once the build is made: the build's
		// runtime filters must be filled before any pipeline reads.
		if !h.acquired {
			h.shared.acquire()
			h.acquired = true
		}
		return nil
	}
	if len(h.filters) == 0 {
		if err := h.left.Open(ctx); err != nil {
			return err
		}
	}
	return h.rightOp.Open(ctx)
}

// buildSide returns the join's build, from the Context when an earlier
// run of this statement kept it.
func (h *hashJoinOp) buildSide() (*joinBuild, error) {
	if h.shared != nil {
		b, err := h.shared.get(h.ctx)
		if err == nil {
			h.prober = b.table.prober()
		}
		return b, err
	}
	if b := h.ctx.builds[h]; b != nil {
		return b, nil
	}
	b, err := h.buildTable()
	if err != nil || b == nil || !h.keepBuild {
		return b, err
	}
	if h.ctx.builds == nil {
		h.ctx.builds = map[*hashJoinOp]*joinBuild{}
	}
	h.ctx.builds[h] = b
	return b, nil
}

// buildTable hashes the right side; it returns no build when the right
// side outgrew work_mem and was partitioned instead (h.grace).
func (h *hashJoinOp) buildTable() (*joinBuild, error) {
	parts, n, err := h.materializeRight()
	if err != nil || h.grace != nil {
		return nil, err
	}
	sets := make([][]arrow.Array, len(parts))
	for i, p := range parts {
		sets[i] = p.Cols
	}
	cols, err := concatColumns(h.ctx, h.rightOp.Types(), sets)
	h.concatenated(parts)
	for _, p := range parts {
		p.Release()
	}
	if err != nil {
		return nil, err
	}
	b := &joinBuild{cols: cols, n: n, table: newHashTable(typesOf(h.rightKeys))}
	if directKeys(typesOf(h.leftKeys)) && directKeys(typesOf(h.rightKeys)) {
		// Keys of one dense integer column (ids: TPC-H Q13's c_custkey)
		// find their rows by position, as grouping by them does
		// (hashtable_direct.go); probes of integers never make the
		// table leave direct mode, so probers may share it.
		b.table.useDirect(typesOf(h.rightKeys))
	}
	rb := &Batch{Cols: cols, Len: n}
	keys, err := evalAll(h.ctx, h.rightKeys, rb)
	if err != nil {
		b.release()
		return nil, err
	}
	defer releaseAll(keys)
	rows := nonNullRows(keys, identitySel(n), nil)
	b.nullKey = len(rows) < n
	groups := make([]int32, len(rows))
	// Insert in chunks so the table's scratch stays batch-sized.
	for s := 0; s < len(rows); s += maxBatchRows {
		e := min(len(rows), s+maxBatchRows)
		b.table.find(keys, rows[s:e], groups[s:e], true)
	}
	b.first = make([]int32, b.table.len())
	for g := range b.first {
		b.first[g] = -1
	}
	b.unique = b.table.len() == len(rows)
	b.nextOf = make([]int32, n)
	// Walk backwards so each chain lists right rows in input order.
	for k := len(rows) - 1; k >= 0; k-- {
		r, g := rows[k], groups[k]
		b.nextOf[r] = b.first[g]
		b.first[g] = r
	}
	// The table and its chains, besides the rows charged already.
	if err := h.charge.add(h.ctx, b.table.memSize()+4*int64(len(b.first))); err != nil {
		b.release()
		return nil, err
	}
	return b, nil
}

// nonNullRows appends to dst the rows where every key is non-NULL.
func nonNullRows(keys []arrow.Array, rows []int32, dst []int32) []int32 {
	anyNull := false
	for _, k := range keys {
		if k.NullN() > 0 {
			anyNull = true
		}
	}
	if !anyNull {
		return append(dst, rows...)
	}
	vs := make([]validity, len(keys))
	for c, k := range keys {
		vs[c] = validityOf(k)
	}
	for _, i := range rows {
		ok := true
		for _, v := range vs {
			if !v.valid(int(i)) {
				ok = false
				break
			}
		}
		if ok {
			dst = append(dst, i)
		}
	}
	return dst
}

func (h *hashJoinOp) Next() (*Batch, error) {
	if h.grace != nil {
		return h.grace.next()
	}
	if !h.built {
		h.built = true
		b, err := h.buildSide()
		if err != nil {
			return nil, err
		}
		if len(h.filters) > 0 {
			// The left side opens with the build's keys to read by.
			if err := h.publishFilters(b); err != nil {
				return nil, err
			}
		}
		if len(h.filters) > 0 || h.shared != nil {
			if err := h.left.Open(h.ctx); err != nil {
				return nil, err
			}
		}
		if b == nil {
			return h.grace.next()
		}
		h.build = b
		h.right, h.rightLen = b.cols, b.n
		h.emptyRight = b.n == 0
		// Set on every run, not only raised: a re-opened join (in a
		// correlated subquery) may build from a different right side.
		h.rightNull = b.nullKey
	}
	return h.joinCore.Next()
}

func (h *hashJoinOp) start(ctx *Context, b *Batch) error {
	h.probeRows, h.probeGroups = h.probeRows[:0], h.probeGroups[:0]
	h.k, h.chain = 0, -1
	if h.build.table.len() == 0 {
		return nil
	}
	keys, err := evalAll(ctx, h.leftKeys, b)
	if err != nil {
		return err
	}
	defer releaseAll(keys)
	h.probeRows = nonNullRows(keys, rowsOf(b), h.probeRows)
	if h.kind == JoinAntiNullAware {
		h.nullKey = growTo(h.nullKey[:0], b.Len)
		for i := range h.nullKey {
			h.nullKey[i] = true
		}
		for _, i := range h.probeRows {
			h.nullKey[i] = false
		}
	}
	h.probeGroups = growTo(h.probeGroups, len(h.probeRows))
	table := h.build.table
	if h.prober != nil {
		table = h.prober
	}
	table.find(keys, h.probeRows, h.probeGroups, false)
	return nil
}

func (h *hashJoinOp) next(li, ri []int32, max int) ([]int32, []int32) {
	if h.kind.rightOnly() {
		return h.nextRightOnly(li, ri, max)
	}
	firstOnly := h.kind.leftOnly() && h.residual == nil
	if h.build.unique && h.chain < 0 {
		// One pair per probe row that found its group.
		first := h.build.first
		k := h.k
		for ; k < len(h.probeRows) && len(li) < max; k++ {
			if g := h.probeGroups[k]; g >= 0 {
				li = append(li, h.probeRows[k])
				ri = append(ri, first[g])
			}
		}
		h.k = k
		return li, ri
	}
	for len(li) < max && h.k < len(h.probeRows) {
		if h.chain < 0 {
			g := h.probeGroups[h.k]
			if g < 0 {
				h.k++
				continue
			}
			h.chain = h.build.first[g]
		}
		li = append(li, h.probeRows[h.k])
		ri = append(ri, h.chain)
		h.chain = h.build.nextOf[h.chain]
		if firstOnly {
			h.chain = -1
		}
		if h.chain < 0 {
			h.k++
		}
	}
	return li, ri
}

func (h *hashJoinOp) Close() {
	h.closeGrace()
	if h.ctx != nil {
		h.report.PeakMemory = max(h.report.PeakMemory, h.charge.peak)
		h.charge.free(h.ctx)
	}
	if h.shared != nil {
		// The shared build owns the right side and the rows.
		h.right, h.build, h.prober = nil, nil, nil
		if h.acquired {
			h.shared.release()
			h.acquired = false
		}
		h.closeCore()
		return
	}
	h.rightOp.Close()
	if h.build != nil && h.ctx.builds[h] == h.build {
		// The Context owns a kept build; closeCore must not release it.
		h.right = nil
	}
	h.build = nil
	h.closeCore()
}
