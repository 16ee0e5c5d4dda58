package engine

import (
	"context"

	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/planner"
	"github.com/pqdb/pqdb/storage"
)

// DISCARD resets parts of the session's state, as in PostgreSQL:
//
//   - PLANS drops the plans statements kept (plan_cache.go): each binds
//     again at its next run.
//   - SEQUENCES forgets what currval and lastval return. Like PostgreSQL's
//     it is not undone by ROLLBACK: that state is not transactional.
//   - TEMP drops the session's temporary schema with its tables, in the
//     statement's transaction, so that a block that rolls back keeps them.
//   - ALL closes cursors, deallocates prepared statements, resets every
//     setting to its value at connection start and does the three above;
//     it cannot run inside a transaction block.
func (s *Session) discard(ctx context.Context, txn *storage.Txn, snap *storage.Snapshot, what planner.DiscardTarget) (string, error) {
	switch what {
	case planner.DiscardPlans:
		s.planGeneration++
	case planner.DiscardSequences:
		s.forgetSequenceValues()
	case planner.DiscardTemp:
		if err := s.discardTemp(ctx, txn, snap); err != nil {
			return "", err
		}
	case planner.DiscardAll:
		if s.txn != nil {
			return "", pgerr.New(pgerr.ActiveSqlTransaction, "DISCARD ALL cannot run inside a transaction block")
		}
		if err := s.discardTemp(ctx, txn, snap); err != nil {
			return "", err
		}
		clear(s.prepared)
		s.planGeneration++
		s.closeCursors(true)
		for k, v := range s.defaults {
			s.setSetting(k, v)
		}
		s.forgetSequenceValues()
	}
	return what.Tag(), nil
}

// forgetSequenceValues is DISCARD SEQUENCES.
func (s *Session) forgetSequenceValues() {
	clear(s.seqValues)
	s.lastval, s.haveLastval = 0, false
}

// discardTemp is DISCARD TEMP: DROP SCHEMA pg_temp_<pid> CASCADE in txn
// when the session has one.
func (s *Session) discardTemp(ctx context.Context, txn *storage.Txn, snap *storage.Snapshot) error {
	if !snap.HasSchema(s.tempSchema()) {
		return nil
	}
	drop := &planner.DropPlan{Kind: planner.ObjectSchema, Cascade: true, Names: []planner.QualifiedName{{Name: s.tempSchema()}}}
	_, err := s.dropSchemas(ctx, txn, snap, drop, discardNotices{})
	return err
}
