package planner

import (
	"context"
	"runtime"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/storage"
)

// topNMax is the largest LIMIT+OFFSET sorted with a bounded heap instead
// of a full sort.
const topNMax = 1 << 16

// Lower turns a logical plan into exec operators, binding parameter
// values. cat provides the scans; opts are the session's settings for
// how the plan runs.
func Lower(n Node, cat Catalog, params []catalog.Datum, opts LowerOptions) (exec.Operator, error) {
	l := &lowerer{cat: cat, params: params, opts: opts}
	return l.node(n)
}

// LowerOptions are the session settings that choose how a plan runs.
// They never change what it computes, which is what lets a differential
// test vary them. (The batch size is not here: it is the exec.Context's,
// read when the plan runs.)
type LowerOptions struct {
	// ParallelWorkers is max_parallel_workers_per_gather: a parallel
	// aggregate runs ParallelWorkers+1 pipelines (the leader's share
	// counted, as in PostgreSQL); 0 plans nothing in parallel.
	ParallelWorkers int
	// ParallelMinRows (pqdb.parallel_min_rows) is the smallest table
	// aggregated in parallel; tests set 0 to run parallel plans on small
	// tables.
	ParallelMinRows int64
	// NoIndexScan (enable_indexscan = off) reads tables without their
	// secondary indexes (index_scan.go).
	NoIndexScan bool
	// System reads the tables of pg_catalog and information_schema.
	System SystemCatalog
	// Written holds the rows a data-modifying statement wrote, read by
	// a Written leaf (its RETURNING list).
	Written []arrow.Record
	// LockRows locks rows for SELECT ... FOR UPDATE/SHARE in the
	// session's transaction; nil where the statement cannot lock rows.
	LockRows func(ctx context.Context, t *catalog.Table, ids []int64, mode storage.RowLockMode, wait storage.RowLockWait, keep []bool) error
	// Modified holds the RETURNING rows of a statement's data-modifying
	// WITH queries, by index, read by ModifiedRows leaves when they run
	// (the slice may be filled in after lowering).
	Modified [][]arrow.Record
}

// DefaultLowerOptions are the settings of a session that changed none:
// one pipeline per CPU for tables of 128k rows or more.
func DefaultLowerOptions() LowerOptions {
	return LowerOptions{ParallelWorkers: max(runtime.GOMAXPROCS(0)-1, 0), ParallelMinRows: 1 << 17}
}

// LowerExprs lowers expressions (over no input) with parameter values.
func LowerExprs(es []Expr, params []catalog.Datum) ([]exec.Expr, error) {
	l := &lowerer{params: params}
	out := make([]exec.Expr, len(es))
	for i, e := range es {
		x, err := l.expr(e)
		if err != nil {
			return nil, err
		}
		out[i] = x
	}
	return out, nil
}

type lowerer struct {
	cat    Catalog
	params []catalog.Datum
	opts   LowerOptions
	// partition, while a parallel pipeline is lowered, reads its scan
	// from one partition instead of the whole table.
	partition *scanPartition
	// inSubquery counts the subquery plans being lowered around the
	// current node: their plans re-open for every outer row.
	inSubquery int
	// inRecursive counts the recursive terms being lowered around the
	// current node: they re-open for every iteration. ctes holds the
	// shared evaluation of each recursive WITH query lowered so far and
	// workTables the working table of each recursive union being
	// lowered, by ID (lower_recursive.go).
	inRecursive int
	ctes        map[int64]*exec.CTE
	workTables  map[int64]*exec.WorkTable
	// explain, when the plan is lowered for EXPLAIN, records what each
	// node lowered to (explain.go).
	explain *explainer
	// runtime holds the runtime filters of the scans under hash joins
	// (runtime_filter.go).
	runtime map[*Scan][]scanFilter
	// rebinding lowers a plan whose runs bind their own parameter
	// values and snapshot (lower_rebind.go).
	rebinding bool
	// inFallback, while a serial fallback is lowered (serialFallback),
	// lowers the chains gatherInput would run in pipelines serially:
	// each would lower a fallback of its own, doubling the lowering at
	// every build nested in a build.
	inFallback bool
}

