package exec

import (
	"fmt"
	"testing"

	"github.com/pqdb/pqdb/catalog"
)

// TestWindowFramesAgainstReference checks sum(v), count(*), first_value
// and last_value over ROWS, GROUPS and RANGE frames with every kind of
// bound and exclusion against a row-by-row reference, with sources and
// batches of 1 and 4 rows so that partitions, peer groups and frames
// cross batch boundaries. The running, sliding and restart ways of
// folding aggregates all run: frames from the partition start run, moving
// ones slide (sum and count remove rows), and with an exclusion restart.
func TestWindowFramesAgainstReference(t *testing.T) {
	const n = 90
	types := []catalog.Type{tI8, tI8, tI8, tI8}
	var rows [][]catalog.Datum
	for i := range n {
		var ord, v catalog.Datum = int64((i * 7) % 23 / 2), int64((i * 13) % 17)
		if i%11 == 3 {
			ord = nil
		}
		if i%9 == 4 {
			v = nil
		}
		rows = append(rows, []catalog.Datum{int64(i), int64(i % 3), ord, v})
	}
	id, part, ord, v := ColumnRef(0, tI8), ColumnRef(1, tI8), ColumnRef(2, tI8), ColumnRef(3, tI8)
	lit := func(x int64) Expr { return Literal(x, tI8) }
	bounds := []struct {
		k   FrameBound
		off int64
	}{{BoundUnboundedPreceding, 0}, {BoundPreceding, 2}, {BoundPreceding, 0}, {BoundCurrentRow, 0},
		{BoundFollowing, 1}, {BoundFollowing, 3}, {BoundUnboundedFollowing, 0}}
	for _, mode := range []FrameMode{FrameRows, FrameGroups, FrameRange} {
		for _, desc := range []bool{false, true} {
			for si, s := range bounds[:len(bounds)-1] {
				for _, e := range bounds[si:] {
					if e.k == BoundUnboundedPreceding || s.k == BoundCurrentRow && e.k == BoundPreceding ||
						s.k == BoundFollowing && (e.k == BoundPreceding || e.k == BoundCurrentRow) {
						continue
					}
					for _, ex := range []FrameExclusion{ExcludeNoOthers, ExcludeCurrentRow, ExcludeGroup, ExcludeTies} {
						fr := WindowFrame{Mode: mode, Start: s.k, End: e.k, Exclude: ex}
						if isOffset(s.k) {
							fr.StartOffset = lit(s.off)
						}
						if isOffset(e.k) {
							fr.EndOffset = lit(e.off)
						}
						keys := []SortKey{{Expr: ord, Desc: desc, NullsFirst: desc}}
						if mode == FrameRows {
							// ROWS frames depend on the order of peers: make it total.
							keys = append(keys, SortKey{Expr: id})
						}
						if mode == FrameRange && (isOffset(s.k) || isOffset(e.k)) {
							fr.RangeKey = ord
							move := func(k FrameBound, off int64) Expr {
								op := OpAdd
								if (k == BoundPreceding) != desc {
									op = OpSub
								}
								return must(Binary(op, ord, lit(off)))
							}
							if isOffset(s.k) {
								fr.StartBound = move(s.k, s.off)
							}
							if isOffset(e.k) {
								fr.EndBound = move(e.k, e.off)
							}
						}
						for _, per := range []int{1, 4} {
							name := fmt.Sprintf("%v/desc=%v/%v-%d..%v-%d/excl=%d/per=%d", mode, desc, s.k, s.off, e.k, e.off, ex, per)
							src := source(types, rows)
							src.per = per
							op := NewWindow(src, []Expr{part}, keys, []WindowExpr{
								{Func: WinAggregate, Agg: AggSum, Args: []Expr{v}, Type: catalog.TypeNumeric, Frame: fr},
								{Func: WinAggregate, Agg: AggCountStar, Type: tI8, Frame: fr},
								{Func: WinFirstValue, Args: []Expr{v}, Type: tI8, Frame: fr},
								{Func: WinLastValue, Args: []Expr{v}, Type: tI8, Frame: fr},
							})
							ctx := checkedCtx(t)
							ctx.BatchRows = per
							got, err := Collect(ctx, op)
							if err != nil {
								t.Fatalf("%s: %v", name, err)
							}
							checkFrames(t, name, rows, keys, fr, got)
						}
					}
				}
			}
		}
	}
}

func isOffset(k FrameBound) bool { return k == BoundPreceding || k == BoundFollowing }

