package engine

import (
	"slices"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/catalog/pgcatalog"
	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/planner"
	"github.com/pqdb/pqdb/storage"
)

// bootstrapUser names the superuser that owns every object, as the user
// initdb creates does in PostgreSQL.
const bootstrapUser = "postgres"

// systemCatalog serves pg_catalog and information_schema to a session's
// statements (planner.SystemCatalog): the tables of package pgcatalog,
// their rows made from the catalog the session sees when the scan opens.
type systemCatalog struct{ s *Session }

func (c systemCatalog) SystemTable(schema, name string) *catalog.Table {
	if r := pgcatalog.Lookup(schema, name); r != nil {
		return r.Table()
	}
	return nil
}

func (c systemCatalog) SystemView(schema, name string) *catalog.View {
	return pgcatalog.LookupView(schema, name)
}

func (c systemCatalog) SystemUserType(schema, name string) *catalog.UserType {
	return pgcatalog.LookupUserType(schema, name)
}

func (c systemCatalog) SystemRecord(t *catalog.Table, cols []int) (arrow.Record, error) {
	r := pgcatalog.Lookup(t.Schema, t.Name)
	if r == nil {
		return nil, pgerr.New(pgerr.UndefinedTable, "relation \"%s.%s\" does not exist", t.Schema, t.Name)
	}
	return r.Record(sessionDatabase{s: c.s, snap: c.s.catalogView()}, cols)
}

// sessionDatabase is a session's view of the database for pgcatalog
// (pgcatalog.Database): the catalog of its snapshot, and who it is.
type sessionDatabase struct {
	s    *Session
	snap *storage.Snapshot
}

func (d sessionDatabase) DatabaseName() string  { return d.s.info.Database }
func (d sessionDatabase) UserName() string      { return d.s.info.User }
func (d sessionDatabase) BootstrapUser() string { return bootstrapUser }

func (d sessionDatabase) Schemas() []pgcatalog.Schema {
	names := d.snap.Schemas()
	slices.Sort(names)
	out := make([]pgcatalog.Schema, len(names))
	for i, n := range names {
		out[i] = pgcatalog.Schema{Name: n, OID: d.snap.SchemaOID(n), Comment: d.snap.SchemaComment(n)}
	}
	return out
}

func (d sessionDatabase) Tables(schema string) []*catalog.Table  { return d.snap.Tables(schema) }
func (d sessionDatabase) Views(schema string) []*catalog.View    { return d.snap.Views(schema) }
func (d sessionDatabase) Indexes(schema string) []*catalog.Index { return d.snap.Indexes(schema) }
func (d sessionDatabase) Sequences(schema string) []*catalog.Sequence {
	return d.snap.Sequences(schema)
}
func (d sessionDatabase) UserTypes(schema string) []*catalog.UserType {
	return d.snap.UserTypes(schema)
}
func (d sessionDatabase) Roles() []*catalog.Role { return d.snap.Roles() }
func (d sessionDatabase) ImplementsFunction(name string) bool {
	if _, ok := d.s.hostFuncs()[name]; ok {
		return true
	}
	return planner.FunctionImplemented(name)
}