func (l *lowerer) exprs(es []Expr) ([]exec.Expr, error) {
	out := make([]exec.Expr, len(es))
	for i, e := range es {
		x, err := l.expr(e)
		if err != nil {
			return nil, err
		}
		out[i] = x
	}
	return out, nil
}

func (l *lowerer) pair(x, y Expr) (exec.Expr, exec.Expr, error) {
	a, err := l.expr(x)
	if err != nil {
		return nil, nil, err
	}
	b, err := l.expr(y)
	if err != nil {
		return nil, nil, err
	}
	return a, b, nil
}

func (l *lowerer) expr(e Expr) (exec.Expr, error) {
	switch x := e.(type) {
	case *ColRef:
		return exec.ColumnRef(x.Index, x.T), nil
	case *Const:
		return exec.Literal(x.Value, x.T), nil
	case *Param:
		if x.Index >= len(l.params) {
			return nil, pgerr.New(pgerr.UndefinedParameter, "there is no parameter $%d", x.Index+1)
		}
		if l.rebinding {
			return l.reboundParam(x.Index, x.T), nil
		}
		return exec.Literal(l.params[x.Index], x.T), nil
	case *OuterRef:
		return exec.OuterRef(0, x.Index, x.T), nil
	case *BinExpr:
		a, b, err := l.pair(x.L, x.R)
		if err != nil {
			return nil, err
		}
		if e, ok, err := l.enumComparison(x.Op, a, b); ok {
			return e, err
		}
		return exec.Binary(x.Op, a, b)
	case *BoolExpr:
		args, err := l.exprs(x.Args)
		if err != nil {
			return nil, err
		}
		if x.And {
			return exec.And(args...), nil
		}
		return exec.Or(args...), nil
	case *NotExpr:
		a, err := l.expr(x.Arg)
		if err != nil {
			return nil, err
		}
		return exec.Not(a), nil
	case *NegExpr:
		a, err := l.expr(x.Arg)
		if err != nil {
			return nil, err
		}
		return exec.Negate(a)
	case *NullTest:
		a, err := l.expr(x.Arg)
		if err != nil {
			return nil, err
		}
		if x.Datum {
			return exec.DatumIsNull(a, x.Not), nil
		}
		if x.Not {
			return exec.IsNotNull(a), nil
		}
		return exec.IsNull(a), nil
	case *DistinctFrom:
		a, b, err := l.pair(x.L, x.R)
		if err != nil {
			return nil, err
		}
		return exec.IsDistinctFrom(a, b, x.Not), nil
	case *FuncExpr:
		args, err := l.exprs(x.Args)
		if err != nil {
			return nil, err
		}
		if x.T.Kind == catalog.Enum && (x.Name == "greatest" || x.Name == "least") {
			return l.enumExtremum(x.Name, args, x.T)
		}
		if x.Name == "enum_range" && x.T.HasEnum() {
			return l.enumRange(args, x.T)
		}
		return exec.Func(x.Name, args)
	case *HostCall:
		args, err := l.exprs(x.Args)
		if err != nil {
			return nil, err
		}
		return exec.NewHostFunc(x.Fn, args, x.T), nil
	case *CastExpr:
		a, err := l.expr(x.Arg)
		if err != nil {
			return nil, err
		}
		if x.T.HasEnum() && !a.Type().HasEnum() {
			return l.enumInput(a, x.T)
		}
		if x.Assign {
			return exec.CastAssign(a, x.T)
		}
		return exec.Cast(a, x.T)
	case *DomainCheck:
		a, err := l.expr(x.Arg)
		if err != nil {
			return nil, err
		}
		return x.lower(l, a)
	case *CaseExpr:
		whens := make([]exec.When, len(x.Whens))
		for i, w := range x.Whens {
			c, err := l.expr(w.Cond)
			if err != nil {
				return nil, err
			}
			t, err := l.expr(w.Then)
			if err != nil {
				return nil, err
			}
			whens[i] = exec.When{Cond: c, Then: t}
		}
		var els exec.Expr
		if x.Else != nil {
			var err error
			if els, err = l.expr(x.Else); err != nil {
				return nil, err
			}
		}
		return exec.Case(whens, els, x.T), nil
	case *CoalesceExpr:
		args, err := l.exprs(x.Args)
		if err != nil {
			return nil, err
		}
		return exec.Coalesce(args, x.T), nil
	case *RowExpr:
		return l.row(x)
	case *FieldSelect:
		a, err := l.expr(x.Arg)
		if err != nil {
			return nil, err
		}
		return exec.RecordField(a, x.Index), nil
	case *NullIfExpr:
		a, b, err := l.pair(x.L, x.R)
		if err != nil {
			return nil, err
		}
		e, err := exec.NullIf(a, b)
		if err != nil || e.Type() == x.T {
			return e, err
		}
		return exec.Cast(e, x.T)
	case *InList:
		a, err := l.expr(x.Arg)
		if err != nil {
			return nil, err
		}
		list, err := l.exprs(x.List)
		if err != nil {
			return nil, err
		}
		return exec.InList(a, list, x.Not), nil
	case *SubqueryExpr:
		if l.partition != nil {
			// Of a parallel plan's pipelines (parallelSafe checked it).
			return l.sharedSubquery(x)
		}
		plan, err := l.subqueryPlan(x)
		if err != nil {
			return nil, err
		}
		var probe exec.Expr
		if x.Probe != nil {
			if probe, err = l.expr(x.Probe); err != nil {
				return nil, err
			}
			if plan, probe, err = l.enumQuantified(x.Op, plan, probe); err != nil {
				return nil, err
			}
		}
		outer, err := l.exprs(x.OuterCols)
		if err != nil {
			return nil, err
		}
		return exec.Subquery(x.Mode, plan, probe, x.Op, outer, x.T, !planVolatile(x.Plan)), nil
	}
	return nil, pgerr.New(pgerr.InternalError, "cannot lower expression %T", e)
}

