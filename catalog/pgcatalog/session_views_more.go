package pgcatalog

import (
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/pqdb/pqdb/catalog"
)

// The rest of PostgreSQL 15's views of pg_catalog over the server's
// state. Counters of what pqdb does not count are zero, as in a
// PostgreSQL whose statistics were just reset, and the times of resets
// NULL; views of things pqdb does not have list nothing.

// pqdb has none of what these show: memory contexts and shared memory
// allocations of PostgreSQL's kind, a build configuration of pg_config, a
// pg_hba.conf, SLRU caches, statistics of columns (ANALYZE keeps none),
// the system catalogs' indexes (pg_class lists none), and TLS details of
// sessions (not passed to the catalog yet).
var _ = noRowsViews(
	"pg_backend_memory_contexts", "pg_shmem_allocations", "pg_config", "pg_hba_file_rules",
	"pg_stat_slru", "pg_stats", "pg_stat_sys_indexes", "pg_statio_sys_indexes",
	"pg_statio_sys_sequences", "pg_stat_ssl",
)

// pg_timezone_abbrevs: the abbreviations of the Default set pqdb reads
// times with, a dynamic one with its meaning now.
var _ = addsRelation(sessionView("pg_timezone_abbrevs", func(Database) ([][]catalog.Datum, error) {
	var rows [][]catalog.Datum
	for _, a := range catalog.ZoneAbbreviations(time.Now()) {
		rows = append(rows, []catalog.Datum{a.Name, arrow.MonthDayNanoInterval{Nanoseconds: a.Offset * int64(time.Second)}, a.IsDST})
	}
	return rows, nil
}))

// oneZeroRow is a view of one row of server-wide counters: zero, and
// NULL for what is not a count (the last archived WAL file, the time of
// the last reset).
func oneZeroRow(name string) *Relation {
	r := sessionView(name, nil)
	row := make([]catalog.Datum, len(r.Columns))
	for i, c := range r.Columns {
		switch c.Type.Kind {
		case catalog.Int8:
			row[i] = int64(0)
		case catalog.Int4:
			row[i] = int32(0)
		case catalog.Float8:
			row[i] = float64(0)
		case catalog.Numeric:
			v, err := catalog.ParseText(c.Type, "0")
			if err != nil {
				panic(err)
			}
			row[i] = v
		}
	}
	r.rows = func(Database) ([][]catalog.Datum, error) { return [][]catalog.Datum{row}, nil }
	return r
}

var _ = addsRelation(oneZeroRow("pg_stat_archiver"))
var _ = addsRelation(oneZeroRow("pg_stat_bgwriter"))
var _ = addsRelation(oneZeroRow("pg_stat_wal"))
var _ = addsRelation(oneZeroRow("pg_stat_recovery_prefetch"))

// pg_stat_database_conflicts: the databases of pg_database, without
// recovery conflicts (pqdb has no standbys).
var _ = addsRelation(sessionView("pg_stat_database_conflicts", func(db Database) ([][]catalog.Datum, error) {
	r := Lookup(PgCatalog, "pg_database")
	dbs, err := r.Rows(db)
	if err != nil {
		return nil, err
	}
	oid, name := r.Column("oid"), r.Column("datname")
	z := int64(0)
	rows := make([][]catalog.Datum, len(dbs))
	for i, d := range dbs {
		rows[i] = []catalog.Datum{d[oid], d[name], z, z, z, z, z}
	}
	return rows, nil
}))

// pg_stat_gssapi: every session, none authenticated or encrypted by
// GSSAPI, which pqdb does not offer.
var _ = addsRelation(sessionView("pg_stat_gssapi", func(db Database) ([][]catalog.Datum, error) {
	var rows [][]catalog.Datum
	for _, b := range db.Backends() {
		rows = append(rows, []catalog.Datum{int32(b.PID), false, nil, false})
	}
	return rows, nil
}))

// systemTableStatsRows are the statistics rows of the system catalogs.
func systemTableStatsRows() [][]catalog.Datum {
	var rows [][]catalog.Datum
	for _, c := range bkiCatalogs {
		rows = append(rows, tableStatsRow(c.OID, PgCatalog, c.Name))
	}
	return rows
}

var _ = addsRelation(sessionView("pg_stat_sys_tables", func(Database) ([][]catalog.Datum, error) { return systemTableStatsRows(), nil }))

// The transaction's statistics (pg_stat_xact_*) are the first eleven
// columns of the statistics rows.
func xactStatsRows(rows [][]catalog.Datum) [][]catalog.Datum {
	out := make([][]catalog.Datum, len(rows))
	for i, r := range rows {
		out[i] = r[:11]
	}
	return out
}

var _ = addsRelation(sessionView("pg_stat_xact_user_tables", func(db Database) ([][]catalog.Datum, error) {
	return xactStatsRows(userTableStatsRows(db)), nil
}))
var _ = addsRelation(sessionView("pg_stat_xact_sys_tables", func(Database) ([][]catalog.Datum, error) {
	return xactStatsRows(systemTableStatsRows()), nil
}))
var _ = addsRelation(sessionView("pg_stat_xact_all_tables", func(db Database) ([][]catalog.Datum, error) {
	return xactStatsRows(append(systemTableStatsRows(), userTableStatsRows(db)...)), nil
}))

var _ = addsRelation(sessionView("pg_statio_sys_tables", func(Database) ([][]catalog.Datum, error) {
	var rows [][]catalog.Datum
	for _, c := range bkiCatalogs {
		rows = append(rows, []catalog.Datum{c.OID, PgCatalog, c.Name, int64(0), int64(0), nil, nil, nil, nil, nil, nil})
	}
	return rows, nil
}))

// userIndexIORows are the block counters of the user tables' indexes:
// zero.
func userIndexIORows(db Database) ([][]catalog.Datum, error) {
	rows, err := userIndexStatsRows(db)
	for i, r := range rows {
		rows[i] = append(r[:5:5], int64(0), int64(0))
	}
	return rows, err
}

var _ = addsRelation(sessionView("pg_statio_user_indexes", userIndexIORows))
var _ = addsRelation(sessionView("pg_statio_all_indexes", userIndexIORows))

// userSequenceIORows are the block counters of the sequences: zero.
func userSequenceIORows(db Database) ([][]catalog.Datum, error) {
	var rows [][]catalog.Datum
	for _, s := range db.Schemas() {
		for _, q := range db.Sequences(s.Name) {
			rows = append(rows, []catalog.Datum{uint32(q.ID), s.Name, q.Name, int64(0), int64(0)})
		}
	}
	return rows, nil
}

var _ = addsRelation(sessionView("pg_statio_user_sequences", userSequenceIORows))
var _ = addsRelation(sessionView("pg_statio_all_sequences", userSequenceIORows))
