package engine

import "github.com/pqdb/pqdb/pgerr"

// sendNotices sends, in order, the notices binding a statement raised
// (planner.Bound.Notices, AlterTableStep.Notices): the engine sends them
// before it runs what was bound, as PostgreSQL raises them while it
// analyzes the statement.
func sendNotices(out ResultWriter, notices []*pgerr.Error) error {
	for _, n := range notices {
		if err := out.Notice(n); err != nil {
			return err
		}
	}
	return nil
}
