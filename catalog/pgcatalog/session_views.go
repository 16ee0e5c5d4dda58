package pgcatalog

import (
	"sort"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
)

// The views of pg_catalog that show the server's state rather than its
// catalog: the session's settings, prepared statements and cursors, the
// server's sessions, locks and statistics. In PostgreSQL they are views
// over functions (pg_show_all_settings, pg_stat_get_activity, ...); here
// they are tables made from the Database, with PostgreSQL 15's columns
// and its OIDs for the views.

// Setting is one run-time parameter of the session, as pg_settings shows
// it.
type Setting struct {
	Name    string // lower-case, as SET takes it
	Value   string
	Boot    string // the server's default
	Reset   string // what RESET returns to: the session's value at start
	Source  string // "default", "client" (startup packet), "session" (SET)
	Pending bool
}

// Backend is one session of the server (pg_stat_activity).
type Backend struct {
	PID             uint32
	Database, User  string
	ApplicationName string
	ClientAddr      string // "" for a Unix-domain socket
	ClientPort      int32  // -1 for a Unix-domain socket
	BackendStart    time.Time
	XactStart       time.Time // zero when no transaction is open
	QueryStart      time.Time // zero before the first statement
	StateChange     time.Time
	State           string // "active", "idle", "idle in transaction", ...
	Query           string
}

// PreparedStatement is one statement the session prepared with PREPARE.
type PreparedStatement struct {
	Name, Statement string
	PrepareTime     time.Time // zero when unknown
	ParamTypes      []uint32
	FromSQL         bool
}

// Cursor is one cursor the session has open.
type Cursor struct {
	Name, Statement              string
	Holdable, Binary, Scrollable bool
	CreationTime                 time.Time // zero when unknown
}

// timestamptzDatum is t as a timestamptz value, NULL when t is zero.
func timestamptzDatum(t time.Time) catalog.Datum {
	if t.IsZero() {
		return nil
	}
	return t.UnixMicro()
}

// nullIfEmpty is s, or NULL when s is empty.
func nullIfEmpty(s string) catalog.Datum {
	if s == "" {
		return nil
	}
	return s
}

var _ = addsRelation(&Relation{OID: 12104, Schema: PgCatalog, Name: "pg_settings", Columns: []catalog.Column{
	{Name: "name", Type: catalog.TypeText},
	{Name: "setting", Type: catalog.TypeText},
	{Name: "unit", Type: catalog.TypeText},
	{Name: "category", Type: catalog.TypeText},
	{Name: "short_desc", Type: catalog.TypeText},
	{Name: "extra_desc", Type: catalog.TypeText},
	{Name: "context", Type: catalog.TypeText},
	{Name: "vartype", Type: catalog.TypeText},
	{Name: "source", Type: catalog.TypeText},
	{Name: "min_val", Type: catalog.TypeText},
	{Name: "max_val", Type: catalog.TypeText},
	{Name: "enumvals", Type: catalog.ArrayOf(catalog.TypeText)},
	{Name: "boot_val", Type: catalog.TypeText},
	{Name: "reset_val", Type: catalog.TypeText},
	{Name: "sourcefile", Type: catalog.TypeText},
	{Name: "sourceline", Type: catalog.TypeInt4},
	{Name: "pending_restart", Type: catalog.TypeBool},
}, rows: pgSettingsRows})

// pgSettingsRows lists the session's settings in name order, as
// pg_show_all_settings does, leaving out those PostgreSQL hides from it
// (GUC_NO_SHOW_ALL: is_superuser, session_authorization).
func pgSettingsRows(db Database) ([][]catalog.Datum, error) {
	var rows [][]catalog.Datum
	for _, s := range db.Settings() {
		if s.Name == "is_superuser" || s.Name == "session_authorization" {
			continue
		}
		m, ok := settingDescriptions[s.Name]
		if !ok {
			// A setting PostgreSQL does not have (pqdb.*) shows as a
			// custom placeholder does.
			m = settingDescription{name: s.Name, category: "Customized Options", context: "user", vartype: "string"}
		}
		var enumvals catalog.Datum
		if m.enumvals != nil {
			vals := make(catalog.ArrayValue, len(m.enumvals))
			for i, v := range m.enumvals {
				vals[i] = v
			}
			enumvals = vals
		}
		rows = append(rows, []catalog.Datum{m.name, s.Value, nullIfEmpty(m.unit), m.category, nullIfEmpty(m.shortDesc),
			nullIfEmpty(m.extraDesc), m.context, m.vartype, s.Source, nullIfEmpty(m.minVal), nullIfEmpty(m.maxVal),
			enumvals, s.Boot, s.Reset, nil, nil, s.Pending})
	}
	return rows, nil
}

