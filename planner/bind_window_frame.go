package planner

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
)

// Window frames: the binding of a frame clause (ROWS / RANGE / GROUPS,
// its bounds and EXCLUDE) into a FrameSpec and the expressions exec's
// WindowFrame needs.
//
// A frame's expressions live at the end of its WindowCall's Args (after
// the FILTER condition), so that every rule that maps a node's
// expressions maps them too: the offsets of n PRECEDING / n FOLLOWING,
// then, in RANGE mode with an offset, the ORDER BY key in the type the
// bounds compare in and the bounds themselves (the key moved by the
// offset toward the frame's start or end in the sort order). The bounds
// are computed with the type's own arithmetic (date - interval is a
// timestamp; integers that could overflow widen to bigint or numeric, so
// that a bound beyond the type's range orders as PostgreSQL's in_range
// says: before or after every row), which lets exec find every frame
// edge by one binary search in the sort order.

// Frame option bits of a WindowDef (PostgreSQL's parsenodes.h).
const (
	frameNonDefault              = 0x00001
	frameRange                   = 0x00002
	frameRows                    = 0x00004
	frameGroups                  = 0x00008
	frameBetween                 = 0x00010
	frameStartUnboundedPreceding = 0x00020
	frameEndUnboundedPreceding   = 0x00040
	frameStartUnboundedFollowing = 0x00080
	frameEndUnboundedFollowing   = 0x00100
	frameStartCurrentRow         = 0x00200
	frameEndCurrentRow           = 0x00400
	frameStartOffsetPreceding    = 0x00800
	frameEndOffsetPreceding      = 0x01000
	frameStartOffsetFollowing    = 0x02000
	frameEndOffsetFollowing      = 0x04000
	frameExcludeCurrentRow       = 0x08000
	frameExcludeGroup            = 0x10000
	frameExcludeTies             = 0x20000
	frameStartOffset             = frameStartOffsetPreceding | frameStartOffsetFollowing
	frameEndOffset               = frameEndOffsetPreceding | frameEndOffsetFollowing
	frameExclusion               = frameExcludeCurrentRow | frameExcludeGroup | frameExcludeTies
)

// FrameSpec is a window call's frame clause. Its zero value (an end of
// UNBOUNDED PRECEDING, which no frame has) is the default frame, RANGE
// BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW.
type FrameSpec struct {
	Mode       exec.FrameMode
	Start, End exec.FrameBound
	Exclude    exec.FrameExclusion
}

func isOffsetBound(k exec.FrameBound) bool {
	return k == exec.BoundPreceding || k == exec.BoundFollowing
}

func (f FrameSpec) isDefault() bool { return f.End == exec.BoundUnboundedPreceding }

// exprCount is how many expressions of the call's Args are the frame's.
func (f FrameSpec) exprCount() int {
	n := 0
	for _, k := range []exec.FrameBound{f.Start, f.End} {
		if isOffsetBound(k) {
			n++
		}
	}
	if f.Mode == exec.FrameRange && n > 0 {
		n = 2*n + 1
	}
	return n
}

// exec is the frame exprs (the frame's expressions, lowered) describe.
func (f FrameSpec) exec(exprs []exec.Expr) exec.WindowFrame {
	if f.isDefault() {
		return exec.DefaultFrame
	}
	out := exec.WindowFrame{Mode: f.Mode, Start: f.Start, End: f.End, Exclude: f.Exclude}
	next := func() exec.Expr {
		e := exprs[0]
		exprs = exprs[1:]
		return e
	}
	if isOffsetBound(f.Start) {
		out.StartOffset = next()
	}
	if isOffsetBound(f.End) {
		out.EndOffset = next()
	}
	if len(exprs) > 0 {
		out.RangeKey = next()
		if isOffsetBound(f.Start) {
			out.StartBound = next()
		}
		if isOffsetBound(f.End) {
			out.EndBound = next()
		}
	}
	return out
}

var frameModeNames = map[exec.FrameMode]string{exec.FrameRange: "RANGE", exec.FrameRows: "ROWS", exec.FrameGroups: "GROUPS"}

// text is the frame clause as EXPLAIN shows it, with the offsets.
func (f FrameSpec) text(exprs []Expr) string {
	bound := func(k exec.FrameBound) string {
		switch k {
		case exec.BoundUnboundedPreceding:
			return "UNBOUNDED PRECEDING"
		case exec.BoundUnboundedFollowing:
			return "UNBOUNDED FOLLOWING"
		case exec.BoundCurrentRow:
			return "CURRENT ROW"
		}
		e := exprs[0]
		exprs = exprs[1:]
		if k == exec.BoundPreceding {
			return e.String() + " PRECEDING"
		}
		return e.String() + " FOLLOWING"
	}
	s := frameModeNames[f.Mode] + " BETWEEN " + bound(f.Start)
	s += " AND " + bound(f.End)
	switch f.Exclude {
	case exec.ExcludeCurrentRow:
		s += " EXCLUDE CURRENT ROW"
	case exec.ExcludeGroup:
		s += " EXCLUDE GROUP"
	case exec.ExcludeTies:
		s += " EXCLUDE TIES"
	}
	return s
}

