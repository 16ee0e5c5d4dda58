// Package pgcatalog is pqdb's pg_catalog and information_schema: the
// system catalogs PostgreSQL clients read to learn what a database holds
// (psql's \d, drivers' type and metadata calls, ORMs' inspectors, BI
// tools' browsers).
//
// Each table is a Relation (relation.go): its OID, schema, name and
// columns, and a function that makes its rows from a Database, the
// engine's view of the catalog at the statement's snapshot
// (database.go). The planner binds these tables like stored ones, so
// joins, filters and functions over them run through the ordinary
// optimizer and executor; only the scan differs, which builds one Arrow
// record from the rows (once per run of a plan). The views of pg_catalog
// over its tables (pg_tables, pg_indexes, pg_roles, ...) are SQL
// (system_views.go, views.go), expanded by the binder like any view.
// information_schema's views and tables and the session views of
// pg_catalog (pg_settings, pg_stat_activity, pg_prepared_statements, ...)
// are relations made in Go straight from the Database
// (information_schema*.go, session_views*.go), with PostgreSQL 15's
// columns and OIDs.
//
// Nothing is typed by hand that PostgreSQL has as data: the tables of
// pg_catalog, their OIDs, columns and types, and their bootstrap rows
// (built-in types, functions, operators, casts, access methods, ...) are
// generated from PostgreSQL 15's postgres.bki (bki_gen.go, written by
// internal/genbki); the columns of information_schema's relations, with
// the types their definitions cast to, from PostgreSQL 15's
// information_schema.sql (information_schema_gen.go, written by
// internal/geninfoschema); the OIDs and columns of pg_catalog's views,
// from a running PostgreSQL 15 (system_views_gen.go, written by
// internal/gensysviews, which connects where the libpq environment
// variables PGHOST, PGPORT, PGUSER and PGDATABASE point), and from the
// same, information_schema's domains (which type its columns, as in
// PostgreSQL), its internal views and the rows of its sql_* tables
// (information_schema_pg_gen.go), and the OIDs of the row types of
// every system table and view and of their array types
// (row_types_gen.go).
//
// Invariants:
//   - OIDs are stable: an object keeps its OID for as long as it exists
//     (oid.go says where each comes from), so clients may cache them.
//   - Every table has PostgreSQL 15's columns, names and order, whether or
//     not pqdb has anything to put in it.
//   - Rows are made per statement from one snapshot: two scans of one
//     statement agree.
package pgcatalog

//go:generate go run ./internal/genbki -out bki_gen.go
//go:generate go run ./internal/geninfoschema -out information_schema_gen.go
//go:generate go run ./internal/gensysviews -out system_views_gen.go
