package planner

import (
	"github.com/pqdb/pqdb/exec"
)

// Hash joins that build on their left input.
//
// A hash join builds on its right input and probes with its left. A left,
// semi or anti join preserves its left input, so when that input is much
// smaller than the right one (TPC-H Q21's EXISTS and NOT EXISTS over
// lineitem for a filtered l1, Q22's NOT EXISTS over orders for a few
// customers, Q13's customers LEFT JOIN orders) hashing the right costs a
// table of the many. Lowering then swaps the inputs, as PostgreSQL does,
// and runs the kind of exec join that preserves its build side
// (exec/join_right.go):
//
//	L LEFT JOIN R ON c   →  Hash Right Join       (probe R, build L)
//	L SEMI JOIN R ON c   →  Hash Right Semi Join  (probe R, build L)
//	L ANTI JOIN R ON c   →  Hash Right Anti Join  (probe R, build L)
//
// The join's rows are those of the logical join: the residual is
// rewritten over the swapped row (R's columns, then L's), and a right
// join's R ++ L columns are put back in L ++ R order. Only the order of
// the rows changes. The build's keys become runtime filters of the probe
// side's scans for all three kinds (runtime_filter.go): each emits a
// probe row only with a build row it matches. EXPLAIN names the join as
// PostgreSQL does, the probe input first and the build second.
//
// The choice is by estimated rows (join_estimate.go): the left input
// must be estimated at fewer than 1/buildLeftRatio of the right's, so
// that estimates of about the same size keep the join as written. A join
// whose condition calls something volatile keeps its form too, since the
// right forms evaluate the residual for other pairs than the left forms
// do (they skip build rows already matched), and so does one whose
// condition holds a subquery, whose outer references would need the
// swapped row's positions.
//
// Parallel plans (lower_parallel.go) keep the choice: their pipelines
// probe with the right input, and the last pipeline to end emits the
// build rows of a right join's tail from every pipeline's match marks
// (exec/join_shared_build.go).

// buildLeftRatio is how many times the right input's estimated rows must
// exceed the left's for the join to build on the left.
const buildLeftRatio = 2

// buildsLeft reports whether join j, which has hash keys, builds on its
// left input.
func (l *lowerer) buildsLeft(j *Join) bool {
	if j.Kind != JoinLeft && j.Kind != JoinSemi && j.Kind != JoinAnti || hasVolatile(j.Cond) || hasSubquery(j.Cond) {
		return false
	}
	est, ok := l.cat.(tableEstimates)
	if !ok {
		return false
	}
	e := rowEstimator{cat: est}
	left, right := e.rows(j.Left), e.rows(j.Right)
	return left != unknownRows && right != unknownRows && buildLeftRatio*left < right
}

// hashJoinBuildingLeft lowers join j, whose condition splits into the
// hash keys keys (left expression, right expression re-indexed over the
// right input) and residual, to a hash join that probes with j.Right and
// builds on j.Left.
func (l *lowerer) hashJoinBuildingLeft(j *Join, keys [][2]Expr, residual []Expr) (exec.Operator, error) {
	// The filters go to the probe side's scans, which must be lowered
	// after them.
	filters := l.probeFilters(j.Right, j.Left, keySide(keys, 1))
	probe, err := l.node(j.Right)
	if err != nil {
		return nil, err
	}
	build, err := l.gatherInput(j.Left) // in parallel pipelines when large (join)
	if err != nil {
		return nil, err
	}
	pk, bk, err := l.hashKeys(keys, true)
	if err != nil {
		return nil, err
	}
	res, err := l.swappedResidual(j, residual)
	if err != nil {
		return nil, err
	}
	if e := l.entry(); e != nil {
		e.setHashJoinBuildingLeft(j.Kind)
	}
	join := exec.WithRuntimeFilters(exec.NewHashJoin(probe, build, pk, bk, rightKindOf(j.Kind), res, l.keepsBuild(j.Left)), filters)
	return inLogicalOrder(j, join), nil
}

// keySide is one side of a join's hash key pairs (0: the left
// expressions, 1: the right ones, re-indexed over the right input).
func keySide(keys [][2]Expr, side int) []Expr {
	out := make([]Expr, len(keys))
	for i, k := range keys {
		out[i] = k[side]
	}
	return out
}

// rightKindOf is the exec join that preserves its build side, j's left
// input, for a left, semi or anti join.
func rightKindOf(kind JoinKind) exec.JoinKind {
	switch kind {
	case JoinSemi:
		return exec.JoinRightSemi
	case JoinAnti:
		return exec.JoinRightAnti
	}
	return exec.JoinRight
}

// swappedResidual lowers join j's residual conditions over the swapped
// row of a join that builds on its left input (j's right columns, then
// its left ones); nil when there are none.
func (l *lowerer) swappedResidual(j *Join, residual []Expr) (exec.Expr, error) {
	if len(residual) == 0 {
		return nil, nil
	}
	nl, nr := len(j.Left.Types()), len(j.Right.Types())
	swap := make(map[int]int, nl+nr)
	for i := range nl {
		swap[i] = nr + i
	}
	for i := range nr {
		swap[nl+i] = i
	}
	return l.expr(remapCols(makeAnd(residual), swap))
}

// inLogicalOrder returns join, a join of j's inputs that builds on the
// left one, with j's columns: a right join's R ++ L columns put back in
// L ++ R order; the semi and anti kinds have the build's (L's) columns
// only.
func inLogicalOrder(j *Join, join exec.Operator) exec.Operator {
	if j.Kind != JoinLeft {
		return join
	}
	nr := len(j.Right.Types())
	cols := make([]exec.Expr, 0, len(join.Types()))
	for i, t := range j.Left.Types() {
		cols = append(cols, exec.ColumnRef(nr+i, t))
	}
	for i, t := range j.Right.Types() {
		cols = append(cols, exec.ColumnRef(i, t))
	}
	return reorderedJoin{Operator: exec.NewProject(join, cols), join: join}
}

// setHashJoinBuildingLeft names a join of kind (left, semi or anti) that
// builds on its left input as PostgreSQL names it.
func (e *explainEntry) setHashJoinBuildingLeft(kind JoinKind) {
	e.joinType = map[JoinKind]string{JoinLeft: "Right", JoinSemi: "Right Semi", JoinAnti: "Right Anti"}[kind]
	e.nodeType = "Hash Join"
	e.name = "Hash " + e.joinType + " Join"
}

// reorderedJoin is a right join with its columns put back in the logical
// join's order; EXPLAIN ANALYZE reads the join's memory report through it.
type reorderedJoin struct {
	exec.Operator
	join exec.Operator
}

func (r reorderedJoin) MemoryReport() exec.MemoryReport {
	if m, ok := r.join.(interface{ MemoryReport() exec.MemoryReport }); ok {
		return m.MemoryReport()
	}
	return exec.MemoryReport{}
}
