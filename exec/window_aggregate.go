package exec

import (
	"sort"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// Aggregates over window frames.
//
// Each distinct frame is a group of the aggregate's grouping state
// (aggState), and each row takes the result of its frame's group. Three
// ways fill the groups, chosen per call:
//
//   - running: every frame starts at its partition's start (the default
//     frame, UNBOUNDED PRECEDING to anything). Frame ends only grow, so a
//     frame's group starts as a copy of the previous frame's and folds the
//     rows between the two ends: each row is folded once, in order.
//   - sliding: frames that move (n PRECEDING ...) of an aggregate whose
//     state can remove rows (count, and sum/avg of integers and of
//     numeric(p,s): exact, so the order of additions and removals cannot
//     change the result): a frame's group copies the previous one, folds
//     the rows that entered and removes those that left, O(rows) in all.
//     This is PostgreSQL's moving-aggregate (inverse transition) mode.
//   - restart: everything else folds each frame's rows anew, in frame
//     order, as PostgreSQL does for aggregates without an inverse
//     transition (float sums, min/max, string_agg, the statistics) and for
//     frames with EXCLUDE: O(rows × frame size), and results that round
//     exactly as PostgreSQL's. A segment tree would make min/max and
//     exact-arithmetic aggregates O(rows log rows) here; the float sums
//     could not use one without rounding differently from PostgreSQL.

// removableState is an aggregate state that can also take rows out of a
// group (an inverse transition).
type removableState interface {
	aggState
	remove(args []arrow.Array, rows, groups []int32) error
}

// restartChunk is how many (row, group) pairs the restart way folds per
// update call.
const restartChunk = 1 << 16

// frameFolder folds runs of frame rows into groups of a state.
type frameFolder struct {
	st     aggState
	args   []arrow.Array
	kept   []int32 // the rows the FILTER keeps, ascending (all without one)
	groups []int32 // scratch
}

// rowsIn is the kept rows in positions [from, to).
func (ff *frameFolder) rowsIn(from, to int32) []int32 {
	lo := sort.Search(len(ff.kept), func(k int) bool { return ff.kept[k] >= from })
	hi := lo + sort.Search(len(ff.kept)-lo, func(k int) bool { return ff.kept[lo+k] >= to })
	return ff.kept[lo:hi]
}

func (ff *frameFolder) groupsOf(g int32, n int) []int32 {
	if cap(ff.groups) < n {
		ff.groups = make([]int32, n)
	}
	gs := ff.groups[:n]
	for k := range gs {
		gs[k] = g
	}
	return gs
}

// add folds the kept rows of [from, to) into group g.
func (ff *frameFolder) add(g, from, to int32) error {
	if to <= from {
		return nil
	}
	rows := ff.rowsIn(from, to)
	if len(rows) == 0 {
		return nil
	}
	return ff.st.update(ff.args, rows, ff.groupsOf(g, len(rows)))
}

// remove takes the kept rows of [from, to) out of group g.
func (ff *frameFolder) remove(g, from, to int32) error {
	if to <= from {
		return nil
	}
	rows := ff.rowsIn(from, to)
	if len(rows) == 0 {
		return nil
	}
	return ff.st.(removableState).remove(ff.args, rows, ff.groupsOf(g, len(rows)))
}

// evalAggregate computes an aggregate over each row's frame.
func (w *windowOp) evalAggregate(f WindowExpr, b *Batch, fr *frameRows) (arrow.Array, error) {
	a := Aggregate{Func: f.Agg, Type: f.Type, EnumLabels: f.EnumLabels}
	if len(f.Args) > 0 {
		a.Arg = f.Args[0]
	}
	if len(f.Args) > 1 {
		a.Arg2 = f.Args[1]
	}
	st, err := newAggState(a, w.ctx.location())
	if err != nil {
		return nil, err
	}
	ff := &frameFolder{st: st}
	defer func() { releaseAll(ff.args) }()
	for _, e := range f.Args {
		v, err := e.Eval(w.ctx, b)
		if err != nil {
			return nil, err
		}
		ff.args = append(ff.args, v)
	}
	n := fr.lay.n
	ff.kept = identitySel(n)
	if f.Filter != nil {
		p, err := f.Filter.Eval(w.ctx, b)
		if err != nil {
			return nil, err
		}
		v := boolViewOf(p)
		kept := make([]int32, 0, n)
		for i := range n {
			if v.valid(i) && v.value(i) {
				kept = append(kept, int32(i))
			}
		}
		p.Release()
		ff.kept = kept
	}
	groupOf := make([]int32, n)
	_, removable := st.(removableState)
	switch {
	case fr.exclude == ExcludeNoOthers && fr.allStartAtPartition():
		err = ff.running(fr, groupOf)
	case fr.exclude == ExcludeNoOthers && removable && !orderSensitive(a):
		err = ff.sliding(fr, groupOf)
	default:
		err = ff.restart(fr, groupOf)
	}
	if err != nil {
		return nil, err
	}
	res, err := st.finish(w.ctx.Mem)
	if err != nil {
		return nil, err
	}
	defer res.Release()
	return take(w.ctx.Mem, f.Type, res, groupOf), nil
}

func (fr *frameRows) allStartAtPartition() bool {
	for i, s := range fr.start {
		if s != fr.lay.partStart[i] {
			return false
		}
	}
	return true
}

// sameFrameAsPrevious reports whether row i has row i-1's frame (and is
// in its partition).
func (fr *frameRows) sameFrameAsPrevious(i int) bool {
	return i > 0 && i != int(fr.lay.partStart[i]) && fr.start[i] == fr.start[i-1] && fr.end[i] == fr.end[i-1]
}

// numberFrames gives each run of rows with the same frame a group and
// returns how many there are.
func (fr *frameRows) numberFrames(groupOf []int32) int {
	g := int32(-1)
	for i := range groupOf {
		if !fr.sameFrameAsPrevious(i) {
			g++
		}
		groupOf[i] = g
	}
	return int(g + 1)
}

func (ff *frameFolder) running(fr *frameRows, groupOf []int32) error {
	ff.st.grow(fr.numberFrames(groupOf))
	for i := range groupOf {
		if fr.sameFrameAsPrevious(i) {
			continue
		}
		g, from := groupOf[i], fr.start[i]
		if i != int(fr.lay.partStart[i]) {
			ff.st.copyGroup(g-1, g)
			from = fr.end[i-1]
		}
		if err := ff.add(g, from, fr.end[i]); err != nil {
			return err
		}
	}
	return nil
}

func (ff *frameFolder) sliding(fr *frameRows, groupOf []int32) error {
	ff.st.grow(fr.numberFrames(groupOf))
	for i := range groupOf {
		if fr.sameFrameAsPrevious(i) {
			continue
		}
		g, s, e := groupOf[i], fr.start[i], fr.end[i]
		if i != int(fr.lay.partStart[i]) && s < fr.end[i-1] {
			ps, pe := fr.start[i-1], fr.end[i-1]
			ff.st.copyGroup(g-1, g)
			// Remove first: the sum in between then never exceeds the
			// larger of the two frames' (an int8 sum checks overflow).
			if err := ff.remove(g, ps, s); err != nil {
				return err
			}
			if err := ff.add(g, pe, e); err != nil {
				return err
			}
			continue
		}
		if err := ff.add(g, s, e); err != nil {
			return err
		}
	}
	return nil
}

func (ff *frameFolder) restart(fr *frameRows, groupOf []int32) error {
	var groups int
	if fr.exclude == ExcludeNoOthers {
		groups = fr.numberFrames(groupOf)
	} else {
		for i := range groupOf {
			groupOf[i] = int32(i)
		}
		groups = len(groupOf)
	}
	ff.st.grow(groups)
	rows := make([]int32, 0, restartChunk)
	gs := make([]int32, 0, restartChunk)
	flush := func() error {
		if len(rows) == 0 {
			return nil
		}
		err := ff.st.update(ff.args, rows, gs)
		rows, gs = rows[:0], gs[:0]
		return err
	}
	var err error
	for i := range groupOf {
		if fr.exclude == ExcludeNoOthers && fr.sameFrameAsPrevious(i) {
			continue
		}
		g := groupOf[i]
		fr.segments(i, func(from, to int32) {
			for _, r := range ff.rowsIn(from, to) {
				if err != nil {
					return
				}
				rows, gs = append(rows, r), append(gs, g)
				if len(rows) == restartChunk {
					err = flush()
				}
			}
		})
		if err != nil {
			return err
		}
	}
	return flush()
}

// The inverse transitions.

func (s *countState) remove(args []arrow.Array, rows, groups []int32) error {
	if s.star || args[0].NullN() == 0 {
		for _, g := range groups {
			s.n[g]--
		}
		return nil
	}
	v := validityOf(args[0])
	for k, i := range rows {
		if v.valid(int(i)) {
			s.n[groups[k]]--
		}
	}
	return nil
}

func (s *intSumState[T]) remove(args []arrow.Array, rows, groups []int32) error {
	vals := fixedValues[T](args[0])
	v := validityOf(args[0])
	for k, i := range rows {
		if v.valid(int(i)) {
			g := groups[k]
			s.sum[g] = s.sum[g].Sub(decimal128.FromI64(int64(vals[i])))
			s.count[g]--
		}
	}
	return nil
}

func (s *decSumState) remove(args []arrow.Array, rows, groups []int32) error {
	vals := fixedValues[decimal128.Num](args[0])
	v := validityOf(args[0])
	for k, i := range rows {
		if !v.valid(int(i)) {
			continue
		}
		g := groups[k]
		sum, ok := decSub(s.sum[g], vals[i])
		if !ok {
			return errNumericOverflow()
		}
		s.sum[g] = sum
		s.count[g]--
	}
	return nil
}
