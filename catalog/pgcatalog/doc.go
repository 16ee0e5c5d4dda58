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
// record from the rows. Views (pg_tables, information_schema.columns, ...)
// are SQL over the tables (views.go), expanded by the binder like any
// view.
//
// Nothing is typed by hand that PostgreSQL has as data: the tables of
// pg_catalog, their OIDs, columns and types, and their bootstrap rows
// (built-in functions, operators, casts, access methods, ...) are
// generated from PostgreSQL 15's postgres.bki (bki_gen.go, written by
// internal/genbki); pg_type's built-in rows are catalog.PgTypes.
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