// subqueryPlan lowers the plan of subquery x, labelled as the next
// SubPlan in EXPLAIN.
func (l *lowerer) subqueryPlan(x *SubqueryExpr) (exec.Operator, error) {
	l.inSubquery++
	defer func() { l.inSubquery-- }()
	l.nextSubPlan()
	return l.node(x.Plan)
}

func (l *lowerer) node(n Node) (exec.Operator, error) {
	return l.lowered(n, func() (exec.Operator, error) { return l.lowerNode(n) })
}

func (l *lowerer) lowerNode(n Node) (exec.Operator, error) {
	switch x := n.(type) {
	case *Scan:
		return l.scan(x)
	case *Written:
		recs := l.opts.Written
		return exec.NewScan(x.Types(), func(*exec.Context) (exec.RecordSource, error) {
			return &recordList{recs: recs}, nil
		}), nil
	case *ModifiedRows:
		// Read when the scan opens: EXPLAIN ANALYZE lowers the whole
		// statement before its data-modifying queries run.
		modified := l.opts.Modified
		return exec.NewScan(x.Types(), func(*exec.Context) (exec.RecordSource, error) {
			var recs []arrow.Record // none when only explained
			if x.Index < len(modified) {
				recs = modified[x.Index]
			}
			return &recordList{recs: recs}, nil
		}), nil
	case *Values:
		rows := make([][]exec.Expr, len(x.Rows))
		for i, r := range x.Rows {
			var err error
			if rows[i], err = l.exprs(r); err != nil {
				return nil, err
			}
		}
		return exec.NewValues(rows, x.Typs), nil
	case *Filter:
		in, err := l.node(x.Input)
		if err != nil {
			return nil, err
		}
		p, err := l.expr(x.Pred)
		if err != nil {
			return nil, err
		}
		return exec.NewFilter(in, p), nil
	case *Project:
		in, err := l.node(x.Input)
		if err != nil {
			return nil, err
		}
		es, err := l.exprs(x.Exprs)
		if err != nil {
			return nil, err
		}
		return exec.NewProject(in, es), nil
	case *Aggregate:
		if op, ok, err := l.parallelAggregate(x); ok || err != nil {
			return op, err
		}
		in, err := l.aggregateInput(x)
		if err != nil {
			return nil, err
		}
		groups, aggs, err := l.aggregates(x)
		if err != nil {
			return nil, err
		}
		return exec.NewHashAggregate(in, groups, aggs), nil
	case *Join:
		return l.join(x)
	case *LateralJoin:
		return l.lateralJoin(x)
	case *Sort:
		if op, ok, err := l.parallelSort(x); ok || err != nil {
			return op, err
		}
		in, err := l.node(x.Input)
		if err != nil {
			return nil, err
		}
		keys, err := l.sortKeys(x.Keys)
		if err != nil {
			return nil, err
		}
		return exec.NewSort(in, keys), nil
	case *Limit:
		return l.limit(x)
	case *LockRows:
		return l.lockRows(x, -1)
	case *Distinct:
		in, err := l.node(x.Input)
		if err != nil {
			return nil, err
		}
		return exec.NewDistinct(in), nil
	case *ProjectSet:
		in, err := l.node(x.Input)
		if err != nil {
			return nil, err
		}
		funcs := make([]*exec.SetFunc, len(x.Funcs))
		for i, f := range x.Funcs {
			args, err := l.exprs(f.Args)
			if err == nil {
				switch {
				case f.Scalar:
					funcs[i] = exec.ScalarSet(args[0])
				case f.Fields != nil:
					funcs[i], err = exec.NewRecordSetFunc(f.Name, args, f.Fields)
				case f.Expand:
					if funcs[i], err = exec.NewSetFunc(f.Name, args); err == nil {
						funcs[i] = exec.RecordSetFields(funcs[i])
					}
				default:
					funcs[i], err = exec.NewSetFunc(f.Name, args)
				}
			}
			if err != nil {
				in.Close()
				return nil, err
			}
		}
		return exec.NewProjectSet(in, funcs, x.Ordinality), nil
	case *Window:
		return l.window(x)
	case *SetOp:
		left, err := l.node(x.Left)
		if err != nil {
			return nil, err
		}
		right, err := l.node(x.Right)
		if err != nil {
			return nil, err
		}
		switch x.Kind {
		case SetIntersect:
			return exec.NewSetOp(exec.SetIntersect, left, right, x.All), nil
		case SetExcept:
			return exec.NewSetOp(exec.SetExcept, left, right, x.All), nil
		}
		return exec.NewUnion([]exec.Operator{left, right}, x.All), nil
	case *CTEScan:
		return l.cteScan(x)
	case *RecursiveUnion:
		return l.recursiveUnion(x)
	case *WorkTableScan:
		return l.workTableScan(x)
	}
	return nil, pgerr.New(pgerr.InternalError, "cannot lower plan node %T", n)
}