var _ = addsRelation(&Relation{OID: 12222, Schema: PgCatalog, Name: "pg_stat_activity", Columns: []catalog.Column{
	{Name: "datid", Type: catalog.TypeOid},
	{Name: "datname", Type: catalog.TypeName},
	{Name: "pid", Type: catalog.TypeInt4},
	{Name: "leader_pid", Type: catalog.TypeInt4},
	{Name: "usesysid", Type: catalog.TypeOid},
	{Name: "usename", Type: catalog.TypeName},
	{Name: "application_name", Type: catalog.TypeText},
	{Name: "client_addr", Type: catalog.TypeText}, // inet in PostgreSQL
	{Name: "client_hostname", Type: catalog.TypeText},
	{Name: "client_port", Type: catalog.TypeInt4},
	{Name: "backend_start", Type: catalog.TypeTimestampTZ},
	{Name: "xact_start", Type: catalog.TypeTimestampTZ},
	{Name: "query_start", Type: catalog.TypeTimestampTZ},
	{Name: "state_change", Type: catalog.TypeTimestampTZ},
	{Name: "wait_event_type", Type: catalog.TypeText},
	{Name: "wait_event", Type: catalog.TypeText},
	{Name: "state", Type: catalog.TypeText},
	{Name: "backend_xid", Type: catalog.TypeOid},
	{Name: "backend_xmin", Type: catalog.TypeOid},
	{Name: "query_id", Type: catalog.TypeInt8},
	{Name: "query", Type: catalog.TypeText},
	{Name: "backend_type", Type: catalog.TypeText},
}, rows: pgStatActivityRows})

func pgStatActivityRows(db Database) ([][]catalog.Datum, error) {
	var rows [][]catalog.Datum
	for _, b := range db.Backends() {
		var addr, port catalog.Datum
		if b.ClientAddr != "" {
			addr, port = b.ClientAddr, b.ClientPort
		} else {
			port = int32(-1)
		}
		rows = append(rows, []catalog.Datum{uint32(DatabaseOID), b.Database, int32(b.PID), nil,
			RoleOID(b.User, db.BootstrapUser()), b.User, b.ApplicationName, addr, nil, port,
			timestamptzDatum(b.BackendStart), timestamptzDatum(b.XactStart), timestamptzDatum(b.QueryStart),
			timestamptzDatum(b.StateChange), nil, nil, b.State, nil, nil, nil, b.Query, "client backend"})
	}
	return rows, nil
}

var _ = addsRelation(&Relation{OID: 12095, Schema: PgCatalog, Name: "pg_prepared_statements", Columns: []catalog.Column{
	{Name: "name", Type: catalog.TypeText},
	{Name: "statement", Type: catalog.TypeText},
	{Name: "prepare_time", Type: catalog.TypeTimestampTZ},
	{Name: "parameter_types", Type: catalog.ArrayOf(catalog.TypeOid)}, // regtype[] in PostgreSQL
	{Name: "from_sql", Type: catalog.TypeBool},
	{Name: "generic_plans", Type: catalog.TypeInt8},
	{Name: "custom_plans", Type: catalog.TypeInt8},
}, rows: func(db Database) ([][]catalog.Datum, error) {
	var rows [][]catalog.Datum
	for _, p := range db.PreparedStatements() {
		types := make(catalog.ArrayValue, len(p.ParamTypes))
		for i, t := range p.ParamTypes {
			types[i] = t
		}
		rows = append(rows, []catalog.Datum{p.Name, p.Statement, timestamptzDatum(p.PrepareTime), types, p.FromSQL,
			int64(0), int64(0)})
	}
	return rows, nil
}})

