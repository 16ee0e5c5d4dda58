package exec

import (
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// When is one WHEN cond THEN result arm of a CASE.
type When struct{ Cond, Then Expr }

// Case is a searched CASE (the planner rewrites the simple form to
// equalities). Arms are evaluated lazily: each condition sees only the
// rows no earlier arm claimed, and each result only the rows its
// condition chose, so `CASE WHEN x <> 0 THEN 1/x END` never divides by
// zero. elseExpr nil means ELSE NULL.
func Case(whens []When, elseExpr Expr, t catalog.Type) Expr {
	ws := make([]When, len(whens))
	for i, w := range whens {
		then, err := castTo(w.Then, t)
		if err != nil {
			return &failingExpr{t: t, err: err}
		}
		ws[i] = When{Cond: w.Cond, Then: then}
	}
	if elseExpr != nil {
		e, err := castTo(elseExpr, t)
		if err != nil {
			return &failingExpr{t: t, err: err}
		}
		elseExpr = e
	}
	return &caseExpr{whens: ws, elseExpr: elseExpr, t: t}
}

// castTo makes e produce exactly the column layout of t, so that results
// of several branches can be merged; the planner normally did it already.
func castTo(e Expr, t catalog.Type) (Expr, error) {
	et := e.Type()
	if et.Kind == t.Kind && et.Scale == t.Scale {
		return e, nil
	}
	if physicalOf(et) == physVarlen && physicalOf(t) == physVarlen && (et.Kind == catalog.Bytea) == (t.Kind == catalog.Bytea) &&
		(et.Kind == catalog.Numeric) == (t.Kind == catalog.Numeric) {
		return e, nil
	}
	if et.Kind == catalog.Unknown {
		if v, ok := literalValue(e); ok && v == nil {
			return Literal(nil, t), nil
		}
	}
	return Cast(e, t)
}

type caseExpr struct {
	whens    []When
	elseExpr Expr
	t        catalog.Type
}

func (c *caseExpr) Type() catalog.Type { return c.t }

func (c *caseExpr) Eval(ctx *Context, b *Batch) (arrow.Array, error) {
	parts := newBranchParts(b.Len)
	defer parts.release()
	remaining := rowsOf(b)
	for _, w := range c.whens {
		if len(remaining) == 0 {
			break
		}
		sub := &Batch{Cols: b.Cols, Len: b.Len, Sel: remaining}
		cond, err := w.Cond.Eval(ctx, sub)
		if err != nil {
			return nil, err
		}
		v := boolViewOf(cond)
		var chosen, rest []int32
		for _, i := range remaining {
			if v.valid(int(i)) && v.value(int(i)) {
				chosen = append(chosen, i)
			} else {
				rest = append(rest, i)
			}
		}
		cond.Release()
		remaining = rest
		if len(chosen) == 0 {
			continue
		}
		_, p, err := parts.eval(ctx, b, w.Then, chosen)
		if err != nil {
			return nil, err
		}
		parts.pickAll(chosen, p)
	}
	if c.elseExpr != nil && len(remaining) > 0 {
		_, p, err := parts.eval(ctx, b, c.elseExpr, remaining)
		if err != nil {
			return nil, err
		}
		parts.pickAll(remaining, p)
	}
	return parts.merge(ctx.Mem, c.t, b.Len), nil
}

// branchParts collects the columns that CASE and COALESCE evaluate on
// disjoint sets of rows, and for each row the part that holds its value
// (-1: none, the row is NULL).
type branchParts struct {
	pick  []int16
	parts []arrow.Array
}

func newBranchParts(n int) *branchParts { return &branchParts{pick: repeated[int16](n, -1)} }

// eval evaluates e on rows of b and keeps the result as part p.
func (bp *branchParts) eval(ctx *Context, b *Batch, e Expr, rows []int32) (arrow.Array, int16, error) {
	a, err := e.Eval(ctx, &Batch{Cols: b.Cols, Len: b.Len, Sel: rows})
	if err != nil {
		return nil, 0, err
	}
	bp.parts = append(bp.parts, a)
	return a, int16(len(bp.parts) - 1), nil
}

// pickAll makes part p the source of every row in rows.
func (bp *branchParts) pickAll(rows []int32, p int16) {
	for _, i := range rows {
		bp.pick[i] = p
	}
}

// merge builds the column of n rows, each taken from its part.
func (bp *branchParts) merge(mem memory.Allocator, t catalog.Type, n int) arrow.Array {
	if len(bp.parts) == 0 {
		return nullArray(mem, t, n)
	}
	return choose(mem, t, bp.parts, bp.pick)
}

func (bp *branchParts) release() { releaseAll(bp.parts) }

// Coalesce returns its first non-NULL argument, evaluating each argument
// only on the rows still NULL.
func Coalesce(args []Expr, t catalog.Type) Expr {
	cast := make([]Expr, len(args))
	for i, a := range args {
		c, err := castTo(a, t)
		if err != nil {
			return &failingExpr{t: t, err: err}
		}
		cast[i] = c
	}
	return &coalesceExpr{args: cast, t: t}
}

type coalesceExpr struct {
	args []Expr
	t    catalog.Type
}

func (c *coalesceExpr) Type() catalog.Type { return c.t }

func (c *coalesceExpr) Eval(ctx *Context, b *Batch) (arrow.Array, error) {
	parts := newBranchParts(b.Len)
	defer parts.release()
	remaining := rowsOf(b)
	for _, arg := range c.args {
		if len(remaining) == 0 {
			break
		}
		a, p, err := parts.eval(ctx, b, arg, remaining)
		if err != nil {
			return nil, err
		}
		v := validityOf(a)
		var rest []int32
		for _, i := range remaining {
			if v.valid(int(i)) {
				parts.pick[i] = p
			} else {
				rest = append(rest, i)
			}
		}
		remaining = rest
	}
	return parts.merge(ctx.Mem, c.t, b.Len), nil
}

// NullIf is NULLIF(a, b): NULL where a = b, else a.
func NullIf(a, b Expr) (Expr, error) {
	eq, err := Binary(OpEq, a, b)
	if err != nil {
		return nil, err
	}
	return Case([]When{{Cond: eq, Then: Literal(nil, a.Type())}}, a, a.Type()), nil
}

// InList is e IN (list...) (NOT IN with not). It is true if e equals an
// item, else NULL if e or any compared item is NULL, else false. A list
// of constants is hashed once and probed per batch; other lists expand
// to e = a OR e = b ...
func InList(e Expr, list []Expr, not bool) Expr {
	if len(list) == 0 {
		return Literal(not, catalog.TypeBool)
	}
	if set := newInSet(e, list, not); set != nil {
		return set
	}
	var eqs []Expr
	for _, item := range list {
		eq, err := Binary(OpEq, e, item)
		if err != nil {
			return &failingExpr{t: catalog.TypeBool, err: err}
		}
		eqs = append(eqs, eq)
	}
	var in Expr = Or(eqs...)
	if not {
		in = Not(in)
	}
	return in
}

// inSet is IN over a list of constants of e's type.
type inSet struct {
	e       Expr
	not     bool
	hasNull bool
	mu      sync.Mutex // the table's probe scratch is not shareable
	table   *hashTable
}

func newInSet(e Expr, list []Expr, not bool) *inSet {
	t := e.Type()
	var vals []catalog.Datum
	s := &inSet{e: e, not: not}
	for _, item := range list {
		v, ok := literalValue(item)
		if !ok || item.Type().Kind != t.Kind || item.Type().Scale != t.Scale {
			return nil
		}
		if v == nil {
			s.hasNull = true
			continue
		}
		vals = append(vals, v)
	}
	if len(vals) > 0 {
		arr, err := datumsToArray(goHeap, t, vals)
		if err != nil {
			return nil
		}
		defer arr.Release()
		s.table = newHashTable([]catalog.Type{t})
		ids := make([]int32, len(vals))
		s.table.find([]arrow.Array{arr}, identitySel(len(vals)), ids, true)
	}
	return s
}

func (s *inSet) Type() catalog.Type { return catalog.TypeBool }

func (s *inSet) Eval(ctx *Context, b *Batch) (arrow.Array, error) {
	x, err := s.e.Eval(ctx, b)
	if err != nil {
		return nil, err
	}
	defer x.Release()
	rows := rowsOf(b)
	ids := repeated[int32](len(rows), -1)
	if s.table != nil {
		s.mu.Lock()
		s.table.find([]arrow.Array{x}, rows, ids, false)
		s.mu.Unlock()
	}
	v := validityOf(x)
	out := newBoolBuilder(ctx.Mem, b.Len)
	for k, i := range rows {
		switch {
		case !v.valid(int(i)):
			out.setNull(int(i))
		case ids[k] >= 0:
			out.set(int(i), !s.not)
		case s.hasNull:
			out.setNull(int(i))
		default:
			out.set(int(i), s.not)
		}
	}
	return out.finish(), nil
}