func (l *lowerer) sortKeys(keys []SortKey) ([]exec.SortKey, error) {
	out := make([]exec.SortKey, len(keys))
	for i, k := range keys {
		e, err := l.expr(k.Expr)
		if err == nil {
			e, err = l.enumOrdered(e)
		}
		if err != nil {
			return nil, err
		}
		out[i] = exec.SortKey{Expr: e, Desc: k.Desc, NullsFirst: k.NullsFirst}
	}
	return out, nil
}

// limitValue evaluates a LIMIT/OFFSET expression; -1 means none.
func (l *lowerer) limitValue(e Expr, what string) (int64, error) {
	if e == nil {
		return -1, nil
	}
	x, err := l.expr(e)
	if err != nil {
		return 0, err
	}
	v, err := evalLowered(x)
	if err != nil {
		return 0, err
	}
	if v == nil {
		return -1, nil
	}
	n := v.(int64)
	if n < 0 {
		if what == "LIMIT" {
			return 0, pgerr.New(pgerr.InvalidRowCountInLimitClause, "LIMIT must not be negative")
		}
		return 0, pgerr.New(pgerr.InvalidRowCountInResultOffsetClause, "OFFSET must not be negative")
	}
	return n, nil
}

func (l *lowerer) limit(x *Limit) (exec.Operator, error) {
	if readsOuterRef(x.Count) || readsOuterRef(x.Offset) {
		return l.limitOf(x)
	}
	count, err := l.limitValue(x.Count, "LIMIT")
	if err != nil {
		return nil, err
	}
	if x.WithTies {
		return l.limitWithTies(x, count)
	}
	offset, err := l.limitValue(x.Offset, "OFFSET")
	if err != nil {
		return nil, err
	}
	if offset < 0 {
		offset = 0
	}
	if s, ok := x.Input.(*Sort); ok && count >= 0 && count+offset <= topNMax {
		top, err := l.lowered(s, func() (exec.Operator, error) {
			in, err := l.node(s.Input)
			if err != nil {
				return nil, err
			}
			keys, err := l.sortKeys(s.Keys)
			if err != nil {
				return nil, err
			}
			if e := l.entry(); e != nil {
				e.prop("Sort Method", "top-N heapsort")
			}
			return exec.NewTopN(in, keys, count+offset), nil
		})
		if err != nil {
			return nil, err
		}
		return exec.NewLimit(top, count, offset), nil
	}
	if lr, ok := x.Input.(*LockRows); ok && count >= 0 {
		// Lock only the rows the LIMIT takes, as PostgreSQL does.
		in, err := l.lowered(lr, func() (exec.Operator, error) { return l.lockRows(lr, count+offset) })
		if err != nil {
			return nil, err
		}
		return exec.NewLimit(in, count, offset), nil
	}
	in, err := l.node(x.Input)
	if err != nil {
		return nil, err
	}
	return exec.NewLimit(in, count, offset), nil
}

