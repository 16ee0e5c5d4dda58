package planner

import (
	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/storage"
)

// A prepared lookup by primary key (SELECT ... WHERE id = $1) runs many
// times with new parameter values, each on a new snapshot. Its operators
// can run again if what a run binds is read when the run opens them
// rather than when they are lowered: the parameters, through
// exec.Rebound expressions, and the scan's snapshot and storage
// predicates, derived again from the filters when the scan opens.
// Rebind hands the lowerer the next run's values. Only a lookup that
// pins the whole primary key qualifies: it reads at most one row, so the
// comparisons and arithmetic with a parameter that now take the general
// kernel, not the one built for a constant (filter_select.go), cost
// nothing that counts. An UPDATE's or DELETE's rows come from such a
// lookup too (UPDATE t SET v = v + $1 WHERE id = $2).

// LoweringRebindable reports whether n may be lowered once by
// LowerRebindable and run again after Rebind: projections and filters
// over a scan of a table whose filter conjuncts pin every primary key
// column to a constant or a parameter, where parameters (or casts of
// them) appear only as operands of comparisons and arithmetic.
func LoweringRebindable(n Node) bool {
	s, ok := underChain(n, func(es []Expr) bool {
		for _, e := range es {
			if !paramsAsOperands(e) {
				return false
			}
		}
		return true
	}).(*Scan)
	return ok && keyLookup(s)
}

// keyLookup reports whether s reads a stored table by its whole primary
// key, with parameters only as comparison operands in its filters.
func keyLookup(s *Scan) bool {
	t := s.Table
	if t == nil || t.System || s.Files != nil || s.AsOf != nil || s.HistoryOf != nil || len(t.PrimaryKey) == 0 {
		return false
	}
	pinned := map[int]bool{}
	for _, f := range s.Filters {
		if !paramsAsOperands(f) {
			return false
		}
		pinKeys(s, f, pinned)
	}
	return t.PrimaryKeyCovered(func(c int) bool { return pinned[c] })
}

// paramsAsOperands reports whether e reads nothing of a run
// (exprsReusable) but parameters that are operands of comparisons and
// arithmetic.
func paramsAsOperands(e Expr) bool {
	switch x := e.(type) {
	case *BoolExpr:
		for _, a := range x.Args {
			if !paramsAsOperands(a) {
				return false
			}
		}
		return true
	case *BinExpr:
		if !x.Op.IsComparison() && !x.Op.IsArithmetic() {
			break
		}
		for _, side := range [2]Expr{x.L, x.R} {
			if p, ok := castParam(side); ok {
				if p.T.HasEnum() || side.Type().HasEnum() {
					return false
				}
				continue
			}
			if !paramsAsOperands(side) {
				return false
			}
		}
		return true
	}
	return exprsReusable([]Expr{e})
}

// castParam returns the parameter e is, or casts.
func castParam(e Expr) (*Param, bool) {
	for {
		switch x := e.(type) {
		case *Param:
			return x, true
		case *CastExpr:
			e = x.Arg
		default:
			return nil, false
		}
	}
}

// pinKeys marks the table columns of s that conjunct f (through ANDs)
// sets equal to a constant or a parameter.
func pinKeys(s *Scan, f Expr, pinned map[int]bool) {
	switch x := f.(type) {
	case *BoolExpr:
		if x.And {
			for _, a := range x.Args {
				pinKeys(s, a, pinned)
			}
		}
	case *BinExpr:
		if x.Op != exec.OpEq {
			return
		}
		for _, pair := range [2][2]Expr{{x.L, x.R}, {x.R, x.L}} {
			col, ok := keyColumn(s, pair[0])
			if !ok {
				continue
			}
			if _, ok := pair[1].(*Const); ok {
				pinned[col] = true
			} else if _, ok := castParam(pair[1]); ok {
				pinned[col] = true
			}
		}
	}
}

// keyColumn returns the table column of s that e is, or casts without
// losing anything (an integer widened, a numeric's typmod dropped), so
// that equal values of e are equal values of the column.
func keyColumn(s *Scan, e Expr) (int, bool) {
	c, ok := e.(*CastExpr)
	if !ok {
		return scanColumn(s, e)
	}
	col, ok := scanColumn(s, c.Arg)
	if !ok {
		return 0, false
	}
	from, to := c.Arg.Type().Kind, c.T.Kind
	lossless := isIntKind(from) && isIntKind(to) && intWidth(from) <= intWidth(to) || from == catalog.Numeric && to == catalog.Numeric
	return col, lossless
}

// Rebindable is a plan lowered by LowerRebindable: Op runs the values and
// snapshot of the last Rebind (or of the lowering).
type Rebindable struct {
	Op exec.Operator
	l  *lowerer
}

// LowerRebindable lowers n (LoweringRebindable) for runs that Rebind
// gives their own catalog, parameter values and options.
func LowerRebindable(n Node, cat Catalog, params []catalog.Datum, opts LowerOptions) (*Rebindable, error) {
	l := &lowerer{cat: cat, params: params, opts: opts, rebinding: true}
	op, err := l.node(n)
	if err != nil {
		return nil, err
	}
	return &Rebindable{Op: op, l: l}, nil
}

// Rebind makes the next run of r.Op read cat with params and opts. It
// must not be called while Op runs.
func (r *Rebindable) Rebind(cat Catalog, params []catalog.Datum, opts LowerOptions) {
	r.l.cat, r.l.params, r.l.opts = cat, params, opts
}

// reboundParam is parameter i of type t, read from the lowerer's values
// when the run evaluates it.
func (l *lowerer) reboundParam(i int, t catalog.Type) exec.Expr {
	return exec.Rebound(t, func() catalog.Datum { return l.params[i] })
}

// reboundScan is a scan of s that derives its storage predicates, and
// chooses between its table and an index, when it opens, from the
// lowerer's catalog and parameter values at that time.
func (l *lowerer) reboundScan(s *Scan) (exec.Operator, error) {
	return l.scanFrom(s, func() (storage.RecordReader, error) {
		preds := l.scanPredicatesOf(s)
		if ic, ix := l.indexScan(s, preds); ix != nil {
			return ic.ScanIndex(s.Table, ix, s.Cols, preds)
		}
		return l.cat.Scan(s.Table, s.Cols, preds)
	})
}
