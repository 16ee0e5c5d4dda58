package exec

import (
	"bytes"
	"math"
	"sort"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/numeric"
	"github.com/pqdb/pqdb/pgerr"
)

// FrameMode is how a window frame's bounds count: ROWS counts rows,
// GROUPS peer groups, RANGE compares the ORDER BY value.
type FrameMode uint8

const (
	FrameRange FrameMode = iota
	FrameRows
	FrameGroups
)

// FrameBound is one end of a window frame.
type FrameBound uint8

const (
	BoundUnboundedPreceding FrameBound = iota
	BoundPreceding                     // n PRECEDING
	BoundCurrentRow
	BoundFollowing // n FOLLOWING
	BoundUnboundedFollowing
)

// FrameExclusion is a frame's EXCLUDE clause.
type FrameExclusion uint8

const (
	ExcludeNoOthers FrameExclusion = iota
	ExcludeCurrentRow
	ExcludeGroup
	ExcludeTies
)

// WindowFrame is the frame of a window function call, as PostgreSQL's
// frame clause describes it. The zero value (whose end would be the
// impossible UNBOUNDED PRECEDING) stands for DefaultFrame.
//
// StartOffset and EndOffset are the n of n PRECEDING / n FOLLOWING,
// constant over the query (int8 in ROWS and GROUPS mode, the in_range
// offset type in RANGE mode); a NULL or negative offset is an error, as
// in PostgreSQL. In RANGE mode with an offset, RangeKey is the (single)
// ORDER BY key in the type the bounds are compared in, and StartBound /
// EndBound are the key moved by the offset toward the frame's start or
// end in the sort order (key - offset for an ascending n PRECEDING),
// computed by the planner with the type's own arithmetic, so that every
// in_range type shares one search: a row is in the frame when its key
// lies between its bounds in the sort order.
type WindowFrame struct {
	Mode                   FrameMode
	Start, End             FrameBound
	StartOffset, EndOffset Expr
	RangeKey               Expr
	StartBound, EndBound   Expr
	Exclude                FrameExclusion
}

// DefaultFrame is RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW.
var DefaultFrame = WindowFrame{Mode: FrameRange, Start: BoundUnboundedPreceding, End: BoundCurrentRow}

// WholePartitionFrame is ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED
// FOLLOWING.
var WholePartitionFrame = WindowFrame{Mode: FrameRows, Start: BoundUnboundedPreceding, End: BoundUnboundedFollowing}

// frameRows holds each row's frame as positions in the sorted input:
// [start, end) clipped to the partition (end >= start), less the rows
// the exclusion removes.
type frameRows struct {
	start, end []int32
	exclude    FrameExclusion
	lay        *windowLayout
}

// excluded is the run of positions that row i's exclusion removes from
// its frame, and whether row i itself stays (EXCLUDE TIES).
func (f *frameRows) excluded(i int) (from, to int32, keepSelf bool) {
	switch f.exclude {
	case ExcludeCurrentRow:
		return int32(i), int32(i + 1), false
	case ExcludeGroup:
		return f.lay.peerStart[i], f.lay.peerEnd[i], false
	case ExcludeTies:
		return f.lay.peerStart[i], f.lay.peerEnd[i], true
	}
	return 0, 0, false
}

// segments calls fn with the runs of positions in row i's frame, in
// order (at most three: before the excluded run, the row itself, after).
func (f *frameRows) segments(i int, fn func(from, to int32)) {
	s, e := f.start[i], f.end[i]
	if f.exclude == ExcludeNoOthers {
		if e > s {
			fn(s, e)
		}
		return
	}
	xs, xe, self := f.excluded(i)
	if a := min(e, xs); a > s {
		fn(s, a)
	}
	if self && int32(i) >= s && int32(i) < e {
		fn(int32(i), int32(i+1))
	}
	if a := max(s, xe); e > a {
		fn(a, e)
	}
}