var _ = addsRelation(&Relation{OID: 12077, Schema: PgCatalog, Name: "pg_cursors", Columns: []catalog.Column{
	{Name: "name", Type: catalog.TypeText},
	{Name: "statement", Type: catalog.TypeText},
	{Name: "is_holdable", Type: catalog.TypeBool},
	{Name: "is_binary", Type: catalog.TypeBool},
	{Name: "is_scrollable", Type: catalog.TypeBool},
	{Name: "creation_time", Type: catalog.TypeTimestampTZ},
}, rows: func(db Database) ([][]catalog.Datum, error) {
	var rows [][]catalog.Datum
	for _, c := range db.Cursors() {
		rows = append(rows, []catalog.Datum{c.Name, nullIfEmpty(c.Statement), c.Holdable, c.Binary, c.Scrollable,
			timestamptzDatum(c.CreationTime)})
	}
	return rows, nil
}})

// pg_locks is empty: pqdb's transactions take no locks a client could
// wait on or inspect (SERIALIZABLE blocks serialize on one engine-wide
// lock).
var _ = addsRelation(&Relation{OID: 12073, Schema: PgCatalog, Name: "pg_locks", Columns: []catalog.Column{
	{Name: "locktype", Type: catalog.TypeText},
	{Name: "database", Type: catalog.TypeOid},
	{Name: "relation", Type: catalog.TypeOid},
	{Name: "page", Type: catalog.TypeInt4},
	{Name: "tuple", Type: catalog.TypeInt2},
	{Name: "virtualxid", Type: catalog.TypeText},
	{Name: "transactionid", Type: catalog.TypeOid}, // xid in PostgreSQL
	{Name: "classid", Type: catalog.TypeOid},
	{Name: "objid", Type: catalog.TypeOid},
	{Name: "objsubid", Type: catalog.TypeInt2},
	{Name: "virtualtransaction", Type: catalog.TypeText},
	{Name: "pid", Type: catalog.TypeInt4},
	{Name: "mode", Type: catalog.TypeText},
	{Name: "granted", Type: catalog.TypeBool},
	{Name: "fastpath", Type: catalog.TypeBool},
	{Name: "waitstart", Type: catalog.TypeTimestampTZ},
}, rows: func(Database) ([][]catalog.Datum, error) { return nil, nil }})

// tableStatsColumns are the columns of pg_stat_all_tables and
// pg_stat_user_tables.
var tableStatsColumns = []catalog.Column{
	{Name: "relid", Type: catalog.TypeOid},
	{Name: "schemaname", Type: catalog.TypeName},
	{Name: "relname", Type: catalog.TypeName},
	{Name: "seq_scan", Type: catalog.TypeInt8},
	{Name: "seq_tup_read", Type: catalog.TypeInt8},
	{Name: "idx_scan", Type: catalog.TypeInt8},
	{Name: "idx_tup_fetch", Type: catalog.TypeInt8},
	{Name: "n_tup_ins", Type: catalog.TypeInt8},
	{Name: "n_tup_upd", Type: catalog.TypeInt8},
	{Name: "n_tup_del", Type: catalog.TypeInt8},
	{Name: "n_tup_hot_upd", Type: catalog.TypeInt8},
	{Name: "n_live_tup", Type: catalog.TypeInt8},
	{Name: "n_dead_tup", Type: catalog.TypeInt8},
	{Name: "n_mod_since_analyze", Type: catalog.TypeInt8},
	{Name: "n_ins_since_vacuum", Type: catalog.TypeInt8},
	{Name: "last_vacuum", Type: catalog.TypeTimestampTZ},
	{Name: "last_autovacuum", Type: catalog.TypeTimestampTZ},
	{Name: "last_analyze", Type: catalog.TypeTimestampTZ},
	{Name: "last_autoanalyze", Type: catalog.TypeTimestampTZ},
	{Name: "vacuum_count", Type: catalog.TypeInt8},
	{Name: "autovacuum_count", Type: catalog.TypeInt8},
	{Name: "analyze_count", Type: catalog.TypeInt8},
	{Name: "autoanalyze_count", Type: catalog.TypeInt8},
}

// tableStatsRow is the statistics row of one table. pqdb keeps no access
// counters: they are zero, as in a freshly started PostgreSQL whose
// statistics were reset.
func tableStatsRow(oid uint32, schema, name string) []catalog.Datum {
	zero := int64(0)
	return []catalog.Datum{oid, schema, name, zero, zero, nil, nil, zero, zero, zero, zero, zero, zero, zero, zero,
		nil, nil, nil, nil, zero, zero, zero, zero}
}

