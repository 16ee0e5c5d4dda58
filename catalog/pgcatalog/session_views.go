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
// they are tables made from the Database, each with PostgreSQL 15's OID
// and columns for the view (sessionView, from system_views_gen.go).

// Setting is one run-time parameter of the session, as pg_settings shows
// it.
type Setting struct {
	Name    string // lower-case, as SET takes it
	Value   string
	Boot    string // the server's default
	Reset   string // what RESET returns to: the session's value at start
	Source  string // "default", "configuration file", "client" (startup packet), "session" (SET)
	Pending bool
	// SourceFile and SourceLine locate the line of the configuration file
	// that set Reset (Source "configuration file").
	SourceFile string
	SourceLine int32
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

var _ = addsRelation(sessionView("pg_settings", pgSettingsRows))

// pgSettingsRows lists the session's settings in name order, as
// pg_show_all_settings does, leaving out those PostgreSQL hides from it
// (GUC_NO_SHOW_ALL: is_superuser, session_authorization).
func pgSettingsRows(db Database) ([][]catalog.Datum, error) {
	var rows [][]catalog.Datum
	for _, s := range db.Settings() {
		if s.Name == "is_superuser" || s.Name == "session_authorization" {
			continue
		}
		m, ok := pgSettings[s.Name]
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
			enumvals, s.Boot, s.Reset, nullIfEmpty(s.SourceFile), sourceLine(s), s.Pending})
	}
	return rows, nil
}

// FileSetting is one line of the configuration file, as
// pg_file_settings shows it: Applied unless a later line set the same
// name.
type FileSetting struct {
	File    string
	Line    int32
	Name    string
	Value   string
	Applied bool
}

var _ = addsRelation(sessionView("pg_file_settings", func(db Database) ([][]catalog.Datum, error) {
	var rows [][]catalog.Datum
	for i, f := range db.FileSettings() {
		rows = append(rows, []catalog.Datum{f.File, f.Line, int32(i + 1), f.Name, f.Value, f.Applied, nil})
	}
	return rows, nil
}))

// sourceLine is pg_settings.sourceline: NULL unless a file set s.
func sourceLine(s Setting) catalog.Datum {
	if s.SourceFile == "" {
		return nil
	}
	return s.SourceLine
}

var _ = addsRelation(sessionView("pg_stat_activity", pgStatActivityRows))

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

var _ = addsRelation(sessionView("pg_prepared_statements", func(db Database) ([][]catalog.Datum, error) {
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
}))

var _ = addsRelation(sessionView("pg_cursors", func(db Database) ([][]catalog.Datum, error) {
	var rows [][]catalog.Datum
	for _, c := range db.Cursors() {
		rows = append(rows, []catalog.Datum{c.Name, nullIfEmpty(c.Statement), c.Holdable, c.Binary, c.Scrollable,
			timestamptzDatum(c.CreationTime)})
	}
	return rows, nil
}))

// pg_locks is empty: pqdb's transactions take no locks a client could
// wait on or inspect (SERIALIZABLE blocks serialize on one engine-wide
// lock).
var _ = addsRelation(sessionView("pg_locks", func(Database) ([][]catalog.Datum, error) { return nil, nil }))

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

var _ = addsRelation(sessionView("pg_stat_user_tables", func(db Database) ([][]catalog.Datum, error) { return userTableStatsRows(db), nil }))

var _ = addsRelation(sessionView("pg_stat_all_tables", func(db Database) ([][]catalog.Datum, error) {
	var rows [][]catalog.Datum
	for _, c := range bkiCatalogs {
		rows = append(rows, tableStatsRow(c.OID, PgCatalog, c.Name))
	}
	return append(rows, userTableStatsRows(db)...), nil
}))

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

var _ = addsRelation(sessionView("pg_statio_user_tables", func(db Database) ([][]catalog.Datum, error) { return userTableIORows(db), nil }))

var _ = addsRelation(sessionView("pg_statio_all_tables", func(db Database) ([][]catalog.Datum, error) {
	var rows [][]catalog.Datum
	for _, c := range bkiCatalogs {
		rows = append(rows, []catalog.Datum{c.OID, PgCatalog, c.Name, int64(0), int64(0), nil, nil, nil, nil, nil, nil})
	}
	return append(rows, userTableIORows(db)...), nil
}))

// userIndexStatsRows lists the indexes of the user tables (primary keys'
// first, as pg_index does), their counters zero: pqdb's scans do not
// use indexes.
func userIndexStatsRows(db Database) ([][]catalog.Datum, error) {
	var rows [][]catalog.Datum
	for _, s := range db.Schemas() {
		indexes := db.Indexes(s.Name)
		for _, t := range db.Tables(s.Name) {
			for _, x := range tableIndexes(t, indexes) {
				name := t.PrimaryKeyConstraint()
				if !x.primary {
					name = indexByOID(indexes, x.oid).Name
				}
				rows = append(rows, []catalog.Datum{uint32(t.ID), x.oid, s.Name, t.Name, name, int64(0), int64(0), int64(0)})
			}
		}
	}
	return rows, nil
}

var _ = addsRelation(sessionView("pg_stat_user_indexes", userIndexStatsRows))

// pg_stat_all_indexes lists the user tables' indexes: the system
// catalogs' indexes are not in pg_class.
var _ = addsRelation(sessionView("pg_stat_all_indexes", userIndexStatsRows))

var _ = addsRelation(sessionView("pg_stat_database", pgStatDatabaseRows))

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

// SettingUnit is the unit pg_settings gives setting name's value in
// (kB, ms, s, min, ...), "" for a setting without one.
func SettingUnit(name string) string {
	return pgSettings[name].unit
}

// settingDescription is what pg_settings says of a setting besides its
// value: PostgreSQL 15's own words, generated from its pg_settings
// (settings_gen.go).
type settingDescription struct {
	name                                 string // as pg_settings spells it (DateStyle)
	unit, category, shortDesc, extraDesc string
	context, vartype, minVal, maxVal     string
	enumvals                             []string
}

var _ = addsRelation(sessionView("pg_timezone_names", pgTimezoneNamesRows))

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
