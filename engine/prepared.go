package engine

import (
	"context"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/planner"
	"github.com/pqdb/pqdb/storage"
)

// prepared is a statement made with SQL PREPARE (protocol-level prepared
// statements live in the wire layer).
type prepared struct {
	stmt  *statement // described with the result of PREPARE's binding
	types []catalog.Type
}

func (s *Session) prepare(p *planner.PreparePlan, out ResultWriter) (string, error) {
	if _, ok := s.prepared[p.Name]; ok {
		return "", pgerr.New(pgerr.DuplicatePstatement, "prepared statement \"%s\" already exists", p.Name)
	}
	// Bind once now so errors and notices surface at PREPARE, as in
	// Postgres, and the parameter types are settled. The plan is kept for
	// EXECUTE when it asks for the same parameter types (all of them
	// declared in PREPARE).
	stmt := &statement{Statement: p.Stmt}
	snap := s.catalogView()
	bound, r, err := s.bindPlan(stmt, snap, p.ParamType, false)
	if nerr := sendNotices(out, bound.Notices); err == nil {
		err = nerr
	}
	if err != nil {
		return "", err
	}
	stmt.described, stmt.isDescribed = resultColumns(bound.Plan, s), true
	r.keep(stmt, bound, snap, p.ParamType, false)
	s.prepared[p.Name] = &prepared{stmt: stmt, types: bound.Params}
	return "PREPARE", nil
}

func (s *Session) executePrepared(ctx context.Context, txn *storage.Txn, snap *storage.Snapshot, p *planner.ExecutePlan, resultFormats []int16, out ResultWriter) (string, error) {
	bound, params, err := s.boundPrepared(snap, p)
	if err != nil {
		return "", err
	}
	return s.dispatch(ctx, txn, snap, bound.Plan, params, resultFormats, out)
}

// boundPrepared is the plan of the prepared statement EXECUTE p names,
// bound on snap, and the values of p's arguments.
func (s *Session) boundPrepared(snap *storage.Snapshot, p *planner.ExecutePlan) (*planner.Bound, []catalog.Datum, error) {
	ps, ok := s.prepared[p.Name]
	if !ok {
		return nil, nil, pgerr.New(pgerr.InvalidSqlStatementName, "prepared statement \"%s\" does not exist", p.Name)
	}
	// Its notices were sent at PREPARE.
	bound, err := s.planFor(ps.stmt, snap, ps.types, false)
	if err != nil {
		return nil, nil, err
	}
	params, err := planner.EvalArgs(snap, ps.stmt.Statement, p.Args, bound.Params, s.bindOptions())
	if err != nil {
		return nil, nil, err
	}
	return bound, params, nil
}

func (s *Session) deallocate(p *planner.DeallocatePlan) (string, error) {
	if p.All {
		clear(s.prepared)
		return "DEALLOCATE ALL", nil
	}
	if _, ok := s.prepared[p.Name]; !ok {
		return "", pgerr.New(pgerr.InvalidSqlStatementName, "prepared statement \"%s\" does not exist", p.Name)
	}
	delete(s.prepared, p.Name)
	return "DEALLOCATE", nil
}