// bindFrame binds a window's frame clause; order is its bound ORDER BY.
// It returns the frame and its expressions (see FrameSpec.exprCount).
func (b *binder) bindFrame(spec windowSpec, order []SortKey, sc *scope) (FrameSpec, []Expr, error) {
	opts := spec.frame
	if opts&frameNonDefault == 0 {
		return FrameSpec{}, nil, nil
	}
	var f FrameSpec
	ctx := ctxFrameRange
	switch {
	case opts&frameRows != 0:
		f.Mode, ctx = exec.FrameRows, ctxFrameRows
	case opts&frameGroups != 0:
		f.Mode, ctx = exec.FrameGroups, ctxFrameGroups
		if len(spec.order) == 0 {
			return f, nil, b.errAt(pgerr.WindowingError, spec.loc, "GROUPS mode requires an ORDER BY clause")
		}
	}
	if f.Mode == exec.FrameRange && opts&(frameStartOffset|frameEndOffset) != 0 && len(spec.order) != 1 {
		return f, nil, b.errAt(pgerr.WindowingError, spec.loc, "RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column")
	}
	switch {
	case opts&frameStartUnboundedPreceding != 0:
		f.Start = exec.BoundUnboundedPreceding
	case opts&frameStartCurrentRow != 0:
		f.Start = exec.BoundCurrentRow
	case opts&frameStartOffsetPreceding != 0:
		f.Start = exec.BoundPreceding
	case opts&frameStartOffsetFollowing != 0:
		f.Start = exec.BoundFollowing
	default:
		return f, nil, pgerr.New(pgerr.InternalError, "unexpected frame start options %#x", opts)
	}
	switch {
	case opts&frameEndUnboundedFollowing != 0:
		f.End = exec.BoundUnboundedFollowing
	case opts&frameEndCurrentRow != 0:
		f.End = exec.BoundCurrentRow
	case opts&frameEndOffsetPreceding != 0:
		f.End = exec.BoundPreceding
	case opts&frameEndOffsetFollowing != 0:
		f.End = exec.BoundFollowing
	default:
		return f, nil, pgerr.New(pgerr.InternalError, "unexpected frame end options %#x", opts)
	}
	switch {
	case opts&frameExcludeCurrentRow != 0:
		f.Exclude = exec.ExcludeCurrentRow
	case opts&frameExcludeGroup != 0:
		f.Exclude = exec.ExcludeGroup
	case opts&frameExcludeTies != 0:
		f.Exclude = exec.ExcludeTies
	}
	if f == (FrameSpec{Mode: exec.FrameRange, Start: exec.BoundUnboundedPreceding, End: exec.BoundCurrentRow}) {
		// The default frame spelled out: the same call as without it.
		return FrameSpec{}, nil, nil
	}
	var offsets []Expr
	for _, o := range []struct {
		k exec.FrameBound
		n *pg_query.Node
	}{{f.Start, spec.startOffset}, {f.End, spec.endOffset}} {
		if !isOffsetBound(o.k) {
			continue
		}
		e, err := b.bindFrameOffset(o.n, f.Mode, order, sc, ctx)
		if err != nil {
			return f, nil, err
		}
		offsets = append(offsets, e)
	}
	if f.Mode != exec.FrameRange || len(offsets) == 0 {
		return f, offsets, nil
	}
	// RANGE: the key in the bounds' type, then the bounds.
	key := order[0]
	var bounds []Expr
	off := offsets
	for _, k := range []exec.FrameBound{f.Start, f.End} {
		if !isOffsetBound(k) {
			continue
		}
		op := "+"
		if (k == exec.BoundPreceding) != key.Desc {
			op = "-"
		}
		bound, err := b.operator(op, widenRangeKey(key.Expr, off[0].Type()), off[0], spec.loc)
		if err != nil {
			return f, nil, err
		}
		off = off[1:]
		bounds = append(bounds, bound)
	}
	rangeKey := key.Expr
	if t := bounds[0].Type(); rangeKey.Type() != t {
		rangeKey = &CastExpr{Arg: rangeKey, T: t}
	}
	for i, bd := range bounds {
		if bd.Type() != rangeKey.Type() {
			bounds[i] = &CastExpr{Arg: bd, T: rangeKey.Type()}
		}
	}
	return f, append(append(offsets, rangeKey), bounds...), nil
}