func userTableStatsRows(db Database) [][]catalog.Datum {
	var rows [][]catalog.Datum
	for _, s := range db.Schemas() {
		for _, t := range db.Tables(s.Name) {
			rows = append(rows, tableStatsRow(uint32(t.ID), s.Name, t.Name))
		}
	}
	return rows
}

var _ = addsRelation(&Relation{OID: 12161, Schema: PgCatalog, Name: "pg_stat_user_tables", Columns: tableStatsColumns,
	rows: func(db Database) ([][]catalog.Datum, error) { return userTableStatsRows(db), nil }})

var _ = addsRelation(&Relation{OID: 12142, Schema: PgCatalog, Name: "pg_stat_all_tables", Columns: tableStatsColumns,
	rows: func(db Database) ([][]catalog.Datum, error) {
		var rows [][]catalog.Datum
		for _, c := range bkiCatalogs {
			rows = append(rows, tableStatsRow(c.OID, PgCatalog, c.Name))
		}
		return append(rows, userTableStatsRows(db)...), nil
	}})

// tableIOColumns are the columns of pg_statio_all_tables and
// pg_statio_user_tables.
var tableIOColumns = []catalog.Column{
	{Name: "relid", Type: catalog.TypeOid},
	{Name: "schemaname", Type: catalog.TypeName},
	{Name: "relname", Type: catalog.TypeName},
	{Name: "heap_blks_read", Type: catalog.TypeInt8},
	{Name: "heap_blks_hit", Type: catalog.TypeInt8},
	{Name: "idx_blks_read", Type: catalog.TypeInt8},
	{Name: "idx_blks_hit", Type: catalog.TypeInt8},
	{Name: "toast_blks_read", Type: catalog.TypeInt8},
	{Name: "toast_blks_hit", Type: catalog.TypeInt8},
	{Name: "tidx_blks_read", Type: catalog.TypeInt8},
	{Name: "tidx_blks_hit", Type: catalog.TypeInt8},
}

// userTableIORows are the block counters of the user tables: zero, and
// NULL for what a table does not have (indexes; TOAST tables, which
// pqdb never has).
func userTableIORows(db Database) [][]catalog.Datum {
	var rows [][]catalog.Datum
	for _, s := range db.Schemas() {
		indexes := db.Indexes(s.Name)
		for _, t := range db.Tables(s.Name) {
			var idxRead, idxHit catalog.Datum
			if len(tableIndexes(t, indexes)) > 0 {
				idxRead, idxHit = int64(0), int64(0)
			}
			rows = append(rows, []catalog.Datum{uint32(t.ID), s.Name, t.Name, int64(0), int64(0), idxRead, idxHit,
				nil, nil, nil, nil})
		}
	}
	return rows
}

var _ = addsRelation(&Relation{OID: 12179, Schema: PgCatalog, Name: "pg_statio_user_tables", Columns: tableIOColumns,
	rows: func(db Database) ([][]catalog.Datum, error) { return userTableIORows(db), nil }})

var _ = addsRelation(&Relation{OID: 12170, Schema: PgCatalog, Name: "pg_statio_all_tables", Columns: tableIOColumns,
	rows: func(db Database) ([][]catalog.Datum, error) {
		var rows [][]catalog.Datum
		for _, c := range bkiCatalogs {
			rows = append(rows, []catalog.Datum{c.OID, PgCatalog, c.Name, int64(0), int64(0), nil, nil, nil, nil, nil, nil})
		}
		return append(rows, userTableIORows(db)...), nil
	}})

// indexStatsColumns are the columns of pg_stat_all_indexes and
// pg_stat_user_indexes.
var indexStatsColumns = []catalog.Column{
	{Name: "relid", Type: catalog.TypeOid},
	{Name: "indexrelid", Type: catalog.TypeOid},
	{Name: "schemaname", Type: catalog.TypeName},
	{Name: "relname", Type: catalog.TypeName},
	{Name: "indexrelname", Type: catalog.TypeName},
	{Name: "idx_scan", Type: catalog.TypeInt8},
	{Name: "idx_tup_read", Type: catalog.TypeInt8},
	{Name: "idx_tup_fetch", Type: catalog.TypeInt8},
}

