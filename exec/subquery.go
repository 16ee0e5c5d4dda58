package exec

import (
	"errors"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// SubqueryMode is how a subquery's rows become a value.
type SubqueryMode uint8

const (
	// SubqueryScalar: the single value of the single row; NULL if no row;
	// 21000 if more than one.
	SubqueryScalar SubqueryMode = iota
	// SubqueryExists: whether the plan yields any row.
	SubqueryExists
	// SubqueryIn: probe IN (subquery).
	SubqueryIn
	// SubqueryAny: probe op ANY (subquery).
	SubqueryAny
	// SubqueryAll: probe op ALL (subquery).
	SubqueryAll
)

// Subquery evaluates plan as an expression. With no outerCols the plan is
// uncorrelated: it runs once per statement and its result is cached in
// the Context. Otherwise, for every active row, the row's outerCols
// values are pushed on ctx.Outer (read by OuterRef inside plan), the
// plan is re-opened and drained, and the values are popped again.
//
// IN, ANY and ALL follow SQL's NULL rules: no match but a NULL on either
// side gives NULL; an empty subquery gives false (IN, ANY) or true (ALL).
// An uncorrelated IN probes a hash table built once.
//
// With memoize (the plan calls nothing volatile, so equal outer values give
// equal results within a statement), a correlated subquery runs once per
// distinct tuple of outer values, as PostgreSQL's Memoize does.
func Subquery(mode SubqueryMode, plan Operator, probe Expr, op BinaryOp, outerCols []Expr, t catalog.Type, memoize bool) Expr {
	if mode == SubqueryIn {
		op = OpEq
	}
	if mode != SubqueryScalar {
		t = catalog.TypeBool
	}
	return &subqueryExpr{mode: mode, plan: plan, probe: probe, op: op, outerCols: outerCols, t: t, memoize: memoize}
}

// SharedSubquery is Subquery over shared, for one of the parallel
// pipelines of a plan that all evaluate one uncorrelated scalar, EXISTS
// or IN subquery (shared_subquery.go): the first pipeline to need its
// result runs the plan, once per statement, and the others wait for it.
// probe is IN's left operand, the pipeline's own (nil for the others).
func SharedSubquery(shared *SharedSubqueryPlan, mode SubqueryMode, probe Expr, t catalog.Type) (Expr, error) {
	switch mode {
	case SubqueryScalar, SubqueryExists, SubqueryIn:
	default:
		return nil, pgerr.New(pgerr.InternalError, "only scalar, EXISTS and IN subqueries can be shared by pipelines")
	}
	s := Subquery(mode, shared.plan, probe, OpEq, nil, t, false).(*subqueryExpr)
	s.shared = shared
	return s, nil
}

type subqueryExpr struct {
	mode      SubqueryMode
	plan      Operator
	probe     Expr
	op        BinaryOp
	outerCols []Expr
	t         catalog.Type
	memoize   bool
	// shared holds the result for pipelines that evaluate s at once
	// (SharedSubquery); nil keeps it in the Context. prober probes the
	// hash table of its result proberOf (IN) for this pipeline.
	shared   *SharedSubqueryPlan
	prober   *hashTable
	proberOf *subqueryResult
}

// subqueryResult is what one run of the plan produced.
type subqueryResult struct {
	rows   int
	scalar catalog.Datum
	values []catalog.Datum // IN/ANY/ALL, correlated or not
	// least and greatest of values, found once when an ordering
	// operator first needs them (haveRange).
	least, greatest catalog.Datum
	haveRange       bool
	table           *hashTable // uncorrelated IN: the non-NULL values
	hasNull         bool
}

func (s *subqueryExpr) Type() catalog.Type { return s.t }

var errStopDrain = errors.New("stop")

func (s *subqueryExpr) colType() catalog.Type {
	ts := s.plan.Types()
	if len(ts) == 0 {
		return catalog.TypeUnknown
	}
	return ts[0]
}

// run executes the plan once in the current outer context.
func (s *subqueryExpr) run(ctx *Context, hashed bool) (*subqueryResult, error) {
	res := &subqueryResult{}
	ct := s.colType()
	if hashed {
		res.table = newHashTable([]catalog.Type{ct})
	}
	var ids []int32
	err := Drain(ctx, s.plan, func(b *Batch) error {
		rows := rowsOf(b)
		res.rows += len(rows)
		switch s.mode {
		case SubqueryExists:
			return errStopDrain
		case SubqueryScalar:
			if res.rows > 1 {
				return pgerr.New(pgerr.CardinalityViolation, "more than one row returned by a subquery used as an expression")
			}
			res.scalar = datumAt(b.Cols[0], ct, int(rows[0]))
			return nil
		}
		col := b.Cols[0]
		v := validityOf(col)
		if hashed {
			nonNull := rows
			if v.bits != nil {
				nonNull = nil
				for _, i := range rows {
					if v.valid(int(i)) {
						nonNull = append(nonNull, i)
					} else {
						res.hasNull = true
					}
				}
			}
			ids = growTo(ids[:0], len(nonNull))
			res.table.find([]arrow.Array{col}, nonNull, ids, true)
			return nil
		}
		for _, i := range rows {
			d := datumAt(col, ct, int(i))
			if d == nil {
				res.hasNull = true
				continue
			}
			res.values = append(res.values, d)
		}
		return nil
	})
	if err != nil && err != errStopDrain {
		return nil, err
	}
	return res, nil
}

func (s *subqueryExpr) Eval(ctx *Context, b *Batch) (arrow.Array, error) {
	if s.shared == nil && len(s.outerCols) > 0 {
		return s.evalCorrelated(ctx, b)
	}
	res, table, err := s.uncorrelated(ctx)
	if err != nil {
		return nil, err
	}
	switch s.mode {
	case SubqueryScalar:
		return constantArray(ctx.Mem, s.t, res.scalar, b.Len)
	case SubqueryExists:
		return constantArray(ctx.Mem, s.t, res.rows > 0, b.Len)
	case SubqueryIn:
		return s.probeHashed(ctx, b, res, table)
	}
	return s.probeEach(ctx, b, func(int) *subqueryResult { return res })
}

// uncorrelated returns the result of an uncorrelated subquery for ctx's
// statement, running its plan the first time: shared by the pipelines
// (SharedSubquery), or kept in ctx. table is what an IN probes its hash
// table through: the table itself, or this pipeline's prober of a shared
// one.
func (s *subqueryExpr) uncorrelated(ctx *Context) (res *subqueryResult, table *hashTable, err error) {
	if s.shared != nil {
		if res, err = s.shared.result(ctx, s); err != nil {
			return nil, nil, err
		}
		if s.mode == SubqueryIn && s.proberOf != res {
			s.prober, s.proberOf = res.table.prober(), res
		}
		return res, s.prober, nil
	}
	res, ok := ctx.subqueryResults[s]
	if !ok {
		if res, err = s.run(ctx, s.mode == SubqueryIn); err != nil {
			return nil, nil, err
		}
		if ctx.subqueryResults == nil {
			ctx.subqueryResults = make(map[*subqueryExpr]*subqueryResult)
		}
		ctx.subqueryResults[s] = res
	}
	return res, res.table, nil
}

// probeHashed answers an uncorrelated IN for every active row at once,
// finding the values in res's table through table (itself, or a prober
// of it).
func (s *subqueryExpr) probeHashed(ctx *Context, b *Batch, res *subqueryResult, table *hashTable) (arrow.Array, error) {
	p, err := s.probe.Eval(ctx, b)
	if err != nil {
		return nil, err
	}
	defer p.Release()
	rows := rowsOf(b)
	ids := repeated[int32](len(rows), -1)
	if res.table.len() > 0 {
		table.find([]arrow.Array{p}, rows, ids, false)
	}
	pv := validityOf(p)
	out := newBoolBuilder(ctx.Mem, b.Len)
	for k, i := range rows {
		switch {
		case res.rows == 0:
			// x IN (empty) is false even for NULL x.
		case !pv.valid(int(i)):
			out.setNull(int(i))
		case ids[k] >= 0:
			out.set(int(i), true)
		case res.hasNull:
			out.setNull(int(i))
		}
	}
	return out.finish(), nil
}

// probeEach answers IN/ANY/ALL row by row against resultFor(row).
func (s *subqueryExpr) probeEach(ctx *Context, b *Batch, resultFor func(row int) *subqueryResult) (arrow.Array, error) {
	p, err := s.probe.Eval(ctx, b)
	if err != nil {
		return nil, err
	}
	defer p.Release()
	pt := s.probe.Type()
	out := newBoolBuilder(ctx.Mem, b.Len)
	all := s.mode == SubqueryAll
	for _, i := range rowsOf(b) {
		res := resultFor(int(i))
		if res.rows == 0 {
			out.set(int(i), all)
			continue
		}
		x := datumAt(p, pt, int(i))
		sawNull := res.hasNull || x == nil
		decided := false
		if x != nil {
			if bound, ok := res.orderingBound(s.op, all, pt); ok {
				// x < ANY (S) holds for some value exactly when it holds
				// for the greatest; x < ALL (S) fails for some value
				// exactly when it fails for the least (and so on).
				decided = opHolds(s.op, compareDatums(pt, x, bound)) != all
			} else {
				for _, v := range res.values {
					if opHolds(s.op, compareDatums(pt, x, v)) != all {
						decided = true
						break
					}
				}
			}
		}
		switch {
		case decided:
			out.set(int(i), !all)
		case sawNull:
			out.setNull(int(i))
		default:
			out.set(int(i), all)
		}
	}
	return out.finish(), nil
}

// orderingBound is the one value of res that decides op ANY (all false)
// or op ALL (all true) for an ordering operator: the greatest for < and
// <= ANY and for > and >= ALL, the least for the others. It reports false
// for = and <>, and when res has no non-NULL value.
func (res *subqueryResult) orderingBound(op BinaryOp, all bool, t catalog.Type) (catalog.Datum, bool) {
	var greatest bool
	switch op {
	case OpLt, OpLe:
		greatest = !all
	case OpGt, OpGe:
		greatest = all
	default:
		return nil, false
	}
	if len(res.values) == 0 {
		return nil, false
	}
	if !res.haveRange {
		res.least, res.greatest = res.values[0], res.values[0]
		for _, v := range res.values[1:] {
			if compareDatums(t, v, res.least) < 0 {
				res.least = v
			}
			if compareDatums(t, v, res.greatest) > 0 {
				res.greatest = v
			}
		}
		res.haveRange = true
	}
	if greatest {
		return res.greatest, true
	}
	return res.least, true
}

func (s *subqueryExpr) evalCorrelated(ctx *Context, b *Batch) (arrow.Array, error) {
	outer, err := evalAll(ctx, s.outerCols, b)
	if err != nil {
		return nil, err
	}
	defer releaseAll(outer)
	otypes := typesOf(s.outerCols)
	results := make(map[int]*subqueryResult, b.NumRows())
	for _, i := range rowsOf(b) {
		row := make([]any, len(outer))
		for c, col := range outer {
			row[c] = datumAt(col, otypes[c], int(i))
		}
		res, err := s.runFor(ctx, row)
		if err != nil {
			return nil, err
		}
		results[int(i)] = res
	}
	switch s.mode {
	case SubqueryScalar, SubqueryExists:
		vals := make([]catalog.Datum, b.Len)
		for i, res := range results {
			if s.mode == SubqueryScalar {
				vals[i] = res.scalar
			} else {
				vals[i] = res.rows > 0
			}
		}
		return datumsToArray(ctx.Mem, s.t, vals)
	}
	return s.probeEach(ctx, b, func(i int) *subqueryResult { return results[i] })
}
