package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
)

// NewHashJoin joins left and right on leftKeys[i] = rightKeys[i]. It
// builds a hash table on the right input (materialized on the first
// Next) and streams the left input through it. Output columns are left ++
// right (left only for semi and anti joins); residual, when not nil, is
// evaluated on the joined row and must be true for a pair to match.
// Rows with a NULL key never match.
func NewHashJoin(left, right Operator, leftKeys, rightKeys []Expr, kind JoinKind, residual Expr) Operator {
	leftKeys, rightKeys = alignNumericKeys(leftKeys, rightKeys)
	h := &hashJoinOp{rightOp: right, leftKeys: leftKeys, rightKeys: rightKeys}
	h.joinCore = joinCore{
		kind: kind, residual: residual, left: left,
		leftTypes: left.Types(), rightTypes: right.Types(),
		types: joinTypes(kind, left.Types(), right.Types()),
		pairs: h,
	}
	return h
}

type hashJoinOp struct {
	joinCore
	rightOp   Operator
	leftKeys  []Expr
	rightKeys []Expr

	built  bool
	table  *hashTable
	first  []int32 // per group: first right row
	nextOf []int32 // per right row: next row of the same group, -1 at the end

	// probe state for the current left batch
	probeRows   []int32
	probeGroups []int32
	k           int   // position in probeRows
	chain       int32 // next right row of probeRows[k]'s chain, -1 = advance
}

func (h *hashJoinOp) Open(ctx *Context) error {
	h.ctx, h.built, h.cur = ctx, false, nil
	h.rightMatched, h.tailAt = nil, 0
	if err := h.left.Open(ctx); err != nil {
		return err
	}
	return h.rightOp.Open(ctx)
}

func (h *hashJoinOp) build() error {
	cols, n, err := materialize(h.ctx, h.rightOp)
	if err != nil {
		return err
	}
	h.right, h.rightLen = cols, n
	h.emptyRight = n == 0
	h.table = newHashTable(typesOf(h.rightKeys))
	rb := &Batch{Cols: cols, Len: n}
	keys, err := evalAll(h.ctx, h.rightKeys, rb)
	if err != nil {
		return err
	}
	defer releaseAll(keys)
	rows := nonNullRows(keys, identitySel(n), nil)
	// Set on every build, not only raised: a re-opened join (in a
	// correlated subquery) builds again from a different right side.
	h.rightNull = len(rows) < n
	groups := make([]int32, len(rows))
	// Insert in chunks so the table's scratch stays batch-sized.
	for s := 0; s < len(rows); s += maxBatchRows {
		e := min(len(rows), s+maxBatchRows)
		h.table.find(keys, rows[s:e], groups[s:e], true)
	}
	h.first = make([]int32, h.table.len())
	for g := range h.first {
		h.first[g] = -1
	}
	h.nextOf = make([]int32, n)
	// Walk backwards so each chain lists right rows in input order.
	for k := len(rows) - 1; k >= 0; k-- {
		r, g := rows[k], groups[k]
		h.nextOf[r] = h.first[g]
		h.first[g] = r
	}
	return nil
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
	if !h.built {
		h.built = true
		if err := h.build(); err != nil {
			return nil, err
		}
	}
	return h.joinCore.Next()
}

func (h *hashJoinOp) start(ctx *Context, b *Batch) error {
	h.probeRows, h.probeGroups = h.probeRows[:0], h.probeGroups[:0]
	h.k, h.chain = 0, -1
	if h.table.len() == 0 {
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
	h.table.find(keys, h.probeRows, h.probeGroups, false)
	return nil
}

func (h *hashJoinOp) next(li, ri []int32, max int) ([]int32, []int32) {
	firstOnly := h.kind >= JoinSemi && h.residual == nil
	for len(li) < max && h.k < len(h.probeRows) {
		if h.chain < 0 {
			g := h.probeGroups[h.k]
			if g < 0 {
				h.k++
				continue
			}
			h.chain = h.first[g]
		}
		li = append(li, h.probeRows[h.k])
		ri = append(ri, h.chain)
		h.chain = h.nextOf[h.chain]
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
	h.rightOp.Close()
	h.table, h.first, h.nextOf = nil, nil, nil
	h.closeCore()
}