// execJoinKind is the exec join of a logical join kind that keeps its
// inputs' sides (a cross join is an inner join on no condition).
func execJoinKind(kind JoinKind) exec.JoinKind {
	switch kind {
	case JoinLeft:
		return exec.JoinLeft
	case JoinSemi:
		return exec.JoinSemi
	case JoinAnti:
		return exec.JoinAnti
	case JoinFull:
		return exec.JoinFull
	}
	return exec.JoinInner
}

// residual lowers a join's residual conditions, nil when there are none.
func (l *lowerer) residual(residual []Expr) (exec.Expr, error) {
	if len(residual) == 0 {
		return nil, nil
	}
	return l.expr(makeAnd(residual))
}

// join picks the physical join: a hash join on the equalities between the
// two sides found in the condition (the rest becomes a residual
// predicate), building on the right input, or on the left one when a
// left, semi or anti join's left input is much the smaller
// (join_build_left.go); or a nested loop when there are no equalities.
func (l *lowerer) join(j *Join) (exec.Operator, error) {
	var keys [][2]Expr
	var residual []Expr
	if j.Cond != nil {
		keys, residual = splitJoinCond(j.Cond, len(j.Left.Types()))
	}
	if l.partition != nil {
		// A join of a parallel pipeline (parallelChain checked it).
		return l.sharedJoin(j, keys, residual)
	}
	if len(keys) > 0 && l.buildsLeft(j) {
		return l.hashJoinBuildingLeft(j, keys, residual)
	}
	filters := l.runtimeFilters(j, keys)
	left, err := l.node(j.Left)
	if err != nil {
		return nil, err
	}
	var right exec.Operator
	if len(keys) > 0 {
		// A hash join's build side that is a large scan chain reads it in
		// parallel pipelines: the build takes its rows in any order.
		right, err = l.gatherInput(j.Right)
	} else {
		right, err = l.node(j.Right)
	}
	if err != nil {
		return nil, err
	}
	kind := execJoinKind(j.Kind)
	if j.Cond == nil {
		if e := l.entry(); e != nil {
			e.setJoin(false, j.Kind)
		}
		return exec.NewNestedLoopJoin(left, right, kind, nil), nil
	}
	lk, rk, err := l.hashKeys(keys, false)
	if err != nil {
		return nil, err
	}
	res, err := l.residual(residual)
	if err != nil {
		return nil, err
	}
	if len(lk) == 0 {
		if _, constant := j.Cond.(*Const); j.Kind == JoinFull && !constant {
			// As PostgreSQL: a full join needs an equality between the
			// two sides to hash (or merge) on, or a constant condition.
			return nil, pgerr.Unsupported("FULL JOIN is only supported with merge-joinable or hash-joinable join conditions")
		}
		if e := l.entry(); e != nil {
			e.setJoin(false, j.Kind)
		}
		return exec.NewNestedLoopJoin(left, right, kind, res), nil
	}
	if e := l.entry(); e != nil {
		e.setJoin(true, j.Kind)
	}
	return exec.WithRuntimeFilters(exec.NewHashJoin(left, right, lk, rk, kind, res, l.keepsBuild(j.Right)), filters), nil
}