// checkFrames compares the window's output (input columns, then sum,
// count, first_value, last_value) with frames computed row by row.
func checkFrames(t *testing.T, name string, rows [][]catalog.Datum, keys []SortKey, fr WindowFrame, got [][]catalog.Datum) {
	t.Helper()
	if len(got) != len(rows) {
		t.Fatalf("%s: %d rows, want %d", name, len(got), len(rows))
	}
	desc := keys[0].Desc
	ordOf := func(r []catalog.Datum) (int64, bool) {
		if r[2] == nil {
			return 0, false
		}
		return r[2].(int64), true
	}
	// got is in window order: partitions, then keys.
	for i := 0; i < len(got); {
		pe := i
		for pe < len(got) && got[pe][1] == got[i][1] {
			pe++
		}
		p := got[i:pe]
		// Peers are equal in every ORDER BY key (ROWS mode orders by id too).
		peer := func(a, b int) bool { return p[a][2] == p[b][2] && (fr.Mode != FrameRows || a == b) }
		group := make([]int, len(p))
		for r := 1; r < len(p); r++ {
			group[r] = group[r-1]
			if !peer(r-1, r) {
				group[r]++
			}
		}
		for r := range p {
			inFrame := func(q int) bool {
				var after, before bool // q is past the start / before the end
				switch fr.Mode {
				case FrameRows:
					after = boundHolds(fr.Start, fr.StartOffset, int64(q-r), true)
					before = boundHolds(fr.End, fr.EndOffset, int64(q-r), false)
				case FrameGroups:
					after = boundHolds(fr.Start, fr.StartOffset, int64(group[q]-group[r]), true)
					before = boundHolds(fr.End, fr.EndOffset, int64(group[q]-group[r]), false)
				default:
					cur, okc := ordOf(p[r])
					val, okq := ordOf(p[q])
					rel := func(k FrameBound, off Expr, isStart bool) bool {
						if !isOffset(k) {
							d := int64(group[q] - group[r])
							if k == BoundCurrentRow {
								if isStart {
									return d >= 0
								}
								return d <= 0
							}
							return boundHolds(k, off, d, isStart)
						}
						if !okc || !okq {
							// NULL keys: a NULL row's offset bounds are its
							// peers; a non-NULL row's never reach the NULLs,
							// which sort first or last.
							if !okc && !okq {
								return true
							}
							qAfter := okc != keys[0].NullsFirst
							return qAfter == isStart
						}
						d := val - cur
						if desc {
							d = -d
						}
						return boundHolds(k, off, d, isStart)
					}
					after, before = rel(fr.Start, fr.StartOffset, true), rel(fr.End, fr.EndOffset, false)
				}
				if !after || !before {
					return false
				}
				switch fr.Exclude {
				case ExcludeCurrentRow:
					return q != r
				case ExcludeGroup:
					return !peer(q, r)
				case ExcludeTies:
					return q == r || !peer(q, r)
				}
				return true
			}
			var sum, count int64
			seen := false
			var first, last catalog.Datum
			firstSet := false
			for q := range p {
				if !inFrame(q) {
					continue
				}
				count++
				if !firstSet {
					first, firstSet = p[q][3], true
				}
				last = p[q][3]
				if p[q][3] != nil {
					sum += p[q][3].(int64)
					seen = true
				}
			}
			wantSum := "NULL"
			if seen {
				wantSum = fmt.Sprint(sum)
			}
			gotSum := "NULL"
			if p[r][4] != nil {
				gotSum = formatText(catalog.TypeNumeric, p[r][4])
			}
			if gotSum != wantSum || p[r][5] != count || p[r][6] != first || p[r][7] != last {
				t.Fatalf("%s: row %v: got sum %s count %v first %v last %v, want %s %d %v %v",
					name, p[r][:4], gotSum, p[r][5], p[r][6], p[r][7], wantSum, count, first, last)
			}
		}
		i = pe
	}
}

// boundHolds reports whether a row at distance d (in rows, groups or key
// units, positive toward the end) is on the frame's side of a bound.
func boundHolds(k FrameBound, off Expr, d int64, isStart bool) bool {
	var o int64
	if off != nil {
		v, _ := literalValue(off)
		o = v.(int64)
	}
	var limit int64
	switch k {
	case BoundUnboundedPreceding:
		return isStart
	case BoundUnboundedFollowing:
		return !isStart
	case BoundCurrentRow:
		limit = 0
	case BoundPreceding:
		limit = -o
	case BoundFollowing:
		limit = o
	}
	if isStart {
		return d >= limit
	}
	return d <= limit
}
