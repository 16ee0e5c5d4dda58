package engine

import (
	"maps"

	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/planner"
	"github.com/pqdb/pqdb/storage"
)

// savepoint is one SAVEPOINT of the open block: the storage mark and the
// settings as they were, both restored by ROLLBACK TO.
type savepoint struct {
	name     string
	mark     storage.Savepoint
	settings map[string]string
}

var savepointVerb = map[planner.TxnKind]string{planner.TxnSavepoint: "SAVEPOINT", planner.TxnRelease: "RELEASE SAVEPOINT", planner.TxnRollbackTo: "ROLLBACK TO SAVEPOINT"}

// savepointCommand runs SAVEPOINT, RELEASE [SAVEPOINT] and ROLLBACK TO
// [SAVEPOINT]. Names may repeat; a name refers to its latest savepoint.
func (s *Session) savepointCommand(p *planner.TxnPlan) (string, error) {
	if s.txn == nil {
		return "", pgerr.New(pgerr.NoActiveSqlTransaction, "%s can only be used in transaction blocks", savepointVerb[p.Kind])
	}
	if p.Kind == planner.TxnSavepoint {
		s.savepoints = append(s.savepoints, savepoint{name: p.Name, mark: s.txn.Savepoint(), settings: maps.Clone(s.settings)})
		return "SAVEPOINT", nil
	}
	i := len(s.savepoints) - 1
	for i >= 0 && s.savepoints[i].name != p.Name {
		i--
	}
	if i < 0 {
		if s.failed && p.Kind == planner.TxnRelease {
			return "", errFailedBlock()
		}
		s.failed = true
		return "", pgerr.New(pgerr.SEInvalidSpecification, "savepoint \"%s\" does not exist", p.Name)
	}
	if p.Kind == planner.TxnRelease {
		s.savepoints = s.savepoints[:i]
		s.freezableAfterRelease(i)
		return "RELEASE", nil
	}
	sp := s.savepoints[i]
	if err := s.txn.RollbackTo(sp.mark); err != nil {
		return "", err
	}
	s.savepoints = s.savepoints[:i+1]
	s.freezableAfterRollbackTo(i)
	s.replaceSettings(maps.Clone(sp.settings))
	// Cursors opened after the savepoint go with it, as in Postgres.
	for name, c := range s.cursors {
		if c.savepoints > i {
			s.dropCursor(name)
		}
	}
	s.failed = false
	return "ROLLBACK", nil
}
