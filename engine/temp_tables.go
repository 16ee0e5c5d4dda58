package engine

import (
	"context"
	"strconv"
	"strings"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/planner"
	"github.com/pqdb/pqdb/storage"
)

// Temporary tables (planner/temp_schema.go) live in a schema of the
// session's own, pg_temp_<backend pid>: an ordinary schema of the store,
// so that every statement, index and constraint works on them unchanged.
// The session creates it with its first temporary table, runs the ON
// COMMIT actions before each commit, and drops it, with everything in it,
// when it ends; a server that starts drops the ones a crash left behind.
// Backend pids are unique among live sessions, so no two share a schema.

const tempSchemaPrefix = "pg_temp_"

// tempSchema is the name of the session's temporary schema.
func (s *Session) tempSchema() string {
	return tempSchemaPrefix + strconv.FormatUint(uint64(s.info.ProcessID), 10)
}

// tempAction is the ON COMMIT action of one temporary table.
type tempAction struct {
	schema, name string
	id           int64
	action       planner.OnCommit
}

// createTempTableSchema creates the session's temporary schema in txn
// when the statement's snapshot lacks it, before a temporary table t is
// created there.
func (s *Session) createTempTableSchema(txn *storage.Txn, snap *storage.Snapshot, t *catalog.Table) error {
	if snap.HasSchema(t.Schema) {
		return nil
	}
	return txn.CreateSchema(t.Schema)
}

// noteTempTable records the ON COMMIT action of the temporary table t,
// just created.
func (s *Session) noteTempTable(t *catalog.Table, temp *planner.TempTable) {
	if temp.OnCommit != planner.OnCommitPreserveRows {
		s.onCommit = append(s.onCommit, tempAction{schema: t.Schema, name: t.Name, id: t.ID, action: temp.OnCommit})
	}
}

// beforeCommit runs, in the transaction about to commit, the ON COMMIT
// actions of the session's temporary tables: DELETE ROWS empties a table,
// DROP drops it. A table that no longer exists (dropped, or created by a
// transaction that rolled back) is forgotten.
func (s *Session) beforeCommit(ctx context.Context, txn *storage.Txn) error {
	if len(s.onCommit) == 0 {
		return nil
	}
	kept := s.onCommit[:0]
	for _, a := range s.onCommit {
		view := txn.View()
		t := view.Table(a.schema, a.name)
		if t == nil || t.ID != a.id {
			continue
		}
		switch a.action {
		case planner.OnCommitDeleteRows:
			kept = append(kept, a)
			if _, err := s.truncate(txn, view, &planner.TruncatePlan{Tables: []*catalog.Table{t}}, discardNotices{}); err != nil {
				return err
			}
		case planner.OnCommitDrop:
			drop := &planner.DropPlan{Kind: planner.ObjectTable, Names: []planner.QualifiedName{{Schema: a.schema, Name: a.name}}, Cascade: true}
			if _, err := s.ddl(ctx, txn, view, drop, discardNotices{}); err != nil {
				return err
			}
		}
	}
	s.onCommit = kept
	return nil
}

// dropTempSchema drops the session's temporary schema and everything in
// it, when the session created one.
func (s *Session) dropTempSchema() error {
	if !s.eng.store.Snapshot().HasSchema(s.tempSchema()) {
		return nil
	}
	return dropSchemas(s, []string{s.tempSchema()})
}

// dropLeftoverTempSchemas drops the temporary schemas of sessions that a
// crash ended, when the engine opens.
func (e *Engine) dropLeftoverTempSchemas() error {
	var names []string
	for _, name := range e.store.Snapshot().Schemas() {
		if strings.HasPrefix(name, tempSchemaPrefix) {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return nil
	}
	s, err := newSession(e, StartupInfo{User: "postgres"})
	if err != nil {
		return err
	}
	return dropSchemas(s, names)
}

// dropSchemas runs DROP SCHEMA ... CASCADE of names in a transaction of
// its own, on behalf of session s.
func dropSchemas(s *Session, names []string) error {
	ctx := context.Background()
	txn := s.eng.store.Begin()
	drop := &planner.DropPlan{Kind: planner.ObjectSchema, Cascade: true}
	for _, n := range names {
		drop.Names = append(drop.Names, planner.QualifiedName{Name: n})
	}
	if _, err := s.dropSchemas(ctx, txn, txn.Snapshot(), drop, discardNotices{}); err != nil {
		txn.Rollback()
		return err
	}
	return txn.Commit()
}
