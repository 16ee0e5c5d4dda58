package pgcatalog

import "github.com/pqdb/pqdb/catalog"

// Database is what the system catalogs are made from: the engine's view
// of the database at one statement's snapshot, and of the session that
// runs it.
type Database interface {
	// DatabaseName is current_database().
	DatabaseName() string
	// UserName is current_user.
	UserName() string
	// BootstrapUser names the superuser that owns every object (OID 10,
	// the user initdb creates in PostgreSQL).
	BootstrapUser() string
	// Schemas lists the user schemas (public and those created), by
	// name.
	Schemas() []Schema
	Tables(schema string) []*catalog.Table
	Views(schema string) []*catalog.View
	Indexes(schema string) []*catalog.Index
	Sequences(schema string) []*catalog.Sequence
	UserTypes(schema string) []*catalog.UserType
	Roles() []*catalog.Role
	// ImplementsFunction reports whether pqdb can call the function or
	// aggregate name: pg_proc lists only those of PostgreSQL's that it
	// can.
	ImplementsFunction(name string) bool
	// ViewColumns are the columns of view v (a user view or a system
	// one) with the types its query gives them, as pg_attribute lists
	// them.
	ViewColumns(v *catalog.View) ([]catalog.Column, error)
	// ExprColumns are the names of the columns the stored expression
	// expr (a CHECK's) reads, each once, in order of appearance.
	ExprColumns(expr string) []string
	// DeparseDefault is the DEFAULT of column col of t, and DeparseCheck
	// the expression of CHECK constraint c (a table's or a domain's), as
	// pg_get_expr prints them (from PostgreSQL's tree: 'x'::text for
	// 'x').
	DeparseDefault(t *catalog.Table, col int) string
	DeparseCheck(c *Constraint) string
	// DeparseDomainDefault is domain u's DEFAULT as pg_type.typdefault
	// holds it.
	DeparseDomainDefault(u *catalog.UserType) string
	// DeparseView is view v's query as pg_get_viewdef prints it.
	DeparseView(v *catalog.View) string
	// Settings lists the session's run-time parameters, by name.
	Settings() []Setting
	// FileSettings lists the configuration file's settings in the order
	// read (pg_file_settings).
	FileSettings() []FileSetting
	// Backends lists the server's sessions, by process id.
	Backends() []Backend
	// CopyProgress lists the COPY statements running, by process id.
	CopyProgress() []CopyProgress
	// PreparedStatements and Cursors list the session's, by name.
	PreparedStatements() []PreparedStatement
	Cursors() []Cursor
	// TempSchema names the session's temporary schema (pg_temp_<pid>),
	// whether or not it exists yet.
	TempSchema() string
}

// Schema is a user schema.
type Schema struct {
	Name    string
	OID     uint32
	Comment string
}