// userIndexStatsRows lists the indexes of the user tables (primary keys'
// first, as pg_index does), their counters zero: pqdb's scans do not
// use indexes.
func userIndexStatsRows(db Database) ([][]catalog.Datum, error) {
	var rows [][]catalog.Datum
	for _, s := range db.Schemas() {
		indexes := db.Indexes(s.Name)
		for _, t := range db.Tables(s.Name) {
			for _, x := range tableIndexes(t, indexes) {
				name := PrimaryKeyName(t)
				if !x.primary {
					name = indexByOID(indexes, x.oid).Name
				}
				rows = append(rows, []catalog.Datum{uint32(t.ID), x.oid, s.Name, t.Name, name, int64(0), int64(0), int64(0)})
			}
		}
	}
	return rows, nil
}

var _ = addsRelation(&Relation{OID: 12192, Schema: PgCatalog, Name: "pg_stat_user_indexes", Columns: indexStatsColumns,
	rows: userIndexStatsRows})

// pg_stat_all_indexes lists the user tables' indexes: the system
// catalogs' indexes are not in pg_class.
var _ = addsRelation(&Relation{OID: 12183, Schema: PgCatalog, Name: "pg_stat_all_indexes", Columns: indexStatsColumns,
	rows: userIndexStatsRows})

var _ = addsRelation(&Relation{OID: 12266, Schema: PgCatalog, Name: "pg_stat_database", Columns: []catalog.Column{
	{Name: "datid", Type: catalog.TypeOid},
	{Name: "datname", Type: catalog.TypeName},
	{Name: "numbackends", Type: catalog.TypeInt4},
	{Name: "xact_commit", Type: catalog.TypeInt8},
	{Name: "xact_rollback", Type: catalog.TypeInt8},
	{Name: "blks_read", Type: catalog.TypeInt8},
	{Name: "blks_hit", Type: catalog.TypeInt8},
	{Name: "tup_returned", Type: catalog.TypeInt8},
	{Name: "tup_fetched", Type: catalog.TypeInt8},
	{Name: "tup_inserted", Type: catalog.TypeInt8},
	{Name: "tup_updated", Type: catalog.TypeInt8},
	{Name: "tup_deleted", Type: catalog.TypeInt8},
	{Name: "conflicts", Type: catalog.TypeInt8},
	{Name: "temp_files", Type: catalog.TypeInt8},
	{Name: "temp_bytes", Type: catalog.TypeInt8},
	{Name: "deadlocks", Type: catalog.TypeInt8},
	{Name: "checksum_failures", Type: catalog.TypeInt8},
	{Name: "checksum_last_failure", Type: catalog.TypeTimestampTZ},
	{Name: "blk_read_time", Type: catalog.TypeFloat8},
	{Name: "blk_write_time", Type: catalog.TypeFloat8},
	{Name: "session_time", Type: catalog.TypeFloat8},
	{Name: "active_time", Type: catalog.TypeFloat8},
	{Name: "idle_in_transaction_time", Type: catalog.TypeFloat8},
	{Name: "sessions", Type: catalog.TypeInt8},
	{Name: "sessions_abandoned", Type: catalog.TypeInt8},
	{Name: "sessions_fatal", Type: catalog.TypeInt8},
	{Name: "sessions_killed", Type: catalog.TypeInt8},
	{Name: "stats_reset", Type: catalog.TypeTimestampTZ},
}, rows: pgStatDatabaseRows})

// pgStatDatabaseRows: the row of shared objects (datid 0), then the
// database, with its sessions counted; pqdb keeps no other counters.
func pgStatDatabaseRows(db Database) ([][]catalog.Datum, error) {
	backends := int32(0)
	for _, b := range db.Backends() {
		if b.Database == db.DatabaseName() {
			backends++
		}
	}
	row := func(oid uint32, name catalog.Datum, n int32) []catalog.Datum {
		z, f := int64(0), float64(0)
		return []catalog.Datum{oid, name, n, z, z, z, z, z, z, z, z, z, z, z, z, z, nil, nil, f, f, f, f, f, z, z, z, z, nil}
	}
	return [][]catalog.Datum{row(0, nil, 0), row(DatabaseOID, db.DatabaseName(), backends)}, nil
}

