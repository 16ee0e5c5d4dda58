package planner

import (
	"math"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/storage"
)

// tableEstimates is what the catalog can tell of a table's contents
// without reading them (storage.Snapshot can, from the statistics its
// writer keeps with every segment; storage/estimate.go): its live row
// count, an estimate of a column's distinct values, the fraction of rows
// a range of a column's values holds (preds are Lt, Le, Gt or Ge
// comparisons of that column) and the fraction of its values that are
// NULL. false: not known.
type tableEstimates interface {
	EstimatedRows(t *catalog.Table) int64
	EstimatedDistinct(t *catalog.Table, col int) (int64, bool)
	EstimatedRangeFraction(t *catalog.Table, col int, preds []storage.Predicate) (float64, bool)
	EstimatedNullFraction(t *catalog.Table, col int) (float64, bool)
}

// Row estimates are float64s; an input nothing is known about (no
// catalog estimates, a lateral join, a working table) is +Inf, so that it
// compares above every known size, and all unknown inputs compare equal,
// which leaves the order as written.
var unknownRows = math.Inf(1)

// PostgreSQL's selectivities for conditions it has no statistics for
// (selfuncs.h): equality and pattern matches keep 1/200 of the rows,
// inequalities a third; a column without statistics has at most 200
// distinct values unless it is a key.
const (
	defaultEqSel       = 0.005
	defaultInequalSel  = 1.0 / 3
	defaultNumDistinct = 200
)

// rowEstimator estimates the rows plan nodes produce, for the join-order
// rule's choices. It only reads the catalog's estimates, never data.
type rowEstimator struct {
	cat tableEstimates // nil: nothing is known
}

// rows estimates n's output rows; unknownRows when it cannot.
func (e rowEstimator) rows(n Node) float64 {
	if e.cat == nil {
		return unknownRows
	}
	switch x := n.(type) {
	case *Scan:
		r := float64(e.cat.EstimatedRows(x.Table))
		if x.Files != nil {
			r = float64(x.Files.Rows())
		}
		return atLeastOne(r * e.scanSelectivity(x))
	case *Filter:
		r := e.rows(x.Input)
		for range splitAnd(x.Pred) {
			r *= defaultInequalSel
		}
		return atLeastOne(r)
	case *Project:
		return e.rows(x.Input)
	case *Sort:
		return e.rows(x.Input)
	case *LockRows:
		return e.rows(x.Input)
	case *Distinct:
		return e.rows(x.Input)
	case *Window:
		return e.rows(x.Input)
	case *CTEScan:
		return e.rows(x.Plan)
	case *Aggregate:
		if len(x.Groups) == 0 {
			return 1
		}
		return e.groupRows(x, e.rows(x.Input))
	case *Values:
		return atLeastOne(float64(len(x.Rows)))
	case *Limit:
		r := e.rows(x.Input)
		if c, ok := x.Count.(*Const); ok && !x.WithTies {
			if n, ok := c.Value.(int64); ok && n >= 0 {
				r = min(r, atLeastOne(float64(n)))
			}
		}
		return r
	case *SetOp:
		l, r := e.rows(x.Left), e.rows(x.Right)
		switch x.Kind {
		case SetUnion:
			return l + r
		case SetIntersect:
			return min(l, r)
		}
		return l
	case *Join:
		l, r := e.rows(x.Left), e.rows(x.Right)
		switch x.Kind {
		case JoinSemi:
			return atLeastOne(l * e.semiSelectivity(x, l, r))
		case JoinAnti:
			return l
		case JoinFull:
			return l + r
		}
		return e.joinRows(x, l, r)
	}
	return unknownRows
}

// scanSelectivity estimates the fraction of s's rows that pass all its
// filters, their conjuncts taken as independent, except that the
// comparisons of one column with constants (col > a AND col <= b, BETWEEN,
// through a cast that keeps order, as date to timestamp) are one range,
// whose fraction the catalog estimates from the column's bounds: two
// sides of a range are not independent (a quarter of a year of dates is
// 1/28 of seven years, not 1/9).
func (e rowEstimator) scanSelectivity(s *Scan) float64 {
	sel := 1.0
	var cols []int // the columns of ranges, in order of appearance
	ranges := map[int][]storage.Predicate{}
	for _, f := range s.Filters {
		for _, c := range splitAnd(f) {
			p, ok := rangePredicate(s, c)
			if !ok {
				sel *= e.selectivity(s, c)
				continue
			}
			if ranges[p.Column] == nil {
				cols = append(cols, p.Column)
			}
			ranges[p.Column] = append(ranges[p.Column], p)
		}
	}
	for _, col := range cols {
		preds := ranges[col]
		if f, ok := e.cat.EstimatedRangeFraction(s.Table, col, preds); ok {
			sel *= f
			continue
		}
		for range preds {
			sel *= defaultInequalSel
		}
	}
	return sel
}

// rangePredicate returns conjunct c of scan s as a comparison of one of
// its columns with a constant by <, <=, > or >= (scanPredicates'
// reading, without bound parameters: a kept plan serves every value).
func rangePredicate(s *Scan, c Expr) (storage.Predicate, bool) {
	b, ok := c.(*BinExpr)
	if !ok || b.Op != exec.OpLt && b.Op != exec.OpLe && b.Op != exec.OpGt && b.Op != exec.OpGe {
		return storage.Predicate{}, false
	}
	var l lowerer
	p, ok := l.comparePredicate(s, b)
	return p, ok && p.Op != storage.Eq
}