// keepsBuild reports whether a hash join that builds on input n keeps
// its build for the statement. In a subquery, a build side that reads no
// outer value builds once per statement, not once per outer row; in a
// recursive term, one that reads no working table builds once, not once
// per iteration.
func (l *lowerer) keepsBuild(n Node) bool {
	return l.reopened() && !nodeReadsOuter(n) && !planVolatile(n) && !readsWorkTable(n)
}

// hashKeys lowers a hash join's key pairs, each (left, right) as split
// by splitJoinCond: into the left keys and the right ones, or with
// swapped into the right keys and the left ones.
func (l *lowerer) hashKeys(keys [][2]Expr, swapped bool) (a, b []exec.Expr, err error) {
	for _, k := range keys {
		x, y := k[0], k[1]
		if swapped {
			x, y = y, x
		}
		ex, ey, err := l.pair(x, y)
		if err != nil {
			return nil, nil, err
		}
		a, b = append(a, ex), append(b, ey)
	}
	return a, b, nil
}

// splitJoinCond splits a join condition over Left ++ Right (nl columns on
// the left) into hash keys, equalities between an expression of the left
// input and one of the right (the right one re-indexed over the right
// input), and the residual conjuncts.
func splitJoinCond(cond Expr, nl int) (keys [][2]Expr, residual []Expr) {
	for _, c := range splitAnd(cond) {
		if b, ok := c.(*BinExpr); ok && b.Op == exec.OpEq {
			ls, rs := side(b.L, nl), side(b.R, nl)
			switch {
			case ls == sideLeft && rs == sideRight:
				keys = append(keys, [2]Expr{b.L, shiftCols(b.R, -nl)})
				continue
			case ls == sideRight && rs == sideLeft:
				keys = append(keys, [2]Expr{b.R, shiftCols(b.L, -nl)})
				continue
			}
		}
		residual = append(residual, c)
	}
	return keys, residual
}

const (
	sideNone = iota
	sideLeft
	sideRight
	sideBoth
)

// side tells which join input an expression reads.
func side(e Expr, nl int) int {
	used := map[int]bool{}
	colsUsed(e, used)
	s := sideNone
	for i := range used {
		if i < nl {
			s |= sideLeft
		} else {
			s |= sideRight
		}
	}
	if hasSubquery(e) {
		return sideBoth
	}
	return s
}