// settingDescription is what pg_settings says of a setting besides its
// value: PostgreSQL 15's own words, copied from its pg_settings for the
// settings pqdb has.
type settingDescription struct {
	name                                 string // as pg_settings spells it (DateStyle)
	unit, category, shortDesc, extraDesc string
	context, vartype, minVal, maxVal     string
	enumvals                             []string
}

var settingDescriptions = map[string]settingDescription{
	"application_name":                    {name: "application_name", unit: "", category: "Reporting and Logging / What to Log", shortDesc: "Sets the application name to be reported in statistics and logs.", extraDesc: "", context: "user", vartype: "string", minVal: "", maxVal: "", enumvals: nil},
	"client_encoding":                     {name: "client_encoding", unit: "", category: "Client Connection Defaults / Locale and Formatting", shortDesc: "Sets the client's character set encoding.", extraDesc: "", context: "user", vartype: "string", minVal: "", maxVal: "", enumvals: nil},
	"datestyle":                           {name: "DateStyle", unit: "", category: "Client Connection Defaults / Locale and Formatting", shortDesc: "Sets the display format for date and time values.", extraDesc: "Also controls interpretation of ambiguous date inputs.", context: "user", vartype: "string", minVal: "", maxVal: "", enumvals: nil},
	"default_transaction_isolation":       {name: "default_transaction_isolation", unit: "", category: "Client Connection Defaults / Statement Behavior", shortDesc: "Sets the transaction isolation level of each new transaction.", extraDesc: "", context: "user", vartype: "enum", minVal: "", maxVal: "", enumvals: []string{"serializable", "repeatable read", "read committed", "read uncommitted"}},
	"default_transaction_read_only":       {name: "default_transaction_read_only", unit: "", category: "Client Connection Defaults / Statement Behavior", shortDesc: "Sets the default read-only status of new transactions.", extraDesc: "", context: "user", vartype: "bool", minVal: "", maxVal: "", enumvals: nil},
	"extra_float_digits":                  {name: "extra_float_digits", unit: "", category: "Client Connection Defaults / Locale and Formatting", shortDesc: "Sets the number of digits displayed for floating-point values.", extraDesc: "This affects real, double precision, and geometric data types. A zero or negative parameter value is added to the standard number of digits (FLT_DIG or DBL_DIG as appropriate). Any value greater than zero selects precise output mode.", context: "user", vartype: "integer", minVal: "-15", maxVal: "3", enumvals: nil},
	"idle_in_transaction_session_timeout": {name: "idle_in_transaction_session_timeout", unit: "ms", category: "Client Connection Defaults / Statement Behavior", shortDesc: "Sets the maximum allowed idle time between queries, when in a transaction.", extraDesc: "A value of 0 turns off the timeout.", context: "user", vartype: "integer", minVal: "0", maxVal: "2147483647", enumvals: nil},
	"integer_datetimes":                   {name: "integer_datetimes", unit: "", category: "Preset Options", shortDesc: "Shows whether datetimes are integer based.", extraDesc: "", context: "internal", vartype: "bool", minVal: "", maxVal: "", enumvals: nil},
	"intervalstyle":                       {name: "IntervalStyle", unit: "", category: "Client Connection Defaults / Locale and Formatting", shortDesc: "Sets the display format for interval values.", extraDesc: "", context: "user", vartype: "enum", minVal: "", maxVal: "", enumvals: []string{"postgres", "postgres_verbose", "sql_standard", "iso_8601"}},
	"lock_timeout":                        {name: "lock_timeout", unit: "ms", category: "Client Connection Defaults / Statement Behavior", shortDesc: "Sets the maximum allowed duration of any wait for a lock.", extraDesc: "A value of 0 turns off the timeout.", context: "user", vartype: "integer", minVal: "0", maxVal: "2147483647", enumvals: nil},
	"max_identifier_length":               {name: "max_identifier_length", unit: "", category: "Preset Options", shortDesc: "Shows the maximum identifier length.", extraDesc: "", context: "internal", vartype: "integer", minVal: "63", maxVal: "63", enumvals: nil},
	"max_parallel_workers_per_gather":     {name: "max_parallel_workers_per_gather", unit: "", category: "Resource Usage / Asynchronous Behavior", shortDesc: "Sets the maximum number of parallel processes per executor node.", extraDesc: "", context: "user", vartype: "integer", minVal: "0", maxVal: "1024", enumvals: nil},
	"search_path":                         {name: "search_path", unit: "", category: "Client Connection Defaults / Statement Behavior", shortDesc: "Sets the schema search order for names that are not schema-qualified.", extraDesc: "", context: "user", vartype: "string", minVal: "", maxVal: "", enumvals: nil},
	"server_encoding":                     {name: "server_encoding", unit: "", category: "Preset Options", shortDesc: "Shows the server (database) character set encoding.", extraDesc: "", context: "internal", vartype: "string", minVal: "", maxVal: "", enumvals: nil},
	"server_version":                      {name: "server_version", unit: "", category: "Preset Options", shortDesc: "Shows the server version.", extraDesc: "", context: "internal", vartype: "string", minVal: "", maxVal: "", enumvals: nil},
	"standard_conforming_strings":         {name: "standard_conforming_strings", unit: "", category: "Version and Platform Compatibility / Previous PostgreSQL Versions", shortDesc: "Causes '...' strings to treat backslashes literally.", extraDesc: "", context: "user", vartype: "bool", minVal: "", maxVal: "", enumvals: nil},
	"statement_timeout":                   {name: "statement_timeout", unit: "ms", category: "Client Connection Defaults / Statement Behavior", shortDesc: "Sets the maximum allowed duration of any statement.", extraDesc: "A value of 0 turns off the timeout.", context: "user", vartype: "integer", minVal: "0", maxVal: "2147483647", enumvals: nil},
	"timezone":                            {name: "TimeZone", unit: "", category: "Client Connection Defaults / Locale and Formatting", shortDesc: "Sets the time zone for displaying and interpreting time stamps.", extraDesc: "", context: "user", vartype: "string", minVal: "", maxVal: "", enumvals: nil},
	"transaction_isolation":               {name: "transaction_isolation", unit: "", category: "Client Connection Defaults / Statement Behavior", shortDesc: "Sets the current transaction's isolation level.", extraDesc: "", context: "user", vartype: "enum", minVal: "", maxVal: "", enumvals: []string{"serializable", "repeatable read", "read committed", "read uncommitted"}},
	"transaction_read_only":               {name: "transaction_read_only", unit: "", category: "Client Connection Defaults / Statement Behavior", shortDesc: "Sets the current transaction's read-only status.", extraDesc: "", context: "user", vartype: "bool", minVal: "", maxVal: "", enumvals: nil},
}