// computeFrames finds every row's frame.
func (w *windowOp) computeFrames(fr WindowFrame, b *Batch, lay *windowLayout) (*frameRows, error) {
	n := lay.n
	out := &frameRows{start: make([]int32, n), end: make([]int32, n), exclude: fr.Exclude, lay: lay}
	startOff, err := w.frameOffset(fr.Mode, fr.StartOffset, "starting")
	if err != nil {
		return nil, err
	}
	endOff, err := w.frameOffset(fr.Mode, fr.EndOffset, "ending")
	if err != nil {
		return nil, err
	}
	var rb *rangeBounds
	if fr.Mode == FrameRange && (fr.Start == BoundPreceding || fr.Start == BoundFollowing ||
		fr.End == BoundPreceding || fr.End == BoundFollowing) {
		if rb, err = w.newRangeBounds(fr, b, lay); err != nil {
			return nil, err
		}
	}
	ed := frameEdger{mode: fr.Mode, lay: lay, rb: rb}
	if fr.Mode == FrameGroups {
		for i := 0; i < n; i = int(lay.peerEnd[i]) {
			ed.groupStart = append(ed.groupStart, int32(i))
		}
	}
	for i := range n {
		s := ed.edge(i, fr.Start, startOff, false)
		e := ed.edge(i, fr.End, endOff, true)
		out.start[i], out.end[i] = int32(s), int32(max(s, e))
	}
	return out, nil
}

// frameEdger finds where one bound puts a row's frame edge.
type frameEdger struct {
	mode       FrameMode
	lay        *windowLayout
	rb         *rangeBounds // RANGE with an offset
	groupStart []int32      // GROUPS: first row of each peer group, by its global number
}

// edge is row i's frame edge for bound k with offset off: the first row
// of the frame for the start, one past its last for the end, within the
// partition.
func (ed *frameEdger) edge(i int, k FrameBound, off int64, isEnd bool) int64 {
	lay := ed.lay
	ps, pe := int64(lay.partStart[i]), int64(lay.partEnd[i])
	switch k {
	case BoundUnboundedPreceding:
		return ps
	case BoundUnboundedFollowing:
		return pe
	case BoundCurrentRow:
		switch {
		case ed.mode == FrameRows && isEnd:
			return int64(i) + 1
		case ed.mode == FrameRows:
			return int64(i)
		case isEnd:
			return int64(lay.peerEnd[i])
		}
		return int64(lay.peerStart[i])
	}
	// Offsets are at most 2^63-1 and positions far smaller, so the moved
	// position is clamped before it could overflow.
	off = min(off, int64(math.MaxInt32)*2)
	if k == BoundPreceding {
		off = -off
	}
	switch ed.mode {
	case FrameRows:
		p := int64(i) + off
		if isEnd {
			p++
		}
		return min(max(p, ps), pe)
	case FrameGroups:
		t := int64(lay.peerGroups[i]) + off
		switch {
		case t < int64(lay.peerGroups[ps]):
			return ps
		case t > int64(lay.peerGroups[pe-1]):
			return pe
		case isEnd:
			return int64(lay.peerEnd[ed.groupStart[t]])
		}
		return int64(ed.groupStart[t])
	}
	return int64(ed.rb.edge(i, isEnd))
}

// frameOffset evaluates a ROWS or GROUPS offset (a RANGE offset is
// checked by newRangeBounds, as in_range does, and 0 is returned).
func (w *windowOp) frameOffset(mode FrameMode, e Expr, which string) (int64, error) {
	if e == nil {
		return 0, nil
	}
	v, err := constantDatum(w.ctx, e)
	if err != nil {
		return 0, err
	}
	if v == nil {
		return 0, pgerr.New(pgerr.NullValueNotAllowed, "frame %s offset must not be null", which)
	}
	if mode == FrameRange {
		return 0, nil
	}
	o, _ := v.(int64)
	if o < 0 {
		return 0, pgerr.New(pgerr.InvalidPrecedingOrFollowingSize, "frame %s offset must not be negative", which)
	}
	return o, nil
}

// constantDatum evaluates an expression that reads no column.
func constantDatum(ctx *Context, e Expr) (catalog.Datum, error) {
	if v, ok := literalValue(e); ok {
		return v, nil
	}
	a, err := e.Eval(ctx, &Batch{Len: 1})
	if err != nil {
		return nil, err
	}
	defer a.Release()
	return datumAt(a, e.Type(), 0), nil
}

