package planner

import (
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
)

// reopened reports whether the operator being lowered may be opened more
// than once: it is in a subquery plan (re-run per outer row) or in the
// recursive term of a recursive union (re-run per iteration).
func (l *lowerer) reopened() bool { return l.inSubquery > 0 || l.inRecursive > 0 }

// cteScan lowers a reference to a recursive WITH query. References of one
// ID share one exec.CTE, built from the first reference lowered (every
// reference carries an identical plan). A query that reads the working
// table of a recursive union around it changes from one iteration to the
// next, and one that reads an outer value from one outer row to the next
// (each reference reading it where it is), so each of their references
// runs its own copy instead.
func (l *lowerer) cteScan(x *CTEScan) (exec.Operator, error) {
	if readsWorkTable(x.Plan) || nodeReadsOuter(x.Plan) {
		return l.node(x.Plan)
	}
	c := l.ctes[x.ID]
	if c == nil {
		// The query runs once for the statement whatever the context of
		// the reference that happens to be lowered first.
		inSub, inRec := l.inSubquery, l.inRecursive
		l.inSubquery, l.inRecursive = 0, 0
		l.labelNext("CTE " + x.Name)
		plan, err := l.node(x.Plan)
		l.inSubquery, l.inRecursive = inSub, inRec
		if err != nil {
			return nil, err
		}
		c = exec.NewCTE(plan)
		if l.ctes == nil {
			l.ctes = map[int64]*exec.CTE{}
		}
		l.ctes[x.ID] = c
	}
	return exec.NewCTEScan(c, l.reopened()), nil
}

// recursiveUnion lowers a RecursiveUnion and, with it, the WorkTableScans
// of its recursive term.
func (l *lowerer) recursiveUnion(x *RecursiveUnion) (exec.Operator, error) {
	recPlan := clonePlan(x.Rec)
	if subqueryReadsWorkTable(recPlan) {
		// A subquery's result is kept for the statement (uncorrelated)
		// or per outer value (memoized), which a working table that
		// changes every iteration would make stale.
		return nil, pgerr.Unsupported("a subquery expression that reads the recursive reference to query \"%s\" (through a WITH query) is not supported", x.Name)
	}
	nonRec, err := l.node(x.NonRec)
	if err != nil {
		return nil, err
	}
	wt := exec.NewWorkTable(x.Types())
	if l.workTables == nil {
		l.workTables = map[int64]*exec.WorkTable{}
	}
	saved, had := l.workTables[x.ID]
	l.workTables[x.ID] = wt
	l.inRecursive++
	rec, err := l.node(probeWorkTable(recPlan))
	l.inRecursive--
	if had {
		l.workTables[x.ID] = saved
	} else {
		delete(l.workTables, x.ID)
	}
	if err != nil {
		return nil, err
	}
	return exec.NewRecursiveUnion(nonRec, rec, wt, x.All), nil
}

func (l *lowerer) workTableScan(x *WorkTableScan) (exec.Operator, error) {
	wt := l.workTables[x.ID]
	if wt == nil {
		return nil, pgerr.New(pgerr.InternalError, "WorkTable Scan on %s outside its recursive union", x.Name)
	}
	return exec.NewWorkTableScan(wt), nil
}

// probeWorkTable rewrites, in place, the inner hash joins of a recursive
// term whose right (build) input reads the working table and whose left
// input does not, so that the working table is probed and the other
// input built: the working table changes every iteration, the other input
// does not, and a build that reads no working table is kept across
// iterations (lowerer.join). The swapped join is put under a Project that
// restores the column order. n must be the lowerer's own copy.
func probeWorkTable(n Node) Node {
	n = mapInputs(n, probeWorkTable)
	j, ok := n.(*Join)
	if !ok || j.Kind != JoinInner || j.Cond == nil {
		return n
	}
	nl, nr := len(j.Left.Types()), len(j.Right.Types())
	if keys, _ := splitJoinCond(j.Cond, nl); len(keys) == 0 || !readsWorkTable(j.Right) || readsWorkTable(j.Left) {
		return n
	}
	m := make(map[int]int, nl+nr)
	for i := 0; i < nl; i++ {
		m[i] = nr + i
	}
	for i := 0; i < nr; i++ {
		m[nl+i] = i
	}
	swapped := &Join{Kind: JoinInner, Left: j.Right, Right: j.Left, Cond: remapCols(j.Cond, m)}
	lt, rt := j.Left.Types(), j.Right.Types()
	exprs := make([]Expr, 0, nl+nr)
	for i := 0; i < nl; i++ {
		exprs = append(exprs, &ColRef{Index: nr + i, T: lt[i]})
	}
	for i := 0; i < nr; i++ {
		exprs = append(exprs, &ColRef{Index: i, T: rt[i]})
	}
	return &Project{Input: swapped, Exprs: exprs}
}

// subqueryReadsWorkTable reports whether a subquery expression in n reads
// a working table that the subquery does not define.
func subqueryReadsWorkTable(n Node) bool {
	found := false
	mapNodeExprs(n, func(e Expr) Expr {
		walkExpr(e, func(x Expr) {
			if s, ok := x.(*SubqueryExpr); ok && readsWorkTable(s.Plan) {
				found = true
			}
		})
		return e
	})
	return found
}