// selectivity estimates the fraction of s's rows that pass its filter f:
// an equality with a constant keeps the rows of one of the column's
// distinct values (of its non-NULL ones), an IN list those of as many, a
// range the catalog's fraction, IS NULL the column's NULL fraction;
// without statistics, PostgreSQL's defaults.
func (e rowEstimator) selectivity(s *Scan, f Expr) float64 {
	switch x := f.(type) {
	case *BinExpr:
		switch x.Op {
		case exec.OpEq, exec.OpNe:
			sel := defaultEqSel
			if isConstant(x.L) || isConstant(x.R) {
				col := x.L
				if isConstant(col) {
					col = x.R
				}
				if n, ok := e.scanColumnDistinct(s, col); ok {
					sel = e.nonNullFraction(s, col) / n
				}
			}
			if x.Op == exec.OpNe {
				return 1 - sel
			}
			return sel
		case exec.OpLike, exec.OpILike:
			return defaultEqSel
		case exec.OpNotLike, exec.OpNotILike:
			return 1 - defaultEqSel
		case exec.OpLt, exec.OpLe, exec.OpGt, exec.OpGe:
			if p, ok := rangePredicate(s, x); ok {
				if f, ok := e.cat.EstimatedRangeFraction(s.Table, p.Column, []storage.Predicate{p}); ok {
					return f
				}
			}
		}
	case *InList:
		sel := min(1, float64(len(x.List))*defaultEqSel)
		if n, ok := e.scanColumnDistinct(s, x.Arg); ok && allConstant(x.List) {
			sel = min(1, float64(len(x.List))/n) * e.nonNullFraction(s, x.Arg)
		}
		if x.Not {
			return 1 - sel
		}
		return sel
	case *NullTest:
		sel := defaultEqSel
		if col, ok := scanColumn(s, x.Arg); ok && !x.Datum {
			if f, ok := e.cat.EstimatedNullFraction(s.Table, col); ok {
				sel = f
			}
		}
		if x.Not {
			return 1 - sel
		}
		return sel
	case *BoolExpr:
		if x.And {
			sel := 1.0
			for _, a := range x.Args {
				sel *= e.selectivity(s, a)
			}
			return sel
		}
		sel := 0.0
		for _, a := range x.Args {
			sel += e.selectivity(s, a)
		}
		return min(1, sel)
	case *NotExpr:
		return 1 - e.selectivity(s, x.Arg)
	}
	return defaultInequalSel
}

// allConstant reports whether every expression of es is a constant.
func allConstant(es []Expr) bool {
	for _, x := range es {
		if !isConstant(x) {
			return false
		}
	}
	return true
}

// nonNullFraction estimates the fraction of s's rows in which x, when it
// reads a column (through casts), is not NULL: 1 when unknown.
func (e rowEstimator) nonNullFraction(s *Scan, x Expr) float64 {
	x = withoutCasts(x)
	if col, ok := scanColumn(s, x); ok {
		if f, ok := e.cat.EstimatedNullFraction(s.Table, col); ok {
			return 1 - f
		}
	}
	return 1
}

// distinct estimates the distinct values of expression x over the output
// of leaf, which produces rows rows: a scanned column's, from the
// catalog's bound, its primary key or PostgreSQL's default; any other
// expression is taken to be distinct in every row.
func (e rowEstimator) distinct(leaf Node, x Expr, rows float64) float64 {
	if s, ok := leaf.(*Scan); ok {
		if n, ok := e.scanColumnDistinct(s, x); ok {
			return min(n, rows)
		}
	}
	return rows
}

// scanColumnDistinct estimates the distinct values of the column of scan
// s that x reads (through casts), when x is one.
func (e rowEstimator) scanColumnDistinct(s *Scan, x Expr) (float64, bool) {
	x = withoutCasts(x)
	ref, ok := x.(*ColRef)
	if !ok || e.cat == nil {
		return 0, false
	}
	rows := float64(e.cat.EstimatedRows(s.Table))
	if ref.Index >= len(s.Cols) {
		return rows, true // the row id: a key
	}
	col := s.Cols[ref.Index]
	if n, ok := e.cat.EstimatedDistinct(s.Table, col); ok {
		return atLeastOne(min(float64(n), rows)), true
	}
	if len(s.Table.PrimaryKey) == 1 && s.Table.PrimaryKey[0] == col {
		return atLeastOne(rows), true
	}
	return atLeastOne(min(defaultNumDistinct, rows)), true
}

// semiSelectivity estimates the fraction of semi join j's l left rows
// that find a match among its r right rows: by an equality of a left and
// a right expression, at most r of the left key's distinct values can
// match, so r/distinct of the left rows do (TPC-H Q20's partsupp rows
// whose part is among the few named 'forest%'); the most selective
// equality is taken, and without one every row is taken to match.
func (e rowEstimator) semiSelectivity(j *Join, l, r float64) float64 {
	if l == unknownRows || r == unknownRows || j.Cond == nil {
		return 1
	}
	nl := len(j.Left.Types())
	sel := 1.0
	for _, c := range splitAnd(j.Cond) {
		b, ok := c.(*BinExpr)
		if !ok || b.Op != exec.OpEq {
			continue
		}
		key := b.L
		if !readsOnly(key, 0, nl) {
			key = b.R
		}
		if !readsOnly(key, 0, nl) || readsOnly(b.L, 0, nl) && readsOnly(b.R, 0, nl) {
			continue
		}
		sel = min(sel, r/e.distinct(j.Left, key, l))
	}
	return sel
}

func atLeastOne(r float64) float64 { return max(r, 1) }