// rangeBounds finds the edges of RANGE frames with an offset. The rows
// of a partition whose key is NULL are one block at its start or end
// (NULLS FIRST / LAST); as in PostgreSQL, a row with a NULL key has its
// NULL peers as the offset bounds, and a row with a key never reaches
// into the NULL block: its frame edge is found by binary search among
// the partition's non-NULL keys, in the sort order of their encoding.
type rangeBounds struct {
	keys       *sortKeys // the RangeKey of every row, encoded in sort order
	start, end *sortKeys // the bounds of every row
	keyNull    []bool
	startNaN   []bool // a bound that is NaN while its key is not: all rows
	endNaN     []bool
	lay        *windowLayout
	nnStart    []int32 // per row: its partition's non-NULL block
	nnEnd      []int32
	numStart   []int32 // per row: the block's rows that are not NaN
	numEnd     []int32
	// startAt and endAt are the frame edges of the rows with keys, as
	// PostgreSQL's nodeWindowAgg finds them: its frame head and tail only
	// move forward, so a row's edge is never before the previous row's.
	// They differ from each row's own edge only where key ± offset is not
	// monotone in the key: a timestamptz minus '1 day' across the end of
	// daylight saving time.
	startAt, endAt []int32
}

func (w *windowOp) newRangeBounds(fr WindowFrame, b *Batch, lay *windowLayout) (*rangeBounds, error) {
	if len(w.orderBy) != 1 || fr.RangeKey == nil {
		return nil, internalf("RANGE with an offset needs one ORDER BY key")
	}
	dir := w.orderBy[0]
	rb := &rangeBounds{lay: lay, nnStart: make([]int32, lay.n), nnEnd: make([]int32, lay.n), keyNull: make([]bool, lay.n)}
	encode := func(e Expr) (*sortKeys, []bool, error) {
		if e == nil {
			return nil, nil, nil
		}
		a, err := e.Eval(w.ctx, b)
		if err != nil {
			return nil, nil, err
		}
		defer a.Release()
		return encodeSortKeys([]SortKey{{Expr: e, Desc: dir.Desc, NullsFirst: dir.NullsFirst}}, []arrow.Array{a}, lay.n), nanMask(a, e.Type()), nil
	}
	key, err := fr.RangeKey.Eval(w.ctx, b)
	if err != nil {
		return nil, err
	}
	rb.keys = encodeSortKeys([]SortKey{{Expr: fr.RangeKey, Desc: dir.Desc, NullsFirst: dir.NullsFirst}}, []arrow.Array{key}, lay.n)
	keyNaN := nanMask(key, fr.RangeKey.Type())
	kv := validityOf(key)
	anyKey := false
	for i := range lay.n {
		rb.keyNull[i] = !kv.valid(i)
		anyKey = anyKey || kv.valid(i)
	}
	key.Release()
	// in_range, which rejects a bad offset, runs only on rows with keys.
	if anyKey {
		if fr.Start == BoundPreceding || fr.Start == BoundFollowing {
			if err := checkRangeOffset(w.ctx, fr.StartOffset); err != nil {
				return nil, err
			}
		}
		if fr.End == BoundPreceding || fr.End == BoundFollowing {
			if err := checkRangeOffset(w.ctx, fr.EndOffset); err != nil {
				return nil, err
			}
		}
	}
	var startNaN, endNaN []bool
	if rb.start, startNaN, err = encode(fr.StartBound); err != nil {
		return nil, err
	}
	if rb.end, endNaN, err = encode(fr.EndBound); err != nil {
		return nil, err
	}
	rb.startNaN, rb.endNaN = infiniteBounds(startNaN, keyNaN), infiniteBounds(endNaN, keyNaN)
	rb.numStart, rb.numEnd = rb.nnStart, rb.nnEnd
	if keyNaN != nil {
		rb.numStart, rb.numEnd = make([]int32, lay.n), make([]int32, lay.n)
	}
	for i := 0; i < lay.n; i = int(lay.partEnd[i]) {
		ps, pe := lay.partStart[i], lay.partEnd[i]
		s, e := ps, pe
		for s < pe && rb.keyNull[s] {
			s++
		}
		for e > s && rb.keyNull[e-1] {
			e--
		}
		// NaN sorts above every number: its rows end the block
		// (ascending) or start it.
		ns, ne := s, e
		for keyNaN != nil && ns < ne && keyNaN[ns] {
			ns++
		}
		for keyNaN != nil && ne > ns && keyNaN[ne-1] {
			ne--
		}
		for r := ps; r < pe; r++ {
			rb.nnStart[r], rb.nnEnd[r] = s, e
			rb.numStart[r], rb.numEnd[r] = ns, ne
		}
	}
	rb.startAt, rb.endAt = rb.forwardEdges(rb.start != nil, false), rb.forwardEdges(rb.end != nil, true)
	return rb, nil
}