// widenRangeKey is an integer ORDER BY key in a type where adding the
// offset cannot overflow: bigint for smaller keys and offsets, numeric
// for a bigint one. A bound beyond the key type's range then still sorts
// before or after every row, as PostgreSQL's in_range treats overflow.
func widenRangeKey(key Expr, offType catalog.Type) Expr {
	k := key.Type().Kind
	if k != catalog.Int2 && k != catalog.Int4 && k != catalog.Int8 {
		return key
	}
	if k == catalog.Int8 || offType.Kind == catalog.Int8 {
		return &CastExpr{Arg: key, T: catalog.TypeNumeric}
	}
	return &CastExpr{Arg: key, T: catalog.TypeInt8}
}

// inRangeOffsetTypes are the offset types of PostgreSQL 15's in_range
// support functions for each ORDER BY type (in pg_amproc order).
var inRangeOffsetTypes = map[catalog.Kind][]catalog.Type{
	catalog.Int2:        {catalog.TypeInt8, catalog.TypeInt4, catalog.TypeInt2},
	catalog.Int4:        {catalog.TypeInt8, catalog.TypeInt4, catalog.TypeInt2},
	catalog.Int8:        {catalog.TypeInt8},
	catalog.Numeric:     {catalog.TypeNumeric},
	catalog.Float4:      {catalog.TypeFloat8},
	catalog.Float8:      {catalog.TypeFloat8},
	catalog.Date:        {catalog.TypeInterval},
	catalog.Timestamp:   {catalog.TypeInterval},
	catalog.TimestampTZ: {catalog.TypeInterval},
	catalog.Interval:    {catalog.TypeInterval},
}

// bindFrameOffset binds the n of n PRECEDING / FOLLOWING: a bigint in
// ROWS and GROUPS mode; in RANGE mode the offset type of the in_range
// function PostgreSQL picks for the ORDER BY type (transformFrameOffset).
func (b *binder) bindFrameOffset(n *pg_query.Node, mode exec.FrameMode, order []SortKey, sc *scope, ctx exprContext) (Expr, error) {
	e, err := b.bindExpr(n, sc, ctx)
	if err != nil {
		return nil, err
	}
	loc := exprLocation(n, -1)
	if contains[*ColRef](e) {
		return nil, b.errAt(pgerr.InvalidColumnReference, loc, "argument of %s must not contain variables", frameModeNames[mode])
	}
	if mode != exec.FrameRange {
		t := e.Type()
		if t.Kind != catalog.Unknown && t.Kind != catalog.Int8 && numericRank[t.Kind] == 0 {
			return nil, b.errAt(pgerr.DatatypeMismatch, loc, "argument of %s must be type bigint, not type %s", frameModeNames[mode], noTypmod(t))
		}
		return b.assign(e, catalog.TypeInt8)
	}
	keyType := order[0].Expr.Type()
	candidates := inRangeOffsetTypes[keyType.Kind]
	if keyType.Kind == catalog.Time {
		// PostgreSQL's in_range for time adds the offset without the
		// wraparound of time + interval; pqdb has no such arithmetic.
		return nil, b.errAt(pgerr.FeatureNotSupported, loc, "RANGE with offset PRECEDING/FOLLOWING over a time column is not supported")
	}
	if len(candidates) == 0 {
		name := noTypmod(keyType).String()
		if keyType.Kind == catalog.Enum {
			name = "anyenum" // the type of the enum operator class, as PostgreSQL names it
		}
		return nil, b.errAt(pgerr.FeatureNotSupported, loc, "RANGE with offset PRECEDING/FOLLOWING is not supported for column type %s", name)
	}
	nodeType := e.Type()
	preferred := nodeType
	if nodeType.Kind == catalog.Unknown {
		preferred = keyType
	}
	var selected catalog.Type
	matches := 0
	for _, c := range candidates {
		if nodeType.Kind != catalog.Unknown && !canCoerceImplicitly(nodeType.Kind, c.Kind) {
			continue
		}
		matches++
		if selected.Kind != preferred.Kind {
			selected = c
		}
	}
	if matches == 0 {
		err := b.errAt(pgerr.FeatureNotSupported, loc, "RANGE with offset PRECEDING/FOLLOWING is not supported for column type %s and offset type %s", noTypmod(keyType), noTypmod(nodeType))
		err.Hint = "Cast the offset value to an appropriate type."
		return nil, err
	}
	if matches > 1 && selected.Kind != preferred.Kind {
		err := b.errAt(pgerr.FeatureNotSupported, loc, "RANGE with offset PRECEDING/FOLLOWING has multiple interpretations for column type %s and offset type %s", noTypmod(keyType), noTypmod(nodeType))
		err.Hint = "Cast the offset value to the exact intended type."
		return nil, err
	}
	return b.coerce(e, selected, loc)
}

// frameClauseText is the frame clause of a call for its String.
func (c *WindowCall) frameClauseText() string {
	if c.Frame.isDefault() {
		return ""
	}
	exprs := c.Args[len(c.Args)-c.Frame.exprCount():]
	return strings.TrimSpace(c.Frame.text(exprs))
}