func (l *lowerer) scan(s *Scan) (exec.Operator, error) {
	if p := l.partition; p != nil && p.parts.scan == s {
		// The runtime filters of the joins above, and of the pipelines'
		// own joins, lowered by now.
		p.parts.filters = l.runtime[s]
		l.noteRuntimeFilters(s, p.parts.filters)
		return l.scanFrom(s, func() (storage.RecordReader, error) { return p.parts.take(p.i) })
	}
	if l.rebinding {
		return l.reboundScan(s)
	}
	preds := l.scanPredicatesOf(s)
	if s.Table.System {
		return l.systemScan(s)
	}
	if files := s.Files; files != nil {
		return l.scanFrom(s, func() (storage.RecordReader, error) { return files.Scan(s.Cols, preds) })
	}
	if at := s.AsOf; at != nil {
		cat := l.cat
		return l.scanFrom(s, func() (storage.RecordReader, error) { return cat.ScanAsOf(s.Table, *at, s.Cols, preds) })
	}
	if of := s.HistoryOf; of != nil {
		cat := l.cat
		return l.scanFrom(s, func() (storage.RecordReader, error) { return cat.History(of, s.Cols) })
	}
	if ic, ix := l.indexScan(s, preds); ix != nil {
		return l.scanFrom(s, func() (storage.RecordReader, error) { return ic.ScanIndex(s.Table, ix, s.Cols, preds) })
	}
	cat, filters := l.cat, l.runtime[s]
	l.noteRuntimeFilters(s, filters)
	return l.scanFrom(s, func() (storage.RecordReader, error) {
		return cat.Scan(s.Table, s.Cols, withRuntimeFilters(preds, filters))
	})
}

// scanPredicatesOf returns the storage predicates of all of s's filters.
func (l *lowerer) scanPredicatesOf(s *Scan) []storage.Predicate {
	var preds []storage.Predicate
	for _, f := range s.Filters {
		preds = l.appendScanPredicates(preds, s, f)
	}
	return preds
}

// scanFrom is a scan of s reading the records open returns: the row id
// column dropped unless s asks for it, and s's pushed-down filters
// applied. Storage is asked for records of the statement's batch size.
func (l *lowerer) scanFrom(s *Scan, open func() (storage.RecordReader, error)) (exec.Operator, error) {
	var filters []exec.Expr
	for _, f := range s.Filters {
		x, err := l.expr(f)
		if err != nil {
			return nil, err
		}
		filters = append(filters, x)
	}
	n, keepRowID := len(s.Cols), s.RowID
	counts := l.scanCounts(s)
	var op exec.Operator = exec.NewScan(s.Types(), func(ctx *exec.Context) (exec.RecordSource, error) {
		rr, err := open()
		if err != nil {
			return nil, err
		}
		if bs, ok := rr.(storage.BatchSizer); ok {
			bs.SetMaxBatchRows(ctx.MaxBatchRows())
		}
		if cs, ok := rr.(storage.CountingScan); ok && counts != nil {
			cs.CountInto(counts)
		}
		if keepRowID {
			return rr, nil
		}
		if o, ok := rr.(storage.RowIDOmitter); ok {
			o.OmitRowIDs()
		}
		return &dropRowID{rr: rr, n: n}, nil
	})
	if x := l.explain; x != nil && x.analyze && len(filters) > 0 {
		scanned := exec.Instrument(op, false)
		l.entry().scanned, op = scanned, scanned
	}
	if len(filters) == 1 {
		op = exec.NewFilter(op, filters[0])
	} else if len(filters) > 1 {
		op = exec.NewFilter(op, exec.And(filters...))
	}
	return op, nil
}

// aggregates lowers an Aggregate's group keys and aggregate calls.
func (l *lowerer) aggregates(a *Aggregate) ([]exec.Expr, []exec.Aggregate, error) {
	groups, err := l.exprs(a.Groups)
	if err != nil {
		return nil, nil, err
	}
	aggs := make([]exec.Aggregate, len(a.Aggs))
	for i, ag := range a.Aggs {
		x := exec.Aggregate{Func: ag.Agg, Distinct: ag.Dis, Type: ag.T}
		args, err := l.exprs(ag.Args)
		if err != nil {
			return nil, nil, err
		}
		if len(args) > 0 {
			x.Arg = args[0]
		}
		if len(args) > 1 {
			x.Arg2 = args[1]
		}
		if x.EnumLabels, err = l.enumAggregateLabels(x.Arg); err != nil {
			return nil, nil, err
		}
		if ag.Direct != nil {
			if x.Direct, err = l.expr(ag.Direct); err != nil {
				return nil, nil, err
			}
		}
		if ag.Filter != nil {
			if x.Filter, err = l.expr(ag.Filter); err != nil {
				return nil, nil, err
			}
		}
		if x.OrderBy, err = l.sortKeys(ag.Order); err != nil {
			return nil, nil, err
		}
		aggs[i] = x
	}
	return groups, aggs, nil
}