// forwardEdges computes, when has, the start (or end) edge of every row
// with a key, each at least the previous such row's in its partition.
func (rb *rangeBounds) forwardEdges(has, isEnd bool) []int32 {
	if !has {
		return nil
	}
	lay := rb.lay
	out := make([]int32, lay.n)
	prev, part := int32(-1), int32(-1)
	for i := range lay.n {
		if lay.partStart[i] != part {
			prev, part = -1, lay.partStart[i]
		}
		if rb.keyNull[i] {
			continue
		}
		out[i] = max(rb.ownEdge(i, isEnd), prev)
		prev = out[i]
	}
	return out
}

// edge is row i's frame start (or end) under a RANGE offset bound.
func (rb *rangeBounds) edge(i int, isEnd bool) int32 {
	if rb.keyNull[i] {
		if isEnd {
			return rb.lay.peerEnd[i]
		}
		return rb.lay.peerStart[i]
	}
	if isEnd {
		return rb.endAt[i]
	}
	return rb.startAt[i]
}

// ownEdge is the frame start (or end) of row i, which has a key, by its
// own bound: the first row whose key is not before the start bound, or
// the first after the end bound.
func (rb *rangeBounds) ownEdge(i int, isEnd bool) int32 {
	s, e := rb.nnStart[i], rb.nnEnd[i]
	if isEnd {
		if rb.endNaN != nil && rb.endNaN[i] {
			return rb.numEnd[i]
		}
		bound := rb.end.key(i)
		// the first row whose key sorts after the bound
		return s + int32(sort.Search(int(e-s), func(k int) bool { return bytes.Compare(rb.keys.key(int(s)+k), bound) > 0 }))
	}
	if rb.startNaN != nil && rb.startNaN[i] {
		return rb.numStart[i]
	}
	bound := rb.start.key(i)
	return s + int32(sort.Search(int(e-s), func(k int) bool { return bytes.Compare(rb.keys.key(int(s)+k), bound) >= 0 }))
}

// infiniteBounds marks the bounds that are NaN although their key is not:
// an infinite offset from an infinite key of the other sign (inf - inf),
// which PostgreSQL's in_range takes as reaching every row but the NaNs.
func infiniteBounds(boundNaN, keyNaN []bool) []bool {
	if boundNaN == nil {
		return nil
	}
	out := make([]bool, len(boundNaN))
	for i, nan := range boundNaN {
		out[i] = nan && (keyNaN == nil || !keyNaN[i])
	}
	return out
}

// nanMask reports the NaN values of a float or numeric column (nil for
// other types, which have none).
func nanMask(a arrow.Array, t catalog.Type) []bool {
	n := a.Len()
	v := validityOf(a)
	switch t.Kind {
	case catalog.Float8:
		vals := fixedValues[float64](a)
		out := make([]bool, n)
		for i := range n {
			out[i] = v.valid(i) && math.IsNaN(vals[i])
		}
		return out
	case catalog.Float4:
		vals := fixedValues[float32](a)
		out := make([]bool, n)
		for i := range n {
			out[i] = v.valid(i) && math.IsNaN(float64(vals[i]))
		}
		return out
	case catalog.Numeric:
		if !t.IsVarNumeric() {
			return nil
		}
		vv := varlenViewOf(a)
		out := make([]bool, n)
		for i := range n {
			out[i] = v.valid(i) && numeric.IsNaN(vv.bytes(i))
		}
		return out
	}
	return nil
}

// checkRangeOffset rejects what PostgreSQL's in_range functions reject:
// a NULL offset (at the start of execution), a negative or NaN one.
func checkRangeOffset(ctx *Context, e Expr) error {
	v, err := constantDatum(ctx, e)
	if err != nil || v == nil {
		return err
	}
	bad := false
	switch x := v.(type) {
	case int16:
		bad = x < 0
	case int32:
		bad = x < 0
	case int64:
		bad = x < 0
	case float32:
		bad = x < 0 || math.IsNaN(float64(x))
	case float64:
		bad = x < 0 || math.IsNaN(x)
	case decimal128.Num:
		bad = x.Sign() < 0
	case []byte:
		bad = numeric.IsNaN(x) || numeric.Compare(x, numeric.Zero(nil)) < 0
	case arrow.MonthDayNanoInterval:
		bad = intervalCmp(x, arrow.MonthDayNanoInterval{}) < 0
	}
	if bad {
		return pgerr.New(pgerr.InvalidPrecedingOrFollowingSize, "invalid preceding or following size in window function")
	}
	return nil
}
