package pgcatalog

import "github.com/pqdb/pqdb/catalog"

// pgSystemView is a view of PostgreSQL 15's pg_catalog as
// system_views_gen.go records it: its OID and its columns.
type pgSystemView struct {
	OID     uint32
	Columns []pgViewColumn
}

// pgViewColumn is a column of a pg_catalog view: its name, its type's
// name (pg_type.typname) and its collation (the column's of a catalog it
// shows: "C" for most).
type pgViewColumn struct {
	Name, Type string
	Collation  uint32
}

// column is the view column as pqdb types it, with its collation when
// it is not its type's.
func (c pgViewColumn) column() catalog.Column {
	col := catalog.Column{Name: c.Name, Type: viewColumnType(c.Type)}
	if d := pgInformationSchemaDomains[c.Type]; d != nil {
		col = d.column(c.Name)
	}
	if c.Collation != TypeCollation(col.Type) {
		col.Collation = collationName(c.Collation)
	}
	return col
}

// sessionView defines the pg_catalog view name, whose rows pqdb makes
// (from the session's state, rather than by a query over other
// relations), with PostgreSQL 15's OID, columns and types.
func sessionView(name string, rows func(Database) ([][]catalog.Datum, error)) *Relation {
	v, ok := pgSystemViews[name]
	if !ok {
		panic("pgcatalog: PostgreSQL 15's pg_catalog has no view " + name)
	}
	cols := make([]catalog.Column, len(v.Columns))
	for i, c := range v.Columns {
		cols[i] = c.column()
	}
	return &Relation{OID: v.OID, Schema: PgCatalog, Name: name, Columns: cols, rows: rows}
}

// viewColumnType is the pqdb type of a view column of PostgreSQL type
// typname: as a catalog column's (bkiType), and interval and numeric,
// which only views have (pg_timezone_names.utc_offset,
// pg_stat_wal.wal_bytes).
func viewColumnType(typname string) catalog.Type {
	switch typname {
	case "interval":
		return catalog.TypeInterval
	case "numeric":
		return catalog.TypeNumeric
	}
	return bkiType(typname)
}

// pqdb has none of what these views of PostgreSQL 15 show, so they exist
// with PostgreSQL's columns and no rows: extensions, the authentication
// files it does not read (its configuration file is in pg_file_settings,
// session_views.go), two-phase transactions, replication and logical
// decoding, security labels, foreign servers' user mappings, progress of
// maintenance commands it does not report (COPY's it does:
// pg_stat_progress_copy.go), function call statistics (it has no user
// functions), and extended statistics objects.
var _ = noRowsViews(
	"pg_available_extension_versions",
	"pg_ident_file_mappings",
	"pg_prepared_xacts",
	"pg_publication_tables", "pg_replication_origin_status", "pg_replication_slots",
	"pg_stat_replication", "pg_stat_replication_slots", "pg_stat_subscription",
	"pg_stat_subscription_stats", "pg_stat_wal_receiver",
	"pg_seclabels", "pg_user_mappings",
	"pg_stat_progress_analyze", "pg_stat_progress_basebackup", "pg_stat_progress_cluster",
	"pg_stat_progress_create_index", "pg_stat_progress_vacuum",
	"pg_stat_user_functions", "pg_stat_xact_user_functions",
	"pg_stats_ext", "pg_stats_ext_exprs",
)

// noRowsViews defines the named views of pg_catalog with no rows.
func noRowsViews(names ...string) bool {
	for _, name := range names {
		addsRelation(sessionView(name, func(Database) ([][]catalog.Datum, error) { return nil, nil }))
	}
	return true
}
