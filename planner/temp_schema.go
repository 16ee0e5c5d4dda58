package planner

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/pgerr"
)

// Temporary tables live in the session's temporary schema
// (Options.TempSchema, pg_temp_<backend pid>), which the engine creates
// with the session's first temporary table and drops when the session
// ends. As in PostgreSQL, an unqualified relation name is looked up there
// before any schema of the search path, an unqualified CREATE never
// lands there unless it says TEMP, and the schema is also called
// pg_temp.

// OnCommit is what a temporary table's ON COMMIT clause does at each
// commit of the session.
type OnCommit uint8

const (
	// OnCommitPreserveRows keeps the rows (the default).
	OnCommitPreserveRows OnCommit = iota
	// OnCommitDeleteRows empties the table.
	OnCommitDeleteRows
	// OnCommitDrop drops the table (at the commit of the transaction
	// that created it).
	OnCommitDrop
)

// TempTable is how a CREATE statement makes a temporary table.
type TempTable struct {
	OnCommit OnCommit
}

// schemaAlias resolves the alias pg_temp to the session's temporary
// schema.
func (b *binder) schemaAlias(qualifier string) string {
	if qualifier == "pg_temp" && b.opts.TempSchema != "" {
		return b.opts.TempSchema
	}
	return qualifier
}

// tempSchemaExists says whether the session has created its temporary
// schema.
func (b *binder) tempSchemaExists() bool {
	return b.opts.TempSchema != "" && b.cat.HasSchema(b.opts.TempSchema)
}

// tempTable reads the persistence and ON COMMIT clause of a CREATE TABLE
// (or CREATE TABLE AS, SELECT INTO) of rv: nil for a permanent table,
// which may not have an ON COMMIT clause. A table created in pg_temp is
// temporary without saying TEMP.
func (b *binder) tempTable(rv *pg_query.RangeVar, onCommit pg_query.OnCommitAction) (*TempTable, error) {
	qualified := rv.Schemaname != ""
	temp := rv.Relpersistence == "t" || qualified && b.opts.TempSchema != "" && b.schemaAlias(rv.Schemaname) == b.opts.TempSchema
	if !temp {
		if onCommit != pg_query.OnCommitAction_ONCOMMIT_NOOP && onCommit != pg_query.OnCommitAction_ON_COMMIT_ACTION_UNDEFINED {
			return nil, pgerr.New(pgerr.InvalidTableDefinition, "ON COMMIT can only be used on temporary tables")
		}
		return nil, nil
	}
	if b.opts.TempSchema == "" {
		return nil, pgerr.Unsupported("temporary tables are not supported here")
	}
	if qualified && b.schemaAlias(rv.Schemaname) != b.opts.TempSchema {
		return nil, b.errAt(pgerr.InvalidTableDefinition, rv.Location, "cannot create temporary relation in non-temporary schema")
	}
	t := &TempTable{}
	switch onCommit {
	case pg_query.OnCommitAction_ONCOMMIT_DELETE_ROWS:
		t.OnCommit = OnCommitDeleteRows
	case pg_query.OnCommitAction_ONCOMMIT_DROP:
		t.OnCommit = OnCommitDrop
	}
	return t, nil
}
