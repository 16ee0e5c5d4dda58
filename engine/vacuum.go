package engine

import (
	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/planner"
)

// vacuum runs VACUUM and ANALYZE (planner.VacuumPlan says what each does
// in pqdb). VACUUM, as in PostgreSQL, cannot run inside a transaction
// block: it works on committed data only, and its checkpoint is not
// undone by a rollback.
func (s *Session) vacuum(p *planner.VacuumPlan) (string, error) {
	if !p.Vacuum {
		return p.Tag(), nil
	}
	if s.txn != nil {
		return "", pgerr.New(pgerr.ActiveSqlTransaction, "VACUUM cannot run inside a transaction block")
	}
	if err := s.eng.store.Checkpoint(); err != nil {
		return "", err
	}
	return p.Tag(), nil
}