var _ = addsRelation(&Relation{OID: 12126, Schema: PgCatalog, Name: "pg_timezone_names", Columns: []catalog.Column{
	{Name: "name", Type: catalog.TypeText},
	{Name: "abbrev", Type: catalog.TypeText},
	{Name: "utc_offset", Type: catalog.TypeInterval},
	{Name: "is_dst", Type: catalog.TypeBool},
}, rows: pgTimezoneNamesRows})

// pgTimezoneNamesRows lists the zones of the time zone database with
// their abbreviation and offset now, in name order. Like PostgreSQL it
// leaves out the leap-second zones (right/) and the files that are not
// zones (zone.tab, ...), and lists each zone also under posix/ (but
// localtime and posixrules), as the database's posix directory holds a
// copy of every zone.
func pgTimezoneNamesRows(Database) ([][]catalog.Datum, error) {
	var names []string
	for _, name := range catalog.TimeZoneNames() {
		if !strings.HasPrefix(name, "right/") && !strings.HasPrefix(name, "posix/") {
			names = append(names, name)
		}
	}
	now := time.Now()
	var rows [][]catalog.Datum
	add := func(name string, loc *time.Location) {
		t := now.In(loc)
		abbrev, offset := t.Zone()
		rows = append(rows, []catalog.Datum{name, abbrev,
			arrow.MonthDayNanoInterval{Nanoseconds: int64(offset) * int64(time.Second)}, t.IsDST()})
	}
	for _, name := range names {
		loc, err := time.LoadLocation(name)
		if err != nil {
			continue
		}
		add(name, loc)
		if name != "localtime" && name != "posixrules" {
			add("posix/"+name, loc)
		}
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i][0].(string) < rows[j][0].(string) })
	return rows, nil
}
