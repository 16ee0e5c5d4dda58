package planner

import (
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
)

// limitOf lowers a LIMIT whose count or offset reads an outer value (LIMIT
// t.n in a LATERAL subquery or a correlated one): they are computed each
// time the plan is opened (exec.NewLimitOf), and the input is sorted in
// full, as the top-N bound is not known when the plan is lowered.
func (l *lowerer) limitOf(x *Limit) (exec.Operator, error) {
	if x.WithTies {
		return nil, pgerr.Unsupported("FETCH FIRST ... WITH TIES with a row count that reads an outer query's columns is not supported")
	}
	in, err := l.node(x.Input)
	if err != nil {
		return nil, err
	}
	var count, offset exec.Expr
	if x.Count != nil {
		if count, err = l.expr(x.Count); err != nil {
			return nil, err
		}
	}
	if x.Offset != nil {
		if offset, err = l.expr(x.Offset); err != nil {
			return nil, err
		}
	}
	return exec.NewLimitOf(in, count, offset), nil
}
