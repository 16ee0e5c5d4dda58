package planner

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
)

// FETCH FIRST n ROWS WITH TIES: a Limit that also passes the rows tied
// with its last one in the ORDER BY. The grammar already refuses WITH
// TIES without ORDER BY (42601), so the Limit's input is the query's
// Sort, whose keys tell the ties; the executor compares them as they
// come, without sorting again.

// bindWithTies marks lim as WITH TIES, with PostgreSQL's check of a NULL
// row count (transformLimitClause).
func bindWithTies(s *pg_query.SelectStmt, lim *Limit) error {
	if c := s.LimitCount.GetAConst(); c != nil && c.Isnull {
		return pgerr.New(pgerr.InvalidRowCountInLimitClause, "row count cannot be null in FETCH FIRST ... WITH TIES clause")
	}
	if _, ok := lim.Input.(*Sort); !ok {
		return pgerr.New(pgerr.SyntaxError, "WITH TIES cannot be specified without ORDER BY clause")
	}
	lim.WithTies = true
	return nil
}

// limitWithTies lowers a WITH TIES Limit over its Sort; count is its
// evaluated row count (-1 for a NULL parameter, an error as in
// PostgreSQL's executor).
func (l *lowerer) limitWithTies(x *Limit, count int64) (exec.Operator, error) {
	if count < 0 {
		return nil, pgerr.New(pgerr.InvalidRowCountInLimitClause, "row count cannot be null in FETCH FIRST ... WITH TIES clause")
	}
	offset, err := l.limitValue(x.Offset, "OFFSET")
	if err != nil {
		return nil, err
	}
	s, ok := x.Input.(*Sort)
	if !ok {
		return nil, pgerr.New(pgerr.InternalError, "FETCH FIRST ... WITH TIES over a %T, not a sort", x.Input)
	}
	in, err := l.node(s)
	if err != nil {
		return nil, err
	}
	keys, err := l.sortKeys(s.Keys)
	if err != nil {
		return nil, err
	}
	return exec.NewLimitWithTies(in, keys, count, max(offset, 0)), nil
}