// dropRowID hides the row id column storage appends to every scan. A
// reader asked to leave it out (storage.RowIDOmitter) returns records
// without it, which pass through as they are.
type dropRowID struct {
	rr  storage.RecordReader
	n   int
	cur arrow.Record
	// in and out are the last input schema and the one cut from it: a
	// reader's records share a schema, and building one indexes every
	// field by name.
	in, out *arrow.Schema
}

func (d *dropRowID) Next() (arrow.Record, error) {
	d.release()
	rec, err := d.rr.Next()
	if err != nil || rec == nil || int(rec.NumCols()) == d.n {
		return rec, err
	}
	if rec.Schema() != d.in {
		d.in = rec.Schema()
		if cs, ok := d.rr.(storage.ColumnsSchemer); ok {
			d.out = cs.ColumnsSchema()
		} else {
			d.out = arrow.NewSchema(d.in.Fields()[:d.n], nil)
		}
	}
	d.cur = array.NewRecord(d.out, rec.Columns()[:d.n], rec.NumRows())
	return d.cur, nil
}

func (d *dropRowID) release() {
	if d.cur != nil {
		d.cur.Release()
		d.cur = nil
	}
}

func (d *dropRowID) Close() {
	d.release()
	d.rr.Close()
}

// evalLowered evaluates an input-free exec expression.
func evalLowered(x exec.Expr) (any, error) {
	ctx := exec.NewContext(context.Background())
	rows, err := exec.Collect(ctx, exec.NewValues([][]exec.Expr{{x}}, []catalog.Type{x.Type()}))
	if err != nil {
		return nil, err
	}
	return rows[0][0], nil
}

// recordList hands out records it does not own, each retained for the
// scan that releases it.
type recordList struct {
	recs []arrow.Record
	next int
}

func (r *recordList) Next() (arrow.Record, error) {
	if r.next >= len(r.recs) {
		return nil, nil
	}
	rec := r.recs[r.next]
	r.next++
	rec.Retain()
	return rec, nil
}

func (r *recordList) Close() {}

// window lowers a Window node to exec.NewWindow.
func (l *lowerer) window(x *Window) (exec.Operator, error) {
	in, err := l.node(x.Input)
	if err != nil {
		return nil, err
	}
	partition, err := l.exprs(x.PartitionBy)
	if err != nil {
		return nil, err
	}
	order, err := l.sortKeys(x.OrderBy)
	if err != nil {
		return nil, err
	}
	funcs := make([]exec.WindowExpr, len(x.Funcs))
	for i, f := range x.Funcs {
		args, err := l.exprs(f.Args)
		if err != nil {
			return nil, err
		}
		nf := f.Frame.exprCount()
		frame := f.Frame.exec(args[len(args)-nf:])
		args = args[:len(args)-nf]
		var filter exec.Expr
		if f.Filtered {
			filter, args = args[len(args)-1], args[:len(args)-1]
		}
		funcs[i] = exec.WindowExpr{Func: f.Func, Agg: f.Agg, Args: args, Filter: filter, Type: f.T, Frame: frame}
		if len(args) > 0 {
			if funcs[i].EnumLabels, err = l.enumAggregateLabels(args[0]); err != nil {
				return nil, err
			}
		}
	}
	return exec.NewWindow(in, partition, order, funcs), nil
}

// scanCounts is what the scan s counts its segments and row groups into
// under EXPLAIN ANALYZE, or nil. (The copies a parallel plan makes of s
// count apart; their entries are merged once the plan has run.) Catalog
// scans read no files.
func (l *lowerer) scanCounts(s *Scan) *storage.ScanCounts {
	x := l.explain
	if x == nil || !x.analyze || s.Table == nil || s.Table.System || s.HistoryOf != nil {
		return nil
	}
	e := l.entry()
	e.scanCounts, e.segments = new(storage.ScanCounts), s.Files == nil
	return e.scanCounts
}
